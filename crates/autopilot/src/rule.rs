//! Rules: the human knowledge. An ordered list; a rule fires when all its conditions hold, and
//! for each field the first rule that sets it wins, before and above the model.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::invoice::{LineInput, Party};
use crate::relation::compact;
use crate::text;

/// A condition on the supplier or the line.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The supplier's name, compared without case, punctuation and legal form.
    Supplier(String),
    /// Any of the supplier's identifiers (id, Peppol id, VAT, KvK, IBAN) equals this one.
    Identifier(String),
    /// The line description contains this text, case-insensitively.
    TextContains(String),
    /// The whole description matches this pattern, case-insensitively; `*` is any text and `?`
    /// one character. Patterns rather than regular expressions: accountants write these.
    TextMatches(String),
    /// The line amount lies in this range, bounds included.
    AmountRange {
        /// Lowest amount.
        min: Option<Decimal>,
        /// Highest amount.
        max: Option<Decimal>,
    },
    /// The seller's or standard item id equals this one.
    ItemId(String),
    /// A classification code starts with this prefix (codes are hierarchical).
    ClassificationCode(String),
}

/// What a rule does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Post to this GL account.
    SetAccount(String),
    /// Use this VAT code.
    SetVatCode(String),
    /// Use this cost centre.
    SetCostCentre(String),
    /// Split the line over accounts by percentage; the percentages must add up to 100.
    Split(Vec<(String, Decimal)>),
    /// Never post automatically; always ask a person.
    NeverAutoPost,
}

/// A named rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Name shown in explanations.
    pub name: String,
    /// All must hold.
    pub conditions: Vec<Condition>,
    /// Applied when they do.
    pub actions: Vec<Action>,
}

/// What the rules decided for one line; each field names the rule that set it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleOutcome {
    /// Account and rule.
    pub account: Option<(String, String)>,
    /// VAT code and rule.
    pub vat_code: Option<(String, String)>,
    /// Cost centre and rule.
    pub cost_centre: Option<(String, String)>,
    /// Split and rule.
    pub split: Option<(Vec<(String, Decimal)>, String)>,
    /// The rule that forbids auto-posting.
    pub never_auto_post: Option<String>,
}

fn glob(pattern: &[char], text: &[char]) -> bool {
    // Iterative wildcard match with backtracking to the last `*`: linear in practice, and no
    // recursion for hostile patterns.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == '?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

impl Condition {
    /// Whether the condition holds for this supplier and line.
    pub fn holds(&self, supplier: &Party, line: &LineInput) -> bool {
        match self {
            Condition::Supplier(name) => text::name_key(name) == text::name_key(&supplier.name),
            Condition::Identifier(id) => {
                let id = compact(id);
                !id.is_empty()
                    && [
                        &supplier.id,
                        &supplier.peppol_id,
                        &supplier.vat,
                        &supplier.kvk,
                        &supplier.iban,
                    ]
                    .into_iter()
                    .flatten()
                    .any(|v| compact(v) == id)
            }
            Condition::TextContains(needle) => line
                .description
                .to_lowercase()
                .contains(&needle.to_lowercase()),
            Condition::TextMatches(pattern) => {
                let p: Vec<char> = pattern.to_lowercase().chars().collect();
                let t: Vec<char> = line.description.to_lowercase().chars().collect();
                glob(&p, &t)
            }
            Condition::AmountRange { min, max } => {
                min.is_none_or(|m| line.amount >= m) && max.is_none_or(|m| line.amount <= m)
            }
            Condition::ItemId(id) => [&line.seller_item_id, &line.standard_item_id]
                .into_iter()
                .flatten()
                .any(|v| v.trim() == id.trim()),
            Condition::ClassificationCode(prefix) => line
                .classification_codes
                .iter()
                .any(|c| c.trim().starts_with(prefix.trim())),
        }
    }
}

/// Applies the rules in order; for each field the first firing rule wins.
pub fn apply(rules: &[Rule], supplier: &Party, line: &LineInput) -> RuleOutcome {
    let mut out = RuleOutcome::default();
    for rule in rules
        .iter()
        .filter(|r| r.conditions.iter().all(|c| c.holds(supplier, line)))
    {
        let name = || rule.name.clone();
        for action in &rule.actions {
            match action {
                Action::SetAccount(a) => {
                    out.account.get_or_insert_with(|| (a.clone(), name()));
                }
                Action::SetVatCode(v) => {
                    out.vat_code.get_or_insert_with(|| (v.clone(), name()));
                }
                Action::SetCostCentre(c) => {
                    out.cost_centre.get_or_insert_with(|| (c.clone(), name()));
                }
                Action::Split(parts) => {
                    out.split.get_or_insert_with(|| (parts.clone(), name()));
                }
                Action::NeverAutoPost => {
                    out.never_auto_post.get_or_insert_with(name);
                }
            }
        }
    }
    out
}

/// Watches manual corrections and proposes a rule once the same one was made `after` times.
#[derive(Debug, Clone)]
pub struct RuleSuggester {
    after: u32,
    seen: HashMap<(String, u64, String), u32>,
}

impl RuleSuggester {
    /// Proposes a rule after `after` identical corrections (3 is a good default).
    pub fn new(after: u32) -> Self {
        RuleSuggester {
            after: after.max(1),
            seen: HashMap::new(),
        }
    }

    /// Records that a person changed the account of a line of `supplier` from the proposed one to
    /// `chosen`. Returns a rule suggestion exactly when this correction is the `after`-th identical
    /// one, so the suggestion is made once.
    pub fn record(
        &mut self,
        administration: &str,
        supplier: &Party,
        proposed: &str,
        chosen: &str,
    ) -> Option<Rule> {
        if proposed == chosen {
            return None;
        }
        let key = (
            administration.to_owned(),
            supplier.memory_key(),
            chosen.to_owned(),
        );
        let count = self.seen.entry(key).or_insert(0);
        *count += 1;
        (*count == self.after).then(|| {
            let condition = match supplier
                .id
                .as_deref()
                .or(supplier.vat.as_deref())
                .or(supplier.kvk.as_deref())
            {
                Some(id) => Condition::Identifier(id.to_owned()),
                None => Condition::Supplier(supplier.name.clone()),
            };
            Rule {
                name: format!("{} → {chosen}", supplier.name.trim()),
                conditions: vec![condition],
                actions: vec![Action::SetAccount(chosen.to_owned())],
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(description: &str, amount: i64) -> LineInput {
        LineInput {
            description: description.into(),
            amount: Decimal::from(amount),
            ..LineInput::default()
        }
    }

    #[test]
    fn glob_patterns() {
        let m = |p: &str, t: &str| {
            glob(
                &p.chars().collect::<Vec<_>>(),
                &t.chars().collect::<Vec<_>>(),
            )
        };
        assert!(m("huur*2024", "huur januari 2024"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "abbc"));
        assert!(m("*", ""));
        assert!(!m("x*", ""));
        assert!(m("**a**", "bab"));
    }

    #[test]
    fn first_rule_wins_per_field() {
        let party = Party {
            name: "KPN B.V.".into(),
            ..Party::default()
        };
        let rules = vec![
            Rule {
                name: "big".into(),
                conditions: vec![Condition::AmountRange {
                    min: Some(Decimal::from(1000)),
                    max: None,
                }],
                actions: vec![Action::NeverAutoPost],
            },
            Rule {
                name: "telecom".into(),
                conditions: vec![
                    Condition::Supplier("kpn bv".into()),
                    Condition::TextContains("MOBIEL".into()),
                ],
                actions: vec![
                    Action::SetAccount("4500".into()),
                    Action::SetCostCentre("ICT".into()),
                ],
            },
            Rule {
                name: "fallback".into(),
                conditions: vec![],
                actions: vec![Action::SetAccount("4999".into())],
            },
        ];
        let o = apply(&rules, &party, &line("Mobiel abonnement", 50));
        assert_eq!(o.account, Some(("4500".into(), "telecom".into())));
        assert_eq!(o.never_auto_post, None);
        let o = apply(&rules, &party, &line("vast", 5000));
        assert_eq!(o.account, Some(("4999".into(), "fallback".into())));
        assert_eq!(o.never_auto_post, Some("big".into()));
    }

    #[test]
    fn suggests_a_rule_after_repeated_corrections() {
        let party = Party {
            name: "Shell".into(),
            ..Party::default()
        };
        let mut s = RuleSuggester::new(3);
        assert_eq!(s.record("A", &party, "4000", "4010"), None);
        assert_eq!(s.record("A", &party, "4000", "4010"), None);
        let rule = s
            .record("A", &party, "4000", "4010")
            .expect("third correction suggests a rule");
        assert_eq!(rule.actions, vec![Action::SetAccount("4010".into())]);
        assert!(
            rule.conditions
                .iter()
                .all(|c| c.holds(&party, &LineInput::default()))
        );
        assert_eq!(
            s.record("A", &party, "4000", "4010"),
            None,
            "suggested once"
        );
    }
}

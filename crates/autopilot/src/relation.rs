//! Relation resolution: which creditor in the administration an invoice's supplier is.
//!
//! Identifiers are tried in a fixed order of trust (Peppol id, VAT, KvK, IBAN), the name last
//! and fuzzily. A supplier nobody knows becomes a proposed new relation, created without a
//! person only when its identifiers are valid and no existing relation claims them.

use crate::invoice::Party;
use crate::text;

/// A creditor or debtor as the administration's ledger has it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relation {
    /// The ledger's relation number.
    pub id: String,
    /// Name.
    pub name: String,
    /// Peppol participant id.
    pub peppol_id: Option<String>,
    /// VAT number.
    pub vat: Option<String>,
    /// KvK number.
    pub kvk: Option<String>,
    /// Known bank accounts.
    pub ibans: Vec<String>,
}

/// Which evidence matched.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MatchedBy {
    /// Peppol participant id.
    PeppolId,
    /// VAT number.
    Vat,
    /// KvK number.
    Kvk,
    /// IBAN.
    Iban,
    /// Name, with its similarity in [0, 1].
    Name(f64),
}

/// The outcome of resolving a supplier.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// One existing relation.
    Known {
        /// Its id.
        relation_id: String,
        /// What matched.
        by: MatchedBy,
        /// Probability that it is the right one.
        confidence: f64,
    },
    /// Several relations fit equally well; a person must choose.
    Ambiguous {
        /// Their ids.
        relation_ids: Vec<String>,
        /// What matched.
        by: MatchedBy,
    },
    /// No relation fits: a new one is proposed from the invoice's party data.
    New(NewRelation),
}

/// A relation to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRelation {
    /// The party data to create it from.
    pub party: Party,
    /// Whether it may be created without a person: its VAT or KvK number is valid, and every
    /// identifier it has is valid.
    pub auto_create: bool,
    /// Why (not).
    pub reason: String,
}

/// Names at least this similar count as the same supplier.
const NAME_MATCH: f64 = 0.85;

/// Upper-case without spaces, dots and dashes: the comparable form of an identifier.
pub fn compact(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// ISO 13616 check: country, check digits, and the mod-97 remainder of 1.
pub fn valid_iban(iban: &str) -> bool {
    let s = compact(iban);
    if !(15..=34).contains(&s.len())
        || !s
            .get(..2)
            .is_some_and(|c| c.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return false;
    }
    let (head, tail) = s.split_at(4);
    let mut rem: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let v = match c.to_digit(36) {
            Some(v) => v,
            None => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// Dutch KvK number: exactly 8 digits.
pub fn valid_kvk(kvk: &str) -> bool {
    let s = compact(kvk);
    s.len() == 8 && s.chars().all(|c| c.is_ascii_digit())
}

/// VAT number: a two-letter prefix and 2–13 alphanumerics; Dutch numbers (`NL` + 9 digits + `B` +
/// 2 digits) also pass the mod-97 check of the 2020 format or the 11-test of the older one.
pub fn valid_vat(vat: &str) -> bool {
    let s = compact(vat);
    let Some(prefix) = s.get(..2) else {
        return false;
    };
    if !prefix.chars().all(|c| c.is_ascii_alphabetic()) || !(4..=15).contains(&s.len()) {
        return false;
    }
    if prefix != "NL" {
        return true;
    }
    let body = &s[2..];
    if body.len() != 12 || body.as_bytes().get(9) != Some(&b'B') {
        return false;
    }
    let digits: Vec<u32> = body[..9].chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 9 || !body[10..].chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let eleven: u32 = digits
        .iter()
        .take(8)
        .enumerate()
        .map(|(i, d)| d * (9 - i as u32))
        .sum();
    let eleven_ok = eleven % 11 == digits[8];
    // Since 2020 sole traders have numbers that only pass ISO 7064 mod 97-10 over "NL" + body.
    let mut rem: u32 = 0;
    for c in s.chars() {
        let v = c.to_digit(36).unwrap_or(0);
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    eleven_ok || rem == 1
}

fn same(a: Option<&str>, b: Option<&str>) -> bool {
    match (a.map(compact), b.map(compact)) {
        (Some(a), Some(b)) => !a.is_empty() && a == b,
        _ => false,
    }
}

/// Resolves the supplier of an invoice against the administration's relations.
pub fn resolve(party: &Party, relations: &[Relation]) -> Resolution {
    type Test = fn(&Party, &Relation) -> bool;
    let tests: [(MatchedBy, Test); 4] = [
        (MatchedBy::PeppolId, |p, r| {
            same(p.peppol_id.as_deref(), r.peppol_id.as_deref())
        }),
        (MatchedBy::Vat, |p, r| {
            same(p.vat.as_deref(), r.vat.as_deref())
        }),
        (MatchedBy::Kvk, |p, r| {
            same(p.kvk.as_deref(), r.kvk.as_deref())
        }),
        (MatchedBy::Iban, |p, r| {
            r.ibans.iter().any(|i| same(p.iban.as_deref(), Some(i)))
        }),
    ];
    for (by, test) in tests {
        let hits: Vec<&Relation> = relations.iter().filter(|r| test(party, r)).collect();
        match hits.as_slice() {
            [] => continue,
            [one] => {
                // An IBAN may be a factoring company's; trust it a little less.
                let confidence = if by == MatchedBy::Iban { 0.97 } else { 0.999 };
                return Resolution::Known {
                    relation_id: one.id.clone(),
                    by,
                    confidence,
                };
            }
            many => {
                return Resolution::Ambiguous {
                    relation_ids: many.iter().map(|r| r.id.clone()).collect(),
                    by,
                };
            }
        }
    }
    let mut scored: Vec<(f64, &Relation)> = relations
        .iter()
        .map(|r| (text::name_similarity(&party.name, &r.name), r))
        .filter(|(s, _)| *s >= NAME_MATCH)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    match scored.as_slice() {
        [] => Resolution::New(new_relation(party, relations)),
        [(s, r)] => Resolution::Known {
            relation_id: r.id.clone(),
            by: MatchedBy::Name(*s),
            confidence: 0.5 + 0.45 * s,
        },
        [(s1, r1), (s2, _), ..] if s1 - s2 > 0.1 => Resolution::Known {
            relation_id: r1.id.clone(),
            by: MatchedBy::Name(*s1),
            confidence: 0.4 + 0.4 * s1,
        },
        [(s, _), ..] => Resolution::Ambiguous {
            relation_ids: scored.iter().map(|(_, r)| r.id.clone()).collect(),
            by: MatchedBy::Name(*s),
        },
    }
}

fn new_relation(party: &Party, relations: &[Relation]) -> NewRelation {
    let mut problems = Vec::new();
    let has_vat = party.vat.as_deref().is_some_and(|v| !v.trim().is_empty());
    let has_kvk = party.kvk.as_deref().is_some_and(|v| !v.trim().is_empty());
    type Check<'p> = (&'p Option<String>, &'static str, fn(&str) -> bool);
    let checks: [Check<'_>; 3] = [
        (&party.vat, "VAT number", valid_vat),
        (&party.kvk, "KvK number", valid_kvk),
        (&party.iban, "IBAN", valid_iban),
    ];
    for (value, what, valid) in checks {
        if let Some(v) = value
            .as_deref()
            .filter(|v| !v.trim().is_empty() && !valid(v))
        {
            problems.push(format!("{what} {v} is not valid"));
        }
    }
    if !has_vat && !has_kvk {
        problems.push("the invoice has neither a VAT nor a KvK number".to_owned());
    }
    if party.name.trim().is_empty() {
        problems.push("the supplier has no name".to_owned());
    }
    // Identifiers matched no relation above, so only the name can collide.
    if relations
        .iter()
        .any(|r| text::name_similarity(&r.name, &party.name) >= 0.7)
    {
        problems.push("a relation with a similar name exists".to_owned());
    }
    let auto_create = problems.is_empty();
    let reason = if auto_create {
        "new supplier with valid, unique identifiers".to_owned()
    } else {
        problems.join("; ")
    };
    NewRelation {
        party: party.clone(),
        auto_create,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(id: &str, name: &str) -> Relation {
        Relation {
            id: id.into(),
            name: name.into(),
            ..Relation::default()
        }
    }

    #[test]
    fn checks_identifiers() {
        assert!(valid_iban("NL91 ABNA 0417 1643 00"));
        assert!(!valid_iban("NL91 ABNA 0417 1643 01"));
        assert!(!valid_iban("ÿÿ"));
        assert!(valid_kvk("12345678"));
        assert!(!valid_kvk("1234567"));
        assert!(valid_vat("NL000099998B57"));
        assert!(!valid_vat("NL000099998B5"));
        assert!(valid_vat("DE123456789"));
        assert!(!valid_vat("123"));
    }

    #[test]
    fn identifiers_win_over_names_in_order() {
        let mut a = rel("1", "Acme");
        a.kvk = Some("12345678".into());
        let mut b = rel("2", "Other");
        b.vat = Some("NL000099998B57".into());
        let party = Party {
            name: "Acme".into(),
            kvk: Some("12345678".into()),
            vat: Some("nl 0000.99998.b57".into()),
            ..Party::default()
        };
        let r = resolve(&party, &[a, b]);
        assert!(
            matches!(r, Resolution::Known { ref relation_id, by: MatchedBy::Vat, .. } if relation_id == "2"),
            "{r:?}"
        );
    }

    #[test]
    fn fuzzy_name_and_new_relation() {
        let rels = [
            rel("1", "Bakkerij de Vries B.V."),
            rel("2", "Garage Jansen"),
        ];
        let r = resolve(
            &Party {
                name: "BAKKERIJ DE VRIES".into(),
                ..Party::default()
            },
            &rels,
        );
        assert!(
            matches!(
                r,
                Resolution::Known {
                    by: MatchedBy::Name(_),
                    ..
                }
            ),
            "{r:?}"
        );
        let valid = Party {
            name: "Nieuw BV".into(),
            kvk: Some("12345678".into()),
            ..Party::default()
        };
        let Resolution::New(n) = resolve(&valid, &rels) else {
            panic!("expected new")
        };
        assert!(n.auto_create, "{}", n.reason);
        let invalid = Party {
            name: "Nieuw BV".into(),
            kvk: Some("123".into()),
            ..Party::default()
        };
        let Resolution::New(n) = resolve(&invalid, &rels) else {
            panic!("expected new")
        };
        assert!(!n.auto_create);
    }

    #[test]
    fn shared_iban_is_ambiguous() {
        let mut a = rel("1", "A");
        a.ibans = vec!["NL91ABNA0417164300".into()];
        let mut b = rel("2", "B");
        b.ibans = vec!["NL91 ABNA 0417 1643 00".into()];
        let r = resolve(
            &Party {
                name: "C".into(),
                iban: Some("NL91ABNA0417164300".into()),
                ..Party::default()
            },
            &[a, b],
        );
        assert!(matches!(r, Resolution::Ambiguous { .. }), "{r:?}");
    }
}

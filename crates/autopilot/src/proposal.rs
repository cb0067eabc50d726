//! The posting proposal: the relation, and per line the account, VAT code and cost centre, each
//! with a confidence and an explanation, plus the decision to post or to ask a person.

use std::fmt;

use rust_decimal::Decimal;

use crate::chart::{Account, Chart};
use crate::cost_centre::CentreEvidence;
use crate::engine::{Autopilot, LinePrediction};
use crate::guard::Alert;
use crate::invoice::InvoiceInput;
use crate::relation::{self, MatchedBy, Relation, Resolution};
use crate::rule::{self, Rule};
use crate::vat::{VatCodeTable, VatDerivation};

/// An administration's Autopilot settings.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Whether anything may be posted automatically at all.
    pub auto_post: bool,
    /// The relation must be resolved at least this surely (an identifier match, not a name).
    pub min_relation_confidence: f64,
    /// Where the administration books cost centres, a learned one must be at least this sure
    /// (0.95: nineteen earlier lines alike) for the invoice to be posted automatically.
    pub min_cost_centre_confidence: f64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            auto_post: true,
            min_relation_confidence: 0.99,
            min_cost_centre_confidence: 0.95,
        }
    }
}

/// What the engine needs to know about the administration an invoice is for.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The administration's name, as in the history.
    pub administration: &'a str,
    /// Its creditors.
    pub relations: &'a [Relation],
    /// Its chart of accounts; empty means "accept any account the history names".
    pub chart: &'a Chart,
    /// Its VAT codes.
    pub vat_codes: &'a VatCodeTable,
    /// Its rules, in order.
    pub rules: &'a [Rule],
    /// Its policy.
    pub policy: &'a Policy,
}

/// Why a field has its value.
#[derive(Debug, Clone, PartialEq)]
pub enum Explanation {
    /// A rule set it.
    Rule(String),
    /// The supplier's earlier postings in this administration.
    History {
        /// How many earlier lines of this supplier there are.
        supplier_lines: u32,
        /// The share of them that went to this value.
        share: f64,
        /// Whether an identical description or item was posted before.
        exact_match: bool,
    },
    /// Other administrations of the firm posted this supplier there.
    Firm,
    /// Lines with similar words went there.
    Words,
    /// The VAT code table gave it.
    VatTable(String),
    /// Earlier lines on the same account were booked there.
    CostCentre(CentreEvidence),
    /// Nothing could be proposed.
    Nothing(String),
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Explanation::Rule(name) => write!(f, "rule \"{name}\""),
            Explanation::History {
                supplier_lines,
                share,
                exact_match,
            } => {
                write!(
                    f,
                    "{:.0}% of {supplier_lines} earlier lines of this supplier",
                    share * 100.0
                )?;
                if *exact_match {
                    write!(f, "; the same description or item was posted before")?;
                }
                Ok(())
            }
            Explanation::Firm => write!(
                f,
                "other administrations of the firm post this supplier here"
            ),
            Explanation::Words => write!(f, "lines with similar supplier names and descriptions"),
            Explanation::VatTable(because) => write!(f, "VAT table: {because}"),
            Explanation::CostCentre(evidence) => write!(f, "{evidence}"),
            Explanation::Nothing(why) => write!(f, "no proposal: {why}"),
        }
    }
}

/// One proposed field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The proposed value, if any.
    pub value: Option<String>,
    /// Probability that it is right: 1 for rules and the VAT table.
    pub confidence: f64,
    /// Runners-up with their probability.
    pub alternatives: Vec<(String, f64)>,
    /// Why.
    pub explanation: Explanation,
}

impl Field {
    fn certain(value: String, explanation: Explanation) -> Field {
        Field {
            value: Some(value),
            confidence: 1.0,
            alternatives: Vec::new(),
            explanation,
        }
    }
    fn none(why: String) -> Field {
        Field {
            value: None,
            confidence: 0.0,
            alternatives: Vec::new(),
            explanation: Explanation::Nothing(why),
        }
    }
}

/// The proposal for one line.
#[derive(Debug, Clone, PartialEq)]
pub struct LineProposal {
    /// GL account.
    pub account: Field,
    /// VAT code.
    pub vat_code: Field,
    /// Cost centre, when a rule sets one or earlier lines on the account had one.
    pub cost_centre: Option<Field>,
    /// Split over accounts by percentage, when a rule says so.
    pub split: Option<Vec<(String, Decimal)>>,
}

/// Post automatically, or ask a person and say why.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Every field is certain enough and nothing is suspicious.
    AutoPost,
    /// A person must review; the reasons, each readable on its own.
    Review(Vec<String>),
}

/// The proposal for an invoice.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// Who the supplier is in the ledger, or the relation to create.
    pub relation: Resolution,
    /// Per invoice line.
    pub lines: Vec<LineProposal>,
    /// Guards that fired.
    pub alerts: Vec<Alert>,
    /// The decision.
    pub decision: Decision,
}

fn account_field(prediction: &LinePrediction, chart: &Chart) -> Field {
    // Keep the model's order but only accounts this chart has (mapped by RGS or name when the
    // account comes from another administration).
    let mut mapped: Vec<(String, f64)> = Vec::new();
    for (label, p) in &prediction.ranked {
        let code = if chart.accounts.is_empty() {
            Some(label.clone())
        } else {
            let foreign = Account {
                code: label.clone(),
                name: label.clone(),
                rgs: None,
            };
            chart.map(&foreign).map(|(a, _)| a.code.clone())
        };
        if let Some(code) = code.filter(|c| !mapped.iter().any(|(m, _)| m == c)) {
            mapped.push((code, *p));
        }
    }
    let Some((value, _)) = mapped.first().cloned() else {
        return Field::none("no earlier postings of this supplier or of similar lines".to_owned());
    };
    let explanation = if prediction.from_firm {
        Explanation::Firm
    } else if prediction.supplier_lines > 0 {
        Explanation::History {
            supplier_lines: prediction.supplier_lines,
            share: prediction.supplier_share,
            exact_match: prediction.exact_match,
        }
    } else {
        Explanation::Words
    };
    Field {
        value: Some(value),
        confidence: prediction.confidence,
        alternatives: mapped.split_off(1),
        explanation,
    }
}

impl Autopilot {
    /// Proposes the posting of an invoice in an administration.
    pub fn propose(&self, ctx: &Context<'_>, invoice: &InvoiceInput) -> Proposal {
        let relation = relation::resolve(&invoice.supplier, ctx.relations);
        let mut reasons = Vec::new();
        let mut party = invoice.supplier.clone();
        match &relation {
            // The hub learns postings under the relation id, so the memory key is that id.
            Resolution::Known {
                relation_id,
                confidence,
                by,
            } => {
                party.id = Some(relation_id.clone());
                if *confidence < ctx.policy.min_relation_confidence {
                    let how = if matches!(by, MatchedBy::Name(_)) {
                        "by name only"
                    } else {
                        "not surely"
                    };
                    reasons.push(format!("the relation was recognised {how}"));
                }
            }
            Resolution::Ambiguous { relation_ids, .. } => {
                reasons.push(format!(
                    "the supplier fits {} relations",
                    relation_ids.len()
                ));
            }
            Resolution::New(new) => reasons.push(format!("new relation: {}", new.reason)),
        }
        if !ctx.policy.auto_post {
            reasons.push("auto-posting is off for this administration".to_owned());
        }
        if invoice.lines.is_empty() {
            reasons.push("the invoice has no lines".to_owned());
        }

        let mut alerts: Vec<Alert> = Vec::new();
        let mut lines = Vec::with_capacity(invoice.lines.len());
        for (i, line) in invoice.lines.iter().enumerate() {
            let n = i + 1;
            let rules = rule::apply(ctx.rules, &invoice.supplier, line);
            let prediction = self.predict_line(ctx.administration, invoice.date, &party, line);
            for alert in &prediction.alerts {
                if !alerts.contains(alert) {
                    alerts.push(alert.clone());
                }
            }
            let mut split = None;
            let account = if let Some((parts, name)) = rules.split {
                if parts.iter().map(|(_, p)| *p).sum::<Decimal>() != Decimal::ONE_HUNDRED {
                    alerts.push(Alert::BadSplit { rule: name.clone() });
                }
                let first = parts.first().map(|(a, _)| a.clone()).unwrap_or_default();
                split = Some(parts);
                Field::certain(first, Explanation::Rule(name))
            } else if let Some((account, name)) = rules.account {
                Field::certain(account, Explanation::Rule(name))
            } else {
                let field = account_field(&prediction, ctx.chart);
                if field.value.is_none() {
                    reasons.push(format!("line {n}: no account"));
                } else if !prediction.above_threshold {
                    reasons.push(format!(
                        "line {n}: account confidence {:.2} is below this administration's threshold{}",
                        field.confidence,
                        self.threshold(ctx.administration).map_or(" (none yet)".to_owned(), |t| format!(" {t:.2}"))
                    ));
                }
                field
            };
            let vat_code = match rules.vat_code {
                Some((code, name)) => Field::certain(code, Explanation::Rule(name)),
                None => match ctx
                    .vat_codes
                    .derive(line.vat.as_ref(), invoice.supplier.country.as_deref())
                {
                    VatDerivation::Derived { code, because } => {
                        Field::certain(code, Explanation::VatTable(because))
                    }
                    VatDerivation::Unknown { reason } => {
                        alerts.push(Alert::UnknownVat {
                            line: n,
                            reason: reason.clone(),
                        });
                        Field::none(reason)
                    }
                },
            };
            let cost_centre = match rules.cost_centre {
                Some((c, name)) => Some(Field::certain(c, Explanation::Rule(name))),
                None => account
                    .value
                    .as_deref()
                    .and_then(|a| self.cost_centre(ctx.administration, &party, a))
                    .and_then(|evidence| {
                        let confidence = evidence.confidence();
                        if confidence < ctx.policy.min_cost_centre_confidence {
                            reasons.push(format!("line {n}: cost centre uncertain: {evidence}"));
                        }
                        let centre = evidence.centre.clone()?;
                        Some(Field {
                            value: Some(centre),
                            confidence,
                            alternatives: Vec::new(),
                            explanation: Explanation::CostCentre(evidence),
                        })
                    }),
            };
            if let Some(name) = rules.never_auto_post {
                reasons.push(format!("rule \"{name}\" never posts automatically"));
            }
            lines.push(LineProposal {
                account,
                vat_code,
                cost_centre,
                split,
            });
        }
        reasons.extend(alerts.iter().map(ToString::to_string));
        let decision = if reasons.is_empty() {
            Decision::AutoPost
        } else {
            Decision::Review(reasons)
        };
        Proposal {
            relation,
            lines,
            alerts,
            decision,
        }
    }
}

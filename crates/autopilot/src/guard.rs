//! Guards: situations in which no confidence is enough to post without a person, because the
//! cost of a wrong automatic posting there is a payment to a fraudster or a wrong VAT return.

use rust_decimal::Decimal;

use crate::invoice::{LineInput, Party};
use crate::memory::{self, SupplierMemory};
use crate::relation::compact;

/// Something a person must look at; it blocks auto-posting of the whole invoice.
#[derive(Debug, Clone, PartialEq)]
pub enum Alert {
    /// The invoice asks for payment to another bank account than this supplier used before.
    IbanChanged {
        /// The IBAN on earlier invoices.
        before: String,
        /// The IBAN on this invoice.
        now: String,
    },
    /// The supplier's VAT number differs from earlier invoices.
    VatNumberChanged {
        /// The VAT number on earlier invoices.
        before: String,
        /// The VAT number on this invoice.
        now: String,
    },
    /// A line amount is far outside what this supplier usually charges.
    AmountOutsideRange {
        /// The line amount.
        amount: Decimal,
        /// The supplier's typical amount (geometric mean of earlier lines).
        typical: Decimal,
    },
    /// No earlier invoice of this supplier in this administration.
    FirstInvoice,
    /// The VAT code cannot be derived from the invoice's VAT data.
    UnknownVat {
        /// Line number, from 1.
        line: usize,
        /// Why.
        reason: String,
    },
    /// A rule's split percentages do not add up to 100.
    BadSplit {
        /// The rule's name.
        rule: String,
    },
}

impl std::fmt::Display for Alert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Alert::IbanChanged { before, now } => {
                write!(f, "bank account changed from {before} to {now}")
            }
            Alert::VatNumberChanged { before, now } => {
                write!(f, "VAT number changed from {before} to {now}")
            }
            Alert::AmountOutsideRange { amount, typical } => {
                write!(
                    f,
                    "amount {amount} is far from this supplier's usual {typical}"
                )
            }
            Alert::FirstInvoice => write!(f, "first invoice of this supplier"),
            Alert::UnknownVat { line, reason } => {
                write!(f, "line {line}: VAT code unknown: {reason}")
            }
            Alert::BadSplit { rule } => write!(f, "rule {rule}: split does not add up to 100%"),
        }
    }
}

/// An amount this many times larger or smaller than usual is an outlier, whatever the spread.
const OUTLIER_FACTOR_LN: f64 = 2.303; // ln 10
/// … and it must also lie this many standard deviations from the mean.
const OUTLIER_SIGMAS: f64 = 4.0;

/// The supplier-level guards: first invoice, IBAN and VAT number changes.
pub fn check_supplier(known: Option<&SupplierMemory>, party: &Party) -> Vec<Alert> {
    let Some(known) = known.filter(|k| k.accounts.total() > 0) else {
        return vec![Alert::FirstInvoice];
    };
    let mut alerts = Vec::new();
    let changed =
        |before: &Option<String>, now: &Option<String>| match (before, now.as_deref().map(compact))
        {
            (Some(b), Some(n)) if !n.is_empty() && *b != n => Some((b.clone(), n)),
            _ => None,
        };
    if let Some((before, now)) = changed(&known.iban, &party.iban) {
        alerts.push(Alert::IbanChanged { before, now });
    }
    if let Some((before, now)) = changed(&known.vat, &party.vat) {
        alerts.push(Alert::VatNumberChanged { before, now });
    }
    alerts
}

/// The line-level guard: an amount far outside the supplier's usual range.
pub fn check_amount(known: Option<&SupplierMemory>, line: &LineInput) -> Option<Alert> {
    let (mean, sd) = known?.amount_spread()?;
    let la = f64::from(memory::log_amount(line.amount).abs());
    let deviation = (la - mean).abs();
    if deviation > OUTLIER_FACTOR_LN && deviation > OUTLIER_SIGMAS * sd {
        let typical = Decimal::from_f64_retain(mean.exp_m1())
            .unwrap_or_default()
            .round_dp(2);
        return Some(Alert::AmountOutsideRange {
            amount: line.amount,
            typical,
        });
    }
    None
}

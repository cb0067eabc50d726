//! Allowances and charges on document and line level (PEPPOL-EN16931-R040..R043).
//!
//! Price-level allowances are not in the model (only their amount is, as BT-147), so their
//! rules (R043 in CII, R044 and R046 in UBL) live in the tree pass.

use einvoice::{Amount, Pos, Text};
use rust_decimal::Decimal;

use super::text::normalize;
use crate::Check;

/// The parts of an allowance or charge these rules read, at either level.
struct Parts<'a> {
    at: Pos,
    indicator: Option<&'a Text>,
    amount: Option<&'a Amount>,
    base: Option<&'a Amount>,
    percentage: Option<&'a Text>,
}

pub fn check(cx: &mut Check<'_, '_>) {
    let inv = cx.invoice;
    let document = inv.allowances_charges.iter().map(|a| Parts {
        at: a.at,
        indicator: a.charge_indicator.as_ref(),
        amount: a.amount.as_ref(),
        base: a.base_amount.as_ref(),
        percentage: a.percentage.as_ref(),
    });
    let lines = inv
        .lines
        .iter()
        .flat_map(|l| &l.allowances_charges)
        .map(|a| Parts {
            at: a.at,
            indicator: a.charge_indicator.as_ref(),
            amount: a.amount.as_ref(),
            base: a.base_amount.as_ref(),
            percentage: a.percentage.as_ref(),
        });
    for ac in document.chain(lines) {
        judge(cx, &ac);
    }
}

fn judge(cx: &mut Check<'_, '_>, ac: &Parts<'_>) {
    // The official rules give R041 and R042 their own contexts ahead of the general one, so an
    // allowance that fires either of them is not judged by R040 and R043 at all.
    match (ac.percentage, ac.base) {
        (Some(_), None) => return cx.fail("PEPPOL-EN16931-R041", ac.at),
        (None, Some(_)) => return cx.fail("PEPPOL-EN16931-R042", ac.at),
        (Some(pct), Some(base)) => {
            // All three terms are cast with `xs:decimal`: one that is no decimal stops the
            // official run (the document is rejected), so the rule fires.
            let amount = match ac.amount {
                Some(a) => a.value.decimal(),
                None => Some(Decimal::ZERO),
            };
            let expected = pct
                .decimal()
                .zip(base.value.decimal())
                .and_then(|(pct, base)| base.checked_mul(pct)?.checked_div(Decimal::ONE_HUNDRED));
            let holds = matches!((amount, expected), (Some(a), Some(e)) if within_slack(a, e));
            if !holds {
                cx.fail("PEPPOL-EN16931-R040", ac.at);
            }
        }
        (None, None) => {}
    }
    let indicator = normalize(ac.indicator.map_or("", |t| t.value.as_str()));
    if indicator != "true" && indicator != "false" {
        cx.fail("PEPPOL-EN16931-R043", ac.at);
    }
}

/// The official `u:slack(exp, val, 0.02)`: `val` lies within 0.02 of `exp`.
pub(crate) fn within_slack(exp: Decimal, val: Decimal) -> bool {
    let slack = Decimal::new(2, 2);
    exp + slack >= val && exp - slack <= val
}

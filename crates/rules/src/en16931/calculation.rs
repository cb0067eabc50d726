//! BR-CO: the calculation and consistency rules.
//!
//! BR-CO-05..08 (a reason code and its reason text must agree) are `true()` in both
//! official bindings: no code list ties the two together, so they never fire and have no
//! code here. BR-CO-03, -04, -19..-24 and -26 sit with the terms they test in `core`.

use std::collections::HashMap;

use einvoice::{Amount, Invoice, Pos, Text, Totals};
use rust_decimal::Decimal;

use super::num::{self, Bad};
use crate::Check;
use crate::codelists::{BR_CL_14_CII, BR_CL_14_UBL, contains};

pub(super) fn check(cx: &mut Check<'_, '_>) {
    let inv = cx.invoice;
    vat_identifiers(cx, inv);
    if let Some(t) = &inv.totals {
        document_totals(cx, inv, t);
    }
    vat_total(cx, inv);
    amount_with_vat(cx, inv);
    breakdown_amounts(cx, inv);
    if cx.syntax().is_ubl() {
        if inv.vat_breakdown.is_empty() {
            cx.fail("BR-CO-18", inv.at);
        }
    } else if inv.vat_breakdown.is_empty() {
        // CII tests BR-CO-18 from every line.
        for line in &inv.lines {
            cx.fail("BR-CO-18", line.at);
        }
    }
}

/// Fires `id` at `at` unless the test held; a cast error counts as not holding.
fn rule(cx: &mut Check<'_, '_>, id: &'static str, held: Result<bool, Bad>, at: Pos) {
    if held != Ok(true) {
        cx.fail(id, at);
    }
}

/// BR-CO-09: a VAT identifier starts with an ISO 3166 country code (or `EL`).
fn vat_identifiers(cx: &mut Check<'_, '_>, inv: &Invoice) {
    let ids = [
        inv.seller.as_ref().and_then(|s| s.vat_id.as_ref()),
        inv.buyer.as_ref().and_then(|b| b.vat_id.as_ref()),
        inv.tax_representative
            .as_ref()
            .and_then(|r| r.vat_id.as_ref()),
    ];
    let ubl = cx.syntax().is_ubl();
    for id in ids.into_iter().flatten() {
        let ok = if ubl {
            ubl_country_prefix(&id.value)
        } else {
            let prefix: String = id.value.chars().take(2).collect();
            is_vat_country(&BR_CL_14_CII, &prefix)
        };
        if !ok {
            cx.fail("BR-CO-09", id.at);
        }
    }
}

fn is_vat_country(list: &[&str], code: &str) -> bool {
    code == "EL" || contains(list, code)
}

/// The UBL binding of BR-CO-09 looks the first two characters up in the space-separated
/// list without padding them with spaces, so any two characters found anywhere in that
/// string pass: a code, a code's last letter and a space, a space and a code's first letter,
/// a single character of the list, or nothing at all.
fn ubl_country_prefix(value: &str) -> bool {
    let mut chars = value.chars();
    let codes = BR_CL_14_UBL.iter().copied().chain(["EL"]);
    match (chars.next(), chars.next()) {
        (None, _) => true,
        (Some(' '), None) => true,
        (Some(a), None) => codes.clone().any(|c| c.contains(a)),
        (Some(' '), Some(b)) => codes.clone().any(|c| c.starts_with(b)),
        (Some(a), Some(' ')) => codes.clone().any(|c| c.ends_with(a)),
        (Some(a), Some(b)) => is_vat_country(&BR_CL_14_UBL, &String::from_iter([a, b])),
    }
}

fn value(a: Option<&Amount>) -> Result<Option<Decimal>, Bad> {
    num::amount(a)
}

/// BR-CO-10..13 and BR-CO-16 in the context of the document totals.
fn document_totals(cx: &mut Check<'_, '_>, inv: &Invoice, t: &Totals) {
    let ubl = cx.syntax().is_ubl();

    // BR-CO-10: sum of line net amounts, rounded half up to two decimals.
    let lines = num::sum(
        inv.lines
            .iter()
            .map(|l| l.net_amount.as_ref().map(|a| &a.value)),
    );
    let held: Result<bool, Bad> =
        (|| Ok(value(t.line_net_total.as_ref())? == Some(num::round2(lines?)?)))();
    rule(cx, "BR-CO-10", held, t.at);

    // BR-CO-11/12: every document level allowance (charge) is summed; a total is required
    // exactly when there is one.
    for (charge, id, total) in [
        (false, "BR-CO-11", t.allowance_total.as_ref()),
        (true, "BR-CO-12", t.charge_total.as_ref()),
    ] {
        let amounts: Vec<Option<&Text>> = inv
            .allowances_charges
            .iter()
            .filter(|ac| ac.is_charge() == Some(charge))
            .map(|ac| ac.amount.as_ref().map(|a| &a.value))
            .collect();
        let held = match total {
            None => Ok(amounts.is_empty()),
            Some(total) if ubl => {
                (|| Ok(num::of(&total.value)? == num::round2(num::sum(amounts)?)?))()
            }
            Some(total) => num::equals_double_sum(&total.value, amounts),
        };
        rule(cx, id, held, t.at);
    }

    // BR-CO-13: without VAT = lines - allowances + charges, rounded. With neither
    // allowances nor charges UBL compares unrounded, CII still rounds.
    let held: Result<bool, Bad> = (|| {
        let Some(lines) = value(t.line_net_total.as_ref())? else {
            return Ok(false);
        };
        let allowances = value(t.allowance_total.as_ref())?;
        let charges = value(t.charge_total.as_ref())?;
        let raw = num::sub(
            num::add(lines, charges.unwrap_or_default())?,
            allowances.unwrap_or_default(),
        )?;
        let expected = if ubl && allowances.is_none() && charges.is_none() {
            raw
        } else {
            num::round2(raw)?
        };
        Ok(value(t.tax_exclusive.as_ref())? == Some(expected))
    })();
    rule(cx, "BR-CO-13", held, t.at);

    // BR-CO-16: amount due = with VAT - paid + rounding. UBL rounds both sides to two
    // decimals; CII compares exactly.
    let held: Result<bool, Bad> = (|| {
        let (Some(due), Some(with_vat)) =
            (value(t.payable.as_ref())?, value(t.tax_inclusive.as_ref())?)
        else {
            return Ok(false);
        };
        let paid = value(t.prepaid.as_ref())?;
        let rounding = value(t.rounding.as_ref())?;
        if !ubl {
            let expected = num::add(
                num::sub(with_vat, paid.unwrap_or_default())?,
                rounding.unwrap_or_default(),
            )?;
            return Ok(due == expected);
        }
        let left = match rounding {
            Some(r) => num::round2(num::sub(due, r)?)?,
            None => due,
        };
        let right = match paid {
            Some(p) => num::round2(num::sub(with_vat, p)?)?,
            None => with_vat,
        };
        Ok(left == right)
    })();
    rule(cx, "BR-CO-16", held, t.at);
}

/// BR-CO-14: the invoice total VAT amount is the rounded sum of the VAT category amounts.
///
/// UBL tests each `cac:TaxTotal` that has subtotals against its own subtotals; CII tests
/// each VAT total in the invoice currency against all VAT breakdowns.
fn vat_total(cx: &mut Check<'_, '_>, inv: &Invoice) {
    let tax_amounts = || {
        inv.vat_breakdown
            .iter()
            .map(|b| b.tax_amount.as_ref().map(|a| &a.value))
    };
    if !cx.syntax().is_ubl() {
        let currency = inv.currency.as_ref().map(|c| c.value.as_str());
        for total in &inv.vat_totals {
            if currency.is_some() && total.currency.as_ref().map(|c| c.value.as_str()) == currency {
                let held = num::equals_double_sum(&total.value, tax_amounts());
                rule(cx, "BR-CO-14", held, total.value.at);
            }
        }
        return;
    }
    // The model keeps VAT totals and breakdowns apart; the tree says which TaxTotal holds
    // which subtotals.
    let parent = |at: Pos| -> Pos {
        einvoice::xml::node_at(cx.doc(), at)
            .and_then(|n| n.parent())
            .map_or(Pos::NONE, einvoice::xml::pos)
    };
    let mut groups: HashMap<Pos, Result<Decimal, Bad>> = HashMap::new();
    for b in &inv.vat_breakdown {
        let sum = groups.entry(parent(b.at)).or_insert(Ok(Decimal::ZERO));
        if let (Ok(acc), Some(a)) = (*sum, b.tax_amount.as_ref()) {
            *sum = num::of(&a.value).and_then(|v| num::add(acc, v));
        }
    }
    let mut failures = Vec::new();
    for total in &inv.vat_totals {
        let holder = parent(total.value.at);
        if let Some(sum) = groups.remove(&holder) {
            let held: Result<bool, Bad> = (|| Ok(num::of(&total.value)? == num::round2(sum?)?))();
            if held != Ok(true) {
                failures.push(holder);
            }
        }
    }
    // Subtotals whose TaxTotal has no TaxAmount.
    failures.extend(groups.into_keys());
    failures.sort();
    for at in failures {
        cx.fail("BR-CO-14", if at.is_some() { at } else { inv.at });
    }
}

/// BR-CO-15: with VAT = without VAT + the VAT total in the invoice currency, which must be
/// given exactly once. CII also accepts a total with VAT equal to the total without.
fn amount_with_vat(cx: &mut Check<'_, '_>, inv: &Invoice) {
    let Some(currency) = &inv.currency else {
        return;
    };
    let ubl = cx.syntax().is_ubl();
    let in_currency: Vec<&Text> = inv
        .vat_totals
        .iter()
        .filter(|a| {
            a.currency
                .as_ref()
                .is_some_and(|c| c.value == currency.value)
        })
        .map(|a| &a.value)
        .collect();
    let totals = inv.totals.as_ref();
    let held: Result<bool, Bad> = (|| {
        let with_vat = value(totals.and_then(|t| t.tax_inclusive.as_ref()))?;
        let without = value(totals.and_then(|t| t.tax_exclusive.as_ref()))?;
        let (Some(with_vat), Some(without)) = (with_vat, without) else {
            return Ok(false);
        };
        if !ubl && with_vat == without {
            return Ok(true);
        }
        match in_currency.as_slice() {
            [vat] => Ok(with_vat == num::round2(num::add(without, num::of(vat)?)?)?),
            _ => Ok(false),
        }
    })();
    rule(cx, "BR-CO-15", held, inv.at);
}

/// BR-CO-17: each VAT category tax amount is the taxable amount times the rate, within one
/// unit. A rate that rounds to zero (XPath `round`) requires an amount that rounds to zero.
/// UBL's bounds are strict, CII's inclusive.
fn breakdown_amounts(cx: &mut Check<'_, '_>, inv: &Invoice) {
    let ubl = cx.syntax().is_ubl();
    let tested = super::tested_breakdowns(cx, inv);
    for b in tested {
        // CII reads the rate only under a VAT type code; without one the breakdown is judged
        // as if it had no rate.
        let typed = super::vat_typed(cx, b.at, true);
        let held: Result<bool, Bad> = (|| {
            let rate = if typed {
                num::opt(b.rate.as_ref())?
            } else {
                None
            };
            let Some(tax) = value(b.tax_amount.as_ref())? else {
                return Ok(false);
            };
            match rate {
                Some(rate) if !num::round(rate)?.is_zero() => {
                    let Some(base) = value(b.taxable_amount.as_ref())? else {
                        return Ok(false);
                    };
                    let expected = num::vat_of(base, rate)?;
                    let low = num::sub(tax.abs(), Decimal::ONE)?;
                    let high = num::add(tax.abs(), Decimal::ONE)?;
                    Ok(if ubl {
                        low < expected && expected < high
                    } else {
                        low <= expected && expected <= high
                    })
                }
                _ => Ok(num::round(tax)?.is_zero()),
            }
        })();
        rule(cx, "BR-CO-17", held, b.at);
    }
}

//! BR-DEC: amounts carry at most two fraction digits.
//!
//! The official test is `string-length(substring-after(x, '.')) <= 2` on the text as
//! written, so `1.500` fails and `1.5` passes; [`Text::fraction_digits`] counts the same way.

use einvoice::{Amount, Invoice, Text};
use rust_decimal::Decimal;

use super::{kind, num};
use crate::Check;

pub(super) fn check(cx: &mut Check<'_, '_>) {
    let inv = cx.invoice;
    let syntax = cx.syntax();
    for ac in &inv.allowances_charges {
        let [amount, base] = match kind(syntax, ac.charge_indicator.as_ref()) {
            Some(false) => ["BR-DEC-01", "BR-DEC-02"],
            Some(true) => ["BR-DEC-05", "BR-DEC-06"],
            None => continue,
        };
        two_digits(cx, amount, ac.amount.as_ref());
        two_digits(cx, base, ac.base_amount.as_ref());
    }
    if let Some(t) = &inv.totals {
        for (id, amount) in [
            ("BR-DEC-09", &t.line_net_total),
            ("BR-DEC-10", &t.allowance_total),
            ("BR-DEC-11", &t.charge_total),
            ("BR-DEC-12", &t.tax_exclusive),
            ("BR-DEC-14", &t.tax_inclusive),
            ("BR-DEC-16", &t.prepaid),
            ("BR-DEC-17", &t.rounding),
            ("BR-DEC-18", &t.payable),
        ] {
            two_digits(cx, id, amount.as_ref());
        }
        if !syntax.is_ubl() {
            vat_totals(cx, inv, t.at);
        }
    }
    // UBL's BR-DEC-13 and BR-DEC-15 select `//cac:TaxTotal/cbc:TaxAmount[@currencyID =
    // cbc:DocumentCurrencyCode]`, a child of TaxAmount that never exists, so they hold for
    // every document; we mirror that by not testing them for UBL.
    let tested = super::tested_breakdowns(cx, inv);
    for b in tested {
        two_digits(cx, "BR-DEC-19", b.taxable_amount.as_ref());
        two_digits(cx, "BR-DEC-20", b.tax_amount.as_ref());
    }
    for line in &inv.lines {
        two_digits(cx, "BR-DEC-23", line.net_amount.as_ref());
        for ac in &line.allowances_charges {
            let [amount, base] = match kind(syntax, ac.charge_indicator.as_ref()) {
                Some(false) => ["BR-DEC-24", "BR-DEC-25"],
                Some(true) => ["BR-DEC-27", "BR-DEC-28"],
                None => continue,
            };
            two_digits(cx, amount, ac.amount.as_ref());
            two_digits(cx, base, ac.base_amount.as_ref());
        }
    }
}

fn two_digits(cx: &mut Check<'_, '_>, id: &'static str, amount: Option<&Amount>) {
    if let Some(a) = amount
        && a.value.fraction_digits() > 2
    {
        cx.fail(id, a.value.at);
    }
}

/// CII's BR-DEC-13 (VAT total in the invoice currency) and BR-DEC-15 (in the VAT accounting
/// currency) compare the value with itself rounded to two decimals, and hold as soon as one
/// VAT total qualifies: one in another currency passes BR-DEC-13, and BR-DEC-15 passes any
/// document without a VAT accounting currency.
fn vat_totals(cx: &mut Check<'_, '_>, inv: &Invoice, at: einvoice::Pos) {
    if inv.vat_totals.is_empty() {
        return;
    }
    let currency_is = |a: &Amount, c: Option<&Text>| matches!((&a.currency, c), (Some(x), Some(y)) if x.value == y.value);
    let invoice = inv.currency.as_ref();
    let dec13 = inv.vat_totals.iter().any(|a| {
        if currency_is(a, invoice) {
            at_most_cents(&a.value)
        } else {
            true
        }
    });
    if !dec13 {
        cx.fail("BR-DEC-13", at);
    }
    let tax = inv.vat_currency.as_ref();
    let dec15 = tax.is_none()
        || inv
            .vat_totals
            .iter()
            .any(|a| currency_is(a, tax) && at_most_cents(&a.value));
    if !dec15 {
        cx.fail("BR-DEC-15", at);
    }
}

/// `. = round(. * 100) div 100`; a value that is not a number fails.
fn at_most_cents(t: &Text) -> bool {
    num::of(t).is_ok_and(|d: Decimal| num::round2(d) == Ok(d))
}

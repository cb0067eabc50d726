//! Invoice line rules: line periods inside the invoice period, line net amount arithmetic,
//! price base quantity (PEPPOL-EN16931-R110, R111, R120, R121, R130).
//!
//! R121 and R130 of CII also cover the gross price, which the model does not carry, so for
//! CII they live in the tree pass.

use einvoice::xml::Node;
use einvoice::{Line, NS_RAM, NS_UDT, Period, Syntax, Text};
use rust_decimal::Decimal;

use super::allowances::within_slack;
use super::shape::children;
use super::text::normalize;
use crate::Check;

pub fn check(cx: &mut Check<'_, '_>) {
    let inv = cx.invoice;
    let cii = cx.syntax() == Syntax::Cii;
    let header = inv.period.as_ref();
    for line in &inv.lines {
        if let (Some(head), Some(own)) = (header, line.period.as_ref()) {
            if cii {
                cii_line_period(cx, head.at, own.at);
            } else {
                ubl_line_period(cx, head, own);
            }
        }
        if net_amount_off(cx, line) {
            cx.fail("PEPPOL-EN16931-R120", line.at);
        }
        if !cii {
            price_base_quantity(cx, line);
        }
    }
}

/// R110 and R111 in UBL: the line period's start on or after the invoice period's, its end on
/// or before.
fn ubl_line_period(cx: &mut Check<'_, '_>, head: &Period, own: &Period) {
    if let (Some(h), Some(l)) = (&head.start, &own.start)
        && before(l, h)
    {
        cx.fail("PEPPOL-EN16931-R110", l.at);
    }
    if let (Some(h), Some(l)) = (&head.end, &own.end)
        && before(h, l)
    {
        cx.fail("PEPPOL-EN16931-R111", l.at);
    }
}

/// Whether the official UBL test `a >= b` fails: it casts both with `xs:date`, and its
/// `xs:date(text())` of an empty line date is the empty sequence, so the comparison is false
/// and the rule fires; other values it cannot cast stop the official run, which rejects the
/// document, so they fire too.
fn before(a: &Text, b: &Text) -> bool {
    !matches!((a.xs_date(), b.xs_date()), (Some(a), Some(b)) if a >= b)
}

/// R110 and R111 in CII, read from the tree as the official contexts select them: every
/// `ram:StartDateTime` (`EndDateTime`) of a line period, when the invoice period has that
/// element at all, compared as strings with a general comparison. A bound whose
/// `udt:DateTimeString` is missing on either side compares with the empty sequence, which is
/// false, so the rule fires; the model, which keeps only dates, cannot tell that apart from a
/// bound not given.
fn cii_line_period(cx: &mut Check<'_, '_>, header: einvoice::Pos, line: einvoice::Pos) {
    // Through the source's own reference, so that the nodes do not borrow `cx`.
    let source = cx.source;
    let doc = &source.doc;
    let (Some(head), Some(own)) = (
        einvoice::xml::node_at(doc, header),
        einvoice::xml::node_at(doc, line),
    ) else {
        return;
    };
    let strings = |bound: Node<'_, '_>| -> Vec<String> {
        children(bound, NS_UDT, "DateTimeString")
            .map(|s| s.string_value().into_owned())
            .collect()
    };
    let bounds = [
        ("StartDateTime", "PEPPOL-EN16931-R110", true),
        ("EndDateTime", "PEPPOL-EN16931-R111", false),
    ];
    for (name, id, start) in bounds {
        // The line's start is on or after the invoice's, its end on or before.
        let within = |l: &str, h: &str| if start { l >= h } else { l <= h };
        if children(head, NS_RAM, name).next().is_none() {
            continue;
        }
        let heads: Vec<String> = children(head, NS_RAM, name).flat_map(strings).collect();
        for bound in children(own, NS_RAM, name) {
            let held = strings(bound)
                .iter()
                .any(|l| heads.iter().any(|h| within(l, h)));
            if !held {
                let date = children(bound, NS_UDT, "DateTimeString").next();
                cx.fail_node(id, date.unwrap_or(bound));
            }
        }
    }
}

/// R120: net amount = quantity * (price / base quantity) + charges - allowances, within 0.02.
///
/// Every term is cast with `xs:decimal`; a term that is no decimal stops the official run
/// (the document is rejected), so it makes the rule fire here.
fn net_amount_off(cx: &Check<'_, '_>, line: &Line) -> bool {
    let price = line.price.as_ref();
    // CII's rule reads the net price's `ram:BasisQuantity` only; the model takes the gross
    // price's where the net price has none.
    let base_quantity = price.and_then(|p| p.base_quantity.as_ref()).filter(|q| {
        cx.syntax() != Syntax::Cii
            || einvoice::xml::node_at(cx.doc(), q.value.at)
                .and_then(|n| n.parent_element())
                .is_some_and(|p| p.has_tag_name((einvoice::NS_RAM, "NetPriceProductTradePrice")))
    });
    let or = |t: Option<&Text>, default: Decimal| t.map_or(Some(default), Text::decimal);
    let (Some(net), Some(quantity), Some(price_amount), Some(base)) = (
        or(line.net_amount.as_ref().map(|a| &a.value), Decimal::ZERO),
        or(line.quantity.as_ref().map(|q| &q.value), Decimal::ONE),
        or(
            price.and_then(|p| p.net.as_ref()).map(|a| &a.value),
            Decimal::ZERO,
        ),
        or(base_quantity.map(|q| &q.value), Decimal::ONE),
    ) else {
        return true;
    };
    let base = if base.is_zero() { Decimal::ONE } else { base };
    let total = |charge: &str| -> Option<Decimal> {
        let mut sum = Decimal::ZERO;
        for ac in &line.allowances_charges {
            let indicator = ac
                .charge_indicator
                .as_ref()
                .map_or(String::new(), |t| normalize(&t.value));
            if indicator == charge
                && let Some(a) = &ac.amount
            {
                sum = sum.checked_add(a.value.decimal()?)?;
            }
        }
        // round(sum * 100) div 100, XPath rounding half towards positive infinity.
        let cents = (sum * Decimal::ONE_HUNDRED + Decimal::new(5, 1)).floor();
        Some(cents / Decimal::ONE_HUNDRED)
    };
    let (Some(charges), Some(allowances)) = (total("true"), total("false")) else {
        return true;
    };
    let expected = price_amount
        .checked_div(base)
        .and_then(|p| quantity.checked_mul(p))
        .and_then(|v| v.checked_add(charges)?.checked_sub(allowances));
    expected.is_none_or(|e| !within_slack(net, e))
}

/// R121 (base quantity above zero) and R130 (its unit equals the invoiced quantity's), UBL.
fn price_base_quantity(cx: &mut Check<'_, '_>, line: &Line) {
    let Some(base) = line.price.as_ref().and_then(|p| p.base_quantity.as_ref()) else {
        return;
    };
    if base.value.decimal().is_some_and(|d| d <= Decimal::ZERO) {
        cx.fail("PEPPOL-EN16931-R121", line.at);
    }
    if let (Some(unit), Some(quantity)) = (&base.unit, &line.quantity)
        && quantity.unit.as_ref().is_none_or(|u| u.value != unit.value)
    {
        cx.fail("PEPPOL-EN16931-R130", unit.at);
    }
}

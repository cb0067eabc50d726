//! The VAT rules that only one category has: BR-IC-11/12 (intra-community supply needs a
//! delivery date or period and a delivery country), BR-O-11..14 (an invoice outside the
//! scope of VAT has no other category), and BR-B-01/02 (Italian split payment).

use einvoice::{Invoice, Pos, Text};

use crate::Check;
use crate::en16931::code;

pub(super) fn check(cx: &mut Check<'_, '_>) {
    let inv = cx.invoice;
    let syntax = cx.syntax();
    let breakdowns = |c: &'static str| -> Vec<Pos> {
        inv.vat_breakdown
            .iter()
            .filter(|b| code(syntax, b.category.as_ref()) == Some(c))
            .filter(|b| super::breakdown_judged(cx, c, b.at))
            .map(|b| b.at)
            .collect()
    };
    let (intra, outside) = (breakdowns("K"), breakdowns("O"));
    intra_community(cx, inv, &intra);
    outside_scope(cx, inv, &outside);
    split_payment(cx, inv);
}

/// BR-IC-11 and BR-IC-12. UBL tests them once per document, CII once per K breakdown.
fn intra_community(cx: &mut Check<'_, '_>, inv: &Invoice, breakdowns: &[Pos]) {
    if breakdowns.is_empty() {
        return;
    }
    let delivery = inv.delivery.as_ref();
    let country = delivery
        .and_then(|d| d.address.as_ref())
        .and_then(|a| a.country.as_ref());
    let (dated, located) = if cx.syntax().is_ubl() {
        // UBL: a delivery date longer than one character, or an invoice period with any
        // child element; a delivery country longer than one character.
        let date = delivery
            .and_then(|d| d.date.as_ref())
            .is_some_and(|d| d.value.chars().count() > 1);
        let period = inv.period.as_ref().is_some_and(|p| {
            einvoice::xml::node_at(cx.doc(), p.at)
                .map_or(p.start.is_some() || p.end.is_some(), |n| {
                    n.children().any(|c| c.is_element())
                })
        });
        (
            date || period,
            country.is_some_and(|c| c.value.chars().count() > 1),
        )
    } else {
        let date = delivery.is_some_and(|d| d.date.is_some());
        let period = inv
            .period
            .as_ref()
            .is_some_and(|p| p.start.is_some() || p.end.is_some());
        (date || period, country.is_some())
    };
    let at: &[Pos] = if cx.syntax().is_ubl() {
        &[inv.at]
    } else {
        breakdowns
    };
    for &at in at {
        if !dated {
            cx.fail("BR-IC-11", at);
        }
        if !located {
            cx.fail("BR-IC-12", at);
        }
    }
}

/// BR-O-11..14: with an O breakdown, no other category in breakdowns (11), lines (12),
/// allowances (13) or charges (14). CII does not tell breakdowns from lines, nor
/// allowances from charges (its tests look at every `ApplicableTradeTax` and every
/// `CategoryTradeTax`), and tests them once per O breakdown.
fn outside_scope(cx: &mut Check<'_, '_>, inv: &Invoice, breakdowns: &[Pos]) {
    if breakdowns.is_empty() {
        return;
    }
    let syntax = cx.syntax();
    // UBL counts a category element whose code is blank as "not O"; CII only a given code.
    let other = |t: Option<&Text>| {
        if syntax.is_ubl() {
            code(syntax, t) != Some("O")
        } else {
            t.is_some_and(|t| t.value != "O")
        }
    };
    // UBL counts the breakdowns' `cac:TaxCategory` elements of the VAT scheme: a breakdown
    // without one, which the model keeps without a category, is no other category.
    let in_breakdowns = inv.vat_breakdown.iter().any(|b| {
        other(b.category.as_ref())
            && (!syntax.is_ubl()
                || b.category.is_some()
                || super::census::has_vat_category(cx.doc(), b.at))
    });
    let in_lines = inv
        .lines
        .iter()
        .filter_map(|l| l.vat.as_ref())
        .any(|v| other(v.category.as_ref()));
    let in_acs = |charge: bool| {
        inv.allowances_charges
            .iter()
            .filter(|ac| syntax.is_ubl() && ac.is_charge() == Some(charge) || !syntax.is_ubl())
            .any(|ac| ac.vat_category.as_ref().is_some_and(|c| other(Some(c))))
    };
    let results = if syntax.is_ubl() {
        [in_breakdowns, in_lines, in_acs(false), in_acs(true)]
    } else {
        let taxes = in_breakdowns || in_lines;
        let categories = in_acs(false);
        [taxes, taxes, categories, categories]
    };
    let at: &[Pos] = if syntax.is_ubl() {
        &[inv.at]
    } else {
        breakdowns
    };
    let ids = ["BR-O-11", "BR-O-12", "BR-O-13", "BR-O-14"];
    for &at in at {
        for (id, found) in ids.into_iter().zip(results) {
            if found {
                cx.fail(id, at);
            }
        }
    }
}

/// BR-B-01: split payment (category B) only in Italy, i.e. every country code in the
/// document is `IT`; BR-B-02: not together with S. Both compare codes exactly.
fn split_payment(cx: &mut Check<'_, '_>, inv: &Invoice) {
    let ubl = cx.syntax().is_ubl();
    let categories = || {
        let breakdowns = inv.vat_breakdown.iter().map(|b| b.category.as_ref());
        let acs = inv
            .allowances_charges
            .iter()
            .map(|ac| ac.vat_category.as_ref());
        let lines = inv
            .lines
            .iter()
            .map(|l| l.vat.as_ref().and_then(|v| v.category.as_ref()));
        breakdowns.chain(acs).chain(lines).flatten()
    };
    if !categories().any(|c| c.value == "B") {
        return;
    }
    let addresses = [
        inv.seller.as_ref().and_then(|s| s.address.as_ref()),
        inv.buyer.as_ref().and_then(|b| b.address.as_ref()),
        inv.tax_representative
            .as_ref()
            .and_then(|r| r.address.as_ref()),
        inv.delivery.as_ref().and_then(|d| d.address.as_ref()),
    ];
    let countries = addresses
        .into_iter()
        .flatten()
        .filter_map(|a| a.country.as_ref());
    // UBL looks at every `cbc:IdentificationCode`, the items' countries of origin included.
    let origins = inv
        .lines
        .iter()
        .filter(|_| ubl)
        .filter_map(|l| l.item.as_ref().and_then(|i| i.origin_country.as_ref()));
    if countries.chain(origins).any(|c| c.value != "IT") {
        cx.fail("BR-B-01", inv.at);
    }
    if categories().any(|c| c.value == "S") {
        cx.fail("BR-B-02", inv.at);
    }
}

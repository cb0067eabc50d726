//! Iceland (IS-R-001..IS-R-010; UBL only), for sellers whose address country is written `IS`.

use einvoice::{Address, Identifier, Invoice, Pos, Text};

use super::super::text::normalize;
use super::{buyer_country, seller_country, value};
use crate::Check;

/// The Icelandic kennitala scheme.
const KENNITALA: &str = "0196";
/// Supporting document description that marks the final due date (eindagi).
const EINDAGI: &str = "EINDAGI";

pub fn check(cx: &mut Check<'_, '_>) {
    let inv = cx.invoice;
    if seller_country(inv) != "IS" {
        return;
    }
    let root = inv.at;
    let code = normalize(value(inv.type_code.as_ref()));
    if code != "380" && code != "381" {
        cx.fail("IS-R-001", root);
    }
    let seller = inv.seller.as_ref();
    if !kennitala(seller.and_then(|s| s.legal_registration.as_ref())) {
        cx.fail("IS-R-002", root);
    }
    if !street_and_zip(seller.and_then(|s| s.address.as_ref())) {
        cx.fail("IS-R-003", root);
    }
    for (code, id) in [("9", "IS-R-006"), ("42", "IS-R-007")] {
        if !twelve_digit_account(inv, code) {
            cx.fail(id, root);
        }
    }
    eindagi(cx, inv, root);
    if buyer_country(inv) == "IS"
        && let Some(buyer) = &inv.buyer
    {
        if !kennitala(buyer.legal_registration.as_ref()) {
            cx.fail("IS-R-004", buyer.at);
        }
        if !street_and_zip(buyer.address.as_ref()) {
            cx.fail("IS-R-005", buyer.at);
        }
    }
}

fn kennitala(legal: Option<&Identifier>) -> bool {
    legal.is_some_and(|l| value(l.scheme.as_ref()) == KENNITALA)
}

fn street_and_zip(a: Option<&Address>) -> bool {
    a.is_some_and(|a| a.line1.is_some() && a.post_code.is_some())
}

/// IS-R-006, IS-R-007: payment means with this code carry one account id of 12 characters.
fn twelve_digit_account(inv: &Invoice, code: &str) -> bool {
    let means: Vec<_> = inv
        .payment_instructions
        .iter()
        .filter(|p| value(p.means_code.as_ref()) == code)
        .collect();
    if means.is_empty() {
        return true;
    }
    let accounts: Vec<&Text> = means
        .iter()
        .flat_map(|p| &p.credit_transfers)
        .filter_map(|t| t.account_id.as_ref())
        .collect();
    matches!(accounts.as_slice(), [a] if normalize(&a.value).chars().count() == 12)
}

/// IS-R-008..IS-R-010: an EINDAGI reference is a `YYYY-MM-DD` date, not before the due date.
fn eindagi(cx: &mut Check<'_, '_>, inv: &Invoice, root: Pos) {
    let Some(doc) = inv
        .documents
        .iter()
        .find(|d| value(d.description.as_ref()) == EINDAGI)
    else {
        return;
    };
    let reference = value(doc.reference.as_ref());
    let is_date = reference.chars().count() == 10
        && einvoice::Date::parse(einvoice::value::trim(reference)).is_some();
    if !is_date {
        cx.fail("IS-R-008", root);
    }
    match &inv.due_date {
        None => {
            cx.fail("IS-R-009", root);
            cx.fail("IS-R-010", root);
        }
        // The official rule compares the two as strings.
        Some(due) if due.value.as_str() > reference => cx.fail("IS-R-010", root),
        Some(_) => {}
    }
}

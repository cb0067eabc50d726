//! Italy (IT-R-001..IT-R-004), for sellers whose `$supplierCountry` is IT.

use einvoice::{NS_CAC, NS_CBC, Pos};

use super::super::Parties;
use super::super::shape::children;
use super::super::text::normalize;
use crate::Check;

pub fn check(cx: &mut Check<'_, '_>, parties: &Parties) {
    let Some(seller) = &cx.invoice.seller else {
        return;
    };
    if parties.supplier_country != "IT" {
        return;
    }
    if cx.syntax().is_ubl() {
        ubl_registrations(cx, seller.at);
    } else if let Some(reg) = &seller.tax_registration
        && !registration_number(&reg.value)
    {
        cx.fail("IT-R-001", reg.at);
    }
    let address = seller.address.as_ref();
    let missing = [
        ("IT-R-002", address.and_then(|a| a.line1.as_ref())),
        ("IT-R-003", address.and_then(|a| a.city.as_ref())),
        ("IT-R-004", address.and_then(|a| a.post_code.as_ref())),
    ];
    for (id, part) in missing {
        if part.is_none() {
            cx.fail(id, seller.at);
        }
    }
}

/// IT-R-001 in UBL: its context is every `cac:PartyTaxScheme` of the seller whose scheme is
/// not VAT, and the model keeps only the first of them (BT-32), so the tree is read.
fn ubl_registrations(cx: &mut Check<'_, '_>, seller: Pos) {
    // Through the source's own reference, so that the nodes do not borrow `cx`.
    let source = cx.source;
    let Some(role) = einvoice::xml::node_at(&source.doc, seller) else {
        return;
    };
    let schemes =
        children(role, NS_CAC, "Party").flat_map(|p| children(p, NS_CAC, "PartyTaxScheme"));
    for scheme in schemes {
        let vat = children(scheme, NS_CAC, "TaxScheme")
            .flat_map(|t| children(t, NS_CBC, "ID"))
            .next()
            .is_some_and(|id| normalize(&id.string_value()) == "VAT");
        let number = children(scheme, NS_CBC, "CompanyID")
            .next()
            .map_or(String::new(), |c| c.string_value().into_owned());
        if !vat && !registration_number(&number) {
            cx.fail_node("IT-R-001", scheme);
        }
    }
}

/// `matches(normalize-space(.), '^[A-Z0-9]{11,16}$')`.
fn registration_number(value: &str) -> bool {
    let v = normalize(value);
    (11..=16).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

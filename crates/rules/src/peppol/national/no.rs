//! Norway (NO-R-001, NO-R-002), for sellers whose `$supplierCountry` is NO.

use super::super::Parties;
use super::super::check_digits::mod11;
use super::super::shape::{child, children, path};
use super::super::text::{normalize, normalized_is};
use crate::Check;
use einvoice::xml::dom::KnownNamespace;
use einvoice::{NS_CAC, NS_CBC};

pub fn check(cx: &mut Check<'_, '_>, parties: &Parties) {
    let Some(seller) = &cx.invoice.seller else {
        return;
    };
    if parties.supplier_country != "NO" {
        return;
    }
    let registered = if cx.syntax().is_ubl() {
        ubl_tax_registration(cx, seller.at).is_some_and(|t| normalize(&t) == "Foretaksregisteret")
    } else {
        normalized_is(seller.tax_registration.as_ref(), "Foretaksregisteret")
    };
    if !registered {
        cx.fail("NO-R-002", seller.at);
    }
    if let Some(vat) = &parties.seller_vat
        && let Some(rest) = vat.value.strip_prefix("NO")
    {
        let ok = rest.is_ascii()
            && rest.len() == 12
            && rest.ends_with("MVA")
            && rest[..9].bytes().all(|b| b.is_ascii_digit())
            && mod11(&rest[..9]);
        if !ok {
            cx.fail("NO-R-001", vat.at);
        }
    }
}

/// The company identifier of the seller's `cac:PartyTaxScheme` whose tax scheme is `TAX`, which
/// is where the UBL rule looks. The model's tax registration (BT-32) is the identifier of any
/// scheme other than VAT, so it cannot tell a scheme written `TAX` from one left empty.
fn ubl_tax_registration<'a>(
    cx: &Check<'a, '_>,
    seller: einvoice::Pos,
) -> Option<std::borrow::Cow<'a, str>> {
    let node = einvoice::xml::node_at(&cx.source.doc, seller)?;
    let party = if node.is_named(KnownNamespace::Cac, "Party") {
        node
    } else {
        child(node, NS_CAC, "Party")?
    };
    children(party, NS_CAC, "PartyTaxScheme")
        .find(|s| {
            path(*s, &[(NS_CAC, "TaxScheme"), (NS_CBC, "ID")])
                .is_some_and(|id| normalize(&id.string_value()) == "TAX")
        })
        .and_then(|s| child(s, NS_CBC, "CompanyID"))
        .map(|id| id.string_value())
}

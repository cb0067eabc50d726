//! Norway (NO-R-001, NO-R-002), for sellers whose `$supplierCountry` is NO.

use super::super::Parties;
use super::super::check_digits::mod11;
use super::super::text::normalized_is;
use crate::Check;

pub fn check(cx: &mut Check<'_, '_>, parties: &Parties) {
    let Some(seller) = &cx.invoice.seller else {
        return;
    };
    if parties.supplier_country != "NO" {
        return;
    }
    if !normalized_is(seller.tax_registration.as_ref(), "Foretaksregisteret") {
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

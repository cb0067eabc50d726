//! Italy (IT-R-001..IT-R-004), for sellers whose `$supplierCountry` is IT.

use super::super::Parties;
use super::super::text::normalize;
use crate::Check;

pub fn check(cx: &mut Check<'_, '_>, parties: &Parties) {
    let Some(seller) = &cx.invoice.seller else {
        return;
    };
    if parties.supplier_country != "IT" {
        return;
    }
    if let Some(reg) = &seller.tax_registration {
        let v = normalize(&reg.value);
        let ok = (11..=16).contains(&v.len())
            && v.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !ok {
            cx.fail("IT-R-001", reg.at);
        }
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

//! Greece (GR-R-*, GR-S-*; UBL only), for sellers whose `$supplierCountry` is GR or EL.

use einvoice::{Invoice, NS_CAC, Pos, Text};

use super::super::Parties;
use super::super::check_digits::gr_tin;
use super::super::text::normalize;
use super::{seller_country, value};
use crate::Check;

/// Greek document types allowed in the fourth segment of the invoice number.
const DOCUMENT_TYPES: &[&str] = &["1.1", "1.6", "2.1", "2.4", "5.1", "5.2"];
const MARK: &str = "##M.AR.K##";
const URL: &str = "##INVOICE|URL##";

pub fn check(cx: &mut Check<'_, '_>, parties: &Parties) {
    let inv = cx.invoice;
    let greek = |c: &str| c == "GR" || c == "EL";
    // GR-R-009 looks at the seller alone, without the tax representative's VAT number.
    let accounting_country = super::super::vat_or_address_country(inv, parties);
    if greek(&accounting_country)
        && let Some(endpoint) = inv
            .seller
            .as_ref()
            .and_then(|s| s.electronic_address.as_ref())
        && !(value(endpoint.scheme.as_ref()) == "9933" && gr_tin(&endpoint.id.value))
    {
        cx.fail("GR-R-009", endpoint.id.at);
    }
    if !greek(&parties.supplier_country) {
        return;
    }
    if let Some(number) = &inv.number {
        invoice_number(cx, inv, number);
    }
    if let Some(seller) = inv.seller.as_ref().filter(|s| has_party(cx, s.at)) {
        if value(seller.trading_name.as_ref()).is_empty() {
            cx.fail("GR-R-002", seller.at);
        }
        if !greek_vat(seller.vat_id.as_ref()) {
            cx.fail("GR-S-011", seller.at);
        }
        if let Some(vat) = &seller.vat_id
            && !greek_vat(Some(vat))
        {
            cx.fail("GR-R-003", vat.at);
        }
    }
    let in_greece = seller_country(inv) == "GR";
    let described = |d: &'static str| {
        inv.documents
            .iter()
            .filter(move |doc| value(doc.description.as_ref()) == d)
    };
    if in_greece {
        if described(MARK).count() != 1 {
            cx.fail("GR-R-004-1", inv.at);
        }
        let urls = described(URL).count();
        if urls != 1 {
            cx.fail("GR-S-008-1", inv.at);
        }
        if urls > 1 {
            cx.fail("GR-R-008-2", inv.at);
        }
        for doc in described(MARK) {
            if let Some(r) = &doc.reference
                && !r.value.starts_with(|c: char| ('1'..='9').contains(&c))
            {
                cx.fail("GR-R-004-2", r.at);
            }
        }
    }
    for doc in described(URL) {
        if normalize(value(doc.uri.as_ref())).is_empty() {
            cx.fail("GR-R-008-3", doc.at);
        }
    }
    if let Some(buyer) = inv.buyer.as_ref().filter(|b| has_party(cx, b.at)) {
        if value(buyer.trading_name.as_ref()).is_empty() {
            cx.fail("GR-R-005", buyer.at);
        }
        if greek(&parties.customer_country) {
            if !greek_vat(buyer.vat_id.as_ref()) {
                cx.fail("GR-R-006", buyer.at);
            }
            if let Some(endpoint) = &buyer.electronic_address
                && !(value(endpoint.scheme.as_ref()) == "9933" && gr_tin(&endpoint.id.value))
            {
                cx.fail("GR-R-010", endpoint.id.at);
            }
        }
    }
}

/// Whether the party role element at `at` (`cac:AccountingSupplierParty`,
/// `cac:AccountingCustomerParty`) has its `cac:Party`: the official contexts of GR-R-002,
/// GR-S-011, GR-R-005 and GR-R-006 are that element, while the model keeps a party for the
/// role element alone.
fn has_party(cx: &Check<'_, '_>, at: Pos) -> bool {
    einvoice::xml::node_at(cx.doc(), at)
        .is_some_and(|role| role.children().any(|c| c.has_tag_name((NS_CAC, "Party"))))
}

/// `EL` followed by a valid TIN.
fn greek_vat(vat: Option<&Text>) -> bool {
    vat.is_some_and(|v| v.value.strip_prefix("EL").is_some_and(gr_tin))
}

/// GR-R-001-1..7: the invoice number is `TIN|date|series number|type|branch|series`.
fn invoice_number(cx: &mut Check<'_, '_>, inv: &Invoice, number: &Text) {
    let segments: Vec<&str> = if number.value.is_empty() {
        Vec::new()
    } else {
        number.value.split('|').collect()
    };
    let seg = |i: usize| segments.get(i).copied().unwrap_or("");
    let at = number.at;
    if segments.len() != 6 {
        cx.fail("GR-R-001-1", at);
    }
    let tin = seg(0);
    let vat_tin = |v: Option<&Text>| v.map(|v| v.value.chars().skip(2).take(9).collect::<String>());
    let own = vat_tin(inv.seller.as_ref().and_then(|s| s.vat_id.as_ref()));
    let rep = vat_tin(
        inv.tax_representative
            .as_ref()
            .and_then(|r| r.vat_id.as_ref()),
    );
    let tin_ok = normalize(tin).chars().count() == 9
        && gr_tin(tin)
        && (own.as_deref() == Some(tin) || rep.as_deref() == Some(tin));
    if !tin_ok {
        cx.fail("GR-R-001-2", at);
    }
    if !date_matches(seg(1), inv.issue_date.as_ref()) {
        cx.fail("GR-R-001-3", at);
    }
    let serial = seg(2);
    let serial_ok = !normalize(serial).is_empty()
        && super::is_number(serial)
        && einvoice::value::trim(serial)
            .parse::<i128>()
            .is_ok_and(|n| n >= 0);
    if !serial_ok {
        cx.fail("GR-R-001-4", at);
    }
    if normalize(seg(3)).is_empty() || !DOCUMENT_TYPES.contains(&seg(3)) {
        cx.fail("GR-R-001-5", at);
    }
    if seg(4).is_empty() {
        cx.fail("GR-R-001-6", at);
    }
    if seg(5).is_empty() {
        cx.fail("GR-R-001-7", at);
    }
}

/// GR-R-001-3: the segment is `DD/MM/YYYY` of the issue date, and starts like a date.
fn date_matches(segment: &str, issue: Option<&Text>) -> bool {
    if normalize(segment).is_empty() {
        return false;
    }
    let issue: Vec<&str> = value(issue).split('-').collect();
    let parts: Vec<&str> = segment.split('/').collect();
    let same = |a: usize, b: usize| match (parts.get(a), issue.get(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    };
    if !(same(0, 2) && same(1, 1) && same(2, 0)) {
        return false;
    }
    let (day, month, year) = (parts[0], parts[1], parts[2]);
    let number_in = |s: &str, max: u32| {
        (1..=2).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n))
    };
    let year_ok = year.len() >= 4
        && (year.starts_with("19") || year.starts_with("20"))
        && year.as_bytes()[2..4].iter().all(u8::is_ascii_digit);
    number_in(day, 31) && number_in(month, 12) && year_ok
}

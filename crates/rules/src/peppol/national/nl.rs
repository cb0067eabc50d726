//! The Netherlands (NL-R-001..NL-R-009): the NLCIUS rules Peppol applies to sellers whose
//! address country is NL.

use einvoice::{Address, Identifier, Pos, Syntax};
use rust_decimal::Decimal;

use super::super::text::normalize;
use super::{country_is, value};
use crate::Check;

/// Credit note type codes, for which CII asks for a preceding invoice (NL-R-001).
const CREDIT_NOTE_TYPES: &[&str] = &["81", "83", "381", "396", "532"];

pub fn check(cx: &mut Check<'_, '_>) {
    let inv = cx.invoice;
    let seller = inv.seller.as_ref();
    let buyer = inv.buyer.as_ref();
    if !country_is(seller.and_then(|s| s.address.as_ref()), "NL") {
        return;
    }
    let buyer_nl = country_is(buyer.and_then(|b| b.address.as_ref()), "NL");
    let cii = cx.syntax() == Syntax::Cii;

    if let Some(code) = &inv.type_code {
        let credit_note = match cx.syntax() {
            Syntax::UblCreditNote => true,
            Syntax::UblInvoice => false,
            Syntax::Cii => CREDIT_NOTE_TYPES.contains(&normalize(&code.value).as_str()),
        };
        if credit_note && !inv.preceding_invoices.iter().any(|p| p.reference.is_some()) {
            cx.fail("NL-R-001", code.at);
        }
    }
    full_address(cx, "NL-R-002", seller.and_then(|s| s.address.as_ref()));
    kvk_or_oin(
        cx,
        "NL-R-003",
        seller.and_then(|s| s.legal_registration.as_ref()),
    );
    if buyer_nl {
        full_address(cx, "NL-R-004", buyer.and_then(|b| b.address.as_ref()));
        kvk_or_oin(
            cx,
            "NL-R-005",
            buyer.and_then(|b| b.legal_registration.as_ref()),
        );
    }
    let rep = inv
        .tax_representative
        .as_ref()
        .and_then(|r| r.address.as_ref());
    if country_is(rep, "NL") {
        full_address(cx, "NL-R-006", rep);
    }

    if let Some(totals) = &inv.totals {
        let payable = totals.payable.as_ref().and_then(|p| p.value.decimal());
        let credit = if cii {
            inv.type_code
                .as_ref()
                .is_some_and(|t| normalize(&t.value) == "381")
        } else {
            cx.syntax() == Syntax::UblCreditNote
        };
        let nothing_to_pay = payable.is_some_and(|p| {
            if credit {
                p >= Decimal::ZERO
            } else {
                p <= Decimal::ZERO
            }
        });
        if !nothing_to_pay && inv.payment_instructions.is_empty() {
            cx.fail("NL-R-007", totals.at);
        }
    }
    if buyer_nl {
        for pi in &inv.payment_instructions {
            let code = normalize(value(pi.means_code.as_ref()));
            if !["30", "48", "49", "57", "58", "59"].contains(&code.as_str()) {
                cx.fail("NL-R-008", pi.at);
            }
        }
    }
    if inv.purchase_order_reference.is_none() {
        let line_refs: Vec<Pos> = inv
            .lines
            .iter()
            .filter_map(|l| l.order_line_reference.as_ref().map(|r| r.at))
            .collect();
        for at in line_refs {
            cx.fail("NL-R-009", at);
        }
    }
}

/// Street, city and post code (NL-R-002, NL-R-004, NL-R-006).
fn full_address(cx: &mut Check<'_, '_>, id: &'static str, address: Option<&Address>) {
    if let Some(a) = address
        && (a.line1.is_none() || a.city.is_none() || a.post_code.is_none())
    {
        cx.fail(id, a.at);
    }
}

/// A legal registration identifier that is a KVK (0106) or OIN (0190) number (NL-R-003,
/// NL-R-005).
fn kvk_or_oin(cx: &mut Check<'_, '_>, id: &'static str, legal: Option<&Identifier>) {
    if let Some(l) = legal
        && (!kvk_or_oin_scheme(l) || l.id.is_blank())
    {
        cx.fail(id, l.id.at);
    }
}

/// The official test looks for ` 0106 ` or ` 0190 ` in the space-padded scheme attribute.
fn kvk_or_oin_scheme(l: &Identifier) -> bool {
    let padded = format!(" {} ", value(l.scheme.as_ref()));
    padded.contains(" 0106 ") || padded.contains(" 0190 ")
}

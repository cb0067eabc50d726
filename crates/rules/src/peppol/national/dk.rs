//! Denmark (DK-R-002..DK-R-016), for sellers whose address country is written `DK`; most
//! rules also need a buyer in `DK`.

use einvoice::{AllowanceCharge, Invoice, LineAllowanceCharge, PaymentInstructions, Syntax, Text};

use super::super::text::{filled, normalize};
use super::{buyer_country, element_name, seller_country, value};
use crate::Check;

pub fn check(cx: &mut Check<'_, '_>) {
    let inv = cx.invoice;
    if seller_country(inv) != "DK" {
        return;
    }
    let buyer_dk = buyer_country(inv) == "DK";
    let cii = cx.syntax() == Syntax::Cii;
    let root = inv.at;

    let legal = inv
        .seller
        .as_ref()
        .and_then(|s| s.legal_registration.as_ref());
    if !filled(legal.map(|l| &l.id)) {
        cx.fail("DK-R-002", root);
    }
    if let Some(l) = legal
        && normalize(value(l.scheme.as_ref())) != "0184"
    {
        cx.fail("DK-R-014", l.id.at);
    }
    let credit_note = match cx.syntax() {
        Syntax::UblCreditNote => true,
        Syntax::Cii => inv
            .type_code
            .as_ref()
            .is_some_and(|t| normalize(&t.value) == "381"),
        Syntax::UblInvoice => false,
    };
    let payable = inv.totals.as_ref().and_then(|t| t.payable.as_ref());
    if credit_note
        && buyer_dk
        && payable
            .and_then(|p| p.value.decimal())
            .is_some_and(|d| d.is_sign_negative() && !d.is_zero())
    {
        cx.fail("DK-R-016", root);
    }
    if !buyer_dk {
        return;
    }

    identifiers_have_schemes(cx, inv, cii);
    non_vat_taxes(cx, inv, cii);
    // The UBL rules on payment means are written for invoices only.
    if cx.syntax() != Syntax::UblCreditNote {
        for pi in &inv.payment_instructions {
            payment_means(cx, pi, cii);
        }
    }
    for line in &inv.lines {
        let classifications = line.item.iter().flat_map(|i| &i.classifications);
        let tst = classifications
            .clone()
            .any(|c| value(c.list_id.as_ref()) == "TST");
        let versions = ["19.05.01", "19.0501", "26.08.01", "26.0801"];
        let known = classifications
            .clone()
            .any(|c| versions.contains(&value(c.list_version.as_ref())));
        if tst && !known {
            cx.fail("DK-R-003", line.at);
        }
    }
}

/// DK-R-013: party identifiers need a scheme. UBL judges every `PartyIdentification/ID` of
/// seller and buyer, CII only their `GlobalID`s.
fn identifiers_have_schemes(cx: &mut Check<'_, '_>, inv: &Invoice, cii: bool) {
    let seller = inv.seller.iter().flat_map(|s| &s.identifiers);
    let buyer = inv.buyer.iter().flat_map(|b| &b.identifiers);
    let bare = seller.chain(buyer).find(|id| {
        normalize(value(id.scheme.as_ref())).is_empty()
            && (!cii || element_name(cx, id.id.at) == "GlobalID")
    });
    if let Some(id) = bare {
        cx.fail("DK-R-013", id.id.at);
    }
}

/// DK-R-004: a non-VAT tax (reason code ZZZ) names its tax category in the reason: four
/// digits, or text with an inner `#`. CII judges the document level only.
fn non_vat_taxes(cx: &mut Check<'_, '_>, inv: &Invoice, cii: bool) {
    let document = inv
        .allowances_charges
        .iter()
        .map(|a: &AllowanceCharge| (a.at, a.reason_code.as_ref(), a.reason.as_ref()));
    let lines = inv
        .lines
        .iter()
        .flat_map(|l| &l.allowances_charges)
        .map(|a: &LineAllowanceCharge| (a.at, a.reason_code.as_ref(), a.reason.as_ref()));
    let all: Vec<_> = if cii {
        document.collect()
    } else {
        document.chain(lines).collect()
    };
    for (at, code, reason) in all {
        if value(code) != "ZZZ" {
            continue;
        }
        if !valid_tax_reason(reason) {
            cx.fail("DK-R-004", at);
        }
    }
}

fn valid_tax_reason(reason: Option<&Text>) -> bool {
    let Some(r) = reason else { return false };
    let n = normalize(&r.value);
    let four_digits = n.chars().count() == 4
        && super::number(&r.value).is_some_and(|d| (0.0..=9999.0).contains(&d));
    let hashed = r.value.contains('#') && !r.value.starts_with('#') && !r.value.ends_with('#');
    four_digits || hashed
}

/// `(../ram:CreditorReferenceID, ram:SpecifiedTradePaymentTerms/ram:DirectDebitMandateID)`
/// of a CII payment means.
fn cii_direct_debit(cx: &Check<'_, '_>, pi: &PaymentInstructions) -> (String, String) {
    use super::super::shape::{child, path};
    use einvoice::NS_RAM;
    let Some(means) = einvoice::xml::node_at(&cx.source.doc, pi.at) else {
        return Default::default();
    };
    let creditor = means
        .parent_element()
        .and_then(|s| child(s, NS_RAM, "CreditorReferenceID"))
        .map(|n| n.string_value().into_owned());
    let mandate = path(
        means,
        &[
            (NS_RAM, "SpecifiedTradePaymentTerms"),
            (NS_RAM, "DirectDebitMandateID"),
        ],
    )
    .map(|n| n.string_value().into_owned());
    (creditor.unwrap_or_default(), mandate.unwrap_or_default())
}

/// DK-R-005..DK-R-011 on one payment means.
fn payment_means(cx: &mut Check<'_, '_>, pi: &PaymentInstructions, cii: bool) {
    let code = value(pi.means_code.as_ref());
    let at = pi.at;
    const ALLOWED: &str = " 1 10 31 42 48 49 50 58 59 93 97 ";
    if !ALLOWED.contains(&format!(" {code} ")) {
        cx.fail("DK-R-005", at);
    }
    let transfer = pi.credit_transfers.first();
    // CII reads the account from IBANID only; the model falls back to the proprietary id.
    let account = transfer
        .and_then(|t| t.account_id.as_ref())
        .filter(|a| !cii || element_name(cx, a.at) == "IBANID");
    let account = value(account);
    let provider = value(transfer.and_then(|t| t.service_provider.as_ref()));
    if (code == "31" || code == "42")
        && (normalize(account).is_empty() || normalize(provider).is_empty())
    {
        cx.fail("DK-R-006", at);
    }
    if code == "49" {
        let debit = pi.direct_debit.as_ref();
        let mandate = value(debit.and_then(|d| d.mandate_reference.as_ref()));
        let (first, second) = if cii {
            // The official CII rule wants the creditor reference of the settlement and a
            // mandate id inside the payment means itself, so it reads the tree.
            cii_direct_debit(cx, pi)
        } else {
            (
                mandate.to_string(),
                value(debit.and_then(|d| d.debited_account.as_ref())).to_string(),
            )
        };
        if normalize(&first).is_empty() || normalize(&second).is_empty() {
            cx.fail("DK-R-007", at);
        }
    }
    let payment_id = value(pi.remittance_information.as_ref());
    let prefix: String = payment_id.chars().take(3).collect();
    let id_len = payment_id.chars().count();
    let account_len = account.chars().count();
    if code == "50" {
        let account_ok = if cii {
            account_len == 7
        } else {
            (7..=8).contains(&account.len()) && account.bytes().all(|b| b.is_ascii_digit())
        };
        if !(["01#", "04#", "15#"].contains(&prefix.as_str()) && account_ok) {
            cx.fail("DK-R-008", at);
        }
        if ["04#", "15#"].contains(&prefix.as_str()) && id_len != 19 {
            cx.fail("DK-R-009", at);
        }
    }
    if code == "93" {
        if !(["71#", "73#", "75#"].contains(&prefix.as_str()) && account_len == 8) {
            cx.fail("DK-R-010", at);
        }
        if ["71#", "75#"].contains(&prefix.as_str()) && !(18..=19).contains(&id_len) {
            cx.fail("DK-R-011", at);
        }
    }
}

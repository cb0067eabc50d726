//! Sweden (SE-R-001..SE-R-013), for sellers whose address country is written `SE`.

use einvoice::{NS_CAC, NS_CBC, NS_RAM, Syntax};

use super::super::Parties;
use super::super::check_digits::se_orgnr;
use super::super::shape::child;
use super::super::text::normalize;
use super::{buyer_country, element_name, is_number, number, seller_country, value};
use crate::Check;
use einvoice::xml::Node;
use einvoice::xml::dom::KnownNamespace::{Cac, Cbc, Ram};

pub fn check(cx: &mut Check<'_, '_>, parties: &Parties) {
    let inv = cx.invoice;
    let Some(seller) = &inv.seller else { return };
    if seller_country(inv) != "SE" {
        return;
    }
    let cii = cx.syntax() == Syntax::Cii;
    let vat = parties.seller_vat.as_ref();
    let swedish_vat = vat.is_some_and(|v| v.value.starts_with("SE"));
    if swedish_vat && let Some(vat) = vat {
        if normalize(&vat.value).chars().count() != 14 {
            cx.fail("SE-R-001", vat.at);
        }
        let digits: String = vat.value.chars().skip(2).take(12).collect();
        if !is_number(&digits) {
            cx.fail("SE-R-002", vat.at);
        }
    }
    if let Some(legal) = &seller.legal_registration {
        let id = &legal.id;
        let n = normalize(&id.value);
        if !is_number(&id.value) {
            cx.fail("SE-R-003", id.at);
        }
        if n.chars().count() != 10 {
            cx.fail("SE-R-004", id.at);
        }
        if !se_orgnr(&n) {
            cx.fail("SE-R-013", id.at);
        }
    }
    if seller.legal_registration.is_some() {
        tax_registrations(cx, seller);
    }
    if swedish_vat {
        standard_rates(cx, cii);
    }
    let buyer_se = buyer_country(inv) == "SE";
    for pi in &inv.payment_instructions {
        let raw = value(pi.means_code.as_ref());
        let code = if cii { normalize(raw) } else { raw.to_string() };
        if normalize(raw) == "30" {
            giro_account(cx, pi, cii);
        }
        if code == "50" || code == "56" {
            cx.fail("SE-R-011", pi.at);
        }
        if buyer_se && code == "31" {
            cx.fail("SE-R-012", pi.at);
        }
    }
}

/// SE-R-006: only the standard rates 25, 12 and 6 percent, read from the tree as the official
/// contexts select the elements.
///
/// UBL: every `cac:TaxCategory` and `cac:ClassifiedTaxCategory` whose `cbc:ID` is `S`, also
/// one without a VAT tax scheme, which the model does not hold as a VAT category. CII: every
/// `ram:ApplicableTradeTax` and `ram:CategoryTradeTax`, whatever its category, but only when
/// the seller has a registration under the scheme `VAT` starting with `SE`; CII's usual VAT
/// scheme is `VA`, so for most CII invoices the rule does not apply.
fn standard_rates(cx: &mut Check<'_, '_>, cii: bool) {
    let source = cx.source;
    let doc = &source.doc;
    if cii && !cii_seller_vat_is_swedish(doc) {
        return;
    }
    let offending: Vec<Node<'_, '_>> = doc
        .elements()
        .filter(|n| {
            if cii {
                n.is_named(Ram, "ApplicableTradeTax") || n.is_named(Ram, "CategoryTradeTax")
            } else {
                (n.is_named(Cac, "TaxCategory") || n.is_named(Cac, "ClassifiedTaxCategory"))
                    && n.children()
                        .any(|c| c.is_named(Cbc, "ID") && c.string_value() == "S")
            }
        })
        .filter(|n| {
            let rate = if cii {
                child(*n, NS_RAM, "RateApplicablePercent")
            } else {
                child(*n, NS_CBC, "Percent")
            };
            let rate = rate.and_then(|r| number(&r.string_value()));
            !rate.is_some_and(|r| r == 25.0 || r == 12.0 || r == 6.0)
        })
        .collect();
    for node in offending {
        cx.fail_node("SE-R-006", node);
    }
}

/// `SellerTradeParty/SpecifiedTaxRegistration[substring(ram:ID[@schemeID = 'VAT'], 1, 2) =
/// 'SE']`, the seller condition of CII's SE-R-006.
fn cii_seller_vat_is_swedish(doc: &einvoice::xml::Document<'_>) -> bool {
    doc.elements()
        .filter(|n| n.is_named(Ram, "SellerTradeParty"))
        .flat_map(|p| p.children())
        .filter(|r| r.is_named(Ram, "SpecifiedTaxRegistration"))
        .filter_map(|r| {
            r.children()
                .find(|id| id.is_named(Ram, "ID") && id.attribute("schemeID") == Some("VAT"))
        })
        .any(|id| id.string_value().starts_with("SE"))
}

/// SE-R-007..SE-R-010: Plusgiro and Bankgiro account numbers.
fn giro_account(cx: &mut Check<'_, '_>, pi: &einvoice::PaymentInstructions, cii: bool) {
    for t in &pi.credit_transfers {
        let Some(account) = &t.account_id else {
            continue;
        };
        // CII carries giro numbers as the proprietary id, never as an IBAN.
        if cii && element_name(cx, account.at) != "ProprietaryID" {
            continue;
        }
        let n = normalize(&account.value);
        let len = n.chars().count();
        match normalize(value(t.service_provider.as_ref())).as_str() {
            "SE:PLUSGIRO" => {
                if !is_number(&n) {
                    cx.fail("SE-R-007", account.at);
                }
                if !(2..=8).contains(&len) {
                    cx.fail("SE-R-010", account.at);
                }
            }
            "SE:BANKGIRO" => {
                if !is_number(&n) {
                    cx.fail("SE-R-008", account.at);
                }
                if !(7..=8).contains(&len) {
                    cx.fail("SE-R-009", account.at);
                }
            }
            _ => {}
        }
    }
}

/// SE-R-005: a Swedish seller with a legal registration writes its tax registration as
/// "Godkänd för F-skatt". UBL tests every `CompanyID` of every `PartyTaxScheme` whose scheme
/// is not VAT (one without a tax scheme included), so the tree is read; CII the first
/// `ID[@schemeID = 'FC']`, which the model keeps.
fn tax_registrations(cx: &mut Check<'_, '_>, seller: &einvoice::Seller) {
    let approved = |t: &str| normalize(t).to_uppercase() == "GODKÄND FÖR F-SKATT";
    if cx.syntax() == Syntax::Cii {
        if let Some(reg) = &seller.tax_registration
            && !approved(&reg.value)
        {
            cx.fail("SE-R-005", reg.at);
        }
        return;
    }
    let source = cx.source;
    let Some(supplier) = einvoice::xml::node_at(&source.doc, seller.at) else {
        return;
    };
    let cac =
        |name: &'static str| move |n: &einvoice::xml::Node<'_, '_>| n.has_tag_name((NS_CAC, name));
    let cbc =
        |name: &'static str| move |n: &einvoice::xml::Node<'_, '_>| n.has_tag_name((NS_CBC, name));
    let schemes = supplier
        .children()
        .filter(cac("Party"))
        .flat_map(|p| p.children().filter(cac("PartyTaxScheme")));
    for scheme in schemes {
        let vat = scheme
            .children()
            .filter(cac("TaxScheme"))
            .flat_map(|t| t.children().filter(cbc("ID")))
            .any(|id| normalize(&id.string_value().to_uppercase()) == "VAT");
        if vat {
            continue;
        }
        for id in scheme.children().filter(cbc("CompanyID")) {
            if !approved(&id.string_value()) {
                cx.fail_node("SE-R-005", id);
            }
        }
    }
}

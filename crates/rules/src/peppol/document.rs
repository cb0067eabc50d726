//! Document-level rules: process and specification identifiers, notes, references, VAT
//! totals, electronic addresses and direct debit (PEPPOL-EN16931-R001..R080).

use einvoice::xml::Node;
use einvoice::{NS_CAC, NS_CBC, NS_RAM, NS_RSM, Syntax, Text};
use rust_decimal::Decimal;

use super::Parties;
use super::shape::{child, children, path, single_text_of};
use super::text::{normalize, normalized_is, number};
use crate::{Check, PEPPOL_BIS3};

pub fn check(cx: &mut Check<'_, '_>, parties: &Parties) {
    let source = cx.source;
    let root = source.doc.root_element();
    let inv = cx.invoice;
    let cii = cx.syntax() == Syntax::Cii;

    // R001, R004, R007 sit on the root in UBL and on ExchangedDocumentContext in CII.
    let context = if cii {
        child(root, NS_RSM, "ExchangedDocumentContext")
    } else {
        Some(root)
    };
    if let Some(context) = context {
        if inv.business_process.is_none() {
            cx.fail_node("PEPPOL-EN16931-R001", context);
        }
        if parties.profile.is_none() {
            cx.fail_node("PEPPOL-EN16931-R007", context);
        }
        // `starts-with(normalize-space(cbc:CustomizationID/text()), ...)`, read from the tree:
        // text split by a comment stops the official run (see `shape::single_text_of`).
        let spec = if cii {
            single_text_of(
                children(
                    context,
                    NS_RAM,
                    "GuidelineSpecifiedDocumentContextParameter",
                )
                .flat_map(|p| children(p, NS_RAM, "ID")),
            )
        } else {
            single_text_of(children(context, NS_CBC, "CustomizationID"))
        };
        if !spec.is_some_and(|s| normalize(s).starts_with(PEPPOL_BIS3)) {
            cx.fail_node("PEPPOL-EN16931-R004", context);
        }
    }

    notes(cx, parties, root);
    references(cx, root);
    currencies(cx, root);
    parties_addresses(cx);
    direct_debit(cx);
}

/// R002: at most one note; UBL allows more between two German parties, CII forbids a
/// subject code instead.
fn notes(cx: &mut Check<'_, '_>, parties: &Parties, root: Node<'_, '_>) {
    let notes = &cx.invoice.notes;
    let ok = if cx.syntax() == Syntax::Cii {
        notes.len() <= 1 && notes.iter().all(|n| n.subject_code.is_none())
    } else {
        notes.len() <= 1 || parties.both_german
    };
    if !ok {
        cx.fail_node("PEPPOL-EN16931-R002", root);
    }
}

/// R003 (buyer or order reference), R006 (one invoiced object, CII) and R080 (one project
/// reference: CII, and UBL credit notes only, as the official UBL rule is written).
fn references(cx: &mut Check<'_, '_>, root: Node<'_, '_>) {
    let inv = cx.invoice;
    let has_reference = inv.buyer_reference.is_some() || inv.purchase_order_reference.is_some();
    match cx.syntax() {
        Syntax::Cii => {
            let Some(agreement) = path(
                root,
                &[
                    (NS_RSM, "SupplyChainTradeTransaction"),
                    (NS_RAM, "ApplicableHeaderTradeAgreement"),
                ],
            ) else {
                return;
            };
            if !has_reference {
                cx.fail_node("PEPPOL-EN16931-R003", agreement);
            }
            let typed = |code: &str| {
                children(agreement, NS_RAM, "AdditionalReferencedDocument")
                    .filter(|d| children(*d, NS_RAM, "TypeCode").any(|t| t.string_value() == code))
                    .count()
            };
            if typed("130") > 1 {
                cx.fail_node("PEPPOL-EN16931-R006", agreement);
            }
            if typed("50") > 1 {
                cx.fail_node("PEPPOL-EN16931-R080", agreement);
            }
        }
        syntax => {
            if !has_reference {
                cx.fail_node("PEPPOL-EN16931-R003", root);
            }
            let projects = children(root, NS_CAC, "AdditionalDocumentReference")
                .filter(|d| {
                    children(*d, NS_CBC, "DocumentTypeCode").any(|t| t.string_value() == "50")
                })
                .count();
            if syntax == Syntax::UblCreditNote && projects > 1 {
                cx.fail_node("PEPPOL-EN16931-R080", root);
            }
        }
    }
}

/// R005 (distinct VAT accounting currency), R053/R054 (VAT totals with and without
/// breakdown) and R055 (same sign in both currencies).
fn currencies(cx: &mut Check<'_, '_>, root: Node<'_, '_>) {
    let inv = cx.invoice;
    let cii = cx.syntax() == Syntax::Cii;
    let doc_code = inv.currency.as_ref().map_or("", |t| t.value.as_str());
    if let Some(tax) = &inv.vat_currency
        && normalize(&tax.value) == normalize(doc_code)
    {
        cx.fail("PEPPOL-EN16931-R005", tax.at);
    }

    if cii {
        let Some(settlement) = path(
            root,
            &[
                (NS_RSM, "SupplyChainTradeTransaction"),
                (NS_RAM, "ApplicableHeaderTradeSettlement"),
            ],
        ) else {
            return;
        };
        // CII tells the two totals apart by currency only; an amount without currencyID
        // counts as neither.
        let in_doc = inv
            .vat_totals
            .iter()
            .filter(|a| inv.currency.is_some() && currency_is(a.currency.as_ref(), doc_code))
            .count();
        let in_other = inv
            .vat_totals
            .iter()
            .filter(|a| {
                inv.currency.is_some()
                    && a.currency.is_some()
                    && !currency_is(a.currency.as_ref(), doc_code)
            })
            .count();
        if in_doc != 1 {
            cx.fail_node("PEPPOL-EN16931-R053", settlement);
        }
        if in_other != usize::from(inv.vat_currency.is_some()) {
            cx.fail_node("PEPPOL-EN16931-R054", settlement);
        }
    } else {
        let totals: Vec<_> = children(root, NS_CAC, "TaxTotal").collect();
        let with_breakdown = totals
            .iter()
            .filter(|t| child(**t, NS_CAC, "TaxSubtotal").is_some())
            .count();
        if with_breakdown != 1 {
            cx.fail_node("PEPPOL-EN16931-R053", root);
        }
        if totals.len() - with_breakdown != usize::from(inv.vat_currency.is_some()) {
            cx.fail_node("PEPPOL-EN16931-R054", root);
        }
    }

    if let Some(tax) = &inv.vat_currency {
        // UBL compares the currencyID with the normalised codes (an absent code normalises to
        // ''), CII with the code elements as written (an absent one matches nothing).
        let (tax_code, doc_code) = if cii {
            (
                Some(tax.value.clone()),
                inv.currency.as_ref().map(|c| c.value.clone()),
            )
        } else {
            (Some(normalize(&tax.value)), Some(normalize(doc_code)))
        };
        let amounts = |code: &Option<String>| -> Vec<Decimal> {
            inv.vat_totals
                .iter()
                .filter(|a| {
                    code.as_deref()
                        .is_some_and(|c| currency_is(a.currency.as_ref(), c))
                })
                .filter_map(|a| number(&a.value))
                .collect()
        };
        let (in_tax, in_doc) = (amounts(&tax_code), amounts(&doc_code));
        let both = |f: &dyn Fn(&Decimal) -> bool| in_tax.iter().any(f) && in_doc.iter().any(f);
        let zero = Decimal::ZERO;
        let same_sign = if cii {
            both(&|d| *d < zero) || both(&|d| *d >= zero)
        } else {
            both(&|d| *d <= zero) || both(&|d| *d >= zero)
        };
        if !same_sign {
            cx.fail_node("PEPPOL-EN16931-R055", root);
        }
    }
}

fn currency_is(currency: Option<&Text>, code: &str) -> bool {
    currency.is_some_and(|c| c.value == code)
}

/// R010 and R020: both parties need an electronic address. UBL tests it in the context of
/// `cac:Party`, so a customer or supplier element without a party is not tested; CII's
/// context is the trade party itself.
fn parties_addresses(cx: &mut Check<'_, '_>) {
    let inv = cx.invoice;
    let source = cx.source;
    let tested = |at: einvoice::Pos| {
        !source.syntax.is_ubl()
            || einvoice::xml::node_at(&source.doc, at).is_some_and(|n| {
                n.children()
                    .any(|c| c.has_tag_name((einvoice::NS_CAC, "Party")))
            })
    };
    let missing = [
        (
            "PEPPOL-EN16931-R010",
            inv.buyer
                .as_ref()
                .filter(|b| b.electronic_address.is_none())
                .map(|b| b.at),
        ),
        (
            "PEPPOL-EN16931-R020",
            inv.seller
                .as_ref()
                .filter(|s| s.electronic_address.is_none())
                .map(|s| s.at),
        ),
    ];
    for (id, at) in missing {
        if let Some(at) = at
            && tested(at)
        {
            cx.fail(id, at);
        }
    }
}

/// R061: direct debit (49, 59) needs a mandate reference. UBL looks inside the payment means;
/// CII at the payment terms of the whole settlement.
fn direct_debit(cx: &mut Check<'_, '_>) {
    let inv = cx.invoice;
    let mandate = |pi: &einvoice::PaymentInstructions| {
        pi.direct_debit
            .as_ref()
            .is_some_and(|d| d.mandate_reference.is_some())
    };
    let any_mandate = inv.payment_instructions.iter().any(mandate);
    for pi in &inv.payment_instructions {
        let code = pi.means_code.as_ref();
        if !(normalized_is(code, "49") || normalized_is(code, "59")) {
            continue;
        }
        let ok = match cx.syntax() {
            Syntax::Cii => any_mandate,
            _ => mandate(pi),
        };
        if !ok {
            cx.fail("PEPPOL-EN16931-R061", pi.at);
        }
    }
}

//! Maps a UBL Invoice or CreditNote tree onto the semantic model.
//!
//! The binding is the one of EN 16931-3-2 as Peppol BIS Billing 3.0 uses it. Each group is
//! read in one pass over its children, so reading is linear in the size of the document.
//! Where UBL allows more of an element than the norm allows of its term, the model keeps
//! the first and leaves the excess to the syntax rules.

mod leaf;
mod line;
mod party;

use crate::xml::{Document, Node};

use self::leaf::{
    Ns, amount, attr, cbc_child, children, fill, identifier, is_vat_scheme, set, text,
};
use crate::value::Text;
use crate::xml::pos;
use crate::{
    AllowanceCharge, BinaryObject, Card, CreditTransfer, DirectDebit, Invoice, Note,
    PaymentInstructions, Period, PrecedingInvoice, SupportingDocument, Totals, VatBreakdown,
};

/// Reads a UBL Invoice or CreditNote tree into the model, leaving the content of embedded
/// attachments to [`crate::Source::invoice`].
pub fn read(doc: &Document<'_>) -> Invoice {
    let root = doc.root_element();
    let credit_note = root.tag_name().name() == "CreditNote";
    let mut inv = Invoice {
        at: pos(root),
        ..Invoice::default()
    };
    let mut seller_creditor_id = None;
    let mut payee_creditor_id = None;
    // A credit note has no cbc:DueDate; BT-9 is PaymentMeans/PaymentDueDate there.
    let mut payment_due_date = None;
    // The lines are most of a large invoice: sized once, their vector is not copied over
    // and over while it grows.
    let lines = children(root)
        .filter(|&(ns, name, _)| ns == Ns::Cac && matches!(name, "InvoiceLine" | "CreditNoteLine"))
        .count();
    inv.lines.reserve_exact(lines);
    for (ns, name, el) in children(root) {
        match (ns, name) {
            (Ns::Cbc, "CustomizationID") => set(&mut inv.specification, el),
            (Ns::Cbc, "ProfileID") => set(&mut inv.business_process, el),
            (Ns::Cbc, "ID") => set(&mut inv.number, el),
            (Ns::Cbc, "IssueDate") => set(&mut inv.issue_date, el),
            (Ns::Cbc, "DueDate") => set(&mut inv.due_date, el),
            (Ns::Cbc, "InvoiceTypeCode" | "CreditNoteTypeCode") => set(&mut inv.type_code, el),
            (Ns::Cbc, "Note") => inv.notes.push(note(el)),
            (Ns::Cbc, "TaxPointDate") => set(&mut inv.tax_point_date, el),
            (Ns::Cbc, "DocumentCurrencyCode") => set(&mut inv.currency, el),
            (Ns::Cbc, "TaxCurrencyCode") => set(&mut inv.vat_currency, el),
            (Ns::Cbc, "AccountingCost") => set(&mut inv.buyer_accounting_reference, el),
            (Ns::Cbc, "BuyerReference") => set(&mut inv.buyer_reference, el),
            (Ns::Cac, "InvoicePeriod") => {
                let (p, code) = period(el);
                fill(&mut inv.period, Some(p));
                fill(&mut inv.tax_point_date_code, code);
            }
            (Ns::Cac, "OrderReference") => {
                for (ns, name, leaf) in children(el) {
                    match (ns, name) {
                        (Ns::Cbc, "ID") => set(&mut inv.purchase_order_reference, leaf),
                        (Ns::Cbc, "SalesOrderID") => set(&mut inv.sales_order_reference, leaf),
                        _ => {}
                    }
                }
            }
            (Ns::Cac, "BillingReference") => inv.preceding_invoices.push(billing_reference(el)),
            (Ns::Cac, "DespatchDocumentReference") => {
                fill(&mut inv.despatch_advice_reference, id_of(el));
            }
            (Ns::Cac, "ReceiptDocumentReference") => {
                fill(&mut inv.receiving_advice_reference, id_of(el));
            }
            (Ns::Cac, "OriginatorDocumentReference") => fill(&mut inv.tender_reference, id_of(el)),
            (Ns::Cac, "ContractDocumentReference") => {
                fill(&mut inv.contract_reference, id_of(el));
            }
            (Ns::Cac, "ProjectReference") => fill(&mut inv.project_reference, id_of(el)),
            (Ns::Cac, "AdditionalDocumentReference") => {
                additional_document(el, credit_note, &mut inv);
            }
            (Ns::Cac, "AccountingSupplierParty") if inv.seller.is_none() => {
                let (seller, creditor_id) = party::seller(el);
                inv.seller = Some(seller);
                seller_creditor_id = creditor_id;
            }
            (Ns::Cac, "AccountingCustomerParty") => fill(&mut inv.buyer, Some(party::buyer(el))),
            (Ns::Cac, "PayeeParty") if inv.payee.is_none() => {
                let (payee, creditor_id) = party::payee(el);
                inv.payee = Some(payee);
                payee_creditor_id = creditor_id;
            }
            (Ns::Cac, "TaxRepresentativeParty") => {
                fill(
                    &mut inv.tax_representative,
                    Some(party::tax_representative(el)),
                );
            }
            (Ns::Cac, "Delivery") => fill(&mut inv.delivery, Some(party::delivery(el))),
            (Ns::Cac, "PaymentMeans") => {
                let (instructions, due) = payment_means(el);
                inv.payment_instructions.push(instructions);
                fill(&mut payment_due_date, due);
            }
            (Ns::Cac, "PaymentTerms") => {
                fill(&mut inv.payment_terms, cbc_child(el, "Note").map(text));
            }
            (Ns::Cac, "AllowanceCharge") => inv.allowances_charges.push(allowance_charge(el)),
            (Ns::Cac, "TaxTotal") => {
                for (ns, name, leaf) in children(el) {
                    match (ns, name) {
                        (Ns::Cbc, "TaxAmount") => inv.vat_totals.push(amount(leaf)),
                        (Ns::Cac, "TaxSubtotal") => inv.vat_breakdown.push(tax_subtotal(leaf)),
                        _ => {}
                    }
                }
            }
            (Ns::Cac, "LegalMonetaryTotal") => fill(&mut inv.totals, Some(totals(el))),
            (Ns::Cac, "InvoiceLine" | "CreditNoteLine") => inv.lines.push(line::line(el)),
            _ => {}
        }
    }
    if credit_note {
        fill(&mut inv.due_date, payment_due_date);
    }
    attach_creditor_id(&mut inv, payee_creditor_id.or(seller_creditor_id));
    inv
}

/// The `cbc:ID` of a document reference.
fn id_of(node: Node<'_, '_>) -> Option<Text> {
    cbc_child(node, "ID").map(text)
}

/// BG-1. UBL has no element for the subject code (BT-21): the binding puts it in front of
/// the note text between hashes, `#AAI#text`, and BR-CL-08 recognises a three-character
/// code there, so that is what counts as a subject code.
fn note(node: Node<'_, '_>) -> Note {
    let raw = text(node);
    let at = raw.at;
    match split_subject_code(&raw.value) {
        Some((code, rest)) => Note {
            at,
            subject_code: Some(Text::at(code, at)),
            text: Some(Text::at(rest, at)),
        },
        None => Note {
            at,
            subject_code: None,
            text: Some(raw),
        },
    }
}

/// `#ABC#rest` → `("ABC", "rest")`.
pub(super) fn split_subject_code(note: &str) -> Option<(&str, &str)> {
    let (code, rest) = note.strip_prefix('#')?.split_once('#')?;
    (code.chars().count() == 3).then_some((code, rest))
}

/// BG-14 / BG-26 from a `cac:InvoicePeriod`, with BT-8 which the binding puts there too.
fn period(node: Node<'_, '_>) -> (Period, Option<Text>) {
    let mut p = Period {
        at: pos(node),
        ..Period::default()
    };
    let mut description_code = None;
    for (ns, name, el) in children(node) {
        match (ns, name) {
            (Ns::Cbc, "StartDate") => set(&mut p.start, el),
            (Ns::Cbc, "EndDate") => set(&mut p.end, el),
            (Ns::Cbc, "DescriptionCode") => set(&mut description_code, el),
            _ => {}
        }
    }
    (p, description_code)
}

/// BG-3 from `cac:BillingReference/cac:InvoiceDocumentReference`.
fn billing_reference(node: Node<'_, '_>) -> PrecedingInvoice {
    let mut b = PrecedingInvoice {
        at: pos(node),
        ..PrecedingInvoice::default()
    };
    let references =
        children(node).filter(|&(ns, n, _)| ns == Ns::Cac && n == "InvoiceDocumentReference");
    for (_, _, reference) in references {
        for (ns, name, el) in children(reference) {
            match (ns, name) {
                (Ns::Cbc, "ID") => set(&mut b.reference, el),
                (Ns::Cbc, "IssueDate") => set(&mut b.issue_date, el),
                _ => {}
            }
        }
    }
    b
}

/// An `AdditionalDocumentReference` is BT-18 when its type code is 130, BT-11 in a credit
/// note (which has no `ProjectReference`) when it is 50, and a BG-24 otherwise. The codes
/// are compared as written, as the official rules do.
fn additional_document(node: Node<'_, '_>, credit_note: bool, inv: &mut Invoice) {
    let mut id = None;
    let mut type_code = None;
    let mut doc = SupportingDocument {
        at: pos(node),
        ..SupportingDocument::default()
    };
    for (ns, name, el) in children(node) {
        match (ns, name) {
            (Ns::Cbc, "ID") => fill(&mut id, Some(el)),
            (Ns::Cbc, "DocumentTypeCode") => set(&mut type_code, el),
            (Ns::Cbc, "DocumentDescription") => set(&mut doc.description, el),
            (Ns::Cac, "Attachment") => attachment(el, &mut doc),
            _ => {}
        }
    }
    match type_code.as_ref().map(|t| t.value.as_str()) {
        Some("130") => fill(&mut inv.invoiced_object, id.map(identifier)),
        Some("50") if credit_note => fill(&mut inv.project_reference, id.map(text)),
        _ => {
            doc.reference = id.map(text);
            inv.documents.push(doc);
        }
    }
}

/// BT-124 and BT-125 from a `cac:Attachment`.
fn attachment(node: Node<'_, '_>, doc: &mut SupportingDocument) {
    for (ns, name, el) in children(node) {
        match (ns, name) {
            (Ns::Cbc, "EmbeddedDocumentBinaryObject") => fill(
                &mut doc.attachment,
                Some(BinaryObject {
                    content: Text::at("", pos(el)),
                    mime_code: attr(el, "mimeCode"),
                    filename: attr(el, "filename"),
                }),
            ),
            (Ns::Cac, "ExternalReference") => fill(&mut doc.uri, cbc_child(el, "URI").map(text)),
            _ => {}
        }
    }
}

/// BG-16 from a `cac:PaymentMeans`, with its `PaymentDueDate` (BT-9 in a credit note).
fn payment_means(node: Node<'_, '_>) -> (PaymentInstructions, Option<Text>) {
    let mut p = PaymentInstructions {
        at: pos(node),
        ..PaymentInstructions::default()
    };
    let mut due = None;
    for (ns, name, el) in children(node) {
        match (ns, name) {
            (Ns::Cbc, "PaymentMeansCode") if p.means_code.is_none() => {
                p.means_code = Some(text(el));
                p.means_text = attr(el, "name");
            }
            (Ns::Cbc, "PaymentDueDate") => set(&mut due, el),
            (Ns::Cbc, "PaymentID") => set(&mut p.remittance_information, el),
            (Ns::Cac, "CardAccount") => {
                let mut card = Card {
                    at: pos(el),
                    ..Card::default()
                };
                for (ns, name, leaf) in children(el) {
                    match (ns, name) {
                        (Ns::Cbc, "PrimaryAccountNumberID") => {
                            set(&mut card.primary_account_number, leaf);
                        }
                        (Ns::Cbc, "HolderName") => set(&mut card.holder_name, leaf),
                        _ => {}
                    }
                }
                fill(&mut p.card, Some(card));
            }
            (Ns::Cac, "PayeeFinancialAccount") => {
                let mut account = CreditTransfer {
                    at: pos(el),
                    ..CreditTransfer::default()
                };
                for (ns, name, leaf) in children(el) {
                    match (ns, name) {
                        (Ns::Cbc, "ID") => set(&mut account.account_id, leaf),
                        (Ns::Cbc, "Name") => set(&mut account.account_name, leaf),
                        (Ns::Cac, "FinancialInstitutionBranch") => {
                            fill(&mut account.service_provider, id_of(leaf));
                        }
                        _ => {}
                    }
                }
                p.credit_transfers.push(account);
            }
            (Ns::Cac, "PaymentMandate") => {
                let mut debit = DirectDebit {
                    at: pos(el),
                    ..DirectDebit::default()
                };
                for (ns, name, leaf) in children(el) {
                    match (ns, name) {
                        (Ns::Cbc, "ID") => set(&mut debit.mandate_reference, leaf),
                        (Ns::Cac, "PayerFinancialAccount") => {
                            fill(&mut debit.debited_account, id_of(leaf));
                        }
                        _ => {}
                    }
                }
                fill(&mut p.direct_debit, Some(debit));
            }
            _ => {}
        }
    }
    (p, due)
}

/// UBL keeps BT-90 with the seller or payee party, the model with the direct debit (BG-19).
/// Every mandate gets it; without any mandate it opens a direct debit on the first payment
/// means that is a direct debit (49, 59), else on the first payment means at all.
fn attach_creditor_id(inv: &mut Invoice, creditor_id: Option<Text>) {
    let Some(creditor_id) = creditor_id else {
        return;
    };
    let mut attached = false;
    for debit in inv
        .payment_instructions
        .iter_mut()
        .filter_map(|p| p.direct_debit.as_mut())
    {
        debit.creditor_id = Some(creditor_id.clone());
        attached = true;
    }
    if attached {
        return;
    }
    let is_debit = |p: &PaymentInstructions| {
        p.means_code
            .as_ref()
            .is_some_and(|c| matches!(c.trim(), "49" | "59"))
    };
    let position = inv
        .payment_instructions
        .iter()
        .position(is_debit)
        .unwrap_or(0);
    if let Some(p) = inv.payment_instructions.get_mut(position) {
        p.direct_debit = Some(DirectDebit {
            at: creditor_id.at,
            creditor_id: Some(creditor_id),
            ..DirectDebit::default()
        });
    }
}

/// The VAT terms of a `TaxCategory`/`ClassifiedTaxCategory`, or `None` when its tax scheme
/// is not VAT (only VAT categories carry EN 16931 terms).
struct TaxCategory {
    id: Option<Text>,
    percent: Option<Text>,
    exemption_reason_code: Option<Text>,
    exemption_reason: Option<Text>,
}

fn tax_category(node: Node<'_, '_>) -> Option<TaxCategory> {
    let mut c = TaxCategory {
        id: None,
        percent: None,
        exemption_reason_code: None,
        exemption_reason: None,
    };
    let mut vat = false;
    for (ns, name, el) in children(node) {
        match (ns, name) {
            (Ns::Cbc, "ID") => set(&mut c.id, el),
            (Ns::Cbc, "Percent") => set(&mut c.percent, el),
            (Ns::Cbc, "TaxExemptionReasonCode") => set(&mut c.exemption_reason_code, el),
            (Ns::Cbc, "TaxExemptionReason") => set(&mut c.exemption_reason, el),
            (Ns::Cac, "TaxScheme") => vat |= is_vat_scheme(el),
            _ => {}
        }
    }
    vat.then_some(c)
}

/// BG-20/BG-21 (and, without the VAT terms, BG-27/BG-28) from a `cac:AllowanceCharge`.
fn allowance_charge(node: Node<'_, '_>) -> AllowanceCharge {
    let mut ac = AllowanceCharge {
        at: pos(node),
        ..AllowanceCharge::default()
    };
    for (ns, name, el) in children(node) {
        match (ns, name) {
            (Ns::Cbc, "ChargeIndicator") => set(&mut ac.charge_indicator, el),
            (Ns::Cbc, "AllowanceChargeReasonCode") => set(&mut ac.reason_code, el),
            (Ns::Cbc, "AllowanceChargeReason") => set(&mut ac.reason, el),
            (Ns::Cbc, "MultiplierFactorNumeric") => set(&mut ac.percentage, el),
            (Ns::Cbc, "Amount") => fill(&mut ac.amount, Some(amount(el))),
            (Ns::Cbc, "BaseAmount") => fill(&mut ac.base_amount, Some(amount(el))),
            (Ns::Cac, "TaxCategory") if ac.vat_category.is_none() && ac.vat_rate.is_none() => {
                if let Some(c) = tax_category(el) {
                    ac.vat_category = c.id;
                    ac.vat_rate = c.percent;
                }
            }
            _ => {}
        }
    }
    ac
}

/// BG-23 from a `cac:TaxSubtotal`.
fn tax_subtotal(node: Node<'_, '_>) -> VatBreakdown {
    let mut v = VatBreakdown {
        at: pos(node),
        ..VatBreakdown::default()
    };
    for (ns, name, el) in children(node) {
        match (ns, name) {
            (Ns::Cbc, "TaxableAmount") => fill(&mut v.taxable_amount, Some(amount(el))),
            (Ns::Cbc, "TaxAmount") => fill(&mut v.tax_amount, Some(amount(el))),
            (Ns::Cac, "TaxCategory") if v.category.is_none() => {
                if let Some(c) = tax_category(el) {
                    v.category = c.id;
                    v.rate = c.percent;
                    v.exemption_reason_code = c.exemption_reason_code;
                    v.exemption_reason = c.exemption_reason;
                }
            }
            _ => {}
        }
    }
    v
}

/// BG-22 from `cac:LegalMonetaryTotal`.
fn totals(node: Node<'_, '_>) -> Totals {
    let mut t = Totals {
        at: pos(node),
        ..Totals::default()
    };
    for (ns, name, el) in children(node) {
        let slot = match (ns, name) {
            (Ns::Cbc, "LineExtensionAmount") => &mut t.line_net_total,
            (Ns::Cbc, "AllowanceTotalAmount") => &mut t.allowance_total,
            (Ns::Cbc, "ChargeTotalAmount") => &mut t.charge_total,
            (Ns::Cbc, "TaxExclusiveAmount") => &mut t.tax_exclusive,
            (Ns::Cbc, "TaxInclusiveAmount") => &mut t.tax_inclusive,
            (Ns::Cbc, "PrepaidAmount") => &mut t.prepaid,
            (Ns::Cbc, "PayableRoundingAmount") => &mut t.rounding,
            (Ns::Cbc, "PayableAmount") => &mut t.payable,
            _ => continue,
        };
        fill(slot, Some(amount(el)));
    }
    t
}

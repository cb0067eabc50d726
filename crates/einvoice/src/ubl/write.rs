//! Writes the model as UBL 2.1 in the shape of Peppol BIS Billing 3.0.
//!
//! Elements follow the sequence of the UBL 2.1 schemas, which differs between Invoice and
//! CreditNote in a few places (the type code, the tax point date, the document references,
//! the due date). Values are written trimmed and as given, except dates, which are written
//! as `YYYY-MM-DD` whenever they are dates in either syntax, so that a CII document
//! converts. Absent terms are left out; nothing is invented except the fixed codes the
//! binding prescribes (tax scheme `VAT`, document type `130`, and so on).

mod line;
mod party;
mod xml;

use self::line::LineNames;
use self::xml::Xml;
use super::read::split_subject_code;
use crate::value::Text;
use crate::{
    AllowanceCharge, Amount, Invoice, LineAllowanceCharge, NS_CAC, NS_CBC, NS_UBL_CREDIT_NOTE,
    NS_UBL_INVOICE, Note, PaymentInstructions, Period, SupportingDocument, Syntax, VatBreakdown,
};

/// Where the two document kinds differ.
struct Kind {
    root: &'static str,
    namespace: &'static str,
    type_code: &'static str,
    lines: LineNames,
    credit_note: bool,
}

const INVOICE: Kind = Kind {
    root: "Invoice",
    namespace: NS_UBL_INVOICE,
    type_code: "cbc:InvoiceTypeCode",
    lines: LineNames {
        line: "cac:InvoiceLine",
        quantity: "cbc:InvoicedQuantity",
    },
    credit_note: false,
};

const CREDIT_NOTE: Kind = Kind {
    root: "CreditNote",
    namespace: NS_UBL_CREDIT_NOTE,
    type_code: "cbc:CreditNoteTypeCode",
    lines: LineNames {
        line: "cac:CreditNoteLine",
        quantity: "cbc:CreditedQuantity",
    },
    credit_note: true,
};

/// Writes `invoice` as a UBL document of the given kind; [`Syntax::Cii`] writes an Invoice.
pub fn write(invoice: &Invoice, kind: Syntax) -> String {
    let kind = match kind {
        Syntax::UblCreditNote => &CREDIT_NOTE,
        Syntax::UblInvoice | Syntax::Cii => &INVOICE,
    };
    let mut x = Xml::new(invoice.currency.as_ref());
    let namespaces = [
        ("xmlns", kind.namespace),
        ("xmlns:cac", NS_CAC),
        ("xmlns:cbc", NS_CBC),
    ];
    x.group(kind.root, &namespaces, |x| document(x, kind, invoice));
    x.finish()
}

fn document(x: &mut Xml, kind: &Kind, inv: &Invoice) {
    x.text("cbc:CustomizationID", inv.specification.as_ref());
    x.text("cbc:ProfileID", inv.business_process.as_ref());
    x.text("cbc:ID", inv.number.as_ref());
    x.date("cbc:IssueDate", inv.issue_date.as_ref());
    if kind.credit_note {
        x.date("cbc:TaxPointDate", inv.tax_point_date.as_ref());
        x.text(kind.type_code, inv.type_code.as_ref());
        notes(x, &inv.notes);
    } else {
        x.date("cbc:DueDate", inv.due_date.as_ref());
        x.text(kind.type_code, inv.type_code.as_ref());
        notes(x, &inv.notes);
        x.date("cbc:TaxPointDate", inv.tax_point_date.as_ref());
    }
    x.text("cbc:DocumentCurrencyCode", inv.currency.as_ref());
    x.text("cbc:TaxCurrencyCode", inv.vat_currency.as_ref());
    x.text(
        "cbc:AccountingCost",
        inv.buyer_accounting_reference.as_ref(),
    );
    x.text("cbc:BuyerReference", inv.buyer_reference.as_ref());
    if inv.period.is_some() || inv.tax_point_date_code.is_some() {
        let none = Period::default();
        let p = inv.period.as_ref().unwrap_or(&none);
        period(x, p, inv.tax_point_date_code.as_ref());
    }
    references(x, kind, inv);
    let creditor_id = inv
        .payment_instructions
        .iter()
        .find_map(|p| p.direct_debit.as_ref()?.creditor_id.as_ref());
    // BT-90 goes with the payee when there is one, as the reader looks for it there first.
    let (seller_creditor_id, payee_creditor_id) = match inv.payee {
        Some(_) => (None, creditor_id),
        None => (creditor_id, None),
    };
    if let Some(s) = &inv.seller {
        party::seller(x, s, seller_creditor_id);
    }
    if let Some(b) = &inv.buyer {
        party::buyer(x, b);
    }
    if let Some(p) = &inv.payee {
        party::payee(x, p, payee_creditor_id);
    }
    if let Some(t) = &inv.tax_representative {
        party::tax_representative(x, t);
    }
    if let Some(d) = &inv.delivery {
        party::delivery(x, d);
    }
    let mut due_date = inv.due_date.as_ref().filter(|_| kind.credit_note);
    // UBL allows one payment mandate (UBL-SR-55); a model read from CII repeats the
    // document-level BG-19 in every payment instruction.
    let mut mandate_written = false;
    for p in &inv.payment_instructions {
        payment_means(x, p, due_date.take(), &mut mandate_written);
    }
    x.wrapped("cac:PaymentTerms", "cbc:Note", inv.payment_terms.as_ref());
    for ac in &inv.allowances_charges {
        allowance_charge(x, &Charge::from(ac));
    }
    tax_totals(x, inv);
    if let Some(t) = &inv.totals {
        x.group("cac:LegalMonetaryTotal", &[], |x| {
            x.amount("cbc:LineExtensionAmount", t.line_net_total.as_ref());
            x.amount("cbc:TaxExclusiveAmount", t.tax_exclusive.as_ref());
            x.amount("cbc:TaxInclusiveAmount", t.tax_inclusive.as_ref());
            x.amount("cbc:AllowanceTotalAmount", t.allowance_total.as_ref());
            x.amount("cbc:ChargeTotalAmount", t.charge_total.as_ref());
            x.amount("cbc:PrepaidAmount", t.prepaid.as_ref());
            x.amount("cbc:PayableRoundingAmount", t.rounding.as_ref());
            x.amount("cbc:PayableAmount", t.payable.as_ref());
        });
    }
    for l in &inv.lines {
        line::line(x, &kind.lines, l);
    }
}

/// BG-1: the subject code (BT-21) goes in front of the text, between hashes.
fn notes(x: &mut Xml, notes: &[Note]) {
    for n in notes {
        let body = n.text.as_ref().map_or("", |t| t.trim());
        match &n.subject_code {
            Some(code) => x.leaf("cbc:Note", &[], &format!("#{}#{body}", code.trim())),
            // A note that merely looks like it starts with a subject code would be read back
            // as one; a leading space keeps it plain text.
            None if split_subject_code(body).is_some() => {
                x.leaf("cbc:Note", &[], &format!(" {body}"))
            }
            None => x.leaf("cbc:Note", &[], body),
        }
    }
}

/// BG-14 / BG-26, and BT-8 for the invoice period.
fn period(x: &mut Xml, p: &Period, description_code: Option<&Text>) {
    x.group("cac:InvoicePeriod", &[], |x| {
        x.date("cbc:StartDate", p.start.as_ref());
        x.date("cbc:EndDate", p.end.as_ref());
        let code = description_code
            .map(|c| Text::new(crate::model::vat_point_date_code_for_ubl(&c.value)));
        x.text("cbc:DescriptionCode", code.as_ref());
    });
}

/// BT-11..BT-18, BG-3 and BG-24 in schema order; a credit note has no `ProjectReference`
/// and carries BT-11 as an additional document of type 50.
fn references(x: &mut Xml, kind: &Kind, inv: &Invoice) {
    let has_order = inv.purchase_order_reference.is_some() || inv.sales_order_reference.is_some();
    if has_order {
        x.group("cac:OrderReference", &[], |x| {
            x.text("cbc:ID", inv.purchase_order_reference.as_ref());
            x.text("cbc:SalesOrderID", inv.sales_order_reference.as_ref());
        });
    }
    for b in &inv.preceding_invoices {
        x.group("cac:BillingReference", &[], |x| {
            x.group("cac:InvoiceDocumentReference", &[], |x| {
                x.text("cbc:ID", b.reference.as_ref());
                x.date("cbc:IssueDate", b.issue_date.as_ref());
            });
        });
    }
    x.wrapped(
        "cac:DespatchDocumentReference",
        "cbc:ID",
        inv.despatch_advice_reference.as_ref(),
    );
    x.wrapped(
        "cac:ReceiptDocumentReference",
        "cbc:ID",
        inv.receiving_advice_reference.as_ref(),
    );
    let tender = inv.tender_reference.as_ref();
    if !kind.credit_note {
        x.wrapped("cac:OriginatorDocumentReference", "cbc:ID", tender);
    }
    x.wrapped(
        "cac:ContractDocumentReference",
        "cbc:ID",
        inv.contract_reference.as_ref(),
    );
    if let Some(object) = &inv.invoiced_object {
        x.group("cac:AdditionalDocumentReference", &[], |x| {
            x.identifier("cbc:ID", Some(object));
            x.leaf("cbc:DocumentTypeCode", &[], "130");
        });
    }
    if let Some(project) = inv.project_reference.as_ref().filter(|_| kind.credit_note) {
        x.group("cac:AdditionalDocumentReference", &[], |x| {
            x.text("cbc:ID", Some(project));
            x.leaf("cbc:DocumentTypeCode", &[], "50");
        });
    }
    for d in &inv.documents {
        supporting_document(x, d);
    }
    if kind.credit_note {
        x.wrapped("cac:OriginatorDocumentReference", "cbc:ID", tender);
    } else {
        x.wrapped(
            "cac:ProjectReference",
            "cbc:ID",
            inv.project_reference.as_ref(),
        );
    }
}

/// BG-24.
fn supporting_document(x: &mut Xml, d: &SupportingDocument) {
    x.group("cac:AdditionalDocumentReference", &[], |x| {
        x.text("cbc:ID", d.reference.as_ref());
        x.text("cbc:DocumentDescription", d.description.as_ref());
        if d.attachment.is_some() || d.uri.is_some() {
            x.group("cac:Attachment", &[], |x| {
                if let Some(a) = &d.attachment {
                    let attributes = [
                        ("mimeCode", a.mime_code.as_ref()),
                        ("filename", a.filename.as_ref()),
                    ];
                    x.leaf(
                        "cbc:EmbeddedDocumentBinaryObject",
                        &attributes,
                        a.content.trim(),
                    );
                }
                x.wrapped("cac:ExternalReference", "cbc:URI", d.uri.as_ref());
            });
        }
    });
}

/// BG-16. UBL holds one account per payment means, so further credit transfers (BG-17)
/// repeat the payment means; the card and the mandate go with the first. In a credit note
/// the first payment means also carries the due date (BT-9).
fn payment_means(
    x: &mut Xml,
    p: &PaymentInstructions,
    due_date: Option<&Text>,
    mandate_written: &mut bool,
) {
    let accounts = p.credit_transfers.iter().map(Some);
    let accounts: Vec<_> = if p.credit_transfers.is_empty() {
        vec![None]
    } else {
        accounts.collect()
    };
    for (i, account) in accounts.into_iter().enumerate() {
        let first = i == 0;
        x.group("cac:PaymentMeans", &[], |x| {
            if let Some(code) = &p.means_code {
                x.leaf(
                    "cbc:PaymentMeansCode",
                    &[("name", p.means_text.as_ref())],
                    code.trim(),
                );
            }
            if first {
                x.date("cbc:PaymentDueDate", due_date);
            }
            x.text("cbc:PaymentID", p.remittance_information.as_ref());
            if let Some(card) = p.card.as_ref().filter(|_| first) {
                x.group("cac:CardAccount", &[], |x| {
                    x.text(
                        "cbc:PrimaryAccountNumberID",
                        card.primary_account_number.as_ref(),
                    );
                    // Mandatory in UBL's CardAccountType, no business term: a placeholder.
                    x.leaf("cbc:NetworkID", &[], "NA");
                    x.text("cbc:HolderName", card.holder_name.as_ref());
                });
            }
            if let Some(a) = account {
                x.group("cac:PayeeFinancialAccount", &[], |x| {
                    x.text("cbc:ID", a.account_id.as_ref());
                    x.text("cbc:Name", a.account_name.as_ref());
                    x.wrapped(
                        "cac:FinancialInstitutionBranch",
                        "cbc:ID",
                        a.service_provider.as_ref(),
                    );
                });
            }
            // BT-90 is written with the party; a direct debit that holds nothing else came
            // from there and has no mandate element of its own.
            let mandate = p.direct_debit.as_ref().filter(|d| {
                first
                    && !*mandate_written
                    && (d.mandate_reference.is_some()
                        || d.debited_account.is_some()
                        || d.creditor_id.is_none())
            });
            if let Some(d) = mandate {
                *mandate_written = true;
                x.group("cac:PaymentMandate", &[], |x| {
                    x.text("cbc:ID", d.mandate_reference.as_ref());
                    x.wrapped(
                        "cac:PayerFinancialAccount",
                        "cbc:ID",
                        d.debited_account.as_ref(),
                    );
                });
            }
        });
    }
}

/// An allowance or charge at document or line level, borrowed from either model type.
struct Charge<'a> {
    indicator: Option<&'a Text>,
    reason_code: Option<&'a Text>,
    reason: Option<&'a Text>,
    percentage: Option<&'a Text>,
    amount: Option<&'a Amount>,
    base_amount: Option<&'a Amount>,
    vat: VatCategory<'a>,
}

impl<'a> From<&'a AllowanceCharge> for Charge<'a> {
    fn from(ac: &'a AllowanceCharge) -> Self {
        Charge {
            indicator: ac.charge_indicator.as_ref(),
            reason_code: ac.reason_code.as_ref(),
            reason: ac.reason.as_ref(),
            percentage: ac.percentage.as_ref(),
            amount: ac.amount.as_ref(),
            base_amount: ac.base_amount.as_ref(),
            vat: VatCategory {
                id: ac.vat_category.as_ref(),
                rate: ac.vat_rate.as_ref(),
                ..VatCategory::default()
            },
        }
    }
}

impl<'a> From<&'a LineAllowanceCharge> for Charge<'a> {
    fn from(ac: &'a LineAllowanceCharge) -> Self {
        Charge {
            indicator: ac.charge_indicator.as_ref(),
            reason_code: ac.reason_code.as_ref(),
            reason: ac.reason.as_ref(),
            percentage: ac.percentage.as_ref(),
            amount: ac.amount.as_ref(),
            base_amount: ac.base_amount.as_ref(),
            vat: VatCategory::default(),
        }
    }
}

/// BG-20, BG-21, BG-27, BG-28.
fn allowance_charge(x: &mut Xml, c: &Charge<'_>) {
    x.group("cac:AllowanceCharge", &[], |x| {
        x.text("cbc:ChargeIndicator", c.indicator);
        x.text("cbc:AllowanceChargeReasonCode", c.reason_code);
        x.text("cbc:AllowanceChargeReason", c.reason);
        x.text("cbc:MultiplierFactorNumeric", c.percentage);
        x.amount("cbc:Amount", c.amount);
        x.amount("cbc:BaseAmount", c.base_amount);
        tax_category(x, "cac:TaxCategory", &c.vat);
    });
}

/// The VAT terms of a tax category.
#[derive(Default)]
struct VatCategory<'a> {
    id: Option<&'a Text>,
    rate: Option<&'a Text>,
    exemption_reason_code: Option<&'a Text>,
    exemption_reason: Option<&'a Text>,
}

/// A tax category in the VAT tax scheme, when it holds any term.
fn tax_category(x: &mut Xml, element: &str, c: &VatCategory<'_>) {
    let any = c.id.is_some()
        || c.rate.is_some()
        || c.exemption_reason_code.is_some()
        || c.exemption_reason.is_some();
    if any {
        x.group(element, &[], |x| {
            x.text("cbc:ID", c.id);
            x.text("cbc:Percent", c.rate);
            x.text("cbc:TaxExemptionReasonCode", c.exemption_reason_code);
            x.text("cbc:TaxExemptionReason", c.exemption_reason);
            x.group("cac:TaxScheme", &[], |x| x.leaf("cbc:ID", &[], "VAT"));
        });
    }
}

/// BT-110/BT-111 and BG-23: one `TaxTotal` per VAT total; the breakdown goes with the total
/// in the invoice currency (BT-110), or the first total when none is in that currency.
fn tax_totals(x: &mut Xml, inv: &Invoice) {
    let currency = inv.currency.as_ref().map(Text::trim);
    let in_currency = |a: &Amount| a.currency.as_ref().map(Text::trim) == currency;
    let breakdown_at = inv.vat_totals.iter().position(in_currency).unwrap_or(0);
    if inv.vat_totals.is_empty() && !inv.vat_breakdown.is_empty() {
        // CII may leave BT-110 out (e.g. when nothing is taxed); UBL's TaxTotal requires a
        // TaxAmount. EN 16931 fixes its value (BR-CO-14: BT-110 = Σ BT-117), so it is
        // derived when every BT-117 is a number.
        let derived = inv
            .vat_breakdown
            .iter()
            .map(|v| v.tax_amount.as_ref().and_then(|a| a.value.decimal()))
            .sum::<Option<rust_decimal::Decimal>>()
            .map(|sum| Amount {
                value: Text::new(sum.to_string()),
                currency: None,
            });
        x.group("cac:TaxTotal", &[], |x| {
            x.amount("cbc:TaxAmount", derived.as_ref());
            vat_breakdown(x, &inv.vat_breakdown)
        });
    }
    for (i, total) in inv.vat_totals.iter().enumerate() {
        x.group("cac:TaxTotal", &[], |x| {
            x.amount("cbc:TaxAmount", Some(total));
            if i == breakdown_at {
                vat_breakdown(x, &inv.vat_breakdown);
            }
        });
    }
}

fn vat_breakdown(x: &mut Xml, breakdown: &[VatBreakdown]) {
    for v in breakdown {
        x.group("cac:TaxSubtotal", &[], |x| {
            x.amount("cbc:TaxableAmount", v.taxable_amount.as_ref());
            x.amount("cbc:TaxAmount", v.tax_amount.as_ref());
            let category = VatCategory {
                id: v.category.as_ref(),
                rate: v.rate.as_ref(),
                exemption_reason_code: v.exemption_reason_code.as_ref(),
                exemption_reason: v.exemption_reason.as_ref(),
            };
            tax_category(x, "cac:TaxCategory", &category);
        });
    }
}

//! Maps a CII tree onto the semantic model, following the EN 16931 CII binding as the
//! official CII Schematron reads it.
//!
//! Each group is read in one pass over its element children, so reading is linear in the
//! size of the document. Where the binding scatters one model group over several CII
//! elements (BG-16..BG-19 live partly in `SpecifiedTradePaymentTerms` and in header
//! settlement fields), the header values are read first and copied into each group.

use crate::xml::dom::KnownNamespace::{self, Qdt, Ram, Rsm, Udt};
use crate::xml::{Document, Node};

use crate::model::*;
use crate::value::Text;
use crate::xml::pos;

/// Reads a CII tree into the model, leaving the content of embedded attachments to
/// [`crate::Source::invoice`].
pub fn read(doc: &Document<'_>) -> Invoice {
    let root = doc.root_element();
    let mut inv = Invoice {
        at: pos(root),
        ..Invoice::default()
    };
    for child in root.children() {
        match local(child, Rsm) {
            Some("ExchangedDocumentContext") => context(child, &mut inv),
            Some("ExchangedDocument") => document(child, &mut inv),
            Some("SupplyChainTradeTransaction") => transaction(child, &mut inv),
            _ => {}
        }
    }
    inv
}

type N<'a, 'i> = Node<'a, 'i>;

/// The local name of `n` when it is an element in namespace `ns` (compared as the interned
/// index, not as a string).
fn local<'a>(n: N<'a, '_>, ns: KnownNamespace) -> Option<&'a str> {
    if n.known_namespace() == Some(ns) {
        Some(n.tag_name().name())
    } else {
        None
    }
}

/// The element children of `n` in the RAM namespace, with their local names.
fn ram<'a, 'i>(n: N<'a, 'i>) -> impl Iterator<Item = (&'a str, N<'a, 'i>)> {
    n.children()
        .filter_map(|c| local(c, Ram).map(|name| (name, c)))
}

/// The string value of an element (all descendant text, untrimmed) at its position.
fn text(n: N<'_, '_>) -> Text {
    Text::at(n.string_value().into_owned(), pos(n))
}

fn attr(n: N<'_, '_>, name: &str) -> Option<Text> {
    n.attribute(name).map(|v| Text::at(v, pos(n)))
}

/// Sets a 0..1 value from `n` unless an earlier sibling already did (the model keeps the
/// first; the syntax rules report repetitions).
fn first(slot: &mut Option<Text>, n: N<'_, '_>) {
    if slot.is_none() {
        *slot = Some(text(n));
    }
}

fn first_with<T>(slot: &mut Option<T>, make: impl FnOnce() -> T) {
    if slot.is_none() {
        *slot = Some(make());
    }
}

/// Fills an empty 0..1 slot from the first RAM child `name` of `n`.
fn first_child<T>(
    slot: &mut Option<T>,
    n: N<'_, '_>,
    name: &str,
    make: impl FnOnce(N<'_, '_>) -> T,
) {
    if slot.is_none() {
        *slot = ram(n).find(|(l, _)| *l == name).map(|(_, c)| make(c));
    }
}

/// The first RAM child called `name`, as text.
fn child_text(n: N<'_, '_>, name: &str) -> Option<Text> {
    ram(n).find(|(l, _)| *l == name).map(|(_, c)| text(c))
}

fn identifier(n: N<'_, '_>) -> Identifier {
    Identifier {
        id: text(n),
        scheme: attr(n, "schemeID"),
    }
}

fn amount(n: N<'_, '_>) -> Amount {
    Amount {
        value: text(n),
        currency: attr(n, "currencyID"),
    }
}

fn quantity(n: N<'_, '_>) -> Quantity {
    Quantity {
        value: text(n),
        unit: attr(n, "unitCode"),
    }
}

/// A date held in `udt:DateTimeString` (DateTimeType), `udt:DateString` (DateType) or
/// `qdt:DateTimeString` (FormattedDateTimeType), kept as written.
fn date(n: N<'_, '_>) -> Option<Text> {
    n.children()
        .find(|c| {
            matches!(c.known_namespace(), Some(Udt | Qdt))
                && matches!(c.tag_name().name(), "DateTimeString" | "DateString")
        })
        .map(text)
}

/// `ram:ChargeIndicator/udt:Indicator`.
fn indicator(n: N<'_, '_>) -> Option<Text> {
    n.children()
        .find(|c| local(*c, Udt) == Some("Indicator"))
        .map(text)
}

fn context(n: N<'_, '_>, inv: &mut Invoice) {
    for (name, c) in ram(n) {
        let slot = match name {
            "BusinessProcessSpecifiedDocumentContextParameter" => &mut inv.business_process,
            "GuidelineSpecifiedDocumentContextParameter" => &mut inv.specification,
            _ => continue,
        };
        first_child(slot, c, "ID", text);
    }
}

fn document(n: N<'_, '_>, inv: &mut Invoice) {
    for (name, c) in ram(n) {
        match name {
            "ID" => first(&mut inv.number, c),
            "TypeCode" => first(&mut inv.type_code, c),
            "IssueDateTime" => first_date(&mut inv.issue_date, c),
            "IncludedNote" => inv.notes.push(note(c)),
            _ => {}
        }
    }
}

fn first_date(slot: &mut Option<Text>, n: N<'_, '_>) {
    if slot.is_none() {
        *slot = date(n);
    }
}

fn note(n: N<'_, '_>) -> Note {
    let mut note = Note {
        at: pos(n),
        ..Note::default()
    };
    for (name, c) in ram(n) {
        match name {
            "Content" => first(&mut note.text, c),
            "SubjectCode" => first(&mut note.subject_code, c),
            _ => {}
        }
    }
    note
}

fn transaction(n: N<'_, '_>, inv: &mut Invoice) {
    // Sized once, as for UBL (see `ubl::read`).
    let lines = ram(n)
        .filter(|&(name, _)| name == "IncludedSupplyChainTradeLineItem")
        .count();
    inv.lines.reserve_exact(lines);
    for (name, c) in ram(n) {
        match name {
            "IncludedSupplyChainTradeLineItem" => inv.lines.push(line(c)),
            "ApplicableHeaderTradeAgreement" => agreement(c, inv),
            "ApplicableHeaderTradeDelivery" => delivery(c, inv),
            "ApplicableHeaderTradeSettlement" => settlement(c, inv),
            _ => {}
        }
    }
}

fn agreement(n: N<'_, '_>, inv: &mut Invoice) {
    for (name, c) in ram(n) {
        match name {
            "BuyerReference" => first(&mut inv.buyer_reference, c),
            "SellerTradeParty" => first_with(&mut inv.seller, || seller(c)),
            "BuyerTradeParty" => first_with(&mut inv.buyer, || buyer(c)),
            "SellerTaxRepresentativeTradeParty" => {
                first_with(&mut inv.tax_representative, || tax_representative(c))
            }
            "SellerOrderReferencedDocument" => first_ref(&mut inv.sales_order_reference, c),
            "BuyerOrderReferencedDocument" => first_ref(&mut inv.purchase_order_reference, c),
            "ContractReferencedDocument" => first_ref(&mut inv.contract_reference, c),
            "AdditionalReferencedDocument" => additional_document(c, inv),
            "SpecifiedProcuringProject" => first_child(&mut inv.project_reference, c, "ID", text),
            _ => {}
        }
    }
}

fn first_ref(slot: &mut Option<Text>, n: N<'_, '_>) {
    first_child(slot, n, "IssuerAssignedID", text);
}

/// The binding overloads `AdditionalReferencedDocument` by `TypeCode`: 50 is the tender or
/// lot reference (BT-17), 130 the invoiced object identifier (BT-18), anything else a
/// supporting document (BG-24; the official rules treat every such element as one).
fn additional_document(n: N<'_, '_>, inv: &mut Invoice) {
    let type_code = child_text(n, "TypeCode");
    match type_code.as_ref().map(Text::trim) {
        Some("50") => first_ref(&mut inv.tender_reference, n),
        Some("130") => first_with(&mut inv.invoiced_object, || object_identifier(n)),
        _ => inv.documents.push(supporting_document(n)),
    }
}

/// BT-18 / BT-128: `IssuerAssignedID` with `ReferenceTypeCode` as its scheme. A reference
/// without `IssuerAssignedID` yields an empty identifier at the reference itself.
fn object_identifier(n: N<'_, '_>) -> Identifier {
    let mut id = Identifier {
        id: Text::at("", pos(n)),
        scheme: None,
    };
    let mut found = None;
    for (name, c) in ram(n) {
        match name {
            "IssuerAssignedID" => first(&mut found, c),
            "ReferenceTypeCode" => first(&mut id.scheme, c),
            _ => {}
        }
    }
    if let Some(found) = found {
        id.id = found;
    }
    id
}

fn supporting_document(n: N<'_, '_>) -> SupportingDocument {
    let mut d = SupportingDocument {
        at: pos(n),
        ..SupportingDocument::default()
    };
    for (name, c) in ram(n) {
        match name {
            "IssuerAssignedID" => first(&mut d.reference, c),
            "URIID" => first(&mut d.uri, c),
            "Name" => first(&mut d.description, c),
            "AttachmentBinaryObject" => first_with(&mut d.attachment, || BinaryObject {
                content: Text::at("", pos(c)),
                mime_code: attr(c, "mimeCode"),
                filename: attr(c, "filename"),
            }),
            _ => {}
        }
    }
    d
}

/// The parts every CII trade party may carry; each role keeps the ones the binding maps.
#[derive(Default)]
struct Party {
    name: Option<Text>,
    identifiers: Vec<Identifier>,
    trading_name: Option<Text>,
    legal_registration: Option<Identifier>,
    description: Option<Text>,
    contact: Option<Contact>,
    address: Option<Address>,
    electronic_address: Option<Identifier>,
    vat_id: Option<Text>,
    tax_registration: Option<Text>,
}

fn party(n: N<'_, '_>) -> Party {
    let mut p = Party::default();
    for (name, c) in ram(n) {
        match name {
            // BT-29, BT-46, BT-60, BT-71: both ram:ID and ram:GlobalID, in document order.
            "ID" | "GlobalID" => p.identifiers.push(identifier(c)),
            "Name" => first(&mut p.name, c),
            "Description" => first(&mut p.description, c),
            "SpecifiedLegalOrganization" => {
                for (name, o) in ram(c) {
                    match name {
                        "ID" => first_with(&mut p.legal_registration, || identifier(o)),
                        "TradingBusinessName" => first(&mut p.trading_name, o),
                        _ => {}
                    }
                }
            }
            "DefinedTradeContact" => first_with(&mut p.contact, || contact(c)),
            "PostalTradeAddress" => first_with(&mut p.address, || address(c)),
            "URIUniversalCommunication" => {
                first_child(&mut p.electronic_address, c, "URIID", identifier)
            }
            "SpecifiedTaxRegistration" => {
                for (name, r) in ram(c) {
                    if name != "ID" {
                        continue;
                    }
                    // The binding tells VAT (BT-31) from tax (BT-32) registration by scheme.
                    match r.attribute("schemeID") {
                        Some("VA") => first(&mut p.vat_id, r),
                        Some("FC") => first(&mut p.tax_registration, r),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    p
}

fn contact(n: N<'_, '_>) -> Contact {
    let mut k = Contact {
        at: pos(n),
        ..Contact::default()
    };
    for (name, c) in ram(n) {
        match name {
            "PersonName" => first(&mut k.name, c),
            "TelephoneUniversalCommunication" => {
                first_child(&mut k.phone, c, "CompleteNumber", text)
            }
            "EmailURIUniversalCommunication" => first_child(&mut k.email, c, "URIID", text),
            _ => {}
        }
    }
    k
}

fn address(n: N<'_, '_>) -> Address {
    let mut a = Address {
        at: pos(n),
        ..Address::default()
    };
    for (name, c) in ram(n) {
        let slot = match name {
            "PostcodeCode" => &mut a.post_code,
            "LineOne" => &mut a.line1,
            "LineTwo" => &mut a.line2,
            "LineThree" => &mut a.line3,
            "CityName" => &mut a.city,
            "CountryID" => &mut a.country,
            "CountrySubDivisionName" => &mut a.subdivision,
            _ => continue,
        };
        first(slot, c);
    }
    a
}

fn seller(n: N<'_, '_>) -> Seller {
    let p = party(n);
    Seller {
        at: pos(n),
        name: p.name,
        trading_name: p.trading_name,
        identifiers: p.identifiers,
        legal_registration: p.legal_registration,
        vat_id: p.vat_id,
        tax_registration: p.tax_registration,
        legal_info: p.description,
        electronic_address: p.electronic_address,
        address: p.address,
        contact: p.contact,
    }
}

fn buyer(n: N<'_, '_>) -> Buyer {
    let p = party(n);
    Buyer {
        at: pos(n),
        name: p.name,
        trading_name: p.trading_name,
        identifiers: p.identifiers,
        legal_registration: p.legal_registration,
        vat_id: p.vat_id,
        electronic_address: p.electronic_address,
        address: p.address,
        contact: p.contact,
    }
}

fn payee(n: N<'_, '_>) -> Payee {
    let p = party(n);
    Payee {
        at: pos(n),
        name: p.name,
        identifiers: p.identifiers,
        legal_registration: p.legal_registration,
    }
}

fn tax_representative(n: N<'_, '_>) -> TaxRepresentative {
    let p = party(n);
    TaxRepresentative {
        at: pos(n),
        name: p.name,
        vat_id: p.vat_id,
        address: p.address,
    }
}

/// BG-13 is `ApplicableHeaderTradeDelivery` itself, as in the official rules' context, so it
/// is present whenever that (mandatory) element is.
fn delivery(n: N<'_, '_>, inv: &mut Invoice) {
    if inv.delivery.is_some() {
        return;
    }
    let mut d = Delivery {
        at: pos(n),
        ..Delivery::default()
    };
    let mut ship_to_seen = false;
    for (name, c) in ram(n) {
        match name {
            "ShipToTradeParty" if !ship_to_seen => {
                ship_to_seen = true;
                let p = party(c);
                d.party_name = p.name;
                d.location = p.identifiers.into_iter().next();
                d.address = p.address;
            }
            "ActualDeliverySupplyChainEvent" if d.date.is_none() => {
                d.date = ram(c)
                    .find(|(l, _)| *l == "OccurrenceDateTime")
                    .and_then(|(_, o)| date(o));
            }
            "DespatchAdviceReferencedDocument" => first_ref(&mut inv.despatch_advice_reference, c),
            "ReceivingAdviceReferencedDocument" => {
                first_ref(&mut inv.receiving_advice_reference, c)
            }
            _ => {}
        }
    }
    inv.delivery = Some(d);
}

fn period(n: N<'_, '_>) -> Period {
    let mut p = Period {
        at: pos(n),
        ..Period::default()
    };
    for (name, c) in ram(n) {
        match name {
            "StartDateTime" => first_date(&mut p.start, c),
            "EndDateTime" => first_date(&mut p.end, c),
            _ => {}
        }
    }
    p
}

/// Header settlement values that the model keeps inside BG-16 and BG-19.
#[derive(Default)]
struct PaymentHeader {
    remittance: Option<Text>,
    creditor_id: Option<Text>,
    mandate: Option<Text>,
}

fn settlement(n: N<'_, '_>, inv: &mut Invoice) {
    let mut header = PaymentHeader::default();
    let mut means = Vec::new();
    for (name, c) in ram(n) {
        match name {
            "CreditorReferenceID" => first(&mut header.creditor_id, c),
            "PaymentReference" => first(&mut header.remittance, c),
            "TaxCurrencyCode" => first(&mut inv.vat_currency, c),
            "InvoiceCurrencyCode" => first(&mut inv.currency, c),
            "PayeeTradeParty" => first_with(&mut inv.payee, || payee(c)),
            "SpecifiedTradeSettlementPaymentMeans" => means.push(c),
            "ApplicableTradeTax" => {
                let v = vat_breakdown(c, inv);
                inv.vat_breakdown.push(v);
            }
            "BillingSpecifiedPeriod" => first_with(&mut inv.period, || period(c)),
            "SpecifiedTradeAllowanceCharge" => inv.allowances_charges.push(allowance_charge(c)),
            "SpecifiedTradePaymentTerms" => payment_terms(c, inv, &mut header),
            "SpecifiedTradeSettlementHeaderMonetarySummation" => {
                first_with(&mut inv.totals, || totals(c, &mut inv.vat_totals))
            }
            "InvoiceReferencedDocument" => inv.preceding_invoices.push(preceding(c)),
            "ReceivableSpecifiedTradeAccountingAccount" => {
                first_child(&mut inv.buyer_accounting_reference, c, "ID", text)
            }
            _ => {}
        }
    }
    // Payment means precede the payment terms in the schema, so they are mapped once the
    // whole settlement (BT-83, BT-89, BT-90) has been seen.
    inv.payment_instructions = means
        .into_iter()
        .map(|m| payment_instructions(m, &header))
        .collect();
}

/// BG-23; the header `ApplicableTradeTax` also carries BT-7 and BT-8, of which the model
/// keeps the first found.
fn vat_breakdown(n: N<'_, '_>, inv: &mut Invoice) -> VatBreakdown {
    let mut v = VatBreakdown {
        at: pos(n),
        ..VatBreakdown::default()
    };
    for (name, c) in ram(n) {
        match name {
            "CalculatedAmount" => first_with(&mut v.tax_amount, || amount(c)),
            "ExemptionReason" => first(&mut v.exemption_reason, c),
            "BasisAmount" => first_with(&mut v.taxable_amount, || amount(c)),
            "CategoryCode" => first(&mut v.category, c),
            "ExemptionReasonCode" => first(&mut v.exemption_reason_code, c),
            "TaxPointDate" => first_date(&mut inv.tax_point_date, c),
            "DueDateTypeCode" => first(&mut inv.tax_point_date_code, c),
            "RateApplicablePercent" => first(&mut v.rate, c),
            _ => {}
        }
    }
    v
}

/// The fields shared by document and line level allowances and charges.
#[derive(Default)]
struct Adjustment {
    charge_indicator: Option<Text>,
    amount: Option<Amount>,
    base_amount: Option<Amount>,
    percentage: Option<Text>,
    reason: Option<Text>,
    reason_code: Option<Text>,
    vat_category: Option<Text>,
    vat_rate: Option<Text>,
}

fn adjustment(n: N<'_, '_>) -> Adjustment {
    let mut a = Adjustment::default();
    for (name, c) in ram(n) {
        match name {
            "ChargeIndicator" if a.charge_indicator.is_none() => {
                a.charge_indicator = indicator(c);
            }
            "CalculationPercent" => first(&mut a.percentage, c),
            "BasisAmount" => first_with(&mut a.base_amount, || amount(c)),
            "ActualAmount" => first_with(&mut a.amount, || amount(c)),
            "ReasonCode" => first(&mut a.reason_code, c),
            "Reason" => first(&mut a.reason, c),
            "CategoryTradeTax" if a.vat_category.is_none() && a.vat_rate.is_none() => {
                a.vat_category = child_text(c, "CategoryCode");
                a.vat_rate = child_text(c, "RateApplicablePercent");
            }
            _ => {}
        }
    }
    a
}

fn allowance_charge(n: N<'_, '_>) -> AllowanceCharge {
    let a = adjustment(n);
    AllowanceCharge {
        at: pos(n),
        charge_indicator: a.charge_indicator,
        amount: a.amount,
        base_amount: a.base_amount,
        percentage: a.percentage,
        vat_category: a.vat_category,
        vat_rate: a.vat_rate,
        reason: a.reason,
        reason_code: a.reason_code,
    }
}

fn line_allowance_charge(n: N<'_, '_>) -> LineAllowanceCharge {
    let a = adjustment(n);
    LineAllowanceCharge {
        at: pos(n),
        charge_indicator: a.charge_indicator,
        amount: a.amount,
        base_amount: a.base_amount,
        percentage: a.percentage,
        reason: a.reason,
        reason_code: a.reason_code,
    }
}

fn payment_terms(n: N<'_, '_>, inv: &mut Invoice, header: &mut PaymentHeader) {
    for (name, c) in ram(n) {
        match name {
            "Description" => first(&mut inv.payment_terms, c),
            "DueDateDateTime" => first_date(&mut inv.due_date, c),
            "DirectDebitMandateID" => first(&mut header.mandate, c),
            _ => {}
        }
    }
}

fn totals(n: N<'_, '_>, vat_totals: &mut Vec<Amount>) -> Totals {
    let mut t = Totals {
        at: pos(n),
        ..Totals::default()
    };
    for (name, c) in ram(n) {
        let slot = match name {
            "LineTotalAmount" => &mut t.line_net_total,
            "ChargeTotalAmount" => &mut t.charge_total,
            "AllowanceTotalAmount" => &mut t.allowance_total,
            "TaxBasisTotalAmount" => &mut t.tax_exclusive,
            // BT-110 and BT-111 share one element, told apart by @currencyID.
            "TaxTotalAmount" => {
                vat_totals.push(amount(c));
                continue;
            }
            "RoundingAmount" => &mut t.rounding,
            "GrandTotalAmount" => &mut t.tax_inclusive,
            "TotalPrepaidAmount" => &mut t.prepaid,
            "DuePayableAmount" => &mut t.payable,
            _ => continue,
        };
        first_with(slot, || amount(c));
    }
    t
}

fn preceding(n: N<'_, '_>) -> PrecedingInvoice {
    let mut p = PrecedingInvoice {
        at: pos(n),
        ..PrecedingInvoice::default()
    };
    for (name, c) in ram(n) {
        match name {
            "IssuerAssignedID" => first(&mut p.reference, c),
            "FormattedIssueDateTime" => first_date(&mut p.issue_date, c),
            _ => {}
        }
    }
    p
}

/// BG-16 from one `SpecifiedTradeSettlementPaymentMeans`. BT-83 (`PaymentReference`) and
/// BT-89/BT-90 (mandate, creditor id) are header fields in CII and are copied into every
/// payment instruction; BG-19 is present when any of BT-89..BT-91 is.
fn payment_instructions(n: N<'_, '_>, header: &PaymentHeader) -> PaymentInstructions {
    let mut p = PaymentInstructions {
        at: pos(n),
        remittance_information: header.remittance.clone(),
        ..PaymentInstructions::default()
    };
    let mut transfer: Option<CreditTransfer> = None;
    let mut debtor = None;
    for (name, c) in ram(n) {
        match name {
            "TypeCode" => first(&mut p.means_code, c),
            "Information" => first(&mut p.means_text, c),
            "ApplicableTradeSettlementFinancialCard" => first_with(&mut p.card, || Card {
                at: pos(c),
                primary_account_number: child_text(c, "ID"),
                holder_name: child_text(c, "CardholderName"),
            }),
            "PayerPartyDebtorFinancialAccount" if debtor.is_none() => {
                debtor = Some((pos(c), child_text(c, "IBANID")));
            }
            "PayeePartyCreditorFinancialAccount" => {
                let t = transfer.get_or_insert_with(|| CreditTransfer {
                    at: pos(c),
                    ..CreditTransfer::default()
                });
                t.at = pos(c);
                let (mut iban, mut proprietary) = (None, None);
                for (name, a) in ram(c) {
                    match name {
                        "IBANID" => first(&mut iban, a),
                        "ProprietaryID" => first(&mut proprietary, a),
                        "AccountName" => first(&mut t.account_name, a),
                        _ => {}
                    }
                }
                // BT-84 is the IBAN, or the proprietary id when there is none.
                t.account_id = iban.or(proprietary);
            }
            "PayeeSpecifiedCreditorFinancialInstitution" => {
                let t = transfer.get_or_insert_with(|| CreditTransfer {
                    at: pos(c),
                    ..CreditTransfer::default()
                });
                first_child(&mut t.service_provider, c, "BICID", text);
            }
            _ => {}
        }
    }
    p.credit_transfers.extend(transfer);
    let has_mandate = header.mandate.is_some() || header.creditor_id.is_some();
    if debtor.is_some() || has_mandate {
        let (at, debited_account) = debtor.unwrap_or((pos(n), None));
        p.direct_debit = Some(DirectDebit {
            at,
            mandate_reference: header.mandate.clone(),
            creditor_id: header.creditor_id.clone(),
            debited_account,
        });
    }
    p
}

fn line(n: N<'_, '_>) -> Line {
    let mut l = Line {
        at: pos(n),
        ..Line::default()
    };
    for (name, c) in ram(n) {
        match name {
            "AssociatedDocumentLineDocument" => {
                for (name, d) in ram(c) {
                    match name {
                        "LineID" => first(&mut l.id, d),
                        "IncludedNote" if l.note.is_none() => l.note = child_text(d, "Content"),
                        _ => {}
                    }
                }
            }
            "SpecifiedTradeProduct" => first_with(&mut l.item, || item(c)),
            "SpecifiedLineTradeAgreement" => line_agreement(c, &mut l),
            "SpecifiedLineTradeDelivery" => {
                first_child(&mut l.quantity, c, "BilledQuantity", quantity)
            }
            "SpecifiedLineTradeSettlement" => line_settlement(c, &mut l),
            _ => {}
        }
    }
    l
}

fn line_agreement(n: N<'_, '_>, l: &mut Line) {
    let mut net = None;
    let mut gross = None;
    for (name, c) in ram(n) {
        match name {
            "BuyerOrderReferencedDocument" if l.order_line_reference.is_none() => {
                l.order_line_reference = child_text(c, "LineID");
            }
            "GrossPriceProductTradePrice" if gross.is_none() => gross = Some(c),
            "NetPriceProductTradePrice" if net.is_none() => net = Some(c),
            _ => {}
        }
    }
    // BG-29 sits at the net price, or at the gross price when only that is given.
    let Some(at) = net.or(gross) else { return };
    let mut price = Price {
        at: pos(at),
        ..Price::default()
    };
    let mut gross_base = None;
    for (is_net, p) in [(true, net), (false, gross)] {
        let Some(p) = p else { continue };
        for (name, c) in ram(p) {
            match (name, is_net) {
                ("ChargeAmount", true) => first_with(&mut price.net, || amount(c)),
                ("ChargeAmount", false) => first_with(&mut price.gross, || amount(c)),
                // BT-149 belongs to the net price; the gross price's is the fallback.
                ("BasisQuantity", true) => first_with(&mut price.base_quantity, || quantity(c)),
                ("BasisQuantity", false) => first_with(&mut gross_base, || quantity(c)),
                ("AppliedTradeAllowanceCharge", false) if price.discount.is_none() => {
                    price.discount = ram(c)
                        .find(|(l, _)| *l == "ActualAmount")
                        .map(|(_, a)| amount(a));
                }
                _ => {}
            }
        }
    }
    if price.base_quantity.is_none() {
        price.base_quantity = gross_base;
    }
    l.price = Some(price);
}

fn line_settlement(n: N<'_, '_>, l: &mut Line) {
    for (name, c) in ram(n) {
        match name {
            "ApplicableTradeTax" => first_with(&mut l.vat, || LineVat {
                at: pos(c),
                category: child_text(c, "CategoryCode"),
                rate: child_text(c, "RateApplicablePercent"),
            }),
            "BillingSpecifiedPeriod" => first_with(&mut l.period, || period(c)),
            "SpecifiedTradeAllowanceCharge" => l.allowances_charges.push(line_allowance_charge(c)),
            "SpecifiedTradeSettlementLineMonetarySummation" => {
                first_child(&mut l.net_amount, c, "LineTotalAmount", amount)
            }
            "AdditionalReferencedDocument" if l.object_id.is_none() => {
                let type_code = child_text(c, "TypeCode");
                if type_code.as_ref().map(Text::trim) == Some("130") {
                    l.object_id = Some(object_identifier(c));
                }
            }
            "ReceivableSpecifiedTradeAccountingAccount" if l.accounting_reference.is_none() => {
                l.accounting_reference = child_text(c, "ID");
            }
            _ => {}
        }
    }
}

fn item(n: N<'_, '_>) -> Item {
    let mut it = Item {
        at: pos(n),
        ..Item::default()
    };
    for (name, c) in ram(n) {
        match name {
            "GlobalID" => first_with(&mut it.standard_id, || identifier(c)),
            "SellerAssignedID" => first(&mut it.sellers_id, c),
            "BuyerAssignedID" => first(&mut it.buyers_id, c),
            "Name" => first(&mut it.name, c),
            "Description" => first(&mut it.description, c),
            "ApplicableProductCharacteristic" => {
                let mut a = ItemAttribute {
                    at: pos(c),
                    ..ItemAttribute::default()
                };
                for (name, v) in ram(c) {
                    match name {
                        "Description" => first(&mut a.name, v),
                        "Value" => first(&mut a.value, v),
                        _ => {}
                    }
                }
                it.attributes.push(a);
            }
            "DesignatedProductClassification" => {
                it.classifications
                    .extend(ram(c).filter(|(l, _)| *l == "ClassCode").map(|(_, k)| {
                        Classification {
                            code: text(k),
                            list_id: attr(k, "listID"),
                            list_version: attr(k, "listVersionID"),
                        }
                    }));
            }
            "OriginTradeCountry" if it.origin_country.is_none() => {
                it.origin_country = child_text(c, "ID");
            }
            _ => {}
        }
    }
    it
}

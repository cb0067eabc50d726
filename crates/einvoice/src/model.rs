//! The EN 16931 semantic model: one invoice or credit note, whatever syntax it came in.
//!
//! Field names follow the business terms (BT-n) and groups (BG-n) of EN 16931-1; each field's
//! doc names its term. Values keep their source text and position (see [`Text`]), so a rule
//! can both compute with them and point at the element that is wrong.
//!
//! Cardinalities follow the syntaxes rather than the norm where the two differ and a rule
//! depends on it: UBL allows several `PaymentMeans` and several `TaxTotal`s, so the model
//! keeps lists there and the syntax rules report the excess.

use serde::Serialize;

use crate::value::{Pos, Text};

/// Which syntax a document was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Syntax {
    /// UBL 2.1 `Invoice`.
    UblInvoice,
    /// UBL 2.1 `CreditNote`.
    UblCreditNote,
    /// UN/CEFACT Cross Industry Invoice D16B.
    Cii,
}

impl Syntax {
    /// The name used in the validator's JSON contract.
    pub fn as_str(self) -> &'static str {
        match self {
            Syntax::UblInvoice => "ubl-invoice",
            Syntax::UblCreditNote => "ubl-creditnote",
            Syntax::Cii => "cii",
        }
    }

    /// True for both UBL document types.
    pub fn is_ubl(self) -> bool {
        matches!(self, Syntax::UblInvoice | Syntax::UblCreditNote)
    }
}

/// An identifier with its optional scheme (e.g. BT-29 with BT-29-1).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Identifier {
    /// The identifier.
    pub id: Text,
    /// The identification scheme (`schemeID`), if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<Text>,
}

/// A monetary amount with its currency attribute.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Amount {
    /// The amount as written.
    pub value: Text,
    /// The `currencyID` attribute, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Text>,
}

/// A quantity with its unit of measure.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Quantity {
    /// The quantity as written.
    pub value: Text,
    /// The unit code (UN/ECE Rec 20/21), if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<Text>,
}

/// An embedded binary object (BT-125).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BinaryObject {
    /// The base64 content as written (empty in a model read for validation only, see
    /// `Source::invoice_without_attachment_content`).
    #[serde(skip)]
    pub content: Text,
    /// The MIME code (BT-125-1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime_code: Option<Text>,
    /// The file name (BT-125-2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<Text>,
}

/// A whole invoice or credit note (BG-0).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Invoice {
    /// The root element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-1 Invoice number.
    pub number: Option<Text>,
    /// BT-2 Invoice issue date.
    pub issue_date: Option<Text>,
    /// BT-3 Invoice type code.
    pub type_code: Option<Text>,
    /// BT-5 Invoice currency code.
    pub currency: Option<Text>,
    /// BT-6 VAT accounting currency code.
    pub vat_currency: Option<Text>,
    /// BT-7 Value added tax point date.
    pub tax_point_date: Option<Text>,
    /// BT-8 Value added tax point date code.
    pub tax_point_date_code: Option<Text>,
    /// BT-9 Payment due date.
    pub due_date: Option<Text>,
    /// BT-10 Buyer reference.
    pub buyer_reference: Option<Text>,
    /// BT-11 Project reference.
    pub project_reference: Option<Text>,
    /// BT-12 Contract reference.
    pub contract_reference: Option<Text>,
    /// BT-13 Purchase order reference.
    pub purchase_order_reference: Option<Text>,
    /// BT-14 Sales order reference.
    pub sales_order_reference: Option<Text>,
    /// BT-15 Receiving advice reference.
    pub receiving_advice_reference: Option<Text>,
    /// BT-16 Despatch advice reference.
    pub despatch_advice_reference: Option<Text>,
    /// BT-17 Tender or lot reference.
    pub tender_reference: Option<Text>,
    /// BT-18 Invoiced object identifier, with its scheme (BT-18-1).
    pub invoiced_object: Option<Identifier>,
    /// BT-19 Buyer accounting reference.
    pub buyer_accounting_reference: Option<Text>,
    /// BT-20 Payment terms.
    pub payment_terms: Option<Text>,
    /// BG-1 Invoice notes.
    pub notes: Vec<Note>,
    /// BT-23 Business process type.
    pub business_process: Option<Text>,
    /// BT-24 Specification identifier (the CustomizationID / guideline).
    pub specification: Option<Text>,
    /// BG-3 Preceding invoice references.
    pub preceding_invoices: Vec<PrecedingInvoice>,
    /// BG-4 Seller.
    pub seller: Option<Seller>,
    /// BG-7 Buyer.
    pub buyer: Option<Buyer>,
    /// BG-10 Payee.
    pub payee: Option<Payee>,
    /// BG-11 Seller tax representative party.
    pub tax_representative: Option<TaxRepresentative>,
    /// BG-13 Delivery information.
    pub delivery: Option<Delivery>,
    /// BG-14 Invoicing period.
    pub period: Option<Period>,
    /// BG-16 Payment instructions, one per payment means element in the source.
    pub payment_instructions: Vec<PaymentInstructions>,
    /// BG-20 and BG-21 Document level allowances and charges, in document order.
    pub allowances_charges: Vec<AllowanceCharge>,
    /// BG-22 Document totals.
    pub totals: Option<Totals>,
    /// BT-110 and BT-111: every VAT total amount given, each with its currency.
    pub vat_totals: Vec<Amount>,
    /// BG-23 VAT breakdown.
    pub vat_breakdown: Vec<VatBreakdown>,
    /// BG-24 Additional supporting documents.
    pub documents: Vec<SupportingDocument>,
    /// BG-25 Invoice lines.
    pub lines: Vec<Line>,
}

/// BG-1 Invoice note.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The note element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-21 Invoice note subject code.
    pub subject_code: Option<Text>,
    /// BT-22 Invoice note.
    pub text: Option<Text>,
}

/// BG-3 Preceding invoice reference.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PrecedingInvoice {
    /// The reference element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-25 Preceding invoice reference.
    pub reference: Option<Text>,
    /// BT-26 Preceding invoice issue date.
    pub issue_date: Option<Text>,
}

/// BG-5, BG-8, BG-12, BG-15: a postal address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Address {
    /// The address element.
    #[serde(skip)]
    pub at: Pos,
    /// First address line (BT-35, BT-50, BT-64, BT-75).
    pub line1: Option<Text>,
    /// Second address line (BT-36, BT-51, BT-65, BT-76).
    pub line2: Option<Text>,
    /// Third address line (BT-162, BT-163, BT-164, BT-165).
    pub line3: Option<Text>,
    /// City (BT-37, BT-52, BT-66, BT-77).
    pub city: Option<Text>,
    /// Post code (BT-38, BT-53, BT-67, BT-78).
    pub post_code: Option<Text>,
    /// Country subdivision (BT-39, BT-54, BT-68, BT-79).
    pub subdivision: Option<Text>,
    /// Country code (BT-40, BT-55, BT-69, BT-80).
    pub country: Option<Text>,
}

/// BG-6, BG-9: a contact.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// The contact element.
    #[serde(skip)]
    pub at: Pos,
    /// Contact point (BT-41, BT-56).
    pub name: Option<Text>,
    /// Telephone number (BT-42, BT-57).
    pub phone: Option<Text>,
    /// Email address (BT-43, BT-58).
    pub email: Option<Text>,
}

/// BG-4 Seller.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Seller {
    /// The party element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-27 Seller name.
    pub name: Option<Text>,
    /// BT-28 Seller trading name.
    pub trading_name: Option<Text>,
    /// BT-29 Seller identifiers (BT-90, the bank-assigned creditor id, is kept separately).
    pub identifiers: Vec<Identifier>,
    /// BT-30 Seller legal registration identifier.
    pub legal_registration: Option<Identifier>,
    /// BT-31 Seller VAT identifier.
    pub vat_id: Option<Text>,
    /// BT-32 Seller tax registration identifier.
    pub tax_registration: Option<Text>,
    /// BT-33 Seller additional legal information.
    pub legal_info: Option<Text>,
    /// BT-34 Seller electronic address, with its scheme (BT-34-1).
    pub electronic_address: Option<Identifier>,
    /// BG-5 Seller postal address.
    pub address: Option<Address>,
    /// BG-6 Seller contact.
    pub contact: Option<Contact>,
}

/// BG-7 Buyer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Buyer {
    /// The party element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-44 Buyer name.
    pub name: Option<Text>,
    /// BT-45 Buyer trading name.
    pub trading_name: Option<Text>,
    /// BT-46 Buyer identifiers.
    pub identifiers: Vec<Identifier>,
    /// BT-47 Buyer legal registration identifier.
    pub legal_registration: Option<Identifier>,
    /// BT-48 Buyer VAT identifier.
    pub vat_id: Option<Text>,
    /// BT-49 Buyer electronic address, with its scheme (BT-49-1).
    pub electronic_address: Option<Identifier>,
    /// BG-8 Buyer postal address.
    pub address: Option<Address>,
    /// BG-9 Buyer contact.
    pub contact: Option<Contact>,
}

/// BG-10 Payee.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Payee {
    /// The party element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-59 Payee name.
    pub name: Option<Text>,
    /// BT-60 Payee identifiers.
    pub identifiers: Vec<Identifier>,
    /// BT-61 Payee legal registration identifier.
    pub legal_registration: Option<Identifier>,
}

/// BG-11 Seller tax representative party.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TaxRepresentative {
    /// The party element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-62 Seller tax representative name.
    pub name: Option<Text>,
    /// BT-63 Seller tax representative VAT identifier.
    pub vat_id: Option<Text>,
    /// BG-12 Seller tax representative postal address.
    pub address: Option<Address>,
}

/// BG-13 Delivery information.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// The delivery element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-70 Deliver to party name.
    pub party_name: Option<Text>,
    /// BT-71 Deliver to location identifier, with its scheme (BT-71-1).
    pub location: Option<Identifier>,
    /// BT-72 Actual delivery date.
    pub date: Option<Text>,
    /// BG-15 Deliver to address.
    pub address: Option<Address>,
}

/// BG-14 Invoicing period, BG-26 Invoice line period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Period {
    /// The period element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-73 / BT-134 start date.
    pub start: Option<Text>,
    /// BT-74 / BT-135 end date.
    pub end: Option<Text>,
}

/// BG-16 Payment instructions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PaymentInstructions {
    /// The payment means element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-81 Payment means type code.
    pub means_code: Option<Text>,
    /// BT-82 Payment means text.
    pub means_text: Option<Text>,
    /// BT-83 Remittance information.
    pub remittance_information: Option<Text>,
    /// BG-17 Credit transfers.
    pub credit_transfers: Vec<CreditTransfer>,
    /// BG-18 Payment card information.
    pub card: Option<Card>,
    /// BG-19 Direct debit.
    pub direct_debit: Option<DirectDebit>,
}

/// BG-17 Credit transfer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CreditTransfer {
    /// The account element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-84 Payment account identifier.
    pub account_id: Option<Text>,
    /// BT-85 Payment account name.
    pub account_name: Option<Text>,
    /// BT-86 Payment service provider identifier.
    pub service_provider: Option<Text>,
}

/// BG-18 Payment card information.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Card {
    /// The card element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-87 Payment card primary account number.
    pub primary_account_number: Option<Text>,
    /// BT-88 Payment card holder name.
    pub holder_name: Option<Text>,
}

/// BG-19 Direct debit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DirectDebit {
    /// The mandate element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-89 Mandate reference identifier.
    pub mandate_reference: Option<Text>,
    /// BT-90 Bank assigned creditor identifier.
    pub creditor_id: Option<Text>,
    /// BT-91 Debited account identifier.
    pub debited_account: Option<Text>,
}

/// BG-20 Document level allowance or BG-21 Document level charge.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AllowanceCharge {
    /// The allowance or charge element.
    #[serde(skip)]
    pub at: Pos,
    /// The charge indicator as written (`true` for BG-21, `false` for BG-20).
    pub charge_indicator: Option<Text>,
    /// BT-92 / BT-99 amount.
    pub amount: Option<Amount>,
    /// BT-93 / BT-100 base amount.
    pub base_amount: Option<Amount>,
    /// BT-94 / BT-101 percentage.
    pub percentage: Option<Text>,
    /// BT-95 / BT-102 VAT category code.
    pub vat_category: Option<Text>,
    /// BT-96 / BT-103 VAT rate.
    pub vat_rate: Option<Text>,
    /// BT-97 / BT-104 reason.
    pub reason: Option<Text>,
    /// BT-98 / BT-105 reason code.
    pub reason_code: Option<Text>,
}

impl AllowanceCharge {
    /// `Some(true)` for a charge, `Some(false)` for an allowance, `None` when the indicator
    /// is missing or is not an `xs:boolean`.
    pub fn is_charge(&self) -> Option<bool> {
        self.charge_indicator
            .as_ref()
            .and_then(|t| parse_bool(t.trim()))
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// BG-22 Document totals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// The totals element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-106 Sum of Invoice line net amount.
    pub line_net_total: Option<Amount>,
    /// BT-107 Sum of allowances on document level.
    pub allowance_total: Option<Amount>,
    /// BT-108 Sum of charges on document level.
    pub charge_total: Option<Amount>,
    /// BT-109 Invoice total amount without VAT.
    pub tax_exclusive: Option<Amount>,
    /// BT-112 Invoice total amount with VAT.
    pub tax_inclusive: Option<Amount>,
    /// BT-113 Paid amount.
    pub prepaid: Option<Amount>,
    /// BT-114 Rounding amount.
    pub rounding: Option<Amount>,
    /// BT-115 Amount due for payment.
    pub payable: Option<Amount>,
}

/// BG-23 VAT breakdown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VatBreakdown {
    /// The subtotal element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-116 VAT category taxable amount.
    pub taxable_amount: Option<Amount>,
    /// BT-117 VAT category tax amount.
    pub tax_amount: Option<Amount>,
    /// BT-118 VAT category code.
    pub category: Option<Text>,
    /// BT-119 VAT category rate.
    pub rate: Option<Text>,
    /// BT-120 VAT exemption reason text.
    pub exemption_reason: Option<Text>,
    /// BT-121 VAT exemption reason code.
    pub exemption_reason_code: Option<Text>,
}

/// BG-24 Additional supporting document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SupportingDocument {
    /// The document reference element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-122 Supporting document reference.
    pub reference: Option<Text>,
    /// BT-123 Supporting document description.
    pub description: Option<Text>,
    /// BT-124 External document location.
    pub uri: Option<Text>,
    /// BT-125 Attached document.
    pub attachment: Option<BinaryObject>,
}

/// BG-25 Invoice line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The line element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-126 Invoice line identifier.
    pub id: Option<Text>,
    /// BT-127 Invoice line note.
    pub note: Option<Text>,
    /// BT-128 Invoice line object identifier, with its scheme (BT-128-1).
    pub object_id: Option<Identifier>,
    /// BT-129 Invoiced quantity, with BT-130 its unit of measure code.
    pub quantity: Option<Quantity>,
    /// BT-131 Invoice line net amount.
    pub net_amount: Option<Amount>,
    /// BT-132 Referenced purchase order line reference.
    pub order_line_reference: Option<Text>,
    /// BT-133 Invoice line Buyer accounting reference.
    pub accounting_reference: Option<Text>,
    /// BG-26 Invoice line period.
    pub period: Option<Period>,
    /// BG-27 and BG-28 Invoice line allowances and charges.
    pub allowances_charges: Vec<LineAllowanceCharge>,
    /// BG-29 Price details.
    pub price: Option<Price>,
    /// BG-30 Line VAT information.
    pub vat: Option<LineVat>,
    /// BG-31 Item information.
    pub item: Option<Item>,
}

/// BG-27 Invoice line allowance or BG-28 Invoice line charge.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LineAllowanceCharge {
    /// The allowance or charge element.
    #[serde(skip)]
    pub at: Pos,
    /// The charge indicator as written.
    pub charge_indicator: Option<Text>,
    /// BT-136 / BT-141 amount.
    pub amount: Option<Amount>,
    /// BT-137 / BT-142 base amount.
    pub base_amount: Option<Amount>,
    /// BT-138 / BT-143 percentage.
    pub percentage: Option<Text>,
    /// BT-139 / BT-144 reason.
    pub reason: Option<Text>,
    /// BT-140 / BT-145 reason code.
    pub reason_code: Option<Text>,
}

impl LineAllowanceCharge {
    /// `Some(true)` for a charge, `Some(false)` for an allowance, `None` otherwise.
    pub fn is_charge(&self) -> Option<bool> {
        self.charge_indicator
            .as_ref()
            .and_then(|t| parse_bool(t.trim()))
    }
}

/// BG-29 Price details.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Price {
    /// The price element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-146 Item net price.
    pub net: Option<Amount>,
    /// BT-147 Item price discount.
    pub discount: Option<Amount>,
    /// BT-148 Item gross price.
    pub gross: Option<Amount>,
    /// BT-149 Item price base quantity, with BT-150 its unit.
    pub base_quantity: Option<Quantity>,
}

/// BG-30 Line VAT information.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LineVat {
    /// The tax category element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-151 Invoiced item VAT category code.
    pub category: Option<Text>,
    /// BT-152 Invoiced item VAT rate.
    pub rate: Option<Text>,
}

/// BG-31 Item information.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Item {
    /// The item element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-153 Item name.
    pub name: Option<Text>,
    /// BT-154 Item description.
    pub description: Option<Text>,
    /// BT-155 Item Seller's identifier.
    pub sellers_id: Option<Text>,
    /// BT-156 Item Buyer's identifier.
    pub buyers_id: Option<Text>,
    /// BT-157 Item standard identifier, with its scheme (BT-157-1).
    pub standard_id: Option<Identifier>,
    /// BT-158 Item classification identifiers.
    pub classifications: Vec<Classification>,
    /// BT-159 Item country of origin.
    pub origin_country: Option<Text>,
    /// BG-32 Item attributes.
    pub attributes: Vec<ItemAttribute>,
}

/// BT-158 Item classification identifier with its list (BT-158-1) and version (BT-158-2).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// The classification code.
    pub code: Text,
    /// BT-158-1 Scheme identifier (`listID`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_id: Option<Text>,
    /// BT-158-2 Scheme version identifier (`listVersionID`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_version: Option<Text>,
}

/// BG-32 Item attribute.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ItemAttribute {
    /// The attribute element.
    #[serde(skip)]
    pub at: Pos,
    /// BT-160 Item attribute name.
    pub name: Option<Text>,
    /// BT-161 Item attribute value.
    pub value: Option<Text>,
}

/// BT-8 pairs: UBL codes the VAT point date with UNTDID 2005, CII with UNTDID 2475, and the
/// model keeps the code of the syntax it was read from. (invoice date, delivery date, payment date)
const VAT_POINT_DATE_CODES: [(&str, &str); 3] = [("3", "5"), ("35", "29"), ("432", "72")];

/// BT-8 as CII writes it: a UBL (UNTDID 2005) code translated, anything else unchanged.
pub fn vat_point_date_code_for_cii(code: &str) -> &str {
    let code = code.trim();
    VAT_POINT_DATE_CODES
        .iter()
        .find(|(ubl, _)| *ubl == code)
        .map_or(code, |(_, cii)| cii)
}

/// BT-8 as UBL writes it: a CII (UNTDID 2475) code translated, anything else unchanged.
pub fn vat_point_date_code_for_ubl(code: &str) -> &str {
    let code = code.trim();
    VAT_POINT_DATE_CODES
        .iter()
        .find(|(_, cii)| *cii == code)
        .map_or(code, |(ubl, _)| ubl)
}

//! The EN 16931 UBL syntax rules (UBL-SR, UBL-CR, UBL-DT) on hand-made documents: for every
//! SR and DT rule, and for each shape of CR rule, one document where the rule fires and a
//! near miss where it does not. The official unit tests cover only a dozen of these rules.
//!
//! Every document is a small valid invoice (or credit note) with one snippet put in at a
//! marked place, so each case shows exactly what makes the rule fire.

use rules::{Family, Report, RuleSet, Severity};

const INVOICE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
 xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>
  <cbc:ID>INV-1</cbc:ID>
  <cbc:IssueDate>2024-01-31</cbc:IssueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <!--ROOT-->
  <cac:AccountingSupplierParty>
    <cac:Party>
      <cac:PostalAddress>
        <cbc:StreetName>Main street 1</cbc:StreetName>
        <cbc:CityName>Utrecht</cbc:CityName>
        <cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyTaxScheme>
        <cbc:CompanyID>NL123456789B01</cbc:CompanyID>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:PartyTaxScheme>
      <cac:PartyLegalEntity>
        <cbc:RegistrationName>Seller BV</cbc:RegistrationName>
      </cac:PartyLegalEntity>
      <!--SELLER-->
    </cac:Party>
  </cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>
    <cac:Party>
      <cac:PostalAddress>
        <cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyLegalEntity>
        <cbc:RegistrationName>Buyer BV</cbc:RegistrationName>
      </cac:PartyLegalEntity>
      <!--BUYER-->
    </cac:Party>
  </cac:AccountingCustomerParty>
  <cac:PaymentMeans>
    <cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>
    <!--MEANS-->
    <cac:PayeeFinancialAccount><cbc:ID>NL91ABNA0417164300</cbc:ID></cac:PayeeFinancialAccount>
  </cac:PaymentMeans>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="EUR">100.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount>
      <cac:TaxCategory>
        <cbc:ID>S</cbc:ID>
        <cbc:Percent>21</cbc:Percent>
        <!--CATEGORY-->
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">100.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">121.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">121.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <!--LINE-->
    <cac:Item>
      <cbc:Name>Thing</cbc:Name>
      <!--ITEM-->
      <cac:ClassifiedTaxCategory>
        <cbc:ID>S</cbc:ID>
        <cbc:Percent>21</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price>
      <cbc:PriceAmount currencyID="EUR">100.00</cbc:PriceAmount>
      <!--PRICE-->
    </cac:Price>
  </cac:InvoiceLine>
</Invoice>
"#;

/// Where a snippet goes in the base document.
#[derive(Clone, Copy, Debug)]
enum At {
    /// A child of the root element.
    Root,
    /// A child of the seller's `cac:Party`.
    Seller,
    /// A child of the buyer's `cac:Party`.
    Buyer,
    /// A child of the `cac:PaymentMeans`.
    Means,
    /// A child of the `cac:TaxCategory` of the VAT breakdown.
    Category,
    /// A child of the invoice line.
    Line,
    /// A child of the line's `cac:Item`.
    Item,
    /// A child of the line's `cac:Price`.
    Price,
}

impl At {
    fn marker(self) -> &'static str {
        match self {
            At::Root => "<!--ROOT-->",
            At::Seller => "<!--SELLER-->",
            At::Buyer => "<!--BUYER-->",
            At::Means => "<!--MEANS-->",
            At::Category => "<!--CATEGORY-->",
            At::Line => "<!--LINE-->",
            At::Item => "<!--ITEM-->",
            At::Price => "<!--PRICE-->",
        }
    }
}

/// The base invoice with `snippet` at `at`.
fn invoice(at: At, snippet: &str) -> String {
    INVOICE.replace(at.marker(), snippet)
}

/// The same as a credit note.
fn credit_note(at: At, snippet: &str) -> String {
    invoice(at, snippet)
        .replace("xsd:Invoice-2", "xsd:CreditNote-2")
        .replace("<Invoice ", "<CreditNote ")
        .replace("</Invoice>", "</CreditNote>")
        .replace("InvoiceTypeCode>380", "CreditNoteTypeCode>381")
        .replace("InvoiceTypeCode>", "CreditNoteTypeCode>")
        .replace("InvoiceLine>", "CreditNoteLine>")
        .replace("InvoicedQuantity", "CreditedQuantity")
}

fn report(xml: &str) -> Report {
    rules::validate_with(xml.as_bytes(), &[RuleSet::En16931])
}

/// The UBL syntax findings of `xml`, as (rule, severity) in report order.
fn syntax_findings(xml: &str) -> Vec<(String, Severity)> {
    report(xml)
        .findings
        .into_iter()
        .filter(|f| f.rule.starts_with("UBL-"))
        .map(|f| (f.rule, f.severity))
        .collect()
}

fn fired(xml: &str, rule: &str) -> usize {
    syntax_findings(xml)
        .iter()
        .filter(|(r, _)| r == rule)
        .count()
}

/// One rule, a snippet that makes it fire and a near miss that does not.
struct Case {
    rule: &'static str,
    at: At,
    fires: &'static str,
    passes: &'static str,
}

const fn case(rule: &'static str, at: At, fires: &'static str, passes: &'static str) -> Case {
    Case {
        rule,
        at,
        fires,
        passes,
    }
}

/// A payee whose name is `name`, with `extra` inside.
macro_rules! payee {
    ($name:literal, $extra:literal) => {
        concat!(
            "<cac:PayeeParty><cac:PartyName><cbc:Name>",
            $name,
            "</cbc:Name></cac:PartyName>",
            $extra,
            "</cac:PayeeParty>"
        )
    };
}

/// An allowance (`false`) or charge (`true`) with the given reasons.
macro_rules! allowance_charge {
    ($indicator:literal, $($reason:literal),*) => {
        concat!(
            "<cac:AllowanceCharge><cbc:ChargeIndicator>", $indicator, "</cbc:ChargeIndicator>",
            $("<cbc:AllowanceChargeReason>", $reason, "</cbc:AllowanceChargeReason>",)*
            "<cbc:Amount currencyID=\"EUR\">1.00</cbc:Amount></cac:AllowanceCharge>"
        )
    };
}

const CASES: &[Case] = &[
    // Cardinality in the whole document.
    case(
        "UBL-SR-01",
        At::Root,
        "<cac:ContractDocumentReference><cbc:ID>a</cbc:ID></cac:ContractDocumentReference><cac:ContractDocumentReference><cbc:ID>b</cbc:ID></cac:ContractDocumentReference>",
        "<cac:ContractDocumentReference><cbc:ID>a</cbc:ID></cac:ContractDocumentReference>",
    ),
    case(
        "UBL-SR-02",
        At::Root,
        "<cac:ReceiptDocumentReference><cbc:ID>a</cbc:ID><cbc:ID>b</cbc:ID></cac:ReceiptDocumentReference>",
        "<cac:ReceiptDocumentReference><cbc:ID>a</cbc:ID></cac:ReceiptDocumentReference>",
    ),
    case(
        "UBL-SR-03",
        At::Root,
        "<cac:DespatchDocumentReference><cbc:ID>a</cbc:ID></cac:DespatchDocumentReference><cac:DespatchDocumentReference><cbc:ID>b</cbc:ID></cac:DespatchDocumentReference>",
        "<cac:DespatchDocumentReference><cbc:ID>a</cbc:ID></cac:DespatchDocumentReference>",
    ),
    case(
        "UBL-SR-04",
        At::Root,
        "<cac:AdditionalDocumentReference><cbc:ID>a</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:AdditionalDocumentReference><cac:AdditionalDocumentReference><cbc:ID>b</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>",
        "<cac:AdditionalDocumentReference><cbc:ID>a</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:AdditionalDocumentReference><cac:AdditionalDocumentReference><cbc:ID>b</cbc:ID></cac:AdditionalDocumentReference>",
    ),
    case(
        "UBL-SR-05",
        At::Root,
        "<cac:PaymentTerms><cbc:Note>a</cbc:Note></cac:PaymentTerms><cac:PaymentTerms><cbc:Note>b</cbc:Note></cac:PaymentTerms>",
        "<cac:PaymentTerms><cbc:Note>a</cbc:Note></cac:PaymentTerms>",
    ),
    case(
        "UBL-SR-08",
        At::Root,
        "<cac:InvoicePeriod/><cac:InvoicePeriod/>",
        "<cac:InvoicePeriod/>",
    ),
    case(
        "UBL-SR-09",
        At::Seller,
        "<cac:PartyLegalEntity><cbc:RegistrationName>Other</cbc:RegistrationName></cac:PartyLegalEntity>",
        "<cac:PartyLegalEntity><cbc:CompanyID>1</cbc:CompanyID></cac:PartyLegalEntity>",
    ),
    case(
        "UBL-SR-10",
        At::Seller,
        "<cac:PartyName><cbc:Name>a</cbc:Name><cbc:Name>b</cbc:Name></cac:PartyName>",
        "<cac:PartyName><cbc:Name>a</cbc:Name></cac:PartyName>",
    ),
    case(
        "UBL-SR-11",
        At::Seller,
        "<cac:PartyLegalEntity><cbc:CompanyID>1</cbc:CompanyID><cbc:CompanyID>2</cbc:CompanyID></cac:PartyLegalEntity>",
        "<cac:PartyLegalEntity><cbc:CompanyID>1</cbc:CompanyID></cac:PartyLegalEntity>",
    ),
    case(
        "UBL-SR-12",
        At::Seller,
        "<cac:PartyTaxScheme><cbc:CompanyID>NL2</cbc:CompanyID><cac:TaxScheme><cbc:ID>vat</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
        "<cac:PartyTaxScheme><cbc:CompanyID>NL2</cbc:CompanyID><cac:TaxScheme><cbc:ID>FC</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
    ),
    case(
        "UBL-SR-13",
        At::Seller,
        "<cac:PartyTaxScheme><cbc:CompanyID>1</cbc:CompanyID><cbc:CompanyID>2</cbc:CompanyID><cac:TaxScheme><cbc:ID>FC</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
        "<cac:PartyTaxScheme><cbc:CompanyID>1</cbc:CompanyID><cac:TaxScheme><cbc:ID>FC</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
    ),
    case(
        "UBL-SR-14",
        At::Seller,
        "<cac:PartyLegalEntity><cbc:CompanyLegalForm>a</cbc:CompanyLegalForm><cbc:CompanyLegalForm>b</cbc:CompanyLegalForm></cac:PartyLegalEntity>",
        "<cac:PartyLegalEntity><cbc:CompanyLegalForm>a</cbc:CompanyLegalForm></cac:PartyLegalEntity>",
    ),
    case(
        "UBL-SR-15",
        At::Buyer,
        "<cac:PartyLegalEntity><cbc:RegistrationName>Other</cbc:RegistrationName></cac:PartyLegalEntity>",
        "<cac:PartyLegalEntity><cbc:CompanyID>1</cbc:CompanyID></cac:PartyLegalEntity>",
    ),
    case(
        "UBL-SR-16",
        At::Buyer,
        "<cac:PartyIdentification><cbc:ID>1</cbc:ID></cac:PartyIdentification><cac:PartyIdentification><cbc:ID>2</cbc:ID></cac:PartyIdentification>",
        "<cac:PartyIdentification><cbc:ID>1</cbc:ID></cac:PartyIdentification>",
    ),
    case(
        "UBL-SR-17",
        At::Buyer,
        "<cac:PartyLegalEntity><cbc:CompanyID>1</cbc:CompanyID><cbc:CompanyID>2</cbc:CompanyID></cac:PartyLegalEntity>",
        "<cac:PartyLegalEntity><cbc:CompanyID>1</cbc:CompanyID></cac:PartyLegalEntity>",
    ),
    case(
        "UBL-SR-18",
        At::Buyer,
        "<cac:PartyTaxScheme><cbc:CompanyID>1</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme><cac:PartyTaxScheme><cbc:CompanyID>2</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
        "<cac:PartyTaxScheme><cbc:CompanyID>1</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme><cac:PartyTaxScheme><cbc:CompanyID>2</cbc:CompanyID><cac:TaxScheme><cbc:ID>FC</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
    ),
    case(
        "UBL-SR-24",
        At::Root,
        "<cac:Delivery/><cac:Delivery/>",
        "<cac:Delivery/>",
    ),
    case(
        "UBL-SR-29",
        At::Root,
        "<cac:PayeeParty><cac:PartyIdentification><cbc:ID schemeID=\"SEPA\">a</cbc:ID></cac:PartyIdentification><cac:PartyName><cbc:Name>Payee</cbc:Name></cac:PartyName></cac:PayeeParty><cac:TaxRepresentativeParty><cac:PartyIdentification><cbc:ID schemeID=\"sepa\">b</cbc:ID></cac:PartyIdentification></cac:TaxRepresentativeParty>",
        "<cac:PayeeParty><cac:PartyIdentification><cbc:ID schemeID=\"SEPA\">a</cbc:ID></cac:PartyIdentification><cac:PartyName><cbc:Name>Payee</cbc:Name></cac:PartyName></cac:PayeeParty><cac:TaxRepresentativeParty><cac:PartyIdentification><cbc:ID>b</cbc:ID></cac:PartyIdentification></cac:TaxRepresentativeParty>",
    ),
    case(
        "UBL-SR-39",
        At::Root,
        "<cac:ProjectReference><cbc:ID>a</cbc:ID></cac:ProjectReference><cac:ProjectReference><cbc:ID>b</cbc:ID></cac:ProjectReference>",
        "<cac:ProjectReference><cbc:ID>a</cbc:ID></cac:ProjectReference>",
    ),
    case(
        "UBL-SR-40",
        At::Buyer,
        "<cac:PartyName><cbc:Name>a</cbc:Name></cac:PartyName><cac:PartyName><cbc:Name>b</cbc:Name></cac:PartyName>",
        "<cac:PartyName><cbc:Name>a</cbc:Name></cac:PartyName>",
    ),
    case(
        "UBL-SR-44",
        At::Means,
        "<cbc:PaymentID>a</cbc:PaymentID></cac:PaymentMeans><cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentID>b</cbc:PaymentID>",
        "<cbc:PaymentID>a</cbc:PaymentID></cac:PaymentMeans><cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentID>a</cbc:PaymentID>",
    ),
    case(
        "UBL-SR-45",
        At::Means,
        "<cbc:PaymentDueDate>2024-02-01</cbc:PaymentDueDate><cbc:PaymentDueDate>2024-02-02</cbc:PaymentDueDate>",
        "<cbc:PaymentDueDate>2024-02-01</cbc:PaymentDueDate>",
    ),
    case(
        "UBL-SR-46",
        At::Means,
        "</cac:PaymentMeans><cac:PaymentMeans><cbc:PaymentMeansCode name=\"a\">30</cbc:PaymentMeansCode></cac:PaymentMeans><cac:PaymentMeans><cbc:PaymentMeansCode name=\"b\">30</cbc:PaymentMeansCode>",
        "</cac:PaymentMeans><cac:PaymentMeans><cbc:PaymentMeansCode name=\"a\">30</cbc:PaymentMeansCode>",
    ),
    case(
        "UBL-SR-47",
        At::Means,
        "</cac:PaymentMeans><cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>",
        "</cac:PaymentMeans><cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>",
    ),
    case(
        "UBL-SR-49",
        At::Root,
        "<cac:InvoicePeriod><cbc:DescriptionCode>3</cbc:DescriptionCode><cbc:DescriptionCode>35</cbc:DescriptionCode></cac:InvoicePeriod>",
        "<cac:InvoicePeriod><cbc:DescriptionCode>3</cbc:DescriptionCode></cac:InvoicePeriod>",
    ),
    case(
        "UBL-SR-54",
        At::Means,
        "<cac:CardAccount><cbc:PrimaryAccountNumberID>1234</cbc:PrimaryAccountNumberID></cac:CardAccount><cac:CardAccount><cbc:PrimaryAccountNumberID>5678</cbc:PrimaryAccountNumberID></cac:CardAccount>",
        "<cac:CardAccount><cbc:PrimaryAccountNumberID>1234</cbc:PrimaryAccountNumberID></cac:CardAccount>",
    ),
    case(
        "UBL-SR-55",
        At::Means,
        "<cac:PaymentMandate/></cac:PaymentMeans><cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cac:PaymentMandate/>",
        "<cac:PaymentMandate/>",
    ),
    case(
        "UBL-SR-56",
        At::Root,
        "<cac:OriginatorDocumentReference><cbc:ID>a</cbc:ID></cac:OriginatorDocumentReference><cac:OriginatorDocumentReference><cbc:ID>b</cbc:ID></cac:OriginatorDocumentReference>",
        "<cac:OriginatorDocumentReference><cbc:ID>a</cbc:ID></cac:OriginatorDocumentReference>",
    ),
    // Cardinality within each group.
    case(
        "UBL-SR-06",
        At::Root,
        "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>a</cbc:ID></cac:InvoiceDocumentReference><cac:InvoiceDocumentReference><cbc:ID>b</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>",
        "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>a</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference><cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>b</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>",
    ),
    case(
        "UBL-SR-07",
        At::Root,
        "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:IssueDate>2024-01-01</cbc:IssueDate></cac:InvoiceDocumentReference></cac:BillingReference>",
        "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>a</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>",
    ),
    case(
        "UBL-SR-19",
        At::Root,
        payee!(
            "Payee",
            "<cac:PartyName><cbc:Name>Payee 2</cbc:Name></cac:PartyName>"
        ),
        payee!("Payee", ""),
    ),
    case(
        "UBL-SR-20",
        At::Root,
        payee!(
            "Payee",
            "<cac:PartyIdentification><cbc:ID>1</cbc:ID></cac:PartyIdentification><cac:PartyIdentification><cbc:ID schemeID=\"0088\">2</cbc:ID></cac:PartyIdentification>"
        ),
        payee!(
            "Payee",
            "<cac:PartyIdentification><cbc:ID>1</cbc:ID></cac:PartyIdentification><cac:PartyIdentification><cbc:ID schemeID=\"SEPA\">2</cbc:ID></cac:PartyIdentification>"
        ),
    ),
    case(
        "UBL-SR-21",
        At::Root,
        payee!(
            "Payee",
            "<cac:PartyLegalEntity><cbc:CompanyID>1</cbc:CompanyID><cbc:CompanyID>2</cbc:CompanyID></cac:PartyLegalEntity>"
        ),
        payee!(
            "Payee",
            "<cac:PartyLegalEntity><cbc:CompanyID>1</cbc:CompanyID></cac:PartyLegalEntity>"
        ),
    ),
    case(
        "UBL-SR-22",
        At::Root,
        "<cac:TaxRepresentativeParty><cac:PartyName><cbc:Name>a</cbc:Name><cbc:Name>b</cbc:Name></cac:PartyName></cac:TaxRepresentativeParty>",
        "<cac:TaxRepresentativeParty><cac:PartyName><cbc:Name>a</cbc:Name></cac:PartyName></cac:TaxRepresentativeParty>",
    ),
    case(
        "UBL-SR-23",
        At::Root,
        "<cac:TaxRepresentativeParty><cac:PartyTaxScheme><cbc:CompanyID>1</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme><cac:PartyTaxScheme><cbc:CompanyID>2</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme></cac:TaxRepresentativeParty>",
        "<cac:TaxRepresentativeParty><cac:PartyTaxScheme><cbc:CompanyID>1</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme></cac:TaxRepresentativeParty>",
    ),
    case(
        "UBL-SR-25",
        At::Line,
        "<cac:Delivery><cac:DeliveryParty><cac:PartyName><cbc:Name>a</cbc:Name></cac:PartyName><cac:PartyName><cbc:Name>b</cbc:Name></cac:PartyName></cac:DeliveryParty></cac:Delivery>",
        "<cac:Delivery><cac:DeliveryParty><cac:PartyName><cbc:Name>a</cbc:Name></cac:PartyName></cac:DeliveryParty></cac:Delivery>",
    ),
    case(
        "UBL-SR-26",
        At::Means,
        "<cbc:PaymentID>a</cbc:PaymentID><cbc:PaymentID>a</cbc:PaymentID>",
        "<cbc:PaymentID>a</cbc:PaymentID>",
    ),
    case(
        "UBL-SR-27",
        At::Means,
        "<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>",
        "<cbc:PaymentID>a</cbc:PaymentID>",
    ),
    case(
        "UBL-SR-28",
        At::Means,
        "<cac:PaymentMandate><cbc:ID>a</cbc:ID><cbc:ID>b</cbc:ID></cac:PaymentMandate>",
        "<cac:PaymentMandate><cbc:ID>a</cbc:ID></cac:PaymentMandate>",
    ),
    case(
        "UBL-SR-30",
        At::Root,
        allowance_charge!(" false ", "a", "b"),
        allowance_charge!("true", "a"),
    ),
    case(
        "UBL-SR-31",
        At::Line,
        allowance_charge!("1", "a", "b"),
        allowance_charge!("false", "a"),
    ),
    case(
        "UBL-SR-32",
        At::Category,
        "<cbc:TaxExemptionReason>a</cbc:TaxExemptionReason><cbc:TaxExemptionReason>b</cbc:TaxExemptionReason>",
        "<cbc:TaxExemptionReason>a</cbc:TaxExemptionReason>",
    ),
    case(
        "UBL-SR-33",
        At::Root,
        "<cac:AdditionalDocumentReference><cbc:ID>a</cbc:ID><cbc:DocumentDescription>a</cbc:DocumentDescription><cbc:DocumentDescription>b</cbc:DocumentDescription></cac:AdditionalDocumentReference>",
        "<cac:AdditionalDocumentReference><cbc:ID>a</cbc:ID><cbc:DocumentDescription>a</cbc:DocumentDescription></cac:AdditionalDocumentReference>",
    ),
    case(
        "UBL-SR-34",
        At::Line,
        "<cbc:Note>a</cbc:Note><cbc:Note>b</cbc:Note>",
        "<cbc:Note>a</cbc:Note>",
    ),
    case(
        "UBL-SR-35",
        At::Line,
        "<cac:OrderLineReference><cbc:LineID>1</cbc:LineID></cac:OrderLineReference><cac:OrderLineReference><cbc:LineID>2</cbc:LineID></cac:OrderLineReference>",
        "<cac:OrderLineReference><cbc:LineID>1</cbc:LineID></cac:OrderLineReference>",
    ),
    case(
        "UBL-SR-36",
        At::Line,
        "<cac:InvoicePeriod/><cac:InvoicePeriod/>",
        "<cac:InvoicePeriod/>",
    ),
    case(
        "UBL-SR-37",
        At::Price,
        "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:Amount currencyID=\"EUR\">1</cbc:Amount><cbc:Amount currencyID=\"EUR\">2</cbc:Amount></cac:AllowanceCharge>",
        "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:Amount currencyID=\"EUR\">1.1234</cbc:Amount></cac:AllowanceCharge>",
    ),
    case(
        "UBL-SR-42",
        At::Seller,
        "<cac:PartyTaxScheme><cbc:CompanyID>1</cbc:CompanyID><cac:TaxScheme><cbc:ID>FC</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme><cac:PartyTaxScheme><cbc:CompanyID>2</cbc:CompanyID><cac:TaxScheme><cbc:ID>XX</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
        "<cac:PartyTaxScheme><cbc:CompanyID>1</cbc:CompanyID><cac:TaxScheme><cbc:ID>FC</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
    ),
    case(
        "UBL-SR-43",
        At::Root,
        "<cac:AdditionalDocumentReference><cbc:ID schemeID=\"AAA\">a</cbc:ID></cac:AdditionalDocumentReference>",
        "<cac:AdditionalDocumentReference><cbc:ID schemeID=\"AAA\">a</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>",
    ),
    case(
        "UBL-SR-48",
        At::Item,
        "<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-SR-50",
        At::Item,
        "<cbc:Description>a</cbc:Description><cbc:Description>b</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-SR-51",
        At::Seller,
        concat!(
            "<cac:PhysicalLocation><cac:Address>",
            "<cac:AddressLine><cbc:Line>3rd</cbc:Line></cac:AddressLine>",
            "<cac:AddressLine><cbc:Line>4th</cbc:Line></cac:AddressLine>",
            "</cac:Address></cac:PhysicalLocation>"
        ),
        concat!(
            "<cac:PhysicalLocation><cac:Address>",
            "<cac:AddressLine><cbc:Line>3rd</cbc:Line></cac:AddressLine>",
            "</cac:Address></cac:PhysicalLocation>"
        ),
    ),
    case(
        "UBL-SR-52",
        At::Line,
        "<cac:DocumentReference><cbc:ID>a</cbc:ID></cac:DocumentReference><cac:DocumentReference><cbc:ID>b</cbc:ID></cac:DocumentReference>",
        "<cac:DocumentReference><cbc:ID>a</cbc:ID></cac:DocumentReference>",
    ),
    case(
        "UBL-SR-53",
        At::Buyer,
        "<cac:PartyTaxScheme><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
        "<cac:PartyTaxScheme><cbc:CompanyID>1</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
    ),
    // Data types.
    case(
        "UBL-DT-01",
        At::Line,
        "<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator><cbc:Amount currencyID=\"EUR\">1.001</cbc:Amount></cac:AllowanceCharge>",
        "<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator><cbc:Amount currencyID=\"EUR\">1.01</cbc:Amount><cbc:BaseAmount currencyID=\"EUR\">100</cbc:BaseAmount></cac:AllowanceCharge>",
    ),
    case(
        "UBL-DT-06",
        At::Root,
        "<cac:AdditionalDocumentReference><cbc:ID>a</cbc:ID><cac:Attachment><cbc:EmbeddedDocumentBinaryObject filename=\"a.pdf\">AA==</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>",
        "<cac:AdditionalDocumentReference><cbc:ID>a</cbc:ID><cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode=\"application/pdf\" filename=\"a.pdf\">AA==</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>",
    ),
    case(
        "UBL-DT-07",
        At::Root,
        "<cac:AdditionalDocumentReference><cbc:ID>a</cbc:ID><cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode=\"application/pdf\">AA==</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>",
        "<cac:AdditionalDocumentReference><cbc:ID>a</cbc:ID><cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode=\"application/pdf\" filename=\"a.pdf\">AA==</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>",
    ),
    case(
        "UBL-DT-08",
        At::Buyer,
        "<cac:PartyIdentification><cbc:ID schemeName=\"x\">1</cbc:ID></cac:PartyIdentification>",
        "<cac:PartyIdentification><cbc:ID schemeID=\"0088\">1</cbc:ID></cac:PartyIdentification>",
    ),
    case(
        "UBL-DT-09",
        At::Item,
        "<cbc:Description schemeAgencyName=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-10",
        At::Item,
        "<cbc:Description schemeDataURI=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-11",
        At::Item,
        "<cbc:Description schemeURI=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-12",
        At::Item,
        "<cbc:Description format=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-13",
        At::Item,
        "<cbc:Description unitCodeListIdentifier=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-14",
        At::Item,
        "<cbc:Description unitCodeListAgencyIdentifier=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-15",
        At::Item,
        "<cbc:Description unitCodeListAgencyName=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-16",
        At::Item,
        "<cbc:Description listAgencyName=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-17",
        At::Item,
        "<cbc:Description listName=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-18",
        At::Item,
        "<cbc:Description name=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-19",
        At::Item,
        "<cbc:Description languageID=\"nl\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-20",
        At::Item,
        "<cbc:Description listURI=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-21",
        At::Item,
        "<cbc:Description listSchemeURI=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-22",
        At::Item,
        "<cbc:Description languageLocaleID=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-23",
        At::Item,
        "<cbc:Description uri=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-24",
        At::Item,
        "<cbc:Description currencyCodeListVersionID=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-25",
        At::Item,
        "<cbc:Description characterSetCode=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-26",
        At::Item,
        "<cbc:Description encodingCode=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-27",
        At::Item,
        "<cbc:Description schemeAgencyID=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    case(
        "UBL-DT-28",
        At::Item,
        "<cbc:Description listAgencyID=\"x\">a</cbc:Description>",
        "<cbc:Description>a</cbc:Description>",
    ),
    // Restrictions, one of each shape.
    case(
        "UBL-CR-001",
        At::Root,
        "<ext:UBLExtensions/>",
        "<cbc:Note>ext:UBLExtensions</cbc:Note>",
    ),
    case(
        "UBL-CR-002",
        At::Root,
        "<cbc:UBLVersionID>2.0</cbc:UBLVersionID>",
        "<cbc:UBLVersionID>2.1</cbc:UBLVersionID>",
    ),
    case(
        "UBL-CR-005",
        At::Root,
        "<cbc:UUID>1</cbc:UUID>",
        "<cbc:Note>1</cbc:Note>",
    ),
    case(
        "UBL-CR-012",
        At::Root,
        "<cac:InvoicePeriod><cbc:StartTime>10:00:00</cbc:StartTime></cac:InvoicePeriod>",
        "<cac:InvoicePeriod><cbc:StartDate>2024-01-01</cbc:StartDate></cac:InvoicePeriod>",
    ),
    case(
        "UBL-CR-147",
        At::Seller,
        "<cac:PostalAddress><cbc:ID>1</cbc:ID></cac:PostalAddress>",
        "<cac:PhysicalLocation><cac:Address><cbc:ID>1</cbc:ID></cac:Address></cac:PhysicalLocation>",
    ),
    case(
        "UBL-CR-412",
        At::Means,
        "<cbc:PaymentDueDate>2024-02-01</cbc:PaymentDueDate>",
        "<cbc:InstructionNote>2024-02-01</cbc:InstructionNote>",
    ),
    case(
        "UBL-CR-515",
        At::Line,
        "<cbc:UUID>1</cbc:UUID>",
        "<cbc:Note>1</cbc:Note>",
    ),
    case(
        "UBL-CR-604",
        At::Item,
        "<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cac:TaxScheme><cbc:ID>VAT</cbc:ID><cbc:Name>VAT</cbc:Name></cac:TaxScheme></cac:ClassifiedTaxCategory>",
        "<cac:AdditionalItemProperty><cbc:Name>a</cbc:Name><cbc:Value>b</cbc:Value></cac:AdditionalItemProperty>",
    ),
    case(
        "UBL-CR-652",
        At::Buyer,
        "<cac:PartyTaxScheme><cbc:CompanyID schemeID=\"x\">1</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
        "<cac:PartyTaxScheme><cbc:CompanyID>1</cbc:CompanyID><cac:TaxScheme><cbc:ID schemeID=\"x\">VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
    ),
    case(
        "UBL-CR-663",
        At::Line,
        "<cbc:Note unitCodeListID=\"x\">a</cbc:Note>",
        "<cbc:Note unitCode=\"x\">a</cbc:Note>",
    ),
    case(
        "UBL-CR-664",
        At::Means,
        "<cac:PaymentMandate><cac:PayerFinancialAccount><cac:FinancialInstitutionBranch><cac:FinancialInstitution/></cac:FinancialInstitutionBranch></cac:PayerFinancialAccount></cac:PaymentMandate>",
        "<cac:PaymentMandate><cac:PayerFinancialAccount><cac:FinancialInstitutionBranch/></cac:PayerFinancialAccount></cac:PaymentMandate>",
    ),
    case(
        "UBL-CR-665",
        At::Root,
        "<cac:AdditionalDocumentReference><cbc:ID schemeID=\"AAA\">a</cbc:ID><cbc:DocumentTypeCode>916</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>",
        "<cac:AdditionalDocumentReference><cbc:ID schemeID=\"AAA\">a</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>",
    ),
    case(
        "UBL-CR-666",
        At::Root,
        "<cac:AdditionalDocumentReference><cbc:ID>a</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode><cac:Attachment/></cac:AdditionalDocumentReference>",
        "<cac:AdditionalDocumentReference><cbc:ID>a</cbc:ID><cbc:DocumentTypeCode>916</cbc:DocumentTypeCode><cac:Attachment/></cac:AdditionalDocumentReference>",
    ),
    case(
        "UBL-CR-673",
        At::Root,
        "<cac:AdditionalDocumentReference><cbc:ID>a</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode><cbc:DocumentDescription>a</cbc:DocumentDescription></cac:AdditionalDocumentReference>",
        "<cac:AdditionalDocumentReference><cbc:ID>a</cbc:ID><cbc:DocumentDescription>a</cbc:DocumentDescription></cac:AdditionalDocumentReference>",
    ),
    case(
        "UBL-CR-669",
        At::Price,
        "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode><cbc:Amount currencyID=\"EUR\">1</cbc:Amount></cac:AllowanceCharge>",
        "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:Amount currencyID=\"EUR\">1</cbc:Amount></cac:AllowanceCharge>",
    ),
];

#[test]
fn the_base_documents_break_no_syntax_rule() {
    assert_eq!(syntax_findings(&invoice(At::Root, "")), vec![]);
    assert_eq!(syntax_findings(&credit_note(At::Root, "")), vec![]);
}

#[test]
fn each_rule_fires_on_its_case_and_not_on_the_near_miss() {
    let mut wrong = Vec::new();
    for c in CASES {
        let (fires, passes) = (invoice(c.at, c.fires), invoice(c.at, c.passes));
        if fired(&fires, c.rule) == 0 {
            wrong.push(format!(
                "{} did not fire: {:?}",
                c.rule,
                syntax_findings(&fires)
            ));
        }
        if fired(&passes, c.rule) != 0 {
            wrong.push(format!("{} fired on the near miss", c.rule));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn every_sr_and_dt_rule_has_a_case() {
    let missing: Vec<&str> = rules::rule_ids(RuleSet::En16931, Family::Ubl)
        .filter(|id| id.starts_with("UBL-SR") || id.starts_with("UBL-DT"))
        .filter(|id| !CASES.iter().any(|c| c.rule == *id))
        .collect();
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn severities_are_the_official_ones() {
    let xml = invoice(
        At::Root,
        "<cbc:UUID>1</cbc:UUID><cac:AdditionalDocumentReference><cbc:ID>a</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode><cac:Attachment/></cac:AdditionalDocumentReference><cac:InvoicePeriod/><cac:InvoicePeriod/>",
    );
    let found = syntax_findings(&xml);
    assert!(
        found.contains(&("UBL-CR-005".into(), Severity::Warning)),
        "{found:?}"
    );
    assert!(
        found.contains(&("UBL-CR-666".into(), Severity::Fatal)),
        "{found:?}"
    );
    assert!(
        found.contains(&("UBL-SR-08".into(), Severity::Fatal)),
        "{found:?}"
    );
}

#[test]
fn document_rules_fire_once_and_group_rules_once_per_group() {
    let twice = "<cbc:Note>a</cbc:Note><cbc:Note>b</cbc:Note><cbc:UUID>1</cbc:UUID>";
    let xml = INVOICE.replace("<!--LINE-->", twice).replace(
        "</cac:InvoiceLine>",
        &format!("</cac:InvoiceLine><cac:InvoiceLine><cbc:ID>2</cbc:ID>{twice}<cac:Item><cbc:Name>x</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item></cac:InvoiceLine>"),
    );
    assert_eq!(fired(&xml, "UBL-SR-34"), 2);
    assert_eq!(fired(&xml, "UBL-CR-515"), 1);
}

#[test]
fn attribute_restrictions_name_their_element() {
    let numbered = INVOICE.replace("<cbc:ID>INV-1", "<cbc:ID schemeID=\"x\">INV-1");
    assert_eq!(fired(&numbered, "UBL-CR-650"), 1);
    // The same attribute on another cbc:ID is not the invoice number's.
    assert_eq!(
        fired(
            &invoice(
                At::Line,
                "<cac:DocumentReference><cbc:ID schemeID=\"x\">1</cbc:ID></cac:DocumentReference>"
            ),
            "UBL-CR-650"
        ),
        0
    );
}

#[test]
fn line_restrictions_apply_to_credit_note_lines() {
    assert_eq!(
        fired(
            &credit_note(At::Line, "<cbc:UUID>1</cbc:UUID>"),
            "UBL-CR-515"
        ),
        1
    );
    assert_eq!(
        fired(
            &credit_note(At::Line, "<cac:InvoicePeriod/><cac:InvoicePeriod/>"),
            "UBL-SR-36"
        ),
        1
    );
}

#[test]
fn a_credit_note_may_state_its_due_date_in_the_payment_means() {
    let due = "<cbc:PaymentDueDate>2024-02-01</cbc:PaymentDueDate>";
    assert_eq!(fired(&credit_note(At::Means, due), "UBL-CR-412"), 0);
    assert_eq!(fired(&invoice(At::Means, due), "UBL-CR-412"), 1);
}

#[test]
fn a_credit_note_may_give_a_scheme_to_document_type_50() {
    let reference = "<cac:AdditionalDocumentReference><cbc:ID schemeID=\"AAA\">a</cbc:ID><cbc:DocumentTypeCode>50</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>";
    assert_eq!(fired(&credit_note(At::Root, reference), "UBL-SR-43"), 0);
    assert_eq!(fired(&invoice(At::Root, reference), "UBL-SR-43"), 1);
}

#[test]
fn any_version_2_1_among_several_satisfies_ubl_cr_002() {
    let versions =
        "<cbc:UBLVersionID>2.0</cbc:UBLVersionID><cbc:UBLVersionID>2.1</cbc:UBLVersionID>";
    assert_eq!(fired(&invoice(At::Root, versions), "UBL-CR-002"), 0);
    assert_eq!(
        fired(
            &invoice(At::Root, "<cbc:UBLVersionID> 2.1</cbc:UBLVersionID>"),
            "UBL-CR-002"
        ),
        1
    );
}

#[test]
fn a_payee_named_like_the_seller_fails_the_payee_rules() {
    let same = invoice(At::Root, payee!("Seller BV", ""));
    for rule in ["UBL-SR-19", "UBL-SR-20", "UBL-SR-21"] {
        assert_eq!(fired(&same, rule), 1, "{rule}");
    }
    let nameless = invoice(
        At::Root,
        "<cac:PayeeParty><cac:PartyIdentification><cbc:ID>1</cbc:ID></cac:PartyIdentification></cac:PayeeParty>",
    );
    assert_eq!(fired(&nameless, "UBL-SR-19"), 1);
}

#[test]
fn amount_decimals_are_judged_on_the_text_as_written() {
    let amount = |text: &str| {
        invoice(
            At::Root,
            &format!(
                "<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator><cbc:Amount currencyID=\"EUR\">{text}</cbc:Amount></cac:AllowanceCharge>"
            ),
        )
    };
    assert_eq!(fired(&amount("10"), "UBL-DT-01"), 0);
    assert_eq!(fired(&amount("10.5"), "UBL-DT-01"), 0);
    assert_eq!(fired(&amount("10.50 "), "UBL-DT-01"), 1);
    assert_eq!(fired(&amount("10.500"), "UBL-DT-01"), 1);
    // Price amounts and the amounts of an item price discount may have more decimals.
    let price = invoice(
        At::Price,
        "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:Amount currencyID=\"EUR\">0.125</cbc:Amount><cbc:BaseAmount currencyID=\"EUR\">100.125</cbc:BaseAmount></cac:AllowanceCharge>",
    )
    .replace("<cbc:PriceAmount currencyID=\"EUR\">100.00", "<cbc:PriceAmount currencyID=\"EUR\">99.875");
    assert_eq!(fired(&price, "UBL-DT-01"), 0);
}

#[test]
fn elements_outside_the_ubl_namespaces_match_no_path() {
    let xml = invoice(At::Root, "<x:UUID xmlns:x=\"urn:other\">1</x:UUID>");
    assert_eq!(fired(&xml, "UBL-CR-005"), 0);
}

#[test]
fn findings_point_at_the_offending_element() {
    let report = report(&invoice(At::Line, "<cbc:UUID>1</cbc:UUID>"));
    let finding = report
        .findings
        .iter()
        .find(|f| f.rule == "UBL-CR-515")
        .unwrap();
    assert_eq!(finding.location, "/Invoice/cac:InvoiceLine/cbc:UUID");
}

//! CII-SR and CII-DT, the EN 16931 syntax rules of the CII binding.
//!
//! The official unit tests hardly touch these rules, so each case here edits the official
//! example `CII_example1.xml` in memory (the corpus is read in place, never copied) and says
//! which rule must fire. The unedited example fires no CII rule at all, which is the case
//! where each of them holds; rules with exemptions also get a near miss that must not fire.

use std::path::{Path, PathBuf};

use rules::{Family, RuleSet, Severity};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: no corpus at {}", dir.display());
        None
    }
}

fn example() -> Option<String> {
    let path = corpus()?.join("en16931/cii/examples/CII_example1.xml");
    Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// One change to the example's text.
#[derive(Clone, Copy, Debug)]
enum Edit {
    /// Insert the text right after the first occurrence of the anchor.
    After(&'static str, &'static str),
    /// Replace the first occurrence.
    First(&'static str, &'static str),
    /// Replace every occurrence.
    All(&'static str, &'static str),
}
use Edit::{After, All, First};

fn edited(base: &str, edits: &[Edit]) -> String {
    let mut xml = base.to_string();
    for edit in edits {
        let (from, to) = match *edit {
            After(anchor, text) => (anchor, format!("{anchor}{text}")),
            First(from, to) | All(from, to) => (from, to.to_string()),
        };
        assert!(xml.contains(from), "anchor {from:?} is not in the example");
        xml = match edit {
            All(..) => xml.replace(from, &to),
            _ => xml.replacen(from, &to, 1),
        };
    }
    xml
}

/// The CII findings of a document under the EN 16931 rules: (rule, severity, location).
fn cii_findings(xml: &str) -> Vec<(String, Severity, String)> {
    rules::validate_with(xml.as_bytes(), &[RuleSet::En16931])
        .findings
        .into_iter()
        .filter(|f| f.rule.starts_with("CII-"))
        .map(|f| (f.rule, f.severity, f.location))
        .collect()
}

fn count(findings: &[(String, Severity, String)], rule: &str) -> usize {
    findings.iter().filter(|f| f.0 == rule).count()
}

// Anchors in CII_example1.xml (first occurrence): each opens or ends inside the named context.
const INVOICE: &str = "<rsm:CrossIndustryInvoice ";
const DOCUMENT_CONTEXT: &str = "<rsm:ExchangedDocumentContext>";
const GUIDELINE: &str = "<ram:GuidelineSpecifiedDocumentContextParameter>";
const SPECIFICATION_ID: &str = "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>";
const EXCHANGED_DOCUMENT: &str = "<rsm:ExchangedDocument>";
const INVOICE_NUMBER: &str = "<ram:ID>12115118</ram:ID>";
const DOCUMENT_TYPE: &str = "<ram:TypeCode>380</ram:TypeCode>";
const ISSUE_DATE: &str = "<udt:DateTimeString format=\"102\">20150109</udt:DateTimeString>";
const NOTE: &str = "<ram:IncludedNote>";
const LINE: &str = "<ram:IncludedSupplyChainTradeLineItem>";
const LINE_DOCUMENT: &str = "<ram:AssociatedDocumentLineDocument>";
const LINE_ID: &str = "<ram:LineID>1</ram:LineID>";
const PRODUCT: &str = "<ram:SpecifiedTradeProduct>";
const SELLER_ITEM_ID: &str = "<ram:SellerAssignedID>166022</ram:SellerAssignedID>";
const LINE_AGREEMENT: &str = "<ram:SpecifiedLineTradeAgreement>";
const NET_PRICE: &str = "<ram:ChargeAmount>9.95</ram:ChargeAmount>";
const LINE_DELIVERY: &str = "<ram:SpecifiedLineTradeDelivery>";
const BILLED_QUANTITY: &str = "<ram:BilledQuantity unitCode=\"H87\">2</ram:BilledQuantity>";
const LINE_SETTLEMENT: &str = "<ram:SpecifiedLineTradeSettlement>";
const LINE_TAX_CATEGORY: &str = "<ram:CategoryCode>S</ram:CategoryCode>";
const LINE_TOTAL: &str = "<ram:LineTotalAmount>19.9</ram:LineTotalAmount>";
const HEADER_AGREEMENT: &str = "<ram:ApplicableHeaderTradeAgreement>";
const SELLER: &str = "<ram:Name>De Koksmaat</ram:Name>";
const SELLER_ADDRESS: &str = "<ram:PostcodeCode>1950 AB</ram:PostcodeCode>";
const BUYER: &str = "<ram:Name>ODIN 59</ram:Name>";
const BUYER_ID: &str = "<ram:ID>10202</ram:ID>";
const BUYER_CONTACT: &str = "<ram:PersonName>Dhr. J BLOKKER</ram:PersonName>";
const HEADER_DELIVERY: &str = "<ram:ApplicableHeaderTradeDelivery/>";
const HEADER_SETTLEMENT: &str = "<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>";
const MEANS_CODE: &str = "<ram:TypeCode>30</ram:TypeCode>";
const IBAN: &str = "<ram:IBANID>NL57 RABO 0107307510</ram:IBANID>";
const HEADER_TAX: &str = "<ram:BasisAmount>183.23</ram:BasisAmount>";
const SECOND_HEADER_TAX: &str = "<ram:BasisAmount>46.37</ram:BasisAmount>";
const TOTALS: &str = "<ram:GrandTotalAmount>250.33</ram:GrandTotalAmount>";

/// A rule and the edits after which it must fire.
type Case = (&'static str, &'static [Edit]);

/// Every fatal CII-SR rule, and the CII-SR and CII-DT rules whose tests are more than
/// "this element or attribute is absent".
#[rustfmt::skip]
const FATAL_SR: &[Case] = &[
    ("CII-SR-009", &[All("ram:GuidelineSpecified", "ram:BusinessProcessSpecified")]),
    ("CII-SR-010", &[After(SPECIFICATION_ID, "<ram:ID>second</ram:ID>")]),
    ("CII-SR-014", &[First(DOCUMENT_TYPE, "")]),
    ("CII-SR-046", &[After(PRODUCT, "<ram:GlobalID>5400000000001</ram:GlobalID>")]),
    ("CII-SR-090", &[After(PRODUCT, "<ram:OriginTradeCountry></ram:OriginTradeCountry>")]),
    ("CII-SR-090", &[After(PRODUCT, "<ram:OriginTradeCountry><ram:ID>NL</ram:ID><ram:ID>BE</ram:ID></ram:OriginTradeCountry>")]),
    ("CII-SR-069", &[After(PRODUCT, "<ram:ApplicableProductCharacteristic><ram:Value>red</ram:Value></ram:ApplicableProductCharacteristic>")]),
    ("CII-SR-072", &[After(PRODUCT, "<ram:ApplicableProductCharacteristic><ram:Description>colour</ram:Description></ram:ApplicableProductCharacteristic>")]),
    ("CII-SR-439", &[First(NET_PRICE, "")]),
    ("CII-SR-439", &[After(NET_PRICE, "<ram:ChargeAmount>1</ram:ChargeAmount>")]),
    ("CII-SR-441", &[After(NET_PRICE, "<ram:ChargeAmount>1</ram:ChargeAmount>")]),
    ("CII-SR-463", &[After(LINE_SETTLEMENT, "<ram:SpecifiedTradeAllowanceCharge><ram:ActualAmount>1</ram:ActualAmount></ram:SpecifiedTradeAllowanceCharge>")]),
    ("CII-SR-471", &[After(LINE_SETTLEMENT, "<ram:SpecifiedTradeAllowanceCharge><ram:RateApplicablePercent>1</ram:RateApplicablePercent><ram:RateApplicablePercent>2</ram:RateApplicablePercent></ram:SpecifiedTradeAllowanceCharge>")]),
    ("CII-SR-472", &[After(HEADER_SETTLEMENT, "<ram:SpecifiedTradeAllowanceCharge><ram:CategoryTradeTax/><ram:CategoryTradeTax/></ram:SpecifiedTradeAllowanceCharge>")]),
    ("CII-SR-473", &[After(HEADER_SETTLEMENT, "<ram:SpecifiedTradeAllowanceCharge><ram:ActualAmount>1</ram:ActualAmount><ram:ActualAmount>1</ram:ActualAmount></ram:SpecifiedTradeAllowanceCharge>")]),
    ("CII-SR-440", &[After(LINE_AGREEMENT, "<ram:GrossPriceProductTradePrice><ram:AppliedTradeAllowanceCharge><ram:ActualAmount>1</ram:ActualAmount><ram:ActualAmount>1</ram:ActualAmount></ram:AppliedTradeAllowanceCharge></ram:GrossPriceProductTradePrice>")]),
    ("CII-SR-455", &[After(SELLER, "<ram:DefinedTradeContact/><ram:DefinedTradeContact/>")]),
    ("CII-SR-456", &[After(BUYER, "<ram:DefinedTradeContact/>")]),
    ("CII-SR-459", &[After(SELLER, "<ram:URIUniversalCommunication/><ram:URIUniversalCommunication/>")]),
    ("CII-SR-460", &[After(BUYER, "<ram:URIUniversalCommunication/><ram:URIUniversalCommunication/>")]),
    ("CII-SR-461", &[After(HEADER_TAX, "<ram:TaxPointDate/>"), After(SECOND_HEADER_TAX, "<ram:TaxPointDate/>")]),
    ("CII-SR-462", &[After(HEADER_TAX, "<ram:DueDateTypeCode>5</ram:DueDateTypeCode>"), After(SECOND_HEADER_TAX, "<ram:DueDateTypeCode>29</ram:DueDateTypeCode>")]),
    // The codes are compared anywhere in the document, as written: a line's code counts.
    ("CII-SR-462", &[After(HEADER_TAX, "<ram:DueDateTypeCode>5</ram:DueDateTypeCode>"), After(LINE_TAX_CATEGORY, "<ram:DueDateTypeCode> 5</ram:DueDateTypeCode>")]),
    ("CII-SR-470", &[First(IBAN, "")]),
    ("CII-SR-470", &[First(MEANS_CODE, "<ram:TypeCode>58</ram:TypeCode>"), All(IBAN, "")]),
    ("CII-SR-467", &[First(MEANS_CODE, "<ram:TypeCode>58</ram:TypeCode>")]),
    ("CII-SR-468", &[After(HEADER_SETTLEMENT, "<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>30</ram:TypeCode><ram:Information>transfer</ram:Information></ram:SpecifiedTradeSettlementPaymentMeans>"), After(HEADER_SETTLEMENT, "<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>30</ram:TypeCode><ram:Information>wire</ram:Information></ram:SpecifiedTradeSettlementPaymentMeans>")]),
    ("CII-SR-469", &[After(HEADER_SETTLEMENT, "<ram:PaymentReference>again</ram:PaymentReference>")]),
];

/// Every CII-DT rule that the official validation can fire.
#[rustfmt::skip]
const DATA_TYPE: &[Case] = &[
    ("CII-DT-001", &[First(INVOICE_NUMBER, "<ram:ID schemeName=\"x\">12115118</ram:ID>")]),
    ("CII-DT-002", &[First(SPECIFICATION_ID, "<ram:ID schemeAgencyName=\"x\">urn:cen.eu:en16931:2017</ram:ID>")]),
    ("CII-DT-003", &[First(LINE_ID, "<ram:LineID schemeDataURI=\"x\">1</ram:LineID>")]),
    ("CII-DT-004", &[First(SELLER_ITEM_ID, "<ram:SellerAssignedID schemeURI=\"x\">166022</ram:SellerAssignedID>")]),
    ("CII-DT-005", &[First(INVOICE_NUMBER, "<ram:ID schemeID=\"x\">12115118</ram:ID>")]),
    ("CII-DT-006", &[First(LINE_ID, "<ram:LineID schemeAgencyID=\"x\">1</ram:LineID>")]),
    ("CII-DT-007", &[First(SELLER_ITEM_ID, "<ram:SellerAssignedID schemeVersionID=\"x\">166022</ram:SellerAssignedID>")]),
    ("CII-DT-101", &[First(BUYER_ID, "<ram:ID schemeName=\"x\">10202</ram:ID>")]),
    ("CII-DT-102", &[First(BUYER_ID, "<ram:ID schemeAgencyName=\"x\">10202</ram:ID>")]),
    ("CII-DT-103", &[First("<ram:CountryID>NL</ram:CountryID>", "<ram:CountryID schemeDataURI=\"x\">NL</ram:CountryID>")]),
    ("CII-DT-104", &[First(BUYER_ID, "<ram:ID schemeURI=\"x\">10202</ram:ID>")]),
    ("CII-DT-008", &[First(DOCUMENT_TYPE, "<ram:TypeCode name=\"x\">380</ram:TypeCode>")]),
    ("CII-DT-009", &[First(MEANS_CODE, "<ram:TypeCode listURI=\"x\">30</ram:TypeCode>")]),
    ("CII-DT-013", &[First(INVOICE, "<rsm:CrossIndustryInvoice languageID=\"nl\" ")]),
    ("CII-DT-014", &[First(INVOICE, "<rsm:CrossIndustryInvoice languageLocaleID=\"nl\" ")]),
    ("CII-DT-015", &[After(HEADER_AGREEMENT, "<ram:ContractReferencedDocument><ram:URIID>u</ram:URIID></ram:ContractReferencedDocument>")]),
    ("CII-DT-015", &[After(HEADER_AGREEMENT, "<ram:AdditionalReferencedDocument><ram:TypeCode>130</ram:TypeCode><ram:URIID>u</ram:URIID></ram:AdditionalReferencedDocument>")]),
    ("CII-DT-016", &[After(HEADER_AGREEMENT, "<ram:ContractReferencedDocument><ram:StatusCode>1</ram:StatusCode></ram:ContractReferencedDocument>")]),
    ("CII-DT-017", &[After(HEADER_AGREEMENT, "<ram:ContractReferencedDocument><ram:CopyIndicator/></ram:ContractReferencedDocument>")]),
    ("CII-DT-018", &[After(HEADER_AGREEMENT, "<ram:ContractReferencedDocument><ram:TypeCode>50</ram:TypeCode></ram:ContractReferencedDocument>")]),
    ("CII-DT-018", &[After(HEADER_AGREEMENT, "<ram:AdditionalReferencedDocument><ram:TypeCode> 50</ram:TypeCode></ram:AdditionalReferencedDocument>")]),
    ("CII-DT-019", &[After(HEADER_AGREEMENT, "<ram:ContractReferencedDocument><ram:GlobalID>g</ram:GlobalID></ram:ContractReferencedDocument>")]),
    ("CII-DT-020", &[After(HEADER_AGREEMENT, "<ram:ContractReferencedDocument><ram:RevisionID>1</ram:RevisionID></ram:ContractReferencedDocument>")]),
    ("CII-DT-021", &[After(HEADER_AGREEMENT, "<ram:BuyerOrderReferencedDocument><ram:Name>n</ram:Name></ram:BuyerOrderReferencedDocument>")]),
    ("CII-DT-022", &[After(HEADER_AGREEMENT, "<ram:AdditionalReferencedDocument><ram:TypeCode>50</ram:TypeCode><ram:AttachmentBinaryObject/></ram:AdditionalReferencedDocument>")]),
    ("CII-DT-023", &[After(HEADER_AGREEMENT, "<ram:ContractReferencedDocument><ram:Information>i</ram:Information></ram:ContractReferencedDocument>")]),
    ("CII-DT-024", &[After(HEADER_AGREEMENT, "<ram:AdditionalReferencedDocument><ram:TypeCode>916</ram:TypeCode><ram:ReferenceTypeCode>AAA</ram:ReferenceTypeCode></ram:AdditionalReferencedDocument>")]),
    ("CII-DT-025", &[After(HEADER_AGREEMENT, "<ram:ContractReferencedDocument><ram:SectionName>s</ram:SectionName></ram:ContractReferencedDocument>")]),
    ("CII-DT-026", &[After(HEADER_AGREEMENT, "<ram:ContractReferencedDocument><ram:PreviousRevisionID>1</ram:PreviousRevisionID></ram:ContractReferencedDocument>")]),
    ("CII-DT-027", &[After(HEADER_AGREEMENT, "<ram:ContractReferencedDocument><ram:FormattedIssueDateTime/></ram:ContractReferencedDocument>")]),
    ("CII-DT-028", &[After(HEADER_AGREEMENT, "<ram:ContractReferencedDocument><ram:EffectiveSpecifiedPeriod/></ram:ContractReferencedDocument>")]),
    ("CII-DT-029", &[After(HEADER_AGREEMENT, "<ram:ContractReferencedDocument><ram:IssuerTradeParty/></ram:ContractReferencedDocument>")]),
    ("CII-DT-030", &[After(HEADER_AGREEMENT, "<ram:ContractReferencedDocument><ram:AttachedSpecifiedBinaryFile/></ram:ContractReferencedDocument>")]),
    ("CII-DT-031", &[First(LINE_TOTAL, "<ram:LineTotalAmount currencyID=\"EUR\">19.9</ram:LineTotalAmount>")]),
    ("CII-DT-032", &[First(TOTALS, "<ram:GrandTotalAmount currencyCodeListVersionID=\"1\">250.33</ram:GrandTotalAmount>")]),
    ("CII-DT-033", &[All(" unitCode=\"H87\"", ""), After(NET_PRICE, "<ram:BasisQuantity unitCode=\"H87\">1</ram:BasisQuantity>")]),
    ("CII-DT-034", &[First(BILLED_QUANTITY, "<ram:BilledQuantity unitCode=\"H87\" unitCodeListID=\"x\">2</ram:BilledQuantity>")]),
    ("CII-DT-035", &[First(BILLED_QUANTITY, "<ram:BilledQuantity unitCode=\"H87\" unitCodeListAgencyID=\"x\">2</ram:BilledQuantity>")]),
    ("CII-DT-036", &[First(BILLED_QUANTITY, "<ram:BilledQuantity unitCode=\"H87\" unitCodeListAgencyName=\"x\">2</ram:BilledQuantity>")]),
    ("CII-DT-037", &[First("<ram:TypeCode>VAT</ram:TypeCode>", "<ram:TypeCode>GST</ram:TypeCode>")]),
    ("CII-DT-037", &[First("<ram:TypeCode>VAT</ram:TypeCode>", "<ram:TypeCode> VAT</ram:TypeCode>")]),
    ("CII-DT-038", &[After(LINE_TAX_CATEGORY, "<ram:CalculatedRate>1</ram:CalculatedRate>")]),
    ("CII-DT-039", &[After(LINE_TAX_CATEGORY, "<ram:CalculationSequenceNumeric>1</ram:CalculationSequenceNumeric>")]),
    ("CII-DT-040", &[After(LINE_TAX_CATEGORY, "<ram:BasisQuantity>1</ram:BasisQuantity>")]),
    ("CII-DT-041", &[After(LINE_TAX_CATEGORY, "<ram:BasisAmount>1</ram:BasisAmount>")]),
    ("CII-DT-042", &[After(LINE_TAX_CATEGORY, "<ram:UnitBasisAmount>1</ram:UnitBasisAmount>")]),
    ("CII-DT-043", &[After(HEADER_TAX, "<ram:LineTotalBasisAmount>1</ram:LineTotalBasisAmount>")]),
    ("CII-DT-044", &[After(HEADER_TAX, "<ram:AllowanceChargeBasisAmount>1</ram:AllowanceChargeBasisAmount>")]),
    ("CII-DT-045", &[First(LINE_TAX_CATEGORY, "<ram:CategoryCode listID=\"x\">S</ram:CategoryCode>")]),
    ("CII-DT-046", &[First(LINE_TAX_CATEGORY, "<ram:CategoryCode listAgencyID=\"x\">S</ram:CategoryCode>")]),
    ("CII-DT-047", &[First(LINE_TAX_CATEGORY, "<ram:CategoryCode listVersionID=\"x\">S</ram:CategoryCode>")]),
    ("CII-DT-048", &[First(LINE_TAX_CATEGORY, "<ram:CategoryCode listURI=\"x\">S</ram:CategoryCode>")]),
    ("CII-DT-049", &[After(HEADER_TAX, "<ram:CurrencyCode>EUR</ram:CurrencyCode>")]),
    ("CII-DT-050", &[After(HEADER_TAX, "<ram:Jurisdiction>x</ram:Jurisdiction>")]),
    ("CII-DT-051", &[After(HEADER_TAX, "<ram:CustomsDutyIndicator/>")]),
    ("CII-DT-052", &[After(LINE_SETTLEMENT, "<ram:SpecifiedTradeAllowanceCharge><ram:CategoryTradeTax><ram:ExemptionReasonCode>x</ram:ExemptionReasonCode></ram:CategoryTradeTax></ram:SpecifiedTradeAllowanceCharge>")]),
    ("CII-DT-098", &[After(LINE_SETTLEMENT, "<ram:SpecifiedTradeAllowanceCharge><ram:CategoryTradeTax><ram:ExemptionReason>x</ram:ExemptionReason></ram:CategoryTradeTax></ram:SpecifiedTradeAllowanceCharge>")]),
    ("CII-DT-053", &[After(HEADER_TAX, "<ram:TaxBasisAllowanceRate/>")]),
    ("CII-DT-054", &[After(LINE_TAX_CATEGORY, "<ram:TaxPointDate/>")]),
    ("CII-DT-055", &[After(HEADER_TAX, "<ram:Type/>")]),
    ("CII-DT-056", &[After(HEADER_TAX, "<ram:InformationAmount>1</ram:InformationAmount>")]),
    ("CII-DT-057", &[After(HEADER_TAX, "<ram:CategoryName>x</ram:CategoryName>")]),
    ("CII-DT-058", &[After(LINE_TAX_CATEGORY, "<ram:DueDateTypeCode>5</ram:DueDateTypeCode>")]),
    ("CII-DT-059", &[First("<ram:RateApplicablePercent>6</ram:RateApplicablePercent>", "<ram:RateApplicablePercent format=\"x\">6</ram:RateApplicablePercent>")]),
    ("CII-DT-060", &[After(HEADER_TAX, "<ram:SpecifiedTradeAccountingAccount/>")]),
    ("CII-DT-061", &[After(HEADER_TAX, "<ram:ServiceSupplyTradeCountry/>")]),
    ("CII-DT-062", &[After(HEADER_TAX, "<ram:BuyerRepayableTaxSpecifiedTradeAccountingAccount/>")]),
    ("CII-DT-063", &[After(HEADER_TAX, "<ram:SellerPayableTaxSpecifiedTradeAccountingAccount/>")]),
    ("CII-DT-064", &[After(HEADER_TAX, "<ram:SellerRefundableTaxSpecifiedTradeAccountingAccount/>")]),
    ("CII-DT-065", &[After(HEADER_TAX, "<ram:BuyerDeductibleTaxSpecifiedTradeAccountingAccount/>")]),
    ("CII-DT-066", &[After(HEADER_TAX, "<ram:BuyerNonDeductibleTaxSpecifiedTradeAccountingAccount/>")]),
    ("CII-DT-067", &[After(HEADER_TAX, "<ram:PlaceApplicableTradeLocation/>")]),
    ("CII-DT-068", &[After(HEADER_SETTLEMENT, "<ram:BillingSpecifiedPeriod><ram:StartDateTime><udt:DateTime>2015-01-01T00:00:00</udt:DateTime></ram:StartDateTime></ram:BillingSpecifiedPeriod>")]),
    ("CII-DT-069", &[After(HEADER_SETTLEMENT, "<ram:BillingSpecifiedPeriod><ram:DurationMeasure>1</ram:DurationMeasure></ram:BillingSpecifiedPeriod>")]),
    ("CII-DT-070", &[After(HEADER_SETTLEMENT, "<ram:BillingSpecifiedPeriod><ram:InclusiveIndicator/></ram:BillingSpecifiedPeriod>")]),
    ("CII-DT-071", &[After(LINE_SETTLEMENT, "<ram:BillingSpecifiedPeriod><ram:Description>d</ram:Description></ram:BillingSpecifiedPeriod>")]),
    ("CII-DT-072", &[After(HEADER_SETTLEMENT, "<ram:BillingSpecifiedPeriod><ram:EndDateTime><udt:DateTime>2015-01-31T00:00:00</udt:DateTime></ram:EndDateTime></ram:BillingSpecifiedPeriod>")]),
    ("CII-DT-073", &[After(HEADER_SETTLEMENT, "<ram:BillingSpecifiedPeriod><ram:CompleteDateTime/></ram:BillingSpecifiedPeriod>")]),
    ("CII-DT-074", &[After(HEADER_SETTLEMENT, "<ram:BillingSpecifiedPeriod><ram:OpenIndicator/></ram:BillingSpecifiedPeriod>")]),
    ("CII-DT-075", &[After(HEADER_SETTLEMENT, "<ram:BillingSpecifiedPeriod><ram:SeasonCode/></ram:BillingSpecifiedPeriod>")]),
    ("CII-DT-076", &[After(HEADER_SETTLEMENT, "<ram:BillingSpecifiedPeriod><ram:ID/></ram:BillingSpecifiedPeriod>")]),
    ("CII-DT-077", &[After(HEADER_SETTLEMENT, "<ram:BillingSpecifiedPeriod><ram:Name/></ram:BillingSpecifiedPeriod>")]),
    ("CII-DT-078", &[After(HEADER_SETTLEMENT, "<ram:BillingSpecifiedPeriod><ram:SequenceNumeric/></ram:BillingSpecifiedPeriod>")]),
    ("CII-DT-079", &[After(HEADER_SETTLEMENT, "<ram:BillingSpecifiedPeriod><ram:StartDateFlexibilityCode/></ram:BillingSpecifiedPeriod>")]),
    ("CII-DT-080", &[After(HEADER_SETTLEMENT, "<ram:BillingSpecifiedPeriod><ram:ContinuousIndicator/></ram:BillingSpecifiedPeriod>")]),
    ("CII-DT-081", &[After(HEADER_SETTLEMENT, "<ram:BillingSpecifiedPeriod><ram:PurposeCode/></ram:BillingSpecifiedPeriod>")]),
    ("CII-DT-082", &[After(SELLER_ADDRESS, "<ram:ID>1</ram:ID>")]),
    ("CII-DT-083", &[After(SELLER_ADDRESS, "<ram:PostOfficeBox>1</ram:PostOfficeBox>")]),
    ("CII-DT-084", &[After(SELLER_ADDRESS, "<ram:BuildingName>b</ram:BuildingName>")]),
    ("CII-DT-086", &[After(SELLER_ADDRESS, "<ram:LineFour>l</ram:LineFour>")]),
    ("CII-DT-087", &[After(SELLER_ADDRESS, "<ram:LineFive>l</ram:LineFive>")]),
    ("CII-DT-088", &[After(SELLER_ADDRESS, "<ram:StreetName>s</ram:StreetName>")]),
    ("CII-DT-089", &[After(SELLER_ADDRESS, "<ram:CitySubDivisionName>c</ram:CitySubDivisionName>")]),
    ("CII-DT-090", &[After(SELLER_ADDRESS, "<ram:CountryName>c</ram:CountryName>")]),
    ("CII-DT-091", &[After(SELLER_ADDRESS, "<ram:CountrySubDivisionID>c</ram:CountrySubDivisionID>")]),
    ("CII-DT-092", &[After(SELLER_ADDRESS, "<ram:AttentionOf>a</ram:AttentionOf>")]),
    ("CII-DT-093", &[After(SELLER_ADDRESS, "<ram:CareOf>c</ram:CareOf>")]),
    ("CII-DT-094", &[After(SELLER_ADDRESS, "<ram:BuildingNumber>1</ram:BuildingNumber>")]),
    ("CII-DT-095", &[After(SELLER_ADDRESS, "<ram:DepartmentName>d</ram:DepartmentName>")]),
    ("CII-DT-096", &[After(SELLER_ADDRESS, "<ram:AdditionalStreetName>a</ram:AdditionalStreetName>")]),
    ("CII-DT-097", &[First(ISSUE_DATE, "<udt:DateTimeString format=\"102\">2015-01-09</udt:DateTimeString>")]),
    ("CII-DT-097", &[First(ISSUE_DATE, "<udt:DateTimeString format=\"102\">20151309</udt:DateTimeString>")]),
];

/// A sample of the CII-SR warnings, one or more per shape of test.
#[rustfmt::skip]
const WARNINGS: &[Case] = &[
    // Absent, one to four steps deep, elements and attributes.
    ("CII-SR-001", &[After(DOCUMENT_CONTEXT, "<ram:SpecifiedTransactionID>t</ram:SpecifiedTransactionID>")]),
    ("CII-SR-013", &[After(EXCHANGED_DOCUMENT, "<ram:Name>n</ram:Name><ram:Name>n</ram:Name>")]),
    ("CII-SR-015", &[After(EXCHANGED_DOCUMENT, "<ram:IssueDateTime><udt:DateTime>2015-01-09T00:00:00</udt:DateTime></ram:IssueDateTime>")]),
    ("CII-SR-027", &[After(NOTE, "<ram:Subject>s</ram:Subject>")]),
    ("CII-SR-035", &[After(LINE, "<ram:DescriptionCode>d</ram:DescriptionCode>")]),
    ("CII-SR-221", &[After(LINE, "<ram:IncludedSubordinateTradeLineItem/>")]),
    ("CII-SR-041", &[After(LINE_DOCUMENT, "<ram:IncludedNote><ram:SubjectCode>AAI</ram:SubjectCode></ram:IncludedNote>")]),
    ("CII-SR-045", &[After(PRODUCT, "<ram:ID>1</ram:ID>")]),
    ("CII-SR-120", &[After(LINE_AGREEMENT, "<ram:GrossPriceProductTradePrice><ram:AppliedTradeAllowanceCharge><ram:ID>1</ram:ID></ram:AppliedTradeAllowanceCharge></ram:GrossPriceProductTradePrice>")]),
    ("CII-SR-183", &[After(LINE_SETTLEMENT, "<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:IndicatorString>false</udt:IndicatorString></ram:ChargeIndicator></ram:SpecifiedTradeAllowanceCharge>")]),
    ("CII-SR-186", &[After(LINE_SETTLEMENT, "<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator><ram:CalculationPercent format=\"x\">1</ram:CalculationPercent></ram:SpecifiedTradeAllowanceCharge>")]),
    ("CII-SR-151", &[After(LINE_DELIVERY, "<ram:RequestedQuantity>1</ram:RequestedQuantity>")]),
    ("CII-SR-322", &[First(HEADER_DELIVERY, "<ram:ApplicableHeaderTradeDelivery><ram:ActualDeliverySupplyChainEvent><ram:OccurrenceDateTime><udt:DateTime>2015-01-09T00:00:00</udt:DateTime></ram:OccurrenceDateTime></ram:ActualDeliverySupplyChainEvent></ram:ApplicableHeaderTradeDelivery>")]),
    ("CII-SR-400", &[After(HEADER_SETTLEMENT, "<ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime><udt:DateTime>2015-01-09T00:00:00</udt:DateTime></ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>")]),
    ("CII-SR-411", &[After(TOTALS, "<ram:InformationAmount>1</ram:InformationAmount>")]),
    ("CII-SR-464", &[After(MEANS_CODE, "<ram:PayerSpecifiedDebtorFinancialInstitution/>")]),
    ("CII-SR-04", &[After(GUIDELINE, "<ram:Value>v</ram:Value>")]),
    ("CII-SR-05", &[After(GUIDELINE, "<ram:SpecifiedDocumentVersion/>")]),
    // At most once, exactly once.
    ("CII-SR-003", &[After(DOCUMENT_CONTEXT, "<ram:BusinessProcessSpecifiedDocumentContextParameter/><ram:BusinessProcessSpecifiedDocumentContextParameter/>")]),
    ("CII-SR-030", &[After(NOTE, "<ram:Content>more</ram:Content>")]),
    ("CII-SR-039", &[After(LINE_DOCUMENT, "<ram:IncludedNote/><ram:IncludedNote/>")]),
    ("CII-SR-040", &[After(LINE_DOCUMENT, "<ram:IncludedNote><ram:Content>a</ram:Content><ram:Content>b</ram:Content></ram:IncludedNote>")]),
    ("CII-SR-452", &[After(HEADER_SETTLEMENT, "<ram:SpecifiedTradePaymentTerms/>")]),
    ("CII-SR-453", &[After(HEADER_SETTLEMENT, "<ram:SpecifiedTradePaymentTerms><ram:Description>a</ram:Description><ram:Description>b</ram:Description></ram:SpecifiedTradePaymentTerms>")]),
    ("CII-SR-454", &[After(LINE_SETTLEMENT, "<ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode></ram:ApplicableTradeTax>")]),
    // Not both.
    ("CII-SR-449", &[First(HEADER_DELIVERY, "<ram:ApplicableHeaderTradeDelivery><ram:ShipToTradeParty><ram:ID>1</ram:ID><ram:GlobalID schemeID=\"0088\">5400000000001</ram:GlobalID></ram:ShipToTradeParty></ram:ApplicableHeaderTradeDelivery>")]),
    ("CII-SR-450", &[After(BUYER_ID, "<ram:GlobalID schemeID=\"0088\">5400000000001</ram:GlobalID>")]),
    ("CII-SR-451", &[After(HEADER_SETTLEMENT, "<ram:PayeeTradeParty><ram:ID>1</ram:ID></ram:PayeeTradeParty><ram:PayeeTradeParty><ram:GlobalID>2</ram:GlobalID></ram:PayeeTradeParty>")]),
    ("CII-SR-465", &[After(SELLER, "<ram:DefinedTradeContact><ram:PersonName>p</ram:PersonName><ram:DepartmentName>d</ram:DepartmentName></ram:DefinedTradeContact>")]),
    ("CII-SR-466", &[After(BUYER_CONTACT, "<ram:DepartmentName>Sales</ram:DepartmentName>")]),
    // Value tests.
    ("CII-SR-119", &[After(LINE_AGREEMENT, "<ram:GrossPriceProductTradePrice><ram:AppliedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>true</udt:Indicator></ram:ChargeIndicator><ram:ActualAmount>1</ram:ActualAmount></ram:AppliedTradeAllowanceCharge></ram:GrossPriceProductTradePrice>")]),
    ("CII-SR-119", &[After(LINE_AGREEMENT, "<ram:GrossPriceProductTradePrice><ram:AppliedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator></ram:AppliedTradeAllowanceCharge></ram:GrossPriceProductTradePrice>")]),
    ("CII-SR-119", &[After(LINE_AGREEMENT, "<ram:GrossPriceProductTradePrice><ram:AppliedTradeAllowanceCharge><ram:ActualAmount>1</ram:ActualAmount></ram:AppliedTradeAllowanceCharge></ram:GrossPriceProductTradePrice>")]),
    ("CII-SR-457", &[After(HEADER_AGREEMENT, "<ram:AdditionalReferencedDocument><ram:TypeCode>50</ram:TypeCode></ram:AdditionalReferencedDocument><ram:AdditionalReferencedDocument><ram:TypeCode>50</ram:TypeCode></ram:AdditionalReferencedDocument>")]),
    ("CII-SR-458", &[After(HEADER_AGREEMENT, "<ram:AdditionalReferencedDocument><ram:TypeCode>130</ram:TypeCode></ram:AdditionalReferencedDocument><ram:AdditionalReferencedDocument><ram:TypeCode>130</ram:TypeCode></ram:AdditionalReferencedDocument>")]),
    ("CII-SR-474", &[After(LINE_SETTLEMENT, "<ram:AdditionalReferencedDocument><ram:TypeCode>130</ram:TypeCode></ram:AdditionalReferencedDocument><ram:AdditionalReferencedDocument><ram:TypeCode> 130 </ram:TypeCode></ram:AdditionalReferencedDocument>")]),
    ("CII-SR-475", &[After(HEADER_AGREEMENT, "<ram:AdditionalReferencedDocument><ram:TypeCode>916</ram:TypeCode><ram:Name>a</ram:Name></ram:AdditionalReferencedDocument><ram:AdditionalReferencedDocument><ram:TypeCode>916 </ram:TypeCode><ram:Name>b</ram:Name></ram:AdditionalReferencedDocument>")]),
    ("CII-SR-476", &[After(HEADER_AGREEMENT, "<ram:AdditionalReferencedDocument><ram:TypeCode>916</ram:TypeCode><ram:AttachmentBinaryObject/><ram:AttachmentBinaryObject/></ram:AdditionalReferencedDocument>")]),
];

/// Edits after which the named rule must NOT fire: the exemptions and borders of the tests.
#[rustfmt::skip]
const NEAR_MISSES: &[Case] = &[
    ("CII-SR-046", &[After(PRODUCT, "<ram:GlobalID schemeID=\"0160\">5400000000001</ram:GlobalID>")]),
    ("CII-SR-090", &[After(PRODUCT, "<ram:OriginTradeCountry><ram:ID>NL</ram:ID></ram:OriginTradeCountry>")]),
    ("CII-SR-069", &[After(PRODUCT, "<ram:ApplicableProductCharacteristic><ram:Description>colour</ram:Description><ram:Value>red</ram:Value></ram:ApplicableProductCharacteristic>")]),
    ("CII-SR-119", &[After(LINE_AGREEMENT, "<ram:GrossPriceProductTradePrice><ram:AppliedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator> 0 </udt:Indicator></ram:ChargeIndicator><ram:ActualAmount>1</ram:ActualAmount></ram:AppliedTradeAllowanceCharge></ram:GrossPriceProductTradePrice>")]),
    ("CII-SR-119", &[After(LINE_AGREEMENT, "<ram:GrossPriceProductTradePrice><ram:ChargeAmount>10</ram:ChargeAmount></ram:GrossPriceProductTradePrice>")]),
    // One allowance's amount on the gross price is not an allowance charge anywhere else.
    ("CII-SR-440", &[After(LINE_SETTLEMENT, "<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator><ram:ActualAmount>1</ram:ActualAmount></ram:SpecifiedTradeAllowanceCharge>")]),
    ("CII-SR-462", &[After(HEADER_TAX, "<ram:DueDateTypeCode>5</ram:DueDateTypeCode>"), After(SECOND_HEADER_TAX, "<ram:DueDateTypeCode>5</ram:DueDateTypeCode>")]),
    ("CII-SR-467", &[First(MEANS_CODE, "<ram:TypeCode> 30\n</ram:TypeCode>")]),
    ("CII-SR-468", &[After(HEADER_SETTLEMENT, "<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>30</ram:TypeCode><ram:Information>credit  transfer</ram:Information></ram:SpecifiedTradeSettlementPaymentMeans>"), After(HEADER_SETTLEMENT, "<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>30</ram:TypeCode><ram:Information> credit transfer</ram:Information></ram:SpecifiedTradeSettlementPaymentMeans>")]),
    ("CII-SR-470", &[First(IBAN, "<ram:ProprietaryID>123</ram:ProprietaryID>")]),
    ("CII-SR-470", &[All(MEANS_CODE, "<ram:TypeCode>49</ram:TypeCode>"), All(IBAN, "")]),
    ("CII-SR-474", &[After(LINE_SETTLEMENT, "<ram:AdditionalReferencedDocument><ram:TypeCode>130</ram:TypeCode></ram:AdditionalReferencedDocument><ram:AdditionalReferencedDocument><ram:TypeCode>916</ram:TypeCode></ram:AdditionalReferencedDocument>")]),
    // 457 compares as written: " 50" is not "50".
    ("CII-SR-457", &[After(HEADER_AGREEMENT, "<ram:AdditionalReferencedDocument><ram:TypeCode>50</ram:TypeCode></ram:AdditionalReferencedDocument><ram:AdditionalReferencedDocument><ram:TypeCode> 50</ram:TypeCode></ram:AdditionalReferencedDocument>")]),
    ("CII-SR-475", &[After(HEADER_AGREEMENT, "<ram:AdditionalReferencedDocument><ram:TypeCode>916</ram:TypeCode><ram:Name>a</ram:Name></ram:AdditionalReferencedDocument><ram:AdditionalReferencedDocument><ram:TypeCode>130</ram:TypeCode><ram:Name>b</ram:Name></ram:AdditionalReferencedDocument>")]),
    ("CII-SR-466", &[First(BUYER_CONTACT, "<ram:DepartmentName>Sales</ram:DepartmentName>")]),
    ("CII-DT-005", &[First(BUYER_ID, "<ram:ID schemeID=\"0088\">10202</ram:ID>")]),
    // The document's own TypeCode is judged as any TypeCode: its official context, which
    // would forbid list attributes there, is shadowed and never runs.
    ("CII-DT-010", &[First(DOCUMENT_TYPE, "<ram:TypeCode listID=\"x\">380</ram:TypeCode>")]),
    ("CII-DT-011", &[First(DOCUMENT_TYPE, "<ram:TypeCode listAgencyID=\"x\">380</ram:TypeCode>")]),
    ("CII-DT-012", &[First(DOCUMENT_TYPE, "<ram:TypeCode listVersionID=\"x\">380</ram:TypeCode>")]),
    ("CII-DT-015", &[After(HEADER_AGREEMENT, "<ram:AdditionalReferencedDocument><ram:TypeCode>916</ram:TypeCode><ram:URIID>u</ram:URIID><ram:Name>n</ram:Name><ram:AttachmentBinaryObject/></ram:AdditionalReferencedDocument>")]),
    ("CII-DT-018", &[After(HEADER_AGREEMENT, "<ram:AdditionalReferencedDocument><ram:TypeCode>130</ram:TypeCode><ram:ReferenceTypeCode>AAA</ram:ReferenceTypeCode></ram:AdditionalReferencedDocument>")]),
    ("CII-DT-021", &[After(HEADER_AGREEMENT, "<ram:AdditionalReferencedDocument><ram:TypeCode>916</ram:TypeCode><ram:Name>n</ram:Name></ram:AdditionalReferencedDocument>")]),
    ("CII-DT-024", &[After(HEADER_AGREEMENT, "<ram:AdditionalReferencedDocument><ram:TypeCode>130</ram:TypeCode><ram:ReferenceTypeCode>AAA</ram:ReferenceTypeCode></ram:AdditionalReferencedDocument>")]),
    ("CII-DT-027", &[After(HEADER_SETTLEMENT, "<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>1</ram:IssuerAssignedID><ram:FormattedIssueDateTime/></ram:InvoiceReferencedDocument>")]),
    ("CII-DT-031", &[After(TOTALS, "<ram:TaxTotalAmount currencyID=\"EUR\">1</ram:TaxTotalAmount>")]),
    ("CII-DT-033", &[After(NET_PRICE, "<ram:BasisQuantity unitCode=\"H87\">1</ram:BasisQuantity>")]),
    ("CII-DT-037", &[After(LINE_SETTLEMENT, "<ram:ApplicableTradeTax><ram:TypeCode>GST</ram:TypeCode><ram:TypeCode>VAT</ram:TypeCode></ram:ApplicableTradeTax>")]),
    ("CII-DT-041", &[After(HEADER_TAX, "<ram:BasisAmount>1</ram:BasisAmount>")]),
    ("CII-DT-052", &[After(LINE_TAX_CATEGORY, "<ram:ExemptionReasonCode>x</ram:ExemptionReasonCode>")]),
    ("CII-DT-054", &[After(HEADER_TAX, "<ram:TaxPointDate/>")]),
    ("CII-DT-058", &[After(HEADER_TAX, "<ram:DueDateTypeCode>5</ram:DueDateTypeCode>")]),
    ("CII-DT-098", &[After(HEADER_TAX, "<ram:ExemptionReason>x</ram:ExemptionReason>")]),
    ("CII-DT-097", &[First(ISSUE_DATE, "<udt:DateTimeString format=\"102\">\n 20151231 </udt:DateTimeString>")]),
    ("CII-DT-097", &[First(ISSUE_DATE, "<udt:DateTimeString format=\"610\">201501</udt:DateTimeString>")]),
    // Absolute contexts hold at their place only: a note elsewhere is no document note.
    ("CII-SR-030", &[After(LINE_DOCUMENT, "<ram:IncludedNote><ram:Content>a</ram:Content></ram:IncludedNote>")]),
];

fn assert_fires(base: &str, cases: &[Case]) {
    let mut failures = Vec::new();
    for &(rule, edits) in cases {
        let findings = cii_findings(&edited(base, edits));
        let (severity, _) = rules::describe(RuleSet::En16931, Family::Cii, rule)
            .unwrap_or_else(|| panic!("{rule} is not an official CII rule"));
        let fired: Vec<_> = findings.iter().filter(|f| f.0 == rule).collect();
        if fired.len() != 1 || fired[0].1 != severity {
            failures.push(format!("{rule} after {edits:?}: {findings:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "did not fire exactly once:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_examples_fire_no_cii_rule() {
    let Some(corpus) = corpus() else { return };
    let dir = corpus.join("en16931/cii/examples");
    let mut judged = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "xml") {
            let xml = std::fs::read_to_string(&path).unwrap();
            assert_eq!(cii_findings(&xml), vec![], "{}", path.display());
            judged += 1;
        }
    }
    assert!(judged >= 10, "only {judged} examples in {}", dir.display());
}

#[test]
fn fatal_syntax_rules_fire() {
    let Some(base) = example() else { return };
    assert_fires(&base, FATAL_SR);
}

#[test]
fn data_type_rules_fire() {
    let Some(base) = example() else { return };
    assert_fires(&base, DATA_TYPE);
}

#[test]
fn warnings_of_every_shape_fire() {
    let Some(base) = example() else { return };
    assert_fires(&base, WARNINGS);
}

/// CII-SR-477..494: each total of the monetary summation at most once.
const MONETARY_TOTALS: [(&str, &str); 18] = [
    ("CII-SR-477", "LineTotalAmount"),
    ("CII-SR-478", "ChargeTotalAmount"),
    ("CII-SR-479", "AllowanceTotalAmount"),
    ("CII-SR-480", "TaxBasisTotalAmount"),
    ("CII-SR-481", "RoundingAmount"),
    ("CII-SR-482", "GrandTotalAmount"),
    ("CII-SR-483", "InformationAmount"),
    ("CII-SR-484", "TotalPrepaidAmount"),
    ("CII-SR-485", "TotalDiscountAmount"),
    ("CII-SR-486", "TotalAllowanceChargeAmount"),
    ("CII-SR-487", "DuePayableAmount"),
    ("CII-SR-488", "RetailValueExcludingTaxInformationAmount"),
    ("CII-SR-489", "TotalDepositFeeInformationAmount"),
    (
        "CII-SR-490",
        "ProductValueExcludingTobaccoTaxInformationAmount",
    ),
    ("CII-SR-491", "TotalRetailValueInformationAmount"),
    ("CII-SR-492", "GrossLineTotalAmount"),
    ("CII-SR-493", "NetLineTotalAmount"),
    ("CII-SR-494", "NetIncludingTaxesLineTotalAmount"),
];

#[test]
fn each_monetary_total_at_most_once() {
    let Some(base) = example() else { return };
    for (rule, element) in MONETARY_TOTALS {
        let already = base.contains(&format!("<ram:{element}>"));
        for added in [1, 2] {
            let extra = format!("<ram:{element}>1</ram:{element}>").repeat(added);
            let xml = base.replacen(TOTALS, &format!("{TOTALS}{extra}"), 1);
            let findings = cii_findings(&xml);
            let expected = usize::from(added + usize::from(already) > 1);
            assert_eq!(
                count(&findings, rule),
                expected,
                "{rule} +{added}: {findings:?}"
            );
            assert!(
                findings
                    .iter()
                    .all(|f| f.0 != rule || f.1 == Severity::Fatal)
            );
        }
    }
}

#[test]
fn near_misses_do_not_fire() {
    let Some(base) = example() else { return };
    let failures: Vec<String> = NEAR_MISSES
        .iter()
        .filter_map(|&(rule, edits)| {
            let findings = cii_findings(&edited(&base, edits));
            (count(&findings, rule) > 0).then(|| format!("{rule} after {edits:?}: {findings:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "fired:\n{}", failures.join("\n"));
}

/// Every fatal CII rule and every CII-DT rule has a case here, except the three whose
/// official context is shadowed.
#[test]
fn every_fatal_and_data_type_rule_has_a_case() {
    let shadowed = ["CII-DT-010", "CII-DT-011", "CII-DT-012"];
    let covered = |id: &str| {
        FATAL_SR.iter().chain(DATA_TYPE).any(|c| c.0 == id)
            || MONETARY_TOTALS.iter().any(|t| t.0 == id)
    };
    let missing: Vec<&str> = rules::rule_ids(RuleSet::En16931, Family::Cii)
        .filter(|id| id.starts_with("CII-"))
        .filter(|id| {
            id.starts_with("CII-DT")
                || rules::describe(RuleSet::En16931, Family::Cii, id)
                    .is_some_and(|d| d.0 == Severity::Fatal)
        })
        .filter(|id| !shadowed.contains(id) && !covered(id))
        .collect();
    assert!(missing.is_empty(), "no case for {missing:?}");
}

#[test]
fn findings_point_at_the_context_element() {
    let Some(base) = example() else { return };
    let xml = edited(
        &base,
        &[After(SELLER_ADDRESS, "<ram:LineFour>l</ram:LineFour>")],
    );
    let findings = cii_findings(&xml);
    assert_eq!(
        findings,
        vec![(
            "CII-DT-086".to_string(),
            Severity::Fatal,
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/ram:PostalTradeAddress".to_string()
        )]
    );
}

/// Each context element is judged on its own: a rule fires once per offending line, never
/// for a line that is clean, however many lines there are.
#[test]
fn one_finding_per_offending_context_over_many_lines() {
    let Some(base) = example() else { return };
    let start = base.find(LINE).unwrap();
    let end = base
        .rfind("</ram:IncludedSupplyChainTradeLineItem>")
        .unwrap()
        + "</ram:IncludedSupplyChainTradeLineItem>".len();
    let lines = &base[start..end];
    let dirty = lines.replace(
        LINE,
        "<ram:IncludedSupplyChainTradeLineItem><ram:ParentLineID>1</ram:ParentLineID>",
    );
    let per_copy = lines.matches(LINE).count();
    let copies = 200;
    let mut body = String::new();
    for i in 0..copies {
        body.push_str(if i % 2 == 0 { &dirty } else { lines });
    }
    let xml = format!("{}{}{}", &base[..start], body, &base[end..]);
    let findings = cii_findings(&xml);
    assert_eq!(count(&findings, "CII-SR-036"), per_copy * copies / 2);
    assert_eq!(
        findings.len(),
        per_copy * copies / 2,
        "{:?}",
        &findings[..3.min(findings.len())]
    );
}

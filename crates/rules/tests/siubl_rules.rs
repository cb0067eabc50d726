//! SI-UBL 2.0 (NLCIUS) rules on hand-written Dutch invoices: for each BR-NL rule one case
//! where it fires and the clean base invoice where it does not. There is no official test
//! material for SI-UBL 2.0; the data is fictional.

use rules::{RuleSet, Severity, validate_with};

/// A small, clean SI-UBL 2.0 invoice between two Dutch companies.
const BASE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0</cbc:CustomizationID>
 <cbc:ID>F2024-0117</cbc:ID>
 <cbc:IssueDate>2024-03-05</cbc:IssueDate>
 <cbc:DueDate>2024-04-04</cbc:DueDate>
 <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
 <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
 <cbc:BuyerReference>INK-4411</cbc:BuyerReference>
 <!--PERIOD-->
 <!--BILLING-->
 <cac:AccountingSupplierParty><cac:Party>
  <cbc:EndpointID schemeID="0106">87654321</cbc:EndpointID>
  <cac:PostalAddress>
   <cbc:StreetName>Molenweg 12</cbc:StreetName><cbc:CityName>Amersfoort</cbc:CityName>
   <cbc:PostalZone>3811 AB</cbc:PostalZone><!--SELLER-ADDRESS-EXTRA-->
   <cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country>
  </cac:PostalAddress>
  <cac:PartyTaxScheme><cbc:CompanyID>NL001234567B01</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
  <!--SELLER-TAX-->
  <cac:PartyLegalEntity><cbc:RegistrationName>Molen Techniek B.V.</cbc:RegistrationName><cbc:CompanyID schemeID="0106">87654321</cbc:CompanyID><!--LEGAL-FORM--></cac:PartyLegalEntity>
 </cac:Party></cac:AccountingSupplierParty>
 <cac:AccountingCustomerParty><cac:Party>
  <cbc:EndpointID schemeID="0106">12345678</cbc:EndpointID>
  <cac:PostalAddress>
   <cbc:StreetName>Stationsplein 3</cbc:StreetName><cbc:CityName>Utrecht</cbc:CityName>
   <cbc:PostalZone>3511 ED</cbc:PostalZone>
   <cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country>
  </cac:PostalAddress>
  <cac:PartyLegalEntity><cbc:RegistrationName>Gemeentelijk Vervoer B.V.</cbc:RegistrationName><cbc:CompanyID schemeID="0106">12345678</cbc:CompanyID></cac:PartyLegalEntity>
 </cac:Party></cac:AccountingCustomerParty>
 <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>
  <cac:PayeeFinancialAccount><cbc:ID>NL91ABNA0417164300</cbc:ID></cac:PayeeFinancialAccount>
 </cac:PaymentMeans>
 <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount>
  <cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">100.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount>
   <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
  </cac:TaxSubtotal>
 </cac:TaxTotal>
 <cac:LegalMonetaryTotal>
  <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
  <cbc:TaxExclusiveAmount currencyID="EUR">100.00</cbc:TaxExclusiveAmount>
  <cbc:TaxInclusiveAmount currencyID="EUR">121.00</cbc:TaxInclusiveAmount>
  <cbc:PayableAmount currencyID="EUR">121.00</cbc:PayableAmount>
 </cac:LegalMonetaryTotal>
 <cac:InvoiceLine><cbc:ID>1</cbc:ID>
  <cbc:InvoicedQuantity unitCode="HUR">2</cbc:InvoicedQuantity>
  <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
  <!--ORDER-LINE-->
  <cac:Item><cbc:Name>Onderhoud lift</cbc:Name>
   <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
  </cac:Item>
  <cac:Price><cbc:PriceAmount currencyID="EUR">50.00</cbc:PriceAmount></cac:Price>
 </cac:InvoiceLine>
</Invoice>
"#;

fn fired(xml: &str) -> Vec<(String, Severity)> {
    validate_with(xml.as_bytes(), &[RuleSet::SiUbl])
        .findings
        .into_iter()
        .map(|f| (f.rule, f.severity))
        .collect()
}

fn variant(edits: &[(&str, &str)]) -> String {
    edits.iter().fold(BASE.to_string(), |xml, (from, to)| {
        assert!(xml.contains(from), "base invoice lacks {from}");
        xml.replacen(from, to, 1)
    })
}

#[test]
fn the_base_invoice_is_clean() {
    assert_eq!(fired(BASE), vec![]);
}

/// Each case: the edit, the rule that must fire, and its severity.
/// Text replacements that turn the base invoice into a case.
type Edits<'a> = &'a [(&'a str, &'a str)];

#[test]
fn each_rule_fires_on_its_case() {
    use Severity::{Fatal, Warning};
    let cases: &[(Edits<'_>, &str, Severity)] = &[
        (
            &[(
                "<cbc:CompanyID schemeID=\"0106\">87654321",
                "<cbc:CompanyID schemeID=\"0002\">87654321",
            )],
            "BR-NL-1",
            Fatal,
        ),
        (
            &[("<cbc:BuyerReference>INK-4411</cbc:BuyerReference>", "")],
            "BR-NL-2",
            Fatal,
        ),
        (
            &[("<cbc:StreetName>Molenweg 12</cbc:StreetName>", "")],
            "BR-NL-3",
            Fatal,
        ),
        (
            &[("<cbc:CityName>Utrecht</cbc:CityName>", "")],
            "BR-NL-4",
            Fatal,
        ),
        (
            &[(
                "<!--BILLING-->",
                "<cac:TaxRepresentativeParty><cac:PartyName><cbc:Name>Fiscaal B.V.</cbc:Name></cac:PartyName><cac:PostalAddress><cbc:CityName>Breda</cbc:CityName><cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country></cac:PostalAddress></cac:TaxRepresentativeParty>",
            )],
            "BR-NL-5",
            Fatal,
        ),
        (
            &[("<cbc:InvoiceTypeCode>380", "<cbc:InvoiceTypeCode>386")],
            "BR-NL-7",
            Fatal,
        ),
        (
            &[("<cbc:InvoiceTypeCode>380", "<cbc:InvoiceTypeCode>381")],
            "BR-NL-8",
            Fatal,
        ),
        (
            &[("<cbc:InvoiceTypeCode>380", "<cbc:InvoiceTypeCode>384")],
            "BR-NL-9",
            Fatal,
        ),
        (
            &[(
                "<cbc:CompanyID schemeID=\"0106\">12345678",
                "<cbc:CompanyID schemeID=\"0002\">12345678",
            )],
            "BR-NL-10",
            Fatal,
        ),
        (
            &[(
                "<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>\n  <cac:PayeeFinancialAccount><cbc:ID>NL91ABNA0417164300</cbc:ID></cac:PayeeFinancialAccount>\n </cac:PaymentMeans>",
                "",
            )],
            "BR-NL-11",
            Fatal,
        ),
        (
            &[("<cbc:PaymentMeansCode>30<", "<cbc:PaymentMeansCode>31<")],
            "BR-NL-12",
            Fatal,
        ),
        (
            &[(
                "<!--ORDER-LINE-->",
                "<cac:OrderLineReference><cbc:LineID>3</cbc:LineID></cac:OrderLineReference>",
            )],
            "BR-NL-13",
            Fatal,
        ),
        (
            &[(
                "<cbc:BuyerReference>",
                "<cbc:TaxCurrencyCode>USD</cbc:TaxCurrencyCode><cbc:BuyerReference>",
            )],
            "BR-NL-19",
            Warning,
        ),
        (
            &[(
                "<cbc:DueDate>",
                "<cbc:TaxPointDate>2024-03-01</cbc:TaxPointDate><cbc:DueDate>",
            )],
            "BR-NL-20",
            Warning,
        ),
        (
            &[(
                "<!--PERIOD-->",
                "<cac:InvoicePeriod><cbc:DescriptionCode>35</cbc:DescriptionCode></cac:InvoicePeriod>",
            )],
            "BR-NL-21",
            Warning,
        ),
        (
            &[(
                "<!--BILLING-->",
                "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>F2024-0100</cbc:ID><cbc:IssueDate>2024-02-01</cbc:IssueDate></cac:InvoiceDocumentReference></cac:BillingReference>",
            )],
            "BR-NL-24",
            Warning,
        ),
        (
            &[(
                "<!--SELLER-TAX-->",
                "<cac:PartyTaxScheme><cbc:CompanyID>LH-88</cbc:CompanyID><cac:TaxScheme><cbc:ID>LOC</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
            )],
            "BR-NL-25",
            Warning,
        ),
        (
            &[(
                "<!--LEGAL-FORM-->",
                "<cbc:CompanyLegalForm>Besloten vennootschap</cbc:CompanyLegalForm>",
            )],
            "BR-NL-26",
            Warning,
        ),
        (
            &[(
                "<!--SELLER-ADDRESS-EXTRA-->",
                "<cac:AddressLine><cbc:Line>Unit 4</cbc:Line></cac:AddressLine>",
            )],
            "BR-NL-27-1",
            Warning,
        ),
        (
            &[(
                "<!--SELLER-ADDRESS-EXTRA-->",
                "<cbc:CountrySubentity>Utrecht</cbc:CountrySubentity>",
            )],
            "BR-NL-28-1",
            Warning,
        ),
        (
            &[(
                "<cbc:PaymentMeansCode>30<",
                "<cbc:PaymentMeansCode name=\"Overboeking\">30<",
            )],
            "BR-NL-29",
            Warning,
        ),
        (
            &[(
                "<cbc:ID>NL91ABNA0417164300</cbc:ID>",
                "<cbc:ID>NL91ABNA0417164300</cbc:ID><cbc:Name>Molen Techniek</cbc:Name>",
            )],
            "BR-NL-30",
            Warning,
        ),
        (
            &[
                ("<cbc:PaymentMeansCode>30<", "<cbc:PaymentMeansCode>58<"),
                (
                    "<cbc:ID>NL91ABNA0417164300</cbc:ID>",
                    "<cbc:ID>NL91ABNA0417164300</cbc:ID><cac:FinancialInstitutionBranch><cbc:ID>ABNANL2A</cbc:ID></cac:FinancialInstitutionBranch>",
                ),
            ],
            "BR-NL-31",
            Warning,
        ),
        (
            &[(
                "<cac:TaxTotal>",
                "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode><cbc:Amount currencyID=\"EUR\">0.00</cbc:Amount></cac:AllowanceCharge><cac:TaxTotal>",
            )],
            "BR-NL-32-1",
            Warning,
        ),
        (
            &[(
                "<cbc:TaxAmount currencyID=\"EUR\">21.00</cbc:TaxAmount>\n",
                "<cbc:TaxAmount currencyID=\"USD\">21.00</cbc:TaxAmount>\n",
            )],
            "BR-NL-33",
            Warning,
        ),
        (
            &[(
                "<cbc:Percent>21</cbc:Percent><cac:TaxScheme>",
                "<cbc:Percent>21</cbc:Percent><cbc:TaxExemptionReasonCode>VATEX-EU-O</cbc:TaxExemptionReasonCode><cac:TaxScheme>",
            )],
            "BR-NL-35",
            Warning,
        ),
        (
            &[("<!--PERIOD-->", "<cbc:AccountingCost></cbc:AccountingCost>")],
            "SI-UBL-2",
            Warning,
        ),
    ];
    for (edits, rule, severity) in cases {
        let findings = fired(&variant(edits));
        assert!(
            findings.iter().any(|(r, s)| r == rule && s == severity),
            "{rule} did not fire as {severity:?}: {findings:?}"
        );
    }
}

/// The rule order of the official pattern: an empty element that an earlier rule already
/// judged is not reported again as empty, and line allowance reason codes are BR-NL-32-1.
#[test]
fn the_first_matching_rule_wins() {
    let empty_tax_point = variant(&[(
        "<cbc:DueDate>",
        "<cbc:TaxPointDate></cbc:TaxPointDate><cbc:DueDate>",
    )]);
    let findings = fired(&empty_tax_point);
    assert!(
        findings.iter().any(|(r, _)| r == "BR-NL-20"),
        "{findings:?}"
    );
    assert!(
        !findings.iter().any(|(r, _)| r == "SI-UBL-2"),
        "{findings:?}"
    );
}

/// Sellers outside the Netherlands are judged by BR-NL-13 and the empty-element rule only.
#[test]
fn foreign_sellers_escape_the_dutch_rules() {
    let foreign = BASE.replacen(
        "<cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country>\n  </cac:PostalAddress>\n  <cac:PartyTaxScheme>",
        "<cbc:IdentificationCode>BE</cbc:IdentificationCode></cac:Country>\n  </cac:PostalAddress>\n  <cac:PartyTaxScheme>",
        1,
    );
    assert_ne!(foreign, BASE);
    let foreign = foreign.replacen("<cbc:InvoiceTypeCode>380", "<cbc:InvoiceTypeCode>386", 1);
    assert_eq!(fired(&foreign), vec![]);
    let with_line_ref = foreign.replacen(
        "<!--ORDER-LINE-->",
        "<cac:OrderLineReference><cbc:LineID>3</cbc:LineID></cac:OrderLineReference>",
        1,
    );
    assert_eq!(
        fired(&with_line_ref),
        vec![("BR-NL-13".to_string(), Severity::Fatal)]
    );
}

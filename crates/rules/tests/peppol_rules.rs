//! Peppol rules the official unit tests leave out: the Icelandic rules (IS-R-001..010),
//! the Norwegian organisation number (PEPPOL-COMMON-R041) and empty elements
//! (PEPPOL-EN16931-R008). Fragments, judged only on the rules named, like the VEFA tests.

use rules::{RuleSet, Severity, validate_with};

fn ubl(body: &str) -> String {
    format!(
        r#"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">{body}</Invoice>"#
    )
}

fn severity_of(xml: &str, rule: &str) -> Option<Severity> {
    validate_with(xml.as_bytes(), &[RuleSet::Peppol])
        .findings
        .into_iter()
        .find(|f| f.rule == rule)
        .map(|f| f.severity)
}

/// An Icelandic seller (and, with `buyer_is`, buyer) with everything the IS rules ask for.
fn icelandic(extra: &str, buyer_is: bool) -> String {
    let buyer_country = if buyer_is { "IS" } else { "NO" };
    ubl(&format!(
        r#"<cbc:DueDate>2024-05-01</cbc:DueDate><cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>{extra}
<cac:AccountingSupplierParty><cac:Party>
 <cac:PostalAddress><cbc:StreetName>Laugavegur 1</cbc:StreetName><cbc:PostalZone>101</cbc:PostalZone>
  <cac:Country><cbc:IdentificationCode>IS</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
 <cac:PartyLegalEntity><cbc:CompanyID schemeID="0196">5902697199</cbc:CompanyID></cac:PartyLegalEntity>
</cac:Party></cac:AccountingSupplierParty>
<cac:AccountingCustomerParty><cac:Party>
 <cac:PostalAddress><cbc:StreetName>Hafnarstræti 5</cbc:StreetName><cbc:PostalZone>600</cbc:PostalZone>
  <cac:Country><cbc:IdentificationCode>{buyer_country}</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
 <cac:PartyLegalEntity><cbc:CompanyID schemeID="0196">4710080280</cbc:CompanyID></cac:PartyLegalEntity>
</cac:Party></cac:AccountingCustomerParty>"#
    ))
}

#[test]
fn icelandic_rules_hold_on_a_complete_invoice() {
    let ok = icelandic(
        r#"<cac:AdditionalDocumentReference><cbc:ID>2024-05-10</cbc:ID><cbc:DocumentDescription>EINDAGI</cbc:DocumentDescription></cac:AdditionalDocumentReference>
<cac:PaymentMeans><cbc:PaymentMeansCode>42</cbc:PaymentMeansCode><cac:PayeeFinancialAccount><cbc:ID>011226012345</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>"#,
        true,
    );
    for n in 1..=10 {
        let rule = format!("IS-R-{n:03}");
        assert_eq!(severity_of(&ok, &rule), None, "{rule}");
    }
}

#[test]
fn icelandic_rules_fire() {
    use Severity::{Fatal, Warning};
    let cases: Vec<(String, &str, Severity)> = vec![
        (icelandic("", false).replace(">380<", ">386<"), "IS-R-001", Warning),
        (icelandic("", false).replace("schemeID=\"0196\">5902697199", "schemeID=\"0088\">5902697199"), "IS-R-002", Fatal),
        (icelandic("", false).replace("<cbc:PostalZone>101</cbc:PostalZone>", ""), "IS-R-003", Fatal),
        (icelandic("", true).replace("schemeID=\"0196\">4710080280", ">4710080280"), "IS-R-004", Fatal),
        (icelandic("", true).replace("<cbc:StreetName>Hafnarstræti 5</cbc:StreetName>", ""), "IS-R-005", Fatal),
        (
            icelandic(r#"<cac:PaymentMeans><cbc:PaymentMeansCode>9</cbc:PaymentMeansCode><cac:PayeeFinancialAccount><cbc:ID>0112260123</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>"#, false),
            "IS-R-006",
            Fatal,
        ),
        (
            icelandic(r#"<cac:PaymentMeans><cbc:PaymentMeansCode>42</cbc:PaymentMeansCode></cac:PaymentMeans>"#, false),
            "IS-R-007",
            Fatal,
        ),
        (
            icelandic(r#"<cac:AdditionalDocumentReference><cbc:ID>10.05.2024</cbc:ID><cbc:DocumentDescription>EINDAGI</cbc:DocumentDescription></cac:AdditionalDocumentReference>"#, false),
            "IS-R-008",
            Fatal,
        ),
        (
            icelandic(r#"<cac:AdditionalDocumentReference><cbc:ID>2024-05-10</cbc:ID><cbc:DocumentDescription>EINDAGI</cbc:DocumentDescription></cac:AdditionalDocumentReference>"#, false)
                .replace("<cbc:DueDate>2024-05-01</cbc:DueDate>", ""),
            "IS-R-009",
            Fatal,
        ),
        (
            icelandic(r#"<cac:AdditionalDocumentReference><cbc:ID>2024-04-20</cbc:ID><cbc:DocumentDescription>EINDAGI</cbc:DocumentDescription></cac:AdditionalDocumentReference>"#, false),
            "IS-R-010",
            Fatal,
        ),
    ];
    for (xml, rule, severity) in cases {
        assert_eq!(severity_of(&xml, rule), Some(severity), "{rule}");
    }
}

#[test]
fn icelandic_rules_skip_other_sellers() {
    let other = icelandic("", true)
        .replacen(">IS<", ">NO<", 1)
        .replace(">380<", ">386<");
    assert_eq!(severity_of(&other, "IS-R-001"), None);
}

#[test]
fn norwegian_organisation_number_check_digit() {
    let endpoint = |id: &str| {
        ubl(&format!(
            r#"<cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID="0192">{id}</cbc:EndpointID></cac:Party></cac:AccountingCustomerParty>"#
        ))
    };
    assert_eq!(
        severity_of(&endpoint("987654325"), "PEPPOL-COMMON-R041"),
        None
    );
    assert_eq!(
        severity_of(&endpoint(" 910667831 "), "PEPPOL-COMMON-R041"),
        None
    );
    for bad in ["987654321", "98765432", "NO987654325", "000000000"] {
        assert_eq!(
            severity_of(&endpoint(bad), "PEPPOL-COMMON-R041"),
            Some(Severity::Fatal),
            "{bad}"
        );
    }
}

#[test]
fn empty_elements_are_refused() {
    let empty = ubl("<cbc:Note> </cbc:Note><cac:OrderReference><cbc:ID/></cac:OrderReference>");
    let count = validate_with(empty.as_bytes(), &[RuleSet::Peppol])
        .findings
        .iter()
        .filter(|f| f.rule == "PEPPOL-EN16931-R008")
        .count();
    assert_eq!(count, 2, "the blank note and the empty order id");
    let filled = ubl(
        "<cbc:Note>Dank u</cbc:Note><cac:OrderReference><cbc:ID>PO-1</cbc:ID></cac:OrderReference>",
    );
    assert_eq!(severity_of(&filled, "PEPPOL-EN16931-R008"), None);
}

//! EN 16931 rules the official unit tests do not cover: BR-CO-05..08, BR-B-01/02,
//! BR-CL-08/22/25/26 and BR-IC-10, each in both syntaxes.

mod en16931_support;

use en16931_support::{assert_rule, cii, edit, edit_all, fires, ubl};

/// BR-CO-05..08 tie a reason code to its reason text; both official bindings test `true()`
/// because no list relates the two, so they never fire, whatever the pair.
#[test]
fn reason_code_and_text_rules_never_fire() {
    let ubl_mismatch = edit_all(&ubl(), "Loyal customer", "Freight");
    let ubl_mismatch = edit_all(&ubl_mismatch, "Packaging", "Discount");
    let cii_mismatch = edit_all(&cii(), "Loyal customer", "Freight");
    let cii_mismatch = edit_all(&cii_mismatch, "Packaging", "Discount");
    for doc in [ubl(), ubl_mismatch, cii(), cii_mismatch] {
        for id in ["BR-CO-05", "BR-CO-06", "BR-CO-07", "BR-CO-08"] {
            assert!(!fires(&doc, id), "{id}");
        }
    }
}

/// BR-B-01: split payment only when every country code is IT; BR-B-02: never with S.
#[test]
fn split_payment_ubl() {
    let base = ubl();
    let one_b = edit(&base, "<cbc:ID>S</cbc:ID>", 1, "<cbc:ID>B</cbc:ID>");
    assert_rule("BR-B-01", &base, &one_b);
    assert_rule("BR-B-02", &base, &one_b);

    let all_b = edit_all(&base, "<cbc:ID>S</cbc:ID>", "<cbc:ID>B</cbc:ID>");
    assert!(!fires(&all_b, "BR-B-02"));
    let italian = edit_all(
        &all_b,
        ">NL</cbc:IdentificationCode>",
        ">IT</cbc:IdentificationCode>",
    );
    let italian = edit_all(
        &italian,
        ">DK</cbc:IdentificationCode>",
        ">IT</cbc:IdentificationCode>",
    );
    assert_rule("BR-B-01", &italian, &all_b);
}

#[test]
fn split_payment_cii() {
    let base = cii();
    let s = "<ram:CategoryCode>S</ram:CategoryCode>";
    let b = "<ram:CategoryCode>B</ram:CategoryCode>";
    let one_b = edit(&base, s, 1, b);
    assert_rule("BR-B-01", &base, &one_b);
    assert_rule("BR-B-02", &base, &one_b);

    let all_b = edit_all(&base, s, b);
    assert!(!fires(&all_b, "BR-B-02"));
    let italian = edit_all(&all_b, "<ram:CountryID>NL<", "<ram:CountryID>IT<");
    let italian = edit_all(&italian, "<ram:CountryID>DK<", "<ram:CountryID>IT<");
    assert_rule("BR-B-01", &italian, &all_b);
}

/// BR-CL-08: UBL codes the subject between `#` signs in the note text, CII in SubjectCode.
#[test]
fn note_subject_codes() {
    let note = "<cbc:Note>Ordered through our website#Ordering information</cbc:Note>";
    let subject = |s: &str| {
        edit(
            &ubl(),
            note,
            1,
            &format!("<cbc:Note>#{s}#Ordered through our website</cbc:Note>"),
        )
    };
    assert_rule("BR-CL-08", &subject("AAI"), &subject("XYZ"));
    // Only a three-character subject is looked up.
    assert!(!fires(&subject("XY"), "BR-CL-08"));

    let code = "<ram:SubjectCode>AAI</ram:SubjectCode>";
    let bad = edit(&cii(), code, 1, "<ram:SubjectCode>XYZ</ram:SubjectCode>");
    assert_rule("BR-CL-08", &cii(), &bad);
}

/// BR-CL-22: VAT exemption reason codes come from the VATEX list.
#[test]
fn exemption_reason_codes() {
    let percent = "<cbc:Percent>25</cbc:Percent>";
    let with = |c: &str| {
        edit(
            &ubl(),
            percent,
            1,
            &format!("{percent}<cbc:TaxExemptionReasonCode>{c}</cbc:TaxExemptionReasonCode>"),
        )
    };
    assert_rule("BR-CL-22", &with("VATEX-EU-79-C"), &with("VATEX-EU-XX"));

    let category = "<ram:CategoryCode>S</ram:CategoryCode>";
    let with = |c: &str| {
        edit(
            &cii(),
            category,
            4,
            &format!("{category}<ram:ExemptionReasonCode>{c}</ram:ExemptionReasonCode>"),
        )
    };
    assert_rule("BR-CL-22", &with("VATEX-EU-79-C"), &with("VATEX-EU-XX"));
}

/// BR-CL-25: electronic address schemes come from the EAS list.
#[test]
fn endpoint_schemes() {
    let ubl_endpoint = r#"<cbc:EndpointID schemeID="EM">"#;
    let bad = edit(&ubl(), ubl_endpoint, 1, r#"<cbc:EndpointID schemeID="XX">"#);
    assert_rule("BR-CL-25", &ubl(), &bad);

    let cii_endpoint = r#"<ram:URIID schemeID="EM">"#;
    let bad = edit(&cii(), cii_endpoint, 1, r#"<ram:URIID schemeID="XX">"#);
    assert_rule("BR-CL-25", &cii(), &bad);
}

/// BR-CL-26: deliver-to location schemes come from the ISO 6523 ICD list.
#[test]
fn delivery_location_schemes() {
    let id = "<cbc:ID>5790000436068</cbc:ID>";
    let with = |scheme: &str| {
        edit(
            &ubl(),
            id,
            1,
            &format!(r#"<cbc:ID schemeID="{scheme}">5790000436068</cbc:ID>"#),
        )
    };
    assert_rule("BR-CL-26", &with("0088"), &with("9999"));

    let global = r#"<ram:GlobalID schemeID="0088">5790000436068</ram:GlobalID>"#;
    let bad = edit(
        &cii(),
        global,
        1,
        r#"<ram:GlobalID schemeID="9999">5790000436068</ram:GlobalID>"#,
    );
    assert_rule("BR-CL-26", &cii(), &bad);
}

/// BR-IC-10: an intra-community supply breakdown states an exemption reason.
#[test]
fn intra_community_exemption_reason() {
    let s = "<cbc:ID>S</cbc:ID>\n                <cbc:Percent>25</cbc:Percent>";
    let k = "<cbc:ID>K</cbc:ID>\n                <cbc:Percent>25</cbc:Percent>";
    let without = edit(&ubl(), s, 1, k);
    let reason = "<cbc:TaxExemptionReason>Intra-community supply</cbc:TaxExemptionReason>";
    let with = edit(&without, k, 1, &format!("{k}{reason}"));
    assert_rule("BR-IC-10", &with, &without);

    let category = "<ram:CategoryCode>S</ram:CategoryCode>";
    let without = edit(
        &cii(),
        category,
        4,
        "<ram:CategoryCode>K</ram:CategoryCode>",
    );
    let with = edit(
        &without,
        "<ram:CategoryCode>K</ram:CategoryCode>",
        1,
        "<ram:CategoryCode>K</ram:CategoryCode><ram:ExemptionReasonCode>VATEX-EU-IC</ram:ExemptionReasonCode>",
    );
    assert_rule("BR-IC-10", &with, &without);
}

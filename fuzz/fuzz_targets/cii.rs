//! Arbitrary text inside a CII envelope: exercises the CII reader and rules, which random
//! bytes alone would rarely reach past the root element check.
#![no_main]

const HEAD: &str = r#"<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100" xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100">"#;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = rules::validate(data);
    if let Ok(body) = std::str::from_utf8(data) {
        let doc = format!("{HEAD}{body}</rsm:CrossIndustryInvoice>");
        let _ = rules::validate(doc.as_bytes());
    }
});

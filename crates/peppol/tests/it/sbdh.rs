//! The Peppol envelope: what we build we read back, what the `as4` package builds we read,
//! what we build `as4` accepts, and broken envelopes are refused with a reason.

use std::path::Path;

use peppol::sbdh::{self, Header, SbdhError};
use peppol::{ParticipantId, document_type, process};
use proptest::prelude::*;
use serde_json::Value;

use crate::peers;

/// A minimal UBL invoice, with the XML declaration and comment `build` drops.
const INVOICE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- before the root -->
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
         xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ID>F-2026-0042 &amp; co</cbc:ID>
</Invoice>
"#;

/// The invoice's root element, as `build` embeds it.
fn invoice_root() -> &'static str {
    let start = INVOICE.find("<Invoice").expect("the invoice has a root");
    let end = INVOICE.rfind('>').expect("the invoice ends") + 1;
    &INVOICE[start..end]
}

fn id(text: &str) -> ParticipantId {
    ParticipantId::parse(text).expect("a valid participant id")
}

fn header() -> Header {
    Header {
        sender: id("0088:5790000000005"),
        receiver: id("0106:12345678"),
        document_type: document_type::BIS_BILLING_INVOICE,
        process: process::BIS_BILLING,
        country_c1: "NL".into(),
        instance_id: "c8a5b2a4-2f0e-4a39-9d55-4b1b8a0f3e11".into(),
        created: "2026-11-27T09:30:00.250+01:00".into(),
    }
}

#[test]
fn what_we_build_we_read_back() -> Result<(), SbdhError> {
    let header = header();
    let bytes = sbdh::build(&header, INVOICE.as_bytes())?;
    let text = std::str::from_utf8(&bytes).expect("the envelope is UTF-8");
    assert!(
        text.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sh:StandardBusinessDocument"
        )
    );
    assert_eq!(
        text.matches("<?xml").count(),
        1,
        "the document's declaration is dropped"
    );
    assert!(!text.contains("before the root"));

    let envelope = sbdh::parse(&bytes)?;
    assert_eq!(envelope.header, header);
    assert_eq!(&bytes[envelope.document.clone()], invoice_root().as_bytes());
    Ok(())
}

#[test]
fn a_byte_order_mark_shifts_the_document_range() -> Result<(), SbdhError> {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(sbdh::build(&header(), INVOICE.as_bytes())?);
    let envelope = sbdh::parse(&bytes)?;
    assert_eq!(&bytes[envelope.document], invoice_root().as_bytes());
    Ok(())
}

#[test]
fn the_corpus_base_example_round_trips() -> Result<(), SbdhError> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/peppol-bis/rules/examples/base-example.xml");
    let Ok(invoice) = std::fs::read(&path) else {
        eprintln!("skipped: no corpus invoice at {}", path.display());
        return Ok(());
    };
    let bytes = sbdh::build(&header(), &invoice)?;
    let envelope = sbdh::parse(&bytes)?;
    let embedded = &bytes[envelope.document];
    let start = invoice
        .windows(8)
        .position(|w| w == b"<Invoice")
        .expect("the example is an invoice");
    assert!(
        invoice[start..].starts_with(embedded),
        "embedded byte for byte"
    );
    Ok(())
}

#[test]
fn an_envelope_built_by_as4_is_read() -> Result<(), SbdhError> {
    let Some(python) = peers::python() else {
        return Ok(());
    };
    let doctype = document_type::BIS_BILLING_INVOICE;
    let built = peers::run(
        &python,
        "smp_sbdh.py",
        &[
            "build",
            "0088:5790000000005",
            "0088:5790000000012",
            doctype.value(),
            process::BIS_BILLING.value(),
            "BE",
            "as4-instance-1",
        ],
        INVOICE.as_bytes(),
    );
    let envelope = sbdh::parse(built.as_bytes())?;
    let header = &envelope.header;
    assert_eq!(header.sender, id("0088:5790000000005"));
    assert_eq!(header.receiver, id("0088:5790000000012"));
    assert_eq!(header.document_type, doctype);
    assert_eq!(header.process, process::BIS_BILLING);
    assert_eq!(header.country_c1, "BE");
    assert_eq!(header.instance_id, "as4-instance-1");
    let document = &built[envelope.document];
    assert!(document.starts_with("<Invoice ") && document.ends_with("</Invoice>"));
    assert!(document.contains("F-2026-0042 &amp; co"));
    Ok(())
}

#[test]
fn as4_accepts_our_envelope() -> Result<(), SbdhError> {
    let Some(python) = peers::python() else {
        return Ok(());
    };
    let header = header();
    let bytes = sbdh::build(&header, INVOICE.as_bytes())?;
    let read: Value = serde_json::from_str(&peers::run(&python, "smp_sbdh.py", &["check"], &bytes))
        .expect("the checker prints JSON");
    let pair = |a: &str, b: &str| Value::from(vec![a, b]);
    assert_eq!(
        read["sender"],
        pair("iso6523-actorid-upis", "0088:5790000000005")
    );
    assert_eq!(
        read["receiver"],
        pair("iso6523-actorid-upis", "0106:12345678")
    );
    assert_eq!(
        read["standard"],
        "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    );
    assert_eq!(read["type"], "Invoice");
    assert_eq!(read["type_version"], "2.1");
    assert_eq!(read["instance"], header.instance_id.as_str());
    assert_eq!(read["created"], "2026-11-27T09:30:00.250000+01:00");
    assert_eq!(
        read["documentid"],
        pair("busdox-docid-qns", header.document_type.value())
    );
    assert_eq!(
        read["processid"],
        pair("cenbii-procid-ubl", header.process.value())
    );
    assert_eq!(read["country"], "NL");
    assert_eq!(
        read["document_root"],
        "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
    );
    assert_eq!(read["document_id"], "F-2026-0042 & co");
    Ok(())
}

/// Our envelope with `from` replaced by `to` (exactly once).
fn edited(from: &str, to: &str) -> Vec<u8> {
    let bytes = sbdh::build(&header(), INVOICE.as_bytes()).expect("the envelope builds");
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert_eq!(text.matches(from).count(), 1, "{from} occurs once");
    text.replace(from, to).into_bytes()
}

fn refused(bytes: &[u8]) -> String {
    match sbdh::parse(bytes) {
        Ok(envelope) => panic!("accepted: {envelope:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn broken_envelopes_are_refused_with_the_reason() {
    let cases: [(&str, &str, &str); 10] = [
        (
            "<sh:HeaderVersion>1.0<",
            "<sh:HeaderVersion>2.0<",
            "HeaderVersion",
        ),
        (
            "<sh:Identifier Authority=\"iso6523-actorid-upis\">0088",
            "<sh:Identifier Authority=\"GLN\">0088",
            "Authority",
        ),
        ("0088:5790000000005", "0088:5790000000006", "check digit"),
        (
            "<sh:Type>COUNTRY_C1</sh:Type>",
            "<sh:Type>COUNTRY</sh:Type>",
            "COUNTRY_C1",
        ),
        (
            "<sh:InstanceIdentifier>NL<",
            "<sh:InstanceIdentifier>nl<",
            "two-letter",
        ),
        (
            "<sh:Type>Invoice</sh:Type>",
            "<sh:Type>CreditNote</sh:Type>",
            "Standard and Type",
        ),
        (
            "Invoice-2::Invoice##",
            "CreditNote-2::CreditNote##",
            "DOCUMENTID",
        ),
        (
            "2026-11-27T09:30:00.250+01:00",
            "2026-11-27T09:30:00",
            "time zone",
        ),
        (
            "<sh:Type>PROCESSID</sh:Type>",
            "<sh:Type>DOCUMENTID</sh:Type>",
            "more than once",
        ),
        (
            "</sh:StandardBusinessDocument>",
            "<Extra/></sh:StandardBusinessDocument>",
            "more than one",
        ),
    ];
    for (from, to, reason) in cases {
        let message = refused(&edited(from, to));
        assert!(message.contains(reason), "{from} -> {to}: {message}");
    }
}

#[test]
fn non_envelopes_are_refused() {
    assert!(refused(INVOICE.as_bytes()).contains("not a Standard Business Document"));
    assert!(refused(b"").contains("XML"));
    let dtd = b"<!DOCTYPE x [<!ENTITY a \"b\">]><sh:StandardBusinessDocument xmlns:sh=\"http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader\"/>";
    assert!(refused(dtd).contains("DOCTYPE"));
    let empty = format!(
        "<StandardBusinessDocument xmlns=\"{}\"><StandardBusinessDocumentHeader/></StandardBusinessDocument>",
        sbdh::NAMESPACE
    );
    assert!(refused(empty.as_bytes()).contains("none"));
}

#[test]
fn build_refuses_a_document_the_header_does_not_name() {
    let credit_note =
        r#"<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"/>"#;
    let error = sbdh::build(&header(), credit_note.as_bytes())
        .expect_err("a credit note is not an invoice");
    assert!(
        matches!(error, SbdhError::DocumentMismatch { .. }),
        "{error}"
    );
    let mut bad_country = header();
    bad_country.country_c1 = "NLD".into();
    assert!(sbdh::build(&bad_country, INVOICE.as_bytes()).is_err());
    let mut bad_time = header();
    bad_time.created = "yesterday".into();
    assert!(sbdh::build(&bad_time, INVOICE.as_bytes()).is_err());
    assert!(sbdh::build(&header(), b"<Invoice").is_err());
}

proptest! {
    #[test]
    fn parse_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = sbdh::parse(&bytes);
    }

    #[test]
    fn parse_never_panics_on_a_damaged_envelope(at in 0usize..4096, byte in any::<u8>(), cut in 0usize..4096) {
        let mut bytes = sbdh::build(&header(), INVOICE.as_bytes()).expect("the envelope builds");
        let len = bytes.len();
        bytes[at % len] = byte;
        bytes.truncate(len - cut % len);
        let _ = sbdh::parse(&bytes);
    }
}

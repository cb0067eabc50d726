//! Text forms round-trip, and no input makes a parser panic.

use peppol::{DocumentTypeId, ParticipantId, ProcessId, document_type, process};
use proptest::prelude::*;

#[test]
fn json_carries_the_text_form() {
    let id = ParticipantId::parse("iso6523-actorid-upis::9944:NL123456789B01").unwrap();
    let json = serde_json::to_string(&id).unwrap();
    assert_eq!(json, "\"9944:nl123456789b01\"");
    assert_eq!(serde_json::from_str::<ParticipantId>(&json).unwrap(), id);
    let bad = serde_json::from_str::<ParticipantId>("\"0088:8712345678900\"").unwrap_err();
    assert!(bad.to_string().contains("should end in 6"), "{bad}");

    let invoice = document_type::BIS_BILLING_INVOICE;
    let json = serde_json::to_string(&invoice).unwrap();
    assert_eq!(
        serde_json::from_str::<DocumentTypeId>(&json).unwrap(),
        invoice
    );
    let billing = process::BIS_BILLING;
    let json = serde_json::to_string(&billing).unwrap();
    assert_eq!(serde_json::from_str::<ProcessId>(&json).unwrap(), billing);
}

proptest! {
    #[test]
    fn parse_never_panics(text in any::<String>()) {
        let _ = ParticipantId::parse(&text);
        let _ = DocumentTypeId::parse(&text);
        let _ = ProcessId::parse(&text);
    }

    /// Input shaped like an identifier reaches the structure and check-digit code.
    #[test]
    fn parse_never_panics_on_near_misses(
        icd in prop::sample::select(peppol::Scheme::all().iter().map(|s| s.icd).collect::<Vec<_>>()),
        value in "[0-9A-Za-z._~ -]{0,140}",
    ) {
        let _ = ParticipantId::parse(&format!("{icd}:{value}"));
    }

    /// Whatever parses, prints as text that parses to the same identifier.
    #[test]
    fn accepted_ids_round_trip(
        icd in prop::sample::select(vec!["0002", "0007", "0088", "0106", "0190", "0192", "0208", "9944"]),
        value in "[0-9]{8,20}|NL[0-9]{9}B[0-9]{2}",
    ) {
        if let Ok(id) = ParticipantId::parse(&format!("{icd}:{value}")) {
            prop_assert_eq!(ParticipantId::parse(&id.to_string()), Ok(id.clone()));
            prop_assert_eq!(ParticipantId::parse(&id.full()), Ok(id));
        }
    }
}

//! Peppol participant, document type and process identifiers from arbitrary text: parsing
//! never panics, and whatever parses prints back to text that parses to the same value.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(id) = peppol::ParticipantId::parse(text) {
        assert_eq!(peppol::ParticipantId::parse(&id.full()).ok(), Some(id.clone()));
        assert_eq!(peppol::ParticipantId::parse(&id.to_string()).ok(), Some(id));
    }
    if let Ok(id) = peppol::DocumentTypeId::parse(text) {
        assert_eq!(peppol::DocumentTypeId::parse(&id.to_string()).ok(), Some(id));
    }
    if let Ok(id) = peppol::ProcessId::parse(text) {
        assert_eq!(peppol::ProcessId::parse(&id.to_string()).ok(), Some(id));
    }
});

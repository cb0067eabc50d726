//! The Peppol documents read from the network: SBDH envelopes, SMP service groups and signed
//! service metadata, SMP request paths, enveloped signatures and AS4 signals. Each is read or
//! refused; none panics.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = peppol::sbdh::parse(data);
    let _ = peppol::smp::parse_service_group(data);
    let _ = peppol::smp::parse_signed_service_metadata(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = peppol::smp::parse_path(text);
        let _ = peppol::xmlsec::verify_enveloped(text);
        if let Ok(doc) = einvoice::xml::parse(data, einvoice::xml::Limits::default()) {
            let _ = peppol::as4::signal::Signal::read(doc.root_element());
            let _ = peppol::as4::UserMessage::read(doc.root_element());
        }
    }
});

//! Arbitrary bytes as a Factur-X PDF: extraction must fail cleanly, never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(xml) = einvoice::facturx::extract(data) {
        let _ = rules::validate(&xml);
    }
});

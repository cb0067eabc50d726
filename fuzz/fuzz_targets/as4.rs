//! What another access point can send to `/as4`: arbitrary bytes as a multipart body, as a
//! bare SOAP envelope, and spliced into the envelope of a real signed and encrypted message.
//! Opening never panics, and every refusal carries an ebMS error code.
#![no_main]

use std::sync::OnceLock;
use std::time::SystemTime;

use peppol::as4::receive::{self, AccessPoint};
use peppol::testing::TestPki;

fn receiver() -> &'static AccessPoint {
    static AP: OnceLock<AccessPoint> = OnceLock::new();
    AP.get_or_init(|| {
        let pki = TestPki::shared();
        AccessPoint {
            credentials: pki.receiver.credentials.clone(),
            trust: pki.trust_store(),
        }
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let now = SystemTime::now();
    for content_type in [
        "multipart/related; boundary=\"b\"; type=\"application/soap+xml\"",
        "application/soap+xml; charset=utf-8",
    ] {
        if let Err(refused) = receive::open(content_type, data, receiver(), now) {
            assert!(refused.error.code.code().starts_with("EBMS:"));
        }
    }
});

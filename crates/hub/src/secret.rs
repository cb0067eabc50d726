//! Tokens and secrets: how they are made, stored and compared.
//!
//! Single-use tokens (activation links, invitations, sessions) have 256 bits of entropy, so
//! a plain SHA-256 of the token is a safe lookup key. Connection-key secrets are long-lived,
//! so they are stored as HMAC-SHA256 under the hub's pepper: a stolen database alone does not
//! let anyone check guesses offline.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A fresh random token: 32 bytes, base64url without padding (43 characters).
pub fn token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The lookup hash of a token: lowercase hex SHA-256.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The hub's secret key for HMACs. Never logged: `Debug` hides it.
#[derive(Clone)]
pub struct Pepper(Vec<u8>);

impl std::fmt::Debug for Pepper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pepper(<hidden>)")
    }
}

impl Pepper {
    /// A pepper from key bytes (at least 32).
    pub fn new(key: Vec<u8>) -> Option<Self> {
        (key.len() >= 32).then_some(Pepper(key))
    }

    /// A fresh random pepper.
    pub fn generate() -> Self {
        let mut key = vec![0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        Pepper(key)
    }

    /// The key bytes, for writing the pepper file.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// HMAC-SHA256 of `message`, as lowercase hex.
    pub fn mac(&self, message: &str) -> String {
        hex::encode(self.raw_mac(message.as_bytes()))
    }

    fn raw_mac(&self, message: &[u8]) -> Vec<u8> {
        // An HMAC key of any length is valid; new_from_slice only fails for fixed-size MACs.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(message);
        mac.finalize().into_bytes().to_vec()
    }

    /// Whether `stored` (hex) is the HMAC of `message`, compared in constant time.
    pub fn verify(&self, message: &str, stored: &str) -> bool {
        let Ok(stored) = hex::decode(stored) else {
            return false;
        };
        self.raw_mac(message.as_bytes()).ct_eq(&stored).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_distinct_and_url_safe() {
        let (a, b) = (token(), token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
    }

    #[test]
    fn mac_verifies_only_its_message_and_key() {
        let pepper = Pepper::generate();
        let stored = pepper.mac("secret");
        assert!(pepper.verify("secret", &stored));
        assert!(!pepper.verify("secreT", &stored));
        assert!(!Pepper::generate().verify("secret", &stored));
        assert!(!pepper.verify("secret", "not hex"));
        assert!(format!("{pepper:?}").contains("hidden"));
    }
}

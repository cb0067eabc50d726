//! XML Encryption 1.1 primitives as the Peppol AS4 profile uses them: AES-128-GCM over an
//! attachment (`xenc11#aes128-gcm`, the IV, ciphertext and tag concatenated) with the content
//! key transported by RSA-OAEP (`xenc11#rsa-oaep`, SHA-256 digest, MGF1 with SHA-256).

use aws_lc_rs::aead::{AES_128_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use aws_lc_rs::rsa::{OAEP_SHA256_MGF1SHA256, OaepPublicEncryptingKey, PublicEncryptingKey};

use super::SecurityError;
use crate::pki::{Certificate, PrivateKey};

/// The XML Encryption 1.1 name of AES-128-GCM.
pub const AES128_GCM: &str = "http://www.w3.org/2009/xmlenc11#aes128-gcm";
/// The XML Encryption 1.1 name of RSA-OAEP key transport.
pub const RSA_OAEP: &str = "http://www.w3.org/2009/xmlenc11#rsa-oaep";
/// The XML Encryption 1.1 name of MGF1 with SHA-256.
pub const MGF1_SHA256: &str = "http://www.w3.org/2009/xmlenc11#mgf1sha256";

/// The length of an AES-128 key.
pub const CONTENT_KEY_LEN: usize = 16;

/// A fresh random AES-128 content key.
pub fn content_key() -> Result<[u8; CONTENT_KEY_LEN], SecurityError> {
    let mut key = [0u8; CONTENT_KEY_LEN];
    SystemRandom::new()
        .fill(&mut key)
        .map_err(|_| SecurityError::Crypto("the system random generator failed".to_owned()))?;
    Ok(key)
}

/// Encrypts `plaintext` with AES-128-GCM under a fresh random IV: IV ‖ ciphertext ‖ tag.
pub fn encrypt_content(
    key: &[u8; CONTENT_KEY_LEN],
    plaintext: &[u8],
) -> Result<Vec<u8>, SecurityError> {
    let sealing = gcm_key(key)?;
    let mut iv = [0u8; NONCE_LEN];
    SystemRandom::new()
        .fill(&mut iv)
        .map_err(|_| SecurityError::Crypto("the system random generator failed".to_owned()))?;
    let mut out = Vec::with_capacity(NONCE_LEN + plaintext.len() + AES_128_GCM.tag_len());
    out.extend_from_slice(&iv);
    let mut body = plaintext.to_vec();
    sealing
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(iv), Aad::empty(), &mut body)
        .map_err(|_| SecurityError::Crypto("AES-GCM encryption failed".to_owned()))?;
    out.extend_from_slice(&body);
    Ok(out)
}

/// Decrypts IV ‖ ciphertext ‖ tag; any change to them, or a wrong key, fails the tag check.
pub fn decrypt_content(key: &[u8], data: &[u8]) -> Result<Vec<u8>, SecurityError> {
    let key: &[u8; CONTENT_KEY_LEN] = key
        .try_into()
        .map_err(|_| SecurityError::Decryption("the content key is not 128 bits".to_owned()))?;
    let opening = gcm_key(key)?;
    let Some((iv, sealed)) = data.split_at_checked(NONCE_LEN) else {
        return Err(SecurityError::Decryption(
            "the attachment is shorter than an AES-GCM IV".to_owned(),
        ));
    };
    let nonce = Nonce::try_assume_unique_for_key(iv)
        .map_err(|_| SecurityError::Decryption("bad AES-GCM IV".to_owned()))?;
    let mut body = sealed.to_vec();
    let plain_len = opening
        .open_in_place(nonce, Aad::empty(), &mut body)
        .map_err(|_| {
            SecurityError::Decryption("the attachment fails its AES-GCM tag check".to_owned())
        })?
        .len();
    body.truncate(plain_len);
    Ok(body)
}

fn gcm_key(key: &[u8; CONTENT_KEY_LEN]) -> Result<LessSafeKey, SecurityError> {
    UnboundKey::new(&AES_128_GCM, key)
        .map(LessSafeKey::new)
        .map_err(|_| SecurityError::Crypto("AES-128 key rejected".to_owned()))
}

/// Encrypts a content key for the holder of `recipient`'s private key (RSA-OAEP, SHA-256,
/// MGF1-SHA256, no label).
pub fn wrap_key(recipient: &Certificate, key: &[u8]) -> Result<Vec<u8>, SecurityError> {
    let public = PublicEncryptingKey::from_der(recipient.spki())
        .ok()
        .and_then(|k| OaepPublicEncryptingKey::new(k).ok())
        .ok_or_else(|| {
            SecurityError::Input(format!(
                "the key of {} is not an RSA encryption key",
                recipient.subject()
            ))
        })?;
    let mut out = vec![0u8; public.ciphertext_size()];
    let len = public
        .encrypt(&OAEP_SHA256_MGF1SHA256, key, &mut out, None)
        .map_err(|_| SecurityError::Crypto("RSA-OAEP encryption failed".to_owned()))?
        .len();
    out.truncate(len);
    Ok(out)
}

/// Decrypts a transported content key with `own` key. The decryption runs in constant time
/// (aws-lc), so failures reveal nothing about the padding (the Marvin attack).
pub fn unwrap_key(own: &PrivateKey, wrapped: &[u8]) -> Result<Vec<u8>, SecurityError> {
    let decrypting = own.decrypting();
    let mut out = vec![0u8; decrypting.min_output_size()];
    let len = decrypting
        .decrypt(&OAEP_SHA256_MGF1SHA256, wrapped, &mut out, None)
        .map_err(|_| SecurityError::Decryption("the content key does not decrypt".to_owned()))?
        .len();
    out.truncate(len);
    Ok(out)
}

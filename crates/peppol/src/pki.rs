//! Certificates, private keys and the trust decision for Peppol access points.
//!
//! An access point signs with an RSA key whose certificate is issued by the Peppol AP CA; its
//! common name is the AP's seat id (`PTE000001`), which AS4 also names as the `eb:From` party.
//! [`TrustStore::validate`] builds the chain to a configured anchor (rustls-webpki) at a given
//! time and for client-authentication usage, which is the extended key usage Peppol AP
//! certificates carry.
//!
//! Field access uses `x509-cert` (RustCrypto, pure Rust, built on the `der` crate rustls-webpki's
//! neighbours already use) rather than `x509-parser`: the hub only reads the subject's common
//! name and the SubjectPublicKeyInfo, which `x509-cert` gives as typed DER without the `nom`
//! parser stack and its several extra crates.

use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::rsa::{OaepPrivateDecryptingKey, PrivateDecryptingKey};
use aws_lc_rs::signature::RsaKeyPair;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivatePkcs8KeyDer, TrustAnchor, UnixTime};
use x509_cert::der::asn1::ObjectIdentifier;
use x509_cert::der::{Decode, Encode, Tag, Tagged};

/// The attribute type of an X.520 common name.
const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");

/// What went wrong reading a certificate or key, or deciding to trust a certificate.
#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    /// The bytes are not a DER X.509 certificate.
    #[error("not an X.509 certificate: {0}")]
    Certificate(String),
    /// The PEM text holds no CERTIFICATE block, or one that is not base64.
    #[error("no readable PEM certificate: {0}")]
    Pem(String),
    /// The key is not an RSA key in PKCS#8.
    #[error("not an RSA private key in PKCS#8: {0}")]
    Key(String),
    /// A certificate given as a trust anchor cannot be one.
    #[error("unusable trust anchor {subject}: {reason}")]
    Anchor {
        /// The anchor's subject.
        subject: String,
        /// Why it is unusable.
        reason: String,
    },
    /// The certificate does not chain to a trusted anchor at the given time, or is not for
    /// client authentication.
    #[error("certificate {subject} is not trusted: {reason}")]
    Untrusted {
        /// The certificate's subject.
        subject: String,
        /// What the chain validation found.
        reason: String,
    },
}

/// An X.509 certificate: its DER and the fields the hub reads.
#[derive(Clone, PartialEq, Eq)]
pub struct Certificate {
    der: Vec<u8>,
    subject: String,
    issuer: String,
    common_name: Option<String>,
    spki: Vec<u8>,
    rsa_public_key: Vec<u8>,
}

impl Certificate {
    /// Reads a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Self, PkiError> {
        let parsed = x509_cert::Certificate::from_der(der)
            .map_err(|e| PkiError::Certificate(e.to_string()))?;
        let tbs = &parsed.tbs_certificate;
        let common_name = tbs
            .subject
            .0
            .iter()
            .flat_map(|rdn| rdn.0.iter())
            .find(|atv| atv.oid == COMMON_NAME)
            .and_then(|atv| match atv.value.tag() {
                Tag::Utf8String | Tag::PrintableString | Tag::Ia5String => {
                    std::str::from_utf8(atv.value.value())
                        .ok()
                        .map(str::to_owned)
                }
                _ => None,
            });
        let spki = tbs
            .subject_public_key_info
            .to_der()
            .map_err(|e| PkiError::Certificate(e.to_string()))?;
        let rsa_public_key = tbs
            .subject_public_key_info
            .subject_public_key
            .as_bytes()
            .unwrap_or_default()
            .to_vec();
        Ok(Certificate {
            der: der.to_vec(),
            subject: tbs.subject.to_string(),
            issuer: tbs.issuer.to_string(),
            common_name,
            spki,
            rsa_public_key,
        })
    }

    /// Reads every CERTIFICATE block of a PEM text, in order; other blocks are skipped.
    pub fn from_pem(pem: &str) -> Result<Vec<Self>, PkiError> {
        let certificates = CertificateDer::pem_slice_iter(pem.as_bytes())
            .map(|der| {
                let der = der.map_err(|e| PkiError::Pem(e.to_string()))?;
                Certificate::from_der(&der)
            })
            .collect::<Result<Vec<_>, _>>()?;
        if certificates.is_empty() {
            return Err(PkiError::Pem("no CERTIFICATE block".to_owned()));
        }
        Ok(certificates)
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The subject's common name: for a Peppol AP certificate, its seat id (`PTE000001`).
    pub fn common_name(&self) -> Option<&str> {
        self.common_name.as_deref()
    }

    /// The subject as an RFC 4514 string.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// Whether the certificate names itself as its issuer: a root, in a CA bundle.
    pub fn is_self_signed(&self) -> bool {
        self.issuer == self.subject
    }

    /// The SubjectPublicKeyInfo in DER (the form RSA-OAEP encryption takes).
    pub(crate) fn spki(&self) -> &[u8] {
        &self.spki
    }

    /// The subject public key's bit string: for RSA, the PKCS#1 RSAPublicKey that signature
    /// verification takes.
    pub(crate) fn public_key(&self) -> &[u8] {
        &self.rsa_public_key
    }
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Certificate").field(&self.subject).finish()
    }
}

/// An RSA private key. Debug output never shows key material.
#[derive(Clone)]
pub struct PrivateKey {
    signing: Arc<RsaKeyPair>,
    decrypting: Arc<OaepPrivateDecryptingKey>,
}

impl PrivateKey {
    /// Reads an unencrypted PKCS#8 key (`-----BEGIN PRIVATE KEY-----`).
    pub fn from_pem(pem: &str) -> Result<Self, PkiError> {
        let der = PrivatePkcs8KeyDer::from_pem_slice(pem.as_bytes())
            .map_err(|e| PkiError::Key(e.to_string()))?;
        Self::from_der(der.secret_pkcs8_der())
    }

    /// Reads a PKCS#8 DER key.
    pub fn from_der(pkcs8: &[u8]) -> Result<Self, PkiError> {
        let signing = RsaKeyPair::from_pkcs8(pkcs8).map_err(|e| PkiError::Key(e.to_string()))?;
        let decrypting = PrivateDecryptingKey::from_pkcs8(pkcs8)
            .map_err(|e| PkiError::Key(e.to_string()))
            .and_then(|k| {
                OaepPrivateDecryptingKey::new(k)
                    .map_err(|_| PkiError::Key("unusable for RSA-OAEP".to_owned()))
            })?;
        Ok(PrivateKey {
            signing: Arc::new(signing),
            decrypting: Arc::new(decrypting),
        })
    }

    pub(crate) fn signing(&self) -> &RsaKeyPair {
        &self.signing
    }

    pub(crate) fn decrypting(&self) -> &OaepPrivateDecryptingKey {
        &self.decrypting
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKey(RSA, redacted)")
    }
}

/// This access point's own certificate and key.
#[derive(Clone, Debug)]
pub struct Credentials {
    /// The certificate, sent with every signature.
    pub certificate: Certificate,
    /// Its private key.
    pub key: PrivateKey,
}

/// The certificates an access point trusts: anchors (the Peppol root) and intermediates (the AP
/// CA) used to build chains.
#[derive(Clone, Debug)]
pub struct TrustStore {
    anchors: Vec<TrustAnchor<'static>>,
    intermediates: Vec<CertificateDer<'static>>,
}

impl TrustStore {
    /// A store trusting `anchors`, building chains through `intermediates`.
    pub fn new(anchors: &[Certificate], intermediates: &[Certificate]) -> Result<Self, PkiError> {
        let anchors = anchors
            .iter()
            .map(|anchor| {
                let der = CertificateDer::from(anchor.der());
                webpki::anchor_from_trusted_cert(&der)
                    .map(|a| a.to_owned())
                    .map_err(|e| PkiError::Anchor {
                        subject: anchor.subject.clone(),
                        reason: e.to_string(),
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(TrustStore {
            anchors,
            intermediates: intermediates
                .iter()
                .map(|c| CertificateDer::from(c.der.clone()))
                .collect(),
        })
    }

    /// Checks that `cert` chains to an anchor, every certificate of the chain valid at `at`,
    /// and that it may be used for client authentication (Peppol AP certificates carry that
    /// extended key usage). Revocation is not checked here.
    pub fn validate(&self, cert: &Certificate, at: SystemTime) -> Result<(), PkiError> {
        let untrusted = |reason: String| PkiError::Untrusted {
            subject: cert.subject.clone(),
            reason,
        };
        let der = CertificateDer::from(cert.der());
        let end_entity =
            webpki::EndEntityCert::try_from(&der).map_err(|e| untrusted(e.to_string()))?;
        let since_epoch = at
            .duration_since(UNIX_EPOCH)
            .map_err(|_| untrusted("the time is before 1970".to_owned()))?;
        end_entity
            .verify_for_usage(
                SIGNATURE_ALGORITHMS,
                &self.anchors,
                &self.intermediates,
                UnixTime::since_unix_epoch(since_epoch),
                webpki::KeyUsage::client_auth(),
                None,
                None,
            )
            .map(|_| ())
            .map_err(|e| untrusted(e.to_string()))
    }
}

/// The certificate signature algorithms accepted in chains: Peppol's PKI is RSA with SHA-256;
/// the longer hashes and ECDSA cost nothing to allow.
static SIGNATURE_ALGORITHMS: &[&dyn rustls_pki_types::SignatureVerificationAlgorithm] = &[
    webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA256,
    webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA384,
    webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA512,
    webpki::aws_lc_rs::ECDSA_P256_SHA256,
    webpki::aws_lc_rs::ECDSA_P384_SHA384,
];

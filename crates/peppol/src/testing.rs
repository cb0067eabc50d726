//! A generated test PKI shaped like Peppol's, for this crate's and other crates' tests (cargo
//! feature `testing`).
//!
//! Root "TEST Root CA" → intermediate "TEST AP CA" → the access points `PTE000001` (sender) and
//! `PTE000002` (receiver): RSA 2048, KeyUsage digitalSignature and keyEncipherment, extended key
//! usage clientAuth, the seat id as common name, valid from 2025 to 2035.
//! [`TestPki::write_pem`] writes the files the Python peers read, under the names of the
//! research scripts (`root.pem`, `apca.pem`, `PTE000001.pem`, `PTE000001.key`, ...).

pub mod dns;
pub mod peers;

use std::path::Path;
use std::sync::OnceLock;
use std::time::SystemTime;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, PKCS_RSA_SHA256, RsaKeySize, date_time_ymd,
};

use crate::as4::AccessPoint;
use crate::as4::send::{Message, Outgoing, SendError};
use crate::lookup::Endpoint;
use crate::pki::{Certificate, Credentials, PrivateKey, TrustStore};
use crate::{ParticipantId, ParticipantIdError, document_type, process};

/// The seat id of the sending test access point.
pub const SENDER_SEAT: &str = "PTE000001";
/// The seat id of the receiving test access point.
pub const RECEIVER_SEAT: &str = "PTE000002";

/// An access point of the test PKI: its credentials and their PEM text.
pub struct TestAp {
    /// Certificate and key.
    pub credentials: Credentials,
    /// The certificate in PEM.
    pub certificate_pem: String,
    /// The PKCS#8 key in PEM.
    pub key_pem: String,
}

/// The test PKI.
pub struct TestPki {
    /// The trust anchor.
    pub root: Certificate,
    /// The intermediate that issues AP certificates.
    pub ap_ca: Certificate,
    /// `PTE000001`.
    pub sender: TestAp,
    /// `PTE000002`.
    pub receiver: TestAp,
    root_pem: String,
    ap_ca_pem: String,
}

/// Why the test PKI could not be made.
#[derive(Debug, thiserror::Error)]
#[error("generating the test PKI failed: {0}")]
pub struct TestPkiError(String);

fn fail(e: impl std::fmt::Display) -> TestPkiError {
    TestPkiError(e.to_string())
}

impl TestPki {
    /// The PKI of this process, generated on first use (RSA key generation is slow in debug
    /// builds, and every test can share one PKI).
    ///
    /// # Panics
    /// When the PKI cannot be generated, which only a broken crypto library causes.
    pub fn shared() -> &'static TestPki {
        static PKI: OnceLock<TestPki> = OnceLock::new();
        PKI.get_or_init(|| TestPki::generate().expect("the test PKI generates"))
    }

    /// A fresh PKI.
    pub fn generate() -> Result<TestPki, TestPkiError> {
        let root_key = rsa_key()?;
        let root_params = ca_params("TEST Root CA", None)?;
        let root = root_params.self_signed(&root_key).map_err(fail)?;
        let root_issuer = Issuer::from_params(&root_params, &root_key);

        let ca_key = rsa_key()?;
        let ca_params = ca_params("TEST AP CA", Some(0))?;
        let ca = ca_params.signed_by(&ca_key, &root_issuer).map_err(fail)?;
        let ca_issuer = Issuer::from_params(&ca_params, &ca_key);

        Ok(TestPki {
            root: Certificate::from_der(root.der()).map_err(fail)?,
            ap_ca: Certificate::from_der(ca.der()).map_err(fail)?,
            sender: access_point(SENDER_SEAT, &ca_issuer)?,
            receiver: access_point(RECEIVER_SEAT, &ca_issuer)?,
            root_pem: root.pem(),
            ap_ca_pem: ca.pem(),
        })
    }
    /// `n` messages from `PTE000001` to `PTE000002`, each with its own MessageId, carrying
    /// `document` as a Peppol BIS invoice from participant `0088:5790000000005` to
    /// `0088:5790000000012`: real traffic for measuring a receiver.
    pub fn messages(&self, document: Vec<u8>, n: usize) -> Result<Vec<Message>, SendError> {
        let invalid = |e: ParticipantIdError| SendError::Prepare(e.to_string());
        let outgoing = Outgoing {
            sender: ParticipantId::parse("0088:5790000000005").map_err(invalid)?,
            receiver: ParticipantId::parse("0088:5790000000012").map_err(invalid)?,
            document_type: document_type::BIS_BILLING_INVOICE,
            process: process::BIS_BILLING,
            country_c1: "BE".into(),
            document,
        };
        let sender = AccessPoint {
            credentials: self.sender.credentials.clone(),
            trust: self.trust_store(),
        };
        let endpoint = Endpoint {
            url: "http://unused.test/as4".into(),
            certificate: self.receiver.credentials.certificate.clone(),
        };
        let now = SystemTime::now();
        (0..n)
            .map(|_| Message::prepare(&sender, &outgoing, &endpoint, now))
            .collect()
    }

    /// Trusts the root, building chains through the AP CA.
    pub fn trust_store(&self) -> TrustStore {
        // Both are certificates this module just made; TrustStore::new only fails on
        // certificates that cannot be anchors.
        TrustStore::new(
            std::slice::from_ref(&self.root),
            std::slice::from_ref(&self.ap_ca),
        )
        .expect("the generated root is a usable anchor")
    }

    /// An access point with the same seat id whose certificate comes from another, self-signed
    /// CA: what an impostor would present.
    pub fn impostor(seat: &str) -> Result<TestAp, TestPkiError> {
        let key = rsa_key()?;
        let params = ca_params("IMPOSTOR CA", None)?;
        let issuer = Issuer::from_params(&params, &key);
        access_point(seat, &issuer)
    }

    /// Writes `root.pem`, `apca.pem`, `chain.pem` (AP CA then root) and for each AP
    /// `<seat>.pem` and `<seat>.key` into `dir`.
    pub fn write_pem(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::write(dir.join("root.pem"), &self.root_pem)?;
        std::fs::write(dir.join("apca.pem"), &self.ap_ca_pem)?;
        std::fs::write(
            dir.join("chain.pem"),
            format!("{}{}", self.ap_ca_pem, self.root_pem),
        )?;
        for (seat, ap) in [(SENDER_SEAT, &self.sender), (RECEIVER_SEAT, &self.receiver)] {
            std::fs::write(dir.join(format!("{seat}.pem")), &ap.certificate_pem)?;
            std::fs::write(dir.join(format!("{seat}.key")), &ap.key_pem)?;
        }
        Ok(())
    }
}

fn rsa_key() -> Result<KeyPair, TestPkiError> {
    KeyPair::generate_rsa_for(&PKCS_RSA_SHA256, RsaKeySize::_2048).map_err(fail)
}

fn ca_params(name: &str, path_length: Option<u8>) -> Result<CertificateParams, TestPkiError> {
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(fail)?;
    params.distinguished_name = distinguished_name("Test PKI", name);
    params.is_ca = IsCa::Ca(match path_length {
        Some(length) => BasicConstraints::Constrained(length),
        None => BasicConstraints::Unconstrained,
    });
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.not_before = date_time_ymd(2025, 1, 1);
    params.not_after = date_time_ymd(2035, 1, 1);
    Ok(params)
}

fn access_point(seat: &str, issuer: &Issuer<'_, &KeyPair>) -> Result<TestAp, TestPkiError> {
    let key = rsa_key()?;
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(fail)?;
    params.distinguished_name = distinguished_name("Test AP", seat);
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    params.not_before = date_time_ymd(2025, 1, 1);
    params.not_after = date_time_ymd(2035, 1, 1);
    let certificate = params.signed_by(&key, issuer).map_err(fail)?;
    let key_pem = key.serialize_pem();
    Ok(TestAp {
        credentials: Credentials {
            certificate: Certificate::from_der(certificate.der()).map_err(fail)?,
            key: PrivateKey::from_pem(&key_pem).map_err(fail)?,
        },
        certificate_pem: certificate.pem(),
        key_pem,
    })
}

fn distinguished_name(organisation: &str, common_name: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::CountryName, "BE");
    name.push(DnType::OrganizationName, organisation);
    name.push(DnType::CommonName, common_name);
    name
}

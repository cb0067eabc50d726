//! Finding where a message goes: the receiver's SMP through the SML, its signed service
//! metadata for the document type, and in it the AS4 endpoint for the process.
//!
//! # Which SMPs are trusted
//!
//! An SMP signs its metadata with a certificate of the Peppol PKI (the Peppol root through
//! the SMP CA). Any SMP of the network may publish a receiver, and SMPs renew their
//! certificates, so pinning certificates would break on the first renewal or the first
//! receiver at another SMP. The signer is therefore checked with a [`TrustStore`] holding the
//! Peppol root and the SMP CA as intermediate: the same chain check the AS4 layer makes
//! for access points, which includes the clientAuth extended key usage that Peppol's SMP
//! certificates carry. A test network passes its own root.
//!
//! The endpoint's certificate is taken as the SMP publishes it: the SMP's signature is what
//! vouches for it. The AS4 sender checks it against the access-point trust when it verifies
//! the receipt that certificate signed.

use std::time::SystemTime;

use chrono::{DateTime, Utc};

use crate::document_type::DocumentTypeId;
use crate::participant::ParticipantId;
use crate::pki::{Certificate, PkiError, TrustStore};
use crate::process::ProcessId;
use crate::sml::{Sml, SmlError};
use crate::smp::client::{FetchedMetadata, SmpClient};
use crate::smp::{self, SmpError, TRANSPORT_AS4};
use crate::xmlsec::{SecurityError, verify_enveloped};

/// The access point that takes a message: where to POST it and whom to encrypt it for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The AS4 endpoint URL.
    pub url: String,
    /// The receiving access point's certificate; its CN is the receiver's seat id.
    pub certificate: Certificate,
}

/// Why no endpoint was found, in words an operator can act on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LookupError {
    /// The SML does not know the receiver, or could not be asked.
    #[error(transparent)]
    Sml(#[from] SmlError),
    /// The SML points at an SMP that has no entry for the receiver.
    #[error(
        "receiver {participant} is registered in the SML, but its SMP {smp} has no entry for it"
    )]
    NoSmpEntry {
        /// The receiver.
        participant: String,
        /// The SMP's base URL.
        smp: String,
    },
    /// The receiver does not publish the document type, or not for this process.
    #[error(
        "the receiver {participant} cannot take this document type: it does not publish {document_type}{}",
        process.as_ref().map(|p| format!(" in process {p}")).unwrap_or_default()
    )]
    CannotTake {
        /// The receiver.
        participant: String,
        /// The document type asked for.
        document_type: String,
        /// The process asked for, when the document type is published for others.
        process: Option<String>,
    },
    /// The metadata is unsigned, tampered with, or signed by an SMP outside the trust.
    #[error("the SMP's metadata for receiver {participant} has a bad signature: {reason}")]
    BadSignature {
        /// The receiver.
        participant: String,
        /// What the check found.
        reason: String,
    },
    /// The receiver publishes the document type and process, but no AS4 endpoint is usable
    /// now (expired, not yet active, or another transport only).
    #[error("the receiver {participant} has no usable access point: {source}")]
    Endpoint {
        /// The receiver.
        participant: String,
        /// Why, with the dates involved.
        source: SmpError,
    },
    /// The endpoint's certificate is not a readable X.509 certificate.
    #[error("the receiver's access point certificate in its SMP entry is unreadable: {0}")]
    Certificate(PkiError),
    /// The SMP could not be reached or answered something unreadable; worth retrying later.
    #[error("the SMP of receiver {participant} could not be read: {source}")]
    Smp {
        /// The receiver.
        participant: String,
        /// What failed.
        source: SmpError,
    },
}

/// The AS4 endpoint that takes `document_type` in `process` for `receiver` at `now`.
///
/// `sml` is a resolver made once and reused (it caches answers for their TTL), and so is
/// `smp` (it reuses connections); `smp_trust` decides which SMP signatures count (see the
/// module documentation).
pub async fn find_endpoint(
    sml: &Sml,
    smp: &SmpClient,
    smp_trust: &TrustStore,
    receiver: &ParticipantId,
    document_type: &DocumentTypeId,
    process: &ProcessId,
    now: SystemTime,
) -> Result<Endpoint, LookupError> {
    let participant = receiver.to_string();
    let base = sml.lookup_smp(receiver).await?;
    let cannot_take = |process: Option<&ProcessId>| LookupError::CannotTake {
        participant: participant.clone(),
        document_type: document_type.to_string(),
        process: process.map(ToString::to_string),
    };
    let smp_failed = |source: SmpError| LookupError::Smp {
        participant: participant.clone(),
        source,
    };
    let group = match smp.service_group(&base, receiver).await {
        Ok(group) => group,
        Err(SmpError::NotFound { .. }) => {
            return Err(LookupError::NoSmpEntry {
                participant: participant.clone(),
                smp: base,
            });
        }
        Err(e) => return Err(smp_failed(e)),
    };
    if group.href_for(document_type).is_none() {
        return Err(cannot_take(None));
    }
    let fetched = match smp.service_metadata(&base, receiver, document_type).await {
        Ok(fetched) => fetched,
        Err(SmpError::NotFound { .. }) => return Err(cannot_take(None)),
        Err(e) => return Err(smp_failed(e)),
    };
    check_signatures(&fetched, smp_trust, now).map_err(|reason| LookupError::BadSignature {
        participant: participant.clone(),
        reason,
    })?;
    let endpoint = smp::endpoint_for(
        &fetched.metadata,
        process,
        TRANSPORT_AS4,
        DateTime::<Utc>::from(now),
    )
    .map_err(|e| match e {
        SmpError::NotSupported { .. } => cannot_take(Some(process)),
        source => LookupError::Endpoint {
            participant: participant.clone(),
            source,
        },
    })?;
    Ok(Endpoint {
        url: endpoint.address.clone(),
        certificate: Certificate::from_der(&endpoint.certificate)
            .map_err(LookupError::Certificate)?,
    })
}

/// Checks the signature of the metadata and, after a redirect, of the document that
/// redirected: each must verify and be signed by a certificate `trust` accepts at `now`, and
/// the target's signer must be the one the redirect names.
fn check_signatures(
    fetched: &FetchedMetadata,
    trust: &TrustStore,
    now: SystemTime,
) -> Result<(), String> {
    let signer = trusted_signer(&fetched.bytes, trust, now)?;
    if let Some(followed) = &fetched.redirect {
        trusted_signer(&followed.bytes, trust, now)
            .map_err(|e| format!("the redirecting document: {e}"))?;
        if !same_name(signer.subject(), &followed.redirect.certificate_uid) {
            return Err(format!(
                "the redirect names signer {:?}, the target is signed by {:?}",
                followed.redirect.certificate_uid,
                signer.subject()
            ));
        }
    }
    Ok(())
}

fn trusted_signer(
    bytes: &[u8],
    trust: &TrustStore,
    now: SystemTime,
) -> Result<Certificate, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "the document is not UTF-8".to_owned())?;
    let signer = verify_enveloped(text).map_err(|e: SecurityError| e.to_string())?;
    trust.validate(&signer, now).map_err(|e| e.to_string())?;
    Ok(signer)
}

/// Distinguished names as SMPs write them in `CertificateUID` differ from ours in spacing
/// case and order only (`C=NL,CN=SMP` against `CN=SMP, C=NL`).
fn same_name(a: &str, b: &str) -> bool {
    let normal = |s: &str| -> Vec<String> {
        let mut parts: Vec<String> = s.split(',').map(|p| p.trim().to_lowercase()).collect();
        // RFC 4514 writes the most specific part first, CertificateUIDs often the reverse.
        parts.sort();
        parts
    };
    normal(a) == normal(b)
}

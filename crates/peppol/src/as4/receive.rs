//! Receiving: from an HTTP request body to a verified, decrypted business document, or to the
//! ebMS error that refuses it.
//!
//! The checks run in the order that keeps work and exposure small: the MIME structure and
//! the ebMS header first (cheap, and they give the MessageId an error signal refers to), then
//! the security header (signature, certificate chain, decryption), then the payload (gzip,
//! SBDH). Last come the Peppol consistency rules that tie the layers together: the signer is
//! the access point the header names, and the SBDH names the same participants and document
//! type as the ebMS header.
//!
//! Nothing here stores anything or knows whom this hub serves; the caller routes the result,
//! stores it and only then answers with [`receipt`] (see `hub::peppol`).

use std::time::SystemTime;

use einvoice::xml::{Limits, parse};

use super::compression::{MAX_DECOMPRESSED, decompress};
use super::ebms::{EnvelopeIds, UserMessage};
use super::error::{EbmsError, ErrorCode};
use super::mime;
use super::security::{self, Attachment};
use super::signal::{self, SignalInfo};
use crate::pki::{Certificate, Credentials, TrustStore};
use crate::sbdh;
use crate::xmlsec::SecurityError;

/// This access point: its own seat, and whom it trusts.
#[derive(Clone, Debug)]
pub struct AccessPoint {
    /// The certificate and key it signs and decrypts with; the certificate's CN is its seat id.
    pub credentials: Credentials,
    /// The Peppol CA bundle senders' certificates must chain to.
    pub trust: TrustStore,
}

impl AccessPoint {
    /// The seat id (`PNL000123`): the CN of the certificate.
    pub fn seat_id(&self) -> &str {
        self.credentials
            .certificate
            .common_name()
            .unwrap_or_default()
    }
}

/// A received message that passed every check.
#[derive(Clone, Debug)]
pub struct Received {
    /// The ebMS header.
    pub message: UserMessage,
    /// What the SBDH says.
    pub header: sbdh::Header,
    /// The business document, exactly as it was inside the SBDH.
    pub document: Vec<u8>,
    /// The sending access point's certificate.
    pub signer: Certificate,
    /// The signed references, which the receipt repeats.
    pub references: Vec<String>,
}

/// A refused message: the error and, when it could be read, the MessageId it refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// What was wrong.
    pub error: EbmsError,
    /// The refused message's id, if the header was readable.
    pub message_id: Option<String>,
}

/// Checks and opens a received request.
pub fn open(
    content_type: &str,
    body: &[u8],
    ap: &AccessPoint,
    now: SystemTime,
) -> Result<Received, Refused> {
    let refuse = |error: EbmsError, message_id: Option<&str>| Refused {
        error,
        message_id: message_id.map(str::to_owned),
    };
    let multipart = mime::parse(content_type, body).map_err(|e| {
        refuse(
            EbmsError::new(ErrorCode::MimeInconsistency, e.to_string()),
            None,
        )
    })?;
    let envelope = std::str::from_utf8(&multipart.root.bytes).map_err(|_| {
        refuse(
            EbmsError::new(ErrorCode::InvalidHeader, "the SOAP envelope is not UTF-8"),
            None,
        )
    })?;
    let doc = parse(envelope.as_bytes(), envelope_limits()).map_err(|e| {
        refuse(
            EbmsError::new(ErrorCode::InvalidHeader, format!("the SOAP envelope: {e}")),
            None,
        )
    })?;
    let message = UserMessage::read(doc.root_element()).map_err(|e| refuse(e, None))?;
    let id = Some(message.message_id.as_str());
    if message.to != ap.seat_id() {
        return Err(refuse(
            EbmsError::new(
                ErrorCode::ValueInconsistent,
                format!(
                    "the message is addressed to access point {:?}, this is {:?}",
                    message.to,
                    ap.seat_id()
                ),
            ),
            id,
        ));
    }
    let mut attachments =
        attachments_for(&message, multipart.attachments).map_err(|e| refuse(e, id))?;
    let verified = security::unprotect(envelope, &mut attachments, &ap.credentials, &ap.trust, now)
        .map_err(|e| refuse(security_error(&e), id))?;
    if verified.signer.common_name() != Some(message.from.as_str()) {
        return Err(refuse(
            EbmsError::new(
                ErrorCode::FailedAuthentication,
                format!(
                    "the message is signed by {:?} but names {:?} as its sender",
                    verified.signer.common_name().unwrap_or_default(),
                    message.from
                ),
            ),
            id,
        ));
    }
    let [payload] = attachments.as_slice() else {
        return Err(refuse(
            EbmsError::new(
                ErrorCode::ValueInconsistent,
                "a Peppol message carries exactly one payload",
            ),
            id,
        ));
    };
    let sbd = if message.parts[0].compressed {
        decompress(&payload.bytes, MAX_DECOMPRESSED).map_err(|e| refuse(e, id))?
    } else {
        payload.bytes.clone()
    };
    let envelope = sbdh::parse(&sbd).map_err(|e| {
        refuse(
            EbmsError::new(ErrorCode::Other, format!("the SBDH: {e}")),
            id,
        )
    })?;
    consistent(&message, &envelope.header).map_err(|e| refuse(e, id))?;
    Ok(Received {
        document: sbd[envelope.document.clone()].to_vec(),
        header: envelope.header,
        message,
        signer: verified.signer,
        references: verified.references,
    })
}

/// The signed receipt for a message [`open`] accepted.
pub fn receipt(
    received: &Received,
    ap: &AccessPoint,
    now: SystemTime,
) -> Result<String, SecurityError> {
    let info = signal_info(&received.message.message_id, now);
    let unsigned = signal::receipt(&info, &received.references, &EnvelopeIds::fresh());
    security::sign_signal(&unsigned, &ap.credentials)
}

/// The signed error signal for a refused message.
pub fn refusal(
    refused: &Refused,
    ap: &AccessPoint,
    now: SystemTime,
) -> Result<String, SecurityError> {
    let info = signal_info(refused.message_id.as_deref().unwrap_or_default(), now);
    let unsigned = signal::error(&info, &refused.error, &EnvelopeIds::fresh());
    security::sign_signal(&unsigned, &ap.credentials)
}

/// A signal answering `ref_to_message_id`, stamped `now`.
pub(crate) fn signal_info(ref_to_message_id: &str, now: SystemTime) -> SignalInfo {
    SignalInfo {
        message_id: format!("{}@postbode", uuid::Uuid::new_v4()),
        timestamp: timestamp(now),
        ref_to_message_id: ref_to_message_id.to_owned(),
    }
}

/// `now` as an `xs:dateTime` in UTC with milliseconds, as ebMS timestamps are written.
pub(crate) fn timestamp(now: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(now)
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// An envelope is small: the payload travels as an attachment. These limits keep a hostile
/// header from costing more than a real one.
fn envelope_limits() -> Limits {
    Limits {
        max_bytes: 4 * 1024 * 1024,
        max_depth: 32,
        max_nodes: 100_000,
    }
}

/// The MIME parts the PartInfo list names, in its order; a part it does not name, or a name
/// without a part, is a MIME inconsistency.
fn attachments_for(
    message: &UserMessage,
    parts: Vec<mime::Part>,
) -> Result<Vec<Attachment>, EbmsError> {
    if message.parts.is_empty() {
        return Err(EbmsError::new(
            ErrorCode::ValueInconsistent,
            "the message names no payload in eb:PayloadInfo",
        ));
    }
    if parts.len() != message.parts.len() {
        return Err(EbmsError::new(
            ErrorCode::MimeInconsistency,
            format!(
                "eb:PayloadInfo names {} parts, the MIME message has {} attachments",
                message.parts.len(),
                parts.len()
            ),
        ));
    }
    let mut parts: Vec<Option<mime::Part>> = parts.into_iter().map(Some).collect();
    message
        .parts
        .iter()
        .map(|info| {
            let part = parts
                .iter_mut()
                .find(|p| {
                    p.as_ref()
                        .is_some_and(|p| p.content_id.as_deref() == Some(info.content_id.as_str()))
                })
                .and_then(Option::take)
                .ok_or_else(|| {
                    EbmsError::new(
                        ErrorCode::MimeInconsistency,
                        format!("no MIME part has Content-ID {}", info.content_id),
                    )
                })?;
            Ok(Attachment {
                content_id: info.content_id.clone(),
                mime_type: part.media_type,
                bytes: part.bytes,
            })
        })
        .collect()
}

/// The Peppol AS4 profile ties the ebMS header to the SBDH: same participants, same document
/// type and process. Participant ids compare without case (Policy for use of Identifiers);
/// the document type and process, which are case-sensitive, may be given with or without
/// their scheme.
fn consistent(message: &UserMessage, header: &sbdh::Header) -> Result<(), EbmsError> {
    let participant = |ebms: &str, sbdh: &crate::ParticipantId| {
        crate::ParticipantId::parse(ebms).is_ok_and(|id| &id == sbdh)
    };
    let document_type = &header.document_type;
    let checks = [
        (
            "originalSender",
            &message.original_sender,
            header.sender.to_string(),
            participant(&message.original_sender, &header.sender),
        ),
        (
            "finalRecipient",
            &message.final_recipient,
            header.receiver.to_string(),
            participant(&message.final_recipient, &header.receiver),
        ),
        (
            "eb:Action",
            &message.action,
            document_type.to_string(),
            message.action == document_type.to_string() || message.action == document_type.value(),
        ),
        (
            "eb:Service",
            &message.service,
            header.process.to_string(),
            message.service == header.process.value()
                || message.service == header.process.to_string(),
        ),
    ];
    for (what, ebms, sbdh, same) in checks {
        if !same {
            return Err(EbmsError::new(
                ErrorCode::Other,
                format!("{what} is {ebms:?} in the ebMS header but {sbdh:?} in the SBDH"),
            ));
        }
    }
    Ok(())
}

fn security_error(e: &SecurityError) -> EbmsError {
    let code = ErrorCode::from_code(e.ebms_code()).unwrap_or(ErrorCode::PolicyNoncompliance);
    EbmsError::new(code, e.to_string())
}

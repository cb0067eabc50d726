//! Sending: a business document to the access point [`crate::lookup::find_endpoint`] found,
//! as a signed and encrypted AS4 user message, until a receipt proves its delivery.
//!
//! The message is built once: the SBDH around the document, gzip, the ebMS header, the
//! WS-Security header for the endpoint's certificate, the MIME body. Every attempt posts the
//! same bytes, so a receiver that got an earlier attempt recognises the MessageId and
//! answers with its first receipt instead of delivering twice (duplicate elimination).
//!
//! An answer counts as delivery only when it is a receipt signed by the endpoint's
//! certificate (valid in the access point's trust), for our MessageId, repeating exactly the
//! references we signed. Anything else is a refusal, a reason to try again, or an answer we
//! cannot take as proof; [`SendError`] says which.

use std::time::{Duration, SystemTime};

use einvoice::xml::{Limits, parse};

use super::compression::compress;
use super::ebms::{EnvelopeIds, PartInfo, UserMessage};
use super::mime;
use super::receive::{AccessPoint, timestamp};
use super::security::{self, Attachment};
use super::signal::Signal;
use crate::document_type::DocumentTypeId;
use crate::lookup::Endpoint;
use crate::participant::ParticipantId;
use crate::process::ProcessId;
use crate::sbdh;
use crate::smp::client::describe;
use crate::xmlsec::base64_decode;

/// A business document to send, with what its envelope says about it.
#[derive(Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The participant sending (C1), on whose behalf this access point sends.
    pub sender: ParticipantId,
    /// The participant receiving (C4).
    pub receiver: ParticipantId,
    /// The document type; its root element must be the document's.
    pub document_type: DocumentTypeId,
    /// The business process.
    pub process: ProcessId,
    /// The sender's country (ISO 3166-1 alpha-2), the SBDH's COUNTRY_C1.
    pub country_c1: String,
    /// The business document (UTF-8 XML).
    pub document: Vec<u8>,
}

/// Shows the size, not the content: the document is a business document.
impl std::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outgoing")
            .field("sender", &self.sender)
            .field("receiver", &self.receiver)
            .field("document_type", &self.document_type)
            .field("process", &self.process)
            .field("country_c1", &self.country_c1)
            .field("document", &self.document.len())
            .finish()
    }
}

/// How often and how patiently to try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The most attempts, the first included; at least one is always made.
    pub attempts: u32,
    /// The wait after the first failed attempt; it doubles after each further one.
    pub first_delay: Duration,
    /// The longest wait between two attempts.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Five attempts, 2 s doubling up to 60 s: about half a minute of trying, which covers a
    /// restarting receiver. Longer outages are for the caller's outbox to retry later, with
    /// the same message built again (a new MessageId is then fine, the old one never arrived
    /// as far as the receipts tell).
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            first_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(60),
        }
    }
}

/// A delivered message and the proof of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivered {
    /// The MessageId the message travelled under.
    pub message_id: String,
    /// The receipt as received: signed XML, the non-repudiation proof to keep.
    pub receipt: String,
    /// How many attempts it took.
    pub attempts: u32,
}

/// Why a message was not delivered, worded for the operator who has to act on it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// The message could not be built: the document or our own configuration is at fault,
    /// and sending it again will not help.
    #[error("the message could not be prepared for sending: {0}")]
    Prepare(String),
    /// The receiving access point refused the message with an ebMS error.
    #[error("the receiving access point refused the message ({code}): {detail}")]
    Refused {
        /// The ebMS error code, e.g. `EBMS:0004`.
        code: String,
        /// The receiver's explanation.
        detail: String,
    },
    /// The HTTP server refused the request without an ebMS signal (a wrong URL, a proxy in
    /// the way): nothing was delivered.
    #[error("the receiving access point rejected the request with HTTP {status}: {reason}")]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// What the answer said, or why it was unreadable.
        reason: String,
    },
    /// No answer after every attempt; the message was probably not delivered and may be sent
    /// again later.
    #[error(
        "the receiving access point at {url} could not be reached after {attempts} attempt(s); last problem: {reason}"
    )]
    Unreachable {
        /// The endpoint URL.
        url: String,
        /// The attempts made.
        attempts: u32,
        /// What went wrong on the last one.
        reason: String,
    },
    /// An answer that is not a valid receipt for this message. Whether it arrived is unknown:
    /// check with the receiver's access point before sending it again.
    #[error(
        "the receiving access point answered, but not with a valid receipt, so delivery is unproven: {0}"
    )]
    InvalidReceipt(String),
}

/// ebMS codes a receiver uses for its own passing trouble (ConnectionFailure, and
/// DeliveryFailure: received but not stored); the same message may succeed later.
const TEMPORARY_CODES: [&str; 2] = ["EBMS:0005", "EBMS:0202"];

/// The largest answer read: receipts are a few kilobytes.
const MAX_ANSWER_BYTES: usize = 1 << 20;

/// Sends `outgoing` to `endpoint` as `ap`, retrying under `policy`, and returns the verified
/// receipt. `now` stamps the message and is the time the receipt's certificate is checked
/// at. Time limits per request are `client`'s (`reqwest::ClientBuilder::timeout`); a time-out
/// counts as a failed attempt.
pub async fn send(
    client: &reqwest::Client,
    ap: &AccessPoint,
    outgoing: &Outgoing,
    endpoint: &Endpoint,
    policy: &RetryPolicy,
    now: SystemTime,
) -> Result<Delivered, SendError> {
    let message = Message::prepare(ap, outgoing, endpoint, now)?;
    send_prepared(client, ap, message, endpoint, policy, now).await
}

/// Sends a message made with [`Message::prepare`], as [`send`] does; for a caller that
/// records the MessageId before the first attempt.
pub async fn send_prepared(
    client: &reqwest::Client,
    ap: &AccessPoint,
    message: Message,
    endpoint: &Endpoint,
    policy: &RetryPolicy,
    now: SystemTime,
) -> Result<Delivered, SendError> {
    let mut delay = policy.first_delay;
    let mut attempts = 0;
    loop {
        attempts += 1;
        let unreachable = |reason| SendError::Unreachable {
            url: endpoint.url.clone(),
            attempts,
            reason,
        };
        let failure = match post(client, endpoint, &message).await {
            Ok(answer) => match message.judge(&answer, ap, endpoint, now) {
                Ok(receipt) => {
                    return Ok(Delivered {
                        message_id: message.message_id,
                        receipt,
                        attempts,
                    });
                }
                Err(Judgement::Final(error)) => return Err(error),
                Err(Judgement::Temporary(error)) => error,
                Err(Judgement::Busy(reason)) => unreachable(reason),
            },
            Err(reason) => unreachable(reason),
        };
        if attempts >= policy.attempts {
            return Err(failure);
        }
        tokio::time::sleep(delay).await;
        delay = delay.saturating_mul(2).min(policy.max_delay);
    }
}

/// A message ready to post, and what its receipt must repeat.
#[derive(Clone)]
pub struct Message {
    /// The ebMS MessageId.
    pub message_id: String,
    /// The HTTP Content-Type (`multipart/related` with its boundary).
    pub content_type: String,
    /// The HTTP body: the signed envelope and the encrypted payload.
    pub body: Vec<u8>,
    /// The signed references as (URI, digest).
    signed: Vec<(String, Vec<u8>)>,
}

/// Shows the id and size; the body is encrypted but large.
impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Message")
            .field("message_id", &self.message_id)
            .field("body", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl Message {
    /// Builds the message [`send`] posts: SBDH, gzip, ebMS header, WS-Security for the
    /// endpoint, MIME. Public for measuring and testing a receiver with real messages.
    pub fn prepare(
        ap: &AccessPoint,
        outgoing: &Outgoing,
        endpoint: &Endpoint,
        now: SystemTime,
    ) -> Result<Message, SendError> {
        let to = endpoint.certificate.common_name().ok_or_else(|| {
            SendError::Prepare(format!(
                "the receiver's access point certificate {} has no common name (seat id)",
                endpoint.certificate.subject()
            ))
        })?;
        let header = sbdh::Header {
            sender: outgoing.sender.clone(),
            receiver: outgoing.receiver.clone(),
            document_type: outgoing.document_type.clone(),
            process: outgoing.process.clone(),
            country_c1: outgoing.country_c1.clone(),
            instance_id: uuid::Uuid::new_v4().to_string(),
            created: chrono::DateTime::<chrono::Utc>::from(now)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        };
        let sbd = sbdh::build(&header, &outgoing.document)
            .map_err(|e| SendError::Prepare(format!("the SBDH: {e}")))?;
        let message_id = format!("{}@postbode", uuid::Uuid::new_v4());
        let content_id = format!("payload-{}@postbode", uuid::Uuid::new_v4());
        let message = UserMessage {
            message_id: message_id.clone(),
            timestamp: timestamp(now),
            conversation_id: uuid::Uuid::new_v4().to_string(),
            from: ap.seat_id().to_owned(),
            to: to.to_owned(),
            service: outgoing.process.value().to_owned(),
            service_type: Some(outgoing.process.scheme().as_str().to_owned()),
            action: outgoing.document_type.to_string(),
            original_sender: outgoing.sender.to_string(),
            final_recipient: outgoing.receiver.to_string(),
            parts: vec![PartInfo {
                content_id: content_id.clone(),
                mime_type: "application/xml".to_owned(),
                compressed: true,
            }],
        };
        let mut attachments = [Attachment {
            content_id: content_id.clone(),
            mime_type: "application/gzip".to_owned(),
            bytes: compress(&sbd),
        }];
        let secure = |e: security::SecurityError| SendError::Prepare(e.to_string());
        let envelope = security::protect(
            &message.envelope(&EnvelopeIds::fresh()),
            &mut attachments,
            &ap.credentials,
            &endpoint.certificate,
        )
        .map_err(secure)?;
        let signed = security::signed_references(&envelope).map_err(secure)?;
        let [payload] = &attachments;
        let boundary = format!("MIMEBoundary_{}", uuid::Uuid::new_v4().simple());
        let (content_type, body) = mime::write(
            envelope.as_bytes(),
            &[(content_id.as_str(), payload.bytes.as_slice())],
            &boundary,
        );
        Ok(Message {
            message_id,
            content_type,
            body,
            signed,
        })
    }
}

/// An HTTP answer.
struct Answer {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

/// Posts the message once; `Err` is a failure worth another attempt (no connection, a
/// time-out, a broken transfer).
async fn post(
    client: &reqwest::Client,
    endpoint: &Endpoint,
    message: &Message,
) -> Result<Answer, String> {
    let mut response = client
        .post(&endpoint.url)
        .header(reqwest::header::CONTENT_TYPE, &message.content_type)
        .header("MIME-Version", "1.0")
        .body(message.body.clone())
        .send()
        .await
        .map_err(|e| describe(&e))?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| describe(&e))? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(format!(
                "HTTP {status} with an answer larger than {MAX_ANSWER_BYTES} bytes"
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Answer {
        status,
        content_type,
        body,
    })
}

/// What an answer that is not a good receipt means for the next attempt.
enum Judgement {
    /// The server is in trouble (5xx, 408, 429 without a signal); trying again may help.
    Busy(String),
    /// A refusal for a passing reason; trying again may help.
    Temporary(SendError),
    /// Trying again will not help.
    Final(SendError),
}

impl Message {
    /// The receipt in `answer`, verified; or why there is none.
    fn judge(
        &self,
        answer: &Answer,
        ap: &AccessPoint,
        endpoint: &Endpoint,
        now: SystemTime,
    ) -> Result<String, Judgement> {
        // A server in trouble (5xx, or 408/429) answers with an error page, not a signal;
        // other 4xx answers refuse the request before any AS4 processing.
        let busy = answer.status >= 500 || matches!(answer.status, 408 | 429);
        let invalid = |reason: String| {
            if busy {
                Judgement::Busy(format!("HTTP {}: {reason}", answer.status))
            } else if answer.status >= 400 {
                Judgement::Final(SendError::Rejected {
                    status: answer.status,
                    reason,
                })
            } else {
                Judgement::Final(SendError::InvalidReceipt(format!(
                    "HTTP {}: {reason}",
                    answer.status
                )))
            }
        };
        let xml = soap_part(answer).map_err(&invalid)?;
        let doc = parse(xml.as_bytes(), Limits::default())
            .map_err(|e| invalid(format!("the answer is not XML: {e}")))?;
        let signal = Signal::read(doc.root_element())
            .map_err(|e| invalid(format!("the answer is not an ebMS signal: {e}")))?;
        match signal {
            Signal::Error {
                ref_to_message_id,
                code,
                detail,
            } => {
                // A refusal is taken unsigned: it proves nothing, it only stops the sending,
                // and receivers that cannot read our message may not be able to sign either.
                if !ref_to_message_id.is_empty() && ref_to_message_id != self.message_id {
                    return Err(Judgement::Final(SendError::InvalidReceipt(format!(
                        "an error signal about message {ref_to_message_id:?}, not ours ({})",
                        self.message_id
                    ))));
                }
                let temporary = TEMPORARY_CODES.contains(&code.as_str());
                let refused = SendError::Refused { code, detail };
                Err(if temporary {
                    Judgement::Temporary(refused)
                } else {
                    Judgement::Final(refused)
                })
            }
            Signal::Receipt {
                ref_to_message_id,
                references,
            } => {
                let unproven = |reason: String| Judgement::Final(SendError::InvalidReceipt(reason));
                security::verify_signal(&xml, &endpoint.certificate, &ap.trust, now)
                    .map_err(|e| unproven(format!("the receipt's signature: {e}")))?;
                if ref_to_message_id != self.message_id {
                    return Err(unproven(format!(
                        "the receipt acknowledges message {ref_to_message_id:?}, not ours ({})",
                        self.message_id
                    )));
                }
                self.check_references(&references).map_err(unproven)?;
                Ok(xml)
            }
        }
    }

    /// The receipt's non-repudiation information must name exactly the references we
    /// signed, with the same digests: otherwise it acknowledges something else.
    fn check_references(&self, acknowledged: &[(String, String)]) -> Result<(), String> {
        let mut got = acknowledged
            .iter()
            .map(|(uri, digest)| {
                base64_decode(digest)
                    .map(|d| (uri.clone(), d))
                    .ok_or_else(|| format!("the digest of {uri} in the receipt is not base64"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut signed = self.signed.clone();
        got.sort();
        signed.sort();
        if got != signed {
            let uris = |list: &[(String, Vec<u8>)]| {
                list.iter()
                    .map(|(uri, _)| uri.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return Err(format!(
                "the receipt acknowledges [{}] but we signed [{}] (or the digests differ)",
                uris(&got),
                uris(&signed)
            ));
        }
        Ok(())
    }
}

/// The SOAP envelope of an answer: the body itself, or the root part of a multipart one
/// (some access points send receipts as MIME).
fn soap_part(answer: &Answer) -> Result<String, String> {
    let bytes = if answer
        .content_type
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("multipart/")
    {
        mime::parse(&answer.content_type, &answer.body)
            .map_err(|e| format!("the MIME answer: {e}"))?
            .root
            .bytes
    } else {
        answer.body.clone()
    };
    String::from_utf8(bytes).map_err(|_| "the answer is not UTF-8".to_owned())
}

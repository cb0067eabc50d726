//! The AS4 sender and receiver end to end: our sender against the `as4` package's receiver
//! and against ours (served by axum), the `as4` sender against ours, retries, hostile
//! requests to `receive::open`, and the SML → SMP → endpoint lookup against a real DNS
//! server and a real SMP serving signed metadata.

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use peppol::as4::compression::compress;
use peppol::as4::ebms::{EnvelopeIds, PartInfo, UserMessage};
use peppol::as4::error::{EbmsError, ErrorCode, NOT_SERVICED};
use peppol::as4::receive::{self, AccessPoint, Refused};
use peppol::as4::security::{self, Attachment};
use peppol::as4::send::{Delivered, Outgoing, RetryPolicy, SendError, send};
use peppol::as4::{mime, signal};
use peppol::lookup::{Endpoint, LookupError, find_endpoint};
use peppol::pki::Credentials;
use peppol::sml::{self, Sml, SmlConfig};
use peppol::smp::client::{SmpClient, SmpClientConfig};
use peppol::smp::{self, Metadata, Process, Redirect, ServiceGroup, ServiceMetadata};
use peppol::testing::{RECEIVER_SEAT, TestAp, TestPki};
use peppol::xmlsec::sign_enveloped;
use peppol::{DocumentTypeId, ParticipantId, document_type, process, sbdh};
use proptest::prelude::*;

use crate::peers;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const SENDER: &str = "0088:5790000000005";
const RECEIVER: &str = "0088:5790000000012";

fn pki() -> &'static TestPki {
    TestPki::shared()
}

fn id(text: &str) -> ParticipantId {
    ParticipantId::parse(text).expect("a valid participant id")
}

fn access_point(ap: &TestAp) -> AccessPoint {
    AccessPoint {
        credentials: ap.credentials.clone(),
        trust: pki().trust_store(),
    }
}

fn text(path: &Path) -> Result<&str, &'static str> {
    path.to_str().ok_or("a non-UTF-8 temporary path")
}

/// The Peppol BIS example invoice, read in place from the shared corpus.
fn invoice() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/peppol-bis/rules/examples/base-example.xml");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{} is readable: {e}", path.display()))
}

fn outgoing() -> Outgoing {
    Outgoing {
        sender: id(SENDER),
        receiver: id(RECEIVER),
        document_type: document_type::BIS_BILLING_INVOICE,
        process: process::BIS_BILLING,
        country_c1: "BE".into(),
        document: invoice(),
    }
}

fn endpoint(url: String) -> Endpoint {
    Endpoint {
        url,
        certificate: pki().receiver.credentials.certificate.clone(),
    }
}

fn quick() -> RetryPolicy {
    RetryPolicy {
        attempts: 4,
        first_delay: Duration::from_millis(100),
        max_delay: Duration::from_millis(300),
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("an HTTP client")
}

// ---------------------------------------------------------------------------------------------
// Our receiver, served by axum

/// What the test receiver does besides receiving honestly.
#[derive(Clone, Copy, Default)]
enum Behaviour {
    #[default]
    Honest,
    /// Receipts leave out the first signed reference.
    DropReference,
    /// Receipts are signed with the sender's key instead of the receiver's.
    WrongSigner,
    /// While unavailable, it answers with a signed EBMS:0202 DeliveryFailure instead of 503.
    StorageTrouble,
}

/// A receiving access point: `receive::open`, then a receipt (or refusal); a repeated
/// MessageId gets its first receipt back.
struct Inbox {
    ap: AccessPoint,
    served: ParticipantId,
    behaviour: Behaviour,
    /// Requests still to answer with 503 after reading them, as a receiver whose storage is
    /// down does.
    unavailable: AtomicU32,
    /// The MessageId of every request that opened.
    seen: Mutex<Vec<String>>,
    receipts: Mutex<HashMap<String, String>>,
    documents: Mutex<Vec<Vec<u8>>>,
    /// Every request as (Content-Type, body).
    requests: Mutex<Vec<(String, Vec<u8>)>>,
}

impl Inbox {
    fn new(behaviour: Behaviour, unavailable: u32) -> Arc<Inbox> {
        Arc::new(Inbox {
            ap: access_point(&pki().receiver),
            served: id(RECEIVER),
            behaviour,
            unavailable: AtomicU32::new(unavailable),
            seen: Mutex::default(),
            receipts: Mutex::default(),
            documents: Mutex::default(),
            requests: Mutex::default(),
        })
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().expect("not poisoned").clone()
    }

    fn documents(&self) -> Vec<Vec<u8>> {
        self.documents.lock().expect("not poisoned").clone()
    }

    fn requests(&self) -> Vec<(String, Vec<u8>)> {
        self.requests.lock().expect("not poisoned").clone()
    }
}

fn soap(xml: String) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/soap+xml; charset=UTF-8")],
        xml,
    )
        .into_response()
}

async fn deliver(State(inbox): State<Arc<Inbox>>, headers: HeaderMap, body: Bytes) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    inbox
        .requests
        .lock()
        .expect("not poisoned")
        .push((content_type.clone(), body.to_vec()));
    let now = SystemTime::now();
    let refuse =
        |refused: &Refused| soap(receive::refusal(refused, &inbox.ap, now).expect("signs"));
    let received = match receive::open(&content_type, &body, &inbox.ap, now) {
        Ok(received) => received,
        Err(refused) => return refuse(&refused),
    };
    let message_id = received.message.message_id.clone();
    inbox
        .seen
        .lock()
        .expect("not poisoned")
        .push(message_id.clone());
    if received.header.receiver != inbox.served {
        return refuse(&Refused {
            error: EbmsError::new(ErrorCode::Other, NOT_SERVICED),
            message_id: Some(message_id),
        });
    }
    let down = inbox
        .unavailable
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
    if down.is_ok() {
        return match inbox.behaviour {
            Behaviour::StorageTrouble => refuse(&Refused {
                error: EbmsError::new(ErrorCode::DeliveryFailure, "storage is down"),
                message_id: Some(message_id),
            }),
            _ => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        };
    }
    let mut receipts = inbox.receipts.lock().expect("not poisoned");
    if let Some(first) = receipts.get(&message_id) {
        return soap(first.clone());
    }
    let receipt = match inbox.behaviour {
        Behaviour::Honest | Behaviour::StorageTrouble => {
            receive::receipt(&received, &inbox.ap, now).expect("signs")
        }
        Behaviour::DropReference => signed_receipt(
            &message_id,
            &received.references[1..],
            &inbox.ap.credentials,
        ),
        Behaviour::WrongSigner => {
            signed_receipt(&message_id, &received.references, &pki().sender.credentials)
        }
    };
    receipts.insert(message_id, receipt.clone());
    inbox
        .documents
        .lock()
        .expect("not poisoned")
        .push(received.document);
    soap(receipt)
}

fn signed_receipt(message_id: &str, references: &[String], signer: &Credentials) -> String {
    let info = signal::SignalInfo {
        message_id: "forged@test".into(),
        timestamp: "2026-11-27T10:00:00.000Z".into(),
        ref_to_message_id: message_id.into(),
    };
    let unsigned = signal::receipt(&info, references, &EnvelopeIds::fresh());
    security::sign_signal(&unsigned, signer).expect("signs")
}

/// Serves `inbox` on `listener` until the test's runtime ends.
fn serve_inbox(listener: tokio::net::TcpListener, inbox: Arc<Inbox>) {
    let router = Router::new().fallback(deliver).with_state(inbox);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
}

async fn inbox_server(inbox: Arc<Inbox>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!("http://{}/as4", listener.local_addr().expect("an address"));
    serve_inbox(listener, inbox);
    url
}

fn sender_ap() -> AccessPoint {
    access_point(&pki().sender)
}

#[tokio::test]
async fn our_sender_delivers_to_our_receiver() -> TestResult {
    let inbox = Inbox::new(Behaviour::Honest, 0);
    let url = inbox_server(inbox.clone()).await;
    let delivered = send(
        &client(),
        &sender_ap(),
        &outgoing(),
        &endpoint(url),
        &quick(),
        SystemTime::now(),
    )
    .await?;
    assert_eq!(delivered.attempts, 1);
    assert_eq!(inbox.seen(), std::slice::from_ref(&delivered.message_id));
    // The document arrives byte for byte, from its root element on (the SBDH drops the XML
    // declaration).
    let original = invoice();
    let root = original
        .windows(8)
        .position(|w| w == b"<Invoice")
        .ok_or("the invoice has a root")?;
    assert_eq!(
        inbox.documents(),
        [original[root..].trim_ascii_end().to_vec()]
    );
    // The receipt kept is the signed one the receiver sent.
    security::verify_signal(
        &delivered.receipt,
        &pki().receiver.credentials.certificate,
        &pki().trust_store(),
        SystemTime::now(),
    )?;
    // What travelled is encrypted: the invoice's text is not in the request.
    let (_, body) = inbox.requests().pop().ok_or("a request")?;
    assert!(!body.windows(8).any(|w| w == b"Snippet1"));
    Ok(())
}

#[tokio::test]
async fn a_refusal_is_reported_and_not_retried() -> TestResult {
    let inbox = Inbox::new(Behaviour::Honest, 0);
    let url = inbox_server(inbox.clone()).await;
    let mut elsewhere = outgoing();
    elsewhere.receiver = id("0088:5790000000029");
    let error = send(
        &client(),
        &sender_ap(),
        &elsewhere,
        &endpoint(url),
        &quick(),
        SystemTime::now(),
    )
    .await
    .expect_err("the receiver is not served there");
    assert!(
        matches!(&error, SendError::Refused { code, detail } if code == "EBMS:0004" && detail == NOT_SERVICED),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the receiving access point refused the message (EBMS:0004): PEPPOL:NOT_SERVICED"
    );
    assert_eq!(inbox.requests().len(), 1);
    Ok(())
}

#[tokio::test]
async fn an_impostor_sender_is_refused_with_failed_authentication() -> TestResult {
    let inbox = Inbox::new(Behaviour::Honest, 0);
    let url = inbox_server(inbox.clone()).await;
    let impostor = TestPki::impostor("PTE000001")?;
    let error = send(
        &client(),
        &access_point(&impostor),
        &outgoing(),
        &endpoint(url),
        &quick(),
        SystemTime::now(),
    )
    .await
    .expect_err("the impostor's chain is not trusted");
    assert!(
        matches!(&error, SendError::Refused { code, .. } if code == "EBMS:0101"),
        "{error:?}"
    );
    assert!(inbox.seen().is_empty());
    Ok(())
}

#[tokio::test]
async fn receipts_that_prove_nothing_are_not_delivery() -> TestResult {
    for (behaviour, expected) in [
        (Behaviour::DropReference, "the receipt acknowledges ["),
        (
            Behaviour::WrongSigner,
            "the receipt's signature: authentication failed: the signal is signed by",
        ),
    ] {
        let inbox = Inbox::new(behaviour, 0);
        let url = inbox_server(inbox.clone()).await;
        let error = send(
            &client(),
            &sender_ap(),
            &outgoing(),
            &endpoint(url),
            &quick(),
            SystemTime::now(),
        )
        .await
        .expect_err("the receipt is not proof");
        let SendError::InvalidReceipt(reason) = &error else {
            panic!("not an invalid receipt: {error:?}");
        };
        assert!(reason.starts_with(expected), "{reason}");
        assert!(error.to_string().contains("delivery is unproven"));
        // Delivered or not is unknown, so it is not sent again blindly.
        assert_eq!(inbox.requests().len(), 1);
    }
    Ok(())
}

#[tokio::test]
async fn a_busy_receiver_gets_the_same_message_again() -> TestResult {
    // Busy with HTTP 503, then with a temporary ebMS refusal (EBMS:0202).
    for behaviour in [Behaviour::Honest, Behaviour::StorageTrouble] {
        let inbox = Inbox::new(behaviour, 2);
        let url = inbox_server(inbox.clone()).await;
        let delivered = send(
            &client(),
            &sender_ap(),
            &outgoing(),
            &endpoint(url),
            &quick(),
            SystemTime::now(),
        )
        .await?;
        assert_eq!(delivered.attempts, 3);
        let seen = inbox.seen();
        assert_eq!(seen.len(), 3);
        assert!(
            seen.iter().all(|id| *id == delivered.message_id),
            "{seen:?}"
        );
        assert_eq!(inbox.documents().len(), 1);
    }
    // Still busy after the last attempt: the last problem is reported.
    let inbox = Inbox::new(Behaviour::StorageTrouble, 9);
    let url = inbox_server(inbox.clone()).await;
    let error = send(
        &client(),
        &sender_ap(),
        &outgoing(),
        &endpoint(url),
        &quick(),
        SystemTime::now(),
    )
    .await
    .expect_err("never stored");
    assert!(
        matches!(&error, SendError::Refused { code, detail } if code == "EBMS:0202" && detail == "storage is down"),
        "{error:?}"
    );
    assert_eq!(inbox.requests().len(), 4);
    Ok(())
}

#[tokio::test]
async fn a_receiver_that_comes_up_late_is_reached() -> TestResult {
    // A port nobody listens on yet: the first attempts find it closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let inbox = Inbox::new(Behaviour::Honest, 0);
    let late = inbox.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("the port is still free");
        serve_inbox(listener, late);
    });
    let policy = RetryPolicy {
        attempts: 6,
        first_delay: Duration::from_millis(100),
        max_delay: Duration::from_millis(200),
    };
    let delivered: Delivered = send(
        &client(),
        &sender_ap(),
        &outgoing(),
        &endpoint(format!("http://127.0.0.1:{port}/as4")),
        &policy,
        SystemTime::now(),
    )
    .await?;
    assert!(delivered.attempts > 1, "{delivered:?}");
    assert_eq!(inbox.seen(), [delivered.message_id]);
    Ok(())
}

#[tokio::test]
async fn a_server_that_is_no_access_point_rejects_at_once() -> TestResult {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/as4", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(listener, Router::new()).await;
    });
    let error = send(
        &client(),
        &sender_ap(),
        &outgoing(),
        &endpoint(url),
        &quick(),
        SystemTime::now(),
    )
    .await
    .expect_err("nothing is served there");
    assert!(
        matches!(&error, SendError::Rejected { status: 404, .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("the receiving access point rejected the request with HTTP 404: "),
        "{error}"
    );
    Ok(())
}

#[tokio::test]
async fn nobody_answering_is_reported_after_every_attempt() -> TestResult {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let url = format!("http://127.0.0.1:{port}/as4");
    let error = send(
        &client(),
        &sender_ap(),
        &outgoing(),
        &endpoint(url.clone()),
        &RetryPolicy {
            attempts: 3,
            first_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(40),
        },
        SystemTime::now(),
    )
    .await
    .expect_err("nobody listens");
    let SendError::Unreachable {
        url: reported,
        attempts,
        reason,
    } = &error
    else {
        panic!("not unreachable: {error:?}");
    };
    assert_eq!((reported, *attempts), (&url, 3));
    assert!(reason.contains("onnection refused"), "{reason}");
    assert!(
        error.to_string().starts_with(&format!(
            "the receiving access point at {url} could not be reached after 3 attempt(s)"
        )),
        "{error}"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The `as4` package as the other side

/// A child process killed when the test ends.
struct Peer(Child);

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn peer_script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/peers")
        .join(name)
}

#[tokio::test]
async fn our_sender_delivers_to_the_as4_receiver() -> TestResult {
    let Some(python) = peers::python() else {
        return Ok(());
    };
    let work = tempfile::tempdir()?;
    let mut child = Command::new(&python)
        .arg(peer_script("as4_receiver.py"))
        .args([text(crate::peers::pki_dir())?, text(work.path())?])
        // The receiver runs until its stdin closes: when `peer` is dropped.
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("stdout is piped")?;
    let peer = Peer(child);
    let mut port = String::new();
    BufReader::new(stdout).read_line(&mut port)?;
    let url = format!("http://127.0.0.1:{}/as4", port.trim());

    let delivered = send(
        &client(),
        &sender_ap(),
        &outgoing(),
        &endpoint(url),
        &quick(),
        SystemTime::now(),
    )
    .await?;
    drop(peer);
    assert_eq!(delivered.attempts, 1);
    let reports = std::fs::read_dir(work.path())?.collect::<Result<Vec<_>, _>>()?;
    let [report] = reports.as_slice() else {
        return Err(format!("one request reached the receiver, not {}", reports.len()).into());
    };
    let seen: serde_json::Value = serde_json::from_slice(&std::fs::read(report.path())?)?;
    assert_eq!(seen["error"], serde_json::Value::Null, "{seen}");
    assert_eq!(seen["successful"], true);
    // as4 decrypted and decompressed our SBD, which carries the invoice and names the
    // participants we gave.
    let sbd = base64::engine::general_purpose::STANDARD
        .decode(seen["payload"].as_str().ok_or("a payload")?)?;
    let envelope = sbdh::parse(&sbd)?;
    assert_eq!(envelope.header.sender, id(SENDER));
    assert_eq!(envelope.header.receiver, id(RECEIVER));
    assert!(sbd[envelope.document].starts_with(b"<Invoice"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_as4_sender_accepts_our_receipt() -> TestResult {
    let Some(python) = peers::python() else {
        return Ok(());
    };
    let inbox = Inbox::new(Behaviour::Honest, 0);
    let url = inbox_server(inbox.clone()).await;
    let work = tempfile::tempdir()?;
    let invoice_path = work.path().join("invoice.xml");
    std::fs::write(&invoice_path, invoice())?;
    let args = [
        text(crate::peers::pki_dir())?.to_owned(),
        url,
        text(&invoice_path)?.to_owned(),
        SENDER.to_owned(),
        RECEIVER.to_owned(),
    ];
    let answer = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        peers::run(&python, "as4_sender.py", &args, b"")
    })
    .await?;
    let answer: serde_json::Value = serde_json::from_str(&answer)?;
    assert_eq!(answer["error"], serde_json::Value::Null, "{answer}");
    assert_eq!(answer["status"], 200);
    assert_eq!(answer["state"], "acknowledged", "{answer}");
    assert_eq!(
        inbox.seen(),
        [answer["message_id"].as_str().ok_or("a message id")?]
    );
    let documents = inbox.documents();
    assert!(documents[0].starts_with(b"<Invoice"));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Hostile requests to `receive::open`

/// A message made from the public parts, so each test can make it inconsistent on purpose:
/// `edit` changes the ebMS header and the SBDH before the message is signed and encrypted.
fn handmade(
    signer: &Credentials,
    edit: impl FnOnce(&mut UserMessage, &mut sbdh::Header),
) -> Result<(String, Vec<u8>), Box<dyn std::error::Error>> {
    let out = outgoing();
    let mut header = sbdh::Header {
        sender: out.sender.clone(),
        receiver: out.receiver.clone(),
        document_type: out.document_type.clone(),
        process: out.process.clone(),
        country_c1: out.country_c1.clone(),
        instance_id: "instance-1".into(),
        created: "2026-11-27T10:00:00Z".into(),
    };
    let content_id = "payload@test";
    let mut message = UserMessage {
        message_id: "handmade-1@test".into(),
        timestamp: "2026-11-27T10:00:00.000Z".into(),
        conversation_id: "conversation-1".into(),
        from: "PTE000001".into(),
        to: RECEIVER_SEAT.into(),
        service: out.process.value().into(),
        service_type: Some("cenbii-procid-ubl".into()),
        action: out.document_type.to_string(),
        original_sender: out.sender.to_string(),
        final_recipient: out.receiver.to_string(),
        parts: vec![PartInfo {
            content_id: content_id.into(),
            mime_type: "application/xml".into(),
            compressed: true,
        }],
    };
    edit(&mut message, &mut header);
    let mut attachments = [Attachment {
        content_id: content_id.into(),
        mime_type: "application/gzip".into(),
        bytes: compress(&sbdh::build(&header, &out.document)?),
    }];
    let envelope = security::protect(
        &message.envelope(&EnvelopeIds::fresh()),
        &mut attachments,
        signer,
        &pki().receiver.credentials.certificate,
    )?;
    let [payload] = &attachments;
    Ok(mime::write(
        envelope.as_bytes(),
        &[(content_id, &payload.bytes)],
        "boundary-test",
    ))
}

fn valid() -> &'static (String, Vec<u8>) {
    static VALID: OnceLock<(String, Vec<u8>)> = OnceLock::new();
    VALID.get_or_init(|| handmade(&pki().sender.credentials, |_, _| {}).expect("builds"))
}

/// The ebMS code `open` refuses with, or `accepted`.
fn code(content_type: &str, body: &[u8]) -> &'static str {
    match receive::open(
        content_type,
        body,
        &access_point(&pki().receiver),
        SystemTime::now(),
    ) {
        Ok(_) => "accepted",
        Err(refused) => refused.error.code.code(),
    }
}

/// Where `needle` is in `body`, which must hold it once.
fn find_once(body: &[u8], needle: &str) -> usize {
    let needle = needle.as_bytes();
    let hits: Vec<usize> = body
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "{} occurs once",
        String::from_utf8_lossy(needle)
    );
    hits[0]
}

/// `body` (partly binary) with the one occurrence of `from` replaced by `to`.
fn edit(body: &[u8], from: &str, to: &str) -> Vec<u8> {
    let at = find_once(body, from);
    let mut edited = body[..at].to_vec();
    edited.extend_from_slice(to.as_bytes());
    edited.extend_from_slice(&body[at + from.len()..]);
    edited
}

#[test]
fn the_handmade_message_is_accepted() {
    let (content_type, body) = valid();
    assert_eq!(code(content_type, body), "accepted");
}

#[test]
fn a_tampered_signature_fails_authentication() {
    let (content_type, body) = valid();
    let start = find_once(body, "<ds:SignatureValue>") + "<ds:SignatureValue>".len();
    let mut tampered = body.clone();
    // Swap one base64 character for another.
    tampered[start + 10] = if tampered[start + 10] == b'A' {
        b'B'
    } else {
        b'A'
    };
    assert_eq!(code(content_type, &tampered), "EBMS:0101");
}

#[test]
fn a_certificate_from_another_ca_fails_authentication() -> TestResult {
    let impostor = TestPki::impostor("PTE000001")?;
    let (content_type, body) = handmade(&impostor.credentials, |_, _| {})?;
    assert_eq!(code(&content_type, &body), "EBMS:0101");
    Ok(())
}

#[test]
fn a_flipped_ciphertext_byte_fails_decryption() {
    let (content_type, body) = valid();
    let closing = b"\r\n--boundary-test--\r\n".len();
    let mut flipped = body.clone();
    let at = flipped.len() - closing - 20;
    flipped[at] ^= 0x01;
    assert_eq!(code(content_type, &flipped), "EBMS:0102");
}

#[test]
fn broken_mime_is_a_mime_inconsistency() {
    let (content_type, body) = valid();
    assert_eq!(
        code("multipart/related; type=\"application/soap+xml\"", body),
        "EBMS:0007"
    );
    assert_eq!(code(content_type, b"no parts at all"), "EBMS:0007");
    let truncated = &body[..body.len() / 2];
    assert_eq!(code(content_type, truncated), "EBMS:0007");
    // More parts than any Peppol message has.
    let mut oversized = b"--boundary-test\r\nContent-Type: text/plain\r\n\r\nx\r\n".repeat(20);
    oversized.extend_from_slice(b"--boundary-test--\r\n");
    assert_eq!(code(content_type, &oversized), "EBMS:0007");
}

#[test]
fn xml_attacks_in_the_envelope_are_invalid_headers() {
    let (content_type, body) = valid();
    let dtd = edit(
        body,
        "<S12:Envelope",
        "<!DOCTYPE S12:Envelope [<!ENTITY lol \"lol\">]><S12:Envelope",
    );
    assert_eq!(code(content_type, &dtd), "EBMS:0009");
    let deep = format!("{}{}", "<x>".repeat(200), "</x>".repeat(200));
    let nested = edit(body, "<S12:Header>", &format!("<S12:Header>{deep}"));
    assert_eq!(code(content_type, &nested), "EBMS:0009");
}

#[test]
fn an_sbdh_for_another_receiver_is_refused() -> TestResult {
    let (content_type, body) = handmade(&pki().sender.credentials, |_, header| {
        header.receiver = id("0088:5790000000029");
    })?;
    assert_eq!(code(&content_type, &body), "EBMS:0004");
    Ok(())
}

#[test]
fn a_signer_who_is_not_the_sender_fails_authentication() -> TestResult {
    let (content_type, body) = handmade(&pki().sender.credentials, |message, _| {
        message.from = "PTE000003".into();
    })?;
    assert_eq!(code(&content_type, &body), "EBMS:0101");
    Ok(())
}

#[test]
fn a_message_for_another_access_point_is_inconsistent() -> TestResult {
    let (content_type, body) = handmade(&pki().sender.credentials, |message, _| {
        message.to = "PTE000009".into();
    })?;
    assert_eq!(code(&content_type, &body), "EBMS:0003");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever is cut, inserted or flipped, `open` answers with an error, never a panic.
    #[test]
    fn open_never_panics(at in 0usize..12_000, len in 0usize..64, insert in proptest::collection::vec(any::<u8>(), 0..8), mode in 0u8..3) {
        let (content_type, body) = valid();
        let mut mutated = body.clone();
        let at = at.min(mutated.len());
        let end = (at + len).min(mutated.len());
        match mode {
            0 => { mutated.splice(at..end, insert); }
            1 => mutated.truncate(at),
            _ => for byte in &mut mutated[at..end] { *byte ^= 0x5a; },
        }
        let result = receive::open(content_type, &mutated, &access_point(&pki().receiver), SystemTime::now());
        if mutated != *body {
            // A change can be harmless (MIME headers, whitespace), but never yields an
            // answer other than the document sent or a refusal.
            if let Ok(received) = result {
                prop_assert_eq!(received.message.message_id, "handmade-1@test");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// SML → SMP → endpoint

const ZONE: &str = "sml.postbode.test";

/// Unsigned metadata for `receiver` taking the BIS invoice at `endpoint_url` with the test
/// receiver's certificate, until `expiration`.
fn metadata(receiver: &ParticipantId, endpoint_url: &str, expiration: Option<&str>) -> String {
    let mut endpoint = crate::smp::endpoint(endpoint_url);
    endpoint.certificate = pki().receiver.credentials.certificate.der().to_vec();
    endpoint.activation = None;
    endpoint.expiration = expiration.map(crate::smp::at);
    smp::signed_service_metadata_unsigned(&Metadata::Service(ServiceMetadata {
        participant: receiver.clone(),
        document_type: document_type::BIS_BILLING_INVOICE,
        processes: vec![Process {
            id: process::BIS_BILLING,
            endpoints: vec![endpoint],
        }],
    }))
}

/// `metadata` signed by `smp`. The test PKI has no SMP CA; an AP certificate of it stands in
/// for the SMP's.
fn signed_metadata(receiver: &ParticipantId, endpoint_url: &str, smp: &Credentials) -> String {
    sign_enveloped(&metadata(receiver, endpoint_url, None), smp).expect("signs")
}

/// An SMP publishing each receiver's invoice metadata as given, and a DNS server pointing
/// every receiver at it. Returns the SML resolver.
async fn network(
    entries: Vec<(ParticipantId, Option<String>)>,
) -> Result<Sml, Box<dyn std::error::Error>> {
    let (listener, base) = crate::smp_client::listener().await;
    let mut published = crate::smp_client::Published::default();
    let mut records = Vec::new();
    for (receiver, metadata) in entries {
        records.push((
            sml::dns_name(&receiver, ZONE),
            peppol::testing::dns::naptr_to(&base),
        ));
        let Some(metadata) = metadata else { continue };
        let group = ServiceGroup::new(
            &base,
            receiver.clone(),
            &[document_type::BIS_BILLING_INVOICE],
        );
        published
            .groups
            .insert(receiver.clone(), smp::service_group_xml(&group));
        published
            .metadata
            .insert((receiver, document_type::BIS_BILLING_INVOICE), metadata);
    }
    crate::smp_client::serve(listener, published);
    let dns = peppol::testing::dns::dns_server(ZONE, records).await;
    Ok(Sml::new(&SmlConfig {
        nameserver: dns,
        zone: ZONE.into(),
        timeout: Duration::from_secs(2),
    })?)
}

async fn look_up(
    sml: &Sml,
    receiver: &ParticipantId,
    document_type: &DocumentTypeId,
) -> Result<Endpoint, LookupError> {
    let smp = SmpClient::new(&SmpClientConfig::default()).expect("a client");
    find_endpoint(
        sml,
        &smp,
        &pki().trust_store(),
        receiver,
        document_type,
        &process::BIS_BILLING,
        SystemTime::now(),
    )
    .await
}

#[tokio::test]
async fn the_lookup_finds_the_signed_endpoint_and_refuses_the_rest() -> TestResult {
    let smp = &pki().sender.credentials;
    let good = id(RECEIVER);
    let tampered = id("0088:5790000000029");
    let unsigned = id("0106:12345678");
    let untrusted = id("0192:123456785");
    let unpublished = id("0088:5790000000005");
    let impostor = TestPki::impostor("SMP")?;
    let url = "https://ap.receiver.test/as4";
    let network = network(vec![
        (good.clone(), Some(signed_metadata(&good, url, smp))),
        (
            tampered.clone(),
            Some(signed_metadata(&tampered, url, smp).replace(url, "https://evil.test/as4")),
        ),
        (unsigned.clone(), Some(metadata(&unsigned, url, None))),
        (
            untrusted.clone(),
            Some(signed_metadata(&untrusted, url, &impostor.credentials)),
        ),
        (unpublished.clone(), None),
    ])
    .await?;

    let invoice = document_type::BIS_BILLING_INVOICE;
    let found = look_up(&network, &good, &invoice).await?;
    assert_eq!(found, endpoint(url.into()));

    for bad in [&tampered, &unsigned, &untrusted] {
        let error = look_up(&network, bad, &invoice).await.expect_err("refused");
        assert!(
            matches!(error, LookupError::BadSignature { .. }),
            "{bad}: {error:?}"
        );
        assert!(
            error.to_string().starts_with(&format!(
                "the SMP's metadata for receiver {bad} has a bad signature: "
            )),
            "{error}"
        );
    }

    let credit_note = document_type::BIS_BILLING_CREDIT_NOTE;
    let error = look_up(&network, &good, &credit_note)
        .await
        .expect_err("not published");
    assert_eq!(
        error.to_string(),
        format!(
            "the receiver {good} cannot take this document type: it does not publish {credit_note}"
        )
    );

    let error = look_up(&network, &unpublished, &invoice)
        .await
        .expect_err("no entry");
    assert!(matches!(error, LookupError::NoSmpEntry { .. }), "{error:?}");

    let error = look_up(&network, &id("0088:5790000000036"), &invoice)
        .await
        .expect_err("not in the SML");
    assert!(
        error.to_string().contains("is not registered in the SML"),
        "{error}"
    );
    Ok(())
}

#[tokio::test]
async fn an_expired_endpoint_is_named() -> TestResult {
    let receiver = id(RECEIVER);
    let expired = metadata(
        &receiver,
        "https://ap.receiver.test/as4",
        Some("2026-01-01T00:00:00Z"),
    );
    let signed = sign_enveloped(&expired, &pki().sender.credentials)?;
    let network = network(vec![(receiver.clone(), Some(signed))]).await?;
    let error = look_up(&network, &receiver, &document_type::BIS_BILLING_INVOICE)
        .await
        .expect_err("expired");
    assert_eq!(
        error.to_string(),
        format!(
            "the receiver {receiver} has no usable access point: the receiver's endpoint expired on 2026-01-01 00:00:00 UTC"
        )
    );
    Ok(())
}

#[tokio::test]
async fn a_redirect_must_lead_to_the_signer_it_names() -> TestResult {
    let invoice = document_type::BIS_BILLING_INVOICE;
    let honest = id(RECEIVER);
    let misnamed = id("0088:5790000000029");
    let url = "https://ap.receiver.test/as4";
    // The second SMP signs with the receiver's certificate, the first with the sender's.
    let second = &pki().receiver.credentials;
    let (listener, second_base) = crate::smp_client::listener().await;
    let mut published = crate::smp_client::Published::default();
    for receiver in [&honest, &misnamed] {
        published.metadata.insert(
            (receiver.clone(), invoice.clone()),
            signed_metadata(receiver, url, second),
        );
    }
    crate::smp_client::serve(listener, published);
    // The CertificateUID in the order and spacing SMPs write it, not ours.
    let redirect = |receiver: &ParticipantId, signer: &str| {
        let redirect = Metadata::Redirect(Redirect {
            href: smp::path::service_metadata_url(&second_base, receiver, &invoice),
            certificate_uid: format!("C=BE, O=Test AP, CN={signer}"),
        });
        sign_enveloped(
            &smp::signed_service_metadata_unsigned(&redirect),
            &pki().sender.credentials,
        )
        .expect("signs")
    };
    let network = network(vec![
        (honest.clone(), Some(redirect(&honest, "PTE000002"))),
        (misnamed.clone(), Some(redirect(&misnamed, "PTE000001"))),
    ])
    .await?;

    assert_eq!(
        look_up(&network, &honest, &invoice).await?,
        endpoint(url.into())
    );
    let error = look_up(&network, &misnamed, &invoice)
        .await
        .expect_err("signed by another SMP than the redirect names");
    assert!(
        error
            .to_string()
            .contains("the redirect names signer \"C=BE, O=Test AP, CN=PTE000001\""),
        "{error}"
    );
    Ok(())
}

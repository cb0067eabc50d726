//! `/as4` end to end: the independent `as4` package (PyPI, 0.2.0) sends a signed and encrypted
//! invoice over HTTP to the hub, which stores it for the organisation its receiver participant
//! id names and answers with a signed receipt that `as4` checks strictly. A re-sent message
//! gets the same receipt and no second document; a receiver the hub does not serve and a
//! malformed message get signed ebMS errors and store nothing.

mod support;

use std::path::{Path, PathBuf};

use peppol::as4::signal::Signal;
use serde_json::Value;
use support::Server;

const SENDER: &str = "0088:5790000000005";
const RECEIVER: &str = "0106:12345678";

const INVOICE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID><cbc:ID>INV-2026-001</cbc:ID></Invoice>"#;

/// The test PKI as PEM files, and the invoice, in a fresh directory.
fn files() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    peppol::testing::TestPki::shared()
        .write_pem(dir.path())
        .expect("PEM files");
    std::fs::write(dir.path().join("invoice.xml"), INVOICE).expect("invoice");
    dir
}

/// Sends with the `as4` peer; its JSON report. `saved` keeps the message for a re-send.
fn deliver(python: &Path, s: &Server, dir: &Path, receiver: &str, saved: Option<&Path>) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../peppol/tests/peers/as4_sender.py");
    let pki = dir.to_string_lossy();
    let invoice = dir.join("invoice.xml");
    let invoice = invoice.to_string_lossy();
    let url = s.url("/as4");
    let saved: Option<PathBuf> = saved.map(Path::to_path_buf);
    let saved = saved.as_ref().map(|p| p.to_string_lossy().into_owned());
    let mut args = vec![
        pki.as_ref(),
        url.as_str(),
        invoice.as_ref(),
        SENDER,
        receiver,
    ];
    if let Some(saved) = &saved {
        args.push(saved);
    }
    let out = peppol::testing::peers::run(python, &script, &args, b"");
    serde_json::from_slice(&out).expect("the driver prints JSON")
}

/// A firm with an organisation that receives on `RECEIVER`; its id and the firm.
async fn receiving(s: &Server) -> (hub::Principal, i64) {
    s.t.receiving_organisation(RECEIVER).await
}

async fn as4_delivers_and_accepts_our_receipt(s: &Server) {
    let Some(python) = peppol::testing::peers::python() else {
        return;
    };
    let (firm, org) = receiving(s).await;
    let dir = files();
    let saved = dir.path().join("message");
    let first = deliver(&python, s, dir.path(), RECEIVER, Some(&saved));
    assert_eq!(first["status"], 200, "{first}");
    assert_eq!(first["state"], "acknowledged", "{first}");
    assert_eq!(first["error"], Value::Null, "{first}");

    let page =
        s.t.hub
            .documents(&firm, org, 1, 10)
            .await
            .expect("documents");
    assert_eq!(page.total, 1);
    let (doc, original) =
        s.t.hub
            .document_original(&firm, page.items[0].id)
            .await
            .expect("original");
    // The sender embeds the invoice's root element in the SBDH (an XML declaration cannot be
    // embedded); that element is stored byte for byte.
    let (_, root) = INVOICE.split_once("?>\n").expect("declaration");
    assert_eq!(original, root.as_bytes(), "stored exactly as sent");
    assert_eq!(doc.channel, "peppol");
    assert_eq!(doc.sender.as_deref(), Some(SENDER));
    let exchanges =
        s.t.hub
            .peppol_exchanges(&firm, org, 10)
            .await
            .expect("exchanges");
    assert_eq!(exchanges.len(), 1);
    assert_eq!(
        exchanges[0].message_id,
        first["message_id"].as_str().unwrap_or_default()
    );
    assert_eq!(exchanges[0].from_ap, "PTE000001");

    // The sender did not see the receipt and sends the same message again.
    let again = deliver(&python, s, dir.path(), RECEIVER, Some(&saved));
    assert_eq!(again["message_id"], first["message_id"]);
    assert_eq!(again["state"], "acknowledged", "{again}");
    let page =
        s.t.hub
            .documents(&firm, org, 1, 10)
            .await
            .expect("documents");
    assert_eq!(page.total, 1, "a duplicate is not a second document");
}

async fn an_unserved_receiver_is_refused(s: &Server) {
    let Some(python) = peppol::testing::peers::python() else {
        return;
    };
    let (firm, org) = receiving(s).await;
    let dir = files();
    let answer = deliver(&python, s, dir.path(), "0106:87654321", None);
    assert_eq!(answer["state"], "rejected", "{answer}");
    assert_eq!(answer["code"], "EBMS:0004", "{answer}");
    assert_eq!(answer["detail"], "PEPPOL:NOT_SERVICED", "{answer}");
    assert_eq!(
        s.t.hub
            .documents(&firm, org, 1, 10)
            .await
            .expect("documents")
            .total,
        0
    );
}

async fn malformed_messages_get_error_signals(s: &Server) {
    let (firm, org) = receiving(s).await;
    let client = reqwest::Client::new();
    let cases = [
        (
            "multipart/related; boundary=x",
            b"no parts at all".to_vec(),
            "EBMS:0007",
        ),
        (
            "application/soap+xml",
            b"<!DOCTYPE x [<!ENTITY a \"b\">]><x/>".to_vec(),
            "EBMS:0009",
        ),
        (
            "application/soap+xml",
            b"<S12:Envelope xmlns:S12=\"http://www.w3.org/2003/05/soap-envelope\"/>".to_vec(),
            "EBMS:0009",
        ),
    ];
    for (content_type, body, code) in cases {
        let response = client
            .post(s.url("/as4"))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("answer");
        assert_eq!(response.status(), 200);
        let xml = response.text().await.expect("body");
        let doc = einvoice::xml::parse(xml.as_bytes(), einvoice::xml::Limits::default())
            .expect("a signal");
        match Signal::read(doc.root_element()).expect("readable") {
            Signal::Error { code: got, .. } => assert_eq!(got, code, "{content_type}"),
            other => panic!("expected an error signal, got {other:?}"),
        }
        // The signal is signed by this access point.
        let pki = peppol::testing::TestPki::shared();
        peppol::as4::security::verify_signal(
            &xml,
            &pki.receiver.credentials.certificate,
            &pki.trust_store(),
            std::time::SystemTime::now(),
        )
        .expect("signed by us");
    }
    assert_eq!(
        s.t.hub
            .documents(&firm, org, 1, 10)
            .await
            .expect("documents")
            .total,
        0
    );
}

/// peppol-py's test SML zone, which it cannot be told otherwise.
const PEPPOL_PY_ZONE: &str = "participant.sml.test.tech.peppol.org";

async fn peppol_py_delivers_through_sml_and_smp(s: &Server) {
    let Some(python) = peppol::testing::peers::python() else {
        return;
    };
    let (firm, org) = receiving(s).await;
    s.t.hub
        .peppol_enrol(
            &firm,
            org,
            hub::registration::Enrolment {
                participant_id: RECEIVER.into(),
                capabilities: vec![hub::registration::Capability::Invoice],
            },
        )
        .await
        .expect("enrolled in our SMP");
    let receiver = peppol::ParticipantId::parse(RECEIVER).expect("id");
    let dns = peppol::testing::dns::dns_server(
        PEPPOL_PY_ZONE,
        vec![(
            peppol::sml::dns_name(&receiver, PEPPOL_PY_ZONE),
            peppol::testing::dns::naptr_to(&s.base),
        )],
    )
    .await;
    let dir = files();
    // The UBL invoice peppol-py reads its sender and receiver from.
    let invoice = INVOICE.replace(
        "<cbc:ID>INV-2026-001</cbc:ID>",
        "<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID><cbc:ID>INV-2026-001</cbc:ID>\
         <cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID=\"0088\">5790000000005</cbc:EndpointID>\
         <cac:PostalAddress><cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country></cac:PostalAddress></cac:Party></cac:AccountingSupplierParty>\
         <cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID=\"0106\">12345678</cbc:EndpointID></cac:Party></cac:AccountingCustomerParty>",
    ).replace(
        "xmlns:cbc=",
        "xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\" xmlns:cbc=",
    );
    let path = dir.path().join("peppol-py-invoice.xml");
    std::fs::write(&path, &invoice).expect("invoice");
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../peppol/tests/peers/peppolpy_send.py");
    let pki = dir.path().to_string_lossy().into_owned();
    let port = dns.port().to_string();
    let invoice_path = path.to_string_lossy().into_owned();
    let out = tokio::task::spawn_blocking(move || {
        peppol::testing::peers::run(&python, &script, &[&pki, &port, &invoice_path], b"")
    })
    .await
    .expect("the driver ran");
    let answer: Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(answer["sent"], true, "{answer}");
    assert_eq!(answer["receiver"], "PTE000002", "{answer}");
    let page =
        s.t.hub
            .documents(&firm, org, 1, 10)
            .await
            .expect("documents");
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].sender.as_deref(), Some("0088:5790000000005"));
}

server_tests!(
    peppol_py_delivers_through_sml_and_smp,
    as4_delivers_and_accepts_our_receipt,
    an_unserved_receiver_is_refused,
    malformed_messages_get_error_signals,
);

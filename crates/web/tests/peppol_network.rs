//! Two Postbode instances on loopback exchange an invoice over Peppol, as a firm uses it
//! through the REST API: hub A looks the receiver up in the SML (a real DNS server of the
//! test) and in hub B's SMP (signed metadata checked), sends with AS4 (signed, encrypted),
//! and records B's verified receipt; B stores the invoice for the organisation the receiver
//! id names. Also: recipient lookup, a receiver that cannot take the document type, one that
//! left the SMP, an invalid invoice, and an overdrawn wallet, each refused with its reason
//! before anything is sent. And through a relay that fails on cue: a receiver that was down
//! and an answer lost on the way back, after which A's retry delivers the invoice once.

mod caller;
mod link;
mod support;

use std::time::Duration;

use caller::Caller;
use hub::Principal;
use hub::organisation::Details;
use hub::registration::{Capability, Enrolment};
use hub::testing::Backend;
use hub::wallet::Kind;
use link::Link;
use peppol::as4::{AccessPoint, RetryPolicy};
use peppol::network::Network;
use peppol::sml::SmlConfig;
use peppol::smp::client::SmpClientConfig;
use peppol::testing::TestPki;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::Server;

const ZONE: &str = "sml.postbode.test";
const SENDER: &str = "0106:12345678";
const RECEIVER: &str = "0106:87654321";

/// The official Peppol BIS example, addressed to `RECEIVER`; `None` without the corpus.
fn invoice() -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/peppol-bis/rules/examples/base-example.xml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI has the corpus at {}",
            path.display()
        );
        eprintln!("no corpus at {}; skipped", path.display());
        return None;
    };
    let addressed = text.replace(
        r#"<cbc:EndpointID schemeID="0002">FR23342</cbc:EndpointID>"#,
        r#"<cbc:EndpointID schemeID="0106">87654321</cbc:EndpointID>"#,
    );
    assert_ne!(addressed, text, "the example's buyer endpoint changed");
    Some(addressed)
}

/// Hub B with its client organisation enrolled as `RECEIVER` for invoices; reached by
/// senders at `public` when that is given.
async fn receiving_hub(backend: Backend, public: Option<&str>) -> Option<(Server, Principal, i64)> {
    let b = match public {
        Some(public) => {
            Server::start_behind(backend, public, |state| {
                state.with_access_point(support::test_access_point())
            })
            .await?
        }
        None => Server::start(backend).await?,
    };
    let (firm, org) = receiving_organisation(&b).await;
    Some((b, firm, org))
}

/// On `b`, a firm whose client organisation is enrolled as `RECEIVER` for invoices.
async fn receiving_organisation(b: &Server) -> (Principal, i64) {
    let firm = b.t.sign_up("Ontvanger", "a@ontvanger.test").await;
    let org =
        b.t.hub
            .create_organisation(
                &firm,
                Details {
                    name: "Klant B.V.".into(),
                    ..Details::default()
                },
            )
            .await
            .expect("organisation");
    enrol(b, &firm, org.id, vec![Capability::Invoice]).await;
    (firm, org.id)
}

async fn enrol(b: &Server, firm: &Principal, org: i64, capabilities: Vec<Capability>) {
    b.t.hub
        .peppol_enrol(
            firm,
            org,
            Enrolment {
                participant_id: RECEIVER.into(),
                capabilities,
            },
        )
        .await
        .expect("enrolled");
}

/// Hub A: access point PTE000001, reaching B through the test SML.
async fn sending_hub(backend: Backend, b: &Server) -> Server {
    let network = network_to(&b.base).await;
    let ap = AccessPoint {
        credentials: TestPki::shared().sender.credentials.clone(),
        trust: TestPki::shared().trust_store(),
    };
    Server::start_with(backend, |state| {
        state.with_access_point(ap).with_network(network)
    })
    .await
    .expect("the backend of B is there for A too")
}

/// The Peppol network as a sender sees it: a test SML (a real DNS server) that names the SMP
/// at `smp` for `RECEIVER`.
async fn network_to(smp: &str) -> Network {
    let receiver = peppol::ParticipantId::parse(RECEIVER).expect("id");
    let dns = peppol::testing::dns::dns_server(
        ZONE,
        vec![(
            peppol::sml::dns_name(&receiver, ZONE),
            peppol::testing::dns::naptr_to(smp),
        )],
    )
    .await;
    Network::new(
        &SmlConfig {
            nameserver: dns,
            zone: ZONE.into(),
            timeout: Duration::from_secs(2),
        },
        &SmpClientConfig::default(),
        TestPki::shared().trust_store(),
        reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            // A fresh connection per request, so a relay's failure armed for the next
            // connection meets the next attempt.
            .pool_max_idle_per_host(0)
            .build()
            .expect("client"),
        RetryPolicy {
            attempts: 3,
            first_delay: Duration::from_millis(50),
            max_delay: Duration::from_millis(100),
        },
    )
    .expect("network")
}

async fn send(firm: &Caller, org: i64, invoice: &str) -> (StatusCode, Value) {
    let r = firm
        .request(
            Method::POST,
            &format!("/api/v1/organisations/{org}/peppol/send"),
        )
        .header("content-type", "application/xml")
        .body(invoice.to_owned())
        .send()
        .await
        .expect("answer");
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// On hub A, sending for free: a firm and its organisation enrolled as `SENDER`.
async fn sending_firm(a: &Server) -> (Caller, i64) {
    for kind in Kind::CHARGES {
        a.t.hub
            .set_price(&Principal::System, kind, 0)
            .await
            .expect("free, to start with");
    }
    let firm = Caller::sign_up(a, "Kantoor", "a@kantoor.test").await;
    let created = firm
        .post("/api/v1/organisations", json!({ "name": "Verkoper B.V." }))
        .await;
    let org = created.body["id"].as_i64().expect("organisation id");
    let enrolled = firm
        .put(
            &format!("/api/v1/organisations/{org}/peppol"),
            json!({ "participant_id": SENDER }),
        )
        .await;
    assert_eq!(enrolled.status, StatusCode::OK, "{enrolled:?}");
    (firm, org)
}

async fn two_hubs_exchange_an_invoice(backend: Backend) {
    let Some(invoice) = invoice() else { return };
    let Some((b, b_firm, b_org)) = receiving_hub(backend, None).await else {
        eprintln!("POSTBODE_TEST_PG is not set; PostgreSQL case skipped");
        return;
    };
    let a = sending_hub(backend, &b).await;
    let (firm, org) = sending_firm(&a).await;

    // Recipient lookup through the SML and B's SMP.
    let found = firm
        .get(&format!("/api/v1/peppol/recipients/{RECEIVER}"))
        .await;
    assert_eq!(found.status, StatusCode::OK, "{found:?}");
    assert_eq!(found.body["receives_invoices"], true, "{found:?}");
    assert_eq!(found.body["smp"], b.base.as_str());
    let unknown = firm.get("/api/v1/peppol/recipients/0106:11111111").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{unknown:?}");

    // The exchange.
    let (status, sent) = send(&firm, org, &invoice).await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["status"], "sent");
    let received =
        b.t.hub
            .documents(&b_firm, b_org, 1, 10)
            .await
            .expect("B's documents");
    assert_eq!(received.total, 1);
    let (doc, original) =
        b.t.hub
            .document_original(&b_firm, received.items[0].id)
            .await
            .expect("original");
    let root = &invoice[invoice.find("<Invoice").expect("root")..];
    assert_eq!(
        String::from_utf8_lossy(&original),
        root.trim_end(),
        "B holds A's invoice"
    );
    assert_eq!(doc.sender.as_deref(), Some(SENDER));
    let health = firm
        .read(&format!("/api/v1/organisations/{org}/peppol"))
        .await;
    assert_eq!(health["last_outbound"]["status"], "sent", "{health}");
    assert_eq!(health["last_outbound"]["to_ap"], "PTE000002", "{health}");
    assert_eq!(health["last_outbound"]["message_id"], sent["message_id"]);

    // Refused before anything is sent, each with its reason.
    let (status, problem) = send(
        &firm,
        org,
        &invoice.replace("<cbc:ID>Snippet1</cbc:ID>", ""),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("official rules"),
        "{problem}"
    );
    enrol(&b, &b_firm, b_org, vec![Capability::CreditNote]).await;
    let (status, problem) = send(&firm, org, &invoice).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("cannot take this document type"),
        "{problem}"
    );
    b.t.hub
        .peppol_deregister(&b_firm, b_org)
        .await
        .expect("left");
    let (status, problem) = send(&firm, org, &invoice).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    enrol(&b, &b_firm, b_org, vec![Capability::Invoice]).await;
    a.t.hub
        .set_price(&Principal::System, Kind::ApiSend, 1_000)
        .await
        .expect("price");
    let (status, _) = send(&firm, org, &invoice).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "the first paid send overdraws the wallet"
    );
    let (status, problem) = send(&firm, org, &invoice).await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED, "{problem}");
    assert_eq!(
        b.t.hub
            .documents(&b_firm, b_org, 1, 10)
            .await
            .expect("documents")
            .total,
        2,
        "only the two accepted sends arrived"
    );
    a.finish().await;
    b.finish().await;
}

/// A's first attempt meets a receiver that is down, and B's receipt for the second is lost on
/// the way back: the third attempt carries the same message, B recognises its MessageId and
/// answers with the receipt it gave before, and B holds the invoice once. A receiver that
/// stays down leaves the invoice recorded as not delivered.
async fn a_retried_message_arrives_once(backend: Backend) {
    let Some(invoice) = invoice() else { return };
    let mut link = Link::bind().await;
    let Some((b, b_firm, b_org)) = receiving_hub(backend, Some(&link.base)).await else {
        eprintln!("POSTBODE_TEST_PG is not set; PostgreSQL case skipped");
        return;
    };
    link.relay_to(&b.base);
    let a = sending_hub(backend, &b).await;
    let (firm, org) = sending_firm(&a).await;
    let b_documents = || async {
        b.t.hub
            .documents(&b_firm, b_org, 1, 10)
            .await
            .expect("B's documents")
            .total
    };

    link.down_for(1);
    link.lose_answers(1);
    let (status, sent) = send(&firm, org, &invoice).await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["status"], "sent");
    assert_eq!(link.cut(), 2, "the first two attempts failed");
    assert_eq!(
        b_documents().await,
        1,
        "the re-sent message is not a second invoice"
    );
    let exchanges =
        b.t.hub
            .peppol_exchanges(&b_firm, b_org, 10)
            .await
            .expect("B's exchanges");
    assert_eq!(exchanges.len(), 1);
    assert_eq!(
        exchanges[0].message_id,
        sent["message_id"].as_str().unwrap_or_default()
    );
    let health = firm
        .read(&format!("/api/v1/organisations/{org}/peppol"))
        .await;
    assert_eq!(health["last_outbound"]["status"], "sent", "{health}");

    link.down_for(3);
    let (status, problem) = send(&firm, org, &invoice).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("after 3 attempt(s)"),
        "{problem}"
    );
    assert_eq!(link.cut(), 5);
    assert_eq!(b_documents().await, 1);
    let health = firm
        .read(&format!("/api/v1/organisations/{org}/peppol"))
        .await;
    assert_eq!(health["last_outbound"]["status"], "failed", "{health}");
    a.finish().await;
    b.finish().await;
}

/// Two organisations on one hub: the invoice leaves over Peppol and comes back to the same
/// access point (its own SMP names it), and the hub keeps both ends under the one MessageId:
/// the seller's outbound message and the buyer's inbound one.
async fn one_hub_serves_both_ends(backend: Backend) {
    let Some(invoice) = invoice() else { return };
    let mut link = Link::bind().await;
    let network = network_to(&link.base).await;
    let Some(hub) = Server::start_behind(backend, &link.base, |state| {
        state
            .with_access_point(support::test_access_point())
            .with_network(network)
    })
    .await
    else {
        eprintln!("POSTBODE_TEST_PG is not set; PostgreSQL case skipped");
        return;
    };
    link.relay_to(&hub.base);
    let (buyer_firm, buyer) = receiving_organisation(&hub).await;
    let (firm, org) = sending_firm(&hub).await;

    let (status, sent) = send(&firm, org, &invoice).await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let message_id = sent["message_id"].as_str().unwrap_or_default();
    let received = hub
        .t
        .hub
        .peppol_exchanges(&buyer_firm, buyer, 10)
        .await
        .expect("the buyer's exchanges");
    assert_eq!(received.len(), 1);
    assert_eq!(
        (
            received[0].message_id.as_str(),
            received[0].direction.as_str()
        ),
        (message_id, "inbound")
    );
    let health = firm
        .read(&format!("/api/v1/organisations/{org}/peppol"))
        .await;
    assert_eq!(health["last_outbound"]["status"], "sent", "{health}");
    assert_eq!(health["last_outbound"]["message_id"], message_id);
    hub.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_one_hub_serves_both_ends() {
    one_hub_serves_both_ends(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_one_hub_serves_both_ends() {
    one_hub_serves_both_ends(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_retried_message_arrives_once() {
    a_retried_message_arrives_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_retried_message_arrives_once() {
    a_retried_message_arrives_once(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_hubs_exchange_an_invoice() {
    two_hubs_exchange_an_invoice(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_hubs_exchange_an_invoice() {
    two_hubs_exchange_an_invoice(Backend::Postgres).await;
}

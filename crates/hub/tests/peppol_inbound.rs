//! Received Peppol messages: routed by the receiver's participant id, stored with their
//! receipt in one transaction, charged as a received XML invoice (even from an overdrawn
//! wallet), and a duplicate MessageId gets the first receipt back without a second document.

use hub::Principal;
use hub::outbound::{Outcome, Plan};
use hub::peppol::{Inbound, Stored};
use hub::testing::TestHub;
use hub::wallet::Kind;

const RECEIVER: &str = "0106:12345678";

/// A firm with one organisation that has `RECEIVER` as its participant id.
async fn receiving_organisation(t: &TestHub) -> (Principal, i64) {
    t.receiving_organisation(RECEIVER).await
}

fn inbound(message_id: &str) -> Inbound {
    Inbound {
        message_id: message_id.into(),
        from_ap: "PTE000001".into(),
        to_ap: "PTE000002".into(),
        sender: "0088:5790000000005".into(),
        receiver: peppol::ParticipantId::parse(RECEIVER).expect("id"),
        document_type: "busdox-docid-qns::urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1".into(),
        document: b"<Invoice>original bytes</Invoice>".to_vec(),
    }
}

async fn stores_routes_and_charges(t: &TestHub) {
    let (firm, org) = receiving_organisation(t).await;
    let message = inbound("m-1@sender");
    let Stored::Document(id) = t
        .hub
        .store_inbound(message.clone(), "<receipt-1/>".into())
        .await
        .expect("store")
    else {
        panic!("a first delivery is stored");
    };
    let (doc, original) = t.hub.document_original(&firm, id).await.expect("document");
    assert_eq!(original, message.document);
    assert_eq!(doc.channel, "peppol");
    assert_eq!(doc.direction, "inbound");
    assert_eq!(doc.organisation_id, org);
    assert_eq!(
        doc.sha256,
        hub::document::content_address(&message.document)
    );
    assert_eq!(doc.sender.as_deref(), Some("0088:5790000000005"));

    assert_eq!(doc.size, message.document.len());
    let page = t.hub.documents(&firm, org, 1, 20).await.expect("list");
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0], doc, "the list shows what the document shows");
    let exchanges = t
        .hub
        .peppol_exchanges(&firm, org, 10)
        .await
        .expect("exchanges");
    assert_eq!(exchanges.len(), 1);
    assert_eq!(exchanges[0].status, "received");
    assert_eq!(exchanges[0].document_id, Some(id));

    let charged = t
        .hub
        .transactions(&firm, None, 10)
        .await
        .expect("transactions");
    assert_eq!(charged.len(), 1);
    assert_eq!(charged[0].kind, Kind::XmlReceived);
    assert_eq!(
        charged[0].reference.as_deref(),
        Some(format!("document:{id}").as_str())
    );

    let entries = t.hub.audit_log(&firm, None, 50).await.expect("audit");
    assert!(
        entries
            .iter()
            .any(|e| e.action == "document.received" && e.subject == format!("document:{id}"))
    );
}

async fn a_duplicate_gets_the_first_receipt(t: &TestHub) {
    let (firm, org) = receiving_organisation(t).await;
    let message = inbound("m-dup@sender");
    t.hub
        .store_inbound(message.clone(), "<receipt-first/>".into())
        .await
        .expect("store");
    // Delivered again (the sender did not see the receipt): one document, the first receipt.
    let again = t
        .hub
        .store_inbound(message.clone(), "<receipt-second/>".into())
        .await
        .expect("store");
    assert_eq!(
        again,
        Stored::Duplicate {
            receipt: "<receipt-first/>".into()
        }
    );
    assert_eq!(
        t.hub
            .documents(&firm, org, 1, 20)
            .await
            .expect("list")
            .total,
        1
    );
}

async fn unknown_receivers_are_not_serviced(t: &TestHub) {
    let (firm, org) = receiving_organisation(t).await;
    let mut message = inbound("m-x@sender");
    message.receiver = peppol::ParticipantId::parse("0106:87654321").expect("id");
    assert_eq!(
        t.hub
            .store_inbound(message, "<r/>".into())
            .await
            .expect("answered"),
        Stored::NotServiced
    );
    assert_eq!(
        t.hub
            .documents(&firm, org, 1, 20)
            .await
            .expect("list")
            .total,
        0
    );
}

async fn an_overdrawn_wallet_still_receives(t: &TestHub) {
    let (firm, org) = receiving_organisation(t).await;
    t.hub
        .set_price(&Principal::System, Kind::XmlReceived, 500)
        .await
        .expect("price");
    for n in 0..2 {
        let stored = t
            .hub
            .store_inbound(inbound(&format!("m-{n}@sender")), "<r/>".into())
            .await
            .expect("received although overdrawn");
        assert!(matches!(stored, Stored::Document(_)));
    }
    assert_eq!(
        t.hub
            .documents(&firm, org, 1, 20)
            .await
            .expect("list")
            .total,
        2
    );
}

async fn others_cannot_read_the_documents(t: &TestHub) {
    let (firm, org) = receiving_organisation(t).await;
    let Stored::Document(id) = t
        .hub
        .store_inbound(inbound("m-iso@sender"), "<r/>".into())
        .await
        .expect("store")
    else {
        panic!("stored");
    };
    let other = t.sign_up("Ander Kantoor", "b@ander.test").await;
    assert!(matches!(
        t.hub.document_original(&other, id).await,
        Err(hub::Error::NotFound(_))
    ));
    assert!(matches!(
        t.hub.documents(&other, org, 1, 20).await,
        Err(hub::Error::NotFound(_))
    ));
    assert!(t.hub.document_original(&firm, id).await.is_ok());
}

/// Delivers `messages` at once, each with its own receipt `<receipt-N/>`; what became of
/// each, by index.
async fn deliver_together(
    t: &TestHub,
    messages: Vec<Inbound>,
) -> Vec<(usize, hub::Result<Stored>)> {
    let mut deliveries = tokio::task::JoinSet::new();
    for (n, message) in messages.into_iter().enumerate() {
        let hub = t.hub.clone();
        deliveries.spawn(async move {
            let stored = hub.store_inbound(message, format!("<receipt-{n}/>")).await;
            (n, stored)
        });
    }
    let mut results = Vec::new();
    while let Some(joined) = deliveries.join_next().await {
        results.push(joined.expect("a delivery task"));
    }
    results.sort_by_key(|(n, _)| *n);
    results
}

/// Deliveries that arrive together are written together (see the hub's `inbox`): each is
/// stored once, a MessageId delivered twice gets the receipt stored the first time, a
/// message for a stranger is refused alone, and the wallet, its monthly usage and the audit
/// chain come out as if the messages had been stored one by one.
async fn simultaneous_deliveries_are_stored_together(t: &TestHub) {
    const PRICE: i64 = 7;
    let (firm, org) = receiving_organisation(t).await;
    t.hub
        .set_price(&Principal::System, Kind::XmlReceived, PRICE)
        .await
        .expect("price");

    // Messages 20 to 23 repeat the MessageIds of 0 to 3.
    let first = (0..24)
        .map(|n| inbound(&format!("m-{}@sender", n % 20)))
        .collect();
    let mut stored = std::collections::BTreeSet::new();
    let mut duplicates = Vec::new();
    for (n, result) in deliver_together(t, first).await {
        let id = format!("m-{}@sender", n % 20);
        match result.expect("stored") {
            Stored::Document(_) => assert!(stored.insert(id), "stored twice: {n}"),
            Stored::Duplicate { receipt } => duplicates.push((id, receipt)),
            Stored::NotServiced => panic!("{n} is for the organisation"),
        }
    }
    assert_eq!((stored.len(), duplicates.len()), (20, 4));
    for (id, receipt) in duplicates {
        let first = t
            .hub
            .store_inbound(inbound(&id), "<receipt-again/>".into())
            .await
            .expect("answered");
        assert_eq!(first, Stored::Duplicate { receipt }, "{id}");
    }

    // Among others, a message for a stranger is refused; the others are stored.
    let second = (0..6)
        .map(|n| {
            let mut message = inbound(&format!("late-{n}@sender"));
            if n == 2 {
                message.receiver = peppol::ParticipantId::parse("0106:87654321").expect("id");
            }
            message
        })
        .collect();
    for (n, result) in deliver_together(t, second).await {
        match (n, result) {
            (2, Ok(Stored::NotServiced)) => {}
            (n, Ok(Stored::Document(_))) if n != 2 => {}
            (n, other) => panic!("{n}: {other:?}"),
        }
    }
    // The MessageId of a message this hub sent may come back in: two organisations on the
    // hub exchanging an invoice, one sends and the other receives it.
    let plan = Plan {
        sender: peppol::ParticipantId::parse(RECEIVER).expect("id"),
        receiver: peppol::ParticipantId::parse(RECEIVER).expect("id"),
        document_type: peppol::document_type::BIS_BILLING_INVOICE,
        process: peppol::process::BIS_BILLING,
        country: "NL".into(),
    };
    t.hub
        .record_peppol_send(
            &firm,
            org,
            &plan,
            b"<Invoice/>",
            "own@sender",
            ("PTE000002", "PTE000002"),
            &Outcome::Failed {
                reason: "recorded as not delivered, so it costs nothing".into(),
            },
        )
        .await
        .expect("an outbound message");
    assert!(matches!(
        t.hub
            .store_inbound(inbound("own@sender"), "<receipt-own/>".into())
            .await,
        Ok(Stored::Document(_))
    ));
    assert_eq!(
        t.hub
            .documents(&firm, org, 1, 50)
            .await
            .expect("list")
            .total,
        27,
        "26 received and 1 sent"
    );

    let mut charges = t
        .hub
        .transactions(&firm, None, 100)
        .await
        .expect("transactions");
    charges.reverse();
    assert_eq!(charges.len(), 26);
    for pair in charges.windows(2) {
        assert_eq!(pair[1].amount_cents, -PRICE);
        assert_eq!(
            pair[1].balance_after_cents,
            pair[0].balance_after_cents - PRICE,
            "each charge's balance follows the one before"
        );
    }
    let usage = t.hub.paid_by(&firm).await.expect("usage");
    let row = usage
        .iter()
        .find(|r| r.organisation_id == org)
        .expect("the organisation's usage");
    assert_eq!((row.transactions, row.cents), (26, 26 * PRICE));

    let audit = hub::audit::verify(t.hub.db()).await.expect("verify");
    assert!(audit.breaks.is_empty(), "{:?}", audit.breaks);
    let received = t
        .hub
        .audit_log(&firm, None, 100)
        .await
        .expect("audit")
        .into_iter()
        .filter(|e| e.action == "document.received")
        .count();
    assert_eq!(received, 26);
}

/// Without its database the hub stores nothing and says so, so the sender gets no receipt.
async fn a_storage_failure_is_an_error(t: &TestHub) {
    receiving_organisation(t).await;
    t.hub.db().clone().close().await.expect("closed");
    let stored = t
        .hub
        .store_inbound(inbound("m-lost@sender"), "<r/>".into())
        .await;
    assert!(matches!(stored, Err(hub::Error::Storage(_))), "{stored:?}");
}

hub::on_both_backends!(
    a_storage_failure_is_an_error,
    simultaneous_deliveries_are_stored_together,
    stores_routes_and_charges,
    a_duplicate_gets_the_first_receipt,
    unknown_receivers_are_not_serviced,
    an_overdrawn_wallet_still_receives,
    others_cannot_read_the_documents,
);

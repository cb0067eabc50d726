//! Received Peppol messages: routed by the receiver's participant id, stored with their
//! receipt in one transaction, charged as a received XML invoice (even from an overdrawn
//! wallet), and a duplicate MessageId gets the first receipt back without a second document.

use hub::Principal;
use hub::organisation::Details;
use hub::peppol::{Inbound, Route, Stored};
use hub::testing::TestHub;
use hub::wallet::Kind;

const RECEIVER: &str = "0106:12345678";

/// A firm with one organisation that has `RECEIVER` as its participant id.
async fn receiving_organisation(t: &TestHub) -> (Principal, i64) {
    let firm = t.sign_up("Kantoor", "a@kantoor.test").await;
    let org = t
        .hub
        .create_organisation(
            &firm,
            Details {
                name: "Bakkerij B.V.".into(),
                ..Details::default()
            },
        )
        .await
        .expect("organisation");
    t.hub
        .add_participant_id(&firm, org.id, RECEIVER)
        .await
        .expect("participant id");
    (firm, org.id)
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
    assert_eq!(
        t.hub
            .peppol_route(&message.message_id, &message.receiver)
            .await
            .expect("route"),
        Route::Organisation(org)
    );
    let Stored::Document(id) = t
        .hub
        .store_inbound(&message, "<receipt-1/>")
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

    let page = t.hub.documents(&firm, org, 1, 20).await.expect("list");
    assert_eq!(page.total, 1);
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
        .store_inbound(&message, "<receipt-first/>")
        .await
        .expect("store");
    assert_eq!(
        t.hub
            .peppol_route(&message.message_id, &message.receiver)
            .await
            .expect("route"),
        Route::Duplicate {
            receipt: "<receipt-first/>".into()
        }
    );
    // Two deliveries that both passed routing before either stored: one document.
    let racing = t
        .hub
        .store_inbound(&message, "<receipt-second/>")
        .await
        .expect("store");
    assert_eq!(
        racing,
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
            .peppol_route(&message.message_id, &message.receiver)
            .await
            .expect("route"),
        Route::NotServiced
    );
    assert!(t.hub.store_inbound(&message, "<r/>").await.is_err());
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
            .store_inbound(&inbound(&format!("m-{n}@sender")), "<r/>")
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
        .store_inbound(&inbound("m-iso@sender"), "<r/>")
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

hub::on_both_backends!(
    stores_routes_and_charges,
    a_duplicate_gets_the_first_receipt,
    unknown_receivers_are_not_serviced,
    an_overdrawn_wallet_still_receives,
    others_cannot_read_the_documents,
);

//! The hub's SMP: an enrolled organisation's service group and signed metadata, read by our
//! SMP client (which checks the signature against the access point's certificate) and by the
//! independent peppol-py; the business card; and nothing for participants not registered
//! here, or after deregistration.

mod support;

use std::path::Path;

use hub::organisation::Details;
use hub::registration::{Capability, Enrolment};
use peppol::smp::client::{SmpClient, SmpClientConfig};
use peppol::{DocumentTypeId, ParticipantId};
use serde_json::Value;
use support::Server;

const PARTICIPANT: &str = "0106:12345678";

async fn enrolled(s: &Server) -> (hub::Principal, i64) {
    let firm = s.t.sign_up("Kantoor", "a@kantoor.test").await;
    let org =
        s.t.hub
            .create_organisation(
                &firm,
                Details {
                    name: "Bakker & Zn B.V.".into(),
                    ..Details::default()
                },
            )
            .await
            .expect("organisation");
    let registration =
        s.t.hub
            .peppol_enrol(
                &firm,
                org.id,
                Enrolment {
                    participant_id: PARTICIPANT.into(),
                    capabilities: vec![Capability::Invoice, Capability::CreditNote],
                },
            )
            .await
            .expect("enrolled");
    assert_eq!(registration.participant_id, PARTICIPANT);
    let with_id =
        s.t.hub
            .organisation(&firm, org.id)
            .await
            .expect("organisation");
    assert_eq!(
        with_id.participant_ids,
        [PARTICIPANT],
        "enrolling adds the id"
    );
    (firm, org.id)
}

async fn metadata_is_published_and_signed(s: &Server) {
    let (firm, org) = enrolled(s).await;
    let client = SmpClient::new(&SmpClientConfig::default()).expect("client");
    let participant = ParticipantId::parse(PARTICIPANT).expect("id");
    let group = client
        .service_group(&s.base, &participant)
        .await
        .expect("service group");
    assert_eq!(group.references.len(), 2);
    let invoice: DocumentTypeId = Capability::Invoice.document_type();
    assert!(group.href_for(&invoice).is_some());
    assert!(
        group
            .href_for(&Capability::InvoiceResponse.document_type())
            .is_none()
    );

    let fetched = client
        .service_metadata(&s.base, &participant, &invoice)
        .await
        .expect("metadata");
    let signer = peppol::xmlsec::verify_enveloped(&String::from_utf8_lossy(&fetched.bytes))
        .expect("the signature verifies");
    let pki = peppol::testing::TestPki::shared();
    assert_eq!(signer, pki.receiver.credentials.certificate);
    let endpoint = peppol::smp::endpoint_for(
        &fetched.metadata,
        &Capability::Invoice.process(),
        peppol::smp::TRANSPORT_AS4,
        chrono::Utc::now(),
    )
    .expect("an AS4 endpoint");
    assert_eq!(endpoint.address, s.url("/as4"));
    assert_eq!(
        endpoint.certificate,
        pki.receiver.credentials.certificate.der()
    );

    // Tampering with the served document breaks the signature.
    let tampered = String::from_utf8_lossy(&fetched.bytes).replace("/as4", "/evil");
    assert!(peppol::xmlsec::verify_enveloped(&tampered).is_err());

    // A document type it does not take, an unknown participant, and other paths: 404.
    let http = reqwest::Client::new();
    for path in [
        format!(
            "/iso6523-actorid-upis::{PARTICIPANT}/services/{}",
            peppol::smp::path::encode_segment(
                &Capability::InvoiceResponse.document_type().to_string()
            )
        ),
        "/iso6523-actorid-upis::0106:87654321".to_owned(),
        "/not-a-participant".to_owned(),
    ] {
        let status = http
            .get(s.url(&path))
            .send()
            .await
            .expect("answer")
            .status();
        assert_eq!(status, 404, "{path}");
    }

    let card = http
        .get(s.url(&format!(
            "/businesscard/iso6523-actorid-upis::{PARTICIPANT}"
        )))
        .send()
        .await
        .expect("business card")
        .text()
        .await
        .expect("body");
    assert!(card.contains("<Name>Bakker &amp; Zn B.V.</Name>"), "{card}");
    assert!(card.contains("<CountryCode>NL</CountryCode>"), "{card}");

    // A registered id cannot be removed from the organisation while it is published.
    assert!(matches!(
        s.t.hub.remove_participant_id(&firm, org, PARTICIPANT).await,
        Err(hub::Error::Conflict(_))
    ));

    // Deregistered: the SMP no longer knows the participant.
    s.t.hub
        .peppol_deregister(&firm, org)
        .await
        .expect("deregistered");
    s.t.hub
        .remove_participant_id(&firm, org, PARTICIPANT)
        .await
        .expect("removable once deregistered");
    assert!(client.service_group(&s.base, &participant).await.is_err());
}

async fn peppol_py_reads_our_smp(s: &Server) {
    let Some(python) = peppol::testing::peers::python() else {
        return;
    };
    enrolled(s).await;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../peppol/tests/peers/smp_smp.py");
    let invoice = Capability::Invoice.document_type();
    let out = peppol::testing::peers::run(
        &python,
        &script,
        &[&s.base, PARTICIPANT, invoice.value()],
        b"",
    );
    let read: Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(
        read["transport_profile"],
        peppol::smp::TRANSPORT_AS4,
        "{read}"
    );
    assert_eq!(read["endpoint"], s.url("/as4"), "{read}");
    assert_eq!(read["hrefs"].as_array().map(Vec::len), Some(2), "{read}");
}

async fn migration_keys_are_shown_once_and_expire(s: &Server) {
    let (firm, org) = enrolled(s).await;
    let participant = ParticipantId::parse(PARTICIPANT).expect("id");
    let key = s.t.hub.peppol_migration_key(&firm, org).await.expect("key");
    assert_eq!(key.len(), 24);
    assert!(key.chars().all(|c| c.is_ascii_alphanumeric()));
    let hub = &s.t.hub;
    assert!(
        hub.peppol_migration_key_valid(&participant, &key)
            .await
            .expect("check")
    );
    assert!(
        !hub.peppol_migration_key_valid(&participant, "wrong")
            .await
            .expect("check")
    );
    let newer = hub.peppol_migration_key(&firm, org).await.expect("key");
    assert!(
        !hub.peppol_migration_key_valid(&participant, &key)
            .await
            .expect("check")
    );
    hub.clock().advance(chrono::Duration::days(31));
    assert!(
        !hub.peppol_migration_key_valid(&participant, &newer)
            .await
            .expect("check")
    );
    let health = hub.peppol_health(&firm, org).await.expect("health");
    assert!(
        health
            .registration
            .is_some_and(|r| r.migration_key_expires_at.is_some())
    );
    let entries = hub.audit_log(&firm, None, 50).await.expect("audit");
    assert!(
        entries
            .iter()
            .all(|e| !e.details.to_string().contains(&newer)),
        "no key in the log"
    );
}

server_tests!(
    metadata_is_published_and_signed,
    peppol_py_reads_our_smp,
    migration_keys_are_shown_once_and_expire,
);

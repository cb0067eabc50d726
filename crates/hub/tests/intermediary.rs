//! The intermediary flow through the service layer, on SQLite and PostgreSQL: the five steps,
//! replay and expiry of links, key release, rotation and revocation, and that a refused step
//! writes nothing.

use chrono::Duration;
use hub::authorisation::{Decision, NewRequest, PaidBy, Status};
use hub::organisation::Ledger;
use hub::subscription::Tier;
use hub::testing::TestHub;
use hub::{Error, Principal};

fn request(email: &str) -> NewRequest {
    NewRequest {
        ledger: Ledger::Twinfield,
        client_email: email.into(),
        client_name: "Bakkerij Van Dijk B.V.".into(),
        kvk: Some("12345678".into()),
        vat: Some("NL123456789B01".into()),
        participant_id: Some("0106:12345678".into()),
        paid_by: PaidBy::Intermediary,
    }
}

/// The token of the newest activation link mailed to `to`.
fn activation_token(t: &TestHub, to: &str) -> String {
    t.mailed_token(to, "/activate/")
}

async fn five_steps(t: &TestHub) {
    let firm = t.sign_up("Kantoor De Vries", "anna@devries.test").await;
    // Step 1 needs Basic: the Free tier is refused with the tier named.
    let refused = t
        .hub
        .request_authorisation(&firm, request("client@bakkerij.test"))
        .await;
    assert!(
        matches!(
            refused,
            Err(Error::TierRequired {
                tier: Tier::Basic,
                ..
            })
        ),
        "{refused:?}"
    );
    assert!(t.mails().is_empty(), "a refused request mails nothing");
    t.hub.set_tier(&firm, Tier::Basic).await.expect("tier");

    // Steps 1 and 2: the request is stored and the client gets a link.
    let (req, mailed) = t
        .hub
        .request_authorisation(&firm, request("Client@Bakkerij.test"))
        .await
        .expect("request");
    assert!(mailed);
    assert_eq!(req.status, Status::Pending);
    assert_eq!(req.client_email, "client@bakkerij.test");
    let token = activation_token(t, "client@bakkerij.test");

    // Step 3: the client opens the link and signs up.
    let invitation = t.hub.invitation(&token).await.expect("invitation");
    assert_eq!(invitation.intermediary, "Kantoor De Vries");
    assert_eq!(invitation.request.paid_by, PaidBy::Intermediary);
    let client = t.sign_up("Bakkerij Van Dijk", "client@bakkerij.test").await;

    // Step 4: acceptance creates the organisation and partnership at once.
    let decided = t
        .hub
        .decide_authorisation(
            &client,
            Decision {
                token: token.clone(),
                accept: true,
                organisation_id: None,
            },
        )
        .await
        .expect("accept");
    assert_eq!(decided.status, Status::Accepted);
    let partnership_id = decided.partnership_id.expect("partnership");
    let seen_by_firm = t
        .hub
        .partnership(&firm, partnership_id)
        .await
        .expect("firm sees it");
    let seen_by_client = t
        .hub
        .partnership(&client, partnership_id)
        .await
        .expect("client sees it");
    assert!(seen_by_firm.viewer_is_intermediary && !seen_by_client.viewer_is_intermediary);
    assert_eq!(seen_by_firm.app_key, None, "no keys before step 5");
    let org = t
        .hub
        .organisation(&firm, seen_by_firm.organisation_id)
        .await
        .expect("firm reaches the organisation");
    assert_eq!(org.details.kvk.as_deref(), Some("12345678"));
    assert_eq!(org.participant_ids, vec!["0106:12345678".to_owned()]);

    // The link works once.
    assert!(matches!(
        t.hub.invitation(&token).await,
        Err(Error::Gone(_))
    ));
    let replay = t
        .hub
        .decide_authorisation(
            &client,
            Decision {
                token,
                accept: true,
                organisation_id: None,
            },
        )
        .await;
    assert!(matches!(replay, Err(Error::Gone(_))), "{replay:?}");

    // Step 5: keys are released once, reach exactly that organisation, and rotate.
    let keys = t
        .hub
        .release_keys(&firm, partnership_id)
        .await
        .expect("keys");
    let (url, app_key, secret) =
        hub::partnership::parse_quick_connect(&keys.quick_connect).expect("quick connect");
    assert_eq!(
        (url.as_str(), app_key.as_str(), secret.as_str()),
        (
            "http://postbode.test",
            keys.app_key.as_str(),
            keys.secret.as_str()
        )
    );
    let principal = t
        .hub
        .authenticate_key(&keys.app_key, &keys.secret)
        .await
        .expect("keys authenticate");
    assert_eq!(principal.organisation_id, org.id);
    let key = Principal::Key(principal);
    assert_eq!(
        t.hub
            .organisation(&key, org.id)
            .await
            .expect("own organisation")
            .id,
        org.id
    );
    let own = t
        .hub
        .organisations(&key, &Default::default())
        .await
        .expect("list");
    assert_eq!(
        own.items.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![org.id]
    );
    assert!(matches!(
        t.hub.authenticate_key(&keys.app_key, "sk_wrong").await,
        Err(Error::Unauthenticated)
    ));

    let rotated = t
        .hub
        .release_keys(&firm, partnership_id)
        .await
        .expect("rotate");
    assert_ne!(rotated.app_key, keys.app_key);
    assert!(matches!(
        t.hub.authenticate_key(&keys.app_key, &keys.secret).await,
        Err(Error::Gone(_))
    ));
    t.hub
        .authenticate_key(&rotated.app_key, &rotated.secret)
        .await
        .expect("new keys work");

    // Revocation by the client ends the partnership and the keys; the firm loses the organisation.
    t.hub
        .revoke_partnership(&client, partnership_id)
        .await
        .expect("revoke");
    assert!(matches!(
        t.hub
            .authenticate_key(&rotated.app_key, &rotated.secret)
            .await,
        Err(Error::Gone(_))
    ));
    assert!(matches!(
        t.hub.organisation(&firm, org.id).await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        t.hub.release_keys(&firm, partnership_id).await,
        Err(Error::Gone(_))
    ));

    // Every step is in both audit logs, and both chains verify.
    let firm_log: Vec<String> = t
        .hub
        .audit_log(&firm, None, 200)
        .await
        .expect("log")
        .into_iter()
        .map(|e| e.action)
        .collect();
    for action in [
        "environment.created",
        "subscription.changed",
        "authorisation.requested",
        "authorisation.accepted",
        "connection_keys.released",
        "connection_keys.rotated",
        "partnership.revoked",
    ] {
        assert!(
            firm_log.iter().any(|a| a == action),
            "{action} missing from {firm_log:?}"
        );
    }
    let client_log: Vec<String> = t
        .hub
        .audit_log(&client, None, 200)
        .await
        .expect("log")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(client_log.iter().any(|a| a == "authorisation.accepted"));
    assert!(client_log.iter().any(|a| a == "partnership.revoked"));
    let report = hub::audit::verify(t.hub.db()).await.expect("verify");
    assert!(report.breaks.is_empty(), "{:?}", report.breaks);
    assert_eq!(report.environments, 2);
    for text in t.mails().iter().map(|m| &m.text) {
        assert!(!text.contains(&keys.secret), "secrets are never mailed");
    }
}

async fn declined_expired_resent_and_withdrawn(t: &TestHub) {
    let firm = t.sign_up("Kantoor", "a@kantoor.test").await;
    t.hub
        .set_tier(&firm, Tier::Professional)
        .await
        .expect("tier");
    let client = t.sign_up("Klant", "k@klant.test").await;

    let (declined, _) = t
        .hub
        .request_authorisation(&firm, request("k@klant.test"))
        .await
        .expect("request");
    let token = activation_token(t, "k@klant.test");
    let d = t
        .hub
        .decide_authorisation(
            &client,
            Decision {
                token: token.clone(),
                accept: false,
                organisation_id: None,
            },
        )
        .await
        .expect("decline");
    assert_eq!(
        (d.id, d.status, d.partnership_id),
        (declined.id, Status::Declined, None)
    );
    assert!(matches!(
        t.hub.invitation(&token).await,
        Err(Error::Gone(_))
    ));
    assert!(
        t.hub.partnerships(&client).await.expect("list").is_empty(),
        "declining creates nothing"
    );

    // Expiry: the link stops working; re-sending mails a new link and the old one stays dead.
    let (req, _) = t
        .hub
        .request_authorisation(&firm, request("k@klant.test"))
        .await
        .expect("request");
    let old = activation_token(t, "k@klant.test");
    t.hub.clock().advance(Duration::days(15));
    assert!(matches!(t.hub.invitation(&old).await, Err(Error::Gone(_))));
    let late = t
        .hub
        .decide_authorisation(
            &client,
            Decision {
                token: old.clone(),
                accept: true,
                organisation_id: None,
            },
        )
        .await;
    assert!(matches!(late, Err(Error::Gone(_))), "{late:?}");
    let listed = t.hub.authorisation_requests(&firm).await.expect("list");
    assert_eq!(
        listed.iter().find(|r| r.id == req.id).map(|r| r.status),
        Some(Status::Expired)
    );
    let (resent, _) = t
        .hub
        .resend_authorisation(&firm, req.id)
        .await
        .expect("resend");
    assert_eq!((resent.status, resent.sent_count), (Status::Pending, 2));
    let fresh = activation_token(t, "k@klant.test");
    assert_ne!(fresh, old);
    assert!(
        matches!(t.hub.invitation(&old).await, Err(Error::NotFound(_))),
        "the old link is gone for good"
    );

    // Withdrawn requests cannot be accepted.
    t.hub
        .withdraw_authorisation(&firm, req.id)
        .await
        .expect("withdraw");
    let after = t
        .hub
        .decide_authorisation(
            &client,
            Decision {
                token: fresh,
                accept: true,
                organisation_id: None,
            },
        )
        .await;
    assert!(matches!(after, Err(Error::Gone(_))), "{after:?}");

    // A firm cannot answer its own request.
    t.hub
        .request_authorisation(&firm, request("a@kantoor.test"))
        .await
        .expect("request");
    let own = activation_token(t, "a@kantoor.test");
    let refused = t
        .hub
        .decide_authorisation(
            &firm,
            Decision {
                token: own,
                accept: true,
                organisation_id: None,
            },
        )
        .await;
    assert!(matches!(refused, Err(Error::Conflict(_))), "{refused:?}");
}

async fn refused_acceptance_writes_nothing(t: &TestHub) {
    let firm = t.sign_up("Kantoor", "a@kantoor.test").await;
    t.hub.set_tier(&firm, Tier::Basic).await.expect("tier");
    let client = t.sign_up("Klant", "k@klant.test").await;
    // The client (Free) already has one organisation, so a second one needs Basic.
    let own = t
        .hub
        .create_organisation(
            &client,
            hub::organisation::Details {
                name: "Klant B.V.".into(),
                ..Default::default()
            },
        )
        .await
        .expect("org");
    t.hub
        .request_authorisation(&firm, request("k@klant.test"))
        .await
        .expect("request");
    let token = activation_token(t, "k@klant.test");
    let before = hub::audit::verify(t.hub.db())
        .await
        .expect("verify")
        .entries;
    let refused = t
        .hub
        .decide_authorisation(
            &client,
            Decision {
                token: token.clone(),
                accept: true,
                organisation_id: None,
            },
        )
        .await;
    assert!(
        matches!(
            refused,
            Err(Error::TierRequired {
                tier: Tier::Basic,
                ..
            })
        ),
        "{refused:?}"
    );
    // Nothing of the refused acceptance stuck: the link still works, no partnership, no audit.
    assert_eq!(
        hub::audit::verify(t.hub.db())
            .await
            .expect("verify")
            .entries,
        before
    );
    assert!(t.hub.partnerships(&client).await.expect("list").is_empty());
    t.hub
        .invitation(&token)
        .await
        .expect("the link still works");
    // Linking the existing organisation instead succeeds.
    let ok = t
        .hub
        .decide_authorisation(
            &client,
            Decision {
                token,
                accept: true,
                organisation_id: Some(own.id),
            },
        )
        .await
        .expect("accept");
    let p = t
        .hub
        .partnership(&firm, ok.partnership_id.expect("partnership"))
        .await
        .expect("partnership");
    assert_eq!(p.organisation_id, own.id);
}

async fn concurrent_acceptances_make_one_partnership(t: &TestHub) {
    let firm = t.sign_up("Kantoor", "a@kantoor.test").await;
    t.hub.set_tier(&firm, Tier::Basic).await.expect("tier");
    let client = t.sign_up("Klant", "k@klant.test").await;
    t.hub
        .request_authorisation(&firm, request("k@klant.test"))
        .await
        .expect("request");
    let token = activation_token(t, "k@klant.test");
    let attempts = (0..4).map(|_| {
        let (hub, client, token) = (t.hub.clone(), client.clone(), token.clone());
        tokio::spawn(async move {
            hub.decide_authorisation(
                &client,
                Decision {
                    token,
                    accept: true,
                    organisation_id: None,
                },
            )
            .await
        })
    });
    let mut accepted = 0;
    for attempt in attempts {
        match attempt.await.expect("task") {
            Ok(_) => accepted += 1,
            Err(Error::Gone(_)) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(accepted, 1);
    assert_eq!(t.hub.partnerships(&client).await.expect("list").len(), 1);
    assert!(
        hub::audit::verify(t.hub.db())
            .await
            .expect("verify")
            .breaks
            .is_empty()
    );
}

hub::on_both_backends!(
    five_steps,
    declined_expired_resent_and_withdrawn,
    refused_acceptance_writes_nothing,
    concurrent_acceptances_make_one_partnership,
);

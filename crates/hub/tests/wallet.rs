//! The credit wallet: charges go to the payer the partnership names, an overdrawn wallet
//! stops API sending but never receiving, "Paid by" adds up, and budgets alert once.

use hub::authorisation::{Decision, NewRequest, PaidBy};
use hub::organisation::Ledger;
use hub::subscription::Tier;
use hub::testing::TestHub;
use hub::user::{AcceptInvitation, Invite};
use hub::wallet::{BudgetState, Kind};
use hub::{Error, Principal, Role};

fn env_of(p: &Principal) -> i64 {
    match p {
        Principal::User(u) => u.environment_id,
        _ => panic!("not a user"),
    }
}

/// A firm with one client partnership paid by `paid_by`; returns (firm, client, organisation id).
async fn partnered(t: &TestHub, paid_by: PaidBy) -> (Principal, Principal, i64) {
    let firm = t.sign_up("Kantoor", "a@kantoor.test").await;
    t.hub.set_tier(&firm, Tier::Basic).await.expect("tier");
    let client = t.sign_up("Klant", "k@klant.test").await;
    t.hub
        .request_authorisation(
            &firm,
            NewRequest {
                ledger: Ledger::Yuki,
                client_email: "k@klant.test".into(),
                client_name: "Klant B.V.".into(),
                kvk: None,
                vat: None,
                participant_id: None,
                paid_by,
            },
        )
        .await
        .expect("request");
    let token = t.mailed_token("k@klant.test", "/activate/");
    let decided = t
        .hub
        .decide_authorisation(
            &client,
            Decision {
                token,
                accept: true,
                organisation_id: None,
            },
        )
        .await
        .expect("accept");
    let p = t
        .hub
        .partnership(&firm, decided.partnership_id.expect("id"))
        .await
        .expect("partnership");
    (firm, client, p.organisation_id)
}

async fn charges_follow_paid_by(t: &TestHub) {
    let (firm, client, org) = partnered(t, PaidBy::Intermediary).await;
    let system = Principal::System;
    t.hub
        .top_up(&system, env_of(&firm), 1_000, "invoice 2026-001")
        .await
        .expect("top-up");
    let received = t
        .hub
        .charge(&system, org, Kind::XmlReceived, Some("doc-1".into()))
        .await
        .expect("charge");
    let converted = t
        .hub
        .charge(&system, org, Kind::PdfConversion, None)
        .await
        .expect("charge");
    let prices: std::collections::HashMap<_, _> =
        t.hub.prices().await.expect("prices").into_iter().collect();
    assert_eq!(received.amount_cents, -prices[&Kind::XmlReceived]);
    assert_eq!(
        converted.balance_after_cents,
        1_000 - prices[&Kind::XmlReceived] - prices[&Kind::PdfConversion]
    );
    assert_eq!(
        t.hub.environment(&firm).await.expect("env").balance_cents,
        converted.balance_after_cents
    );
    assert_eq!(
        t.hub.environment(&client).await.expect("env").balance_cents,
        0,
        "the client pays nothing"
    );

    let rows = t.hub.paid_by(&firm).await.expect("paid by");
    let row = rows.iter().find(|r| r.organisation_id == org).expect("row");
    assert_eq!(
        (row.paid_by, row.payer.as_str(), row.transactions),
        (PaidBy::Intermediary, "Kantoor", 2)
    );
    assert_eq!(
        row.cents,
        prices[&Kind::XmlReceived] + prices[&Kind::PdfConversion]
    );
    let client_view = t.hub.paid_by(&client).await.expect("paid by");
    assert_eq!(
        client_view
            .iter()
            .find(|r| r.organisation_id == org)
            .map(|r| r.payer.as_str()),
        Some("Kantoor")
    );

    // The firm's transactions list has them; the client's has none.
    assert_eq!(
        t.hub
            .transactions(&firm, None, 50)
            .await
            .expect("list")
            .len(),
        3
    );
    assert!(
        t.hub
            .transactions(&client, None, 50)
            .await
            .expect("list")
            .is_empty()
    );
}

async fn overdrawn_blocks_api_sending_never_receiving(t: &TestHub) {
    let (_firm, client, org) = partnered(t, PaidBy::Client).await;
    let system = Principal::System;
    // The client pays and has no credit: receiving goes negative, then API sending stops.
    t.hub
        .charge(&system, org, Kind::XmlReceived, None)
        .await
        .expect("receiving is never blocked");
    let balance = t.hub.environment(&client).await.expect("env").balance_cents;
    assert!(balance < 0);
    let blocked = t.hub.charge(&system, org, Kind::ApiSend, None).await;
    assert!(
        matches!(blocked, Err(Error::InsufficientCredit { .. })),
        "{blocked:?}"
    );
    assert_eq!(
        t.hub.environment(&client).await.expect("env").balance_cents,
        balance,
        "a refused charge books nothing"
    );
    t.hub
        .charge(&system, org, Kind::XmlReceived, None)
        .await
        .expect("still receiving");
    t.hub
        .charge(&system, org, Kind::ManualSend, None)
        .await
        .expect("manual sending is free and allowed");
    t.hub
        .top_up(&system, env_of(&client), 500, "bank")
        .await
        .expect("top-up");
    t.hub
        .charge(&system, org, Kind::ApiSend, None)
        .await
        .expect("sending again after a top-up");
}

async fn budget_alerts_once_a_month(t: &TestHub) {
    let (firm, _client, org) = partnered(t, PaidBy::Intermediary).await;
    let system = Principal::System;
    t.hub
        .set_price(&system, Kind::XmlReceived, 10)
        .await
        .expect("price");
    t.hub
        .set_budget(&firm, org, Some((100, 80)))
        .await
        .expect("budget");
    for _ in 0..7 {
        t.hub
            .charge(&system, org, Kind::XmlReceived, None)
            .await
            .expect("charge");
    }
    assert!(
        t.hub.alerts(&firm).await.expect("alerts").is_empty(),
        "70% is within the budget"
    );
    t.hub
        .charge(&system, org, Kind::XmlReceived, None)
        .await
        .expect("charge");
    let alerts = t.hub.alerts(&firm).await.expect("alerts");
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert!(
        alerts[0].message.contains("€ 0,80"),
        "{}",
        alerts[0].message
    );
    for _ in 0..5 {
        t.hub
            .charge(&system, org, Kind::XmlReceived, None)
            .await
            .expect("a budget alerts, it never blocks");
    }
    assert_eq!(
        t.hub.alerts(&firm).await.expect("alerts").len(),
        1,
        "one alert a month"
    );
    let mailed: Vec<_> = t
        .mails()
        .into_iter()
        .filter(|m| m.subject.contains("Budget"))
        .collect();
    assert_eq!(mailed.len(), 1, "the payer's administrator is mailed once");
    assert!(
        mailed[0].to.contains("a@kantoor.test") && mailed[0].text.contains("Klant B.V."),
        "{:?}",
        mailed[0]
    );
    let row = t
        .hub
        .paid_by(&firm)
        .await
        .expect("paid by")
        .into_iter()
        .find(|r| r.organisation_id == org)
        .expect("row");
    assert_eq!(
        (row.budget_cents, row.budget_state),
        (Some(100), Some(BudgetState::Over))
    );
    // Only the paying side's administrator manages budgets, with sane values.
    assert!(matches!(
        t.hub.set_budget(&firm, org, Some((0, 80))).await,
        Err(Error::Invalid { .. })
    ));
    assert!(matches!(
        t.hub.set_budget(&firm, org, Some((100, 101))).await,
        Err(Error::Invalid { .. })
    ));
}

/// Someone invited to the firm's environment with `role`, who accepts.
async fn colleague(t: &TestHub, admin: &Principal, email: &str, role: Role) -> Principal {
    t.hub
        .invite(
            admin,
            Invite {
                email: email.into(),
                role,
            },
        )
        .await
        .expect("invite");
    let token = t.mailed_token(email, "/invitation/");
    let (user, _) = t
        .hub
        .accept_invitation(AcceptInvitation {
            token,
            name: format!("Colleague {email}"),
            password: "another long password".into(),
        })
        .await
        .expect("accept");
    Principal::User(user)
}

async fn alerts_are_resolved_once(t: &TestHub) {
    let (firm, client, org) = partnered(t, PaidBy::Intermediary).await;
    t.hub
        .set_budget(&firm, org, Some((1, 80)))
        .await
        .expect("budget");
    t.hub
        .charge(&Principal::System, org, Kind::XmlReceived, None)
        .await
        .expect("charge");
    let alert = t.hub.alerts(&firm).await.expect("alerts").remove(0);
    assert_eq!(
        (
            alert.organisation_id,
            alert.kind.as_str(),
            alert.resolved_at
        ),
        (Some(org), "budget", None)
    );
    let advanced = colleague(t, &firm, "adv@kantoor.test", Role::Advanced).await;
    let basic = colleague(t, &firm, "bas@kantoor.test", Role::Basic).await;

    // A basic user sees the alerts of the organisations they have a right to, and resolves none.
    assert!(t.hub.alerts(&basic).await.expect("alerts").is_empty());
    let Principal::User(b) = &basic else {
        unreachable!("a user")
    };
    t.hub
        .set_right(&firm, b.user_id, org, true)
        .await
        .expect("grant");
    let seen: Vec<i64> = t
        .hub
        .alerts(&basic)
        .await
        .expect("alerts")
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(seen, [alert.id]);
    assert!(matches!(
        t.hub.resolve_alert(&basic, alert.id).await,
        Err(Error::Forbidden(_))
    ));
    // Another environment's administrator does not find it.
    assert!(matches!(
        t.hub.resolve_alert(&client, alert.id).await,
        Err(Error::NotFound(_))
    ));

    let before = t.hub.clock().now();
    let resolved = t
        .hub
        .resolve_alert(&advanced, alert.id)
        .await
        .expect("resolve");
    assert!(
        resolved
            .resolved_at
            .is_some_and(|at| before <= at && at <= t.hub.clock().now()),
        "{resolved:?}"
    );
    assert!(t.hub.alerts(&firm).await.expect("alerts").is_empty());
    assert!(matches!(
        t.hub.resolve_alert(&firm, alert.id).await,
        Err(Error::Conflict(_))
    ));
    let log = t.hub.audit_log(&firm, None, 200).await.expect("audit");
    let entries: Vec<_> = log
        .iter()
        .filter(|e| e.action == "alert.resolved")
        .collect();
    assert_eq!(entries.len(), 1, "the replay is not audited");
    assert_eq!(entries[0].subject, format!("alert:{}", alert.id));
    assert_eq!(entries[0].actor, advanced.actor());
}

async fn only_the_operator_tops_up_and_prices(t: &TestHub) {
    let firm = t.sign_up("Kantoor", "a@kantoor.test").await;
    assert!(matches!(
        t.hub.top_up(&firm, env_of(&firm), 100, "x").await,
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        t.hub.set_price(&firm, Kind::ApiSend, 0).await,
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        t.hub
            .top_up(&Principal::System, env_of(&firm), 0, "x")
            .await,
        Err(Error::Invalid { .. })
    ));
}

hub::on_both_backends!(
    charges_follow_paid_by,
    overdrawn_blocks_api_sending_never_receiving,
    budget_alerts_once_a_month,
    alerts_are_resolved_once,
    only_the_operator_tops_up_and_prices,
);

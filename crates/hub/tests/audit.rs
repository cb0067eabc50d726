//! The audit log's hash chain finds an edited entry, a removed entry and a removed tail.

use hub::Principal;
use hub::subscription::Tier;
use hub::testing::TestHub;
use sea_orm::ConnectionTrait;

async fn environment_with_history(t: &TestHub) -> Principal {
    let p = t.sign_up("Kantoor", "a@kantoor.test").await;
    for tier in [Tier::Basic, Tier::Professional, Tier::Basic, Tier::Free] {
        t.hub.set_tier(&p, tier).await.expect("tier");
    }
    p
}

async fn breaks_after(t: &TestHub, sql: &str) -> Vec<hub::audit::Break> {
    t.hub.db().execute_unprepared(sql).await.expect("tamper");
    hub::audit::verify(t.hub.db()).await.expect("verify").breaks
}

async fn intact_log_verifies(t: &TestHub) {
    let p = environment_with_history(t).await;
    let report = hub::audit::verify(t.hub.db()).await.expect("verify");
    assert_eq!((report.environments, report.entries), (1, 5));
    assert!(report.breaks.is_empty());
    let log = t.hub.audit_log(&p, None, 2).await.expect("page");
    assert_eq!(log.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![5, 4]);
    let older = t.hub.audit_log(&p, Some(4), 10).await.expect("page");
    assert_eq!(older.first().map(|e| e.seq), Some(3));
}

async fn edited_entry_is_found(t: &TestHub) {
    environment_with_history(t).await;
    let breaks = breaks_after(
        t,
        "UPDATE audit_entries SET actor = 'user:999' WHERE seq = 3",
    )
    .await;
    assert_eq!(breaks.len(), 1, "{breaks:?}");
    assert_eq!(breaks[0].seq, 3);
    assert!(breaks[0].problem.contains("changed"));
}

async fn edited_and_rehashed_entry_is_found(t: &TestHub) {
    environment_with_history(t).await;
    // Someone who rewrites one hash still breaks the next entry's link.
    let breaks = breaks_after(t, "UPDATE audit_entries SET hash = 'ff' WHERE seq = 2").await;
    assert!(
        breaks
            .iter()
            .any(|b| b.seq == 3 && b.problem.contains("link")),
        "{breaks:?}"
    );
}

async fn removed_entry_is_found(t: &TestHub) {
    environment_with_history(t).await;
    let breaks = breaks_after(t, "DELETE FROM audit_entries WHERE seq = 2").await;
    assert!(
        breaks
            .iter()
            .any(|b| b.seq == 2 && b.problem.contains("missing")),
        "{breaks:?}"
    );
}

async fn removed_tail_is_found(t: &TestHub) {
    environment_with_history(t).await;
    let breaks = breaks_after(t, "DELETE FROM audit_entries WHERE seq = 5").await;
    assert_eq!(breaks.len(), 1, "{breaks:?}");
    assert!(breaks[0].problem.contains("newest entries were removed"));
}

async fn only_administrators_read_the_log(t: &TestHub) {
    let p = environment_with_history(t).await;
    let Principal::User(mut u) = p else {
        panic!("user")
    };
    u.role = hub::Role::Advanced;
    let advanced = Principal::User(u);
    assert!(matches!(
        t.hub.audit_log(&advanced, None, 10).await,
        Err(hub::Error::Forbidden(_))
    ));
}

hub::on_both_backends!(
    intact_log_verifies,
    edited_entry_is_found,
    edited_and_rehashed_entry_is_found,
    removed_entry_is_found,
    removed_tail_is_found,
    only_administrators_read_the_log,
);

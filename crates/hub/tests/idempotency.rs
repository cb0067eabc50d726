//! Idempotency keys: one action per key, replayed answers, conflicts, and keys freed when a
//! request died or the answer is old.

use chrono::Duration;
use hub::Error;
use hub::idempotency::{Begin, Stored, request_hash};
use hub::testing::TestHub;

async fn one_action_per_key(t: &TestHub) {
    let p = t.sign_up("Kantoor", "a@kantoor.test").await;
    let other = t.sign_up("Ander", "b@ander.test").await;
    let hash = request_hash("POST", "/api/v1/organisations", b"{\"name\":\"X\"}");
    assert!(matches!(
        t.hub.begin_idempotent(&p, "k1", &hash).await,
        Ok(Begin::Fresh)
    ));
    // While the first request runs, a retry is told to wait; another principal's key space is separate.
    assert!(matches!(
        t.hub.begin_idempotent(&p, "k1", &hash).await,
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        t.hub.begin_idempotent(&other, "k1", &hash).await,
        Ok(Begin::Fresh)
    ));
    t.hub
        .finish_idempotent(
            &p,
            "k1",
            Stored {
                status: 201,
                body: "{\"id\":7}".into(),
            },
        )
        .await
        .expect("finish");
    match t.hub.begin_idempotent(&p, "k1", &hash).await {
        Ok(Begin::Replay(stored)) => {
            assert_eq!((stored.status, stored.body.as_str()), (201, "{\"id\":7}"))
        }
        other => panic!("expected a replay, got {other:?}"),
    }
    let different = request_hash("POST", "/api/v1/organisations", b"{\"name\":\"Y\"}");
    assert!(matches!(
        t.hub.begin_idempotent(&p, "k1", &different).await,
        Err(Error::Conflict(_))
    ));
    // A day later the answer is gone and the key acts again.
    t.hub.clock().advance(Duration::hours(25));
    assert!(matches!(
        t.hub.begin_idempotent(&p, "k1", &hash).await,
        Ok(Begin::Fresh)
    ));
}

async fn a_dead_request_frees_its_key(t: &TestHub) {
    let p = t.sign_up("Kantoor", "a@kantoor.test").await;
    let hash = request_hash("POST", "/x", b"");
    assert!(matches!(
        t.hub.begin_idempotent(&p, "k", &hash).await,
        Ok(Begin::Fresh)
    ));
    t.hub.clock().advance(Duration::minutes(6));
    assert!(
        matches!(
            t.hub.begin_idempotent(&p, "k", &hash).await,
            Ok(Begin::Fresh)
        ),
        "the retry may act"
    );
    // A server error releases the key at once, so the retry can act.
    t.hub
        .finish_idempotent(
            &p,
            "k",
            Stored {
                status: 500,
                body: String::new(),
            },
        )
        .await
        .expect("finish");
    assert!(matches!(
        t.hub.begin_idempotent(&p, "k", &hash).await,
        Ok(Begin::Fresh)
    ));
    assert!(matches!(
        t.hub.begin_idempotent(&p, "", &hash).await,
        Err(Error::Invalid { .. })
    ));
}

hub::on_both_backends!(one_action_per_key, a_dead_request_frees_its_key);

//! The REST API end to end over HTTP, on SQLite and PostgreSQL: the five-step flow with
//! connection keys, idempotency keys, problem+json for bad input, credentials, and paging.

mod caller;
mod support;

use std::collections::BTreeSet;

use caller::{Caller, PASSWORD, new_request, newest_token, partner, upgrade};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::Server;

server_tests!(
    five_steps_and_connection_keys,
    retried_posts_act_once,
    bad_input_gets_problems,
    credentials_are_checked,
    pages_are_disjoint_and_complete,
    sessions_need_csrf_and_end,
    alerts_resolve_once_and_rights_read_back,
);

fn id(v: &Value) -> i64 {
    v["id"].as_i64().expect("an id")
}

async fn five_steps_and_connection_keys(s: &Server) {
    let firm = Caller::sign_up(s, "Kantoor De Vries", "anna@devries.test").await;
    // Step 1 needs Basic; the refusal names the tier.
    let refused = firm
        .post(
            "/api/v1/authorisation-requests",
            new_request("client@bakkerij.test", "Bakkerij Van Dijk", "12345678"),
        )
        .await;
    assert_eq!(refused.problem(403), "tier_required");
    assert!(
        refused.body["detail"]
            .as_str()
            .expect("detail")
            .contains("Basic"),
        "{refused:?}"
    );
    upgrade(&firm).await;
    let own = firm
        .post(
            "/api/v1/organisations",
            json!({ "name": "Kantoor De Vries zelf" }),
        )
        .await;
    assert_eq!(own.status, StatusCode::CREATED, "{own:?}");
    assert_eq!(
        own.header("location"),
        Some(format!("/api/v1/organisations/{}", id(&own.body)).as_str())
    );

    let p = partner(
        s,
        &firm,
        "client@bakkerij.test",
        "Bakkerij Van Dijk",
        "12345678",
    )
    .await;
    let org_path = format!("/api/v1/organisations/{}", p.organisation_id);
    let keys = Caller::with_keys(s, &p.app_key, &p.secret);
    let org = keys.read(&org_path).await;
    assert_eq!(org["name"], "Bakkerij Van Dijk");
    assert_eq!(org["participant_ids"], json!(["0106:12345678"]));
    // The keys reach exactly their organisation: not the firm's own, and the overview
    // holds only theirs.
    keys.get(&format!("/api/v1/organisations/{}", id(&own.body)))
        .await
        .problem(404);
    let overview = keys.read("/api/v1/organisations").await;
    assert_eq!(overview["total"], 1);
    assert_eq!(overview["items"][0]["id"], p.organisation_id);
    // The keys act for an organisation, never for an environment.
    keys.get("/api/v1/users").await.problem(403);

    // A replayed activation link is refused, and nothing changes.
    let token = newest_token(s, "client@bakkerij.test", "/activate/");
    let replay = p
        .client
        .post(
            &format!("/api/v1/activations/{token}/decision"),
            json!({ "accept": true }),
        )
        .await;
    assert_eq!(replay.problem(410), "gone");
    Caller::anonymous(s)
        .get(&format!("/api/v1/activations/{token}"))
        .await
        .problem(410);
    assert_eq!(
        p.client.read("/api/v1/partnerships").await["items"]
            .as_array()
            .expect("items")
            .len(),
        1
    );

    // Rotation: the old keys stop at once, the new ones work; the Secret is never cached.
    let rotated = firm
        .post(
            &format!("/api/v1/partnerships/{}/keys", p.partnership_id),
            json!({}),
        )
        .await;
    assert_eq!(rotated.status, StatusCode::CREATED, "{rotated:?}");
    assert_eq!(rotated.header("cache-control"), Some("no-store"));
    assert!(
        rotated.body["quick_connect"]
            .as_str()
            .expect("quick connect")
            .starts_with("postbode-qc1.")
    );
    assert_ne!(rotated.body["app_key"], p.app_key.as_str());
    keys.get(&org_path).await.problem(410);
    let new_keys = Caller::with_keys(
        s,
        rotated.body["app_key"].as_str().expect("app key"),
        rotated.body["secret"].as_str().expect("secret"),
    );
    new_keys.read(&org_path).await;
    let shown = firm
        .read(&format!("/api/v1/partnerships/{}", p.partnership_id))
        .await;
    assert_eq!(shown["app_key"], rotated.body["app_key"]);
    assert!(
        !shown
            .to_string()
            .contains(rotated.body["secret"].as_str().expect("secret")),
        "the Secret is shown once"
    );

    // Revocation by the client ends the keys.
    let revoked = p
        .client
        .post(
            &format!("/api/v1/partnerships/{}/revoke", p.partnership_id),
            json!({}),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{revoked:?}");
    assert_eq!(revoked.body["status"], "revoked");
    new_keys.get(&org_path).await.problem(410);
    firm.get(&org_path).await.problem(404);
}

async fn retried_posts_act_once(s: &Server) {
    let firm = Caller::sign_up(s, "Kantoor Jansen", "piet@jansen.test").await;
    upgrade(&firm).await;
    let body = new_request("klant@visser.test", "Visserij Visser", "23456789");
    let first = firm
        .request(Method::POST, "/api/v1/authorisation-requests")
        .header("Idempotency-Key", "request-1")
        .json(&body)
        .send()
        .await
        .expect("answer");
    let first = caller::answer(first).await;
    assert_eq!(first.status, StatusCode::CREATED, "{first:?}");
    assert_eq!(first.header("idempotent-replayed"), None);
    let again = caller::answer(
        firm.request(Method::POST, "/api/v1/authorisation-requests")
            .header("Idempotency-Key", "request-1")
            .json(&body)
            .send()
            .await
            .expect("answer"),
    )
    .await;
    assert_eq!(again.status, StatusCode::CREATED, "{again:?}");
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.body, first.body);
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(again.header("content-type"), Some("application/json"));
    // One request, one mail.
    assert_eq!(
        firm.read("/api/v1/authorisation-requests").await["items"]
            .as_array()
            .expect("items")
            .len(),
        1
    );
    assert_eq!(
        s.t.mails()
            .iter()
            .filter(|m| m.to.contains("klant@visser.test"))
            .count(),
        1
    );

    // The same key with another body is a conflict, and acts not at all.
    let other = caller::answer(
        firm.request(Method::POST, "/api/v1/authorisation-requests")
            .header("Idempotency-Key", "request-1")
            .json(&new_request(
                "ander@visser.test",
                "Visserij Anders",
                "34567890",
            ))
            .send()
            .await
            .expect("answer"),
    )
    .await;
    assert_eq!(other.problem(409), "conflict");
    assert_eq!(
        firm.read("/api/v1/authorisation-requests").await["items"]
            .as_array()
            .expect("items")
            .len(),
        1
    );

    // Concurrent retries: one acts; each other one is refused while it runs (409) or gets its
    // answer once it is done.
    let burst = new_request("golf@visser.test", "Visserij Golf", "56789012");
    let sends: Vec<_> = (0..4)
        .map(|_| {
            let send = firm
                .request(Method::POST, "/api/v1/authorisation-requests")
                .header("Idempotency-Key", "burst")
                .json(&burst)
                .send();
            tokio::spawn(send)
        })
        .collect();
    let mut acted = 0;
    for send in sends {
        let a = caller::answer(send.await.expect("a task").expect("answer")).await;
        match (a.status.as_u16(), a.header("idempotent-replayed")) {
            (201, None) => acted += 1,
            (201, Some("true")) => {}
            _ => assert_eq!(a.problem(409), "conflict"),
        }
    }
    assert_eq!(acted, 1);
    assert_eq!(
        firm.read("/api/v1/authorisation-requests").await["items"]
            .as_array()
            .expect("items")
            .len(),
        2
    );
    assert_eq!(
        s.t.mails()
            .iter()
            .filter(|m| m.to.contains("golf@visser.test"))
            .count(),
        1
    );

    // A refusal is an answer too: replayed, not retried.
    let refused = |key: &'static str| {
        firm.request(Method::POST, "/api/v1/organisations")
            .header("Idempotency-Key", key)
            .json(&json!({ "name": "" }))
            .send()
    };
    let a = caller::answer(refused("org-1").await.expect("answer")).await;
    assert_eq!(a.problem(422), "invalid");
    let b = caller::answer(refused("org-1").await.expect("answer")).await;
    assert_eq!(b.problem(422), "invalid");
    assert_eq!(b.header("idempotent-replayed"), Some("true"));

    // Keys: a retry never shows the Secret again and does not rotate.
    let p = partner(s, &firm, "klant@visser.test", "Visserij Visser", "23456789").await;
    let release = || {
        firm.request(
            Method::POST,
            &format!("/api/v1/partnerships/{}/keys", p.partnership_id),
        )
        .header("Idempotency-Key", "keys-1")
        .send()
    };
    let released = caller::answer(release().await.expect("answer")).await;
    assert_eq!(released.status, StatusCode::CREATED, "{released:?}");
    let secret = released.body["secret"].as_str().expect("secret").to_owned();
    let retried = caller::answer(release().await.expect("answer")).await;
    assert_eq!(retried.problem(409), "conflict");
    assert_eq!(retried.header("idempotent-replayed"), Some("true"));
    assert!(!retried.text.contains(&secret));
    let keys = Caller::with_keys(
        s,
        released.body["app_key"].as_str().expect("app key"),
        &secret,
    );
    keys.read(&format!("/api/v1/organisations/{}", p.organisation_id))
        .await;

    // Keys are per caller: the client's administrator may use the same key for their own request.
    let theirs = caller::answer(
        p.client
            .request(Method::POST, "/api/v1/organisations")
            .header("Idempotency-Key", "org-1")
            .json(&json!({ "name": "Visserij Visser Twee" }))
            .send()
            .await
            .expect("answer"),
    )
    .await;
    assert_eq!(
        theirs.status,
        StatusCode::FORBIDDEN,
        "a Free tier refusal of its own, not a replay: {theirs:?}"
    );
    assert_eq!(theirs.header("idempotent-replayed"), None);
}

async fn bad_input_gets_problems(s: &Server) {
    let firm = Caller::sign_up(s, "Kantoor Bakker", "kees@bakker.test").await;
    let malformed = firm
        .request(Method::POST, "/api/v1/organisations")
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .expect("answer");
    assert_eq!(caller::answer(malformed).await.problem(400), "bad_request");
    let wrong_type = firm
        .request(Method::POST, "/api/v1/organisations")
        .header("content-type", "text/plain")
        .body("{\"name\": \"X\"}")
        .send()
        .await
        .expect("answer");
    assert_eq!(
        caller::answer(wrong_type).await.problem(415),
        "unsupported_media_type"
    );
    let missing = firm
        .post("/api/v1/organisations", json!({ "kvk": "12345678" }))
        .await;
    assert_eq!(missing.problem(422), "invalid");
    let invalid = firm
        .post(
            "/api/v1/organisations",
            json!({ "name": "Bakker", "kvk": "123" }),
        )
        .await;
    assert_eq!(invalid.problem(422), "invalid");
    assert_eq!(invalid.body["field"], "kvk");

    // Over the limit. With a Content-Length the body limit answers before any route; without
    // one (streamed) the body is cut off where it is read: by the idempotency layer, or by the
    // JSON extractor of a public route.
    let big = format!("{{\"name\": \"{}\"}}", "x".repeat(web::MAX_BODY + 1));
    let sized = firm
        .request(Method::POST, "/api/v1/organisations")
        .header("content-type", "application/json")
        .body(big.clone());
    assert_eq!(
        caller::answer(sized.send().await.expect("answer"))
            .await
            .problem(413),
        "payload_too_large"
    );
    for (path, idempotency_key) in [
        ("/api/v1/organisations", Some("big")),
        ("/api/v1/environments", None),
    ] {
        let (status, content_type, body) =
            unsized_post(s, &firm, path, idempotency_key, big.clone()).await;
        assert_eq!(
            (status, content_type.as_str()),
            (413, "application/problem+json"),
            "{path}: {body}"
        );
        assert_eq!(body["code"], "payload_too_large");
    }
    assert_eq!(
        firm.read("/api/v1/organisations").await["total"],
        0,
        "nothing was written"
    );

    // Paths and queries that do not parse, and routes that do not exist.
    assert_eq!(
        firm.get("/api/v1/organisations/abc").await.problem(400),
        "bad_request"
    );
    assert_eq!(
        firm.get("/api/v1/organisations?page=first")
            .await
            .problem(400),
        "bad_request"
    );
    assert_eq!(
        firm.get("/api/v1/organisations?status=deleted")
            .await
            .problem(400),
        "bad_request"
    );
    let sort = firm.get("/api/v1/organisations?sort=size").await;
    assert_eq!(sort.problem(422), "invalid");
    assert_eq!(sort.body["field"], "sort");
    assert_eq!(
        firm.get("/api/v1/nothing-here").await.problem(404),
        "not_found"
    );
    assert_eq!(
        firm.call(Method::PATCH, "/api/v1/organisations", None)
            .await
            .problem(405),
        "bad_request"
    );
}

/// POSTs `body` without a Content-Length, straight into the application (reqwest always
/// sends one): status, content type and JSON body.
async fn unsized_post(
    s: &Server,
    c: &Caller,
    path: &str,
    idempotency_key: Option<&str>,
    body: String,
) -> (u16, String, Value) {
    use tower::ServiceExt;
    let mut request = axum::http::Request::post(path)
        .header("content-type", "application/json")
        .header(
            "cookie",
            format!(
                "postbode_session={}",
                c.cookie.as_deref().expect("a session")
            ),
        )
        .header("x-csrf-token", c.csrf.as_deref().expect("a CSRF token"));
    if let Some(key) = idempotency_key {
        request = request.header("idempotency-key", key);
    }
    let request = request
        .body(axum::body::Body::from(body))
        .expect("a request");
    assert!(request.headers().get("content-length").is_none());
    let app = web::router(web::AppState::new(s.t.hub.clone(), None));
    let response = app.oneshot(request).await.expect("an answer");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("a body");
    (
        status,
        content_type,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn credentials_are_checked(s: &Server) {
    let firm = Caller::sign_up(s, "Kantoor Smit", "jan@smit.test").await;
    upgrade(&firm).await;
    let p = partner(s, &firm, "klant@molen.test", "De Molen", "45678901").await;
    let org_path = format!("/api/v1/organisations/{}", p.organisation_id);

    let forged = Caller::with_keys(s, &p.app_key, "sk_forged")
        .get(&org_path)
        .await;
    assert_eq!(forged.problem(401), "unauthenticated");
    assert_eq!(
        forged.header("www-authenticate"),
        Some("Basic realm=\"postbode\"")
    );
    let unknown = Caller::with_keys(s, "pk_unknown", &p.secret)
        .get(&org_path)
        .await;
    assert_eq!(unknown.problem(401), "unauthenticated");
    let garbled = Caller::anonymous(s)
        .request(Method::GET, &org_path)
        .header("authorization", "Basic !!!")
        .send()
        .await
        .expect("answer");
    assert_eq!(
        caller::answer(garbled).await.problem(401),
        "unauthenticated"
    );
    assert_eq!(
        Caller::anonymous(s).get(&org_path).await.problem(401),
        "unauthenticated"
    );

    // Keys expire.
    let keys = Caller::with_keys(s, &p.app_key, &p.secret);
    keys.read(&org_path).await;
    s.t.hub
        .clock()
        .advance(s.t.hub.config().key_ttl + chrono::Duration::seconds(1));
    let expired = keys.get(&org_path).await;
    assert_eq!(expired.problem(410), "gone");
    assert!(
        expired.body["detail"]
            .as_str()
            .expect("detail")
            .contains("expired"),
        "{expired:?}"
    );

    // Failed logins are rate-limited per email address.
    let anon = Caller::anonymous(s);
    let wrong = json!({ "email": "jan@smit.test", "password": "not the password" });
    for _ in 0..10 {
        assert_eq!(
            anon.post("/api/v1/session", wrong.clone())
                .await
                .problem(401),
            "unauthenticated"
        );
    }
    let limited = anon
        .post(
            "/api/v1/session",
            json!({ "email": "jan@smit.test", "password": PASSWORD }),
        )
        .await;
    assert_eq!(limited.problem(429), "rate_limited");
}

async fn sessions_need_csrf_and_end(s: &Server) {
    let firm = Caller::sign_up(s, "Kantoor Mulder", "els@mulder.test").await;
    let bare = firm.without_csrf();
    // Reading needs no token; changing does.
    bare.read("/api/v1/environment").await;
    let refused = bare
        .put("/api/v1/environment/tier", json!({ "tier": "basic" }))
        .await;
    assert_eq!(refused.problem(403), "forbidden");
    assert_eq!(
        firm.read("/api/v1/environment").await["tier"],
        "free",
        "nothing changed"
    );
    let refused = bare
        .post("/api/v1/organisations", json!({ "name": "Mulder" }))
        .await;
    assert_eq!(refused.problem(403), "forbidden");
    assert_eq!(
        bare.call(Method::DELETE, "/api/v1/session", None)
            .await
            .problem(403),
        "forbidden"
    );

    let session = firm.read("/api/v1/session").await;
    assert_eq!(session["user"]["email"], "els@mulder.test");
    let again = Caller::log_in(s, "els@mulder.test").await;
    assert_eq!(
        again.read("/api/v1/environment").await["name"],
        "Kantoor Mulder"
    );

    let out = firm.call(Method::DELETE, "/api/v1/session", None).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT, "{out:?}");
    assert_eq!(
        firm.get("/api/v1/environment").await.problem(401),
        "unauthenticated"
    );
    // Another session of the same person lives on.
    again.read("/api/v1/environment").await;
}

async fn pages_are_disjoint_and_complete(s: &Server) {
    let firm = Caller::sign_up(s, "Kantoor Groot", "ria@groot.test").await;
    upgrade(&firm).await;
    let mut created = BTreeSet::new();
    for n in 0..7 {
        let a = firm
            .post(
                "/api/v1/organisations",
                json!({ "name": format!("Klant {n:02}") }),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
        created.insert(id(&a.body));
    }
    // By number: three pages of three, in name order.
    let mut seen = Vec::new();
    for page in 1..=3 {
        let p = firm
            .read(&format!(
                "/api/v1/organisations?per_page=3&page={page}&sort=-name"
            ))
            .await;
        assert_eq!(
            (
                p["page"].as_u64(),
                p["per_page"].as_u64(),
                p["total"].as_u64()
            ),
            (Some(page), Some(3), Some(7))
        );
        let items = p["items"].as_array().expect("items");
        assert_eq!(items.len(), if page < 3 { 3 } else { 1 });
        seen.extend(
            items
                .iter()
                .map(|o| (id(o), o["name"].as_str().expect("name").to_owned())),
        );
    }
    let ids: BTreeSet<i64> = seen.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids.len(), seen.len(), "pages overlap: {seen:?}");
    assert_eq!(ids, created);
    let names: Vec<&str> = seen.iter().map(|(_, n)| n.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(names, sorted);
    assert_eq!(
        firm.read("/api/v1/organisations?per_page=3&page=4").await["items"],
        json!([])
    );

    // By cursor: wallet movements, newest first, following `next` to the end.
    let env = id(&firm.read("/api/v1/environment").await);
    let mut booked = Vec::new();
    for n in 1..=5 {
        let t =
            s.t.hub
                .top_up(
                    &hub::Principal::System,
                    env,
                    n * 100,
                    &format!("top-up {n}"),
                )
                .await
                .expect("top-up");
        booked.push(t.id);
    }
    booked.reverse();
    assert_eq!(
        follow(&firm, "/api/v1/wallet/transactions?limit=2", "id").await,
        booked
    );
    // The audit log the same way: every entry once, newest first.
    let seqs = follow(&firm, "/api/v1/audit?limit=3", "seq").await;
    let all = firm.read("/api/v1/audit?limit=200").await;
    let expected: Vec<i64> = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["seq"].as_i64().expect("seq"))
        .collect();
    assert!(expected.len() > 3, "{all}");
    assert_eq!(all["next"], Value::Null);
    assert_eq!(seqs, expected);
}

/// Reads a cursor-paged list from `first` to its end; the `field` of every item, in order.
async fn follow(c: &Caller, first: &str, field: &str) -> Vec<i64> {
    let mut out = Vec::new();
    let mut path = first.to_owned();
    loop {
        let page = c.read(&path).await;
        out.extend(
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|t| t[field].as_i64().expect("a cursor field")),
        );
        match page["next"].as_i64() {
            Some(next) => path = format!("{first}&before={next}"),
            None => return out,
        }
    }
}

async fn alerts_resolve_once_and_rights_read_back(s: &Server) {
    let firm = Caller::sign_up(s, "Kantoor Melding", "mel@melding.test").await;
    upgrade(&firm).await;
    let p = partner(s, &firm, "klant@melding.test", "Klant Melding", "30000001").await;
    let org = p.organisation_id;
    let a = firm
        .put(
            &format!("/api/v1/organisations/{org}/budget"),
            json!({ "monthly_cap_cents": 1 }),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!(firm.read("/api/v1/alerts").await["items"], json!([]));
    s.t.hub
        .charge(
            &hub::Principal::System,
            org,
            hub::wallet::Kind::XmlReceived,
            None,
        )
        .await
        .expect("charge");
    let alerts = firm.read("/api/v1/alerts").await;
    let alert = &alerts["items"][0];
    assert_eq!(
        (
            &alert["kind"],
            &alert["organisation_id"],
            &alert["resolved_at"]
        ),
        (&json!("budget"), &json!(org), &Value::Null),
        "{alerts}"
    );
    let resolve = format!("/api/v1/alerts/{}/resolve", id(alert));

    // A basic colleague may not resolve it; the client, in another environment, finds nothing.
    let basic = Caller::invited(s, &firm, "bas@melding.test", "basic").await;
    assert_eq!(
        basic.post(&resolve, json!({})).await.problem(403),
        "forbidden"
    );
    assert_eq!(
        p.client.post(&resolve, json!({})).await.problem(404),
        "not_found"
    );

    let done = firm.post(&resolve, json!({})).await;
    assert_eq!(done.status, StatusCode::OK, "{done:?}");
    assert!(done.body["resolved_at"].is_string(), "{done:?}");
    assert_eq!(firm.read("/api/v1/alerts").await["items"], json!([]));
    assert_eq!(
        firm.post(&resolve, json!({})).await.problem(409),
        "conflict"
    );

    // A basic user's rights, as set one by one, read back as a list.
    let rights = format!("/api/v1/users/{}/rights", basic.user_id.expect("a user"));
    assert_eq!(firm.read(&rights).await["items"], json!([]));
    let a = firm
        .put(&format!("{rights}/{org}"), json!({ "granted": true }))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!(firm.read(&rights).await["items"], json!([org]));
    assert_eq!(basic.get(&rights).await.problem(403), "forbidden");
}

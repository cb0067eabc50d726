//! The OpenAPI description: served as OpenAPI 3.1, it names every route under `/api/v1`
//! (and each of those routes is really served), its docs page stands alone, and
//! `docs/openapi.json` is the same description. `UPDATE_OPENAPI=1` rewrites that file.

mod caller;
mod support;

use std::collections::BTreeSet;

use caller::Caller;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use support::Server;

server_tests!(describes_every_route, docs_page_stands_alone);

/// Every route of `/api/v1`. A route added to the router belongs here, in the description
/// (a `#[utoipa::path]` listed in `api::openapi`) and in `docs/openapi.json`.
const ROUTES: &[(&str, &str)] = &[
    ("POST", "/session"),
    ("GET", "/session"),
    ("DELETE", "/session"),
    ("POST", "/environments"),
    ("GET", "/environment"),
    ("PUT", "/environment/tier"),
    ("GET", "/organisations"),
    ("POST", "/organisations"),
    ("GET", "/organisations/{id}"),
    ("PUT", "/organisations/{id}"),
    ("PUT", "/organisations/{id}/status"),
    ("POST", "/organisations/{id}/participant-ids"),
    (
        "DELETE",
        "/organisations/{id}/participant-ids/{participant_id}",
    ),
    ("POST", "/organisations/{id}/email-aliases"),
    ("PUT", "/organisations/{id}/budget"),
    ("GET", "/authorisation-requests"),
    ("POST", "/authorisation-requests"),
    ("GET", "/authorisation-requests/{id}"),
    ("POST", "/authorisation-requests/{id}/resend"),
    ("POST", "/authorisation-requests/{id}/withdraw"),
    ("GET", "/activations/{token}"),
    ("POST", "/activations/{token}/decision"),
    ("GET", "/partnerships"),
    ("GET", "/partnerships/{id}"),
    ("POST", "/partnerships/{id}/keys"),
    ("POST", "/partnerships/{id}/revoke"),
    ("GET", "/wallet"),
    ("GET", "/wallet/transactions"),
    ("GET", "/wallet/prices"),
    ("GET", "/wallet/paid-by"),
    ("GET", "/alerts"),
    ("POST", "/alerts/{id}/resolve"),
    ("GET", "/users"),
    ("POST", "/users/invitations"),
    ("POST", "/invitations/{token}/accept"),
    ("PUT", "/users/{id}/role"),
    ("GET", "/users/{id}/rights"),
    ("PUT", "/users/{id}/rights/{organisation_id}"),
    ("GET", "/audit"),
    ("PUT", "/organisations/{id}/peppol"),
    ("GET", "/organisations/{id}/peppol"),
    ("DELETE", "/organisations/{id}/peppol"),
    ("POST", "/organisations/{id}/peppol/migration-key"),
    ("GET", "/organisations/{id}/documents"),
    ("POST", "/organisations/{id}/peppol/send"),
    ("GET", "/peppol/recipients/{participant_id}"),
    ("GET", "/documents/{id}/original"),
];

const METHODS: [&str; 4] = ["get", "post", "put", "delete"];

fn committed_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json")
}

async fn describes_every_route(s: &Server) {
    let anon = Caller::anonymous(s);
    let served = anon.get("/api/openapi.json").await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.header("content-type"), Some("application/json"));
    let spec = served.body;
    let version = spec["openapi"].as_str().expect("an OpenAPI version");
    assert!(version.starts_with("3.1."), "{version}");

    // The description names exactly the routes, under /api/v1.
    let described: BTreeSet<(String, String)> = spec["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let listed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), format!("/api/v1{p}")))
        .collect();
    assert_eq!(described, listed, "described routes differ from the list");

    // Each route is served: anything but the router's own "no such endpoint" or "method not
    // allowed". Ids that exist nowhere make the handlers refuse without changing anything.
    for (method, path) in ROUTES {
        let concrete = path
            .replace("{participant_id}", "0106:00000000")
            .replace("{organisation_id}", "999999")
            .replace("{id}", "999999")
            .replace("{token}", "no-such-token");
        let a = anon
            .call(
                Method::from_bytes(method.as_bytes()).expect("a method"),
                &format!("/api/v1{concrete}"),
                None,
            )
            .await;
        assert_ne!(
            a.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path} is not routed: {a:?}"
        );
        assert_ne!(
            a.body["detail"], "endpoint not found",
            "{method} {path} is not routed: {a:?}"
        );
        assert!(
            a.status.is_client_error(),
            "{method} {path} without credentials or body: {a:?}"
        );
    }

    // Every operation is documented and has a unique id; every refusal is problem+json.
    let mut ids = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let id = op["operationId"].as_str().expect("an operation id");
            assert!(ids.insert(id.to_owned()), "operation id {id} twice");
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{method} {path} has no summary"
            );
            for (status, response) in op["responses"].as_object().expect("responses") {
                if status.starts_with('4') {
                    assert_eq!(
                        response["content"]["application/problem+json"]["schema"]["$ref"],
                        "#/components/schemas/Problem",
                        "{method} {path} {status}"
                    );
                }
            }
            let secured = op.get("security").is_some();
            let keyed = op["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == "Idempotency-Key"));
            assert_eq!(
                keyed,
                secured && method == "post",
                "{method} {path}: Idempotency-Key"
            );
        }
    }
    let schemes = &spec["components"]["securitySchemes"];
    assert_eq!(schemes["connection_keys"]["scheme"], "basic");
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["csrf"]["name"], "X-CSRF-Token");
    let page = &spec["components"]["schemas"];
    assert!(page.get("Problem").is_some(), "the Problem schema");

    // docs/openapi.json is the served description.
    let pretty = serde_json::to_string_pretty(&spec).expect("JSON") + "\n";
    if std::env::var("UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(committed_path(), &pretty).expect("write docs/openapi.json");
    }
    let committed = std::fs::read_to_string(committed_path())
        .expect("docs/openapi.json exists (run with UPDATE_OPENAPI=1)");
    let committed: Value = serde_json::from_str(&committed).expect("docs/openapi.json is JSON");
    assert!(
        committed == spec,
        "docs/openapi.json differs from the served description; run the test with UPDATE_OPENAPI=1"
    );
}

async fn docs_page_stands_alone(s: &Server) {
    let page = Caller::anonymous(s).get("/api/docs").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.header("content-type")
            .is_some_and(|t| t.starts_with("text/html"))
    );
    assert!(
        page.text.contains("/api/openapi.json"),
        "the page reads the description"
    );
    // Nothing is loaded from elsewhere: no outside scripts, styles, fonts or images.
    for outside in [
        "src=\"http",
        "href=\"http",
        "url(http",
        "src=\"//",
        "href=\"//",
        "@import",
    ] {
        assert!(
            !page.text.contains(outside),
            "the docs page loads {outside}…"
        );
    }
}

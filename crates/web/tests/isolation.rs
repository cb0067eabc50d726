//! Tenant isolation over the REST API, as a matrix: every principal of firm A (each role,
//! A's connection keys, A's client's administrator, and anonymous callers) × every endpoint
//! that takes an id × every resource that principal must not reach (firm B's, and A's own
//! ones out of its reach) is refused with 401, 403 or 404, never answered. Each principal's
//! own resources are then reached through the same endpoints, so the matrix can fail.
//!
//! To cover a new endpoint, add one line to [`ENDPOINTS`] (or [`LISTS`]).

mod caller;
mod support;

use caller::{Caller, partner, upgrade};
use reqwest::Method;
use serde_json::{Value, json};
use support::Server;

server_tests!(no_principal_reaches_outside_its_scope);

/// Who calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Administrator,
    Advanced,
    Basic,
    Key,
    ClientAdministrator,
    Anonymous,
}
use Who::*;

/// The kind of id an endpoint takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Organisation,
    Partnership,
    Request,
    User,
    Alert,
}

/// An endpoint with ids: its path has `{organisation}` (with `{participant_id}`, one of that
/// organisation's), `{partnership}`, `{request}`, `{user}` or `{alert}`. The `target` placeholder gets
/// the resource under test; any other gets the caller's own resource of that kind. `proof`
/// names who must succeed on their own resource.
struct Endpoint {
    method: &'static str,
    path: &'static str,
    target: Kind,
    body: &'static str,
    proof: &'static [Who],
}

const fn e(
    method: &'static str,
    path: &'static str,
    target: Kind,
    body: &'static str,
    proof: &'static [Who],
) -> Endpoint {
    Endpoint {
        method,
        path,
        target,
        body,
        proof,
    }
}

/// Every endpoint that takes an id. The order matters only for the proofs, which run after
/// all refusals: rotation and revocation end A's keys, so they come last.
#[rustfmt::skip]
const ENDPOINTS: &[Endpoint] = &[
    e("GET", "/organisations/{organisation}", Kind::Organisation, "", &[Administrator, Advanced, Basic, Key, ClientAdministrator]),
    e("PUT", "/organisations/{organisation}", Kind::Organisation, r#"{"name": "Alfa Een", "kvk": "10000001"}"#, &[Administrator, Basic]),
    e("PUT", "/organisations/{organisation}/status", Kind::Organisation, r#"{"status": "active"}"#, &[Administrator, Advanced, Basic, ClientAdministrator]),
    e("POST", "/organisations/{organisation}/participant-ids", Kind::Organisation, r#"{"participant_id": "0106:10000009"}"#, &[Administrator]),
    e("DELETE", "/organisations/{organisation}/participant-ids/{participant_id}", Kind::Organisation, "", &[Administrator]),
    e("POST", "/organisations/{organisation}/email-aliases", Kind::Organisation, r#"{"alias": "alfa-een"}"#, &[Administrator]),
    e("PUT", "/organisations/{organisation}/budget", Kind::Organisation, r#"{"monthly_cap_cents": 5000}"#, &[Administrator]),
    e("PUT", "/organisations/{organisation}/peppol", Kind::Organisation, r#"{"participant_id": "0106:10000009"}"#, &[Administrator]),
    e("GET", "/organisations/{organisation}/peppol", Kind::Organisation, "", &[Administrator, Advanced, Basic, Key, ClientAdministrator]),
    e("POST", "/organisations/{organisation}/peppol/migration-key", Kind::Organisation, "", &[Administrator]),
    e("DELETE", "/organisations/{organisation}/peppol", Kind::Organisation, "", &[Administrator]),
    e("GET", "/organisations/{organisation}/documents", Kind::Organisation, "", &[Administrator, Advanced, Basic, Key, ClientAdministrator]),
    // Sending needs a Peppol network, which these servers lack: refusals only (the round
    // trip in peppol_network.rs proves the reach).
    e("POST", "/organisations/{organisation}/peppol/send", Kind::Organisation, "", &[]),
    e("PUT", "/users/{user}/rights/{organisation}", Kind::Organisation, r#"{"granted": true}"#, &[Administrator]),
    e("PUT", "/users/{user}/rights/{organisation}", Kind::User, r#"{"granted": true}"#, &[Administrator]),
    e("PUT", "/users/{user}/role", Kind::User, r#"{"role": "basic"}"#, &[Administrator]),
    e("GET", "/users/{user}/rights", Kind::User, "", &[Administrator]),
    e("GET", "/authorisation-requests/{request}", Kind::Request, "", &[Administrator, Advanced, Basic]),
    e("POST", "/authorisation-requests/{request}/resend", Kind::Request, "", &[Administrator, Advanced]),
    e("POST", "/authorisation-requests/{request}/withdraw", Kind::Request, "", &[Advanced]),
    e("GET", "/partnerships/{partnership}", Kind::Partnership, "", &[Administrator, Advanced, Basic, ClientAdministrator]),
    e("POST", "/partnerships/{partnership}/keys", Kind::Partnership, "", &[Administrator]),
    e("POST", "/alerts/{alert}/resolve", Kind::Alert, "", &[Advanced]),
    e("POST", "/partnerships/{partnership}/revoke", Kind::Partnership, "", &[ClientAdministrator]),
];

/// Lists, which take no id: what a principal gets must name nothing out of its reach, and
/// each proof must find the named text.
#[rustfmt::skip]
const LISTS: &[(&str, &[(Who, &str)])] = &[
    ("/organisations", &[(Administrator, "Alfa Twee"), (Basic, "Alfa Een"), (Key, "Alfa Klant"), (ClientAdministrator, "Alfa Klant")]),
    ("/partnerships", &[(Advanced, "Alfa Klant"), (ClientAdministrator, "Alfa Kantoor")]),
    ("/authorisation-requests", &[(Basic, "Alfa Wachtend")]),
    ("/users", &[(Administrator, "alfa-basic@alfa.test")]),
    ("/wallet/paid-by", &[(Administrator, "Alfa Klant"), (Basic, "Alfa Een")]),
    ("/wallet/transactions", &[(Administrator, "Alfa Twee invoice"), (Basic, "Alfa Een invoice"), (Key, "Alfa Klant invoice")]),
    ("/audit", &[(Administrator, "authorisation.accepted")]),
    ("/alerts", &[(Administrator, "Alfa Klant"), (Advanced, "Alfa Klant")]),
];

/// One resource that an endpoint can be pointed at.
#[derive(Clone, Debug)]
enum Resource {
    Organisation { id: i64, participant_id: String },
    Partnership(i64),
    Request(i64),
    User(i64),
    Alert(i64),
}

impl Resource {
    fn id(&self) -> i64 {
        match self {
            Resource::Organisation { id, .. }
            | Resource::Partnership(id)
            | Resource::Request(id)
            | Resource::User(id)
            | Resource::Alert(id) => *id,
        }
    }

    fn kind(&self) -> Kind {
        match self {
            Resource::Organisation { .. } => Kind::Organisation,
            Resource::Partnership(_) => Kind::Partnership,
            Resource::Request(_) => Kind::Request,
            Resource::User(_) => Kind::User,
            Resource::Alert(_) => Kind::Alert,
        }
    }
}

/// One resource of each kind that is the caller's own (or, for the kinds it has none of, a
/// stand-in that keeps the path well-formed).
#[derive(Clone, Debug)]
struct Home([Resource; 5]);

impl Home {
    /// `path` with the home resources filled in, and `target` in its own place.
    fn fill(&self, path: &str, target: Option<&Resource>) -> String {
        let mut path = path.to_owned();
        for own in &self.0 {
            let r = target.filter(|t| t.kind() == own.kind()).unwrap_or(own);
            path = match r {
                Resource::Organisation {
                    id, participant_id, ..
                } => path
                    .replace("{organisation}", &id.to_string())
                    .replace("{participant_id}", participant_id),
                Resource::Partnership(id) => path.replace("{partnership}", &id.to_string()),
                Resource::Request(id) => path.replace("{request}", &id.to_string()),
                Resource::User(id) => path.replace("{user}", &id.to_string()),
                Resource::Alert(id) => path.replace("{alert}", &id.to_string()),
            };
        }
        path
    }
}

/// A principal of the matrix.
struct Principal {
    who: Who,
    caller: Caller,
    home: Home,
    /// What it must not reach.
    foreign: Vec<Resource>,
    /// Text that must not appear in anything it lists.
    unseen: Vec<&'static str>,
}

/// An organisation created by `by` over the API, with one participant id registered.
async fn organisation(by: &Caller, name: &'static str, kvk: &str) -> Resource {
    let a = by
        .post("/api/v1/organisations", json!({ "name": name, "kvk": kvk }))
        .await;
    assert_eq!(a.status, 201, "{a:?}");
    let id = a.body["id"].as_i64().expect("an id");
    let participant_id = format!("0106:{kvk}");
    let a = by
        .post(
            &format!("/api/v1/organisations/{id}/participant-ids"),
            json!({ "participant_id": participant_id }),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    Resource::Organisation { id, participant_id }
}

/// The open alert of `admin`'s environment: its client's budget, exceeded by the first charge.
async fn alert(admin: &Caller) -> Resource {
    let alerts = admin.read("/api/v1/alerts").await;
    let items = alerts["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{alerts}");
    Resource::Alert(items[0]["id"].as_i64().expect("an id"))
}

/// A pending authorisation request of `by`.
async fn pending_request(by: &Caller, email: &str, name: &str, kvk: &str) -> Resource {
    let a = by
        .post(
            "/api/v1/authorisation-requests",
            caller::new_request(email, name, kvk),
        )
        .await;
    assert_eq!(a.status, 201, "{a:?}");
    Resource::Request(a.body["id"].as_i64().expect("an id"))
}

/// A firm's administrator on Basic, one own organisation, a client partnership with keys and
/// a pending request; `prefix` names everything (so lists can be searched for it).
struct Firm {
    admin: Caller,
    own: Resource,
    client_org: Resource,
    partnership: Resource,
    request: Resource,
    keys: Caller,
    client: Caller,
}

async fn firm(s: &Server, prefix: &'static str, names: [&'static str; 3], kvk: u32) -> Firm {
    let lower = prefix.to_lowercase();
    let admin = Caller::sign_up(
        s,
        &format!("{prefix} Kantoor"),
        &format!("{lower}-admin@{lower}.test"),
    )
    .await;
    upgrade(&admin).await;
    let own = organisation(&admin, names[0], &format!("{kvk}")).await;
    let p = partner(
        s,
        &admin,
        &format!("{lower}-client@klant.test"),
        names[1],
        &format!("{}", kvk + 3),
    )
    .await;
    let request = pending_request(
        &admin,
        &format!("{lower}-pending@klant.test"),
        names[2],
        &format!("{}", kvk + 4),
    )
    .await;
    let client_org = Resource::Organisation {
        id: p.organisation_id,
        participant_id: format!("0106:{}", kvk + 3),
    };
    // A cap of one cent: the first charge for the client raises an alert for the firm.
    let budget = admin
        .put(
            &format!("/api/v1/organisations/{}/budget", p.organisation_id),
            json!({ "monthly_cap_cents": 1 }),
        )
        .await;
    assert_eq!(budget.status, 200, "{budget:?}");
    Firm {
        keys: Caller::with_keys(s, &p.app_key, &p.secret),
        client: p.client,
        partnership: Resource::Partnership(p.partnership_id),
        admin,
        own,
        client_org,
        request,
    }
}

async fn no_principal_reaches_outside_its_scope(s: &Server) {
    let a = firm(
        s,
        "Alfa",
        ["Alfa Een", "Alfa Klant", "Alfa Wachtend"],
        10_000_001,
    )
    .await;
    let b = firm(
        s,
        "Bravo",
        ["Bravo Een", "Bravo Klant", "Bravo Wachtend"],
        20_000_001,
    )
    .await;
    // A's second organisation, which its basic user gets no right to.
    let a_two = organisation(&a.admin, "Alfa Twee", "10000002").await;
    let advanced = Caller::invited(s, &a.admin, "alfa-advanced@alfa.test", "advanced").await;
    let basic = Caller::invited(s, &a.admin, "alfa-basic@alfa.test", "basic").await;
    let basic_user = Resource::User(basic.user_id.expect("a user"));
    let right = format!("/api/v1/users/{}/rights/{}", basic_user.id(), a.own.id());
    let granted = a.admin.put(&right, json!({ "granted": true })).await;
    assert_eq!(granted.status, 200, "{granted:?}");
    // A charge on each organisation, named after it, so wallet lists show whose they are.
    for (org, name) in [
        (&a.own, "Alfa Een"),
        (&a_two, "Alfa Twee"),
        (&a.client_org, "Alfa Klant"),
        (&b.own, "Bravo Een"),
        (&b.client_org, "Bravo Klant"),
    ] {
        s.t.hub
            .charge(
                &hub::Principal::System,
                org.id(),
                hub::wallet::Kind::XmlReceived,
                Some(format!("{name} invoice")),
            )
            .await
            .expect("a charge");
    }
    let a_alert = alert(&a.admin).await;

    let b_all = [
        b.own.clone(),
        b.client_org.clone(),
        b.partnership.clone(),
        b.request.clone(),
        Resource::User(b.admin.user_id.expect("a user")),
        Resource::User(b.client.user_id.expect("a user")),
        alert(&b.admin).await,
    ];
    let a_home = Home([
        a.own.clone(),
        a.partnership.clone(),
        a.request.clone(),
        basic_user.clone(),
        a_alert.clone(),
    ]);
    let client_home = Home([
        a.client_org.clone(),
        a.partnership.clone(),
        a.request.clone(),
        basic_user.clone(),
        a_alert.clone(),
    ]);
    let with = |extra: &[&Resource]| {
        b_all
            .iter()
            .cloned()
            .chain(extra.iter().map(|r| (*r).clone()))
            .collect::<Vec<_>>()
    };
    let a_everything = [
        &a.own,
        &a_two,
        &a.client_org,
        &a.partnership,
        &a.request,
        &basic_user,
        &a_alert,
    ];
    let bravo = ["Bravo", "bravo"];
    let principals = vec![
        Principal {
            who: Administrator,
            caller: a.admin,
            home: a_home.clone(),
            foreign: with(&[]),
            unseen: bravo.to_vec(),
        },
        Principal {
            who: Advanced,
            caller: advanced,
            home: a_home.clone(),
            foreign: with(&[]),
            unseen: bravo.to_vec(),
        },
        Principal {
            who: Basic,
            caller: basic,
            home: a_home.clone(),
            foreign: with(&[&a_two, &a_alert]),
            unseen: [&bravo[..], &["Alfa Twee"]].concat(),
        },
        Principal {
            who: Key,
            caller: a.keys,
            home: client_home.clone(),
            foreign: with(&[
                &a.own,
                &a_two,
                &a.partnership,
                &a.request,
                &basic_user,
                &a_alert,
            ]),
            unseen: [&bravo[..], &["Alfa Een", "Alfa Twee", "Alfa Wachtend"]].concat(),
        },
        Principal {
            who: ClientAdministrator,
            caller: a.client,
            home: client_home,
            foreign: with(&[&a.own, &a_two, &a.request, &basic_user, &a_alert]),
            unseen: [
                &bravo[..],
                &["Alfa Een", "Alfa Twee", "Alfa Wachtend", "alfa-basic"],
            ]
            .concat(),
        },
        Principal {
            who: Anonymous,
            caller: Caller::anonymous(s),
            home: a_home,
            foreign: with(&a_everything),
            unseen: Vec::new(),
        },
    ];

    let mut failures = Vec::new();
    let mut refusals = 0;
    for p in &principals {
        for endpoint in ENDPOINTS {
            for target in p.foreign.iter().filter(|r| r.kind() == endpoint.target) {
                let path = p.home.fill(endpoint.path, Some(target));
                let answer = send(&p.caller, endpoint.method, &path, endpoint.body).await;
                refusals += 1;
                let expected: &[u16] = if p.who == Anonymous {
                    &[401]
                } else {
                    &[403, 404]
                };
                let problem = answer.header("content-type") == Some("application/problem+json");
                if !expected.contains(&answer.status.as_u16()) || !problem {
                    failures.push(format!(
                        "{:?} {} {path} ({target:?}) → {} {}",
                        p.who, endpoint.method, answer.status, answer.text
                    ));
                }
            }
        }
        for (list, _) in LISTS {
            let answer = p.caller.get(&format!("/api/v1{list}")).await;
            refusals += 1;
            let leaked: Vec<_> = p
                .unseen
                .iter()
                .filter(|t| answer.text.contains(**t))
                .collect();
            let refused = answer.status.is_client_error();
            if (p.who == Anonymous && answer.status != 401)
                || !leaked.is_empty()
                || (!refused && !answer.status.is_success())
            {
                failures.push(format!(
                    "{:?} GET {list} → {} names {leaked:?}: {}",
                    p.who, answer.status, answer.text
                ));
            }
        }
    }

    // The proofs: each principal reaches its own resources through the same endpoints.
    let mut reaches = 0;
    let principal = |who: Who| {
        principals
            .iter()
            .find(|p| p.who == who)
            .expect("a principal")
    };
    for (list, proofs) in LISTS {
        for (who, text) in *proofs {
            let answer = principal(*who).caller.get(&format!("/api/v1{list}")).await;
            reaches += 1;
            if !answer.status.is_success() || !answer.text.contains(text) {
                failures.push(format!(
                    "{who:?} GET {list} should name {text}: {} {}",
                    answer.status, answer.text
                ));
            }
        }
    }
    for endpoint in ENDPOINTS {
        for who in endpoint.proof {
            let p = principal(*who);
            let path = p.home.fill(endpoint.path, None);
            let answer = send(&p.caller, endpoint.method, &path, endpoint.body).await;
            reaches += 1;
            if !answer.status.is_success() {
                failures.push(format!(
                    "{who:?} {} {path} should succeed: {} {}",
                    endpoint.method, answer.status, answer.text
                ));
            }
        }
    }

    println!(
        "tenant isolation matrix: {} principals × {} endpoints and {} lists; {refusals} refusals and {reaches} reaches checked",
        principals.len(),
        ENDPOINTS.len(),
        LISTS.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} checks failed:\n{}",
        failures.len(),
        refusals + reaches,
        failures.join("\n")
    );
    // Every endpoint was tried against a foreign resource by every principal.
    for endpoint in ENDPOINTS {
        assert!(
            principals
                .iter()
                .all(|p| p.foreign.iter().any(|r| r.kind() == endpoint.target)),
            "{}",
            endpoint.path
        );
    }
}

async fn send(c: &Caller, method: &str, path: &str, body: &str) -> caller::Answer {
    let body: Option<Value> =
        (!body.is_empty()).then(|| serde_json::from_str(body).expect("a JSON body"));
    c.call(
        Method::from_bytes(method.as_bytes()).expect("a method"),
        &format!("/api/v1{path}"),
        body,
    )
    .await
}

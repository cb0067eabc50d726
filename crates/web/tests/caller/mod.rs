//! Calling the REST API as a person (session cookie plus CSRF token), as an accounting
//! package (connection keys over HTTP Basic) or anonymously, and the five-step intermediary
//! flow done purely over the API. Shared by the API and tenant-isolation tests.
#![allow(dead_code)]

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::Server;

/// The password every test account gets.
pub const PASSWORD: &str = "correct horse battery";

/// Someone calling the API.
pub struct Caller {
    http: reqwest::Client,
    base: String,
    keys: Option<(String, String)>,
    /// The session's CSRF token, for a person.
    pub csrf: Option<String>,
    /// The session cookie's value, for a person (for requests made without this client).
    pub cookie: Option<String>,
    /// The user's id, for a person.
    pub user_id: Option<i64>,
}

/// An answer: status, headers and the body as JSON (`Null` when empty or not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Answer {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the status and that the body is problem+json with that status; returns the `code`.
    pub fn problem(&self, status: u16) -> &str {
        assert_eq!(self.status.as_u16(), status, "{self:?}");
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{self:?}"
        );
        assert_eq!(self.body["status"], status, "{self:?}");
        self.body["code"].as_str().expect("a problem code")
    }
}

impl Caller {
    /// No credentials at all.
    pub fn anonymous(s: &Server) -> Caller {
        Caller {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .expect("client"),
            base: s.base.clone(),
            csrf: None,
            cookie: None,
            keys: None,
            user_id: None,
        }
    }

    /// An accounting package with an App Key and Secret.
    pub fn with_keys(s: &Server, app_key: &str, secret: &str) -> Caller {
        Caller {
            keys: Some((app_key.to_owned(), secret.to_owned())),
            ..Caller::anonymous(s)
        }
    }

    /// A firm's first administrator, signed up over the API.
    pub async fn sign_up(s: &Server, firm: &str, email: &str) -> Caller {
        let mut c = Caller::anonymous(s);
        let body = json!({ "environment_name": firm, "name": format!("Owner of {firm}"), "email": email, "password": PASSWORD });
        let a = c
            .call(Method::POST, "/api/v1/environments", Some(body))
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
        assert_eq!(a.header("location"), Some("/api/v1/environment"));
        c.adopt(&a);
        c
    }

    /// A person logged in with email and password.
    pub async fn log_in(s: &Server, email: &str) -> Caller {
        let mut c = Caller::anonymous(s);
        let a = c
            .call(
                Method::POST,
                "/api/v1/session",
                Some(json!({ "email": email, "password": PASSWORD })),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
        c.adopt(&a);
        c
    }

    /// Someone invited by `admin` with `role`, who accepts the mailed invitation.
    pub async fn invited(s: &Server, admin: &Caller, email: &str, role: &str) -> Caller {
        let a = admin
            .post(
                "/api/v1/users/invitations",
                json!({ "email": email, "role": role }),
            )
            .await;
        assert_eq!(a.status, StatusCode::ACCEPTED, "{a:?}");
        let token = newest_token(s, email, "/invitation/");
        let mut c = Caller::anonymous(s);
        let body = json!({ "name": format!("Colleague {email}"), "password": PASSWORD });
        let a = c
            .call(
                Method::POST,
                &format!("/api/v1/invitations/{token}/accept"),
                Some(body),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
        c.adopt(&a);
        c
    }

    /// Keeps the CSRF token, cookie and user id of a session answer (the client's store keeps
    /// the cookie too).
    fn adopt(&mut self, a: &Answer) {
        let set_cookie = a.header("set-cookie").expect("a session cookie");
        assert!(
            set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
            "{set_cookie}"
        );
        let value = set_cookie
            .split(';')
            .next()
            .and_then(|c| c.strip_prefix("postbode_session="))
            .expect("the session cookie");
        self.cookie = Some(value.to_owned());
        self.csrf = Some(
            a.body["csrf_token"]
                .as_str()
                .expect("a CSRF token")
                .to_owned(),
        );
        self.user_id = Some(a.body["user"]["id"].as_i64().expect("a user id"));
    }

    /// The same session without its CSRF token (to prove unsafe methods need it).
    pub fn without_csrf(&self) -> Caller {
        Caller {
            http: self.http.clone(),
            base: self.base.clone(),
            csrf: None,
            cookie: self.cookie.clone(),
            keys: self.keys.clone(),
            user_id: self.user_id,
        }
    }

    /// A request with this caller's credentials.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut r = self.http.request(method, format!("{}{path}", self.base));
        if let Some((key, secret)) = &self.keys {
            r = r.basic_auth(key, Some(secret));
        }
        if let Some(csrf) = &self.csrf {
            r = r.header("X-CSRF-Token", csrf);
        }
        r
    }

    /// Sends a request, with `body` as JSON.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let mut r = self.request(method, path);
        if let Some(body) = body {
            r = r.json(&body);
        }
        answer(r.send().await.expect("the server answers")).await
    }

    /// A GET.
    pub async fn get(&self, path: &str) -> Answer {
        self.call(Method::GET, path, None).await
    }

    /// A POST with a JSON body.
    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(body)).await
    }

    /// A PUT with a JSON body.
    pub async fn put(&self, path: &str, body: Value) -> Answer {
        self.call(Method::PUT, path, Some(body)).await
    }

    /// A GET that must succeed; its body.
    pub async fn read(&self, path: &str) -> Value {
        let a = self.get(path).await;
        assert_eq!(a.status, StatusCode::OK, "GET {path}: {a:?}");
        a.body
    }
}

/// Reads a response into an [`Answer`].
pub async fn answer(r: reqwest::Response) -> Answer {
    let status = r.status();
    let headers = r.headers().clone();
    let text = r.text().await.expect("a body");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        body,
        text,
    }
}

/// The token (last path segment) of the newest link under `prefix` mailed to `to`.
pub fn newest_token(s: &Server, to: &str, prefix: &str) -> String {
    let mail =
        s.t.mails()
            .into_iter()
            .rev()
            .find(|m| m.to.contains(to) && m.link(prefix).is_some())
            .unwrap_or_else(|| panic!("a mail to {to} with a {prefix} link"));
    let link = mail.link(prefix).expect("a link");
    assert!(link.starts_with(&format!("{}{prefix}", s.base)), "{link}");
    link.rsplit('/').next().expect("a token").to_owned()
}

/// What the five steps leave behind.
pub struct Partnership {
    /// The client's administrator.
    pub client: Caller,
    pub request_id: i64,
    pub partnership_id: i64,
    pub organisation_id: i64,
    pub app_key: String,
    pub secret: String,
}

/// Sets `firm`'s environment to the Basic tier, which authorisation requests need.
pub async fn upgrade(firm: &Caller) {
    let a = firm
        .put("/api/v1/environment/tier", json!({ "tier": "basic" }))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!(a.body["tier"], "basic");
}

/// The request body of step 1.
pub fn new_request(client_email: &str, client_name: &str, kvk: &str) -> Value {
    json!({
        "ledger": "twinfield",
        "client_email": client_email,
        "client_name": client_name,
        "kvk": kvk,
        "participant_id": format!("0106:{kvk}"),
        "paid_by": "intermediary",
    })
}

/// Steps 1 to 5 over the API: `firm` (on Basic) requests, the client signs up from the
/// mailed link and accepts, and the firm releases the keys.
pub async fn partner(
    s: &Server,
    firm: &Caller,
    client_email: &str,
    client_name: &str,
    kvk: &str,
) -> Partnership {
    let a = firm
        .post(
            "/api/v1/authorisation-requests",
            new_request(client_email, client_name, kvk),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
    let request_id = a.body["id"].as_i64().expect("a request id");
    let token = newest_token(s, client_email, "/activate/");
    let shown = Caller::anonymous(s)
        .read(&format!("/api/v1/activations/{token}"))
        .await;
    assert_eq!(shown["client_name"], client_name);
    let client =
        Caller::sign_up(s, &format!("{client_name} (own environment)"), client_email).await;
    let decided = client
        .post(
            &format!("/api/v1/activations/{token}/decision"),
            json!({ "accept": true }),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{decided:?}");
    assert_eq!(decided.body["status"], "accepted");
    let partnership_id = decided.body["partnership_id"]
        .as_i64()
        .expect("a partnership");
    let keys = firm
        .post(
            &format!("/api/v1/partnerships/{partnership_id}/keys"),
            json!({}),
        )
        .await;
    assert_eq!(keys.status, StatusCode::CREATED, "{keys:?}");
    Partnership {
        client,
        request_id,
        partnership_id,
        organisation_id: keys.body["organisation_id"]
            .as_i64()
            .expect("an organisation"),
        app_key: keys.body["app_key"]
            .as_str()
            .expect("an App Key")
            .to_owned(),
        secret: keys.body["secret"].as_str().expect("a Secret").to_owned(),
    }
}

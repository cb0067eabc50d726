//! Who is calling: the session cookie for people, connection keys for accounting packages.
//!
//! - Pages use [`SessionUser`]; forms echo the session's CSRF token, checked with
//!   [`SessionUser::check_csrf`]. The cookie is HttpOnly and SameSite=Lax.
//! - The API uses [`ApiPrincipal`]: HTTP Basic with App Key and Secret, or the session
//!   cookie plus an `X-CSRF-Token` header on anything but GET/HEAD.
//! - Failed logins and key checks are rate-limited per account or key ([`Limiter`]).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use base64::Engine;
use hub::Principal;
use hub::user::ActiveSession;

use crate::error::{ApiError, PageError};
use crate::state::AppState;

/// The session cookie's name.
pub const COOKIE: &str = "postbode_session";

/// The value of a cookie named `name`, from the `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The `Set-Cookie` value that stores a session token.
pub fn session_cookie(token: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that ends a session.
pub fn clear_cookie() -> String {
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// A logged-in person on a page.
#[derive(Clone, Debug)]
pub struct SessionUser {
    /// The session and user.
    pub session: ActiveSession,
    /// The cookie token (to log out).
    pub token: String,
}

impl SessionUser {
    /// The principal for service calls.
    pub fn principal(&self) -> Principal {
        Principal::User(self.session.principal.clone())
    }

    /// Checks a form's CSRF token against the session's, in constant time.
    pub fn check_csrf(&self, token: &str) -> Result<(), PageError> {
        if constant_eq(token, &self.session.csrf) {
            Ok(())
        } else {
            Err(PageError::Csrf)
        }
    }
}

fn constant_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

async fn session_of(parts: &Parts, state: &AppState) -> Option<SessionUser> {
    let token = cookie(&parts.headers, COOKIE)?;
    let session = state.hub.session(token).await.ok()?;
    Some(SessionUser {
        session,
        token: token.to_owned(),
    })
}

impl FromRequestParts<AppState> for SessionUser {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        session_of(parts, state)
            .await
            .ok_or_else(|| PageError::Login {
                next: parts
                    .uri
                    .path_and_query()
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
            })
    }
}

/// A person if logged in, for pages anyone may see.
#[derive(Clone, Debug)]
pub struct MaybeUser(pub Option<SessionUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(session_of(parts, state).await))
    }
}

/// The caller of an API endpoint.
#[derive(Clone, Debug)]
pub struct ApiPrincipal(pub Principal);

impl FromRequestParts<AppState> for ApiPrincipal {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // The idempotency middleware authenticates before the handler does; it leaves the
        // principal here so the handler's extractor does not check the credentials again.
        if let Some(known) = parts.extensions.get::<ApiPrincipal>() {
            return Ok(known.clone());
        }
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let (app_key, secret) = basic_credentials(value.as_bytes())
                .ok_or(ApiError::from(hub::Error::Unauthenticated))?;
            let limit_key = format!("key:{app_key}");
            state.limiter.check(&limit_key)?;
            return match state.hub.authenticate_key(&app_key, &secret).await {
                Ok(k) => Ok(ApiPrincipal(Principal::Key(k))),
                Err(e) => {
                    state.limiter.failed(&limit_key);
                    Err(e.into())
                }
            };
        }
        let user = session_of(parts, state)
            .await
            .ok_or(ApiError::from(hub::Error::Unauthenticated))?;
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_eq(sent, &user.session.csrf) {
                return Err(hub::Error::Forbidden(
                    "send the session's CSRF token in the X-CSRF-Token header".into(),
                )
                .into());
            }
        }
        Ok(ApiPrincipal(user.principal()))
    }
}

/// App Key and Secret from an `Authorization: Basic …` header.
fn basic_credentials(value: &[u8]) -> Option<(String, String)> {
    let value = std::str::from_utf8(value).ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (key, secret) = decoded.split_once(':')?;
    Some((key.to_owned(), secret.to_owned()))
}

/// Counts failures per account or key in a fixed window and refuses further attempts once
/// there were too many. In memory: each `serve` process limits on its own, which bounds an
/// attacker's rate by the number of processes, and restarts forgive (acceptable for this).
#[derive(Debug, Default)]
pub struct Limiter {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Limiter {
    const WINDOW: Duration = Duration::from_secs(300);
    const MAX_FAILURES: u32 = 10;
    const MAX_TRACKED: usize = 100_000;

    /// `Err(RateLimited)` while `key` is over its limit.
    pub fn check(&self, key: &str) -> Result<(), hub::Error> {
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        match failures.get(key) {
            Some((n, since)) if *n >= Self::MAX_FAILURES && since.elapsed() < Self::WINDOW => {
                Err(hub::Error::RateLimited)
            }
            _ => Ok(()),
        }
    }

    /// Records a failed attempt for `key`.
    pub fn failed(&self, key: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() >= Self::MAX_TRACKED {
            failures.retain(|_, (_, since)| since.elapsed() < Self::WINDOW);
        }
        let entry = failures
            .entry(key.to_owned())
            .or_insert((0, Instant::now()));
        if entry.1.elapsed() >= Self::WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    /// Forgets `key` after a success.
    pub fn succeeded(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_split_at_the_first_colon() {
        let header = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("pk_a:sk_b:c")
        );
        assert_eq!(
            basic_credentials(header.as_bytes()),
            Some(("pk_a".into(), "sk_b:c".into()))
        );
        assert_eq!(basic_credentials(b"Bearer x"), None);
        assert_eq!(basic_credentials(b"Basic !!!"), None);
    }

    #[test]
    fn limiter_refuses_after_ten_failures_and_forgets_on_success() {
        let l = Limiter::default();
        for _ in 0..10 {
            assert!(l.check("a").is_ok());
            l.failed("a");
        }
        assert!(l.check("a").is_err());
        assert!(l.check("b").is_ok());
        l.succeeded("a");
        assert!(l.check("a").is_ok());
    }

    proptest::proptest! {
        #[test]
        fn headers_from_outside_never_panic(text in "\\PC*", bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = basic_credentials(&bytes);
            let _ = basic_credentials(format!("Basic {text}").as_bytes());
            let mut h = HeaderMap::new();
            if let Ok(v) = axum::http::HeaderValue::from_str(&text) {
                h.insert(header::COOKIE, v);
                let _ = cookie(&h, COOKIE);
            }
        }

        #[test]
        fn any_credentials_survive_basic_encoding(key in "[^:]{0,40}", secret in "\\PC{0,60}") {
            let header = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}")));
            proptest::prop_assert_eq!(basic_credentials(header.as_bytes()), Some((key, secret)));
        }
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; postbode_session=tok; b=2".parse().unwrap(),
        );
        assert_eq!(cookie(&h, COOKIE), Some("tok"));
        assert_eq!(cookie(&h, "c"), None);
    }
}

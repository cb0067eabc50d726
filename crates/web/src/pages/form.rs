//! Posted forms: the CSRF check before anything else, the origin check for forms posted
//! before login, the `next` address after login, and the problem shown with a refused form.

use axum::Form;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::auth::SessionUser;
use crate::error::{PageError, message_of};
use crate::state::AppState;

/// A form posted by a logged-in person. The session's CSRF token is checked before the rest
/// of the form is even parsed, so a forged post gets 403 whatever else it holds.
pub(crate) struct Posted<F> {
    pub user: SessionUser,
    pub form: F,
}

#[derive(Deserialize)]
struct Token {
    #[serde(default)]
    csrf: String,
}

impl<F: DeserializeOwned + Send> FromRequest<AppState> for Posted<F> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = SessionUser::from_request_parts(&mut parts, state).await?;
        let bytes = read(body).await?;
        let token: Token = parse(&parts, &bytes).await.map_err(|_| PageError::Csrf)?;
        user.check_csrf(&token.csrf)?;
        let form = parse(&parts, &bytes).await?;
        Ok(Posted { user, form })
    }
}

/// A form with nothing but its CSRF token: a button that does one thing.
#[derive(Deserialize)]
pub(crate) struct NoFields {}

/// A form posted by someone who is not logged in (sign-up, login, an invitation). There is
/// no session to hold a CSRF token yet, so the browser's `Origin` must be this hub; that
/// stops another site from logging a visitor in to an account of its choosing.
pub(crate) struct Anonymous<F>(pub F);

impl<F: DeserializeOwned + Send> FromRequest<AppState> for Anonymous<F> {
    type Rejection = PageError;

    async fn from_request(req: Request, _: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        if !same_origin(&parts.headers) {
            return Err(PageError::Csrf);
        }
        let bytes = read(body).await?;
        Ok(Anonymous(parse(&parts, &bytes).await?))
    }
}

async fn read(body: Body) -> Result<Bytes, PageError> {
    axum::body::to_bytes(body, crate::MAX_BODY)
        .await
        .map_err(|_| hub::Error::invalid("form", "the form is too large").into())
}

async fn parse<F: DeserializeOwned>(parts: &Parts, bytes: &Bytes) -> Result<F, PageError> {
    let request = Request::from_parts(parts.clone(), Body::from(bytes.clone()));
    match Form::<F>::from_request(request, &()).await {
        Ok(Form(form)) => Ok(form),
        Err(rejection) => Err(hub::Error::invalid("form", rejection.body_text()).into()),
    }
}

/// Whether the `Origin` header, when the browser sends one, names this host. Clients that
/// send none (scripts, old browsers) are not browsers being steered by another site.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest);
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

/// Where to go after login: `next` when it is a path on this hub, otherwise home. A path
/// starting with `//` or `/\` would leave the hub in a browser, as would a scheme.
pub(crate) fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\');
    if local { next } else { "/" }
}

/// Why a form was refused, as it is shown above the form.
pub(crate) struct Problem {
    /// The field at fault, when the hub named one.
    pub field: Option<&'static str>,
    /// What is wrong and how to put it right.
    pub message: String,
    /// Whether a higher subscription would allow it (then the page links to the tiers).
    pub upgrade: bool,
}

impl Problem {
    pub fn of(e: &hub::Error) -> Problem {
        match e {
            hub::Error::Invalid { field, message } => Problem {
                field: Some(field),
                message: message.clone(),
                upgrade: false,
            },
            other => Problem {
                field: None,
                message: message_of(other),
                upgrade: matches!(other, hub::Error::TierRequired { .. }),
            },
        }
    }
}

/// A form's entered values, and why it was refused if it was.
pub(crate) struct Filled<F> {
    /// Distinguishes the forms of one page (the problem's element id).
    pub id: &'static str,
    pub values: F,
    pub problem: Option<Problem>,
}

impl<F> Filled<F> {
    pub fn new(id: &'static str, values: F) -> Filled<F> {
        Filled {
            id,
            values,
            problem: None,
        }
    }

    /// The form again with the entered values and the hub's refusal.
    pub fn refused(id: &'static str, values: F, e: &hub::Error) -> Filled<F> {
        Filled {
            id,
            values,
            problem: Some(Problem::of(e)),
        }
    }

    /// Whether the problem is with the field `name`.
    pub fn invalid(&self, name: &str) -> bool {
        self.problem
            .as_ref()
            .and_then(|p| p.field)
            .is_some_and(|f| f == name)
    }
}

/// An optional text field: `None` when left empty.
pub(crate) fn optional(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    proptest::proptest! {
        #[test]
        fn any_next_is_this_hub_or_home(next in "\\PC{0,80}") {
            let kept = safe_next(&next);
            // A kept target is a local path: one slash, then no second slash or backslash.
            proptest::prop_assert!(kept == "/" || (kept == next && kept.starts_with('/') && !kept.starts_with("//") && !kept.starts_with("/\\")));
        }
    }

    #[test]
    fn next_stays_on_this_hub() {
        assert_eq!(
            safe_next("/organisations/5?tab=x"),
            "/organisations/5?tab=x"
        );
        assert_eq!(safe_next("/activate/abc"), "/activate/abc");
        for outside in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "evil",
            "",
            "/a\\b",
            "/\r\nx",
        ] {
            assert_eq!(safe_next(outside), "/", "{outside:?}");
        }
    }

    #[test]
    fn a_foreign_origin_is_refused() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("hub.example:8080"));
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://hub.example:8080"),
        );
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&h));
    }

    #[test]
    fn a_problem_names_its_field() {
        let form = Filled::refused("f", (), &hub::Error::invalid("kvk", "eight digits"));
        assert!(form.invalid("kvk"));
        assert!(!form.invalid("vat"));
        let gate = Problem::of(&hub::Error::TierRequired {
            feature: hub::subscription::Feature::AuthorisationRequests,
            tier: hub::subscription::Tier::Basic,
        });
        assert!(gate.upgrade && gate.message.contains("Basic"));
    }
}

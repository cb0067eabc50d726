//! How failures look on the wire: `application/problem+json` for the API (RFC 9457), an
//! HTML page (or a redirect to the login page) for the web UI.
//!
//! Each [`hub::Error`] maps to exactly one status here. Storage errors are logged and shown
//! only as "internal error", never with their cause.

use askama::Template;
use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Serialize;

/// An API failure, rendered as problem+json.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    detail: String,
    field: Option<&'static str>,
}

/// The problem+json body.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong this time, and how to put it right.
    pub detail: String,
    /// A stable machine-readable code (`invalid`, `not_found`, `tier_required`, …).
    pub code: String,
    /// The request field at fault, for `invalid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The status of a hub error.
pub fn status_of(e: &hub::Error) -> StatusCode {
    use hub::Error as E;
    match e {
        E::Unauthenticated => StatusCode::UNAUTHORIZED,
        E::Forbidden(_) | E::TierRequired { .. } => StatusCode::FORBIDDEN,
        E::NotFound(_) => StatusCode::NOT_FOUND,
        E::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        E::Conflict(_) => StatusCode::CONFLICT,
        E::Gone(_) => StatusCode::GONE,
        E::InsufficientCredit { .. } => StatusCode::PAYMENT_REQUIRED,
        E::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        E::Storage(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The message shown for a hub error: its own text, except for the hub's own failures.
pub fn message_of(e: &hub::Error) -> String {
    match e {
        hub::Error::Storage(cause) => {
            tracing::error!(error = %cause, "storage error");
            "internal error; it has been logged".to_owned()
        }
        other => other.to_string(),
    }
}

impl From<hub::Error> for ApiError {
    fn from(e: hub::Error) -> Self {
        let field = match &e {
            hub::Error::Invalid { field, .. } => Some(*field),
            _ => None,
        };
        ApiError {
            status: status_of(&e),
            code: e.code(),
            detail: message_of(&e),
            field,
        }
    }
}

impl ApiError {
    /// A failure of the Peppol network rather than of the request: `code` names it
    /// (`recipient_unknown`, `not_delivered`, `peppol_not_configured`, …).
    pub fn peppol(status: StatusCode, code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            detail: detail.into(),
            field: None,
        }
    }

    /// A request the API cannot read (bad JSON, wrong content type, bad query).
    pub fn bad_request(status: StatusCode, detail: impl Into<String>) -> ApiError {
        let code = match status {
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNPROCESSABLE_ENTITY => "invalid",
            _ => "bad_request",
        };
        ApiError {
            status,
            code,
            detail: detail.into(),
            field: None,
        }
    }
}

macro_rules! from_rejection {
    ($($t:ty),*) => {$(
        impl From<$t> for ApiError {
            fn from(r: $t) -> Self {
                ApiError::bad_request(r.status(), r.body_text())
            }
        }
    )*};
}
from_rejection!(JsonRejection, QueryRejection, PathRejection, FormRejection);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Problem {
            kind: format!("https://postbode.dev/problems/{}", self.code),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail,
            code: self.code.to_owned(),
            field: self.field.map(str::to_owned),
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"postbode\""),
            );
        }
        response
    }
}

/// A page failure.
#[derive(Debug)]
pub enum PageError {
    /// Not logged in: go to the login page, then come back.
    Login {
        /// Where to return to.
        next: String,
    },
    /// A form without the session's CSRF token.
    Csrf,
    /// A service refused.
    Hub(hub::Error),
}

impl From<hub::Error> for PageError {
    fn from(e: hub::Error) -> Self {
        PageError::Hub(e)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            PageError::Login { next } => {
                let next: String = url_encode(&next);
                return Redirect::to(&format!("/login?next={next}")).into_response();
            }
            PageError::Csrf => (
                StatusCode::FORBIDDEN,
                "This form has expired. Go back, reload the page and try again.".to_owned(),
            ),
            PageError::Hub(e) => (status_of(&e), message_of(&e)),
        };
        let page = ErrorPage {
            status: status.as_u16(),
            message,
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, page.message).into_response(),
        }
    }
}

/// Percent-encodes everything but unreserved characters and `/`.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

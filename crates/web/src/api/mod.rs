//! The REST API `/api/v1`, described by OpenAPI 3.1 at `/api/openapi.json` with a docs page
//! at `/api/docs`.
//!
//! One module per resource, each owning its routes; every handler extracts, makes one hub
//! call with the caller's [`crate::auth::ApiPrincipal`], and shapes the answer. Failures are
//! problem+json ([`crate::error::ApiError`]), including requests axum cannot read
//! (the `extract` module), unknown routes and oversized bodies.

mod audit;
mod authorisations;
mod documents;
mod environments;
mod extract; // extractors whose refusals are problem+json
mod idempotency; // Idempotency-Key on POST, once for every authenticated route
mod openapi;
mod organisations;
mod paging; // the shapes of list answers
mod partnerships;
mod peppol;
mod session;
mod users;
mod wallet;

use axum::Router;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::ApiError;
use crate::state::AppState;

/// Where the API is mounted.
pub const PREFIX: &str = "/api/v1";

/// Every API route, relative to [`PREFIX`].
pub fn router(state: AppState) -> Router<AppState> {
    let authenticated = Router::new()
        .merge(organisations::router())
        .merge(authorisations::router())
        .merge(partnerships::router())
        .merge(wallet::router())
        .merge(users::router())
        .merge(audit::router())
        .merge(peppol::router())
        .merge(documents::router())
        .route_layer(middleware::from_fn_with_state(state, idempotency::guard));
    // Their POSTs need no credentials and open a session, so they stay out of idempotency.
    let public = Router::new()
        .merge(session::router())
        .merge(environments::router())
        .merge(users::public());
    authenticated
        .merge(public)
        .fallback(|| async { ApiError::from(hub::Error::NotFound("endpoint")) })
        .method_not_allowed_fallback(|| async {
            ApiError::bad_request(
                StatusCode::METHOD_NOT_ALLOWED,
                "this endpoint does not take this method; see /api/docs",
            )
        })
}

/// `/api/openapi.json` and the human-readable docs page.
pub fn docs_router() -> Router<AppState> {
    openapi::router()
}

/// Turns the body limit's plain-text 413 into problem+json on API paths. It must sit outside
/// the limit layer, which answers before any route is reached (see [`crate::router`]).
pub async fn problem_when_too_large(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let plain = !response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if api && plain && response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        let detail = format!(
            "the request body is larger than the limit of {} bytes",
            crate::MAX_BODY
        );
        return ApiError::bad_request(StatusCode::PAYLOAD_TOO_LARGE, detail).into_response();
    }
    response
}

/// A 201 with the new resource's address and its body.
fn created(location: String, body: impl Serialize) -> Response {
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        axum::Json(body),
    )
        .into_response()
}

//! `Idempotency-Key` on POST, for every endpoint that needs credentials: the first answer to
//! a key is stored (per caller, by the hub), and a retry with the same key and body gets that
//! answer again with `Idempotent-Replayed: true` instead of acting twice. The same key with
//! another body, or while the first request is still running, is a 409.
//!
//! This is one middleware on the API's authenticated routes, so handlers stay unaware of it.
//! The public POSTs (login, sign-up, accepting an invitation) are not behind it: their answer
//! opens a session, and session tokens are never stored.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, OriginalUri, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hub::idempotency::{Begin, Stored};
use serde::{Deserialize, Serialize};

use crate::auth::ApiPrincipal;
use crate::error::ApiError;
use crate::state::AppState;

/// The request header that carries the key.
const KEY: &str = "idempotency-key";
/// The response header that marks a replayed answer.
const REPLAYED: &str = "idempotent-replayed";

/// What is kept of an answer: enough to send it again as it was.
#[derive(Debug, Serialize, Deserialize)]
struct Answer {
    status: u16,
    content_type: Option<String>,
    location: Option<String>,
    body: String,
}

/// The middleware: passes through anything but a POST with a key.
pub(super) async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(key) = request.headers().get(KEY).cloned() else {
        return next.run(request).await;
    };
    once(&state, &key, request, next)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn once(
    state: &AppState,
    key: &HeaderValue,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let key = key
        .to_str()
        .map_err(|_| hub::Error::invalid("Idempotency-Key", "use visible ASCII characters"))?
        .to_owned();
    let (mut parts, body) = request.into_parts();
    // Keys belong to a caller, so the caller must be known before the key is looked up.
    let ApiPrincipal(principal) = ApiPrincipal::from_request_parts(&mut parts, state).await?;
    parts.extensions.insert(ApiPrincipal(principal.clone()));
    let path = parts
        .extensions
        .get::<OriginalUri>()
        .map_or_else(|| parts.uri.to_string(), |u| u.0.to_string());
    let body = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
        .await
        .map_err(|r| ApiError::bad_request(r.status(), r.body_text()))?;
    let hash = hub::idempotency::request_hash(Method::POST.as_str(), &path, &body);
    if let Begin::Replay(stored) = state.hub.begin_idempotent(&principal, &key, &hash).await? {
        return Ok(replay(&stored));
    }
    let response = next.run(Request::from_parts(parts, Body::from(body))).await;
    let (response, answer) = capture(response).await;
    // An answer that must not be stored (it holds a Secret) is remembered as a refusal, so a
    // retry still does not act twice and the Secret stays shown once.
    let answer = if response
        .headers()
        .get(header::CACHE_CONTROL)
        .is_some_and(|v| v == "no-store")
    {
        let refusal = hub::Error::Conflict(
            "the first request with this Idempotency-Key succeeded, and its answer held a Secret that is shown only once; \
             to get new keys, send a new request with a new key"
                .into(),
        );
        capture(ApiError::from(refusal).into_response()).await.1
    } else {
        answer
    };
    let stored = match serde_json::to_string(&answer) {
        Ok(body) => {
            let stored = Stored {
                status: answer.status,
                body,
            };
            state
                .hub
                .finish_idempotent(&principal, &key, stored)
                .await
                .map_err(|e| e.to_string())
        }
        Err(e) => Err(e.to_string()),
    };
    if let Err(e) = stored {
        // The action is done and its answer goes out; only a retry would find the key busy.
        tracing::warn!(error = %e, "could not store the answer to an idempotent request");
    }
    Ok(response)
}

/// Reads a response into an [`Answer`], and gives back an equal response to send.
async fn capture(response: Response) -> (Response, Answer) {
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "could not read an answer to store it");
            let failed = StatusCode::INTERNAL_SERVER_ERROR;
            return (
                failed.into_response(),
                Answer {
                    status: failed.as_u16(),
                    content_type: None,
                    location: None,
                    body: String::new(),
                },
            );
        }
    };
    let text = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    let answer = Answer {
        status: parts.status.as_u16(),
        content_type: text(header::CONTENT_TYPE),
        location: text(header::LOCATION),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    };
    (Response::from_parts(parts, Body::from(bytes)), answer)
}

/// The stored answer, sent again.
fn replay(stored: &Stored) -> Response {
    // Rows this layer did not write (none so far) are sent as they are.
    let answer: Answer = serde_json::from_str(&stored.body).unwrap_or(Answer {
        status: stored.status,
        content_type: None,
        location: None,
        body: stored.body.clone(),
    });
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    for (name, value) in [
        (header::CONTENT_TYPE, answer.content_type),
        (header::LOCATION, answer.location),
    ] {
        if let Some(value) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            headers.insert(name, value);
        }
    }
    response
}

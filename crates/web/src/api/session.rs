//! `/session`: logging in and out with email and password, for people using the API with
//! the session cookie (and the CSRF token it comes with).

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use hub::user::User;
use serde::{Deserialize, Serialize};

use super::extract::Json;
use crate::auth::{self, ApiPrincipal};
use crate::error::ApiError;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route(
        "/session",
        post(log_in).get(current_session).delete(log_out),
    )
}

/// What logging in asks for.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    /// The login email address.
    pub email: String,
    /// The password.
    pub password: String,
}

/// A session: who is logged in, and the token to echo in `X-CSRF-Token` on every request
/// that is not a GET. The session itself travels in the `postbode_session` cookie.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Session {
    /// Echo this in the `X-CSRF-Token` header on POST, PUT and DELETE.
    pub csrf_token: String,
    /// The logged-in user.
    pub user: User,
}

/// The answer to anything that opens a session (login, sign-up, accepting an invitation):
/// 201 with the cookie set and the session in the body.
pub(super) async fn opened(
    state: &AppState,
    session: hub::user::Session,
    location: &str,
) -> Result<Response, ApiError> {
    let active = state.hub.session(&session.token).await?;
    let max_age = state.hub.config().session_ttl.num_seconds();
    Ok((
        StatusCode::CREATED,
        [
            (
                header::SET_COOKIE,
                auth::session_cookie(&session.token, max_age, state.secure_cookies),
            ),
            (header::LOCATION, location.to_owned()),
        ],
        axum::Json(Session {
            csrf_token: active.csrf,
            user: active.user,
        }),
    )
        .into_response())
}

/// Log in
///
/// Checks the email and password and opens a session. Repeated failures for one email
/// address are refused for a while (429).
#[utoipa::path(
    post,
    path = "/session",
    tag = "session",
    request_body = Credentials,
    responses(
        (status = 201, description = "Logged in; the `postbode_session` cookie is set", body = Session,
         headers(("Set-Cookie" = String, description = "The session cookie (HttpOnly, SameSite=Lax)"),
                 ("Location" = String, description = "`/api/v1/session`"))),
        (status = 401, description = "Unknown email address or wrong password"),
        (status = 429, description = "Too many failed attempts for this email address"),
    ),
)]
pub(super) async fn log_in(
    State(state): State<AppState>,
    Json(form): Json<Credentials>,
) -> Result<Response, ApiError> {
    let limit_key = format!("login:{}", form.email.trim().to_lowercase());
    state.limiter.check(&limit_key)?;
    match state.hub.login(&form.email, &form.password).await {
        Ok((_, session)) => {
            state.limiter.succeeded(&limit_key);
            opened(&state, session, &format!("{}/session", super::PREFIX)).await
        }
        Err(e) => {
            if matches!(e, hub::Error::Unauthenticated) {
                state.limiter.failed(&limit_key);
            }
            Err(e.into())
        }
    }
}

/// The current session
///
/// Who the session cookie belongs to, and its CSRF token (for a client that lost it).
#[utoipa::path(
    get,
    path = "/session",
    tag = "session",
    responses(
        (status = 200, description = "The session", body = Session),
        (status = 401, description = "No valid session cookie"),
    ),
    security(("session" = [])),
)]
pub(super) async fn current_session(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<axum::Json<Session>, ApiError> {
    let token = auth::cookie(&headers, auth::COOKIE).ok_or(hub::Error::Unauthenticated)?;
    let active = state.hub.session(token).await?;
    Ok(axum::Json(Session {
        csrf_token: active.csrf,
        user: active.user,
    }))
}

/// Log out
///
/// Ends the session and clears its cookie.
#[utoipa::path(
    delete,
    path = "/session",
    tag = "session",
    responses(
        (status = 204, description = "Logged out; the cookie is cleared"),
        (status = 403, description = "No CSRF token, or the caller is a connection key"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn log_out(
    State(state): State<AppState>,
    principal: ApiPrincipal,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    // The principal proves the session and its CSRF token; keys have no session to end.
    let token = match (&principal.0, auth::cookie(&headers, auth::COOKIE)) {
        (hub::Principal::User(_), Some(token)) => token,
        _ => {
            return Err(hub::Error::Forbidden(
                "only a session can log out; connection keys have none".into(),
            )
            .into());
        }
    };
    state.hub.logout(token).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, auth::clear_cookie())],
    )
        .into_response())
}

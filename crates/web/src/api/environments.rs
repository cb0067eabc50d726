//! `/environments` and `/environment`: signing up a firm or business, and its subscription.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post, put};
use hub::environment::{Environment, SignUp};
use hub::subscription::Tier;
use serde::Deserialize;

use super::extract::Json;
use crate::auth::ApiPrincipal;
use crate::error::ApiError;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/environments", post(sign_up))
        .route("/environment", get(show_environment))
        .route("/environment/tier", put(set_tier))
}

/// A change of subscription.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct TierChange {
    /// The new tier.
    pub tier: Tier,
}

/// Sign up
///
/// Creates an environment on the Free tier with its first administrator, and logs them in.
#[utoipa::path(
    post,
    path = "/environments",
    tag = "environment",
    request_body = SignUp,
    responses(
        (status = 201, description = "Created and logged in; the `postbode_session` cookie is set",
         body = super::session::Session,
         headers(("Set-Cookie" = String, description = "The session cookie"),
                 ("Location" = String, description = "`/api/v1/environment`"))),
        (status = 409, description = "An account with this email address exists"),
    ),
)]
pub(super) async fn sign_up(
    State(state): State<AppState>,
    Json(form): Json<SignUp>,
) -> Result<Response, ApiError> {
    let (_, session) = state.hub.sign_up(form).await?;
    super::session::opened(&state, session, &format!("{}/environment", super::PREFIX)).await
}

/// The environment
///
/// The caller's environment: its name, tier and wallet balance.
#[utoipa::path(
    get,
    path = "/environment",
    tag = "environment",
    responses(
        (status = 200, description = "The environment", body = Environment),
        (status = 403, description = "Connection keys act for an organisation, not an environment"),
    ),
    security(("session" = [])),
)]
pub(super) async fn show_environment(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
) -> Result<axum::Json<Environment>, ApiError> {
    Ok(axum::Json(state.hub.environment(&p).await?))
}

/// Change the subscription
///
/// Administrators only.
#[utoipa::path(
    put,
    path = "/environment/tier",
    tag = "environment",
    request_body = TierChange,
    responses(
        (status = 200, description = "The environment on its new tier", body = Environment),
        (status = 403, description = "Not an administrator"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn set_tier(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Json(change): Json<TierChange>,
) -> Result<axum::Json<Environment>, ApiError> {
    Ok(axum::Json(state.hub.set_tier(&p, change.tier).await?))
}

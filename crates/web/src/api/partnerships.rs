//! `/partnerships`: accepted links between an intermediary and a client organisation, and
//! their connection keys (step 5 of the intermediary flow).

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};
use hub::partnership::{Partnership, ReleasedKeys};

use super::extract::Path;
use super::paging::List;
use crate::auth::ApiPrincipal;
use crate::error::ApiError;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/partnerships", get(list_partnerships))
        .route("/partnerships/{id}", get(show_partnership))
        .route("/partnerships/{id}/keys", post(release_keys))
        .route("/partnerships/{id}/revoke", post(revoke_partnership))
}

/// The partnerships
///
/// Of the caller's environment, on either side: as the intermediary or as the client.
#[utoipa::path(
    get,
    path = "/partnerships",
    tag = "partnerships",
    responses((status = 200, description = "Newest first", body = List<Partnership>)),
    security(("session" = [])),
)]
pub(super) async fn list_partnerships(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
) -> Result<axum::Json<List<Partnership>>, ApiError> {
    Ok(axum::Json(state.hub.partnerships(&p).await?.into()))
}

/// One partnership
#[utoipa::path(
    get,
    path = "/partnerships/{id}",
    tag = "partnerships",
    params(("id" = i64, Path, description = "The partnership's id")),
    responses(
        (status = 200, description = "The partnership", body = Partnership),
        (status = 404, description = "The caller's environment is no side of such a partnership"),
    ),
    security(("session" = [])),
)]
pub(super) async fn show_partnership(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
) -> Result<axum::Json<Partnership>, ApiError> {
    Ok(axum::Json(state.hub.partnership(&p, id).await?))
}

/// Release or rotate the connection keys (step 5)
///
/// New keys for the client organisation; any previous keys stop working at once. The Secret
/// and the Quick Connect string are in this answer only: the hub keeps just a hash, so the
/// answer is never cached, and a retry with the same `Idempotency-Key` gets a 409 instead of
/// the Secret. Intermediary administrators and advanced users only.
#[utoipa::path(
    post,
    path = "/partnerships/{id}/keys",
    tag = "partnerships",
    params(("id" = i64, Path, description = "The partnership's id")),
    responses(
        (status = 201, description = "Released; store the Secret now", body = ReleasedKeys,
         headers(("Location" = String, description = "The partnership, which shows the current App Key"),
                 ("Cache-Control" = String, description = "`no-store`"))),
        (status = 403, description = "A basic user, or a connection key"),
        (status = 404, description = "The caller's environment is not the intermediary of such a partnership"),
        (status = 410, description = "The partnership was revoked"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn release_keys(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let keys: ReleasedKeys = state.hub.release_keys(&p, id).await?;
    let mut response = super::created(format!("{}/partnerships/{id}", super::PREFIX), keys);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Revoke a partnership
///
/// Either side's administrator may; every key of the partnership stops working.
#[utoipa::path(
    post,
    path = "/partnerships/{id}/revoke",
    tag = "partnerships",
    params(("id" = i64, Path, description = "The partnership's id")),
    responses(
        (status = 200, description = "Revoked", body = Partnership),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "The caller's environment is no side of such a partnership"),
        (status = 409, description = "Revoked already"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn revoke_partnership(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
) -> Result<axum::Json<Partnership>, ApiError> {
    Ok(axum::Json(state.hub.revoke_partnership(&p, id).await?))
}

//! Peppol per organisation: enrolment in the hub's SMP, the health view and migration keys.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{post, put};
use chrono::{DateTime, Utc};
use hub::registration::{Enrolment, Health, Registration};
use serde::Serialize;

use super::extract::{Json, Path};
use crate::auth::ApiPrincipal;
use crate::error::ApiError;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/organisations/{id}/peppol",
            put(enrol).get(health).delete(deregister),
        )
        .route(
            "/organisations/{id}/peppol/migration-key",
            post(migration_key),
        )
}

/// Register on Peppol
///
/// Publishes the organisation's participant id in this hub's SMP with the document types it
/// takes (invoice and credit note when `capabilities` is left out), adding the id to the
/// organisation when it lacks it. Calling it again changes the capabilities.
#[utoipa::path(
    put,
    path = "/organisations/{id}/peppol",
    tag = "peppol",
    params(("id" = i64, Path, description = "The organisation's id")),
    request_body = Enrolment,
    responses(
        (status = 200, description = "The registration", body = Registration),
        (status = 404, description = "No such organisation within the caller's reach"),
        (status = 409, description = "The participant id belongs to another organisation, or the organisation is archived"),
        (status = 422, description = "The participant id fails its scheme's checks"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn enrol(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
    Json(enrolment): Json<Enrolment>,
) -> Result<axum::Json<Registration>, ApiError> {
    Ok(axum::Json(state.hub.peppol_enrol(&p, id, enrolment).await?))
}

/// Peppol health of an organisation
///
/// Whether it is registered and with which capabilities, and the last message received and
/// sent.
#[utoipa::path(
    get,
    path = "/organisations/{id}/peppol",
    tag = "peppol",
    params(("id" = i64, Path, description = "The organisation's id")),
    responses(
        (status = 200, description = "The health view", body = Health),
        (status = 404, description = "No such organisation within the caller's reach"),
    ),
    security(("session" = []), ("connection_keys" = [])),
)]
pub(super) async fn health(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
) -> Result<axum::Json<Health>, ApiError> {
    Ok(axum::Json(state.hub.peppol_health(&p, id).await?))
}

/// Deregister from Peppol
///
/// Removes the organisation from this hub's SMP; its participant id stays on it.
#[utoipa::path(
    delete,
    path = "/organisations/{id}/peppol",
    tag = "peppol",
    params(("id" = i64, Path, description = "The organisation's id")),
    responses(
        (status = 204, description = "Deregistered"),
        (status = 404, description = "No such organisation within the caller's reach, or it is not registered"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn deregister(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state.hub.peppol_deregister(&p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A migration key, shown once.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MigrationKey {
    /// Give this to the new provider; it is not shown again.
    pub migration_key: String,
    /// Until when it is valid.
    pub expires_at: Option<DateTime<Utc>>,
}

/// Issue a migration key
///
/// For moving the registration to another Peppol provider. A new key replaces the previous.
#[utoipa::path(
    post,
    path = "/organisations/{id}/peppol/migration-key",
    tag = "peppol",
    params(("id" = i64, Path, description = "The organisation's id")),
    responses(
        (status = 200, description = "The key", body = MigrationKey),
        (status = 404, description = "No such organisation within the caller's reach, or it is not registered"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn migration_key(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
) -> Result<axum::Json<MigrationKey>, ApiError> {
    let migration_key = state.hub.peppol_migration_key(&p, id).await?;
    let expires_at = state
        .hub
        .peppol_health(&p, id)
        .await?
        .registration
        .and_then(|r| r.migration_key_expires_at);
    Ok(axum::Json(MigrationKey {
        migration_key,
        expires_at,
    }))
}

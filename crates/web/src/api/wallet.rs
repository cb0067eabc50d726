//! `/wallet`: the credit balance, its movements, the price list and the "Paid by" view; and
//! `/alerts`, the budget alerts the wallet raises, until someone resolves them.

use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use hub::wallet::{Alert, Kind, PaidByRow, Transaction};
use serde::Serialize;

use super::extract::{Path, Query};
use super::paging::{Cursor, CursorPage, List};
use crate::auth::ApiPrincipal;
use crate::error::ApiError;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/wallet", get(show_wallet))
        .route("/wallet/transactions", get(list_transactions))
        .route("/wallet/prices", get(list_prices))
        .route("/wallet/paid-by", get(paid_by))
        .route("/alerts", get(list_alerts))
        .route("/alerts/{id}/resolve", post(resolve_alert))
}

/// A wallet's balance.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Wallet {
    /// The environment that owns it.
    pub environment_id: i64,
    /// Euro cents; negative when overdrawn, which blocks automatic and API sending.
    pub balance_cents: i64,
}

/// The price of one kind of transaction.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Price {
    /// The kind.
    pub kind: Kind,
    /// Its price in euro cents.
    pub cents: i64,
}

/// The balance
#[utoipa::path(
    get,
    path = "/wallet",
    tag = "wallet",
    responses(
        (status = 200, description = "The caller's environment's wallet", body = Wallet),
        (status = 403, description = "Connection keys have no wallet"),
    ),
    security(("session" = [])),
)]
pub(super) async fn show_wallet(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
) -> Result<axum::Json<Wallet>, ApiError> {
    let env = state.hub.environment(&p).await?;
    Ok(axum::Json(Wallet {
        environment_id: env.id,
        balance_cents: env.balance_cents,
    }))
}

/// Wallet movements
///
/// Newest first, a page at a time. A connection key sees the transactions of its own
/// organisation (it needs the `transactions:read` scope).
#[utoipa::path(
    get,
    path = "/wallet/transactions",
    tag = "wallet",
    params(Cursor),
    responses((status = 200, description = "One page; follow `next` for older ones", body = CursorPage<Transaction>)),
    security(("connection_keys" = []), ("session" = [])),
)]
pub(super) async fn list_transactions(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Query(cursor): Query<Cursor>,
) -> Result<axum::Json<CursorPage<Transaction>>, ApiError> {
    let items = state
        .hub
        .transactions(&p, cursor.before, cursor.limit())
        .await?;
    Ok(axum::Json(cursor.page(items, |t| t.id)))
}

/// The price list
#[utoipa::path(
    get,
    path = "/wallet/prices",
    tag = "wallet",
    responses((status = 200, description = "The price of each kind of charge", body = List<Price>)),
    security(("connection_keys" = []), ("session" = [])),
)]
pub(super) async fn list_prices(
    State(state): State<AppState>,
    _: ApiPrincipal,
) -> Result<axum::Json<List<Price>>, ApiError> {
    let prices = state.hub.prices().await?;
    Ok(axum::Json(
        prices
            .into_iter()
            .map(|(kind, cents)| Price { kind, cents })
            .collect::<Vec<_>>()
            .into(),
    ))
}

/// "Paid by"
///
/// Every organisation the caller reaches, who pays its transaction costs, this month's
/// charges, and its budget.
#[utoipa::path(
    get,
    path = "/wallet/paid-by",
    tag = "wallet",
    responses((status = 200, description = "One row per organisation", body = List<PaidByRow>)),
    security(("session" = [])),
)]
pub(super) async fn paid_by(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
) -> Result<axum::Json<List<PaidByRow>>, ApiError> {
    Ok(axum::Json(state.hub.paid_by(&p).await?.into()))
}

/// Open alerts
///
/// The newest 50 open alerts of the caller's environment, newest first. Basic users get only
/// those about organisations they have a right to.
#[utoipa::path(
    get,
    path = "/alerts",
    tag = "wallet",
    responses(
        (status = 200, description = "The open alerts", body = List<Alert>),
        (status = 403, description = "Connection keys have no alerts"),
    ),
    security(("session" = [])),
)]
pub(super) async fn list_alerts(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
) -> Result<axum::Json<List<Alert>>, ApiError> {
    Ok(axum::Json(state.hub.alerts(&p).await?.into()))
}

/// Resolve an alert
///
/// Marks an open alert as dealt with, so it leaves the list and the home page. Administrators
/// and advanced users. Resolving it again is a conflict, not a silent success, so two people
/// resolving at once learn that someone else did.
#[utoipa::path(
    post,
    path = "/alerts/{id}/resolve",
    tag = "wallet",
    params(("id" = i64, Path, description = "The alert's id")),
    responses(
        (status = 200, description = "The alert, with `resolved_at` set", body = Alert),
        (status = 403, description = "A basic user"),
        (status = 404, description = "No such alert in the caller's environment"),
        (status = 409, description = "The alert was resolved already"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn resolve_alert(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
) -> Result<axum::Json<Alert>, ApiError> {
    Ok(axum::Json(state.hub.resolve_alert(&p, id).await?))
}

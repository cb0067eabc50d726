//! `/audit`: the environment's hash-chained audit log, for its administrators.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use hub::audit::Entry;

use super::extract::Query;
use super::paging::{Cursor, CursorPage};
use crate::auth::ApiPrincipal;
use crate::error::ApiError;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/audit", get(audit_log))
}

/// The audit log
///
/// Newest first, a page at a time; the cursor is an entry's `seq`. Administrators only.
#[utoipa::path(
    get,
    path = "/audit",
    tag = "audit",
    params(Cursor),
    responses(
        (status = 200, description = "One page; follow `next` for older entries", body = CursorPage<Entry>),
        (status = 403, description = "Not an administrator"),
    ),
    security(("session" = [])),
)]
pub(super) async fn audit_log(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Query(cursor): Query<Cursor>,
) -> Result<axum::Json<CursorPage<Entry>>, ApiError> {
    let entries = state
        .hub
        .audit_log(&p, cursor.before, cursor.limit())
        .await?;
    Ok(axum::Json(cursor.page(entries, |e| e.seq)))
}

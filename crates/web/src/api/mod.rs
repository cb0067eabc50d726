//! The REST API `/api/v1`.

use axum::Router;

use crate::state::AppState;

/// Every API route, relative to `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
}

/// `/api/openapi.json` and the human-readable docs page.
pub fn docs_router() -> Router<AppState> {
    Router::new()
}

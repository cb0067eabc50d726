//! The server-rendered web UI.

use axum::Router;

use crate::state::AppState;

/// Every page route.
pub fn router() -> Router<AppState> {
    Router::new()
}

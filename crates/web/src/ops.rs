//! Operations: liveness, readiness, Prometheus metrics and per-request measurements.

use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sea_orm::ConnectionTrait;

use crate::state::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
}

/// Ready when the database answers.
async fn ready(State(state): State<AppState>) -> Response {
    let db = state.hub.db();
    let ping = sea_orm::Statement::from_string(db.get_database_backend(), "SELECT 1");
    match db.execute_raw(ping).await {
        Ok(_) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    match &state.metrics {
        Some(handle) => (
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; version=0.0.4",
            )],
            handle.render(),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "metrics are not enabled").into_response(),
    }
}

/// Logs, counts and times each request per route (the route pattern, never the concrete
/// path, so ids and tokens stay out of logs and metrics).
pub(crate) async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let labels = [
        ("method", method),
        ("route", route),
        ("status", response.status().as_u16().to_string()),
    ];
    // Logged by route pattern, never the concrete path or query: paths carry activation and
    // invitation tokens.
    tracing::info!(
        method = %labels[0].1,
        route = %labels[1].1,
        status = %labels[2].1,
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    metrics::counter!("postbode_http_requests_total", &labels).increment(1);
    metrics::histogram!("postbode_http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}

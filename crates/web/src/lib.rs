//! Postbode over HTTP: the server-rendered web UI, the REST API `/api/v1` with its OpenAPI
//! description, and the operations endpoints.
//!
//! # Brief overview
//!
//! [`router`] builds one axum [`Router`] over an [`AppState`] that holds the [`hub::Hub`].
//! Handlers are thin: an extractor in [`auth`] turns the request into a
//! [`hub::Principal`] (session cookie, or connection keys for the API), the handler calls
//! one hub service method, and [`error`] turns a [`hub::Error`] into problem+json or an
//! HTML page. Every asset is embedded in the binary. `/as4` is the Peppol access point's
//! inbound endpoint; the hub's SMP answers at the root (`/iso6523-actorid-upis::…`).
#![deny(missing_docs)]

pub mod api;
mod as4;
pub mod auth;
pub mod error;
pub mod i18n;
mod ops;
pub mod pages;
mod smp;
mod state;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::limit::RequestBodyLimitLayer;

pub use state::AppState;

/// The largest request body the hub accepts (forms and JSON; documents have their own limit).
pub const MAX_BODY: usize = 1024 * 1024;

/// The whole application: pages, API and operations endpoints.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::router())
        .nest(api::PREFIX, api::router(state.clone()))
        .merge(api::docs_router())
        .merge(ops::router())
        .merge(smp::router())
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(axum::middleware::from_fn(api::problem_when_too_large))
        // After the limit above: AS4 messages carry whole invoices and have their own.
        .merge(as4::router())
        .layer(axum::middleware::from_fn(ops::track))
        .with_state(state)
}

/// Serves `state` on `addr` until Ctrl-C or SIGTERM, then lets requests in flight finish.
pub async fn serve(state: AppState, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(address = %listener.local_addr()?, "Postbode is listening");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown())
        .await
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
    tokio::time::sleep(Duration::from_millis(50)).await;
}

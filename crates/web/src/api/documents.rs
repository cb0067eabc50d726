//! `/documents`: the invoices and credit notes an organisation received or sent, with their
//! original bytes.

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hub::document::Document;
use hub::organisation::Page;
use serde::Deserialize;

use super::extract::{Path, Query};
use crate::auth::ApiPrincipal;
use crate::error::ApiError;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/organisations/{id}/documents", get(list_documents))
        .route("/documents/{id}/original", get(document_original))
}

/// Which page of documents.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentsPage {
    /// The page, from 1.
    pub page: Option<u64>,
    /// Documents per page, 1 to 200; 50 when left out.
    pub per_page: Option<u64>,
}

/// List an organisation's documents
///
/// Newest first.
#[utoipa::path(
    get,
    path = "/organisations/{id}/documents",
    tag = "documents",
    params(("id" = i64, Path, description = "The organisation's id"), DocumentsPage),
    responses(
        (status = 200, description = "A page of documents", body = Page<Document>),
        (status = 404, description = "No such organisation within the caller's reach"),
    ),
    security(("session" = []), ("connection_keys" = [])),
)]
pub(super) async fn list_documents(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
    Query(page): Query<DocumentsPage>,
) -> Result<axum::Json<Page<Document>>, ApiError> {
    Ok(axum::Json(
        state
            .hub
            .documents(
                &p,
                id,
                page.page.unwrap_or(1).max(1),
                page.per_page.unwrap_or(50),
            )
            .await?,
    ))
}

/// A document's original
///
/// The bytes exactly as received or sent (for Peppol: the business document inside the
/// envelope), with their SHA-256 in `ETag`.
#[utoipa::path(
    get,
    path = "/documents/{id}/original",
    tag = "documents",
    params(("id" = i64, Path, description = "The document's id")),
    responses(
        (status = 200, description = "The original bytes", content_type = "application/xml"),
        (status = 404, description = "No such document within the caller's reach"),
    ),
    security(("session" = []), ("connection_keys" = [])),
)]
pub(super) async fn document_original(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let (document, original) = state.hub.document_original(&p, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/xml".to_owned()),
            (header::ETAG, format!("\"{}\"", document.sha256)),
        ],
        original,
    )
        .into_response())
}

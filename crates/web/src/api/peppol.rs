//! Peppol: per organisation enrolment in the hub's SMP, the health view, migration keys and
//! sending invoices; and recipient lookup.

use std::sync::Arc;
use std::time::SystemTime;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use chrono::{DateTime, Utc};
use hub::outbound::{Outcome, Sent};
use hub::registration::{Enrolment, Health, Registration};
use peppol::as4::{AccessPoint, Outgoing};
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
        .route("/organisations/{id}/peppol/send", post(send_invoice))
        .route("/peppol/recipients/{participant_id}", get(recipient))
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

/// The access point and network, or 503 when this hub does not send over Peppol.
fn sending(
    state: &AppState,
) -> Result<(Arc<AccessPoint>, Arc<peppol::network::Network>), ApiError> {
    match (&state.access_point, &state.network) {
        (Some(ap), Some(network)) => Ok((ap.clone(), network.clone())),
        _ => Err(ApiError::peppol(
            StatusCode::SERVICE_UNAVAILABLE,
            "peppol_not_configured",
            "this hub is not configured to send over Peppol",
        )),
    }
}

/// Send an invoice over Peppol
///
/// The body is a UBL 2.1 Invoice or CreditNote (Peppol BIS Billing 3.0). It must pass the
/// official rules; its buyer electronic address (BT-49) is the receiver, looked up through
/// the SML and the receiver's SMP. The answer comes when the receiver's access point has
/// acknowledged it with a signed receipt, or when every attempt failed.
#[utoipa::path(
    post,
    path = "/organisations/{id}/peppol/send",
    tag = "peppol",
    params(("id" = i64, Path, description = "The organisation's id")),
    request_body(content = String, content_type = "application/xml", description = "The UBL invoice"),
    responses(
        (status = 201, description = "Delivered: the receiver's access point acknowledged it", body = Sent),
        (status = 402, description = "The paying wallet is overdrawn"),
        (status = 404, description = "No such organisation within the caller's reach"),
        (status = 409, description = "The organisation is not registered on Peppol"),
        (status = 422, description = "The invoice fails the official rules, has no Peppol receiver, or the receiver cannot take it"),
        (status = 502, description = "Not delivered; the document is kept with the reason"),
        (status = 503, description = "This hub does not send over Peppol"),
    ),
    security(("session" = [], "csrf" = []), ("connection_keys" = [])),
)]
pub(super) async fn send_invoice(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
    invoice: Bytes,
) -> Result<(StatusCode, axum::Json<Sent>), ApiError> {
    // Access and the invoice are checked first, so a caller learns nothing of other
    // organisations from how this hub is configured.
    let plan = state.hub.plan_peppol_send(&p, id, &invoice).await?;
    let (ap, network) = sending(&state)?;
    let now = SystemTime::from(state.hub.clock().now());
    let unusable = |code, e: &dyn std::fmt::Display| {
        ApiError::peppol(StatusCode::UNPROCESSABLE_ENTITY, code, e.to_string())
    };
    let endpoint = network
        .endpoint(&plan.receiver, &plan.document_type, &plan.process, now)
        .await
        .map_err(|e| unusable("recipient_unreachable", &e))?;
    let outgoing = Outgoing {
        sender: plan.sender.clone(),
        receiver: plan.receiver.clone(),
        document_type: plan.document_type.clone(),
        process: plan.process.clone(),
        country_c1: plan.country.clone(),
        document: invoice.to_vec(),
    };
    let message = network
        .prepare(&ap, &outgoing, &endpoint, now)
        .map_err(|e| unusable("not_sendable", &e))?;
    let message_id = message.message_id.clone();
    let outcome = match network.send(&ap, message, &endpoint, now).await {
        Ok(delivered) => Outcome::Delivered {
            receipt: delivered.receipt,
        },
        Err(e) => Outcome::Failed {
            reason: e.to_string(),
        },
    };
    let to_ap = endpoint.certificate.common_name().unwrap_or_default();
    let sent = state
        .hub
        .record_peppol_send(
            &p,
            id,
            &plan,
            &invoice,
            &message_id,
            (ap.seat_id(), to_ap),
            &outcome,
        )
        .await?;
    match outcome {
        Outcome::Delivered { .. } => Ok((StatusCode::CREATED, axum::Json(sent))),
        Outcome::Failed { reason } => Err(ApiError::peppol(
            StatusCode::BAD_GATEWAY,
            "not_delivered",
            format!("document {} was not delivered: {reason}", sent.document_id),
        )),
    }
}

/// What a participant can receive over Peppol.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RecipientView {
    /// The participant, `0106:12345678`.
    pub participant_id: String,
    /// The SMP that publishes it.
    pub smp: String,
    /// The document types it takes.
    pub document_types: Vec<String>,
    /// Whether it takes Peppol BIS Billing 3.0 invoices.
    pub receives_invoices: bool,
}

/// Look up a Peppol recipient
///
/// "Can this party receive invoices over Peppol?": asks the SML for the participant's SMP
/// and lists what it publishes.
#[utoipa::path(
    get,
    path = "/peppol/recipients/{participant_id}",
    tag = "peppol",
    params(("participant_id" = String, Path, description = "`scheme:value`, e.g. `0106:12345678`")),
    responses(
        (status = 200, description = "Registered on Peppol", body = RecipientView),
        (status = 404, description = "Not registered on Peppol (not in the SML, or no SMP entry)"),
        (status = 422, description = "Not a valid participant id"),
        (status = 503, description = "This hub does not reach the Peppol network"),
    ),
    security(("session" = []), ("connection_keys" = [])),
)]
pub(super) async fn recipient(
    State(state): State<AppState>,
    ApiPrincipal(_): ApiPrincipal,
    Path(participant_id): Path<String>,
) -> Result<axum::Json<RecipientView>, ApiError> {
    let (_, network) = sending(&state)?;
    let participant = peppol::ParticipantId::parse(&participant_id)
        .map_err(|e| hub::Error::invalid("participant_id", e.to_string()))?;
    let found = network
        .recipient(&participant)
        .await
        .map_err(|e| ApiError::peppol(StatusCode::NOT_FOUND, "recipient_unknown", e.to_string()))?;
    let invoice = hub::registration::Capability::Invoice.document_type();
    Ok(axum::Json(RecipientView {
        participant_id: found.participant.to_string(),
        smp: found.smp,
        receives_invoices: found.document_types.contains(&invoice),
        document_types: found
            .document_types
            .iter()
            .map(ToString::to_string)
            .collect(),
    }))
}

//! `/as4`: where other Peppol access points deliver invoices to this hub.
//!
//! A delivery is checked by `peppol::as4::receive`, routed by the hub to the organisation its
//! receiver participant id names, stored with the signed receipt, and only then answered with
//! that receipt. A duplicate MessageId gets the receipt it got the first time, without a second
//! document. A message the hub refuses gets a signed ebMS error signal. A failure to store
//! gets HTTP 503 and no receipt, so the sender retries.

use std::time::SystemTime;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use hub::peppol::Stored;
use peppol::as4::error::NOT_SERVICED;
use peppol::as4::receive::{self, Refused};
use peppol::as4::{AccessPoint, EbmsError, ErrorCode};

use crate::AppState;

/// The largest AS4 request: Peppol caps a business document at 100 MB, and the gzipped,
/// encrypted payload plus envelope of such a document stays below this.
pub const MAX_AS4_BODY: usize = 110 * 1024 * 1024;

/// The AS4 route, with its own body limit.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/as4", post(deliver))
        .layer(DefaultBodyLimit::max(MAX_AS4_BODY))
}

async fn deliver(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(ap) = state.access_point.clone() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "this hub is not configured as a Peppol access point",
        )
            .into_response();
    };
    let now = SystemTime::from(state.hub.clock().now());
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    // Signature checks, decryption and signing the receipt are CPU work: keep them off the
    // async workers, which also run the inbox writer. The receipt is signed before the hub
    // knows whether it serves the receiver or has seen the MessageId: that costs a signature
    // on the rare message it refuses or repeats, and saves a look-up per message, since the
    // hub decides both inside the transaction that stores.
    let opened = {
        let ap = ap.clone();
        tokio::task::spawn_blocking(move || {
            receive::open(&content_type, &body, &ap, now).map(|received| {
                let receipt = receive::receipt(&received, &ap, now);
                (received, receipt)
            })
        })
        .await
    };
    let (mut received, receipt) = match opened {
        Ok(Ok(opened)) => opened,
        Ok(Err(refused)) => return refuse(&ap, &refused, now),
        Err(_) => return unavailable("the message could not be checked"),
    };
    let receipt = match receipt {
        Ok(receipt) => receipt,
        Err(e) => {
            tracing::error!(error = %e, "signing an AS4 receipt failed");
            return unavailable("the receipt could not be signed");
        }
    };
    let inbound = hub::peppol::Inbound {
        message_id: received.message.message_id.clone(),
        from_ap: received.message.from.clone(),
        to_ap: received.message.to.clone(),
        sender: received.header.sender.to_string(),
        receiver: received.header.receiver.clone(),
        document_type: received.header.document_type.to_string(),
        // Moved, not copied: a document can be 100 MB, and the receipt needs only the rest.
        document: std::mem::take(&mut received.document),
    };
    store(&state, &ap, inbound, receipt, now).await
}

/// Stores the message with its receipt, then answers with the receipt (or with the receipt
/// stored the first time, for a duplicate).
async fn store(
    state: &AppState,
    ap: &AccessPoint,
    inbound: hub::peppol::Inbound,
    receipt: String,
    now: SystemTime,
) -> Response {
    let message_id = inbound.message_id.clone();
    match state.hub.store_inbound(inbound, receipt.clone()).await {
        Ok(Stored::Document(id)) => {
            tracing::info!(%message_id, document_id = id, "AS4 message received");
            signal(receipt)
        }
        Ok(Stored::Duplicate { receipt }) => {
            tracing::info!(%message_id, "AS4 duplicate answered with its receipt");
            signal(receipt)
        }
        Ok(Stored::NotServiced) => refuse(
            ap,
            &Refused {
                error: EbmsError::new(ErrorCode::Other, NOT_SERVICED),
                message_id: Some(message_id),
            },
            now,
        ),
        Err(e) => {
            tracing::error!(error = %e, %message_id, "storing an AS4 message failed");
            unavailable("the message could not be stored")
        }
    }
}

/// A signed error signal for `refused`.
fn refuse(ap: &AccessPoint, refused: &Refused, now: SystemTime) -> Response {
    tracing::info!(
        code = refused.error.code.code(),
        detail = %refused.error.detail,
        message_id = refused.message_id.as_deref().unwrap_or_default(),
        "AS4 message refused"
    );
    match receive::refusal(refused, ap, now) {
        Ok(xml) => signal(xml),
        Err(e) => {
            tracing::error!(error = %e, "signing an AS4 error signal failed");
            unavailable("the error signal could not be signed")
        }
    }
}

/// A signal (receipt or error) as the synchronous answer: a bare SOAP envelope.
fn signal(xml: String) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/soap+xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

/// No receipt: the sender must try again later.
fn unavailable(why: &'static str) -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, why).into_response()
}

//! The hub's SMP: for every participant registered here, the `ServiceGroup` and one signed
//! `ServiceMetadata` per document type it takes, pointing at this hub's `/as4`; and the
//! business card the Peppol Directory reads.
//!
//! Peppol SMPs serve from the root of their host (`/iso6523-actorid-upis::0106:…`), so these
//! routes sit beside the pages; anything that is not a participant path is a plain 404. The
//! metadata is signed with the access point's own certificate: this hub is AP and SMP in one,
//! and a separate SMP certificate would add a key to guard without adding trust.

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hub::registration::Published;
use peppol::smp::business_card::{BusinessEntity, business_card_xml};
use peppol::smp::{
    Endpoint, Metadata, Process, ServiceGroup, ServiceMetadata, TRANSPORT_AS4, parse_path,
    service_group_xml, signed_service_metadata_unsigned,
};

use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/{participant}", get(smp))
        .route("/{participant}/services/{document_type}", get(smp))
        .route("/businesscard/{participant}", get(business_card))
}

/// Answers both SMP requests; the raw path is read, as participant and document type ids
/// may arrive percent-encoded or with raw `::` and `#`.
async fn smp(State(state): State<AppState>, uri: Uri) -> Response {
    let Ok(request) = parse_path(uri.path()) else {
        return not_found();
    };
    let Some(published) = lookup(&state, &request.participant).await else {
        return not_found();
    };
    let base = &state.hub.config().base_url;
    let Some(document_type) = request.document_type else {
        let document_types: Vec<_> = published
            .capabilities
            .iter()
            .map(|c| c.document_type())
            .collect();
        let group = ServiceGroup::new(base, published.participant, &document_types);
        return xml(service_group_xml(&group));
    };
    let Some(capability) = published
        .capabilities
        .iter()
        .find(|c| c.document_type() == document_type)
    else {
        return not_found();
    };
    let Some(ap) = state.access_point.as_deref() else {
        // Without a certificate there is no endpoint to publish.
        return not_found();
    };
    let metadata = Metadata::Service(ServiceMetadata {
        participant: published.participant,
        document_type,
        processes: vec![Process {
            id: capability.process(),
            endpoints: vec![Endpoint {
                transport_profile: TRANSPORT_AS4.to_owned(),
                address: format!("{base}/as4"),
                require_business_level_signature: false,
                minimum_authentication_level: None,
                activation: Some(published.registered_at),
                expiration: None,
                certificate: ap.credentials.certificate.der().to_vec(),
                service_description: "Postbode Peppol access point".to_owned(),
                technical_contact_url: base.clone(),
                technical_information_url: None,
            }],
        }],
    });
    match peppol::xmlsec::sign_enveloped(
        &signed_service_metadata_unsigned(&metadata),
        &ap.credentials,
    ) {
        Ok(signed) => xml(signed),
        Err(e) => {
            tracing::error!(error = %e, "signing SMP metadata failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The Peppol Directory business card of a registered participant.
async fn business_card(State(state): State<AppState>, uri: Uri) -> Response {
    let Some(raw) = uri.path().strip_prefix("/businesscard") else {
        return not_found();
    };
    let Ok(request) = parse_path(raw) else {
        return not_found();
    };
    if request.document_type.is_some() {
        return not_found();
    }
    let Some(published) = lookup(&state, &request.participant).await else {
        return not_found();
    };
    xml(business_card_xml(
        &published.participant,
        &[BusinessEntity {
            name: published.name,
            country: published.country,
            registration_date: Some(published.registered_at.format("%Y-%m-%d").to_string()),
        }],
    ))
}

async fn lookup(state: &AppState, participant: &peppol::ParticipantId) -> Option<Published> {
    match state.hub.published(participant).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "SMP lookup failed");
            None
        }
    }
}

fn xml(body: String) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

fn not_found() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

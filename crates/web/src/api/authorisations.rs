//! `/authorisation-requests` and `/activations`: steps 1 to 4 of the intermediary flow. The
//! intermediary requests and follows up; the client opens the activation link and decides.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use hub::authorisation::{Decision, Invitation, NewRequest, Request};
use serde::{Deserialize, Serialize};

use super::extract::{Json, Path};
use super::paging::List;
use crate::auth::ApiPrincipal;
use crate::error::ApiError;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/authorisation-requests",
            get(list_authorisation_requests).post(request_authorisation),
        )
        .route(
            "/authorisation-requests/{id}",
            get(show_authorisation_request),
        )
        .route(
            "/authorisation-requests/{id}/resend",
            post(resend_authorisation),
        )
        .route(
            "/authorisation-requests/{id}/withdraw",
            post(withdraw_authorisation),
        )
        .route("/activations/{token}", get(show_activation))
        .route("/activations/{token}/decision", post(decide_authorisation))
}

/// A request, and whether its activation mail went out.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Mailed {
    /// The request.
    #[serde(flatten)]
    pub request: Request,
    /// Whether the activation mail was handed to the mail server (or outbox).
    pub mail_sent: bool,
}

/// The client's answer to a request.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct DecisionBody {
    /// Accept (true) or decline (false).
    pub accept: bool,
    /// An existing organisation of the client's environment to link; when left out,
    /// accepting creates one from the request.
    #[serde(default)]
    pub organisation_id: Option<i64>,
}

/// The intermediary's requests
///
/// Newest first.
#[utoipa::path(
    get,
    path = "/authorisation-requests",
    tag = "authorisation",
    responses((status = 200, description = "Every request of the caller's environment", body = List<Request>)),
    security(("session" = [])),
)]
pub(super) async fn list_authorisation_requests(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
) -> Result<axum::Json<List<Request>>, ApiError> {
    Ok(axum::Json(
        state.hub.authorisation_requests(&p).await?.into(),
    ))
}

/// Request authorisation (steps 1 and 2)
///
/// Records the request and mails the client a single-use activation link that expires.
/// Needs the Basic tier, and an administrator or advanced user.
#[utoipa::path(
    post,
    path = "/authorisation-requests",
    tag = "authorisation",
    request_body = NewRequest,
    responses(
        (status = 201, description = "Requested", body = Mailed,
         headers(("Location" = String, description = "The new request's address"))),
        (status = 403, description = "A basic user, a connection key, or a tier below Basic"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn request_authorisation(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Json(new): Json<NewRequest>,
) -> Result<Response, ApiError> {
    let (request, mail_sent) = state.hub.request_authorisation(&p, new).await?;
    let location = format!("{}/authorisation-requests/{}", super::PREFIX, request.id);
    Ok(super::created(location, Mailed { request, mail_sent }))
}

/// One request
#[utoipa::path(
    get,
    path = "/authorisation-requests/{id}",
    tag = "authorisation",
    params(("id" = i64, Path, description = "The request's id")),
    responses(
        (status = 200, description = "The request", body = Request),
        (status = 404, description = "No such request in the caller's environment"),
    ),
    security(("session" = [])),
)]
pub(super) async fn show_authorisation_request(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
) -> Result<axum::Json<Request>, ApiError> {
    Ok(axum::Json(state.hub.authorisation_request(&p, id).await?))
}

/// Re-send the activation link
///
/// For a pending or expired request: mails a fresh link; the old one stops working.
#[utoipa::path(
    post,
    path = "/authorisation-requests/{id}/resend",
    tag = "authorisation",
    params(("id" = i64, Path, description = "The request's id")),
    responses(
        (status = 200, description = "Re-sent", body = Mailed),
        (status = 404, description = "No such request in the caller's environment"),
        (status = 409, description = "The request is decided or withdrawn"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn resend_authorisation(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
) -> Result<axum::Json<Mailed>, ApiError> {
    let (request, mail_sent) = state.hub.resend_authorisation(&p, id).await?;
    Ok(axum::Json(Mailed { request, mail_sent }))
}

/// Withdraw a request
///
/// Only a pending request; its link stops working.
#[utoipa::path(
    post,
    path = "/authorisation-requests/{id}/withdraw",
    tag = "authorisation",
    params(("id" = i64, Path, description = "The request's id")),
    responses(
        (status = 200, description = "Withdrawn", body = Request),
        (status = 404, description = "No such request in the caller's environment"),
        (status = 409, description = "The request is not pending"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn withdraw_authorisation(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
) -> Result<axum::Json<Request>, ApiError> {
    Ok(axum::Json(state.hub.withdraw_authorisation(&p, id).await?))
}

/// Open an activation link (step 3)
///
/// Anyone with the link may see the request it carries. The token is the last segment of the
/// mailed `/activate/{token}` link.
#[utoipa::path(
    get,
    path = "/activations/{token}",
    tag = "authorisation",
    params(("token" = String, Path, description = "The activation link's token")),
    responses(
        (status = 200, description = "The request, with the intermediary's name", body = Invitation),
        (status = 404, description = "No such link"),
        (status = 410, description = "The link was used, declined, withdrawn or has expired"),
    ),
)]
pub(super) async fn show_activation(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<axum::Json<Invitation>, ApiError> {
    Ok(axum::Json(state.hub.invitation(&token).await?))
}

/// Accept or decline (step 4)
///
/// By an administrator of the client's environment. Accepting creates the partnership (and
/// the organisation, unless an existing one is named) in one transaction. The link works once.
#[utoipa::path(
    post,
    path = "/activations/{token}/decision",
    tag = "authorisation",
    params(("token" = String, Path, description = "The activation link's token")),
    request_body = DecisionBody,
    responses(
        (status = 200, description = "The request as decided", body = Request),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such link, or no such organisation in the caller's environment"),
        (status = 409, description = "The caller's own environment sent the request, or the organisation is managed already"),
        (status = 410, description = "The link was used, declined, withdrawn or has expired"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn decide_authorisation(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(token): Path<String>,
    Json(body): Json<DecisionBody>,
) -> Result<axum::Json<Request>, ApiError> {
    let decision = Decision {
        token,
        accept: body.accept,
        organisation_id: body.organisation_id,
    };
    Ok(axum::Json(
        state.hub.decide_authorisation(&p, decision).await?,
    ))
}

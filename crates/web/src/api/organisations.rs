//! `/organisations`: the administrations a caller reaches, their details, identifiers,
//! email aliases, status and budget.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use hub::organisation::{Details, Organisation, Page, Query as Overview, Status, Summary};
use serde::{Deserialize, Serialize};

use super::extract::{Json, Path, Query};
use crate::auth::ApiPrincipal;
use crate::error::ApiError;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/organisations",
            get(list_organisations).post(create_organisation),
        )
        .route(
            "/organisations/{id}",
            get(show_organisation).put(update_organisation),
        )
        .route("/organisations/{id}/status", put(set_organisation_status))
        .route(
            "/organisations/{id}/participant-ids",
            post(add_participant_id),
        )
        .route(
            "/organisations/{id}/participant-ids/{participant_id}",
            delete(remove_participant_id),
        )
        .route("/organisations/{id}/email-aliases", post(add_email_alias))
        .route("/organisations/{id}/budget", put(set_budget))
}

/// A change of status.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct StatusChange {
    /// The new status.
    pub status: Status,
}

/// A Peppol participant id to register.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewParticipantId {
    /// `scheme:value`, e.g. `0106:12345678`, or the full `iso6523-actorid-upis::0106:12345678`.
    pub participant_id: String,
}

/// An inbound email alias to add.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewEmailAlias {
    /// The part before the hub's mail domain: 3 to 64 lowercase letters, digits, dots or dashes.
    pub alias: String,
}

/// A monthly budget for a client organisation whose costs the caller's environment pays.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct Budget {
    /// The monthly cap in euro cents; `null` removes the budget.
    pub monthly_cap_cents: Option<i64>,
    /// Alert when this percentage of the cap is used (1 to 100); 80 when left out.
    #[serde(default = "default_alert_percent")]
    pub alert_percent: i32,
}

fn default_alert_percent() -> i32 {
    80
}

/// The organisations overview
///
/// Every organisation the caller reaches, filtered, sorted and paged by number. A connection
/// key sees only its own organisation.
#[utoipa::path(
    get,
    path = "/organisations",
    tag = "organisations",
    params(Overview),
    responses(
        (status = 200, description = "One page of the overview; `total` counts all pages", body = Page<Summary>),
        (status = 400, description = "A query parameter does not parse"),
        (status = 422, description = "An unknown sort order"),
    ),
    security(("connection_keys" = []), ("session" = [])),
)]
pub(super) async fn list_organisations(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Query(query): Query<Overview>,
) -> Result<axum::Json<Page<Summary>>, ApiError> {
    Ok(axum::Json(state.hub.organisations(&p, &query).await?))
}

/// Create an organisation
///
/// Owned by the caller's environment. The Free tier has one organisation; more need Basic.
#[utoipa::path(
    post,
    path = "/organisations",
    tag = "organisations",
    request_body = Details,
    responses(
        (status = 201, description = "Created", body = Organisation,
         headers(("Location" = String, description = "The new organisation's address"))),
        (status = 403, description = "A basic user, a connection key, or a tier without room for another organisation"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn create_organisation(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Json(details): Json<Details>,
) -> Result<Response, ApiError> {
    let org = state.hub.create_organisation(&p, details).await?;
    Ok(super::created(
        format!("{}/organisations/{}", super::PREFIX, org.id),
        org,
    ))
}

/// One organisation
#[utoipa::path(
    get,
    path = "/organisations/{id}",
    tag = "organisations",
    params(("id" = i64, Path, description = "The organisation's id")),
    responses(
        (status = 200, description = "The organisation", body = Organisation),
        (status = 404, description = "No such organisation within the caller's reach"),
    ),
    security(("connection_keys" = []), ("session" = [])),
)]
pub(super) async fn show_organisation(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
) -> Result<axum::Json<Organisation>, ApiError> {
    Ok(axum::Json(state.hub.organisation(&p, id).await?))
}

/// Change an organisation's details
///
/// The owner's users and the intermediary's may; basic users only with a right to it.
#[utoipa::path(
    put,
    path = "/organisations/{id}",
    tag = "organisations",
    params(("id" = i64, Path, description = "The organisation's id")),
    request_body = Details,
    responses(
        (status = 200, description = "The organisation as changed", body = Organisation),
        (status = 403, description = "Connection keys cannot change organisations"),
        (status = 404, description = "No such organisation within the caller's reach"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn update_organisation(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
    Json(details): Json<Details>,
) -> Result<axum::Json<Organisation>, ApiError> {
    Ok(axum::Json(
        state.hub.update_organisation(&p, id, details).await?,
    ))
}

/// Archive or reactivate an organisation
#[utoipa::path(
    put,
    path = "/organisations/{id}/status",
    tag = "organisations",
    params(("id" = i64, Path, description = "The organisation's id")),
    request_body = StatusChange,
    responses(
        (status = 200, description = "The organisation with its new status", body = Organisation),
        (status = 403, description = "Connection keys cannot change organisations"),
        (status = 404, description = "No such organisation within the caller's reach"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn set_organisation_status(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
    Json(change): Json<StatusChange>,
) -> Result<axum::Json<Organisation>, ApiError> {
    Ok(axum::Json(
        state
            .hub
            .set_organisation_status(&p, id, change.status)
            .await?,
    ))
}

/// Register a Peppol participant id
///
/// The id is checked with its scheme's check digits, and belongs to one organisation on the
/// whole hub. Returns the organisation with its ids.
#[utoipa::path(
    post,
    path = "/organisations/{id}/participant-ids",
    tag = "organisations",
    params(("id" = i64, Path, description = "The organisation's id")),
    request_body = NewParticipantId,
    responses(
        (status = 200, description = "The organisation with the id added", body = Organisation),
        (status = 404, description = "No such organisation within the caller's reach"),
        (status = 409, description = "The id is registered already"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn add_participant_id(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
    Json(new): Json<NewParticipantId>,
) -> Result<axum::Json<Organisation>, ApiError> {
    Ok(axum::Json(
        state
            .hub
            .add_participant_id(&p, id, &new.participant_id)
            .await?,
    ))
}

/// Remove a Peppol participant id
#[utoipa::path(
    delete,
    path = "/organisations/{id}/participant-ids/{participant_id}",
    tag = "organisations",
    params(
        ("id" = i64, Path, description = "The organisation's id"),
        ("participant_id" = String, Path, description = "`scheme:value`, e.g. `0106:12345678`"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such organisation within the caller's reach, or it lacks this id"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn remove_participant_id(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path((id, participant_id)): Path<(i64, String)>,
) -> Result<StatusCode, ApiError> {
    state
        .hub
        .remove_participant_id(&p, id, &participant_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add an inbound email alias
///
/// Needs the email receiver (Basic). Returns the organisation with its aliases.
#[utoipa::path(
    post,
    path = "/organisations/{id}/email-aliases",
    tag = "organisations",
    params(("id" = i64, Path, description = "The organisation's id")),
    request_body = NewEmailAlias,
    responses(
        (status = 200, description = "The organisation with the alias added", body = Organisation),
        (status = 403, description = "The tier lacks the email receiver"),
        (status = 404, description = "No such organisation within the caller's reach"),
        (status = 409, description = "The alias is in use"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn add_email_alias(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
    Json(new): Json<NewEmailAlias>,
) -> Result<axum::Json<Organisation>, ApiError> {
    Ok(axum::Json(
        state.hub.add_email_alias(&p, id, &new.alias).await?,
    ))
}

/// Set or remove a monthly budget
///
/// For an organisation whose costs the caller's environment pays; an alert is raised once a
/// month when spending nears the cap. Administrators only.
#[utoipa::path(
    put,
    path = "/organisations/{id}/budget",
    tag = "organisations",
    params(("id" = i64, Path, description = "The organisation's id")),
    request_body = Budget,
    responses(
        (status = 200, description = "The budget as set", body = Budget),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such organisation within the caller's reach"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn set_budget(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
    Json(budget): Json<Budget>,
) -> Result<axum::Json<Budget>, ApiError> {
    let cap = budget
        .monthly_cap_cents
        .map(|cents| (cents, budget.alert_percent));
    state.hub.set_budget(&p, id, cap).await?;
    Ok(axum::Json(budget))
}

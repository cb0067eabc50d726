//! `/users` and `/invitations`: the people of an environment, their roles and rights, and
//! inviting someone new.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use hub::Role;
use hub::user::{AcceptInvitation, Invite, User};
use serde::{Deserialize, Serialize};

use super::extract::{Json, Path};
use super::paging::List;
use crate::auth::ApiPrincipal;
use crate::error::ApiError;
use crate::state::AppState;

/// The routes that need credentials.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list_users))
        .route("/users/invitations", post(invite_user))
        .route("/users/{id}/role", put(set_role))
        .route("/users/{id}/rights", get(list_rights))
        .route("/users/{id}/rights/{organisation_id}", put(set_right))
}

/// The route a person uses before they have an account.
pub(super) fn public() -> Router<AppState> {
    Router::new().route("/invitations/{token}/accept", post(accept_invitation))
}

/// An invitation on its way.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Invited {
    /// Whether the mail with the link was handed to the mail server (or outbox).
    pub mail_sent: bool,
}

/// What accepting an invitation asks for.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewAccount {
    /// The new user's name.
    pub name: String,
    /// Their password (at least 10 characters).
    pub password: String,
}

/// A change of role.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct RoleChange {
    /// The new role.
    pub role: Role,
}

/// A basic user's right to one organisation.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct Right {
    /// Whether the user may work on the organisation.
    pub granted: bool,
}

/// The users
#[utoipa::path(
    get,
    path = "/users",
    tag = "users",
    responses((status = 200, description = "The users of the caller's environment, by name", body = List<User>)),
    security(("session" = [])),
)]
pub(super) async fn list_users(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
) -> Result<axum::Json<List<User>>, ApiError> {
    Ok(axum::Json(state.hub.users(&p).await?.into()))
}

/// Invite someone
///
/// Mails a link to create an account in the caller's environment. Nothing exists until the
/// person accepts, hence 202. Administrators only.
#[utoipa::path(
    post,
    path = "/users/invitations",
    tag = "users",
    request_body = Invite,
    responses(
        (status = 202, description = "Invited", body = Invited),
        (status = 403, description = "Not an administrator"),
        (status = 409, description = "This person has an account already"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn invite_user(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Json(invite): Json<Invite>,
) -> Result<Response, ApiError> {
    let mail_sent = state.hub.invite(&p, invite).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(Invited { mail_sent })).into_response())
}

/// Accept an invitation
///
/// Creates the user and logs them in. The link works once.
#[utoipa::path(
    post,
    path = "/invitations/{token}/accept",
    tag = "users",
    params(("token" = String, Path, description = "The last segment of the mailed `/invitation/{token}` link")),
    request_body = NewAccount,
    responses(
        (status = 201, description = "Created and logged in; the `postbode_session` cookie is set",
         body = super::session::Session,
         headers(("Set-Cookie" = String, description = "The session cookie"),
                 ("Location" = String, description = "`/api/v1/session`"))),
        (status = 404, description = "No such invitation"),
        (status = 410, description = "The invitation was used or has expired"),
    ),
)]
pub(super) async fn accept_invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Json(account): Json<NewAccount>,
) -> Result<Response, ApiError> {
    let form = AcceptInvitation {
        token,
        name: account.name,
        password: account.password,
    };
    let (_, session) = state.hub.accept_invitation(form).await?;
    super::session::opened(&state, session, &format!("{}/session", super::PREFIX)).await
}

/// Change a user's role
///
/// Administrators only; an administrator cannot demote themselves.
#[utoipa::path(
    put,
    path = "/users/{id}/role",
    tag = "users",
    params(("id" = i64, Path, description = "The user's id")),
    request_body = RoleChange,
    responses(
        (status = 200, description = "The user with the new role", body = User),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such user in the caller's environment"),
        (status = 409, description = "An administrator's own role"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn set_role(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
    Json(change): Json<RoleChange>,
) -> Result<axum::Json<User>, ApiError> {
    Ok(axum::Json(state.hub.set_role(&p, id, change.role).await?))
}

/// A user's rights
///
/// The ids of the organisations the user has a right to, ascending. Only basic users are held
/// to them. Administrators only.
#[utoipa::path(
    get,
    path = "/users/{id}/rights",
    tag = "users",
    params(("id" = i64, Path, description = "The user's id")),
    responses(
        (status = 200, description = "Organisation ids", body = List<i64>),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such user in the caller's environment"),
    ),
    security(("session" = [])),
)]
pub(super) async fn list_rights(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path(id): Path<i64>,
) -> Result<axum::Json<List<i64>>, ApiError> {
    Ok(axum::Json(state.hub.rights(&p, id).await?.into()))
}

/// Give or take a right to an organisation
///
/// Basic users work only on the organisations they have a right to. Administrators only.
#[utoipa::path(
    put,
    path = "/users/{id}/rights/{organisation_id}",
    tag = "users",
    params(
        ("id" = i64, Path, description = "The user's id"),
        ("organisation_id" = i64, Path, description = "The organisation's id"),
    ),
    request_body = Right,
    responses(
        (status = 200, description = "The right as set", body = Right),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such user in the caller's environment, or no such organisation within reach"),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn set_right(
    State(state): State<AppState>,
    ApiPrincipal(p): ApiPrincipal,
    Path((id, organisation_id)): Path<(i64, i64)>,
    Json(right): Json<Right>,
) -> Result<axum::Json<Right>, ApiError> {
    state
        .hub
        .set_right(&p, id, organisation_id, right.granted)
        .await?;
    Ok(axum::Json(right))
}

//! The environment's users: the list, inviting someone by email, changing a role, and the
//! page behind a mailed invitation where the new user picks a name and password.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hub::Role;
use hub::user::{AcceptInvitation, Invite, User};
use serde::Deserialize;

use super::activation::refused;
use super::form::{Anonymous, Filled, Posted, Problem};
use super::layout::{Ctx, Layout, Nav, ok, render};
use super::login::logged_in;
use crate::auth::SessionUser;
use crate::error::{PageError, status_of};
use crate::i18n::Messages;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list))
        .route("/users/invite", post(invite))
        .route("/users/{id}/role", post(set_role))
        .route("/invitation/{token}", get(invitation_page).post(accept))
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
struct InviteForm {
    email: String,
    role: String,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    page: Layout,
    t: &'static Messages,
    users: Vec<User>,
    roles: &'static [Role],
    administrator: bool,
    /// The invitation form, for administrators.
    invite: Option<Filled<InviteForm>>,
    /// A refused role change.
    problem: Option<Problem>,
}

/// What went wrong on the users page, if anything.
enum Refusal {
    Invite(InviteForm, hub::Error),
    Role(hub::Error),
}

async fn users_page(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    refusal: Option<Refusal>,
) -> Result<Response, PageError> {
    let users = state.hub.users(&user.principal()).await?;
    let administrator = user.session.principal.role == Role::Administrator;
    let mut page = UsersPage {
        page: ctx.layout_at(Some(user), Nav::Users, "/users"),
        t: ctx.texts(Some(user)),
        users,
        roles: &Role::ALL,
        administrator,
        invite: administrator.then(|| {
            Filled::new(
                "invite",
                InviteForm {
                    role: Role::Advanced.as_str().to_owned(),
                    ..InviteForm::default()
                },
            )
        }),
        problem: None,
    };
    let status = match refusal {
        None => return Ok(ok(&page)),
        Some(Refusal::Invite(values, e)) => {
            page.invite = Some(Filled::refused("invite", values, &e));
            status_of(&e)
        }
        Some(Refusal::Role(e)) => {
            page.problem = Some(Problem::of(&e));
            status_of(&e)
        }
    };
    Ok(render(status, &page))
}

async fn list(
    State(state): State<AppState>,
    user: SessionUser,
    ctx: Ctx,
) -> Result<Response, PageError> {
    users_page(&state, &ctx, &user, None).await
}

fn role_of(name: &str) -> hub::Result<Role> {
    Role::parse(name)
        .ok_or_else(|| hub::Error::invalid("role", "choose administrator, advanced or basic"))
}

async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Posted { user, form }: Posted<InviteForm>,
) -> Result<Response, PageError> {
    let result = match role_of(&form.role) {
        Ok(role) => {
            state
                .hub
                .invite(
                    &user.principal(),
                    Invite {
                        email: form.email.clone(),
                        role,
                    },
                )
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/users?notice=invited").into_response()),
        Err(e) => users_page(&state, &ctx, &user, Some(Refusal::Invite(form, e))).await,
    }
}

#[derive(Deserialize)]
struct RoleForm {
    role: String,
}

async fn set_role(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Posted { user, form }: Posted<RoleForm>,
) -> Result<Response, PageError> {
    let result = match role_of(&form.role) {
        Ok(role) => state.hub.set_role(&user.principal(), id, role).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/users?notice=saved").into_response()),
        Err(e) => users_page(&state, &ctx, &user, Some(Refusal::Role(e))).await,
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
struct JoinForm {
    name: String,
    password: String,
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    page: Layout,
    t: &'static Messages,
    here: String,
    form: Filled<JoinForm>,
}

async fn invitation_page(ctx: Ctx, Path(token): Path<String>) -> Response {
    ok(&InvitationPage {
        page: ctx.layout(None, Nav::Elsewhere),
        t: ctx.texts(None),
        here: format!("/invitation/{token}"),
        form: Filled::new("join", JoinForm::default()),
    })
}

async fn accept(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Anonymous(form): Anonymous<JoinForm>,
) -> Response {
    let request = AcceptInvitation {
        token: token.clone(),
        name: form.name.clone(),
        password: form.password.clone(),
    };
    match state.hub.accept_invitation(request).await {
        Ok((_, session)) => logged_in(&state, &session, "/?notice=welcome"),
        Err(e @ (hub::Error::Gone(_) | hub::Error::NotFound(_))) => refused(&ctx, None, e),
        Err(e) => {
            let here = format!("/invitation/{token}");
            let page = InvitationPage {
                page: ctx.layout_at(None, Nav::Elsewhere, &here),
                t: ctx.texts(None),
                here,
                form: Filled::refused(
                    "join",
                    JoinForm {
                        password: String::new(),
                        ..form
                    },
                    &e,
                ),
            };
            render(status_of(&e), &page)
        }
    }
}

//! The environment's users: the list, inviting someone by email, changing a role, choosing
//! the administrations a basic user works on, and the page behind a mailed invitation where
//! the new user picks a name and password.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hub::Role;
use hub::organisation;
use hub::user::{AcceptInvitation, Invite, User};
use serde::Deserialize;

use super::activation::refused;
use super::form::{Anonymous, Filled, Posted, Problem};
use super::layout::{Ctx, Layout, Nav, ok, render};
use super::login::logged_in;
use crate::auth::SessionUser;
use crate::error::{PageError, status_of, url_encode};
use crate::i18n::Messages;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list))
        .route("/users/invite", post(invite))
        .route("/users/{id}/role", post(set_role))
        .route("/users/{id}/rights", get(rights).post(set_rights))
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

/// The search and page of the rights page, as its address carries them.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
struct RightsFilter {
    q: String,
    page: Option<u64>,
}

impl RightsFilter {
    /// The address of this filter's page `page` of `user_id`'s rights.
    fn href(&self, user_id: i64, page: u64) -> String {
        format!(
            "/users/{user_id}/rights?q={}&page={page}",
            url_encode(&self.q)
        )
    }
}

/// One administration on the rights page, ticked when the user has a right to it.
struct RightRow {
    id: i64,
    name: String,
    kvk: Option<String>,
    granted: bool,
}

const RIGHTS_PER_PAGE: u64 = 50;

#[derive(Template)]
#[template(path = "user_rights.html")]
struct RightsPage {
    page: Layout,
    t: &'static Messages,
    person: User,
    /// Whether rights matter: administrators and advanced users work on everything.
    basic: bool,
    here: String,
    filter: RightsFilter,
    rows: Vec<RightRow>,
    current: u64,
    last_page: u64,
    previous: Option<String>,
    next: Option<String>,
    problem: Option<Problem>,
}

/// The administrations `id` may work on, one page of the environment's at a time; with a
/// refused save, the hub's reason and the status that fits it.
async fn rights_page(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    id: i64,
    filter: RightsFilter,
    refused: Option<hub::Error>,
) -> Result<Response, PageError> {
    let p = user.principal();
    // Reading the rights first lets the hub refuse non-administrators and other environments.
    let granted = state.hub.rights(&p, id).await?;
    let person = state
        .hub
        .users(&p)
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or(hub::Error::NotFound("user"))?;
    let query = organisation::Query {
        q: Some(filter.q.clone()).filter(|q| !q.trim().is_empty()),
        page: filter.page,
        per_page: Some(RIGHTS_PER_PAGE),
        ..organisation::Query::default()
    };
    let organisations = state.hub.organisations(&p, &query).await?;
    let last_page = organisations.total.div_ceil(organisations.per_page).max(1);
    let current = organisations.page;
    let here = format!("/users/{id}/rights");
    let page = RightsPage {
        page: match refused {
            None => ctx.layout(Some(user), Nav::Users),
            Some(_) => ctx.layout_at(Some(user), Nav::Users, &filter.href(id, current)),
        },
        t: ctx.texts(Some(user)),
        basic: person.role == Role::Basic,
        person,
        here,
        rows: organisations
            .items
            .into_iter()
            .map(|o| RightRow {
                granted: granted.contains(&o.id),
                id: o.id,
                name: o.name,
                kvk: o.kvk,
            })
            .collect(),
        current,
        last_page,
        previous: (current > 1).then(|| filter.href(id, current - 1)),
        next: (current < last_page).then(|| filter.href(id, current + 1)),
        filter,
        problem: refused.as_ref().map(Problem::of),
    };
    let status = refused.as_ref().map_or(StatusCode::OK, status_of);
    Ok(render(status, &page))
}

async fn rights(
    State(state): State<AppState>,
    user: SessionUser,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(filter): Query<RightsFilter>,
) -> Result<Response, PageError> {
    rights_page(&state, &ctx, &user, id, filter, None).await
}

/// Reads the saved rights form: the administrations the page showed (`shown`, one field
/// each), the ticked ones among them (`granted`), and the search and page to come back to.
/// Fields repeat, so the form arrives as a list of pairs rather than a struct.
fn read_rights(pairs: &[(String, String)]) -> (RightsFilter, hub::Result<Vec<(i64, bool)>>) {
    let mut filter = RightsFilter::default();
    let mut shown = Vec::new();
    let mut granted = Vec::new();
    let mut bad = None;
    for (name, value) in pairs {
        let list = match name.as_str() {
            "q" => {
                filter.q = value.clone();
                continue;
            }
            "page" => {
                filter.page = value.parse().ok();
                continue;
            }
            "shown" => &mut shown,
            "granted" => &mut granted,
            _ => continue,
        };
        match value.parse::<i64>() {
            Ok(id) => list.push(id),
            Err(_) => bad = Some(value),
        }
    }
    if let Some(value) = bad {
        let e = hub::Error::invalid("rights", format!("{value} is not an organisation id"));
        return (filter, Err(e));
    }
    // A ticked box is a grant even if its organisation was not listed as shown.
    let mut ids = shown;
    ids.extend(granted.iter().copied());
    ids.sort_unstable();
    ids.dedup();
    let changes = ids
        .into_iter()
        .map(|id| (id, granted.contains(&id)))
        .collect();
    (filter, Ok(changes))
}

async fn set_rights(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Posted { user, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (filter, changes) = read_rights(&form);
    let result = match changes {
        Ok(changes) => state.hub.set_rights(&user.principal(), id, &changes).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => {
            let back = filter.href(id, filter.page.unwrap_or(1));
            Ok(Redirect::to(&format!("{back}&notice=saved")).into_response())
        }
        Err(e) => rights_page(&state, &ctx, &user, id, filter, Some(e)).await,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_rights_form_changes_what_the_page_showed() {
        let (filter, changes) = read_rights(&pairs(&[
            ("csrf", "x"),
            ("q", "bakker"),
            ("page", "2"),
            ("shown", "3"),
            ("shown", "1"),
            ("shown", "3"),
            ("granted", "3"),
            ("granted", "7"),
        ]));
        assert_eq!((filter.q.as_str(), filter.page), ("bakker", Some(2)));
        assert_eq!(
            changes.expect("changes"),
            [(1, false), (3, true), (7, true)]
        );
        let (_, refused) = read_rights(&pairs(&[("shown", "1"), ("granted", "one")]));
        assert!(matches!(
            refused,
            Err(hub::Error::Invalid {
                field: "rights",
                ..
            })
        ));
    }
}

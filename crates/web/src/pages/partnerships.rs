//! Both sides' partnerships; for the intermediary, releasing and rotating the connection
//! keys (step 5 of the flow), and for either side's administrator, revoking.
//!
//! The released keys are shown on the answer to the post itself, once: the Secret is not
//! stored, so there is nothing to redirect to, and the answer must not be cached.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hub::Role;
use hub::partnership::{Partnership, ReleasedKeys};

use super::form::{NoFields, Posted, Problem};
use super::layout::{Ctx, Layout, Nav, answer_with, ok};
use crate::auth::SessionUser;
use crate::error::PageError;
use crate::i18n::Messages;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/partnerships", get(list))
        .route("/partnerships/{id}/keys", post(release))
        .route("/partnerships/{id}/revoke", post(revoke))
}

#[derive(Template)]
#[template(path = "partnerships.html")]
struct ListPage {
    page: Layout,
    t: &'static Messages,
    partnerships: Vec<Partnership>,
    /// Whether the viewer may release keys (administrators and advanced users).
    may_release: bool,
    /// Whether the viewer may revoke.
    administrator: bool,
    problem: Option<Problem>,
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    refused: Option<hub::Error>,
) -> Result<Response, PageError> {
    let partnerships = state.hub.partnerships(&user.principal()).await?;
    let role = user.session.principal.role;
    let page = ListPage {
        page: ctx.layout_at(Some(user), Nav::Partnerships, "/partnerships"),
        t: ctx.texts(Some(user)),
        partnerships,
        may_release: role >= Role::Advanced,
        administrator: role == Role::Administrator,
        problem: refused.as_ref().map(Problem::of),
    };
    Ok(answer_with(refused.as_ref(), &page))
}

async fn list(
    State(state): State<AppState>,
    user: SessionUser,
    ctx: Ctx,
) -> Result<Response, PageError> {
    list_page(&state, &ctx, &user, None).await
}

#[derive(Template)]
#[template(path = "keys.html")]
struct KeysPage {
    page: Layout,
    t: &'static Messages,
    organisation: String,
    keys: ReleasedKeys,
}

async fn release(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Posted { user, .. }: Posted<NoFields>,
) -> Result<Response, PageError> {
    let p = user.principal();
    let keys = match state.hub.release_keys(&p, id).await {
        Ok(keys) => keys,
        Err(e) => return list_page(&state, &ctx, &user, Some(e)).await,
    };
    let organisation = state.hub.partnership(&p, id).await?.organisation_name;
    let page = KeysPage {
        page: ctx.layout_at(Some(&user), Nav::Partnerships, "/partnerships"),
        t: ctx.texts(Some(&user)),
        organisation,
        keys,
    };
    let mut response = ok(&page);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn revoke(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Posted { user, .. }: Posted<NoFields>,
) -> Result<Response, PageError> {
    match state.hub.revoke_partnership(&user.principal(), id).await {
        Ok(_) => Ok(Redirect::to("/partnerships?notice=revoked").into_response()),
        Err(e) => list_page(&state, &ctx, &user, Some(e)).await,
    }
}

//! The client's side of the flow: the page behind the mailed activation link (step 3), where
//! the client signs up or logs in, and then accepts or declines (step 4).
//!
//! A used, declined, withdrawn or expired link shows the hub's reason with status 410.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hub::Role;
use hub::authorisation::{Decision, Invitation};
use hub::organisation::Query;
use serde::Deserialize;

use super::form::{Filled, Posted};
use super::layout::{Ctx, Layout, Nav, ok, render};
use super::login::SignupForm;
use crate::auth::{MaybeUser, SessionUser};
use crate::error::{PageError, message_of, status_of, url_encode};
use crate::i18n::Messages;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/activate/{token}", get(show).post(decide))
}

/// Who is looking at the request, which decides what the page offers.
enum Viewer {
    /// Not logged in: sign up or log in first.
    Anonymous,
    /// Logged in, but only an administrator may answer for the environment.
    NotAdministrator,
    /// May accept or decline.
    Administrator,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
struct AnswerForm {
    decision: String,
    /// An own organisation's id to link, or empty for a new one.
    organisation_id: String,
}

#[derive(Template)]
#[template(path = "activation.html")]
struct ActivationPage {
    page: Layout,
    t: &'static Messages,
    step: u8,
    here: String,
    invitation: Invitation,
    viewer: Viewer,
    signup: Filled<SignupForm>,
    login_href: String,
    /// The viewer's own administrations it may link instead of making a new one.
    own: Vec<(i64, String)>,
    answer: Filled<AnswerForm>,
}

#[derive(Template)]
#[template(path = "gone.html")]
pub(super) struct GonePage {
    pub page: Layout,
    pub t: &'static Messages,
    pub message: String,
}

/// The page for a link that worked once and no longer does (410), or the error page for
/// anything else the hub refused.
pub(super) fn refused(ctx: &Ctx, user: Option<&SessionUser>, e: hub::Error) -> Response {
    if let hub::Error::Gone(_) = e {
        let page = GonePage {
            page: ctx.layout(user, Nav::Elsewhere),
            t: ctx.texts(user),
            message: message_of(&e),
        };
        return render(StatusCode::GONE, &page);
    }
    PageError::Hub(e).into_response()
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    user: Option<&SessionUser>,
    token: &str,
    answer: Filled<AnswerForm>,
) -> Result<ActivationPage, hub::Error> {
    let invitation = state.hub.invitation(token).await?;
    let here = format!("/activate/{token}");
    let (viewer, own) = match user {
        None => (Viewer::Anonymous, Vec::new()),
        Some(u) if u.session.principal.role != Role::Administrator => {
            (Viewer::NotAdministrator, Vec::new())
        }
        Some(u) => {
            let query = Query {
                per_page: Some(200),
                ..Query::default()
            };
            let own = state
                .hub
                .organisations(&u.principal(), &query)
                .await?
                .items
                .into_iter()
                .filter(|o| o.own)
                .map(|o| (o.id, o.name))
                .collect();
            (Viewer::Administrator, own)
        }
    };
    Ok(ActivationPage {
        page: ctx.layout_at(user, Nav::Elsewhere, &here),
        t: ctx.texts(user),
        step: if user.is_some() { 4 } else { 3 },
        login_href: format!("/login?next={}", url_encode(&here)),
        signup: Filled::new(
            "signup",
            SignupForm {
                next: here.clone(),
                ..SignupForm::default()
            },
        ),
        here,
        invitation,
        viewer,
        own,
        answer,
    })
}

async fn show(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Response {
    match page(
        &state,
        &ctx,
        user.as_ref(),
        &token,
        Filled::new("answer", AnswerForm::default()),
    )
    .await
    {
        Ok(page) => ok(&page),
        Err(e) => refused(&ctx, user.as_ref(), e),
    }
}

async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Posted { user, form }: Posted<AnswerForm>,
) -> Response {
    let organisation_id = match form.organisation_id.trim() {
        "" => Ok(None),
        id => id.parse().map(Some).map_err(|_| {
            hub::Error::invalid("organisation_id", "choose one of your administrations")
        }),
    };
    let accept = form.decision == "accept";
    let result = match organisation_id {
        Ok(organisation_id) => {
            let decision = Decision {
                token: token.clone(),
                accept,
                organisation_id,
            };
            state
                .hub
                .decide_authorisation(&user.principal(), decision)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) if accept => Redirect::to("/partnerships?notice=accepted").into_response(),
        Ok(_) => Redirect::to("/?notice=declined").into_response(),
        Err(e @ hub::Error::Gone(_)) => refused(&ctx, Some(&user), e),
        Err(e) => {
            let status = status_of(&e);
            let answer = Filled::refused("answer", form, &e);
            match page(&state, &ctx, Some(&user), &token, answer).await {
                Ok(page) => render(status, &page),
                Err(e) => refused(&ctx, Some(&user), e),
            }
        }
    }
}

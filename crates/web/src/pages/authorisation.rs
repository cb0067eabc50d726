//! The authorisation wizard (step 1 of the flow: package, client, identifiers, who pays)
//! and the intermediary's list of requests, with re-send and withdraw.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hub::authorisation::{NewRequest, PaidBy, Request, Status};
use hub::organisation::Ledger;
use hub::subscription::Feature;
use serde::Deserialize;

use super::form::{Filled, NoFields, Posted, Problem, optional};
use super::layout::{Ctx, Layout, Nav, answer_with, ok, render};
use crate::auth::SessionUser;
use crate::error::{PageError, status_of};
use crate::i18n::Messages;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/authorisations", get(list))
        .route("/authorisations/new", get(wizard).post(request))
        .route("/authorisations/{id}/resend", post(resend))
        .route("/authorisations/{id}/withdraw", post(withdraw))
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
struct RequestForm {
    ledger: String,
    client_email: String,
    client_name: String,
    kvk: String,
    vat: String,
    participant_id: String,
    paid_by: String,
}

impl RequestForm {
    fn request(&self) -> hub::Result<NewRequest> {
        let ledger = Ledger::parse(&self.ledger).ok_or_else(|| {
            hub::Error::invalid("ledger", "choose the client's accounting package")
        })?;
        Ok(NewRequest {
            ledger,
            client_email: self.client_email.clone(),
            client_name: self.client_name.clone(),
            kvk: optional(&self.kvk),
            vat: optional(&self.vat),
            participant_id: optional(&self.participant_id),
            paid_by: if self.paid_by == PaidBy::Client.as_str() {
                PaidBy::Client
            } else {
                PaidBy::Intermediary
            },
        })
    }
}

#[derive(Template)]
#[template(path = "authorisation_new.html")]
struct WizardPage {
    page: Layout,
    t: &'static Messages,
    /// The step of the flow this page is.
    step: u8,
    /// Why the environment cannot send requests yet, said before the form is filled in.
    gate: Option<String>,
    form: Filled<RequestForm>,
    ledgers: &'static [Ledger],
}

async fn wizard_page(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    form: Filled<RequestForm>,
) -> Result<WizardPage, PageError> {
    let tier = state.hub.environment(&user.principal()).await?.tier;
    let t = ctx.texts(Some(user));
    let feature = Feature::AuthorisationRequests;
    let gate = (!tier.allows(feature) && form.problem.is_none()).then(|| {
        format!(
            "{}: {} {}.",
            t.feature(&feature),
            t.tier_gate,
            feature.tier().label()
        )
    });
    Ok(WizardPage {
        page: ctx.layout_at(Some(user), Nav::Authorisations, "/authorisations/new"),
        t,
        step: 1,
        gate,
        form,
        ledgers: &Ledger::ALL,
    })
}

async fn wizard(
    State(state): State<AppState>,
    user: SessionUser,
    ctx: Ctx,
) -> Result<Response, PageError> {
    let form = Filled::new("request", RequestForm::default());
    Ok(ok(&wizard_page(&state, &ctx, &user, form).await?))
}

async fn request(
    State(state): State<AppState>,
    ctx: Ctx,
    Posted { user, form }: Posted<RequestForm>,
) -> Result<Response, PageError> {
    let result = match form.request() {
        Ok(new) => {
            state
                .hub
                .request_authorisation(&user.principal(), new)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok((_, true)) => Ok(Redirect::to("/authorisations?notice=request_sent").into_response()),
        Ok((_, false)) => {
            Ok(Redirect::to("/authorisations?notice=request_not_mailed").into_response())
        }
        Err(e) => {
            let status = status_of(&e);
            let page =
                wizard_page(&state, &ctx, &user, Filled::refused("request", form, &e)).await?;
            Ok(render(status, &page))
        }
    }
}

/// A request as a row of the list, with what may still be done to it.
struct Row {
    request: Request,
    class: &'static str,
    can_resend: bool,
    can_withdraw: bool,
}

impl Row {
    fn of(request: Request) -> Row {
        let (class, can_resend, can_withdraw) = match request.status {
            Status::Pending => ("pending", true, true),
            Status::Expired => ("expired", true, false),
            Status::Accepted => ("accepted", false, false),
            Status::Declined => ("declined", false, false),
            Status::Withdrawn => ("withdrawn", false, false),
        };
        Row {
            request,
            class,
            can_resend,
            can_withdraw,
        }
    }
}

#[derive(Template)]
#[template(path = "authorisations.html")]
struct ListPage {
    page: Layout,
    t: &'static Messages,
    rows: Vec<Row>,
    problem: Option<Problem>,
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    refused: Option<hub::Error>,
) -> Result<Response, PageError> {
    let requests = state.hub.authorisation_requests(&user.principal()).await?;
    let page = ListPage {
        page: ctx.layout_at(Some(user), Nav::Authorisations, "/authorisations"),
        t: ctx.texts(Some(user)),
        rows: requests.into_iter().map(Row::of).collect(),
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

async fn resend(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Posted { user, .. }: Posted<NoFields>,
) -> Result<Response, PageError> {
    match state.hub.resend_authorisation(&user.principal(), id).await {
        Ok((_, true)) => Ok(Redirect::to("/authorisations?notice=resent").into_response()),
        Ok((_, false)) => {
            Ok(Redirect::to("/authorisations?notice=request_not_mailed").into_response())
        }
        Err(e) => list_page(&state, &ctx, &user, Some(e)).await,
    }
}

async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Posted { user, .. }: Posted<NoFields>,
) -> Result<Response, PageError> {
    match state
        .hub
        .withdraw_authorisation(&user.principal(), id)
        .await
    {
        Ok(_) => Ok(Redirect::to("/authorisations?notice=withdrawn").into_response()),
        Err(e) => list_page(&state, &ctx, &user, Some(e)).await,
    }
}

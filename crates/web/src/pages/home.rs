//! The accountant's home: every administration the environment reaches (searched, filtered,
//! sorted and paged by the hub, so 500 of them cost one page of rows), the open alerts with a
//! button to mark each one done, and the wallet balance and tier.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hub::Role;
use hub::environment::Environment;
use hub::organisation::{self, Ledger, Page, Status, Summary};
use hub::wallet::Alert;
use serde::Deserialize;

use super::form::{NoFields, Posted, Problem};
use super::layout::{Ctx, Layout, Nav, render};
use crate::auth::SessionUser;
use crate::error::{PageError, status_of, url_encode};
use crate::i18n::Messages;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/alerts/{id}/resolve", post(resolve_alert))
}

/// Every organisation status, for the filter.
pub(super) const STATUSES: [Status; 2] = [Status::Active, Status::Archived];

/// The overview's search, filter and sort, as the address carries them. Empty means "any".
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
struct Filter {
    q: String,
    status: String,
    ledger: String,
    sort: String,
    page: Option<u64>,
}

impl Filter {
    fn query(&self) -> organisation::Query {
        organisation::Query {
            q: Some(self.q.clone()).filter(|q| !q.trim().is_empty()),
            status: STATUSES.into_iter().find(|s| s.as_str() == self.status),
            ledger: Ledger::parse(&self.ledger),
            sort: Some(self.sort.clone()).filter(|s| !s.is_empty()),
            page: self.page,
            per_page: Some(PER_PAGE),
        }
    }

    /// The address of page `page` with the same filter.
    fn href(&self, page: u64) -> String {
        format!(
            "/?q={}&status={}&ledger={}&sort={}&page={page}",
            url_encode(&self.q),
            url_encode(&self.status),
            url_encode(&self.ledger),
            url_encode(&self.sort)
        )
    }
}

const PER_PAGE: u64 = 50;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Layout,
    t: &'static Messages,
    environment: Environment,
    balance: String,
    alerts: Vec<Alert>,
    /// Whether the viewer may mark alerts done (administrators and advanced users).
    resolves: bool,
    /// A refused "done".
    problem: Option<Problem>,
    organisations: Page<Summary>,
    filter: Filter,
    statuses: &'static [Status],
    ledgers: &'static [Ledger],
    sorts: [(&'static str, &'static str); 4],
    last_page: u64,
    previous: Option<String>,
    next: Option<String>,
}

async fn home(
    State(state): State<AppState>,
    user: SessionUser,
    ctx: Ctx,
    Query(filter): Query<Filter>,
) -> Result<Response, PageError> {
    home_page(&state, &ctx, &user, filter, None).await
}

/// The home page with `filter`; after a refused "done", the unfiltered page with the refusal
/// and the status that fits it.
async fn home_page(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    filter: Filter,
    refused: Option<hub::Error>,
) -> Result<Response, PageError> {
    let p = user.principal();
    let organisations = state.hub.organisations(&p, &filter.query()).await?;
    let environment = state.hub.environment(&p).await?;
    let alerts = state.hub.alerts(&p).await?;
    let t = ctx.texts(Some(user));
    let last_page = organisations.total.div_ceil(organisations.per_page).max(1);
    let current = organisations.page;
    // A refused "done" was posted elsewhere; the page it shows lives at "/".
    let layout = match refused {
        None => ctx.layout(Some(user), Nav::Home),
        Some(_) => ctx.layout_at(Some(user), Nav::Home, "/"),
    };
    let page = HomePage {
        page: layout,
        t,
        balance: hub::wallet::format_euros(environment.balance_cents),
        environment,
        alerts,
        resolves: user.session.principal.role >= Role::Advanced,
        problem: refused.as_ref().map(Problem::of),
        statuses: &STATUSES,
        ledgers: &Ledger::ALL,
        sorts: [
            ("name", t.sort_name),
            ("-name", t.sort_name_desc),
            ("created", t.sort_created),
            ("-created", t.sort_created_desc),
        ],
        last_page,
        previous: (current > 1).then(|| filter.href(current - 1)),
        next: (current < last_page).then(|| filter.href(current + 1)),
        organisations,
        filter,
    };
    let status = refused.as_ref().map_or(StatusCode::OK, status_of);
    Ok(render(status, &page))
}

/// Marks an alert done, then shows the home page without it.
async fn resolve_alert(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Posted { user, .. }: Posted<NoFields>,
) -> Result<Response, PageError> {
    match state.hub.resolve_alert(&user.principal(), id).await {
        Ok(_) => Ok(Redirect::to("/?notice=alert_resolved").into_response()),
        Err(e) => home_page(&state, &ctx, &user, Filter::default(), Some(e)).await,
    }
}

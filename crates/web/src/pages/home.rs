//! The accountant's home: every administration the environment reaches (searched, filtered,
//! sorted and paged by the hub, so 500 of them cost one page of rows), the open alerts, and
//! the wallet balance and tier.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use hub::environment::Environment;
use hub::organisation::{self, Ledger, Page, Status, Summary};
use serde::Deserialize;

use super::layout::{Ctx, Layout, Nav, ok};
use crate::auth::SessionUser;
use crate::error::{PageError, url_encode};
use crate::i18n::Messages;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
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
    alerts: Vec<(Option<i64>, String, DateTime<Utc>)>,
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
    let p = user.principal();
    let organisations = state.hub.organisations(&p, &filter.query()).await?;
    let environment = state.hub.environment(&p).await?;
    let alerts = state.hub.alerts(&p).await?;
    let t = ctx.texts(Some(&user));
    let last_page = organisations.total.div_ceil(organisations.per_page).max(1);
    let current = organisations.page;
    let page = HomePage {
        page: ctx.layout(Some(&user), Nav::Home),
        t,
        balance: hub::wallet::format_euros(environment.balance_cents),
        environment,
        alerts,
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
    Ok(ok(&page))
}

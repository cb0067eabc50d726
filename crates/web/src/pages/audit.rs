//! The environment's audit log, newest first, paged by sequence number. Administrators only
//! (the hub refuses anyone else).

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use hub::audit::Entry;
use serde::Deserialize;

use super::layout::{Ctx, Layout, Nav, ok};
use crate::auth::SessionUser;
use crate::error::PageError;
use crate::i18n::Messages;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/audit", get(audit))
}

const PER_PAGE: u64 = 50;

#[derive(Deserialize)]
struct Before {
    before: Option<i64>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    page: Layout,
    t: &'static Messages,
    entries: Vec<Entry>,
    newest: Option<String>,
    older: Option<String>,
}

async fn audit(
    State(state): State<AppState>,
    user: SessionUser,
    ctx: Ctx,
    Query(q): Query<Before>,
) -> Result<Response, PageError> {
    let entries = state
        .hub
        .audit_log(&user.principal(), q.before, PER_PAGE)
        .await?;
    // The first entry has seq 1, so there is nothing older once it is shown.
    let older = entries
        .last()
        .filter(|last| entries.len() as u64 == PER_PAGE && last.seq > 1)
        .map(|last| format!("/audit?before={}", last.seq));
    let page = AuditPage {
        page: ctx.layout(Some(&user), Nav::Audit),
        t: ctx.texts(Some(&user)),
        entries,
        newest: q.before.map(|_| "/audit".to_owned()),
        older,
    };
    Ok(ok(&page))
}

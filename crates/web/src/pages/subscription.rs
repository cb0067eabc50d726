//! The subscription tiers and what each adds, and the switch between them for
//! administrators. Payment is outside this open-source hub; the page says so.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hub::Role;
use hub::subscription::{Feature, Tier};
use serde::Deserialize;

use super::form::{Posted, Problem};
use super::layout::{Ctx, Layout, Nav, answer_with};
use crate::auth::SessionUser;
use crate::error::PageError;
use crate::i18n::Messages;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/settings/subscription", get(show).post(switch))
}

/// One tier's card.
struct TierCard {
    value: &'static str,
    label: &'static str,
    summary: &'static str,
    /// The features this tier adds to the one below it.
    features: Vec<&'static str>,
    current: bool,
}

#[derive(Template)]
#[template(path = "subscription.html")]
struct SubscriptionPage {
    page: Layout,
    t: &'static Messages,
    tiers: Vec<TierCard>,
    administrator: bool,
    problem: Option<Problem>,
}

async fn subscription_page(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    refused: Option<hub::Error>,
) -> Result<Response, PageError> {
    let current = state.hub.environment(&user.principal()).await?.tier;
    let t = ctx.texts(Some(user));
    let tiers = Tier::ALL
        .into_iter()
        .map(|tier| TierCard {
            value: tier.as_str(),
            label: tier.label(),
            summary: t.tier_summary(&tier),
            features: Feature::ALL
                .iter()
                .filter(|f| f.tier() == tier)
                .map(|f| t.feature(f))
                .collect(),
            current: tier == current,
        })
        .collect();
    let page = SubscriptionPage {
        page: ctx.layout_at(Some(user), Nav::Subscription, "/settings/subscription"),
        t,
        tiers,
        administrator: user.session.principal.role == Role::Administrator,
        problem: refused.as_ref().map(Problem::of),
    };
    Ok(answer_with(refused.as_ref(), &page))
}

async fn show(
    State(state): State<AppState>,
    user: SessionUser,
    ctx: Ctx,
) -> Result<Response, PageError> {
    subscription_page(&state, &ctx, &user, None).await
}

#[derive(Deserialize)]
struct TierForm {
    tier: String,
}

async fn switch(
    State(state): State<AppState>,
    ctx: Ctx,
    Posted { user, form }: Posted<TierForm>,
) -> Result<Response, PageError> {
    let result = match Tier::parse(&form.tier) {
        Some(tier) => state.hub.set_tier(&user.principal(), tier).await,
        None => Err(hub::Error::invalid(
            "tier",
            "choose free, basic or professional",
        )),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/settings/subscription?notice=tier").into_response()),
        Err(e) => subscription_page(&state, &ctx, &user, Some(e)).await,
    }
}

//! The credit wallet: balance, movements (paged by id), the price list, and "Paid by": who
//! pays for each administration and what it cost this month.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use hub::wallet::{BudgetState, format_euros};
use serde::Deserialize;

use super::layout::{Ctx, Layout, Nav, ok};
use crate::auth::SessionUser;
use crate::error::PageError;
use crate::i18n::Messages;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/wallet", get(wallet))
}

const PER_PAGE: u64 = 50;

/// The CSS class of a budget state's badge.
pub(super) fn budget_class(state: BudgetState) -> &'static str {
    match state {
        BudgetState::Within => "within",
        BudgetState::Near => "near",
        BudgetState::Over => "over",
    }
}

/// Cents as an amount to edit in a form: `150,00`.
pub(super) fn euros_input(cents: i64) -> String {
    format!("{},{:02}", cents / 100, (cents % 100).abs())
}

/// An amount in euros as people type it (`150`, `150,5`, `150.50`, `€ 12,00`) in cents.
/// Thousands separators are refused rather than guessed at: `1.500` is ambiguous.
pub(super) fn parse_euros(s: &str) -> Option<i64> {
    let s = s.trim().trim_start_matches('€').trim();
    let (whole, fraction) = match s.split_once([',', '.']) {
        Some((w, f)) if (1..=2).contains(&f.len()) => (w, f),
        Some(_) => return None,
        None => (s, "0"),
    };
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let fraction: i64 = if fraction.len() == 1 {
        fraction.parse::<i64>().ok()? * 10
    } else {
        fraction.parse().ok()?
    };
    whole.checked_mul(100)?.checked_add(fraction)
}

#[derive(Deserialize)]
struct Before {
    before: Option<i64>,
}

struct TransactionRow {
    at: DateTime<Utc>,
    kind: &'static str,
    organisation_id: Option<i64>,
    /// The organisation's name where the viewer reaches it.
    organisation: Option<String>,
    reference: Option<String>,
    amount: String,
    balance_after: String,
}

struct BudgetCell {
    cap: String,
    class: &'static str,
    label: &'static str,
}

struct PaidByRow {
    organisation_id: i64,
    name: String,
    paid_by: &'static str,
    payer: String,
    transactions: i64,
    cost: String,
    budget: Option<BudgetCell>,
}

#[derive(Template)]
#[template(path = "wallet.html")]
struct WalletPage {
    page: Layout,
    t: &'static Messages,
    balance: String,
    overdrawn: bool,
    tier: &'static str,
    paid_by: Vec<PaidByRow>,
    transactions: Vec<TransactionRow>,
    prices: Vec<(&'static str, String)>,
    newest: Option<String>,
    older: Option<String>,
}

async fn wallet(
    State(state): State<AppState>,
    user: SessionUser,
    ctx: Ctx,
    Query(q): Query<Before>,
) -> Result<Response, PageError> {
    let p = user.principal();
    let environment = state.hub.environment(&p).await?;
    let transactions = state.hub.transactions(&p, q.before, PER_PAGE).await?;
    let prices = state.hub.prices().await?;
    let paid_by = state.hub.paid_by(&p).await?;
    let t = ctx.texts(Some(&user));
    // Names for the transaction list come from the "Paid by" rows, which cover every
    // organisation the viewer reaches; others keep their number.
    let names: std::collections::HashMap<i64, String> = paid_by
        .iter()
        .map(|r| (r.organisation_id, r.organisation_name.clone()))
        .collect();
    let older = (transactions.len() as u64 == PER_PAGE)
        .then(|| {
            transactions
                .last()
                .map(|last| format!("/wallet?before={}", last.id))
        })
        .flatten();
    let page = WalletPage {
        page: ctx.layout(Some(&user), Nav::Wallet),
        t,
        balance: format_euros(environment.balance_cents),
        overdrawn: environment.balance_cents < 0,
        tier: environment.tier.label(),
        paid_by: paid_by
            .into_iter()
            .map(|r| PaidByRow {
                organisation_id: r.organisation_id,
                name: r.organisation_name,
                paid_by: t.paid_by_name(&r.paid_by),
                payer: r.payer,
                transactions: r.transactions,
                cost: format_euros(r.cents),
                budget: r
                    .budget_cents
                    .zip(r.budget_state)
                    .map(|(cap, state)| BudgetCell {
                        cap: format_euros(cap),
                        class: budget_class(state),
                        label: t.budget_state(&state),
                    }),
            })
            .collect(),
        transactions: transactions
            .into_iter()
            .map(|tx| TransactionRow {
                at: tx.created_at,
                kind: t.kind_name(&tx.kind),
                organisation: tx.organisation_id.and_then(|id| names.get(&id).cloned()),
                organisation_id: tx.organisation_id,
                reference: tx.reference,
                amount: format_euros(tx.amount_cents),
                balance_after: format_euros(tx.balance_after_cents),
            })
            .collect(),
        prices: prices
            .into_iter()
            .map(|(kind, cents)| (t.kind_name(&kind), format_euros(cents)))
            .collect(),
        newest: q.before.map(|_| "/wallet".to_owned()),
        older,
    };
    Ok(ok(&page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_people_type_them() {
        assert_eq!(parse_euros("150"), Some(15_000));
        assert_eq!(parse_euros("150,5"), Some(15_050));
        assert_eq!(parse_euros("€ 12.05"), Some(1_205));
        assert_eq!(parse_euros("0,99"), Some(99));
        for bad in ["", "1.500,00", "12,345", "-5", "1e3", ",50", "abc"] {
            assert_eq!(parse_euros(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn an_amount_round_trips_through_the_form() {
        assert_eq!(euros_input(15_050), "150,50");
        assert_eq!(parse_euros(&euros_input(7)), Some(7));
    }
}

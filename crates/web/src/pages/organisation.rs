//! One administration: creating it, its details and settings, its status, Peppol
//! participant ids, email aliases, and a budget when the viewer's environment pays for it.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hub::authorisation::PaidBy;
use hub::organisation::{Details, Ledger, Organisation};
use serde::Deserialize;

use super::form::{Filled, Posted, optional};
use super::layout::{Ctx, Layout, Nav, ok, render};
use crate::auth::SessionUser;
use crate::error::{PageError, status_of};
use crate::i18n::Messages;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/organisations/new", get(new_page).post(create))
        .route("/organisations/{id}", get(show).post(update))
        .route("/organisations/{id}/status", post(set_status))
        .route("/organisations/{id}/participants", post(add_participant))
        .route(
            "/organisations/{id}/participants/remove",
            post(remove_participant),
        )
        .route("/organisations/{id}/aliases", post(add_alias))
        .route("/organisations/{id}/budget", post(set_budget))
}

/// An organisation's details as the form carries them: text, empty for "none".
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct DetailsForm {
    name: String,
    kvk: String,
    vat: String,
    oin: String,
    gln: String,
    street: String,
    postcode: String,
    city: String,
    country: String,
    contact_name: String,
    contact_email: String,
    ledger: String,
}

impl DetailsForm {
    fn of(d: &Details) -> DetailsForm {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        DetailsForm {
            name: d.name.clone(),
            kvk: text(&d.kvk),
            vat: text(&d.vat),
            oin: text(&d.oin),
            gln: text(&d.gln),
            street: text(&d.street),
            postcode: text(&d.postcode),
            city: text(&d.city),
            country: text(&d.country),
            contact_name: text(&d.contact_name),
            contact_email: text(&d.contact_email),
            ledger: d.ledger.as_str().to_owned(),
        }
    }

    fn details(&self) -> Details {
        Details {
            name: self.name.clone(),
            kvk: optional(&self.kvk),
            vat: optional(&self.vat),
            oin: optional(&self.oin),
            gln: optional(&self.gln),
            street: optional(&self.street),
            postcode: optional(&self.postcode),
            city: optional(&self.city),
            country: optional(&self.country),
            contact_name: optional(&self.contact_name),
            contact_email: optional(&self.contact_email),
            ledger: Ledger::parse(&self.ledger).unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "organisation_new.html")]
struct NewPage {
    page: Layout,
    t: &'static Messages,
    form: Filled<DetailsForm>,
    ledgers: &'static [Ledger],
}

async fn new_page(user: SessionUser, ctx: Ctx) -> Response {
    let form = DetailsForm {
        country: "NL".into(),
        ..DetailsForm::default()
    };
    ok(&NewPage {
        page: ctx.layout(Some(&user), Nav::Home),
        t: ctx.texts(Some(&user)),
        form: Filled::new("organisation", form),
        ledgers: &Ledger::ALL,
    })
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Posted { user, form }: Posted<DetailsForm>,
) -> Response {
    match state
        .hub
        .create_organisation(&user.principal(), form.details())
        .await
    {
        Ok(org) => {
            Redirect::to(&format!("/organisations/{}?notice=created", org.id)).into_response()
        }
        Err(e) => render(
            status_of(&e),
            &NewPage {
                page: ctx.layout_at(Some(&user), Nav::Home, "/organisations/new"),
                t: ctx.texts(Some(&user)),
                form: Filled::refused("organisation", form, &e),
                ledgers: &Ledger::ALL,
            },
        ),
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
struct ParticipantForm {
    participant_id: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
struct AliasForm {
    alias: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
struct BudgetForm {
    /// Euros, with a comma or a point before the cents; empty removes the budget.
    cap: String,
    alert_percent: String,
}

/// This month's spending against the budget.
struct Spending {
    spent: String,
    class: &'static str,
    label: &'static str,
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct DetailPage {
    page: Layout,
    t: &'static Messages,
    organisation: Organisation,
    own: bool,
    payer: Option<String>,
    spending: Option<Spending>,
    form: Filled<DetailsForm>,
    participant: Filled<ParticipantForm>,
    alias: Filled<AliasForm>,
    /// Only when the viewer's environment pays and the viewer is its administrator.
    budget: Option<Filled<BudgetForm>>,
    ledgers: &'static [Ledger],
}

/// Which of the detail page's forms is shown again after a refusal.
enum Refused {
    Settings(Box<DetailsForm>),
    Participant(ParticipantForm),
    Alias(AliasForm),
    Budget(BudgetForm),
}

/// Renders the detail page, with `refused` shown again with the hub's error when given.
async fn detail(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    id: i64,
    refused: Option<(Refused, hub::Error)>,
) -> Result<Response, PageError> {
    let p = user.principal();
    let organisation = state.hub.organisation(&p, id).await?;
    let viewer = user.session.principal.environment_id;
    let own = organisation.environment_id == viewer;
    let t = ctx.texts(Some(user));
    let row = state
        .hub
        .paid_by(&p)
        .await?
        .into_iter()
        .find(|r| r.organisation_id == id);
    // The intermediary pays for a client's organisation, the owner for its own; the viewer is
    // the intermediary exactly when the organisation is not its own.
    let viewer_pays = row
        .as_ref()
        .is_some_and(|r| (r.paid_by == PaidBy::Intermediary) != own);
    let administrator = user.session.principal.role == hub::Role::Administrator;
    let spending = row.as_ref().and_then(|r| {
        r.budget_state.map(|state| Spending {
            spent: hub::wallet::format_euros(r.cents),
            class: super::wallet::budget_class(state),
            label: t.budget_state(&state),
        })
    });
    let current_budget = row
        .as_ref()
        .and_then(|r| r.budget_cents)
        .map(|cents| BudgetForm {
            cap: super::wallet::euros_input(cents),
            alert_percent: String::new(),
        });
    let mut page = DetailPage {
        page: ctx.layout_at(Some(user), Nav::Home, &format!("/organisations/{id}")),
        t,
        own,
        payer: row.map(|r| r.payer),
        spending,
        form: Filled::new("settings", DetailsForm::of(&organisation.details)),
        participant: Filled::new("participant", ParticipantForm::default()),
        alias: Filled::new("alias", AliasForm::default()),
        budget: (viewer_pays && administrator)
            .then(|| Filled::new("budget", current_budget.unwrap_or_default())),
        organisation,
        ledgers: &Ledger::ALL,
    };
    let Some((refused, e)) = refused else {
        return Ok(ok(&page));
    };
    match refused {
        Refused::Settings(values) => page.form = Filled::refused("settings", *values, &e),
        Refused::Participant(values) => {
            page.participant = Filled::refused("participant", values, &e)
        }
        Refused::Alias(values) => page.alias = Filled::refused("alias", values, &e),
        Refused::Budget(values) => page.budget = Some(Filled::refused("budget", values, &e)),
    }
    Ok(render(status_of(&e), &page))
}

async fn show(
    State(state): State<AppState>,
    user: SessionUser,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    detail(&state, &ctx, &user, id, None).await
}

/// After a change: back to the page with a notice, or the page again with the refused form
/// (or the error page, for a change without a form of its own).
async fn answer<T>(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    id: i64,
    result: hub::Result<T>,
    refused: Option<Refused>,
) -> Result<Response, PageError> {
    match (result, refused) {
        (Ok(_), _) => {
            Ok(Redirect::to(&format!("/organisations/{id}?notice=saved")).into_response())
        }
        (Err(e), Some(refused)) => detail(state, ctx, user, id, Some((refused, e))).await,
        (Err(e), None) => Err(e.into()),
    }
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Posted { user, form }: Posted<DetailsForm>,
) -> Result<Response, PageError> {
    let result = state
        .hub
        .update_organisation(&user.principal(), id, form.details())
        .await;
    answer(
        &state,
        &ctx,
        &user,
        id,
        result,
        Some(Refused::Settings(Box::new(form))),
    )
    .await
}

#[derive(Deserialize)]
struct StatusForm {
    status: String,
}

async fn set_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Posted { user, form }: Posted<StatusForm>,
) -> Result<Response, PageError> {
    let status = super::home::STATUSES
        .into_iter()
        .find(|s| s.as_str() == form.status)
        .ok_or_else(|| hub::Error::invalid("status", "choose active or archived"))?;
    let result = state
        .hub
        .set_organisation_status(&user.principal(), id, status)
        .await;
    answer(&state, &ctx, &user, id, result, None).await
}

async fn add_participant(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Posted { user, form }: Posted<ParticipantForm>,
) -> Result<Response, PageError> {
    let result = state
        .hub
        .add_participant_id(&user.principal(), id, form.participant_id.trim())
        .await;
    answer(
        &state,
        &ctx,
        &user,
        id,
        result,
        Some(Refused::Participant(form)),
    )
    .await
}

async fn remove_participant(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Posted { user, form }: Posted<ParticipantForm>,
) -> Result<Response, PageError> {
    let result = state
        .hub
        .remove_participant_id(&user.principal(), id, &form.participant_id)
        .await;
    answer(
        &state,
        &ctx,
        &user,
        id,
        result,
        Some(Refused::Participant(ParticipantForm::default())),
    )
    .await
}

async fn add_alias(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Posted { user, form }: Posted<AliasForm>,
) -> Result<Response, PageError> {
    let result = state
        .hub
        .add_email_alias(&user.principal(), id, &form.alias)
        .await;
    answer(&state, &ctx, &user, id, result, Some(Refused::Alias(form))).await
}

async fn set_budget(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Posted { user, form }: Posted<BudgetForm>,
) -> Result<Response, PageError> {
    let t = ctx.texts(Some(&user));
    let result = match budget_of(&form, t) {
        Ok(cap) => state.hub.set_budget(&user.principal(), id, cap).await,
        Err(e) => Err(e),
    };
    answer(&state, &ctx, &user, id, result, Some(Refused::Budget(form))).await
}

/// The budget the form asks for: `None` (remove) when the amount is empty; the alert at 80%
/// unless another percentage is given.
fn budget_of(form: &BudgetForm, t: &Messages) -> hub::Result<Option<(i64, i32)>> {
    if form.cap.trim().is_empty() {
        return Ok(None);
    }
    let cents = super::wallet::parse_euros(&form.cap)
        .ok_or_else(|| hub::Error::invalid("cap", t.budget_cap_invalid))?;
    let percent = match form.alert_percent.trim() {
        "" => 80,
        p => p
            .parse()
            .map_err(|_| hub::Error::invalid("alert_percent", t.alert_percent_invalid))?,
    };
    Ok(Some((cents, percent)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;

    #[test]
    fn an_empty_amount_removes_the_budget_and_the_alert_defaults_to_80() {
        let form = |cap: &str, alert: &str| BudgetForm {
            cap: cap.into(),
            alert_percent: alert.into(),
        };
        assert_eq!(budget_of(&form(" ", "50"), &EN).unwrap(), None);
        assert_eq!(
            budget_of(&form("150", ""), &EN).unwrap(),
            Some((15_000, 80))
        );
        assert_eq!(
            budget_of(&form("12,50", "90"), &EN).unwrap(),
            Some((1_250, 90))
        );
        assert!(budget_of(&form("lots", ""), &EN).is_err());
        assert!(budget_of(&form("10", "x"), &EN).is_err());
    }
}

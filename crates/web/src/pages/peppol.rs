//! The Peppol page of one administration: its registration in the hub's SMP, the last
//! message in and out, its latest documents with their originals, and enrolment,
//! deregistration and migration keys.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hub::document::Document;
use hub::organisation::Organisation;
use hub::peppol::Exchange;
use hub::registration::{Capability, Enrolment, Registration};

use super::form::{Filled, NoFields, Posted, Problem};
use super::layout::{Ctx, Layout, Nav, ok, render};
use crate::auth::SessionUser;
use crate::error::{PageError, status_of};
use crate::i18n::Messages;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/organisations/{id}/peppol", get(show).post(enrol))
        .route("/organisations/{id}/peppol/deregister", post(deregister))
        .route(
            "/organisations/{id}/peppol/migration-key",
            post(migration_key),
        )
        .route("/documents/{id}/original", get(original))
}

/// How many of the newest documents the page lists; the REST API pages through all of them.
const LATEST_DOCUMENTS: u64 = 20;

/// The enrolment form as entered: the participant id and the ticked capabilities.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct EnrolForm {
    participant_id: String,
    capabilities: Vec<Capability>,
}

/// One capability checkbox.
struct Choice {
    value: &'static str,
    label: &'static str,
    checked: bool,
}

impl EnrolForm {
    fn choices(&self, t: &Messages) -> Vec<Choice> {
        Capability::ALL
            .into_iter()
            .map(|c| Choice {
                value: c.as_str(),
                label: t.capability(&c),
                checked: self.capabilities.contains(&c),
            })
            .collect()
    }
}

/// Reads the enrolment form: `participant_id`, and one `capability` field per ticked box
/// (fields repeat, so the form arrives as pairs). The hub would register invoices and credit
/// notes when no capability is given; the form refuses that instead, because a person who
/// unticked every box did not mean those two.
fn read_enrolment(pairs: &[(String, String)], t: &Messages) -> (EnrolForm, hub::Result<Enrolment>) {
    let mut form = EnrolForm::default();
    let mut unknown = false;
    for (name, value) in pairs {
        match name.as_str() {
            "participant_id" => form.participant_id = value.trim().to_owned(),
            "capability" => match Capability::parse(value) {
                Some(c) if !form.capabilities.contains(&c) => form.capabilities.push(c),
                Some(_) => {}
                None => unknown = true,
            },
            _ => {}
        }
    }
    let result = if unknown {
        Err(hub::Error::invalid(
            "capabilities",
            "unknown kind of document",
        ))
    } else if form.capabilities.is_empty() {
        Err(hub::Error::invalid("capabilities", t.choose_capability))
    } else {
        Ok(Enrolment {
            participant_id: form.participant_id.clone(),
            capabilities: form.capabilities.clone(),
        })
    };
    (form, result)
}

/// A migration key just issued, with its expiry.
struct IssuedKey {
    key: String,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Template)]
#[template(path = "peppol.html")]
struct PeppolPage {
    page: Layout,
    t: &'static Messages,
    organisation: Organisation,
    registration: Option<Registration>,
    /// The last message received, then the last sent.
    last: [Last; 2],
    /// The registered capabilities as words.
    capabilities: Vec<&'static str>,
    documents: Vec<Document>,
    enrol: Filled<EnrolForm>,
    choices: Vec<Choice>,
    /// Why a button's action was refused.
    problem: Option<Problem>,
    /// Only in the answer to the post that issued it: never stored, linked or redirected.
    issued: Option<IssuedKey>,
}

/// The last exchange one way, under its heading.
struct Last {
    heading: &'static str,
    exchange: Option<Exchange>,
}

/// What the page shows besides the current state.
enum After {
    Nothing,
    /// The enrolment form was refused; it is shown again with the entered values.
    EnrolRefused(EnrolForm, hub::Error),
    /// A button's action was refused.
    ActionRefused(hub::Error),
    /// A migration key was just issued.
    KeyIssued(String),
}

impl PeppolPage {
    /// The access point at the other end of an exchange.
    fn counterpart<'a>(&self, exchange: &'a Exchange) -> &'a str {
        // The other side is the sender of what came in, and the receiver of what went out.
        if exchange.direction == "outbound" {
            &exchange.to_ap
        } else {
            &exchange.from_ap
        }
    }
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    user: &SessionUser,
    id: i64,
    after: After,
) -> Result<Response, PageError> {
    let p = user.principal();
    let organisation = state.hub.organisation(&p, id).await?;
    let health = state.hub.peppol_health(&p, id).await?;
    let registration = health.registration;
    let documents = state
        .hub
        .documents(&p, id, 1, LATEST_DOCUMENTS)
        .await?
        .items;
    let t = ctx.texts(Some(user));
    // The form starts from the registration, else from the organisation's first id with
    // the capabilities the hub registers by default.
    let current = match &registration {
        Some(r) => EnrolForm {
            participant_id: r.participant_id.clone(),
            capabilities: r.capabilities.clone(),
        },
        None => EnrolForm {
            participant_id: organisation
                .participant_ids
                .first()
                .cloned()
                .unwrap_or_default(),
            capabilities: vec![Capability::Invoice, Capability::CreditNote],
        },
    };
    let (enrol, problem, issued, refusal) = match after {
        After::Nothing => (Filled::new("enrol", current), None, None, None),
        After::EnrolRefused(values, e) => {
            let status = status_of(&e);
            (
                Filled::refused("enrol", values, &e),
                None,
                None,
                Some(status),
            )
        }
        After::ActionRefused(e) => (
            Filled::new("enrol", current),
            Some(Problem::of(&e)),
            None,
            Some(status_of(&e)),
        ),
        After::KeyIssued(key) => {
            let expires_at = registration
                .as_ref()
                .and_then(|r| r.migration_key_expires_at);
            let issued = IssuedKey { key, expires_at };
            (Filled::new("enrol", current), None, Some(issued), None)
        }
    };
    let shows_key = issued.is_some();
    let view = PeppolPage {
        page: ctx.layout_at(
            Some(user),
            Nav::Home,
            &format!("/organisations/{id}/peppol"),
        ),
        t,
        capabilities: registration
            .iter()
            .flat_map(|r| r.capabilities.iter().map(|c| t.capability(c)))
            .collect(),
        choices: enrol.values.choices(t),
        organisation,
        registration,
        last: [
            Last {
                heading: t.last_inbound,
                exchange: health.last_inbound,
            },
            Last {
                heading: t.last_outbound,
                exchange: health.last_outbound,
            },
        ],
        documents,
        enrol,
        problem,
        issued,
    };
    let mut response = match refusal {
        Some(status) => render(status, &view),
        None => ok(&view),
    };
    if shows_key {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(response)
}

async fn show(
    State(state): State<AppState>,
    user: SessionUser,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    page(&state, &ctx, &user, id, After::Nothing).await
}

async fn enrol(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Posted { user, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (values, enrolment) = read_enrolment(&form, ctx.texts(Some(&user)));
    let result = match enrolment {
        Ok(enrolment) => {
            state
                .hub
                .peppol_enrol(&user.principal(), id, enrolment)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/organisations/{id}/peppol?notice=registered")).into_response(),
        ),
        Err(e) => page(&state, &ctx, &user, id, After::EnrolRefused(values, e)).await,
    }
}

async fn deregister(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Posted { user, .. }: Posted<NoFields>,
) -> Result<Response, PageError> {
    match state.hub.peppol_deregister(&user.principal(), id).await {
        Ok(()) => Ok(
            Redirect::to(&format!("/organisations/{id}/peppol?notice=deregistered"))
                .into_response(),
        ),
        Err(e) => page(&state, &ctx, &user, id, After::ActionRefused(e)).await,
    }
}

async fn migration_key(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Posted { user, .. }: Posted<NoFields>,
) -> Result<Response, PageError> {
    let after = match state.hub.peppol_migration_key(&user.principal(), id).await {
        Ok(key) => After::KeyIssued(key),
        Err(e) => After::ActionRefused(e),
    };
    page(&state, &ctx, &user, id, after).await
}

/// A document's original bytes as a download. `attachment` keeps the browser from showing
/// the XML as a page of this hub, whatever the sender put in it.
async fn original(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (document, bytes) = state.hub.document_original(&user.principal(), id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/xml".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"document-{}.xml\"", document.id),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::ETAG, format!("\"{}\"", document.sha256)),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_ticked_boxes_are_the_capabilities() -> hub::Result<()> {
        let (form, enrolment) = read_enrolment(
            &pairs(&[
                ("csrf", "x"),
                ("participant_id", " 0106:10000009 "),
                ("capability", "invoice_response"),
                ("capability", "invoice"),
                ("capability", "invoice"),
            ]),
            &EN,
        );
        let enrolment = enrolment?;
        assert_eq!(enrolment.participant_id, "0106:10000009");
        assert_eq!(
            enrolment.capabilities,
            [Capability::InvoiceResponse, Capability::Invoice]
        );
        let ticked: Vec<_> = form
            .choices(&EN)
            .into_iter()
            .filter(|c| c.checked)
            .map(|c| c.value)
            .collect();
        assert_eq!(ticked, ["invoice", "invoice_response"]);
        Ok(())
    }

    #[test]
    fn no_box_or_an_unknown_one_is_refused() {
        for list in [
            &[("participant_id", "0106:10000009")][..],
            &[("participant_id", "0106:10000009"), ("capability", "order")][..],
        ] {
            let (form, enrolment) = read_enrolment(&pairs(list), &EN);
            assert!(
                matches!(
                    enrolment,
                    Err(hub::Error::Invalid {
                        field: "capabilities",
                        ..
                    })
                ),
                "{list:?}"
            );
            assert_eq!(form.participant_id, "0106:10000009", "kept for the form");
        }
    }
}

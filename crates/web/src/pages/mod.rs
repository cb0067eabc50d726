//! The server-rendered web UI, one module per page group, each owning its routes.
//!
//! A handler extracts the visitor ([`crate::auth::SessionUser`], or nobody) and the request
//! context (`layout::Ctx`), makes one hub call and renders an askama template that extends
//! `layout.html`. Forms post back with the session's CSRF token, checked by
//! `form::Posted` before the form is read; after a change the handler redirects (post,
//! redirect, get), and a refused form is shown again with the hub's message, the entered
//! values and the status that fits the refusal.

mod activation; // the client's acceptance page behind the mailed link (steps 3 and 4)
mod assets; // the embedded stylesheet and script, under content-hashed addresses
mod audit; // the environment's audit log
mod authorisation; // the request wizard (step 1) and the list of requests
mod form; // posted forms: CSRF and origin checks, the `next` address, refusals
mod home; // the accountant's overview of all administrations
mod layout; // what every page shares: language, menu, notices, security headers
mod login; // sign-up, login, logout and the language switch
mod organisation; // creating an administration, its details and settings
mod partnerships; // both sides' partnerships and the connection keys (step 5)
mod peppol; // an administration's Peppol registration, messages and documents
mod subscription; // the tiers and switching between them
mod users; // users, invitations and roles
mod wallet; // balance, transactions, prices and "Paid by"

use axum::Router;

pub(crate) use assets::stylesheet;

use crate::state::AppState;

/// Every page route, and the assets they use.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(assets::router())
        .merge(login::router())
        .merge(home::router())
        .merge(organisation::router())
        .merge(authorisation::router())
        .merge(activation::router())
        .merge(peppol::router())
        .merge(partnerships::router())
        .merge(wallet::router())
        .merge(users::router())
        .merge(audit::router())
        .merge(subscription::router())
}

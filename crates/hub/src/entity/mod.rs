//! The database tables as sea-orm entities, one module per table.
//!
//! Relations are not declared: every query is scoped by environment in the service layer,
//! and explicit joins there are easier to audit than derived ones.
#![allow(missing_docs)]

pub mod alert;
pub mod audit_entry;
pub mod authorisation_request;
pub mod budget;
pub mod connection_key;
pub mod document;
pub mod email_alias;
pub mod environment;
pub mod idempotency_key;
pub mod invitation;
pub mod monthly_usage;
pub mod organisation;
pub mod organisation_right;
pub mod participant_id;
pub mod partnership;
pub mod peppol_message;
pub mod peppol_registration;
pub mod price;
pub mod session;
pub mod transaction;
pub mod user;

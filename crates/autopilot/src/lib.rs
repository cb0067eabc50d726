//! Posting proposals for incoming invoices: which relation, and per line which GL account, VAT
//! code and cost centre, each with a calibrated confidence and a reason a person can check.
//!
//! # Overview
//!
//! An [`Autopilot`] holds one firm's knowledge. [`Autopilot::train`] builds it from the firm's
//! posting history ([`Posting`]s of all its administrations); [`Autopilot::learn`] adds one
//! posting at a time, so a correction shapes the very next proposal. [`Autopilot::propose`]
//! turns an [`InvoiceInput`] plus an administration's [`Context`] (relations, chart of
//! accounts, VAT codes, [`Rule`]s and [`Policy`]) into a [`Proposal`]:
//!
//! - [`rule`]s, the human knowledge, are applied first and always win;
//! - [`relation`] resolution finds the creditor by Peppol id, VAT, KvK, IBAN, then name;
//! - [`memory`] and [`model`] rank candidate accounts, [`calibration`] turns the ranking into
//!   a probability and a per-administration auto-post threshold;
//! - [`vat`] derives the VAT code deterministically;
//! - [`guard`]s (IBAN change, first invoice, …) block auto-posting and raise an [`Alert`].
//!
//! [`csvio`] and [`evaluation`] implement the CSV contract and the rolling evaluation behind
//! `postbode autopilot`.
//!
//! No database, no clock, no files: callers bring the history and the invoice.
#![deny(missing_docs)]

pub mod calibration;
pub mod chart;
pub mod cost_centre;
pub mod csvio;
pub mod date;
pub mod engine;
pub mod error;
pub mod evaluation;
pub mod guard;
pub mod invoice;
pub mod memory;
pub mod model;
pub mod proposal;
pub mod relation;
pub mod rule;
pub mod text;
pub mod vat;

pub use chart::{Account, Chart};
pub use cost_centre::CentreEvidence;
pub use date::Day;
pub use engine::{Autopilot, LinePrediction, TrainOptions};
pub use error::Error;
pub use guard::Alert;
pub use invoice::{InvoiceInput, LineInput, Party, Posting, VatInfo};
pub use proposal::{Context, Decision, Explanation, Field, LineProposal, Policy, Proposal};
pub use relation::{Relation, Resolution};
pub use rule::{Action, Condition, Rule, RuleSuggester};
pub use vat::{VatCodeTable, VatDerivation};

//! The Postbode application: environments, users, organisations, the intermediary flow,
//! subscriptions, the credit wallet and the audit log, stored in SQLite or PostgreSQL.
//!
//! # Brief overview
//!
//! A [`Hub`] holds the database, the configuration, the mailer and the clock. Each service
//! module (named after its glossary noun) adds methods to it; every method takes the acting
//! [`Principal`] and lets the `access` module, the one place that checks scope, decide what
//! it may see before any data is touched. The web layer and the command line are thin
//! shells over these methods.
//!
//! Pure parts (tiers and gates, prices and budgets, the audit hash) have no database and no
//! clock, so they are tested without setup.
#![deny(missing_docs)]

mod access;
pub mod audit;
pub mod authorisation;
pub mod clock;
pub mod demo;
pub mod document;
mod entity;
pub mod environment;
pub mod error;
pub mod fixture;
pub mod idempotency;
mod inbox;
pub mod mail;
pub mod organisation;
pub mod outbound;
pub mod partnership;
pub mod peppol;
pub mod principal;
pub mod registration;
pub mod secret;
pub mod storage;
pub mod subscription;
#[cfg(feature = "testing")]
pub mod testing;
pub mod user;
pub mod wallet;

use chrono::Duration;
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

pub use error::{Error, Result};
pub use principal::{Principal, Role, Scope};

/// How a hub is set up. Built by the binary from flags and the environment.
#[derive(Clone, Debug)]
pub struct Config {
    /// The address people reach the hub at, used in mailed links (no trailing slash).
    pub base_url: String,
    /// The key under which connection-key secrets are HMAC'd.
    pub pepper: secret::Pepper,
    /// How long an activation link stays valid.
    pub activation_ttl: Duration,
    /// How long an invitation stays valid.
    pub invitation_ttl: Duration,
    /// How long released connection keys stay valid before they must be rotated.
    pub key_ttl: Duration,
    /// How long a login session lasts.
    pub session_ttl: Duration,
}

impl Config {
    /// Defaults for `base_url` and `pepper`: links valid 14 days, invitations 7, keys a year,
    /// sessions 12 hours.
    pub fn new(base_url: impl Into<String>, pepper: secret::Pepper) -> Config {
        Config {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            pepper,
            activation_ttl: Duration::days(14),
            invitation_ttl: Duration::days(7),
            key_ttl: Duration::days(365),
            session_ttl: Duration::hours(12),
        }
    }
}

/// The application: every service method hangs off this.
#[derive(Clone)]
pub struct Hub {
    db: DatabaseConnection,
    config: Config,
    mailer: mail::Mailer,
    clock: clock::Clock,
    inbox: std::sync::Arc<inbox::Inbox>,
}

impl Hub {
    /// A hub over an opened database (see [`storage::open`]).
    pub fn new(db: DatabaseConnection, config: Config, mailer: mail::Mailer) -> Hub {
        Hub {
            db,
            config,
            mailer,
            clock: clock::Clock::default(),
            inbox: std::sync::Arc::default(),
        }
    }

    /// The database, for health checks and the command line.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// A transaction that will write. On SQLite it takes the write lock at its start
    /// (`BEGIN IMMEDIATE`), waiting for other writers under the busy timeout: a transaction
    /// that read first and wrote later would fail at once instead, with "database is locked",
    /// whenever another writer committed in between. PostgreSQL ignores the mode.
    pub(crate) async fn write(&self) -> std::result::Result<DatabaseTransaction, sea_orm::DbErr> {
        self.db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The clock; tests advance it.
    pub fn clock(&self) -> &clock::Clock {
        &self.clock
    }

    /// Sends `mail`, logging (without its body, which may hold a link) when it fails.
    /// Mail goes out after the change it reports has committed; see [`mail`].
    async fn send_mail(&self, mail: mail::Mail) -> bool {
        match self.mailer.send(&mail).await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(subject = %mail.subject, error = %e, "mail not sent");
                false
            }
        }
    }
}

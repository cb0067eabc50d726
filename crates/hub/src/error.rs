//! What can go wrong in a service call, split by whose fault it is.
//!
//! User errors carry a message that says how to put it right; the web layer maps each
//! variant to one HTTP status and a stable `code` (see [`Error::code`]). Storage errors are
//! the hub's own fault: logged, never shown.

use crate::subscription::{Feature, Tier};

/// The result of a service call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A service call's failure.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No credentials, or credentials that do not hold (bad password, unknown key).
    #[error("authentication is required")]
    Unauthenticated,
    /// The principal is known but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The thing does not exist, or exists outside the principal's scope (never say which).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A field of the request is wrong.
    #[error("{field}: {message}")]
    Invalid {
        /// The field, as the request names it.
        field: &'static str,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The request clashes with the current state (a duplicate, a decided request).
    #[error("{0}")]
    Conflict(String),
    /// A link or key that was valid once and is no longer (used, expired, revoked).
    #[error("{0}")]
    Gone(String),
    /// The environment's subscription does not include the feature.
    #[error("{} needs the {} subscription or higher", feature.label(), tier.label())]
    TierRequired {
        /// The gated feature.
        feature: Feature,
        /// The lowest tier that includes it.
        tier: Tier,
    },
    /// The paying wallet is negative, which blocks sending through the API.
    #[error("the credit balance of {payer} is negative ({balance}); top up the wallet to send")]
    InsufficientCredit {
        /// The paying environment's name.
        payer: String,
        /// Its balance, formatted as money.
        balance: String,
    },
    /// Too many attempts in a short time.
    #[error("too many attempts; try again in a minute")]
    RateLimited,
    /// The database failed; the hub's fault.
    #[error("storage error: {0}")]
    Storage(sea_orm::DbErr),
}

impl From<sea_orm::DbErr> for Error {
    /// A unique index that refuses a row is a clash with existing data (two people racing
    /// for one email address or alias), not a failure of the hub.
    fn from(e: sea_orm::DbErr) -> Self {
        match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                Error::Conflict("this already exists; reload and try again".into())
            }
            _ => Error::Storage(e),
        }
    }
}

impl Error {
    /// A stable, machine-readable name for the error, used in problem+json `code`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Unauthenticated => "unauthenticated",
            Error::Forbidden(_) => "forbidden",
            Error::NotFound(_) => "not_found",
            Error::Invalid { .. } => "invalid",
            Error::Conflict(_) => "conflict",
            Error::Gone(_) => "gone",
            Error::TierRequired { .. } => "tier_required",
            Error::InsufficientCredit { .. } => "insufficient_credit",
            Error::RateLimited => "rate_limited",
            Error::Storage(_) => "internal",
        }
    }

    /// A shorthand for [`Error::Invalid`].
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid {
            field,
            message: message.into(),
        }
    }
}

impl From<sea_orm::TransactionError<Error>> for Error {
    fn from(e: sea_orm::TransactionError<Error>) -> Self {
        match e {
            sea_orm::TransactionError::Connection(e) => Error::Storage(e),
            sea_orm::TransactionError::Transaction(e) => e,
        }
    }
}

//! Who is acting: a user, a connection key, or the hub itself.
//!
//! Every service function takes a [`Principal`] and checks its scope (in the `access` module)
//! before it touches data.

use serde::{Deserialize, Serialize};

/// A user's role in their environment.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Works only on the organisations they were given rights to.
    Basic,
    /// Works on every organisation of the environment, but not on users or billing.
    Advanced,
    /// Everything, including users, subscription, wallet and partnerships.
    Administrator,
}

impl Role {
    /// Every role, least first.
    pub const ALL: [Role; 3] = [Role::Basic, Role::Advanced, Role::Administrator];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Basic => "basic",
            Role::Advanced => "advanced",
            Role::Administrator => "administrator",
        }
    }

    /// Parses a stored or wire name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// What a connection key may do for its organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Read the organisation's details and identifiers.
    OrganisationRead,
    /// Read the organisation's transactions.
    TransactionsRead,
    /// Read and acknowledge received documents.
    DocumentsRead,
    /// Send documents.
    DocumentsSend,
}

impl Scope {
    /// Every scope; a partnership grants all of them unless it says otherwise.
    pub const ALL: [Scope; 4] = [
        Scope::OrganisationRead,
        Scope::TransactionsRead,
        Scope::DocumentsRead,
        Scope::DocumentsSend,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::OrganisationRead => "organisation:read",
            Scope::TransactionsRead => "transactions:read",
            Scope::DocumentsRead => "documents:read",
            Scope::DocumentsSend => "documents:send",
        }
    }

    /// Parses a space-separated scope list, ignoring unknown names (a newer hub may know more).
    pub fn parse_list(s: &str) -> Vec<Scope> {
        s.split_whitespace()
            .filter_map(|name| Scope::ALL.into_iter().find(|scope| scope.as_str() == name))
            .collect()
    }

    /// A space-separated scope list.
    pub fn format_list(scopes: &[Scope]) -> String {
        scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A logged-in user.
#[derive(Clone, Debug)]
pub struct UserPrincipal {
    /// The user's id.
    pub user_id: i64,
    /// The user's environment.
    pub environment_id: i64,
    /// The user's role there.
    pub role: Role,
}

/// A connection key, valid for exactly one organisation.
#[derive(Clone, Debug)]
pub struct KeyPrincipal {
    /// The key's id.
    pub key_id: i64,
    /// The intermediary environment the key was released to.
    pub environment_id: i64,
    /// The one organisation the key reaches.
    pub organisation_id: i64,
    /// The partnership that released it.
    pub partnership_id: i64,
    /// What it may do.
    pub scopes: Vec<Scope>,
}

/// The actor of a service call.
#[derive(Clone, Debug)]
pub enum Principal {
    /// A person, through the web UI or the API with a session.
    User(UserPrincipal),
    /// An accounting package, through the API with connection keys.
    Key(KeyPrincipal),
    /// The hub itself: jobs, the command line, the demo seed.
    System,
}

impl Principal {
    /// How the audit log names this actor.
    pub fn actor(&self) -> String {
        match self {
            Principal::User(u) => format!("user:{}", u.user_id),
            Principal::Key(k) => format!("key:{}", k.key_id),
            Principal::System => "system".to_owned(),
        }
    }
}

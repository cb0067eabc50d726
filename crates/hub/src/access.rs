//! The one place that decides what a principal may reach.
//!
//! Services ask here before they read or write; handlers never filter by tenant themselves.
//! An organisation is reachable by:
//! - users of the environment that owns it, and users of an intermediary environment with an
//!   active partnership for it; administrators and advanced users reach all of those, basic
//!   users only the ones they were given a right to;
//! - a connection key, for exactly its own organisation and only within its scopes;
//! - the system.
//!
//! Anything out of reach is reported as "not found", so ids of other tenants leak nothing.

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entity::{organisation, organisation_right, partnership};
use crate::error::{Error, Result};
use crate::principal::{Principal, Role, Scope, UserPrincipal};

/// What the principal wants to do with an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Need {
    /// Read, as a key with this scope or as any user who reaches the organisation.
    Read(Scope),
    /// Change settings: users only, basic users only with a right.
    Manage,
}

/// The acting user, or `Forbidden` for keys (which act for one organisation, never for an
/// environment).
pub(crate) fn user(p: &Principal) -> Result<&UserPrincipal> {
    match p {
        Principal::User(u) => Ok(u),
        _ => Err(Error::Forbidden("this needs a logged-in user".into())),
    }
}

/// The acting user if they are an administrator of their environment.
pub(crate) fn administrator(p: &Principal) -> Result<&UserPrincipal> {
    let u = user(p)?;
    if u.role == Role::Administrator {
        Ok(u)
    } else {
        Err(Error::Forbidden(
            "only an administrator of this environment may do this".into(),
        ))
    }
}

/// The condition on `organisations` that selects what `u` reaches.
pub(crate) fn reachable_by(u: &UserPrincipal) -> Condition {
    let partnered = Query::select()
        .column(partnership::Column::OrganisationId)
        .from(partnership::Entity)
        .and_where(Expr::col(partnership::Column::EnvironmentId).eq(u.environment_id))
        .and_where(Expr::col(partnership::Column::Status).eq(crate::partnership::ACTIVE))
        .to_owned();
    let owned_or_partnered = Condition::any()
        .add(organisation::Column::EnvironmentId.eq(u.environment_id))
        .add(organisation::Column::Id.in_subquery(partnered));
    if u.role >= Role::Advanced {
        return owned_or_partnered;
    }
    let granted = Query::select()
        .column(organisation_right::Column::OrganisationId)
        .from(organisation_right::Entity)
        .and_where(Expr::col(organisation_right::Column::UserId).eq(u.user_id))
        .to_owned();
    Condition::all()
        .add(owned_or_partnered)
        .add(organisation::Column::Id.in_subquery(granted))
}

/// The organisation `id`, if `p` may do `need` with it.
pub(crate) async fn organisation<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    id: i64,
    need: Need,
) -> Result<organisation::Model> {
    let not_found = Error::NotFound("organisation");
    let query = organisation::Entity::find_by_id(id);
    match p {
        Principal::System => query.one(db).await?.ok_or(not_found),
        Principal::Key(k) => match need {
            Need::Read(scope) if k.organisation_id == id && k.scopes.contains(&scope) => {
                query.one(db).await?.ok_or(not_found)
            }
            Need::Read(scope) if k.organisation_id == id => Err(Error::Forbidden(format!(
                "this connection key lacks the scope {}",
                scope.as_str()
            ))),
            Need::Manage if k.organisation_id == id => Err(Error::Forbidden(
                "connection keys cannot change organisation settings".into(),
            )),
            _ => Err(not_found),
        },
        Principal::User(u) => query
            .filter(reachable_by(u))
            .one(db)
            .await?
            .ok_or(not_found),
    }
}

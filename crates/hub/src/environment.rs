//! Environments: sign-up, the subscription tier, and what an environment looks like.

use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde::Serialize;

use crate::audit::{self, Event};
use crate::entity::{environment, user};
use crate::error::{Error, Result};
use crate::principal::{Principal, Role, UserPrincipal};
use crate::subscription::Tier;
use crate::{Hub, access, user as users};

/// An environment as shown to its own users.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Environment {
    /// Its id.
    pub id: i64,
    /// The firm's or business's name.
    pub name: String,
    /// The subscription tier.
    pub tier: Tier,
    /// The credit wallet's balance in euro cents (negative when overdrawn).
    pub balance_cents: i64,
}

impl From<environment::Model> for Environment {
    fn from(m: environment::Model) -> Self {
        Environment {
            id: m.id,
            name: m.name,
            tier: Tier::parse(&m.tier).unwrap_or(Tier::Free),
            balance_cents: m.balance_cents,
        }
    }
}

/// What sign-up asks for.
#[derive(Clone, Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct SignUp {
    /// The firm's or business's name.
    pub environment_name: String,
    /// The first administrator's name.
    pub name: String,
    /// Their email address; it is also their login.
    pub email: String,
    /// Their password (at least 10 characters).
    pub password: String,
    /// `nl` or `en`.
    #[serde(default)]
    pub locale: Option<String>,
}

impl Hub {
    /// Creates an environment on the Free tier with its first administrator, and logs them in.
    pub async fn sign_up(&self, form: SignUp) -> Result<(UserPrincipal, users::Session)> {
        let name = form.environment_name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(Error::invalid(
                "environment_name",
                "give the firm's name (1 to 200 characters)",
            ));
        }
        let email = users::normalise_email(&form.email)?;
        let person = users::person_name(&form.name)?;
        let password_hash = users::hash_password(form.password).await?;
        let locale = users::locale(form.locale.as_deref());
        let now = self.clock.now();
        let txn = self.write().await?;
        if users::email_taken(&txn, &email).await? {
            return Err(Error::Conflict(
                "an account with this email address already exists; log in instead".into(),
            ));
        }
        let env = environment::ActiveModel {
            name: Set(name.to_owned()),
            tier: Set(Tier::Free.as_str().to_owned()),
            balance_cents: Set(0),
            audit_head: Set(String::new()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let user = user::ActiveModel {
            environment_id: Set(env.id),
            email: Set(email.clone()),
            name: Set(person),
            password_hash: Set(password_hash),
            role: Set(Role::Administrator.as_str().to_owned()),
            locale: Set(locale.to_owned()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let principal = UserPrincipal {
            user_id: user.id,
            environment_id: env.id,
            role: Role::Administrator,
        };
        audit::record(
            &txn,
            now,
            Event {
                environment_id: env.id,
                actor: Principal::User(principal.clone()).actor(),
                action: "environment.created",
                subject: format!("environment:{}", env.id),
                details: serde_json::json!({ "name": name, "administrator": email }),
            },
        )
        .await?;
        let session = users::open_session(&txn, self, &principal).await?;
        txn.commit().await?;
        Ok((principal, session))
    }

    /// The acting user's environment.
    pub async fn environment(&self, p: &Principal) -> Result<Environment> {
        let env_id = access::user(p)?.environment_id;
        environment::Entity::find_by_id(env_id)
            .one(&self.db)
            .await?
            .map(Environment::from)
            .ok_or(Error::NotFound("environment"))
    }

    /// Changes the subscription tier. Administrators only; in a hosted hub this follows payment,
    /// here the operator's administrators choose.
    pub async fn set_tier(&self, p: &Principal, tier: Tier) -> Result<Environment> {
        let admin = access::administrator(p)?;
        let now = self.clock.now();
        let txn = self.write().await?;
        audit::lock(&txn, admin.environment_id).await?;
        let env = environment::Entity::find_by_id(admin.environment_id)
            .one(&txn)
            .await?
            .ok_or(Error::NotFound("environment"))?;
        let from = env.tier.clone();
        let mut active: environment::ActiveModel = env.into();
        active.tier = Set(tier.as_str().to_owned());
        let env = active.update(&txn).await?;
        audit::record(
            &txn,
            now,
            Event {
                environment_id: admin.environment_id,
                actor: p.actor(),
                action: "subscription.changed",
                subject: format!("environment:{}", admin.environment_id),
                details: serde_json::json!({ "from": from, "to": tier.as_str() }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(env.into())
    }

    /// The tier of environment `id` (for gates).
    pub(crate) async fn tier_of<C: sea_orm::ConnectionTrait>(db: &C, id: i64) -> Result<Tier> {
        let env = environment::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(Error::NotFound("environment"))?;
        Ok(Tier::parse(&env.tier).unwrap_or(Tier::Free))
    }
}

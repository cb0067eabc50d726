//! Partnerships and their connection keys: step 5 of the intermediary flow, rotation,
//! revocation by either side, and authenticating an accounting package by its keys.
//!
//! The Secret is generated when the intermediary asks for the keys and is returned exactly
//! once; only its HMAC is stored. Asking again rotates: new keys, the old ones revoked.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::Serialize;

use crate::access;
use crate::audit::{self, Event};
use crate::authorisation::PaidBy;
use crate::entity::{connection_key, environment, organisation, partnership};
use crate::error::{Error, Result};
use crate::principal::{KeyPrincipal, Principal, Role, Scope};
use crate::{Hub, secret};

/// The stored status of a partnership in force.
pub(crate) const ACTIVE: &str = "active";
const REVOKED: &str = "revoked";

/// A partnership as either side sees it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Partnership {
    /// Id.
    pub id: i64,
    /// The client organisation.
    pub organisation_id: i64,
    /// Its name.
    pub organisation_name: String,
    /// The intermediary environment's name.
    pub intermediary: String,
    /// The client environment's name.
    pub client: String,
    /// Whether the viewer is the intermediary (otherwise the client).
    pub viewer_is_intermediary: bool,
    /// Who pays the transaction costs.
    pub paid_by: PaidBy,
    /// `active` or `revoked`.
    pub status: String,
    /// What the keys may do.
    pub scopes: Vec<Scope>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// The current App Key, if keys were released and not revoked.
    pub app_key: Option<String>,
    /// When the current keys expire.
    pub keys_expire_at: Option<DateTime<Utc>>,
}

/// Released connection keys. The Secret is in here once and nowhere else.
#[derive(Clone, Serialize, utoipa::ToSchema)]
pub struct ReleasedKeys {
    /// The App Key (public identifier).
    pub app_key: String,
    /// The Secret. Shown once; store it in the accounting package.
    pub secret: String,
    /// Both keys plus the hub's address in one string, for pasting into the package.
    pub quick_connect: String,
    /// The organisation the keys reach.
    pub organisation_id: i64,
    /// When they expire.
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for ReleasedKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReleasedKeys")
            .field("app_key", &self.app_key)
            .field("secret", &"<hidden>")
            .finish_non_exhaustive()
    }
}

/// Prefix of a Quick Connect string, with its format version.
pub const QUICK_CONNECT_PREFIX: &str = "postbode-qc1.";

/// The Quick Connect string for the hub at `url` and these keys.
fn quick_connect(url: &str, app_key: &str, secret: &str) -> String {
    let json = serde_json::json!({ "url": url, "app_key": app_key, "secret": secret });
    format!(
        "{QUICK_CONNECT_PREFIX}{}",
        URL_SAFE_NO_PAD.encode(json.to_string())
    )
}

/// Splits a Quick Connect string into the hub address, App Key and Secret.
pub fn parse_quick_connect(s: &str) -> Option<(String, String, String)> {
    let bytes = URL_SAFE_NO_PAD
        .decode(s.trim().strip_prefix(QUICK_CONNECT_PREFIX)?)
        .ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    Some((
        v.get("url")?.as_str()?.to_owned(),
        v.get("app_key")?.as_str()?.to_owned(),
        v.get("secret")?.as_str()?.to_owned(),
    ))
}

impl Hub {
    /// The partnerships of the acting user's environment, on either side.
    pub async fn partnerships(&self, p: &Principal) -> Result<Vec<Partnership>> {
        let u = access::user(p)?;
        let rows = partnership::Entity::find()
            .filter(
                Condition::any()
                    .add(partnership::Column::EnvironmentId.eq(u.environment_id))
                    .add(partnership::Column::ClientEnvironmentId.eq(u.environment_id)),
            )
            .order_by_desc(partnership::Column::CreatedAt)
            .all(&self.db)
            .await?;
        self.describe(rows, u.environment_id).await
    }

    /// One partnership, if the acting user's environment is a side of it.
    pub async fn partnership(&self, p: &Principal, id: i64) -> Result<Partnership> {
        let u = access::user(p)?;
        let row = self.side_of(u.environment_id, id).await?;
        let mut described = self.describe(vec![row], u.environment_id).await?;
        described.pop().ok_or(Error::NotFound("partnership"))
    }

    async fn side_of(&self, environment_id: i64, id: i64) -> Result<partnership::Model> {
        partnership::Entity::find_by_id(id)
            .filter(
                Condition::any()
                    .add(partnership::Column::EnvironmentId.eq(environment_id))
                    .add(partnership::Column::ClientEnvironmentId.eq(environment_id)),
            )
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound("partnership"))
    }

    /// Names, organisations and live keys for `rows`, in three queries whatever their number.
    async fn describe(
        &self,
        rows: Vec<partnership::Model>,
        viewer: i64,
    ) -> Result<Vec<Partnership>> {
        let env_ids: Vec<i64> = rows
            .iter()
            .flat_map(|r| [r.environment_id, r.client_environment_id])
            .collect();
        let names: HashMap<i64, String> = environment::Entity::find()
            .filter(environment::Column::Id.is_in(env_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.id, e.name))
            .collect();
        let organisations: HashMap<i64, String> = organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(rows.iter().map(|r| r.organisation_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        // Ascending ids, so the newest live key of a partnership is the one kept.
        let keys: HashMap<i64, connection_key::Model> = connection_key::Entity::find()
            .filter(connection_key::Column::PartnershipId.is_in(rows.iter().map(|r| r.id)))
            .filter(connection_key::Column::RevokedAt.is_null())
            .order_by_asc(connection_key::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|k| (k.partnership_id, k))
            .collect();
        let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
        Ok(rows
            .into_iter()
            .map(|row| {
                let key = keys.get(&row.id);
                Partnership {
                    id: row.id,
                    organisation_id: row.organisation_id,
                    organisation_name: organisations
                        .get(&row.organisation_id)
                        .cloned()
                        .unwrap_or_default(),
                    intermediary: name(row.environment_id),
                    client: name(row.client_environment_id),
                    viewer_is_intermediary: row.environment_id == viewer,
                    paid_by: PaidBy::parse(&row.paid_by),
                    scopes: Scope::parse_list(&row.scopes),
                    created_at: row.created_at,
                    app_key: key.map(|k| k.app_key.clone()),
                    keys_expire_at: key.map(|k| k.expires_at),
                    status: row.status,
                }
            })
            .collect())
    }

    /// Step 5: releases connection keys to the intermediary, or rotates them (the previous
    /// keys stop working at once). Intermediary administrators and advanced users only.
    pub async fn release_keys(&self, p: &Principal, partnership_id: i64) -> Result<ReleasedKeys> {
        let u = access::user(p)?;
        if u.role < Role::Advanced {
            return Err(Error::Forbidden(
                "basic users cannot release connection keys".into(),
            ));
        }
        let now = self.clock.now();
        let txn = self.write().await?;
        audit::lock(&txn, u.environment_id).await?;
        let row = partnership::Entity::find_by_id(partnership_id)
            .filter(partnership::Column::EnvironmentId.eq(u.environment_id))
            .one(&txn)
            .await?
            .ok_or(Error::NotFound("partnership"))?;
        if row.status != ACTIVE {
            return Err(Error::Gone(
                "this partnership was revoked; send a new authorisation request".into(),
            ));
        }
        let rotated = revoke_keys(&txn, row.id, now).await?;
        let app_key = format!("pk_{}", &secret::token()[..24]);
        let secret_value = format!("sk_{}", secret::token());
        let expires_at = now + self.config.key_ttl;
        connection_key::ActiveModel {
            environment_id: Set(row.environment_id),
            partnership_id: Set(row.id),
            organisation_id: Set(row.organisation_id),
            app_key: Set(app_key.clone()),
            secret_hmac: Set(self.config.pepper.mac(&secret_value)),
            scopes: Set(row.scopes.clone()),
            created_at: Set(now),
            expires_at: Set(expires_at),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            now,
            Event {
                environment_id: row.environment_id,
                actor: p.actor(),
                action: if rotated > 0 { "connection_keys.rotated" } else { "connection_keys.released" },
                subject: format!("partnership:{}", row.id),
                details: serde_json::json!({ "app_key": app_key, "organisation": row.organisation_id }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(ReleasedKeys {
            quick_connect: quick_connect(&self.config.base_url, &app_key, &secret_value),
            app_key,
            secret: secret_value,
            organisation_id: row.organisation_id,
            expires_at,
        })
    }

    /// Ends a partnership. Either side's administrator may; all its keys stop working.
    pub async fn revoke_partnership(
        &self,
        p: &Principal,
        partnership_id: i64,
    ) -> Result<Partnership> {
        let admin = access::administrator(p)?;
        let row = self.side_of(admin.environment_id, partnership_id).await?;
        let now = self.clock.now();
        let txn = self.write().await?;
        let (first, second) = (
            row.environment_id.min(row.client_environment_id),
            row.environment_id.max(row.client_environment_id),
        );
        audit::lock(&txn, first).await?;
        audit::lock(&txn, second).await?;
        let revoked = partnership::Entity::update_many()
            .col_expr(partnership::Column::Status, Expr::value(REVOKED))
            .col_expr(partnership::Column::RevokedAt, Expr::value(now))
            .filter(partnership::Column::Id.eq(row.id))
            .filter(partnership::Column::Status.eq(ACTIVE))
            .exec(&txn)
            .await?;
        if revoked.rows_affected != 1 {
            return Err(Error::Conflict(
                "this partnership is already revoked".into(),
            ));
        }
        let keys = revoke_keys(&txn, row.id, now).await?;
        let by = if row.environment_id == admin.environment_id {
            "intermediary"
        } else {
            "client"
        };
        for environment_id in [row.environment_id, row.client_environment_id] {
            audit::record(
                &txn,
                now,
                Event {
                    environment_id,
                    actor: p.actor(),
                    action: "partnership.revoked",
                    subject: format!("partnership:{}", row.id),
                    details: serde_json::json!({ "by": by, "keys_revoked": keys, "organisation": row.organisation_id }),
                },
            )
            .await?;
        }
        txn.commit().await?;
        self.partnership(p, partnership_id).await
    }

    /// The principal behind an App Key and Secret, if both hold and the partnership is in force.
    pub async fn authenticate_key(
        &self,
        app_key: &str,
        secret_value: &str,
    ) -> Result<KeyPrincipal> {
        if app_key.len() > 64 || secret_value.len() > 128 {
            return Err(Error::Unauthenticated);
        }
        let key = connection_key::Entity::find()
            .filter(connection_key::Column::AppKey.eq(app_key))
            .one(&self.db)
            .await?;
        // Compute the MAC even for an unknown key, so timing does not tell which keys exist.
        let stored = key.as_ref().map_or("", |k| k.secret_hmac.as_str());
        let matches = self.config.pepper.verify(secret_value, stored);
        let Some(key) = key.filter(|_| matches) else {
            return Err(Error::Unauthenticated);
        };
        if key.revoked_at.is_some() {
            return Err(Error::Gone(
                "these connection keys were revoked or rotated".into(),
            ));
        }
        if key.expires_at <= self.clock.now() {
            return Err(Error::Gone(
                "these connection keys have expired; release new ones".into(),
            ));
        }
        Ok(KeyPrincipal {
            key_id: key.id,
            environment_id: key.environment_id,
            organisation_id: key.organisation_id,
            partnership_id: key.partnership_id,
            scopes: Scope::parse_list(&key.scopes),
        })
    }
}

/// Revokes every live key of a partnership; returns how many.
async fn revoke_keys(
    txn: &DatabaseTransaction,
    partnership_id: i64,
    now: DateTime<Utc>,
) -> Result<u64> {
    Ok(connection_key::Entity::update_many()
        .col_expr(connection_key::Column::RevokedAt, Expr::value(now))
        .filter(connection_key::Column::PartnershipId.eq(partnership_id))
        .filter(connection_key::Column::RevokedAt.is_null())
        .exec(txn)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quick_connect_round_trips_and_refuses_others() {
        let s = quick_connect("https://hub.example", "pk_a", "sk_b");
        let parsed = parse_quick_connect(&format!("  {s}\n"));
        assert_eq!(
            parsed,
            Some(("https://hub.example".into(), "pk_a".into(), "sk_b".into()))
        );
        assert_eq!(parse_quick_connect("pk_a:sk_b"), None);
        assert_eq!(
            parse_quick_connect(&format!("{QUICK_CONNECT_PREFIX}e30")),
            None,
            "{{}} lacks the keys"
        );
    }

    proptest! {
        #[test]
        fn parsing_pasted_text_never_panics(text in ".*") {
            let _ = parse_quick_connect(&text);
            let _ = parse_quick_connect(&format!("{QUICK_CONNECT_PREFIX}{text}"));
        }

        #[test]
        fn any_keys_survive_the_round_trip(url in "[ -~]{0,40}", key in "[ -~]{0,40}", secret in "\\PC{0,40}") {
            let parsed = parse_quick_connect(&quick_connect(&url, &key, &secret));
            prop_assert_eq!(parsed, Some((url, key, secret)));
        }
    }
}

//! Idempotency keys for POST requests: the first answer to a key is stored, and a retry with
//! the same key and the same body gets that answer again instead of acting twice. The same
//! key with a different body is a client error.
//!
//! Keys are scoped by principal, so two callers can never see each other's answers.

use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::entity::idempotency_key;
use crate::error::{Error, Result};
use crate::{Hub, Principal};

/// A stored answer.
#[derive(Clone, Debug)]
pub struct Stored {
    /// HTTP status.
    pub status: u16,
    /// Response body.
    pub body: String,
}

/// The hash that ties a key to its request.
pub fn request_hash(method: &str, path: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    h.update([0]);
    h.update(body);
    hex::encode(h.finalize())
}

fn owner(p: &Principal) -> String {
    p.actor()
}

/// What to do with a request that carries an idempotency key.
#[derive(Clone, Debug)]
pub enum Begin {
    /// The key is new and now reserved: act, then [`Hub::finish_idempotent`].
    Fresh,
    /// The key was used before for this request: send this answer again, do nothing else.
    Replay(Stored),
}

/// A reserved key's status until the answer is stored.
const IN_PROGRESS: i32 = 0;

/// How long an answer is replayed.
const KEPT: chrono::Duration = chrono::Duration::hours(24);

/// How long a reservation may stay open before its request counts as dead.
const ABANDONED: chrono::Duration = chrono::Duration::minutes(5);

impl Hub {
    /// Reserves `key` for this principal and request, or finds its earlier answer. A key
    /// still in progress, or used for a different request, is a conflict; so two concurrent
    /// requests with one key never both act.
    pub async fn begin_idempotent(&self, p: &Principal, key: &str, hash: &str) -> Result<Begin> {
        if key.is_empty() || key.len() > 255 {
            return Err(Error::invalid("Idempotency-Key", "use 1 to 255 characters"));
        }
        let now = self.clock.now();
        // Answers are kept for a day, as long as a client reasonably retries; a reservation
        // that is still open after a few minutes belongs to a request that died (a crash or
        // a dropped connection), so its key is freed for the retry. The cleanup is per
        // principal, so it stays a small indexed delete.
        idempotency_key::Entity::delete_many()
            .filter(idempotency_key::Column::Principal.eq(owner(p)))
            .filter(
                Condition::any()
                    .add(idempotency_key::Column::CreatedAt.lt(now - KEPT))
                    .add(
                        Condition::all()
                            .add(idempotency_key::Column::Status.eq(IN_PROGRESS))
                            .add(idempotency_key::Column::CreatedAt.lt(now - ABANDONED)),
                    ),
            )
            .exec(&self.db)
            .await?;
        let reserved = idempotency_key::ActiveModel {
            principal: Set(owner(p)),
            key: Set(key.to_owned()),
            request_hash: Set(hash.to_owned()),
            status: Set(IN_PROGRESS),
            body: Set(String::new()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await;
        match reserved {
            Ok(_) => return Ok(Begin::Fresh),
            Err(e)
                if matches!(
                    e.sql_err(),
                    Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
                ) => {}
            Err(e) => return Err(e.into()),
        }
        let m = self.idempotency_row(p, key).await?.ok_or(Error::Conflict(
            "this Idempotency-Key is being released; retry".into(),
        ))?;
        if m.request_hash != hash {
            return Err(Error::Conflict(
                "this Idempotency-Key was used for a different request; use a new key".into(),
            ));
        }
        if m.status == IN_PROGRESS {
            return Err(Error::Conflict(
                "a request with this Idempotency-Key is still in progress; retry shortly".into(),
            ));
        }
        Ok(Begin::Replay(Stored {
            status: u16::try_from(m.status).unwrap_or(200),
            body: m.body,
        }))
    }

    /// Stores the answer to a reserved key. A server error releases the key instead, so a
    /// retry can act (nothing was done, because the service calls are transactional).
    pub async fn finish_idempotent(&self, p: &Principal, key: &str, answer: Stored) -> Result<()> {
        let Some(m) = self.idempotency_row(p, key).await? else {
            return Ok(());
        };
        if answer.status >= 500 {
            idempotency_key::Entity::delete_by_id(m.id)
                .exec(&self.db)
                .await?;
            return Ok(());
        }
        let mut active: idempotency_key::ActiveModel = m.into();
        active.status = Set(i32::from(answer.status));
        active.body = Set(answer.body);
        active.update(&self.db).await?;
        Ok(())
    }

    async fn idempotency_row(
        &self,
        p: &Principal,
        key: &str,
    ) -> Result<Option<idempotency_key::Model>> {
        Ok(idempotency_key::Entity::find()
            .filter(idempotency_key::Column::Principal.eq(owner(p)))
            .filter(idempotency_key::Column::Key.eq(key))
            .one(&self.db)
            .await?)
    }
}

//! The audit log: append-only and hash-chained per environment.
//!
//! Each entry's hash covers the previous entry's hash and every field of the entry, and the
//! environment row keeps the newest `seq:hash` (its head). [`verify`] recomputes every chain,
//! so an edited entry (hash mismatch), a removed one (gap or broken link) and a removed tail
//! (head mismatch) are all found. Entries are written inside the transaction of the change
//! they describe, so the log never claims a change that did not happen or misses one that did.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::entity::{audit_entry, environment};
use crate::error::{Error, Result};

/// One audit entry as it is shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Entry {
    /// Position in the environment's chain, from 1.
    pub seq: i64,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who did it: `user:ID`, `key:ID` or `system`.
    pub actor: String,
    /// What was done, e.g. `authorisation.accepted`.
    pub action: String,
    /// What it was done to, e.g. `organisation:12`.
    pub subject: String,
    /// Further facts, as JSON.
    pub details: serde_json::Value,
    /// The entry's hash (hex).
    pub hash: String,
}

/// Takes the environment's write lock for the rest of the transaction.
///
/// Every change that is audited (and every wallet movement) takes it, so on PostgreSQL
/// changes to one environment are serialised by its row lock. (On SQLite the hub's write
/// transactions hold the database's write lock from their start: `Hub::write`.)
pub(crate) async fn lock<C: ConnectionTrait>(db: &C, environment_id: i64) -> Result<()> {
    let locked = environment::Entity::update_many()
        .col_expr(environment::Column::Id, Expr::col(environment::Column::Id))
        .filter(environment::Column::Id.eq(environment_id))
        .exec(db)
        .await?;
    if locked.rows_affected == 1 {
        Ok(())
    } else {
        Err(Error::NotFound("environment"))
    }
}

/// What an audit entry says, before it is chained.
pub(crate) struct Event {
    /// The environment whose log gets the entry.
    pub environment_id: i64,
    /// Who did it ([`crate::principal::Principal::actor`]).
    pub actor: String,
    /// What was done.
    pub action: &'static str,
    /// What it was done to.
    pub subject: String,
    /// Further facts. Never secrets.
    pub details: serde_json::Value,
}

/// Appends `event` to its environment's chain. The caller holds the [`lock`].
pub(crate) async fn record<C: ConnectionTrait>(
    db: &C,
    at: DateTime<Utc>,
    event: Event,
) -> Result<()> {
    record_many(db, at, vec![event]).await
}

/// Appends `events`, in order, to their environments' chains: per environment one read of
/// the head, one insert and one head update, however many events it gets (a batch of
/// received messages is written this way). The caller holds the [`lock`] of each.
pub(crate) async fn record_many<C: ConnectionTrait>(
    db: &C,
    at: DateTime<Utc>,
    events: Vec<Event>,
) -> Result<()> {
    let mut by_environment: BTreeMap<i64, Vec<Event>> = BTreeMap::new();
    for event in events {
        by_environment
            .entry(event.environment_id)
            .or_default()
            .push(event);
    }
    for (environment_id, events) in by_environment {
        let env = environment::Entity::find_by_id(environment_id)
            .one(db)
            .await?
            .ok_or(Error::NotFound("environment"))?;
        let (mut seq, mut prev) = match env.audit_head.split_once(':') {
            Some((seq, hash)) => (seq.parse::<i64>().unwrap_or(0), hash.to_owned()),
            None => (0, String::new()),
        };
        let mut entries = Vec::with_capacity(events.len());
        for event in events {
            seq += 1;
            let details = event.details.to_string();
            let hash = digest(
                &prev,
                environment_id,
                seq,
                at,
                &event.actor,
                event.action,
                &event.subject,
                &details,
            );
            entries.push(audit_entry::ActiveModel {
                environment_id: Set(environment_id),
                seq: Set(seq),
                at: Set(at),
                actor: Set(event.actor),
                action: Set(event.action.to_owned()),
                subject: Set(event.subject),
                details: Set(details),
                prev_hash: Set(std::mem::replace(&mut prev, hash.clone())),
                hash: Set(hash),
                ..Default::default()
            });
        }
        audit_entry::Entity::insert_many(entries).exec(db).await?;
        environment::Entity::update_many()
            .col_expr(
                environment::Column::AuditHead,
                Expr::value(format!("{seq}:{prev}")),
            )
            .filter(environment::Column::Id.eq(environment_id))
            .exec(db)
            .await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)] // each field of the entry is hashed; a struct would only rename them
fn digest(
    prev: &str,
    environment_id: i64,
    seq: i64,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    subject: &str,
    details: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &environment_id.to_string(),
        &seq.to_string(),
        &at.to_rfc3339_opts(SecondsFormat::Micros, true),
        actor,
        action,
        subject,
        details,
    ] {
        // Length-prefixed, so no two different entries share a hash input.
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// A break in a chain, found by [`verify`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Break {
    /// The environment.
    pub environment_id: i64,
    /// The entry where the chain breaks (for a removed tail: the head's seq).
    pub seq: i64,
    /// What is wrong.
    pub problem: String,
}

/// The result of [`verify`].
#[derive(Clone, Debug, Default, Serialize)]
pub struct Verification {
    /// Environments checked.
    pub environments: u64,
    /// Entries checked.
    pub entries: u64,
    /// Every break found; empty when the log is intact.
    pub breaks: Vec<Break>,
}

/// Recomputes every environment's chain and compares it with its head.
pub async fn verify<C: ConnectionTrait>(db: &C) -> Result<Verification> {
    let mut report = Verification::default();
    let mut environments = environment::Entity::find()
        .order_by_asc(environment::Column::Id)
        .paginate(db, 500);
    while let Some(page) = environments.fetch_and_next().await? {
        for env in page {
            report.environments += 1;
            verify_chain(db, &env, &mut report).await?;
        }
    }
    Ok(report)
}

async fn verify_chain<C: ConnectionTrait>(
    db: &C,
    env: &environment::Model,
    report: &mut Verification,
) -> Result<()> {
    let mut expected_seq = 1;
    let mut prev = String::new();
    let mut broken = |seq: i64, problem: String| {
        report.breaks.push(Break {
            environment_id: env.id,
            seq,
            problem,
        });
    };
    let mut entries = audit_entry::Entity::find()
        .filter(audit_entry::Column::EnvironmentId.eq(env.id))
        .order_by_asc(audit_entry::Column::Seq)
        .paginate(db, 1000);
    let mut checked = 0;
    while let Some(page) = entries.fetch_and_next().await? {
        for e in page {
            checked += 1;
            if e.seq != expected_seq {
                broken(
                    expected_seq,
                    format!("entries {expected_seq}..{} are missing", e.seq - 1),
                );
            }
            if e.prev_hash != prev {
                broken(e.seq, "does not link to the entry before it".into());
            }
            let hash = digest(
                &e.prev_hash,
                e.environment_id,
                e.seq,
                e.at,
                &e.actor,
                &e.action,
                &e.subject,
                &e.details,
            );
            if hash != e.hash {
                broken(e.seq, "was changed after it was written".into());
            }
            expected_seq = e.seq + 1;
            prev = e.hash;
        }
    }
    let head = if checked == 0 {
        String::new()
    } else {
        format!("{}:{prev}", expected_seq - 1)
    };
    if head != env.audit_head {
        broken(
            expected_seq - 1,
            "the newest entries were removed (the chain ends before its recorded head)".into(),
        );
    }
    report.entries += checked;
    Ok(())
}

impl crate::Hub {
    /// The acting administrator's environment log, newest first: `limit` entries (1 to 200)
    /// before `before_seq`.
    pub async fn audit_log(
        &self,
        p: &crate::Principal,
        before_seq: Option<i64>,
        limit: u64,
    ) -> Result<Vec<Entry>> {
        let admin = crate::access::administrator(p)?;
        page(
            &self.db,
            admin.environment_id,
            before_seq,
            limit.clamp(1, 200),
        )
        .await
    }
}

/// A page of an environment's log, newest first.
async fn page<C: ConnectionTrait>(
    db: &C,
    environment_id: i64,
    before_seq: Option<i64>,
    limit: u64,
) -> Result<Vec<Entry>> {
    let mut query = audit_entry::Entity::find()
        .filter(audit_entry::Column::EnvironmentId.eq(environment_id))
        .order_by_desc(audit_entry::Column::Seq)
        .limit(limit);
    if let Some(before) = before_seq {
        query = query.filter(audit_entry::Column::Seq.lt(before));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|e| Entry {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            subject: e.subject,
            details: serde_json::from_str(&e.details).unwrap_or(serde_json::Value::Null),
            hash: e.hash,
        })
        .collect())
}

//! The inbox: where received Peppol messages are written, in batches.
//!
//! An access point under load receives many messages at once, and storing one is a
//! transaction of some twenty statements (routing, the duplicate check, the environment lock,
//! the document, the message row, the audit entry, the wallet charge). One writer takes
//! every message that arrived while its previous transaction ran and stores them in one
//! transaction, with one routing query per receiver, one lock and one audit-chain update per
//! environment and one wallet movement per payer, so the cost per message falls as the load
//! rises. Each message's receipt still waits for the commit that holds it, so nothing is
//! acknowledged before it is stored.
//!
//! The writer is a task of its own, so a sender that hangs up mid-write does not cancel
//! the transaction: the message is stored, and the sender's retry is answered as a duplicate.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::OnceLock;

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use tokio::sync::{mpsc, oneshot};

use crate::audit::{self, Event};
use crate::document::{Channel, Direction, NewDocument};
use crate::entity::{organisation, participant_id, peppol_message};
use crate::error::{Error, Result};
use crate::peppol::{Inbound, NewMessage, RECEIVED, Stored};
use crate::wallet::Kind;
use crate::{Hub, Principal};

/// The most messages written in one transaction.
const MAX_BATCH: usize = 64;

/// The queue to the writer, started with the first message.
#[derive(Default)]
pub(crate) struct Inbox {
    queue: OnceLock<mpsc::Sender<Job>>,
}

/// A message waiting to be stored, with the receipt that will acknowledge it.
struct Pending {
    inbound: Inbound,
    receipt: String,
}

struct Job {
    pending: Pending,
    reply: oneshot::Sender<Result<Stored>>,
}

impl Hub {
    /// Stores a received message with the receipt that will acknowledge it: the document,
    /// the message row, the charge for a received XML invoice and the audit entry, committed
    /// before this returns (with the other messages of its batch). Receiving is never refused
    /// for an overdrawn wallet.
    pub async fn store_inbound(&self, inbound: Inbound, receipt: String) -> Result<Stored> {
        let queue = self.inbox.queue.get_or_init(|| {
            let (queue, jobs) = mpsc::channel(4 * MAX_BATCH);
            tokio::spawn(self.clone().write_inbox(jobs));
            queue
        });
        let (reply, answer) = oneshot::channel();
        let job = Job {
            pending: Pending { inbound, receipt },
            reply,
        };
        let stopped = || unavailable("the inbox writer stopped".into());
        queue.send(job).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    /// The writer: one transaction for whatever is queued, up to [`MAX_BATCH`] messages.
    async fn write_inbox(self, mut jobs: mpsc::Receiver<Job>) {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
            let (pending, replies): (Vec<Pending>, Vec<_>) =
                batch.drain(..).map(|job| (job.pending, job.reply)).unzip();
            // Each batch is a task of its own: were one to panic, its messages would fail,
            // not the writer that every later message needs.
            let hub = self.clone();
            let written = tokio::spawn(async move { hub.store_batch(&pending).await }).await;
            match written {
                Ok(Ok(stored)) => {
                    for (reply, stored) in replies.into_iter().zip(stored) {
                        let _ = reply.send(Ok(stored));
                    }
                }
                // Only the database fails a batch (a message for no one, or seen before, is
                // an answer, not an error): nothing of it was stored, so no sender gets a
                // receipt, and each sends again.
                failed => {
                    let reason = match failed {
                        Ok(Err(e)) => e.to_string(),
                        _ => "storing the batch stopped unexpectedly".to_owned(),
                    };
                    tracing::error!(%reason, messages = replies.len(), "storing received messages failed");
                    for reply in replies {
                        let _ = reply.send(Err(unavailable(reason.clone())));
                    }
                }
            }
        }
    }

    /// Stores `pending` in one transaction; what became of each, in order.
    async fn store_batch(&self, pending: &[Pending]) -> Result<Vec<Stored>> {
        let now = self.clock.now();
        let txn = self.write().await?;
        // Routed inside the transaction: a registration withdrawn meanwhile is seen.
        let mut receivers: HashMap<&peppol::ParticipantId, Option<organisation::Model>> =
            HashMap::new();
        for p in pending {
            if let Entry::Vacant(slot) = receivers.entry(&p.inbound.receiver) {
                slot.insert(served(&txn, &p.inbound.receiver).await?);
            }
        }
        let mut environments: Vec<i64> = receivers
            .values()
            .flatten()
            .map(|o| o.environment_id)
            .collect();
        environments.sort_unstable();
        environments.dedup();
        for environment_id in environments {
            audit::lock(&txn, environment_id).await?;
        }
        let ids: Vec<&str> = pending
            .iter()
            .map(|p| p.inbound.message_id.as_str())
            .collect();
        let mut receipts: HashMap<String, String> = peppol_message::Entity::find()
            .filter(peppol_message::Column::MessageId.is_in(ids))
            .filter(peppol_message::Column::Direction.eq(Direction::Inbound.as_str()))
            .all(&txn)
            .await?
            .into_iter()
            .filter_map(|m| Some((m.message_id, m.receipt?)))
            .collect();
        let mut stored = Vec::with_capacity(pending.len());
        let mut events = Vec::new();
        let mut charges = Vec::new();
        for p in pending {
            let inbound = &p.inbound;
            // Seen before, or earlier in this very batch.
            if let Some(receipt) = receipts.get(&inbound.message_id) {
                stored.push(Stored::Duplicate {
                    receipt: receipt.clone(),
                });
                continue;
            }
            let Some(org) = receivers.get(&inbound.receiver).and_then(Option::as_ref) else {
                stored.push(Stored::NotServiced);
                continue;
            };
            let document = NewDocument {
                environment_id: org.environment_id,
                organisation_id: org.id,
                channel: Channel::Peppol,
                direction: Direction::Inbound,
                document_type: Some(inbound.document_type.clone()),
                sender: Some(inbound.sender.clone()),
                receiver: Some(inbound.receiver.to_string()),
                original: &inbound.document,
                at: now,
            }
            .into_active()
            .insert(&txn)
            .await?;
            NewMessage {
                document: &document,
                message_id: &inbound.message_id,
                direction: Direction::Inbound,
                status: RECEIVED,
                aps: (&inbound.from_ap, &inbound.to_ap),
                receipt: Some(p.receipt.clone()),
                error: None,
            }
            .into_active()
            .insert(&txn)
            .await?;
            receipts.insert(inbound.message_id.clone(), p.receipt.clone());
            events.push(Event {
                environment_id: org.environment_id,
                actor: Principal::System.actor(),
                action: "document.received",
                subject: format!("document:{}", document.id),
                details: serde_json::json!({
                    "channel": Channel::Peppol.as_str(),
                    "organisation_id": org.id,
                    "message_id": inbound.message_id,
                    "sender": inbound.sender,
                    "sha256": document.sha256,
                }),
            });
            charges.push((org.id, Some(format!("document:{}", document.id))));
            stored.push(Stored::Document(document.id));
        }
        audit::record_many(&txn, now, events).await?;
        let (_, alerts) = self
            .charge_many_within(&txn, Kind::XmlReceived, charges, true)
            .await?;
        txn.commit().await?;
        for alert in alerts {
            // Stored is stored: a budget mail that fails must not turn the receipts into
            // errors, or the senders would send again what is already here.
            if let Err(e) = self.mail_alert(Some(alert)).await {
                tracing::warn!(error = %e, "mailing a budget alert failed");
            }
        }
        Ok(stored)
    }
}

/// The organisation `receiver` is registered to, if it is active on this hub.
async fn served(
    db: &impl ConnectionTrait,
    receiver: &peppol::ParticipantId,
) -> Result<Option<organisation::Model>> {
    let Some(registered) = participant_id::Entity::find()
        .filter(participant_id::Column::Scheme.eq(receiver.scheme().icd))
        .filter(participant_id::Column::Value.eq(receiver.value()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(organisation::Entity::find_by_id(registered.organisation_id)
        .one(db)
        .await?
        .filter(|o| o.status == crate::organisation::Status::Active.as_str()))
}

/// Storing failed, and nothing was stored: the sender gets no receipt and sends again.
fn unavailable(reason: String) -> Error {
    Error::Storage(DbErr::Custom(reason))
}

//! The hub's side of Peppol: which organisation a participant id reaches, and the AS4
//! exchanges of each organisation.
//!
//! Receiving is split so that the access point never acknowledges what it has not stored:
//! [`Hub::peppol_route`] says whether the receiver is served here (or the message was seen
//! before), the access point builds and signs its receipt, and [`Hub::store_inbound`] stores
//! document, message and receipt in one transaction. Only then is the receipt sent, so a
//! crash at any point leaves either nothing (the sender retries) or everything (a retry is a
//! duplicate and gets the stored receipt again).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use serde::Serialize;

use crate::access::{self, Need};
use crate::audit::{self, Event};
use crate::document::{Channel, Direction, NewDocument};
use crate::entity::{organisation, participant_id, peppol_message};
use crate::error::{Error, Result};
use crate::wallet::Kind;
use crate::{Hub, Principal, Scope};

/// A received Peppol message that passed every check of the access point.
#[derive(Clone, Debug)]
pub struct Inbound {
    /// The ebMS MessageId.
    pub message_id: String,
    /// The sending access point's seat id.
    pub from_ap: String,
    /// Our seat id, as the sender addressed it.
    pub to_ap: String,
    /// The participant that sent the document (C1).
    pub sender: String,
    /// The participant it is for (C4): who it is routed to.
    pub receiver: peppol::ParticipantId,
    /// The document type id.
    pub document_type: String,
    /// The business document, as it was inside the envelope.
    pub document: Vec<u8>,
}

/// Where a received message goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// To this organisation.
    Organisation(i64),
    /// Nowhere new: it was received before, and this was the receipt.
    Duplicate {
        /// The signed receipt sent the first time.
        receipt: String,
    },
    /// The receiver is not served by this hub.
    NotServiced,
}

/// What storing a received message did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    /// Stored as this document.
    Document(i64),
    /// Another delivery of the same message won the race; this is its receipt.
    Duplicate {
        /// The receipt stored with the first delivery.
        receipt: String,
    },
}

/// One AS4 exchange, as the Peppol view of an organisation shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Exchange {
    /// The ebMS MessageId.
    pub message_id: String,
    /// `inbound` or `outbound`.
    pub direction: String,
    /// `received`, `sent`, `pending` or `failed`.
    pub status: String,
    /// The sending access point's seat id.
    pub from_ap: String,
    /// The receiving access point's seat id.
    pub to_ap: String,
    /// The document it carried, if one was stored.
    pub document_id: Option<i64>,
    /// Why it failed, when it did.
    pub error: Option<String>,
    /// When it was last updated.
    pub updated_at: DateTime<Utc>,
}

impl From<peppol_message::Model> for Exchange {
    fn from(m: peppol_message::Model) -> Self {
        Exchange {
            message_id: m.message_id,
            direction: m.direction,
            status: m.status,
            from_ap: m.from_ap,
            to_ap: m.to_ap,
            document_id: m.document_id,
            error: m.error,
            updated_at: m.updated_at,
        }
    }
}

/// The status of a message that was received and stored.
pub const RECEIVED: &str = "received";

impl Hub {
    /// Where a received message with `message_id` for `receiver` goes.
    pub async fn peppol_route(
        &self,
        message_id: &str,
        receiver: &peppol::ParticipantId,
    ) -> Result<Route> {
        if let Some(receipt) = self.stored_receipt(message_id).await? {
            return Ok(Route::Duplicate { receipt });
        }
        Ok(match self.served(receiver).await? {
            Some(org) => Route::Organisation(org.id),
            None => Route::NotServiced,
        })
    }

    /// Stores a received message with the receipt that will acknowledge it: the document,
    /// the message row, the charge for a received XML invoice and the audit entry, in one
    /// transaction. Receiving is never refused for an overdrawn wallet.
    pub async fn store_inbound(&self, inbound: &Inbound, receipt: &str) -> Result<Stored> {
        let org = self
            .served(&inbound.receiver)
            .await?
            .ok_or_else(|| Error::NotFound("organisation for this participant id"))?;
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        audit::lock(&txn, org.environment_id).await?;
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
        let message = peppol_message::ActiveModel {
            environment_id: Set(org.environment_id),
            organisation_id: Set(org.id),
            document_id: Set(Some(document.id)),
            message_id: Set(inbound.message_id.clone()),
            direction: Set(Direction::Inbound.as_str().to_owned()),
            status: Set(RECEIVED.to_owned()),
            from_ap: Set(inbound.from_ap.clone()),
            to_ap: Set(inbound.to_ap.clone()),
            receipt: Set(Some(receipt.to_owned())),
            error: Set(None),
            attempts: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        if let Err(e) = message.insert(&txn).await {
            // The unique MessageId: a concurrent delivery of the same message got there first.
            drop(txn);
            return match self.stored_receipt(&inbound.message_id).await? {
                Some(receipt) => Ok(Stored::Duplicate { receipt }),
                None => Err(e.into()),
            };
        }
        audit::record(
            &txn,
            now,
            Event {
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
            },
        )
        .await?;
        let (_, alert) = self
            .charge_within(
                &txn,
                org.id,
                Kind::XmlReceived,
                Some(format!("document:{}", document.id)),
                true,
            )
            .await?;
        txn.commit().await?;
        self.mail_alert(alert).await?;
        Ok(Stored::Document(document.id))
    }

    /// The AS4 exchanges of an organisation, newest first (at most `limit`).
    pub async fn peppol_exchanges(
        &self,
        p: &Principal,
        organisation_id: i64,
        limit: u64,
    ) -> Result<Vec<Exchange>> {
        access::organisation(
            &self.db,
            p,
            organisation_id,
            Need::Read(Scope::DocumentsRead),
        )
        .await?;
        Ok(peppol_message::Entity::find()
            .filter(peppol_message::Column::OrganisationId.eq(organisation_id))
            .order_by_desc(peppol_message::Column::UpdatedAt)
            .order_by_desc(peppol_message::Column::Id)
            .limit(limit.clamp(1, 100))
            .all(&self.db)
            .await?
            .into_iter()
            .map(Exchange::from)
            .collect())
    }

    /// The organisation `receiver` is registered to, if it is active on this hub.
    async fn served(
        &self,
        receiver: &peppol::ParticipantId,
    ) -> Result<Option<organisation::Model>> {
        let Some(registered) = participant_id::Entity::find()
            .filter(participant_id::Column::Scheme.eq(receiver.scheme().icd))
            .filter(participant_id::Column::Value.eq(receiver.value()))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        Ok(organisation::Entity::find_by_id(registered.organisation_id)
            .one(&self.db)
            .await?
            .filter(|o| o.status == crate::organisation::Status::Active.as_str()))
    }

    async fn stored_receipt(&self, message_id: &str) -> Result<Option<String>> {
        Ok(peppol_message::Entity::find()
            .filter(peppol_message::Column::MessageId.eq(message_id))
            .filter(peppol_message::Column::Direction.eq(Direction::Inbound.as_str()))
            .one(&self.db)
            .await?
            .and_then(|m| m.receipt))
    }
}

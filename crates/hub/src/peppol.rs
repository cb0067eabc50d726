//! The hub's side of Peppol: what a received message is, how an exchange is recorded, and
//! the AS4 exchanges of each organisation.
//!
//! The access point never acknowledges what it has not stored: it signs its receipt, and
//! [`Hub::store_inbound`] decides whether the receiver is served here and whether the message
//! was seen before, and stores document, message and receipt in one transaction (in batches
//! under load: see `inbox`). Only then is the receipt sent, so a crash at any point leaves
//! either nothing (the sender retries) or everything (a retry is a duplicate and gets the
//! stored receipt again).

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Serialize;

use crate::access::{self, Need};
use crate::document::Direction;
use crate::entity::{document, peppol_message};
use crate::error::Result;
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

/// What storing a received message did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    /// Stored as this document.
    Document(i64),
    /// Received before (or earlier in the same batch); nothing new was stored.
    Duplicate {
        /// The receipt stored with the first delivery.
        receipt: String,
    },
    /// The receiver is not served by this hub; nothing was stored.
    NotServiced,
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

/// The AS4 message row of a stored document: sent or received, with its receipt or error.
pub(crate) struct NewMessage<'a> {
    /// The document it carried, stored in the same transaction.
    pub document: &'a document::Model,
    /// The ebMS MessageId.
    pub message_id: &'a str,
    /// Sent or received.
    pub direction: Direction,
    /// `sent`, `failed` or `received`.
    pub status: &'static str,
    /// The sending and the receiving access point's seat ids.
    pub aps: (&'a str, &'a str),
    /// The signed receipt.
    pub receipt: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

impl NewMessage<'_> {
    pub(crate) fn into_active(self) -> peppol_message::ActiveModel {
        peppol_message::ActiveModel {
            environment_id: Set(self.document.environment_id),
            organisation_id: Set(self.document.organisation_id),
            document_id: Set(Some(self.document.id)),
            message_id: Set(self.message_id.to_owned()),
            direction: Set(self.direction.as_str().to_owned()),
            status: Set(self.status.to_owned()),
            from_ap: Set(self.aps.0.to_owned()),
            to_ap: Set(self.aps.1.to_owned()),
            receipt: Set(self.receipt),
            error: Set(self.error),
            attempts: Set(1),
            created_at: Set(self.document.created_at),
            updated_at: Set(self.document.created_at),
            ..Default::default()
        }
    }
}

/// The status of a message that was received and stored.
pub const RECEIVED: &str = "received";

impl Hub {
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
}

//! Documents: each invoice or credit note that came in or went out, with its original bytes
//! kept unchanged.
//!
//! This is where a document's way through the hub starts (DESIGN.md): received, stored with
//! its SHA-256, routed to an organisation and charged. Parsing, validation and the Autopilot
//! hang off the stored document later; nothing here rewrites the original.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, Func, SimpleExpr};
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, Set,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::access::{self, Need};
use crate::entity::document;
use crate::error::{Error, Result};
use crate::organisation::Page;
use crate::{Hub, Principal, Scope};

/// How a document came in or goes out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Over the Peppol network (AS4).
    Peppol,
    /// By email.
    Email,
    /// Uploaded by a person.
    Upload,
    /// Through the REST API.
    Api,
    /// Through the invoice portal.
    Portal,
}

impl Channel {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Peppol => "peppol",
            Channel::Email => "email",
            Channel::Upload => "upload",
            Channel::Api => "api",
            Channel::Portal => "portal",
        }
    }
}

/// Whether a document is a purchase (in) or a sale (out).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Received: a purchase invoice or credit note.
    Inbound,
    /// Sent: a sales invoice or credit note.
    Outbound,
}

impl Direction {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }
}

/// A document as lists and the API show it (without its bytes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Document {
    /// The document's id.
    pub id: i64,
    /// The organisation it belongs to.
    pub organisation_id: i64,
    /// `peppol`, `email`, `upload`, `api` or `portal`.
    pub channel: String,
    /// `inbound` or `outbound`.
    pub direction: String,
    /// Where it is in its flow (`received`).
    pub status: String,
    /// The Peppol document type id, when it came over Peppol.
    pub document_type: Option<String>,
    /// The sender's participant id (C1), when known.
    pub sender: Option<String>,
    /// The receiver's participant id (C4), when known.
    pub receiver: Option<String>,
    /// SHA-256 of the original bytes, hex.
    pub sha256: String,
    /// Size of the original in bytes.
    pub size: usize,
    /// When it was stored.
    pub created_at: DateTime<Utc>,
}

/// A document's row with the size of its original instead of the bytes: a list of 200
/// documents of up to 100 MB each must not read them.
#[derive(FromQueryResult)]
struct Row {
    id: i64,
    organisation_id: i64,
    channel: String,
    direction: String,
    status: String,
    document_type: Option<String>,
    sender: Option<String>,
    receiver: Option<String>,
    sha256: String,
    size: i64,
    created_at: DateTime<Utc>,
}

impl Row {
    /// `query` selecting the columns of a [`Row`].
    fn columns(query: Select<document::Entity>) -> Select<document::Entity> {
        use document::Column as C;
        query
            .select_only()
            .columns([
                C::Id,
                C::OrganisationId,
                C::Channel,
                C::Direction,
                C::Status,
                C::DocumentType,
                C::Sender,
                C::Receiver,
                C::Sha256,
                C::CreatedAt,
            ])
            // BIGINT on both backends: PostgreSQL's length of a bytea is a 32-bit integer.
            .column_as(
                SimpleExpr::from(Func::cast_as(
                    Func::cust("length").arg(Expr::col(C::Original)),
                    Alias::new("BIGINT"),
                )),
                "size",
            )
    }
}

impl From<Row> for Document {
    fn from(r: Row) -> Self {
        Document {
            id: r.id,
            organisation_id: r.organisation_id,
            channel: r.channel,
            direction: r.direction,
            status: r.status,
            document_type: r.document_type,
            sender: r.sender,
            receiver: r.receiver,
            sha256: r.sha256,
            size: usize::try_from(r.size).unwrap_or_default(),
            created_at: r.created_at,
        }
    }
}

/// The status of a document that has been stored and routed, before anything else.
pub const RECEIVED: &str = "received";

/// The hex SHA-256 a document's original is addressed by.
pub fn content_address(original: &[u8]) -> String {
    hex::encode(Sha256::digest(original))
}

/// A new document row for `organisation_id` (in `environment_id`), not yet inserted.
pub(crate) struct NewDocument<'a> {
    pub environment_id: i64,
    pub organisation_id: i64,
    pub channel: Channel,
    pub direction: Direction,
    pub document_type: Option<String>,
    pub sender: Option<String>,
    pub receiver: Option<String>,
    pub original: &'a [u8],
    pub at: DateTime<Utc>,
}

impl NewDocument<'_> {
    pub(crate) fn into_active(self) -> document::ActiveModel {
        document::ActiveModel {
            environment_id: Set(self.environment_id),
            organisation_id: Set(self.organisation_id),
            channel: Set(self.channel.as_str().to_owned()),
            direction: Set(self.direction.as_str().to_owned()),
            status: Set(RECEIVED.to_owned()),
            document_type: Set(self.document_type),
            sender: Set(self.sender),
            receiver: Set(self.receiver),
            sha256: Set(content_address(self.original)),
            original: Set(self.original.to_vec()),
            created_at: Set(self.at),
            ..Default::default()
        }
    }
}

impl Hub {
    /// An organisation's documents, newest first.
    pub async fn documents(
        &self,
        p: &Principal,
        organisation_id: i64,
        page: u64,
        per_page: u64,
    ) -> Result<Page<Document>> {
        access::organisation(
            &self.db,
            p,
            organisation_id,
            Need::Read(Scope::DocumentsRead),
        )
        .await?;
        let query = Row::columns(
            document::Entity::find().filter(document::Column::OrganisationId.eq(organisation_id)),
        );
        let total = query.clone().count(&self.db).await?;
        let per_page = per_page.clamp(1, 200);
        let items = query
            .order_by_desc(document::Column::CreatedAt)
            .order_by_desc(document::Column::Id)
            .offset(page.saturating_sub(1) * per_page)
            .limit(per_page)
            .into_model::<Row>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(Document::from)
            .collect();
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }

    /// A document's original bytes, exactly as received or sent.
    pub async fn document_original(
        &self,
        p: &Principal,
        document_id: i64,
    ) -> Result<(Document, Vec<u8>)> {
        let doc = Row::columns(document::Entity::find_by_id(document_id))
            .into_model::<Row>()
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound("document"))?;
        access::organisation(
            &self.db,
            p,
            doc.organisation_id,
            Need::Read(Scope::DocumentsRead),
        )
        .await
        .map_err(|_| Error::NotFound("document"))?;
        let original: Vec<u8> = document::Entity::find_by_id(document_id)
            .select_only()
            .column(document::Column::Original)
            .into_tuple()
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound("document"))?;
        Ok((doc.into(), original))
    }
}

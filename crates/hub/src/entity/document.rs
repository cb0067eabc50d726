//! A document: one invoice or credit note in or out, with its original bytes.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub environment_id: i64,
    pub organisation_id: i64,
    pub channel: String,
    pub direction: String,
    pub status: String,
    pub document_type: Option<String>,
    pub sender: Option<String>,
    pub receiver: Option<String>,
    pub sha256: String,
    pub original: Vec<u8>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! One AS4 exchange, in or out: its ebMS MessageId, status and receipt.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "peppol_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub environment_id: i64,
    pub organisation_id: i64,
    pub document_id: Option<i64>,
    pub message_id: String,
    pub direction: String,
    pub status: String,
    pub from_ap: String,
    pub to_ap: String,
    pub receipt: Option<String>,
    pub error: Option<String>,
    pub attempts: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! An intermediary's request to manage a client organisation.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "authorisation_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub environment_id: i64,
    pub created_by: i64,
    pub client_email: String,
    pub client_name: String,
    pub kvk: Option<String>,
    pub vat: Option<String>,
    pub participant_id: Option<String>,
    pub ledger: String,
    pub paid_by: String,
    pub token_hash: String,
    pub status: String,
    pub sent_count: i32,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub client_environment_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub partnership_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

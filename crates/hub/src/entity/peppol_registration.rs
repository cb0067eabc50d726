//! An organisation's Peppol registration: the participant id the hub's SMP publishes.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "peppol_registrations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub environment_id: i64,
    pub organisation_id: i64,
    pub scheme: String,
    pub value: String,
    pub capabilities: String,
    pub migration_key_hmac: Option<String>,
    pub migration_key_expires_at: Option<DateTimeUtc>,
    pub registered_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

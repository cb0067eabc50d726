//! Charges per payer, organisation, month and kind, kept with each charge so the "Paid by"
//! view and the budgets read a handful of rows instead of scanning transactions.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "monthly_usage")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub environment_id: i64,
    pub organisation_id: i64,
    pub month: String,
    pub kind: String,
    pub count: i64,
    pub cents: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! Schema migrations, applied in order at start-up. A migration never changes once released;
//! a schema change is a new migration.

mod m0001_hub;
mod m0002_documents;
mod m0003_message_direction;

use sea_orm_migration::{MigrationTrait, MigratorTrait};

/// Every migration of the hub, oldest first.
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_hub::Migration),
            Box::new(m0002_documents::Migration),
            Box::new(m0003_message_direction::Migration),
        ]
    }
}

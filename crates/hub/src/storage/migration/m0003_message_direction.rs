//! An AS4 MessageId is unique per direction, not over all messages.
//!
//! When two organisations on this hub exchange an invoice over Peppol, the hub sends the
//! message and receives it back at its own access point, and it keeps both ends under the one
//! MessageId: the seller's outbound row and the buyer's inbound row. m0002 made `message_id`
//! unique on its own, so recording the send failed after the invoice had been delivered.
//!
//! PostgreSQL drops the column's unique constraint. SQLite cannot drop a column constraint,
//! so the table is rebuilt from its own stored definition, less that constraint.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

use super::m0001_hub::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0003_message_direction"
    }
}

/// How m0002 declared the column on SQLite, and the same without the constraint.
const UNIQUE_COLUMN: &str = r#""message_id" varchar NOT NULL UNIQUE"#;
const PLAIN_COLUMN: &str = r#""message_id" varchar NOT NULL"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// In a transaction on SQLite too (sea-orm makes one only on PostgreSQL): the rebuild is
    /// several statements that must run on one connection, and all or none of them.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "ALTER TABLE peppol_messages DROP CONSTRAINT peppol_messages_message_id_key",
                )
                .await?;
            }
            DbBackend::Sqlite => rebuild_without_unique(manager).await?,
            other => {
                return Err(DbErr::Migration(format!("{other:?} is not supported")));
            }
        }
        manager
            .create_index(index(
                "peppol_messages",
                "peppol_messages_message_direction",
                &["message_id", "direction"],
                true,
            ))
            .await
    }
}

async fn rebuild_without_unique(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let definition: String = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'peppol_messages'",
        ))
        .await?
        .ok_or_else(|| DbErr::Migration("there is no peppol_messages table".into()))?
        .try_get("", "sql")?;
    if !definition.contains(UNIQUE_COLUMN) {
        return Err(DbErr::Migration(format!(
            "peppol_messages is not as m0002 made it: {definition}"
        )));
    }
    let rebuilt = definition
        .replacen(UNIQUE_COLUMN, PLAIN_COLUMN, 1)
        .replacen(
            r#"CREATE TABLE "peppol_messages""#,
            r#"CREATE TABLE "peppol_messages_rebuilt""#,
            1,
        );
    for statement in [
        rebuilt.as_str(),
        "INSERT INTO peppol_messages_rebuilt SELECT * FROM peppol_messages",
        "DROP TABLE peppol_messages",
        "ALTER TABLE peppol_messages_rebuilt RENAME TO peppol_messages",
    ] {
        db.execute_unprepared(statement).await?;
    }
    // The table's own index went with it.
    manager
        .create_index(index(
            "peppol_messages",
            "peppol_messages_organisation_created",
            &["organisation_id", "created_at"],
            false,
        ))
        .await
}

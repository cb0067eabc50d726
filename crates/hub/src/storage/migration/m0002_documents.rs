//! Documents, the AS4 messages that carry them, and organisations' Peppol registrations.
//!
//! A document keeps its original bytes unchanged, addressed by their SHA-256, so what was
//! received can be shown and proven years later (fiscal retention). A Peppol message row is
//! the AS4 bookkeeping of one exchange: its ebMS MessageId is unique, which is what duplicate
//! elimination checks, and it keeps the signed receipt so a duplicate gets the same answer.
//! A registration is what the hub's SMP publishes for a participant id: the document types
//! it takes and its business card.

use sea_orm_migration::{prelude::*, schema::*};

use super::m0001_hub::{c, index, table};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_documents"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            table("documents")
                .col(big_integer(c("environment_id")))
                .col(big_integer(c("organisation_id")))
                .col(string(c("channel")))
                .col(string(c("direction")))
                .col(string(c("status")))
                .col(string_null(c("document_type")))
                .col(string_null(c("sender")))
                .col(string_null(c("receiver")))
                .col(string(c("sha256")))
                .col(blob(c("original")))
                .col(timestamp_with_time_zone(c("created_at")))
                .to_owned(),
            table("peppol_messages")
                .col(big_integer(c("environment_id")))
                .col(big_integer(c("organisation_id")))
                .col(big_integer_null(c("document_id")))
                .col(string_uniq(c("message_id")))
                .col(string(c("direction")))
                .col(string(c("status")))
                .col(string(c("from_ap")))
                .col(string(c("to_ap")))
                .col(text_null(c("receipt")))
                .col(text_null(c("error")))
                .col(integer(c("attempts")).default(0))
                .col(timestamp_with_time_zone(c("created_at")))
                .col(timestamp_with_time_zone(c("updated_at")))
                .to_owned(),
            table("peppol_registrations")
                .col(big_integer(c("environment_id")))
                .col(big_integer(c("organisation_id")))
                .col(string(c("scheme")))
                .col(string(c("value")))
                .col(string(c("capabilities")))
                .col(string_null(c("migration_key_hmac")))
                .col(timestamp_with_time_zone_null(c("migration_key_expires_at")))
                .col(timestamp_with_time_zone(c("registered_at")))
                .to_owned(),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        for index in [
            index(
                "documents",
                "documents_organisation_created",
                &["organisation_id", "created_at"],
                false,
            ),
            index("documents", "documents_sha256", &["sha256"], false),
            index(
                "peppol_registrations",
                "peppol_registrations_participant",
                &["scheme", "value"],
                true,
            ),
            index(
                "peppol_registrations",
                "peppol_registrations_organisation",
                &["organisation_id"],
                true,
            ),
            index(
                "peppol_messages",
                "peppol_messages_organisation_created",
                &["organisation_id", "created_at"],
                false,
            ),
        ] {
            manager.create_index(index).await?;
        }
        Ok(())
    }
}

//! The first schema: tenants, people, organisations, partnerships, billing and the audit log.
//!
//! Every table but `prices` carries `environment_id`, so the schema can be partitioned by
//! environment (DESIGN.md: "Nothing in the schema may need a join across environments").
//! Partnerships and authorisation requests span two environments; they are keyed by the
//! intermediary's and store the client's id as a plain column.
//! Money is `BIGINT` euro cents; timestamps are `TIMESTAMPTZ` (text on SQLite).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_hub"
    }
}

/// A table with a 64-bit auto-increment `id`.
pub(super) fn table(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(Alias::new(name))
        .col(big_pk_auto(Alias::new("id")))
        .to_owned()
}

pub(super) fn c(name: &'static str) -> Alias {
    Alias::new(name)
}

pub(super) fn index(
    table: &'static str,
    name: &'static str,
    cols: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(Alias::new(table));
    for col in cols {
        index.col(Alias::new(*col));
    }
    if unique {
        index.unique();
    }
    index.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            table("environments")
                .col(string(c("name")))
                .col(string(c("tier")))
                .col(big_integer(c("balance_cents")).default(0))
                .col(string(c("audit_head")).default(""))
                .col(timestamp_with_time_zone(c("created_at")))
                .to_owned(),
            table("users")
                .col(big_integer(c("environment_id")))
                .col(string_uniq(c("email")))
                .col(string(c("name")))
                .col(string(c("password_hash")))
                .col(string(c("role")))
                .col(string(c("locale")))
                .col(timestamp_with_time_zone(c("created_at")))
                .to_owned(),
            table("organisation_rights")
                .col(big_integer(c("environment_id")))
                .col(big_integer(c("user_id")))
                .col(big_integer(c("organisation_id")))
                .to_owned(),
            table("invitations")
                .col(big_integer(c("environment_id")))
                .col(string(c("email")))
                .col(string(c("role")))
                .col(string_uniq(c("token_hash")))
                .col(big_integer(c("invited_by")))
                .col(timestamp_with_time_zone(c("expires_at")))
                .col(timestamp_with_time_zone_null(c("accepted_at")))
                .to_owned(),
            table("sessions")
                .col(big_integer(c("environment_id")))
                .col(big_integer(c("user_id")))
                .col(string_uniq(c("token_hash")))
                .col(string(c("csrf_token")))
                .col(timestamp_with_time_zone(c("created_at")))
                .col(timestamp_with_time_zone(c("expires_at")))
                .to_owned(),
            table("organisations")
                .col(big_integer(c("environment_id")))
                .col(string(c("name")))
                .col(string_null(c("kvk")))
                .col(string_null(c("vat")))
                .col(string_null(c("oin")))
                .col(string_null(c("gln")))
                .col(string_null(c("street")))
                .col(string_null(c("postcode")))
                .col(string_null(c("city")))
                .col(string(c("country")))
                .col(string_null(c("contact_name")))
                .col(string_null(c("contact_email")))
                .col(string(c("ledger")))
                .col(string(c("status")))
                .col(timestamp_with_time_zone(c("created_at")))
                .to_owned(),
            table("participant_ids")
                .col(big_integer(c("environment_id")))
                .col(big_integer(c("organisation_id")))
                .col(string(c("scheme")))
                .col(string(c("value")))
                .to_owned(),
            table("email_aliases")
                .col(big_integer(c("environment_id")))
                .col(big_integer(c("organisation_id")))
                .col(string_uniq(c("alias")))
                .to_owned(),
            table("authorisation_requests")
                .col(big_integer(c("environment_id")))
                .col(big_integer(c("created_by")))
                .col(string(c("client_email")))
                .col(string(c("client_name")))
                .col(string_null(c("kvk")))
                .col(string_null(c("vat")))
                .col(string_null(c("participant_id")))
                .col(string(c("ledger")))
                .col(string(c("paid_by")))
                .col(string_uniq(c("token_hash")))
                .col(string(c("status")))
                .col(integer(c("sent_count")))
                .col(timestamp_with_time_zone(c("created_at")))
                .col(timestamp_with_time_zone(c("expires_at")))
                .col(timestamp_with_time_zone_null(c("decided_at")))
                .col(big_integer_null(c("client_environment_id")))
                .col(big_integer_null(c("organisation_id")))
                .col(big_integer_null(c("partnership_id")))
                .to_owned(),
            table("partnerships")
                .col(big_integer(c("environment_id")))
                .col(big_integer(c("client_environment_id")))
                .col(big_integer(c("organisation_id")))
                .col(big_integer(c("request_id")))
                .col(string(c("paid_by")))
                .col(string(c("scopes")))
                .col(string(c("status")))
                .col(timestamp_with_time_zone(c("created_at")))
                .col(timestamp_with_time_zone_null(c("revoked_at")))
                .to_owned(),
            table("connection_keys")
                .col(big_integer(c("environment_id")))
                .col(big_integer(c("partnership_id")))
                .col(big_integer(c("organisation_id")))
                .col(string_uniq(c("app_key")))
                .col(string(c("secret_hmac")))
                .col(string(c("scopes")))
                .col(timestamp_with_time_zone(c("created_at")))
                .col(timestamp_with_time_zone(c("expires_at")))
                .col(timestamp_with_time_zone_null(c("revoked_at")))
                .to_owned(),
            Table::create()
                .table(c("prices"))
                .col(string(c("kind")).primary_key())
                .col(big_integer(c("cents")))
                .to_owned(),
            table("transactions")
                .col(big_integer(c("environment_id")))
                .col(big_integer_null(c("organisation_id")))
                .col(big_integer_null(c("partnership_id")))
                .col(string(c("kind")))
                .col(big_integer(c("amount_cents")))
                .col(big_integer(c("balance_after_cents")))
                .col(string_null(c("reference")))
                .col(timestamp_with_time_zone(c("created_at")))
                .to_owned(),
            table("monthly_usage")
                .col(big_integer(c("environment_id")))
                .col(big_integer(c("organisation_id")))
                .col(string(c("month")))
                .col(string(c("kind")))
                .col(big_integer(c("count")))
                .col(big_integer(c("cents")))
                .to_owned(),
            table("budgets")
                .col(big_integer(c("environment_id")))
                .col(big_integer(c("organisation_id")))
                .col(big_integer(c("monthly_cap_cents")))
                .col(integer(c("alert_percent")))
                .col(string_null(c("alerted_month")))
                .to_owned(),
            table("alerts")
                .col(big_integer(c("environment_id")))
                .col(big_integer_null(c("organisation_id")))
                .col(string(c("kind")))
                .col(text(c("message")))
                .col(timestamp_with_time_zone(c("created_at")))
                .col(timestamp_with_time_zone_null(c("resolved_at")))
                .to_owned(),
            table("audit_entries")
                .col(big_integer(c("environment_id")))
                .col(big_integer(c("seq")))
                .col(timestamp_with_time_zone(c("at")))
                .col(string(c("actor")))
                .col(string(c("action")))
                .col(string(c("subject")))
                .col(text(c("details")))
                .col(string(c("prev_hash")))
                .col(string(c("hash")))
                .to_owned(),
            table("idempotency_keys")
                .col(string(c("principal")))
                .col(string(c("key")))
                .col(string(c("request_hash")))
                .col(integer(c("status")))
                .col(text(c("body")))
                .col(timestamp_with_time_zone(c("created_at")))
                .to_owned(),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        let indexes = [
            index("users", "users_environment", &["environment_id"], false),
            index(
                "organisation_rights",
                "rights_user_org",
                &["user_id", "organisation_id"],
                true,
            ),
            index("sessions", "sessions_user", &["user_id"], false),
            index(
                "organisations",
                "organisations_environment_name",
                &["environment_id", "name"],
                false,
            ),
            index(
                "participant_ids",
                "participant_ids_scheme_value",
                &["scheme", "value"],
                true,
            ),
            index(
                "participant_ids",
                "participant_ids_organisation",
                &["organisation_id"],
                false,
            ),
            index(
                "email_aliases",
                "email_aliases_organisation",
                &["organisation_id"],
                false,
            ),
            index(
                "authorisation_requests",
                "requests_environment",
                &["environment_id", "created_at"],
                false,
            ),
            index(
                "partnerships",
                "partnerships_environment",
                &["environment_id", "status"],
                false,
            ),
            index(
                "partnerships",
                "partnerships_client",
                &["client_environment_id", "status"],
                false,
            ),
            index(
                "partnerships",
                "partnerships_organisation",
                &["organisation_id"],
                false,
            ),
            index(
                "connection_keys",
                "connection_keys_partnership",
                &["partnership_id"],
                false,
            ),
            // Wallet pages list a payer's or an organisation's newest movements by id (ids
            // follow time), so each list is an index range, not a sort of the whole table.
            index(
                "transactions",
                "transactions_payer_newest",
                &["environment_id", "id"],
                false,
            ),
            index(
                "transactions",
                "transactions_organisation_newest",
                &["organisation_id", "id"],
                false,
            ),
            index(
                "monthly_usage",
                "usage_payer_organisation_month_kind",
                &["environment_id", "organisation_id", "month", "kind"],
                true,
            ),
            index(
                "monthly_usage",
                "usage_organisation_month",
                &["organisation_id", "month"],
                false,
            ),
            index(
                "budgets",
                "budgets_payer_organisation",
                &["environment_id", "organisation_id"],
                true,
            ),
            index(
                "alerts",
                "alerts_environment",
                &["environment_id", "resolved_at"],
                false,
            ),
            index(
                "audit_entries",
                "audit_environment_seq",
                &["environment_id", "seq"],
                true,
            ),
            index(
                "idempotency_keys",
                "idempotency_principal_key",
                &["principal", "key"],
                true,
            ),
        ];
        for index in indexes {
            manager.create_index(index).await?;
        }
        let defaults = Query::insert()
            .into_table(c("prices"))
            .columns([c("kind"), c("cents")])
            .values_panic(["manual_send".into(), 0i64.into()])
            .values_panic(["automatic_send".into(), 12i64.into()])
            .values_panic(["api_send".into(), 12i64.into()])
            .values_panic(["xml_received".into(), 8i64.into()])
            .values_panic(["pdf_conversion".into(), 25i64.into()])
            .to_owned();
        manager.exec_stmt(defaults).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "idempotency_keys",
            "audit_entries",
            "alerts",
            "budgets",
            "monthly_usage",
            "transactions",
            "prices",
            "connection_keys",
            "partnerships",
            "authorisation_requests",
            "email_aliases",
            "participant_ids",
            "organisations",
            "sessions",
            "invitations",
            "organisation_rights",
            "users",
            "environments",
        ] {
            manager
                .drop_table(Table::drop().table(c(name)).to_owned())
                .await?;
        }
        Ok(())
    }
}

//! Where the hub keeps its data: embedded SQLite by default, PostgreSQL when asked.
//!
//! The same migrations (Rust code, so each backend gets its own DDL) and the same queries
//! run on both; sea-orm writes each query in the backend's dialect.

mod migration;

use std::path::Path;
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use sea_orm_migration::MigratorTrait;

pub use migration::Migrator;

/// The SQLite file used when no database URL is given, under the data directory.
pub const SQLITE_FILE: &str = "postbode.sqlite";

/// The URL of the embedded SQLite database in `data_dir`, created when missing.
pub fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join(SQLITE_FILE).display())
}

/// Connects to `url` and brings the schema up to date.
pub async fn open(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        // SQLite takes one writer at a time: WAL lets readers proceed while a write is in
        // progress, and the busy timeout makes writers queue instead of failing.
        options
            .max_connections(4)
            .min_connections(1)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
            });
    } else {
        options.max_connections(32).min_connections(2);
    }
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// A throwaway PostgreSQL database with a random name on `server`, for tests and benchmarks;
/// returns its URL and name. Drop it with [`drop_scratch`].
pub async fn create_scratch(server: &str, prefix: &str) -> Result<(String, String), DbErr> {
    use sea_orm::ConnectionTrait;
    let name = format!(
        "{prefix}_{}",
        &crate::secret::token_hash(&crate::secret::token())[..16]
    );
    let admin = Database::connect(server).await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    admin.close().await?;
    Ok((with_database(server, &name), name))
}

/// Drops a database made by [`create_scratch`], closing its other connections.
pub async fn drop_scratch(server: &str, name: &str) -> Result<(), DbErr> {
    use sea_orm::ConnectionTrait;
    let admin = Database::connect(server).await?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    admin.close().await
}

/// `server` (a PostgreSQL URL) with its database name replaced by `name`.
fn with_database(server: &str, name: &str) -> String {
    let (base, query) = server
        .split_once('?')
        .map_or((server, None), |(b, q)| (b, Some(q)));
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let base = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_is_replaced_or_added() {
        assert_eq!(
            with_database("postgres://u@h:5432/postgres", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h:5432", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h/db?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
    }
}

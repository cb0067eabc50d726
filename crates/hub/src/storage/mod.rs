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

//! Schema migrations over a database that already holds data: m0003 keeps every Peppol
//! message row and makes the MessageId unique per direction instead of over all messages.

use hub::storage::{Migrator, create_scratch, drop_scratch, sqlite_url};
use hub::testing::postgres_server;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use sea_orm_migration::MigratorTrait;

/// A message row as m0002 left the table (no foreign keys to satisfy).
fn message(backend: DbBackend, id: &str, direction: &str) -> Statement {
    Statement::from_string(
        backend,
        format!(
            "INSERT INTO peppol_messages (environment_id, organisation_id, document_id, \
             message_id, direction, status, from_ap, to_ap, receipt, error, attempts, \
             created_at, updated_at) VALUES (1, 1, NULL, '{id}', '{direction}', 'received', \
             'PTE000001', 'PTE000002', '<receipt/>', NULL, 1, '2026-12-01 10:00:00+00:00', \
             '2026-12-01 10:00:00+00:00')"
        ),
    )
}

async fn message_ids_become_unique_per_direction(db: &DatabaseConnection) {
    let backend = db.get_database_backend();
    Migrator::up(db, Some(2)).await.expect("up to m0002");
    for id in ["a@sender", "b@sender"] {
        db.execute_raw(message(backend, id, "inbound"))
            .await
            .expect("a row");
    }
    assert!(
        db.execute_raw(message(backend, "a@sender", "outbound"))
            .await
            .is_err(),
        "before m0003 a MessageId is unique over all messages"
    );

    Migrator::up(db, None).await.expect("the rest");
    let kept = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT message_id, receipt FROM peppol_messages ORDER BY id",
        ))
        .await
        .expect("rows");
    let kept: Vec<(String, String)> = kept
        .iter()
        .map(|row| {
            (
                row.try_get("", "message_id").expect("message_id"),
                row.try_get("", "receipt").expect("receipt"),
            )
        })
        .collect();
    assert_eq!(
        kept,
        [
            ("a@sender".to_owned(), "<receipt/>".to_owned()),
            ("b@sender".to_owned(), "<receipt/>".to_owned())
        ]
    );
    db.execute_raw(message(backend, "a@sender", "outbound"))
        .await
        .expect("the other direction of a MessageId");
    assert!(
        db.execute_raw(message(backend, "a@sender", "inbound"))
            .await
            .is_err(),
        "one MessageId per direction"
    );
}

#[tokio::test]
async fn sqlite_message_ids_become_unique_per_direction() {
    let dir = tempfile::tempdir().expect("a directory");
    let db = Database::connect(sqlite_url(dir.path()))
        .await
        .expect("SQLite");
    message_ids_become_unique_per_direction(&db).await;
    db.close().await.expect("closed");
}

#[tokio::test]
async fn postgres_message_ids_become_unique_per_direction() {
    let Some(server) = postgres_server() else {
        eprintln!("POSTBODE_TEST_PG is not set; PostgreSQL case skipped");
        return;
    };
    let (url, name) = create_scratch(&server, "postbode_migration")
        .await
        .expect("a scratch database");
    let db = Database::connect(url).await.expect("PostgreSQL");
    message_ids_become_unique_per_direction(&db).await;
    db.close().await.expect("closed");
    drop_scratch(&server, &name).await.expect("dropped");
}

//! Test support: a hub on a fresh database of either backend, and reading the mail outbox.
//!
//! Each [`TestHub`] gets its own database: a SQLite file in a temporary directory, or a
//! PostgreSQL database with a random name on the server `POSTBODE_TEST_PG` names, dropped
//! again when the test ends. So tests never see each other's data and can run in parallel.
#![allow(missing_docs, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use crate::mail::Mailer;
use crate::secret::Pepper;
use crate::{Config, Hub};

/// The password of users made by [`TestHub::sign_up`].
pub const PASSWORD: &str = "correct horse battery";

/// A database backend to test on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A hub on a fresh database, with its outbox folder.
pub struct TestHub {
    pub hub: Hub,
    pub outbox: PathBuf,
    pub backend: Backend,
    dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

/// The server URL for PostgreSQL tests, if configured.
pub fn postgres_server() -> Option<String> {
    std::env::var("POSTBODE_TEST_PG")
        .ok()
        .filter(|s| !s.is_empty())
}

impl TestHub {
    /// A fresh hub on `backend`, or `None` for PostgreSQL when `POSTBODE_TEST_PG` is unset.
    pub async fn new(backend: Backend) -> Option<TestHub> {
        TestHub::new_at(backend, "http://postbode.test").await
    }

    /// Like [`TestHub::new`], with the address mailed links point at.
    pub async fn new_at(backend: Backend, base_url: &str) -> Option<TestHub> {
        let dir = tempfile::tempdir().unwrap();
        let (url, pg) = match backend {
            Backend::Sqlite => (crate::storage::sqlite_url(dir.path()), None),
            Backend::Postgres => {
                let server = postgres_server()?;
                let (url, name) = crate::storage::create_scratch(&server, "postbode_test")
                    .await
                    .unwrap();
                (url, Some((server, name)))
            }
        };
        let db = crate::storage::open(&url).await.unwrap();
        let outbox = dir.path().join("outbox");
        let mailer = Mailer::new(None, outbox.clone(), "Postbode <postbode@test.invalid>").unwrap();
        let hub = Hub::new(db, Config::new(base_url, Pepper::generate()), mailer);
        Some(TestHub {
            hub,
            outbox,
            backend,
            dir,
            pg,
        })
    }

    /// The temporary directory (for tests that need files next to the database).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Closes the pool and drops the PostgreSQL database. Call at the end of a test; a test
    /// that panics leaves its database behind under a `postbode_test_` name.
    pub async fn finish(self) {
        let TestHub { hub, pg, .. } = self;
        let _ = hub.db.close().await;
        if let Some((server, name)) = pg {
            crate::storage::drop_scratch(&server, &name).await.unwrap();
        }
    }

    /// Every mail in the outbox, oldest first: (recipient, subject, decoded text).
    pub fn mails(&self) -> Vec<Mail> {
        read_outbox(&self.outbox)
    }

    /// Signs up a new environment `firm` whose administrator logs in as `email` with the
    /// password [`PASSWORD`].
    pub async fn sign_up(&self, firm: &str, email: &str) -> crate::Principal {
        let (user, _) = self
            .hub
            .sign_up(crate::environment::SignUp {
                environment_name: firm.into(),
                name: format!("Owner of {firm}"),
                email: email.into(),
                password: PASSWORD.into(),
                locale: None,
            })
            .await
            .expect("sign-up");
        crate::Principal::User(user)
    }

    /// A new firm (`Kantoor`, administrator `a@kantoor.test`) with one client organisation
    /// that receives on the Peppol `participant_id`: the firm and the organisation's id.
    pub async fn receiving_organisation(&self, participant_id: &str) -> (crate::Principal, i64) {
        let firm = self.sign_up("Kantoor", "a@kantoor.test").await;
        let org = self
            .hub
            .create_organisation(
                &firm,
                crate::organisation::Details {
                    name: "Bakkerij B.V.".into(),
                    ..Default::default()
                },
            )
            .await
            .expect("organisation");
        self.hub
            .add_participant_id(&firm, org.id, participant_id)
            .await
            .expect("participant id");
        (firm, org.id)
    }

    /// The token of the newest link mailed to `to` whose path starts with `prefix`
    /// (`/activate/` or `/invitation/`).
    pub fn mailed_token(&self, to: &str, prefix: &str) -> String {
        let link = self
            .mails()
            .into_iter()
            .rev()
            .filter(|m| m.to.contains(to))
            .find_map(|m| m.link(prefix))
            .unwrap_or_else(|| panic!("no {prefix} link mailed to {to}"));
        link.rsplit('/').next().expect("a token").to_owned()
    }
}

/// A mail read back from the outbox.
#[derive(Clone, Debug)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub modified: std::time::SystemTime,
}

impl Mail {
    /// The first link in the text whose path starts with `prefix` (e.g. `/activate/`).
    pub fn link(&self, prefix: &str) -> Option<String> {
        self.text
            .split_whitespace()
            .find(|w| w.starts_with("http") && w.contains(prefix))
            .map(str::to_owned)
    }
}

/// Reads `.eml` files from an outbox folder, oldest first.
pub fn read_outbox(dir: &Path) -> Vec<Mail> {
    read_mails(&[dir.to_path_buf()], |p| {
        p.extension().is_some_and(|x| x == "eml")
    })
}

/// Reads the mails a Maildir holds (its `new` and `cur` folders), oldest first.
pub fn read_maildir(dir: &Path) -> Vec<Mail> {
    read_mails(&[dir.join("new"), dir.join("cur")], |_| true)
}

fn read_mails(dirs: &[PathBuf], wanted: impl Fn(&Path) -> bool) -> Vec<Mail> {
    let mut mails: Vec<Mail> = dirs
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| wanted(&e.path()))
        .filter_map(|e| {
            let modified = e.metadata().ok()?.modified().ok()?;
            parse_eml(&std::fs::read(e.path()).ok()?, modified)
        })
        .collect();
    mails.sort_by_key(|m| m.modified);
    mails
}

fn parse_eml(raw: &[u8], modified: std::time::SystemTime) -> Option<Mail> {
    let raw = String::from_utf8_lossy(raw).replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n")?;
    // Unfold continued header lines.
    let head = head.replace("\n ", " ").replace("\n\t", " ");
    let header = |name: &str| {
        head.lines()
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.trim().to_owned())
            })
            .unwrap_or_default()
    };
    let text = match header("Content-Transfer-Encoding")
        .to_ascii_lowercase()
        .as_str()
    {
        "quoted-printable" => String::from_utf8_lossy(
            &quoted_printable::decode(body.as_bytes(), quoted_printable::ParseMode::Robust).ok()?,
        )
        .into_owned(),
        "base64" => {
            use base64::Engine;
            let compact: String = body.split_whitespace().collect();
            String::from_utf8_lossy(
                &base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .ok()?,
            )
            .into_owned()
        }
        _ => body.to_owned(),
    };
    Some(Mail {
        to: header("To"),
        subject: header("Subject"),
        text,
        modified,
    })
}

/// Runs `case` on SQLite, then on PostgreSQL when configured.
#[macro_export]
macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let t = $crate::testing::TestHub::new($crate::testing::Backend::Sqlite).await.expect("sqlite");
                    super::$case(&t).await;
                    t.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let Some(t) = $crate::testing::TestHub::new($crate::testing::Backend::Postgres).await else {
                        eprintln!("POSTBODE_TEST_PG is not set; PostgreSQL case skipped");
                        return;
                    };
                    super::$case(&t).await;
                    t.finish().await;
                }
            )*
        }
    };
}

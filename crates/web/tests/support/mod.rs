//! Shared by the web integration tests: a real server on a random loopback port over a hub
//! on a fresh database (SQLite, or PostgreSQL when `POSTBODE_TEST_PG` is set).
#![allow(dead_code)]

use hub::testing::{Backend, TestHub};

/// A running server.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The hub behind it (for the outbox, the clock and direct service calls).
    pub t: TestHub,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Starts a server on `backend`; `None` for PostgreSQL when it is not configured.
    pub async fn start(backend: Backend) -> Option<Server> {
        Server::start_with(backend, |state| {
            state.with_access_point(test_access_point())
        })
        .await
    }

    /// Starts a server on `backend` whose state `configure` finishes.
    pub async fn start_with(
        backend: Backend,
        configure: impl FnOnce(web::AppState) -> web::AppState,
    ) -> Option<Server> {
        Server::launch(backend, None, configure).await
    }

    /// Starts a server as [`Server::start_with`] does, but reached by others at `public` (a
    /// relay in front of it): the address its SMP publishes and its mail links use.
    pub async fn start_behind(
        backend: Backend,
        public: &str,
        configure: impl FnOnce(web::AppState) -> web::AppState,
    ) -> Option<Server> {
        Server::launch(backend, Some(public), configure).await
    }

    async fn launch(
        backend: Backend,
        public: Option<&str>,
        configure: impl FnOnce(web::AppState) -> web::AppState,
    ) -> Option<Server> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let t = TestHub::new_at(backend, public.unwrap_or(&base)).await?;
        let app = web::router(configure(web::AppState::new(t.hub.clone(), None)));
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        Some(Server { base, t, task })
    }

    /// A URL on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops the server and drops its database.
    pub async fn finish(self) {
        self.task.abort();
        self.t.finish().await;
    }
}

/// The receiving access point of the test PKI (`PTE000002`), trusting its CA.
pub fn test_access_point() -> peppol::as4::AccessPoint {
    let pki = peppol::testing::TestPki::shared();
    peppol::as4::AccessPoint {
        credentials: pki.receiver.credentials.clone(),
        trust: pki.trust_store(),
    }
}

/// Runs each named `async fn(&Server)` on SQLite, then on PostgreSQL when configured.
#[macro_export]
macro_rules! server_tests {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let s = $crate::support::Server::start(hub::testing::Backend::Sqlite).await.expect("sqlite");
                    super::$case(&s).await;
                    s.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let Some(s) = $crate::support::Server::start(hub::testing::Backend::Postgres).await else {
                        eprintln!("POSTBODE_TEST_PG is not set; PostgreSQL case skipped");
                        return;
                    };
                    super::$case(&s).await;
                    s.finish().await;
                }
            )*
        }
    };
}

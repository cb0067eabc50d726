//! Headless Chromium for the browser tests, driven through chromedriver.
//!
//! [`Driver::start`] runs `chromedriver` on a free loopback port (and stops it when dropped);
//! [`Driver::browser`] opens one browser with its own fresh profile, so two browsers are two
//! people with separate cookies. The flags are those a root user without internet needs.
//! [`caught`] runs a test body and returns its panic, so the caller can take screenshots
//! before failing.

use std::future::Future;
use std::net::TcpListener;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

/// How long to wait for a page to arrive or an element to appear.
const PATIENCE: Duration = Duration::from_secs(30);

/// A running chromedriver.
pub struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where chromedriver is installed, if it is.
fn chromedriver() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|dir| dir.join("chromedriver"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    std::iter::once(PathBuf::from("/usr/bin/chromedriver"))
        .chain(on_path)
        .find(|p| p.is_file())
}

impl Driver {
    /// Starts chromedriver; `None` (after saying why) when it is not installed here. On CI
    /// (`CI` set) a missing chromedriver fails the test instead, since CI installs it.
    pub fn start() -> Option<Driver> {
        let Some(binary) = chromedriver() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "chromedriver is not installed; on CI it must be (apt-get install chromium chromium-driver)"
            );
            eprintln!(
                "chromedriver is not installed; browser test skipped (apt-get install chromium chromium-driver)"
            );
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .expect("a free port")
            .local_addr()
            .expect("port")
            .port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < PATIENCE,
                "chromedriver did not listen on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(driver)
    }

    /// A new headless browser whose profile lives in `profile` (a fresh directory).
    pub async fn browser(&self, profile: &Path) -> Client {
        std::fs::create_dir_all(profile).expect("profile directory");
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1280,900",
        ]
        .into_iter()
        .map(str::to_owned)
        .chain([format!("--user-data-dir={}", profile.display())])
        .collect::<Vec<_>>();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), "chrome".into());
        // Both browsers ask for English, so what a page says does not depend on the machine.
        let options =
            serde_json::json!({ "args": args, "prefs": { "intl.accept_languages": "en-US,en" } });
        capabilities.insert("goog:chromeOptions".into(), options);
        // chromedriver listens before it is ready to start browsers; under load the first
        // session request can be reset, so a connection failure is tried again twice.
        let mut attempt = 0;
        loop {
            let session = ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&self.url)
                .await;
            match session {
                Ok(client) => return client,
                Err(fantoccini::error::NewSessionError::FailedC(e)) if attempt < 2 => {
                    eprintln!("chromedriver refused a session ({e}); trying again");
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("a browser session: {e:?}"),
            }
        }
    }
}

/// Waits until the browser shows the page at `path` (the address without its query).
pub async fn arrive(c: &Client, path: &str) {
    let started = Instant::now();
    loop {
        let url = c.current_url().await.expect("current address");
        if url.path() == path {
            c.wait()
                .at_most(PATIENCE)
                .for_element(Locator::Css("main"))
                .await
                .expect("the page's main part");
            return;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "expected to arrive at {path}, still at {url}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Types `value` into the field `css`.
pub async fn fill(c: &Client, css: &str, value: &str) {
    let field = c
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("field {css}: {e}"));
    field.clear().await.expect("clear");
    field.send_keys(value).await.expect("type");
}

/// Clicks the element `css`.
pub async fn click(c: &Client, css: &str) {
    c.wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("element {css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

/// The visible text of the page's `<main>`.
pub async fn main_text(c: &Client) -> String {
    c.find(Locator::Css("main"))
        .await
        .expect("main")
        .text()
        .await
        .expect("text")
}

/// The `value` of the field `css`.
pub async fn value(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .expect(css)
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default()
}

/// Runs `body`, returning its panic instead of unwinding, so the caller can look at the
/// browsers before failing.
pub async fn caught<F: Future<Output = ()>>(body: F) -> std::thread::Result<()> {
    CatchUnwind(Box::pin(body)).await
}

struct CatchUnwind<F>(Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = std::thread::Result<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}

/// Saves a screenshot of `c` in the temporary directory and returns its path.
pub async fn screenshot(c: &Client, name: &str) -> Option<PathBuf> {
    let png = c.screenshot().await.ok()?;
    let path = std::env::temp_dir().join(format!("postbode-{name}-{}.png", std::process::id()));
    std::fs::write(&path, png).ok()?;
    Some(path)
}

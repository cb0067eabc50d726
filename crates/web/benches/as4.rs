//! AS4 messages received per second over HTTP on loopback, on this machine's cores: the hub's
//! `/as4` (MIME, signature and certificate chain, decryption, routing to the organisation,
//! storing the document and the signed receipt in SQLite, then answering with that receipt)
//! next to the `as4` Python package (PyPI 0.2.0) behind a small pre-forking HTTP server
//! (`peppol/tests/peers/as4_receiver.py`: checks, decryption, what it received written to a
//! file, the signed receipt), with one worker process and with one per core.
//!
//! Both get signed and encrypted messages made alike, each carrying the Peppol BIS example
//! invoice under its own MessageId, posted by the same client keeping `IN_FLIGHT` requests
//! open. Every answer must be a receipt, and every message must be stored afterwards.
//!
//! `cargo bench -p web --bench as4`. The Python side runs when the peers venv exists
//! (`scripts/peppol-peers/setup.sh`).

use std::error::Error;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use hub::testing::{Backend, TestHub};
use peppol::as4::AccessPoint;
use peppol::as4::send::Message;
use peppol::testing::TestPki;

/// Messages timed per receiver, each posted once.
const MESSAGES: usize = 1000;
/// Messages posted first to each receiver, untimed (connections, caches, lazy set-up).
const WARM_UP: usize = 50;
/// Requests the client keeps open at once: a few senders, and a busier moment. The hub
/// writes what arrives together in one transaction, so it gains from the second; the Python
/// server takes one request at a time per worker and is measured at the larger figure.
const IN_FLIGHT: [usize; 2] = [8, 32];

/// The participant `TestPki::messages` addresses.
const RECEIVER: &str = "0088:5790000000012";

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// The allocator of the `postbode` binary, so the hub here runs as it does in `serve`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<()> {
    // The receiver's runtime has the machine's cores, as in `serve`; the client has a thread
    // of its own, standing for the senders' machines, so its tasks do not queue among the
    // receiver's.
    let receiver = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let sender = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;

    let invoice_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/peppol-bis/rules/examples/base-example.xml");
    let Ok(invoice) = std::fs::read(&invoice_path) else {
        println!("skipped: no corpus at {}", invoice_path.display());
        return Ok(());
    };
    let cores = std::thread::available_parallelism()?.get();
    // A set of messages per run: a MessageId is received once.
    let runs = IN_FLIGHT.len() + 2;
    let messages = TestPki::shared().messages(invoice, runs * (WARM_UP + MESSAGES))?;
    println!(
        "{MESSAGES} messages of {} bytes, {cores} cores",
        messages[0].body.len()
    );
    let mut sets = messages
        .chunks(WARM_UP + MESSAGES)
        .map(|set| set.split_at(WARM_UP));

    let mut ours: f64 = 0.0;
    for in_flight in IN_FLIGHT {
        let (warm, timed) = sets.next().ok_or("a set of messages")?;
        let hub = receiver.block_on(hub_receiver())?;
        sender.block_on(post_all(&hub.url, warm, in_flight))?;
        let rate = sender.block_on(post_all(&hub.url, timed, in_flight))?;
        let stored = receiver
            .block_on(hub.t.hub.documents(&hub.firm, hub.organisation, 1, 1))?
            .total;
        if stored != (WARM_UP + MESSAGES) as u64 {
            return Err(format!("the hub holds {stored} documents").into());
        }
        println!("postbode /as4 (SQLite), {in_flight} in flight: {rate:.1} messages/s");
        receiver.block_on(hub.t.finish());
        ours = ours.max(rate);
    }

    let Some(python) = peppol::testing::peers::python() else {
        return Ok(());
    };
    let in_flight = IN_FLIGHT[IN_FLIGHT.len() - 1];
    let mut theirs: f64 = 0.0;
    for workers in [1, cores] {
        let (warm, timed) = sets.next().ok_or("a set of messages")?;
        let peer = PythonReceiver::start(&python, workers)?;
        sender.block_on(post_all(&peer.url, warm, in_flight))?;
        let rate = sender.block_on(post_all(&peer.url, timed, in_flight))?;
        let stored = std::fs::read_dir(peer.store.path())?.count();
        if stored != WARM_UP + MESSAGES {
            return Err(format!("as4 stored {stored} messages").into());
        }
        println!(
            "as4 (Python), {workers} worker process(es), {in_flight} in flight: {rate:.1} messages/s"
        );
        theirs = theirs.max(rate);
    }
    println!("ratio best postbode / best as4: {:.1}", ours / theirs);
    Ok(())
}

/// The hub serving `/as4` as `PTE000002` on a SQLite file, with an organisation that
/// receives on `RECEIVER`.
struct HubReceiver {
    url: String,
    t: TestHub,
    firm: hub::Principal,
    organisation: i64,
}

async fn hub_receiver() -> Result<HubReceiver> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let t = TestHub::new_at(Backend::Sqlite, &base)
        .await
        .ok_or("a SQLite hub")?;
    let (firm, organisation) = t.receiving_organisation(RECEIVER).await;
    let pki = TestPki::shared();
    let ap = AccessPoint {
        credentials: pki.receiver.credentials.clone(),
        trust: pki.trust_store(),
    };
    let app = web::router(web::AppState::new(t.hub.clone(), None).with_access_point(ap));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(HubReceiver {
        url: format!("{base}/as4"),
        t,
        firm,
        organisation,
    })
}

/// The `as4` package behind its HTTP server; stopped when dropped.
struct PythonReceiver {
    url: String,
    store: tempfile::TempDir,
    _pki: tempfile::TempDir,
    child: Child,
}

impl PythonReceiver {
    fn start(python: &Path, workers: usize) -> Result<PythonReceiver> {
        let pki = tempfile::tempdir()?;
        TestPki::shared().write_pem(pki.path())?;
        let store = tempfile::tempdir()?;
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../peppol/tests/peers/as4_receiver.py");
        let mut child = Command::new(python)
            .arg(script)
            .arg(pki.path())
            .arg(store.path())
            .arg(workers.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let mut port = String::new();
        BufReader::new(child.stdout.take().ok_or("stdout is piped")?).read_line(&mut port)?;
        Ok(PythonReceiver {
            url: format!("http://127.0.0.1:{}/as4", port.trim()),
            store,
            _pki: pki,
            child,
        })
    }
}

impl Drop for PythonReceiver {
    fn drop(&mut self) {
        // Closing stdin stops every worker; the wait reaps the first.
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// Posts every message to `url` with `in_flight` open at once; messages per second. Each
/// answer must be a receipt.
async fn post_all(url: &str, messages: &[Message], in_flight: usize) -> Result<f64> {
    let client = reqwest::Client::new();
    let messages: Arc<[Message]> = messages.into();
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let posters: Vec<_> = (0..in_flight)
        .map(|_| {
            let (client, messages, next, url) = (
                client.clone(),
                messages.clone(),
                next.clone(),
                url.to_owned(),
            );
            tokio::spawn(async move {
                while let Some(message) = messages.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let answer = client
                        .post(&url)
                        .header("Content-Type", &message.content_type)
                        .header("MIME-Version", "1.0")
                        .body(message.body.clone())
                        .send()
                        .await
                        .map_err(|e| e.to_string())?;
                    let status = answer.status();
                    let body = answer.bytes().await.map_err(|e| e.to_string())?;
                    if !status.is_success() || !contains(&body, b"Receipt") {
                        return Err(format!(
                            "HTTP {status}, not a receipt: {}",
                            String::from_utf8_lossy(&body)
                        ));
                    }
                }
                Ok(())
            })
        })
        .collect();
    for poster in posters {
        poster.await??;
    }
    Ok(messages.len() as f64 / start.elapsed().as_secs_f64())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

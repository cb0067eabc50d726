//! Messages per second an access point receives: `receive::open` + `receipt` on signed and
//! encrypted messages carrying the Peppol BIS example invoice (read in place from the shared
//! corpus), against the `as4` Python package's `parse_peppol_message` + `build_signal` on
//! the same messages, in one run, with the ratio.
//!
//! `cargo bench -p peppol --bench as4`. The Python side runs when the peers venv
//! (`$POSTBODE_PEERS_VENV`, by default /var/cache/postbode/peers-venv) exists.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use peppol::as4::receive::{self, AccessPoint};
use peppol::testing::TestPki;

/// Distinct messages; each is received `ROUNDS` times.
const MESSAGES: usize = 20;
const ROUNDS: usize = 10;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pki = TestPki::shared();
    let invoice_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/peppol-bis/rules/examples/base-example.xml");
    let invoice = std::fs::read(&invoice_path)?;
    let invoice_len = invoice.len();
    let receiver = AccessPoint {
        credentials: pki.receiver.credentials.clone(),
        trust: pki.trust_store(),
    };
    let now = SystemTime::now();
    let messages = pki.messages(invoice, MESSAGES)?;
    println!(
        "{} messages of {} bytes (invoice {} bytes), each received {ROUNDS} times",
        MESSAGES,
        messages[0].body.len(),
        invoice_len
    );

    let start = Instant::now();
    for _ in 0..ROUNDS {
        for message in &messages {
            let received = receive::open(&message.content_type, &message.body, &receiver, now)
                .map_err(|r| r.error.to_string())?;
            std::hint::black_box(receive::receipt(&received, &receiver, now)?);
        }
    }
    let ours = (MESSAGES * ROUNDS) as f64 / start.elapsed().as_secs_f64();
    println!("postbode receive::open + receipt: {ours:.1} messages/s");

    let Some(python) = python() else {
        println!("as4 (Python): skipped, no peers venv");
        return Ok(());
    };
    let pki_dir = tempfile::tempdir()?;
    pki.write_pem(pki_dir.path())?;
    let work = tempfile::tempdir()?;
    for (i, message) in messages.iter().enumerate() {
        std::fs::write(work.path().join(format!("{i}.bin")), &message.body)?;
        std::fs::write(work.path().join(format!("{i}.type")), &message.content_type)?;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/as4_bench_receiver.py");
    let output = Command::new(python)
        .arg(script)
        .arg(pki_dir.path())
        .arg(work.path())
        .arg(ROUNDS.to_string())
        .output()?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned().into());
    }
    let result: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let count = result["messages"].as_f64().ok_or("no count")?;
    if result["accepted"].as_f64() != Some(count) {
        return Err(format!("as4 refused messages: {result}").into());
    }
    let theirs = count / result["seconds"].as_f64().ok_or("no time")?;
    println!("as4 parse_peppol_message + build_signal: {theirs:.1} messages/s");
    println!("ratio postbode / as4: {:.1}", ours / theirs);
    Ok(())
}

/// The peers venv's Python, if it is there.
fn python() -> Option<PathBuf> {
    let venv = std::env::var_os("POSTBODE_PEERS_VENV").map_or_else(
        || PathBuf::from("/var/cache/postbode/peers-venv"),
        PathBuf::from,
    );
    let python = venv.join("bin/python");
    python.exists().then_some(python)
}

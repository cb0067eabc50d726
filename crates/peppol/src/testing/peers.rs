//! The independent Peppol implementations from PyPI (peppol-py, as4) that interoperability
//! tests run against, in the venv `scripts/peppol-peers/setup.sh` makes (`$POSTBODE_PEERS_VENV`,
//! by default `/var/cache/postbode/peers-venv`).
//!
//! Without the venv a test prints a note and passes, unless `CI` is set: CI always has it, so
//! there its absence is a failure, not a skip.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The venv's Python, or `None` (with a note) where the peers are not installed. Importing the
/// peers takes a second, so the answer is found once per test process.
pub fn python() -> Option<PathBuf> {
    static PYTHON: OnceLock<Option<PathBuf>> = OnceLock::new();
    let found = PYTHON.get_or_init(find_python).clone();
    if found.is_none() {
        eprintln!("skipped: no peers venv (run scripts/peppol-peers/setup.sh)");
    }
    found
}

fn find_python() -> Option<PathBuf> {
    let venv = std::env::var_os("POSTBODE_PEERS_VENV").map_or_else(
        || PathBuf::from("/var/cache/postbode/peers-venv"),
        PathBuf::from,
    );
    let python = venv.join("bin/python");
    let usable = Command::new(&python)
        .args(["-c", "import as4, peppol_py"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if usable {
        return Some(python);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but the peers venv at {} is missing; run scripts/peppol-peers/setup.sh",
        venv.display()
    );
    None
}

/// Runs the driver `script` with `args`, feeding `stdin`; its stdout, or a panic with its
/// stderr when it fails.
pub fn run(python: &Path, script: &Path, args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let mut child = Command::new(python)
        .arg(script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the peer script starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin)
        .expect("the peer script reads its input");
    let output = child.wait_with_output().expect("the peer script finishes");
    assert!(
        output.status.success(),
        "{} {args:?} failed:\n{}\n{}",
        script.display(),
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    output.stdout
}

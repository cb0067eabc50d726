//! The independent Peppol implementations from PyPI (peppol-py, as4) that the
//! interoperability tests run against, in the venv `scripts/peppol-peers/setup.sh` makes.
//!
//! Without the venv a test prints a note and passes, unless `CI` is set: CI always has it,
//! so there its absence is a failure, not a skip.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The venv's Python, or `None` (with a note) where the peers are not installed. Importing
/// the peers takes a second, so the answer is found once per test run.
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

/// Runs `tests/peers/<script>` with `args`, feeding `stdin`; its stdout, or a panic with its
/// stderr when it fails.
pub fn run(python: &Path, script: &str, args: &[&str], stdin: &[u8]) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/peers")
        .join(script);
    let mut child = Command::new(python)
        .arg(&path)
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
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{script} {args:?} failed:\n{}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

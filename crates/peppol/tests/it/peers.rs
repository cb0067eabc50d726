//! The Python peers (peppol-py, as4) for this crate's tests: `peppol::testing::peers`, with the
//! drivers in `tests/peers/`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The peers venv's Python, or `None` outside CI where it is not installed.
pub fn python() -> Option<PathBuf> {
    peppol::testing::peers::python()
}

/// Runs `tests/peers/<script>`; its stdout as text.
pub fn run(python: &Path, script: &str, args: &[&str], stdin: &[u8]) -> String {
    String::from_utf8_lossy(&run_bytes(python, script, args, stdin)).into_owned()
}

/// Runs `tests/peers/<script>`; its stdout as bytes.
pub fn run_bytes(python: &Path, script: &str, args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/peers")
        .join(script);
    peppol::testing::peers::run(python, &path, args, stdin)
}

/// The test PKI as PEM files for the peers, written once per test process.
pub fn pki_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        peppol::testing::TestPki::shared()
            .write_pem(dir.path())
            .expect("the PEM files are written");
        dir
    })
    .path()
}

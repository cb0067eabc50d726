//! `postbode bench`: throughput figures for docs/PERFORMANCE.md.
//!
//! Speed is measured here, in one process over documents already in memory, so that a
//! comparison script can run the reference implementation on the same files in the same
//! run and report the ratio (scripts/bench/validate_vs_saxon.py).

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::input::{self, Input};

/// Arguments of `postbode bench`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// Validate the files repeatedly and print throughput as one JSON line.
    Validate {
        /// Measure for at least this many seconds (after one warm-up pass).
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
        /// Invoice files (XML or Factur-X PDF).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Seed a large firm and measure page and API latency (p50, p99) on SQLite and, with
    /// `--postgres`, on PostgreSQL in the same run.
    Hub(crate::bench_hub::Args),
}

/// Runs `postbode bench`.
pub fn run(args: Args) -> ExitCode {
    match args.what {
        What::Validate { seconds, files } => validate(seconds, &files),
        What::Hub(args) => crate::bench_hub::run(args),
    }
}

fn validate(seconds: f64, files: &[PathBuf]) -> ExitCode {
    let mut docs = Vec::with_capacity(files.len());
    for path in files {
        match input::read(path) {
            Ok(Input::Xml(bytes)) => docs.push(bytes),
            Ok(Input::Unusable(why)) => eprintln!("postbode: skipped {}: {why}", path.display()),
            Err(e) => {
                eprintln!("postbode: {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    let bytes: usize = docs.iter().map(Vec::len).sum();
    let mut invalid = 0usize;
    for doc in &docs {
        invalid += usize::from(!rules::validate(doc).valid());
    }
    let budget = Duration::from_secs_f64(seconds.max(0.0));
    let start = Instant::now();
    let mut rounds = 0u64;
    while rounds == 0 || start.elapsed() < budget {
        for doc in &docs {
            std::hint::black_box(rules::validate(std::hint::black_box(doc)));
        }
        rounds += 1;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let validated = rounds as f64 * docs.len() as f64;
    println!(
        "{{\"documents\":{},\"bytes\":{bytes},\"invalid\":{invalid},\"rounds\":{rounds},\"seconds\":{elapsed:.4},\"documents_per_second\":{:.1},\"megabytes_per_second\":{:.2},\"peak_rss_mib\":{}}}",
        docs.len(),
        validated / elapsed,
        rounds as f64 * bytes as f64 / elapsed / 1e6,
        peak_rss_mib().map_or("null".to_string(), |m| format!("{m:.1}")),
    );
    ExitCode::SUCCESS
}

/// The process's peak resident memory, from Linux's /proc (None elsewhere).
fn peak_rss_mib() -> Option<f64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

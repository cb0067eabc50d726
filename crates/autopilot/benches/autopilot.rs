//! Training time, proposal throughput and peak memory on a synthetic firm of 1,000,000 history
//! lines (issue 4), side by side with the scikit-learn baseline on the same data when its venv
//! exists. A plain `main` rather than criterion: one training on a million lines is the
//! measurement, and repeating it dozens of times would only cost minutes.
//!
//! `cargo bench -p autopilot`; `AUTOPILOT_BENCH_LINES` changes the history size and
//! `AUTOPILOT_BENCH_NO_BASELINE` skips the baseline.

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use autopilot::{Autopilot, Day, LineInput, Party, Posting, TrainOptions};
use rust_decimal::Decimal;

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// Roughly Zipf: small ranks are much more frequent.
    fn zipf(&mut self, n: u64) -> u64 {
        let u = (self.below(1_000_000) as f64 + 1.0) / 1_000_001.0;
        ((n as f64).powf(u) - 1.0) as u64 % n.max(1)
    }
}

const WORDS: [&str; 24] = [
    "huur",
    "energie",
    "licentie",
    "onderhoud",
    "kantoor",
    "papier",
    "koffie",
    "reis",
    "hotel",
    "advies",
    "software",
    "telefoon",
    "brandstof",
    "lease",
    "verzekering",
    "catering",
    "schoonmaak",
    "porto",
    "drukwerk",
    "training",
    "beveiliging",
    "hosting",
    "abonnement",
    "materiaal",
];

/// A synthetic firm: administrations with Zipf-distributed suppliers, each posting to one to
/// three accounts with its own amounts and words, over two years; the last month is the queries.
fn firm(lines: usize) -> (Vec<Posting>, Vec<Posting>) {
    let mut rng = Lcg(42);
    let admins = 40u64;
    let suppliers = 600u64;
    let mut history = Vec::with_capacity(lines);
    let mut queries = Vec::new();
    let per_month = lines / 24;
    for month in 0..25u32 {
        let n = if month < 24 { per_month } else { per_month / 2 };
        for _ in 0..n {
            let admin = rng.below(admins);
            let s = rng.zipf(suppliers);
            let choice = rng.below(10);
            let account_slot = if choice < 7 {
                0
            } else if choice < 9 {
                1
            } else {
                2
            };
            let account = (s * 7 + account_slot * 13 + admin) % 80;
            let base = 20 + (s * 97 + account_slot * 31) % 5000;
            let amount = Decimal::new((base * 100 + rng.below(base * 40)) as i64, 2);
            let day = Day::from_civil(
                2022 + (month / 12) as i32,
                month % 12 + 1,
                1 + rng.below(28) as u32,
            );
            let w = WORDS[((account + rng.below(2)) % WORDS.len() as u64) as usize];
            let p = Posting {
                administration: format!("admin {admin}"),
                date: day,
                supplier: Party {
                    name: format!("Supplier {s} BV"),
                    id: Some(format!("S{s}")),
                    ..Party::default()
                },
                line: LineInput {
                    description: format!("{w} {}", month % 12 + 1),
                    amount,
                    ..LineInput::default()
                },
                account: format!("{}", 4000 + account),
                cost_centre: None,
            };
            if month < 24 {
                history.push(p)
            } else {
                queries.push(p)
            }
        }
    }
    (history, queries)
}

fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn write_csv(path: &Path, rows: &[Posting], with_account: bool) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    if with_account {
        writeln!(
            f,
            "administration,date,supplier,supplier_id,description,amount,account"
        )?;
    } else {
        writeln!(
            f,
            "id,administration,date,supplier,supplier_id,description,amount"
        )?;
    }
    for (i, p) in rows.iter().enumerate() {
        let id = p.supplier.id.as_deref().unwrap_or("");
        let common = format!(
            "{},{},{},{id},{},{}",
            p.administration, p.date, p.supplier.name, p.line.description, p.line.amount
        );
        if with_account {
            writeln!(f, "{common},{}", p.account)?;
        } else {
            writeln!(f, "q{i},{common}")?;
        }
    }
    f.flush()
}

fn main() {
    let lines: usize = std::env::var("AUTOPILOT_BENCH_LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let (history, queries) = firm(lines);
    println!(
        "synthetic firm: {} history lines, {} queries",
        history.len(),
        queries.len()
    );
    let before = peak_memory_mb();

    let t = Instant::now();
    let engine = Autopilot::train(&history, &TrainOptions::default());
    let train_s = t.elapsed().as_secs_f64();

    let mut right = 0usize;
    for q in &queries {
        let p = engine.predict_line(&q.administration, q.date, &q.supplier, &q.line);
        right += usize::from(p.ranked.first().is_some_and(|(a, _)| *a == q.account));
    }
    // Timed over at least 200,000 proposals, cycling through the queries.
    let t = Instant::now();
    let mut made = 0usize;
    while made < 200_000 {
        let batch = engine.predict_many(&queries);
        made += batch.len();
        std::hint::black_box(batch);
    }
    let predict_s = t.elapsed().as_secs_f64() * queries.len() as f64 / made as f64;
    let rate = made as f64 / t.elapsed().as_secs_f64();
    let peak = peak_memory_mb();
    println!("autopilot: training {train_s:.2} s (target < 10 s)");
    println!("autopilot: {rate:.0} proposals/s on all cores (target > 100,000)");
    println!(
        "autopilot: peak memory {:.0} MB including the generated data ({:.0} MB before training; target < 2048)",
        peak.unwrap_or(f64::NAN),
        before.unwrap_or(f64::NAN)
    );
    println!(
        "autopilot: top-1 on the synthetic queries {:.1}%",
        100.0 * right as f64 / queries.len() as f64
    );

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let python = root.join(".venv-autopilot/bin/python");
    if std::env::var_os("AUTOPILOT_BENCH_NO_BASELINE").is_some() {
        return;
    }
    if !python.exists() {
        println!(
            "baseline: skipped, no venv at {} (scripts/autopilot/setup.sh makes it)",
            python.display()
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!("autopilot-bench-{}", std::process::id()));
    let run = || -> std::io::Result<f64> {
        std::fs::create_dir_all(&dir)?;
        write_csv(&dir.join("history.csv"), &history, true)?;
        write_csv(&dir.join("queries.csv"), &queries, false)?;
        let t = Instant::now();
        let status = Command::new(&python)
            .arg(root.join("scripts/autopilot/baseline.py"))
            .args(["predict", "--method", "linear", "--history"])
            .arg(dir.join("history.csv"))
            .arg("--queries")
            .arg(dir.join("queries.csv"))
            .arg("--output")
            .arg(dir.join("baseline.csv"))
            .status()?;
        if !status.success() {
            return Err(std::io::Error::other(format!(
                "baseline exited with {status}"
            )));
        }
        Ok(t.elapsed().as_secs_f64())
    };
    let result = run();
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(base_s) => {
            let ours = train_s + predict_s;
            println!(
                "baseline (scikit-learn LinearSVC, smart_importer features): train + predict {base_s:.1} s incl. CSV reading"
            );
            println!("ratio: baseline / autopilot = {:.1}x", base_s / ours);
        }
        Err(e) => println!("baseline: failed: {e}"),
    }
}

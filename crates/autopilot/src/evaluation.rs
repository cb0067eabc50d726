//! The rolling monthly evaluation of `../shared/autopilot/README.md`: for each of an
//! administration's last months, train on what came before and predict that month.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::engine::{Autopilot, TrainOptions};
use crate::invoice::Posting;

/// How to evaluate.
#[derive(Debug, Clone)]
pub struct EvaluationOptions {
    /// Test months per administration: its last this many months with postings.
    pub months: usize,
    /// Training uses at most this many months before the test month.
    pub window_months: i32,
    /// Target precision of auto-posted lines.
    pub target_precision: f64,
    /// Worker threads.
    pub threads: usize,
}

impl Default for EvaluationOptions {
    fn default() -> Self {
        EvaluationOptions {
            months: 6,
            window_months: 24,
            target_precision: 0.99,
            threads: 2,
        }
    }
}

/// Counts over predicted rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Metrics {
    /// Rows predicted.
    pub rows: usize,
    /// Rows whose first account was right.
    pub top1: usize,
    /// Rows whose right account was among the first three.
    pub top3: usize,
    /// Rows the engine would post by itself.
    pub auto: usize,
    /// Of those, the right ones.
    pub auto_right: usize,
}

impl Metrics {
    fn add(&mut self, o: &Metrics) {
        self.rows += o.rows;
        self.top1 += o.top1;
        self.top3 += o.top3;
        self.auto += o.auto;
        self.auto_right += o.auto_right;
    }
    fn pct(n: usize, d: usize) -> f64 {
        if d == 0 {
            0.0
        } else {
            100.0 * n as f64 / d as f64
        }
    }
    /// Top-1 accuracy in percent.
    pub fn top1_pct(&self) -> f64 {
        Self::pct(self.top1, self.rows)
    }
    /// Top-3 accuracy in percent.
    pub fn top3_pct(&self) -> f64 {
        Self::pct(self.top3, self.rows)
    }
    /// Automation rate in percent.
    pub fn automation_pct(&self) -> f64 {
        Self::pct(self.auto, self.rows)
    }
    /// Precision of automatically posted rows in percent.
    pub fn precision_pct(&self) -> f64 {
        Self::pct(self.auto_right, self.auto)
    }
}

/// Figures per administration and micro-averaged.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// What was measured.
    pub title: String,
    /// Per administration, by name.
    pub per_administration: BTreeMap<String, Metrics>,
}

impl Report {
    /// Micro-average over all rows.
    pub fn micro(&self) -> Metrics {
        let mut m = Metrics::default();
        for v in self.per_administration.values() {
            m.add(v);
        }
        m
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.title)?;
        writeln!(
            f,
            "{:<40} {:>7} {:>7} {:>7} {:>7} {:>9}",
            "administration", "rows", "top-1", "top-3", "auto", "auto-prec"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, m: &Metrics| {
            writeln!(
                f,
                "{:<40} {:>7} {:>6.1}% {:>6.1}% {:>6.1}% {:>8.2}%",
                name.chars().take(40).collect::<String>(),
                m.rows,
                m.top1_pct(),
                m.top3_pct(),
                m.automation_pct(),
                m.precision_pct()
            )
        };
        for (name, m) in &self.per_administration {
            row(f, name, m)?;
        }
        row(f, "micro-average", &self.micro())
    }
}

/// One training set and the rows predicted with it.
struct Task<'a> {
    train: Vec<&'a Posting>,
    test: Vec<&'a Posting>,
}

fn run(title: String, tasks: Vec<Task<'_>>, options: &EvaluationOptions) -> Report {
    let train_options = TrainOptions {
        target_precision: options.target_precision,
        ..TrainOptions::default()
    };
    let next = AtomicUsize::new(0);
    let results = Mutex::new(BTreeMap::<String, Metrics>::new());
    std::thread::scope(|scope| {
        for _ in 0..options.threads.max(1) {
            scope.spawn(|| {
                while let Some(task) = tasks.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let engine = Autopilot::train(task.train.iter().copied(), &train_options);
                    let mut local = BTreeMap::<String, Metrics>::new();
                    for p in &task.test {
                        let pred =
                            engine.predict_line(&p.administration, p.date, &p.supplier, &p.line);
                        let m = local.entry(p.administration.clone()).or_default();
                        let rank = pred.ranked.iter().position(|(a, _)| *a == p.account);
                        m.rows += 1;
                        m.top1 += usize::from(rank == Some(0));
                        m.top3 += usize::from(rank.is_some_and(|r| r < 3));
                        if pred.auto() {
                            m.auto += 1;
                            m.auto_right += usize::from(rank == Some(0));
                        }
                    }
                    if let Ok(mut all) = results.lock() {
                        for (k, v) in local {
                            all.entry(k).or_default().add(&v);
                        }
                    }
                }
            });
        }
    });
    Report {
        title,
        per_administration: results.into_inner().unwrap_or_default(),
    }
}

/// Each administration's test months.
fn test_months(postings: &[Posting], months: usize) -> BTreeMap<&str, Vec<i32>> {
    let mut all: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
    for p in postings {
        all.entry(&p.administration)
            .or_default()
            .push(p.date.month_index());
    }
    for v in all.values_mut() {
        v.sort_unstable();
        v.dedup();
        let keep = v.len().saturating_sub(months);
        v.drain(..keep);
    }
    all
}

fn in_window(p: &Posting, month: i32, window: i32) -> bool {
    let m = p.date.month_index();
    m < month && m >= month - window
}

/// The rolling protocol: each test month is predicted by an engine trained on every
/// administration's postings of the months before it.
pub fn rolling(postings: &[Posting], options: &EvaluationOptions) -> Report {
    let months = test_months(postings, options.months);
    let mut by_month: BTreeMap<i32, Vec<&str>> = BTreeMap::new();
    for (admin, ms) in &months {
        for &m in ms {
            by_month.entry(m).or_default().push(admin);
        }
    }
    let tasks = by_month
        .into_iter()
        .map(|(month, admins)| Task {
            train: postings
                .iter()
                .filter(|p| in_window(p, month, options.window_months))
                .collect(),
            test: postings
                .iter()
                .filter(|p| {
                    p.date.month_index() == month && admins.contains(&p.administration.as_str())
                })
                .collect(),
        })
        .collect();
    let title = format!(
        "rolling monthly, last {} months per administration",
        options.months
    );
    run(title, tasks, options)
}

/// Cold start: each administration's test months predicted from the other administrations only.
/// One engine per administration, trained on the others' postings before its first test month:
/// a sixth of the training runs of a month-by-month replay, and if anything pessimistic.
pub fn cold_start(postings: &[Posting], options: &EvaluationOptions) -> Report {
    let months = test_months(postings, options.months);
    let tasks = months
        .iter()
        .filter_map(|(admin, ms)| {
            let first = *ms.first()?;
            Some(Task {
                train: postings
                    .iter()
                    .filter(|p| {
                        p.administration != *admin && in_window(p, first, options.window_months)
                    })
                    .collect(),
                test: postings
                    .iter()
                    .filter(|p| p.administration == *admin && ms.contains(&p.date.month_index()))
                    .collect(),
            })
        })
        .collect();
    let title = "cold start, leave one administration out".to_owned();
    run(title, tasks, options)
}

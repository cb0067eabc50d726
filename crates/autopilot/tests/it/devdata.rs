use std::path::PathBuf;

use autopilot::evaluation::{self, EvaluationOptions};

/// The dev data beside the workspace, or `None` (then the test is skipped) when it is absent.
fn dev_postings() -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/autopilot/dev-postings.csv.gz");
    path.exists().then_some(path)
}

/// Small administrations only, so the test stays fast; it checks the engine beats the
/// supplier's-most-frequent-account habit, computed here on the same rows.
#[test]
fn beats_the_supplier_habit_on_small_administrations() {
    let Some(path) = dev_postings() else {
        eprintln!("skipped: dev data not found beside the workspace");
        return;
    };
    let file = std::fs::File::open(path).unwrap();
    let all = autopilot::csvio::read_history("postings", file).unwrap();
    let mut sizes = std::collections::BTreeMap::<&str, usize>::new();
    for p in &all {
        *sizes.entry(p.administration.as_str()).or_default() += 1;
    }
    let small: Vec<_> = all
        .iter()
        .filter(|p| sizes[p.administration.as_str()] < 2500)
        .cloned()
        .collect();
    assert!(!small.is_empty());
    let options = EvaluationOptions {
        months: 2,
        ..EvaluationOptions::default()
    };
    let report = evaluation::rolling(&small, &options);
    let ours = report.micro();

    // The habit baseline on the same test rows.
    let mut right = 0;
    let mut rows = 0;
    for admin in report.per_administration.keys() {
        let mut months: Vec<i32> = small
            .iter()
            .filter(|p| &p.administration == admin)
            .map(|p| p.date.month_index())
            .collect();
        months.sort_unstable();
        months.dedup();
        for &m in &months[months.len().saturating_sub(2)..] {
            let mut habit = std::collections::HashMap::<(u64, &str), usize>::new();
            for p in small
                .iter()
                .filter(|p| &p.administration == admin && p.date.month_index() < m)
            {
                *habit
                    .entry((p.supplier.memory_key(), p.account.as_str()))
                    .or_default() += 1;
            }
            for p in small
                .iter()
                .filter(|p| &p.administration == admin && p.date.month_index() == m)
            {
                rows += 1;
                let best = habit
                    .iter()
                    .filter(|((k, _), _)| *k == p.supplier.memory_key())
                    .max_by_key(|((_, a), n)| (**n, std::cmp::Reverse(*a)))
                    .map(|((_, a), _)| *a);
                right += usize::from(best == Some(p.account.as_str()));
            }
        }
    }
    assert_eq!(rows, ours.rows);
    let habit = 100.0 * right as f64 / rows as f64;
    eprintln!("{report}\nhabit baseline top-1 {habit:.1}%");
    assert!(
        ours.top1_pct() > habit,
        "ours {:.1}% vs habit {habit:.1}%",
        ours.top1_pct()
    );
    assert!(ours.auto == 0 || ours.precision_pct() > 95.0, "{report}");
}

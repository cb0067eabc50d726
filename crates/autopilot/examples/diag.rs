fn main() {
    let f = std::fs::File::open("/work/shared/autopilot/dev-postings.csv.gz").unwrap();
    let p = autopilot::csvio::read_history("postings", f).unwrap();
    let month = autopilot::Day::parse("2022-06-01").unwrap().month_index();
    let train: Vec<_> = p.iter().filter(|x| x.date.month_index() < month && x.date.month_index() >= month - 24).cloned().collect();
    let e = autopilot::Autopilot::train(&train, &Default::default());
    let mut bins = vec![(0usize, 0usize); 11];
    let (mut blocked, mut blocked_right, mut first, mut outlier, mut n, mut auto, mut auto_right) = (0, 0, 0, 0, 0, 0, 0);
    for x in p.iter().filter(|x| x.date.month_index() == month && x.administration.starts_with("TfL")) {
        let pr = e.predict_line(&x.administration, x.date, &x.supplier, &x.line);
        let right = pr.ranked.first().is_some_and(|a| a.0 == x.account);
        n += 1;
        if !pr.alerts.is_empty() { blocked += 1; blocked_right += right as usize;
            if pr.alerts.iter().any(|a| matches!(a, autopilot::Alert::FirstInvoice)) { first += 1 } else { outlier += 1 } continue; }
        let b = ((pr.confidence * 10.0).floor() as usize).min(10);
        let b = if pr.confidence >= 0.99 { 10 } else { b.min(9) };
        bins[b].0 += 1; bins[b].1 += right as usize;
        if pr.auto() { auto += 1; auto_right += right as usize; }
    }
    println!("n {n} blocked {blocked} ({blocked_right} right) first {first} outlier {outlier} auto {auto} right {auto_right}");
    for (i, (c, r)) in bins.iter().enumerate() { println!("bin {i}: {c} rows, acc {:.4}", *r as f64 / (*c).max(1) as f64); }
    for a in ["TfL: LONDON UNDERGROUND LTD", "TfL: TFL CORPORATE", "TfL: SURFACE TRANSPORT CORP"] { println!("{a} threshold {:?}", e.threshold(a)); }
}

fn main() {
    let f = std::fs::File::open("/work/shared/autopilot/dev-postings.csv.gz").unwrap();
    let p = autopilot::csvio::read_history("postings", f).unwrap();
    let t = std::time::Instant::now();
    let r = autopilot::evaluation::rolling(&p, &autopilot::evaluation::EvaluationOptions::default());
    let mut tfl = autopilot::evaluation::Report::default();
    tfl.per_administration = r.per_administration.iter().filter(|(k, _)| k.starts_with("TfL")).map(|(k, v)| (k.clone(), *v)).collect();
    let m = tfl.micro();
    let o = r.per_administration.get("Oxford City Council").copied().unwrap_or_default();
    println!("TfL top1 {:.2} top3 {:.2} auto {:.2} prec {:.2} | Ox top1 {:.2} top3 {:.2} auto {:.2} prec {:.2} | {:.1}s",
        m.top1_pct(), m.top3_pct(), m.automation_pct(), m.precision_pct(), o.top1_pct(), o.top3_pct(), o.automation_pct(), o.precision_pct(), t.elapsed().as_secs_f64());
}

//! `postbode bench hub`: latency of the pages and API lists an accountant uses most, over a
//! firm with 500 administrations and a million transactions, on SQLite and PostgreSQL side
//! by side (docs/PERFORMANCE.md).
//!
//! Requests go through the whole axum application in process (routing, session or key
//! authentication, the service layer, the database, rendering), without a TCP socket, so the
//! figures are the hub's own and not the load generator's.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use hub::mail::Mailer;
use hub::secret::Pepper;
use hub::{Config, Hub};
use tower::ServiceExt;

/// Arguments of `postbode bench hub`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Administrations the firm reaches.
    #[arg(long, default_value_t = 500)]
    organisations: usize,
    /// Transactions over the past year.
    #[arg(long, default_value_t = 1_000_000)]
    transactions: usize,
    /// Measured requests per endpoint (after 10 warm-up requests).
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// A PostgreSQL server URL; a scratch database is made there and dropped afterwards.
    #[arg(long, env = "POSTBODE_BENCH_PG")]
    postgres: Option<String>,
}

/// What is measured: a name, the path, and whether it is an API call (keys or session).
const ENDPOINTS: [(&str, &str); 6] = [
    ("home page", "/"),
    ("home page, search", "/?q=0042"),
    ("Paid by page", "/wallet"),
    ("API organisations", "/api/v1/organisations?per_page=50"),
    ("API Paid by", "/api/v1/wallet/paid-by"),
    ("API transactions", "/api/v1/wallet/transactions?limit=50"),
];

pub fn run(args: Args) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("postbode: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(bench(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("postbode: {e}");
            ExitCode::from(2)
        }
    }
}

async fn bench(args: Args) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut results = vec![(
        "sqlite",
        measure(&args, &hub::storage::sqlite_url(dir.path()), dir.path()).await?,
    )];
    if let Some(server) = &args.postgres {
        let (url, name) = hub::storage::create_scratch(server, "postbode_bench")
            .await
            .map_err(|e| e.to_string())?;
        let measured = measure(&args, &url, dir.path()).await;
        hub::storage::drop_scratch(server, &name)
            .await
            .map_err(|e| e.to_string())?;
        results.push(("postgres", measured?));
    }
    println!("\n| endpoint | backend | p50 ms | p99 ms | max ms |");
    println!("|---|---|---:|---:|---:|");
    for (i, (name, path)) in ENDPOINTS.iter().enumerate() {
        for (backend, figures) in &results {
            let f = &figures[i];
            println!(
                "| {name} `{path}` | {backend} | {:.1} | {:.1} | {:.1} |",
                ms(f.p50),
                ms(f.p99),
                ms(f.max)
            );
        }
    }
    Ok(())
}

struct Figures {
    p50: Duration,
    p99: Duration,
    max: Duration,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn measure(args: &Args, url: &str, dir: &std::path::Path) -> Result<Vec<Figures>, String> {
    let started = Instant::now();
    let db = hub::storage::open(url).await.map_err(|e| e.to_string())?;
    let mailer =
        Mailer::new(None, dir.join("outbox"), "bench@postbode.test").map_err(|e| e.to_string())?;
    let hub = Hub::new(
        db,
        Config::new("http://bench.test", Pepper::generate()),
        mailer,
    );
    let seeded = hub::fixture::seed(&hub, args.organisations, args.transactions)
        .await
        .map_err(|e| e.to_string())?;
    eprintln!(
        "seeded {} organisations and {} transactions in {:.1} s",
        seeded.organisations,
        seeded.transactions,
        started.elapsed().as_secs_f64()
    );
    let (_, session) = hub
        .login(&seeded.email, hub::fixture::PASSWORD)
        .await
        .map_err(|e| e.to_string())?;
    let cookie = format!("{}={}", web::auth::COOKIE, session.token);
    let app = web::router(web::AppState::new(hub, None));
    let mut out = Vec::new();
    for (name, path) in ENDPOINTS {
        let mut times = Vec::with_capacity(args.requests);
        for i in 0..args.requests + 10 {
            let request = Request::get(path)
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .map_err(|e| e.to_string())?;
            let t = Instant::now();
            let response = app
                .clone()
                .oneshot(request)
                .await
                .map_err(|e| e.to_string())?;
            let status = response.status();
            axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .map_err(|e| e.to_string())?;
            let elapsed = t.elapsed();
            if status != StatusCode::OK {
                return Err(format!("{name} ({path}) answered {status}"));
            }
            if i >= 10 {
                times.push(elapsed);
            }
        }
        times.sort_unstable();
        let at = |q: f64| {
            times[((times.len() as f64 * q).ceil() as usize)
                .saturating_sub(1)
                .min(times.len() - 1)]
        };
        let f = Figures {
            p50: at(0.50),
            p99: at(0.99),
            max: at(1.0),
        };
        eprintln!(
            "{name:>22}: p50 {:6.1} ms  p99 {:6.1} ms",
            ms(f.p50),
            ms(f.p99)
        );
        out.push(f);
    }
    Ok(out)
}

//! `postbode serve`: the hub on HTTP.

use std::net::SocketAddr;
use std::process::ExitCode;

use crate::setup;

/// Runs the hub.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, env = "POSTBODE_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The address people reach the hub at (for mailed links); `http://<addr>` by default.
    #[arg(long, env = "POSTBODE_BASE_URL")]
    base_url: Option<String>,
    /// Seed a demo firm with client administrations, partnerships and transactions when the
    /// database is empty.
    #[arg(long)]
    demo: bool,
    #[command(flatten)]
    data: setup::Data,
    #[command(flatten)]
    peppol: setup::Peppol,
}

pub fn run(args: Args) -> ExitCode {
    setup::logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("postbode: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(serve(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("postbode: {e}");
            ExitCode::from(2)
        }
    }
}

async fn serve(args: Args) -> Result<(), String> {
    let base_url = args
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", args.addr));
    let hub = setup::open(&args.data, &base_url).await?;
    if args.demo {
        match hub::demo::seed(&hub).await.map_err(|e| e.to_string())? {
            // On stdout, not in the logs: it is a public demo login, but logs hold no passwords.
            Some(login) => println!(
                "Demo firm seeded. Log in at {base_url}/login as {} with password {}",
                login.email, login.password
            ),
            None => tracing::info!("the database already has data; no demo seeded"),
        }
    }
    let metrics = metrics_exporter_prometheus::PrometheusBuilder::new()
        .install_recorder()
        .map_err(|e| format!("cannot start metrics: {e}"))?;
    let mut state = web::AppState::new(hub, Some(metrics));
    match args.peppol.access_point()? {
        Some(ap) => {
            let network = args.peppol.network(&ap.trust)?;
            tracing::info!(
                seat = ap.seat_id(),
                sml = %args.peppol.sml_zone,
                "Peppol access point: receiving on /as4, sending through the SML"
            );
            state = state.with_access_point(ap).with_network(network);
        }
        None => tracing::info!("no Peppol certificate configured: /as4 answers 503"),
    }
    tracing::info!(url = %base_url, "open this in a browser");
    web::serve(state, args.addr)
        .await
        .map_err(|e| format!("cannot serve on {}: {e}", args.addr))
}

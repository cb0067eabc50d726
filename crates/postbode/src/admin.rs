//! Admin commands for the hub operator: audit verification, wallet top-ups and prices, and
//! creating an environment with its first administrator.

use std::process::ExitCode;

use hub::Principal;
use hub::wallet::Kind;

use crate::setup;

/// `postbode audit …`
#[derive(clap::Args, Debug)]
pub struct AuditArgs {
    #[command(subcommand)]
    command: AuditCommand,
    #[command(flatten)]
    data: setup::Data,
}

#[derive(clap::Subcommand, Debug)]
enum AuditCommand {
    /// Recompute every environment's hash chain; exit 1 if any entry was edited or removed.
    Verify,
}

/// `postbode wallet …`
#[derive(clap::Args, Debug)]
pub struct WalletArgs {
    #[command(subcommand)]
    command: WalletCommand,
    #[command(flatten)]
    data: setup::Data,
}

#[derive(clap::Subcommand, Debug)]
enum WalletCommand {
    /// Add credit to an environment's wallet.
    TopUp {
        /// The environment's id.
        #[arg(long)]
        environment: i64,
        /// The amount in euro cents.
        #[arg(long)]
        cents: i64,
        /// A payment reference.
        #[arg(long, default_value = "manual top-up")]
        reference: String,
    },
    /// Set the price of a transaction kind (manual_send, automatic_send, api_send,
    /// xml_received, pdf_conversion), in euro cents.
    Price { kind: String, cents: i64 },
}

fn block_on<F: std::future::Future<Output = Result<ExitCode, String>>>(f: F) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("postbode: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(f).unwrap_or_else(|e| {
        eprintln!("postbode: {e}");
        ExitCode::from(2)
    })
}

pub fn audit(args: AuditArgs) -> ExitCode {
    block_on(async move {
        let hub = setup::open(&args.data, "http://localhost").await?;
        let AuditCommand::Verify = args.command;
        let report = hub::audit::verify(hub.db())
            .await
            .map_err(|e| e.to_string())?;
        for b in &report.breaks {
            println!(
                "environment {} entry {}: {}",
                b.environment_id, b.seq, b.problem
            );
        }
        println!(
            "{} environments, {} entries checked: {}",
            report.environments,
            report.entries,
            if report.breaks.is_empty() {
                "intact".to_owned()
            } else {
                format!("{} breaks", report.breaks.len())
            }
        );
        Ok(if report.breaks.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}

pub fn wallet(args: WalletArgs) -> ExitCode {
    block_on(async move {
        let hub = setup::open(&args.data, "http://localhost").await?;
        match args.command {
            WalletCommand::TopUp {
                environment,
                cents,
                reference,
            } => {
                let t = hub
                    .top_up(&Principal::System, environment, cents, &reference)
                    .await
                    .map_err(|e| e.to_string())?;
                println!(
                    "balance of environment {environment}: {}",
                    hub::wallet::format_euros(t.balance_after_cents)
                );
            }
            WalletCommand::Price { kind, cents } => {
                let kind =
                    Kind::parse(&kind).ok_or_else(|| format!("unknown transaction kind {kind}"))?;
                hub.set_price(&Principal::System, kind, cents)
                    .await
                    .map_err(|e| e.to_string())?;
                println!(
                    "{} now costs {}",
                    kind.as_str(),
                    hub::wallet::format_euros(cents)
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// `postbode user …`
#[derive(clap::Args, Debug)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
    #[command(flatten)]
    data: setup::Data,
}

#[derive(clap::Subcommand, Debug)]
enum UserCommand {
    /// Create an environment and its first administrator (as sign-up does). The password is
    /// read from the first line of standard input, so it stays out of the shell history and
    /// the process list.
    Create {
        /// The firm's or business's name.
        #[arg(long)]
        environment: String,
        /// The administrator's name.
        #[arg(long)]
        name: String,
        /// The administrator's email address (their login).
        #[arg(long)]
        email: String,
    },
}

pub fn user(args: UserArgs) -> ExitCode {
    block_on(async move {
        let UserCommand::Create {
            environment,
            name,
            email,
        } = args.command;
        let mut password = String::new();
        std::io::stdin()
            .read_line(&mut password)
            .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
        let password = password.trim_end_matches(['\r', '\n']).to_owned();
        let hub = setup::open(&args.data, "http://localhost").await?;
        let (user, _) = hub
            .sign_up(hub::environment::SignUp {
                environment_name: environment,
                name,
                email: email.clone(),
                password,
                locale: None,
            })
            .await
            .map_err(|e| e.to_string())?;
        println!(
            "environment {} created; {email} is its administrator",
            user.environment_id
        );
        Ok(ExitCode::SUCCESS)
    })
}

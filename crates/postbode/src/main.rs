//! `postbode`: the hub's command-line entry point.

mod admin;
mod autopilot_cmd;
mod bench;
mod bench_hub;
mod convert;
mod input;
mod inspect;
mod serve;
mod setup;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc instead of the system allocator, for the whole binary (hub included): validation
/// makes many small short-lived allocations (the model's values, findings, per-document
/// tables), on which glibc's malloc and free spent about a tenth of the instructions, and glibc
/// gave the pages of a large invoice's tree back after each document only to fault them in
/// again (about 380 page faults per 1,000-line invoice, none with mimalloc). A fifth less CPU
/// time per large invoice; see docs/PERFORMANCE.md, "Validation". The libraries stay
/// allocator-neutral: only the binary chooses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Postbode: the e-invoicing hub for accountancy firms.
#[derive(Parser)]
#[command(name = "postbode", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the hub: web UI, REST API and operations endpoints.
    Serve(serve::Args),
    /// Check the audit log's hash chains.
    Audit(admin::AuditArgs),
    /// Top up wallets and set prices (hub operator).
    Wallet(admin::WalletArgs),
    /// Create an environment and its first administrator (hub operator).
    User(admin::UserArgs),
    /// Validate invoices against EN 16931, Peppol BIS 3.0 and SI-UBL 2.0.
    Validate(validate::Args),
    /// Convert an invoice between UBL and CII.
    Convert(convert::Args),
    /// Print the semantic model of an invoice as JSON.
    Inspect(inspect::Args),
    /// Measure throughput (for docs/PERFORMANCE.md).
    Bench(bench::Args),
    /// Posting proposals: predict and evaluate against labelled postings.
    Autopilot(autopilot_cmd::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Audit(args) => admin::audit(args),
        Command::Wallet(args) => admin::wallet(args),
        Command::User(args) => admin::user(args),
        Command::Validate(args) => validate::run(args),
        Command::Convert(args) => convert::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Autopilot(args) => autopilot_cmd::run(args),
    }
}

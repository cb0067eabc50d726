//! `postbode`: the hub's command-line entry point.

mod autopilot_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Postbode: the e-invoicing hub for accountancy firms.
#[derive(Parser)]
#[command(name = "postbode", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Posting proposals: predict and evaluate against labelled postings.
    Autopilot(autopilot_cmd::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Autopilot(args) => autopilot_cmd::run(args),
    }
}

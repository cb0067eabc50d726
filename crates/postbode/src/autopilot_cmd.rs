//! `postbode autopilot …` (issue 4).

use std::process::ExitCode;

/// Arguments of `postbode autopilot`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `postbode autopilot`.
pub fn run(_args: Args) -> ExitCode {
    ExitCode::from(2)
}

//! `postbode inspect`: prints the semantic model of an invoice as JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use crate::input::{self, Input};

/// Arguments of `postbode inspect`.
#[derive(clap::Args)]
pub struct Args {
    /// The invoice: UBL or CII XML, or a Factur-X/ZUGFeRD PDF.
    file: PathBuf,
}

#[derive(Serialize)]
struct Inspection<'a> {
    syntax: &'a str,
    invoice: &'a einvoice::Invoice,
}

/// Runs `postbode inspect`: 0 on success, 1 when the file is not an invoice, 2 on I/O errors.
pub fn run(args: Args) -> ExitCode {
    let bytes = match input::read(&args.file) {
        Ok(Input::Xml(bytes)) => bytes,
        Ok(Input::Unusable(why)) => return fail(&args, &why, 1),
        Err(e) => return fail(&args, &e.to_string(), 2),
    };
    let (syntax, invoice) = match einvoice::read(&bytes) {
        Ok(read) => read,
        Err(e) => return fail(&args, &e.to_string(), 1),
    };
    let inspection = Inspection {
        syntax: syntax.as_str(),
        invoice: &invoice,
    };
    match serde_json::to_string_pretty(&inspection) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&args, &e.to_string(), 2),
    }
}

fn fail(args: &Args, why: &str, code: u8) -> ExitCode {
    eprintln!("postbode: {}: {why}", args.file.display());
    ExitCode::from(code)
}

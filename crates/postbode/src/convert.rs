//! `postbode convert`: rewrites an invoice in the other syntax.

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use einvoice::{Invoice, Syntax};

use crate::input::{self, Input};

/// Target syntaxes of `postbode convert`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Target {
    /// UBL 2.1 (Peppol BIS Billing 3.0): Invoice, or CreditNote for credit note type codes.
    Ubl,
    /// UN/CEFACT CII D16B.
    Cii,
}

/// Arguments of `postbode convert`.
#[derive(clap::Args)]
pub struct Args {
    /// The syntax to write.
    #[arg(long, value_enum)]
    to: Target,
    /// The invoice to read: UBL or CII XML, or a Factur-X/ZUGFeRD PDF.
    input: PathBuf,
    /// Where to write the result.
    output: PathBuf,
}

/// Runs `postbode convert`: 0 on success, 1 when the input is not an invoice, 2 on I/O errors.
pub fn run(args: Args) -> ExitCode {
    let bytes = match input::read(&args.input) {
        Ok(Input::Xml(bytes)) => bytes,
        Ok(Input::Unusable(why)) => return fail(&args.input, &why, 1),
        Err(e) => return fail(&args.input, &e.to_string(), 2),
    };
    let (_, invoice) = match einvoice::read(&bytes) {
        Ok(read) => read,
        Err(e) => return fail(&args.input, &e.to_string(), 1),
    };
    let xml = match args.to {
        Target::Ubl => einvoice::ubl::write(&invoice, ubl_kind(&invoice)),
        Target::Cii => einvoice::cii::write(&invoice),
    };
    match fs::write(&args.output, xml) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&args.output, &e.to_string(), 2),
    }
}

/// The writer produces Peppol BIS 3.0, whose credit note type codes (the list PEPPOL-EN16931-P0101
/// checks) are the ones a UBL CreditNote carries; every other code stays an Invoice.
fn ubl_kind(invoice: &Invoice) -> Syntax {
    let code = invoice.type_code.as_ref().map(|t| t.trim()).unwrap_or("");
    if rules::codelists::contains(&rules::codelists::PEPPOL_UNCL1001_CN, code) {
        Syntax::UblCreditNote
    } else {
        Syntax::UblInvoice
    }
}

fn fail(path: &std::path::Path, why: &str, code: u8) -> ExitCode {
    eprintln!("postbode: {}: {why}", path.display());
    ExitCode::from(code)
}

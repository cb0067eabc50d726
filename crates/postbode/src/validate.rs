//! `postbode validate`: judges files against the official rules.
//!
//! The JSON output is a contract other tools depend on (DESIGN.md, "Validator JSON
//! contract"): one object per file per line, fields in a fixed order.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use rules::{Report, Severity};
use serde::Serialize;

use crate::input::{self, Input};

/// Output formats of `postbode validate`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum OutputFormat {
    /// For people: a summary line per file and one line per finding.
    Text,
    /// JSON Lines, one object per file.
    Json,
}

/// Arguments of `postbode validate`.
#[derive(clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
    /// Invoice files: UBL or CII XML, or Factur-X/ZUGFeRD PDF.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(Serialize)]
struct JsonLine<'a> {
    file: String,
    syntax: &'a str,
    valid: bool,
    findings: &'a [rules::Finding],
}

/// Runs `postbode validate`: 0 when every file is valid, 1 when any is invalid, 2 when a file
/// could not be read.
pub fn run(args: Args) -> ExitCode {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut any_invalid = false;
    let mut any_io_error = false;
    for path in &args.files {
        let report = match input::read(path) {
            Ok(Input::Xml(bytes)) => rules::validate(&bytes),
            Ok(Input::Unusable(why)) => Report::unreadable(rules::UNREADABLE, why),
            Err(e) => {
                eprintln!("postbode: {}: {e}", path.display());
                any_io_error = true;
                continue;
            }
        };
        any_invalid |= !report.valid();
        let written = match args.format {
            OutputFormat::Json => write_json(&mut out, path, &report),
            OutputFormat::Text => write_text(&mut out, path, &report),
        };
        if let Err(e) = written {
            eprintln!("postbode: writing the report: {e}");
            return ExitCode::from(2);
        }
    }
    if let Err(e) = out.flush() {
        eprintln!("postbode: writing the report: {e}");
        return ExitCode::from(2);
    }
    match (any_io_error, any_invalid) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    }
}

fn write_json(out: &mut impl Write, path: &std::path::Path, report: &Report) -> io::Result<()> {
    let line = JsonLine {
        file: path.display().to_string(),
        syntax: report.syntax,
        valid: report.valid(),
        findings: &report.findings,
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")
}

fn write_text(out: &mut impl Write, path: &std::path::Path, report: &Report) -> io::Result<()> {
    let fatal = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Fatal)
        .count();
    let warnings = report.findings.len() - fatal;
    let verdict = if report.valid() { "valid" } else { "INVALID" };
    writeln!(
        out,
        "{}: {verdict} ({}; {fatal} fatal, {warnings} warning{})",
        path.display(),
        report.syntax,
        if warnings == 1 { "" } else { "s" }
    )?;
    for f in &report.findings {
        let severity = match f.severity {
            Severity::Fatal => "fatal",
            Severity::Warning => "warning",
        };
        writeln!(out, "  {severity:<7} {:<22} {}", f.rule, f.message)?;
        writeln!(out, "  {:<30} at {}", "", f.location)?;
    }
    Ok(())
}

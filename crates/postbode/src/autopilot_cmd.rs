//! `postbode autopilot …` (issue 4): account predictions and their evaluation over CSV files.
//! The work is done by the `autopilot` crate; this file parses flags, opens files and keeps time.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use autopilot::evaluation::{self, EvaluationOptions};
use autopilot::{Autopilot, Error, TrainOptions, csvio};

/// Arguments of `postbode autopilot`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Learn from HISTORY.csv, predict the account of every line of QUERIES.csv.
    Predict {
        /// Posted lines: administration,date,supplier,supplier_id,description,amount,account.
        #[arg(long)]
        history: PathBuf,
        /// Lines to predict: id,administration,date,supplier,supplier_id,description,amount.
        #[arg(long)]
        queries: PathBuf,
        /// Where to write id,account,confidence,auto,top3.
        #[arg(long)]
        output: PathBuf,
        /// Precision that automatically posted lines must reach.
        #[arg(long, default_value_t = 0.99)]
        target_precision: f64,
    },
    /// Rolling monthly evaluation and cold start over labelled postings.
    Evaluate {
        /// Posted lines, as HISTORY.csv.
        #[arg(long)]
        postings: PathBuf,
        /// Test months per administration.
        #[arg(long, default_value_t = 6)]
        months: usize,
        /// Precision that automatically posted lines must reach.
        #[arg(long, default_value_t = 0.99)]
        target_precision: f64,
    },
}

/// Runs `postbode autopilot`.
pub fn run(args: Args) -> ExitCode {
    let result = match args.command {
        Command::Predict {
            history,
            queries,
            output,
            target_precision,
        } => predict(&history, &queries, &output, target_precision),
        Command::Evaluate {
            postings,
            months,
            target_precision,
        } => evaluate(&postings, months, target_precision),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("postbode autopilot: {e}");
            ExitCode::from(2)
        }
    }
}

fn open(path: &Path) -> Result<File, Error> {
    File::open(path).map_err(|e| {
        Error::Io(std::io::Error::new(
            e.kind(),
            format!("{}: {e}", path.display()),
        ))
    })
}

fn check(target_precision: f64) -> Result<(), Error> {
    if target_precision > 0.0 && target_precision < 1.0 {
        Ok(())
    } else {
        Err(Error::TargetPrecision(target_precision))
    }
}

fn predict(
    history: &Path,
    queries: &Path,
    output: &Path,
    target_precision: f64,
) -> Result<(), Error> {
    check(target_precision)?;
    let start = Instant::now();
    let history = csvio::read_history("history", open(history)?)?;
    let queries = csvio::read_queries(open(queries)?)?;
    let read = start.elapsed();
    let engine = Autopilot::train(
        &history,
        &TrainOptions {
            target_precision,
            ..TrainOptions::default()
        },
    );
    let trained = start.elapsed();
    let predictions: Vec<_> = queries
        .iter()
        .map(|q| {
            engine.predict_line(
                &q.posting.administration,
                q.posting.date,
                &q.posting.supplier,
                &q.posting.line,
            )
        })
        .collect();
    let predicted = start.elapsed();
    let out = File::create(output).map_err(|e| {
        Error::Io(std::io::Error::new(
            e.kind(),
            format!("{}: {e}", output.display()),
        ))
    })?;
    csvio::write_predictions(
        BufWriter::new(out),
        queries.iter().map(|q| q.id.as_str()).zip(&predictions),
    )?;
    eprintln!(
        "{} history lines, {} queries: read {:.2} s, trained {:.2} s, predicted {:.2} s",
        history.len(),
        queries.len(),
        read.as_secs_f64(),
        (trained - read).as_secs_f64(),
        (predicted - trained).as_secs_f64()
    );
    Ok(())
}

fn evaluate(postings: &Path, months: usize, target_precision: f64) -> Result<(), Error> {
    check(target_precision)?;
    let start = Instant::now();
    let postings = csvio::read_history("postings", open(postings)?)?;
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let options = EvaluationOptions {
        months,
        target_precision,
        threads,
        ..EvaluationOptions::default()
    };
    println!(
        "{} postings read in {:.1} s",
        postings.len(),
        start.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    println!("{}", evaluation::rolling(&postings, &options));
    println!("time: {:.1} s\n", t.elapsed().as_secs_f64());
    let t = Instant::now();
    println!("{}", evaluation::cold_start(&postings, &options));
    println!("time: {:.1} s", t.elapsed().as_secs_f64());
    Ok(())
}

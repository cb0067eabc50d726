//! What the Autopilot can fail at. Proposals themselves never fail: an invoice the engine
//! knows nothing about gets a low-confidence proposal, not an error.

/// An error reading input or configuring the engine.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A CSV file lacks a column the contract requires.
    #[error("{file}: missing column `{column}` in the header row")]
    MissingColumn {
        /// Which input (`history`, `queries`, `postings`).
        file: &'static str,
        /// The column the contract requires.
        column: &'static str,
    },
    /// A CSV row could not be read or one of its fields is malformed.
    #[error("{file}, line {line}: {reason}")]
    BadRow {
        /// Which input.
        file: &'static str,
        /// 1-based line number in the file.
        line: u64,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// The target precision must lie strictly between 0 and 1.
    #[error("target precision {0} is outside (0, 1); use e.g. 0.99")]
    TargetPrecision(f64),
    /// Reading or writing failed.
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
}

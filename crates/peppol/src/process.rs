//! Process identifiers: the business process a Peppol message belongs to.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::State;
use crate::generated::processes::PROCESSES;
pub use crate::generated::processes::{BIS_BILLING, INVOICE_RESPONSE};

/// The most characters a value may have (Policy for use of Identifiers).
const MAX_VALUE_LEN: usize = 200;

/// The identifier scheme of a process identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProcessScheme {
    /// `cenbii-procid-ubl`, the scheme of Peppol processes.
    CenbiiProcidUbl,
    /// `oioubl-procid-ubl`, the Danish OIOUBL scheme; only removed code-list entries use it.
    OioublProcidUbl,
}

impl ProcessScheme {
    /// The scheme as written in an identifier, e.g. `cenbii-procid-ubl`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProcessScheme::CenbiiProcidUbl => "cenbii-procid-ubl",
            ProcessScheme::OioublProcidUbl => "oioubl-procid-ubl",
        }
    }

    fn from_name(name: &str) -> Option<ProcessScheme> {
        [
            ProcessScheme::CenbiiProcidUbl,
            ProcessScheme::OioublProcidUbl,
        ]
        .into_iter()
        .find(|s| s.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for ProcessScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Peppol process identifier, e.g.
/// `cenbii-procid-ubl::urn:fdc:peppol.eu:2017:poacc:billing:01:1.0`.
///
/// Process identifiers are case-sensitive, so the value is kept as given.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProcessId {
    scheme: ProcessScheme,
    value: Cow<'static, str>,
}

impl ProcessId {
    /// An entry of the code list, which the tests check parses to itself.
    pub(crate) const fn from_code_list(scheme: ProcessScheme, value: &'static str) -> Self {
        ProcessId {
            scheme,
            value: Cow::Borrowed(value),
        }
    }

    /// Reads `cenbii-procid-ubl::<value>` (the scheme in any case), ignoring surrounding
    /// whitespace.
    pub fn parse(text: &str) -> Result<ProcessId, ProcessIdError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ProcessIdError::Empty);
        }
        let Some((scheme, value)) = text.split_once("::") else {
            return Err(ProcessIdError::MissingScheme {
                given: text.to_string(),
            });
        };
        let scheme =
            ProcessScheme::from_name(scheme).ok_or_else(|| ProcessIdError::UnknownScheme {
                scheme: scheme.to_string(),
            })?;
        ProcessId::new(scheme, value)
    }

    /// Checks a value that arrived apart from its scheme, as in an SBDH or SMP document.
    pub fn new(scheme: ProcessScheme, value: &str) -> Result<Self, ProcessIdError> {
        if value.is_empty() {
            return Err(ProcessIdError::MissingValue);
        }
        if let Some(ch) = crate::outside_latin1(value) {
            return Err(ProcessIdError::NotLatin1 { ch });
        }
        let length = value.chars().count();
        if length > MAX_VALUE_LEN {
            return Err(ProcessIdError::TooLong { length });
        }
        if value.chars().any(char::is_whitespace) {
            return Err(ProcessIdError::Whitespace {
                value: value.to_string(),
            });
        }
        Ok(ProcessId {
            scheme,
            value: Cow::Owned(value.to_string()),
        })
    }

    /// The identifier scheme.
    pub fn scheme(&self) -> ProcessScheme {
        self.scheme
    }

    /// The value, without the scheme.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The code list's entry for this identifier, if it has one.
    pub fn entry(&self) -> Option<&'static Process> {
        PROCESSES
            .binary_search_by(|p| (p.id.scheme, p.id.value()).cmp(&(self.scheme, self.value())))
            .ok()
            .and_then(|i| PROCESSES.get(i))
    }
}

/// `cenbii-procid-ubl::<value>`: the full form.
impl fmt::Display for ProcessId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}::{}", self.scheme, self.value)
    }
}

impl FromStr for ProcessId {
    type Err = ProcessIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProcessId::parse(s)
    }
}

crate::text_serde!(ProcessId);

/// A process of the Peppol code list.
#[derive(Debug)]
pub struct Process {
    /// The identifier.
    pub id: ProcessId,
    /// Whether it may still be used.
    pub state: State,
}

impl Process {
    /// Every process of the code list, sorted by scheme and value.
    pub fn all() -> &'static [Process] {
        &PROCESSES
    }
}

/// Why a text is not a Peppol process identifier.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProcessIdError {
    /// Nothing but whitespace.
    #[error("the process id is empty")]
    Empty,
    /// No `::` after a scheme.
    #[error("{given:?} has no scheme: write cenbii-procid-ubl:: before it")]
    MissingScheme {
        /// The text as given.
        given: String,
    },
    /// A scheme Peppol does not use for processes.
    #[error("{scheme:?} is not a Peppol process scheme: use cenbii-procid-ubl")]
    UnknownScheme {
        /// The scheme as given.
        scheme: String,
    },
    /// Nothing after the scheme.
    #[error("the process id has no value after its scheme")]
    MissingValue,
    /// A character outside ISO-8859-1.
    #[error("the process id contains {ch:?}, which is not in ISO-8859-1")]
    NotLatin1 {
        /// The first such character.
        ch: char,
    },
    /// Longer than the Policy for use of Identifiers allows.
    #[error("the process id is {length} characters long; Peppol allows at most 200")]
    TooLong {
        /// The value's length in characters.
        length: usize,
    },
    /// Whitespace inside the value (POLICY 25).
    #[error("the process id {value:?} contains whitespace")]
    Whitespace {
        /// The value as given.
        value: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bis_billing_process() {
        let id = ProcessId::parse("cenbii-procid-ubl::urn:fdc:peppol.eu:2017:poacc:billing:01:1.0")
            .unwrap();
        assert_eq!(id, BIS_BILLING);
        assert_eq!(
            id.to_string(),
            "cenbii-procid-ubl::urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
        );
        assert_eq!(id.entry().unwrap().state, State::Active);
        assert_eq!(INVOICE_RESPONSE.entry().unwrap().state, State::Active);
    }

    #[test]
    fn the_table_is_sorted_for_binary_search() {
        let key = |p: &'static Process| (p.id.scheme, p.id.value());
        assert!(Process::all().windows(2).all(|w| key(&w[0]) < key(&w[1])));
    }

    #[test]
    fn errors() {
        let err = |s: &str| ProcessId::parse(s).unwrap_err();
        assert_eq!(err("  "), ProcessIdError::Empty);
        assert!(matches!(err("urn:x"), ProcessIdError::MissingScheme { .. }));
        assert!(matches!(
            err("bii::urn:x"),
            ProcessIdError::UnknownScheme { .. }
        ));
        assert_eq!(err("cenbii-procid-ubl::"), ProcessIdError::MissingValue);
        assert!(matches!(
            err("cenbii-procid-ubl::urn: x"),
            ProcessIdError::Whitespace { .. }
        ));
        assert_eq!(
            err("cenbii-procid-ubl::urn:€"),
            ProcessIdError::NotLatin1 { ch: '€' }
        );
        let long = format!("cenbii-procid-ubl::{}", "x".repeat(201));
        assert_eq!(err(&long), ProcessIdError::TooLong { length: 201 });
        assert!(ProcessId::parse(&format!("cenbii-procid-ubl::{}", "x".repeat(200))).is_ok());
    }
}

//! Participant identifiers: the Peppol address of an organisation, e.g. `0106:12345678`.

use std::fmt;
use std::str::FromStr;

use crate::State;
use crate::scheme::Scheme;

/// The identifier scheme of every Peppol participant identifier.
pub const SCHEME: &str = "iso6523-actorid-upis";

/// The most characters a value may have after the ICD and its colon (Policy for use of
/// Identifiers 4.4: at most 135 in all, of which the ICD and colon take five).
const MAX_VALUE_LEN: usize = 130;

/// A Peppol participant identifier: a scheme of the code list and the number within it.
///
/// Only [`ParticipantId::parse`] makes one, so every value has passed its scheme's checks.
/// The number is kept in lowercase: the Policy for use of Identifiers makes participant
/// identifiers case-insensitive, and lowercase is the form SML and SMP lookups use, so two
/// spellings of one identifier compare equal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ParticipantId {
    scheme: &'static Scheme,
    value: String,
}

impl ParticipantId {
    /// Reads `0106:12345678`, or the full form `iso6523-actorid-upis::0106:12345678` (the
    /// scheme in any case), ignoring surrounding whitespace.
    ///
    /// The ICD must be in the code list and its scheme active; the number must hold only the
    /// characters the Policy for use of Identifiers allows, have the structure the code list
    /// gives and pass the scheme's check digits. The error says which, in words for the
    /// person who typed the number.
    pub fn parse(text: &str) -> Result<ParticipantId, ParticipantIdError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ParticipantIdError::Empty);
        }
        let bare = match text.split_once("::") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case(SCHEME) => rest,
            Some((scheme, _)) => {
                return Err(ParticipantIdError::WrongScheme {
                    scheme: scheme.to_string(),
                });
            }
            None => text,
        };
        let Some((icd, value)) = bare.split_once(':') else {
            return Err(ParticipantIdError::NoIcd {
                given: text.to_string(),
            });
        };
        let scheme = Scheme::by_icd(icd).ok_or_else(|| ParticipantIdError::UnknownIcd {
            icd: icd.to_string(),
        })?;
        match scheme.state {
            State::Active => {}
            State::Deprecated => return Err(ParticipantIdError::Deprecated { scheme }),
            State::Removed => return Err(ParticipantIdError::Removed { scheme }),
        }
        check_value(scheme, value)?;
        Ok(ParticipantId {
            scheme,
            value: value.to_ascii_lowercase(),
        })
    }

    /// The scheme, e.g. 0106 (NL:KVK).
    pub fn scheme(&self) -> &'static Scheme {
        self.scheme
    }

    /// The number within the scheme, in lowercase, e.g. `12345678`.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The full form with the identifier scheme: `iso6523-actorid-upis::0106:12345678`.
    pub fn full(&self) -> String {
        format!("{SCHEME}::{self}")
    }
}

/// The checks of the number itself, in the order a person would fix them.
fn check_value(scheme: &'static Scheme, value: &str) -> Result<(), ParticipantIdError> {
    let owned = || value.to_string();
    if value.is_empty() {
        return Err(ParticipantIdError::MissingNumber { scheme });
    }
    if let Some(ch) = value.chars().find(|&c| !allowed(c)) {
        return Err(ParticipantIdError::Character {
            scheme,
            value: owned(),
            ch,
        });
    }
    // Every character is ASCII now, so bytes are characters.
    if value.len() > MAX_VALUE_LEN {
        return Err(ParticipantIdError::TooLong {
            scheme,
            length: value.len(),
        });
    }
    if let Some(pattern) = &scheme.pattern
        && !pattern.matches(value)
    {
        return Err(ParticipantIdError::Structure {
            scheme,
            value: owned(),
            shape: pattern.shape(),
        });
    }
    if !scheme.check.passes(value) {
        return Err(match scheme.check.correct_ending(value) {
            Some(ending) => ParticipantIdError::CheckDigit {
                scheme,
                value: owned(),
                ending,
            },
            None => ParticipantIdError::CheckDigits {
                scheme,
                value: owned(),
            },
        });
    }
    Ok(())
}

/// The characters the Policy for use of Identifiers allows in a participant identifier.
fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')
}

/// `0106:12345678`: the ICD, a colon and the number.
impl fmt::Display for ParticipantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.scheme.icd, self.value)
    }
}

impl FromStr for ParticipantId {
    type Err = ParticipantIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ParticipantId::parse(s)
    }
}

crate::text_serde!(ParticipantId);

/// Why a text is not a usable Peppol participant identifier.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParticipantIdError {
    /// Nothing but whitespace.
    #[error("the participant id is empty")]
    Empty,
    /// No colon between the scheme code and the number.
    #[error(
        "{given:?} has no scheme code: write the scheme's 4-digit code, a colon and the number, \
         e.g. 0106:12345678 for a KvK number"
    )]
    NoIcd {
        /// The text as given.
        given: String,
    },
    /// An identifier scheme other than `iso6523-actorid-upis` before `::`.
    #[error(
        "{scheme:?} is not the Peppol participant identifier scheme: write \
         iso6523-actorid-upis:: or leave it out"
    )]
    WrongScheme {
        /// The scheme as given.
        scheme: String,
    },
    /// The code before the colon is not in the code list.
    #[error(
        "{icd:?} is not a scheme in the Peppol code list: use its 4-digit ISO 6523 code, \
         e.g. 0106 for a KvK number"
    )]
    UnknownIcd {
        /// The code as given.
        icd: String,
    },
    /// The scheme is deprecated.
    #[error(
        "{scheme} is deprecated in the Peppol code list{}; use another scheme",
        deprecation(.scheme)
    )]
    Deprecated {
        /// The scheme.
        scheme: &'static Scheme,
    },
    /// The scheme was removed.
    #[error(
        "{scheme} was removed from the Peppol code list{}; it can no longer be used",
        removal(.scheme)
    )]
    Removed {
        /// The scheme.
        scheme: &'static Scheme,
    },
    /// Nothing after the colon.
    #[error("{scheme}: the number after the scheme code is missing")]
    MissingNumber {
        /// The scheme.
        scheme: &'static Scheme,
    },
    /// A character the Policy for use of Identifiers does not allow.
    #[error(
        "{scheme}: {value:?} contains {ch:?}; a Peppol participant id holds only letters, \
         digits, '-', '.', '_' and '~'"
    )]
    Character {
        /// The scheme.
        scheme: &'static Scheme,
        /// The number as given.
        value: String,
        /// The first character not allowed.
        ch: char,
    },
    /// Longer than the Policy for use of Identifiers allows.
    #[error("{scheme}: the number is {length} characters long; Peppol allows at most 130")]
    TooLong {
        /// The scheme.
        scheme: &'static Scheme,
        /// The number's length.
        length: usize,
    },
    /// Not the structure the code list gives for the scheme.
    #[error("{scheme}: {value} should be {shape}")]
    Structure {
        /// The scheme.
        scheme: &'static Scheme,
        /// The number as given.
        value: String,
        /// The structure in words, e.g. `8 digits`.
        shape: &'static str,
    },
    /// The check digits at the end are wrong, and exactly one ending would be right.
    #[error(
        "{scheme}: the check {} wrong: {value} should end in {ending}",
        digits_are(.ending)
    )]
    CheckDigit {
        /// The scheme.
        scheme: &'static Scheme,
        /// The number as given.
        value: String,
        /// The ending that passes the check.
        ending: String,
    },
    /// The check digits are wrong (they are not at the end, or no single ending fixes them).
    #[error(
        "{scheme}: the check digits are wrong: {value} is not a valid number; look for a typing error"
    )]
    CheckDigits {
        /// The scheme.
        scheme: &'static Scheme,
        /// The number as given.
        value: String,
    },
}

/// `digit is` or `digits are`, for the length of `ending`.
fn digits_are(ending: &str) -> &'static str {
    if ending.len() == 1 {
        "digit is"
    } else {
        "digits are"
    }
}

/// ` (since release 9.6; removal date 2026-07-07)`, or as much of it as the list gives.
fn deprecation(scheme: &Scheme) -> String {
    let parts: Vec<String> = [
        scheme.deprecated_in.map(|r| format!("since release {r}")),
        scheme.removal_date.map(|d| format!("removal date {d}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join("; "))
    }
}

/// ` on 2023-12-31`, when the list gives the date.
fn removal(scheme: &Scheme) -> String {
    scheme
        .removal_date
        .map(|d| format!(" on {d}"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str) -> String {
        ParticipantId::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn short_and_full_forms() {
        let id = ParticipantId::parse("0106:12345678").unwrap();
        assert_eq!(id.to_string(), "0106:12345678");
        assert_eq!(id.full(), "iso6523-actorid-upis::0106:12345678");
        assert_eq!(id.scheme().id, "NL:KVK");
        assert_eq!(id.value(), "12345678");
        let full = ParticipantId::parse("  ISO6523-ACTORID-UPIS::0106:12345678\n").unwrap();
        assert_eq!(full, id);
        assert_eq!("0106:12345678".parse::<ParticipantId>().unwrap(), id);
    }

    #[test]
    fn values_are_case_insensitive() {
        let upper = ParticipantId::parse("9944:NL123456789B01").unwrap();
        let lower = ParticipantId::parse("9944:nl123456789b01").unwrap();
        assert_eq!(upper, lower);
        assert_eq!(upper.to_string(), "9944:nl123456789b01");
    }

    #[test]
    fn dutch_identifiers() {
        assert!(ParticipantId::parse("0190:00000001820029336000").is_ok());
        assert_eq!(
            message("0190:0000000182002933600"),
            "0190 (NL:OINO): 0000000182002933600 should be 20 digits"
        );
        assert_eq!(
            message("0106:000000000000012345"),
            "0106 (NL:KVK): 000000000000012345 should be 8 digits"
        );
        assert_eq!(
            message("9944:NL123456789"),
            "9944 (NL:VAT): NL123456789 should be 'NL', then 9 digits, then 'B', then 2 digits"
        );
        assert_eq!(
            message("9954:00000001820029336000"),
            "9954 (NL:OIN) was removed from the Peppol code list on 2026-03-31; \
             it can no longer be used"
        );
    }

    #[test]
    fn check_digit_messages() {
        assert_eq!(
            message("0088:8712345678900"),
            "0088 (GLN): the check digit is wrong: 8712345678900 should end in 6"
        );
        assert_eq!(
            message("0208:0411905800"),
            "0208 (BE:EN): the check digits are wrong: 0411905800 should end in 47"
        );
        assert_eq!(
            message("0151:51824753557"),
            "0151 (AU:ABN): the check digits are wrong: 51824753557 is not a valid number; \
             look for a typing error"
        );
        assert!(ParticipantId::parse("0088:8712345678906").is_ok());
    }

    #[test]
    fn form_messages() {
        assert_eq!(message(" \t"), "the participant id is empty");
        assert_eq!(
            message("12345678"),
            "\"12345678\" has no scheme code: write the scheme's 4-digit code, a colon and \
             the number, e.g. 0106:12345678 for a KvK number"
        );
        assert_eq!(
            message("busdox-actorid-upis::0106:12345678"),
            "\"busdox-actorid-upis\" is not the Peppol participant identifier scheme: write \
             iso6523-actorid-upis:: or leave it out"
        );
        assert_eq!(
            message("KVK:12345678"),
            "\"KVK\" is not a scheme in the Peppol code list: use its 4-digit ISO 6523 code, \
             e.g. 0106 for a KvK number"
        );
        assert_eq!(
            message("0106:"),
            "0106 (NL:KVK): the number after the scheme code is missing"
        );
        assert_eq!(
            message("0106:1234 5678"),
            "0106 (NL:KVK): \"1234 5678\" contains ' '; a Peppol participant id holds only \
             letters, digits, '-', '.', '_' and '~'"
        );
        assert_eq!(
            message(&format!("9914:{}", "a".repeat(131))),
            "9914 (AT:VAT): the number is 131 characters long; Peppol allows at most 130"
        );
        assert!(ParticipantId::parse(&format!("9914:{}", "a".repeat(130))).is_ok());
    }

    #[test]
    fn deprecated_schemes_say_so() {
        assert_eq!(
            message("0193:abcd1234"),
            "0193 (UBLBE) is deprecated in the Peppol code list (since release 9.6; removal \
             date 2026-07-07); use another scheme"
        );
        assert_eq!(
            message("9912:NL123456789B01"),
            "9912 (EU:VAT) is deprecated in the Peppol code list (since release 1.1.0); \
             use another scheme"
        );
    }
}

//! Leaf values of the model: text exactly as it stood in the source, with its position.
//!
//! The rules judge the lexical form (BR-DEC counts the decimals that were written, BR-CO-10
//! sums what was written), so the model keeps the text and parses on demand instead of
//! storing a parsed number and losing what the sender actually sent.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// Where a value came from: the id of its element or attribute owner in the source tree.
///
/// `Pos::NONE` marks a value that was built in memory (for example by a converter) and
/// has no source element.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pos(pub u32);

impl Pos {
    /// The position of a value that has no source element.
    pub const NONE: Pos = Pos(0);

    /// Whether this value came from a source element.
    pub fn is_some(self) -> bool {
        self != Pos::NONE
    }
}

/// A text value and the element it came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    /// The text content as written, entity references resolved, whitespace untouched.
    pub value: String,
    /// The element that holds it.
    pub at: Pos,
}

impl Text {
    /// A value built in memory, with no source position.
    pub fn new(value: impl Into<String>) -> Self {
        Text {
            value: value.into(),
            at: Pos::NONE,
        }
    }

    /// A value read from the source element `at`.
    pub fn at(value: impl Into<String>, at: Pos) -> Self {
        Text {
            value: value.into(),
            at,
        }
    }

    /// The value with leading and trailing whitespace removed.
    pub fn trim(&self) -> &str {
        self.value.trim()
    }

    /// True when the value is empty after XPath `normalize-space`.
    pub fn is_blank(&self) -> bool {
        self.value.trim().is_empty()
    }

    /// The value as an `xs:decimal`, or `None` when it is not one lexically.
    pub fn decimal(&self) -> Option<Decimal> {
        parse_xs_decimal(&self.value)
    }

    /// How many digits stand after the decimal point, as written.
    ///
    /// Mirrors the official `string-length(substring-after(., '.'))`: everything after the
    /// first `.` counts, including trailing whitespace the sender left in.
    pub fn fraction_digits(&self) -> usize {
        match self.value.split_once('.') {
            Some((_, after)) => after.chars().count(),
            None => 0,
        }
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.value)
    }
}

/// Parses the lexical space of `xs:decimal`: optional sign, digits, optional fraction, with
/// surrounding whitespace allowed (the schema collapses it). No exponent, no `NaN`.
pub fn parse_xs_decimal(raw: &str) -> Option<Decimal> {
    let s = raw.trim();
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits_only = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() && frac.is_empty() || !digits_only(int) || !digits_only(frac) {
        return None;
    }
    // rust_decimal keeps 28 significant digits; longer literals are rounded, which is what
    // a finite-precision xs:decimal implementation does too.
    let normalised = if s.starts_with('+') { &s[1..] } else { s };
    Decimal::from_str(normalised)
        .or_else(|_| Decimal::from_scientific(&format!("{normalised}e0")))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_follow_the_xsd_lexical_space() {
        assert_eq!(parse_xs_decimal(" 12.50 "), Some(Decimal::new(1250, 2)));
        assert_eq!(parse_xs_decimal("-.5"), Some(Decimal::new(-5, 1)));
        assert_eq!(parse_xs_decimal("+3."), Some(Decimal::new(3, 0)));
        for bad in ["", ".", "1e3", "1,5", "--1", "NaN", "1 000", "+-1"] {
            assert_eq!(parse_xs_decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn fraction_digits_count_what_was_written() {
        assert_eq!(Text::new("1.230").fraction_digits(), 3);
        assert_eq!(Text::new("100").fraction_digits(), 0);
    }
}

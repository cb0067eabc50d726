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
        trim(&self.value)
    }

    /// True when the value is empty after XPath `normalize-space`.
    pub fn is_blank(&self) -> bool {
        is_xml_whitespace(&self.value)
    }

    /// The value as an `xs:decimal`, or `None` when it is not one lexically.
    pub fn decimal(&self) -> Option<Decimal> {
        parse_xs_decimal(&self.value)
    }

    /// The value as a calendar date: UBL's `YYYY-MM-DD` or CII's format 102 `YYYYMMDD`.
    pub fn date(&self) -> Option<Date> {
        Date::parse(self.trim())
    }

    /// The value cast with `xs:date`, as the official UBL rules compare dates: a time zone
    /// is allowed (see [`Date::parse_xs`]).
    pub fn xs_date(&self) -> Option<Date> {
        Date::parse_xs(self.trim())
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

/// `s` without leading and trailing XML whitespace (space, tab, CR, LF): what XPath's
/// `normalize-space` removes at the ends. Other Unicode spaces, such as the no-break space
/// U+00A0 that a sender's template may leave around a code, are content to the official rules
/// (`'S '` with a no-break space is not the VAT category `S`), so they stay.
///
/// Works on bytes: the four whitespace characters are ASCII, and an ASCII byte is never part
/// of a longer UTF-8 sequence, so the ends found are character boundaries. Decoding characters
/// cost a few hundred instructions for a value with a run of whitespace at an end, such as the
/// indentation text before an element.
pub fn trim(s: &str) -> &str {
    let bytes = s.as_bytes();
    let start = bytes.iter().position(|&b| !is_xml_space_byte(b));
    let Some(start) = start else {
        return "";
    };
    let end = bytes
        .iter()
        .rposition(|&b| !is_xml_space_byte(b))
        .map_or(start, |i| i + 1);
    s.get(start..end).unwrap_or("")
}

/// Whether `s` is empty after [`trim`]: nothing but XML whitespace.
pub fn is_xml_whitespace(s: &str) -> bool {
    s.bytes().all(is_xml_space_byte)
}

/// The words of `s` as `normalize-space` separates them: runs of anything but XML whitespace.
pub fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_xml_space).filter(|w| !w.is_empty())
}

/// XPath `normalize-space(s)`: the [`words`] of `s` joined by single spaces.
pub fn normalize_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in words(s) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn is_xml_space(c: char) -> bool {
    u8::try_from(c).is_ok_and(is_xml_space_byte)
}

/// Whether byte `b` is XML whitespace (space, tab, CR, LF), all of it ASCII.
pub fn is_xml_space_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// A calendar date, ordered chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31 and valid for the month.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD` (UBL, `xs:date` without time zone) or `YYYYMMDD` (CII format 102).
    pub fn parse(s: &str) -> Option<Date> {
        if !s.is_ascii() {
            return None;
        }
        let b = s.as_bytes();
        let (y, m, d) = match b.len() {
            10 if b[4] == b'-' && b[7] == b'-' => (&s[0..4], &s[5..7], &s[8..10]),
            8 => (&s[0..4], &s[4..6], &s[6..8]),
            _ => return None,
        };
        let num = |p: &str| {
            p.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| p.parse::<u16>().ok())
                .flatten()
        };
        let (year, month, day) = (num(y)?, num(m)?, num(d)?);
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&day).then_some(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// Parses `xs:date` as the official UBL rules cast a date: `YYYY-MM-DD`, optionally
    /// followed by a time zone (`Z`, `+01:00`). The date is returned without its zone, which
    /// two dates of an invoice compared by calendar day do not need.
    pub fn parse_xs(s: &str) -> Option<Date> {
        let (date, zone) = s.split_at_checked(10)?;
        let zone_ok = match zone.as_bytes() {
            [] | [b'Z'] => true,
            [b'+' | b'-', h1, h2, b':', m1, m2] => {
                let digit = |c: &u8| c.is_ascii_digit().then(|| c - b'0');
                match [h1, h2, m1, m2].map(digit) {
                    [Some(h1), Some(h2), Some(m1), Some(m2)] => {
                        let (hours, minutes) = (h1 * 10 + h2, m1 * 10 + m2);
                        minutes < 60 && (hours < 14 || (hours == 14 && minutes == 0))
                    }
                    _ => false,
                }
            }
            _ => false,
        };
        if zone_ok && date.as_bytes().get(4) == Some(&b'-') {
            Date::parse(date)
        } else {
            None
        }
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `YYYYMMDD` (CII format 102).
    pub fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

/// Parses the lexical space of `xs:decimal`: optional sign, digits, optional fraction, with
/// surrounding whitespace allowed (the schema collapses it). No exponent, no `NaN`.
///
/// rust_decimal keeps 28 significant digits; longer literals are rounded, which is what a
/// finite-precision xs:decimal implementation does too.
pub fn parse_xs_decimal(raw: &str) -> Option<Decimal> {
    let s = trim(raw);
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    // Amounts are short: a byte search beats the generic string pattern searcher here.
    let (int, frac) = match body.bytes().position(|b| b == b'.') {
        Some(dot) => (body.get(..dot)?, body.get(dot + 1..)?),
        None => (body, ""),
    };
    let digits_only = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() && frac.is_empty() || !digits_only(int) || !digits_only(frac) {
        return None;
    }
    // Every amount of an invoice is read this way, many per line: up to 28 digits the
    // mantissa fits rust_decimal exactly and is built in place; only longer literals take
    // the library's parser, which rounds them.
    if int.len() + frac.len() <= MAX_EXACT_DIGITS {
        let digits = int.bytes().chain(frac.bytes());
        // 128-bit arithmetic costs several instructions per digit; amounts of up to 19 digits
        // (all real ones) fit 64 bits.
        let mantissa = if int.len() + frac.len() <= MAX_U64_DIGITS {
            u128::from(digits.fold(0u64, |m, b| m * 10 + u64::from(b - b'0')))
        } else {
            digits.fold(0u128, |m, b| m * 10 + u128::from(b - b'0'))
        };
        let scale = u32::try_from(frac.len()).ok()?;
        let mut value = Decimal::from_i128_with_scale(i128::try_from(mantissa).ok()?, scale);
        // As the library does, zero is never negative ("-0.00" reads as 0.00).
        value.set_sign_negative(negative && mantissa != 0);
        return Some(value);
    }
    let normalised = s.strip_prefix('+').unwrap_or(s);
    Decimal::from_str(normalised)
        .or_else(|_| Decimal::from_scientific(&format!("{normalised}e0")))
        .ok()
}

/// The most digits whose value (below 10^28) and scale (at most 28) rust_decimal holds as
/// they are.
const MAX_EXACT_DIGITS: usize = 28;

/// The most decimal digits whose value always fits a `u64`.
const MAX_U64_DIGITS: usize = 19;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The byte-level trim agrees with trimming characters, around multi-byte characters
        /// and the no-break space that is content.
        #[test]
        fn trim_agrees_with_trimming_characters(s in "[ \t\r\na\u{a0}\u{e9}\u{3000}]{0,12}") {
            let xml_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
            prop_assert_eq!(trim(&s), s.trim_matches(xml_space));
            prop_assert_eq!(is_xml_whitespace(&s), s.trim_matches(xml_space).is_empty());
        }
    }

    #[test]
    fn trim_removes_xml_whitespace_only() {
        let xml_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\n\t 12.50 \r",
            "12.50",
            "é",
            "aé",
            "éa",
            "~!",
            " ~",
            "~ ",
        ] {
            assert_eq!(trim(s), s.trim_matches(xml_space), "{s:?}");
            assert_eq!(trim(s), s.trim(), "{s:?}");
            assert_eq!(is_xml_whitespace(s), trim(s).is_empty(), "{s:?}");
        }
        // Other spaces are content, as they are to normalize-space.
        assert_eq!(trim("\u{a0}a"), "\u{a0}a");
        assert_eq!(trim(" S\u{a0}\n"), "S\u{a0}");
        assert_eq!(trim("\u{3000}x\u{2028}"), "\u{3000}x\u{2028}");
        assert_eq!(trim("\u{b}1\u{c}"), "\u{b}1\u{c}");
        assert!(!is_xml_whitespace("\u{a0}") && !is_xml_whitespace(" \u{3000}\n"));
    }

    #[test]
    fn xs_dates_may_carry_a_time_zone() {
        let day = Date::parse("2007-01-31");
        assert!(day.is_some());
        for ok in [
            "2007-01-31",
            "2007-01-31Z",
            "2007-01-31+01:00",
            "2007-01-31-14:00",
        ] {
            assert_eq!(Date::parse_xs(ok), day, "{ok}");
        }
        for bad in [
            "20070131",
            "2007-01-31z",
            "2007-01-31+1:00",
            "2007-01-31+14:30",
            "2007-01-31+01:60",
            "2007-02-30Z",
            "2007-01-31 ",
            "é007-01-31",
        ] {
            assert_eq!(Date::parse_xs(bad), None, "{bad}");
        }
    }

    #[test]
    fn words_split_on_xml_whitespace_only() {
        assert_eq!(words(" a\tb\n\rc ").collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(words("a\u{a0}b").collect::<Vec<_>>(), ["a\u{a0}b"]);
        assert_eq!(words(" \n ").count(), 0);
        assert_eq!(normalize_space("\t a \n b\u{a0} "), "a b\u{a0}");
        assert_eq!(normalize_space(" \r\n"), "");
    }

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
    fn decimals_keep_the_written_scale_and_sign() {
        for (raw, expected) in [
            ("-0.00", "0.00"),
            ("0", "0"),
            ("000123.4500", "123.4500"),
            ("+.25", "0.25"),
            (
                "9999999999999999999999999999",
                "9999999999999999999999999999",
            ),
            (
                "0.0000000000000000000000000001",
                "0.0000000000000000000000000001",
            ),
        ] {
            let value = parse_xs_decimal(raw).map(|d| d.to_string());
            assert_eq!(value.as_deref(), Some(expected), "{raw:?}");
            let library = Decimal::from_str(raw.trim_start_matches('+')).map(|d| d.to_string());
            assert_eq!(value, library.ok(), "{raw:?}");
        }
    }

    #[test]
    fn decimals_past_28_digits_are_rounded_as_the_library_does() {
        for raw in [
            "1.23456789012345678901234567891",
            "-0.00000000000000000000000000015",
            "12345678901234567890.1234567890123",
            "79228162514264337593543950335",
        ] {
            assert_eq!(
                parse_xs_decimal(raw),
                Decimal::from_str(raw)
                    .or_else(|_| Decimal::from_scientific(&format!("{raw}e0")))
                    .ok(),
                "{raw:?}"
            );
            assert!(parse_xs_decimal(raw).is_some(), "{raw:?}");
        }
        assert_eq!(parse_xs_decimal("792281625142643375935439503350"), None);
    }

    #[test]
    fn dates_in_both_syntaxes() {
        let d = Date {
            year: 2024,
            month: 2,
            day: 29,
        };
        assert_eq!(Date::parse("2024-02-29"), Some(d));
        assert_eq!(Date::parse("20240229"), Some(d));
        assert_eq!(d.iso(), "2024-02-29");
        assert_eq!(d.compact(), "20240229");
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "2024/01/01",
            "",
            "２０２４0101",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn fraction_digits_count_what_was_written() {
        assert_eq!(Text::new("1.230").fraction_digits(), 3);
        assert_eq!(Text::new("100").fraction_digits(), 0);
    }
}

//! Numbers the way the official XPath tests see them.
//!
//! `xs:decimal(x)` of an absent element is the empty sequence (every comparison with it is
//! false); of a malformed one it is a dynamic error that stops the official validation. Both
//! make the rule under test fail here: [`Bad`] carries the error, absent values are `None`.
//! Arithmetic is checked, and an overflow is treated like a malformed value, because an
//! amount beyond 28 significant digits cannot be judged exactly.

use einvoice::{Amount, Text};
use rust_decimal::Decimal;

/// A value could not be cast to `xs:decimal`, or the arithmetic on it overflowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Bad;

/// The cast result of one value.
pub(super) type Num = Result<Decimal, Bad>;

/// `xs:decimal(t)`.
pub(super) fn of(t: &Text) -> Num {
    t.decimal().ok_or(Bad)
}

/// `xs:decimal(t)` of an optional value: `Ok(None)` when absent.
pub(super) fn opt(t: Option<&Text>) -> Result<Option<Decimal>, Bad> {
    t.map(of).transpose()
}

/// The cast of an untyped value to `xs:double`, as XPath does when it compares one with a
/// number: surrounding whitespace is allowed, exponents and `INF`, `-INF`, `NaN` are.
pub(super) fn double(raw: &str) -> Option<f64> {
    let s = einvoice::value::trim(raw);
    match s {
        "INF" | "+INF" => return Some(f64::INFINITY),
        "-INF" => return Some(f64::NEG_INFINITY),
        "NaN" => return Some(f64::NAN),
        _ => {}
    }
    // Rust also reads `inf`, `infinity` and `nan`, which `xs:double` does not.
    let lexical = s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'));
    if lexical { s.parse().ok() } else { None }
}

/// How the official run orders an untyped value against the integer literal `n`, as in
/// `PriceAmount >= 0` or `RateApplicablePercent = 0`. `None` when the value is no number, which
/// stops the official run, or is NaN, which is unordered.
///
/// XPath casts the untyped value to `xs:double`, where zero has a sign; SaxonC-HE 13 keeps
/// that sign in the comparison and puts a negative zero below zero (`'-0.00' = 0` and
/// `'-0.00' >= 0` are false, `'-0.00' < 0` is true), except for a value written as an integer,
/// which it compares as one (`'-0' = 0` is true).
pub(super) fn untyped_cmp(raw: &str, n: i64) -> Option<std::cmp::Ordering> {
    // `i128`'s parser accepts exactly the integer form: a sign and ASCII digits.
    if let Ok(i) = einvoice::value::trim(raw).parse::<i128>() {
        return Some(i.cmp(&i128::from(n)));
    }
    double(raw)
        .filter(|d| !d.is_nan())
        .map(|d| d.total_cmp(&(n as f64)))
}

/// `xs:decimal` of an optional amount.
pub(super) fn amount(a: Option<&Amount>) -> Result<Option<Decimal>, Bad> {
    opt(a.map(|a| &a.value))
}

/// `sum(...)` over the present values; a malformed one poisons the sum.
pub(super) fn sum<'a>(values: impl IntoIterator<Item = Option<&'a Text>>) -> Num {
    values
        .into_iter()
        .flatten()
        .try_fold(Decimal::ZERO, |acc, t| add(acc, of(t)?))
}

/// Checked `a + b`.
pub(super) fn add(a: Decimal, b: Decimal) -> Num {
    a.checked_add(b).ok_or(Bad)
}

/// Checked `a - b`.
pub(super) fn sub(a: Decimal, b: Decimal) -> Num {
    a.checked_sub(b).ok_or(Bad)
}

/// Checked `a * b`.
pub(super) fn mul(a: Decimal, b: Decimal) -> Num {
    a.checked_mul(b).ok_or(Bad)
}

/// XPath `round(x)`: the nearest integer, halves rounded towards positive infinity.
pub(super) fn round(x: Decimal) -> Num {
    Ok(add(x, Decimal::new(5, 1))?.floor())
}

/// `round(x * 10 * 10) div 100`, the official rounding to two decimals.
pub(super) fn round2(x: Decimal) -> Num {
    let hundred = Decimal::ONE_HUNDRED;
    round(mul(x, hundred)?)?.checked_div(hundred).ok_or(Bad)
}

/// `total = round(sum(values) * 10 * 10) div 100` where the values are summed untyped, so as
/// `xs:double`: how the CII Schematron writes BR-CO-11, BR-CO-12 and BR-CO-14 (the UBL rules
/// cast to `xs:decimal` first).
///
/// Beyond what [`round2`] models, a double has a negative zero: a sum of values that are all
/// written as a negative zero is `-0`, and so is a negative sum that rounds to zero (the sum of
/// no values is the integer 0, which has no sign). Saxon's comparison of an untyped value with
/// a double tells the two zeros apart (`'0.00' = -0.0e0` and `'-0' = 0.0e0` are false,
/// `'-0.00' = -0.0e0` is true, in SaxonC-HE 13), so a zero total holds only with the sign of
/// the rounded sum.
pub(super) fn equals_double_sum<'a>(
    total: &Text,
    values: impl IntoIterator<Item = Option<&'a Text>>,
) -> Result<bool, Bad> {
    let (mut sum, mut count, mut all_negative_zeros) = (Decimal::ZERO, 0usize, true);
    for t in values.into_iter().flatten() {
        let v = of(t)?;
        sum = add(sum, v)?;
        count += 1;
        all_negative_zeros &= v.is_zero() && written_negative(t);
    }
    let rounded = round2(sum)?;
    let written = of(total)?;
    if written != rounded {
        return Ok(false);
    }
    if !rounded.is_zero() {
        return Ok(true);
    }
    // The sum of nothing is the integer 0, so the total meets a number without a sign, as in
    // `'-0.00' = 0`: a negative zero is below it unless written as an integer.
    if count == 0 {
        return Ok(untyped_cmp(&total.value, 0) == Some(std::cmp::Ordering::Equal));
    }
    let sum_negative = sum < Decimal::ZERO || all_negative_zeros;
    Ok(written_negative(total) == sum_negative)
}

/// Whether an untyped number is written with a minus sign (so, cast to `xs:double`, a zero
/// is a negative zero).
fn written_negative(t: &Text) -> bool {
    t.trim().starts_with('-')
}

/// `x * (percent div 100)`, rounded to two decimals: the VAT on a base at a rate.
pub(super) fn vat_of(base: Decimal, percent: Decimal) -> Num {
    round2(
        mul(base.abs(), percent)?
            .checked_div(Decimal::ONE_HUNDRED)
            .ok_or(Bad)?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn xpath_round_goes_half_up_towards_positive_infinity() {
        assert_eq!(round2(d("2.345")), Ok(d("2.35")));
        assert_eq!(round2(d("-2.345")), Ok(d("-2.34")));
        assert_eq!(round(d("-0.5")), Ok(d("0")));
        assert_eq!(round(d("0.5")), Ok(d("1")));
    }

    #[test]
    fn a_zero_total_carries_the_sign_of_the_double_sum() {
        fn check(total: &str, values: &[&str]) -> Result<bool, Bad> {
            let values: Vec<Text> = values.iter().map(|v| Text::new(*v)).collect();
            equals_double_sum(&Text::new(total), values.iter().map(Some))
        }
        assert_eq!(check("0.00", &[]), Ok(true));
        assert_eq!(check("-0", &[]), Ok(true));
        // Nothing sums to the integer 0, which a total written as a negative zero is below.
        assert_eq!(check("-0.00", &[]), Ok(false));
        assert_eq!(check("0.00", &["0.00", "-0.00"]), Ok(true));
        assert_eq!(check("0.00", &["-0.00"]), Ok(false));
        assert_eq!(check("-0.00", &["-0.00", "-0"]), Ok(true));
        // A negative sum that rounds to zero is a negative zero as well.
        assert_eq!(check("0.00", &["-0.004"]), Ok(false));
        assert_eq!(check(" -0.00 ", &["-0.004"]), Ok(true));
        assert_eq!(check("-0.00", &["0.004"]), Ok(false));
        assert_eq!(check("10.00", &["4.00", "6.00"]), Ok(true));
        assert_eq!(check("10.00", &["4.00", "x"]), Err(Bad));
    }

    #[test]
    fn untyped_values_order_a_negative_zero_below_zero() {
        use std::cmp::Ordering::*;
        assert_eq!(untyped_cmp("0.00", 0), Some(Equal));
        assert_eq!(untyped_cmp(" -0.00 ", 0), Some(Less));
        assert_eq!(untyped_cmp("-0e0", 0), Some(Less));
        // Written as an integer, zero has no sign.
        assert_eq!(untyped_cmp(" -0 ", 0), Some(Equal));
        assert_eq!(untyped_cmp("+00", 0), Some(Equal));
        assert_eq!(untyped_cmp("25", 0), Some(Greater));
        assert_eq!(untyped_cmp("1e3", 0), Some(Greater));
        assert_eq!(untyped_cmp("-INF", 0), Some(Less));
        assert_eq!(untyped_cmp("NaN", 0), None);
        assert_eq!(untyped_cmp("abc", 0), None);
        assert_eq!(untyped_cmp("-", 0), None);
    }

    #[test]
    fn doubles_follow_the_xs_double_lexical_space() {
        assert_eq!(double(" 1e3 "), Some(1000.0));
        assert_eq!(double("-INF"), Some(f64::NEG_INFINITY));
        assert!(double("NaN").is_some_and(f64::is_nan));
        assert_eq!(double("inf"), None);
        assert_eq!(double(""), None);
        assert_eq!(double("abc"), None);
    }

    #[test]
    fn sums_skip_absent_values_and_fail_on_malformed_ones() {
        let a = Text::new("1.10");
        let b = Text::new("x");
        assert_eq!(sum([Some(&a), None, Some(&a)]), Ok(d("2.20")));
        assert_eq!(sum([Some(&a), Some(&b)]), Err(Bad));
    }
}

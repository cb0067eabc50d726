//! The XPath string functions the official rules apply before they compare.

use einvoice::Text;
use rust_decimal::Decimal;

/// XPath `normalize-space`: XML whitespace trimmed and inner runs collapsed to one space.
pub use einvoice::value::normalize_space as normalize;

/// `upper-case(normalize-space(.))`.
pub fn upper_normalized(t: &Text) -> String {
    normalize(&t.value).to_uppercase()
}

/// `normalize-space(.) = value` for an optional element (absent compares as empty).
pub fn normalized_is(t: Option<&Text>, value: &str) -> bool {
    normalize(t.map_or("", |t| t.value.as_str())) == value
}

/// True when the element is present and its normalised value is not empty.
pub fn filled(t: Option<&Text>) -> bool {
    t.is_some_and(|t| !t.is_blank())
}

/// The value as a number for a general comparison with a numeric literal: XPath casts the
/// untyped value to `xs:double`; values that do not cast make the official rule fail with a
/// dynamic error, which the callers treat as "cannot judge".
pub fn number(t: &Text) -> Option<Decimal> {
    t.decimal()
}

//! The few XPath 2.0 value semantics the CII syntax rules depend on: string values,
//! `normalize-space`, general `=` comparison of a child against a literal, and the
//! `\d`/`\s` classes of the format-102 date pattern.

use einvoice::NS_RAM;
use einvoice::value::{normalize_space, trim, words};
use einvoice::xml::Node;

/// `normalize-space(a) = normalize-space(b)`, without building either.
pub(super) fn same_normalized(a: &str, b: &str) -> bool {
    words(a).eq(words(b))
}

/// `normalize-space(s)`.
pub(super) fn normalized(s: &str) -> String {
    normalize_space(s)
}

/// The `ram:` child elements of `node` called `local`.
pub(super) fn children<'a, 'input: 'a>(
    node: Node<'a, 'input>,
    local: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children().filter(move |c| is_ram(*c, local))
}

/// `node` is the element `ram:{local}`.
pub(super) fn is_ram(node: Node<'_, '_>, local: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == local
        && node.tag_name().namespace() == Some(NS_RAM)
}

/// XPath `ram:TypeCode = 'code'`: some `TypeCode` child has exactly this string value.
pub(super) fn has_type_code(node: Node<'_, '_>, code: &str) -> bool {
    children(node, "TypeCode").any(|c| c.string_value() == code)
}

/// XPath `normalize-space(ram:TypeCode) = 'code'`. The official rules assume one
/// `TypeCode`; the first one stands for them (XPath itself would stop with a type error).
pub(super) fn normalized_type_code_is(node: Node<'_, '_>, code: &str) -> bool {
    children(node, "TypeCode")
        .next()
        .is_some_and(|c| same_normalized(&c.string_value(), code))
}

/// The general comparison `udt:Indicator = false()`: the text cast to `xs:boolean` is false.
pub(super) fn indicator_is_false(indicator: Node<'_, '_>) -> bool {
    matches!(trim(&indicator.string_value()), "false" | "0")
}

/// The CII date format 102, as the official pattern
/// `^\s*(\d{4})(1[0-2]|0[1-9])(3[01]|[12][0-9]|0[1-9])\s*$` reads it: the year may be written
/// in any Unicode decimal digits (XPath's `\d`), month and day only in ASCII.
pub(super) fn is_format_102(text: &str) -> bool {
    let mut chars = trim(text).chars();
    let year = chars
        .by_ref()
        .take(4)
        .filter(|&c| is_decimal_digit(c))
        .count()
        == 4;
    let rest: [Option<char>; 5] = std::array::from_fn(|_| chars.next());
    let month = matches!(
        rest[..2],
        [Some('0'), Some('1'..='9')] | [Some('1'), Some('0'..='2')]
    );
    let day = matches!(
        rest[2..4],
        [Some('0'), Some('1'..='9')]
            | [Some('1' | '2'), Some('0'..='9')]
            | [Some('3'), Some('0' | '1')]
    );
    year && month && day && rest[4].is_none()
}

/// The first code point of each run of ten Unicode decimal digits (general category Nd,
/// which Unicode keeps in contiguous zero-to-nine runs).
const DIGIT_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

fn is_decimal_digit(c: char) -> bool {
    let c = u32::from(c);
    let run = DIGIT_ZEROS.partition_point(|&zero| zero <= c);
    run > 0 && DIGIT_ZEROS.get(run - 1).is_some_and(|&zero| c - zero < 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_102_follows_the_official_pattern() {
        for ok in [
            "20240131",
            " 20241231\n",
            "19991001",
            "٢٠٢٤0229",
            "00000101",
        ] {
            assert!(is_format_102(ok), "{ok:?}");
        }
        for bad in [
            "2024-01-31",
            "20241301",
            "20240001",
            "20240132",
            "20240100",
            "2024013",
            "202401311",
            "2024Ⅻ01",
            "２０２４0131x",
            "",
            "20240131\u{a0}",
        ] {
            assert!(!is_format_102(bad), "{bad:?}");
        }
        // Full-width digits are Nd too, so they may form the year.
        assert!(is_format_102("２０２４0131"));
    }

    #[test]
    fn normalize_space_compares_tokens() {
        assert!(same_normalized(" 30 ", "30"));
        assert!(same_normalized("a \n b", "a b"));
        assert!(!same_normalized("a\u{a0}b", "a b"));
        assert_eq!(normalized("\t x  y \r\n"), "x y");
    }
}

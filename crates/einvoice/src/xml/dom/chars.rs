//! Character classes of the XML 1.0 grammar and the fast scans over character data.
//!
//! Character data (text, attribute values, comments, CDATA, PIs) is checked against the
//! `Char` production, which for UTF-8 input comes down to a few byte patterns: C0 controls
//! other than tab, LF and CR, and the encodings of U+FFFE and U+FFFF (`EF BF BE`/`EF BF BF`).
//! Long runs are checked 32 bytes at a time with a branch-free test the compiler vectorises,
//! and only blocks holding a byte of interest are looked at byte by byte.

/// Byte classes for the scans. `PLAIN` bytes need nothing; the others need a closer look.
pub(super) const PLAIN: u8 = 0;
/// A C0 control character that XML forbids.
pub(super) const CONTROL: u8 = 1;
/// `&`, or a whitespace byte that the data's normalisation rewrites (`\r`; in attribute
/// values also `\t` and `\n`).
pub(super) const REWRITE: u8 = 2;
/// `]`, which may start a forbidden `]]>` in text.
pub(super) const BRACKET: u8 = 3;
/// `0xEF`, which may start U+FFFE or U+FFFF.
pub(super) const EF: u8 = 4;
/// `<`, which ends text content.
pub(super) const LT: u8 = 5;

/// One kind of character data: its byte classes, and a branch-free test for "a byte of
/// interest" that the compiler vectorises over a block (so it must be inlined: a trait, not a
/// function pointer).
pub(super) trait Data {
    /// The class of each byte.
    const TABLE: [u8; 256];
    /// Whether the class of `b` is not `PLAIN`.
    fn interesting(b: u8) -> bool;
}

/// Text content: references, CR, `]]>`.
pub(super) struct Text;
/// Attribute values: references and all whitespace but the space are rewritten.
pub(super) struct Attribute;
/// Comments, PIs and CDATA sections: no references there.
pub(super) struct Raw;

impl Data for Text {
    const TABLE: [u8; 256] = {
        let mut t = classes(false, true, true);
        t[b'<' as usize] = LT;
        t
    };
    #[inline(always)]
    fn interesting(b: u8) -> bool {
        ((b < 0x20) & (b != b'\t') & (b != b'\n'))
            | (b == b'&')
            | (b == b']')
            | (b == 0xEF)
            | (b == b'<')
    }
}

impl Data for Attribute {
    const TABLE: [u8; 256] = classes(true, true, false);
    #[inline(always)]
    fn interesting(b: u8) -> bool {
        (b < 0x20) | (b == b'&') | (b == 0xEF)
    }
}

impl Data for Raw {
    const TABLE: [u8; 256] = classes(false, false, false);
    #[inline(always)]
    fn interesting(b: u8) -> bool {
        ((b < 0x20) & (b != b'\t') & (b != b'\n')) | (b == 0xEF)
    }
}

const fn classes(attribute: bool, references: bool, brackets: bool) -> [u8; 256] {
    let mut t = [PLAIN; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = CONTROL;
        b += 1;
    }
    t[b'\r' as usize] = REWRITE;
    t[b'\t' as usize] = if attribute { REWRITE } else { PLAIN };
    t[b'\n' as usize] = if attribute { REWRITE } else { PLAIN };
    if references {
        t[b'&' as usize] = REWRITE;
    }
    if brackets {
        t[b']' as usize] = BRACKET;
    }
    t[0xEF] = EF;
    t
}

/// What a scan found: the offset of a forbidden character, or whether the data needs rewriting.
pub(super) enum Scan {
    /// Every character is allowed; `rewrite` says whether references or line ends need work.
    Ok {
        /// The data holds `&` or a whitespace byte to normalise.
        rewrite: bool,
    },
    /// A character outside `Char` at this offset.
    NonXmlChar(usize),
    /// `]]>` at this offset.
    CdataEnd(usize),
    /// The text ends at this offset, where a `<` is; `rewrite` as in `Ok`, for the text before.
    End {
        /// Where the `<` is.
        at: usize,
        /// The text before it holds `&` or a whitespace byte to normalise.
        rewrite: bool,
    },
}

const BLOCK: usize = 128;

/// Checks `data[from..]` against the byte classes of `D`; `rewrite` carries over what an
/// earlier scan of `data[..from]` found.
#[inline]
pub(super) fn scan<D: Data>(data: &[u8], from: usize, mut rewrite: bool) -> Scan {
    let mut at = from;
    // Skip blocks with nothing of interest in one vectorised test each: for long text such as
    // a base64 attachment this is the whole cost of the check.
    // Printable ASCII without `&` and `]` (a base64 attachment, most names and amounts) is
    // recognised with fewer operations than the exact test, which only blocks holding other
    // bytes (line ends, non-ASCII letters) pay for.
    for block in data.get(from..).unwrap_or(&[]).chunks_exact(BLOCK) {
        let unusual = block.iter().fold(0u8, |acc, &b| acc | u8::from(unusual(b)));
        if unusual != 0 {
            let interesting = block.iter().fold(false, |acc, &b| acc | D::interesting(b));
            if interesting && let Some(found) = scan_bytes::<D>(data, at, at + BLOCK, &mut rewrite)
            {
                return found;
            }
        }
        at += BLOCK;
    }
    scan_bytes::<D>(data, at, data.len(), &mut rewrite).unwrap_or(Scan::Ok { rewrite })
}

/// Whether `b` is outside printable ASCII or is `&`, `]` or `<`: a superset of the interesting
/// bytes of every kind of data, with one range test in place of the controls' three.
#[inline(always)]
fn unusual(b: u8) -> bool {
    (b.wrapping_sub(0x20) > 0x5E) | (b == b'&') | (b == b']') | (b == b'<')
}

/// The class of byte `b` in `D`.
pub(super) fn class<D: Data>(b: u8) -> u8 {
    D::TABLE[b as usize]
}

/// Checks `data[from..to]` byte by byte; `None` when nothing stops the scan. Looks past `to`
/// (within `data`) to recognise a `]]>` or U+FFFF that starts before it.
#[inline]
pub(super) fn scan_bytes<D: Data>(
    data: &[u8],
    from: usize,
    to: usize,
    rewrite: &mut bool,
) -> Option<Scan> {
    let end = to.min(data.len());
    for i in from..end {
        let b = data.get(i).copied().unwrap_or(0);
        match D::TABLE[b as usize] {
            PLAIN => {}
            REWRITE => *rewrite = true,
            LT => {
                return Some(Scan::End {
                    at: i,
                    rewrite: *rewrite,
                });
            }
            BRACKET => {
                if data.get(i..i + 3) == Some(b"]]>") {
                    return Some(Scan::CdataEnd(i));
                }
            }
            EF => {
                if matches!(data.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) {
                    return Some(Scan::NonXmlChar(i));
                }
            }
            _ => return Some(Scan::NonXmlChar(i)),
        }
    }
    None
}

/// Whether `c` matches the XML `Char` production.
pub(super) fn is_xml_char(c: char) -> bool {
    match c as u32 {
        0x9 | 0xA | 0xD => true,
        0..=0x1F | 0xFFFE | 0xFFFF => false,
        _ => true,
    }
}

/// Whether `b` is XML whitespace (the `S` production).
pub(super) use crate::value::is_xml_space_byte as is_space;

/// Whether `c` may start an NCName (`NameStartChar` without `:`).
fn is_name_start(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic() || c == '_';
    }
    matches!(c as u32,
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x2FF | 0x370..=0x37D | 0x37F..=0x1FFF
        | 0x200C..=0x200D | 0x2070..=0x218F | 0x2C00..=0x2FEF | 0x3001..=0xD7FF
        | 0xF900..=0xFDCF | 0xFDF0..=0xFFFD | 0x10000..=0xEFFFF)
}

/// Whether `c` may continue an NCName (`NameChar` without `:`).
fn is_name_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    }
    is_name_start(c) || matches!(c as u32, 0xB7 | 0x300..=0x36F | 0x203F..=0x2040)
}

const NAME_START: u8 = 1;
const NAME_CHAR: u8 = 2;

/// ASCII name classes; UBL and CII names are all ASCII, so this table decides nearly all.
static ASCII_NAMES: [u8; 128] = {
    let mut t = [0; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphabetic() || c == b'_' {
            t[b] = NAME_START | NAME_CHAR;
        } else if c.is_ascii_digit() || c == b'-' || c == b'.' {
            t[b] = NAME_CHAR;
        }
        b += 1;
    }
    t
};

/// The length in bytes of the NCName (a name without `:`) at the start of `s`, or 0.
#[inline]
pub(super) fn ncname_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut len = 0;
    while let Some(&b) = bytes.get(len) {
        let want = if len == 0 { NAME_START } else { NAME_CHAR };
        match ASCII_NAMES.get(b as usize) {
            Some(class) if class & want != 0 => len += 1,
            Some(_) => return len,
            None => return len + ncname_tail_len(s.get(len..).unwrap_or(""), len == 0),
        }
    }
    len
}

/// The non-ASCII rest of an NCName.
#[cold]
fn ncname_tail_len(s: &str, at_start: bool) -> usize {
    let mut len = 0;
    for c in s.chars() {
        let ok = if at_start && len == 0 {
            is_name_start(c)
        } else {
            is_name_char(c)
        };
        if !ok {
            break;
        }
        len += c.len_utf8();
    }
    len
}

const Q_START: u8 = 1;
const Q_CHAR: u8 = 2;
const Q_COLON: u8 = 4;
const Q_OTHER: u8 = 8;

/// QName byte classes: ASCII name characters, the colon, and non-ASCII bytes (slow path).
static QNAME: [u8; 256] = {
    let mut t = [0; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = if b >= 0x80 {
            Q_OTHER
        } else if b == b':' as usize {
            Q_COLON
        } else if b < 128 {
            ASCII_NAMES[b]
        } else {
            0
        };
        b += 1;
    }
    t
};

/// An all-ASCII QName at the start of `bytes`: `Some((length, colon offset or 0))`, or `None`
/// when a non-ASCII byte needs the full rules. A length of 0 means no valid QName.
#[inline]
pub(super) fn ascii_qname(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    let mut colon = 0;
    while let Some(&b) = bytes.get(i) {
        let class = QNAME[b as usize];
        if class & Q_CHAR != 0 {
            i += 1;
        } else if class & Q_COLON != 0 {
            if colon != 0 {
                // A second colon: not a QName.
                return Some((0, 0));
            }
            colon = i;
            i += 1;
        } else if class & Q_OTHER != 0 {
            return None;
        } else {
            break;
        }
    }
    let starts = |at: usize| {
        bytes
            .get(at)
            .is_some_and(|&b| QNAME[b as usize] & Q_START != 0)
    };
    let valid = starts(0) && (colon == 0 || starts(colon + 1));
    Some((if valid { i } else { 0 }, colon))
}

/// Whether `b` may continue a QName (so a name compared by prefix has really ended if not).
pub(super) fn continues_qname(b: u8) -> bool {
    QNAME[b as usize] & (Q_CHAR | Q_COLON | Q_OTHER) != 0
}

/// The length of the `Name` (colons allowed anywhere, as in entity names and PI targets) at the
/// start of `s`, or 0.
pub(super) fn name_len(s: &str) -> usize {
    let mut len = 0;
    for c in s.chars() {
        let ok = c == ':'
            || if len == 0 {
                is_name_start(c)
            } else {
                is_name_char(c)
            };
        if !ok {
            break;
        }
        len += c.len_utf8();
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_find_forbidden_characters_in_any_block() {
        let mut long = "A".repeat(100);
        assert!(matches!(
            scan::<Text>(long.as_bytes(), 0, false),
            Scan::Ok { rewrite: false }
        ));
        long.push('\u{1}');
        assert!(matches!(
            scan::<Text>(long.as_bytes(), 0, false),
            Scan::NonXmlChar(100)
        ));
        let ffff = format!("{}\u{FFFF}", "B".repeat(40));
        assert!(matches!(
            scan::<Text>(ffff.as_bytes(), 0, false),
            Scan::NonXmlChar(40)
        ));
        let fffd = format!("{}\u{FFFD}\u{EFFF}", "B".repeat(40));
        assert!(matches!(
            scan::<Text>(fffd.as_bytes(), 0, false),
            Scan::Ok { rewrite: false }
        ));
        assert!(matches!(
            scan::<Text>(b"a ]]> b", 0, false),
            Scan::CdataEnd(2)
        ));
        assert!(matches!(scan::<Raw>(b"a ]]> b", 0, false), Scan::Ok { .. }));
        assert!(matches!(
            scan::<Text>(b"a\tb\n", 0, false),
            Scan::Ok { rewrite: false }
        ));
        assert!(matches!(
            scan::<Attribute>(b"a\tb\n", 0, false),
            Scan::Ok { rewrite: true }
        ));
        assert!(matches!(
            scan::<Text>(b"a &amp; b", 0, false),
            Scan::Ok { rewrite: true }
        ));
    }

    #[test]
    fn block_tests_pass_nothing_of_interest() {
        // Printable ASCII blocks take the short test, others the exact one: forbidden bytes
        // and rewrites must be found in both, in any block.
        let plain = "QUJD".repeat(4 * BLOCK);
        assert!(matches!(
            scan::<Text>(plain.as_bytes(), 0, false),
            Scan::Ok { rewrite: false }
        ));
        for inner in ["\u{2}", "\u{FFFE}", "]]>"] {
            let data = format!("{}é\n{inner}{}", plain, plain);
            let at = plain.len() + "é\n".len();
            let found = scan::<Text>(data.as_bytes(), 0, false);
            assert!(
                matches!(found, Scan::NonXmlChar(i) | Scan::CdataEnd(i) if i == at),
                "{inner:?}"
            );
        }
        let amp = format!("{plain}&amp;{plain}");
        assert!(matches!(
            scan::<Text>(amp.as_bytes(), 0, false),
            Scan::Ok { rewrite: true }
        ));
        let tab = format!("{plain}\t{plain}");
        assert!(matches!(
            scan::<Attribute>(tab.as_bytes(), 0, false),
            Scan::Ok { rewrite: true }
        ));
        assert!(matches!(
            scan::<Text>(tab.as_bytes(), 0, false),
            Scan::Ok { rewrite: false }
        ));
    }

    #[test]
    fn names_follow_the_xml_productions() {
        assert_eq!(ncname_len("cbc:ID"), 3);
        assert_eq!(ncname_len("Straße>"), "Straße".len());
        assert_eq!(ncname_len("1a"), 0);
        assert_eq!(ncname_len("-a"), 0);
        assert_eq!(ncname_len("a\u{B7}b c"), "a\u{B7}b".len());
        assert_eq!(name_len("xml-stylesheet href"), "xml-stylesheet".len());
        assert_eq!(name_len("a:b:c?"), 5);
        assert_eq!(name_len(":a"), 2);
        assert!(!is_xml_char('\u{FFFE}') && is_xml_char('\u{10000}') && !is_xml_char('\0'));
    }
}

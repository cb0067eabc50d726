//! Test documents for the EN 16931 rules without official unit tests: valid corpus
//! examples, edited in memory.
// Each test binary that includes this module uses only some of its helpers.
#![allow(dead_code)]

use rules::{RuleSet, validate_with};

/// A corpus file, read in place from `../shared/corpus`.
pub fn corpus(path: &str) -> String {
    let full = format!(
        "{}/../../../shared/corpus/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// The UBL example with document and line allowances and charges, a VAT accounting
/// currency and a prepaid amount.
pub fn ubl() -> String {
    corpus("en16931/ubl/examples/ubl-tc434-example5.xml")
}

/// The CII twin of [`ubl`].
pub fn cii() -> String {
    corpus("en16931/cii/examples/CII_example5.xml")
}

/// `doc` with the `n`-th (from 1) occurrence of `from` replaced by `to`.
pub fn edit(doc: &str, from: &str, n: usize, to: &str) -> String {
    let (at, _) = doc
        .match_indices(from)
        .nth(n - 1)
        .unwrap_or_else(|| panic!("occurrence {n} of {from:?} not found"));
    format!("{}{to}{}", &doc[..at], &doc[at + from.len()..])
}

/// `doc` with every occurrence of `from` replaced by `to` (at least one must exist).
pub fn edit_all(doc: &str, from: &str, to: &str) -> String {
    assert!(doc.contains(from), "{from:?} not found");
    doc.replace(from, to)
}

/// Whether rule `id` fires on `doc` under the EN 16931 rule set.
pub fn fires(doc: &str, id: &str) -> bool {
    let report = validate_with(doc.as_bytes(), &[RuleSet::En16931]);
    report.findings.iter().any(|f| f.rule == id)
}

/// Asserts that `id` fires on `bad` and not on `good`.
pub fn assert_rule(id: &str, good: &str, bad: &str) {
    assert!(!fires(good, id), "{id} fired on the valid variant");
    assert!(fires(bad, id), "{id} did not fire on the invalid variant");
}

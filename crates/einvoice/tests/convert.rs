//! Conversion between the syntaxes over the whole official corpus: every business term
//! that one syntax can carry survives UBL → CII → UBL and CII → UBL → CII.
//!
//! The models are compared as JSON (positions are not serialised) after normalising what
//! the syntaxes write differently but mean the same:
//! - dates (`2024-01-31` / `20240131`) and surrounding whitespace;
//! - the currency attribute of amounts other than the VAT totals: UBL repeats the invoice
//!   currency (BT-5) on every amount and CII forbids it there, so it is no business term;
//! - a group with nothing in it, which CII writes where UBL leaves the group out (delivery);
//! - the order of repeated identifiers (CII's schema puts `ID`s before `GlobalID`s).
//!
//! What one syntax cannot hold, or requires, is listed in [`SYNTAX_LIMITS`], each with its reason; any other
//! difference fails the test.

use std::path::{Path, PathBuf};

use einvoice::{Date, Invoice, Syntax, cii, ubl};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn examples(folders: &[&str]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(corpus().join(folder)) else {
            continue;
        };
        files.extend(
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"))),
        );
    }
    files.sort();
    files
}

fn normalised(invoice: &Invoice) -> serde_json::Value {
    use serde_json::Value;
    fn walk(v: &mut Value, key: &str) {
        match v {
            Value::String(s) => {
                let trimmed = s.trim();
                *s = Date::parse(trimmed).map_or_else(|| trimmed.to_string(), Date::iso);
            }
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, key)),
            Value::Object(map) => {
                if key != "vat_totals" {
                    map.remove("currency");
                }
                for (k, child) in map.iter_mut() {
                    walk(child, k);
                }
                if let Some(Value::Array(ids)) = map.get_mut("identifiers") {
                    ids.sort_by_key(|id| id.to_string());
                }
                let empty = |c: &Value| c.is_null() || c.as_array().is_some_and(Vec::is_empty);
                if map.values().all(empty) {
                    *v = Value::Null;
                }
            }
            _ => {}
        }
    }
    let mut v = serde_json::to_value(invoice).expect("the model serialises");
    walk(&mut v, "");
    v
}

/// The JSON paths at which two values differ, for a readable failure.
fn differences(a: &serde_json::Value, b: &serde_json::Value, path: String, out: &mut Vec<String>) {
    use serde_json::Value::{Array, Object};
    match (a, b) {
        (Object(x), Object(y)) => {
            for key in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let null = serde_json::Value::Null;
                let (l, r) = (x.get(key).unwrap_or(&null), y.get(key).unwrap_or(&null));
                differences(l, r, format!("{path}.{key}"), out);
            }
        }
        (Array(x), Array(y)) if x.len() == y.len() => {
            for (i, (l, r)) in x.iter().zip(y).enumerate() {
                differences(l, r, format!("{path}[{i}]"), out);
            }
        }
        _ if a != b && !is_syntax_limit(&path, &a.to_string()) => {
            out.push(format!("{path}: {a} ≠ {b}"))
        }
        _ => {}
    }
}

/// Differences that come from the syntaxes themselves, as (path pattern, what the original held,
/// reason). `*` stands for one array index.
const SYNTAX_LIMITS: [(&str, &str, &str); 4] = [
    // The D16B subset has one InvoiceReferencedDocument: the first BG-3 is kept.
    (
        ".preceding_invoices",
        "*",
        "CII holds one preceding invoice reference",
    ),
    // CII carries a price discount (BT-147) inside the gross price, so the writer states
    // BT-148 = BT-146 + BT-147, which EN 16931 implies anyway.
    (
        ".lines[*].price.gross",
        "null",
        "CII needs the gross price to carry a discount",
    ),
    // CII has one remittance information (BT-83) per document; UBL one per PaymentMeans.
    (
        ".payment_instructions[*].remittance_information",
        "null",
        "CII has one BT-83 per document",
    ),
    // UBL's TaxTotal requires a TaxAmount that CII may leave out; the writer derives it
    // from the breakdown (BR-CO-14: BT-110 = Σ BT-117).
    (".vat_totals", "[]", "UBL requires BT-110"),
];

fn is_syntax_limit(path: &str, original: &str) -> bool {
    let generic: String = {
        let mut out = String::new();
        let mut in_index = false;
        for c in path.chars() {
            match c {
                '[' => {
                    in_index = true;
                    out.push_str("[*]");
                }
                ']' => in_index = false,
                _ if in_index => {}
                _ => out.push(c),
            }
        }
        out
    };
    SYNTAX_LIMITS
        .iter()
        .any(|(p, held, _)| *p == generic && (*held == "*" || *held == original))
}

fn round_trip(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).expect("corpus file");
    let (syntax, original) = einvoice::read(&bytes).expect("a corpus example reads");
    let there = match syntax {
        Syntax::Cii => ubl::write(&original, Syntax::UblInvoice),
        _ => cii::write(&original),
    };
    let (_, converted) = einvoice::read(there.as_bytes()).expect("our own output reads");
    let back = match syntax {
        Syntax::Cii => cii::write(&converted),
        kind => ubl::write(&converted, kind),
    };
    let (_, returned) = einvoice::read(back.as_bytes()).expect("our own output reads");
    let mut out = Vec::new();
    differences(
        &normalised(&original),
        &normalised(&returned),
        String::new(),
        &mut out,
    );
    out
}

#[test]
fn every_example_survives_conversion_both_ways() {
    let files = examples(&[
        "en16931/ubl/examples",
        "en16931/cii/examples",
        "en16931/test/testfiles",
        "peppol-bis/rules/examples",
        "peppol-bis/rules/national-examples",
    ]);
    if !corpus().is_dir() {
        eprintln!("skipped: no corpus at {}", corpus().display());
        return;
    }
    assert!(
        !files.is_empty(),
        "the corpus is there but holds no example"
    );
    let mut failures = Vec::new();
    for path in &files {
        for diff in round_trip(path) {
            failures.push(format!(
                "{}: {diff}",
                path.file_name().unwrap_or_default().to_string_lossy()
            ));
        }
    }
    for f in &failures {
        eprintln!("{f}");
    }
    eprintln!(
        "{} examples converted both ways, {} differences",
        files.len(),
        failures.len()
    );
    assert!(failures.is_empty());
}

//! The schema cardinality check (`POSTBODE-SCHEMA`): a 0..1 element repeated in its parent is
//! one fatal finding at the second occurrence; repeating a 0..n element is fine; no example
//! of the official corpus (all schema-valid) fires it.

use std::path::{Path, PathBuf};

use rules::{Finding, SCHEMA, Severity, validate};

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn corpus(path: &str) -> Option<String> {
    let file = corpus_dir().join(path);
    if !corpus_dir().is_dir() {
        eprintln!("skipped: no corpus at {}", corpus_dir().display());
        return None;
    }
    Some(std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())))
}

fn schema_findings(xml: &str) -> Vec<Finding> {
    validate(xml.as_bytes())
        .findings
        .into_iter()
        .filter(|f| f.rule == SCHEMA)
        .collect()
}

/// Inserts a copy of the `nth` (0-based) `<name ...>...</name>` element right after it.
fn duplicate(xml: &str, name: &str, nth: usize) -> String {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let start = xml
        .match_indices(&open)
        .filter(|(i, _)| {
            xml[i + open.len()..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace())
        })
        .nth(nth)
        .unwrap_or_else(|| panic!("no occurrence {nth} of {open}"))
        .0;
    let end = start
        + xml[start..]
            .find(&close)
            .unwrap_or_else(|| panic!("no {close} after {open}"))
        + close.len();
    format!("{}{}{}", &xml[..end], &xml[start..end], &xml[end..])
}

/// Asserts exactly one schema finding, fatal, at `location`, naming `child` and `parent`.
fn assert_one(mutant: &str, location: &str, child: &str, parent: &str, times: u32) {
    let findings = schema_findings(mutant);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(f.severity, Severity::Fatal);
    assert_eq!(f.location, location);
    assert!(
        f.message
            .starts_with(&format!("{child} occurs {times} times in {parent}; the ")),
        "{}",
        f.message
    );
    assert!(!validate(mutant.as_bytes()).valid());
}

const UBL_EXAMPLE: &str = "peppol-bis/rules/examples/base-example.xml";
const CII_EXAMPLE: &str = "en16931/cii/examples/CII_example1.xml";

#[test]
fn ubl_examples_are_clean_before_mutation() {
    let Some(xml) = corpus(UBL_EXAMPLE) else {
        return;
    };
    assert!(schema_findings(&xml).is_empty());
    let Some(xml) = corpus(CII_EXAMPLE) else {
        return;
    };
    assert!(schema_findings(&xml).is_empty());
}

#[test]
fn ubl_repeated_line_id() {
    let Some(xml) = corpus(UBL_EXAMPLE) else {
        return;
    };
    let start = xml.find("<cac:InvoiceLine>").expect("a line");
    let line = &xml[start..];
    let mutant = format!("{}{}", &xml[..start], duplicate(line, "cbc:ID", 0));
    assert_one(
        &mutant,
        "/Invoice/cac:InvoiceLine[1]/cbc:ID[2]",
        "cbc:ID",
        "cac:InvoiceLine",
        2,
    );
    assert!(
        schema_findings(&mutant)[0]
            .message
            .contains("UBL 2.1 schema")
    );
}

#[test]
fn ubl_repeated_price_and_the_count_of_three() {
    let Some(xml) = corpus(UBL_EXAMPLE) else {
        return;
    };
    let twice = duplicate(&xml, "cac:Price", 0);
    assert_one(
        &twice,
        "/Invoice/cac:InvoiceLine[1]/cac:Price[2]",
        "cac:Price",
        "cac:InvoiceLine",
        2,
    );
    // A third copy is still one finding for the parent, at the second occurrence.
    let thrice = duplicate(&twice, "cac:Price", 0);
    assert_one(
        &thrice,
        "/Invoice/cac:InvoiceLine[1]/cac:Price[2]",
        "cac:Price",
        "cac:InvoiceLine",
        3,
    );
}

#[test]
fn ubl_repeated_country_code_deep_in_a_party() {
    let Some(xml) = corpus(UBL_EXAMPLE) else {
        return;
    };
    let mutant = duplicate(&xml, "cbc:IdentificationCode", 0);
    assert_one(
        &mutant,
        "/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode[2]",
        "cbc:IdentificationCode",
        "cac:Country",
        2,
    );
}

#[test]
fn ubl_repeated_unbounded_elements_are_fine() {
    let Some(xml) = corpus(UBL_EXAMPLE) else {
        return;
    };
    for tag in ["cac:InvoiceLine", "cbc:Note"] {
        let mutant = duplicate(&xml, tag, 0);
        assert_ne!(mutant, xml);
        assert!(schema_findings(&mutant).is_empty(), "{tag}");
    }
}

#[test]
fn ubl_names_follow_the_schema_prefixes_not_the_document() {
    let Some(xml) = corpus(UBL_EXAMPLE) else {
        return;
    };
    let renamed = xml.replace("cbc:", "b:").replace("xmlns:cbc=", "xmlns:b=");
    let mutant = duplicate(&renamed, "b:IdentificationCode", 0);
    let findings = schema_findings(&mutant);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert!(
        findings[0]
            .message
            .starts_with("cbc:IdentificationCode occurs 2 times in cac:Country"),
        "{}",
        findings[0].message
    );
}

#[test]
fn ubl_extensions_are_not_judged() {
    let Some(xml) = corpus(UBL_EXAMPLE) else {
        return;
    };
    let extension = "<ext:UBLExtensions xmlns:ext=\"urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2\"><ext:UBLExtension><ext:ExtensionContent><x:Any xmlns:x=\"urn:example\"><x:A/><x:A/></x:Any></ext:ExtensionContent></ext:UBLExtension><ext:UBLExtension><ext:ExtensionContent/></ext:UBLExtension></ext:UBLExtensions>";
    let at = xml.find("<cbc:CustomizationID>").expect("BT-24");
    let mutant = format!("{}{extension}{}", &xml[..at], &xml[at..]);
    assert!(schema_findings(&mutant).is_empty());
}

#[test]
fn cii_repeated_document_type_code() {
    let Some(xml) = corpus(CII_EXAMPLE) else {
        return;
    };
    let mutant = duplicate(&xml, "ram:TypeCode", 0);
    assert_one(
        &mutant,
        "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode[2]",
        "ram:TypeCode",
        "rsm:ExchangedDocument",
        2,
    );
    assert!(
        schema_findings(&mutant)[0]
            .message
            .contains("CII D16B schema")
    );
}

#[test]
fn cii_repeated_billed_quantity_in_a_line() {
    let Some(xml) = corpus(CII_EXAMPLE) else {
        return;
    };
    let mutant = duplicate(&xml, "ram:SpecifiedLineTradeDelivery", 0);
    // The copied delivery is itself a repeated 0..1 element; its quantity is fine.
    assert_one(
        &mutant,
        "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem[1]/ram:SpecifiedLineTradeDelivery[2]",
        "ram:SpecifiedLineTradeDelivery",
        "ram:IncludedSupplyChainTradeLineItem",
        2,
    );
    let start = xml
        .find("<ram:SpecifiedLineTradeDelivery>")
        .expect("a line delivery");
    let mutant = format!(
        "{}{}",
        &xml[..start],
        duplicate(&xml[start..], "ram:BilledQuantity", 0)
    );
    assert_one(
        &mutant,
        "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem[1]/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity[2]",
        "ram:BilledQuantity",
        "ram:SpecifiedLineTradeDelivery",
        2,
    );
}

#[test]
fn cii_repeated_unbounded_elements_are_fine() {
    let Some(xml) = corpus(CII_EXAMPLE) else {
        return;
    };
    // The D16B schema allows any number of line totals (LineTotalAmount is 0..n in both
    // monetary summations); CII-SR rules, not the schema, limit them.
    for tag in [
        "ram:IncludedNote",
        "ram:IncludedSupplyChainTradeLineItem",
        "ram:LineTotalAmount",
    ] {
        let mutant = duplicate(&xml, tag, 0);
        assert_ne!(mutant, xml);
        assert!(schema_findings(&mutant).is_empty(), "{tag}");
    }
}

/// The valid examples of the corpus, recursively under each folder.
fn examples(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.is_dir() {
            examples(&path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
        {
            out.push(path);
        }
    }
}

#[test]
fn no_corpus_example_repeats_a_0_1_element() {
    let root = corpus_dir();
    if !root.is_dir() {
        eprintln!("skipped: no corpus at {}", root.display());
        return;
    }
    let mut files = Vec::new();
    for dir in [
        "en16931/ubl/examples",
        "en16931/cii/examples",
        "en16931/test/testfiles",
        "peppol-bis/rules/examples",
        "peppol-bis/rules/snippets",
        "peppol-bis/rules/national-examples",
    ] {
        examples(&root.join(dir), &mut files);
    }
    assert!(!files.is_empty(), "no example under {}", root.display());
    let mut failures = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for f in validate(&bytes)
            .findings
            .iter()
            .filter(|f| f.rule == SCHEMA)
        {
            failures.push(format!(
                "{}: {} at {}",
                file.display(),
                f.message,
                f.location
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("{} examples checked", files.len());
}

#[test]
fn ubl_limits_are_those_of_2_1_not_later_relaxations() {
    // UBL 2.5 allows any number of street names; UBL 2.1, the version EN 16931 binds to,
    // allows one.
    let Some(xml) = corpus(UBL_EXAMPLE) else {
        return;
    };
    let mutant = duplicate(&xml, "cbc:StreetName", 0);
    assert_one(
        &mutant,
        "/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:StreetName[2]",
        "cbc:StreetName",
        "cac:PostalAddress",
        2,
    );
}

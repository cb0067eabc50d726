//! The command-line tools as a user runs them: exit codes, the validator's JSON contract,
//! conversion and inspection, on official examples and on broken input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

fn postbode(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_postbode"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn corpus(path: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(path);
    if p.is_file() {
        Some(p)
    } else {
        eprintln!("skipped: no corpus file {}", p.display());
        None
    }
}

/// A fresh file under the system's temporary directory.
fn scratch(name: &str, content: &[u8]) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "postbode-cli-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let path = dir.join(name);
    std::fs::write(&path, content).expect("a scratch file");
    path
}

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

fn rules_fired(line: &serde_json::Value) -> Vec<String> {
    let findings = line["findings"].as_array().expect("findings are a list");
    findings
        .iter()
        .map(|f| f["rule"].as_str().expect("a rule id").to_string())
        .collect()
}

const EXAMPLE: &str = "peppol-bis/rules/examples/base-example.xml";

#[test]
fn a_valid_invoice_follows_the_json_contract_and_exits_0() {
    let Some(file) = corpus(EXAMPLE) else { return };
    let out = postbode(&["validate", "--format", "json", file.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    // Field order is part of the contract.
    assert!(text.starts_with(&format!(
        "{{\"file\":{}",
        serde_json::to_string(file.to_str().unwrap()).unwrap()
    )));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["syntax"], "ubl-invoice");
    assert_eq!(lines[0]["valid"], true);
    for f in lines[0]["findings"].as_array().unwrap() {
        assert_eq!(f["severity"], "warning");
        let keys: Vec<&String> = f.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["location", "message", "rule", "severity"]);
    }
}

#[test]
fn a_wrong_total_is_reported_with_its_rule_and_location_and_exits_1() {
    let Some(file) = corpus(EXAMPLE) else { return };
    let original = std::fs::read_to_string(file).unwrap();
    let (head, tail) = original
        .split_once("<cbc:LineExtensionAmount currencyID=\"EUR\">")
        .unwrap();
    let (amount, rest) = tail.split_once('<').unwrap();
    let broken = format!("{head}<cbc:LineExtensionAmount currencyID=\"EUR\">{amount}1<{rest}");
    let path = scratch("wrong-total.xml", broken.as_bytes());
    let out = postbode(&["validate", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let line = &json_lines(&out)[0];
    assert_eq!(line["valid"], false);
    let finding = line["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "BR-CO-10")
        .unwrap();
    assert_eq!(finding["severity"], "fatal");
    assert_eq!(finding["location"], "/Invoice/cac:LegalMonetaryTotal");
}

#[test]
fn unreadable_input_gets_one_clear_fatal_finding() {
    let cases: [(&str, &[u8], &str); 6] = [
        ("truncated.xml", b"<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"><cbc:ID", "well-formed"),
        ("not-an-invoice.xml", b"<order><id>1</id></order>", "not an invoice"),
        ("xxe.xml", b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", "DOCTYPE"),
        ("utf16.xml", b"\xFF\xFE<\x00x\x00/\x00>\x00", "UTF-16"),
        ("latin1.xml", b"<x>caf\xe9</x>", "UTF-8"),
        ("empty.xml", b"", "well-formed"),
    ];
    for (name, bytes, expected) in cases {
        let path = scratch(name, bytes);
        let out = postbode(&["validate", "--format", "json", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let line = &json_lines(&out)[0];
        assert_eq!(line["syntax"], "unknown", "{name}");
        let findings = line["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 1, "{name}");
        assert_eq!(findings[0]["severity"], "fatal");
        let message = findings[0]["message"].as_str().unwrap();
        assert!(message.contains(expected), "{name}: {message}");
    }
}

#[test]
fn a_missing_file_or_bad_usage_exits_2() {
    assert_eq!(
        postbode(&["validate", "/nonexistent/invoice.xml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(postbode(&["validate"]).status.code(), Some(2));
    assert_eq!(
        postbode(&["validate", "--format", "yaml", "x.xml"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn text_output_names_the_verdict_and_each_finding() {
    let Some(file) = corpus(EXAMPLE) else { return };
    let junk = scratch("junk.xml", b"<Invoice/>");
    let out = postbode(&["validate", file.to_str().unwrap(), junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(": valid (ubl-invoice;"), "{text}");
    assert!(
        text.contains("junk.xml: INVALID (unknown; 1 fatal, 0 warnings)"),
        "{text}"
    );
    assert!(text.contains("POSTBODE-INPUT"), "{text}");
}

/// Runs `postbode convert --to TARGET INPUT OUTPUT` and expects success.
fn convert(target: &str, input: &Path, output: &Path) {
    let out = postbode(&[
        "convert",
        "--to",
        target,
        input.to_str().expect("a UTF-8 path"),
        output.to_str().expect("a UTF-8 path"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn convert_goes_to_cii_and_back_and_stays_valid() {
    // Not the base example: its item and delivery GLNs have wrong check digits, which the
    // official Peppol rules check in CII but not in UBL.
    let Some(file) = corpus("peppol-bis/rules/examples/Allowance-example.xml") else {
        return;
    };
    let cii = scratch("out.cii.xml", b"");
    let ubl = scratch("back.ubl.xml", b"");
    convert("cii", &file, &cii);
    convert("ubl", &cii, &ubl);
    let out = postbode(&[
        "validate",
        "--format",
        "json",
        cii.to_str().unwrap(),
        ubl.to_str().unwrap(),
    ]);
    let lines = json_lines(&out);
    assert_eq!(lines[0]["syntax"], "cii");
    assert_eq!(lines[1]["syntax"], "ubl-invoice");
    for line in &lines {
        assert_eq!(
            line["valid"],
            true,
            "{}: {:?}",
            line["file"],
            rules_fired(line)
        );
    }
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn convert_refuses_what_is_not_an_invoice() {
    let junk = scratch("junk.xml", b"<order/>");
    let out = postbode(&[
        "convert",
        "--to",
        "ubl",
        junk.to_str().unwrap(),
        "/tmp/never-written.xml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an invoice"));
}

#[test]
fn inspect_prints_the_business_terms() {
    let Some(file) = corpus(EXAMPLE) else { return };
    let out = postbode(&["inspect", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let model: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(model["syntax"], "ubl-invoice");
    assert_eq!(model["invoice"]["number"], "Snippet1");
    assert_eq!(model["invoice"]["currency"], "EUR");
    assert!(
        model["invoice"]["lines"]
            .as_array()
            .is_some_and(|l| !l.is_empty())
    );
}

/// A one-page PDF with `xml` attached under `/AF` as factur-x.xml.
fn facturx_pdf(xml: &[u8]) -> Vec<u8> {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.7");
    let pages = doc.new_object_id();
    let page = doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages });
    doc.objects.insert(
        pages,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let file = doc.add_object(Stream::new(
        dictionary! { "Type" => "EmbeddedFile" },
        xml.to_vec(),
    ));
    let spec = doc.add_object(dictionary! {
        "Type" => "Filespec", "F" => Object::string_literal("factur-x.xml"), "EF" => dictionary! { "F" => file },
    });
    let catalog = doc.add_object(
        dictionary! { "Type" => "Catalog", "Pages" => pages, "AF" => vec![spec.into()] },
    );
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("the PDF is written");
    out
}

#[test]
fn a_facturx_pdf_is_validated_by_its_embedded_xml() {
    let Some(file) = corpus("en16931/cii/examples/CII_example1.xml") else {
        return;
    };
    let pdf = scratch("invoice.pdf", &facturx_pdf(&std::fs::read(file).unwrap()));
    let out = postbode(&["validate", "--format", "json", pdf.to_str().unwrap()]);
    let line = &json_lines(&out)[0];
    assert_eq!(line["syntax"], "cii");
    let plain = scratch("plain.pdf", &facturx_pdf(b"")[..]);
    let out = postbode(&["validate", "--format", "json", plain.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_lines(&out)[0]["findings"][0]["rule"], "POSTBODE-INPUT");
}

#[test]
fn a_credit_note_stays_a_credit_note_through_cii() {
    let Some(file) = corpus("en16931/ubl/examples/ubl-tc434-creditnote1.xml") else {
        return;
    };
    let cii = scratch("credit.cii.xml", b"");
    let ubl = scratch("credit.ubl.xml", b"");
    convert("cii", &file, &cii);
    convert("ubl", &cii, &ubl);
    let out = postbode(&["validate", "--format", "json", ubl.to_str().unwrap()]);
    let line = &json_lines(&out)[0];
    assert_eq!(line["syntax"], "ubl-creditnote");
    assert_eq!(line["valid"], true, "{:?}", rules_fired(line));
}

//! The tables and the code lists in `../shared/corpus/peppol-codelists` agree, and every
//! example value the participant identifier schemes give is judged as the list's own rules
//! judge it.
//!
//! The corpus lives beside the checkout. When it is absent these tests say so and pass; when
//! it is present they check every entry.

use std::path::Path;

use peppol::document_type::DocumentType;
use peppol::process::Process;
use peppol::{DocumentTypeId, ParticipantId, ParticipantIdError, ProcessId, Scheme, State};
use serde_json::Value;

/// The `values` of one code list, or `None` (with a note) when the corpus is not there.
fn codelist(name: &str) -> Option<Vec<Value>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/peppol-codelists")
        .join(name);
    if !path.is_file() {
        eprintln!("skipped: no code list at {}", path.display());
        return None;
    }
    let text = std::fs::read_to_string(&path).expect("the code list is readable");
    let list: Value = serde_json::from_str(&text).expect("the code list is JSON");
    let values = list["values"].as_array().expect("the code list has values");
    assert!(!values.is_empty(), "{name} lists nothing");
    Some(values.clone())
}

fn text<'a>(entry: &'a Value, field: &str) -> &'a str {
    entry[field].as_str().expect("the field is text")
}

fn state(entry: &Value) -> State {
    match text(entry, "state") {
        "active" => State::Active,
        "deprecated" => State::Deprecated,
        "removed" => State::Removed,
        other => panic!("unknown state {other}"),
    }
}

#[test]
fn every_scheme_is_in_the_table() {
    let Some(list) = codelist("Participant-identifier-schemes.json") else {
        return;
    };
    assert_eq!(list.len(), Scheme::all().len());
    for entry in &list {
        let icd = text(entry, "iso6523");
        let scheme = Scheme::by_icd(icd).unwrap_or_else(|| panic!("{icd} is missing"));
        assert_eq!(scheme.id, text(entry, "schemeid"));
        assert_eq!(scheme.country, text(entry, "country"));
        assert_eq!(scheme.state, state(entry), "{icd}");
        assert_eq!(Some(scheme.registrable), entry["registrable"].as_bool());
    }
}

/// Examples the list's own rules do not accept as written, with the reason.
const EXAMPLE_EXCEPTIONS: &[(&str, &str)] = &[
    // Written in display form; the value itself is "51824753556" (checked below).
    ("0151", "51 824 753 556"),
];

#[test]
fn every_example_is_judged_as_the_list_judges_it() {
    let Some(list) = codelist("Participant-identifier-schemes.json") else {
        return;
    };
    let mut judged = 0;
    for entry in &list {
        let icd = text(entry, "iso6523");
        let examples = entry["examples"].as_str().unwrap_or_default();
        for example in examples.lines().filter(|e| !e.trim().is_empty()) {
            judged += 1;
            let result = ParticipantId::parse(&format!("{icd}:{example}"));
            match state(entry) {
                State::Active if EXAMPLE_EXCEPTIONS.contains(&(icd, example)) => {
                    assert!(result.is_err(), "{icd}:{example} is listed as an exception");
                }
                State::Active => {
                    let id = result.unwrap_or_else(|e| panic!("{icd}:{example}: {e}"));
                    assert_eq!(id.value(), example.to_ascii_lowercase());
                }
                State::Deprecated => {
                    assert!(matches!(result, Err(ParticipantIdError::Deprecated { .. })));
                }
                State::Removed => {
                    assert!(matches!(result, Err(ParticipantIdError::Removed { .. })));
                }
            }
        }
    }
    assert!(judged >= 20, "only {judged} examples found");
    assert!(ParticipantId::parse("0151:51824753556").is_ok());
}

#[test]
fn every_document_type_parses_to_its_entry() {
    let Some(list) = codelist("Document-types.json") else {
        return;
    };
    assert_eq!(list.len(), DocumentType::all().len());
    for entry in &list {
        let full = format!("{}::{}", text(entry, "scheme"), text(entry, "value"));
        let id = DocumentTypeId::parse(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
        assert_eq!(id.to_string(), full);
        let found = id.entry().unwrap_or_else(|| panic!("{full} is missing"));
        assert_eq!(found.name, text(entry, "name"));
        assert_eq!(found.state, state(entry), "{full}");
        let processes: Vec<String> = entry["process-ids"]
            .as_array()
            .expect("process ids")
            .iter()
            .map(|p| format!("{}::{}", text(p, "scheme"), text(p, "value")))
            .collect();
        let ours: Vec<String> = found.processes.iter().map(ToString::to_string).collect();
        assert_eq!(ours, processes, "{full}");
    }
}

#[test]
fn every_process_parses_to_its_entry() {
    let Some(list) = codelist("Processes.json") else {
        return;
    };
    assert_eq!(list.len(), Process::all().len());
    for entry in &list {
        let full = format!("{}::{}", text(entry, "scheme"), text(entry, "value"));
        let id = ProcessId::parse(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
        assert_eq!(id.to_string(), full);
        let found = id.entry().unwrap_or_else(|| panic!("{full} is missing"));
        assert_eq!(found.state, state(entry), "{full}");
    }
}

//! Judges an invoice against the official business rules, with the official rule ids.
//!
//! # Overview
//!
//! [`validate`] takes bytes and gives a [`Report`]: the detected syntax and a list of
//! [`Finding`]s, each with its official rule id, [`Severity`], message and location.
//! Which [`RuleSet`]s apply follows the document's specification identifier (BT-24), as the
//! official validation does; [`validate_with`] forces a choice.
//!
//! Each rule set is a module with one `check` function over a [`Check`]: the parsed tree
//! (for the syntax rules) and the semantic model (for the business rules, written once for
//! UBL and CII). The rule ids, severities and messages come from the official catalogue,
//! generated into `generated/catalogue.rs` by `scripts/gen_rule_tables.py`.
//!
//! This crate does no I/O and keeps no state between documents.
#![deny(missing_docs)]

mod en16931;
mod generated;
mod peppol;
mod siubl;
mod syntax;

pub use peppol::check_digits;

pub mod codelists {
    //! The official code lists, generated from the shared rule catalogue.
    pub use crate::generated::codelists::*;

    /// True when `code` is in the sorted list `list`.
    ///
    /// A code of up to eight bytes (currencies, countries, units, schemes: nearly every code
    /// looked up) is compared with the list's codes as an integer that orders as their bytes
    /// do, so a probe of the search is a few register operations rather than a call to
    /// `memcmp`.
    pub fn contains(list: &[&str], code: &str) -> bool {
        let Some(key) = packed(code) else {
            return list.binary_search(&code).is_ok();
        };
        list.binary_search_by(|probe| match packed(probe) {
            Some(p) => p.cmp(&key),
            None => probe.as_bytes().cmp(code.as_bytes()),
        })
        .is_ok()
    }

    /// `s`'s bytes, zero-padded to eight and read big-endian, above its length: for strings
    /// of up to eight bytes the integers order as the strings do (a prefix first, also when
    /// the longer string goes on with a zero byte).
    fn packed(s: &str) -> Option<u128> {
        let bytes = s.as_bytes();
        if bytes.len() > 8 {
            return None;
        }
        // A shift per byte rather than a copy into a padded array: a copy of a variable
        // length is a call to `memcpy`, which cost more than the search's comparisons.
        let word = bytes
            .iter()
            .enumerate()
            .fold(0u64, |w, (i, &b)| w | u64::from(b) << (56 - 8 * i));
        Some(u128::from(word) << 8 | bytes.len() as u128)
    }

    #[cfg(test)]
    mod tests {
        use proptest::prelude::*;

        proptest! {
            /// The packed keys order as the bytes do, so the search finds what a plain one
            /// finds, in lists of short, long and zero-byte codes alike.
            #[test]
            fn contains_agrees_with_a_plain_search(
                mut list in proptest::collection::vec("[A-C\\x00]{0,10}", 0..40),
                code in "[A-C\\x00]{0,10}",
            ) {
                list.sort();
                list.dedup();
                let refs: Vec<&str> = list.iter().map(String::as_str).collect();
                prop_assert_eq!(super::contains(&refs, &code), refs.binary_search(&code.as_str()).is_ok());
                for listed in &refs {
                    prop_assert!(super::contains(&refs, listed));
                }
            }
        }

        #[test]
        fn packed_keys_order_as_bytes() {
            let mut words = [
                "",
                "\0",
                "A",
                "A\0",
                "AB",
                "ABCDEFGH",
                "ABCDEFG\0",
                "B",
                "\u{7f}",
            ];
            words.sort();
            let keys: Vec<u128> = words.iter().filter_map(|w| super::packed(w)).collect();
            assert_eq!(keys.len(), words.len());
            assert!(keys.windows(2).all(|k| k[0] < k[1]), "{words:?}");
        }
    }
}

use einvoice::{Invoice, Pos, Source, Syntax};
use serde::Serialize;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The document is invalid.
    Fatal,
    /// The document is valid but something should be fixed.
    Warning,
}

/// A set of rules published together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleSet {
    /// EN 16931 (CEN/TC 434): business rules, code lists and the UBL/CII syntax rules.
    En16931,
    /// Peppol BIS Billing 3.0, including its national rules.
    Peppol,
    /// SI-UBL 2.0 / NLCIUS, the Dutch CIUS.
    SiUbl,
}

/// The syntax family a rule is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// UBL Invoice and CreditNote.
    Ubl,
    /// CII.
    Cii,
}

impl From<Syntax> for Family {
    fn from(s: Syntax) -> Self {
        if s.is_ubl() { Family::Ubl } else { Family::Cii }
    }
}

/// One rule that fired.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The official rule id, e.g. `BR-CO-10`.
    pub rule: String,
    /// Fatal or warning, as the official rules flag it.
    pub severity: Severity,
    /// The official message.
    pub message: String,
    /// Where in the document, as an XPath-like path.
    pub location: String,
}

/// The result of validating one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// `ubl-invoice`, `ubl-creditnote`, `cii` or `unknown`.
    pub syntax: &'static str,
    /// Every rule that fired, in the order the rule sets ran.
    pub findings: Vec<Finding>,
}

impl Report {
    /// True when no finding is fatal.
    pub fn valid(&self) -> bool {
        self.findings
            .iter()
            .all(|f| f.severity == Severity::Warning)
    }

    /// A report with one fatal finding for a document that could not be judged at all.
    pub fn unreadable(rule: &str, message: String) -> Report {
        let finding = Finding {
            rule: rule.to_string(),
            severity: Severity::Fatal,
            message,
            location: "/".to_string(),
        };
        Report {
            syntax: "unknown",
            findings: vec![finding],
        }
    }
}

/// The rule id of the finding given to input that is not well-formed or not an invoice.
pub const UNREADABLE: &str = "POSTBODE-INPUT";

/// The rule id of the finding given to an element that occurs more often in its parent than
/// the UBL 2.1 or CII D16B schema allows (a 0..1 element repeated). The official validation
/// rejects such a document at its XSD step, before any Schematron rule runs; this id is ours,
/// not an official one.
pub const SCHEMA: &str = "POSTBODE-SCHEMA";

/// The Peppol BIS Billing 3.0 specification identifier (BT-24) prefix.
pub const PEPPOL_BIS3: &str =
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
/// The SI-UBL 2.0 (NLCIUS) specification identifier.
pub const SI_UBL_2: &str = "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0";

/// The rule sets the official validation applies to a document with this specification
/// identifier: EN 16931 always, plus the CIUS the identifier names.
pub fn rule_sets_for(specification: Option<&str>, syntax: Syntax) -> Vec<RuleSet> {
    let mut sets = vec![RuleSet::En16931];
    let spec = specification.map(str::trim).unwrap_or("");
    if spec.starts_with(PEPPOL_BIS3) {
        sets.push(RuleSet::Peppol);
    }
    if spec.starts_with(SI_UBL_2) && syntax.is_ubl() {
        sets.push(RuleSet::SiUbl);
    }
    sets
}

/// Validates invoice XML with the rule sets its specification identifier calls for.
pub fn validate(bytes: &[u8]) -> Report {
    run(bytes, None)
}

/// Validates invoice XML with exactly the given rule sets.
pub fn validate_with(bytes: &[u8], sets: &[RuleSet]) -> Report {
    run(bytes, Some(sets))
}

fn run(bytes: &[u8], forced: Option<&[RuleSet]>) -> Report {
    let source = match Source::parse(bytes) {
        Ok(s) => s,
        Err(e) => return Report::unreadable(UNREADABLE, e.to_string()),
    };
    let invoice = source.invoice_without_attachment_content();
    let sets = match forced {
        Some(sets) => sets.to_vec(),
        None => rule_sets_for(
            invoice.specification.as_ref().map(|t| t.value.as_str()),
            source.syntax,
        ),
    };
    judge(&source, &invoice, &sets)
}

/// Judges an already parsed document and its model with the given rule sets.
pub fn judge(source: &Source<'_>, invoice: &Invoice, sets: &[RuleSet]) -> Report {
    let mut check = Check {
        source,
        invoice,
        set: RuleSet::En16931,
        findings: Vec::new(),
        locator: einvoice::xml::Locator::default(),
    };
    for &set in sets {
        check.set = set;
        match set {
            RuleSet::En16931 => {
                syntax::check(&mut check);
                en16931::check(&mut check);
            }
            RuleSet::Peppol => peppol::check(&mut check),
            RuleSet::SiUbl => siubl::check(&mut check),
        }
    }
    Report {
        syntax: source.syntax.as_str(),
        findings: check.findings,
    }
}

/// What a rule set's `check` works on, and where its findings go.
pub struct Check<'a, 'input> {
    /// The parsed document.
    pub source: &'a Source<'input>,
    /// Its semantic model.
    pub invoice: &'a Invoice,
    set: RuleSet,
    findings: Vec<Finding>,
    locator: einvoice::xml::Locator,
}

impl Check<'_, '_> {
    /// The syntax of the document under check.
    pub fn syntax(&self) -> Syntax {
        self.source.syntax
    }

    /// The parsed tree.
    pub fn doc(&self) -> &einvoice::xml::Document<'_> {
        &self.source.doc
    }

    /// Records that rule `id` of the running rule set fired at `at`.
    ///
    /// The severity and message come from the official catalogue. An id that is not in the
    /// catalogue for this rule set and syntax is a bug in the rule code, so it fails loudly
    /// in debug builds and is reported as fatal in release builds.
    #[cold]
    pub fn fail(&mut self, id: &'static str, at: Pos) {
        let location = self.locator.location(self.source.node(at));
        self.fail_at(id, location);
    }

    /// Records that rule `id` fired at the tree node `node`.
    #[cold]
    pub fn fail_node(&mut self, id: &'static str, node: einvoice::xml::Node<'_, '_>) {
        let location = self.locator.location(node);
        self.fail_at(id, location);
    }

    /// Records a [`SCHEMA`] finding, fatal, at `node`: a rule outside the official catalogue,
    /// so the message is the caller's.
    #[cold]
    pub fn fail_schema(&mut self, node: einvoice::xml::Node<'_, '_>, message: String) {
        let location = self.locator.location(node);
        self.findings.push(Finding {
            rule: SCHEMA.to_string(),
            severity: Severity::Fatal,
            message,
            location,
        });
    }

    #[cold]
    fn fail_at(&mut self, id: &'static str, location: String) {
        let family = Family::from(self.source.syntax);
        let (severity, message) = match catalogue_entry(self.set, family, id) {
            Some(e) => (e.severity, e.message.to_string()),
            None => {
                debug_assert!(
                    false,
                    "rule {id} is not in the {:?} {family:?} catalogue",
                    self.set
                );
                (Severity::Fatal, format!("rule {id}"))
            }
        };
        self.findings.push(Finding {
            rule: id.to_string(),
            severity,
            message,
            location,
        });
    }
}

fn catalogue_entry(
    set: RuleSet,
    family: Family,
    id: &str,
) -> Option<&'static generated::catalogue::Entry> {
    let rules = &generated::catalogue::RULES;
    rules
        .binary_search_by(|e| (e.set, e.family, e.id).cmp(&(set, family, id)))
        .ok()
        .map(|i| &rules[i])
}

/// The official severity and message of a rule, if the catalogue has it.
pub fn describe(set: RuleSet, family: Family, id: &str) -> Option<(Severity, &'static str)> {
    catalogue_entry(set, family, id).map(|e| (e.severity, e.message))
}

/// Every rule id of a rule set and syntax family, in catalogue order.
pub fn rule_ids(set: RuleSet, family: Family) -> impl Iterator<Item = &'static str> {
    generated::catalogue::RULES
        .iter()
        .filter(move |e| e.set == set && e.family == family)
        .map(|e| e.id)
}

//! The EN 16931 UBL syntax rules: UBL-SR (cardinality), UBL-CR (restrictions) and UBL-DT
//! (data types). They judge the XML tree, not the model.
//!
//! Every rule is data in one of the tables below, checked in a single walk over the tree:
//! the paths of all "at most so many in the document" rules (most of them restrictions, at
//! most none) are merged into one [`paths::Automaton`], so an element costs the same
//! however many rules there are; the rules judged per group (a line, a payee, ...) look only
//! at the group's own children. The walk keeps no per-node allocation.

mod cardinality; // UBL-SR: how often an element may occur
mod data_types; // UBL-DT: amounts, binary objects, supplementary attributes
mod paths; // the path language of the tables and the automaton that follows them
mod restrictions; // UBL-CR: what a UBL invoice should not include
mod tree; // namespace and text questions about one node

use std::sync::LazyLock;

use crate::Check;
use cardinality::{Cardinality, GroupLimit};
use data_types::DataTypes;
use paths::{Automaton, Path, Run, Watch};
use restrictions::UblVersion;

/// The rule tables, parsed once.
struct Tables {
    automaton: Automaton,
    groups: Vec<GroupLimit>,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let mut automaton = automaton();
    let groups = cardinality::group_limits(&mut automaton);
    Tables { automaton, groups }
});

/// Every document-wide path rule in one automaton. A row whose path does not parse is left
/// out, and fails the table tests.
fn automaton() -> Automaton {
    let mut automaton = Automaton::new();
    let mut add = |rule: &'static str, path: &'static str, via: &[paths::Step], at_most| {
        let parsed = Path::parse(path);
        debug_assert!(parsed.is_some(), "{rule}: bad path {path}");
        if let Some(path) = parsed {
            automaton.watch(&path, via, Watch { rule, at_most });
        }
    };
    for &(rule, path) in restrictions::DOCUMENT.iter().chain(data_types::ATTRIBUTES) {
        add(rule, path, &[], 0);
    }
    for line in restrictions::LINE_ELEMENTS {
        let Some(via) = Path::parse(line) else {
            continue;
        };
        for &(rule, path) in restrictions::LINE {
            add(rule, path, &via.steps, 0);
        }
    }
    for &(rule, path, at_most) in cardinality::DOCUMENT {
        add(rule, path, &[], at_most);
    }
    automaton
}

/// Runs the UBL syntax rules.
pub fn check(cx: &mut Check<'_, '_>) {
    let tables = &*TABLES;
    let source = cx.source;
    let credit_note = cx.syntax() == einvoice::Syntax::UblCreditNote;
    let names = source.doc.element_names().len();
    let mut run = Run::new(&tables.automaton, &source.doc);
    let mut data_types = DataTypes::new(names);
    let mut cardinality = Cardinality::new(&tables.groups, credit_note, names);
    let mut version = UblVersion::default();
    for node in source.doc.elements() {
        run.open(node, |rule| cx.fail_node(rule, node));
        data_types.open(cx, node);
        cardinality.open(cx, node, &run);
        version.open(node);
    }
    version.finish(cx);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_path_parses() {
        let tables = [
            restrictions::DOCUMENT,
            restrictions::LINE,
            data_types::ATTRIBUTES,
        ];
        for (rule, path) in tables.iter().flat_map(|t| t.iter()) {
            assert!(Path::parse(path).is_some(), "{rule}: {path}");
        }
        for (rule, path, _) in cardinality::DOCUMENT {
            assert!(Path::parse(path).is_some(), "{rule}: {path}");
        }
        for (_, rule, path, _, _) in cardinality::GROUP {
            assert!(Path::parse(path).is_some(), "{rule}: {path}");
        }
    }

    #[test]
    fn every_rule_is_in_the_official_catalogue() {
        let family = crate::Family::Ubl;
        let ids = restrictions::DOCUMENT
            .iter()
            .chain(restrictions::LINE)
            .chain(data_types::ATTRIBUTES)
            .map(|(rule, _)| *rule)
            .chain(cardinality::DOCUMENT.iter().map(|(rule, ..)| *rule))
            .chain(cardinality::GROUP.iter().map(|(_, rule, ..)| *rule));
        for rule in ids {
            assert!(
                crate::describe(crate::RuleSet::En16931, family, rule).is_some(),
                "{rule}"
            );
        }
    }

    #[test]
    fn every_official_rule_has_a_home() {
        let mut ours: Vec<&str> = restrictions::DOCUMENT
            .iter()
            .chain(restrictions::LINE)
            .chain(data_types::ATTRIBUTES)
            .map(|(rule, _)| *rule)
            .chain(cardinality::DOCUMENT.iter().map(|(rule, ..)| *rule))
            .chain(cardinality::GROUP.iter().map(|(_, rule, ..)| *rule))
            // Rules written as code rather than table rows.
            .chain([
                "UBL-CR-002",
                "UBL-DT-01",
                "UBL-DT-06",
                "UBL-DT-07",
                "UBL-DT-18",
            ])
            .chain(["UBL-SR-43", "UBL-SR-44", "UBL-SR-47"])
            .collect();
        ours.sort_unstable();
        ours.dedup();
        let official: Vec<&str> = crate::rule_ids(crate::RuleSet::En16931, crate::Family::Ubl)
            .filter(|id| id.starts_with("UBL-"))
            .collect();
        let missing: Vec<_> = official.iter().filter(|id| !ours.contains(id)).collect();
        assert!(missing.is_empty(), "{missing:?}");
        assert_eq!(ours.len(), official.len());
    }
}

//! The assertion table compiled, once per process, into one path trie per context.
//!
//! A [`Plan`] lets the walk judge every assertion of a context by looking at each child of
//! the context element once (a binary search by name), descending only along paths some
//! assertion names. The cost per element does not grow with the number of rules.

use std::sync::LazyLock;

use einvoice::xml::Node;
use einvoice::xml::dom::KnownNamespace;

use super::context::RuleContext;
use super::facts::Facts;
use super::table;

/// A test of the context element that exempts it from an `Absent` assertion.
pub(super) type Exemption = fn(Node<'_, '_>) -> bool;

/// A test of the context element, for assertions no path count can express.
pub(super) type ContextTest = fn(Node<'_, '_>, &Facts) -> bool;

/// A test of the document-wide facts.
pub(super) type DocumentTest = fn(&Facts) -> bool;

/// One official assertion: its rule id and what must hold at each context element.
pub(super) struct Assert(pub &'static str, pub Test);

/// What an assertion demands of a context element, in relative paths such as
/// `IncludedNote/Subject` or `IssueDateTime/udt:DateTime` (steps are `ram:` elements unless
/// prefixed `udt:`; a last step `@name` is an attribute). A path counts the nodes it reaches.
pub(super) enum Test {
    /// `not(path)`: nothing is there.
    Absent(&'static str),
    /// `not(path) or exempt(.)`: nothing is there, unless the context element is exempt.
    AbsentUnless(&'static str, Exemption),
    /// `count(path) <= 1`.
    AtMostOnce(&'static str),
    /// `count(path) = 1`.
    ExactlyOnce(&'static str),
    /// `path`: something is there.
    Present(&'static str),
    /// `not(a and b)`.
    NotBoth(&'static str, &'static str),
    /// `not(a) or b`.
    Implies(&'static str, &'static str),
    /// `not(a) or count(b) = 1`.
    ImpliesOnce(&'static str, &'static str),
    /// A test of its own on the context element (value comparisons, predicates).
    Holds(ContextTest),
    /// A test over the whole document (`//` inside the test), judged after the walk.
    Document(DocumentTest),
}

/// One node of a context's path trie: an element or attribute step below its parent step.
struct Step {
    /// The element's namespace; `None` for an attribute. Interned, so that matching a child
    /// compares the namespace as an integer rather than as a long URN.
    ns: Option<KnownNamespace>,
    local: &'static str,
    /// Child element steps, sorted by [`Step::key`].
    elements: Vec<usize>,
    /// Attribute steps of this element.
    attributes: Vec<usize>,
    /// `Absent` assertions on this step: they fail as soon as the step is reached.
    absent: Vec<(&'static str, Option<Exemption>)>,
}

/// An assertion that is judged after the context element's subtree was counted.
pub(super) enum Judged {
    /// Fails when the count of the step is outside `min..=max`.
    Count(usize, u32, u32),
    /// Fails when both steps were reached.
    NotBoth(usize, usize),
    /// Fails when the first step was reached but the second not.
    Implies(usize, usize),
    /// Fails when the first step was reached and the second not exactly once.
    ImpliesOnce(usize, usize),
    /// See [`Test::Holds`].
    Holds(ContextTest),
    /// See [`Test::Document`].
    Document(DocumentTest),
}

/// Everything needed to judge one context: its trie (step 0 is the context element itself)
/// and the assertions judged after counting.
pub(super) struct Plan {
    steps: Vec<Step>,
    pub(super) judged: Vec<(&'static str, Judged)>,
}

impl Plan {
    fn compile(asserts: &'static [Assert]) -> Plan {
        let mut plan = Plan {
            steps: vec![Step::new(Some(KnownNamespace::Ram), "")],
            judged: Vec::new(),
        };
        for Assert(id, test) in asserts {
            let judged = match *test {
                Test::Absent(path) => {
                    let step = plan.intern(path);
                    plan.steps[step].absent.push((id, None));
                    continue;
                }
                Test::AbsentUnless(path, exempt) => {
                    let step = plan.intern(path);
                    plan.steps[step].absent.push((id, Some(exempt)));
                    continue;
                }
                Test::AtMostOnce(path) => Judged::Count(plan.intern(path), 0, 1),
                Test::ExactlyOnce(path) => Judged::Count(plan.intern(path), 1, 1),
                Test::Present(path) => Judged::Count(plan.intern(path), 1, u32::MAX),
                Test::NotBoth(a, b) => Judged::NotBoth(plan.intern(a), plan.intern(b)),
                Test::Implies(a, b) => Judged::Implies(plan.intern(a), plan.intern(b)),
                Test::ImpliesOnce(a, b) => Judged::ImpliesOnce(plan.intern(a), plan.intern(b)),
                Test::Holds(f) => Judged::Holds(f),
                Test::Document(f) => Judged::Document(f),
            };
            plan.judged.push((id, judged));
        }
        for i in 0..plan.steps.len() {
            let mut elements = std::mem::take(&mut plan.steps[i].elements);
            elements.sort_by_key(|&e| plan.steps[e].key());
            plan.steps[i].elements = elements;
        }
        plan
    }

    /// The step a relative path ends at, adding the steps it lacks.
    fn intern(&mut self, path: &'static str) -> usize {
        path.split('/').fold(0, |at, part| {
            let (ns, local, attribute) = if let Some(name) = part.strip_prefix('@') {
                (None, name, true)
            } else if let Some(name) = part.strip_prefix("udt:") {
                (Some(KnownNamespace::Udt), name, false)
            } else {
                (Some(KnownNamespace::Ram), part, false)
            };
            let existing = {
                let step = &self.steps[at];
                let siblings = if attribute {
                    &step.attributes
                } else {
                    &step.elements
                };
                siblings
                    .iter()
                    .copied()
                    .find(|&s| self.steps[s].key() == (local.len(), local, ns))
            };
            existing.unwrap_or_else(|| {
                let new = self.steps.len();
                self.steps.push(Step::new(ns, local));
                let step = &mut self.steps[at];
                if attribute {
                    step.attributes.push(new);
                } else {
                    step.elements.push(new);
                }
                new
            })
        })
    }

    /// The child element step of `step` that `child` reaches, if any.
    pub(super) fn element_step(&self, step: usize, child: Node<'_, '_>) -> Option<usize> {
        let name = child.tag_name().name();
        let key = (name.len(), name, child.known_namespace());
        let elements = &self.steps.get(step)?.elements;
        let found = elements
            .binary_search_by(|&e| self.steps[e].key().cmp(&key))
            .ok()?;
        elements.get(found).copied()
    }

    /// The attribute steps of `step` that `node` carries.
    pub(super) fn attribute_steps<'p>(
        &'p self,
        step: usize,
        node: Node<'p, '_>,
    ) -> impl Iterator<Item = usize> + 'p {
        self.steps
            .get(step)
            .map_or(&[][..], |s| &s.attributes)
            .iter()
            .copied()
            .filter(move |&a| node.attribute(self.steps[a].local).is_some())
    }

    /// Whether `step` has element steps below it.
    pub(super) fn has_elements(&self, step: usize) -> bool {
        self.steps.get(step).is_some_and(|s| !s.elements.is_empty())
    }

    /// The `Absent` assertions on `step`, with their exemptions.
    pub(super) fn absent(&self, step: usize) -> &[(&'static str, Option<Exemption>)] {
        self.steps.get(step).map_or(&[], |s| &s.absent)
    }
}

impl Step {
    fn new(ns: Option<KnownNamespace>, local: &'static str) -> Step {
        Step {
            ns,
            local,
            elements: Vec::new(),
            attributes: Vec::new(),
            absent: Vec::new(),
        }
    }

    /// The order of a step among its siblings: by the length of the local name first, so
    /// that a search compares the bytes of names only when their lengths agree.
    fn key(&self) -> (usize, &'static str, Option<KnownNamespace>) {
        (self.local.len(), self.local, self.ns)
    }
}

static PLANS: LazyLock<Vec<Plan>> = LazyLock::new(|| {
    RuleContext::ALL
        .iter()
        .map(|&c| Plan::compile(table::asserts(c)))
        .collect()
});

/// The compiled plan of `context`.
pub(super) fn plan(context: RuleContext) -> &'static Plan {
    &PLANS[context as usize]
}

/// The most steps any plan has, to size the walk's counters once.
pub(super) fn most_steps() -> usize {
    PLANS.iter().map(|p| p.steps.len()).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Family, RuleSet};

    #[test]
    fn plans_are_indexed_by_context() {
        for (i, context) in RuleContext::ALL.iter().enumerate() {
            assert_eq!(*context as usize, i, "{context:?}");
        }
        assert_eq!(PLANS.len(), RuleContext::ALL.len());
    }

    /// The table holds every official CII rule once, except the three whose official context
    /// is shadowed, and nothing else.
    #[test]
    fn the_table_is_the_official_catalogue() {
        let mut table: Vec<&str> = RuleContext::ALL
            .iter()
            .flat_map(|&c| table::asserts(c).iter().map(|a| a.0))
            .collect();
        table.sort_unstable();
        let mut official: Vec<&str> = crate::rule_ids(RuleSet::En16931, Family::Cii)
            .filter(|id| id.starts_with("CII-"))
            .filter(|id| !["CII-DT-010", "CII-DT-011", "CII-DT-012"].contains(id))
            .collect();
        official.sort_unstable();
        assert_eq!(table, official);
    }

    #[test]
    fn paths_share_their_steps() {
        let plan = plan(RuleContext::ExchangedDocument);
        let notes = plan.steps[0]
            .elements
            .iter()
            .filter(|&&s| plan.steps[s].local == "IncludedNote")
            .count();
        assert_eq!(notes, 1);
        for step in &plan.steps {
            let keys: Vec<_> = step.elements.iter().map(|&e| plan.steps[e].key()).collect();
            assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        }
    }
}

//! CII-SR and CII-DT: the EN 16931 syntax rules of the CII binding, judged on the XML tree.
//!
//! The rules are data ([`table`]): per official context ([`context::RuleContext`]) the rule ids
//! with their tests. Each context's tests are compiled once per process into a path trie
//! ([`plan::Plan`]). [`check`] then walks the document once, in document order: it finds the
//! official context of each element (first match wins, as in the official pattern), counts
//! what the context's paths reach among its children and grandchildren, and judges the
//! tests. Document-wide facts ([`facts::Facts`]) are gathered in the same walk; the few
//! assertions that read them are judged after it.

mod context;
mod facts;
mod plan;
mod predicates;
mod table;
mod xpath;

use einvoice::xml::Node;

use crate::Check;
use context::RuleContext;
use facts::Facts;
use plan::{DocumentTest, Judged, Plan};

/// Runs the CII syntax rules.
pub fn check(cx: &mut Check<'_, '_>) {
    let source = cx.source;
    let doc = &source.doc;
    let mut walk = Walk {
        cx,
        facts: Facts::new(doc),
        counters: vec![Counter::default(); plan::most_steps()],
        round: 0,
        deferred: Vec::new(),
    };
    for node in doc.elements() {
        walk.facts.gather(node);
        if let Some(context) = RuleContext::of(node) {
            walk.judge(node, plan::plan(context));
        }
    }
    walk.finish();
}

/// How often a plan step was reached below the context element being judged. A counter
/// from an earlier round reads as zero, so nothing is reset between context elements.
#[derive(Clone, Copy, Default)]
struct Counter {
    round: u64,
    reached: u32,
}

struct Walk<'c, 'a, 'input, 'd> {
    cx: &'c mut Check<'a, 'input>,
    facts: Facts,
    counters: Vec<Counter>,
    round: u64,
    deferred: Vec<(Node<'d, 'd>, &'static str, DocumentTest)>,
}

impl<'d> Walk<'_, '_, '_, 'd> {
    fn judge(&mut self, context: Node<'d, 'd>, plan: &'static Plan) {
        self.round += 1;
        self.descend(context, context, plan, 0);
        for &(id, ref judged) in &plan.judged {
            let holds = match *judged {
                Judged::Count(step, min, max) => (min..=max).contains(&self.reached(step)),
                Judged::NotBoth(a, b) => self.reached(a) == 0 || self.reached(b) == 0,
                Judged::Implies(a, b) => self.reached(a) == 0 || self.reached(b) > 0,
                Judged::ImpliesOnce(a, b) => self.reached(a) == 0 || self.reached(b) == 1,
                Judged::Holds(test) => test(context, &self.facts),
                Judged::Document(test) => {
                    self.deferred.push((context, id, test));
                    true
                }
            };
            if !holds {
                self.cx.fail_node(id, context);
            }
        }
    }

    fn descend(
        &mut self,
        context: Node<'d, 'd>,
        node: Node<'d, 'd>,
        plan: &'static Plan,
        step: usize,
    ) {
        for attribute in plan.attribute_steps(step, node) {
            self.reach(context, plan, attribute);
        }
        if !plan.has_elements(step) {
            return;
        }
        for child in node.children().filter(Node::is_element) {
            if let Some(below) = plan.element_step(step, child) {
                self.reach(context, plan, below);
                self.descend(context, child, plan, below);
            }
        }
    }

    /// Counts one node reaching `step`; the first one fails the step's `Absent` assertions.
    fn reach(&mut self, context: Node<'d, 'd>, plan: &'static Plan, step: usize) {
        let round = self.round;
        let Some(counter) = self.counters.get_mut(step) else {
            return;
        };
        if counter.round != round {
            *counter = Counter { round, reached: 0 };
        }
        counter.reached += 1;
        if counter.reached == 1 {
            for &(id, exempt) in plan.absent(step) {
                if !exempt.is_some_and(|e| e(context)) {
                    self.cx.fail_node(id, context);
                }
            }
        }
    }

    fn reached(&self, step: usize) -> u32 {
        self.counters
            .get(step)
            .filter(|c| c.round == self.round)
            .map_or(0, |c| c.reached)
    }

    fn finish(self) {
        for (context, id, test) in self.deferred {
            if !test(&self.facts) {
                self.cx.fail_node(id, context);
            }
        }
    }
}

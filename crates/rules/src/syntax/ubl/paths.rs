//! Element paths, and an automaton that follows many of them in one walk over the tree.
//!
//! Our rule tables name what they judge with a small path language:
//!
//! - `cac:InvoicePeriod/cbc:StartTime`: child steps from the root element (Invoice or
//!   CreditNote);
//! - `/ubl:Invoice/cac:PaymentMeans/cbc:PaymentDueDate`: from the document, naming the root;
//! - `//cac:Country/cbc:IdentificationCode`: starting at any depth;
//! - a last step `@schemeID` names an attribute (without namespace) of the element reached;
//! - a step may carry one named [`Predicate`] in brackets: `cac:PartyTaxScheme[vat]`.
//!
//! An [`Automaton`] merges all paths into one trie of states. A [`Run`] keeps the states each
//! open element has reached, so every element costs a lookup in the states of its parent,
//! however many paths there are: the walk stays linear in the size of the document.
//!
//! The automaton numbers the element names its paths use ([`Symbol`]); a run maps each
//! interned name of its document to its symbol once, so following an edge compares integers.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use einvoice::xml::dom::MulRotate;
use einvoice::xml::{Document, Node, NodeId};

use super::tree::{self, Ns};

/// A named condition on the element of a step, for the few rules that filter on content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Predicate {
    /// `[object]`: a `cbc:DocumentTypeCode` child is `130`, i.e. the supporting document
    /// reference is the invoiced object identifier (BT-18).
    InvoicedObject,
    /// `[not-object]`: some `cbc:DocumentTypeCode` child is not `130`, or there is none.
    /// Not the negation of `[object]`: a reference with two codes can be both.
    NotInvoicedObject,
    /// `[vat]`: some `cac:TaxScheme/cbc:ID` is `VAT`, in any letter case.
    Vat,
    /// `[non-vat]`: some `cac:TaxScheme` has no `cbc:ID` that is `VAT` (in any letter case).
    NonVat,
    /// `[sepa]`: the `@schemeID` is `SEPA`, in any letter case (a SEPA creditor identifier).
    Sepa,
    /// `[non-sepa]`: the `@schemeID` is absent or not `SEPA`.
    NonSepa,
}

impl Predicate {
    fn parse(name: &str) -> Option<Predicate> {
        Some(match name {
            "object" => Predicate::InvoicedObject,
            "not-object" => Predicate::NotInvoicedObject,
            "vat" => Predicate::Vat,
            "non-vat" => Predicate::NonVat,
            "sepa" => Predicate::Sepa,
            "non-sepa" => Predicate::NonSepa,
            _ => return None,
        })
    }

    /// True when the condition holds for `node`.
    pub(super) fn holds(self, node: Node<'_, '_>) -> bool {
        let codes = || tree::children(node, Ns::Cbc, "DocumentTypeCode");
        // Per tax scheme, whether its identifier is VAT; a scheme without one compares as
        // the empty string (XPath `upper-case(())` is ""), so it is not VAT.
        let schemes = || {
            tree::children(node, Ns::Cac, "TaxScheme").map(|s| {
                tree::children(s, Ns::Cbc, "ID")
                    .any(|id| tree::upper_is(id.string_value().chars(), "VAT"))
            })
        };
        let sepa = || tree::upper_is(node.attribute("schemeID").unwrap_or("").chars(), "SEPA");
        match self {
            Predicate::InvoicedObject => codes().any(|c| tree::text_is(c, "130")),
            Predicate::NotInvoicedObject => {
                codes().next().is_none() || codes().any(|c| !tree::text_is(c, "130"))
            }
            Predicate::Vat => schemes().any(|vat| vat),
            Predicate::NonVat => schemes().any(|vat| !vat),
            Predicate::Sepa => sepa(),
            Predicate::NonSepa => !sepa(),
        }
    }
}

/// One element step of a path: a qualified name and an optional condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Step {
    ns: Ns,
    local: &'static str,
    when: Option<Predicate>,
}

impl Step {
    fn parse(text: &'static str) -> Option<Step> {
        let (name, when) = match text.strip_suffix(']') {
            Some(rest) => {
                let (name, predicate) = rest.split_once('[')?;
                (name, Some(Predicate::parse(predicate)?))
            }
            None => (text, None),
        };
        let (prefix, local) = name.split_once(':')?;
        let ok = !local.is_empty() && local.chars().all(|c| c.is_ascii_alphanumeric());
        ok.then_some(Step {
            ns: Ns::from_prefix(prefix)?,
            local,
            when,
        })
    }
}

/// Where a path starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Anchor {
    /// At the root element, whichever document type it is.
    Root,
    /// At the document node: the first step names the root element.
    Document,
    /// At any depth.
    Anywhere,
}

/// A parsed path of the table language (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Path {
    pub(super) anchor: Anchor,
    pub(super) steps: Vec<Step>,
    pub(super) attribute: Option<&'static str>,
}

impl Path {
    /// Parses `text`, or `None` when it is not in the path language.
    pub(super) fn parse(text: &'static str) -> Option<Path> {
        let (anchor, rest) = if let Some(rest) = text.strip_prefix("//") {
            (Anchor::Anywhere, rest)
        } else if let Some(rest) = text.strip_prefix('/') {
            (Anchor::Document, rest)
        } else {
            (Anchor::Root, text)
        };
        let mut steps = Vec::new();
        let mut attribute = None;
        let mut parts = rest.split('/').peekable();
        while let Some(part) = parts.next() {
            if let Some(name) = part.strip_prefix('@') {
                let last = parts.peek().is_none();
                if !last || name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return None;
                }
                attribute = Some(name);
            } else {
                steps.push(Step::parse(part)?);
            }
        }
        let empty = steps.is_empty() && attribute.is_none();
        (!empty).then_some(Path {
            anchor,
            steps,
            attribute,
        })
    }

    /// How many nodes the path reaches from `node` (anchor ignored: the steps are children).
    /// `symbols` are the steps' names in `run`'s automaton ([`Automaton::intern`]).
    pub(super) fn count_from(
        &self,
        node: Node<'_, '_>,
        symbols: &[Symbol],
        run: &Run<'_>,
    ) -> usize {
        count(node, &self.steps, symbols, run, self.attribute)
    }

    /// How many of the nodes [`Path::count_from`] counts from an element lie in or at its
    /// child `child`, whose symbol is `symbol`: summed over the children, the same count,
    /// so one pass over the children serves many paths. Zero for a path without steps.
    pub(super) fn count_via(
        &self,
        child: Node<'_, '_>,
        symbol: Symbol,
        symbols: &[Symbol],
        run: &Run<'_>,
    ) -> usize {
        match (self.steps.split_first(), symbols.split_first()) {
            (Some((step, rest)), Some((&first, symbols)))
                if first == symbol && step.when.is_none_or(|p| p.holds(child)) =>
            {
                count(child, rest, symbols, run, self.attribute)
            }
            _ => 0,
        }
    }
}

fn count(
    node: Node<'_, '_>,
    steps: &[Step],
    symbols: &[Symbol],
    run: &Run<'_>,
    attribute: Option<&str>,
) -> usize {
    match (steps.split_first(), symbols.split_first()) {
        (Some((step, rest)), Some((&symbol, symbols))) => node
            .children()
            .filter(|c| run.symbol(*c) == symbol && step.when.is_none_or(|p| p.holds(*c)))
            .map(|c| count(c, rest, symbols, run, attribute))
            .sum(),
        _ => match attribute {
            Some(name) => usize::from(node.has_attribute(name)),
            None => 1,
        },
    }
}

/// A rule the automaton counts hits for: it fires on the hit after `at_most`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Watch {
    /// The official rule id.
    pub(super) rule: &'static str,
    /// How many nodes the path may reach in the whole document.
    pub(super) at_most: u32,
}

/// An element name some path of the automaton names.
pub(super) type Symbol = u16;

/// The symbol of names no path names.
const NO_SYMBOL: Symbol = Symbol::MAX;

#[derive(Clone, Copy, Debug)]
struct Edge {
    symbol: Symbol,
    when: Option<Predicate>,
    to: u32,
}

#[derive(Debug, Default)]
struct State {
    /// Sorted by symbol, so an element finds its edges by binary search; edges of one
    /// symbol stay in order of addition.
    edges: Vec<Edge>,
    /// Watches whose path ends at this state's element.
    reached: Vec<u32>,
    /// Watches whose path ends at an attribute of this state's element, sorted by
    /// [`attribute_order`].
    attributes: Vec<(&'static str, u32)>,
    /// Bit `n % 64` is set when some name of `attributes` is `n` bytes long: most
    /// attributes of an element are ruled out without comparing strings.
    attribute_lengths: u64,
}

/// How a state's attribute names are sorted: by length first, so that a search compares
/// bytes only between names of one length.
fn attribute_order(name: &str) -> (usize, &str) {
    (name.len(), name)
}

/// The bit of [`State::attribute_lengths`] for a name.
fn length_bit(name: &str) -> u64 {
    1 << (name.len() % 64)
}

const DOCUMENT: u32 = 0;
const ANYWHERE: u32 = 1;
const ROOT: u32 = 2;

/// Many paths merged into one trie, each ending in a [`Watch`].
#[derive(Debug)]
pub(super) struct Automaton {
    states: Vec<State>,
    watches: Vec<Watch>,
    /// Every document looks up each of its element names here once; the keys are trusted
    /// table names, so a cheap unkeyed hash is safe and beats the default one.
    symbols: HashMap<(Ns, &'static str), Symbol, BuildHasherDefault<MulRotate>>,
    /// By symbol: whether the any-depth state has an edge for it. Most elements have
    /// none, and this spares them the search of its edges.
    anywhere: Vec<bool>,
}

impl Automaton {
    /// An automaton that watches nothing yet.
    pub(super) fn new() -> Automaton {
        let states = (0..=ROOT).map(|_| State::default()).collect();
        Automaton {
            states,
            watches: Vec::new(),
            symbols: HashMap::default(),
            anywhere: Vec::new(),
        }
    }

    /// Watches `path`, entered from `via` (steps between the anchor and the path, e.g. the
    /// invoice line element), for `watch`.
    pub(super) fn watch(&mut self, path: &Path, via: &[Step], watch: Watch) {
        let mut at = match path.anchor {
            Anchor::Root => ROOT,
            Anchor::Document => DOCUMENT,
            Anchor::Anywhere => ANYWHERE,
        };
        for step in via.iter().chain(&path.steps) {
            at = self.edge(at, *step);
        }
        let id = self.watches.len() as u32;
        self.watches.push(watch);
        let Some(state) = self.states.get_mut(at as usize) else {
            return;
        };
        match path.attribute {
            Some(name) => {
                let i = state
                    .attributes
                    .partition_point(|(n, _)| attribute_order(n) < attribute_order(name));
                state.attributes.insert(i, (name, id));
                state.attribute_lengths |= length_bit(name);
            }
            None => state.reached.push(id),
        }
    }

    /// The symbol of `step`'s element name, numbered when new; paths judged outside the
    /// automaton use it too, so that one per-document name table serves every walk.
    pub(super) fn intern(&mut self, step: &Step) -> Symbol {
        let next_symbol = self.symbols.len() as Symbol;
        *self
            .symbols
            .entry((step.ns, step.local))
            .or_insert(next_symbol)
    }

    /// The state behind the edge `step` from `from`, made when new.
    fn edge(&mut self, from: u32, step: Step) -> u32 {
        let to = self.states.len() as u32;
        let symbol = self.intern(&step);
        let Some(state) = self.states.get_mut(from as usize) else {
            return from;
        };
        let same = |e: &&Edge| e.symbol == symbol && e.when == step.when;
        if let Some(e) = state.edges.iter().find(same) {
            return e.to;
        }
        let i = state.edges.partition_point(|e| e.symbol <= symbol);
        let edge = Edge {
            symbol,
            when: step.when,
            to,
        };
        state.edges.insert(i, edge);
        if from == ANYWHERE {
            let i = usize::from(symbol);
            if self.anywhere.len() <= i {
                self.anywhere.resize(i + 1, false);
            }
            if let Some(slot) = self.anywhere.get_mut(i) {
                *slot = true;
            }
        }
        self.states.push(State::default());
        to
    }

    /// Whether the any-depth state has an edge for `symbol`.
    fn anywhere_has(&self, symbol: Symbol) -> bool {
        self.anywhere
            .get(usize::from(symbol))
            .copied()
            .unwrap_or(false)
    }

    fn state(&self, id: u32) -> Option<&State> {
        self.states.get(id as usize)
    }

    /// The symbol of each element name of `doc`, by [`einvoice::xml::dom::NameId`].
    fn symbols_of(&self, doc: &Document<'_>) -> Vec<Symbol> {
        doc.known_element_names()
            .map(|(ns, local)| {
                ns.and_then(Ns::of_known)
                    .and_then(|ns| self.symbols.get(&(ns, local)))
                    .copied()
                    .unwrap_or(NO_SYMBOL)
            })
            .collect()
    }
}

/// One walk of an [`Automaton`] over one document, in document order.
pub(super) struct Run<'m> {
    automaton: &'m Automaton,
    /// The symbol of each element name of the document, by name id.
    symbols: Vec<Symbol>,
    /// The state of the document node, then those of every open element, innermost last.
    states: Vec<u32>,
    /// Each open element, with where its states start in `states`.
    frames: Vec<(NodeId, usize)>,
    /// Hits per watch so far.
    hits: Vec<u32>,
}

impl<'m> Run<'m> {
    /// A run over `doc` at the document node, before the root element.
    pub(super) fn new(automaton: &'m Automaton, doc: &Document<'_>) -> Run<'m> {
        Run {
            automaton,
            symbols: automaton.symbols_of(doc),
            states: vec![DOCUMENT],
            frames: Vec::new(),
            hits: vec![0; automaton.watches.len()],
        }
    }

    /// Enters the element `node`, the next element in document order: the elements that
    /// are not its ancestors are left first. Calls `fire` with a watch's rule on the hit
    /// that takes it over its limit.
    pub(super) fn open(&mut self, node: Node<'_, '_>, mut fire: impl FnMut(&'static str)) {
        let parent = node.parent().map(|p| p.id());
        while let Some(&(id, start)) = self.frames.last() {
            if Some(id) == parent {
                break;
            }
            self.frames.pop();
            self.states.truncate(start);
        }
        let parent_start = self.frames.last().map_or(0, |&(_, start)| start);
        let start = self.states.len();
        if self.frames.is_empty() {
            self.states.push(ROOT);
        }
        self.frames.push((node.id(), start));
        let symbol = self.symbol(node);
        if symbol != NO_SYMBOL {
            for i in parent_start..start {
                let from = self.states.get(i).copied().unwrap_or(DOCUMENT);
                self.follow(from, symbol, node);
            }
            if self.automaton.anywhere_has(symbol) {
                self.follow(ANYWHERE, symbol, node);
            }
        }
        let automaton = self.automaton;
        for i in start..self.states.len() {
            let Some(state) = self.states.get(i).and_then(|&s| automaton.state(s)) else {
                continue;
            };
            for &w in &state.reached {
                self.hit(w, &mut fire);
            }
            self.attributes(state, node, &mut fire);
        }
        if let Some(anywhere) = automaton.state(ANYWHERE) {
            self.attributes(anywhere, node, &mut fire);
        }
    }

    /// The symbol of `node`'s element name, [`NO_SYMBOL`] when no path names it.
    pub(super) fn symbol(&self, node: Node<'_, '_>) -> Symbol {
        node.name_id()
            .and_then(|id| self.symbols.get(id.index()))
            .copied()
            .unwrap_or(NO_SYMBOL)
    }

    /// Adds the states `node` reaches by the edges of `from`.
    fn follow(&mut self, from: u32, symbol: Symbol, node: Node<'_, '_>) {
        let Some(state) = self.automaton.state(from) else {
            return;
        };
        let first = state.edges.partition_point(|e| e.symbol < symbol);
        for edge in state.edges.iter().skip(first) {
            if edge.symbol != symbol {
                break;
            }
            if edge.when.is_none_or(|p| p.holds(node)) {
                self.states.push(edge.to);
            }
        }
    }

    /// Hits the watches of `state` on attributes `node` has. Most elements have no attribute
    /// and most states watch none: those return here, inlined, without a call.
    #[inline(always)]
    fn attributes(
        &mut self,
        state: &State,
        node: Node<'_, '_>,
        fire: &mut impl FnMut(&'static str),
    ) {
        let attributes = node.attributes();
        if state.attributes.is_empty() || attributes.len() == 0 {
            return;
        }
        self.attribute_watches(state, attributes, fire);
    }

    fn attribute_watches(
        &mut self,
        state: &State,
        attributes: einvoice::xml::dom::Attributes<'_, '_>,
        fire: &mut impl FnMut(&'static str),
    ) {
        for attribute in attributes {
            let name = attribute.name();
            if state.attribute_lengths & length_bit(name) == 0 || attribute.namespace().is_some() {
                continue;
            }
            let first = state
                .attributes
                .partition_point(|(n, _)| attribute_order(n) < attribute_order(name));
            for &(n, w) in state.attributes.iter().skip(first) {
                if n != name {
                    break;
                }
                self.hit(w, fire);
            }
        }
    }

    fn hit(&mut self, watch: u32, fire: &mut impl FnMut(&'static str)) {
        let (Some(hits), Some(w)) = (
            self.hits.get_mut(watch as usize),
            self.automaton.watches.get(watch as usize),
        ) else {
            return;
        };
        *hits = hits.saturating_add(1);
        if *hits == w.at_most + 1 {
            fire(w.rule);
        }
    }
}

//! Schema cardinality (`POSTBODE-SCHEMA`): no element occurs more often in its parent than
//! the UBL 2.1 or CII D16B schema allows.
//!
//! The official validation runs the XSD before the Schematron, so a repeated 0..1 element
//! (two `cbc:ID` in a line, two `cac:Price`) is rejected there; the Schematron alone would
//! not see it (or stops with a dynamic error). Only the upper bounds are checked: a missing
//! mandatory element or an unknown element is left to the official rules, which judge such
//! documents with their own ids.
//!
//! One walk from the root with an explicit stack, tracking each element's schema type: in
//! CII the same element name has different types under different parents. Elements the
//! tables do not know (extensions, foreign namespaces) are skipped with their subtree.
//!
//! Matching an element against its parent type's declarations by name strings cost more
//! than the rest of the check. The tables' element names are numbered once per process
//! ([`Symbols`]), in the order the types list their children; a document's names are mapped
//! to those numbers once each ([`Lookup`]), and each element's declaration is found by a
//! binary search over integers.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::LazyLock;

use einvoice::xml::Node;
use einvoice::xml::dom::{KnownNamespace, MulRotate};

use crate::Check;
use crate::generated::cardinality::{PREFIXES, ROOTS, TYPES};

/// Runs the cardinality check over the whole document.
pub fn check(cx: &mut Check<'_, '_>) {
    let source = cx.source;
    let schema = if cx.syntax().is_ubl() {
        "UBL 2.1"
    } else {
        "CII D16B"
    };
    let root = source.doc.root_element();
    let name = root.tag_name();
    let Some(&(_, _, root_type)) = ROOTS
        .iter()
        .find(|&&(ns, local, _)| name.namespace() == Some(ns) && name.name() == local)
    else {
        return;
    };
    let symbols = &*SYMBOLS;
    let mut lookup = Lookup::new(source.doc.element_names().len());
    let mut stack = vec![(root, root_type)];
    // Per parent, reused: how often each child of its type occurred, and the second
    // occurrences in document order (one finding each).
    let mut counts: Vec<u32> = Vec::new();
    let mut repeated: Vec<(usize, Node<'_, '_>)> = Vec::new();
    while let Some((parent, ty)) = stack.pop() {
        let Some(children) = TYPES.get(usize::from(ty)) else {
            continue;
        };
        counts.clear();
        counts.resize(children.len(), 0);
        repeated.clear();
        let pushed = stack.len();
        for node in parent.children().filter(Node::is_element) {
            let Some(i) = lookup.find(symbols, ty, node) else {
                continue;
            };
            let (Some(child), Some(count)) = (children.get(i), counts.get_mut(i)) else {
                continue;
            };
            if child.once {
                *count += 1;
                if *count == 2 {
                    repeated.push((i, node));
                }
            }
            if let Some(child_type) = child.ty {
                stack.push((node, child_type));
            }
        }
        // Children were pushed in document order; reversed, they pop in document order.
        if let Some(new) = stack.get_mut(pushed..) {
            new.reverse();
        }
        for &(i, node) in &repeated {
            let count = counts.get(i).copied().unwrap_or(0);
            let message = format!(
                "{} occurs {count} times in {}; the {schema} schema allows it once",
                qualified(node),
                qualified(parent),
            );
            cx.fail_schema(node, message);
        }
    }
}

/// Every element name of the tables, numbered once per process, and each type's children
/// by number.
struct Symbols {
    /// Built from the tables only; a document's names are looked up, never inserted.
    by_name: HashMap<(KnownNamespace, &'static str), u16, BuildHasherDefault<MulRotate>>,
    /// Per type of [`TYPES`], (symbol, index among the type's children), sorted by symbol.
    children: Vec<Vec<(u16, u16)>>,
}

static SYMBOLS: LazyLock<Symbols> = LazyLock::new(Symbols::new);

impl Symbols {
    fn new() -> Symbols {
        let mut by_name = HashMap::default();
        // Children of one type mostly share a namespace: compare each URI with the last one
        // before searching the known ones.
        let mut last: Option<(&str, KnownNamespace)> = None;
        let mut known = |uri: &'static str| match last {
            Some((seen, ns)) if seen == uri => Some(ns),
            _ => {
                let ns = KnownNamespace::ALL.into_iter().find(|k| k.uri() == uri)?;
                last = Some((uri, ns));
                Some(ns)
            }
        };
        let children = TYPES
            .iter()
            .map(|children| {
                let mut numbered: Vec<(u16, u16)> = (0u16..)
                    .zip(children.iter())
                    .filter_map(|(i, c)| {
                        // Every namespace of the tables is a known one (see `PREFIXES`).
                        let ns = known(c.ns)?;
                        let next = u16::try_from(by_name.len()).ok()?;
                        Some((*by_name.entry((ns, c.name)).or_insert(next), i))
                    })
                    .collect();
                numbered.sort_unstable();
                numbered
            })
            .collect();
        Symbols { by_name, children }
    }

    /// The index of the declaration with `symbol` among the children of type `ty`.
    fn child(&self, ty: u16, symbol: u16) -> Option<u16> {
        let children = self.children.get(usize::from(ty))?;
        let i = children.binary_search_by_key(&symbol, |&(s, _)| s).ok()?;
        children.get(i).map(|&(_, index)| index)
    }
}

/// The document's element names as symbols, each looked up on its first element.
///
/// The declaration of a (type, name) pair is searched afresh at each element, by a binary
/// search over integers in the type's few children. A memo per pair was tried: it saved that
/// search on large invoices (0.9% of their instructions) but filled a row per type met, about
/// 20 KB a document, and cost small invoices more (1.7% more instructions, 4% more L1 misses
/// over the corpus examples, measured with cachegrind).
struct Lookup {
    /// Per element name of the document, by name id.
    symbols: Vec<Symbol>,
}

/// What a document's element name is to the tables.
#[derive(Clone, Copy)]
enum Symbol {
    /// Not looked up yet.
    Unknown,
    /// No type declares a child of this name.
    Undeclared,
    /// The name's number in [`Symbols`].
    Declared(u16),
}

impl Lookup {
    fn new(names: usize) -> Self {
        Lookup {
            symbols: vec![Symbol::Unknown; names],
        }
    }

    /// The index of `node`'s declaration among the children of type `ty`.
    fn find(&mut self, symbols: &Symbols, ty: u16, node: Node<'_, '_>) -> Option<usize> {
        let id = node.name_id()?.index();
        match self.symbol(symbols, id, node) {
            Symbol::Declared(symbol) => symbols.child(ty, symbol).map(usize::from),
            Symbol::Unknown | Symbol::Undeclared => None,
        }
    }

    /// The symbol of `node`'s name, whose id is `id`.
    fn symbol(&mut self, symbols: &Symbols, id: usize, node: Node<'_, '_>) -> Symbol {
        let Some(slot) = self.symbols.get_mut(id) else {
            return Symbol::Undeclared;
        };
        if let Symbol::Unknown = slot {
            let symbol = node
                .known_namespace()
                .and_then(|ns| symbols.by_name.get(&(ns, node.tag_name().name())));
            *slot = symbol.map_or(Symbol::Undeclared, |&s| Symbol::Declared(s));
        }
        *slot
    }
}

/// The element's name with the prefix the schemas use, whatever prefix the document uses.
fn qualified(node: Node<'_, '_>) -> String {
    let name = node.tag_name();
    let prefix = name.namespace().and_then(|ns| {
        PREFIXES
            .binary_search_by(|&(uri, _)| uri.cmp(ns))
            .ok()
            .and_then(|i| PREFIXES.get(i))
            .map(|&(_, prefix)| prefix)
    });
    match prefix {
        Some(p) if !p.is_empty() => format!("{p}:{}", name.name()),
        _ => name.name().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finding a declaration by symbol finds what a search by name finds: every child of
    /// every type is numbered, and no type has two children of one name.
    #[test]
    fn each_types_children_have_distinct_symbols() {
        let symbols = Symbols::new();
        for (ty, (numbered, children)) in symbols.children.iter().zip(TYPES.iter()).enumerate() {
            assert_eq!(numbered.len(), children.len(), "type {ty}");
            assert!(
                numbered.windows(2).all(|w| w[0].0 < w[1].0),
                "type {ty}: {numbered:?}"
            );
            for &(symbol, i) in numbered {
                let child = &children[usize::from(i)];
                let ns = KnownNamespace::ALL
                    .into_iter()
                    .find(|k| k.uri() == child.ns)
                    .unwrap();
                assert_eq!(symbols.by_name.get(&(ns, child.name)), Some(&symbol));
                assert_eq!(symbols.child(u16::try_from(ty).unwrap(), symbol), Some(i));
            }
        }
    }
}

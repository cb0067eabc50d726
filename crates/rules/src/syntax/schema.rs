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
//! than the rest of the check; [`Lookup`] remembers each answer per (type, interned name),
//! so each distinct name is searched once per type and document.

use einvoice::xml::Node;

use crate::Check;
use crate::generated::cardinality::{Child, PREFIXES, ROOTS, TYPES};

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
            let Some(i) = lookup.find(ty, children, node) else {
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

/// Per schema type met in the document, a row over the document's element names: the
/// index of the name's declaration among the type's children, filled in on first use.
struct Lookup {
    names: usize,
    /// Per type, the start of its row in `cells`, once the type has been met.
    rows: Vec<Option<usize>>,
    cells: Vec<Cell>,
}

#[derive(Clone, Copy)]
enum Cell {
    Unknown,
    Undeclared,
    Declared(u16),
}

impl Lookup {
    fn new(names: usize) -> Self {
        Lookup {
            names,
            rows: vec![None; TYPES.len()],
            cells: Vec::new(),
        }
    }

    /// The index of `node`'s declaration among `children`, the children of type `ty`.
    fn find(&mut self, ty: u16, children: &[Child], node: Node<'_, '_>) -> Option<usize> {
        let id = node.name_id()?;
        let row = self.row(ty)?;
        let cell = self.cells.get_mut(row + id.index())?;
        if let Cell::Unknown = cell {
            *cell = match search(children, node) {
                Some(i) => Cell::Declared(u16::try_from(i).ok()?),
                None => Cell::Undeclared,
            };
        }
        match *cell {
            Cell::Declared(i) => Some(usize::from(i)),
            _ => None,
        }
    }

    /// The start of type `ty`'s row, made on the type's first use.
    fn row(&mut self, ty: u16) -> Option<usize> {
        let slot = self.rows.get_mut(usize::from(ty))?;
        Some(*slot.get_or_insert_with(|| {
            let start = self.cells.len();
            self.cells.resize(start + self.names, Cell::Unknown);
            start
        }))
    }
}

/// The index of `node`'s declaration among `children`, by (local name, namespace).
fn search(children: &[Child], node: Node<'_, '_>) -> Option<usize> {
    let name = node.tag_name();
    let ns = name.namespace()?;
    children
        .binary_search_by(|c| (c.name, c.ns).cmp(&(name.name(), ns)))
        .ok()
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

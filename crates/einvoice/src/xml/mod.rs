//! Parsing untrusted XML into a read-only tree, with the limits that keep it safe.
//!
//! DTDs are refused outright, so there are no external entities and no entity expansion
//! (XXE, billion laughs). Size, nesting depth and node count are bounded. Everything above
//! this module sees a [`Document`] that already passed these checks.
//!
//! The tree is our own ([`dom`]): it checks the limits while parsing and scans text with
//! SIMD instead of character by character, which made parsing 3 to 4 times faster than
//! roxmltree on real invoices with the same observable tree (tests/dom.rs compares them).

pub mod dom;
mod escape;

pub use dom::{Attribute, Document, ExpandedName, Node, NodeId, NodeType, ParsingOptions};
pub use escape::{escape, escape_attribute};

use crate::Error;
use crate::value::Pos;

/// Limits applied to every XML document before anything else looks at it.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest accepted document, in bytes.
    pub max_bytes: usize,
    /// Deepest accepted element nesting.
    pub max_depth: usize,
    /// Most nodes (elements, text, attributes' owners) accepted.
    pub max_nodes: u32,
}

impl Default for Limits {
    /// Generous enough for a 100,000-line invoice (about 60 MB), small enough that a hostile
    /// document cannot exhaust memory.
    fn default() -> Self {
        Limits {
            max_bytes: 256 * 1024 * 1024,
            max_depth: 64,
            max_nodes: 40_000_000,
        }
    }
}

/// Parses `bytes` as XML under `limits`.
pub fn parse(bytes: &[u8], limits: Limits) -> Result<Document<'_>, Error> {
    if bytes.len() > limits.max_bytes {
        return Err(Error::TooLarge {
            bytes: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    let text = decode(bytes)?;
    let options = ParsingOptions {
        nodes_limit: limits.max_nodes,
        max_depth: limits.max_depth,
    };
    Document::parse_with_options(text, options).map_err(|e| match e.kind() {
        dom::ErrorKind::DtdNotAllowed => Error::DtdRefused,
        dom::ErrorKind::TooDeep(_) => Error::TooDeep {
            limit: limits.max_depth,
        },
        _ => Error::Xml(e.to_string()),
    })
}

/// Accepts UTF-8 (with or without a byte-order mark) only: UBL and CII are UTF-8 in every
/// profile we support, and guessing another encoding would silently change amounts and names.
fn decode(bytes: &[u8]) -> Result<&str, Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Error::Encoding(
            "UTF-16 is not supported; send UTF-8".into(),
        ));
    }
    simdutf8::basic::from_utf8(bytes).map_err(|_| {
        // The fast validator does not say where the input goes wrong; std's does.
        let at = std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), str::len);
        Error::Encoding(format!("not valid UTF-8 at byte {at}"))
    })
}

/// The position of a node, for the model.
pub fn pos(node: Node<'_, '_>) -> Pos {
    // NodeId 0 is the document root, which never holds a value, so it doubles as NONE.
    Pos(node.id().get_usize() as u32)
}

/// The node a position refers to, if it came from this document.
pub fn node_at<'a, 'input>(doc: &'a Document<'input>, at: Pos) -> Option<Node<'a, 'input>> {
    if !at.is_some() {
        return None;
    }
    doc.get_node(NodeId::new(at.0))
}

/// Builds readable XPath-like locations, `/Invoice/cac:InvoiceLine[2]/cbc:ID`, with a
/// position predicate where an element has same-named siblings.
///
/// A rule that fires on every line of a 100,000-line invoice asks for 100,000 locations;
/// counting siblings afresh for each would be quadratic, so each parent's children are
/// numbered once, on first use, and remembered.
///
/// The memory is indexed by node and name id rather than hashed: a location costs a few
/// array reads, and there are no hash collisions for hostile input to aim at. It grows to
/// the highest node id located (4 bytes a node), and only for documents with findings.
#[derive(Default)]
pub struct Locator {
    /// By element id: its position among same-named siblings (from 1), shifted left one
    /// bit, with the low bit set when it has any; 0 while its parent is not numbered.
    numbered: Vec<u32>,
    /// Scratch for numbering one parent's children, by name id: (how many, how many so far).
    names: Vec<(u32, u32)>,
}

impl Locator {
    /// The location of `node`.
    pub fn location(&mut self, node: Node<'_, '_>) -> String {
        let mut out = String::with_capacity(96);
        self.write(node, &mut out);
        out
    }

    /// Appends the steps of `node`'s element ancestors, outermost first, then its own.
    fn write(&mut self, node: Node<'_, '_>, out: &mut String) {
        if let Some(parent) = node.parent() {
            self.write(parent, out);
        }
        if !node.is_element() {
            return;
        }
        out.push('/');
        let name = node.tag_name();
        if let Some(prefix) = name
            .namespace()
            .and_then(|ns| node.lookup_prefix(ns))
            .filter(|p| !p.is_empty())
        {
            out.push_str(prefix);
            out.push(':');
        }
        out.push_str(name.name());
        if let Some((index, true)) = self.position(node) {
            use std::fmt::Write as _;
            // Writing to a String cannot fail.
            let _ = write!(out, "[{index}]");
        }
    }

    fn position(&mut self, n: Node<'_, '_>) -> Option<(u32, bool)> {
        let at = n.id().get_usize();
        if self.numbered.get(at).is_none_or(|&p| p == 0) {
            self.number_children(n.parent()?);
        }
        let packed = self.numbered.get(at).copied().filter(|&p| p != 0)?;
        Some((packed >> 1, packed & 1 == 1))
    }

    /// Numbers the element children of `parent` among their same-named siblings.
    fn number_children(&mut self, parent: Node<'_, '_>) {
        let children = || {
            parent
                .children()
                .filter_map(|c| Some((c.id().get_usize(), c.name_id()?.index())))
        };
        for (at, name) in children() {
            if self.names.len() <= name {
                self.names.resize(name + 1, (0, 0));
            }
            if self.numbered.len() <= at {
                self.numbered.resize(at + 1, 0);
            }
            if let Some(count) = self.names.get_mut(name) {
                count.0 += 1;
            }
        }
        for (at, name) in children() {
            if let (Some((total, seen)), Some(slot)) =
                (self.names.get_mut(name), self.numbered.get_mut(at))
            {
                *seen += 1;
                *slot = *seen << 1 | u32::from(*total > 1);
            }
        }
        // Leave the scratch zeroed for the next parent.
        for (_, name) in children() {
            if let Some(count) = self.names.get_mut(name) {
                *count = (0, 0);
            }
        }
    }
}

/// The location of one node; for many, keep a [`Locator`].
pub fn location(node: Node<'_, '_>) -> String {
    Locator::default().location(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dtds_and_entities() {
        let xxe = br#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>"#;
        assert!(matches!(
            parse(xxe, Limits::default()),
            Err(Error::DtdRefused)
        ));
    }

    #[test]
    fn refuses_deep_nesting() {
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(matches!(
            parse(deep.as_bytes(), Limits::default()),
            Err(Error::TooDeep { .. })
        ));
    }

    #[test]
    fn refuses_oversized_input_and_bad_encoding() {
        let limits = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        assert!(matches!(
            parse(b"<a>0123456789</a>", limits),
            Err(Error::TooLarge { .. })
        ));
        assert!(matches!(
            parse(b"<a>\xff</a>", Limits::default()),
            Err(Error::Encoding(_))
        ));
    }

    #[test]
    fn locations_name_prefixes_and_positions() {
        let xml = r#"<I xmlns:c="urn:c"><c:L/><c:L><c:A/></c:L></I>"#;
        let doc = parse(xml.as_bytes(), Limits::default()).unwrap();
        let a = doc
            .descendants()
            .find(|n| n.has_tag_name(("urn:c", "A")))
            .unwrap();
        assert_eq!(location(a), "/I/c:L[2]/c:A");
        let mut locator = Locator::default();
        let first = doc
            .descendants()
            .find(|n| n.has_tag_name(("urn:c", "L")))
            .unwrap();
        assert_eq!(locator.location(first), "/I/c:L[1]");
        assert_eq!(locator.location(a), "/I/c:L[2]/c:A");
        assert_eq!(node_at(&doc, pos(a)), Some(a));
    }

    /// One locator answers for nodes in any order, whatever else stands between siblings.
    #[test]
    fn locations_in_any_order_number_same_named_siblings() {
        let xml = r#"<I><a/><b/>text<a/><!--c--><b><x/><a/><x/></b><?p?></I>"#;
        let doc = parse(xml.as_bytes(), Limits::default()).unwrap();
        let all: Vec<Node<'_, '_>> = doc.descendants().filter(Node::is_element).collect();
        let expected = [
            "/I",
            "/I/a[1]",
            "/I/b[1]",
            "/I/a[2]",
            "/I/b[2]",
            "/I/b[2]/x[1]",
            "/I/b[2]/a",
            "/I/b[2]/x[2]",
        ];
        let mut locator = Locator::default();
        for i in [6, 3, 0, 7, 1, 4, 2, 5, 6] {
            assert_eq!(locator.location(all[i]), expected[i], "{i}");
            assert_eq!(location(all[i]), expected[i], "{i}");
        }
    }
}

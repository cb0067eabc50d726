//! The leaves every UBL group is made of: element names, texts, amounts, identifiers.

use crate::xml::Node;
use crate::xml::dom::KnownNamespace;

use crate::value::Text;
use crate::xml::pos;
use crate::{Amount, Identifier, Quantity};

/// The UBL namespace of an element, so groups can `match` on `(Ns, local name)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ns {
    /// Common aggregate components (groups).
    Cac,
    /// Common basic components (leaves).
    Cbc,
    /// Anything else (extensions, foreign elements): never part of the binding.
    Other,
}

/// The child elements of `node`, each with its namespace and local name.
pub(super) fn children<'a, 'input: 'a>(
    node: Node<'a, 'input>,
) -> impl Iterator<Item = (Ns, &'input str, Node<'a, 'input>)> {
    // The interned namespace, compared as an integer: no namespace name comparison per child.
    node.children().filter(Node::is_element).map(|child| {
        let ns = match child.known_namespace() {
            Some(KnownNamespace::Cbc) => Ns::Cbc,
            Some(KnownNamespace::Cac) => Ns::Cac,
            _ => Ns::Other,
        };
        (ns, child.tag_name().name(), child)
    })
}

/// The first `cbc:<name>` child of `node`.
pub(super) fn cbc_child<'a, 'input: 'a>(
    node: Node<'a, 'input>,
    name: &str,
) -> Option<Node<'a, 'input>> {
    children(node).find_map(|(ns, local, child)| (ns == Ns::Cbc && local == name).then_some(child))
}

/// The text of an element, positioned at it.
pub(super) fn text(node: Node<'_, '_>) -> Text {
    Text::at(node.string_value().into_owned(), pos(node))
}

/// An attribute's value, positioned at its element (attributes have no node of their own).
pub(super) fn attr(node: Node<'_, '_>, name: &str) -> Option<Text> {
    node.attribute(name).map(|v| Text::at(v, pos(node)))
}

/// An amount with its `currencyID`.
pub(super) fn amount(node: Node<'_, '_>) -> Amount {
    Amount {
        value: text(node),
        currency: attr(node, "currencyID"),
    }
}

/// An identifier with its `schemeID`.
pub(super) fn identifier(node: Node<'_, '_>) -> Identifier {
    Identifier {
        id: text(node),
        scheme: attr(node, "schemeID"),
    }
}

/// A quantity with its `unitCode`.
pub(super) fn quantity(node: Node<'_, '_>) -> Quantity {
    Quantity {
        value: text(node),
        unit: attr(node, "unitCode"),
    }
}

/// Fills a 0..1 slot with the text of `node` unless an earlier element already did: the
/// model keeps the first of repeated elements and leaves the repetition to the syntax rules.
pub(super) fn set(slot: &mut Option<Text>, node: Node<'_, '_>) {
    if slot.is_none() {
        *slot = Some(text(node));
    }
}

/// Fills a 0..1 slot unless it is already filled (see [`set`]).
pub(super) fn fill<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

/// `cac:TaxScheme/normalize-space(upper-case(cbc:ID)) = 'VAT'`, the official test that a
/// tax category or party tax scheme is about VAT.
pub(super) fn is_vat_scheme(tax_scheme: Node<'_, '_>) -> bool {
    children(tax_scheme).any(|(ns, name, id)| {
        ns == Ns::Cbc
            && name == "ID"
            && crate::value::trim(&id.string_value()).eq_ignore_ascii_case("VAT")
    })
}

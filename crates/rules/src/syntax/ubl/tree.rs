//! Small questions about the UBL tree, answered without allocating: which namespace an
//! element is in, and what its text is, in the XPath sense of a node's string value.

use einvoice::xml::Node;
use einvoice::xml::dom::KnownNamespace;

/// The UBL namespaces a rule can name, by their conventional prefixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Ns {
    /// `ubl:`, the Invoice root.
    Invoice,
    /// `cn:`, the CreditNote root.
    CreditNote,
    /// `cac:`, aggregate components.
    Cac,
    /// `cbc:`, basic components.
    Cbc,
    /// `ext:`, extensions.
    Ext,
}

impl Ns {
    /// The namespace a prefix stands for in our rule tables.
    pub(super) fn from_prefix(prefix: &str) -> Option<Ns> {
        Some(match prefix {
            "ubl" => Ns::Invoice,
            "cn" => Ns::CreditNote,
            "cac" => Ns::Cac,
            "cbc" => Ns::Cbc,
            "ext" => Ns::Ext,
            _ => return None,
        })
    }

    /// The namespace of an element, if it is one of ours.
    pub(super) fn of(node: Node<'_, '_>) -> Option<Ns> {
        Ns::of_known(node.known_namespace()?)
    }

    fn known(self) -> KnownNamespace {
        match self {
            Ns::Invoice => KnownNamespace::UblInvoice,
            Ns::CreditNote => KnownNamespace::UblCreditNote,
            Ns::Cac => KnownNamespace::Cac,
            Ns::Cbc => KnownNamespace::Cbc,
            Ns::Ext => KnownNamespace::Ext,
        }
    }

    /// The namespace of ours that `known` is, if any.
    pub(super) fn of_known(known: KnownNamespace) -> Option<Ns> {
        Some(match known {
            KnownNamespace::Cbc => Ns::Cbc,
            KnownNamespace::Cac => Ns::Cac,
            KnownNamespace::Ext => Ns::Ext,
            KnownNamespace::UblInvoice => Ns::Invoice,
            KnownNamespace::UblCreditNote => Ns::CreditNote,
            _ => return None,
        })
    }
}

/// True when `node` is the element `ns:local`.
pub(super) fn is(node: Node<'_, '_>, ns: Ns, local: &str) -> bool {
    node.is_named(ns.known(), local)
}

/// The child elements `ns:local` of `node`.
pub(super) fn children<'a, 'input: 'a>(
    node: Node<'a, 'input>,
    ns: Ns,
    local: &'static str,
) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children().filter(move |c| is(*c, ns, local))
}

/// True when the string value of `node` is exactly `expected` (XPath `=` on untyped text:
/// no trimming, no case folding).
pub(super) fn text_is(node: Node<'_, '_>, expected: &str) -> bool {
    node.string_value() == expected
}

/// True when the string value of `node`, without leading and trailing XML whitespace, is
/// `expected`: how a schema-typed value (`xs:boolean`, say) is read from its text.
pub(super) fn trimmed_text_is(node: Node<'_, '_>, expected: &str) -> bool {
    einvoice::value::trim(&node.string_value()) == expected
}

/// True when two nodes have the same string value.
pub(super) fn same_text(a: Node<'_, '_>, b: Node<'_, '_>) -> bool {
    a.string_value() == b.string_value()
}

/// True when XPath `upper-case(s)` is `expected`: full Unicode upper-casing, as the
/// official rules compare scheme names (`'vat'` and `'VAT'` are the same).
pub(super) fn upper_is(s: impl Iterator<Item = char>, expected: &str) -> bool {
    s.flat_map(char::to_uppercase).eq(expected.chars())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(xml: &str) -> einvoice::xml::Document<'_> {
        einvoice::xml::Document::parse(xml).unwrap()
    }

    #[test]
    fn string_values_span_descendants_and_keep_whitespace() {
        let d = doc("<a><b>1<c>3</c>0</b><d> 130</d><e>130</e></a>");
        let [b, d, e]: [Node<'_, '_>; 3] = d
            .root_element()
            .children()
            .collect::<Vec<_>>()
            .try_into()
            .unwrap();
        assert!(text_is(b, "130"));
        assert!(!text_is(d, "130"));
        assert!(text_is(e, "130"));
        assert!(same_text(b, e));
        assert!(!same_text(d, e));
    }

    #[test]
    fn upper_case_follows_unicode() {
        assert!(upper_is("vAt".chars(), "VAT"));
        // U+017F LATIN SMALL LETTER LONG S upper-cases to S, as in XPath.
        assert!(upper_is("\u{17f}epa".chars(), "SEPA"));
        assert!(!upper_is("VAT ".chars(), "VAT"));
    }
}

//! The little XML plumbing the SBDH and SMP modules share: escaping what they write (the
//! workspace's one escape, from `einvoice`) and finding the children they read in the
//! project's hardened DOM.

use einvoice::xml::{Document, Limits, Node};

/// The byte-order mark some senders put before a UTF-8 document.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Parses untrusted `bytes` under `limits`, returning the tree and how many bytes of the
/// input come before the text the tree's byte ranges count from (a byte-order mark).
pub(crate) fn parse(
    bytes: &[u8],
    limits: Limits,
) -> Result<(Document<'_>, usize), einvoice::Error> {
    let (offset, text) = match bytes.strip_prefix(BOM) {
        Some(rest) => (BOM.len(), rest),
        None => (0, bytes),
    };
    Ok((einvoice::xml::parse(text, limits)?, offset))
}

pub(crate) use einvoice::xml::escape_attribute as escape;

/// The element children of `parent` named `{namespace}local`.
pub(crate) fn children<'a, 'input>(
    parent: Node<'a, 'input>,
    namespace: &'static str,
    local: &'static str,
) -> impl Iterator<Item = Node<'a, 'input>> {
    parent
        .children()
        .filter(move |c| c.is_element() && c.has_tag_name((namespace, local)))
}

/// The first element child of `parent` named `{namespace}local`.
pub(crate) fn child<'a, 'input>(
    parent: Node<'a, 'input>,
    namespace: &'static str,
    local: &'static str,
) -> Option<Node<'a, 'input>> {
    children(parent, namespace, local).next()
}

/// The text content of an element, every text child joined, with surrounding whitespace
/// removed; identifiers and dates are often pretty-printed onto their own lines.
pub(crate) fn text(element: Node<'_, '_>) -> String {
    let mut out = String::new();
    for c in element.children().filter(|c| c.is_text()) {
        out.push_str(c.text().unwrap_or_default());
    }
    let trimmed = out.trim();
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_count_from_after_the_byte_order_mark() -> Result<(), einvoice::Error> {
        let input = b"\xEF\xBB\xBF<a> x </a>";
        let (doc, offset) = parse(input, Limits::default())?;
        assert_eq!(offset, 3);
        let root = doc.root_element();
        assert_eq!(
            &input[offset + root.range().start..offset + root.range().end],
            b"<a> x </a>"
        );
        assert_eq!(text(root), "x");
        Ok(())
    }
}

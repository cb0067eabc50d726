//! Arbitrary text through the XML tree parser, then every accessor on every node: the
//! parser reads hostile input first, so nothing here may panic or run away.
#![no_main]

use einvoice::xml::dom::{Document, ParsingOptions};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let options = ParsingOptions { nodes_limit: 10_000, max_depth: 64 };
    let Ok(doc) = Document::parse_with_options(text, options) else { return };
    for node in doc.root().descendants() {
        let _ = (node.tag_name().name(), node.tag_name().namespace(), node.text(), node.range());
        let _ = (node.parent(), node.next_sibling(), node.prev_sibling(), node.first_child());
        for a in node.attributes() {
            let _ = (a.name(), a.namespace(), a.value());
        }
        for ns in node.namespaces() {
            let _ = node.lookup_prefix(ns.uri());
        }
    }
});

//! Canonical XML 1.0 and Exclusive XML Canonicalization 1.0, both without comments, over a
//! subtree of an [`einvoice::xml::Document`].
//!
//! Signatures digest the canonical form, so two implementations agree on a digest only when they
//! agree on every byte of it: the order of namespace declarations and attributes, which
//! declarations appear where, and the escaping of text and attribute values. The rules are those
//! of the W3C recommendations (C14N 1.0 section 2, Exclusive C14N 1.0 section 3); the tests
//! compare this module with libxml2 (through lxml) on documents built to hit each rule.
//!
//! The parser has already normalised line ends and attribute whitespace, resolved references and
//! merged CDATA sections into text, which is exactly the input canonicalization expects.

use einvoice::xml::{Node, NodeType};

/// The namespace name bound to `xml` by definition; never declared in canonical output.
const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// Which canonicalization, with its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method<'p> {
    /// Canonical XML 1.0 (`http://www.w3.org/TR/2001/REC-xml-c14n-20010315`): every namespace in
    /// scope is declared on the apex element, and `xml:*` attributes of its ancestors are
    /// inherited onto it.
    Inclusive,
    /// Exclusive XML Canonicalization 1.0 (`http://www.w3.org/2001/10/xml-exc-c14n#`): only the
    /// namespaces an element visibly uses, plus those whose prefixes are named in the
    /// InclusiveNamespaces PrefixList (`#default` standing for the default namespace), which are
    /// treated as in inclusive canonicalization.
    Exclusive {
        /// The InclusiveNamespaces PrefixList, split on whitespace.
        inclusive_prefixes: &'p [&'p str],
    },
}

/// The canonical form of `node`: an element and its subtree, or the whole document when `node`
/// is the document root. `exclude` names an element left out together with its subtree, which
/// is what the enveloped-signature transform does to the `ds:Signature` it sits in.
pub fn canonicalize(
    node: Node<'_, '_>,
    method: Method<'_>,
    exclude: Option<Node<'_, '_>>,
) -> String {
    let mut writer = Writer {
        method,
        exclude,
        rendered: Vec::new(),
        out: String::new(),
    };
    if node.is_root() {
        writer.document(node);
    } else if node.is_element() {
        writer.element(node, true);
    }
    writer.out
}

struct Writer<'a, 'input, 'p> {
    method: Method<'p>,
    exclude: Option<Node<'a, 'input>>,
    /// The declarations output by the elements being written, innermost last; `None` is the
    /// default namespace, and an empty namespace name stands for "no default namespace".
    rendered: Vec<(Option<&'a str>, &'a str)>,
    out: String,
}

impl<'a, 'input> Writer<'a, 'input, '_> {
    /// The document: its element, with processing instructions before and after it separated by
    /// line feeds (C14N 1.0 section 2.1); comments are not output.
    fn document(&mut self, root: Node<'a, 'input>) {
        let mut after_element = false;
        for child in root.children() {
            match child.node_type() {
                NodeType::Element => {
                    self.element(child, true);
                    after_element = true;
                }
                NodeType::PI => {
                    if after_element {
                        self.out.push('\n');
                    }
                    self.pi(child);
                    if !after_element {
                        self.out.push('\n');
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, element: Node<'a, 'input>, apex: bool) {
        if self.exclude == Some(element) {
            return;
        }
        let mark = self.rendered.len();
        let declarations = self.declarations(element);
        let attributes = self.attributes(element, apex);

        let name = qualified(element.prefix(), element.tag_name().name());
        self.out.push('<');
        self.out.push_str(&name);
        for &(prefix, uri) in &declarations {
            match prefix {
                Some(prefix) => {
                    self.out.push_str(" xmlns:");
                    self.out.push_str(prefix);
                }
                None => self.out.push_str(" xmlns"),
            }
            self.out.push_str("=\"");
            escape_attribute(&mut self.out, uri);
            self.out.push('"');
        }
        for attribute in &attributes {
            self.out.push(' ');
            self.out
                .push_str(&qualified(attribute.prefix, attribute.local));
            self.out.push_str("=\"");
            escape_attribute(&mut self.out, attribute.value);
            self.out.push('"');
        }
        self.out.push('>');
        self.rendered.extend(declarations);

        for child in element.children() {
            match child.node_type() {
                NodeType::Element => self.element(child, false),
                NodeType::Text => escape_text(&mut self.out, child.text().unwrap_or("")),
                NodeType::PI => self.pi(child),
                NodeType::Comment | NodeType::Root => {}
            }
        }

        self.out.push_str("</");
        self.out.push_str(&name);
        self.out.push('>');
        self.rendered.truncate(mark);
    }

    fn pi(&mut self, node: Node<'a, 'input>) {
        if let Some(pi) = node.pi() {
            self.out.push_str("<?");
            self.out.push_str(pi.target);
            if let Some(value) = pi.value {
                self.out.push(' ');
                self.out.push_str(value);
            }
            self.out.push_str("?>");
        }
    }

    /// The namespace declarations `element` outputs, in canonical order (the default namespace
    /// first, then by prefix).
    fn declarations(&self, element: Node<'a, 'input>) -> Vec<(Option<&'a str>, &'a str)> {
        let mut candidates: Vec<Option<&'a str>> = match self.method {
            Method::Inclusive => {
                let mut prefixes: Vec<_> = element.namespaces().map(|ns| ns.name()).collect();
                // An element without a default namespace must undeclare one its output parent
                // declared.
                prefixes.push(None);
                prefixes
            }
            Method::Exclusive { inclusive_prefixes } => {
                let mut prefixes = vec![element.prefix()];
                prefixes.extend(element.attributes().filter_map(|a| a.prefix().map(Some)));
                prefixes.extend(inclusive_prefixes.iter().filter_map(|&p| {
                    if p == "#default" {
                        Some(None)
                    } else {
                        // Prefixes not in scope have no namespace node to output.
                        element
                            .namespaces()
                            .find(|ns| ns.name() == Some(p))
                            .and_then(|ns| ns.name())
                            .map(Some)
                    }
                }));
                prefixes
            }
        };
        candidates.sort_unstable();
        candidates.dedup();

        let mut out = Vec::new();
        for prefix in candidates {
            if prefix == Some("xml") {
                continue;
            }
            let in_scope = element
                .namespaces()
                .find(|ns| ns.name() == prefix)
                .map(|ns| ns.uri());
            let uri = match (prefix, in_scope) {
                (_, Some(uri)) => uri,
                (None, None) => "",
                // A prefix used but not declared cannot occur in a namespace-well-formed
                // document; there is nothing to declare.
                (Some(_), None) => continue,
            };
            if uri == XML_NAMESPACE {
                continue;
            }
            if self.rendered_uri(prefix) != uri {
                out.push((prefix, uri));
            }
        }
        out
    }

    /// The namespace name `prefix` was last declared with by an element being written; no
    /// default namespace (the empty name) when none was.
    fn rendered_uri(&self, prefix: Option<&str>) -> &'a str {
        self.rendered
            .iter()
            .rev()
            .find(|(p, _)| *p == prefix)
            .map_or("", |(_, uri)| uri)
    }

    /// The attributes in canonical order: by namespace name (none first), then local name.
    /// Inclusive canonicalization of a subtree also carries the `xml:*` attributes the apex
    /// element inherits from its ancestors.
    fn attributes(&self, element: Node<'a, 'input>, apex: bool) -> Vec<Attr<'a>> {
        let mut attributes: Vec<Attr<'a>> = element
            .attributes()
            .map(|a| Attr {
                namespace: a.namespace().unwrap_or(""),
                prefix: a.prefix(),
                local: a.name(),
                value: a.value(),
            })
            .collect();
        if apex && self.method == Method::Inclusive {
            for ancestor in element.ancestors().skip(1) {
                for a in ancestor.attributes() {
                    if a.namespace() == Some(XML_NAMESPACE)
                        && !attributes
                            .iter()
                            .any(|b| b.namespace == XML_NAMESPACE && b.local == a.name())
                    {
                        attributes.push(Attr {
                            namespace: XML_NAMESPACE,
                            prefix: Some("xml"),
                            local: a.name(),
                            value: a.value(),
                        });
                    }
                }
            }
        }
        attributes.sort_unstable_by(|a, b| (a.namespace, a.local).cmp(&(b.namespace, b.local)));
        attributes
    }
}

struct Attr<'a> {
    namespace: &'a str,
    prefix: Option<&'a str>,
    local: &'a str,
    value: &'a str,
}

fn qualified(prefix: Option<&str>, local: &str) -> String {
    match prefix {
        Some(prefix) => format!("{prefix}:{local}"),
        None => local.to_owned(),
    }
}

fn escape_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
}

fn escape_attribute(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use einvoice::xml::Document;

    fn exclusive(xml: &str, prefixes: &[&str]) -> String {
        let doc = Document::parse(xml).expect("test XML parses");
        canonicalize(
            doc.root_element(),
            Method::Exclusive {
                inclusive_prefixes: prefixes,
            },
            None,
        )
    }

    #[test]
    fn exclusive_declares_only_used_prefixes_where_first_used() {
        let xml = r#"<a:x xmlns:a="urn:a" xmlns:b="urn:b" xmlns:c="urn:c"><b:y c:at="1"/></a:x>"#;
        assert_eq!(
            exclusive(xml, &[]),
            r#"<a:x xmlns:a="urn:a"><b:y xmlns:b="urn:b" xmlns:c="urn:c" c:at="1"></b:y></a:x>"#
        );
        assert_eq!(
            exclusive(xml, &["b"]),
            r#"<a:x xmlns:a="urn:a" xmlns:b="urn:b"><b:y xmlns:c="urn:c" c:at="1"></b:y></a:x>"#
        );
    }
}

//! A read-only XML tree for untrusted input, faster and more compact than `roxmltree`, with the
//! same observable semantics for the API it offers.
//!
//! [`Document::parse_with_options`] turns a `&str` into a tree of [`Node`]s: the document root,
//! elements, text (references resolved, CDATA merged with adjacent text, line ends normalised),
//! comments and processing instructions. DTDs are refused, and the node count and element
//! depth are bounded while parsing, so hostile input cannot expand entities or exhaust memory
//! or the stack (nothing here recurses).
//!
//! Storage is one `Vec` of small fixed-size node records linked by `u32` indices, one `Vec` of
//! attributes and one string arena for the few texts that needed rewriting; everything else
//! (names, plain text, plain attribute values) is a span of the input.
//!
//! Element names are interned per document ([`NameId`]) and the namespaces of the invoice
//! syntaxes are interned first in every document ([`KnownNamespace`]): the rules ask "is this
//! `cbc:ID`?" for every element many times over, and these make the answer integer
//! comparisons instead of comparisons of long namespace URNs.

mod chars;
mod error;
mod index;
mod parse;

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

pub use error::{Error, ErrorKind};
pub use index::MulRotate;

/// The namespace name bound to the `xml` prefix by definition.
pub const NS_XML_URI: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace name of namespace declarations, which must never be declared.
pub const NS_XMLNS_URI: &str = "http://www.w3.org/2000/xmlns/";

/// Marks an absent link (parent, sibling, child, namespace).
const NONE: u32 = u32::MAX;

/// The namespaces of the invoice syntaxes. Every document interns them before parsing, in
/// this order right after the XML namespace, so [`Node::known_namespace`] reads an element's
/// namespace from its name record without comparing strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KnownNamespace {
    /// The UBL Invoice root ([`crate::NS_UBL_INVOICE`]).
    UblInvoice,
    /// The UBL CreditNote root ([`crate::NS_UBL_CREDIT_NOTE`]).
    UblCreditNote,
    /// UBL aggregate components, `cac:`.
    Cac,
    /// UBL basic components, `cbc:`.
    Cbc,
    /// UBL extension components, `ext:`.
    Ext,
    /// The CII root, `rsm:`.
    Rsm,
    /// CII reusable aggregate business information entities, `ram:`.
    Ram,
    /// CII qualified data types, `qdt:`.
    Qdt,
    /// CII unqualified data types, `udt:`.
    Udt,
}

impl KnownNamespace {
    /// All of them, in interning order.
    pub const ALL: [KnownNamespace; 9] = [
        KnownNamespace::UblInvoice,
        KnownNamespace::UblCreditNote,
        KnownNamespace::Cac,
        KnownNamespace::Cbc,
        KnownNamespace::Ext,
        KnownNamespace::Rsm,
        KnownNamespace::Ram,
        KnownNamespace::Qdt,
        KnownNamespace::Udt,
    ];

    /// The namespace name.
    pub fn uri(self) -> &'static str {
        match self {
            KnownNamespace::UblInvoice => crate::NS_UBL_INVOICE,
            KnownNamespace::UblCreditNote => crate::NS_UBL_CREDIT_NOTE,
            KnownNamespace::Cac => crate::NS_CAC,
            KnownNamespace::Cbc => crate::NS_CBC,
            KnownNamespace::Ext => crate::NS_EXT,
            KnownNamespace::Rsm => crate::NS_RSM,
            KnownNamespace::Ram => crate::NS_RAM,
            KnownNamespace::Qdt => crate::NS_QDT,
            KnownNamespace::Udt => crate::NS_UDT,
        }
    }

    /// The one at index `ns` of `Document::uris`, if that is one of them.
    fn at(ns: u32) -> Option<KnownNamespace> {
        // Index 0 is the XML namespace; `NONE` wraps to an index past the end.
        Self::ALL.get(ns.wrapping_sub(1) as usize).copied()
    }
}

/// An element name interned in its document: two elements of one document have the same id
/// exactly when their expanded names are equal. Ids count up from 0 in order of first use, so
/// a caller can keep per-name facts in a `Vec` indexed by [`NameId::index`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NameId(u32);

impl NameId {
    /// The id of the name at `index` of [`Document::element_names`].
    pub fn new(index: u32) -> Self {
        NameId(index)
    }

    /// The id as an index into [`Document::element_names`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Limits applied while parsing.
#[derive(Clone, Copy, Debug)]
pub struct ParsingOptions {
    /// The most nodes (the document root included) a document may have.
    pub nodes_limit: u32,
    /// The deepest element nesting accepted; the root element is at depth 1.
    pub max_depth: usize,
}

impl Default for ParsingOptions {
    /// No node limit and a depth of 1024: callers reading untrusted input set both.
    fn default() -> Self {
        ParsingOptions {
            nodes_limit: u32::MAX,
            max_depth: 1024,
        }
    }
}

/// The kind of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeType {
    /// The document node, parent of the root element.
    Root,
    /// An element.
    Element,
    /// A processing instruction.
    PI,
    /// A comment.
    Comment,
    /// Character data (text and CDATA sections).
    Text,
}

/// A processing instruction: `<?target value?>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PI<'input> {
    /// The target name.
    pub target: &'input str,
    /// The content after the target and its whitespace, if not empty.
    pub value: Option<&'input str>,
}

/// The index of a node in its [`Document`], in document order; 0 is the document root.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(u32);

impl NodeId {
    /// The id with index `id`.
    pub fn new(id: u32) -> Self {
        NodeId(id)
    }

    /// The index.
    pub fn get(self) -> u32 {
        self.0
    }

    /// The index as `usize`.
    pub fn get_usize(self) -> usize {
        self.0 as usize
    }
}

impl From<u32> for NodeId {
    fn from(id: u32) -> Self {
        NodeId(id)
    }
}

/// A string of the document: a span of the input, or of the arena when it had to be rewritten.
#[derive(Clone, Copy, Debug)]
struct StrRef {
    start: u32,
    /// The length; the top bit says the span is in the arena.
    len: u32,
}

const IN_ARENA: u32 = 1 << 31;

impl StrRef {
    fn input(range: Range<usize>) -> StrRef {
        // The parser refuses inputs of 2 GiB or more, so both fit.
        StrRef {
            start: range.start as u32,
            len: (range.end - range.start) as u32,
        }
    }

    fn arena(range: Range<usize>) -> StrRef {
        StrRef {
            start: range.start as u32,
            len: (range.end - range.start) as u32 | IN_ARENA,
        }
    }

    fn is_arena(self) -> bool {
        self.len & IN_ARENA != 0
    }

    fn range(self) -> Range<usize> {
        let start = self.start as usize;
        start..start + (self.len & !IN_ARENA) as usize
    }
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Root,
    Element {
        /// Index into `Document::names`.
        name: u32,
        attrs_start: u32,
        attrs_end: u32,
        /// Index into `Document::scopes`, or `NONE` when no namespace is declared in scope.
        scope: u32,
    },
    PI {
        target: StrRef,
        /// `len == 0` stands for no value.
        value: StrRef,
    },
    Comment(StrRef),
    Text(StrRef),
}

#[derive(Clone, Copy, Debug)]
struct NodeData {
    parent: u32,
    prev_sibling: u32,
    last_child: u32,
    /// One past the last node of this node's subtree.
    subtree_end: u32,
    start: u32,
    end: u32,
    kind: Kind,
}

/// An interned element name.
#[derive(Clone, Copy, Debug)]
struct NameData<'input> {
    /// The local name, kept as a slice: names are read far more often than they are made.
    local: &'input str,
    /// Index into `Document::uris`, or `NONE`.
    ns: u32,
}

#[derive(Clone, Copy, Debug)]
struct AttrData {
    /// The local name, a span of the input.
    local: StrRef,
    ns: u32,
    value: StrRef,
}

/// The namespace declarations of one element, linked to those of the nearest ancestor that
/// declares any.
#[derive(Clone, Copy, Debug)]
struct Scope {
    parent: u32,
    decls_start: u32,
    decls_end: u32,
}

#[derive(Clone, Copy, Debug)]
struct Decl<'input> {
    /// `None` for the default namespace.
    prefix: Option<&'input str>,
    uri: u32,
}

/// A parsed XML document.
pub struct Document<'input> {
    text: &'input str,
    nodes: Vec<NodeData>,
    /// The ids of the element nodes in document order: the rules walk every element of an
    /// invoice several times, and half or more of its nodes are text (values and the
    /// indentation between elements) that each walk would otherwise step over.
    elements: Vec<u32>,
    attrs: Vec<AttrData>,
    /// Texts and attribute values that differ from their source (references, line ends).
    arena: String,
    /// Each namespace name once; index 0 is the `xml` namespace, then [`KnownNamespace::ALL`].
    uris: Vec<Cow<'input, str>>,
    /// Each element name once, indexed by [`NameId`].
    names: Vec<NameData<'input>>,
    scopes: Vec<Scope>,
    decls: Vec<Decl<'input>>,
}

impl<'input> Document<'input> {
    /// Parses `text` under `options`.
    pub fn parse_with_options(text: &'input str, options: ParsingOptions) -> Result<Self, Error> {
        parse::parse(text, options)
    }

    /// Parses `text` with the default options (no node limit).
    pub fn parse(text: &'input str) -> Result<Self, Error> {
        parse::parse(text, ParsingOptions::default())
    }

    /// The document node.
    pub fn root<'a>(&'a self) -> Node<'a, 'input> {
        self.node(0)
    }

    /// The root element. Every parsed document has one.
    pub fn root_element<'a>(&'a self) -> Node<'a, 'input> {
        // The parser refuses documents without a root element; falling back to the document
        // node keeps this total all the same.
        self.root()
            .first_element_child()
            .unwrap_or_else(|| self.root())
    }

    /// Every element in document order, the root element first: what
    /// `root().descendants().filter(Node::is_element)` yields, without visiting the other
    /// nodes.
    pub fn elements<'a>(&'a self) -> impl ExactSizeIterator<Item = Node<'a, 'input>> + 'a {
        self.elements.iter().map(|&id| self.node(id))
    }

    /// All nodes in document order, the document node first.
    pub fn descendants<'a>(&'a self) -> Descendants<'a, 'input> {
        self.root().descendants()
    }

    /// The node with `id`, if this document has one.
    pub fn get_node<'a>(&'a self, id: NodeId) -> Option<Node<'a, 'input>> {
        self.nodes.get(id.get_usize()).map(|d| Node {
            id: id.0,
            doc: self,
            d,
        })
    }

    /// The text the document was parsed from.
    pub fn input_text(&self) -> &'input str {
        self.text
    }

    /// The distinct element names of the document, in [`NameId`] order.
    pub fn element_names<'a>(&'a self) -> impl ExactSizeIterator<Item = ExpandedName<'a, 'input>> {
        self.names.iter().map(|n| self.expanded(n))
    }

    /// The distinct element names of the document, in [`NameId`] order, each as its
    /// namespace if that is a known one, and its local name: what the rule tables match on,
    /// read without comparing namespace names.
    pub fn known_element_names(
        &self,
    ) -> impl ExactSizeIterator<Item = (Option<KnownNamespace>, &'input str)> + '_ {
        self.names
            .iter()
            .map(|n| (KnownNamespace::at(n.ns), n.local))
    }

    fn expanded<'a>(&'a self, name: &NameData<'input>) -> ExpandedName<'a, 'input> {
        ExpandedName {
            uri: self.uri(name.ns),
            name: name.local,
        }
    }

    fn name_data(&self, name: u32) -> Option<&NameData<'input>> {
        self.names.get(name as usize)
    }

    /// The node at index `id`, which the caller knows to exist.
    fn node<'a>(&'a self, id: u32) -> Node<'a, 'input> {
        // Links are only ever set to pushed nodes; the root record exists from the start.
        let d = self.nodes.get(id as usize).unwrap_or(&ROOT_DATA);
        Node { id, doc: self, d }
    }

    fn link<'a>(&'a self, id: u32) -> Option<Node<'a, 'input>> {
        (id != NONE).then(|| self.node(id))
    }

    fn str<'a>(&'a self, s: StrRef) -> &'a str {
        let source: &'a str = if s.is_arena() { &self.arena } else { self.text };
        source.get(s.range()).unwrap_or("")
    }

    fn input_str(&self, s: StrRef) -> &'input str {
        self.text.get(s.range()).unwrap_or("")
    }

    fn uri(&self, ns: u32) -> Option<&str> {
        self.uris.get(ns as usize).map(|u| &**u)
    }
}

/// Stands in for a node record that cannot be missing (see [`Document::node`]).
static ROOT_DATA: NodeData = NodeData {
    parent: NONE,
    prev_sibling: NONE,
    last_child: NONE,
    subtree_end: 0,
    start: 0,
    end: 0,
    kind: Kind::Root,
};

impl fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("nodes", &self.nodes.len())
            .field("attributes", &self.attrs.len())
            .finish()
    }
}

/// A namespace name and local name pair.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExpandedName<'a, 'b> {
    uri: Option<&'a str>,
    name: &'b str,
}

impl<'a, 'b> ExpandedName<'a, 'b> {
    /// The namespace name, if the name is in a namespace.
    pub fn namespace(&self) -> Option<&'a str> {
        self.uri
    }

    /// The local name.
    pub fn name(&self) -> &'b str {
        self.name
    }

    /// A name in namespace `uri`, usable in constants.
    pub const fn from_static(
        uri: &'static str,
        name: &'static str,
    ) -> ExpandedName<'static, 'static> {
        ExpandedName {
            uri: Some(uri),
            name,
        }
    }
}

impl fmt::Debug for ExpandedName<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.uri {
            Some(uri) => write!(f, "{{{uri}}}{}", self.name),
            None => f.write_str(self.name),
        }
    }
}

impl<'b> From<&'b str> for ExpandedName<'_, 'b> {
    /// A local name; as a query it matches that local name in any namespace, like roxmltree.
    fn from(name: &'b str) -> Self {
        ExpandedName { uri: None, name }
    }
}

impl<'a, 'b> From<(&'a str, &'b str)> for ExpandedName<'a, 'b> {
    /// A `(namespace, local name)` pair.
    fn from((uri, name): (&'a str, &'b str)) -> Self {
        ExpandedName {
            uri: Some(uri),
            name,
        }
    }
}

/// An attribute of an element (namespace declarations are not attributes).
#[derive(Clone, Copy)]
pub struct Attribute<'a, 'input> {
    doc: &'a Document<'input>,
    data: &'a AttrData,
}

impl<'a, 'input> Attribute<'a, 'input> {
    /// The namespace name, if the attribute is prefixed.
    pub fn namespace(&self) -> Option<&'a str> {
        self.doc.uri(self.data.ns)
    }

    /// The local name.
    pub fn name(&self) -> &'input str {
        self.doc.input_str(self.data.local)
    }

    /// The normalised value (references resolved, whitespace characters turned into spaces).
    pub fn value(&self) -> &'a str {
        self.doc.str(self.data.value)
    }

    /// The prefix as written (`wsu` for `wsu:Id`), or `None` when unprefixed: canonical XML
    /// (XML signatures) writes attributes under the prefix the document used.
    pub fn prefix(&self) -> Option<&'input str> {
        let before = self.doc.text.get(..self.data.local.range().start)?;
        let qualified = before.strip_suffix(':')?;
        let start = qualified
            .rfind(|c: char| c.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        qualified.get(start..)
    }

    fn expanded_name(&self) -> ExpandedName<'a, 'input> {
        ExpandedName {
            uri: self.namespace(),
            name: self.name(),
        }
    }
}

impl PartialEq for Attribute<'_, '_> {
    fn eq(&self, other: &Self) -> bool {
        self.expanded_name() == other.expanded_name() && self.value() == other.value()
    }
}

impl fmt::Debug for Attribute<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}={:?}", self.expanded_name(), self.value())
    }
}

/// A namespace declaration in scope on an element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Namespace<'a> {
    name: Option<&'a str>,
    uri: &'a str,
}

impl<'a> Namespace<'a> {
    /// The prefix, or `None` for the default namespace.
    pub fn name(&self) -> Option<&'a str> {
        self.name
    }

    /// The namespace name.
    pub fn uri(&self) -> &'a str {
        self.uri
    }
}

/// A node of a [`Document`]: cheap to copy, equal when it is the same node of the same document.
#[derive(Clone, Copy)]
pub struct Node<'a, 'input> {
    id: u32,
    doc: &'a Document<'input>,
    d: &'a NodeData,
}

impl PartialEq for Node<'_, '_> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && std::ptr::eq(self.doc, other.doc)
    }
}

impl Eq for Node<'_, '_> {}

impl<'a, 'input> Node<'a, 'input> {
    /// The node's id, its index in document order.
    pub fn id(&self) -> NodeId {
        NodeId(self.id)
    }

    /// The document the node belongs to.
    pub fn document(&self) -> &'a Document<'input> {
        self.doc
    }

    /// The kind of node.
    pub fn node_type(&self) -> NodeType {
        match self.d.kind {
            Kind::Root => NodeType::Root,
            Kind::Element { .. } => NodeType::Element,
            Kind::PI { .. } => NodeType::PI,
            Kind::Comment(_) => NodeType::Comment,
            Kind::Text(_) => NodeType::Text,
        }
    }

    /// Whether this is the document node.
    pub fn is_root(&self) -> bool {
        matches!(self.d.kind, Kind::Root)
    }

    /// Whether this is an element.
    pub fn is_element(&self) -> bool {
        matches!(self.d.kind, Kind::Element { .. })
    }

    /// Whether this is a processing instruction.
    pub fn is_pi(&self) -> bool {
        matches!(self.d.kind, Kind::PI { .. })
    }

    /// Whether this is a comment.
    pub fn is_comment(&self) -> bool {
        matches!(self.d.kind, Kind::Comment(_))
    }

    /// Whether this is a text node.
    pub fn is_text(&self) -> bool {
        matches!(self.d.kind, Kind::Text(_))
    }

    /// The element's expanded name; an empty name in no namespace for other nodes.
    pub fn tag_name(&self) -> ExpandedName<'a, 'input> {
        match self.name_data() {
            Some(name) => self.doc.expanded(name),
            None => ExpandedName {
                uri: None,
                name: "",
            },
        }
    }

    /// The element's interned name; `None` for other nodes.
    pub fn name_id(&self) -> Option<NameId> {
        match self.d.kind {
            Kind::Element { name, .. } => Some(NameId(name)),
            _ => None,
        }
    }

    /// The element's namespace, if it is one of the invoice syntaxes'.
    pub fn known_namespace(&self) -> Option<KnownNamespace> {
        KnownNamespace::at(self.name_data()?.ns)
    }

    /// Whether this is the element `local` in the known namespace `ns`. The namespace is
    /// compared first, as an integer, so most elements that are not it cost no string
    /// comparison.
    pub fn is_named(&self, ns: KnownNamespace, local: &str) -> bool {
        self.name_data()
            .is_some_and(|n| KnownNamespace::at(n.ns) == Some(ns) && n.local == local)
    }

    fn name_data(&self) -> Option<&'a NameData<'input>> {
        match self.d.kind {
            Kind::Element { name, .. } => self.doc.name_data(name),
            _ => None,
        }
    }

    /// Whether this is an element named `name`. A bare `&str` matches the local name in any
    /// namespace; a `(namespace, local)` pair matches both.
    pub fn has_tag_name<'n, 'm>(&self, name: impl Into<ExpandedName<'n, 'm>>) -> bool {
        let name = name.into();
        self.name_data().is_some_and(|n| {
            n.local == name.name && (name.uri.is_none() || self.doc.uri(n.ns) == name.uri)
        })
    }

    /// The element's prefix as written (`eb` for `<eb:Messaging>`), or `None` when unprefixed
    /// or not an element: canonical XML (XML signatures) keeps the document's prefixes.
    pub fn prefix(&self) -> Option<&'input str> {
        if !self.is_element() {
            return None;
        }
        let tag = self.doc.text.get(self.d.start as usize + 1..)?;
        let name_end = tag
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .unwrap_or(tag.len());
        tag.get(..name_end)?
            .split_once(':')
            .map(|(prefix, _)| prefix)
    }

    /// The prefix bound to namespace `uri` on this element (`xml` for the XML namespace), or
    /// `None` when `uri` is not in scope or is the default namespace.
    pub fn lookup_prefix(&self, uri: &str) -> Option<&'a str> {
        if uri == NS_XML_URI {
            return Some("xml");
        }
        self.namespaces()
            .find(|ns| ns.uri == uri)
            .and_then(|ns| ns.name)
    }

    /// The namespace declarations in scope: this element's own first (in document order),
    /// then each ancestor's that are not redeclared nearer. Empty for non-elements.
    pub fn namespaces(&self) -> Namespaces<'a, 'input> {
        let scope = match self.d.kind {
            Kind::Element { scope, .. } => scope,
            _ => NONE,
        };
        Namespaces {
            doc: self.doc,
            first: scope,
            scope,
            next: self
                .doc
                .scopes
                .get(scope as usize)
                .map_or(0, |s| s.decls_start),
        }
    }

    /// The value of attribute `name`: a bare `&str` matches the local name in any namespace,
    /// a `(namespace, local)` pair matches both.
    pub fn attribute<'n, 'm>(&self, name: impl Into<ExpandedName<'n, 'm>>) -> Option<&'a str> {
        let name = name.into();
        self.attributes()
            .find(|a| a.name() == name.name && (name.uri.is_none() || a.namespace() == name.uri))
            .map(|a| a.value())
    }

    /// Whether the element has attribute `name` (matched as by [`Node::attribute`]).
    pub fn has_attribute<'n, 'm>(&self, name: impl Into<ExpandedName<'n, 'm>>) -> bool {
        self.attribute(name).is_some()
    }

    /// The element's attributes in document order; empty for non-elements.
    pub fn attributes(&self) -> Attributes<'a, 'input> {
        let attrs = match self.d.kind {
            Kind::Element {
                attrs_start,
                attrs_end,
                ..
            } => self
                .doc
                .attrs
                .get(attrs_start as usize..attrs_end as usize)
                .unwrap_or(&[]),
            _ => &[],
        };
        Attributes {
            doc: self.doc,
            iter: attrs.iter(),
        }
    }

    /// The text of a text or comment node; for an element, the text of its first child if
    /// that is a text node (not the string value of the element).
    pub fn text(&self) -> Option<&'a str> {
        match self.d.kind {
            Kind::Element { .. } => self.first_child().and_then(|c| match c.d.kind {
                Kind::Text(s) => Some(self.doc.str(s)),
                _ => None,
            }),
            Kind::Text(s) | Kind::Comment(s) => Some(self.doc.str(s)),
            _ => None,
        }
    }

    /// The XPath string value: for an element, all its descendant text in document order; for
    /// a text or comment node, its text. Borrowed when it is one text node, as nearly every
    /// leaf of an invoice is (that case is inlined); only text split by comments, CDATA
    /// sections or child elements is copied.
    #[inline]
    pub fn string_value(&self) -> Cow<'a, str> {
        match self.d.kind {
            Kind::Text(s) | Kind::Comment(s) => Cow::Borrowed(self.doc.str(s)),
            Kind::PI { .. } => Cow::Borrowed(""),
            Kind::Element { .. } | Kind::Root => match self.first_child() {
                None => Cow::Borrowed(""),
                Some(only) if only.is_text() && only.next_sibling().is_none() => {
                    Cow::Borrowed(only.text().unwrap_or_default())
                }
                Some(_) => self.descendant_text(),
            },
        }
    }

    /// The text nodes below this one, joined.
    fn descendant_text(&self) -> Cow<'a, str> {
        let mut texts = self
            .descendants()
            .filter(Node::is_text)
            .filter_map(|t| t.text());
        match (texts.next(), texts.next()) {
            (None, _) => Cow::Borrowed(""),
            (Some(only), None) => Cow::Borrowed(only),
            (Some(first), Some(second)) => {
                let mut all = String::with_capacity(first.len() + second.len());
                all.push_str(first);
                all.push_str(second);
                texts.for_each(|t| all.push_str(t));
                Cow::Owned(all)
            }
        }
    }

    /// The target and value of a processing instruction.
    pub fn pi(&self) -> Option<PI<'input>> {
        match self.d.kind {
            Kind::PI { target, value } => Some(PI {
                target: self.doc.input_str(target),
                value: (value.len != 0).then(|| self.doc.input_str(value)),
            }),
            _ => None,
        }
    }

    /// The parent node; `None` for the document node.
    pub fn parent(&self) -> Option<Self> {
        self.doc.link(self.d.parent)
    }

    /// The nearest ancestor that is an element.
    pub fn parent_element(&self) -> Option<Self> {
        // A parent is an element or the document node.
        self.parent().filter(Node::is_element)
    }

    /// The previous sibling.
    pub fn prev_sibling(&self) -> Option<Self> {
        self.doc.link(self.d.prev_sibling)
    }

    /// The next sibling.
    pub fn next_sibling(&self) -> Option<Self> {
        // In document order the node after this subtree is the next sibling, if it has the
        // same parent (otherwise it follows an ancestor).
        let next = self.d.subtree_end;
        self.doc
            .nodes
            .get(next as usize)
            .filter(|d| d.parent == self.d.parent && self.d.parent != NONE)
            .map(|d| Node {
                id: next,
                doc: self.doc,
                d,
            })
    }

    /// The first child.
    pub fn first_child(&self) -> Option<Self> {
        // Children follow their parent directly in document order.
        (self.d.last_child != NONE).then(|| self.doc.node(self.id + 1))
    }

    /// The last child.
    pub fn last_child(&self) -> Option<Self> {
        self.doc.link(self.d.last_child)
    }

    /// The first child that is an element.
    pub fn first_element_child(&self) -> Option<Self> {
        self.children().find(Node::is_element)
    }

    /// Whether the node has children.
    pub fn has_children(&self) -> bool {
        self.d.last_child != NONE
    }

    /// This node, then its ancestors up to the document node.
    pub fn ancestors(&self) -> Axis<'a, 'input> {
        Axis {
            node: Some(*self),
            step: Node::parent,
        }
    }

    /// This node, then its previous siblings, nearest first.
    pub fn prev_siblings(&self) -> Axis<'a, 'input> {
        Axis {
            node: Some(*self),
            step: Node::prev_sibling,
        }
    }

    /// This node, then its next siblings.
    pub fn next_siblings(&self) -> Axis<'a, 'input> {
        Axis {
            node: Some(*self),
            step: Node::next_sibling,
        }
    }

    /// The children in document order.
    pub fn children(&self) -> Children<'a, 'input> {
        let first = if self.d.last_child == NONE {
            NONE
        } else {
            self.id + 1
        };
        Children {
            doc: self.doc,
            front: first,
            back: self.d.last_child,
        }
    }

    /// This node and all its descendants in document order.
    pub fn descendants(&self) -> Descendants<'a, 'input> {
        let range = self.id as usize..self.d.subtree_end as usize;
        Descendants {
            doc: self.doc,
            next: self.id,
            iter: self.doc.nodes.get(range).unwrap_or(&[]).iter(),
        }
    }

    /// The byte range of the node in the input: an element from its `<` to the end of its end
    /// tag; a text node from its first character (or its CDATA section's `<`) to the end of
    /// its first text or CDATA section, like roxmltree.
    pub fn range(&self) -> Range<usize> {
        self.d.start as usize..self.d.end as usize
    }
}

impl fmt::Debug for Node<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.d.kind {
            Kind::Root => f.write_str("Root"),
            Kind::Element { .. } => f
                .debug_struct("Element")
                .field("tag_name", &self.tag_name())
                .field("attributes", &self.attributes().collect::<Vec<_>>())
                .finish(),
            Kind::PI { .. } => write!(f, "PI({:?})", self.pi()),
            Kind::Comment(_) => write!(f, "Comment({:?})", self.text()),
            Kind::Text(_) => write!(f, "Text({:?})", self.text()),
        }
    }
}

/// Iterator over an element's attributes.
#[derive(Clone)]
pub struct Attributes<'a, 'input> {
    doc: &'a Document<'input>,
    iter: std::slice::Iter<'a, AttrData>,
}

impl<'a, 'input> Iterator for Attributes<'a, 'input> {
    type Item = Attribute<'a, 'input>;

    fn next(&mut self) -> Option<Self::Item> {
        let doc = self.doc;
        self.iter.next().map(|data| Attribute { doc, data })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.size_hint()
    }
}

impl ExactSizeIterator for Attributes<'_, '_> {}

/// Iterator along one axis (parents or siblings), starting with the node itself.
#[derive(Clone)]
pub struct Axis<'a, 'input> {
    node: Option<Node<'a, 'input>>,
    step: fn(&Node<'a, 'input>) -> Option<Node<'a, 'input>>,
}

impl<'a, 'input> Iterator for Axis<'a, 'input> {
    type Item = Node<'a, 'input>;

    fn next(&mut self) -> Option<Self::Item> {
        let node = self.node.take()?;
        self.node = (self.step)(&node);
        Some(node)
    }
}

/// Iterator over a node's children: the ids of the first and last not yet visited, both
/// `NONE` when done. Walking needs no parent checks: until the two meet, the next sibling is
/// the node right after the current one's subtree.
#[derive(Clone)]
pub struct Children<'a, 'input> {
    doc: &'a Document<'input>,
    front: u32,
    back: u32,
}

impl Children<'_, '_> {
    fn done(&mut self) {
        self.front = NONE;
        self.back = NONE;
    }
}

impl<'a, 'input> Iterator for Children<'a, 'input> {
    type Item = Node<'a, 'input>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.front == NONE {
            return None;
        }
        let node = self.doc.node(self.front);
        if self.front == self.back {
            self.done();
        } else {
            self.front = node.d.subtree_end;
        }
        Some(node)
    }
}

impl DoubleEndedIterator for Children<'_, '_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.back == NONE {
            return None;
        }
        let node = self.doc.node(self.back);
        if self.front == self.back {
            self.done();
        } else {
            self.back = node.d.prev_sibling;
        }
        Some(node)
    }
}

/// Iterator over a node and its descendants, in document order.
#[derive(Clone)]
pub struct Descendants<'a, 'input> {
    doc: &'a Document<'input>,
    next: u32,
    iter: std::slice::Iter<'a, NodeData>,
}

impl<'a, 'input> Iterator for Descendants<'a, 'input> {
    type Item = Node<'a, 'input>;

    fn next(&mut self) -> Option<Self::Item> {
        let d = self.iter.next()?;
        let id = self.next;
        self.next += 1;
        Some(Node {
            id,
            doc: self.doc,
            d,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.size_hint()
    }
}

impl ExactSizeIterator for Descendants<'_, '_> {}

/// Iterator over the namespace declarations in scope on an element.
#[derive(Clone)]
pub struct Namespaces<'a, 'input> {
    doc: &'a Document<'input>,
    /// The element's own scope, to tell whether a declaration is redeclared nearer.
    first: u32,
    scope: u32,
    next: u32,
}

impl<'a, 'input> Namespaces<'a, 'input> {
    /// Whether `prefix` is declared in a scope between the element's and `self.scope`.
    fn shadowed(&self, prefix: Option<&str>) -> bool {
        let doc = self.doc;
        let mut s = self.first;
        while s != self.scope {
            let Some(scope) = doc.scopes.get(s as usize) else {
                return false;
            };
            let decls = doc
                .decls
                .get(scope.decls_start as usize..scope.decls_end as usize);
            if decls.unwrap_or(&[]).iter().any(|d| d.prefix == prefix) {
                return true;
            }
            s = scope.parent;
        }
        false
    }
}

impl<'a, 'input> Iterator for Namespaces<'a, 'input> {
    type Item = Namespace<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let scope = *self.doc.scopes.get(self.scope as usize)?;
            if self.next >= scope.decls_end {
                self.scope = scope.parent;
                self.next = self
                    .doc
                    .scopes
                    .get(self.scope as usize)
                    .map_or(0, |s| s.decls_start);
                continue;
            }
            let decl = *self.doc.decls.get(self.next as usize)?;
            self.next += 1;
            if !self.shadowed(decl.prefix) {
                return Some(Namespace {
                    name: decl.prefix,
                    uri: self.doc.uri(decl.uri).unwrap_or(""),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_string_value_is_all_descendant_text() {
        let doc = Document::parse(
            "<r><one>a &amp; b</one><empty/><split>x<!-- c -->y<i>z</i><![CDATA[<w>]]></split></r>",
        )
        .unwrap();
        let [one, empty, split]: [Node<'_, '_>; 3] = doc
            .root_element()
            .children()
            .collect::<Vec<_>>()
            .try_into()
            .unwrap();
        assert!(matches!(one.string_value(), Cow::Borrowed("a & b")));
        assert!(matches!(empty.string_value(), Cow::Borrowed("")));
        assert_eq!(split.string_value(), "xyz<w>");
        assert_eq!(doc.root_element().string_value(), "a & bxyz<w>");
        let text = one.first_child().unwrap();
        assert_eq!(text.string_value(), "a & b");
    }

    #[test]
    fn names_are_interned_by_expanded_name() {
        let xml = format!(
            r#"<a:x xmlns:a="{cbc}" xmlns:b="{cbc}" xmlns:c="urn:other"><b:x/><c:x/><x/><a:y/></a:x>"#,
            cbc = crate::NS_CBC
        );
        let doc = Document::parse(&xml).unwrap();
        let root = doc.root_element();
        let [same, other, plain, y]: [Node<'_, '_>; 4] =
            root.children().collect::<Vec<_>>().try_into().unwrap();
        // Two prefixes bound to one namespace name the same element name.
        assert_eq!(root.name_id(), same.name_id());
        let ids = [root, other, plain, y].map(|n| n.name_id().unwrap());
        for (i, a) in ids.iter().enumerate() {
            for b in ids.iter().skip(i + 1) {
                assert_ne!(a, b);
            }
        }
        let names: Vec<_> = doc.element_names().collect();
        assert_eq!(names.len(), 4);
        assert_eq!(names[other.name_id().unwrap().index()], other.tag_name());
        assert_eq!(doc.root().name_id(), None);
    }

    #[test]
    fn known_namespaces_are_recognised_however_declared() {
        // The namespace name written with a character reference lands in the arena.
        let cac = crate::NS_CAC.replacen('u', "&#117;", 1);
        let xml = format!(
            r#"<r xmlns="{inv}" xmlns:p="{cac}" xmlns:q="urn:other"><p:A/><q:B/></r>"#,
            inv = crate::NS_UBL_INVOICE
        );
        let doc = Document::parse(&xml).unwrap();
        let root = doc.root_element();
        assert_eq!(root.known_namespace(), Some(KnownNamespace::UblInvoice));
        let [a, b]: [Node<'_, '_>; 2] = root.children().collect::<Vec<_>>().try_into().unwrap();
        assert_eq!(a.known_namespace(), Some(KnownNamespace::Cac));
        assert!(a.is_named(KnownNamespace::Cac, "A"));
        assert!(!a.is_named(KnownNamespace::Cbc, "A"));
        assert!(!a.is_named(KnownNamespace::Cac, "B"));
        assert_eq!(b.known_namespace(), None);
        assert!(
            KnownNamespace::ALL
                .iter()
                .all(|k| KnownNamespace::at(*k as u32 + 1) == Some(*k))
        );
    }

    #[test]
    fn a_repeated_tag_resolves_in_its_own_scope() {
        // The parser reuses a tag's resolution while the prefixes in scope are the same:
        // a redeclared or unbound prefix must be resolved afresh, however the tags repeat.
        let xml = "<r xmlns:p='urn:1'><p:a/><p:a/><s xmlns:p='urn:2'><p:a/><p:a/></s>\
                   <s><p:a/></s><p:a xmlns:p='urn:3'/><p:a/></r>";
        let doc = Document::parse(xml).unwrap();
        let uris: Vec<_> = doc
            .root_element()
            .descendants()
            .filter(|n| n.has_tag_name("a"))
            .map(|n| n.tag_name().namespace().unwrap_or_default())
            .collect();
        let expected = [
            "urn:1", "urn:1", "urn:2", "urn:2", "urn:1", "urn:3", "urn:1",
        ];
        assert_eq!(uris, expected);
        let unbound =
            Document::parse("<r><s><p:a xmlns:p='u'/><p:a xmlns:p='u'/></s><s><p:a/></s></r>");
        assert!(matches!(
            unbound.map(|_| ()).map_err(|e| e.kind().clone()),
            Err(ErrorKind::UnboundPrefix(p)) if p == "p"
        ));
    }

    #[test]
    fn children_walk_both_ways() {
        let doc = Document::parse("<r>t<a><x/></a><!--c--><b/></r>").unwrap();
        let root = doc.root_element();
        let forward: Vec<_> = root.children().map(|n| n.id()).collect();
        let mut backward: Vec<_> = root.children().rev().map(|n| n.id()).collect();
        backward.reverse();
        assert_eq!(forward.len(), 4);
        assert_eq!(forward, backward);
        let mut both = root.children();
        let first = both.next().map(|n| n.id());
        let last = both.next_back().map(|n| n.id());
        assert_eq!(both.count(), 2);
        assert_eq!(
            (first, last),
            (forward.first().copied(), forward.last().copied())
        );
        let x = root.descendants().find(|n| n.has_tag_name("x")).unwrap();
        assert_eq!(x.children().count(), 0);
        assert_eq!(x.parent_element().map(|p| p.tag_name().name()), Some("a"));
        assert_eq!(root.parent_element(), None);
    }
}

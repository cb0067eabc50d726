//! The tokenizer and tree builder: one forward pass over the input, no recursion.
//!
//! The parse stack holds the open elements; the node count and depth are checked as nodes are
//! added, so limits hold before memory is spent. Text is located and checked in one pass by
//! the block scans of [`chars`](super::chars); it is copied to the arena only when references
//! or line ends make it differ from the input.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use memchr::{memchr, memchr2, memmem};

use super::chars::{self, Scan};
use super::index::Index;
use super::{
    AttrData, Decl, Document, Error, ErrorKind, IN_ARENA, Kind, KnownNamespace, NONE, NS_XML_URI,
    NS_XMLNS_URI, NameData, NodeData, ParsingOptions, Scope, StrRef,
};

type Result<T> = std::result::Result<T, Error>;

/// Binding lists up to this long are searched linearly, which beats hashing for the handful of
/// prefixes real invoices declare; longer ones (hostile input) use the map.
const LINEAR_BINDINGS: usize = 16;

/// Slots of the element name cache: more than the distinct names of a real invoice's
/// neighbourhood, few enough to stay in the L1 cache.
const NAME_CACHE: usize = 256;

/// Slots of the next-name prediction: a name cache slot for each of a few depths.
const FOLLOWS: usize = 4 * NAME_CACHE;

/// Initial capacities for a typical invoice: distinct element names, nesting depth, and
/// elements that declare namespaces.
const INITIAL_NAMES: usize = 128;
const INITIAL_DEPTH: usize = 16;
const INITIAL_SCOPES: usize = 8;

/// Unused node capacity, in bytes, above which a parsed document gives it back.
const SHRINK_ABOVE: usize = 256 * 1024;

pub(super) fn parse(text: &str, options: ParsingOptions) -> Result<Document<'_>> {
    if text.len() >= IN_ARENA as usize {
        return Err(Error::at(ErrorKind::TooLarge, text, 0));
    }
    let mut parser = Parser::new(text, options);
    parser.document()?;
    Ok(parser.finish())
}

/// An array of `N` copies of `value`, made on the heap (a `Box::new` of an array literal may
/// be built on the stack and copied).
fn filled<T: Clone, const N: usize>(value: T) -> Box<[T; N]> {
    match vec![value; N].into_boxed_slice().try_into() {
        Ok(array) => array,
        // A boxed slice of length N always converts.
        Err(_) => unreachable!("a vec of N elements is an array of N"),
    }
}

/// An element whose end tag is still to come.
struct Open<'input> {
    node: u32,
    /// The name as written in the start tag, which the end tag must repeat.
    qname: &'input str,
    /// `Parser::bindings.len()` before this element's declarations.
    bindings: usize,
    /// The namespace scope of the element's content.
    scope: u32,
}

/// A cached element name resolution: qualified name as written, scope, name index.
#[derive(Clone, Copy)]
struct Resolved<'input> {
    qname: &'input str,
    prefix_len: usize,
    scope: u32,
    name: u32,
}

impl<'input> Resolved<'input> {
    fn prefix(&self) -> &'input str {
        self.qname.get(..self.prefix_len).unwrap_or("")
    }
}

/// A prefix bound by a declaration on an open element.
struct Binding<'input> {
    prefix: &'input str,
    uri: u32,
    /// The binding of the same prefix this one hides, or `NONE`.
    hides: u32,
}

/// An attribute read from a start tag, before its prefix can be resolved (declarations may
/// follow it in the same tag).
struct Pending<'input> {
    prefix: &'input str,
    local: StrRef,
    value: StrRef,
    at: usize,
}

/// A namespace declaration read from a start tag: prefix (`None` for `xmlns`), value, offset.
type PendingDecl<'input> = (Option<&'input str>, StrRef, usize);

/// How character data is rewritten on its way to the arena.
#[derive(Clone, Copy)]
enum Rewrite {
    /// Text content: references resolved, line ends normalised.
    Text,
    /// A CDATA section: line ends normalised.
    Cdata,
}

struct Parser<'input> {
    text: &'input str,
    bytes: &'input [u8],
    pos: usize,
    options: ParsingOptions,
    doc: Document<'input>,
    stack: Vec<Open<'input>>,
    bindings: Vec<Binding<'input>>,
    /// Each bound prefix to its innermost binding.
    bound: HashMap<&'input str, u32>,
    uri_index: Index<Cow<'input, str>>,
    /// Each element name (namespace index, local name) to its index in `Document::names`.
    name_index: Index<(u32, &'input str)>,
    /// Recently interned names by a cheap hash of the local name: nearly every element hits
    /// here, and a miss (a collision that hostile input may force) only costs the map lookup.
    ///
    /// The three caches live on the heap: inline they made the parser 11 KB, which was
    /// copied each time it moved (out of `Parser::new`, into `finish`), a cost a small
    /// invoice noticed.
    name_cache: Box<[u32; NAME_CACHE]>,
    /// Element names resolved from a qualified name as written, in a namespace scope: a scope
    /// fixes every prefix binding, so a start tag repeating both costs one comparison instead
    /// of prefix resolution and interning. Invoices declare their prefixes once, on the root.
    resolved: Box<[Resolved<'input>; NAME_CACHE]>,
    /// By [`follows_index`]: the slot of the name of the start tag that came last after a
    /// start tag with that slot's name, at that depth.
    follows: Box<[u16; FOLLOWS]>,
    /// The slot of the last start tag's name.
    last_start: usize,
    attrs: Vec<Pending<'input>>,
    decls: Vec<PendingDecl<'input>>,
    /// The last node is a text node that a following CDATA section or text joins.
    text_open: bool,
    cdata_end: memmem::Finder<'static>,
    pi_end: memmem::Finder<'static>,
    double_hyphen: memmem::Finder<'static>,
}

/// The number of `<` in `bytes`: counted where the document is small, extrapolated from its
/// first `SAMPLE` bytes (with an eighth to spare) where it is large.
///
/// Counting a large document is a pass over all of it before the parse, and a document that
/// size is mostly repeated lines, which the sample represents; one with a large attachment
/// has few tags beyond the sample. If the estimate falls short, the vector grows as usual.
fn estimated_tags(bytes: &[u8]) -> usize {
    const SAMPLE: usize = 256 * 1024;
    match bytes.get(..SAMPLE) {
        Some(head) if bytes.len() > SAMPLE => {
            let counted = memchr::memchr_iter(b'<', head).count();
            counted.saturating_mul(bytes.len()) / SAMPLE / 8 * 9
        }
        _ => memchr::memchr_iter(b'<', bytes).count(),
    }
}

impl<'input> Parser<'input> {
    fn new(text: &'input str, options: ParsingOptions) -> Self {
        let bytes = text.as_bytes();
        // Every node but the root and text nodes starts with `<`, and every text node is
        // followed by one: twice the count of `<` bounds the nodes, so the node vector is
        // sized once and, as a rule, never copied while it grows. Pages of the reserve that
        // are never written are never resident, so the bound costs address space, not memory.
        let tags = estimated_tags(bytes);
        let estimate = 2 * tags + 1;
        let cap = estimate.min(options.nodes_limit as usize);
        let mut nodes = Vec::with_capacity(cap);
        nodes.push(NodeData {
            parent: NONE,
            prev_sibling: NONE,
            last_child: NONE,
            subtree_end: 1,
            start: 0,
            end: text.len() as u32,
            kind: Kind::Root,
        });
        let uris: Vec<Cow<'input, str>> = std::iter::once(NS_XML_URI)
            .chain(KnownNamespace::ALL.map(KnownNamespace::uri))
            .map(Cow::Borrowed)
            .collect();
        let uri_index = (0..).zip(&uris).map(|(i, u)| (u.clone(), i)).collect();
        Parser {
            text,
            bytes,
            pos: 0,
            options,
            doc: Document {
                text,
                nodes,
                elements: Vec::with_capacity(tags.min(options.nodes_limit as usize)),
                // About one attribute to every eight tags in invoices (currencies, units,
                // schemes); an invoice has a few dozen distinct element names and declares
                // its namespaces once. Sized up front, none of these is copied while a
                // typical invoice is parsed, which is most of what their growth cost.
                attrs: Vec::with_capacity(tags / 8),
                arena: String::new(),
                uris,
                names: Vec::with_capacity(INITIAL_NAMES),
                scopes: Vec::with_capacity(INITIAL_SCOPES),
                decls: Vec::with_capacity(INITIAL_SCOPES * 2),
            },
            stack: Vec::with_capacity(INITIAL_DEPTH),
            bindings: Vec::with_capacity(INITIAL_SCOPES * 2),
            bound: HashMap::new(),
            uri_index,
            name_index: Index::new(),
            name_cache: filled(NONE),
            resolved: filled(Resolved {
                qname: "",
                prefix_len: 0,
                scope: NONE,
                name: NONE,
            }),
            follows: filled(0),
            last_start: 0,
            attrs: Vec::new(),
            decls: Vec::new(),
            text_open: false,
            cdata_end: memmem::Finder::new(b"]]>"),
            pi_end: memmem::Finder::new(b"?>"),
            double_hyphen: memmem::Finder::new(b"--"),
        }
    }

    fn finish(mut self) -> Document<'input> {
        let nodes = self.doc.nodes.len();
        if let Some(root) = self.doc.nodes.first_mut() {
            root.subtree_end = nodes as u32;
        }
        // Give back a large unused reserve; a small one is not worth copying the nodes for.
        let spare = self.doc.nodes.capacity() - nodes;
        if spare > nodes / 4 && spare * size_of::<NodeData>() > SHRINK_ABOVE {
            self.doc.nodes.shrink_to_fit();
        }
        self.doc
    }

    #[cold]
    fn error(&self, kind: ErrorKind, at: usize) -> Error {
        Error::at(kind, self.text, at)
    }

    /// An error for the character at `at`: `UnexpectedEnd` at the end of the input.
    #[cold]
    fn unexpected(&self, expected: &'static str, at: usize) -> Error {
        match self.text.get(at..).and_then(|s| s.chars().next()) {
            Some(found) => self.error(ErrorKind::Unexpected { expected, found }, at),
            None => self.error(ErrorKind::UnexpectedEnd, at),
        }
    }

    #[cold]
    fn non_xml_char(&self, at: usize) -> Error {
        let c = self
            .text
            .get(at..)
            .and_then(|s| s.chars().next())
            .unwrap_or('\0');
        self.error(ErrorKind::NonXmlChar(c), at)
    }

    fn rest(&self) -> &'input [u8] {
        self.bytes.get(self.pos..).unwrap_or(&[])
    }

    fn starts_with(&self, s: &[u8]) -> bool {
        self.rest().starts_with(s)
    }

    /// Skips whitespace; says whether there was any.
    fn skip_spaces(&mut self) -> bool {
        let start = self.pos;
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|&b| chars::is_space(b))
        {
            self.pos += 1;
        }
        self.pos > start
    }

    fn expect(&mut self, b: u8, expected: &'static str) -> Result<()> {
        if self.bytes.get(self.pos) == Some(&b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(expected, self.pos))
        }
    }

    // document ::= prolog element Misc*
    fn document(&mut self) -> Result<()> {
        if self.starts_with("\u{FEFF}".as_bytes()) {
            self.pos = 3;
        }
        if self.starts_with(b"<?xml")
            && self
                .bytes
                .get(self.pos + 5)
                .is_some_and(|&b| chars::is_space(b))
        {
            self.declaration()?;
        }
        self.misc()?;
        match (self.bytes.get(self.pos), self.bytes.get(self.pos + 1)) {
            (None, _) => return Err(self.error(ErrorKind::NoRootElement, self.pos)),
            (Some(b'<'), Some(b'/' | b'!')) => {
                return Err(self.unexpected("the root element", self.pos + 1));
            }
            (Some(b'<'), _) => self.start_tag()?,
            (Some(_), _) => return Err(self.error(ErrorKind::TextOutsideRoot, self.pos)),
        }
        self.content()?;
        self.misc()?;
        if self.pos < self.bytes.len() {
            return Err(self.error(ErrorKind::ContentAfterRoot, self.pos));
        }
        Ok(())
    }

    // XMLDecl ::= '<?xml' VersionInfo EncodingDecl? SDDecl? S? '?>'
    // Checked for form only: the caller has already decoded the input.
    fn declaration(&mut self) -> Result<()> {
        self.pos += 5;
        let mut spaced = self.skip_spaces();
        for name in ["version", "encoding", "standalone"] {
            if !self.starts_with(name.as_bytes()) {
                if name == "version" {
                    return Err(self.unexpected("'version'", self.pos));
                }
                continue;
            }
            if !spaced {
                return Err(self.unexpected("whitespace", self.pos));
            }
            self.pos += name.len();
            self.skip_spaces();
            self.expect(b'=', "'='")?;
            self.skip_spaces();
            self.quoted_value()?;
            spaced = self.skip_spaces();
        }
        if !self.starts_with(b"?>") {
            return Err(self.unexpected("'?>'", self.pos));
        }
        self.pos += 2;
        Ok(())
    }

    // Misc ::= Comment | PI | S
    fn misc(&mut self) -> Result<()> {
        loop {
            self.skip_spaces();
            if self.starts_with(b"<!--") {
                self.comment()?;
            } else if self.starts_with(b"<?") {
                self.pi()?;
            } else if self.starts_with(b"<!DOCTYPE") {
                return Err(self.error(ErrorKind::DtdNotAllowed, self.pos));
            } else {
                return Ok(());
            }
        }
    }

    fn content(&mut self) -> Result<()> {
        while !self.stack.is_empty() {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(self.error(ErrorKind::UnexpectedEnd, self.pos));
            };
            if b != b'<' {
                self.text()?;
                continue;
            }
            match self.bytes.get(self.pos + 1) {
                Some(b'/') => self.end_tag()?,
                Some(b'?') => self.pi()?,
                Some(b'!') => {
                    if self.starts_with(b"<!--") {
                        self.comment()?;
                    } else if self.starts_with(b"<![CDATA[") {
                        self.cdata()?;
                    } else if self.starts_with(b"<!DOCTYPE") {
                        return Err(self.error(ErrorKind::DtdNotAllowed, self.pos));
                    } else {
                        return Err(self.unexpected("'<!--' or '<![CDATA['", self.pos));
                    }
                }
                Some(_) => self.start_tag()?,
                None => return Err(self.error(ErrorKind::UnexpectedEnd, self.pos + 1)),
            }
        }
        Ok(())
    }

    /// Adds a node as the last child of the innermost open element (or of the root).
    fn push(&mut self, kind: Kind, range: Range<usize>) -> Result<u32> {
        let id = self.doc.nodes.len();
        if id >= self.options.nodes_limit as usize {
            return Err(self.error(ErrorKind::NodesLimit(self.options.nodes_limit), range.start));
        }
        let id = id as u32;
        let parent = self.stack.last().map_or(0, |open| open.node);
        let mut prev_sibling = NONE;
        if let Some(p) = self.doc.nodes.get_mut(parent as usize) {
            prev_sibling = p.last_child;
            p.last_child = id;
        }
        self.doc.nodes.push(NodeData {
            parent,
            prev_sibling,
            last_child: NONE,
            subtree_end: id + 1,
            start: range.start as u32,
            end: range.end as u32,
            kind,
        });
        self.text_open = false;
        Ok(id)
    }

    /// Reads a QName: `(prefix, local)`, the prefix empty when there is none.
    fn qname(&mut self) -> Result<(&'input str, &'input str)> {
        let start = self.pos;
        let Some((len, colon)) = chars::ascii_qname(self.rest()) else {
            return self.unicode_qname();
        };
        if len == 0 {
            return Err(self.name_error(start));
        }
        self.pos = start + len;
        let name = self.text.get(start..self.pos).unwrap_or("");
        Ok(if colon == 0 {
            ("", name)
        } else {
            (
                name.get(..colon).unwrap_or(""),
                name.get(colon + 1..).unwrap_or(""),
            )
        })
    }

    #[cold]
    fn unicode_qname(&mut self) -> Result<(&'input str, &'input str)> {
        let start = self.pos;
        let rest = self.text.get(start..).unwrap_or("");
        let first = chars::ncname_len(rest);
        if first == 0 {
            return Err(self.name_error(start));
        }
        let (prefix, local) = if rest.as_bytes().get(first) == Some(&b':') {
            let after = rest.get(first + 1..).unwrap_or("");
            let second = chars::ncname_len(after);
            if second == 0 {
                return Err(self.name_error(start + first + 1));
            }
            self.pos = start + first + 1 + second;
            (
                rest.get(..first).unwrap_or(""),
                after.get(..second).unwrap_or(""),
            )
        } else {
            self.pos = start + first;
            ("", rest.get(..first).unwrap_or(""))
        };
        if self.bytes.get(self.pos) == Some(&b':') {
            return Err(self.error(ErrorKind::InvalidName, start));
        }
        Ok((prefix, local))
    }

    #[cold]
    fn name_error(&self, at: usize) -> Error {
        if at >= self.bytes.len() {
            self.error(ErrorKind::UnexpectedEnd, at)
        } else {
            self.error(ErrorKind::InvalidName, at)
        }
    }

    // STag ::= '<' Name (S Attribute)* S? '>' ; EmptyElemTag ::= '<' Name (S Attribute)* S? '/>'
    fn start_tag(&mut self) -> Result<()> {
        let start = self.pos;
        self.pos += 1;
        let predicted = self.predicted_name();
        let prefix = match predicted {
            Some(slot) => self.resolved.get(slot).map_or("", Resolved::prefix),
            None => self.qname()?.0,
        };
        if prefix == "xmlns" {
            return Err(self.error(
                ErrorKind::ReservedNamespace("the 'xmlns' prefix cannot name an element"),
                start + 1,
            ));
        }
        let qname = self.text.get(start + 1..self.pos).unwrap_or("");
        self.attrs.clear();
        self.decls.clear();
        let open = loop {
            let spaced = self.skip_spaces();
            match self.bytes.get(self.pos) {
                Some(b'>') => {
                    self.pos += 1;
                    break true;
                }
                Some(b'/') => {
                    self.pos += 1;
                    self.expect(b'>', "'>'")?;
                    break false;
                }
                Some(_) if spaced => self.attribute()?,
                _ => return Err(self.unexpected("whitespace, '>' or '/>'", self.pos)),
            }
        };
        let depth = self.stack.len() + 1;
        if depth > self.options.max_depth {
            return Err(self.error(ErrorKind::TooDeep(self.options.max_depth), start));
        }
        let bindings = self.bindings.len();
        let scope = self.declare()?;
        let name = self.resolve_name(qname, prefix, scope, start, predicted)?;
        let (attrs_start, attrs_end) = self.resolve_attributes()?;
        let kind = Kind::Element {
            name,
            attrs_start,
            attrs_end,
            scope,
        };
        let node = self.push(kind, start..self.pos)?;
        self.doc.elements.push(node);
        if open {
            self.stack.push(Open {
                node,
                qname,
                bindings,
                scope,
            });
        } else {
            self.unbind(bindings);
        }
        Ok(())
    }

    // Attribute ::= Name Eq AttValue
    fn attribute(&mut self) -> Result<()> {
        let at = self.pos;
        let (prefix, local) = self.qname()?;
        let local_ref = StrRef::input(self.pos - local.len()..self.pos);
        self.skip_spaces();
        self.expect(b'=', "'='")?;
        self.skip_spaces();
        let value = self.quoted_value()?;
        if prefix == "xmlns" {
            self.decls.push((Some(local), value, at));
        } else if prefix.is_empty() && local == "xmlns" {
            self.decls.push((None, value, at));
        } else {
            self.attrs.push(Pending {
                prefix,
                local: local_ref,
                value,
                at,
            });
        }
        Ok(())
    }

    /// Reads a quoted attribute value and normalises it.
    fn quoted_value(&mut self) -> Result<StrRef> {
        let quote = match self.bytes.get(self.pos) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => return Err(self.unexpected("a quote", self.pos)),
        };
        let start = self.pos + 1;
        let rest = self.bytes.get(start..).unwrap_or(&[]);
        let end = match memchr2(quote, b'<', rest) {
            Some(i) if rest.get(i) == Some(&quote) => start + i,
            Some(i) => return Err(self.error(ErrorKind::LtInAttributeValue, start + i)),
            None => return Err(self.error(ErrorKind::UnexpectedEnd, self.bytes.len())),
        };
        self.pos = end + 1;
        let raw = self.bytes.get(start..end).unwrap_or(&[]);
        match chars::scan::<chars::Attribute>(raw, 0, false) {
            Scan::Ok { rewrite: false } => Ok(StrRef::input(start..end)),
            Scan::Ok { rewrite: true } => {
                let from = self.doc.arena.len();
                self.normalize_attribute(start..end)?;
                Ok(StrRef::arena(from..self.doc.arena.len()))
            }
            Scan::NonXmlChar(i) | Scan::CdataEnd(i) | Scan::End { at: i, .. } => {
                Err(self.non_xml_char(start + i))
            }
        }
    }

    // https://www.w3.org/TR/xml/#AVNormalize, for CDATA-typed attributes (no DTD, so all):
    // each literal tab, LF, CR or CR LF becomes one space; references are taken verbatim.
    fn normalize_attribute(&mut self, range: Range<usize>) -> Result<()> {
        let mut i = range.start;
        let mut run = i;
        while i < range.end {
            let b = self.bytes.get(i).copied().unwrap_or(0);
            if chars::class::<chars::Attribute>(b) == chars::PLAIN {
                i += 1;
                continue;
            }
            self.doc.arena.push_str(self.text.get(run..i).unwrap_or(""));
            if b == b'&' {
                let (c, next) = self.reference(i)?;
                self.doc.arena.push(c);
                i = next;
            } else {
                self.doc.arena.push(' ');
                let crlf = b == b'\r' && self.bytes.get(i + 1) == Some(&b'\n') && i + 1 < range.end;
                i += if crlf { 2 } else { 1 };
            }
            run = i;
        }
        self.doc
            .arena
            .push_str(self.text.get(run..range.end).unwrap_or(""));
        Ok(())
    }

    /// Binds the pending declarations; returns the scope of the element.
    fn declare(&mut self) -> Result<u32> {
        let parent = self.stack.last().map_or(NONE, |open| open.scope);
        if self.decls.is_empty() {
            return Ok(parent);
        }
        let decls = &self.decls;
        if let Some(i) = first_repeat(decls.len(), |i| decls.get(i).map(|d| d.0)) {
            let (prefix, _, at) =
                self.decls
                    .get(i)
                    .copied()
                    .unwrap_or((None, StrRef::input(0..0), 0));
            let name = prefix.map_or("xmlns".to_string(), |p| format!("xmlns:{p}"));
            return Err(self.error(ErrorKind::DuplicateAttribute(name), at));
        }
        let first_decl = self.doc.decls.len();
        for k in 0..self.decls.len() {
            let Some(&(prefix, value, at)) = self.decls.get(k) else {
                break;
            };
            let uri = self.doc.str(value);
            let reserved = |what| Err(Error::at(ErrorKind::ReservedNamespace(what), self.text, at));
            if prefix == Some("xmlns") {
                return reserved("the 'xmlns' prefix must not be declared");
            }
            if uri == NS_XMLNS_URI {
                return reserved("the xmlns namespace name must not be declared");
            }
            if prefix == Some("xml") {
                if uri != NS_XML_URI {
                    return reserved("the 'xml' prefix must be bound to the XML namespace");
                }
                // Bound by definition, so not listed, like roxmltree.
                continue;
            }
            if uri == NS_XML_URI {
                return reserved("only the 'xml' prefix may be bound to the XML namespace");
            }
            let uri = self.intern(value);
            let prefix_key = prefix.unwrap_or("");
            let hides = self
                .bound
                .insert(prefix_key, self.bindings.len() as u32)
                .unwrap_or(NONE);
            self.bindings.push(Binding {
                prefix: prefix_key,
                uri,
                hides,
            });
            self.doc.decls.push(Decl { prefix, uri });
        }
        if self.doc.decls.len() == first_decl {
            return Ok(parent);
        }
        self.doc.scopes.push(Scope {
            parent,
            decls_start: first_decl as u32,
            decls_end: self.doc.decls.len() as u32,
        });
        Ok(self.doc.scopes.len() as u32 - 1)
    }

    /// The index of namespace name `value` in the document's list, adding it if new.
    fn intern(&mut self, value: StrRef) -> u32 {
        let uri: Cow<'input, str> = if value.is_arena() {
            Cow::Owned(self.doc.str(value).to_string())
        } else {
            Cow::Borrowed(self.doc.input_str(value))
        };
        if let Some(i) = self.uri_index.get(&uri) {
            return i;
        }
        let i = self.doc.uris.len() as u32;
        self.doc.uris.push(uri.clone());
        self.uri_index.get_or_insert(uri, i)
    }

    /// The name index of an element written `qname` (with `prefix`) in `scope`.
    /// `predicted` is the cache slot whose name the tag was found to repeat, if any.
    fn resolve_name(
        &mut self,
        qname: &'input str,
        prefix: &str,
        scope: u32,
        start: usize,
        predicted: Option<usize>,
    ) -> Result<u32> {
        if let Some(slot) = predicted
            && let Some(r) = self.resolved.get(slot)
            && r.scope == scope
        {
            self.last_start = slot;
            return Ok(r.name);
        }
        let slot = qname_slot(qname, scope);
        let at = follows_index(self.last_start, self.stack.len());
        if let Some(follows) = self.follows.get_mut(at) {
            *follows = slot as u16;
        }
        self.last_start = slot;
        if let Some(r) = self.resolved.get(slot)
            && r.scope == scope
            && r.qname == qname
        {
            return Ok(r.name);
        }
        let ns = if prefix.is_empty() {
            self.lookup("").unwrap_or(NONE)
        } else {
            self.lookup(prefix).ok_or_else(|| {
                self.error(ErrorKind::UnboundPrefix(prefix.to_string()), start + 1)
            })?
        };
        let local = qname.get(tag_prefix_len(prefix)..).unwrap_or("");
        let name = self.intern_name(ns, local);
        if let Some(r) = self.resolved.get_mut(slot) {
            *r = Resolved {
                qname,
                prefix_len: prefix.len(),
                scope,
                name,
            };
        }
        Ok(name)
    }

    /// The cache slot of the name the start tag at `pos` repeats, if it repeats the name that
    /// followed the previous start tag's last time (an invoice's lines share one shape), with
    /// `pos` moved past it. A name read before needs no character checks: it ends where the
    /// cached one does, as the next byte cannot continue it.
    fn predicted_name(&mut self) -> Option<usize> {
        let at = follows_index(self.last_start, self.stack.len());
        let slot = usize::from(self.follows.get(at).copied()?);
        let qname = self.resolved.get(slot)?.qname.as_bytes();
        let rest = self.rest();
        let repeated = !qname.is_empty()
            && rest.starts_with(qname)
            && !rest
                .get(qname.len())
                .is_some_and(|&b| chars::continues_qname(b));
        if !repeated {
            return None;
        }
        self.pos += qname.len();
        Some(slot)
    }

    /// The index of the element name `ns`:`local` in the document's list, adding it if new.
    fn intern_name(&mut self, ns: u32, local: &'input str) -> u32 {
        let bytes = local.as_bytes();
        let (first, last) = (bytes.first(), bytes.last());
        let key = bytes.len() ^ ns as usize ^ usize::from(*first.unwrap_or(&0)) << 3;
        let slot = (key ^ usize::from(*last.unwrap_or(&0)) << 1) % NAME_CACHE;
        let cached = self.name_cache.get(slot).copied().unwrap_or(NONE);
        if let Some(n) = self.doc.names.get(cached as usize)
            && n.ns == ns
            && n.local == local
        {
            return cached;
        }
        let next = self.doc.names.len() as u32;
        let id = self.name_index.get_or_insert((ns, local), next);
        if id == next {
            self.doc.names.push(NameData { local, ns });
        }
        if let Some(c) = self.name_cache.get_mut(slot) {
            *c = id;
        }
        id
    }

    /// The namespace bound to `prefix` ("" for the default namespace).
    fn lookup(&self, prefix: &str) -> Option<u32> {
        let binding = if self.bindings.len() <= LINEAR_BINDINGS {
            self.bindings.iter().rev().find(|b| same(b.prefix, prefix))
        } else {
            self.bound
                .get(prefix)
                .and_then(|&i| self.bindings.get(i as usize))
        };
        binding.map(|b| b.uri)
    }

    /// Drops the bindings made after the first `keep`. Nearly every element binds nothing:
    /// that case is one inlined comparison.
    #[inline(always)]
    fn unbind(&mut self, keep: usize) {
        if self.bindings.len() > keep {
            self.drop_bindings(keep);
        }
    }

    fn drop_bindings(&mut self, keep: usize) {
        while self.bindings.len() > keep {
            let Some(b) = self.bindings.pop() else {
                break;
            };
            if b.hides == NONE {
                self.bound.remove(b.prefix);
            } else {
                self.bound.insert(b.prefix, b.hides);
            }
        }
    }

    /// Resolves the pending attributes' prefixes and stores them; returns their index range.
    fn resolve_attributes(&mut self) -> Result<(u32, u32)> {
        let start = self.doc.attrs.len();
        for k in 0..self.attrs.len() {
            let Some(a) = self.attrs.get(k) else {
                break;
            };
            let ns = match a.prefix {
                // Bound by definition, without a declaration.
                "xml" => 0,
                "" => NONE,
                p => self.lookup(p).ok_or_else(|| {
                    Error::at(ErrorKind::UnboundPrefix(p.to_string()), self.text, a.at)
                })?,
            };
            self.doc.attrs.push(AttrData {
                local: a.local,
                ns,
                value: a.value,
            });
        }
        let end = self.doc.attrs.len();
        let new = self.doc.attrs.get(start..).unwrap_or(&[]);
        if new.len() > 1 {
            let key = |i: usize| new.get(i).map(|a| (a.ns, self.doc.input_str(a.local)));
            if let Some(i) = first_repeat(new.len(), key) {
                let a = self.attrs.get(i);
                let name = a.map_or(String::new(), |a| {
                    let local = self.doc.input_str(a.local);
                    if a.prefix.is_empty() {
                        local.to_string()
                    } else {
                        format!("{}:{local}", a.prefix)
                    }
                });
                return Err(self.error(ErrorKind::DuplicateAttribute(name), a.map_or(0, |a| a.at)));
            }
        }
        Ok((start as u32, end as u32))
    }

    // ETag ::= '</' Name S? '>'
    fn end_tag(&mut self) -> Result<()> {
        let start = self.pos;
        self.pos += 2;
        let Some(open) = self.stack.pop() else {
            return Err(self.error(ErrorKind::ContentAfterRoot, start));
        };
        // The end tag must repeat the start tag's name: compare instead of parsing it.
        let repeated = self.rest().starts_with(open.qname.as_bytes())
            && !self
                .bytes
                .get(self.pos + open.qname.len())
                .is_some_and(|&b| chars::continues_qname(b));
        if repeated {
            self.pos += open.qname.len();
        } else {
            let (prefix, local) = self.qname()?;
            let found = if prefix.is_empty() {
                local.to_string()
            } else {
                format!("{prefix}:{local}")
            };
            let expected = open.qname.to_string();
            return Err(self.error(ErrorKind::MismatchedTag { expected, found }, start));
        }
        self.skip_spaces();
        self.expect(b'>', "'>'")?;
        let subtree_end = self.doc.nodes.len() as u32;
        if let Some(node) = self.doc.nodes.get_mut(open.node as usize) {
            node.end = self.pos as u32;
            node.subtree_end = subtree_end;
        }
        self.unbind(open.bindings);
        self.text_open = false;
        Ok(())
    }

    fn text(&mut self) -> Result<()> {
        /// Text up to this long (whitespace between tags, amounts, codes) is checked byte by
        /// byte; longer text, such as a base64 attachment, a block at a time. Either scan stops
        /// at the `<` that ends the text, so the text is read once.
        const SHORT: usize = 64;
        let start = self.pos;
        let rest = self.rest();
        let mut rewrite = false;
        let scan = match chars::scan_bytes::<chars::Text>(rest, 0, SHORT, &mut rewrite) {
            Some(found) => found,
            None => chars::scan::<chars::Text>(rest, SHORT, rewrite),
        };
        let (len, rewrite) = match scan {
            Scan::End { at, rewrite } => (at, rewrite),
            Scan::NonXmlChar(i) => return Err(self.non_xml_char(start + i)),
            Scan::CdataEnd(i) => return Err(self.error(ErrorKind::CdataEndInText, start + i)),
            Scan::Ok { .. } => return Err(self.error(ErrorKind::UnexpectedEnd, self.bytes.len())),
        };
        let end = start + len;
        self.pos = end;
        self.add_text(start..end, start..end, rewrite.then_some(Rewrite::Text))
    }

    // CDSect ::= '<![CDATA[' (Char* - (Char* ']]>' Char*)) ']]>'
    fn cdata(&mut self) -> Result<()> {
        let start = self.pos;
        let data = start + 9;
        let rest = self.bytes.get(data..).unwrap_or(&[]);
        let Some(len) = self.cdata_end.find(rest) else {
            return Err(self.error(ErrorKind::UnexpectedEnd, self.bytes.len()));
        };
        let end = data + len;
        let rewrite = self.check_raw(data..end)?;
        self.pos = end + 3;
        self.add_text(
            start..self.pos,
            data..end,
            rewrite.then_some(Rewrite::Cdata),
        )
    }

    /// Checks the characters of a comment, PI or CDATA section; says whether it holds a CR.
    fn check_raw(&self, range: Range<usize>) -> Result<bool> {
        let start = range.start;
        match chars::scan::<chars::Raw>(self.bytes.get(range).unwrap_or(&[]), 0, false) {
            Scan::Ok { rewrite } => Ok(rewrite),
            Scan::NonXmlChar(i) | Scan::CdataEnd(i) | Scan::End { at: i, .. } => {
                Err(self.non_xml_char(start + i))
            }
        }
    }

    /// Adds character data as a text node, or appends it to the text node just before (text
    /// and CDATA sections side by side make one node, as in the XPath data model). The node's
    /// range stays that of its first part, like roxmltree.
    ///
    /// The common case, a text node of its own taken from the input as it is, is inlined into
    /// the content loop: a call per text node cost more than the work.
    #[inline(always)]
    fn add_text(
        &mut self,
        token: Range<usize>,
        data: Range<usize>,
        rewrite: Option<Rewrite>,
    ) -> Result<()> {
        if self.text_open || rewrite.is_some() {
            return self.add_text_rewritten_or_merged(token, data, rewrite);
        }
        self.push(Kind::Text(StrRef::input(data)), token)?;
        self.text_open = true;
        Ok(())
    }

    fn add_text_rewritten_or_merged(
        &mut self,
        token: Range<usize>,
        data: Range<usize>,
        rewrite: Option<Rewrite>,
    ) -> Result<()> {
        if self.text_open {
            return self.append_text(data, rewrite);
        }
        let s = match rewrite {
            None => StrRef::input(data),
            Some(how) => {
                let from = self.doc.arena.len();
                self.rewrite(data, how)?;
                StrRef::arena(from..self.doc.arena.len())
            }
        };
        self.push(Kind::Text(s), token)?;
        self.text_open = true;
        Ok(())
    }

    fn append_text(&mut self, data: Range<usize>, rewrite: Option<Rewrite>) -> Result<()> {
        let Some(Kind::Text(s)) = self.doc.nodes.last().map(|n| n.kind) else {
            return Ok(());
        };
        let arena_len = self.doc.arena.len();
        let from = if s.is_arena() && s.range().end == arena_len {
            s.range().start
        } else {
            let copy = self.doc.str(s).to_string();
            self.doc.arena.push_str(&copy);
            arena_len
        };
        match rewrite {
            None => self.doc.arena.push_str(self.text.get(data).unwrap_or("")),
            Some(how) => self.rewrite(data, how)?,
        }
        let merged = StrRef::arena(from..self.doc.arena.len());
        if let Some(node) = self.doc.nodes.last_mut() {
            node.kind = Kind::Text(merged);
        }
        Ok(())
    }

    /// Appends character data to the arena with references resolved (text only) and line
    /// ends normalised: CR LF and lone CR become LF (https://www.w3.org/TR/xml/#sec-line-ends).
    fn rewrite(&mut self, data: Range<usize>, how: Rewrite) -> Result<()> {
        let mut i = data.start;
        while i < data.end {
            let chunk = self.bytes.get(i..data.end).unwrap_or(&[]);
            let found = match how {
                Rewrite::Text => memchr2(b'&', b'\r', chunk),
                Rewrite::Cdata => memchr(b'\r', chunk),
            };
            let Some(k) = found else {
                break;
            };
            let at = i + k;
            self.doc.arena.push_str(self.text.get(i..at).unwrap_or(""));
            if self.bytes.get(at) == Some(&b'&') {
                let (c, next) = self.reference(at)?;
                self.doc.arena.push(c);
                i = next;
            } else {
                self.doc.arena.push('\n');
                let crlf = self.bytes.get(at + 1) == Some(&b'\n') && at + 1 < data.end;
                i = at + if crlf { 2 } else { 1 };
            }
        }
        self.doc
            .arena
            .push_str(self.text.get(i.min(data.end)..data.end).unwrap_or(""));
        Ok(())
    }

    // Reference ::= '&' Name ';' | '&#' [0-9]+ ';' | '&#x' [0-9a-fA-F]+ ';'
    // Only the five predefined entities exist: there is no DTD to declare others.
    fn reference(&self, at: usize) -> Result<(char, usize)> {
        let malformed = || self.error(ErrorKind::MalformedReference, at);
        let rest = self.text.get(at + 1..).unwrap_or("");
        if let Some(num) = rest.strip_prefix('#') {
            let (digits, radix, skip) = match num.strip_prefix('x') {
                Some(hex) => (hex, 16, 2),
                None => (num, 10, 1),
            };
            let len = digits
                .bytes()
                .take_while(|b| {
                    if radix == 16 {
                        b.is_ascii_hexdigit()
                    } else {
                        b.is_ascii_digit()
                    }
                })
                .count();
            if digits.as_bytes().get(len) != Some(&b';') {
                return Err(malformed());
            }
            let c = digits
                .get(..len)
                .and_then(|d| u32::from_str_radix(d, radix).ok())
                .and_then(char::from_u32)
                .filter(|&c| chars::is_xml_char(c))
                .ok_or_else(malformed)?;
            return Ok((c, at + 1 + skip + len + 1));
        }
        let len = chars::name_len(rest);
        if len == 0 || rest.as_bytes().get(len) != Some(&b';') {
            return Err(malformed());
        }
        let name = rest.get(..len).unwrap_or("");
        let c = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "apos" => '\'',
            "quot" => '"',
            _ => return Err(self.error(ErrorKind::UnknownEntity(name.to_string()), at)),
        };
        Ok((c, at + 1 + len + 1))
    }

    // Comment ::= '<!--' ((Char - '-') | ('-' (Char - '-')))* '-->'
    fn comment(&mut self) -> Result<()> {
        let start = self.pos;
        let data = start + 4;
        let rest = self.bytes.get(data..).unwrap_or(&[]);
        let Some(len) = self.double_hyphen.find(rest) else {
            return Err(self.error(ErrorKind::UnexpectedEnd, self.bytes.len()));
        };
        let end = data + len;
        match self.bytes.get(end + 2) {
            Some(b'>') => {}
            Some(_) => return Err(self.error(ErrorKind::DoubleHyphenInComment, end)),
            None => return Err(self.error(ErrorKind::UnexpectedEnd, self.bytes.len())),
        }
        self.check_raw(data..end)?;
        self.pos = end + 3;
        // Kept as written, like roxmltree: comments carry no data.
        self.push(Kind::Comment(StrRef::input(data..end)), start..self.pos)?;
        Ok(())
    }

    // PI ::= '<?' PITarget (S (Char* - (Char* '?>' Char*)))? '?>'
    fn pi(&mut self) -> Result<()> {
        let start = self.pos;
        self.pos += 2;
        let len = chars::name_len(self.text.get(self.pos..).unwrap_or(""));
        if len == 0 {
            return Err(self.name_error(self.pos));
        }
        let target = StrRef::input(self.pos..self.pos + len);
        if self.doc.input_str(target).eq_ignore_ascii_case("xml") {
            return Err(self.error(ErrorKind::MisplacedXmlDeclaration, start));
        }
        self.pos += len;
        let spaced = self.skip_spaces();
        let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
        let Some(len) = self.pi_end.find(rest) else {
            return Err(self.error(ErrorKind::UnexpectedEnd, self.bytes.len()));
        };
        if len > 0 && !spaced {
            return Err(self.unexpected("whitespace or '?>'", self.pos));
        }
        let value = self.pos..self.pos + len;
        self.check_raw(value.clone())?;
        self.pos = value.end + 2;
        let kind = Kind::PI {
            target,
            value: StrRef::input(value),
        };
        self.push(kind, start..self.pos)?;
        Ok(())
    }
}

/// `a == b` for the short strings prefixes are, without a call to `memcmp`.
#[inline]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// The slot of `qname` in `scope` in the resolution cache: a few bytes that tell the names
/// of one vocabulary apart (prefix letter, length, the end of the local name), mixed.
fn qname_slot(qname: &str, scope: u32) -> usize {
    let b = qname.as_bytes();
    let len = b.len();
    let at = |i: usize| u64::from(b.get(i).copied().unwrap_or(0));
    let key = (len as u64)
        ^ at(1) << 8
        ^ at(len / 2) << 16
        ^ at(len.wrapping_sub(2)) << 24
        ^ at(len.wrapping_sub(1)) << 32
        ^ u64::from(scope) << 40;
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize % NAME_CACHE
}

/// Where [`Parser::follows`] keeps the name that follows a start tag with the name in `slot`
/// at `depth`: the depth tells apart the uses of one name (`cbc:ID`) in different groups.
fn follows_index(slot: usize, depth: usize) -> usize {
    (slot ^ depth << 8) % FOLLOWS
}

/// The bytes a prefix and its colon take before the local name.
fn tag_prefix_len(prefix: &str) -> usize {
    if prefix.is_empty() {
        0
    } else {
        prefix.len() + 1
    }
}

/// The index of the first of `len` keys equal to an earlier one. Pairwise for the few
/// attributes of real elements (no allocation); sorted for the many of a hostile one.
fn first_repeat<K: Ord>(len: usize, key: impl Fn(usize) -> K) -> Option<usize> {
    if len <= 16 {
        return (1..len).find(|&i| (0..i).any(|j| key(j) == key(i)));
    }
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| key(a).cmp(&key(b)).then(a.cmp(&b)));
    order
        .windows(2)
        .filter_map(|w| match w {
            [a, b] if key(*a) == key(*b) => Some(*b),
            _ => None,
        })
        .min()
}

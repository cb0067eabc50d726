//! Why a document is not accepted, and where.

use std::fmt;

/// What is wrong with the input.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A `<!DOCTYPE` declaration: DTDs are refused outright (no entities, no XXE).
    DtdNotAllowed,
    /// More nodes than [`ParsingOptions::nodes_limit`](super::ParsingOptions::nodes_limit).
    NodesLimit(u32),
    /// Elements nested deeper than [`ParsingOptions::max_depth`](super::ParsingOptions::max_depth).
    TooDeep(usize),
    /// The input is larger than the 2 GiB the compact node layout can address.
    TooLarge,
    /// The input ended inside markup or with elements still open.
    UnexpectedEnd,
    /// A character that the grammar does not allow here.
    Unexpected {
        /// What the grammar wanted.
        expected: &'static str,
        /// What was found.
        found: char,
    },
    /// A character outside the XML `Char` production (control characters, U+FFFE, U+FFFF).
    NonXmlChar(char),
    /// A malformed name (element, attribute, prefix or PI target).
    InvalidName,
    /// An end tag that does not match the open element.
    MismatchedTag {
        /// The qualified name of the open element.
        expected: String,
        /// The qualified name in the end tag.
        found: String,
    },
    /// An attribute (by expanded name) or namespace declaration given twice on one element.
    DuplicateAttribute(String),
    /// A prefix with no namespace declaration in scope.
    UnboundPrefix(String),
    /// A misuse of the reserved `xml`/`xmlns` prefixes or namespace names.
    ReservedNamespace(&'static str),
    /// An `&` that does not start a well-formed character or entity reference.
    MalformedReference,
    /// A reference to an entity other than the five predefined ones.
    UnknownEntity(String),
    /// A `<` inside an attribute value.
    LtInAttributeValue,
    /// `]]>` in text content.
    CdataEndInText,
    /// `--` inside a comment, or a comment ending in `-`.
    DoubleHyphenInComment,
    /// An XML declaration that is not at the very start, or a PI target named `xml`.
    MisplacedXmlDeclaration,
    /// The document has no root element.
    NoRootElement,
    /// Text or markup after the root element (only comments, PIs and whitespace may follow).
    ContentAfterRoot,
    /// Non-whitespace text before the root element.
    TextOutsideRoot,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::DtdNotAllowed => f.write_str("DTD not allowed"),
            ErrorKind::NodesLimit(limit) => write!(f, "more than {limit} nodes"),
            ErrorKind::TooDeep(limit) => write!(f, "elements nested deeper than {limit} levels"),
            ErrorKind::TooLarge => f.write_str("document larger than 2 GiB"),
            ErrorKind::UnexpectedEnd => f.write_str("unexpected end of document"),
            ErrorKind::Unexpected { expected, found } => {
                write!(f, "expected {expected}, found {found:?}")
            }
            ErrorKind::NonXmlChar(c) => write!(f, "character {c:?} is not allowed in XML"),
            ErrorKind::InvalidName => f.write_str("invalid name"),
            ErrorKind::MismatchedTag { expected, found } => {
                write!(
                    f,
                    "end tag </{found}> does not match open element <{expected}>"
                )
            }
            ErrorKind::DuplicateAttribute(name) => write!(f, "attribute {name:?} given twice"),
            ErrorKind::UnboundPrefix(prefix) => {
                write!(f, "namespace prefix {prefix:?} is not declared")
            }
            ErrorKind::ReservedNamespace(what) => f.write_str(what),
            ErrorKind::MalformedReference => f.write_str("malformed character or entity reference"),
            ErrorKind::UnknownEntity(name) => {
                write!(
                    f,
                    "unknown entity &{name}; (only the five predefined entities exist)"
                )
            }
            ErrorKind::LtInAttributeValue => f.write_str("'<' in an attribute value"),
            ErrorKind::CdataEndInText => f.write_str("']]>' in text content"),
            ErrorKind::DoubleHyphenInComment => {
                f.write_str("'--' inside a comment or a comment ending in '-'")
            }
            ErrorKind::MisplacedXmlDeclaration => {
                f.write_str("XML declaration (or PI target 'xml') not at the start of the document")
            }
            ErrorKind::NoRootElement => f.write_str("the document has no root element"),
            ErrorKind::ContentAfterRoot => f.write_str("content after the root element"),
            ErrorKind::TextOutsideRoot => f.write_str("text before the root element"),
        }
    }
}

/// A parse error: what is wrong and where (1-based line, and column counted in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// Boxed so that the parser's `Result`s stay one word wide on the hot path.
    inner: Box<Inner>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    line: u32,
    column: u32,
}

impl Error {
    /// The error at byte `offset` of `text`.
    #[cold]
    pub(super) fn at(kind: ErrorKind, text: &str, offset: usize) -> Error {
        let offset = offset.min(text.len());
        // Back off to a char boundary so the prefix slice below cannot fail.
        let offset = (0..=offset)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        let before = text.get(..offset).unwrap_or("");
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let column = before.get(line_start..).unwrap_or("").chars().count() + 1;
        Error {
            inner: Box::new(Inner {
                kind,
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
            }),
        }
    }

    /// What is wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// The 1-based line of the error.
    pub fn line(&self) -> u32 {
        self.inner.line
    }

    /// The 1-based column of the error, in characters.
    pub fn column(&self) -> u32 {
        self.inner.column
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}",
            self.inner.line, self.inner.column, self.inner.kind
        )
    }
}

impl std::error::Error for Error {}

//! The EN 16931 semantic model of an invoice, and its UBL 2.1 and CII D16B syntaxes.
//!
//! # Overview
//!
//! Bytes come in; [`detect`] says what they are. XML is parsed by [`xml::parse`] under
//! [`xml::Limits`] (no DTDs, bounded size and depth) into a [`Source`], which knows its
//! [`Syntax`]. [`Source::invoice`] maps the tree onto the semantic model, [`Invoice`], whose
//! values keep their source text and position ([`Text`], [`Pos`]). The writers in [`ubl`]
//! and [`cii`] turn a model back into XML, so a document converts between the syntaxes.
//! [`facturx`] finds the XML inside a Factur-X/ZUGFeRD PDF.
//!
//! The crate does no I/O and knows nothing of the business rules: the `rules` crate judges
//! a [`Source`] and its [`Invoice`].
#![deny(missing_docs)]

pub mod cii;
pub mod facturx;
pub mod model;
pub mod ubl;
pub mod value;
pub mod xml;

pub use model::*;
pub use value::{Date, Pos, Text};

/// Why a document could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// The input is larger than the configured limit.
    #[error("the document is {bytes} bytes, more than the limit of {limit}")]
    TooLarge {
        /// Size of the input.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// Elements are nested deeper than the configured limit.
    #[error("elements are nested deeper than {limit} levels")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// The document declares a DTD, which is refused to rule out entity attacks.
    #[error("a DOCTYPE declaration is not allowed (DTDs and entities are refused)")]
    DtdRefused,
    /// The bytes are not in a supported character encoding.
    #[error("unsupported character encoding: {0}")]
    Encoding(String),
    /// The XML is not well-formed.
    #[error("not well-formed XML: {0}")]
    Xml(String),
    /// Well-formed XML, but not a UBL Invoice, UBL CreditNote or CII invoice.
    #[error("not an invoice: the root element is {0}")]
    NotAnInvoice(String),
    /// A PDF that could not be read or holds no invoice XML.
    #[error("PDF: {0}")]
    Pdf(String),
}

/// What a byte sequence looks like, judged from its first bytes and root element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// XML (of any vocabulary; [`Source::parse`] tells which).
    Xml,
    /// A PDF, possibly Factur-X/ZUGFeRD.
    Pdf,
    /// Neither.
    Unknown,
}

/// Detects the format of `bytes` without parsing them.
pub fn detect(bytes: &[u8]) -> Format {
    let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    if head.starts_with(b"%PDF-") {
        Format::Pdf
    } else if head.starts_with(b"<") {
        Format::Xml
    } else {
        Format::Unknown
    }
}

/// UBL 2.1 Invoice namespace.
pub const NS_UBL_INVOICE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
/// UBL 2.1 CreditNote namespace.
pub const NS_UBL_CREDIT_NOTE: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
/// UBL common aggregate components.
pub const NS_CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
/// UBL common basic components.
pub const NS_CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
/// UBL extension components.
pub const NS_EXT: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2";
/// CII D16B root namespace.
pub const NS_RSM: &str = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
/// CII reusable aggregate business information entities.
pub const NS_RAM: &str =
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
/// CII qualified data types.
pub const NS_QDT: &str = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100";
/// CII unqualified data types.
pub const NS_UDT: &str = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100";

/// A parsed invoice document: the XML tree and the syntax its root declares.
pub struct Source<'input> {
    /// The parsed tree, for rules that judge the syntax itself.
    pub doc: crate::xml::Document<'input>,
    /// Which syntax the root element declares.
    pub syntax: Syntax,
}

impl<'input> Source<'input> {
    /// Parses `bytes` under the default [`xml::Limits`] and checks that the root is an invoice.
    pub fn parse(bytes: &'input [u8]) -> Result<Self, Error> {
        Self::parse_with(bytes, xml::Limits::default())
    }

    /// Parses `bytes` under `limits` and checks that the root is an invoice.
    pub fn parse_with(bytes: &'input [u8], limits: xml::Limits) -> Result<Self, Error> {
        let doc = xml::parse(bytes, limits)?;
        let root = doc.root_element();
        let name = root.tag_name();
        let syntax = match (name.namespace(), name.name()) {
            (Some(NS_UBL_INVOICE), "Invoice") => Syntax::UblInvoice,
            (Some(NS_UBL_CREDIT_NOTE), "CreditNote") => Syntax::UblCreditNote,
            (Some(NS_RSM), "CrossIndustryInvoice") => Syntax::Cii,
            (ns, local) => {
                let shown = match ns {
                    Some(ns) => format!("{{{ns}}}{local}"),
                    None => local.to_string(),
                };
                return Err(Error::NotAnInvoice(shown));
            }
        };
        Ok(Source { doc, syntax })
    }

    /// Maps the tree onto the semantic model.
    pub fn invoice(&self) -> Invoice {
        let mut invoice = self.invoice_without_attachment_content();
        let attachments = invoice
            .documents
            .iter_mut()
            .filter_map(|d| d.attachment.as_mut());
        for content in attachments.map(|a| &mut a.content) {
            content.value = self.node(content.at).string_value().into_owned();
        }
        invoice
    }

    /// The semantic model without the base64 content of embedded attachments (BT-125): each
    /// attachment keeps its position, MIME code and file name, and its `content` is empty.
    ///
    /// This is what validation reads. No rule looks at the content, and copying it into the
    /// model was the largest single cost of validating an invoice that carries a PDF of a few
    /// megabytes (2.7% of the time of the corpus examples, docs/PERFORMANCE.md).
    pub fn invoice_without_attachment_content(&self) -> Invoice {
        match self.syntax {
            Syntax::UblInvoice | Syntax::UblCreditNote => ubl::read(&self.doc),
            Syntax::Cii => cii::read(&self.doc),
        }
    }

    /// A readable location for a model position, e.g. `/Invoice/cac:InvoiceLine[2]/cbc:ID`
    /// (for many, use an [`xml::Locator`] with [`Source::node`]).
    pub fn location(&self, at: Pos) -> String {
        xml::location(self.node(at))
    }

    /// The node a model position refers to, or the root element for a value built in memory.
    pub fn node(&self, at: Pos) -> crate::xml::Node<'_, 'input> {
        xml::node_at(&self.doc, at).unwrap_or_else(|| self.doc.root_element())
    }
}

/// Reads invoice XML straight into the model.
pub fn read(bytes: &[u8]) -> Result<(Syntax, Invoice), Error> {
    let source = Source::parse(bytes)?;
    Ok((source.syntax, source.invoice()))
}

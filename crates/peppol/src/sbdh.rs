//! The Peppol Business Message Envelope 2.0: the Standard Business Document Header (SBDH)
//! that travels around every business document in Peppol.
//!
//! [`build`] wraps a business document in a `StandardBusinessDocument` whose header names the
//! sender and receiver ([`Header`]); [`parse`] reads one back into an [`Envelope`], checking
//! what the Peppol envelope specification requires, among which that the header's
//! DOCUMENTID names the root element of the document it carries.
//!
//! The business document is embedded byte for byte, never re-serialised: signatures inside
//! it (or over it, as in AS4) stay valid, and [`Envelope::document`] gives its bytes back.
//! No clock: the creation time is the caller's.

use std::ops::Range;

use einvoice::xml::{Limits, Node};

use crate::document_type::{DocumentTypeId, DocumentTypeScheme};
use crate::participant::{ParticipantId, SCHEME};
use crate::process::{ProcessId, ProcessScheme};
use crate::xml;

/// The namespace of the SBDH.
pub const NAMESPACE: &str = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader";

/// The only header version Peppol uses.
const HEADER_VERSION: &str = "1.0";

/// The largest envelope [`parse`] accepts: the Peppol AS4 profile caps payloads far lower
/// in practice, and a document this size takes a few hundred milliseconds to read.
pub const MAX_BYTES: usize = 100 * 1024 * 1024;

/// What the header says about the document it carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The sender (C1), `Sender/Identifier`.
    pub sender: ParticipantId,
    /// The receiver (C4), `Receiver/Identifier`.
    pub receiver: ParticipantId,
    /// The document type, the DOCUMENTID scope.
    pub document_type: DocumentTypeId,
    /// The process, the PROCESSID scope.
    pub process: ProcessId,
    /// The sender's country, the COUNTRY_C1 scope: two capital letters (ISO 3166-1 alpha-2).
    pub country_c1: String,
    /// The envelope's unique id, `DocumentIdentification/InstanceIdentifier`.
    pub instance_id: String,
    /// When the envelope was made, `DocumentIdentification/CreationDateAndTime`: an RFC 3339
    /// date-time with its offset, e.g. `2026-11-27T09:30:00Z`.
    pub created: String,
}

/// A parsed envelope: its header and where the business document is in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// What the header says.
    pub header: Header,
    /// The byte range of the business document's root element (from its `<` to the end of its
    /// end tag) in the bytes given to [`parse`].
    ///
    /// Senders embed a standalone document, so these bytes parse on their own. XML would also
    /// let a sender declare a prefix the document uses on the envelope instead; such an
    /// envelope is accepted (it is valid), and its document's bytes then need those
    /// declarations added before they parse alone.
    pub document: Range<usize>,
}

/// Why an envelope could not be built or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SbdhError {
    /// The bytes are not well-formed XML under the limits (or the business document is not).
    #[error("not a readable XML document: {0}")]
    Xml(#[from] einvoice::Error),
    /// The root element is not `StandardBusinessDocument` in the SBDH namespace.
    #[error("not a Standard Business Document: the root element is {found}")]
    NotAnEnvelope {
        /// The root element found, as `{namespace}name`.
        found: String,
    },
    /// A required element is absent.
    #[error("the SBDH has no {element} in {parent}")]
    Missing {
        /// The element missing.
        element: &'static str,
        /// Where it should be.
        parent: &'static str,
    },
    /// An element holds a value the envelope specification does not allow.
    #[error("SBDH {element}: {reason}")]
    Invalid {
        /// The element, e.g. `Sender/Identifier`.
        element: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The header names a different document than the one it carries.
    #[error("the SBDH says the document is {declared}, but it carries {found}")]
    DocumentMismatch {
        /// What the header declares, as `{namespace}name`.
        declared: String,
        /// The root element of the embedded document, as `{namespace}name`.
        found: String,
    },
    /// There is no business document after the header, or more than one element.
    #[error("the envelope must carry exactly one business document after its header; {0}")]
    Payload(&'static str),
    /// A header value that [`build`] cannot write.
    #[error("cannot build the SBDH: {0}")]
    Build(String),
}

/// Wraps `document` (an XML business document, UTF-8) in an SBDH made from `header`.
///
/// The document must be well-formed, and its root element must be the one the document
/// type names: `Standard` and `Type` in the header come from it. Its XML declaration and
/// anything else outside its root element are dropped; the root element is copied as is.
pub fn build(header: &Header, document: &[u8]) -> Result<Vec<u8>, SbdhError> {
    check_country(&header.country_c1).map_err(SbdhError::Build)?;
    check_created(&header.created).map_err(SbdhError::Build)?;
    if header.instance_id.trim().is_empty() {
        return Err(SbdhError::Build("the instance id is empty".into()));
    }
    let (doc, offset) = xml::parse(document, limits())?;
    let root = doc.root_element();
    check_root_matches(&header.document_type, root)?;
    let range = root.range();
    let body = document
        .get(offset + range.start..offset + range.end)
        .ok_or(SbdhError::Payload("its range is outside the input"))?;

    let mut out = String::with_capacity(1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // A prefix, not a default namespace: the embedded document is copied byte for byte, and
    // a default namespace declared here would be inherited by any of its elements that do
    // not declare their own.
    out.push_str("<sh:StandardBusinessDocument xmlns:sh=\"");
    out.push_str(NAMESPACE);
    out.push_str("\">\n<sh:StandardBusinessDocumentHeader>\n");
    element(&mut out, "HeaderVersion", HEADER_VERSION);
    for (party, id) in [("Sender", &header.sender), ("Receiver", &header.receiver)] {
        out.push_str("<sh:");
        out.push_str(party);
        out.push_str(">\n<sh:Identifier Authority=\"");
        out.push_str(SCHEME);
        out.push_str("\">");
        xml::escape(&mut out, &id.to_string());
        out.push_str("</sh:Identifier>\n</sh:");
        out.push_str(party);
        out.push_str(">\n");
    }
    out.push_str("<sh:DocumentIdentification>\n");
    element(
        &mut out,
        "Standard",
        root.tag_name().namespace().unwrap_or_default(),
    );
    element(&mut out, "TypeVersion", header.document_type.version());
    element(&mut out, "InstanceIdentifier", &header.instance_id);
    element(&mut out, "Type", root.tag_name().name());
    element(&mut out, "CreationDateAndTime", &header.created);
    out.push_str("</sh:DocumentIdentification>\n<sh:BusinessScope>\n");
    scope(
        &mut out,
        "DOCUMENTID",
        header.document_type.value(),
        Some(header.document_type.scheme().as_str()),
    );
    scope(
        &mut out,
        "PROCESSID",
        header.process.value(),
        Some(header.process.scheme().as_str()),
    );
    scope(&mut out, "COUNTRY_C1", &header.country_c1, None);
    out.push_str("</sh:BusinessScope>\n</sh:StandardBusinessDocumentHeader>\n");

    let mut bytes = out.into_bytes();
    bytes.reserve(body.len() + 40);
    bytes.extend_from_slice(body);
    bytes.extend_from_slice(b"\n</sh:StandardBusinessDocument>\n");
    if bytes.len() > MAX_BYTES {
        return Err(SbdhError::Build(format!(
            "the envelope would be {} bytes, more than the {MAX_BYTES} a receiver reads",
            bytes.len()
        )));
    }
    Ok(bytes)
}

/// `<sh:name>value</sh:name>` and a line end.
fn element(out: &mut String, name: &str, value: &str) {
    out.push_str("<sh:");
    out.push_str(name);
    out.push('>');
    xml::escape(out, value);
    out.push_str("</sh:");
    out.push_str(name);
    out.push_str(">\n");
}

/// One `Scope` of the `BusinessScope`.
fn scope(out: &mut String, kind: &str, instance: &str, identifier: Option<&str>) {
    out.push_str("<sh:Scope>\n");
    element(out, "Type", kind);
    element(out, "InstanceIdentifier", instance);
    if let Some(identifier) = identifier {
        element(out, "Identifier", identifier);
    }
    out.push_str("</sh:Scope>\n");
}

/// Reads an envelope from untrusted `bytes`.
///
/// Checks the header against the Peppol Business Message Envelope 2.0: version 1.0, both
/// parties under `iso6523-actorid-upis` with valid identifiers, the DOCUMENTID, PROCESSID
/// and COUNTRY_C1 scopes present once each with valid values, `Standard` and `Type` equal
/// to the embedded document's root namespace and local name and the DOCUMENTID naming that
/// root too, and exactly one business document after the header. `TypeVersion` must be
/// present but is not compared with the document type's version: the specification leaves
/// its relation to the customization open, and refusing a message over it would be ours
/// alone. Scopes beyond the three required (such as `MLS_TO` of envelope 2.0.2) are ignored.
pub fn parse(bytes: &[u8]) -> Result<Envelope, SbdhError> {
    let (doc, offset) = xml::parse(bytes, limits())?;
    let root = doc.root_element();
    if !root.has_tag_name((NAMESPACE, "StandardBusinessDocument")) {
        return Err(SbdhError::NotAnEnvelope {
            found: expanded(root),
        });
    }
    let mut elements = root.children().filter(|c| c.is_element());
    let head = elements.next().ok_or(SbdhError::Missing {
        element: "StandardBusinessDocumentHeader",
        parent: "StandardBusinessDocument",
    })?;
    if !head.has_tag_name((NAMESPACE, "StandardBusinessDocumentHeader")) {
        return Err(SbdhError::Missing {
            element: "StandardBusinessDocumentHeader",
            parent: "StandardBusinessDocument",
        });
    }
    let document = elements.next().ok_or(SbdhError::Payload("there is none"))?;
    if elements.next().is_some() {
        return Err(SbdhError::Payload("there is more than one element"));
    }
    if document.tag_name().namespace() == Some(NAMESPACE) {
        return Err(SbdhError::Payload(
            "the element after the header is SBDH markup",
        ));
    }
    if root
        .children()
        .any(|c| c.is_text() && !c.text().unwrap_or_default().trim().is_empty())
    {
        return Err(SbdhError::Payload("there is text beside it"));
    }

    let header = read_header(head)?;
    check_root_matches(&header.document_type, document)?;
    check_declared_identity(head, document)?;
    let range = document.range();
    Ok(Envelope {
        header,
        document: offset + range.start..offset + range.end,
    })
}

/// The header's fields, each checked.
fn read_header(head: Node<'_, '_>) -> Result<Header, SbdhError> {
    const HEAD: &str = "StandardBusinessDocumentHeader";
    let version = required_text(head, "HeaderVersion", HEAD)?;
    if version != HEADER_VERSION {
        return Err(SbdhError::Invalid {
            element: "HeaderVersion",
            reason: format!("{version:?}, expected {HEADER_VERSION:?}"),
        });
    }
    let sender = party(head, "Sender", "Sender/Identifier")?;
    let receiver = party(head, "Receiver", "Receiver/Identifier")?;

    let identification = required(head, "DocumentIdentification", HEAD)?;
    const IDENT: &str = "DocumentIdentification";
    let instance_id = required_text(identification, "InstanceIdentifier", IDENT)?;
    if instance_id.is_empty() {
        return Err(SbdhError::Invalid {
            element: "DocumentIdentification/InstanceIdentifier",
            reason: "empty".into(),
        });
    }
    let created = required_text(identification, "CreationDateAndTime", IDENT)?;
    check_created(&created).map_err(|reason| SbdhError::Invalid {
        element: "DocumentIdentification/CreationDateAndTime",
        reason,
    })?;
    required_text(identification, "TypeVersion", IDENT)?;

    let scopes = required(head, "BusinessScope", HEAD)?;
    let document_type = {
        let (value, scheme) = one_scope(scopes, "DOCUMENTID")?;
        let scheme = scheme.unwrap_or_else(|| DocumentTypeScheme::BusdoxDocidQns.as_str().into());
        DocumentTypeId::parse(&format!("{scheme}::{value}")).map_err(|e| SbdhError::Invalid {
            element: "Scope DOCUMENTID",
            reason: e.to_string(),
        })?
    };
    let process = {
        let (value, scheme) = one_scope(scopes, "PROCESSID")?;
        let scheme = scheme.unwrap_or_else(|| ProcessScheme::CenbiiProcidUbl.as_str().into());
        ProcessId::parse(&format!("{scheme}::{value}")).map_err(|e| SbdhError::Invalid {
            element: "Scope PROCESSID",
            reason: e.to_string(),
        })?
    };
    let (country_c1, _) = one_scope(scopes, "COUNTRY_C1")?;
    check_country(&country_c1).map_err(|reason| SbdhError::Invalid {
        element: "Scope COUNTRY_C1",
        reason,
    })?;
    Ok(Header {
        sender,
        receiver,
        document_type,
        process,
        country_c1,
        instance_id,
        created,
    })
}

/// `Sender/Identifier` or `Receiver/Identifier`: a participant under `iso6523-actorid-upis`.
fn party(
    head: Node<'_, '_>,
    name: &'static str,
    path: &'static str,
) -> Result<ParticipantId, SbdhError> {
    let party = required(head, name, "StandardBusinessDocumentHeader")?;
    let identifier = required(party, "Identifier", name)?;
    match identifier.attribute("Authority") {
        Some(SCHEME) => {}
        other => {
            return Err(SbdhError::Invalid {
                element: path,
                reason: format!("the Authority is {other:?}, expected {SCHEME:?}"),
            });
        }
    }
    ParticipantId::parse(&xml::text(identifier)).map_err(|e| SbdhError::Invalid {
        element: path,
        reason: e.to_string(),
    })
}

/// The `InstanceIdentifier` and `Identifier` of the one `Scope` of type `kind`.
fn one_scope(
    scopes: Node<'_, '_>,
    kind: &'static str,
) -> Result<(String, Option<String>), SbdhError> {
    let mut found = xml::children(scopes, NAMESPACE, "Scope")
        .filter(|s| xml::child(*s, NAMESPACE, "Type").map(xml::text).as_deref() == Some(kind));
    let scope = found.next().ok_or(SbdhError::Missing {
        element: kind,
        parent: "BusinessScope",
    })?;
    if found.next().is_some() {
        return Err(SbdhError::Invalid {
            element: kind,
            reason: "the scope is given more than once".into(),
        });
    }
    let instance = required_text(scope, "InstanceIdentifier", kind)?;
    let identifier = xml::child(scope, NAMESPACE, "Identifier").map(xml::text);
    Ok((instance, identifier))
}

/// `Standard` and `Type` name the embedded document's root.
fn check_declared_identity(head: Node<'_, '_>, document: Node<'_, '_>) -> Result<(), SbdhError> {
    let identification = required(
        head,
        "DocumentIdentification",
        "StandardBusinessDocumentHeader",
    )?;
    let standard = required_text(identification, "Standard", "DocumentIdentification")?;
    let kind = required_text(identification, "Type", "DocumentIdentification")?;
    let name = document.tag_name();
    if standard != name.namespace().unwrap_or_default() || kind != name.name() {
        return Err(SbdhError::DocumentMismatch {
            declared: format!("{{{standard}}}{kind} (Standard and Type)"),
            found: expanded(document),
        });
    }
    Ok(())
}

/// The document type's syntax part, `<namespace>::<local name>`, names `root`.
fn check_root_matches(document_type: &DocumentTypeId, root: Node<'_, '_>) -> Result<(), SbdhError> {
    let name = root.tag_name();
    let found = format!("{}::{}", name.namespace().unwrap_or_default(), name.name());
    if document_type.syntax() != found {
        return Err(SbdhError::DocumentMismatch {
            declared: format!("{} (DOCUMENTID)", document_type.syntax()),
            found: expanded(root),
        });
    }
    Ok(())
}

/// A required child element.
fn required<'a, 'input>(
    parent: Node<'a, 'input>,
    name: &'static str,
    parent_name: &'static str,
) -> Result<Node<'a, 'input>, SbdhError> {
    xml::child(parent, NAMESPACE, name).ok_or(SbdhError::Missing {
        element: name,
        parent: parent_name,
    })
}

/// The trimmed text of a required child element.
fn required_text(
    parent: Node<'_, '_>,
    name: &'static str,
    parent_name: &'static str,
) -> Result<String, SbdhError> {
    required(parent, name, parent_name).map(xml::text)
}

/// ISO 3166-1 alpha-2 form: two capital letters.
fn check_country(country: &str) -> Result<(), String> {
    if country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(format!(
            "{country:?} is not a two-letter country code such as NL"
        ))
    }
}

/// An RFC 3339 date-time with its offset: the SBDH's xs:dateTime, with the time zone the
/// envelope specification asks for.
fn check_created(created: &str) -> Result<(), String> {
    chrono::DateTime::parse_from_rfc3339(created)
        .map(|_| ())
        .map_err(|e| format!("{created:?} is not a date-time with a time zone: {e}"))
}

/// The limits of what we read, applied to the documents we embed as well.
fn limits() -> Limits {
    Limits {
        max_bytes: MAX_BYTES,
        ..Limits::default()
    }
}

/// `{namespace}name` of an element, for messages.
fn expanded(element: Node<'_, '_>) -> String {
    let name = element.tag_name();
    match name.namespace() {
        Some(ns) => format!("{{{ns}}}{}", name.name()),
        None => name.name().to_string(),
    }
}

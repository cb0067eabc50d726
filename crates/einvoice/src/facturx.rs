//! Factur-X / ZUGFeRD: finding the invoice XML embedded in a PDF.
//!
//! A Factur-X PDF (PDF/A-3) attaches the CII invoice as an embedded file, listed both in the
//! catalog's associated files (`/AF`) and in its `/Names/EmbeddedFiles` name tree. Both are
//! searched; the attachment is chosen by its conventional name (see [`PREFERRED_NAMES`]),
//! else the first attachment that looks like XML is taken. Its stream is decoded through
//! its filters (FlateDecode and the others lopdf supports) under a size bound.
//!
//! # Hostile input
//!
//! Every failure is an [`Error::Pdf`]: input and decoded sizes are bounded, the name tree
//! walk is bounded and cycle-proof, and the PDF parser runs under
//! [`std::panic::catch_unwind`] so that a panic inside it becomes an error. What cannot be
//! caught in-process, a stack overflow (deeply nested objects) or an abort, is why the hub
//! runs extraction in a child process with memory and time limits (DESIGN.md); this module
//! is the code that runs inside it.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};

use crate::{Error, Format};

/// Attachment names of the invoice XML, in order of preference: Factur-X / ZUGFeRD 2.x,
/// ZUGFeRD 1.0 (two spellings), XRechnung in ZUGFeRD 2.1+.
pub const PREFERRED_NAMES: [&str; 4] = [
    "factur-x.xml",
    "zugferd-invoice.xml",
    "ZUGFeRD-invoice.xml",
    "xrechnung.xml",
];

/// Bounds applied to a PDF before and while its attachment is extracted.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest accepted PDF, in bytes.
    pub max_pdf_bytes: usize,
    /// Largest accepted decoded attachment (and decoded object stream), in bytes.
    pub max_xml_bytes: usize,
    /// Most name tree nodes visited while looking for embedded files.
    pub max_tree_nodes: usize,
}

impl Default for Limits {
    /// As large as the XML limits ([`crate::xml::Limits`]) allow, so a 100,000-line
    /// Factur-X invoice still fits.
    fn default() -> Self {
        let xml = crate::xml::Limits::default().max_bytes;
        Limits {
            max_pdf_bytes: xml,
            max_xml_bytes: xml,
            max_tree_nodes: 10_000,
        }
    }
}

/// Returns the invoice XML embedded in a Factur-X/ZUGFeRD PDF.
pub fn extract(pdf: &[u8]) -> Result<Vec<u8>, Error> {
    extract_with(pdf, Limits::default())
}

/// Returns the invoice XML embedded in a Factur-X/ZUGFeRD PDF, under `limits`.
pub fn extract_with(pdf: &[u8], limits: Limits) -> Result<Vec<u8>, Error> {
    if pdf.len() > limits.max_pdf_bytes {
        return Err(fail(format!(
            "the file is {} bytes, more than the limit of {}",
            pdf.len(),
            limits.max_pdf_bytes
        )));
    }
    if crate::detect(pdf) != Format::Pdf {
        return Err(fail("not a PDF: it does not start with %PDF-"));
    }
    // The closure only reads `pdf` and owns its results, so nothing is observed in a broken
    // state after a panic.
    catch_unwind(AssertUnwindSafe(|| find(pdf, limits)))
        .unwrap_or_else(|_| Err(fail("the PDF is malformed (the PDF parser gave up on it)")))
}

fn fail(message: impl Into<String>) -> Error {
    Error::Pdf(message.into())
}

/// One embedded file: its name and its file specification dictionary.
struct Attachment<'a> {
    name: String,
    spec: &'a Dictionary,
}

fn find(pdf: &[u8], limits: Limits) -> Result<Vec<u8>, Error> {
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_xml_bytes),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(pdf, options)
        .map_err(|e| fail(format!("cannot read the PDF: {e}")))?;
    let catalog = doc
        .catalog()
        .map_err(|e| fail(format!("the PDF has no readable catalog: {e}")))?;
    let attachments = attachments(&doc, catalog, limits)?;
    if attachments.is_empty() {
        return Err(fail(
            "the PDF has no embedded files (no /AF or /Names/EmbeddedFiles in its catalog), \
             so it is not Factur-X/ZUGFeRD",
        ));
    }
    for preferred in PREFERRED_NAMES {
        if let Some(a) = attachments.iter().find(|a| a.name == preferred) {
            return content(&doc, a, limits);
        }
    }
    for preferred in PREFERRED_NAMES {
        if let Some(a) = attachments
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(preferred))
        {
            return content(&doc, a, limits);
        }
    }
    for a in &attachments {
        if let Ok(bytes) = content(&doc, a, limits)
            && crate::detect(&bytes) == Format::Xml
        {
            return Ok(bytes);
        }
    }
    let names: Vec<&str> = attachments.iter().map(|a| a.name.as_str()).collect();
    Err(fail(format!(
        "none of the embedded files is XML: {}",
        names.join(", ")
    )))
}

/// The embedded files listed in `/AF` and in the `/Names/EmbeddedFiles` name tree, in that
/// order (the same file usually appears in both).
fn attachments<'a>(
    doc: &'a Document,
    catalog: &'a Dictionary,
    limits: Limits,
) -> Result<Vec<Attachment<'a>>, Error> {
    let mut found = Vec::new();
    if let Some(af) = get(doc, catalog, b"AF").and_then(|o| o.as_array().ok()) {
        for entry in af.iter().take(limits.max_tree_nodes) {
            if let Some(spec) = resolve(doc, entry).and_then(|o| o.as_dict().ok()) {
                found.push(Attachment {
                    name: spec_name(spec, None),
                    spec,
                });
            }
        }
    }
    let tree = get(doc, catalog, b"Names")
        .and_then(|o| o.as_dict().ok())
        .and_then(|names| get(doc, names, b"EmbeddedFiles"));
    if let Some(root) = tree {
        name_tree(doc, root, limits, &mut found)?;
    }
    Ok(found)
}

/// Walks a name tree with an explicit stack, visiting each indirect node once.
fn name_tree<'a>(
    doc: &'a Document,
    root: &'a Object,
    limits: Limits,
    found: &mut Vec<Attachment<'a>>,
) -> Result<(), Error> {
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut stack = vec![root];
    let mut visited = 0;
    while let Some(node) = stack.pop() {
        visited += 1;
        if visited > limits.max_tree_nodes {
            return Err(fail(format!(
                "the embedded files name tree has more than {} nodes",
                limits.max_tree_nodes
            )));
        }
        let Ok((id, node)) = doc.dereference(node) else {
            continue;
        };
        if let Some(id) = id
            && !seen.insert(id)
        {
            continue;
        }
        let Ok(node) = node.as_dict() else { continue };
        if let Some(pairs) = get(doc, node, b"Names").and_then(|o| o.as_array().ok()) {
            for pair in pairs.chunks(2) {
                let [key, value] = pair else { continue };
                if let Some(spec) = resolve(doc, value).and_then(|o| o.as_dict().ok()) {
                    found.push(Attachment {
                        name: spec_name(spec, Some(key)),
                        spec,
                    });
                }
            }
        }
        if let Some(kids) = get(doc, node, b"Kids").and_then(|o| o.as_array().ok()) {
            // Reversed so that the stack visits kids in document order.
            stack.extend(kids.iter().rev().take(limits.max_tree_nodes));
        }
    }
    Ok(())
}

fn resolve<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    doc.dereference(object).ok().map(|(_, o)| o)
}

fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dict.get(key).ok().and_then(|o| resolve(doc, o))
}

/// The file name of a file specification: `/UF` (Unicode), else `/F`, else the name tree key.
fn spec_name(spec: &Dictionary, key: Option<&Object>) -> String {
    [spec.get(b"UF").ok(), spec.get(b"F").ok(), key]
        .into_iter()
        .flatten()
        .find_map(|o| lopdf::decode_text_string(o).ok())
        .unwrap_or_default()
}

/// The decoded content of an attachment's embedded file stream (`/EF /UF` or `/EF /F`).
fn content(doc: &Document, a: &Attachment<'_>, limits: Limits) -> Result<Vec<u8>, Error> {
    let ef = get(doc, a.spec, b"EF")
        .and_then(|o| o.as_dict().ok())
        .ok_or_else(|| fail(format!("the attachment {:?} has no embedded file", a.name)))?;
    let stream = [b"UF".as_slice(), b"F"]
        .into_iter()
        .find_map(|key| get(doc, ef, key).and_then(|o| o.as_stream().ok()))
        .ok_or_else(|| fail(format!("the embedded file of {:?} is not a stream", a.name)))?;
    stream
        .decompressed_content_with_limit(limits.max_xml_bytes)
        .map_err(|e| fail(format!("cannot decode the attachment {:?}: {e}", a.name)))
}

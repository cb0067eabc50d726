//! Reading a document file as the CLI commands need it: XML as is, Factur-X PDFs unwrapped.

use std::fs;
use std::path::Path;

use einvoice::Format;

/// A file's invoice XML, or why there is none.
pub enum Input {
    /// The invoice XML (from the file itself or from inside its PDF).
    Xml(Vec<u8>),
    /// The file was read but holds no invoice XML; the message says why.
    Unusable(String),
}

/// Reads `path`; an I/O error is returned as such, content problems as [`Input::Unusable`].
pub fn read(path: &Path) -> std::io::Result<Input> {
    let bytes = fs::read(path)?;
    Ok(match einvoice::detect(&bytes) {
        Format::Pdf => match einvoice::facturx::extract(&bytes) {
            Ok(xml) => Input::Xml(xml),
            Err(e) => Input::Unusable(e.to_string()),
        },
        // Anything else goes to the XML parser, whose error names the actual problem.
        Format::Xml | Format::Unknown => Input::Xml(bytes),
    })
}

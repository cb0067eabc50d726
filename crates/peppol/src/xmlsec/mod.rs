//! XML security: canonicalization ([`c14n`]), XML signatures ([`dsig`]) and XML encryption
//! ([`xmlenc`]), as Peppol AS4 messages and signed SMP documents use them.
//!
//! Only what Peppol needs is implemented, and what is implemented is strict: RSA-SHA256
//! signatures, SHA-256 digests, exclusive or inclusive C14N 1.0 without comments, AES-128-GCM
//! with RSA-OAEP (SHA-256, MGF1-SHA256). Anything else is refused as a policy violation
//! ([`SecurityError::Policy`]) rather than verified with weaker algorithms.

pub mod c14n;
pub mod dsig;
pub mod xmlenc;

pub use dsig::{sign_enveloped, verify_enveloped};

use einvoice::xml::{Document, ParsingOptions};

/// What went wrong protecting or checking a message or document.
///
/// Each failure carries words a person can act on; [`SecurityError::ebms_code`] names the ebMS
/// error an AS4 receiver answers with.
#[derive(Debug, thiserror::Error)]
pub enum SecurityError {
    /// The XML does not parse (or exceeds the size, depth or node limits).
    #[error("the XML is not well-formed or exceeds the limits: {0}")]
    Xml(String),
    /// The message does not follow the security policy: a missing or weak algorithm, an unsigned
    /// or unencrypted part, a duplicate Id, a missing element.
    #[error("the security policy is not met: {0}")]
    Policy(String),
    /// A signature, digest or certificate check failed.
    #[error("authentication failed: {0}")]
    Authentication(String),
    /// The content key or an attachment does not decrypt.
    #[error("decryption failed: {0}")]
    Decryption(String),
    /// The envelope or document given to be signed or protected lacks what that needs (sender
    /// side: this is a bug of the caller, never an answer to a peer).
    #[error("cannot secure the message: {0}")]
    Input(String),
    /// The cryptographic library failed on our side (random generator, a key it refuses).
    #[error("cryptography failed: {0}")]
    Crypto(String),
}

impl SecurityError {
    /// The ebMS 3.0 error code an AS4 receiver answers this failure with: `EBMS:0101`
    /// (FailedAuthentication) for signature, digest and certificate failures, `EBMS:0102`
    /// (FailedDecryption), and `EBMS:0103` (PolicyNoncompliance) for everything else, since a
    /// message whose security header cannot be processed does not comply with the policy.
    pub fn ebms_code(&self) -> &'static str {
        match self {
            SecurityError::Authentication(_) | SecurityError::Crypto(_) => "EBMS:0101",
            SecurityError::Decryption(_) => "EBMS:0102",
            SecurityError::Xml(_) | SecurityError::Policy(_) | SecurityError::Input(_) => {
                "EBMS:0103"
            }
        }
    }
}

/// The namespace of XML Signature.
pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// The namespace of XML Encryption 1.0 (EncryptedKey, EncryptedData).
pub const XENC_NS: &str = "http://www.w3.org/2001/04/xmlenc#";
/// The namespace of XML Encryption 1.1 (MGF).
pub const XENC11_NS: &str = "http://www.w3.org/2009/xmlenc11#";
/// The namespace of the exclusive canonicalization's InclusiveNamespaces element.
pub const EXC_C14N_NS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";

/// Limits for security-relevant XML: SOAP envelopes and SMP documents are small and shallow,
/// so these are far below the invoice limits and bound the work a hostile message causes.
const PARSING: ParsingOptions = ParsingOptions {
    nodes_limit: 100_000,
    max_depth: 64,
};

/// The largest SOAP envelope or signed document accepted, in bytes.
const MAX_XML_BYTES: usize = 4 << 20;

/// The most namespace declarations accepted in one document. Canonicalization looks up each
/// element's prefixes among the declarations in scope, so its work grows with elements times
/// declarations; Peppol envelopes and SMP documents declare a dozen or two.
const MAX_NAMESPACE_DECLARATIONS: usize = 256;

/// Parses security-relevant XML within [`PARSING`], [`MAX_XML_BYTES`] and
/// [`MAX_NAMESPACE_DECLARATIONS`] (counted generously, as occurrences of `xmlns`).
pub(crate) fn parse(xml: &str) -> Result<Document<'_>, SecurityError> {
    if xml.len() > MAX_XML_BYTES {
        return Err(SecurityError::Xml(format!(
            "{} bytes, more than the {MAX_XML_BYTES} accepted",
            xml.len()
        )));
    }
    if xml.matches("xmlns").count() > MAX_NAMESPACE_DECLARATIONS {
        return Err(SecurityError::Xml(format!(
            "more than {MAX_NAMESPACE_DECLARATIONS} namespace declarations"
        )));
    }
    Document::parse_with_options(xml, PARSING).map_err(|e| SecurityError::Xml(e.to_string()))
}

/// SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// Standard base64, as XML Signature and WS-Security write binary values.
pub(crate) fn base64_encode(data: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// Decodes base64 that may be wrapped over lines (XML Signature allows whitespace in
/// base64Binary values).
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()
}

/// `text` escaped for an XML attribute value or element content written by this crate.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    einvoice::xml::escape_attribute(&mut out, text);
    out
}

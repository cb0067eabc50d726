//! SMP: what a participant can receive and where, as a Peppol SMP 1.x (busdox) publishes it.
//!
//! A Service Metadata Publisher answers two kinds of request ([`path`]): the participant's
//! [`ServiceGroup`], which lists one reference per document type it receives, and per
//! document type a `SignedServiceMetadata` ([`Metadata`]) that names, per process, the
//! access points ([`Endpoint`]s) to send to, or [`Redirect`]s to another SMP.
//! [`endpoint_for`] chooses the endpoint a message goes to; [`client`] fetches both
//! documents over HTTP(S). [`business_card`] writes what the Peppol Directory reads.
//!
//! The XML here is unsigned: an SMP signs `SignedServiceMetadata` with an enveloped XMLDSig
//! signature appended as its last child, which the XML-security code adds to what
//! [`signed_service_metadata_unsigned`] writes, and checks before [`parse_signed_service_metadata`]
//! is trusted. The OASIS BDXR SMP formats are not supported; Peppol runs on busdox.

pub mod business_card;
pub mod client;
mod document; // the model and its XML, both ways
mod endpoint; // choosing the endpoint a message goes to
pub mod path; // the request paths and the hrefs that point at them

pub use document::{
    Endpoint, Metadata, Process, Redirect, ServiceGroup, ServiceMetadata, parse_service_group,
    parse_signed_service_metadata, service_group_xml, signed_service_metadata_unsigned,
};
pub use endpoint::endpoint_for;
pub use path::{SmpRequest, parse_path};

/// The SMP publishing namespace.
pub const NS_SMP: &str = "http://busdox.org/serviceMetadata/publishing/1.0/";
/// The namespace of participant, document type and process identifiers.
pub const NS_ID: &str = "http://busdox.org/transport/identifiers/1.0/";
/// WS-Addressing, for the endpoint's address.
pub const NS_WSA: &str = "http://www.w3.org/2005/08/addressing";

/// The transport profile of Peppol AS4 (profile 2.0), the one Peppol requires.
pub const TRANSPORT_AS4: &str = "peppol-transport-as4-v2_0";

/// The largest SMP document read: a metadata document with many processes and endpoints,
/// each carrying a certificate, stays well under it.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;

/// Why an SMP document or request could not be read, or no endpoint fits.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SmpError {
    /// Not well-formed XML under the limits.
    #[error("the SMP document is not readable XML: {0}")]
    Xml(#[from] einvoice::Error),
    /// The root element is not the one expected.
    #[error("expected an SMP {expected}, found {found}")]
    UnexpectedRoot {
        /// The element expected, e.g. `ServiceGroup`.
        expected: &'static str,
        /// The root element found, as `{namespace}name`.
        found: String,
    },
    /// A required element or attribute is absent.
    #[error("the SMP document has no {what} in {parent}")]
    Missing {
        /// The element or attribute missing.
        what: &'static str,
        /// Where it should be.
        parent: &'static str,
    },
    /// An element or attribute holds a value that is not allowed.
    #[error("SMP {what}: {reason}")]
    Invalid {
        /// The element or attribute.
        what: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A request path that is not one of the two an SMP serves.
    #[error("not an SMP path: {0}")]
    Path(String),
    /// The receiver does not take this document type in this process.
    #[error("the receiver cannot take document type {document_type} in process {process}")]
    NotSupported {
        /// The document type of the metadata.
        document_type: String,
        /// The process asked for.
        process: String,
    },
    /// The receiver takes the document type and process, but not over this transport.
    #[error("the receiver has no {transport} endpoint for process {process}")]
    NoTransport {
        /// The process asked for.
        process: String,
        /// The transport profile asked for.
        transport: String,
    },
    /// Every fitting endpoint starts later.
    #[error("the receiver's endpoint is not active until {from}")]
    NotYetActive {
        /// The earliest activation date of the fitting endpoints.
        from: chrono::DateTime<chrono::Utc>,
    },
    /// Every fitting endpoint has expired.
    #[error("the receiver's endpoint expired on {on}")]
    Expired {
        /// The latest expiration date of the fitting endpoints.
        on: chrono::DateTime<chrono::Utc>,
    },
    /// A redirect that leads to another redirect: Peppol allows one hop.
    #[error("the SMP redirected more than once (last to {0}); Peppol allows one redirect")]
    TooManyRedirects(String),
    /// The SMP answered 404: it does not know the participant or document type.
    #[error("the SMP does not know {url} (404 Not Found)")]
    NotFound {
        /// The URL fetched.
        url: String,
    },
    /// The SMP answered with another unexpected HTTP status.
    #[error("the SMP answered {url} with HTTP {status}")]
    Status {
        /// The URL fetched.
        url: String,
        /// The status code.
        status: u16,
    },
    /// The answer is larger than [`MAX_BYTES`].
    #[error("the SMP's answer to {url} is larger than {limit} bytes")]
    TooLarge {
        /// The URL fetched.
        url: String,
        /// The limit.
        limit: usize,
    },
    /// The HTTP client could not be set up (an unusable extra root certificate).
    #[error("cannot set up the SMP client: {0}")]
    Client(String),
    /// The SMP could not be reached or the transfer failed (including time-outs).
    #[error("could not fetch {url}: {reason}")]
    Http {
        /// The URL fetched.
        url: String,
        /// What failed.
        reason: String,
    },
}

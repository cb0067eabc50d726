//! AS4 messaging as the Peppol AS4 profile uses it: ebMS 3.0 user messages over SOAP 1.2 with
//! the payload as a compressed, signed and encrypted MIME attachment, answered by a signed
//! receipt or an error signal.
//!
//! The parts, each usable alone: [`mime`] (the multipart envelope), [`ebms`] (the user
//! message header), [`signal`] (receipts and errors), [`security`] (WS-Security signing and
//! encryption), [`compression`] and [`error`] (the ebMS error codes); [`receive`] and
//! [`send`](mod@send) put them together for each direction.

pub mod compression;
pub mod ebms;
pub mod error;
pub mod mime;
pub mod receive;
pub mod security;
pub mod send;
pub mod signal;

pub use ebms::{EnvelopeIds, PartInfo, UserMessage};
pub use error::{EbmsError, ErrorCode};
pub use receive::{AccessPoint, Received, Refused};
pub use send::{Delivered, Message, Outgoing, RetryPolicy, SendError, send};

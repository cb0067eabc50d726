//! Peppol identifiers: participant ids checked against their scheme, document type ids and
//! process ids.
//!
//! # Overview
//!
//! A [`ParticipantId`] is an organisation's address in Peppol: a [`Scheme`] of the Peppol code
//! list, named by its ISO 6523 code (`0106` for the Dutch KvK number), and the number within
//! it. [`ParticipantId::parse`] checks the number against what the code list says about the
//! scheme: its [`State`], its structure (a [`pattern::Pattern`]) and its check digits (a
//! [`check::Check`]), and a [`ParticipantIdError`] says what is wrong in words an accountant
//! can act on.
//!
//! A [`DocumentTypeId`] names the kind of business document a message carries and a
//! [`ProcessId`] the business process it belongs to; [`document_type`] and [`process`] hold
//! the code lists' entries and the ones the hub needs by name, such as
//! [`document_type::BIS_BILLING_INVOICE`].
//!
//! The tables are generated from the Peppol code lists (release [`CODE_LIST_VERSION`]) by
//! `scripts/gen_peppol_tables.py`. The identifier rules follow the Peppol Policy for use of
//! Identifiers 4.4.
//!
//! [`sbdh`] wraps a business document in the Peppol envelope and reads it back. [`sml`] finds
//! the SMP of a participant through DNS, and [`smp`] writes and reads SMP documents, chooses
//! the endpoint a message goes to and fetches the documents over HTTP(S); [`lookup`] chains
//! them into the receiver's verified AS4 endpoint. [`xmlsec`] and
//! [`pki`] hold the XML signatures, encryption and certificate checks that [`as4`] messaging
//! and signed SMP documents rely on. The lookups and the AS4 sender are the only I/O here
//! (async, on tokio).
//!
//! ```
//! use peppol::{ParticipantId, document_type};
//!
//! let kvk = ParticipantId::parse("iso6523-actorid-upis::0106:12345678")?;
//! assert_eq!(kvk.to_string(), "0106:12345678");
//! assert_eq!(kvk.scheme().id, "NL:KVK");
//!
//! let typo = ParticipantId::parse("0088:8712345678900").unwrap_err();
//! assert_eq!(
//!     typo.to_string(),
//!     "0088 (GLN): the check digit is wrong: 8712345678900 should end in 6"
//! );
//!
//! let invoice = document_type::BIS_BILLING_INVOICE;
//! assert_eq!(invoice.entry().map(|e| e.name), Some("Peppol BIS Billing UBL Invoice V3"));
//! # Ok::<(), peppol::ParticipantIdError>(())
//! ```
#![deny(missing_docs)]

pub mod as4;
pub mod check;
pub mod document_type;
mod generated;
pub mod lookup;
pub mod network;
pub mod participant;
pub mod pattern;
pub mod pki;
pub mod process;
pub mod sbdh;
pub mod scheme;
pub mod sml;
pub mod smp;
#[cfg(feature = "testing")]
pub mod testing;
mod xml;
pub mod xmlsec;

pub use document_type::{DocumentTypeId, DocumentTypeIdError};
pub use participant::{ParticipantId, ParticipantIdError};
pub use process::{ProcessId, ProcessIdError};
pub use scheme::Scheme;

/// The release of the Peppol code lists the tables come from.
pub const CODE_LIST_VERSION: &str = generated::schemes::VERSION;

/// Where a code-list entry is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    /// In use.
    Active,
    /// Still listed, but to be replaced; not for new registrations.
    Deprecated,
    /// No longer valid.
    Removed,
}

/// The first character of `s` outside ISO-8859-1, which document type and process ids must
/// stay within.
fn outside_latin1(s: &str) -> Option<char> {
    s.chars().find(|&c| u32::from(c) > 0xFF)
}

/// Serde support for an identifier type: it travels as the text its `Display` writes and its
/// `FromStr` reads back, so a stored or received identifier is checked like a typed one.
macro_rules! text_serde {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
use text_serde;

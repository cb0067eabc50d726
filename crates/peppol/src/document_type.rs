//! Document type identifiers: which business document a Peppol message carries.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::State;
use crate::generated::document_types::DOCUMENT_TYPES;
pub use crate::generated::document_types::{
    BIS_BILLING_CREDIT_NOTE, BIS_BILLING_INVOICE, INVOICE_RESPONSE,
};
use crate::process::ProcessId;

/// The most characters a value may have (Policy for use of Identifiers).
const MAX_VALUE_LEN: usize = 500;

/// The identifier scheme of a document type identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocumentTypeScheme {
    /// `busdox-docid-qns`, the scheme of nearly every document type.
    BusdoxDocidQns,
    /// `peppol-doctype-wildcard`, the scheme of Peppol PINT; unlike `busdox-docid-qns` it
    /// allows `*` in the customization id.
    PeppolDoctypeWildcard,
}

impl DocumentTypeScheme {
    /// The scheme as written in an identifier, e.g. `busdox-docid-qns`.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentTypeScheme::BusdoxDocidQns => "busdox-docid-qns",
            DocumentTypeScheme::PeppolDoctypeWildcard => "peppol-doctype-wildcard",
        }
    }

    fn from_name(name: &str) -> Option<DocumentTypeScheme> {
        [
            DocumentTypeScheme::BusdoxDocidQns,
            DocumentTypeScheme::PeppolDoctypeWildcard,
        ]
        .into_iter()
        .find(|s| s.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for DocumentTypeScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Peppol document type identifier: a scheme and a value of the form
/// `<syntax>##<customization>::<version>`, e.g. the UBL invoice root
/// `urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice`, the BIS Billing 3.0
/// customization id and UBL version `2.1`.
///
/// Unlike participant identifiers, document type identifiers are case-sensitive, so the value
/// is kept as given.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DocumentTypeId {
    scheme: DocumentTypeScheme,
    value: Cow<'static, str>,
}

impl DocumentTypeId {
    /// An entry of the code list, which the tests check parses to itself.
    pub(crate) const fn from_code_list(scheme: DocumentTypeScheme, value: &'static str) -> Self {
        DocumentTypeId {
            scheme,
            value: Cow::Borrowed(value),
        }
    }

    /// Reads `busdox-docid-qns::<value>` or `peppol-doctype-wildcard::<value>` (the scheme in
    /// any case), ignoring surrounding whitespace.
    pub fn parse(text: &str) -> Result<DocumentTypeId, DocumentTypeIdError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(DocumentTypeIdError::Empty);
        }
        let Some((scheme, value)) = text.split_once("::") else {
            return Err(DocumentTypeIdError::MissingScheme {
                given: text.to_string(),
            });
        };
        let scheme = DocumentTypeScheme::from_name(scheme).ok_or_else(|| {
            DocumentTypeIdError::UnknownScheme {
                scheme: scheme.to_string(),
            }
        })?;
        DocumentTypeId::new(scheme, value)
    }

    /// Checks a value that arrived apart from its scheme, as in an SBDH or SMP document.
    pub fn new(scheme: DocumentTypeScheme, value: &str) -> Result<Self, DocumentTypeIdError> {
        if let Some(ch) = crate::outside_latin1(value) {
            return Err(DocumentTypeIdError::NotLatin1 { ch });
        }
        let length = value.chars().count();
        if length > MAX_VALUE_LEN {
            return Err(DocumentTypeIdError::TooLong { length });
        }
        let Some((_, customization, _)) = split(value) else {
            return Err(DocumentTypeIdError::Malformed {
                value: value.to_string(),
            });
        };
        // POLICY 17: no whitespace in the customization id, and `*` only under the wildcard
        // scheme, where it has a meaning.
        let forbidden = |c: char| {
            c.is_whitespace() || (c == '*' && scheme == DocumentTypeScheme::BusdoxDocidQns)
        };
        if let Some(ch) = customization.chars().find(|&c| forbidden(c)) {
            return Err(DocumentTypeIdError::Forbidden {
                scheme,
                customization: customization.to_string(),
                ch,
            });
        }
        Ok(DocumentTypeId {
            scheme,
            value: Cow::Owned(value.to_string()),
        })
    }

    /// The identifier scheme.
    pub fn scheme(&self) -> DocumentTypeScheme {
        self.scheme
    }

    /// The value, without the scheme.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The syntax-specific part before `##`: for XML, the root namespace, `::` and the root
    /// element name.
    pub fn syntax(&self) -> &str {
        self.parts().0
    }

    /// The customization id between `##` and the last `::`.
    pub fn customization(&self) -> &str {
        self.parts().1
    }

    /// The syntax version after the last `::`, e.g. `2.1`.
    pub fn version(&self) -> &str {
        self.parts().2
    }

    /// The code list's entry for this identifier, if it has one.
    pub fn entry(&self) -> Option<&'static DocumentType> {
        DOCUMENT_TYPES
            .binary_search_by(|d| (d.id.scheme, d.id.value()).cmp(&(self.scheme, self.value())))
            .ok()
            .and_then(|i| DOCUMENT_TYPES.get(i))
    }

    fn parts(&self) -> (&str, &str, &str) {
        // Every DocumentTypeId was split successfully when it was made.
        split(&self.value).unwrap_or((&self.value, "", ""))
    }
}

/// `<syntax>##<customization>::<version>`, each part non-empty.
fn split(value: &str) -> Option<(&str, &str, &str)> {
    let (syntax, rest) = value.split_once("##")?;
    let (customization, version) = rest.rsplit_once("::")?;
    let parts = (syntax, customization, version);
    [syntax, customization, version]
        .iter()
        .all(|p| !p.is_empty())
        .then_some(parts)
}

/// `busdox-docid-qns::<value>`: the full form.
impl fmt::Display for DocumentTypeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}::{}", self.scheme, self.value)
    }
}

impl FromStr for DocumentTypeId {
    type Err = DocumentTypeIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocumentTypeId::parse(s)
    }
}

crate::text_serde!(DocumentTypeId);

/// A document type of the Peppol code list.
#[derive(Debug)]
pub struct DocumentType {
    /// Its name, e.g. `Peppol BIS Billing UBL Invoice V3`.
    pub name: &'static str,
    /// The identifier.
    pub id: DocumentTypeId,
    /// Whether it may still be used.
    pub state: State,
    /// What kind of document it is, e.g. `Invoice`, `Credit Note` or `Invoice Response`.
    pub category: &'static str,
    /// The processes it is exchanged in.
    pub processes: &'static [ProcessId],
}

impl DocumentType {
    /// Every document type of the code list, sorted by scheme and value.
    pub fn all() -> &'static [DocumentType] {
        &DOCUMENT_TYPES
    }
}

/// Why a text is not a Peppol document type identifier.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DocumentTypeIdError {
    /// Nothing but whitespace.
    #[error("the document type id is empty")]
    Empty,
    /// No `::` after a scheme.
    #[error("{given:?} has no scheme: write busdox-docid-qns:: before it")]
    MissingScheme {
        /// The text as given.
        given: String,
    },
    /// A scheme Peppol does not use for document types.
    #[error(
        "{scheme:?} is not a Peppol document type scheme: use busdox-docid-qns or \
         peppol-doctype-wildcard"
    )]
    UnknownScheme {
        /// The scheme as given.
        scheme: String,
    },
    /// A character outside ISO-8859-1.
    #[error("the document type id contains {ch:?}, which is not in ISO-8859-1")]
    NotLatin1 {
        /// The first such character.
        ch: char,
    },
    /// Longer than the Policy for use of Identifiers allows.
    #[error("the document type id is {length} characters long; Peppol allows at most 500")]
    TooLong {
        /// The value's length in characters.
        length: usize,
    },
    /// Not of the form `<syntax>##<customization>::<version>`.
    #[error(
        "{value:?} is not a document type id: it should read \
         <syntax>##<customization>::<version>"
    )]
    Malformed {
        /// The value as given.
        value: String,
    },
    /// A character the scheme does not allow in the customization id.
    #[error(
        "the customization id {customization:?} contains {ch:?}, which {scheme} does not allow"
    )]
    Forbidden {
        /// The scheme.
        scheme: DocumentTypeScheme,
        /// The customization id.
        customization: String,
        /// The first character not allowed.
        ch: char,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::process;

    const INVOICE: &str = "busdox-docid-qns::urn:oasis:names:specification:ubl:schema:xsd:\
        Invoice-2::Invoice##urn:cen.eu:en16931:2017#compliant#\
        urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1";

    #[test]
    fn parts_of_the_bis_billing_invoice() {
        let id = DocumentTypeId::parse(INVOICE).unwrap();
        assert_eq!(id, BIS_BILLING_INVOICE);
        assert_eq!(id.to_string(), INVOICE);
        assert_eq!(id.scheme(), DocumentTypeScheme::BusdoxDocidQns);
        assert_eq!(
            id.syntax(),
            "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice"
        );
        assert_eq!(
            id.customization(),
            "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
        );
        assert_eq!(id.version(), "2.1");
    }

    #[test]
    fn the_named_document_types_are_active_with_their_processes() {
        let named = [
            (BIS_BILLING_INVOICE, process::BIS_BILLING, "Invoice"),
            (BIS_BILLING_CREDIT_NOTE, process::BIS_BILLING, "Credit Note"),
            (
                INVOICE_RESPONSE,
                process::INVOICE_RESPONSE,
                "Invoice Response",
            ),
        ];
        for (id, process, category) in named {
            let entry = id.entry().unwrap();
            assert_eq!(entry.state, State::Active, "{id}");
            assert_eq!(entry.category, category);
            assert!(entry.processes.contains(&process), "{id}");
        }
    }

    #[test]
    fn the_table_is_sorted_for_binary_search() {
        let key = |d: &'static DocumentType| (d.id.scheme, d.id.value());
        assert!(
            DocumentType::all()
                .windows(2)
                .all(|w| key(&w[0]) < key(&w[1]))
        );
    }

    #[test]
    fn scheme_case_and_wildcards() {
        let pint = "PEPPOL-DOCTYPE-WILDCARD::urn:oasis:names:specification:ubl:schema:xsd:\
            Invoice-2::Invoice##urn:peppol:pint:billing-1*::2.1";
        let id = DocumentTypeId::parse(pint).unwrap();
        assert_eq!(id.scheme(), DocumentTypeScheme::PeppolDoctypeWildcard);
        assert!(id.to_string().starts_with("peppol-doctype-wildcard::"));
        assert!(
            id.entry().is_none(),
            "the * form is not itself in the code list"
        );
        let qns = pint.replace("PEPPOL-DOCTYPE-WILDCARD", "busdox-docid-qns");
        assert_eq!(
            DocumentTypeId::parse(&qns).unwrap_err().to_string(),
            "the customization id \"urn:peppol:pint:billing-1*\" contains '*', which \
             busdox-docid-qns does not allow"
        );
    }

    #[test]
    fn malformed_values() {
        let err = |s: &str| DocumentTypeId::parse(s).unwrap_err();
        assert_eq!(err(""), DocumentTypeIdError::Empty);
        assert!(matches!(
            err("urn:x##y"),
            DocumentTypeIdError::MissingScheme { .. }
        ));
        assert!(matches!(
            err("busdox-docid-qns::urn:x##y"),
            DocumentTypeIdError::Malformed { .. }
        ));
        assert!(matches!(
            err("busdox-docid-qns::urn:x##::2.1"),
            DocumentTypeIdError::Malformed { .. }
        ));
        assert!(matches!(
            err("busdox-docid-qns::"),
            DocumentTypeIdError::Malformed { .. }
        ));
        assert!(matches!(
            err("qns::a##b::1"),
            DocumentTypeIdError::UnknownScheme { .. }
        ));
        assert!(matches!(
            err("busdox-docid-qns::a##b c::1"),
            DocumentTypeIdError::Forbidden { .. }
        ));
        assert_eq!(
            err("busdox-docid-qns::a€##b::1"),
            DocumentTypeIdError::NotLatin1 { ch: '€' }
        );
        let long = format!("busdox-docid-qns::a##{}::1", "b".repeat(500));
        assert_eq!(err(&long), DocumentTypeIdError::TooLong { length: 506 });
    }
}

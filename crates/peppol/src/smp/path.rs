//! The two paths an SMP serves, `/{participant}` and `/{participant}/services/{document type}`,
//! each identifier in its full form (`iso6523-actorid-upis::0088:…`, `busdox-docid-qns::…`).
//!
//! What we write percent-encodes every character but the unreserved ones (RFC 3986), so `:`
//! becomes `%3A` and the `#` of document type ids `%23` (a raw `#` would start a fragment and
//! never reach the server). What we read is decoded, so raw `::` works as well: peppol-py
//! asks for `/iso6523-actorid-upis::0088:…` unencoded.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use super::SmpError;
use crate::document_type::DocumentTypeId;
use crate::participant::ParticipantId;

/// Everything but RFC 3986's unreserved characters is encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The longest path read; the longest identifiers encoded stay far below it.
const MAX_PATH_LEN: usize = 8 * 1024;

/// One identifier, percent-encoded as a path segment.
pub fn encode_segment(identifier: &str) -> String {
    utf8_percent_encode(identifier, COMPONENT).to_string()
}

/// `{base}/{participant}`: where the participant's service group is.
pub fn service_group_url(base: &str, participant: &ParticipantId) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        encode_segment(&participant.full())
    )
}

/// `{base}/{participant}/services/{document type}`: where one document type's metadata is.
pub fn service_metadata_url(
    base: &str,
    participant: &ParticipantId,
    document_type: &DocumentTypeId,
) -> String {
    format!(
        "{}/services/{}",
        service_group_url(base, participant),
        encode_segment(&document_type.to_string())
    )
}

/// What an SMP request asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmpRequest {
    /// The participant.
    pub participant: ParticipantId,
    /// The document type, for a metadata request; `None` asks for the service group.
    pub document_type: Option<DocumentTypeId>,
}

/// Reads a request path (the path of the URL only, starting with `/`; no query string).
///
/// A base path in front of the identifiers is not accepted: a Peppol SMP serves from its
/// root, and the server mounts this under any prefix it wants by stripping it first.
pub fn parse_path(path: &str) -> Result<SmpRequest, SmpError> {
    if path.len() > MAX_PATH_LEN {
        return Err(SmpError::Path(format!("longer than {MAX_PATH_LEN} bytes")));
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err(SmpError::Path("the path does not start with /".into()));
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let (participant, document_type) = match segments.as_slice() {
        [participant] => (participant, None),
        [participant, services, document_type] if services.eq_ignore_ascii_case("services") => {
            (participant, Some(document_type))
        }
        _ => {
            return Err(SmpError::Path(
                "expected /{participant} or /{participant}/services/{document type}".into(),
            ));
        }
    };
    let participant = decode(participant)?;
    // The scheme is required here: an SMP serves more than one identifier scheme in
    // principle, and the bare `0088:…` form is our own shorthand, not the protocol's.
    if !participant.contains("::") {
        return Err(SmpError::Path(format!(
            "the participant {participant:?} has no scheme (iso6523-actorid-upis::…)"
        )));
    }
    let participant =
        ParticipantId::parse(&participant).map_err(|e| SmpError::Path(e.to_string()))?;
    let document_type = match document_type {
        Some(segment) => Some(
            DocumentTypeId::parse(&decode(segment)?).map_err(|e| SmpError::Path(e.to_string()))?,
        ),
        None => None,
    };
    Ok(SmpRequest {
        participant,
        document_type,
    })
}

/// The document type an href of a service group points at, if it is in the
/// `…/services/{document type}` form.
pub(super) fn href_document_type(href: &str) -> Option<DocumentTypeId> {
    let without_query = href.split(['?', '#']).next().unwrap_or(href);
    let (_, segment) = without_query.rsplit_once("/services/")?;
    DocumentTypeId::parse(&decode(segment).ok()?).ok()
}

/// A percent-decoded path segment, which must be UTF-8.
fn decode(segment: &str) -> Result<String, SmpError> {
    percent_decode_str(segment)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| SmpError::Path(format!("{segment:?} does not decode to UTF-8")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colons_and_hashes_are_encoded_and_unreserved_characters_are_not() {
        assert_eq!(
            encode_segment("busdox-docid-qns::a:b##c#d::2.1 ~_"),
            "busdox-docid-qns%3A%3Aa%3Ab%23%23c%23d%3A%3A2.1%20~_"
        );
    }
}

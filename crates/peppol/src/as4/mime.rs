//! The MIME envelope of an AS4 message: `multipart/related` with the SOAP envelope as the root
//! part and one part per payload (SOAP with Attachments, as the Peppol AS4 profile requires).
//!
//! Reading is strict about structure and lenient about style, because independent access points
//! differ in style: header names in any case, folded header lines, quoted or bare parameters,
//! extra headers (urllib3 adds `Content-Disposition`), binary or base64 transfer encoding
//! (peppol-py sends base64), and LF where CRLF belongs.

use std::fmt;

use base64::Engine as _;

/// The most parts a message may have. Peppol sends one payload per message; a handful leaves
/// room for a future second attachment without letting a sender make us split thousands.
pub const MAX_PARTS: usize = 8;

/// One part of a multipart message.
#[derive(Clone, PartialEq, Eq)]
pub struct Part {
    /// The Content-ID without its angle brackets, if the part has one.
    pub content_id: Option<String>,
    /// The media type without parameters, lowercased (`application/soap+xml`).
    pub media_type: String,
    /// The content, with any transfer encoding undone.
    pub bytes: Vec<u8>,
}

impl fmt::Debug for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The bytes are a payload (an invoice, or ciphertext): their length says enough.
        f.debug_struct("Part")
            .field("content_id", &self.content_id)
            .field("media_type", &self.media_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// A `multipart/related` message: its root part (the SOAP envelope) and the others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Multipart {
    /// The part the `start` parameter names, or the first part.
    pub root: Part,
    /// The other parts in order.
    pub attachments: Vec<Part>,
}

/// Why a request body is not a readable AS4 MIME message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MimeError {
    /// The Content-Type is not `multipart/related` (nor a bare SOAP envelope).
    #[error("the content type {0:?} is not multipart/related")]
    NotMultipart(String),
    /// The Content-Type has no boundary parameter.
    #[error("the multipart content type has no boundary")]
    NoBoundary,
    /// The body never reaches its closing boundary.
    #[error("the multipart body is truncated: no closing boundary")]
    Truncated,
    /// More parts than [`MAX_PARTS`].
    #[error("the message has more than {MAX_PARTS} parts")]
    TooManyParts,
    /// A part's headers do not end, or a header line has no colon.
    #[error("a MIME part has malformed headers")]
    BadHeaders,
    /// A transfer encoding other than binary, 7bit, 8bit or base64.
    #[error("the transfer encoding {0:?} is not supported")]
    UnsupportedEncoding(String),
    /// A base64 part does not decode.
    #[error("a base64 MIME part does not decode")]
    BadBase64,
    /// The `start` parameter names no part.
    #[error("the start parameter names no part of the message")]
    NoRoot,
}

/// Reads a request body whose Content-Type header is `content_type`.
///
/// A bare `application/soap+xml` body is a message without attachments (signals travel so),
/// and reads as a root part alone.
pub fn parse(content_type: &str, body: &[u8]) -> Result<Multipart, MimeError> {
    let (media_type, params) = split_content_type(content_type);
    if media_type == "application/soap+xml" {
        return Ok(Multipart {
            root: Part {
                content_id: None,
                media_type,
                bytes: body.to_vec(),
            },
            attachments: Vec::new(),
        });
    }
    if media_type != "multipart/related" {
        return Err(MimeError::NotMultipart(media_type));
    }
    let boundary = param(&params, "boundary").ok_or(MimeError::NoBoundary)?;
    if boundary.is_empty() {
        return Err(MimeError::NoBoundary);
    }
    let mut parts = split_parts(body, boundary.as_bytes())?
        .into_iter()
        .map(read_part)
        .collect::<Result<Vec<_>, _>>()?;
    if parts.is_empty() {
        return Err(MimeError::Truncated);
    }
    let root_index = match param(&params, "start") {
        Some(start) => {
            let start = start.trim_matches(['<', '>']);
            parts
                .iter()
                .position(|p| p.content_id.as_deref() == Some(start))
                .ok_or(MimeError::NoRoot)?
        }
        None => 0,
    };
    let root = parts.remove(root_index);
    Ok(Multipart {
        root,
        attachments: parts,
    })
}

/// Writes a `multipart/related` message with `soap` as its root and `attachments` (Content-ID,
/// bytes) as binary `application/octet-stream` parts, as the Peppol AS4 profile sends them.
/// Returns the Content-Type header value and the body.
pub fn write(soap: &[u8], attachments: &[(&str, &[u8])], boundary: &str) -> (String, Vec<u8>) {
    let root_id = format!("root.{boundary}@postbode");
    let mut body = Vec::with_capacity(
        soap.len()
            + attachments
                .iter()
                .map(|(_, b)| b.len() + 200)
                .sum::<usize>()
            + 400,
    );
    let mut push_part = |headers: String, bytes: &[u8]| {
        body.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    };
    push_part(
        format!(
            "Content-Type: application/soap+xml; charset=UTF-8\r\n\
             Content-Transfer-Encoding: binary\r\nContent-ID: <{root_id}>\r\n"
        ),
        soap,
    );
    for (content_id, bytes) in attachments {
        push_part(
            format!(
                "Content-Type: application/octet-stream\r\n\
                 Content-Transfer-Encoding: binary\r\nContent-ID: <{content_id}>\r\n"
            ),
            bytes,
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let content_type = format!(
        "multipart/related; type=\"application/soap+xml\"; boundary=\"{boundary}\"; start=\"<{root_id}>\""
    );
    (content_type, body)
}

/// The media type (lowercased) and the raw `;`-separated parameters of a Content-Type value.
fn split_content_type(value: &str) -> (String, String) {
    let (media, params) = value.split_once(';').unwrap_or((value, ""));
    (media.trim().to_ascii_lowercase(), params.to_string())
}

/// Parameter `name` of a parameter list, unquoted. Quoted values may hold `;`.
fn param(params: &str, name: &str) -> Option<String> {
    let mut rest = params;
    loop {
        rest = rest.trim_start_matches([';', ' ', '\t', '\r', '\n']);
        if rest.is_empty() {
            return None;
        }
        let eq = rest.find('=')?;
        let key = rest[..eq].trim();
        rest = rest[eq + 1..].trim_start();
        let value;
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"')?;
            value = quoted[..end].to_string();
            rest = &quoted[end + 1..];
        } else {
            let end = rest.find(';').unwrap_or(rest.len());
            value = rest[..end].trim().to_string();
            rest = &rest[end..];
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
    }
}

/// The raw parts (headers and content) between the boundaries of `body`.
fn split_parts<'b>(body: &'b [u8], boundary: &[u8]) -> Result<Vec<&'b [u8]>, MimeError> {
    let mut delimiter = b"--".to_vec();
    delimiter.extend_from_slice(boundary);
    let finder = memchr::memmem::Finder::new(&delimiter);
    let mut parts = Vec::new();
    // Whatever precedes the first delimiter is the preamble, ignored by definition.
    let Some(first) = finder.find(body) else {
        return Err(MimeError::Truncated);
    };
    let mut at = first + delimiter.len();
    loop {
        let rest = &body[at..];
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        // The delimiter line ends at its line break (transport padding may precede it).
        let line_end = memchr::memchr(b'\n', rest).ok_or(MimeError::Truncated)?;
        let content_start = at + line_end + 1;
        let next = finder
            .find(&body[content_start..])
            .ok_or(MimeError::Truncated)?;
        // The line break before a delimiter belongs to the delimiter.
        let mut content_end = content_start + next;
        if content_end > content_start && body[content_end - 1] == b'\n' {
            content_end -= 1;
            if content_end > content_start && body[content_end - 1] == b'\r' {
                content_end -= 1;
            }
        }
        if parts.len() == MAX_PARTS {
            return Err(MimeError::TooManyParts);
        }
        parts.push(&body[content_start..content_end]);
        at = content_start + next + delimiter.len();
    }
}

/// One raw part: headers, a blank line, content.
fn read_part(raw: &[u8]) -> Result<Part, MimeError> {
    let (header_end, content_start) = if raw.starts_with(b"\r\n") {
        (0, 2)
    } else if raw.starts_with(b"\n") {
        (0, 1)
    } else if let Some(i) = memchr::memmem::find(raw, b"\r\n\r\n") {
        (i, i + 4)
    } else if let Some(i) = memchr::memmem::find(raw, b"\n\n") {
        (i, i + 2)
    } else {
        return Err(MimeError::BadHeaders);
    };
    let headers = std::str::from_utf8(&raw[..header_end]).map_err(|_| MimeError::BadHeaders)?;
    let content = &raw[content_start..];
    let mut content_id = None;
    let mut media_type = String::from("text/plain");
    let mut encoding = String::from("binary");
    for (name, value) in unfold(headers)? {
        match name.to_ascii_lowercase().as_str() {
            "content-id" => content_id = Some(value.trim().trim_matches(['<', '>']).to_string()),
            "content-type" => media_type = split_content_type(&value).0,
            "content-transfer-encoding" => encoding = value.trim().to_ascii_lowercase(),
            _ => {}
        }
    }
    let bytes = match encoding.as_str() {
        "binary" | "8bit" | "7bit" => content.to_vec(),
        "base64" => {
            let compact: Vec<u8> = content
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            base64::engine::general_purpose::STANDARD
                .decode(compact)
                .map_err(|_| MimeError::BadBase64)?
        }
        other => return Err(MimeError::UnsupportedEncoding(other.to_string())),
    };
    Ok(Part {
        content_id,
        media_type,
        bytes,
    })
}

/// Header lines as (name, value), with folded continuation lines joined.
fn unfold(headers: &str) -> Result<Vec<(String, String)>, MimeError> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in headers.lines() {
        if line.starts_with([' ', '\t']) {
            let (_, value) = out.last_mut().ok_or(MimeError::BadHeaders)?;
            value.push(' ');
            value.push_str(line.trim());
        } else if !line.is_empty() {
            let (name, value) = line.split_once(':').ok_or(MimeError::BadHeaders)?;
            out.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_it_reads() -> Result<(), MimeError> {
        let payload = b"\x1f\x8b binary \r\n--not-a-boundary\r\n\0\xff";
        let (content_type, body) = write(b"<S12:Envelope/>", &[("part-1@x", payload)], "b0und");
        let message = parse(&content_type, &body)?;
        assert_eq!(message.root.media_type, "application/soap+xml");
        assert_eq!(message.root.bytes, b"<S12:Envelope/>");
        assert_eq!(message.attachments.len(), 1);
        assert_eq!(
            message.attachments[0].content_id.as_deref(),
            Some("part-1@x")
        );
        assert_eq!(message.attachments[0].bytes, payload);
        Ok(())
    }

    #[test]
    fn reads_the_styles_other_access_points_send() -> Result<(), MimeError> {
        // urllib3's form-data style (as4 0.2.0), no start parameter, base64 folded at 76
        // columns (peppol-py), lower-case header names and LF line ends.
        let body = "preamble\n--XyZ\ncontent-disposition: form-data; name=\"soap_field\"\n\
                    content-type: application/soap+xml;\n\tcharset=UTF-8\n\n<Envelope/>\n\
                    --XyZ\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\
                    Content-ID: <a@b>\n\naGVsbG8g\nd29ybGQ=\n--XyZ--\nepilogue";
        let message = parse(
            "Multipart/Related; boundary=XyZ; type=\"application/soap+xml\"",
            body.as_bytes(),
        )?;
        assert_eq!(message.root.bytes, b"<Envelope/>");
        assert_eq!(message.root.media_type, "application/soap+xml");
        assert_eq!(message.attachments[0].bytes, b"hello world");
        Ok(())
    }

    #[test]
    fn the_start_parameter_chooses_the_root() -> Result<(), MimeError> {
        let body = b"--b\r\nContent-ID: <x>\r\n\r\nattachment\r\n--b\r\nContent-ID: <soap>\r\nContent-Type: application/soap+xml\r\n\r\nenvelope\r\n--b--";
        let message = parse("multipart/related; boundary=b; start=\"<soap>\"", body)?;
        assert_eq!(message.root.bytes, b"envelope");
        assert_eq!(message.attachments[0].bytes, b"attachment");
        assert_eq!(
            parse("multipart/related; boundary=b; start=\"<none>\"", body),
            Err(MimeError::NoRoot)
        );
        Ok(())
    }

    #[test]
    fn malformed_messages_are_refused_with_their_reason() {
        let ok_part = "--b\r\nContent-Type: application/soap+xml\r\n\r\nx\r\n";
        let cases: [(&str, String, MimeError); 7] = [
            (
                "text/plain",
                String::new(),
                MimeError::NotMultipart("text/plain".into()),
            ),
            ("multipart/related", ok_part.into(), MimeError::NoBoundary),
            (
                "multipart/related; boundary=b",
                ok_part.into(),
                MimeError::Truncated,
            ),
            (
                "multipart/related; boundary=b",
                "no delimiter".into(),
                MimeError::Truncated,
            ),
            (
                "multipart/related; boundary=b",
                format!("{}--b--", ok_part.repeat(MAX_PARTS + 1)),
                MimeError::TooManyParts,
            ),
            (
                "multipart/related; boundary=b",
                "--b\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nx\r\n--b--".into(),
                MimeError::UnsupportedEncoding("quoted-printable".into()),
            ),
            (
                "multipart/related; boundary=b",
                "--b\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!\r\n--b--".into(),
                MimeError::BadBase64,
            ),
        ];
        for (content_type, body, expected) in cases {
            assert_eq!(
                parse(content_type, body.as_bytes()),
                Err(expected),
                "{content_type} {body:?}"
            );
        }
    }

    #[test]
    fn a_bare_soap_envelope_is_a_message_without_attachments() -> Result<(), MimeError> {
        let message = parse("application/soap+xml; charset=utf-8", b"<Envelope/>")?;
        assert_eq!(message.root.bytes, b"<Envelope/>");
        assert!(message.attachments.is_empty());
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn never_panics(content_type in ".{0,80}", body in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = parse(&content_type, &body);
            let _ = parse("multipart/related; boundary=b", &body);
        }
    }
}

//! The ebMS 3.0 user message as the Peppol AS4 profile fills it in: who sends to whom (the
//! access points' seat ids), for which process and document type, on behalf of which
//! participants, with which payload parts; and the SOAP 1.2 envelope that carries it.

use einvoice::xml::dom::Node;
use einvoice::xml::{escape, escape_attribute};

use super::error::{EbmsError, ErrorCode};
pub(crate) use crate::xml::{child, children, text};

/// SOAP 1.2.
pub const NS_SOAP: &str = "http://www.w3.org/2003/05/soap-envelope";
/// ebMS 3.0 core.
pub const NS_EBMS: &str = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/";
/// WS-Security utility (`wsu:Id`, which signatures reference).
pub const NS_WSU: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";

/// The `type` of an access point's PartyId (Peppol AS4 profile).
pub const PARTY_ID_TYPE: &str = "urn:fdc:peppol.eu:2017:identifiers:ap";
/// The agreement every Peppol access point signed.
pub const AGREEMENT: &str = "urn:fdc:peppol.eu:2017:agreements:tia:ap_provider";
/// The roles of the two access points.
pub const ROLE_INITIATOR: &str =
    "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/initiator";
/// See [`ROLE_INITIATOR`].
pub const ROLE_RESPONDER: &str =
    "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/responder";
/// The scheme of participant ids in message properties.
pub const PARTICIPANT_SCHEME: &str = crate::participant::SCHEME;
/// The scheme of process ids in `eb:Service/@type`.
pub const PROCESS_SCHEME: &str = "cenbii-procid-ubl";

/// A payload part of the message, as `eb:PartInfo` describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartInfo {
    /// The MIME part's Content-ID (without `cid:`).
    pub content_id: String,
    /// The media type of the payload before compression (`application/xml`).
    pub mime_type: String,
    /// Whether the part is gzip-compressed (always, in Peppol).
    pub compressed: bool,
}

/// An ebMS user message: the header of one business document exchange.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserMessage {
    /// Unique per message; the key for duplicate elimination.
    pub message_id: String,
    /// When the message was made (`xs:dateTime`, UTC).
    pub timestamp: String,
    /// Groups messages of one conversation; Peppol leaves its value to the sender.
    pub conversation_id: String,
    /// The sending access point's seat id (the CN of its certificate).
    pub from: String,
    /// The receiving access point's seat id.
    pub to: String,
    /// The process id (`eb:Service`).
    pub service: String,
    /// The scheme of the process id (`eb:Service/@type`).
    pub service_type: Option<String>,
    /// The document type id with its scheme (`busdox-docid-qns::…`).
    pub action: String,
    /// The participant on whose behalf the document is sent (C1), `0088:…`.
    pub original_sender: String,
    /// The participant the document is for (C4).
    pub final_recipient: String,
    /// The payload parts.
    pub parts: Vec<PartInfo>,
}

/// The `wsu:Id`s a signature references: eb:Messaging and the Body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvelopeIds {
    /// `wsu:Id` of `eb:Messaging`.
    pub messaging: String,
    /// `wsu:Id` of `S12:Body`.
    pub body: String,
}

impl EnvelopeIds {
    /// Fresh ids. They start with a letter, as `xsd:ID` requires (a bare UUID may not).
    pub fn fresh() -> Self {
        EnvelopeIds {
            messaging: format!("id-{}", uuid::Uuid::new_v4()),
            body: format!("id-{}", uuid::Uuid::new_v4()),
        }
    }
}

impl UserMessage {
    /// The SOAP envelope carrying this message, unsigned, with an empty Body (the payloads
    /// travel as MIME parts).
    pub fn envelope(&self, ids: &EnvelopeIds) -> String {
        let mut x = String::with_capacity(2048);
        open_envelope(&mut x, ids);
        x.push_str("<eb:UserMessage><eb:MessageInfo>");
        leaf(&mut x, "eb:Timestamp", &[], &self.timestamp);
        leaf(&mut x, "eb:MessageId", &[], &self.message_id);
        x.push_str("</eb:MessageInfo><eb:PartyInfo>");
        for (element, party, role) in [
            ("eb:From", &self.from, ROLE_INITIATOR),
            ("eb:To", &self.to, ROLE_RESPONDER),
        ] {
            x.push_str(&format!("<{element}>"));
            leaf(&mut x, "eb:PartyId", &[("type", PARTY_ID_TYPE)], party);
            leaf(&mut x, "eb:Role", &[], role);
            x.push_str(&format!("</{element}>"));
        }
        x.push_str("</eb:PartyInfo><eb:CollaborationInfo>");
        leaf(&mut x, "eb:AgreementRef", &[], AGREEMENT);
        let service_type: Vec<(&str, &str)> = self
            .service_type
            .as_deref()
            .map(|t| ("type", t))
            .into_iter()
            .collect();
        leaf(&mut x, "eb:Service", &service_type, &self.service);
        leaf(&mut x, "eb:Action", &[], &self.action);
        leaf(&mut x, "eb:ConversationId", &[], &self.conversation_id);
        x.push_str("</eb:CollaborationInfo><eb:MessageProperties>");
        for (name, value) in [
            ("originalSender", &self.original_sender),
            ("finalRecipient", &self.final_recipient),
        ] {
            leaf(
                &mut x,
                "eb:Property",
                &[("name", name), ("type", PARTICIPANT_SCHEME)],
                value,
            );
        }
        x.push_str("</eb:MessageProperties><eb:PayloadInfo>");
        for part in &self.parts {
            x.push_str("<eb:PartInfo href=\"cid:");
            escape_attribute(&mut x, &part.content_id);
            x.push_str("\"><eb:PartProperties>");
            leaf(
                &mut x,
                "eb:Property",
                &[("name", "MimeType")],
                &part.mime_type,
            );
            if part.compressed {
                leaf(
                    &mut x,
                    "eb:Property",
                    &[("name", "CompressionType")],
                    "application/gzip",
                );
            }
            x.push_str("</eb:PartProperties></eb:PartInfo>");
        }
        x.push_str("</eb:PayloadInfo></eb:UserMessage>");
        close_envelope(&mut x, ids);
        x
    }

    /// Reads the user message of a received envelope. Every refusal carries the ebMS code
    /// the sender gets back.
    pub fn read(envelope: Node<'_, '_>) -> Result<UserMessage, EbmsError> {
        let messaging = messaging(envelope)?;
        let mut users = children(messaging, NS_EBMS, "UserMessage");
        let user = users
            .next()
            .ok_or_else(|| invalid("eb:Messaging holds no eb:UserMessage"))?;
        if users.next().is_some() || child(messaging, NS_EBMS, "SignalMessage").is_some() {
            return Err(EbmsError::new(
                ErrorCode::InvalidHeader,
                "bundled messages are not supported: eb:Messaging must hold exactly one message",
            ));
        }
        let info = required(user, "MessageInfo")?;
        let party_info = required(user, "PartyInfo")?;
        let collaboration = required(user, "CollaborationInfo")?;
        let party = |element: &'static str| -> Result<String, EbmsError> {
            let party = required(party_info, element)?;
            let mut ids = children(party, NS_EBMS, "PartyId");
            let id = ids
                .next()
                .ok_or_else(|| invalid(format!("eb:{element} has no eb:PartyId")))?;
            if ids.next().is_some() {
                return Err(invalid(format!(
                    "eb:{element} has more than one eb:PartyId"
                )));
            }
            if id.attribute("type") != Some(PARTY_ID_TYPE) {
                return Err(EbmsError::new(
                    ErrorCode::Other,
                    format!("eb:{element}/eb:PartyId/@type must be {PARTY_ID_TYPE}"),
                ));
            }
            Ok(text(id))
        };
        let service = required(collaboration, "Service")?;
        let mut properties = (None, None);
        if let Some(list) = child(user, NS_EBMS, "MessageProperties") {
            for property in children(list, NS_EBMS, "Property") {
                let slot = match property.attribute("name") {
                    Some("originalSender") => &mut properties.0,
                    Some("finalRecipient") => &mut properties.1,
                    _ => continue,
                };
                if slot.replace(text(property)).is_some() {
                    return Err(invalid("a message property is given twice"));
                }
            }
        }
        let (Some(original_sender), Some(final_recipient)) = properties else {
            return Err(EbmsError::new(
                ErrorCode::Other,
                "the originalSender and finalRecipient message properties are required",
            ));
        };
        let mut parts = Vec::new();
        if let Some(payload) = child(user, NS_EBMS, "PayloadInfo") {
            for part in children(payload, NS_EBMS, "PartInfo") {
                parts.push(part_info(part)?);
            }
        }
        Ok(UserMessage {
            message_id: required_text(info, "MessageId")?,
            timestamp: required_text(info, "Timestamp")?,
            conversation_id: child(collaboration, NS_EBMS, "ConversationId")
                .map(text)
                .unwrap_or_default(),
            from: party("From")?,
            to: party("To")?,
            service: text(service),
            service_type: service.attribute("type").map(str::to_string),
            action: required_text(collaboration, "Action")?,
            original_sender,
            final_recipient,
            parts,
        })
    }
}

fn part_info(part: Node<'_, '_>) -> Result<PartInfo, EbmsError> {
    let href = part.attribute("href").unwrap_or_default();
    let content_id = href.strip_prefix("cid:").ok_or_else(|| {
        EbmsError::new(
            ErrorCode::ValueInconsistent,
            format!("eb:PartInfo/@href {href:?} does not name a MIME part (cid:…)"),
        )
    })?;
    let mut mime_type = None;
    let mut compressed = false;
    if let Some(props) = child(part, NS_EBMS, "PartProperties") {
        for property in children(props, NS_EBMS, "Property") {
            match property.attribute("name") {
                Some("MimeType") => mime_type = Some(text(property)),
                Some("CompressionType") => {
                    let kind = text(property);
                    if kind != "application/gzip" {
                        return Err(EbmsError::new(
                            ErrorCode::DecompressionFailure,
                            format!("compression {kind:?} is not supported; Peppol uses gzip"),
                        ));
                    }
                    compressed = true;
                }
                _ => {}
            }
        }
    }
    Ok(PartInfo {
        content_id: content_id.to_string(),
        mime_type: mime_type.unwrap_or_else(|| "application/xml".into()),
        compressed,
    })
}

/// Opens a SOAP envelope and its `eb:Messaging` header (closed by [`close_envelope`]).
pub(crate) fn open_envelope(x: &mut String, ids: &EnvelopeIds) {
    x.push_str("<S12:Envelope xmlns:S12=\"");
    x.push_str(NS_SOAP);
    x.push_str("\" xmlns:eb=\"");
    x.push_str(NS_EBMS);
    x.push_str("\" xmlns:wsu=\"");
    x.push_str(NS_WSU);
    x.push_str("\"><S12:Header><eb:Messaging S12:mustUnderstand=\"true\" wsu:Id=\"");
    escape_attribute(x, &ids.messaging);
    x.push_str("\">");
}

/// Closes what [`open_envelope`] opened, with an empty Body.
pub(crate) fn close_envelope(x: &mut String, ids: &EnvelopeIds) {
    x.push_str("</eb:Messaging></S12:Header><S12:Body wsu:Id=\"");
    escape_attribute(x, &ids.body);
    x.push_str("\"/></S12:Envelope>");
}

/// An element with attributes and text content.
pub(crate) fn leaf(x: &mut String, name: &str, attributes: &[(&str, &str)], value: &str) {
    x.push('<');
    x.push_str(name);
    for (key, val) in attributes {
        x.push(' ');
        x.push_str(key);
        x.push_str("=\"");
        escape_attribute(x, val);
        x.push('"');
    }
    x.push('>');
    escape(x, value);
    x.push_str("</");
    x.push_str(name);
    x.push('>');
}

/// The `eb:Messaging` header of an envelope.
pub(crate) fn messaging<'a, 'i>(envelope: Node<'a, 'i>) -> Result<Node<'a, 'i>, EbmsError> {
    if !envelope.has_tag_name((NS_SOAP, "Envelope")) {
        return Err(invalid("the root part is not a SOAP 1.2 envelope"));
    }
    let header = child(envelope, NS_SOAP, "Header").ok_or_else(|| invalid("no SOAP header"))?;
    let mut found = children(header, NS_EBMS, "Messaging");
    let messaging = found
        .next()
        .ok_or_else(|| invalid("the SOAP header has no eb:Messaging"))?;
    if found.next().is_some() {
        return Err(invalid("the SOAP header has more than one eb:Messaging"));
    }
    Ok(messaging)
}

/// The ebMS child `local`, which must be there.
pub(crate) fn required<'a, 'i>(
    node: Node<'a, 'i>,
    local: &'static str,
) -> Result<Node<'a, 'i>, EbmsError> {
    child(node, NS_EBMS, local)
        .ok_or_else(|| invalid(format!("eb:{} has no eb:{local}", node.tag_name().name())))
}

/// The trimmed text of the ebMS child `local`, which must be there and not be empty.
pub(crate) fn required_text(node: Node<'_, '_>, local: &'static str) -> Result<String, EbmsError> {
    let value = text(required(node, local)?);
    if value.is_empty() {
        return Err(invalid(format!("eb:{local} is empty")));
    }
    Ok(value)
}

fn invalid(detail: impl Into<String>) -> EbmsError {
    EbmsError::new(ErrorCode::InvalidHeader, detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use einvoice::xml::{Limits, parse};

    pub(crate) fn sample() -> UserMessage {
        UserMessage {
            message_id: "m-1@postbode".into(),
            timestamp: "2026-11-27T10:00:00Z".into(),
            conversation_id: "c-1".into(),
            from: "PTE000001".into(),
            to: "PTE000002".into(),
            service: "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0".into(),
            service_type: Some(PROCESS_SCHEME.into()),
            action: "busdox-docid-qns::urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1".into(),
            original_sender: "0106:12345678".into(),
            final_recipient: "0088:5790000000012".into(),
            parts: vec![PartInfo {
                content_id: "payload-1@postbode".into(),
                mime_type: "application/xml".into(),
                compressed: true,
            }],
        }
    }

    #[test]
    fn reads_what_it_writes() -> Result<(), Box<dyn std::error::Error>> {
        let message = sample();
        let xml = message.envelope(&EnvelopeIds::fresh());
        let doc = parse(xml.as_bytes(), Limits::default())?;
        assert_eq!(UserMessage::read(doc.root_element())?, message);
        Ok(())
    }

    #[test]
    fn refusals_name_the_fault_and_its_code() -> Result<(), Box<dyn std::error::Error>> {
        let good = sample().envelope(&EnvelopeIds {
            messaging: "m".into(),
            body: "b".into(),
        });
        let cases = [
            (
                "<eb:MessageId>m-1@postbode</eb:MessageId>",
                "",
                ErrorCode::InvalidHeader,
            ),
            (PARTY_ID_TYPE, "urn:other", ErrorCode::Other),
            ("name=\"finalRecipient\"", "name=\"x\"", ErrorCode::Other),
            (
                "href=\"cid:",
                "href=\"http://",
                ErrorCode::ValueInconsistent,
            ),
            (
                "application/gzip",
                "application/zstd",
                ErrorCode::DecompressionFailure,
            ),
            (
                "</eb:UserMessage>",
                "</eb:UserMessage><eb:UserMessage/>",
                ErrorCode::InvalidHeader,
            ),
        ];
        for (from, to, code) in cases {
            let bad = good.replacen(from, to, 1);
            assert_ne!(bad, good, "{from}");
            let doc = parse(bad.as_bytes(), Limits::default())?;
            let error = UserMessage::read(doc.root_element()).expect_err(from);
            assert_eq!(error.code, code, "{from}: {error}");
        }
        Ok(())
    }
}

//! ebMS signal messages: the receipt that proves delivery (with non-repudiation information:
//! copies of the signed references of the message it acknowledges) and the error signal that
//! refuses a message.

use einvoice::xml::dom::Node;

use super::ebms::{
    EnvelopeIds, NS_EBMS, child, children, close_envelope, leaf, messaging, open_envelope,
    required, required_text, text,
};
use super::error::{EbmsError, ErrorCode};

/// ebBP signals 2.0: the non-repudiation information inside a receipt.
pub const NS_EBBP: &str = "http://docs.oasis-open.org/ebxml-bp/ebbp-signals-2.0";
/// XML Signature (the `ds:Reference`s a receipt copies).
pub const NS_DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";

/// What a signal is about: its own id and time, and the message it answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignalInfo {
    /// The signal's own message id.
    pub message_id: String,
    /// When it was made (`xs:dateTime`, UTC).
    pub timestamp: String,
    /// The user message it answers; empty for an error about an unreadable message.
    pub ref_to_message_id: String,
}

/// A receipt envelope (unsigned) for the message `info` refers to. `references` are the
/// `ds:Reference` elements of that message's signature, each as standalone XML; the receipt
/// repeats them so that the sender holds proof of exactly what was received.
pub fn receipt(info: &SignalInfo, references: &[String], ids: &EnvelopeIds) -> String {
    let mut x = String::with_capacity(1024 + references.iter().map(String::len).sum::<usize>());
    open_signal(&mut x, info, ids);
    x.push_str("<eb:Receipt><ebbp:NonRepudiationInformation xmlns:ebbp=\"");
    x.push_str(NS_EBBP);
    x.push_str("\">");
    for reference in references {
        x.push_str("<ebbp:MessagePartNRInformation>");
        x.push_str(reference);
        x.push_str("</ebbp:MessagePartNRInformation>");
    }
    x.push_str("</ebbp:NonRepudiationInformation></eb:Receipt>");
    close_signal(&mut x, ids);
    x
}

/// An error signal envelope (unsigned) refusing the message `info` refers to.
pub fn error(info: &SignalInfo, error: &EbmsError, ids: &EnvelopeIds) -> String {
    let mut x = String::with_capacity(1024);
    open_signal(&mut x, info, ids);
    let mut attributes = vec![
        ("category", error.code.category()),
        ("errorCode", error.code.code()),
        ("severity", "failure"),
        ("shortDescription", error.code.short_description()),
    ];
    if !info.ref_to_message_id.is_empty() {
        attributes.push(("refToMessageInError", &info.ref_to_message_id));
    }
    x.push_str("<eb:Error");
    for (key, value) in attributes {
        x.push(' ');
        x.push_str(key);
        x.push_str("=\"");
        einvoice::xml::escape_attribute(&mut x, value);
        x.push('"');
    }
    x.push('>');
    leaf(
        &mut x,
        "eb:Description",
        &[("xml:lang", "en")],
        error.code.short_description(),
    );
    leaf(&mut x, "eb:ErrorDetail", &[], &error.detail);
    x.push_str("</eb:Error>");
    close_signal(&mut x, ids);
    x
}

fn open_signal(x: &mut String, info: &SignalInfo, ids: &EnvelopeIds) {
    open_envelope(x, ids);
    x.push_str("<eb:SignalMessage><eb:MessageInfo>");
    leaf(x, "eb:Timestamp", &[], &info.timestamp);
    leaf(x, "eb:MessageId", &[], &info.message_id);
    if !info.ref_to_message_id.is_empty() {
        leaf(x, "eb:RefToMessageId", &[], &info.ref_to_message_id);
    }
    x.push_str("</eb:MessageInfo>");
}

fn close_signal(x: &mut String, ids: &EnvelopeIds) {
    x.push_str("</eb:SignalMessage>");
    close_envelope(x, ids);
}

/// A signal as the sender reads it back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signal {
    /// Delivery acknowledged.
    Receipt {
        /// The message acknowledged.
        ref_to_message_id: String,
        /// The acknowledged references as (URI, digest value) pairs.
        references: Vec<(String, String)>,
    },
    /// The message was refused.
    Error {
        /// The message refused, when the receiver could read its id.
        ref_to_message_id: String,
        /// The error code as sent (`EBMS:0101`).
        code: String,
        /// The receiver's explanation.
        detail: String,
    },
}

impl Signal {
    /// Reads the signal of a received envelope.
    pub fn read(envelope: Node<'_, '_>) -> Result<Signal, EbmsError> {
        let messaging = messaging(envelope)?;
        let signal = required(messaging, "SignalMessage")?;
        let info = required(signal, "MessageInfo")?;
        let ref_to_message_id = child(info, NS_EBMS, "RefToMessageId")
            .map(text)
            .unwrap_or_default();
        if let Some(error) = child(signal, NS_EBMS, "Error") {
            let detail = child(error, NS_EBMS, "ErrorDetail")
                .or_else(|| child(error, NS_EBMS, "Description"))
                .map(text)
                .unwrap_or_default();
            return Ok(Signal::Error {
                ref_to_message_id,
                code: error.attribute("errorCode").unwrap_or_default().to_string(),
                detail,
            });
        }
        let receipt = required(signal, "Receipt")?;
        if ref_to_message_id.is_empty() {
            return Err(EbmsError::new(
                ErrorCode::InvalidHeader,
                "a receipt without eb:RefToMessageId acknowledges nothing",
            ));
        }
        let mut references = Vec::new();
        for nri in children(receipt, NS_EBBP, "NonRepudiationInformation") {
            for part in children(nri, NS_EBBP, "MessagePartNRInformation") {
                for reference in children(part, NS_DSIG, "Reference") {
                    let digest = child(reference, NS_DSIG, "DigestValue")
                        .map(text)
                        .unwrap_or_default();
                    let uri = reference.attribute("URI").unwrap_or_default().to_string();
                    references.push((uri, digest));
                }
            }
        }
        Ok(Signal::Receipt {
            ref_to_message_id,
            references,
        })
    }
}

/// Reads the signal info (id, time, reference) of a signal envelope.
pub fn read_info(envelope: Node<'_, '_>) -> Result<SignalInfo, EbmsError> {
    let signal = required(messaging(envelope)?, "SignalMessage")?;
    let info = required(signal, "MessageInfo")?;
    Ok(SignalInfo {
        message_id: required_text(info, "MessageId")?,
        timestamp: required_text(info, "Timestamp")?,
        ref_to_message_id: child(info, NS_EBMS, "RefToMessageId")
            .map(text)
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use einvoice::xml::{Limits, parse};

    fn info() -> SignalInfo {
        SignalInfo {
            message_id: "r-1@postbode".into(),
            timestamp: "2026-11-27T10:00:01Z".into(),
            ref_to_message_id: "m-1@sender".into(),
        }
    }

    #[test]
    fn a_receipt_repeats_the_references_it_acknowledges() -> Result<(), Box<dyn std::error::Error>>
    {
        let reference = format!(
            "<ds:Reference xmlns:ds=\"{NS_DSIG}\" URI=\"#id-1\"><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>q1w2</ds:DigestValue></ds:Reference>"
        );
        let xml = receipt(&info(), &[reference], &EnvelopeIds::fresh());
        let doc = parse(xml.as_bytes(), Limits::default())?;
        assert_eq!(read_info(doc.root_element())?, info());
        assert_eq!(
            Signal::read(doc.root_element())?,
            Signal::Receipt {
                ref_to_message_id: "m-1@sender".into(),
                references: vec![("#id-1".into(), "q1w2".into())],
            }
        );
        Ok(())
    }

    #[test]
    fn an_error_signal_carries_code_and_detail() -> Result<(), Box<dyn std::error::Error>> {
        let refusal = EbmsError::new(ErrorCode::Other, super::super::error::NOT_SERVICED);
        let xml = error(&info(), &refusal, &EnvelopeIds::fresh());
        let doc = parse(xml.as_bytes(), Limits::default())?;
        assert_eq!(
            Signal::read(doc.root_element())?,
            Signal::Error {
                ref_to_message_id: "m-1@sender".into(),
                code: "EBMS:0004".into(),
                detail: "PEPPOL:NOT_SERVICED".into(),
            }
        );
        Ok(())
    }
}

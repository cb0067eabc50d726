//! The SMP 1.x documents as values, written to and read from their busdox XML.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use einvoice::xml::{Limits, Node};

use super::path::{href_document_type, service_metadata_url};
use super::{MAX_BYTES, NS_ID, NS_SMP, NS_WSA, SmpError};
use crate::document_type::DocumentTypeId;
use crate::participant::{ParticipantId, SCHEME};
use crate::process::ProcessId;
use crate::xml;

/// The namespace declarations every document we write carries on its root.
const NAMESPACES: &str = concat!(
    " xmlns:smp=\"http://busdox.org/serviceMetadata/publishing/1.0/\"",
    " xmlns:id=\"http://busdox.org/transport/identifiers/1.0/\"",
    " xmlns:wsa=\"http://www.w3.org/2005/08/addressing\""
);

/// A participant's service group: who it is and one reference per document type it takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceGroup {
    /// The participant.
    pub participant: ParticipantId,
    /// The `href`s of the `ServiceMetadataReference`s, as published (percent-encoded).
    pub references: Vec<String>,
}

impl ServiceGroup {
    /// The service group an SMP at `base` (e.g. `https://smp.example`) publishes for a
    /// participant taking `document_types`.
    pub fn new(base: &str, participant: ParticipantId, document_types: &[DocumentTypeId]) -> Self {
        let references = document_types
            .iter()
            .map(|d| service_metadata_url(base, &participant, d))
            .collect();
        ServiceGroup {
            participant,
            references,
        }
    }

    /// The document types the references name (those that decode to one).
    pub fn document_types(&self) -> Vec<DocumentTypeId> {
        self.references
            .iter()
            .filter_map(|href| href_document_type(href))
            .collect()
    }

    /// The reference whose path names `document_type`, decoded and compared as an
    /// identifier, so any percent-encoding the SMP chose matches.
    pub fn href_for(&self, document_type: &DocumentTypeId) -> Option<&str> {
        self.references
            .iter()
            .find(|href| href_document_type(href).as_ref() == Some(document_type))
            .map(String::as_str)
    }
}

/// The metadata of one document type: a participant's processes and their endpoints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceMetadata {
    /// The participant.
    pub participant: ParticipantId,
    /// The document type this metadata is for.
    pub document_type: DocumentTypeId,
    /// The processes the document type is taken in, each with its endpoints.
    pub processes: Vec<Process>,
}

/// One process and the endpoints that take the document type in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Process {
    /// The process.
    pub id: ProcessId,
    /// The endpoints, one per transport profile as a rule.
    pub endpoints: Vec<Endpoint>,
}

/// An access point that receives the document type in a process.
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The transport profile, e.g. [`super::TRANSPORT_AS4`].
    pub transport_profile: String,
    /// Where to send, `EndpointReference/Address`.
    pub address: String,
    /// Whether the receiver wants the business document itself signed.
    pub require_business_level_signature: bool,
    /// `MinimumAuthenticationLevel`, which Peppol leaves unused.
    pub minimum_authentication_level: Option<String>,
    /// From when the endpoint takes messages.
    pub activation: Option<DateTime<Utc>>,
    /// Until when the endpoint takes messages.
    pub expiration: Option<DateTime<Utc>>,
    /// The access point's certificate, DER.
    pub certificate: Vec<u8>,
    /// A description of the service, for people.
    pub service_description: String,
    /// How to reach the access point's operator (a URL or e-mail address).
    pub technical_contact_url: String,
    /// Where the operator documents the service.
    pub technical_information_url: Option<String>,
}

/// Certificates are long; a debug print shows their size, not their bytes.
impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("transport_profile", &self.transport_profile)
            .field("address", &self.address)
            .field(
                "require_business_level_signature",
                &self.require_business_level_signature,
            )
            .field(
                "minimum_authentication_level",
                &self.minimum_authentication_level,
            )
            .field("activation", &self.activation)
            .field("expiration", &self.expiration)
            .field(
                "certificate",
                &format_args!("<{} bytes DER>", self.certificate.len()),
            )
            .field("service_description", &self.service_description)
            .field("technical_contact_url", &self.technical_contact_url)
            .field("technical_information_url", &self.technical_information_url)
            .finish()
    }
}

/// A pointer to another SMP that holds the metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// Where the metadata is.
    pub href: String,
    /// The subject unique identifier of the certificate that must sign the metadata there.
    pub certificate_uid: String,
}

/// What a `SignedServiceMetadata` holds: the metadata, or a redirect to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Metadata {
    /// The metadata itself.
    Service(ServiceMetadata),
    /// A redirect to another SMP.
    Redirect(Redirect),
}

/// The `ServiceGroup` XML of `group`.
pub fn service_group_xml(group: &ServiceGroup) -> String {
    let mut out = String::with_capacity(512 + 256 * group.references.len());
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<smp:ServiceGroup");
    out.push_str(NAMESPACES);
    out.push_str(">\n");
    identifier(
        &mut out,
        "ParticipantIdentifier",
        SCHEME,
        &group.participant.to_string(),
    );
    out.push_str("<smp:ServiceMetadataReferenceCollection>\n");
    for href in &group.references {
        out.push_str("<smp:ServiceMetadataReference href=\"");
        xml::escape(&mut out, href);
        out.push_str("\"/>\n");
    }
    out.push_str("</smp:ServiceMetadataReferenceCollection>\n</smp:ServiceGroup>\n");
    out
}

/// The `SignedServiceMetadata` XML of `metadata`, without its signature.
///
/// This is the seam for signing: the enveloped XMLDSig `Signature` goes in as the last child
/// of the root `SignedServiceMetadata`, after `ServiceMetadata`, where the schema wants it.
/// The text ends with the root's end tag followed by one line end.
pub fn signed_service_metadata_unsigned(metadata: &Metadata) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<smp:SignedServiceMetadata");
    out.push_str(NAMESPACES);
    out.push_str(">\n<smp:ServiceMetadata>\n");
    match metadata {
        Metadata::Service(service) => service_information(&mut out, service),
        Metadata::Redirect(redirect) => {
            out.push_str("<smp:Redirect href=\"");
            xml::escape(&mut out, &redirect.href);
            out.push_str("\">\n");
            element(&mut out, "smp:CertificateUID", &redirect.certificate_uid);
            out.push_str("</smp:Redirect>\n");
        }
    }
    out.push_str("</smp:ServiceMetadata>\n</smp:SignedServiceMetadata>\n");
    out
}

/// `ServiceInformation`, in the element order of the busdox schema.
fn service_information(out: &mut String, service: &ServiceMetadata) {
    out.push_str("<smp:ServiceInformation>\n");
    identifier(
        out,
        "ParticipantIdentifier",
        SCHEME,
        &service.participant.to_string(),
    );
    identifier(
        out,
        "DocumentIdentifier",
        service.document_type.scheme().as_str(),
        service.document_type.value(),
    );
    out.push_str("<smp:ProcessList>\n");
    for process in &service.processes {
        out.push_str("<smp:Process>\n");
        identifier(
            out,
            "ProcessIdentifier",
            process.id.scheme().as_str(),
            process.id.value(),
        );
        out.push_str("<smp:ServiceEndpointList>\n");
        for endpoint in &process.endpoints {
            endpoint_xml(out, endpoint);
        }
        out.push_str("</smp:ServiceEndpointList>\n</smp:Process>\n");
    }
    out.push_str("</smp:ProcessList>\n</smp:ServiceInformation>\n");
}

fn endpoint_xml(out: &mut String, endpoint: &Endpoint) {
    out.push_str("<smp:Endpoint transportProfile=\"");
    xml::escape(out, &endpoint.transport_profile);
    out.push_str("\">\n<wsa:EndpointReference>\n");
    element(out, "wsa:Address", &endpoint.address);
    out.push_str("</wsa:EndpointReference>\n");
    let signature = if endpoint.require_business_level_signature {
        "true"
    } else {
        "false"
    };
    element(out, "smp:RequireBusinessLevelSignature", signature);
    if let Some(level) = &endpoint.minimum_authentication_level {
        element(out, "smp:MinimumAuthenticationLevel", level);
    }
    if let Some(at) = endpoint.activation {
        element(
            out,
            "smp:ServiceActivationDate",
            &at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        );
    }
    if let Some(at) = endpoint.expiration {
        element(
            out,
            "smp:ServiceExpirationDate",
            &at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        );
    }
    element(
        out,
        "smp:Certificate",
        &BASE64.encode(&endpoint.certificate),
    );
    element(out, "smp:ServiceDescription", &endpoint.service_description);
    element(
        out,
        "smp:TechnicalContactUrl",
        &endpoint.technical_contact_url,
    );
    if let Some(url) = &endpoint.technical_information_url {
        element(out, "smp:TechnicalInformationUrl", url);
    }
    out.push_str("</smp:Endpoint>\n");
}

/// `<id:name scheme="scheme">value</id:name>`.
fn identifier(out: &mut String, name: &str, scheme: &str, value: &str) {
    out.push_str("<id:");
    out.push_str(name);
    out.push_str(" scheme=\"");
    xml::escape(out, scheme);
    out.push_str("\">");
    xml::escape(out, value);
    out.push_str("</id:");
    out.push_str(name);
    out.push_str(">\n");
}

/// `<name>value</name>` for a qualified `name`.
fn element(out: &mut String, name: &str, value: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    xml::escape(out, value);
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// Reads a `ServiceGroup` from untrusted bytes.
pub fn parse_service_group(bytes: &[u8]) -> Result<ServiceGroup, SmpError> {
    let (doc, _) = xml::parse(bytes, limits())?;
    let root = doc.root_element();
    expect_root(root, "ServiceGroup")?;
    let participant = participant(root, "ServiceGroup")?;
    let collection = required(
        root,
        NS_SMP,
        "ServiceMetadataReferenceCollection",
        "ServiceGroup",
    )?;
    let references = xml::children(collection, NS_SMP, "ServiceMetadataReference")
        .map(|r| {
            r.attribute("href")
                .map(str::to_string)
                .ok_or(SmpError::Missing {
                    what: "href",
                    parent: "ServiceMetadataReference",
                })
        })
        .collect::<Result<_, _>>()?;
    Ok(ServiceGroup {
        participant,
        references,
    })
}

/// Reads a `SignedServiceMetadata` from untrusted bytes, without checking its signature.
pub fn parse_signed_service_metadata(bytes: &[u8]) -> Result<Metadata, SmpError> {
    let (doc, _) = xml::parse(bytes, limits())?;
    let root = doc.root_element();
    expect_root(root, "SignedServiceMetadata")?;
    let metadata = required(root, NS_SMP, "ServiceMetadata", "SignedServiceMetadata")?;
    if let Some(redirect) = xml::child(metadata, NS_SMP, "Redirect") {
        let href = redirect.attribute("href").ok_or(SmpError::Missing {
            what: "href",
            parent: "Redirect",
        })?;
        let certificate_uid =
            required(redirect, NS_SMP, "CertificateUID", "Redirect").map(xml::text)?;
        return Ok(Metadata::Redirect(Redirect {
            href: href.to_string(),
            certificate_uid,
        }));
    }
    let information = required(metadata, NS_SMP, "ServiceInformation", "ServiceMetadata")?;
    let participant = participant(information, "ServiceInformation")?;
    let document_type = {
        let (scheme, value) =
            scheme_and_value(information, "DocumentIdentifier", "ServiceInformation")?;
        DocumentTypeId::parse(&format!("{scheme}::{value}")).map_err(|e| SmpError::Invalid {
            what: "DocumentIdentifier",
            reason: e.to_string(),
        })?
    };
    let list = required(information, NS_SMP, "ProcessList", "ServiceInformation")?;
    let processes = xml::children(list, NS_SMP, "Process")
        .map(process)
        .collect::<Result<_, _>>()?;
    Ok(Metadata::Service(ServiceMetadata {
        participant,
        document_type,
        processes,
    }))
}

fn process(node: Node<'_, '_>) -> Result<Process, SmpError> {
    let (scheme, value) = scheme_and_value(node, "ProcessIdentifier", "Process")?;
    let id = ProcessId::parse(&format!("{scheme}::{value}")).map_err(|e| SmpError::Invalid {
        what: "ProcessIdentifier",
        reason: e.to_string(),
    })?;
    let list = required(node, NS_SMP, "ServiceEndpointList", "Process")?;
    let endpoints = xml::children(list, NS_SMP, "Endpoint")
        .map(endpoint)
        .collect::<Result<_, _>>()?;
    Ok(Process { id, endpoints })
}

fn endpoint(node: Node<'_, '_>) -> Result<Endpoint, SmpError> {
    const E: &str = "Endpoint";
    let transport_profile = node
        .attribute("transportProfile")
        .ok_or(SmpError::Missing {
            what: "transportProfile",
            parent: E,
        })?;
    let reference = required(node, NS_WSA, "EndpointReference", E)?;
    let address = required(reference, NS_WSA, "Address", "EndpointReference").map(xml::text)?;
    let signature = required(node, NS_SMP, "RequireBusinessLevelSignature", E).map(xml::text)?;
    let require_business_level_signature = match signature.as_str() {
        "true" | "1" => true,
        "false" | "0" => false,
        other => {
            return Err(SmpError::Invalid {
                what: "RequireBusinessLevelSignature",
                reason: format!("{other:?} is not a boolean"),
            });
        }
    };
    let optional = |name: &'static str| xml::child(node, NS_SMP, name).map(xml::text);
    let date = |name: &'static str| {
        optional(name)
            .map(|text| date_time(&text).map_err(|reason| SmpError::Invalid { what: name, reason }))
            .transpose()
    };
    let certificate = required(node, NS_SMP, "Certificate", E).map(xml::text)?;
    // Certificates are often wrapped over several lines.
    let compact: String = certificate
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let certificate = BASE64.decode(compact).map_err(|e| SmpError::Invalid {
        what: "Certificate",
        reason: format!("not base64: {e}"),
    })?;
    Ok(Endpoint {
        transport_profile: transport_profile.to_string(),
        address,
        require_business_level_signature,
        minimum_authentication_level: optional("MinimumAuthenticationLevel"),
        activation: date("ServiceActivationDate")?,
        expiration: date("ServiceExpirationDate")?,
        certificate,
        service_description: required(node, NS_SMP, "ServiceDescription", E).map(xml::text)?,
        technical_contact_url: required(node, NS_SMP, "TechnicalContactUrl", E).map(xml::text)?,
        technical_information_url: optional("TechnicalInformationUrl"),
    })
}

/// An `xs:dateTime`. One without a time zone is taken as UTC, the zone Peppol works in, and
/// a bare date (which some SMPs publish) as midnight UTC.
fn date_time(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    if let Ok(at) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Ok(at.and_utc());
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    Err(format!("{text:?} is not a date-time"))
}

/// The participant identifier under `parent`, which must be under `iso6523-actorid-upis`.
fn participant(parent: Node<'_, '_>, parent_name: &'static str) -> Result<ParticipantId, SmpError> {
    let (scheme, value) = scheme_and_value(parent, "ParticipantIdentifier", parent_name)?;
    if !scheme.eq_ignore_ascii_case(SCHEME) {
        return Err(SmpError::Invalid {
            what: "ParticipantIdentifier",
            reason: format!("the scheme is {scheme:?}, expected {SCHEME:?}"),
        });
    }
    ParticipantId::parse(&value).map_err(|e| SmpError::Invalid {
        what: "ParticipantIdentifier",
        reason: e.to_string(),
    })
}

/// The `scheme` attribute and text of an identifier element.
fn scheme_and_value(
    parent: Node<'_, '_>,
    name: &'static str,
    parent_name: &'static str,
) -> Result<(String, String), SmpError> {
    let node = required(parent, NS_ID, name, parent_name)?;
    let scheme = node.attribute("scheme").ok_or(SmpError::Missing {
        what: "scheme",
        parent: name,
    })?;
    Ok((scheme.trim().to_string(), xml::text(node)))
}

fn required<'a, 'input>(
    parent: Node<'a, 'input>,
    namespace: &'static str,
    name: &'static str,
    parent_name: &'static str,
) -> Result<Node<'a, 'input>, SmpError> {
    xml::child(parent, namespace, name).ok_or(SmpError::Missing {
        what: name,
        parent: parent_name,
    })
}

fn expect_root(root: Node<'_, '_>, expected: &'static str) -> Result<(), SmpError> {
    if root.has_tag_name((NS_SMP, expected)) {
        return Ok(());
    }
    let name = root.tag_name();
    Err(SmpError::UnexpectedRoot {
        expected,
        found: format!(
            "{{{}}}{}",
            name.namespace().unwrap_or_default(),
            name.name()
        ),
    })
}

fn limits() -> Limits {
    Limits {
        max_bytes: MAX_BYTES,
        ..Limits::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_with_and_without_a_zone() -> Result<(), String> {
        let noon = "2026-11-27T12:00:00Z"
            .parse::<DateTime<Utc>>()
            .map_err(|e| e.to_string())?;
        assert_eq!(date_time("2026-11-27T13:00:00+01:00")?, noon);
        assert_eq!(date_time("2026-11-27T12:00:00")?, noon);
        assert_eq!(date_time("2026-11-27T12:00:00.000")?, noon);
        assert_eq!(date_time("2026-11-27")?, noon - chrono::Duration::hours(12));
        assert!(date_time("27-11-2026").is_err());
        Ok(())
    }
}

//! SMP documents and paths both ways, and the choice of endpoint.

use base64::Engine;
use chrono::{DateTime, Utc};
use peppol::smp::path::{self, SmpRequest};
use peppol::smp::{
    self, Endpoint, Metadata, Process, Redirect, ServiceGroup, ServiceMetadata, SmpError,
    TRANSPORT_AS4,
};
use peppol::{DocumentTypeId, ParticipantId, ProcessId, document_type, process};
use proptest::prelude::*;

pub(crate) fn id(text: &str) -> ParticipantId {
    ParticipantId::parse(text).expect("a valid participant id")
}

pub(crate) fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("a valid date-time")
}

/// Not a real certificate: the SMP layer carries it as opaque DER.
pub(crate) fn certificate() -> Vec<u8> {
    (0..=255u8).cycle().take(700).collect()
}

pub(crate) fn endpoint(address: &str) -> Endpoint {
    Endpoint {
        transport_profile: TRANSPORT_AS4.into(),
        address: address.into(),
        require_business_level_signature: false,
        minimum_authentication_level: None,
        activation: Some(at("2026-01-01T00:00:00Z")),
        expiration: Some(at("2027-01-01T00:00:00Z")),
        certificate: certificate(),
        service_description: "Postbode test AP <&>".into(),
        technical_contact_url: "mailto:peppol@postbode.example".into(),
        technical_information_url: Some("https://postbode.example/peppol".into()),
    }
}

pub(crate) fn metadata(
    participant: &ParticipantId,
    document_type: DocumentTypeId,
) -> ServiceMetadata {
    ServiceMetadata {
        participant: participant.clone(),
        document_type,
        processes: vec![Process {
            id: process::BIS_BILLING,
            endpoints: vec![endpoint("https://ap.postbode.example/as4")],
        }],
    }
}

#[test]
fn a_service_group_round_trips_with_encoded_hrefs() -> Result<(), SmpError> {
    let participant = id("0088:5790000000012");
    let types = [
        document_type::BIS_BILLING_INVOICE,
        document_type::BIS_BILLING_CREDIT_NOTE,
    ];
    let group = ServiceGroup::new("https://smp.example/", participant.clone(), &types);
    let xml = smp::service_group_xml(&group);
    assert_eq!(smp::parse_service_group(xml.as_bytes())?, group);

    let href = group.href_for(&types[0]).expect("the invoice is listed");
    assert!(
        href.starts_with("https://smp.example/iso6523-actorid-upis%3A%3A0088%3A5790000000012/services/busdox-docid-qns%3A%3Aurn%3Aoasis"),
        "{href}"
    );
    assert!(
        href.contains("%23%23urn%3Acen.eu%3Aen16931%3A2017%23compliant%23"),
        "{href}"
    );
    assert!(!href.contains('#'));
    assert_ne!(group.href_for(&types[1]), Some(href));
    assert_eq!(group.href_for(&document_type::INVOICE_RESPONSE), None);

    // What the hrefs point at is what the path parser reads.
    let path = href
        .strip_prefix("https://smp.example")
        .expect("under the base");
    assert_eq!(
        smp::parse_path(path)?,
        SmpRequest {
            participant,
            document_type: Some(types[0].clone())
        }
    );
    Ok(())
}

#[test]
fn service_metadata_and_redirects_round_trip() -> Result<(), SmpError> {
    let participant = id("0106:12345678");
    let mut service = metadata(&participant, document_type::BIS_BILLING_INVOICE);
    service.processes.push(Process {
        id: ProcessId::parse("cenbii-procid-ubl::urn:fdc:peppol.eu:poacc:bis:ordering:3")
            .expect("a process"),
        endpoints: vec![
            Endpoint {
                require_business_level_signature: true,
                minimum_authentication_level: Some("1".into()),
                activation: None,
                expiration: None,
                technical_information_url: None,
                ..endpoint("https://other.example/as4")
            },
            Endpoint {
                transport_profile: "peppol-transport-as2-v2_0".into(),
                ..endpoint("https://other.example/as2")
            },
        ],
    });
    let service = Metadata::Service(service);
    let xml = smp::signed_service_metadata_unsigned(&service);
    assert!(xml.ends_with("</smp:ServiceMetadata>\n</smp:SignedServiceMetadata>\n"));
    assert_eq!(smp::parse_signed_service_metadata(xml.as_bytes())?, service);

    let redirect = Metadata::Redirect(Redirect {
        href: "https://smp2.example/iso6523-actorid-upis%3A%3A0106%3A12345678/services/x".into(),
        certificate_uid: "C=NL, O=Other SMP, CN=PSG000042".into(),
    });
    let xml = smp::signed_service_metadata_unsigned(&redirect);
    assert_eq!(
        smp::parse_signed_service_metadata(xml.as_bytes())?,
        redirect
    );
    Ok(())
}

#[test]
fn metadata_as_other_smps_write_it_is_read() -> Result<(), SmpError> {
    // Default namespaces, a wrapped certificate, a date without a zone, a signature after the
    // metadata and extensions: all as phoss-SMP-style publishers produce them.
    let cert = base64::engine::general_purpose::STANDARD.encode(certificate());
    let (first, second) = cert.split_at(64);
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<SignedServiceMetadata xmlns="http://busdox.org/serviceMetadata/publishing/1.0/" xmlns:ids="http://busdox.org/transport/identifiers/1.0/">
  <ServiceMetadata><ServiceInformation>
    <ids:ParticipantIdentifier scheme="iso6523-actorid-upis">0106:12345678</ids:ParticipantIdentifier>
    <ids:DocumentIdentifier scheme="busdox-docid-qns">{doc}</ids:DocumentIdentifier>
    <ProcessList><Process>
      <ids:ProcessIdentifier scheme="cenbii-procid-ubl">{proc}</ids:ProcessIdentifier>
      <ServiceEndpointList><Endpoint transportProfile="peppol-transport-as4-v2_0">
        <EndpointReference xmlns="http://www.w3.org/2005/08/addressing"><Address> https://ap.example/as4 </Address></EndpointReference>
        <RequireBusinessLevelSignature>0</RequireBusinessLevelSignature>
        <ServiceActivationDate>2026-01-01T00:00:00</ServiceActivationDate>
        <Certificate>
{first}
{second}
        </Certificate>
        <ServiceDescription>AP</ServiceDescription>
        <TechnicalContactUrl>https://ap.example/contact</TechnicalContactUrl>
        <Extension><Anything xmlns="urn:x"/></Extension>
      </Endpoint></ServiceEndpointList>
    </Process></ProcessList>
  </ServiceInformation></ServiceMetadata>
  <Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/>
</SignedServiceMetadata>"#,
        doc = document_type::BIS_BILLING_INVOICE.value(),
        proc = process::BIS_BILLING.value(),
    );
    let Metadata::Service(read) = smp::parse_signed_service_metadata(xml.as_bytes())? else {
        panic!("not a redirect");
    };
    let endpoint = &read.processes[0].endpoints[0];
    assert_eq!(endpoint.address, "https://ap.example/as4");
    assert_eq!(endpoint.certificate, certificate());
    assert_eq!(endpoint.activation, Some(at("2026-01-01T00:00:00Z")));
    assert_eq!(endpoint.expiration, None);
    assert!(!endpoint.require_business_level_signature);
    Ok(())
}

#[test]
fn broken_smp_documents_are_refused_with_the_reason() {
    let participant = id("0106:12345678");
    let good = smp::signed_service_metadata_unsigned(&Metadata::Service(metadata(
        &participant,
        document_type::BIS_BILLING_INVOICE,
    )));
    // Each `from` is replaced wherever it occurs, so renamed elements keep matching end tags.
    let cases = [
        (
            "smp:SignedServiceMetadata",
            "smp:ServiceGroup",
            "expected an SMP SignedServiceMetadata",
        ),
        (
            "<smp:RequireBusinessLevelSignature>false<",
            "<smp:RequireBusinessLevelSignature>no<",
            "boolean",
        ),
        (
            "<smp:ServiceActivationDate>2026",
            "<smp:ServiceActivationDate>x2026",
            "date-time",
        ),
        (
            "scheme=\"iso6523-actorid-upis\"",
            "scheme=\"other\"",
            "ParticipantIdentifier",
        ),
        (" transportProfile=", " transport=", "transportProfile"),
        ("<smp:Certificate>AAEC", "<smp:Certificate>!AAEC", "base64"),
        (
            "smp:TechnicalContactUrl",
            "smp:TechnicalContact",
            "TechnicalContactUrl",
        ),
        ("busdox-docid-qns", "busdox-docid", "DocumentIdentifier"),
        (
            "<smp:ProcessList>",
            "<smp:ProcessList><smp:Process/>",
            "ProcessIdentifier",
        ),
    ];
    for (from, to, reason) in cases {
        assert!(good.contains(from), "{from}");
        let edited = good.replace(from, to);
        let error = match smp::parse_signed_service_metadata(edited.as_bytes()) {
            Ok(read) => panic!("{from} -> {to} accepted: {read:?}"),
            Err(e) => e.to_string(),
        };
        assert!(error.contains(reason), "{from} -> {to}: {error}");
    }
    let group = smp::parse_service_group(good.as_bytes()).expect_err("metadata is not a group");
    assert!(
        group.to_string().contains("expected an SMP ServiceGroup"),
        "{group}"
    );
}

#[test]
fn request_paths_are_read_encoded_or_raw() -> Result<(), SmpError> {
    let participant = id("0088:5790000000012");
    let group = SmpRequest {
        participant: participant.clone(),
        document_type: None,
    };
    assert_eq!(
        smp::parse_path("/iso6523-actorid-upis::0088:5790000000012")?,
        group
    );
    assert_eq!(
        smp::parse_path("/iso6523-actorid-upis%3A%3A0088%3A5790000000012")?,
        group
    );
    assert_eq!(
        smp::parse_path("/ISO6523-ACTORID-UPIS::0088:5790000000012")?,
        group
    );

    let invoice = document_type::BIS_BILLING_INVOICE;
    let raw = format!(
        "/iso6523-actorid-upis::0088:5790000000012/services/{}",
        invoice.to_string().replace('#', "%23")
    );
    let encoded = format!(
        "/iso6523-actorid-upis%3a%3a0088%3a5790000000012/services/{}",
        path::encode_segment(&invoice.to_string())
    );
    for p in [raw, encoded] {
        assert_eq!(
            smp::parse_path(&p)?,
            SmpRequest {
                participant: participant.clone(),
                document_type: Some(invoice.clone())
            }
        );
    }
    Ok(())
}

#[test]
fn paths_that_are_not_smp_requests_are_refused() {
    for bad in [
        "",
        "iso6523-actorid-upis::0088:5790000000012",
        "/0088:5790000000012",
        "/iso6523-actorid-upis::0088:5790000000013",
        "/iso6523-actorid-upis::0088:5790000000012/",
        "/iso6523-actorid-upis::0088:5790000000012/services",
        "/iso6523-actorid-upis::0088:5790000000012/service/busdox-docid-qns::a##b::1",
        "/iso6523-actorid-upis::0088:5790000000012/services/not-a-doctype",
        "/iso6523-actorid-upis::0088:5790000000012/services/a/b",
        "/iso6523-actorid-upis%3A%3A0088%3A%FF",
    ] {
        assert!(
            matches!(smp::parse_path(bad), Err(SmpError::Path(_))),
            "{bad:?}"
        );
    }
}

#[test]
fn the_endpoint_is_chosen_by_process_transport_and_date() -> Result<(), SmpError> {
    let participant = id("0106:12345678");
    let mut service = metadata(&participant, document_type::BIS_BILLING_INVOICE);
    service.processes[0].endpoints.push(Endpoint {
        activation: Some(at("2027-01-01T00:00:00Z")),
        expiration: None,
        ..endpoint("https://next-year.example/as4")
    });
    let choose =
        |now: &str| smp::endpoint_for(&service, &process::BIS_BILLING, TRANSPORT_AS4, at(now));

    assert_eq!(
        choose("2026-06-01T00:00:00Z")?.address,
        "https://ap.postbode.example/as4"
    );
    assert_eq!(
        choose("2026-01-01T00:00:00Z")?.address,
        "https://ap.postbode.example/as4"
    );
    // The expiration instant belongs to the successor.
    assert_eq!(
        choose("2027-01-01T00:00:00Z")?.address,
        "https://next-year.example/as4"
    );
    assert!(matches!(
        choose("2025-12-31T23:59:59Z"),
        Err(SmpError::NotYetActive { from }) if from == at("2026-01-01T00:00:00Z")
    ));

    service.processes[0].endpoints.truncate(1);
    let expired = smp::endpoint_for(
        &service,
        &process::BIS_BILLING,
        TRANSPORT_AS4,
        at("2027-02-01T00:00:00Z"),
    );
    assert!(matches!(expired, Err(SmpError::Expired { on }) if on == at("2027-01-01T00:00:00Z")));

    let other_process = smp::endpoint_for(
        &service,
        &process::INVOICE_RESPONSE,
        TRANSPORT_AS4,
        at("2026-06-01T00:00:00Z"),
    );
    let message = other_process
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        message.contains("cannot take document type busdox-docid-qns::urn:oasis"),
        "{message}"
    );

    let other_transport = smp::endpoint_for(
        &service,
        &process::BIS_BILLING,
        "peppol-transport-as2-v2_0",
        at("2026-06-01T00:00:00Z"),
    );
    assert!(
        matches!(other_transport, Err(SmpError::NoTransport { .. })),
        "{other_transport:?}"
    );
    Ok(())
}

proptest! {
    #[test]
    fn parsers_never_panic_on_arbitrary_input(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = smp::parse_service_group(&bytes);
        let _ = smp::parse_signed_service_metadata(&bytes);
        let _ = smp::parse_path(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn parsers_never_panic_on_a_damaged_document(at in 0usize..8192, byte in any::<u8>(), cut in 0usize..8192) {
        let participant = id("0106:12345678");
        let xml = smp::signed_service_metadata_unsigned(&Metadata::Service(metadata(
            &participant,
            document_type::BIS_BILLING_INVOICE,
        )));
        let mut bytes = xml.into_bytes();
        let len = bytes.len();
        bytes[at % len] = byte;
        bytes.truncate(len - cut % len);
        let _ = smp::parse_signed_service_metadata(&bytes);
    }

    #[test]
    fn every_encoded_path_reads_back(value in "[0-9]{8}", suffix in "[ -~]{1,40}") {
        // Any printable customization (`#`, `/`, `%`, `?` and spaces included) survives
        // the href encoding and the path parser.
        let participant = id(&format!("0106:{value}"));
        let customization = suffix.replace("##", "#");
        if let Ok(doctype) = DocumentTypeId::parse(&format!(
            "busdox-docid-qns::urn:x::Invoice##{customization}::2.1"
        )) {
            let url = path::service_metadata_url("", &participant, &doctype);
            let read = smp::parse_path(&url).expect("our own paths parse");
            prop_assert_eq!(read.participant, participant);
            prop_assert_eq!(read.document_type, Some(doctype));
        }
    }
}

//! The SMP client against real HTTP and HTTPS servers serving our documents, and peppol-py
//! reading what we serve.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use peppol::smp::client::{SmpClient, SmpClientConfig};
use peppol::smp::path;
use peppol::smp::{
    self, Metadata, Redirect, ServiceGroup, ServiceMetadata, SmpError, TRANSPORT_AS4,
};
use peppol::{DocumentTypeId, ParticipantId, document_type};
use serde_json::Value;

use crate::peers;
use crate::smp::{certificate, id, metadata};

/// The documents a test SMP serves, by request; anything else is a 404.
#[derive(Default)]
pub(crate) struct Published {
    pub(crate) groups: HashMap<ParticipantId, String>,
    pub(crate) metadata: HashMap<(ParticipantId, DocumentTypeId), String>,
}

/// Answers SMP requests from `published`, routed through `parse_path` as the hub's SMP will
/// route them.
async fn answer(State(published): State<Arc<Published>>, uri: Uri) -> Response {
    let Ok(request) = smp::parse_path(uri.path()) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let body = match &request.document_type {
        None => published.groups.get(&request.participant),
        Some(d) => published
            .metadata
            .get(&(request.participant.clone(), d.clone())),
    };
    match body {
        Some(xml) => ([("content-type", "text/xml")], xml.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A loopback listener and its base URL, for a server whose documents name its own URL.
pub(crate) async fn listener() -> (tokio::net::TcpListener, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    (listener, base)
}

/// Serves `published` on `listener` until the test's runtime ends.
pub(crate) fn serve(listener: tokio::net::TcpListener, published: Published) {
    let router = Router::new()
        .fallback(answer)
        .with_state(Arc::new(published));
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
}

/// Serves `published` on a new loopback port and returns the base URL.
async fn smp_server(published: Published) -> String {
    let (listener, base) = listener().await;
    serve(listener, published);
    base
}

fn publish(published: &mut Published, base: &str, service: ServiceMetadata) {
    let group = ServiceGroup::new(
        base,
        service.participant.clone(),
        std::slice::from_ref(&service.document_type),
    );
    published
        .groups
        .insert(service.participant.clone(), smp::service_group_xml(&group));
    let key = (service.participant.clone(), service.document_type.clone());
    published.metadata.insert(
        key,
        smp::signed_service_metadata_unsigned(&Metadata::Service(service)),
    );
}

fn client() -> SmpClient {
    SmpClient::new(&SmpClientConfig::default()).expect("a client")
}

#[tokio::test]
async fn the_client_reads_what_the_smp_serves_and_follows_one_redirect() -> Result<(), SmpError> {
    let invoice = document_type::BIS_BILLING_INVOICE;
    let here = id("0106:12345678");
    let moved = id("0088:5790000000012");
    let twice = id("0192:123456785");

    // The second SMP holds the moved participant's metadata.
    let mut second = Published::default();
    let second_base = "http://placeholder";
    publish(&mut second, second_base, metadata(&moved, invoice.clone()));
    let redirect_loop = Metadata::Redirect(Redirect {
        href: "http://127.0.0.1:9/never".into(),
        certificate_uid: "CN=x".into(),
    });
    second.metadata.insert(
        (twice.clone(), invoice.clone()),
        smp::signed_service_metadata_unsigned(&redirect_loop),
    );
    let second_base = smp_server(second).await;

    let mut first = Published::default();
    publish(
        &mut first,
        "http://placeholder",
        metadata(&here, invoice.clone()),
    );
    for participant in [&moved, &twice] {
        let target = path::service_metadata_url(&second_base, participant, &invoice);
        let redirect = Metadata::Redirect(Redirect {
            href: target,
            certificate_uid: "C=NL, CN=SMP 2".into(),
        });
        first.metadata.insert(
            (participant.clone(), invoice.clone()),
            smp::signed_service_metadata_unsigned(&redirect),
        );
    }
    let base = smp_server(first).await;
    let client = client();

    let group = client.service_group(&base, &here).await?;
    assert_eq!(group.participant, here);
    assert!(group.href_for(&invoice).is_some());

    let fetched = client.service_metadata(&base, &here, &invoice).await?;
    assert_eq!(fetched.metadata, metadata(&here, invoice.clone()));
    assert!(fetched.redirect.is_none());
    assert_eq!(
        smp::parse_signed_service_metadata(&fetched.bytes)?,
        Metadata::Service(fetched.metadata.clone())
    );

    let fetched = client.service_metadata(&base, &moved, &invoice).await?;
    assert_eq!(fetched.metadata, metadata(&moved, invoice.clone()));
    let followed = fetched.redirect.expect("a redirect was followed");
    assert_eq!(followed.redirect.certificate_uid, "C=NL, CN=SMP 2");
    assert!(String::from_utf8_lossy(&followed.bytes).contains("<smp:Redirect href="));

    let looped = client.service_metadata(&base, &twice, &invoice).await;
    assert!(
        matches!(looped, Err(SmpError::TooManyRedirects(_))),
        "{looped:?}"
    );

    let unknown = client.service_group(&base, &id("9925:be0123456749")).await;
    assert!(
        matches!(unknown, Err(SmpError::NotFound { .. })),
        "{unknown:?}"
    );
    let not_listed = client
        .service_metadata(&base, &here, &document_type::BIS_BILLING_CREDIT_NOTE)
        .await;
    assert!(
        matches!(not_listed, Err(SmpError::NotFound { .. })),
        "{not_listed:?}"
    );
    Ok(())
}

#[tokio::test]
async fn the_client_refuses_wrong_answers() -> Result<(), SmpError> {
    let invoice = document_type::BIS_BILLING_INVOICE;
    let asked = id("0106:12345678");
    let mut published = Published::default();
    // The SMP answers for someone else.
    let other = smp::signed_service_metadata_unsigned(&Metadata::Service(metadata(
        &id("0106:87654321"),
        invoice.clone(),
    )));
    published
        .metadata
        .insert((asked.clone(), invoice.clone()), other);
    published.groups.insert(asked.clone(), "x".repeat(10_000));
    let base = smp_server(published).await;

    let mismatch = client().service_metadata(&base, &asked, &invoice).await;
    assert!(
        matches!(mismatch, Err(SmpError::Invalid { .. })),
        "{mismatch:?}"
    );

    let small = SmpClient::new(&SmpClientConfig {
        max_bytes: 4096,
        ..SmpClientConfig::default()
    })?;
    let large = small.service_group(&base, &asked).await;
    assert!(
        matches!(large, Err(SmpError::TooLarge { limit: 4096, .. })),
        "{large:?}"
    );

    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let closed_base = format!("http://{}", closed.local_addr().expect("an address"));
    drop(closed);
    let refused = client().service_group(&closed_base, &asked).await;
    assert!(matches!(refused, Err(SmpError::Http { .. })), "{refused:?}");
    Ok(())
}

#[tokio::test]
async fn a_slow_smp_times_out() -> Result<(), SmpError> {
    // Accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let client = SmpClient::new(&SmpClientConfig {
        timeout: Duration::from_millis(300),
        ..SmpClientConfig::default()
    })?;
    let started = std::time::Instant::now();
    let answer = client.service_group(&base, &id("0106:12345678")).await;
    assert!(matches!(answer, Err(SmpError::Http { .. })), "{answer:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peppol_py_reads_what_we_serve() {
    let Some(python) = peers::python() else {
        return;
    };
    let participant = id("0088:5790000000012");
    let invoice = document_type::BIS_BILLING_INVOICE;
    // The hrefs must point at the server itself, so bind first and publish with its URL.
    let (listener, base) = listener().await;
    let mut published = Published::default();
    publish(
        &mut published,
        &base,
        metadata(&participant, invoice.clone()),
    );
    serve(listener, published);
    let served = base.clone();

    let value = invoice.value().to_string();
    let output = tokio::task::spawn_blocking(move || {
        peers::run(
            &python,
            "smp_smp.py",
            &[&served, "0088:5790000000012", &value],
            b"",
        )
    })
    .await
    .expect("the peer ran");
    let read: Value = serde_json::from_str(&output).expect("the peer prints JSON");
    assert_eq!(
        read["hrefs"],
        Value::from(vec![path::service_metadata_url(
            &base,
            &participant,
            &invoice
        )])
    );
    assert_eq!(read["transport_profile"], TRANSPORT_AS4);
    assert_eq!(read["endpoint"], "https://ap.postbode.example/as4");
    let pem = read["certificate"].as_str().expect("a certificate");
    let b64 = base64::engine::general_purpose::STANDARD.encode(certificate());
    assert_eq!(
        pem,
        format!("-----BEGIN CERTIFICATE-----\n{b64}\n-----END CERTIFICATE-----")
    );
}

/// An HTTPS server on loopback that answers every request with `body`, under a certificate
/// for 127.0.0.1 made for this run; returns its base URL and the certificate (DER).
async fn https_smp(body: String) -> (String, Vec<u8>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::rustls::ServerConfig;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

    let made =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).expect("a certificate");
    let der = made.cert.der().to_vec();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.signing_key.serialize_der()));
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(der.clone())], key)
        .expect("a TLS configuration");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let (listener, base) = listener().await;
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let body = body.clone();
            tokio::spawn(async move {
                // A refused handshake (the client does not trust us) ends here.
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = tls.write_all(head.as_bytes()).await;
                let _ = tls.write_all(body.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (base.replacen("http://", "https://", 1), der)
}

#[tokio::test]
async fn the_client_speaks_https_and_checks_the_certificate() -> Result<(), SmpError> {
    let participant = id("0106:12345678");
    let group = ServiceGroup::new(
        "https://smp.example",
        participant.clone(),
        &[document_type::BIS_BILLING_INVOICE],
    );
    let (base, certificate) = https_smp(smp::service_group_xml(&group)).await;

    let trusting = SmpClient::new(&SmpClientConfig {
        extra_roots: vec![certificate],
        ..SmpClientConfig::default()
    })?;
    assert_eq!(trusting.service_group(&base, &participant).await?, group);

    // Only the public roots: our certificate is unknown, so nothing is read.
    let untrusting = client().service_group(&base, &participant).await;
    let message = untrusting.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("certificate"), "{message}");
    Ok(())
}

//! SML naming and lookup, against a real authoritative DNS server (hickory-server serving an
//! in-memory zone on loopback) and against peppol-py's own lookup.

use std::net::SocketAddr;
use std::time::Duration;

use hickory_server::proto::rr::RData;
use hickory_server::proto::rr::rdata::TXT;
use peppol::ParticipantId;
use peppol::sml::{self, Sml, SmlConfig, SmlError};
use tokio::net::UdpSocket;

use crate::peers;
use peppol::testing::dns::{dns_server, naptr, naptr_to};

/// peppol-py's hard-coded test SML zone.
const PEPPOL_PY_ZONE: &str = "participant.sml.test.tech.peppol.org";

fn id(text: &str) -> ParticipantId {
    ParticipantId::parse(text).expect("a valid participant id")
}

fn config(nameserver: SocketAddr, zone: &str) -> SmlConfig {
    SmlConfig {
        nameserver,
        zone: zone.into(),
        timeout: Duration::from_secs(2),
    }
}

const ZONE: &str = "sml.postbode.test";

#[test]
fn the_name_is_the_policy_4_test_vector() {
    // From shared/research/peppol-peers.md: what peppol-py asked the DNS stub for.
    assert_eq!(
        sml::dns_name(
            &id("0088:5790000000012"),
            "participant.sml.test.tech.peppol.org"
        ),
        "BCXNMOVBEGTF7WWVIJKHC4SIJ2B4O4M2233RBZI4LW5GA2UBLG3Q.iso6523-actorid-upis.participant.sml.test.tech.peppol.org"
    );
    // Case does not change the name: participant ids are case-insensitive.
    assert_eq!(
        sml::dns_name(&id("9925:BE0123456749"), ZONE),
        sml::dns_name(
            &id("iso6523-actorid-upis::9925:be0123456749"),
            &format!("{ZONE}.")
        )
    );
}

#[tokio::test]
async fn a_registered_participant_resolves_to_its_smp() -> Result<(), SmlError> {
    let registered = id("0088:5790000000012");
    let other = id("0106:12345678");
    let server = dns_server(
        ZONE,
        vec![
            (
                sml::dns_name(&registered, ZONE),
                naptr_to("https://smp.example/"),
            ),
            (
                sml::dns_name(&registered, ZONE),
                naptr(200, "U", "Meta:SMP", "!^.*$!https://backup.example!"),
            ),
            (
                sml::dns_name(&other, ZONE),
                naptr_to("http://127.0.0.1:8081"),
            ),
        ],
    )
    .await;
    let sml = Sml::new(&config(server, ZONE))?;
    assert_eq!(sml.lookup_smp(&registered).await?, "https://smp.example");
    assert_eq!(sml.lookup_smp(&other).await?, "http://127.0.0.1:8081");
    assert_eq!(
        sml::lookup_smp(&other, &config(server, ZONE)).await?,
        "http://127.0.0.1:8081"
    );
    Ok(())
}

#[tokio::test]
async fn lookups_that_fail_say_why() -> Result<(), SmlError> {
    let no_naptr = id("0106:12345678");
    let wrong_service = id("0088:5790000000012");
    let bad_regexp = id("0088:5790000000005");
    let server = dns_server(
        ZONE,
        vec![
            (
                sml::dns_name(&no_naptr, ZONE),
                RData::TXT(TXT::new(vec!["not an SMP".into()])),
            ),
            (
                sml::dns_name(&wrong_service, ZONE),
                naptr(100, "U", "Meta:SMS", "!^.*$!https://x.example!"),
            ),
            (
                sml::dns_name(&bad_regexp, ZONE),
                naptr(100, "U", "Meta:SMP", "!^.*$!smp.example!"),
            ),
        ],
    )
    .await;
    let sml = Sml::new(&config(server, ZONE))?;

    let unregistered = sml.lookup_smp(&id("0192:123456785")).await;
    assert!(
        matches!(unregistered, Err(SmlError::NotRegistered { .. })),
        "{unregistered:?}"
    );
    let message = unregistered
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(message.contains("not registered in the SML"), "{message}");

    let no_record = sml.lookup_smp(&no_naptr).await;
    assert!(
        matches!(no_record, Err(SmlError::NoNaptr { .. })),
        "{no_record:?}"
    );
    let other_service = sml.lookup_smp(&wrong_service).await;
    assert!(
        matches!(other_service, Err(SmlError::NoNaptr { .. })),
        "{other_service:?}"
    );
    let not_a_url = sml.lookup_smp(&bad_regexp).await;
    assert!(
        matches!(not_a_url, Err(SmlError::BadRegexp { .. })),
        "{not_a_url:?}"
    );
    Ok(())
}

#[tokio::test]
async fn a_silent_nameserver_is_a_dns_error() -> Result<(), SmlError> {
    // A bound socket that never answers.
    let silent = UdpSocket::bind("127.0.0.1:0").await.expect("a UDP port");
    let mut config = config(silent.local_addr().expect("an address"), ZONE);
    config.timeout = Duration::from_millis(200);
    let answer = Sml::new(&config)?.lookup_smp(&id("0106:12345678")).await;
    assert!(matches!(answer, Err(SmlError::Dns { .. })), "{answer:?}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peppol_py_finds_what_we_publish() {
    let Some(python) = peers::python() else {
        return;
    };
    let ids = [
        "0088:5790000000012",
        "0106:12345678",
        "9925:be0123456749",
        "0192:123456785",
    ];
    let records = ids
        .iter()
        .enumerate()
        .map(|(i, text)| {
            (
                sml::dns_name(&id(text), PEPPOL_PY_ZONE),
                naptr_to(&format!("https://smp{i}.example/")),
            )
        })
        .collect();
    let server = dns_server(PEPPOL_PY_ZONE, records).await;
    let port = server.port().to_string();
    let output = tokio::task::spawn_blocking(move || {
        let mut args = vec![port.as_str()];
        args.extend(ids);
        peers::run(&python, "smp_sml.py", &args, b"")
    })
    .await
    .expect("the peer ran");
    let expected: Vec<String> = ids
        .iter()
        .enumerate()
        .map(|(i, text)| format!("https://smp{i}.example/iso6523-actorid-upis::{text}"))
        .collect();
    assert_eq!(output.lines().collect::<Vec<_>>(), expected);
}

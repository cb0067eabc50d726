//! A real authoritative DNS server for tests (hickory-server, an in-memory zone on loopback),
//! standing in for the SML.

use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use hickory_server::Server;
use hickory_server::net::runtime::TokioRuntimeProvider;
pub use hickory_server::proto::rr::RData;
use hickory_server::proto::rr::rdata::{NAPTR, SOA};
use hickory_server::proto::rr::{LowerName, Name, Record};
use hickory_server::store::in_memory::InMemoryZoneHandler;
use hickory_server::zone_handler::{AxfrPolicy, Catalog, ZoneType};
use tokio::net::{TcpListener, UdpSocket};

fn name(text: &str) -> Name {
    Name::from_str(text).expect("a valid DNS name")
}

/// A U / Meta:SMP record whose regexp rewrites to `url`.
pub fn naptr_to(url: &str) -> RData {
    naptr(100, "U", "Meta:SMP", &format!("!^.*$!{url}!"))
}

/// A NAPTR record with the given order, flags, service and regexp.
pub fn naptr(order: u16, flags: &str, service: &str, regexp: &str) -> RData {
    RData::NAPTR(NAPTR::new(
        order,
        10,
        flags.as_bytes().into(),
        service.as_bytes().into(),
        regexp.as_bytes().into(),
        Name::root(),
    ))
}

/// A DNS server on 127.0.0.1 (UDP and TCP, one port) authoritative for `zone`, holding
/// `records`. It runs until the test's runtime ends.
pub async fn dns_server(zone: &str, records: Vec<(String, RData)>) -> SocketAddr {
    let origin = name(&format!("{zone}."));
    let mut handler = InMemoryZoneHandler::<TokioRuntimeProvider>::empty(
        origin.clone(),
        ZoneType::Primary,
        AxfrPolicy::Deny,
    );
    let soa = SOA::new(
        name(&format!("ns.{zone}.")),
        name(&format!("hostmaster.{zone}.")),
        1,
        3600,
        600,
        86400,
        60,
    );
    assert!(handler.upsert_mut(Record::from_rdata(origin.clone(), 60, RData::SOA(soa)), 1));
    for (owner, data) in records {
        assert!(handler.upsert_mut(Record::from_rdata(name(&format!("{owner}.")), 60, data), 1));
    }
    let mut catalog = Catalog::new();
    catalog.upsert(LowerName::new(&origin), vec![Arc::new(handler)]);

    // A free UDP port may be taken over TCP by another test; then another UDP port is tried.
    let mut tries = 0;
    let (udp, tcp, address) = loop {
        let udp = UdpSocket::bind("127.0.0.1:0").await.expect("a UDP port");
        let address = udp.local_addr().expect("the UDP address");
        match TcpListener::bind(address).await {
            Ok(tcp) => break (udp, tcp, address),
            Err(e) => {
                tries += 1;
                assert!(tries < 20, "no port free over both UDP and TCP: {e}");
            }
        }
    };
    let mut server = Server::new(catalog);
    server.register_socket(udp);
    server.register_listener(tcp, Duration::from_secs(5), 4096);
    tokio::spawn(async move {
        let _ = server.block_until_done().await;
    });
    address
}

//! SML: finding the SMP that publishes a participant's capabilities, through DNS.
//!
//! The Service Metadata Locator is a DNS zone. Under the Policy for use of Identifiers 4.x a
//! participant's name in it is [`dns_name`]: the Base32 form (RFC 4648, without `=` padding)
//! of the SHA-256 of the lowercased identifier *value* (`0088:5790000000012`, without the
//! `iso6523-actorid-upis::` scheme), then the scheme as its own label, then the SML zone.
//! That name holds a U-NAPTR record (RFC 4848, OASIS BDXL 1.0) with flag `U`, service
//! `Meta:SMP` and a regexp such as `!^.*$!https://smp.example!` whose result is the SMP's
//! base URL; [`lookup_smp`] asks a configured nameserver for it.
//!
//! The old scheme, a CNAME on `B-` + hex MD5 of the value, was retired with the move to
//! NAPTR and is not implemented.
//!
//! Which zone: the test vector in `shared/research/peppol-peers.md` was produced by
//! peppol-py, whose test zone is `participant.sml.test.tech.peppol.org`; the SML zones of the
//! European Commission's SML have been `edelivery.tech.ec.europa.eu` (production) and
//! `acc.edelivery.tech.ec.europa.eu` (test). The zone is therefore configuration
//! ([`SmlConfig::zone`]), never a constant here.

use std::net::SocketAddr;
use std::time::Duration;

use hickory_resolver::config::{NameServerConfig, ResolveHosts, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::{RData, RecordType};
use hickory_resolver::{Resolver, TokioResolver};
use sha2::{Digest, Sha256};

use crate::participant::{ParticipantId, SCHEME};

/// The U-NAPTR service that points at an SMP.
const SERVICE: &str = "Meta:SMP";

/// The longest regexp accepted in a NAPTR record; a DNS character-string holds 255 bytes,
/// so anything longer did not come from DNS.
const MAX_REGEXP_LEN: usize = 255;

/// The DNS name under which the SML publishes `id`'s SMP, in `zone` (no trailing dot).
///
/// ```
/// use peppol::ParticipantId;
///
/// let id = ParticipantId::parse("0088:5790000000012")?;
/// assert_eq!(
///     peppol::sml::dns_name(&id, "participant.sml.test.tech.peppol.org"),
///     "BCXNMOVBEGTF7WWVIJKHC4SIJ2B4O4M2233RBZI4LW5GA2UBLG3Q.iso6523-actorid-upis.participant.sml.test.tech.peppol.org",
/// );
/// # Ok::<(), peppol::ParticipantIdError>(())
/// ```
pub fn dns_name(id: &ParticipantId, zone: &str) -> String {
    // `ParticipantId` keeps its value lowercased already; lowercasing again keeps this
    // function right on its own should that ever change.
    let digest = Sha256::digest(id.to_string().to_lowercase().as_bytes());
    let label = data_encoding::BASE32_NOPAD.encode(&digest);
    format!("{label}.{SCHEME}.{}", zone.trim_end_matches('.'))
}

/// Where and how to ask the SML.
#[derive(Clone, Debug)]
pub struct SmlConfig {
    /// The nameserver to ask (address and port); it must answer for [`SmlConfig::zone`],
    /// either authoritatively or as a recursive resolver.
    pub nameserver: SocketAddr,
    /// The SML zone, e.g. `edelivery.tech.ec.europa.eu`.
    pub zone: String,
    /// How long to wait for one answer before trying again or giving up.
    pub timeout: Duration,
}

/// Why no SMP address came out of the SML.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SmlError {
    /// The name does not exist: nobody registered the participant.
    #[error("participant {participant} is not registered in the SML ({name} does not exist)")]
    NotRegistered {
        /// The participant looked up.
        participant: String,
        /// The DNS name asked for.
        name: String,
    },
    /// The name exists but has no NAPTR record with flag `U` and service `Meta:SMP`.
    #[error("the SML has no U-NAPTR record for service Meta:SMP at {name}")]
    NoNaptr {
        /// The DNS name asked for.
        name: String,
    },
    /// The record's regexp is not a substitution expression we can apply, or does not give
    /// an http(s) URL.
    #[error("the SML's NAPTR regexp {regexp:?} is unusable: {reason}")]
    BadRegexp {
        /// The regexp field as received.
        regexp: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The nameserver could not be asked or did not answer usefully; worth retrying later.
    #[error("DNS lookup of {name} failed: {reason}")]
    Dns {
        /// The DNS name asked for.
        name: String,
        /// What the resolver reported.
        reason: String,
    },
}

/// A resolver for one SML, to reuse across lookups (it caches answers for their TTL); cheap
/// to clone.
#[derive(Clone, Debug)]
pub struct Sml {
    resolver: TokioResolver,
    zone: String,
}

impl Sml {
    /// A resolver that asks only `config.nameserver` (UDP, falling back to TCP for long
    /// answers), ignoring the system's resolver configuration and hosts file.
    pub fn new(config: &SmlConfig) -> Result<Sml, SmlError> {
        let mut nameserver = NameServerConfig::udp_and_tcp(config.nameserver.ip());
        for connection in &mut nameserver.connections {
            connection.port = config.nameserver.port();
        }
        let mut options = ResolverOpts::default();
        options.timeout = config.timeout;
        options.attempts = 2;
        options.use_hosts_file = ResolveHosts::Never;
        let resolver = Resolver::builder_with_config(
            ResolverConfig::from_name_servers(vec![nameserver]),
            TokioRuntimeProvider::default(),
        )
        .with_options(options)
        .build()
        .map_err(|e| SmlError::Dns {
            name: config.zone.clone(),
            reason: e.to_string(),
        })?;
        Ok(Sml {
            resolver,
            zone: config.zone.clone(),
        })
    }

    /// The base URL of the SMP that publishes `id`'s capabilities, e.g.
    /// `https://smp.example`, without a trailing slash.
    pub async fn lookup_smp(&self, id: &ParticipantId) -> Result<String, SmlError> {
        let name = dns_name(id, &self.zone);
        // The trailing dot makes the name absolute, so no search domain is ever tried.
        let answer = self
            .resolver
            .lookup(format!("{name}."), RecordType::NAPTR)
            .await;
        let lookup = match answer {
            Ok(lookup) => lookup,
            Err(e) if e.is_nx_domain() => {
                return Err(SmlError::NotRegistered {
                    participant: id.full(),
                    name,
                });
            }
            Err(e) if e.is_no_records_found() => return Err(SmlError::NoNaptr { name }),
            Err(e) => {
                return Err(SmlError::Dns {
                    name,
                    reason: e.to_string(),
                });
            }
        };
        let records = lookup.answers().iter().filter_map(|r| match &r.data {
            RData::NAPTR(naptr) => Some(Naptr {
                order: naptr.order,
                preference: naptr.preference,
                flags: &naptr.flags,
                service: &naptr.services,
                regexp: &naptr.regexp,
            }),
            _ => None,
        });
        smp_url(records, &name)
    }
}

/// The base URL of the SMP that publishes `id`'s capabilities, asking the SML `config`
/// describes. To look up many participants, make one [`Sml`] and reuse it.
pub async fn lookup_smp(id: &ParticipantId, config: &SmlConfig) -> Result<String, SmlError> {
    Sml::new(config)?.lookup_smp(id).await
}

/// The fields of a NAPTR record the choice needs.
struct Naptr<'a> {
    order: u16,
    preference: u16,
    flags: &'a [u8],
    service: &'a [u8],
    regexp: &'a [u8],
}

/// Picks the first `U` / `Meta:SMP` record in (order, preference) order and applies its
/// regexp to the queried name, as RFC 3403 and RFC 4848 describe.
fn smp_url<'a>(records: impl Iterator<Item = Naptr<'a>>, name: &str) -> Result<String, SmlError> {
    let mut records: Vec<Naptr<'a>> = records
        .filter(|r| {
            r.flags.eq_ignore_ascii_case(b"U") && r.service.eq_ignore_ascii_case(SERVICE.as_bytes())
        })
        .collect();
    records.sort_by_key(|r| (r.order, r.preference));
    let Some(record) = records.first() else {
        return Err(SmlError::NoNaptr {
            name: name.to_string(),
        });
    };
    let regexp = String::from_utf8_lossy(record.regexp);
    let bad = |reason: &str| SmlError::BadRegexp {
        regexp: regexp.to_string(),
        reason: reason.to_string(),
    };
    let url = apply_regexp(&regexp, name).map_err(|reason| bad(&reason))?;
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || url.len() <= "http://".len()
    {
        return Err(bad(&format!("the result {url:?} is not an http(s) URL")));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// Applies an RFC 3402 substitution expression, `<delim>ERE<delim>replacement<delim>flags`,
/// to `subject`. The ERE is run by the `regex` crate, whose syntax covers the EREs SMLs
/// publish (`^.*$`) and which runs in linear time whatever the record says. A delimiter
/// escaped inside the ERE or replacement (RFC 3402 allows `\!`) is not supported and makes
/// the expression unusable; no SML publishes one.
fn apply_regexp(expression: &str, subject: &str) -> Result<String, String> {
    if expression.len() > MAX_REGEXP_LEN {
        return Err(format!("longer than {MAX_REGEXP_LEN} bytes"));
    }
    let mut chars = expression.chars();
    let delimiter = chars
        .next()
        .ok_or_else(|| "the regexp field is empty".to_string())?;
    if delimiter.is_ascii_digit() || delimiter == '\\' || delimiter == 'i' {
        return Err(format!(
            "{delimiter:?} cannot delimit a substitution expression"
        ));
    }
    let parts: Vec<&str> = chars.as_str().split(delimiter).collect();
    let [ere, replacement, flags] = parts.as_slice() else {
        return Err(format!(
            "expected <delim>ERE<delim>replacement<delim>flags with {delimiter:?}"
        ));
    };
    let case_insensitive = match *flags {
        "" => false,
        "i" => true,
        other => return Err(format!("unknown flags {other:?}")),
    };
    let ere = regex::RegexBuilder::new(ere)
        .case_insensitive(case_insensitive)
        .size_limit(1 << 16)
        .build()
        .map_err(|e| format!("the ERE does not compile: {e}"))?;
    let Some(captures) = ere.captures(subject) else {
        return Err(format!("the ERE does not match {subject}"));
    };
    let mut out = String::new();
    let mut rest = replacement.chars();
    while let Some(c) = rest.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match rest.next() {
            Some(d @ '1'..='9') => {
                let index = d as usize - '0' as usize;
                out.push_str(captures.get(index).map_or("", |m| m.as_str()));
            }
            Some(other) => out.push(other),
            None => return Err("the replacement ends in a lone backslash".to_string()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naptr<'a>(order: u16, flags: &'a str, service: &'a str, regexp: &'a str) -> Naptr<'a> {
        Naptr {
            order,
            preference: 10,
            flags: flags.as_bytes(),
            service: service.as_bytes(),
            regexp: regexp.as_bytes(),
        }
    }

    #[test]
    fn the_peppol_regexp_replaces_the_whole_name() {
        assert_eq!(
            apply_regexp(
                "!^.*$!https://smp.example/!",
                "abc.iso6523-actorid-upis.zone"
            ),
            Ok("https://smp.example/".to_string())
        );
    }

    #[test]
    fn backreferences_and_flags_are_applied() {
        assert_eq!(
            apply_regexp("#^([A-Z]+)\\.(.*)$#https://\\2/\\1#i", "abc.zone"),
            Ok("https://zone/abc".to_string())
        );
        assert!(apply_regexp("!^.*$!x!q", "a").is_err());
        assert!(apply_regexp("!^.*$!x", "a").is_err());
        assert!(apply_regexp("!(!x!", "a").is_err());
        assert!(apply_regexp("", "a").is_err());
        assert!(apply_regexp("!^b$!x!", "a").is_err());
    }

    #[test]
    fn the_lowest_order_meta_smp_u_record_wins() -> Result<(), SmlError> {
        let records = vec![
            naptr(200, "U", "Meta:SMP", "!^.*$!https://second.example!"),
            naptr(50, "S", "Meta:SMP", "!^.*$!https://not-terminal.example!"),
            naptr(10, "U", "Meta:OTHER", "!^.*$!https://other.example!"),
            naptr(100, "u", "meta:smp", "!^.*$!https://first.example/!"),
        ];
        assert_eq!(smp_url(records.into_iter(), "n")?, "https://first.example");
        Ok(())
    }

    #[test]
    fn a_result_that_is_not_a_url_is_refused() {
        let records = vec![naptr(1, "U", "Meta:SMP", "!^.*$!ftp://smp.example!")];
        assert!(matches!(
            smp_url(records.into_iter(), "n"),
            Err(SmlError::BadRegexp { .. })
        ));
        assert!(matches!(
            smp_url(std::iter::empty(), "n"),
            Err(SmlError::NoNaptr { .. })
        ));
    }
}

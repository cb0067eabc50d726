//! Choosing where a message goes from a receiver's service metadata.

use chrono::{DateTime, Utc};

use super::{Endpoint, ServiceMetadata, SmpError};
use crate::process::ProcessId;

/// The endpoint of `metadata` that takes `process` over `transport` at `now`.
///
/// An endpoint is active from its activation date (inclusive) until its expiration date
/// (exclusive); a missing date does not limit it. When several fit, the first listed wins,
/// as the SMP specification leaves the order to the publisher. When none is active, the
/// error says when the soonest one starts or the last one ended, so the sender knows
/// whether waiting helps.
pub fn endpoint_for<'a>(
    metadata: &'a ServiceMetadata,
    process: &ProcessId,
    transport: &str,
    now: DateTime<Utc>,
) -> Result<&'a Endpoint, SmpError> {
    let processes: Vec<_> = metadata
        .processes
        .iter()
        .filter(|p| &p.id == process)
        .collect();
    if processes.is_empty() {
        return Err(SmpError::NotSupported {
            document_type: metadata.document_type.to_string(),
            process: process.to_string(),
        });
    }
    let candidates: Vec<&Endpoint> = processes
        .iter()
        .flat_map(|p| &p.endpoints)
        .filter(|e| e.transport_profile == transport)
        .collect();
    if let Some(active) = candidates.iter().find(|e| is_active(e, now)) {
        return Ok(active);
    }
    let starts = candidates
        .iter()
        .filter_map(|e| e.activation.filter(|from| *from > now))
        .min();
    if let Some(from) = starts {
        return Err(SmpError::NotYetActive { from });
    }
    match candidates.iter().filter_map(|e| e.expiration).max() {
        Some(on) => Err(SmpError::Expired { on }),
        None => Err(SmpError::NoTransport {
            process: process.to_string(),
            transport: transport.to_string(),
        }),
    }
}

fn is_active(endpoint: &Endpoint, now: DateTime<Utc>) -> bool {
    endpoint.activation.is_none_or(|from| from <= now)
        && endpoint.expiration.is_none_or(|until| now < until)
}

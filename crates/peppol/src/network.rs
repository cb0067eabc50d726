//! This access point's way to the rest of the Peppol network: the SML it asks, the SMP client
//! and the trust that SMP signatures must chain to, and the HTTP client and retry policy of
//! the AS4 sender. Made once at start-up and shared, so DNS answers and connections are
//! reused across messages.

use std::time::SystemTime;

use crate::as4::send::{self, Delivered, Message, RetryPolicy, SendError};
use crate::as4::{AccessPoint, Outgoing};
use crate::document_type::DocumentTypeId;
use crate::lookup::{Endpoint, LookupError, find_endpoint};
use crate::participant::ParticipantId;
use crate::pki::TrustStore;
use crate::process::ProcessId;
use crate::sml::{Sml, SmlConfig};
use crate::smp::client::{SmpClient, SmpClientConfig};

/// The SML, SMP and AS4 clients of one access point.
#[derive(Clone, Debug)]
pub struct Network {
    sml: Sml,
    smp: SmpClient,
    smp_trust: TrustStore,
    http: reqwest::Client,
    retry: RetryPolicy,
}

/// What a participant publishes: whether it can receive over Peppol, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    /// The participant.
    pub participant: ParticipantId,
    /// The SMP that publishes it.
    pub smp: String,
    /// The document types it takes.
    pub document_types: Vec<DocumentTypeId>,
}

impl Network {
    /// Clients for `sml` and `smp`; SMP signatures must chain to `smp_trust`. `as4` configures
    /// the AS4 sender's HTTP client (time-outs, TLS roots).
    pub fn new(
        sml: &SmlConfig,
        smp: &SmpClientConfig,
        smp_trust: TrustStore,
        as4: reqwest::Client,
        retry: RetryPolicy,
    ) -> Result<Network, LookupError> {
        Ok(Network {
            sml: Sml::new(sml)?,
            smp: SmpClient::new(smp).map_err(|source| LookupError::Smp {
                participant: String::new(),
                source,
            })?,
            smp_trust,
            http: as4,
            retry,
        })
    }

    /// Whether `participant` can receive over Peppol, and which document types.
    pub async fn recipient(&self, participant: &ParticipantId) -> Result<Recipient, LookupError> {
        let smp = self.sml.lookup_smp(participant).await?;
        let group = self
            .smp
            .service_group(&smp, participant)
            .await
            .map_err(|source| LookupError::Smp {
                participant: participant.to_string(),
                source,
            })?;
        Ok(Recipient {
            participant: participant.clone(),
            document_types: group.document_types(),
            smp,
        })
    }

    /// The AS4 endpoint that takes `document_type` in `process` for `receiver`.
    pub async fn endpoint(
        &self,
        receiver: &ParticipantId,
        document_type: &DocumentTypeId,
        process: &ProcessId,
        now: SystemTime,
    ) -> Result<Endpoint, LookupError> {
        find_endpoint(
            &self.sml,
            &self.smp,
            &self.smp_trust,
            receiver,
            document_type,
            process,
            now,
        )
        .await
    }

    /// Prepares `outgoing` for `endpoint`; the message's id is known before it is sent.
    pub fn prepare(
        &self,
        ap: &AccessPoint,
        outgoing: &Outgoing,
        endpoint: &Endpoint,
        now: SystemTime,
    ) -> Result<Message, SendError> {
        Message::prepare(ap, outgoing, endpoint, now)
    }

    /// Sends a prepared message under this network's retry policy.
    pub async fn send(
        &self,
        ap: &AccessPoint,
        message: Message,
        endpoint: &Endpoint,
        now: SystemTime,
    ) -> Result<Delivered, SendError> {
        send::send_prepared(&self.http, ap, message, endpoint, &self.retry, now).await
    }
}

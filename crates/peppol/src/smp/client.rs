//! Fetching a participant's service group and service metadata from its SMP over HTTP(S).
//!
//! The base URL comes from the SML ([`crate::sml::lookup_smp`]). Answers are read up to a
//! size limit under a time limit, and a `Redirect` in the metadata is followed once, which
//! is all the Peppol SMP specification allows. Signatures are not checked here: the bytes of
//! every signed document fetched are handed back for the caller to verify.
//!
//! HTTP-level redirects (3xx) are not followed: the SMP protocol moves metadata with its
//! signed `Redirect` element, and an unsigned 3xx would let whoever answers move the lookup.

use std::time::Duration;

use super::document::{Metadata, Redirect, ServiceGroup, ServiceMetadata};
use super::path::{service_group_url, service_metadata_url};
use super::{MAX_BYTES, SmpError, parse_service_group, parse_signed_service_metadata};
use crate::document_type::DocumentTypeId;
use crate::participant::ParticipantId;

/// How the client talks to SMPs.
#[derive(Clone, Debug)]
pub struct SmpClientConfig {
    /// The most time one request may take, connecting and reading included.
    pub timeout: Duration,
    /// The largest answer read.
    pub max_bytes: usize,
    /// The `User-Agent` sent.
    pub user_agent: String,
    /// Certificates (DER) to trust besides the public web roots, for SMPs of a test network
    /// that use a private certificate authority.
    pub extra_roots: Vec<Vec<u8>>,
}

impl Default for SmpClientConfig {
    /// Ten seconds, [`MAX_BYTES`], `postbode`, public roots only.
    fn default() -> Self {
        SmpClientConfig {
            timeout: Duration::from_secs(10),
            max_bytes: MAX_BYTES,
            user_agent: "postbode".into(),
            extra_roots: Vec::new(),
        }
    }
}

/// An SMP client; cheap to clone, and reusing one reuses its connections.
#[derive(Clone, Debug)]
pub struct SmpClient {
    http: reqwest::Client,
    max_bytes: usize,
}

/// Service metadata as fetched, with the signed bytes it was read from.
#[derive(Clone, Debug)]
pub struct FetchedMetadata {
    /// The metadata.
    pub metadata: ServiceMetadata,
    /// The `SignedServiceMetadata` it was read from, whose signature the caller checks.
    pub bytes: Vec<u8>,
    /// The redirect followed to reach it, if any.
    pub redirect: Option<FollowedRedirect>,
}

/// A redirect the client followed.
#[derive(Clone, Debug)]
pub struct FollowedRedirect {
    /// The redirect: where it led, and whose certificate must have signed the target.
    pub redirect: Redirect,
    /// The `SignedServiceMetadata` that held the redirect, signed by the first SMP.
    pub bytes: Vec<u8>,
}

impl SmpClient {
    /// A client under `config`.
    pub fn new(config: &SmpClientConfig) -> Result<SmpClient, SmpError> {
        let mut builder = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .user_agent(config.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none());
        for der in &config.extra_roots {
            let certificate = reqwest::Certificate::from_der(der).map_err(|e| {
                SmpError::Client(format!("an extra root certificate is unusable: {e}"))
            })?;
            builder = builder.add_root_certificate(certificate);
        }
        let http = builder
            .build()
            .map_err(|e| SmpError::Client(describe(&e)))?;
        Ok(SmpClient {
            http,
            max_bytes: config.max_bytes,
        })
    }

    /// The service group of `participant` at the SMP whose base URL is `smp`.
    pub async fn service_group(
        &self,
        smp: &str,
        participant: &ParticipantId,
    ) -> Result<ServiceGroup, SmpError> {
        let url = service_group_url(smp, participant);
        let group = parse_service_group(&self.get(&url).await?)?;
        if &group.participant != participant {
            return Err(SmpError::Invalid {
                what: "ParticipantIdentifier",
                reason: format!(
                    "asked for {participant}, the SMP answered for {}",
                    group.participant
                ),
            });
        }
        Ok(group)
    }

    /// The metadata of `document_type` for `participant` at the SMP whose base URL is `smp`,
    /// following at most one redirect.
    pub async fn service_metadata(
        &self,
        smp: &str,
        participant: &ParticipantId,
        document_type: &DocumentTypeId,
    ) -> Result<FetchedMetadata, SmpError> {
        let url = service_metadata_url(smp, participant, document_type);
        let bytes = self.get(&url).await?;
        let (metadata, bytes, redirect) = match parse_signed_service_metadata(&bytes)? {
            Metadata::Service(metadata) => (metadata, bytes, None),
            Metadata::Redirect(redirect) => {
                let target = self.get(&redirect.href).await?;
                match parse_signed_service_metadata(&target)? {
                    Metadata::Service(metadata) => {
                        (metadata, target, Some(FollowedRedirect { redirect, bytes }))
                    }
                    Metadata::Redirect(again) => {
                        return Err(SmpError::TooManyRedirects(again.href));
                    }
                }
            }
        };
        if &metadata.participant != participant || &metadata.document_type != document_type {
            return Err(SmpError::Invalid {
                what: "ServiceInformation",
                reason: format!(
                    "asked for {participant} and {document_type}, the SMP answered for {} and {}",
                    metadata.participant, metadata.document_type
                ),
            });
        }
        Ok(FetchedMetadata {
            metadata,
            bytes,
            redirect,
        })
    }

    /// The body of a `200 OK` answer to `GET url`, at most `max_bytes` long.
    async fn get(&self, url: &str) -> Result<Vec<u8>, SmpError> {
        let failed = |e: reqwest::Error| SmpError::Http {
            url: url.to_string(),
            reason: describe(&e),
        };
        let mut response = self.http.get(url).send().await.map_err(failed)?;
        match response.status().as_u16() {
            200 => {}
            404 => {
                return Err(SmpError::NotFound {
                    url: url.to_string(),
                });
            }
            status => {
                return Err(SmpError::Status {
                    url: url.to_string(),
                    status,
                });
            }
        }
        let too_large = || SmpError::TooLarge {
            url: url.to_string(),
            limit: self.max_bytes,
        };
        if response
            .content_length()
            .is_some_and(|length| length > self.max_bytes as u64)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(failed)? {
            if body.len() + chunk.len() > self.max_bytes {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// The error and its causes, which is where reqwest puts the useful part ("connection
/// refused", "operation timed out"); the AS4 sender reports its failures the same way.
pub(crate) fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

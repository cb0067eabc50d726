//! Peppol registration: an organisation's participant id published in the hub's SMP, with
//! the document types it takes and its business card for the Peppol Directory.
//!
//! Enrolling works the way established service-broker APIs offer it: one call names the
//! participant id and the capabilities, and adds the id to the organisation when it lacks it.
//! Leaving for another provider takes a migration key, issued here once and stored only as an
//! HMAC (like connection-key secrets), which the new provider hands to the SML.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};

use crate::access::{self, Need};
use crate::audit::{self, Event};
use crate::document::Direction;
use crate::entity::{organisation, participant_id, peppol_message, peppol_registration};
use crate::error::{Error, Result};
use crate::organisation::Status;
use crate::peppol::Exchange;
use crate::{Hub, Principal, Scope};

/// A kind of document an organisation takes over Peppol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// Peppol BIS Billing 3.0 invoices.
    Invoice,
    /// Peppol BIS Billing 3.0 credit notes.
    CreditNote,
    /// Peppol invoice responses (status messages about invoices sent).
    InvoiceResponse,
}

impl Capability {
    /// Every capability, in the order pages show them.
    pub const ALL: [Capability; 3] = [
        Capability::Invoice,
        Capability::CreditNote,
        Capability::InvoiceResponse,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Invoice => "invoice",
            Capability::CreditNote => "credit_note",
            Capability::InvoiceResponse => "invoice_response",
        }
    }

    /// Parses a stored or wire name.
    pub fn parse(s: &str) -> Option<Capability> {
        Capability::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The Peppol document type it stands for.
    pub fn document_type(self) -> peppol::DocumentTypeId {
        use peppol::document_type::{
            BIS_BILLING_CREDIT_NOTE, BIS_BILLING_INVOICE, INVOICE_RESPONSE,
        };
        match self {
            Capability::Invoice => BIS_BILLING_INVOICE,
            Capability::CreditNote => BIS_BILLING_CREDIT_NOTE,
            Capability::InvoiceResponse => INVOICE_RESPONSE,
        }
    }

    /// The process the document type is exchanged in.
    pub fn process(self) -> peppol::ProcessId {
        match self {
            Capability::Invoice | Capability::CreditNote => peppol::process::BIS_BILLING,
            Capability::InvoiceResponse => peppol::process::INVOICE_RESPONSE,
        }
    }
}

/// What an enrolment asks for.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct Enrolment {
    /// The participant id, `0106:12345678` or `iso6523-actorid-upis::0106:12345678`.
    pub participant_id: String,
    /// What the organisation takes; invoice and credit note when left out.
    #[serde(default)]
    pub capabilities: Vec<Capability>,
}

/// An organisation's registration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Registration {
    /// The organisation.
    pub organisation_id: i64,
    /// The participant id published, `0106:12345678`.
    pub participant_id: String,
    /// What it takes.
    pub capabilities: Vec<Capability>,
    /// When it was registered (or last changed).
    pub registered_at: DateTime<Utc>,
    /// Until when a migration key issued for leaving this hub is valid, if one was.
    pub migration_key_expires_at: Option<DateTime<Utc>>,
}

impl Registration {
    fn from_model(m: peppol_registration::Model) -> Self {
        Registration {
            organisation_id: m.organisation_id,
            participant_id: format!("{}:{}", m.scheme, m.value),
            capabilities: m
                .capabilities
                .split(',')
                .filter_map(Capability::parse)
                .collect(),
            registered_at: m.registered_at,
            migration_key_expires_at: m.migration_key_expires_at,
        }
    }
}

/// What the SMP publishes for a participant: its registration and business card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The participant.
    pub participant: peppol::ParticipantId,
    /// What it takes.
    pub capabilities: Vec<Capability>,
    /// The organisation's name, for the business card.
    pub name: String,
    /// Its country (ISO 3166 alpha-2), for the business card.
    pub country: String,
    /// When it was registered.
    pub registered_at: DateTime<Utc>,
}

/// The Peppol health of an organisation: registered or not, and the last exchange each way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// The registration, if there is one.
    pub registration: Option<Registration>,
    /// The last message received.
    pub last_inbound: Option<Exchange>,
    /// The last message sent.
    pub last_outbound: Option<Exchange>,
}

/// How long a migration key stays valid.
pub const MIGRATION_KEY_TTL_DAYS: i64 = 30;

impl Hub {
    /// Registers an organisation's participant id in the hub's SMP with `enrolment`'s
    /// capabilities, or changes the capabilities of its registration. Adds the participant id
    /// to the organisation when it does not have it yet.
    pub async fn peppol_enrol(
        &self,
        p: &Principal,
        organisation_id: i64,
        enrolment: Enrolment,
    ) -> Result<Registration> {
        let participant = peppol::ParticipantId::parse(&enrolment.participant_id)
            .map_err(|e| Error::invalid("participant_id", e.to_string()))?;
        let mut capabilities = enrolment.capabilities;
        if capabilities.is_empty() {
            capabilities = vec![Capability::Invoice, Capability::CreditNote];
        }
        capabilities.sort_by_key(|c| Capability::ALL.iter().position(|a| a == c));
        capabilities.dedup();
        let org = access::organisation(&self.db, p, organisation_id, Need::Manage).await?;
        if org.status != Status::Active.as_str() {
            return Err(Error::Conflict(
                "an archived organisation cannot be registered on Peppol".into(),
            ));
        }
        let (scheme, value) = (participant.scheme().icd, participant.value());
        let now = self.clock.now();
        let txn = self.write().await?;
        audit::lock(&txn, org.environment_id).await?;
        let holder = participant_id::Entity::find()
            .filter(participant_id::Column::Scheme.eq(scheme))
            .filter(participant_id::Column::Value.eq(value))
            .one(&txn)
            .await?;
        match holder {
            Some(h) if h.organisation_id != organisation_id => {
                return Err(Error::Conflict(format!(
                    "{participant} belongs to another organisation on this hub"
                )));
            }
            Some(_) => {}
            None => {
                crate::organisation::insert_participant_id(
                    &txn,
                    org.environment_id,
                    organisation_id,
                    scheme,
                    value,
                )
                .await?;
            }
        }
        let stored = capabilities
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(",");
        let existing = peppol_registration::Entity::find()
            .filter(peppol_registration::Column::OrganisationId.eq(organisation_id))
            .one(&txn)
            .await?;
        let model = match existing {
            Some(current) => {
                let mut active: peppol_registration::ActiveModel = current.into();
                active.scheme = Set(scheme.to_owned());
                active.value = Set(value.to_owned());
                active.capabilities = Set(stored);
                active.registered_at = Set(now);
                active.update(&txn).await?
            }
            None => {
                peppol_registration::ActiveModel {
                    environment_id: Set(org.environment_id),
                    organisation_id: Set(organisation_id),
                    scheme: Set(scheme.to_owned()),
                    value: Set(value.to_owned()),
                    capabilities: Set(stored),
                    migration_key_hmac: Set(None),
                    migration_key_expires_at: Set(None),
                    registered_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        let registration = Registration::from_model(model);
        audit::record(
            &txn,
            now,
            Event {
                environment_id: org.environment_id,
                actor: p.actor(),
                action: "peppol.registered",
                subject: format!("organisation:{organisation_id}"),
                details: serde_json::json!({
                    "participant_id": registration.participant_id,
                    "capabilities": registration.capabilities,
                }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(registration)
    }

    /// Removes an organisation's registration from the hub's SMP. Its participant id stays
    /// on the organisation.
    pub async fn peppol_deregister(&self, p: &Principal, organisation_id: i64) -> Result<()> {
        let org = access::organisation(&self.db, p, organisation_id, Need::Manage).await?;
        let txn = self.write().await?;
        audit::lock(&txn, org.environment_id).await?;
        let removed = peppol_registration::Entity::delete_many()
            .filter(peppol_registration::Column::OrganisationId.eq(organisation_id))
            .exec(&txn)
            .await?;
        if removed.rows_affected == 0 {
            return Err(Error::NotFound("Peppol registration"));
        }
        audit::record(
            &txn,
            self.clock.now(),
            Event {
                environment_id: org.environment_id,
                actor: p.actor(),
                action: "peppol.deregistered",
                subject: format!("organisation:{organisation_id}"),
                details: serde_json::json!({}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Issues a migration key for moving the registration to another provider: shown once,
    /// stored as an HMAC, valid [`MIGRATION_KEY_TTL_DAYS`] days. A new key replaces the old.
    pub async fn peppol_migration_key(
        &self,
        p: &Principal,
        organisation_id: i64,
    ) -> Result<String> {
        let org = access::organisation(&self.db, p, organisation_id, Need::Manage).await?;
        // The SML takes 8 to 24 characters; 24 alphanumerics carry about 142 bits.
        let key: String = crate::secret::token()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(24)
            .collect();
        let now = self.clock.now();
        let txn = self.write().await?;
        audit::lock(&txn, org.environment_id).await?;
        let current = peppol_registration::Entity::find()
            .filter(peppol_registration::Column::OrganisationId.eq(organisation_id))
            .one(&txn)
            .await?
            .ok_or(Error::NotFound("Peppol registration"))?;
        let mut active: peppol_registration::ActiveModel = current.into();
        active.migration_key_hmac = Set(Some(self.config.pepper.mac(&key)));
        active.migration_key_expires_at = Set(Some(now + Duration::days(MIGRATION_KEY_TTL_DAYS)));
        active.update(&txn).await?;
        audit::record(
            &txn,
            now,
            Event {
                environment_id: org.environment_id,
                actor: p.actor(),
                action: "peppol.migration_key_issued",
                subject: format!("organisation:{organisation_id}"),
                details: serde_json::json!({}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(key)
    }

    /// Whether `key` is the current, unexpired migration key of `participant` (what the SML
    /// asks when another provider takes the participant over).
    pub async fn peppol_migration_key_valid(
        &self,
        participant: &peppol::ParticipantId,
        key: &str,
    ) -> Result<bool> {
        let Some(registration) = self.registration_of(participant).await? else {
            return Ok(false);
        };
        let unexpired = registration
            .migration_key_expires_at
            .is_some_and(|at| at > self.clock.now());
        Ok(unexpired
            && registration
                .migration_key_hmac
                .is_some_and(|mac| self.config.pepper.verify(key, &mac)))
    }

    /// The Peppol health view of an organisation.
    pub async fn peppol_health(&self, p: &Principal, organisation_id: i64) -> Result<Health> {
        access::organisation(
            &self.db,
            p,
            organisation_id,
            Need::Read(Scope::OrganisationRead),
        )
        .await?;
        let registration = peppol_registration::Entity::find()
            .filter(peppol_registration::Column::OrganisationId.eq(organisation_id))
            .one(&self.db)
            .await?
            .map(Registration::from_model);
        let last = |direction: Direction| {
            peppol_message::Entity::find()
                .filter(peppol_message::Column::OrganisationId.eq(organisation_id))
                .filter(peppol_message::Column::Direction.eq(direction.as_str()))
                .order_by_desc(peppol_message::Column::UpdatedAt)
                .order_by_desc(peppol_message::Column::Id)
                .one(&self.db)
        };
        Ok(Health {
            registration,
            last_inbound: last(Direction::Inbound).await?.map(Exchange::from),
            last_outbound: last(Direction::Outbound).await?.map(Exchange::from),
        })
    }

    /// What the SMP publishes for `participant`, if it is registered here and its
    /// organisation is active. Public: the SMP answers anyone.
    pub async fn published(
        &self,
        participant: &peppol::ParticipantId,
    ) -> Result<Option<Published>> {
        let Some(registration) = self.registration_of(participant).await? else {
            return Ok(None);
        };
        let Some(org) = organisation::Entity::find_by_id(registration.organisation_id)
            .one(&self.db)
            .await?
            .filter(|o| o.status == Status::Active.as_str())
        else {
            return Ok(None);
        };
        let registration = Registration::from_model(registration);
        Ok(Some(Published {
            participant: participant.clone(),
            capabilities: registration.capabilities,
            name: org.name,
            country: org.country,
            registered_at: registration.registered_at,
        }))
    }

    async fn registration_of(
        &self,
        participant: &peppol::ParticipantId,
    ) -> Result<Option<peppol_registration::Model>> {
        Ok(peppol_registration::Entity::find()
            .filter(peppol_registration::Column::Scheme.eq(participant.scheme().icd))
            .filter(peppol_registration::Column::Value.eq(participant.value()))
            .one(&self.db)
            .await?)
    }
}

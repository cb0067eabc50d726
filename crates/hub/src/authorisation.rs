//! Authorisation requests: steps 1 to 4 of the intermediary flow (DESIGN.md).
//!
//! 1. The intermediary names the client's package, email and identifiers, and who pays.
//! 2. The client gets a single-use activation link that expires.
//! 3. The client opens it, signs up or logs in.
//! 4. The client accepts (the partnership is created in one transaction) or declines.
//!
//! Step 5, releasing the connection keys, is in [`crate::partnership`].
//!
//! The link's token is stored only as a hash, and a decision claims the request with a
//! conditional update, so a replayed or concurrent use of a link finds nothing to claim.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};

use crate::access;
use crate::audit::{self, Event};
use crate::entity::{authorisation_request, environment, organisation, partnership, user};
use crate::error::{Error, Result};
use crate::mail::Mail;
use crate::organisation::{Details, Ledger};
use crate::principal::{Principal, Role, Scope};
use crate::subscription::Feature;
use crate::{Hub, secret};

/// Who pays the transaction costs of a client organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaidBy {
    /// The intermediary's wallet.
    Intermediary,
    /// The client's own wallet.
    Client,
}

impl PaidBy {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PaidBy::Intermediary => "intermediary",
            PaidBy::Client => "client",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> PaidBy {
        if s == "client" {
            PaidBy::Client
        } else {
            PaidBy::Intermediary
        }
    }
}

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Mailed, waiting for the client.
    Pending,
    /// The client accepted; a partnership exists.
    Accepted,
    /// The client declined.
    Declined,
    /// The link expired before the client decided; it can be re-sent.
    Expired,
    /// The intermediary withdrew it.
    Withdrawn,
}

impl Status {
    fn at(stored: &str, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> Status {
        match stored {
            "accepted" => Status::Accepted,
            "declined" => Status::Declined,
            "withdrawn" => Status::Withdrawn,
            _ if expires_at <= now => Status::Expired,
            _ => Status::Pending,
        }
    }
}

/// Step 1: what the intermediary fills in.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NewRequest {
    /// The client's accounting package.
    pub ledger: Ledger,
    /// The client's email address; the activation link goes there.
    pub client_email: String,
    /// The client organisation's legal name.
    pub client_name: String,
    /// Its KvK number.
    #[serde(default)]
    pub kvk: Option<String>,
    /// Its VAT number.
    #[serde(default)]
    pub vat: Option<String>,
    /// Its Peppol participant id, `scheme:value`.
    #[serde(default)]
    pub participant_id: Option<String>,
    /// Who pays the transaction costs.
    pub paid_by: PaidBy,
}

/// A request as the intermediary sees it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Request {
    /// Id.
    pub id: i64,
    /// The client's email address.
    pub client_email: String,
    /// The client organisation's name.
    pub client_name: String,
    /// KvK number.
    pub kvk: Option<String>,
    /// VAT number.
    pub vat: Option<String>,
    /// Peppol participant id.
    pub participant_id: Option<String>,
    /// Accounting package.
    pub ledger: Ledger,
    /// Who pays.
    pub paid_by: PaidBy,
    /// Where it stands.
    pub status: Status,
    /// How often the link was mailed.
    pub sent_count: i32,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When the current link expires.
    pub expires_at: DateTime<Utc>,
    /// The partnership, once accepted.
    pub partnership_id: Option<i64>,
}

/// What the client sees when they open the link (step 3).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Invitation {
    /// The intermediary's name.
    pub intermediary: String,
    /// The request.
    #[serde(flatten)]
    pub request: Request,
}

/// The client's decision (step 4).
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct Decision {
    /// The token from the link.
    pub token: String,
    /// Accept (true) or decline (false).
    pub accept: bool,
    /// The client's existing organisation to link; a new one is made from the request when
    /// left out.
    #[serde(default)]
    pub organisation_id: Option<i64>,
}

impl Request {
    fn of(m: authorisation_request::Model, now: DateTime<Utc>) -> Request {
        Request {
            id: m.id,
            status: Status::at(&m.status, m.expires_at, now),
            client_email: m.client_email,
            client_name: m.client_name,
            kvk: m.kvk,
            vat: m.vat,
            participant_id: m.participant_id,
            ledger: Ledger::parse(&m.ledger).unwrap_or(Ledger::Other),
            paid_by: PaidBy::parse(&m.paid_by),
            sent_count: m.sent_count,
            created_at: m.created_at,
            expires_at: m.expires_at,
            partnership_id: m.partnership_id,
        }
    }
}

impl Hub {
    /// Step 1 and 2: records the request and mails the activation link. Needs Basic, and an
    /// administrator or advanced user. Returns the request and whether the mail went out.
    pub async fn request_authorisation(
        &self,
        p: &Principal,
        new: NewRequest,
    ) -> Result<(Request, bool)> {
        let (m, token) = self.create_request(p, new).await?;
        let sent = self.mail_activation(&m, &token).await?;
        Ok((Request::of(m, self.clock.now()), sent))
    }

    /// Records a request; returns it with the link's token (which is stored only hashed).
    pub(crate) async fn create_request(
        &self,
        p: &Principal,
        new: NewRequest,
    ) -> Result<(authorisation_request::Model, String)> {
        let u = access::user(p)?;
        if u.role < Role::Advanced {
            return Err(Error::Forbidden(
                "basic users cannot send authorisation requests".into(),
            ));
        }
        let client_email = crate::user::normalise_email(&new.client_email)?;
        // The request's identifiers get the same checks as an organisation's.
        let checked = Details {
            name: new.client_name,
            kvk: new.kvk,
            vat: new.vat,
            ledger: new.ledger,
            ..Details::default()
        }
        .checked()?;
        let participant_id = match new
            .participant_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(pid) => Some(
                peppol::participant::ParticipantId::parse(pid)
                    .map_err(|e| Error::invalid("participant_id", e.to_string()))?
                    .to_string(),
            ),
            None => None,
        };
        let token = secret::token();
        let now = self.clock.now();
        let txn = self.write().await?;
        audit::lock(&txn, u.environment_id).await?;
        Hub::tier_of(&txn, u.environment_id)
            .await?
            .require(Feature::AuthorisationRequests)?;
        let m = authorisation_request::ActiveModel {
            environment_id: Set(u.environment_id),
            created_by: Set(u.user_id),
            client_email: Set(client_email),
            client_name: Set(checked.name),
            kvk: Set(checked.kvk),
            vat: Set(checked.vat),
            participant_id: Set(participant_id),
            ledger: Set(new.ledger.as_str().to_owned()),
            paid_by: Set(new.paid_by.as_str().to_owned()),
            token_hash: Set(secret::token_hash(&token)),
            status: Set("pending".to_owned()),
            sent_count: Set(1),
            created_at: Set(now),
            expires_at: Set(now + self.config.activation_ttl),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        self.audit_request(&txn, p, &m, "authorisation.requested")
            .await?;
        txn.commit().await?;
        Ok((m, token))
    }

    async fn audit_request(
        &self,
        txn: &DatabaseTransaction,
        p: &Principal,
        m: &authorisation_request::Model,
        action: &'static str,
    ) -> Result<()> {
        audit::record(
            txn,
            self.clock.now(),
            Event {
                environment_id: m.environment_id,
                actor: p.actor(),
                action,
                subject: format!("authorisation_request:{}", m.id),
                details: serde_json::json!({
                    "client_email": m.client_email,
                    "client_name": m.client_name,
                    "ledger": m.ledger,
                    "paid_by": m.paid_by,
                }),
            },
        )
        .await
    }

    async fn mail_activation(&self, m: &authorisation_request::Model, token: &str) -> Result<bool> {
        let intermediary = environment::Entity::find_by_id(m.environment_id)
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound("environment"))?;
        let payer = match PaidBy::parse(&m.paid_by) {
            PaidBy::Intermediary => format!(
                "{} betaalt de transactiekosten / {} pays the transaction costs",
                intermediary.name, intermediary.name
            ),
            PaidBy::Client => {
                "U betaalt de transactiekosten zelf / You pay the transaction costs yourself"
                    .to_owned()
            }
        };
        Ok(self
            .send_mail(Mail {
                to: m.client_email.clone(),
                subject: format!("{} vraagt toegang tot {} / requests access to {}", intermediary.name, m.client_name, m.client_name),
                text: format!(
                    "{firm} wil de e-facturen van {client} verwerken in {ledger} via Postbode.\n\
                     {firm} would like to process the e-invoices of {client} in {ledger} through Postbode.\n\n\
                     {payer}.\n\n\
                     Bekijk en beantwoord het verzoek / Review and answer the request:\n\n\
                     {base}/activate/{token}\n\n\
                     Deze link werkt één keer en verloopt op {expires} (UTC).\n\
                     This link works once and expires on {expires} (UTC).\n",
                    firm = intermediary.name,
                    client = m.client_name,
                    ledger = Ledger::parse(&m.ledger).unwrap_or(Ledger::Other).label(),
                    base = self.config.base_url,
                    expires = m.expires_at.format("%Y-%m-%d %H:%M"),
                ),
            })
            .await)
    }

    /// The intermediary's requests, newest first.
    pub async fn authorisation_requests(&self, p: &Principal) -> Result<Vec<Request>> {
        let u = access::user(p)?;
        let now = self.clock.now();
        Ok(authorisation_request::Entity::find()
            .filter(authorisation_request::Column::EnvironmentId.eq(u.environment_id))
            .order_by_desc(authorisation_request::Column::CreatedAt)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| Request::of(m, now))
            .collect())
    }

    /// One of the intermediary's requests.
    pub async fn authorisation_request(&self, p: &Principal, id: i64) -> Result<Request> {
        let u = access::user(p)?;
        let m = authorisation_request::Entity::find_by_id(id)
            .filter(authorisation_request::Column::EnvironmentId.eq(u.environment_id))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound("authorisation request"))?;
        Ok(Request::of(m, self.clock.now()))
    }

    /// Step 3: the request behind an activation link. Anyone with the link may see it; a
    /// used, declined, withdrawn or expired link is `Gone`.
    pub async fn invitation(&self, token: &str) -> Result<Invitation> {
        let m = authorisation_request::Entity::find()
            .filter(authorisation_request::Column::TokenHash.eq(secret::token_hash(token)))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound("activation link"))?;
        let now = self.clock.now();
        let request = Request::of(m.clone(), now);
        if let Some(why) = gone(request.status) {
            return Err(Error::Gone(why.into()));
        }
        let intermediary = environment::Entity::find_by_id(m.environment_id)
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound("environment"))?;
        Ok(Invitation {
            intermediary: intermediary.name,
            request,
        })
    }

    /// Step 4: the client's administrator accepts or declines. Accepting creates the
    /// partnership (and the organisation, unless an existing one is named) in one
    /// transaction. Returns the request as decided.
    pub async fn decide_authorisation(&self, p: &Principal, decision: Decision) -> Result<Request> {
        let client = access::administrator(p)?;
        let now = self.clock.now();
        let txn = self.write().await?;
        let m = authorisation_request::Entity::find()
            .filter(
                authorisation_request::Column::TokenHash.eq(secret::token_hash(&decision.token)),
            )
            .one(&txn)
            .await?
            .ok_or(Error::NotFound("activation link"))?;
        if m.environment_id == client.environment_id {
            return Err(Error::Conflict(
                "this request was sent by your own environment; the client must answer it from theirs".into(),
            ));
        }
        // Lock both environments in id order, so two decisions never wait on each other.
        let (first, second) = (
            m.environment_id.min(client.environment_id),
            m.environment_id.max(client.environment_id),
        );
        audit::lock(&txn, first).await?;
        audit::lock(&txn, second).await?;
        let to = if decision.accept {
            "accepted"
        } else {
            "declined"
        };
        let claimed = authorisation_request::Entity::update_many()
            .col_expr(authorisation_request::Column::Status, Expr::value(to))
            .col_expr(authorisation_request::Column::DecidedAt, Expr::value(now))
            .col_expr(
                authorisation_request::Column::ClientEnvironmentId,
                Expr::value(client.environment_id),
            )
            .filter(authorisation_request::Column::Id.eq(m.id))
            .filter(authorisation_request::Column::Status.eq("pending"))
            .filter(authorisation_request::Column::ExpiresAt.gt(now))
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            let why = gone(Status::at(&m.status, m.expires_at, now))
                .unwrap_or("this link was already used");
            return Err(Error::Gone(why.into()));
        }
        if !decision.accept {
            self.audit_decision(
                &txn,
                p,
                &m,
                client.environment_id,
                "authorisation.declined",
                None,
            )
            .await?;
            txn.commit().await?;
            return self.request_by_id(m.id).await;
        }
        let organisation = match decision.organisation_id {
            Some(id) => {
                let org = organisation::Entity::find_by_id(id)
                    .filter(organisation::Column::EnvironmentId.eq(client.environment_id))
                    .one(&txn)
                    .await?
                    .ok_or(Error::NotFound("organisation"))?;
                if Hub::active_partnership(&txn, id).await?.is_some() {
                    return Err(Error::Conflict(format!(
                        "{} is already managed through another partnership; revoke that one first",
                        org.name
                    )));
                }
                org
            }
            None => {
                let details = Details {
                    name: m.client_name.clone(),
                    kvk: m.kvk.clone(),
                    vat: m.vat.clone(),
                    ledger: Ledger::parse(&m.ledger).unwrap_or(Ledger::Other),
                    contact_email: Some(m.client_email.clone()),
                    ..Details::default()
                }
                .checked()?;
                crate::organisation::insert(&txn, client.environment_id, details, now).await?
            }
        };
        let partnership = partnership::ActiveModel {
            environment_id: Set(m.environment_id),
            client_environment_id: Set(client.environment_id),
            organisation_id: Set(organisation.id),
            request_id: Set(m.id),
            paid_by: Set(m.paid_by.clone()),
            scopes: Set(Scope::format_list(&Scope::ALL)),
            status: Set(crate::partnership::ACTIVE.to_owned()),
            created_at: Set(now),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        authorisation_request::Entity::update_many()
            .col_expr(
                authorisation_request::Column::OrganisationId,
                Expr::value(organisation.id),
            )
            .col_expr(
                authorisation_request::Column::PartnershipId,
                Expr::value(partnership.id),
            )
            .filter(authorisation_request::Column::Id.eq(m.id))
            .exec(&txn)
            .await?;
        if let Some(pid) = m.participant_id.as_deref() {
            self.register_participant_in(&txn, &organisation, pid)
                .await?;
        }
        self.audit_decision(
            &txn,
            p,
            &m,
            client.environment_id,
            "authorisation.accepted",
            Some((&organisation, &partnership)),
        )
        .await?;
        txn.commit().await?;
        self.notify_intermediary(&m, &organisation.name).await?;
        self.request_by_id(m.id).await
    }

    /// Registers the request's participant id on the new organisation, unless the hub
    /// already has it (then the client adds it later; the acceptance must not fail on it).
    async fn register_participant_in(
        &self,
        txn: &DatabaseTransaction,
        org: &organisation::Model,
        participant: &str,
    ) -> Result<()> {
        let Ok(parsed) = peppol::participant::ParticipantId::parse(participant) else {
            return Ok(());
        };
        let taken = crate::entity::participant_id::Entity::find()
            .filter(crate::entity::participant_id::Column::Scheme.eq(parsed.scheme().icd))
            .filter(crate::entity::participant_id::Column::Value.eq(parsed.value()))
            .count(txn)
            .await?;
        if taken == 0 {
            crate::entity::participant_id::ActiveModel {
                environment_id: Set(org.environment_id),
                organisation_id: Set(org.id),
                scheme: Set(parsed.scheme().icd.to_owned()),
                value: Set(parsed.value().to_owned()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        Ok(())
    }

    async fn audit_decision(
        &self,
        txn: &DatabaseTransaction,
        p: &Principal,
        m: &authorisation_request::Model,
        client_env: i64,
        action: &'static str,
        made: Option<(&organisation::Model, &partnership::Model)>,
    ) -> Result<()> {
        let details = match made {
            Some((org, partnership)) => serde_json::json!({
                "request": m.id, "organisation": org.id, "organisation_name": org.name,
                "partnership": partnership.id, "paid_by": m.paid_by,
            }),
            None => serde_json::json!({ "request": m.id, "client_name": m.client_name }),
        };
        for environment_id in [m.environment_id, client_env] {
            audit::record(
                txn,
                self.clock.now(),
                Event {
                    environment_id,
                    actor: p.actor(),
                    action,
                    subject: format!("authorisation_request:{}", m.id),
                    details: details.clone(),
                },
            )
            .await?;
        }
        Ok(())
    }

    async fn notify_intermediary(
        &self,
        m: &authorisation_request::Model,
        organisation: &str,
    ) -> Result<()> {
        let Some(creator) = user::Entity::find_by_id(m.created_by).one(&self.db).await? else {
            return Ok(());
        };
        self.send_mail(Mail {
            to: creator.email,
            subject: format!("{organisation} heeft uw verzoek geaccepteerd / accepted your request"),
            text: format!(
                "{organisation} heeft uw autorisatieverzoek geaccepteerd. De koppelsleutels staan klaar:\n\
                 {organisation} accepted your authorisation request. The connection keys are ready:\n\n\
                 {base}/partnerships\n",
                base = self.config.base_url,
            ),
        })
        .await;
        Ok(())
    }

    pub(crate) async fn request_by_id(&self, id: i64) -> Result<Request> {
        let m = authorisation_request::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound("authorisation request"))?;
        Ok(Request::of(m, self.clock.now()))
    }

    /// Mails a fresh link for a pending or expired request. The old link stops working.
    pub async fn resend_authorisation(&self, p: &Principal, id: i64) -> Result<(Request, bool)> {
        let u = access::user(p)?;
        if u.role < Role::Advanced {
            return Err(Error::Forbidden(
                "basic users cannot send authorisation requests".into(),
            ));
        }
        let token = secret::token();
        let now = self.clock.now();
        let txn = self.write().await?;
        audit::lock(&txn, u.environment_id).await?;
        let m = authorisation_request::Entity::find_by_id(id)
            .filter(authorisation_request::Column::EnvironmentId.eq(u.environment_id))
            .one(&txn)
            .await?
            .ok_or(Error::NotFound("authorisation request"))?;
        if !matches!(
            Status::at(&m.status, m.expires_at, now),
            Status::Pending | Status::Expired
        ) {
            return Err(Error::Conflict(
                "only a pending or expired request can be re-sent".into(),
            ));
        }
        let sent_count = m.sent_count + 1;
        let mut active: authorisation_request::ActiveModel = m.into();
        active.token_hash = Set(secret::token_hash(&token));
        active.expires_at = Set(now + self.config.activation_ttl);
        active.sent_count = Set(sent_count);
        let m = active.update(&txn).await?;
        self.audit_request(&txn, p, &m, "authorisation.resent")
            .await?;
        txn.commit().await?;
        let sent = self.mail_activation(&m, &token).await?;
        Ok((Request::of(m, now), sent))
    }

    /// Withdraws a pending request; its link stops working.
    pub async fn withdraw_authorisation(&self, p: &Principal, id: i64) -> Result<Request> {
        let u = access::user(p)?;
        if u.role < Role::Advanced {
            return Err(Error::Forbidden(
                "basic users cannot withdraw authorisation requests".into(),
            ));
        }
        let txn = self.write().await?;
        audit::lock(&txn, u.environment_id).await?;
        let m = authorisation_request::Entity::find_by_id(id)
            .filter(authorisation_request::Column::EnvironmentId.eq(u.environment_id))
            .one(&txn)
            .await?
            .ok_or(Error::NotFound("authorisation request"))?;
        let withdrawn = authorisation_request::Entity::update_many()
            .col_expr(
                authorisation_request::Column::Status,
                Expr::value("withdrawn"),
            )
            .filter(authorisation_request::Column::Id.eq(id))
            .filter(authorisation_request::Column::Status.eq("pending"))
            .exec(&txn)
            .await?;
        if withdrawn.rows_affected != 1 {
            return Err(Error::Conflict(
                "only a pending request can be withdrawn".into(),
            ));
        }
        self.audit_request(&txn, p, &m, "authorisation.withdrawn")
            .await?;
        txn.commit().await?;
        self.request_by_id(id).await
    }
}

/// Why a link in this state no longer works, or `None` while it does.
fn gone(status: Status) -> Option<&'static str> {
    match status {
        Status::Pending => None,
        Status::Accepted => Some("this link was already used: the request has been accepted"),
        Status::Declined => Some("this link was already used: the request has been declined"),
        Status::Expired => Some("this link has expired; ask the sender to send it again"),
        Status::Withdrawn => Some("the sender has withdrawn this request"),
    }
}

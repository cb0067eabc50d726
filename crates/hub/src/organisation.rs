//! Organisations (administrations): identifiers, addresses, the accounting package, Peppol
//! participant ids, inbound email aliases and status, and the accountant's overview of all.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::Order;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use crate::Hub;
use crate::access::{self, Need};
use crate::audit::{self, Event};
use crate::entity::{email_alias, monthly_usage, organisation, participant_id, partnership};
use crate::error::{Error, Result};
use crate::principal::{Principal, Scope};
use crate::subscription::Feature;

/// The accounting package an organisation books in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ledger {
    /// Exact Online.
    ExactOnline,
    /// Yuki.
    Yuki,
    /// SnelStart.
    Snelstart,
    /// Twinfield.
    Twinfield,
    /// Unit4.
    Unit4,
    /// Microsoft Dynamics 365 Business Central.
    BusinessCentral,
    /// AFAS Profit.
    Afas,
    /// e-Boekhouden.nl.
    EBoekhouden,
    /// Another package, connected through the REST API.
    #[default]
    Other,
}

impl Ledger {
    /// Every package, in the order the wizard shows them.
    pub const ALL: [Ledger; 9] = [
        Ledger::ExactOnline,
        Ledger::Twinfield,
        Ledger::Yuki,
        Ledger::Snelstart,
        Ledger::EBoekhouden,
        Ledger::Afas,
        Ledger::Unit4,
        Ledger::BusinessCentral,
        Ledger::Other,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Ledger::ExactOnline => "exact_online",
            Ledger::Yuki => "yuki",
            Ledger::Snelstart => "snelstart",
            Ledger::Twinfield => "twinfield",
            Ledger::Unit4 => "unit4",
            Ledger::BusinessCentral => "business_central",
            Ledger::Afas => "afas",
            Ledger::EBoekhouden => "e_boekhouden",
            Ledger::Other => "other",
        }
    }

    /// The product's own name.
    pub fn label(self) -> &'static str {
        match self {
            Ledger::ExactOnline => "Exact Online",
            Ledger::Yuki => "Yuki",
            Ledger::Snelstart => "SnelStart",
            Ledger::Twinfield => "Twinfield",
            Ledger::Unit4 => "Unit4",
            Ledger::BusinessCentral => "Business Central",
            Ledger::Afas => "AFAS",
            Ledger::EBoekhouden => "e-Boekhouden",
            Ledger::Other => "Other (REST API)",
        }
    }

    /// Parses a stored or wire name.
    pub fn parse(s: &str) -> Option<Ledger> {
        Ledger::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// Whether an organisation is in use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Receiving and sending.
    Active,
    /// Kept for the records; nothing flows.
    Archived,
}

impl Status {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Archived => "archived",
        }
    }

    fn parse(s: &str) -> Status {
        if s == "archived" {
            Status::Archived
        } else {
            Status::Active
        }
    }
}

/// An organisation's editable details.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Details {
    /// Legal name.
    pub name: String,
    /// Chamber of Commerce (KvK) number: 8 digits.
    #[serde(default)]
    pub kvk: Option<String>,
    /// VAT number with country prefix, e.g. NL123456789B01.
    #[serde(default)]
    pub vat: Option<String>,
    /// Government organisation id (OIN): 20 digits.
    #[serde(default)]
    pub oin: Option<String>,
    /// Global Location Number: 13 digits with a GS1 check digit.
    #[serde(default)]
    pub gln: Option<String>,
    /// Street and number.
    #[serde(default)]
    pub street: Option<String>,
    /// Postcode.
    #[serde(default)]
    pub postcode: Option<String>,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// ISO 3166 country code; NL when left out.
    #[serde(default)]
    pub country: Option<String>,
    /// Contact person.
    #[serde(default)]
    pub contact_name: Option<String>,
    /// Contact email address.
    #[serde(default)]
    pub contact_email: Option<String>,
    /// Accounting package.
    #[serde(default)]
    pub ledger: Ledger,
}

/// An organisation as shown on its own page and by the API.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Organisation {
    /// Id.
    pub id: i64,
    /// The owning environment.
    pub environment_id: i64,
    /// Details.
    #[serde(flatten)]
    pub details: Details,
    /// Status.
    pub status: Status,
    /// Peppol participant ids, `scheme:value`.
    pub participant_ids: Vec<String>,
    /// Inbound email aliases.
    pub email_aliases: Vec<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// One row of the accountant's overview.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Summary {
    /// Id.
    pub id: i64,
    /// Legal name.
    pub name: String,
    /// KvK number.
    pub kvk: Option<String>,
    /// Accounting package.
    pub ledger: Ledger,
    /// Status.
    pub status: Status,
    /// Whether the viewer's environment owns it (otherwise it is a client through a partnership).
    pub own: bool,
    /// Transactions this calendar month.
    pub transactions_this_month: u64,
}

/// How to filter and sort the overview.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Query {
    /// Case-insensitive text in the name, KvK or VAT number.
    pub q: Option<String>,
    /// Only this status.
    pub status: Option<Status>,
    /// Only this accounting package.
    pub ledger: Option<Ledger>,
    /// `name` (default), `-name`, `created` or `-created`.
    pub sort: Option<String>,
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Rows per page (1 to 200; 50 by default).
    pub per_page: Option<u64>,
}

/// A page of results.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// This page, from 1.
    pub page: u64,
    /// Rows per page.
    pub per_page: u64,
    /// Rows in all pages.
    pub total: u64,
}

fn optional(field: &'static str, value: Option<String>, max: usize) -> Result<Option<String>> {
    let Some(value) = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > max || value.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            format!("use at most {max} characters, without control characters"),
        ));
    }
    Ok(Some(value))
}

/// Checks an identifier through the Peppol scheme that defines it, so KvK, OIN, GLN and
/// Dutch VAT numbers get the same structure and check-digit rules as participant ids.
fn identifier(field: &'static str, scheme: &str, value: Option<String>) -> Result<Option<String>> {
    let Some(value) = optional(field, value, 64)? else {
        return Ok(None);
    };
    let value: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    peppol::participant::ParticipantId::parse(&format!("{scheme}:{value}"))
        .map_err(|e| Error::invalid(field, e.to_string()))?;
    Ok(Some(value))
}

impl Details {
    /// Trims, checks and normalises every field.
    pub(crate) fn checked(self) -> Result<Details> {
        let name = self.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(Error::invalid(
                "name",
                "give the legal name (1 to 200 characters)",
            ));
        }
        let country = optional("country", self.country, 2)?
            .unwrap_or_else(|| "NL".into())
            .to_uppercase();
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::invalid(
                "country",
                "give a two-letter ISO 3166 code such as NL",
            ));
        }
        let vat = optional("vat", self.vat, 20)?.map(|v| v.to_uppercase().replace([' ', '.'], ""));
        let vat = match vat {
            Some(v) if v.starts_with("NL") => identifier("vat", "9944", Some(v))?,
            Some(v)
                if v.len() >= 4
                    && v.bytes().take(2).all(|b| b.is_ascii_uppercase())
                    && v.bytes().all(|b| b.is_ascii_alphanumeric()) =>
            {
                Some(v)
            }
            Some(_) => {
                return Err(Error::invalid(
                    "vat",
                    "give the VAT number with its country prefix, such as NL123456789B01",
                ));
            }
            None => None,
        };
        let contact_email = match optional("contact_email", self.contact_email, 254)? {
            Some(e) => Some(crate::user::normalise_email(&e).map_err(|_| {
                Error::invalid(
                    "contact_email",
                    "give an email address such as name@example.nl",
                )
            })?),
            None => None,
        };
        Ok(Details {
            name,
            kvk: identifier("kvk", "0106", self.kvk)?,
            vat,
            oin: identifier("oin", "0190", self.oin)?,
            gln: identifier("gln", "0088", self.gln)?,
            street: optional("street", self.street, 200)?,
            postcode: optional("postcode", self.postcode, 16)?,
            city: optional("city", self.city, 100)?,
            country: Some(country),
            contact_name: optional("contact_name", self.contact_name, 200)?,
            contact_email,
            ledger: self.ledger,
        })
    }

    fn apply(self, m: &mut organisation::ActiveModel) {
        m.name = Set(self.name);
        m.kvk = Set(self.kvk);
        m.vat = Set(self.vat);
        m.oin = Set(self.oin);
        m.gln = Set(self.gln);
        m.street = Set(self.street);
        m.postcode = Set(self.postcode);
        m.city = Set(self.city);
        m.country = Set(self.country.unwrap_or_else(|| "NL".into()));
        m.contact_name = Set(self.contact_name);
        m.contact_email = Set(self.contact_email);
        m.ledger = Set(self.ledger.as_str().to_owned());
    }

    fn of(m: &organisation::Model) -> Details {
        Details {
            name: m.name.clone(),
            kvk: m.kvk.clone(),
            vat: m.vat.clone(),
            oin: m.oin.clone(),
            gln: m.gln.clone(),
            street: m.street.clone(),
            postcode: m.postcode.clone(),
            city: m.city.clone(),
            country: Some(m.country.clone()),
            contact_name: m.contact_name.clone(),
            contact_email: m.contact_email.clone(),
            ledger: Ledger::parse(&m.ledger).unwrap_or(Ledger::Other),
        }
    }
}

/// Adds an organisation owned by `environment_id` inside `txn`, with `details` already
/// [checked](Details::checked). Every way an environment gains an organisation comes here,
/// so the Free tier's limit of one holds for all of them. The caller holds the lock and audits.
pub(crate) async fn insert(
    txn: &DatabaseTransaction,
    environment_id: i64,
    details: Details,
    now: DateTime<Utc>,
) -> Result<organisation::Model> {
    let owned = organisation::Entity::find()
        .filter(organisation::Column::EnvironmentId.eq(environment_id))
        .count(txn)
        .await?;
    if owned >= 1 {
        Hub::tier_of(txn, environment_id)
            .await?
            .require(Feature::UnlimitedOrganisations)?;
    }
    let mut m = organisation::ActiveModel {
        environment_id: Set(environment_id),
        status: Set(Status::Active.as_str().to_owned()),
        created_at: Set(now),
        ..Default::default()
    };
    details.apply(&mut m);
    Ok(m.insert(txn).await?)
}

impl Hub {
    /// Creates an organisation owned by the acting user's environment. The Free tier has one.
    pub async fn create_organisation(
        &self,
        p: &Principal,
        details: Details,
    ) -> Result<Organisation> {
        let u = access::user(p)?;
        if u.role < crate::Role::Advanced {
            return Err(Error::Forbidden(
                "basic users cannot create organisations".into(),
            ));
        }
        let details = details.checked()?;
        let now = self.clock.now();
        let txn = self.write().await?;
        audit::lock(&txn, u.environment_id).await?;
        let org = insert(&txn, u.environment_id, details, now).await?;
        audit::record(
            &txn,
            now,
            Event {
                environment_id: u.environment_id,
                actor: p.actor(),
                action: "organisation.created",
                subject: format!("organisation:{}", org.id),
                details: serde_json::json!({ "name": org.name }),
            },
        )
        .await?;
        txn.commit().await?;
        self.full(&self.db, org).await
    }

    /// One organisation, if the principal reaches it.
    pub async fn organisation(&self, p: &Principal, id: i64) -> Result<Organisation> {
        let org =
            access::organisation(&self.db, p, id, Need::Read(Scope::OrganisationRead)).await?;
        self.full(&self.db, org).await
    }

    async fn full<C: ConnectionTrait>(
        &self,
        db: &C,
        org: organisation::Model,
    ) -> Result<Organisation> {
        let participant_ids = participant_id::Entity::find()
            .filter(participant_id::Column::OrganisationId.eq(org.id))
            .order_by_asc(participant_id::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|p| format!("{}:{}", p.scheme, p.value))
            .collect();
        let email_aliases = email_alias::Entity::find()
            .filter(email_alias::Column::OrganisationId.eq(org.id))
            .order_by_asc(email_alias::Column::Alias)
            .all(db)
            .await?
            .into_iter()
            .map(|a| a.alias)
            .collect();
        Ok(Organisation {
            id: org.id,
            environment_id: org.environment_id,
            details: Details::of(&org),
            status: Status::parse(&org.status),
            participant_ids,
            email_aliases,
            created_at: org.created_at,
        })
    }

    /// Changes an organisation's details. The owner's users and the intermediary's may.
    pub async fn update_organisation(
        &self,
        p: &Principal,
        id: i64,
        details: Details,
    ) -> Result<Organisation> {
        let details = details.checked()?;
        let org = access::organisation(&self.db, p, id, Need::Manage).await?;
        let txn = self.write().await?;
        audit::lock(&txn, org.environment_id).await?;
        let before = Details::of(&org);
        let mut m: organisation::ActiveModel = org.into();
        details.clone().apply(&mut m);
        let org = m.update(&txn).await?;
        audit::record(
            &txn,
            self.clock.now(),
            Event {
                environment_id: org.environment_id,
                actor: p.actor(),
                action: "organisation.updated",
                subject: format!("organisation:{id}"),
                details: serde_json::json!({ "before": before, "after": details }),
            },
        )
        .await?;
        txn.commit().await?;
        self.full(&self.db, org).await
    }

    /// Archives or reactivates an organisation.
    pub async fn set_organisation_status(
        &self,
        p: &Principal,
        id: i64,
        status: Status,
    ) -> Result<Organisation> {
        let org = access::organisation(&self.db, p, id, Need::Manage).await?;
        let txn = self.write().await?;
        audit::lock(&txn, org.environment_id).await?;
        let mut m: organisation::ActiveModel = org.into();
        m.status = Set(status.as_str().to_owned());
        let org = m.update(&txn).await?;
        audit::record(
            &txn,
            self.clock.now(),
            Event {
                environment_id: org.environment_id,
                actor: p.actor(),
                action: "organisation.status_changed",
                subject: format!("organisation:{id}"),
                details: serde_json::json!({ "status": status.as_str() }),
            },
        )
        .await?;
        txn.commit().await?;
        self.full(&self.db, org).await
    }

    /// Registers a Peppol participant id (`scheme:value` or the full
    /// `iso6523-actorid-upis::scheme:value`) for an organisation. An id belongs to one
    /// organisation on the whole hub.
    pub async fn add_participant_id(
        &self,
        p: &Principal,
        id: i64,
        participant: &str,
    ) -> Result<Organisation> {
        let parsed = peppol::participant::ParticipantId::parse(participant)
            .map_err(|e| Error::invalid("participant_id", e.to_string()))?;
        let org = access::organisation(&self.db, p, id, Need::Manage).await?;
        let (scheme, value) = (parsed.scheme().icd.to_owned(), parsed.value().to_owned());
        let txn = self.write().await?;
        audit::lock(&txn, org.environment_id).await?;
        let taken = participant_id::Entity::find()
            .filter(participant_id::Column::Scheme.eq(&scheme))
            .filter(participant_id::Column::Value.eq(&value))
            .count(&txn)
            .await?;
        if taken > 0 {
            return Err(Error::Conflict(format!(
                "{scheme}:{value} is already registered on this hub"
            )));
        }
        insert_participant_id(&txn, org.environment_id, id, &scheme, &value).await?;
        self.audit_change(
            &txn,
            p,
            &org,
            "organisation.participant_id_added",
            serde_json::json!({ "participant_id": format!("{scheme}:{value}") }),
        )
        .await?;
        txn.commit().await?;
        self.full(&self.db, org).await
    }

    /// Removes a participant id from an organisation.
    pub async fn remove_participant_id(
        &self,
        p: &Principal,
        id: i64,
        participant: &str,
    ) -> Result<Organisation> {
        let parsed = peppol::participant::ParticipantId::parse(participant)
            .map_err(|e| Error::invalid("participant_id", e.to_string()))?;
        let org = access::organisation(&self.db, p, id, Need::Manage).await?;
        let txn = self.write().await?;
        audit::lock(&txn, org.environment_id).await?;
        // The SMP publishes the id while it is registered; removing it would leave a
        // registration for an id the organisation no longer has.
        let registered = crate::entity::peppol_registration::Entity::find()
            .filter(crate::entity::peppol_registration::Column::OrganisationId.eq(id))
            .filter(crate::entity::peppol_registration::Column::Scheme.eq(parsed.scheme().icd))
            .filter(crate::entity::peppol_registration::Column::Value.eq(parsed.value()))
            .count(&txn)
            .await?;
        if registered > 0 {
            return Err(Error::Conflict(format!(
                "{parsed} is registered on Peppol; deregister it first"
            )));
        }
        let removed = participant_id::Entity::delete_many()
            .filter(participant_id::Column::OrganisationId.eq(id))
            .filter(participant_id::Column::Scheme.eq(parsed.scheme().icd))
            .filter(participant_id::Column::Value.eq(parsed.value()))
            .exec(&txn)
            .await?;
        if removed.rows_affected == 0 {
            return Err(Error::NotFound("participant id"));
        }
        self.audit_change(
            &txn,
            p,
            &org,
            "organisation.participant_id_removed",
            serde_json::json!({ "participant_id": parsed.to_string() }),
        )
        .await?;
        txn.commit().await?;
        self.full(&self.db, org).await
    }

    /// Adds an inbound email alias (the local part before the hub's mail domain). Needs the
    /// email receiver (Basic).
    pub async fn add_email_alias(
        &self,
        p: &Principal,
        id: i64,
        alias: &str,
    ) -> Result<Organisation> {
        let alias = alias.trim().to_lowercase();
        let valid = (3..=64).contains(&alias.len())
            && alias
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
            && !alias.starts_with(['.', '-'])
            && !alias.ends_with(['.', '-']);
        if !valid {
            return Err(Error::invalid(
                "alias",
                "use 3 to 64 lowercase letters, digits, dots or dashes",
            ));
        }
        let org = access::organisation(&self.db, p, id, Need::Manage).await?;
        let payer_env = access::user(p)?.environment_id;
        Hub::tier_of(&self.db, payer_env)
            .await?
            .require(Feature::EmailReceiver)?;
        let txn = self.write().await?;
        audit::lock(&txn, org.environment_id).await?;
        if email_alias::Entity::find()
            .filter(email_alias::Column::Alias.eq(&alias))
            .count(&txn)
            .await?
            > 0
        {
            return Err(Error::Conflict(format!(
                "the alias {alias} is already in use"
            )));
        }
        email_alias::ActiveModel {
            environment_id: Set(org.environment_id),
            organisation_id: Set(id),
            alias: Set(alias.clone()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        self.audit_change(
            &txn,
            p,
            &org,
            "organisation.alias_added",
            serde_json::json!({ "alias": alias }),
        )
        .await?;
        txn.commit().await?;
        self.full(&self.db, org).await
    }

    async fn audit_change(
        &self,
        txn: &DatabaseTransaction,
        p: &Principal,
        org: &organisation::Model,
        action: &'static str,
        details: serde_json::Value,
    ) -> Result<()> {
        audit::record(
            txn,
            self.clock.now(),
            Event {
                environment_id: org.environment_id,
                actor: p.actor(),
                action,
                subject: format!("organisation:{}", org.id),
                details,
            },
        )
        .await
    }

    /// The overview: every organisation the principal reaches, filtered, sorted and paged.
    /// A connection key sees only its own organisation.
    pub async fn organisations(&self, p: &Principal, query: &Query) -> Result<Page<Summary>> {
        let per_page = query.per_page.unwrap_or(50).clamp(1, 200);
        let page = Ord::max(query.page.unwrap_or(1), 1);
        let (scope, viewer_env) = match p {
            Principal::User(u) => (access::reachable_by(u), u.environment_id),
            Principal::Key(k) => {
                if !k.scopes.contains(&Scope::OrganisationRead) {
                    return Err(Error::Forbidden(
                        "this connection key lacks the scope organisation:read".into(),
                    ));
                }
                (
                    Condition::all().add(organisation::Column::Id.eq(k.organisation_id)),
                    -1,
                )
            }
            Principal::System => (Condition::all(), -1),
        };
        let mut select = organisation::Entity::find().filter(scope);
        if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let pattern = format!("%{}%", q.to_lowercase().replace(['%', '_'], ""));
            select = select.filter(
                Condition::any()
                    .add(
                        Expr::expr(Func::lower(Expr::col(organisation::Column::Name)))
                            .like(pattern.clone()),
                    )
                    .add(
                        Expr::expr(Func::lower(Expr::col(organisation::Column::Kvk)))
                            .like(pattern.clone()),
                    )
                    .add(
                        Expr::expr(Func::lower(Expr::col(organisation::Column::Vat))).like(pattern),
                    ),
            );
        }
        if let Some(status) = query.status {
            select = select.filter(organisation::Column::Status.eq(status.as_str()));
        }
        if let Some(ledger) = query.ledger {
            select = select.filter(organisation::Column::Ledger.eq(ledger.as_str()));
        }
        // Names sort the way people read them, whatever the case and the database collation.
        let by_name = Expr::expr(Func::lower(Expr::col(organisation::Column::Name)));
        select = match query.sort.as_deref().unwrap_or("name") {
            "-name" => select.order_by(by_name, Order::Desc),
            "created" => select.order_by_asc(organisation::Column::CreatedAt),
            "-created" => select.order_by_desc(organisation::Column::CreatedAt),
            "name" => select.order_by(by_name, Order::Asc),
            other => {
                return Err(Error::invalid(
                    "sort",
                    format!("{other} is not a sort order; use name, -name, created or -created"),
                ));
            }
        }
        .order_by_asc(organisation::Column::Id);
        let total = select.clone().count(&self.db).await?;
        let rows = select
            .offset((page - 1) * per_page)
            .limit(per_page)
            .all(&self.db)
            .await?;
        let counts = self
            .month_counts(rows.iter().map(|o| o.id).collect())
            .await?;
        let items = rows
            .into_iter()
            .map(|o| Summary {
                transactions_this_month: counts.get(&o.id).copied().unwrap_or(0),
                own: o.environment_id == viewer_env,
                ledger: Ledger::parse(&o.ledger).unwrap_or(Ledger::Other),
                status: Status::parse(&o.status),
                id: o.id,
                name: o.name,
                kvk: o.kvk,
            })
            .collect();
        Ok(Page {
            items,
            page,
            per_page,
            total,
        })
    }

    /// Charges this month per organisation, from the monthly usage rows (a few per
    /// organisation), so the overview never scans transactions.
    async fn month_counts(&self, ids: Vec<i64>) -> Result<HashMap<i64, u64>> {
        let mut counts = HashMap::new();
        if ids.is_empty() {
            return Ok(counts);
        }
        let month = crate::wallet::month_of(self.clock.now());
        let rows: Vec<(i64, i64)> = monthly_usage::Entity::find()
            .select_only()
            .column(monthly_usage::Column::OrganisationId)
            .column(monthly_usage::Column::Count)
            .filter(monthly_usage::Column::OrganisationId.is_in(ids))
            .filter(monthly_usage::Column::Month.eq(month))
            .into_tuple()
            .all(&self.db)
            .await?;
        for (id, n) in rows {
            *counts.entry(id).or_default() += u64::try_from(n).unwrap_or(0);
        }
        Ok(counts)
    }

    /// The active partnership of an organisation, if it has one (for the payer).
    pub(crate) async fn active_partnership<C: ConnectionTrait>(
        db: &C,
        organisation_id: i64,
    ) -> Result<Option<partnership::Model>> {
        Ok(partnership::Entity::find()
            .filter(partnership::Column::OrganisationId.eq(organisation_id))
            .filter(partnership::Column::Status.eq(crate::partnership::ACTIVE))
            .one(db)
            .await?)
    }
}

/// Adds a participant id row; the caller checked it is free and holds the audit lock.
pub(crate) async fn insert_participant_id<C: ConnectionTrait>(
    db: &C,
    environment_id: i64,
    organisation_id: i64,
    scheme: &str,
    value: &str,
) -> Result<()> {
    participant_id::ActiveModel {
        environment_id: Set(environment_id),
        organisation_id: Set(organisation_id),
        scheme: Set(scheme.to_owned()),
        value: Set(value.to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

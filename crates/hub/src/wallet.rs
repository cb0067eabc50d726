//! The credit wallet: top-ups, charges to the payer a partnership names ("Paid by"),
//! the "Paid by" overview, and budgets per client organisation with an alert near the cap
//! (which stays on the home page until someone resolves it).
//!
//! The pure part ([`Kind`], [`blocks_when_overdrawn`], [`budget_state`]) decides; the
//! service methods store. A charge, its monthly usage row, the balance and any budget alert
//! are written in one transaction under the payer's lock.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use crate::Hub;
use crate::access::{self, Need};
use crate::audit::{self, Event};
use crate::authorisation::PaidBy;
use crate::entity::{
    alert, budget, environment, monthly_usage, organisation, partnership, price, transaction, user,
};
use crate::error::{Error, Result};
use crate::mail::Mail;
use crate::principal::{Principal, Scope};

/// A billable event (or a top-up).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Credit added to the wallet.
    TopUp,
    /// A sales invoice sent by hand from the portal.
    ManualSend,
    /// A sales invoice sent automatically (by a connector).
    AutomaticSend,
    /// A sales invoice sent through the REST API.
    ApiSend,
    /// A purchase invoice received as XML.
    XmlReceived,
    /// A PDF turned into an e-invoice.
    PdfConversion,
}

impl Kind {
    /// Every charge kind (all but top-ups), in the order price lists show them.
    pub const CHARGES: [Kind; 5] = [
        Kind::ManualSend,
        Kind::AutomaticSend,
        Kind::ApiSend,
        Kind::XmlReceived,
        Kind::PdfConversion,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::TopUp => "top_up",
            Kind::ManualSend => "manual_send",
            Kind::AutomaticSend => "automatic_send",
            Kind::ApiSend => "api_send",
            Kind::XmlReceived => "xml_received",
            Kind::PdfConversion => "pdf_conversion",
        }
    }

    /// Parses a stored or wire name.
    pub fn parse(s: &str) -> Option<Kind> {
        std::iter::once(Kind::TopUp)
            .chain(Kind::CHARGES)
            .find(|k| k.as_str() == s)
    }
}

/// Whether an overdrawn wallet refuses this kind. Only automatic and API sending stop:
/// receiving never does, because a refused invoice would be lost to the client, and a
/// manual send is free.
pub fn blocks_when_overdrawn(kind: Kind) -> bool {
    matches!(kind, Kind::AutomaticSend | Kind::ApiSend)
}

/// Where a month's spending stands against a budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BudgetState {
    /// Below the alert threshold.
    Within,
    /// At or above the alert threshold, below the cap.
    Near,
    /// At or above the cap.
    Over,
}

/// The state of `spent` cents against a cap with an alert at `alert_percent` of it.
pub fn budget_state(spent: i64, cap: i64, alert_percent: i32) -> BudgetState {
    if spent >= cap {
        BudgetState::Over
    } else if i128::from(spent) * 100 >= i128::from(cap) * i128::from(alert_percent) {
        BudgetState::Near
    } else {
        BudgetState::Within
    }
}

/// Formats cents as euros, e.g. `€ -1.234,50` in Dutch style.
pub fn format_euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let euros = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in euros.chars().enumerate() {
        if i > 0 && (euros.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("€ {sign}{grouped},{:02}", abs % 100)
}

/// One wallet movement.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Transaction {
    /// Id.
    pub id: i64,
    /// What it was.
    pub kind: Kind,
    /// Cents: positive for a top-up, negative for a charge.
    pub amount_cents: i64,
    /// The balance after it.
    pub balance_after_cents: i64,
    /// The organisation it was for.
    pub organisation_id: Option<i64>,
    /// A document or payment reference.
    pub reference: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl From<transaction::Model> for Transaction {
    fn from(m: transaction::Model) -> Self {
        Transaction {
            id: m.id,
            kind: Kind::parse(&m.kind).unwrap_or(Kind::TopUp),
            amount_cents: m.amount_cents,
            balance_after_cents: m.balance_after_cents,
            organisation_id: m.organisation_id,
            reference: m.reference,
            created_at: m.created_at,
        }
    }
}

/// One organisation in the "Paid by" view.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PaidByRow {
    /// The organisation.
    pub organisation_id: i64,
    /// Its name.
    pub organisation_name: String,
    /// Who pays.
    pub paid_by: PaidBy,
    /// The paying environment's name.
    pub payer: String,
    /// Charges this month.
    pub transactions: i64,
    /// Their cost in cents.
    pub cents: i64,
    /// The budget cap, if one is set (by the viewer, when they pay).
    pub budget_cents: Option<i64>,
    /// Where spending stands against it.
    pub budget_state: Option<BudgetState>,
}

/// Something a person should look at: a budget near or over its cap.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Alert {
    /// Id.
    pub id: i64,
    /// The organisation it is about, if any.
    pub organisation_id: Option<i64>,
    /// What raised it; `budget` for now.
    pub kind: String,
    /// What happened, in English.
    pub message: String,
    /// When it was raised.
    pub created_at: DateTime<Utc>,
    /// When someone dealt with it; `null` while it is open.
    pub resolved_at: Option<DateTime<Utc>>,
}

impl From<alert::Model> for Alert {
    fn from(m: alert::Model) -> Self {
        Alert {
            id: m.id,
            organisation_id: m.organisation_id,
            kind: m.kind,
            message: m.message,
            created_at: m.created_at,
            resolved_at: m.resolved_at,
        }
    }
}

/// The month key of a moment, `YYYY-MM`.
pub(crate) fn month_of(at: DateTime<Utc>) -> String {
    at.format("%Y-%m").to_string()
}

impl Hub {
    /// Adds credit to an environment's wallet. Only the hub itself does this (the operator's
    /// command line, or a payment provider's callback), never a user.
    pub async fn top_up(
        &self,
        p: &Principal,
        environment_id: i64,
        cents: i64,
        reference: &str,
    ) -> Result<Transaction> {
        if !matches!(p, Principal::System) {
            return Err(Error::Forbidden(
                "top-ups are made by the hub operator".into(),
            ));
        }
        if cents <= 0 || cents > 100_000_000 {
            return Err(Error::invalid(
                "cents",
                "a top-up is between 1 cent and € 1.000.000",
            ));
        }
        let now = self.clock.now();
        let txn = self.write().await?;
        audit::lock(&txn, environment_id).await?;
        let t = book(
            &txn,
            environment_id,
            Kind::TopUp,
            cents,
            vec![Movement {
                organisation_id: None,
                partnership_id: None,
                reference: Some(reference.to_owned()),
            }],
            now,
        )
        .await?
        .pop()
        .ok_or(Error::NotFound("transaction"))?;
        audit::record(
            &txn,
            now,
            Event {
                environment_id,
                actor: p.actor(),
                action: "wallet.topped_up",
                subject: format!("environment:{environment_id}"),
                details: serde_json::json!({ "cents": cents, "reference": reference }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(t.into())
    }

    /// Charges one billable event of `organisation_id` to the payer its partnership names (or
    /// to its own environment). Refuses only sending from an overdrawn wallet.
    pub async fn charge(
        &self,
        p: &Principal,
        organisation_id: i64,
        kind: Kind,
        reference: Option<String>,
    ) -> Result<Transaction> {
        if kind == Kind::TopUp {
            return Err(Error::invalid("kind", "a top-up is not a charge"));
        }
        if let Principal::Key(_) = p {
            access::organisation(
                &self.db,
                p,
                organisation_id,
                Need::Read(Scope::DocumentsSend),
            )
            .await?;
        } else if !matches!(p, Principal::System) {
            access::organisation(&self.db, p, organisation_id, Need::Manage).await?;
        }
        let txn = self.write().await?;
        let (t, alert) = self
            .charge_within(&txn, organisation_id, kind, reference, true)
            .await?;
        txn.commit().await?;
        self.mail_alert(alert).await?;
        Ok(t)
    }

    /// Charges within the caller's transaction, so the charge commits or rolls back with
    /// the event it bills. Returns the budget alert to mail once the caller has committed.
    /// With `refuse_when_overdrawn`, a kind that an overdrawn wallet blocks is refused.
    pub(crate) async fn charge_within(
        &self,
        txn: &DatabaseTransaction,
        organisation_id: i64,
        kind: Kind,
        reference: Option<String>,
        refuse_when_overdrawn: bool,
    ) -> Result<(Transaction, Option<(i64, String)>)> {
        let (mut booked, mut alerts) = self
            .charge_many_within(
                txn,
                kind,
                vec![(organisation_id, reference)],
                refuse_when_overdrawn,
            )
            .await?;
        let t = booked.pop().ok_or(Error::NotFound("transaction"))?;
        Ok((t, alerts.pop()))
    }

    /// [`Hub::charge_within`] for several events of one kind, each `(organisation, reference)`:
    /// the price is read once, and each payer's wallet is locked, moved and checked against
    /// its budgets once for all of its events. The transactions come back in the order of
    /// `charges`, with the budget alerts to mail.
    pub(crate) async fn charge_many_within(
        &self,
        txn: &DatabaseTransaction,
        kind: Kind,
        charges: Vec<(i64, Option<String>)>,
        refuse_when_overdrawn: bool,
    ) -> Result<(Vec<Transaction>, Vec<(i64, String)>)> {
        if charges.is_empty() {
            return Ok(Default::default());
        }
        let mut payers = HashMap::new();
        for (organisation_id, _) in &charges {
            if !payers.contains_key(organisation_id) {
                payers.insert(*organisation_id, self.payer(txn, *organisation_id).await?);
            }
        }
        let price = price::Entity::find_by_id(kind.as_str().to_owned())
            .one(txn)
            .await?
            .map_or(0, |p| p.cents);
        let now = self.clock.now();
        let mut booked: Vec<Option<Transaction>> = charges.iter().map(|_| None).collect();
        // Payers in id order: two transactions that charge the same payers lock them alike.
        let mut by_payer: BTreeMap<i64, Vec<(usize, Movement)>> = BTreeMap::new();
        for (i, (organisation_id, reference)) in charges.into_iter().enumerate() {
            let (_, partnership, payer) = &payers[&organisation_id];
            by_payer.entry(*payer).or_default().push((
                i,
                Movement {
                    organisation_id: Some(organisation_id),
                    partnership_id: partnership.as_ref().map(|p| p.id),
                    reference,
                },
            ));
        }
        let mut alerts = Vec::new();
        for (payer, movements) in by_payer {
            audit::lock(txn, payer).await?;
            let wallet = environment::Entity::find_by_id(payer)
                .one(txn)
                .await?
                .ok_or(Error::NotFound("environment"))?;
            if refuse_when_overdrawn && wallet.balance_cents < 0 && blocks_when_overdrawn(kind) {
                return Err(Error::InsufficientCredit {
                    payer: wallet.name,
                    balance: format_euros(wallet.balance_cents),
                });
            }
            let (positions, movements): (Vec<usize>, Vec<Movement>) = movements.into_iter().unzip();
            let mut organisations: Vec<i64> =
                movements.iter().filter_map(|m| m.organisation_id).collect();
            organisations.sort_unstable();
            organisations.dedup();
            let rows = book(txn, payer, kind, -price, movements, now).await?;
            for (position, row) in positions.into_iter().zip(rows) {
                if let Some(slot) = booked.get_mut(position) {
                    *slot = Some(row.into());
                }
            }
            for organisation_id in organisations {
                let (org, _, _) = &payers[&organisation_id];
                if let Some(message) = self.check_budget(txn, payer, org, now).await? {
                    alerts.push((payer, message));
                }
            }
        }
        Ok((booked.into_iter().flatten().collect(), alerts))
    }

    /// The organisation, its active partnership and the environment that pays for it: the
    /// intermediary when the partnership says so ("Paid by"), else its own.
    pub(crate) async fn payer<C: ConnectionTrait>(
        &self,
        db: &C,
        organisation_id: i64,
    ) -> Result<(organisation::Model, Option<partnership::Model>, i64)> {
        let org = organisation::Entity::find_by_id(organisation_id)
            .one(db)
            .await?
            .ok_or(Error::NotFound("organisation"))?;
        let partnership = Hub::active_partnership(db, organisation_id).await?;
        let payer = match &partnership {
            Some(ps) if PaidBy::parse(&ps.paid_by) == PaidBy::Intermediary => ps.environment_id,
            _ => org.environment_id,
        };
        Ok((org, partnership, payer))
    }

    /// Mails a budget alert [`Hub::charge_within`] raised, after its transaction committed.
    pub(crate) async fn mail_alert(&self, alert: Option<(i64, String)>) -> Result<()> {
        if let Some((payer, message)) = alert {
            self.mail_administrators(payer, "Budget", &message).await?;
        }
        Ok(())
    }

    /// Mails every administrator of an environment.
    async fn mail_administrators(
        &self,
        environment_id: i64,
        subject: &str,
        text: &str,
    ) -> Result<()> {
        let admins = user::Entity::find()
            .filter(user::Column::EnvironmentId.eq(environment_id))
            .filter(user::Column::Role.eq(crate::Role::Administrator.as_str()))
            .all(&self.db)
            .await?;
        for admin in admins {
            self.send_mail(Mail {
                to: admin.email,
                subject: format!("Postbode: {subject}"),
                text: format!("{text}\n\n{}/wallet\n", self.config.base_url),
            })
            .await;
        }
        Ok(())
    }

    /// Raises an alert (once a month) when a budget is near or over its cap; returns its
    /// message so it can be mailed once the charge has committed.
    async fn check_budget(
        &self,
        txn: &DatabaseTransaction,
        payer: i64,
        org: &organisation::Model,
        now: DateTime<Utc>,
    ) -> Result<Option<String>> {
        let Some(b) = budget::Entity::find()
            .filter(budget::Column::EnvironmentId.eq(payer))
            .filter(budget::Column::OrganisationId.eq(org.id))
            .one(txn)
            .await?
        else {
            return Ok(None);
        };
        let month = month_of(now);
        if b.alerted_month.as_deref() == Some(month.as_str()) {
            return Ok(None);
        }
        let spent = spent_in(txn, payer, org.id, &month).await?;
        let state = budget_state(spent, b.monthly_cap_cents, b.alert_percent);
        if state == BudgetState::Within {
            return Ok(None);
        }
        let message = format!(
            "{}: {} of the monthly budget of {} is used",
            org.name,
            format_euros(spent),
            format_euros(b.monthly_cap_cents)
        );
        alert::ActiveModel {
            environment_id: Set(payer),
            organisation_id: Set(Some(org.id)),
            kind: Set("budget".to_owned()),
            message: Set(message.clone()),
            created_at: Set(now),
            resolved_at: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let mut active: budget::ActiveModel = b.into();
        active.alerted_month = Set(Some(month));
        active.update(txn).await?;
        audit::record(
            txn,
            now,
            Event {
                environment_id: payer,
                actor: "system".to_owned(),
                action: "budget.alerted",
                subject: format!("organisation:{}", org.id),
                details: serde_json::json!({ "spent_cents": spent, "message": message }),
            },
        )
        .await?;
        Ok(Some(message))
    }

    /// Sets (or with `None` removes) the monthly budget of a client organisation whose costs
    /// the acting administrator's environment pays.
    pub async fn set_budget(
        &self,
        p: &Principal,
        organisation_id: i64,
        cap: Option<(i64, i32)>,
    ) -> Result<()> {
        let admin = access::administrator(p)?;
        access::organisation(&self.db, p, organisation_id, Need::Manage).await?;
        if let Some((cents, percent)) = cap {
            if cents <= 0 {
                return Err(Error::invalid(
                    "monthly_cap_cents",
                    "a budget is more than zero",
                ));
            }
            if !(1..=100).contains(&percent) {
                return Err(Error::invalid(
                    "alert_percent",
                    "give a percentage from 1 to 100",
                ));
            }
        }
        let txn = self.write().await?;
        audit::lock(&txn, admin.environment_id).await?;
        budget::Entity::delete_many()
            .filter(budget::Column::EnvironmentId.eq(admin.environment_id))
            .filter(budget::Column::OrganisationId.eq(organisation_id))
            .exec(&txn)
            .await?;
        if let Some((cents, percent)) = cap {
            budget::ActiveModel {
                environment_id: Set(admin.environment_id),
                organisation_id: Set(organisation_id),
                monthly_cap_cents: Set(cents),
                alert_percent: Set(percent),
                alerted_month: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        audit::record(
            &txn,
            self.clock.now(),
            Event {
                environment_id: admin.environment_id,
                actor: p.actor(),
                action: "budget.set",
                subject: format!("organisation:{organisation_id}"),
                details: serde_json::json!({ "monthly_cap_cents": cap.map(|c| c.0), "alert_percent": cap.map(|c| c.1) }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The acting environment's wallet movements, newest first, `limit` after `before_id`.
    pub async fn transactions(
        &self,
        p: &Principal,
        before_id: Option<i64>,
        limit: u64,
    ) -> Result<Vec<Transaction>> {
        let mut query = transaction::Entity::find()
            .order_by_desc(transaction::Column::Id)
            .limit(limit.clamp(1, 200));
        query = match p {
            Principal::Key(k) => {
                access::organisation(
                    &self.db,
                    p,
                    k.organisation_id,
                    Need::Read(Scope::TransactionsRead),
                )
                .await?;
                query.filter(transaction::Column::OrganisationId.eq(k.organisation_id))
            }
            _ => {
                let u = access::user(p)?;
                let query = query.filter(transaction::Column::EnvironmentId.eq(u.environment_id));
                if u.role >= crate::Role::Advanced {
                    query
                } else {
                    // Basic users see only the charges of the organisations they have a right to.
                    query.filter(transaction::Column::OrganisationId.in_subquery(reachable_ids(u)))
                }
            }
        };
        if let Some(before) = before_id {
            query = query.filter(transaction::Column::Id.lt(before));
        }
        Ok(query
            .all(&self.db)
            .await?
            .into_iter()
            .map(Transaction::from)
            .collect())
    }

    /// The price list, in cents per kind.
    pub async fn prices(&self) -> Result<Vec<(Kind, i64)>> {
        let rows = price::Entity::find().all(&self.db).await?;
        Ok(Kind::CHARGES
            .into_iter()
            .map(|k| {
                (
                    k,
                    rows.iter()
                        .find(|r| r.kind == k.as_str())
                        .map_or(0, |r| r.cents),
                )
            })
            .collect())
    }

    /// Sets the price of one kind. The hub operator only.
    pub async fn set_price(&self, p: &Principal, kind: Kind, cents: i64) -> Result<()> {
        if !matches!(p, Principal::System) {
            return Err(Error::Forbidden(
                "prices are set by the hub operator".into(),
            ));
        }
        if kind == Kind::TopUp || !(0..=100_000).contains(&cents) {
            return Err(Error::invalid(
                "cents",
                "a price is 0 to 100000 cents, for a charge kind",
            ));
        }
        price::Entity::insert(price::ActiveModel {
            kind: Set(kind.as_str().to_owned()),
            cents: Set(cents),
        })
        .on_conflict(
            OnConflict::column(price::Column::Kind)
                .update_column(price::Column::Cents)
                .to_owned(),
        )
        .exec(&self.db)
        .await?;
        Ok(())
    }

    /// "Paid by": every organisation the acting user reaches, who pays for it, and this
    /// month's charges and budget.
    pub async fn paid_by(&self, p: &Principal) -> Result<Vec<PaidByRow>> {
        let u = access::user(p)?;
        let month = month_of(self.clock.now());
        let orgs = organisation::Entity::find()
            .filter(access::reachable_by(u))
            .order_by_asc(organisation::Column::Name)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
        let partnerships = partnership::Entity::find()
            .filter(partnership::Column::OrganisationId.is_in(ids.clone()))
            .filter(partnership::Column::Status.eq(crate::partnership::ACTIVE))
            .all(&self.db)
            .await?;
        // At most one row per payer, organisation and kind this month: summed here rather
        // than with SUM(), whose type differs between the backends (NUMERIC on PostgreSQL).
        let usage: Vec<(i64, i64, i64, i64)> = monthly_usage::Entity::find()
            .select_only()
            .column(monthly_usage::Column::EnvironmentId)
            .column(monthly_usage::Column::OrganisationId)
            .column(monthly_usage::Column::Count)
            .column(monthly_usage::Column::Cents)
            .filter(monthly_usage::Column::OrganisationId.is_in(ids.clone()))
            .filter(monthly_usage::Column::Month.eq(&month))
            .into_tuple()
            .all(&self.db)
            .await?;
        let budgets = budget::Entity::find()
            .filter(budget::Column::EnvironmentId.eq(u.environment_id))
            .filter(budget::Column::OrganisationId.is_in(ids))
            .all(&self.db)
            .await?;
        // Look-ups by key, and every payer's name in one query: the view covers hundreds of
        // administrations, so nothing here may query per row.
        let partnerships: HashMap<i64, &partnership::Model> = partnerships
            .iter()
            .map(|ps| (ps.organisation_id, ps))
            .collect();
        let mut spent: HashMap<(i64, i64), (i64, i64)> = HashMap::new();
        for (payer, org, count, cents) in usage {
            let entry = spent.entry((payer, org)).or_default();
            entry.0 += count;
            entry.1 += cents;
        }
        let budgets: HashMap<i64, &budget::Model> =
            budgets.iter().map(|b| (b.organisation_id, b)).collect();
        let payer_of = |org: &organisation::Model| match partnerships.get(&org.id) {
            Some(ps) if PaidBy::parse(&ps.paid_by) == PaidBy::Intermediary => {
                (PaidBy::Intermediary, ps.environment_id)
            }
            _ => (PaidBy::Client, org.environment_id),
        };
        let payer_ids: Vec<i64> = orgs.iter().map(|o| payer_of(o).1).collect();
        let names: HashMap<i64, String> = environment::Entity::find()
            .filter(environment::Column::Id.is_in(payer_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.id, e.name))
            .collect();
        let mut rows = Vec::with_capacity(orgs.len());
        for org in orgs {
            let (paid_by, payer) = payer_of(&org);
            let (transactions, cents) = spent.get(&(payer, org.id)).copied().unwrap_or_default();
            let budget = budgets.get(&org.id);
            rows.push(PaidByRow {
                organisation_id: org.id,
                organisation_name: org.name,
                paid_by,
                payer: names.get(&payer).cloned().unwrap_or_default(),
                transactions,
                cents,
                budget_cents: budget.map(|b| b.monthly_cap_cents),
                budget_state: budget
                    .map(|b| budget_state(cents, b.monthly_cap_cents, b.alert_percent)),
            });
        }
        Ok(rows)
    }

    /// Open alerts of the acting user's environment, newest first (at most 50). Basic users
    /// see only the alerts about organisations they have a right to.
    pub async fn alerts(&self, p: &Principal) -> Result<Vec<Alert>> {
        let u = access::user(p)?;
        let mut query = alert::Entity::find()
            .filter(alert::Column::EnvironmentId.eq(u.environment_id))
            .filter(alert::Column::ResolvedAt.is_null());
        if u.role < crate::Role::Advanced {
            query = query.filter(alert::Column::OrganisationId.in_subquery(reachable_ids(u)));
        }
        Ok(query
            .order_by_desc(alert::Column::CreatedAt)
            .order_by_desc(alert::Column::Id)
            .limit(50)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Alert::from)
            .collect())
    }

    /// Marks an open alert as dealt with, so it leaves the home page. Administrators and
    /// advanced users of the alert's environment; an alert resolved already is a conflict.
    pub async fn resolve_alert(&self, p: &Principal, alert_id: i64) -> Result<Alert> {
        let u = access::user(p)?;
        if u.role < crate::Role::Advanced {
            return Err(Error::Forbidden(
                "only administrators and advanced users resolve alerts".into(),
            ));
        }
        let now = self.clock.now();
        let txn = self.write().await?;
        // Under the environment's lock, two people resolving at once are served in turn: the
        // second finds it resolved.
        audit::lock(&txn, u.environment_id).await?;
        let found = alert::Entity::find_by_id(alert_id)
            .filter(alert::Column::EnvironmentId.eq(u.environment_id))
            .one(&txn)
            .await?
            .ok_or(Error::NotFound("alert"))?;
        if found.resolved_at.is_some() {
            return Err(Error::Conflict("this alert was resolved already".into()));
        }
        let mut active: alert::ActiveModel = found.into();
        active.resolved_at = Set(Some(now));
        let resolved = active.update(&txn).await?;
        audit::record(
            &txn,
            now,
            Event {
                environment_id: u.environment_id,
                actor: p.actor(),
                action: "alert.resolved",
                subject: format!("alert:{alert_id}"),
                details: serde_json::json!({
                    "kind": resolved.kind,
                    "organisation": resolved.organisation_id,
                }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(resolved.into())
    }
}

/// The ids of the organisations `u` reaches, as a subquery.
fn reachable_ids(u: &crate::principal::UserPrincipal) -> sea_orm::sea_query::SelectStatement {
    sea_orm::QueryTrait::into_query(
        organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Id)
            .filter(access::reachable_by(u)),
    )
}

/// This month's charges of `organisation_id` paid by `payer`, in cents (positive).
async fn spent_in(
    txn: &DatabaseTransaction,
    payer: i64,
    organisation_id: i64,
    month: &str,
) -> Result<i64> {
    let cents: Vec<i64> = monthly_usage::Entity::find()
        .select_only()
        .column(monthly_usage::Column::Cents)
        .filter(monthly_usage::Column::EnvironmentId.eq(payer))
        .filter(monthly_usage::Column::OrganisationId.eq(organisation_id))
        .filter(monthly_usage::Column::Month.eq(month))
        .into_tuple()
        .all(txn)
        .await?;
    Ok(cents.into_iter().sum())
}

/// One movement of a wallet, as [`book`] records it.
struct Movement {
    organisation_id: Option<i64>,
    partnership_id: Option<i64>,
    reference: Option<String>,
}

/// Books `movements` of `amount` cents each, all of one kind, on `payer`'s wallet: one
/// balance update, one usage update per organisation, and a transaction row per movement with
/// the balance after it, as if they were booked one after the other. The caller holds the
/// payer's lock.
async fn book(
    txn: &DatabaseTransaction,
    payer: i64,
    kind: Kind,
    amount: i64,
    movements: Vec<Movement>,
    now: DateTime<Utc>,
) -> Result<Vec<transaction::Model>> {
    let count = i64::try_from(movements.len()).unwrap_or(i64::MAX);
    environment::Entity::update_many()
        .col_expr(
            environment::Column::BalanceCents,
            Expr::col(environment::Column::BalanceCents).add(amount.saturating_mul(count)),
        )
        .filter(environment::Column::Id.eq(payer))
        .exec(txn)
        .await?;
    let balance = environment::Entity::find_by_id(payer)
        .one(txn)
        .await?
        .ok_or(Error::NotFound("environment"))?
        .balance_cents;
    let mut per_organisation: BTreeMap<i64, i64> = BTreeMap::new();
    for org in movements.iter().filter_map(|m| m.organisation_id) {
        *per_organisation.entry(org).or_default() += 1;
    }
    for (org, n) in per_organisation {
        let cents = (-amount).saturating_mul(n);
        monthly_usage::Entity::insert(monthly_usage::ActiveModel {
            environment_id: Set(payer),
            organisation_id: Set(org),
            month: Set(month_of(now)),
            kind: Set(kind.as_str().to_owned()),
            count: Set(n),
            cents: Set(cents),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([
                monthly_usage::Column::EnvironmentId,
                monthly_usage::Column::OrganisationId,
                monthly_usage::Column::Month,
                monthly_usage::Column::Kind,
            ])
            .value(
                monthly_usage::Column::Count,
                Expr::col((monthly_usage::Entity, monthly_usage::Column::Count)).add(n),
            )
            .value(
                monthly_usage::Column::Cents,
                Expr::col((monthly_usage::Entity, monthly_usage::Column::Cents)).add(cents),
            )
            .to_owned(),
        )
        .exec(txn)
        .await?;
    }
    let mut balance_after = balance.saturating_sub(amount.saturating_mul(count));
    let mut rows = Vec::with_capacity(movements.len());
    for movement in movements {
        balance_after = balance_after.saturating_add(amount);
        rows.push(
            transaction::ActiveModel {
                environment_id: Set(payer),
                organisation_id: Set(movement.organisation_id),
                partnership_id: Set(movement.partnership_id),
                kind: Set(kind.as_str().to_owned()),
                amount_cents: Set(amount),
                balance_after_cents: Set(balance_after),
                reference: Set(movement.reference),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?,
        );
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sending_stops_when_overdrawn() {
        assert!(blocks_when_overdrawn(Kind::ApiSend));
        assert!(blocks_when_overdrawn(Kind::AutomaticSend));
        assert!(!blocks_when_overdrawn(Kind::XmlReceived));
        assert!(!blocks_when_overdrawn(Kind::PdfConversion));
        assert!(!blocks_when_overdrawn(Kind::ManualSend));
    }

    #[test]
    fn budget_states_at_their_edges() {
        assert_eq!(budget_state(79, 100, 80), BudgetState::Within);
        assert_eq!(budget_state(80, 100, 80), BudgetState::Near);
        assert_eq!(budget_state(99, 100, 80), BudgetState::Near);
        assert_eq!(budget_state(100, 100, 80), BudgetState::Over);
        assert_eq!(budget_state(i64::MAX - 1, i64::MAX, 99), BudgetState::Near);
    }

    #[test]
    fn euros_are_grouped_the_dutch_way() {
        assert_eq!(format_euros(0), "€ 0,00");
        assert_eq!(format_euros(-5), "€ -0,05");
        assert_eq!(format_euros(123_456_789), "€ 1.234.567,89");
        assert_eq!(format_euros(i64::MIN), "€ -92.233.720.368.547.758,08");
    }

    #[test]
    fn kinds_round_trip() {
        for k in std::iter::once(Kind::TopUp).chain(Kind::CHARGES) {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
    }
}

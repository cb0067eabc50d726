//! A large firm for load benchmarks (`postbode bench hub`): one intermediary environment
//! with hundreds of administrations (half its own, half clients through partnerships, with
//! both kinds of payer) and a year of transactions.
//!
//! Rows are bulk-inserted rather than made through the services, because a million charges
//! through the service layer would take longer than the benchmark itself; the rows are the
//! same shape the services write, including the monthly usage and balances they keep.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::Hub;
use crate::authorisation::PaidBy;
use crate::entity::{environment, monthly_usage, organisation, partnership, transaction};
use crate::environment::SignUp;
use crate::error::Result;
use crate::principal::{Principal, Scope};
use crate::subscription::Tier;
use crate::wallet::{Kind, month_of};

/// What was seeded.
#[derive(Clone, Debug)]
pub struct Seeded {
    /// The firm administrator's login email; the password is [`PASSWORD`].
    pub email: String,
    /// Organisations the firm reaches.
    pub organisations: usize,
    /// Transactions written.
    pub transactions: usize,
}

/// The benchmark firm's password.
pub const PASSWORD: &str = "benchmark password";

/// A small, fast, deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const ROWS_PER_INSERT: usize = 1_000;

/// Seeds `organisations` administrations and `transactions` charges over the past year.
pub async fn seed(hub: &Hub, organisations: usize, transactions: usize) -> Result<Seeded> {
    let email = "bench@postbode.test".to_owned();
    let (firm, _) = hub
        .sign_up(SignUp {
            environment_name: "Benchmark accountants".into(),
            name: "Bench".into(),
            email: email.clone(),
            password: PASSWORD.into(),
            locale: Some("en".into()),
        })
        .await?;
    let firm_env = firm.environment_id;
    hub.set_tier(&Principal::User(firm), Tier::Professional)
        .await?;
    let now = hub.clock.now();
    let txn = hub.write().await?;
    // (organisation id, paying environment, partnership id)
    let mut orgs: Vec<(i64, i64, Option<i64>)> = Vec::with_capacity(organisations);
    for i in 0..organisations {
        let own = i % 2 == 0;
        let owner = if own {
            firm_env
        } else {
            environment::ActiveModel {
                name: Set(format!("Client {i:04}")),
                tier: Set(Tier::Free.as_str().to_owned()),
                balance_cents: Set(0),
                audit_head: Set(String::new()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
            .id
        };
        let org = organisation::ActiveModel {
            environment_id: Set(owner),
            name: Set(format!("Administration {i:04} B.V.")),
            kvk: Set(Some(format!("{:08}", 10_000_000 + i))),
            vat: Set(None),
            oin: Set(None),
            gln: Set(None),
            street: Set(None),
            postcode: Set(None),
            city: Set(Some("Utrecht".into())),
            country: Set("NL".into()),
            contact_name: Set(None),
            contact_email: Set(None),
            ledger: Set(crate::organisation::Ledger::ALL[i % 9].as_str().to_owned()),
            status: Set("active".into()),
            created_at: Set(now - Duration::days((i % 365) as i64)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        if own {
            orgs.push((org.id, firm_env, None));
            continue;
        }
        let paid_by = if i % 4 == 1 {
            PaidBy::Intermediary
        } else {
            PaidBy::Client
        };
        let p = partnership::ActiveModel {
            environment_id: Set(firm_env),
            client_environment_id: Set(owner),
            organisation_id: Set(org.id),
            request_id: Set(0),
            paid_by: Set(paid_by.as_str().to_owned()),
            scopes: Set(Scope::format_list(&Scope::ALL)),
            status: Set(crate::partnership::ACTIVE.to_owned()),
            created_at: Set(now),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let payer = if paid_by == PaidBy::Intermediary {
            firm_env
        } else {
            owner
        };
        orgs.push((org.id, payer, Some(p.id)));
    }
    txn.commit().await?;

    let prices: HashMap<Kind, i64> = hub.prices().await?.into_iter().collect();
    let kinds = [
        Kind::XmlReceived,
        Kind::XmlReceived,
        Kind::XmlReceived,
        Kind::PdfConversion,
        Kind::ApiSend,
        Kind::AutomaticSend,
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut balances: HashMap<i64, i64> = HashMap::new();
    let mut usage: HashMap<(i64, i64, String, Kind), (i64, i64)> = HashMap::new();
    let mut batch = Vec::with_capacity(ROWS_PER_INSERT);
    // Oldest first, so ids follow time as they do when the services write them.
    let seconds_in_year = 365 * 24 * 3600;
    let mut offsets: Vec<u64> = (0..transactions)
        .map(|_| rng.below(seconds_in_year))
        .collect();
    offsets.sort_unstable_by(|a, b| b.cmp(a));
    for offset in offsets {
        let (org, payer, partnership) = orgs[rng.below(orgs.len() as u64) as usize];
        let kind = kinds[rng.below(kinds.len() as u64) as usize];
        let cents = prices.get(&kind).copied().unwrap_or(0);
        let at: DateTime<Utc> = now - Duration::seconds(offset as i64);
        let balance = balances.entry(payer).or_insert(0);
        *balance -= cents;
        let u = usage
            .entry((payer, org, month_of(at), kind))
            .or_insert((0, 0));
        u.0 += 1;
        u.1 += cents;
        batch.push(transaction::ActiveModel {
            environment_id: Set(payer),
            organisation_id: Set(Some(org)),
            partnership_id: Set(partnership),
            kind: Set(kind.as_str().to_owned()),
            amount_cents: Set(-cents),
            balance_after_cents: Set(*balance),
            reference: Set(None),
            created_at: Set(at),
            ..Default::default()
        });
        if batch.len() == ROWS_PER_INSERT {
            transaction::Entity::insert_many(std::mem::take(&mut batch))
                .exec(&hub.db)
                .await?;
        }
    }
    if !batch.is_empty() {
        transaction::Entity::insert_many(batch)
            .exec(&hub.db)
            .await?;
    }
    let rows: Vec<_> = usage
        .into_iter()
        .map(
            |((payer, org, month, kind), (count, cents))| monthly_usage::ActiveModel {
                environment_id: Set(payer),
                organisation_id: Set(org),
                month: Set(month),
                kind: Set(kind.as_str().to_owned()),
                count: Set(count),
                cents: Set(cents),
                ..Default::default()
            },
        )
        .collect();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        monthly_usage::Entity::insert_many(chunk.to_vec())
            .exec(&hub.db)
            .await?;
    }
    for (env, balance) in balances {
        environment::Entity::update_many()
            .col_expr(environment::Column::BalanceCents, Expr::value(balance))
            .filter(environment::Column::Id.eq(env))
            .exec(&hub.db)
            .await?;
    }
    Ok(Seeded {
        email,
        organisations,
        transactions,
    })
}

use autopilot::vat::{Region, VatCodeEntry};
use autopilot::{
    Autopilot, Chart, Context, Day, InvoiceInput, LineInput, Party, Policy, Posting, Relation,
    TrainOptions, VatCodeTable, VatInfo,
};
use rust_decimal::Decimal;

/// A tiny deterministic generator, so tests need no random crate and never flake.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

pub const ADMIN: &str = "Bakkerij Test";

/// Supplier `i` of the fictional firm: a relation id, a name, a home account and a typical amount.
pub fn supplier(i: u64) -> (String, String, String, i64) {
    (
        format!("R{i:03}"),
        format!("Leverancier {i} B.V."),
        format!("4{:03}", i % 40),
        50 + (i as i64 * 37) % 900,
    )
}

pub fn party(i: u64) -> Party {
    let (id, name, _, _) = supplier(i);
    Party {
        name,
        id: Some(id),
        kvk: Some(format!("{:08}", 10_000_000 + i)),
        iban: Some("NL91ABNA0417164300".into()),
        country: Some("NL".into()),
        ..Party::default()
    }
}

pub fn line(description: &str, cents: i64) -> LineInput {
    LineInput {
        description: description.into(),
        amount: Decimal::new(cents, 2),
        vat: Some(VatInfo {
            category: "S".into(),
            rate: Some(Decimal::from(21)),
            exemption_reason: None,
        }),
        ..LineInput::default()
    }
}

/// Fourteen months of consistent postings: each supplier almost always to its own account.
pub fn history(suppliers: u64, per_month: u64) -> Vec<Posting> {
    let mut rng = Lcg(7);
    let mut out = Vec::new();
    for month in 0..14u32 {
        for _ in 0..per_month {
            let i = rng.next(suppliers);
            let (_, _, account, amount) = supplier(i);
            let day = Day::from_civil(
                2023 + (month / 12) as i32,
                month % 12 + 1,
                1 + rng.next(27) as u32,
            );
            let cents = amount * 100 + rng.next(2000) as i64;
            out.push(Posting {
                administration: ADMIN.into(),
                date: day,
                supplier: party(i),
                line: line("levering", cents),
                account,
                cost_centre: None,
            });
        }
    }
    out
}

pub fn trained() -> Autopilot {
    Autopilot::train(&history(30, 400), &TrainOptions::default())
}

pub fn relations(n: u64) -> Vec<Relation> {
    (0..n)
        .map(|i| {
            let p = party(i);
            Relation {
                id: p.id.clone().unwrap_or_default(),
                name: p.name,
                kvk: p.kvk,
                ibans: vec![],
                ..Relation::default()
            }
        })
        .collect()
}

pub fn vat_codes() -> VatCodeTable {
    VatCodeTable {
        home_country: "NL".into(),
        entries: vec![VatCodeEntry {
            code: "V21".into(),
            category: "S".into(),
            rate: Some(Decimal::from(21)),
            region: Some(Region::Domestic),
            exemption_reason: None,
        }],
    }
}

pub fn invoice(i: u64, cents: i64) -> InvoiceInput {
    let mut p = party(i);
    p.id = None; // as it arrives: the relation id is what resolution finds
    InvoiceInput {
        supplier: p,
        date: Day::from_civil(2024, 3, 10),
        credit_note: false,
        lines: vec![line("levering", cents)],
    }
}

pub struct Setup {
    pub relations: Vec<Relation>,
    pub chart: Chart,
    pub vat: VatCodeTable,
    pub rules: Vec<autopilot::Rule>,
    pub policy: Policy,
}

impl Setup {
    pub fn new() -> Self {
        Setup {
            relations: relations(30),
            chart: Chart::default(),
            vat: vat_codes(),
            rules: vec![],
            policy: Policy::default(),
        }
    }
    pub fn ctx(&self) -> Context<'_> {
        Context {
            administration: ADMIN,
            relations: &self.relations,
            chart: &self.chart,
            vat_codes: &self.vat,
            rules: &self.rules,
            policy: &self.policy,
        }
    }
}

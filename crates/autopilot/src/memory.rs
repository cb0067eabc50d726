//! Memory: what an administration posted before, kept as counts that one posting updates in
//! constant time. This is what makes learning incremental: [`Memory::learn`] is the whole
//! training step for everything except the few weights of the [`crate::model::Ranker`].

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::date::Day;
use crate::invoice::{LineInput, Party, Posting};
use crate::text;

/// Width of an amount band in log-amount units.
const AMOUNT_BAND: f32 = 0.1;
/// Days over which an old posting's weight falls to 1/e: recent habits win over old ones.
const DECAY_DAYS: f32 = 120.0;
/// How many recent lines of a supplier are kept for amount matching.
const RECENT_LINES: usize = 64;

/// Interned account label, firm-wide.
pub type AccountId = u32;
/// Interned administration name.
pub type AdminId = u32;

/// A fast hasher for keys that are already well-mixed 64-bit hashes or small integers; SipHash
/// would dominate the profile.
#[derive(Default)]
pub struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// A `HashMap` with [`MixHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<MixHasher>>;

/// Names interned to dense ids.
#[derive(Debug, Default, Clone)]
pub struct Names {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Names {
    /// The id of `name`, interning it when new.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(name.to_owned(), id);
        self.names.push(name.to_owned());
        id
    }
    /// The id of `name`, if known.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }
    /// The name of `id`.
    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }
    /// How many names are interned.
    pub fn len(&self) -> usize {
        self.names.len()
    }
    /// True when nothing is interned.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// How often, how recently and when last an account was used in some context.
#[derive(Debug, Clone, Copy)]
pub struct Tally {
    /// The account.
    pub account: AccountId,
    /// Number of postings.
    pub count: u32,
    /// Postings weighted by recency, as of `last`.
    decayed: f32,
    /// Date of the latest posting.
    pub last: Day,
}

impl Tally {
    /// Recency-weighted count as of `day`.
    pub fn decayed_at(&self, day: Day) -> f32 {
        let age = (day.0 - self.last.0).max(0) as f32;
        self.decayed * (-age / DECAY_DAYS).exp()
    }
}

/// Tallies per account, sorted by account id: a small sorted vector beats a map.
#[derive(Debug, Clone, Default)]
pub struct Tallies(pub Vec<Tally>);

impl Tallies {
    fn add(&mut self, account: AccountId, day: Day) {
        match self.0.binary_search_by_key(&account, |t| t.account) {
            Ok(i) => {
                let t = &mut self.0[i];
                let later = day.max(t.last);
                let age = (later.0 - t.last.0) as f32;
                let own_age = (later.0 - day.0) as f32;
                t.decayed = t.decayed * (-age / DECAY_DAYS).exp() + (-own_age / DECAY_DAYS).exp();
                t.last = later;
                t.count += 1;
            }
            Err(i) => self.0.insert(
                i,
                Tally {
                    account,
                    count: 1,
                    decayed: 1.0,
                    last: day,
                },
            ),
        }
    }
    /// Total number of postings.
    pub fn total(&self) -> u32 {
        self.0.iter().map(|t| t.count).sum()
    }
    /// The tally of `account`.
    pub fn get(&self, account: AccountId) -> Option<&Tally> {
        self.0
            .binary_search_by_key(&account, |t| t.account)
            .ok()
            .and_then(|i| self.0.get(i))
    }
    /// Share of postings that went to `account`; 0 when empty.
    pub fn share(&self, account: AccountId) -> f32 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        self.get(account)
            .map_or(0.0, |t| t.count as f32 / total as f32)
    }
}

/// One remembered line of a supplier, for amount matching.
#[derive(Debug, Clone, Copy)]
pub struct RecentLine {
    /// Posting date.
    pub day: Day,
    /// Signed log of the amount, see [`log_amount`].
    pub log_amount: f32,
    /// Amount in cents, saturated.
    pub cents: i64,
    /// Where it was posted.
    pub account: AccountId,
    /// Day of the month, kept because computing it from `day` is slow in the hot loop.
    pub day_of_month: u8,
}

/// What one administration knows about one supplier.
#[derive(Debug, Clone, Default)]
pub struct SupplierMemory {
    /// Accounts its lines went to.
    pub accounts: Tallies,
    /// Its latest lines, newest last.
    pub recent: VecDeque<RecentLine>,
    /// The account of its latest line.
    pub last_account: Option<AccountId>,
    /// The IBAN of its latest invoice that had one.
    pub iban: Option<String>,
    /// The VAT number of its latest invoice that had one.
    pub vat: Option<String>,
    /// Count, sum and sum of squares of |log amount|, for the outlier guard.
    amount_moments: (f64, f64, f64),
    /// How well the supplier's own habits have predicted its next line so far.
    pub predictability: Predictability,
}

/// How often a supplier's next line followed its previous line's account, and how often it
/// followed the account of its earlier line nearest in amount.
///
/// Suppliers differ in which habit to trust: one always repeats its last account, another's
/// account depends on the amount (a subscription and repairs), a third is random. The ranker's
/// weights are shared by the whole firm, so these per-supplier rates let it trust the right habit
/// for each supplier. Running means over the first [`PREDICTABILITY_LINES`] lines, then moving
/// averages over about that many, so a supplier that changes its ways is re-learned.
#[derive(Debug, Clone, Copy, Default)]
pub struct Predictability {
    /// Lines that had an earlier line to compare with.
    pub lines: u32,
    /// Share of those that went to the previous line's account.
    pub repeat: f32,
    /// Share of those that went to the account of the earlier line nearest in amount.
    pub nearest: f32,
}

/// Lines over which [`Predictability`] averages.
pub const PREDICTABILITY_LINES: u32 = 20;

impl Predictability {
    fn add(&mut self, repeated: bool, nearest: bool) {
        self.lines = self.lines.saturating_add(1);
        let rate = 1.0 / self.lines.min(PREDICTABILITY_LINES) as f32;
        self.repeat += rate * (f32::from(u8::from(repeated)) - self.repeat);
        self.nearest += rate * (f32::from(u8::from(nearest)) - self.nearest);
    }
}

impl SupplierMemory {
    /// Mean and standard deviation of the supplier's log amounts, when there are at least 3.
    pub fn amount_spread(&self) -> Option<(f64, f64)> {
        let (n, sum, sq) = self.amount_moments;
        if n < 3.0 {
            return None;
        }
        let mean = sum / n;
        Some((mean, (sq / n - mean * mean).max(0.0).sqrt()))
    }
}

/// Per-administration totals.
#[derive(Debug, Clone, Default)]
pub struct AdminMemory {
    /// Accounts used by the administration.
    pub accounts: Tallies,
    /// Number of lines learned.
    pub lines: u32,
}

/// Which exact-match table a key belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExactKind {
    /// Supplier and normalised description.
    SupplierText = 1,
    /// Supplier and seller or standard item id.
    SupplierItem = 2,
    /// Normalised description alone.
    Text = 3,
    /// Supplier and the exact amount: a fixed fee recurs to the cent.
    SupplierAmount = 4,
    /// Supplier and the amount's band (about ±5%): over the whole history, where the recent
    /// lines of a busy supplier cover only weeks.
    SupplierAmountBand = 5,
}

impl ExactKind {
    /// Whether the key is an identical description or item, as opposed to an amount.
    pub fn is_text_or_item(self) -> bool {
        matches!(
            self,
            ExactKind::SupplierText | ExactKind::SupplierItem | ExactKind::Text
        )
    }
}

/// The firm's posting memory across all its administrations.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    /// Account labels.
    pub accounts: Names,
    /// Administration names.
    pub admins: Names,
    /// Per administration.
    pub admin: Vec<AdminMemory>,
    /// Per (administration, supplier key).
    pub suppliers: FastMap<(AdminId, u64), SupplierMemory>,
    /// Per supplier key, across the firm: the cold-start evidence.
    pub firm_suppliers: FastMap<u64, Tallies>,
    /// Exact (administration, kind + key) memory.
    pub exact: FastMap<(AdminId, u64), Tallies>,
    /// Per (administration, token): accounts of lines with that token.
    pub tokens: FastMap<(AdminId, u64), Tallies>,
    /// Cost centre labels.
    pub centres: Names,
    /// Per (administration, supplier key, account): the cost centres of its lines there. Lines
    /// without one are the account's count in the supplier's tallies minus these.
    pub supplier_centres: FastMap<(AdminId, u64, AccountId), CentreCounts>,
    /// Per (administration, account): the cost centres of all lines posted there.
    pub account_centres: FastMap<(AdminId, AccountId), CentreCounts>,
}

/// How many lines went to each cost centre, by centre id, sorted.
#[derive(Debug, Clone, Default)]
pub struct CentreCounts(pub Vec<(u32, u32)>);

impl CentreCounts {
    fn add(&mut self, centre: u32) {
        match self.0.binary_search_by_key(&centre, |c| c.0) {
            Ok(i) => self.0[i].1 += 1,
            Err(i) => self.0.insert(i, (centre, 1)),
        }
    }
    /// Lines with a cost centre.
    pub fn total(&self) -> u32 {
        self.0.iter().map(|c| c.1).sum()
    }
    /// The centre most lines went to, with its count; the lower id on a tie.
    pub fn most(&self) -> Option<(u32, u32)> {
        self.0
            .iter()
            .copied()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
    }
}

/// Signed logarithm of an amount, so that 10 and 11 are close and 10 and 10,000 far apart.
pub fn log_amount(amount: Decimal) -> f32 {
    let x = amount.to_f64().unwrap_or(0.0);
    (x.signum() * x.abs().ln_1p()) as f32
}

/// The amount in cents, saturated: huge amounts only need to differ from ordinary ones.
pub fn cents(amount: Decimal) -> i64 {
    amount
        .checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|c| c.round().to_i64())
        .unwrap_or(if amount.is_sign_negative() {
            i64::MIN
        } else {
            i64::MAX
        })
}

/// Exact-match key of a kind and normalised text.
pub fn exact_key(kind: ExactKind, supplier: u64, text: &str) -> u64 {
    let supplier = if matches!(kind, ExactKind::Text) {
        0
    } else {
        supplier
    };
    text::hash(&[&[kind as u8], &supplier.to_le_bytes(), text.as_bytes()])
}

/// The tokens the token model reads: words of the supplier name and description, description
/// word pairs, item ids and classification codes with their prefixes.
pub fn tokens(supplier: &Party, line: &LineInput) -> Vec<u64> {
    let mut out = Vec::new();
    for w in text::words(&supplier.name) {
        out.push(text::hash(&[b"s", w.as_bytes()]));
    }
    let words: Vec<String> = text::words(&line.description).collect();
    for (i, w) in words.iter().enumerate() {
        out.push(text::hash(&[b"d", w.as_bytes()]));
        if let Some(next) = words.get(i + 1) {
            out.push(text::hash(&[b"d2", w.as_bytes(), next.as_bytes()]));
        }
    }
    for id in [&line.seller_item_id, &line.standard_item_id]
        .into_iter()
        .flatten()
    {
        out.push(text::hash(&[b"i", text::normalise(id).as_bytes()]));
    }
    for code in &line.classification_codes {
        let code = text::normalise(code);
        // Prefixes, because classification schemes are hierarchical (UNSPSC segments, CPV divisions).
        for len in [2, 4, 6, code.len()] {
            if let Some(prefix) = code.get(..len.min(code.len())) {
                out.push(text::hash(&[b"c", prefix.as_bytes()]));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

impl Memory {
    /// The administration's id, interning it when new.
    pub fn admin_id(&mut self, name: &str) -> AdminId {
        let id = self.admins.intern(name);
        if self.admin.len() <= id as usize {
            self.admin
                .resize_with(id as usize + 1, AdminMemory::default);
        }
        id
    }

    /// Learns one posting. Constant time apart from the token count; this is the incremental update.
    pub fn learn(&mut self, posting: &Posting) {
        let admin = self.admin_id(&posting.administration);
        let account = self.accounts.intern(posting.account.trim());
        let day = posting.date;
        let supplier_key = posting.supplier.memory_key();
        let line = &posting.line;

        if let Some(a) = self.admin.get_mut(admin as usize) {
            a.accounts.add(account, day);
            a.lines += 1;
        }
        let la = log_amount(line.amount);
        let s = self.suppliers.entry((admin, supplier_key)).or_default();
        if let Some(last) = s.last_account {
            // Ties go to the newer line, as in the model's nearest-amount feature.
            let nearest = s
                .recent
                .iter()
                .rev()
                .min_by(|a, b| {
                    (a.log_amount - la)
                        .abs()
                        .total_cmp(&(b.log_amount - la).abs())
                })
                .map(|r| r.account);
            s.predictability
                .add(last == account, nearest == Some(account));
        }
        s.accounts.add(account, day);
        s.recent.push_back(RecentLine {
            day,
            log_amount: la,
            cents: cents(line.amount),
            account,
            day_of_month: day.day_of_month() as u8,
        });
        if s.recent.len() > RECENT_LINES {
            s.recent.pop_front();
        }
        s.last_account = Some(account);
        if let Some(iban) = posting
            .supplier
            .iban
            .as_deref()
            .filter(|v| !v.trim().is_empty())
        {
            s.iban = Some(crate::relation::compact(iban));
        }
        if let Some(vat) = posting
            .supplier
            .vat
            .as_deref()
            .filter(|v| !v.trim().is_empty())
        {
            s.vat = Some(crate::relation::compact(vat));
        }
        let m = &mut s.amount_moments;
        let a = f64::from(la.abs());
        *m = (m.0 + 1.0, m.1 + a, m.2 + a * a);
        // Only lines that carry a cost centre cost anything here: a history without them (most
        // administrations) keeps no tables for them.
        if let Some(centre) = posting
            .cost_centre
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            let centre = self.centres.intern(centre);
            self.supplier_centres
                .entry((admin, supplier_key, account))
                .or_default()
                .add(centre);
            self.account_centres
                .entry((admin, account))
                .or_default()
                .add(centre);
        }

        self.firm_suppliers
            .entry(supplier_key)
            .or_default()
            .add(account, day);
        for (_, key) in exact_keys(supplier_key, line) {
            self.exact
                .entry((admin, key))
                .or_default()
                .add(account, day);
        }
        for token in tokens(&posting.supplier, line) {
            self.tokens
                .entry((admin, token))
                .or_default()
                .add(account, day);
        }
    }
}

/// The exact-match keys of a line.
pub fn exact_keys(supplier: u64, line: &LineInput) -> Vec<(ExactKind, u64)> {
    let mut keys = Vec::with_capacity(6);
    let cents = cents(line.amount).to_le_bytes();
    let band = ((log_amount(line.amount) / AMOUNT_BAND).round() as i64).to_le_bytes();
    for (kind, bytes) in [
        (ExactKind::SupplierAmount, cents),
        (ExactKind::SupplierAmountBand, band),
    ] {
        keys.push((
            kind,
            text::hash(&[&[kind as u8], &supplier.to_le_bytes(), &bytes]),
        ));
    }
    let description = text::normalise(&line.description);
    if !description.is_empty() {
        for kind in [ExactKind::SupplierText, ExactKind::Text] {
            keys.push((kind, exact_key(kind, supplier, &description)));
        }
    }
    for id in [&line.seller_item_id, &line.standard_item_id]
        .into_iter()
        .flatten()
    {
        let id = text::normalise(id);
        if !id.is_empty() {
            keys.push((
                ExactKind::SupplierItem,
                exact_key(ExactKind::SupplierItem, supplier, &id),
            ));
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decay_favours_recent_postings() {
        let mut t = Tallies::default();
        t.add(1, Day(0));
        t.add(2, Day(300));
        let old = t.get(1).map(|x| x.decayed_at(Day(300))).unwrap_or(0.0);
        let new = t.get(2).map(|x| x.decayed_at(Day(300))).unwrap_or(0.0);
        assert!(new > 5.0 * old, "{new} vs {old}");
        assert_eq!(t.total(), 2);
        assert!((t.share(1) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn predictability_tells_an_amount_follower_from_a_repeater() {
        // A fictional supplier alternates a small subscription (account 4000) and large repairs
        // (account 4100): its last account predicts badly, its nearest amount well.
        let supplier = Party {
            name: "Fictional Lifts Ltd".to_owned(),
            ..Party::default()
        };
        let mut memory = Memory::default();
        for i in 0..30u32 {
            let (amount, account) = if i % 2 == 0 {
                (Decimal::new(9_900, 2), "4000")
            } else {
                (Decimal::new(2_500_000 + i64::from(i), 2), "4100")
            };
            memory.learn(&Posting {
                administration: "A".to_owned(),
                date: Day(i as i32 * 7),
                supplier: supplier.clone(),
                line: LineInput {
                    amount,
                    ..LineInput::default()
                },
                account: account.to_owned(),
                cost_centre: None,
            });
        }
        let admin = memory.admins.get("A").expect("administration learned");
        let habits = memory
            .suppliers
            .get(&(admin, supplier.memory_key()))
            .expect("supplier learned")
            .predictability;
        assert_eq!(habits.lines, 29);
        // The first comparison has one earlier line, of the other kind: nearest is wrong once.
        assert!(habits.repeat < 0.01, "{habits:?}");
        assert!(habits.nearest > 0.95, "{habits:?}");
    }

    #[test]
    fn out_of_order_postings_do_not_inflate_weight() {
        let mut t = Tallies::default();
        t.add(1, Day(100));
        t.add(1, Day(0));
        let w = t.get(1).map(|x| x.decayed_at(Day(100))).unwrap_or(0.0);
        assert!(w < 2.0 && w > 1.0, "{w}");
    }
}

//! The learned model: candidate accounts drawn from [`Memory`], described by evidence features,
//! and ranked by a conditional-logit [`Ranker`].
//!
//! The features are shares and indicators (how often this supplier went to this account, how
//! close earlier amounts were, what the words say), never account or supplier identities. So
//! the ranker has a few dozen weights that transfer between administrations, it is trained once
//! on the whole firm (an administration with enough history fine-tunes its own copy of them),
//! and all per-administration knowledge stays in the incrementally updated memory.

use crate::date::Day;
use crate::invoice::{LineInput, Party};
use crate::memory::{self, AccountId, AdminId, ExactKind, Memory, SupplierMemory, Tallies};

/// Number of evidence features per candidate.
pub const FEATURES: usize = 44;
/// Most candidates considered per line.
const MAX_CANDIDATES: usize = 32;
/// Tokens seen with more accounts than this are ignored.
const MAX_TOKEN_ACCOUNTS: usize = 24;
/// The supplier's latest this many lines measure how settled its account currently is.
const AGREEMENT_LINES: usize = 10;
/// Width of the amount kernel in log-amount units (about ±20%).
const AMOUNT_BANDWIDTH: f32 = 0.2;

/// A line to rank accounts for.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    /// The administration, if the memory knows it.
    pub admin: Option<AdminId>,
    /// The supplier.
    pub supplier: &'a Party,
    /// The line.
    pub line: &'a LineInput,
    /// Invoice date.
    pub day: Day,
}

/// The candidate accounts of a line with their features.
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    /// Accounts, in no particular order.
    pub accounts: Vec<AccountId>,
    /// `FEATURES` values per account, row-major.
    pub features: Vec<f32>,
    /// Number of earlier lines of this supplier in the administration.
    pub supplier_lines: u32,
    /// Whether an exact description or item match exists.
    pub exact_match: bool,
}

impl Candidates {
    /// The feature row of candidate `i`.
    pub fn row(&self, i: usize) -> &[f32] {
        self.features
            .get(i * FEATURES..(i + 1) * FEATURES)
            .unwrap_or(&[])
    }
}

fn push_unique(accounts: &mut Vec<AccountId>, account: AccountId) {
    if accounts.len() < MAX_CANDIDATES && !accounts.contains(&account) {
        accounts.push(account);
    }
}

fn top_by_count(t: &Tallies, n: usize) -> Vec<AccountId> {
    let mut v: Vec<_> =
        t.0.iter()
            .map(|t| (std::cmp::Reverse(t.count), t.account))
            .collect();
    if v.len() > n {
        v.select_nth_unstable(n);
        v.truncate(n);
    }
    v.sort_unstable();
    v.into_iter().map(|(_, a)| a).collect()
}

fn lookup(
    table: &memory::FastMap<(AdminId, u64), Tallies>,
    admin: Option<AdminId>,
    key: u64,
) -> Option<&Tallies> {
    admin.and_then(|a| table.get(&(a, key)))
}

/// Collects candidates and computes their features. Reads the memory only.
pub fn candidates(memory: &Memory, q: &Query<'_>) -> Candidates {
    let key = q.supplier.memory_key();
    let empty_supplier = SupplierMemory::default();
    let supplier = q
        .admin
        .and_then(|a| memory.suppliers.get(&(a, key)))
        .unwrap_or(&empty_supplier);
    let admin = q.admin.and_then(|a| memory.admin.get(a as usize));
    let firm = memory.firm_suppliers.get(&key);
    let exact: Vec<(ExactKind, &Tallies)> = memory::exact_keys(key, q.line)
        .into_iter()
        .filter_map(|(kind, k)| lookup(&memory.exact, q.admin, k).map(|t| (kind, t)))
        .collect();
    // Words seen with very many accounts ("LTD", "BV") say nothing and cost the most.
    let token_tallies: Vec<&Tallies> = memory::tokens(q.supplier, q.line)
        .into_iter()
        .filter_map(|t| lookup(&memory.tokens, q.admin, t))
        .filter(|t| t.0.len() <= MAX_TOKEN_ACCOUNTS)
        .collect();

    // Token evidence: the mean over known tokens of P(account | token), as GnuCash's matcher
    // does, but averaged rather than multiplied so that one rare word cannot veto.
    let mut pairs: Vec<(AccountId, f32)> = Vec::new();
    for t in &token_tallies {
        let weight = 1.0 / t.total() as f32 / token_tallies.len() as f32;
        pairs.extend(
            t.0.iter()
                .map(|tally| (tally.account, tally.count as f32 * weight)),
        );
    }
    // Sort and merge rather than search: common words are on every account.
    pairs.sort_unstable_by_key(|p| p.0);
    let mut token_score: Vec<(AccountId, f32)> = Vec::new();
    for (account, p) in pairs {
        match token_score.last_mut() {
            Some(last) if last.0 == account => last.1 += p,
            _ => token_score.push((account, p)),
        }
    }

    let mut accounts = Vec::new();
    for t in &supplier.accounts.0 {
        push_unique(&mut accounts, t.account);
    }
    for (_, t) in &exact {
        for a in top_by_count(t, 3) {
            push_unique(&mut accounts, a);
        }
    }
    if let Some(f) = firm {
        for a in top_by_count(f, 5) {
            push_unique(&mut accounts, a);
        }
    }
    let mut best_tokens: Vec<(f32, AccountId)> =
        token_score.iter().map(|&(a, s)| (-s, a)).collect();
    if best_tokens.len() > 5 {
        best_tokens.select_nth_unstable_by(5, |a, b| a.0.total_cmp(&b.0));
        best_tokens.truncate(5);
    }
    best_tokens.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for (_, a) in best_tokens {
        push_unique(&mut accounts, a);
    }
    if let Some(a) = admin {
        for acc in top_by_count(&a.accounts, 3) {
            push_unique(&mut accounts, acc);
        }
    }

    let la = memory::log_amount(q.line.amount);
    let cents = memory::cents(q.line.amount);
    let mut kernel_total = 0.0f32;
    let mut exact_amount_total = 0u32;
    let mut nearest: Option<(f32, AccountId)> = None;
    let mut kernel: Vec<(AccountId, f32, u32)> = Vec::new();
    // A wide amount kernel, the day-of-month kernel (monthly bills) and the latest three lines.
    let mut wide: Vec<(AccountId, f32, f32, f32)> = Vec::new();
    let (mut wide_total, mut dom_total) = (0.0f32, 0.0f32);
    let dom = q.day.day_of_month() as f32;
    let latest = supplier.recent.len().saturating_sub(3);
    for (i, r) in supplier.recent.iter().enumerate() {
        let dw = (r.log_amount - la) / (4.0 * AMOUNT_BANDWIDTH);
        let ww = (-dw * dw).exp();
        let apart = (f32::from(r.day_of_month) - dom).abs();
        let dd = apart.min(31.0 - apart) / 3.0;
        let dk = (-dd * dd).exp();
        let late = if i >= latest { 1.0 / 3.0 } else { 0.0 };
        wide_total += ww;
        dom_total += dk;
        match wide.iter_mut().find(|k| k.0 == r.account) {
            Some(k) => {
                k.1 += ww;
                k.2 += dk;
                k.3 += late;
            }
            None => wide.push((r.account, ww, dk, late)),
        }
        let d = (r.log_amount - la) / AMOUNT_BANDWIDTH;
        let w = (-d * d).exp();
        let same = u32::from(r.cents == cents);
        kernel_total += w;
        exact_amount_total += same;
        let dist = (r.log_amount - la).abs();
        // Ties go to the newer line: `recent` is oldest first.
        if nearest.is_none_or(|(best, _)| dist <= best) {
            nearest = Some((dist, r.account));
        }
        match kernel.iter_mut().find(|k| k.0 == r.account) {
            Some(k) => {
                k.1 += w;
                k.2 += same;
            }
            None => kernel.push((r.account, w, same)),
        }
    }

    // Agreement: how many of the supplier's latest lines in a row went to one account. Twenty
    // identical postings in a row say more than a 90% share spread over years.
    let newest = supplier.recent.back().map(|r| r.account);
    let run = supplier
        .recent
        .iter()
        .rev()
        .take_while(|r| Some(r.account) == newest)
        .count();
    let latest_lines: Vec<AccountId> = supplier
        .recent
        .iter()
        .rev()
        .take(AGREEMENT_LINES)
        .map(|r| r.account)
        .collect();

    let supplier_total = supplier.accounts.total();
    let supplier_decayed: f32 = supplier
        .accounts
        .0
        .iter()
        .map(|t| t.decayed_at(q.day))
        .sum();
    let admin_total = admin.map_or(0, |a| a.accounts.total());
    let admin_decayed: f32 = admin.map_or(0.0, |a| {
        a.accounts.0.iter().map(|t| t.decayed_at(q.day)).sum()
    });
    let firm_total = firm.map_or(0, Tallies::total);
    let firm_decayed: f32 = firm.map_or(0.0, |f| f.0.iter().map(|t| t.decayed_at(q.day)).sum());
    let unseen = if supplier_total == 0 { 1.0 } else { 0.0 };
    // The supplier's own record of which habit predicts it, weighed by how much record there is.
    let habits = supplier.predictability;
    let evidence =
        habits.lines.min(memory::PREDICTABILITY_LINES) as f32 / memory::PREDICTABILITY_LINES as f32;
    let (repeats, follows_amount) = (habits.repeat * evidence, habits.nearest * evidence);
    let volume = (1.0 + supplier_total as f32).ln() / 5.0;

    let mut features = Vec::with_capacity(accounts.len() * FEATURES);
    for &acc in &accounts {
        let st = supplier.accounts.get(acc);
        let share = st.map_or(0.0, |t| t.count as f32 / supplier_total.max(1) as f32);
        let decay_share = st.map_or(0.0, |t| t.decayed_at(q.day) / supplier_decayed.max(1e-6));
        let (kw, same) = kernel
            .iter()
            .find(|k| k.0 == acc)
            .map_or((0.0, 0), |k| (k.1, k.2));
        let exact_share = |kind: ExactKind| {
            exact
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, t)| t.share(acc))
                .fold(0.0, f32::max)
        };
        let at = admin.and_then(|a| a.accounts.get(acc));
        let admin_decay_share = at.map_or(0.0, |t| t.decayed_at(q.day) / admin_decayed.max(1e-6));
        let firm_share = firm
            .and_then(|f| f.get(acc))
            .map_or(0.0, |t| t.count as f32 / firm_total.max(1) as f32);
        let token = token_score
            .binary_search_by_key(&acc, |t| t.0)
            .map_or(0.0, |i| token_score[i].1);
        let (ww, dk, late) = wide
            .iter()
            .find(|k| k.0 == acc)
            .map_or((0.0, 0.0, 0.0), |k| (k.1, k.2, k.3));
        let since = st.map_or(1.0, |t| {
            ((1 + (q.day.0 - t.last.0).max(0)) as f32).ln() / 7.0
        });
        let row: [f32; 26] = [
            share,
            (1.0 + st.map_or(0, |t| t.count) as f32).ln() / 5.0,
            decay_share,
            f32::from(u8::from(supplier.last_account == Some(acc))),
            if kernel_total > 1e-3 {
                kw / kernel_total
            } else {
                0.0
            },
            if exact_amount_total > 0 {
                same as f32 / exact_amount_total as f32
            } else {
                0.0
            },
            f32::from(u8::from(nearest.is_some_and(|(_, a)| a == acc))),
            exact_share(ExactKind::SupplierText),
            exact_share(ExactKind::SupplierItem),
            exact_share(ExactKind::Text),
            token,
            ((1 + at.map_or(0, |t| t.count)) as f32 / (1 + admin_total) as f32).ln() / 10.0,
            admin_decay_share,
            firm_share,
            firm_share * unseen,
            token * unseen,
            since,
            admin_decay_share * unseen,
            share * volume,
            f32::from(u8::from(at.is_none())),
            decay_share * volume,
            if firm_total > 0 { unseen } else { 0.0 } * f32::from(u8::from(firm_share == 0.0)),
            if wide_total > 1e-3 {
                ww / wide_total
            } else {
                0.0
            },
            if dom_total > 1e-3 {
                dk / dom_total
            } else {
                0.0
            },
            late,
            st.map_or(0.0, |t| t.decayed_at(q.day)) / (1.0 + supplier_decayed),
        ];
        // Products of the strongest signals: a linear ranker cannot find "the amount points here
        // and the supplier usually goes here" by itself.
        let kern = row[4];
        let extra = [
            share * kern,
            decay_share * kern,
            row[3] * kern,
            row[5] * share,
            decay_share * row[24],
            kern * volume,
        ];
        let run_here = if newest == Some(acc) {
            (1.0 + run as f32).ln() / 3.0
        } else {
            0.0
        };
        let agreement = latest_lines.iter().filter(|&&a| a == acc).count() as f32
            / latest_lines.len().max(1) as f32;
        let exact_count = exact
            .iter()
            .filter(|(k, _)| *k == ExactKind::SupplierText)
            .filter_map(|(_, t)| t.get(acc))
            .map(|t| (1.0 + t.count as f32).ln() / 3.0)
            .fold(0.0, f32::max);
        // An account nobody in the administration used for months has likely been retired by a
        // change of chart, however often this supplier went there before.
        let admin_since = at.map_or(1.0, |t| {
            ((1 + (q.day.0 - t.last.0).max(0)) as f32).ln() / 7.0
        });
        let firm_decay_share = firm
            .and_then(|f| f.get(acc))
            .map_or(0.0, |t| t.decayed_at(q.day) / firm_decayed.max(1e-6));
        let agreement_features = [
            run_here,
            agreement,
            exact_count,
            run_here * kern,
            admin_since,
            firm_decay_share,
            exact_share(ExactKind::SupplierAmount),
            exact_share(ExactKind::SupplierAmountBand),
        ];
        let habit_features = [
            row[3] * repeats,
            row[6] * follows_amount,
            kern * follows_amount,
            run_here * repeats,
        ];
        features.extend_from_slice(&row);
        features.extend_from_slice(&extra);
        features.extend_from_slice(&agreement_features);
        features.extend_from_slice(&habit_features);
    }
    Candidates {
        accounts,
        features,
        supplier_lines: supplier_total,
        exact_match: exact.iter().any(|(kind, _)| kind.is_text_or_item()),
    }
}

/// A log-linear choice model: P(option i) ∝ exp(w · x_i). As the ranker its options are the
/// candidate accounts; as the confidence model they are "right" and a zero "wrong" row.
#[derive(Debug, Clone)]
pub struct LogLinear<const N: usize> {
    weights: [f32; N],
}

/// The account ranker.
pub type Ranker = LogLinear<FEATURES>;

impl Default for Ranker {
    /// Hand-set weights for when there is too little history to fit any: follow the supplier's
    /// habit, then exact matches, then the words.
    fn default() -> Self {
        let mut weights = [0.0; FEATURES];
        for (i, w) in [
            (0, 4.0),
            (2, 2.0),
            (3, 0.5),
            (7, 3.0),
            (8, 3.0),
            (10, 2.0),
            (13, 2.0),
        ] {
            weights[i] = w;
        }
        LogLinear { weights }
    }
}

impl<const N: usize> LogLinear<N> {
    /// A model with the given weights.
    pub fn new(weights: [f32; N]) -> Self {
        LogLinear { weights }
    }

    /// Probabilities per option; `rows` holds `N` values per option. Empty for no options.
    pub fn probabilities(&self, rows: &[f32]) -> Vec<f64> {
        let scores: Vec<f64> = rows
            .chunks_exact(N)
            .map(|row| {
                row.iter()
                    .zip(&self.weights)
                    .map(|(x, w)| f64::from(x * w))
                    .sum()
            })
            .collect();
        let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let exp: Vec<f64> = scores.iter().map(|s| (s - max).exp()).collect();
        let total: f64 = exp.iter().sum();
        exp.into_iter().map(|e| e / total).collect()
    }

    /// Fits the weights by AdaGrad on the log-likelihood, starting from the current ones.
    /// Each example is its options' rows and the index of the right one. Deterministic: the
    /// examples are visited in a fixed strided order.
    pub fn fit(mut self, examples: &[(&[f32], usize)], epochs: usize) -> Self {
        let n = examples.len();
        if n < 50 {
            return self;
        }
        let mut g2 = [1e-6f32; N];
        let rate = 0.1;
        let l2 = 1e-5;
        // A stride coprime with the length visits every example once per epoch in a shuffled
        // order, without a random generator.
        let stride = (n * 3 / 5..n).find(|s| gcd(*s, n) == 1).unwrap_or(1);
        let mut i = 0;
        for _ in 0..epochs * n {
            i = (i + stride) % n;
            let Some(&(rows, label)) = examples.get(i) else {
                continue;
            };
            let p = self.probabilities(rows);
            let mut grad = [0.0f32; N];
            for (j, (pj, row)) in p.iter().zip(rows.chunks_exact(N)).enumerate() {
                let coef = *pj as f32 - f32::from(u8::from(j == label));
                for (g, x) in grad.iter_mut().zip(row) {
                    *g += coef * x;
                }
            }
            for ((w, g), s) in self.weights.iter_mut().zip(grad).zip(g2.iter_mut()) {
                let g = g + l2 * *w;
                *s += g * g;
                *w -= rate * g / s.sqrt();
            }
        }
        self
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invoice::Posting;

    #[test]
    fn agreement_marks_the_account_of_the_latest_run() {
        // A fictional supplier went to "4000" ten times, then to "4100" five times in a row.
        let supplier = Party {
            name: "Fictional Cleaning Ltd".to_owned(),
            ..Party::default()
        };
        let line = LineInput {
            amount: rust_decimal::Decimal::new(12_000, 2),
            ..LineInput::default()
        };
        let mut memory = Memory::default();
        for (i, account) in ["4000"; 10].into_iter().chain(["4100"; 5]).enumerate() {
            memory.learn(&Posting {
                administration: "A".to_owned(),
                date: Day::from_civil(2024, 1 + i as u32 % 12, 1),
                supplier: supplier.clone(),
                line: line.clone(),
                account: account.to_owned(),
                cost_centre: None,
            });
        }
        let q = Query {
            admin: memory.admins.get("A"),
            supplier: &supplier,
            line: &line,
            day: Day::from_civil(2025, 6, 1),
        };
        let c = candidates(&memory, &q);
        let feature = |account: &str, i: usize| {
            let id = memory.accounts.get(account);
            let at = c.accounts.iter().position(|&a| Some(a) == id);
            at.and_then(|at| c.row(at).get(i).copied()).unwrap_or(-1.0)
        };
        // Run of 5: ln(6) / 3; the older account has no run and half the latest ten lines.
        assert!((feature("4100", 32) - 6f32.ln() / 3.0).abs() < 1e-6);
        assert_eq!(feature("4000", 32), 0.0);
        assert!((feature("4100", 33) - 0.5).abs() < 1e-6);
        assert!((feature("4000", 33) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn fit_learns_which_feature_marks_the_right_option() {
        // Option 0 has feature 1 set and is right; feature 0 is noise.
        let rows: Vec<[f32; 4]> = (0..200)
            .map(|i| [(i % 3) as f32, 1.0, (i % 2) as f32, 0.0])
            .collect();
        let examples: Vec<(&[f32], usize)> = rows.iter().map(|r| (&r[..], 0)).collect();
        let model = LogLinear::<2>::new([0.0, 0.0]).fit(&examples, 3);
        let p = model.probabilities(&[0.0, 1.0, 0.0, 0.0]);
        assert!(p[0] > 0.9, "{p:?}");
        assert!(model.probabilities(&[]).is_empty());
    }
}

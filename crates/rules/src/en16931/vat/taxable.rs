//! Rule 08 of each VAT category: the breakdown's taxable amount against what the lines,
//! document level charges and allowances of the category add up to.
//!
//! The bindings differ a lot here, and each variant is mirrored:
//! - UBL, S: per rate, within one unit (strict), and something must use that rate; a
//!   breakdown that only the allowances and charges explain passes too (the official test
//!   has a second branch for the other document type that sums no lines).
//! - UBL, L and M: per rate, within one unit, when the invoice has lines.
//! - UBL, the others: all rates together, exactly, when the invoice has lines.
//! - CII, S, L and M: per rate, exactly, each of the three sums rounded to two decimals.
//! - CII, O: all rates, exactly, rounded sums; the others: within one unit (strict).

use std::collections::HashMap;

use einvoice::xml::Node;
use einvoice::{Amount, Invoice, NS_CAC, NS_CBC, Pos, Text, VatBreakdown};
use rust_decimal::Decimal;

use super::{Kind, Usage};
use crate::Check;
use crate::en16931::num::{self, Bad, Num};

/// A line (0), charge (1) or allowance (2) that the model does not count for the category,
/// with the rate and amount the tree gives it.
pub(super) struct Entry<'a> {
    part: usize,
    rate: Option<Text>,
    amount: Option<&'a Amount>,
}

/// UBL's rule 08 selects lines and document level allowances and charges by the category
/// code alone (`cac:TaxCategory/normalize-space(cbc:ID) = 'G'`), while the model, like the
/// other rules, only knows categories of the VAT tax scheme. The few elements in between are
/// read from the tree here.
pub(super) fn unschemed<'a>(cx: &Check<'a, '_>, inv: &'a Invoice, code: &str) -> Vec<Entry<'a>> {
    let doc = &cx.source.doc;
    let category = |at: Pos, path: &[&str]| -> Option<(String, Option<Text>)> {
        let mut node = einvoice::xml::node_at(doc, at)?;
        for name in path {
            node = node.children().find(|c| c.has_tag_name((NS_CAC, *name)))?;
        }
        let child = |name: &str| {
            node.children()
                .find(|c: &Node<'_, '_>| c.has_tag_name((NS_CBC, name)))
        };
        let text = |n: Node<'_, '_>| Text::at(n.string_value(), einvoice::xml::pos(n));
        Some((
            child("ID").map(text)?.trim().to_string(),
            child("Percent").map(text),
        ))
    };
    let mut entries = Vec::new();
    for line in inv
        .lines
        .iter()
        .filter(|l| l.vat.as_ref().is_none_or(|v| v.category.is_none()))
    {
        if let Some((id, rate)) = category(line.at, &["Item", "ClassifiedTaxCategory"])
            && id == code
        {
            entries.push(Entry {
                part: 0,
                rate,
                amount: line.net_amount.as_ref(),
            });
        }
    }
    for ac in inv
        .allowances_charges
        .iter()
        .filter(|ac| ac.vat_category.is_none())
    {
        let part = match ac.is_charge() {
            Some(true) => 1,
            Some(false) => 2,
            None => continue,
        };
        if let Some((id, rate)) = category(ac.at, &["TaxCategory"])
            && id == code
        {
            entries.push(Entry {
                part,
                rate,
                amount: ac.amount.as_ref(),
            });
        }
    }
    entries
}

/// A sum and how many values went into it.
#[derive(Clone, Copy)]
struct Part {
    sum: Num,
    count: usize,
}

impl Default for Part {
    fn default() -> Self {
        Part {
            sum: Ok(Decimal::ZERO),
            count: 0,
        }
    }
}

impl Part {
    fn add(&mut self, amount: Option<&Amount>) {
        self.count += 1;
        if let (Ok(acc), Some(a)) = (self.sum, amount) {
            self.sum = num::of(&a.value).and_then(|v| num::add(acc, v));
        }
    }
}

/// Lines, charges, allowances.
type Parts = [Part; 3];

/// The category's sums, overall and per rate, computed once per document.
pub(super) struct Sums {
    all: Parts,
    by_rate: HashMap<Decimal, Parts>,
    /// A line, allowance or charge of the category has a rate that is not a number: the
    /// official per-rate filter stops on it.
    bad_rate: bool,
}

impl Sums {
    pub(super) fn of(usage: &Usage<'_>) -> Self {
        let mut sums = Sums {
            all: Parts::default(),
            by_rate: HashMap::new(),
            bad_rate: false,
        };
        let per_rate = matches!(usage.category.kind, Kind::Standard | Kind::Regional);
        let lines = usage.lines.iter().map(|l| {
            let rate = l.vat.as_ref().and_then(|v| v.rate.as_ref());
            (0, rate, l.net_amount.as_ref())
        });
        let charges = usage
            .charges
            .iter()
            .map(|ac| (1, ac.vat_rate.as_ref(), ac.amount.as_ref()));
        let allowances = usage
            .allowances
            .iter()
            .map(|ac| (2, ac.vat_rate.as_ref(), ac.amount.as_ref()));
        let unschemed = usage
            .unschemed
            .iter()
            .map(|e| (e.part, e.rate.as_ref(), e.amount));
        for (part, rate, amount) in lines.chain(charges).chain(allowances).chain(unschemed) {
            sums.all[part].add(amount);
            if per_rate {
                sums.add_at_rate(part, rate, amount);
            }
        }
        sums
    }

    fn add_at_rate(&mut self, part: usize, rate: Option<&Text>, amount: Option<&Amount>) {
        match num::opt(rate) {
            Ok(Some(rate)) => {
                let parts = self.by_rate.entry(rate.normalize()).or_default();
                parts[part].add(amount);
            }
            // Without a rate the element matches no `$rate`.
            Ok(None) => {}
            Err(Bad) => self.bad_rate = true,
        }
    }

    pub(super) fn taxable_holds(&self, usage: &Usage<'_>, b: &VatBreakdown) -> bool {
        self.check(usage, b) == Ok(true)
    }

    fn check(&self, usage: &Usage<'_>, b: &VatBreakdown) -> Result<bool, Bad> {
        let Some(taxable) = num::amount(b.taxable_amount.as_ref())? else {
            return Ok(false);
        };
        let kind = usage.category.kind;
        let parts = match kind {
            Kind::Standard | Kind::Regional => {
                // `every $rate in <breakdown rate>`: no rate, nothing to test.
                let Some(rate) = num::opt(b.rate.as_ref())? else {
                    return Ok(true);
                };
                if self.bad_rate {
                    return Err(Bad);
                }
                self.by_rate
                    .get(&rate.normalize())
                    .copied()
                    .unwrap_or_default()
            }
            Kind::Zero | Kind::Outside => self.all,
        };
        let [lines, charges, allowances] = parts;
        let (l, c, a) = (lines.sum?, charges.sum?, allowances.sum?);
        let has_lines = !usage.invoice.lines.is_empty();
        let within_one = |expected: Decimal| -> Result<bool, Bad> {
            Ok(num::sub(taxable, Decimal::ONE)? < expected
                && expected < num::add(taxable, Decimal::ONE)?)
        };
        if usage.ubl {
            let total = num::sub(num::add(l, c)?, a)?;
            return match kind {
                Kind::Standard => {
                    let acs = charges.count + allowances.count > 0;
                    Ok((lines.count > 0 || acs) && within_one(total)?
                        || acs && within_one(num::sub(c, a)?)?)
                }
                Kind::Regional => Ok(has_lines && within_one(total)?),
                Kind::Zero | Kind::Outside => Ok(has_lines && taxable == total),
            };
        }
        let rounded = num::sub(num::add(num::round2(l)?, num::round2(c)?)?, num::round2(a)?)?;
        match kind {
            Kind::Zero => within_one(rounded),
            Kind::Standard | Kind::Regional | Kind::Outside => Ok(taxable == rounded),
        }
    }
}

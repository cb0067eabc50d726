//! The VAT category rules: ten rules per category (BR-S, BR-Z, BR-E, BR-AE, BR-IC for K,
//! BR-G, BR-O, BR-AF for L, BR-AG for M), numbered alike, plus the few rules one category
//! has on its own (BR-IC-11/12, BR-O-11..14) and the Italian split payment BR-B-01/02.
//!
//! The ten rules have the same shape for every category and differ in a few parameters,
//! kept in one [`Category`] table:
//! - 01: a VAT breakdown exists for the category exactly when something uses it;
//! - 02..04: the seller (and sometimes the buyer) has the identifiers the category needs,
//!   when a line, allowance or charge uses it;
//! - 05..07: the rate of such a line, allowance or charge;
//! - 08: the breakdown's taxable amount is what the lines, charges and allowances add up to;
//! - 09: the breakdown's tax amount;
//! - 10: an exemption reason is required or forbidden.

mod census;
mod special;
mod taxable;

use einvoice::{AllowanceCharge, Invoice, Line, Pos, Text, VatBreakdown};
use rust_decimal::Decimal;

use super::{code, num};
use crate::Check;

pub(super) fn check(cx: &mut Check<'_, '_>) {
    let source = cx.source;
    let census = source
        .syntax
        .is_ubl()
        .then(|| census::Census::of(&source.doc));
    for category in &CATEGORIES {
        Usage::of(cx, category).judge(cx, census.as_ref());
    }
    special::check(cx);
}

/// How the rules of a VAT category are parameterised.
struct Category {
    /// The UNCL 5305 code.
    code: &'static str,
    /// The ids of rules 01..10, in order.
    ids: [&'static str; 10],
    /// How rule 01 and rules 08/09 treat the category.
    kind: Kind,
    /// What rules 02..04 require of the parties.
    parties: Parties,
    /// Whether rule 10 requires an exemption reason (or forbids one).
    exempt: bool,
}

/// The shapes the official rules take per category.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// S: a positive rate, breakdowns per rate, tax = base × rate.
    Standard,
    /// L and M (Canary Islands, Ceuta and Melilla): their own rates, breakdowns per rate.
    Regional,
    /// Z, E, AE, K, G: rate zero, one breakdown, no tax.
    Zero,
    /// O: no rate, one breakdown, no tax.
    Outside,
}

/// What rules 02..04 require when a line, allowance or charge uses the category.
#[derive(Clone, Copy)]
enum Parties {
    /// A seller VAT identifier or tax registration identifier, or a tax representative VAT
    /// identifier.
    SellerTaxId,
    /// A seller or tax representative VAT identifier.
    SellerVat,
    /// [`Parties::SellerTaxId`], and a buyer VAT identifier or legal registration identifier.
    ReverseCharge,
    /// [`Parties::SellerVat`], and a buyer VAT identifier.
    IntraCommunity,
    /// No VAT identifier for the seller, the tax representative or the buyer.
    NoVatIds,
}

const CATEGORIES: [Category; 9] = [
    Category {
        code: "S",
        ids: [
            "BR-S-01", "BR-S-02", "BR-S-03", "BR-S-04", "BR-S-05", "BR-S-06", "BR-S-07", "BR-S-08",
            "BR-S-09", "BR-S-10",
        ],
        kind: Kind::Standard,
        parties: Parties::SellerTaxId,
        exempt: false,
    },
    Category {
        code: "Z",
        ids: [
            "BR-Z-01", "BR-Z-02", "BR-Z-03", "BR-Z-04", "BR-Z-05", "BR-Z-06", "BR-Z-07", "BR-Z-08",
            "BR-Z-09", "BR-Z-10",
        ],
        kind: Kind::Zero,
        parties: Parties::SellerTaxId,
        exempt: false,
    },
    Category {
        code: "E",
        ids: [
            "BR-E-01", "BR-E-02", "BR-E-03", "BR-E-04", "BR-E-05", "BR-E-06", "BR-E-07", "BR-E-08",
            "BR-E-09", "BR-E-10",
        ],
        kind: Kind::Zero,
        parties: Parties::SellerTaxId,
        exempt: true,
    },
    Category {
        code: "AE",
        ids: [
            "BR-AE-01", "BR-AE-02", "BR-AE-03", "BR-AE-04", "BR-AE-05", "BR-AE-06", "BR-AE-07",
            "BR-AE-08", "BR-AE-09", "BR-AE-10",
        ],
        kind: Kind::Zero,
        parties: Parties::ReverseCharge,
        exempt: true,
    },
    Category {
        code: "K",
        ids: [
            "BR-IC-01", "BR-IC-02", "BR-IC-03", "BR-IC-04", "BR-IC-05", "BR-IC-06", "BR-IC-07",
            "BR-IC-08", "BR-IC-09", "BR-IC-10",
        ],
        kind: Kind::Zero,
        parties: Parties::IntraCommunity,
        exempt: true,
    },
    Category {
        code: "G",
        ids: [
            "BR-G-01", "BR-G-02", "BR-G-03", "BR-G-04", "BR-G-05", "BR-G-06", "BR-G-07", "BR-G-08",
            "BR-G-09", "BR-G-10",
        ],
        kind: Kind::Zero,
        parties: Parties::SellerVat,
        exempt: true,
    },
    Category {
        code: "O",
        ids: [
            "BR-O-01", "BR-O-02", "BR-O-03", "BR-O-04", "BR-O-05", "BR-O-06", "BR-O-07", "BR-O-08",
            "BR-O-09", "BR-O-10",
        ],
        kind: Kind::Outside,
        parties: Parties::NoVatIds,
        exempt: true,
    },
    Category {
        code: "L",
        ids: [
            "BR-AF-01", "BR-AF-02", "BR-AF-03", "BR-AF-04", "BR-AF-05", "BR-AF-06", "BR-AF-07",
            "BR-AF-08", "BR-AF-09", "BR-AF-10",
        ],
        kind: Kind::Regional,
        parties: Parties::SellerTaxId,
        exempt: false,
    },
    Category {
        code: "M",
        ids: [
            "BR-AG-01", "BR-AG-02", "BR-AG-03", "BR-AG-04", "BR-AG-05", "BR-AG-06", "BR-AG-07",
            "BR-AG-08", "BR-AG-09", "BR-AG-10",
        ],
        kind: Kind::Regional,
        parties: Parties::SellerTaxId,
        exempt: false,
    },
];

/// Everything in one invoice that uses one VAT category.
struct Usage<'a> {
    category: &'a Category,
    invoice: &'a Invoice,
    ubl: bool,
    lines: Vec<&'a Line>,
    allowances: Vec<&'a AllowanceCharge>,
    charges: Vec<&'a AllowanceCharge>,
    breakdowns: Vec<&'a VatBreakdown>,
    /// Lines, charges and allowances whose category element has the code but no VAT tax
    /// scheme: the model leaves them out, but UBL's rule 08 sums them too.
    unschemed: Vec<taxable::Entry<'a>>,
}

impl<'a> Usage<'a> {
    fn of(cx: &Check<'a, '_>, category: &'a Category) -> Self {
        let inv: &'a Invoice = cx.invoice;
        let syntax = cx.syntax();
        let is = |t: Option<&Text>| code(syntax, t) == Some(category.code);
        let uses = |ac: &&AllowanceCharge, charge: bool| {
            ac.is_charge() == Some(charge) && is(ac.vat_category.as_ref())
        };
        Usage {
            category,
            invoice: inv,
            ubl: syntax.is_ubl(),
            lines: inv
                .lines
                .iter()
                .filter(|l| is(l.vat.as_ref().and_then(|v| v.category.as_ref())))
                .collect(),
            allowances: inv
                .allowances_charges
                .iter()
                .filter(|ac| uses(ac, false))
                .collect(),
            charges: inv
                .allowances_charges
                .iter()
                .filter(|ac| uses(ac, true))
                .collect(),
            breakdowns: inv
                .vat_breakdown
                .iter()
                .filter(|b| is(b.category.as_ref()))
                .collect(),
            unschemed: if syntax.is_ubl() {
                taxable::unschemed(cx, inv, category.code)
            } else {
                Vec::new()
            },
        }
    }

    /// Judges the category; `census` is the UBL document's tax categories.
    fn judge(&self, cx: &mut Check<'_, '_>, census: Option<&census::Census<'_>>) {
        let ids = &self.category.ids;
        let rule_01 = match census {
            Some(c) => c.rule_01_holds(self.category.code, self.category.kind),
            None => self.breakdown_matches_use(),
        };
        if !rule_01 {
            cx.fail(ids[0], self.invoice.at);
        }
        self.parties(cx, census);
        self.rates(cx);
        let sums = taxable::Sums::of(self);
        let code = self.category.code;
        let judged: Vec<&VatBreakdown> = self
            .breakdowns
            .iter()
            .copied()
            .filter(|b| breakdown_judged(cx, code, b.at))
            .collect();
        for b in judged {
            if !sums.taxable_holds(self, b) {
                cx.fail(ids[7], b.at);
            }
            if !self.tax_holds(b) {
                cx.fail(ids[8], b.at);
            }
            let reason = b.exemption_reason.is_some() || b.exemption_reason_code.is_some();
            if reason != self.category.exempt {
                cx.fail(ids[9], b.at);
            }
        }
    }

    /// Rule 01 in CII (UBL's is judged on the tree, see [`census`]): lines and breakdowns
    /// together, and allowances/charges and breakdowns together, number at least two when
    /// lines (allowances/charges) use S, L or M; a Z, E, AE, K, G or O breakdown is the only
    /// one of its category and something uses it (O: if there is one at all).
    fn breakdown_matches_use(&self) -> bool {
        let (lines, acs) = (self.lines.len(), self.allowances.len() + self.charges.len());
        let breakdowns = self.breakdowns.len();
        let used = lines + acs > 0;
        match self.category.kind {
            Kind::Standard | Kind::Regional => {
                (lines == 0 || lines + breakdowns >= 2) && (acs == 0 || acs + breakdowns >= 2)
            }
            Kind::Outside => breakdowns == 0 || breakdowns == 1 && used,
            Kind::Zero => !used && breakdowns == 0 || breakdowns == 1 && used,
        }
    }

    /// Rules 02..04. UBL tests them once per document, CII once per line, allowance or
    /// charge that uses the category.
    fn parties(&self, cx: &mut Check<'_, '_>, census: Option<&census::Census<'_>>) {
        // UBL's BR-S-02 passes on "no item category S" in any tax scheme, but holds only for
        // one in the VAT scheme: an item with S in another scheme alone fails it.
        if self.lines.is_empty()
            && self.category.kind == Kind::Standard
            && census.is_some_and(|c| c.item_category_in_any_scheme(self.category.code))
        {
            cx.fail(self.category.ids[1], self.invoice.at);
        }
        if self.parties_hold() {
            return;
        }
        let ids = &self.category.ids;
        let users: [(&'static str, Vec<Pos>); 3] = [
            (
                ids[1],
                self.judged_lines(cx)
                    .map(|l| l.vat.as_ref().map_or(l.at, |v| v.at))
                    .collect(),
            ),
            (ids[2], judged(cx, &self.allowances).map(|a| a.at).collect()),
            (ids[3], judged(cx, &self.charges).map(|a| a.at).collect()),
        ];
        for (id, positions) in users {
            if self.ubl {
                if !positions.is_empty() {
                    cx.fail(id, self.invoice.at);
                }
            } else {
                for at in positions {
                    cx.fail(id, at);
                }
            }
        }
    }

    fn parties_hold(&self) -> bool {
        let inv = self.invoice;
        let seller = inv.seller.as_ref();
        let seller_vat = seller.is_some_and(|s| s.vat_id.is_some());
        let seller_tax = seller.is_some_and(|s| s.tax_registration.is_some());
        let rep_vat = inv
            .tax_representative
            .as_ref()
            .is_some_and(|r| r.vat_id.is_some());
        let buyer = inv.buyer.as_ref();
        let buyer_vat = buyer.is_some_and(|b| b.vat_id.is_some());
        let buyer_legal = buyer.is_some_and(|b| b.legal_registration.is_some());
        match self.category.parties {
            Parties::SellerTaxId => seller_vat || seller_tax || rep_vat,
            Parties::SellerVat => seller_vat || rep_vat,
            Parties::ReverseCharge => {
                (seller_vat || seller_tax || rep_vat) && (buyer_vat || buyer_legal)
            }
            Parties::IntraCommunity => (seller_vat || rep_vat) && buyer_vat,
            Parties::NoVatIds => !seller_vat && !rep_vat && !buyer_vat,
        }
    }

    /// Rules 05..07: the rate of each line, allowance and charge with the category.
    fn rates(&self, cx: &mut Check<'_, '_>) {
        let ids = &self.category.ids;
        let lines: Vec<&Line> = self.judged_lines(cx).collect();
        for line in lines {
            let vat = line.vat.as_ref();
            if !self.rate_holds(vat.and_then(|v| v.rate.as_ref())) {
                cx.fail(ids[4], vat.map_or(line.at, |v| v.at));
            }
        }
        for (id, acs) in [(ids[5], &self.allowances), (ids[6], &self.charges)] {
            let acs: Vec<&AllowanceCharge> = judged(cx, acs).collect();
            for ac in acs {
                if !self.rate_holds(ac.vat_rate.as_ref()) {
                    cx.fail(id, ac.vat_rate.as_ref().map_or(ac.at, |r| r.at));
                }
            }
        }
    }

    /// The lines rules 02 and 05 judge (see [`judged`]).
    fn judged_lines<'s>(&'s self, cx: &'s Check<'_, '_>) -> impl Iterator<Item = &'a Line> + 's {
        self.lines.iter().copied().filter(|l| {
            l.vat
                .as_ref()
                .is_some_and(|v| super::vat_typed(cx, v.at, false))
        })
    }

    fn rate_holds(&self, rate: Option<&Text>) -> bool {
        if self.category.kind == Kind::Outside {
            return rate.is_none();
        }
        let Some(rate) = rate else {
            return false;
        };
        // UBL casts the rates of Z, E, AE, K and G to `xs:decimal`; every other rate test
        // compares the untyped value with 0, as a double (see `num::untyped_cmp`: `1e1` is a
        // rate there, and `-0` is below zero).
        if self.ubl && self.category.kind == Kind::Zero {
            return matches!(num::of(rate), Ok(r) if r.is_zero());
        }
        let Some(order) = num::untyped_cmp(&rate.value, 0) else {
            return false;
        };
        match self.category.kind {
            // L must be positive in CII but may be zero in UBL.
            Kind::Standard => order.is_gt(),
            Kind::Regional if !self.ubl && self.category.code == "L" => order.is_gt(),
            Kind::Regional => order.is_ge(),
            Kind::Zero | Kind::Outside => order.is_eq(),
        }
    }

    /// Rule 09: the tax amount is base × rate within one unit (strict bounds) for S, and
    /// for L/M in UBL (CII leaves L/M to BR-CO-17); zero for the others.
    fn tax_holds(&self, b: &VatBreakdown) -> bool {
        match self.category.kind {
            Kind::Regional if !self.ubl => true,
            Kind::Standard | Kind::Regional => {
                // An absent or malformed term makes the official comparison false.
                let within = || -> Result<bool, num::Bad> {
                    let (Some(tax), Some(base), Some(rate)) = (
                        num::amount(b.tax_amount.as_ref())?,
                        num::amount(b.taxable_amount.as_ref())?,
                        num::opt(b.rate.as_ref())?,
                    ) else {
                        return Ok(false);
                    };
                    let expected = num::vat_of(base, rate)?;
                    let tax = tax.abs();
                    Ok(num::sub(tax, Decimal::ONE)? < expected
                        && expected < num::add(tax, Decimal::ONE)?)
                };
                within() == Ok(true)
            }
            // UBL casts to `xs:decimal`; CII compares the untyped amount with 0, where the
            // official run takes `-0.00` for less than zero.
            Kind::Zero | Kind::Outside if self.ubl => {
                matches!(num::amount(b.tax_amount.as_ref()), Ok(Some(t)) if t.is_zero())
            }
            Kind::Zero | Kind::Outside => b
                .tax_amount
                .as_ref()
                .and_then(|t| num::untyped_cmp(&t.value.value, 0))
                .is_some_and(std::cmp::Ordering::is_eq),
        }
    }
}

/// Whether rules 08..10 of category `code`, and the category's own rules ([`special`]),
/// judge the VAT breakdown at `at`. In CII their context is the breakdown element of the
/// code with `[upper-case(ram:TypeCode) = 'VAT']`, except for S and Z, whose context is the
/// category code element whatever the type; rule 01 counts every breakdown of the code.
/// UBL's reader keeps only categories of the VAT scheme.
pub(super) fn breakdown_judged(cx: &Check<'_, '_>, code: &str, at: Pos) -> bool {
    cx.syntax().is_ubl() || matches!(code, "S" | "Z") || super::vat_typed(cx, at, false)
}

/// The allowances or charges rules 03/04 and 06/07 judge. In CII those rules' contexts end in
/// `[upper-case(ram:TypeCode) = 'VAT']` on the category element, while rules 01 and 08 count
/// every use of the code; UBL's reader keeps only categories of the VAT scheme, so there every
/// use is judged.
fn judged<'a, 's>(
    cx: &'s Check<'_, '_>,
    uses: &'s [&'a AllowanceCharge],
) -> impl Iterator<Item = &'a AllowanceCharge> + 's {
    let ubl = cx.syntax().is_ubl();
    uses.iter().copied().filter(move |ac| {
        if ubl {
            return true;
        }
        let tax = ac
            .vat_category
            .as_ref()
            .and_then(|c| einvoice::xml::node_at(cx.doc(), c.at))
            .and_then(|code| code.parent_element());
        tax.is_some_and(|t| super::vat_typed(cx, einvoice::xml::pos(t), false))
    })
}

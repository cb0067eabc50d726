//! BR-01..BR-65: the terms an invoice must carry and simple conditions on them.

use einvoice::xml::dom::KnownNamespace;
use einvoice::{Address, Identifier, Invoice, Line, Period, Pos, Text};

use super::{blank, num};
use crate::Check;

pub(super) fn check(cx: &mut Check<'_, '_>) {
    let inv = cx.invoice;
    document(cx, inv);
    parties(cx, inv);
    totals(cx, inv);
    allowances_charges(cx, inv);
    vat_breakdown(cx, inv);
    payment(cx, inv);
    references(cx, inv);
    for line in &inv.lines {
        self::line(cx, line);
    }
}

/// Fires `id` at `at` unless `ok`.
fn rule(cx: &mut Check<'_, '_>, id: &'static str, ok: bool, at: Pos) {
    if !ok {
        cx.fail(id, at);
    }
}

fn document(cx: &mut Check<'_, '_>, inv: &Invoice) {
    let at = inv.at;
    rule(cx, "BR-01", !blank(inv.specification.as_ref()), at);
    rule(cx, "BR-02", !blank(inv.number.as_ref()), at);
    // CII selects only a format-102 date string.
    let issue_date = inv.issue_date.as_ref().filter(|d| {
        cx.syntax().is_ubl()
            || einvoice::xml::node_at(cx.doc(), d.at)
                .is_some_and(|n| n.attribute("format") == Some("102"))
    });
    rule(cx, "BR-03", !blank(issue_date), at);
    rule(cx, "BR-04", !blank(inv.type_code.as_ref()), at);
    rule(cx, "BR-05", !blank(inv.currency.as_ref()), at);
    rule(cx, "BR-16", !inv.lines.is_empty(), at);
    if let Some(period) = &inv.period {
        let ok = period_in_order(cx, period);
        rule(cx, "BR-29", ok, period.at);
    }
}

/// BR-29 / BR-30: the end date is not before the start date, when both are given.
fn period_in_order(cx: &Check<'_, '_>, p: &Period) -> bool {
    if !cx.syntax().is_ubl() {
        return cii_period_in_order(cx, p.at);
    }
    // UBL casts both with `xs:date`: a malformed date stops the official run, so the rule
    // fails.
    match (&p.start, &p.end) {
        (Some(start), Some(end)) => match (start.xs_date(), end.xs_date()) {
            (Some(s), Some(e)) => e >= s,
            _ => false,
        },
        _ => true,
    }
}

/// CII tests the period elements, not the dates: once both `StartDateTime` and
/// `EndDateTime` are present, some `udt:DateTimeString[@format = '102']` of the end must be
/// `>=` one of the start. Both sides are untyped, so they compare as strings: a start
/// without a format-102 string fails, and text that is not a date still compares.
fn cii_period_in_order(cx: &Check<'_, '_>, at: Pos) -> bool {
    let Some(period) = einvoice::xml::node_at(cx.doc(), at) else {
        return true;
    };
    let strings = |name: &str| -> Option<Vec<std::borrow::Cow<'_, str>>> {
        let mut present = false;
        let mut values = Vec::new();
        for edge in period
            .children()
            .filter(|c| c.has_tag_name((einvoice::NS_RAM, name)))
        {
            present = true;
            values.extend(
                edge.children()
                    .filter(|d| {
                        d.has_tag_name((einvoice::NS_UDT, "DateTimeString"))
                            && d.attribute("format") == Some("102")
                    })
                    .map(|d| d.string_value()),
            );
        }
        present.then_some(values)
    };
    match (strings("StartDateTime"), strings("EndDateTime")) {
        (Some(starts), Some(ends)) => ends.iter().any(|e| starts.iter().any(|s| e >= s)),
        _ => true,
    }
}

fn parties(cx: &mut Check<'_, '_>, inv: &Invoice) {
    let ubl = cx.syntax().is_ubl();
    let root = inv.at;
    let seller = inv.seller.as_ref();
    let buyer = inv.buyer.as_ref();
    rule(
        cx,
        "BR-06",
        !blank(seller.and_then(|s| s.name.as_ref())),
        root,
    );
    rule(
        cx,
        "BR-07",
        !blank(buyer.and_then(|b| b.name.as_ref())),
        root,
    );
    let seller_address = seller.and_then(|s| s.address.as_ref());
    let buyer_address = buyer.and_then(|b| b.address.as_ref());
    rule(cx, "BR-08", seller_address.is_some(), root);
    rule(cx, "BR-10", buyer_address.is_some(), root);
    country_given(cx, "BR-09", seller_address, root);
    country_given(cx, "BR-11", buyer_address, root);

    if let Some(s) = seller {
        // BR-CO-26: VAT identifier, an identifier (the SEPA creditor id is BT-90 and not
        // among them) or a legal registration identifier.
        let identified =
            s.vat_id.is_some() || !s.identifiers.is_empty() || s.legal_registration.is_some();
        rule(cx, "BR-CO-26", identified, s.at);
    }
    if ubl {
        scheme_given(
            cx,
            "BR-62",
            seller.and_then(|s| s.electronic_address.as_ref()),
        );
        scheme_given(
            cx,
            "BR-63",
            buyer.and_then(|b| b.electronic_address.as_ref()),
        );
    } else {
        cii_scheme_given(cx, "BR-62", seller.map(|s| s.at));
        cii_scheme_given(cx, "BR-63", buyer.map(|b| b.at));
    }

    if let Some(payee) = &inv.payee {
        // BR-17: UBL compares the payee name with the seller's PartyName (the trading name,
        // BT-28) and the party identifiers; CII with the seller name (BT-27), identifiers
        // and legal organisation identifier. Equality is XPath `=`: exact text, any pair.
        let seller_name = seller.and_then(|s| {
            if ubl {
                s.trading_name.as_ref()
            } else {
                s.name.as_ref()
            }
        });
        let same_name =
            matches!((&payee.name, seller_name), (Some(a), Some(b)) if a.value == b.value);
        let seller_ids = seller.map(|s| s.identifiers.as_slice()).unwrap_or_default();
        let same_id = payee
            .identifiers
            .iter()
            .any(|p| seller_ids.iter().any(|s| s.id.value == p.id.value));
        let same_legal = !ubl
            && matches!(
                (&payee.legal_registration, seller.and_then(|s| s.legal_registration.as_ref())),
                (Some(a), Some(b)) if a.id.value == b.id.value
            );
        let ok = payee.name.is_some() && !same_name && !same_id && !same_legal;
        rule(cx, "BR-17", ok, payee.at);
    }

    if let Some(rep) = &inv.tax_representative {
        rule(cx, "BR-18", !blank(rep.name.as_ref()), rep.at);
        rule(cx, "BR-19", rep.address.is_some(), rep.at);
        country_given(cx, "BR-20", rep.address.as_ref(), rep.at);
        // BR-56: UBL asks for the element, CII for a non-blank `ID[@schemeID='VA']`.
        let vat = rep.vat_id.as_ref();
        let ok = if ubl { vat.is_some() } else { !blank(vat) };
        rule(cx, "BR-56", ok, rep.at);
    }

    if let Some(delivery) = &inv.delivery
        && let Some(address) = &delivery.address
    {
        // BR-57: UBL asks for the country element, CII for a non-blank country.
        let country = address.country.as_ref();
        let ok = if ubl {
            country.is_some()
        } else {
            !blank(country)
        };
        let at = if ubl { address.at } else { delivery.at };
        rule(cx, "BR-57", ok, at);
    }
}

/// BR-09, BR-11, BR-20: the country code of an address is not blank.
///
/// UBL tests it in the context of the address, so a missing address fires only the rule
/// that asks for the address; CII tests it from the document (or party) and fires both.
fn country_given(cx: &mut Check<'_, '_>, id: &'static str, address: Option<&Address>, outer: Pos) {
    match address {
        Some(a) => {
            let at = if cx.syntax().is_ubl() { a.at } else { outer };
            rule(cx, id, !blank(a.country.as_ref()), at);
        }
        None if !cx.syntax().is_ubl() => cx.fail(id, outer),
        None => {}
    }
}

/// BR-62, BR-63 in UBL: an electronic address has a `schemeID` attribute.
fn scheme_given(cx: &mut Check<'_, '_>, id: &'static str, address: Option<&Identifier>) {
    if let Some(a) = address {
        rule(cx, id, a.scheme.is_some(), a.id.at);
    }
}

/// BR-62, BR-63 in CII. The official test is on the tree, not on the address: once the party
/// has a `ram:URIUniversalCommunication`, the first one's `ram:URIID/@schemeID` must be
/// non-blank, so a communication element without its `URIID` fails as well (the model then
/// holds no address, or the one of a later communication element).
fn cii_scheme_given(cx: &mut Check<'_, '_>, id: &'static str, party: Option<Pos>) {
    let source = cx.source;
    let Some(party) = party.and_then(|at| einvoice::xml::node_at(&source.doc, at)) else {
        return;
    };
    let Some(communication) = party
        .children()
        .find(|c| c.is_named(KnownNamespace::Ram, "URIUniversalCommunication"))
    else {
        return;
    };
    let uri = communication
        .children()
        .find(|c| c.is_named(KnownNamespace::Ram, "URIID"));
    let scheme = uri.and_then(|u| u.attribute("schemeID")).unwrap_or("");
    if einvoice::value::trim(scheme).is_empty() {
        let at = uri.unwrap_or(communication);
        cx.fail_node(id, at);
    }
}

fn totals(cx: &mut Check<'_, '_>, inv: &Invoice) {
    if let Some(t) = &inv.totals {
        rule(cx, "BR-12", t.line_net_total.is_some(), t.at);
        rule(cx, "BR-13", t.tax_exclusive.is_some(), t.at);
        rule(cx, "BR-14", t.tax_inclusive.is_some(), t.at);
        rule(cx, "BR-15", t.payable.is_some(), t.at);
    }
}

/// Document level allowances (BR-31..33) and charges (BR-36..38), with the reason rules
/// BR-CO-21/22 that test the same thing.
fn allowances_charges(cx: &mut Check<'_, '_>, inv: &Invoice) {
    for ac in &inv.allowances_charges {
        let [amount, category, reason, co] =
            match super::kind(cx.syntax(), ac.charge_indicator.as_ref()) {
                Some(false) => ["BR-31", "BR-32", "BR-33", "BR-CO-21"],
                Some(true) => ["BR-36", "BR-37", "BR-38", "BR-CO-22"],
                None => continue,
            };
        let has_reason = ac.reason.is_some() || ac.reason_code.is_some();
        rule(cx, amount, ac.amount.is_some(), ac.at);
        // The category code sits in the trade tax element whose type CII tests.
        let typed = ac.vat_category.as_ref().is_some_and(|c| {
            let tax = einvoice::xml::node_at(cx.doc(), c.at).and_then(|n| n.parent_element());
            tax.is_some_and(|t| super::vat_typed(cx, einvoice::xml::pos(t), false))
        });
        rule(cx, category, typed, ac.at);
        rule(cx, reason, has_reason, ac.at);
        rule(cx, co, has_reason, ac.at);
    }
}

fn vat_breakdown(cx: &mut Check<'_, '_>, inv: &Invoice) {
    let syntax = cx.syntax();
    let tested = super::tested_breakdowns(cx, inv);
    for b in tested {
        rule(cx, "BR-45", b.taxable_amount.is_some(), b.at);
        rule(cx, "BR-46", b.tax_amount.is_some(), b.at);
        // CII selects the breakdown's category and rate only under a VAT type code.
        let typed = super::vat_typed(cx, b.at, false);
        rule(cx, "BR-47", typed && b.category.is_some(), b.at);
        let outside_scope = super::code(syntax, b.category.as_ref()) == Some("O");
        rule(
            cx,
            "BR-48",
            typed && (b.rate.is_some() || outside_scope),
            b.at,
        );
    }
}

fn payment(cx: &mut Check<'_, '_>, inv: &Invoice) {
    let ubl = cx.syntax().is_ubl();
    for pi in &inv.payment_instructions {
        rule(cx, "BR-49", pi.means_code.is_some(), pi.at);
        // The credit transfer rules select payment means 30 and 58. UBL's BR-61 context is
        // the payment means (trimmed code); the account contexts of BR-50 (both syntaxes) and
        // CII's BR-61 compare the code untrimmed.
        let code = pi.means_code.as_ref();
        let exact = code.is_some_and(|c| c.value == "30" || c.value == "58");
        if exact {
            // The official context is the account element (UBL `cac:PayeeFinancialAccount`,
            // CII `ram:PayeePartyCreditorFinancialAccount`); the CII reader also makes a
            // credit transfer of a lone financial institution, which no rule tests.
            let accounts: Vec<_> = pi
                .credit_transfers
                .iter()
                .filter(|ct| ubl || is_element(cx, ct.at, "PayeePartyCreditorFinancialAccount"))
                .collect();
            for ct in accounts {
                rule(cx, "BR-50", !blank(ct.account_id.as_ref()), ct.at);
                if !ubl {
                    rule(cx, "BR-61", ct.account_id.is_some(), ct.at);
                }
            }
        }
        let trimmed = code.is_some_and(|c| matches!(c.trim(), "30" | "58"));
        if ubl && trimmed {
            let account = pi.credit_transfers.iter().any(|ct| ct.account_id.is_some());
            rule(cx, "BR-61", account, pi.at);
        }
        let pan = pi
            .card
            .as_ref()
            .and_then(|c| c.primary_account_number.as_ref().map(|p| (c, p)));
        if let Some((card, pan)) = pan {
            // BR-51: at most the last ten digits of the card number, after normalize-space.
            let len = einvoice::value::words(&pan.value)
                .map(|w| w.chars().count() + 1)
                .sum::<usize>();
            rule(
                cx,
                "BR-51",
                len.saturating_sub(1) <= 10,
                if ubl { pan.at } else { card.at },
            );
        }
    }
}

fn references(cx: &mut Check<'_, '_>, inv: &Invoice) {
    let ubl = cx.syntax().is_ubl();
    supporting_document_references(cx);
    for p in &inv.preceding_invoices {
        // BR-55: UBL asks for the element, CII for a non-blank one.
        let r = p.reference.as_ref();
        rule(cx, "BR-55", if ubl { r.is_some() } else { !blank(r) }, p.at);
    }
    if let Some(tax_currency) = &inv.vat_currency {
        // BR-53: a VAT total is given in the VAT accounting currency. CII also rejects a VAT
        // accounting currency equal to the invoice currency, and tests it per totals group.
        let given = inv
            .vat_totals
            .iter()
            .any(|a| currency(a.currency.as_ref()) == Some(tax_currency.value.as_str()));
        if ubl {
            rule(cx, "BR-53", given, inv.at);
        } else if let Some(t) = &inv.totals {
            let same = currency(inv.currency.as_ref()) == Some(tax_currency.value.as_str());
            rule(cx, "BR-53", given && !same, t.at);
        }
    }
    // BR-CO-03: a VAT point date and a VAT point date code exclude each other. CII tests it
    // once per VAT breakdown, UBL once per document.
    if inv.tax_point_date.is_some() && inv.tax_point_date_code.is_some() {
        if ubl {
            cx.fail("BR-CO-03", inv.at);
        } else {
            for b in &inv.vat_breakdown {
                if super::breakdown_rules_apply(cx, b) {
                    cx.fail("BR-CO-03", b.at);
                }
            }
        }
    }
    if let Some(period) = &inv.period {
        // BR-CO-19: a start or end date; UBL also accepts a lone VAT point date code, which
        // it carries in the invoice period.
        let coded = ubl && inv.tax_point_date_code.is_some();
        rule(
            cx,
            "BR-CO-19",
            period.start.is_some() || period.end.is_some() || coded,
            period.at,
        );
    }
}

/// BR-52: every additional document reference has a non-blank identifier. The official
/// context is every `cac:AdditionalDocumentReference` (`ram:AdditionalReferencedDocument`),
/// including those the binding reads as the tender (type 50) or invoiced object (130)
/// reference, which the model keeps apart from the supporting documents; so the tree is read.
fn supporting_document_references(cx: &mut Check<'_, '_>) {
    let source = cx.source;
    let (ns, name, id) = if source.syntax.is_ubl() {
        (
            einvoice::NS_CAC,
            "AdditionalDocumentReference",
            (einvoice::NS_CBC, "ID"),
        )
    } else {
        (
            einvoice::NS_RAM,
            "AdditionalReferencedDocument",
            (einvoice::NS_RAM, "IssuerAssignedID"),
        )
    };
    for reference in source.doc.elements().filter(|n| n.has_tag_name((ns, name))) {
        let given = reference
            .children()
            .find(|c| c.has_tag_name(id))
            .is_some_and(|c| !einvoice::value::is_xml_whitespace(&c.string_value()));
        if !given {
            cx.fail_node("BR-52", reference);
        }
    }
}

fn line(cx: &mut Check<'_, '_>, line: &Line) {
    let ubl = cx.syntax().is_ubl();
    let at = line.at;
    rule(cx, "BR-21", !blank(line.id.as_ref()), at);
    rule(cx, "BR-22", line.quantity.is_some(), at);
    let unit = line.quantity.as_ref().and_then(|q| q.unit.as_ref());
    rule(cx, "BR-23", unit.is_some(), at);
    rule(cx, "BR-24", line.net_amount.is_some(), at);
    let item = line.item.as_ref();
    rule(cx, "BR-25", !blank(item.and_then(|i| i.name.as_ref())), at);
    let price = line.price.as_ref();
    let net = price.and_then(|p| p.net.as_ref());
    rule(cx, "BR-26", net.is_some(), at);
    // BR-27 compares an absent price with 0 too, which is false: it fires with BR-26.
    rule(cx, "BR-27", non_negative(net.map(|a| &a.value)), at);
    if let Some(gross) = price.and_then(|p| p.gross.as_ref()) {
        rule(cx, "BR-28", non_negative(Some(&gross.value)), at);
    }
    rule(
        cx,
        "BR-CO-04",
        line.vat
            .as_ref()
            .is_some_and(|v| v.category.is_some() && super::vat_typed(cx, v.at, false)),
        at,
    );
    if let Some(period) = &line.period {
        let ok = period_in_order(cx, period);
        rule(cx, "BR-30", ok, period.at);
        rule(
            cx,
            "BR-CO-20",
            period.start.is_some() || period.end.is_some(),
            period.at,
        );
    }
    for ac in &line.allowances_charges {
        let [amount, reason, co] = match super::kind(cx.syntax(), ac.charge_indicator.as_ref()) {
            Some(false) => ["BR-41", "BR-42", "BR-CO-23"],
            Some(true) => ["BR-43", "BR-44", "BR-CO-24"],
            None => continue,
        };
        let has_reason = ac.reason.is_some() || ac.reason_code.is_some();
        rule(cx, amount, ac.amount.is_some(), ac.at);
        rule(cx, reason, has_reason, ac.at);
        rule(cx, co, has_reason, ac.at);
    }
    if let Some(item) = item {
        if let Some(std) = &item.standard_id {
            // BR-64: UBL asks for the attribute, CII for a non-blank one (per line).
            let ok = if ubl {
                std.scheme.is_some()
            } else {
                !blank(std.scheme.as_ref())
            };
            rule(cx, "BR-64", ok, if ubl { std.id.at } else { at });
        }
        for c in &item.classifications {
            let ok = if ubl {
                c.list_id.is_some()
            } else {
                !blank(c.list_id.as_ref())
            };
            rule(cx, "BR-65", ok, c.code.at);
        }
        for a in &item.attributes {
            rule(cx, "BR-54", a.name.is_some() && a.value.is_some(), a.at);
        }
    }
}

/// Whether the node at `at` is the element `name`.
fn is_element(cx: &Check<'_, '_>, at: Pos, name: &str) -> bool {
    einvoice::xml::node_at(cx.doc(), at).is_some_and(|n| n.tag_name().name() == name)
}

/// `x >= 0` on an optional value. The untyped value is compared with an integer, so XPath
/// casts it to `xs:double` (`1e3` and `INF` compare, `NaN` is never `>= 0`, and `-0.00` is
/// below zero in the official run: see [`num::untyped_cmp`]); absent values fail, and values
/// that are no double stop the official run, so they fail too.
fn non_negative(t: Option<&Text>) -> bool {
    t.and_then(|t| num::untyped_cmp(&t.value, 0))
        .is_some_and(std::cmp::Ordering::is_ge)
}

/// The raw text of an optional code, for XPath `=` between two nodes.
fn currency(t: Option<&Text>) -> Option<&str> {
    t.map(|t| t.value.as_str())
}

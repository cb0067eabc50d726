//! National rules in Peppol BIS Billing 3.0. Each block of the official rules decides on its
//! own which documents it judges (by the seller's VAT prefix, its address country as written
//! or normalised, or both parties' countries), so each module mirrors its own test.

mod de; // Germany (UBL only): XRechnung-derived rules between two German parties
mod dk; // Denmark
mod gr; // Greece (UBL only)
mod is; // Iceland (UBL only)
mod it; // Italy
mod nl; // the Netherlands (the NLCIUS rules carried into Peppol)
mod no; // Norway
mod se; // Sweden

use einvoice::{Address, Invoice, Pos, Text};

use super::Parties;
use super::text::upper_normalized;
use crate::Check;

pub fn check(cx: &mut Check<'_, '_>, parties: &Parties) {
    no::check(cx, parties);
    dk::check(cx);
    it::check(cx, parties);
    se::check(cx, parties);
    nl::check(cx);
    if cx.syntax().is_ubl() {
        gr::check(cx, parties);
        is::check(cx);
        if parties.both_german {
            de::check(cx);
        }
    }
}

/// The seller's address country exactly as written, '' without one.
fn seller_country(inv: &Invoice) -> &str {
    country(inv.seller.as_ref().and_then(|s| s.address.as_ref()))
}

/// The buyer's address country exactly as written, '' without one.
fn buyer_country(inv: &Invoice) -> &str {
    country(inv.buyer.as_ref().and_then(|b| b.address.as_ref()))
}

fn country(a: Option<&Address>) -> &str {
    a.and_then(|a| a.country.as_ref())
        .map_or("", |c| c.value.as_str())
}

/// `upper-case(normalize-space(country)) = code` for an address.
fn country_is(a: Option<&Address>, code: &str) -> bool {
    a.and_then(|a| a.country.as_ref())
        .is_some_and(|c| upper_normalized(c) == code)
}

/// The local name of the element a model value came from.
fn element_name<'a>(cx: &'a Check<'_, '_>, at: Pos) -> &'a str {
    einvoice::xml::node_at(&cx.source.doc, at).map_or("", |n| n.tag_name().name())
}

/// XPath `number(s)`, `None` where it gives NaN.
fn number(s: &str) -> Option<f64> {
    if !is_number(s) {
        return None;
    }
    let t = einvoice::value::trim(s);
    match t.strip_prefix('+').unwrap_or(t) {
        "INF" => Some(f64::INFINITY),
        "-INF" => Some(f64::NEG_INFINITY),
        other => other.parse().ok(),
    }
}

/// XPath `string(number(s)) != 'NaN'`: `s` reads as an `xs:double`.
fn is_number(s: &str) -> bool {
    let t = einvoice::value::trim(s);
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    if body == "INF" {
        return true;
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = !(int.is_empty() && frac.is_empty()) && digits(int) && digits(frac);
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// The value of an optional text, '' when absent.
fn value(t: Option<&Text>) -> &str {
    t.map_or("", |t| t.value.as_str())
}

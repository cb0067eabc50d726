//! EN 16931 business rules (BR-*, BR-CO-*, BR-DEC-*, BR-CL-* and the VAT-category rules),
//! written once against the semantic model for both syntaxes.
//!
//! The official Schematron binds each rule to UBL and to CII separately, and the two
//! bindings do not always agree (tolerances, rounding, which element is the context). Where
//! they differ, a rule asks [`Check::syntax`] and says in a comment which binding it mirrors.
//!
//! Numbers: the official tests cast with `xs:decimal`; a value that is not a decimal makes
//! the XSLT processor stop with a dynamic error, which rejects the document. We mirror that
//! by letting the rule whose test hit the bad value fail (see [`num`]).

mod calculation; // BR-CO: sums, totals and cross-field consistency
mod codes; // BR-CL: code lists, matched on element names like the official patterns
mod core; // BR-01..BR-65: mandatory terms and simple conditions
mod decimals; // BR-DEC: at most two fraction digits on amounts
mod num; // xs:decimal casts, XPath rounding and sums shared by the calculations
mod vat; // BR-S/Z/E/AE/IC/G/O/AF/AG per VAT category, and BR-B

use einvoice::{Syntax, Text};

use crate::Check;

/// Runs every EN 16931 business rule.
pub fn check(cx: &mut Check<'_, '_>) {
    core::check(cx);
    calculation::check(cx);
    decimals::check(cx);
    codes::check(cx);
    vat::check(cx);
}

/// A code as the official binding compares it: UBL trims with `normalize-space`, CII
/// compares the raw text (`ram:CategoryCode = 'S'`).
fn code(syntax: Syntax, t: Option<&Text>) -> Option<&str> {
    t.map(|t| {
        if syntax.is_ubl() {
            t.trim()
        } else {
            t.value.as_str()
        }
    })
}

/// True when an optional value is absent or blank (`normalize-space(x) = ''`).
fn blank(t: Option<&Text>) -> bool {
    t.is_none_or(Text::is_blank)
}

/// Whether an allowance or charge is a charge, as the per-element contexts select them:
/// UBL casts `ChargeIndicator` to `xs:boolean` (`true`, `1`, surrounding spaces allowed);
/// CII compares `udt:Indicator` with the strings `'true'` and `'false'`.
fn kind(syntax: Syntax, indicator: Option<&Text>) -> Option<bool> {
    let t = indicator?;
    if syntax.is_ubl() {
        match t.trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        }
    } else {
        match t.value.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

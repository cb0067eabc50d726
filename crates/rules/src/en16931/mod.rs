//! EN 16931 business rules (BR-*, BR-CO-*, BR-DEC-*, BR-CL-* and the VAT-category rules),
//! written once against the semantic model for both syntaxes.
//!
//! The official Schematron binds each rule to UBL and to CII separately, and the two
//! bindings do not always agree (tolerances, rounding, which element is the context). Where
//! they differ, a rule asks [`Check::syntax`] and says in a comment which binding it mirrors.
//!
//! Numbers: the official tests cast with `xs:decimal`; a value that is not a decimal makes
//! the XSLT processor stop with a dynamic error, which rejects the document. We mirror that
//! by letting the rule whose test hit the bad value fail (see [`num`]), so a document with a
//! malformed amount, quantity, percentage or rate always gets a fatal finding.
//!
//! Other dynamic errors of the official run are deliberately not mirrored here: a 0..1
//! element given twice ("a sequence of more than one item is not allowed") or an empty
//! `xs:boolean`/`xs:date` is an XML Schema violation, which validators reject before the
//! business rules run. The rules read the first occurrence, as the model does; rejecting
//! such documents is the job of a schema (cardinality) check, not of a business rule id.

mod calculation; // BR-CO: sums, totals and cross-field consistency
mod codes; // BR-CL: code lists, matched on element names like the official patterns
mod core; // BR-01..BR-65: mandatory terms and simple conditions
mod decimals; // BR-DEC: at most two fraction digits on amounts
mod num; // xs:decimal casts, XPath rounding and sums shared by the calculations
mod vat; // BR-S/Z/E/AE/IC/G/O/AF/AG per VAT category, and BR-B

use einvoice::{Invoice, NS_RAM, Pos, Syntax, Text, VatBreakdown};

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

/// Whether the CII trade tax element at `at` (`ApplicableTradeTax`, `CategoryTradeTax`) is
/// of the VAT type as the binding selects it: `upper-case(ram:TypeCode) = 'VAT'`, or with
/// `normalize-space` around it when `normalized` (BR-CO-17). UBL is always "typed": its
/// reader keeps only categories of the VAT tax scheme.
///
/// The CII reader does not keep the tax type code, so it is read from the tree here.
fn vat_typed(cx: &Check<'_, '_>, at: Pos, normalized: bool) -> bool {
    if cx.syntax().is_ubl() {
        return true;
    }
    let Some(tax) = einvoice::xml::node_at(cx.doc(), at) else {
        return false;
    };
    tax.children()
        .filter(|c| c.has_tag_name((NS_RAM, "TypeCode")))
        .any(|c| {
            let code = c.string_value();
            let code = if normalized {
                einvoice::value::trim(&code)
            } else {
                &code
            };
            code.to_uppercase() == "VAT"
        })
}

/// Whether the CII breakdown rules (BR-45..48, BR-CO-03, BR-CO-17, BR-DEC-19/20) test this
/// VAT breakdown. In the official pattern a node is tested only by the first rule whose
/// context matches it, and the L, M and O category rules come first and match the
/// breakdown element itself (`ApplicableTradeTax[ram:CategoryCode = 'O'][upper-case(ram:TypeCode)
/// = 'VAT']`), so those breakdowns skip the general rules. UBL has no such overlap.
fn breakdown_rules_apply(cx: &Check<'_, '_>, b: &VatBreakdown) -> bool {
    let shadowed = !cx.syntax().is_ubl()
        && b.category
            .as_ref()
            .is_some_and(|c| matches!(c.value.as_str(), "L" | "M" | "O"))
        && vat_typed(cx, b.at, false);
    !shadowed
}

/// The VAT breakdowns the general breakdown rules judge (see [`breakdown_rules_apply`]).
fn tested_breakdowns<'a>(cx: &Check<'_, '_>, inv: &'a Invoice) -> Vec<&'a VatBreakdown> {
    inv.vat_breakdown
        .iter()
        .filter(|b| breakdown_rules_apply(cx, b))
        .collect()
}

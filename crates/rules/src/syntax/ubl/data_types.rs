//! UBL-DT: what the EN 16931 data types allow of UBL's: amounts with at most two
//! decimals, binary objects with a MIME code and a file name (fatal), and no supplementary
//! attributes the semantic model has no place for (warnings).

use einvoice::xml::Node;

use super::tree::{self, Ns};
use crate::Check;

/// Attributes that should not be present anywhere, as paths for the walk's automaton.
#[rustfmt::skip]
pub(super) const ATTRIBUTES: &[(&str, &str)] = &[
    ("UBL-DT-08", "//@schemeName"),
    ("UBL-DT-09", "//@schemeAgencyName"),
    ("UBL-DT-10", "//@schemeDataURI"),
    ("UBL-DT-11", "//@schemeURI"),
    ("UBL-DT-12", "//@format"),
    ("UBL-DT-13", "//@unitCodeListIdentifier"),
    ("UBL-DT-14", "//@unitCodeListAgencyIdentifier"),
    ("UBL-DT-15", "//@unitCodeListAgencyName"),
    ("UBL-DT-16", "//@listAgencyName"),
    ("UBL-DT-17", "//@listName"),
    // UBL-DT-18 (`@name`) allows one element, so it is [`DataTypes::open`]'s.
    ("UBL-DT-19", "//@languageID"),
    ("UBL-DT-20", "//@listURI"),
    ("UBL-DT-21", "//@listSchemeURI"),
    ("UBL-DT-22", "//@languageLocaleID"),
    ("UBL-DT-23", "//@uri"),
    ("UBL-DT-24", "//@currencyCodeListVersionID"),
    ("UBL-DT-25", "//@characterSetCode"),
    ("UBL-DT-26", "//@encodingCode"),
    ("UBL-DT-27", "//@schemeAgencyID"),
    ("UBL-DT-28", "//@listAgencyID"),
];

/// The UBL-DT state of one walk.
#[derive(Default)]
pub(super) struct DataTypes {
    name_reported: bool,
}

impl DataTypes {
    /// Judges the element the walk enters.
    pub(super) fn open(&mut self, cx: &mut Check<'_, '_>, node: Node<'_, '_>) {
        // Element names are matched whatever their namespace, as the official contexts
        // match on `name()`.
        let local = node.tag_name().name();
        if local.ends_with("Amount")
            && !local.ends_with("PriceAmount")
            && !in_price_discount(node)
            && fraction_length(node) > 2
        {
            cx.fail_node("UBL-DT-01", node);
        }
        if local.ends_with("BinaryObject") {
            if !node.has_attribute("mimeCode") {
                cx.fail_node("UBL-DT-06", node);
            }
            if !node.has_attribute("filename") {
                cx.fail_node("UBL-DT-07", node);
            }
        }
        // UBL-DT-18: the payment means text (BT-82) is the one `@name` the model has.
        if !self.name_reported
            && node.has_attribute("name")
            && !tree::is(node, Ns::Cbc, "PaymentMeansCode")
        {
            self.name_reported = true;
            cx.fail_node("UBL-DT-18", node);
        }
    }
}

/// True when an ancestor is a `cac:Price` with a `cac:AllowanceCharge` child: amounts of
/// the item price discount (BT-147, BT-148) may have more decimals, like the price itself.
/// Like the official context, this excuses every amount below such a price.
fn in_price_discount(node: Node<'_, '_>) -> bool {
    node.ancestors().skip(1).any(|a| {
        tree::is(a, Ns::Cac, "Price")
            && tree::children(a, Ns::Cac, "AllowanceCharge")
                .next()
                .is_some()
    })
}

/// How many characters follow the first `.` of the string value, whatever they are
/// (so trailing spaces count, as in the official test).
fn fraction_length(node: Node<'_, '_>) -> usize {
    tree::text(node).skip_while(|&c| c != '.').skip(1).count()
}

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
pub(super) struct DataTypes {
    name_reported: bool,
    /// What each element name of the document is to these rules ([`Name`] bits), by name
    /// id, decided on the name's first element: comparing name suffixes per element cost
    /// more than the rules themselves.
    names: Vec<u8>,
}

/// Bits of [`DataTypes::names`].
struct Name;

impl Name {
    /// Not decided yet.
    const UNKNOWN: u8 = u8::MAX;
    /// An amount whose decimals UBL-DT-01 counts: `…Amount`, not `…PriceAmount`.
    const AMOUNT: u8 = 1;
    /// `…BinaryObject` (UBL-DT-06/07).
    const BINARY_OBJECT: u8 = 2;
    /// `cbc:PaymentMeansCode`, whose `@name` UBL-DT-18 allows.
    const PAYMENT_MEANS_CODE: u8 = 4;

    fn of(node: Node<'_, '_>) -> u8 {
        // Element names are matched whatever their namespace, as the official contexts
        // match on `name()`.
        let local = node.tag_name().name();
        let mut bits = 0;
        if local.ends_with("Amount") && !local.ends_with("PriceAmount") {
            bits |= Name::AMOUNT;
        }
        if local.ends_with("BinaryObject") {
            bits |= Name::BINARY_OBJECT;
        }
        if tree::is(node, Ns::Cbc, "PaymentMeansCode") {
            bits |= Name::PAYMENT_MEANS_CODE;
        }
        bits
    }
}

impl DataTypes {
    /// A walk over a document with `names` distinct element names.
    pub(super) fn new(names: usize) -> Self {
        DataTypes {
            name_reported: false,
            names: vec![Name::UNKNOWN; names],
        }
    }

    /// The [`Name`] bits of `node`'s name.
    fn name(&mut self, node: Node<'_, '_>) -> u8 {
        let Some(slot) = node.name_id().and_then(|id| self.names.get_mut(id.index())) else {
            return Name::of(node);
        };
        if *slot == Name::UNKNOWN {
            *slot = Name::of(node);
        }
        *slot
    }

    /// Judges the element the walk enters.
    pub(super) fn open(&mut self, cx: &mut Check<'_, '_>, node: Node<'_, '_>) {
        let name = self.name(node);
        if name & Name::AMOUNT != 0 && !in_price_discount(node) && fraction_length(node) > 2 {
            cx.fail_node("UBL-DT-01", node);
        }
        if name & Name::BINARY_OBJECT != 0 {
            if !node.has_attribute("mimeCode") {
                cx.fail_node("UBL-DT-06", node);
            }
            if !node.has_attribute("filename") {
                cx.fail_node("UBL-DT-07", node);
            }
        }
        // UBL-DT-18: the payment means text (BT-82) is the one `@name` the model has.
        if !self.name_reported && name & Name::PAYMENT_MEANS_CODE == 0 && node.has_attribute("name")
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
    node.string_value()
        .chars()
        .skip_while(|&c| c != '.')
        .skip(1)
        .count()
}

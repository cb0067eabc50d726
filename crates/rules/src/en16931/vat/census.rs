//! UBL's rule 01 of each VAT category, read from the tree.
//!
//! The UBL bindings of rule 01 select tax categories by XPath over the whole document, and
//! they do not agree on the tax scheme: BR-S-01 counts categories of any tax scheme, BR-AF-01
//! and BR-AG-01 count uses in the VAT scheme but compare the breakdown's code untrimmed, and
//! the others look for the code in any `cac:TaxCategory` of the VAT scheme (breakdowns
//! included). The model only keeps categories of the VAT scheme, so the tax categories are
//! gathered from the tree once per document, with the string values of their identifiers,
//! and each category's rule is judged on them.

use std::borrow::Cow;
use std::ops::Range;

use einvoice::value::trim;
use einvoice::xml::{Document, Node};
use einvoice::{NS_CAC, NS_CBC};

use super::Kind;

/// Where a tax category element sits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// `cac:ClassifiedTaxCategory` (an item's category).
    Item,
    /// `cac:AllowanceCharge/cac:TaxCategory`, at any level.
    AllowanceCharge,
    /// `/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory`: a VAT breakdown.
    Breakdown,
    /// Any other `cac:TaxCategory`.
    Other,
}

struct Seen {
    place: Place,
    vat: bool,
    /// The category's `cbc:ID` children, in `Census::ids`.
    ids: Range<usize>,
}

/// Every tax category element of a UBL document.
pub(super) struct Census<'a> {
    seen: Vec<Seen>,
    /// The string values of the categories' `cbc:ID` children, category after category.
    ids: Vec<Cow<'a, str>>,
}

impl<'a> Census<'a> {
    pub(super) fn of(doc: &'a Document<'_>) -> Self {
        let root = doc.root_element();
        let mut census = Census {
            seen: Vec::new(),
            ids: Vec::new(),
        };
        for node in doc.elements() {
            let place = if node.has_tag_name((NS_CAC, "ClassifiedTaxCategory")) {
                Place::Item
            } else if node.has_tag_name((NS_CAC, "TaxCategory")) {
                place_of_tax_category(node, root)
            } else {
                continue;
            };
            let start = census.ids.len();
            census
                .ids
                .extend(cbc_children(node, "ID").map(|id| id.string_value()));
            census.seen.push(Seen {
                place,
                vat: is_vat(node),
                ids: start..census.ids.len(),
            });
        }
        census
    }

    /// The string values of the identifiers of `seen`.
    fn ids(&self, seen: &Seen) -> impl Iterator<Item = &str> {
        self.ids
            .get(seen.ids.clone())
            .unwrap_or(&[])
            .iter()
            .map(|id| &**id)
    }

    /// Whether UBL's rule 01 holds for the category `code` of kind `kind`.
    pub(super) fn rule_01_holds(&self, code: &str, kind: Kind) -> bool {
        let count = |places: &[Place], vat_only: bool, test: &dyn Fn(&str) -> bool| -> usize {
            self.seen
                .iter()
                .filter(|s| places.contains(&s.place) && (s.vat || !vat_only))
                .map(|s| self.ids(s).filter(|id| test(id)).count().min(1))
                .sum()
        };
        let trimmed = |id: &str| trim(id) == code;
        let raw = |id: &str| id == code;
        let uses = [Place::Item, Place::AllowanceCharge];
        match kind {
            Kind::Standard => {
                let used = count(&uses, false, &trimmed) > 0;
                used == (count(&[Place::Breakdown], false, &trimmed) > 0)
            }
            // IGIC (L) tests the breakdown's raw code in any scheme when something uses the
            // category, IPSI (M) in the VAT scheme; both test the trimmed code when nothing does.
            Kind::Regional => {
                if count(&uses, true, &trimmed) > 0 {
                    count(&[Place::Breakdown], code == "M", &raw) > 0
                } else {
                    count(&[Place::Breakdown], true, &trimmed) == 0
                }
            }
            Kind::Zero | Kind::Outside => {
                let anywhere = [
                    Place::Item,
                    Place::AllowanceCharge,
                    Place::Breakdown,
                    Place::Other,
                ];
                if count(&anywhere, true, &trimmed) == 0 {
                    return true;
                }
                // `count(.../cbc:ID[normalize-space(.) = 'Z']) = 1` counts ID elements.
                self.seen
                    .iter()
                    .filter(|s| s.place == Place::Breakdown && s.vat)
                    .map(|s| self.ids(s).filter(|id| trimmed(id)).count())
                    .sum::<usize>()
                    == 1
            }
        }
    }

    /// True when an item category with the trimmed code `code` exists in any tax scheme.
    pub(super) fn item_category_in_any_scheme(&self, code: &str) -> bool {
        self.seen
            .iter()
            .any(|s| s.place == Place::Item && self.ids(s).any(|id| trim(id) == code))
    }
}

fn place_of_tax_category(node: Node<'_, '_>, root: Node<'_, '_>) -> Place {
    let Some(parent) = node.parent_element() else {
        return Place::Other;
    };
    if parent.has_tag_name((NS_CAC, "AllowanceCharge")) {
        return Place::AllowanceCharge;
    }
    let breakdown = parent.has_tag_name((NS_CAC, "TaxSubtotal"))
        && parent.parent_element().is_some_and(|total| {
            total.has_tag_name((NS_CAC, "TaxTotal")) && total.parent_element() == Some(root)
        });
    if breakdown {
        Place::Breakdown
    } else {
        Place::Other
    }
}

/// Whether the element at `at` (a `cac:TaxSubtotal`) has a `cac:TaxCategory` of the VAT
/// scheme, with or without a code.
pub(super) fn has_vat_category(doc: &Document<'_>, at: einvoice::Pos) -> bool {
    einvoice::xml::node_at(doc, at).is_some_and(|subtotal| {
        subtotal
            .children()
            .any(|c| c.has_tag_name((NS_CAC, "TaxCategory")) && is_vat(c))
    })
}

/// `cac:TaxScheme/normalize-space(upper-case(cbc:ID)) = 'VAT'`.
fn is_vat(category: Node<'_, '_>) -> bool {
    category
        .children()
        .filter(|c| c.has_tag_name((NS_CAC, "TaxScheme")))
        .any(|scheme| {
            cbc_children(scheme, "ID")
                .any(|id| trim(&id.string_value()).eq_ignore_ascii_case("VAT"))
        })
}

fn cbc_children<'a, 'input>(
    node: Node<'a, 'input>,
    name: &'static str,
) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children()
        .filter(move |c| c.has_tag_name((NS_CBC, name)))
}

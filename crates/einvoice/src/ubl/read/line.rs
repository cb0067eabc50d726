//! Invoice lines (BG-25) with their period, allowances and charges, price, VAT and item.

use crate::xml::Node;

use super::leaf::{Ns, amount, attr, cbc_child, children, fill, identifier, quantity, set, text};
use super::{allowance_charge, period, tax_category};
use crate::xml::pos;
use crate::{Classification, Item, ItemAttribute, Line, LineAllowanceCharge, LineVat, Price};

/// BG-25 from `cac:InvoiceLine` or `cac:CreditNoteLine`.
pub(super) fn line(node: Node<'_, '_>) -> Line {
    let mut l = Line {
        at: pos(node),
        ..Line::default()
    };
    for (ns, name, el) in children(node) {
        match (ns, name) {
            (Ns::Cbc, "ID") => set(&mut l.id, el),
            (Ns::Cbc, "Note") => set(&mut l.note, el),
            (Ns::Cbc, "InvoicedQuantity" | "CreditedQuantity") => {
                fill(&mut l.quantity, Some(quantity(el)));
            }
            (Ns::Cbc, "LineExtensionAmount") => fill(&mut l.net_amount, Some(amount(el))),
            (Ns::Cbc, "AccountingCost") => set(&mut l.accounting_reference, el),
            (Ns::Cac, "InvoicePeriod") => fill(&mut l.period, Some(period(el).0)),
            (Ns::Cac, "OrderLineReference") => {
                fill(
                    &mut l.order_line_reference,
                    cbc_child(el, "LineID").map(text),
                );
            }
            (Ns::Cac, "DocumentReference") => {
                fill(&mut l.object_id, cbc_child(el, "ID").map(identifier));
            }
            (Ns::Cac, "AllowanceCharge") => {
                let ac = allowance_charge(el);
                l.allowances_charges.push(LineAllowanceCharge {
                    at: ac.at,
                    charge_indicator: ac.charge_indicator,
                    amount: ac.amount,
                    base_amount: ac.base_amount,
                    percentage: ac.percentage,
                    reason: ac.reason,
                    reason_code: ac.reason_code,
                });
            }
            (Ns::Cac, "Item") => {
                let (item, vat) = item(el);
                fill(&mut l.item, Some(item));
                fill(&mut l.vat, vat);
            }
            (Ns::Cac, "Price") => fill(&mut l.price, Some(price(el))),
            _ => {}
        }
    }
    l
}

/// BG-31 from `cac:Item`, and BG-30 from its first VAT `ClassifiedTaxCategory`.
fn item(node: Node<'_, '_>) -> (Item, Option<LineVat>) {
    let mut it = Item {
        at: pos(node),
        ..Item::default()
    };
    let mut vat = None;
    for (ns, name, el) in children(node) {
        match (ns, name) {
            (Ns::Cbc, "Description") => set(&mut it.description, el),
            (Ns::Cbc, "Name") => set(&mut it.name, el),
            (Ns::Cac, "BuyersItemIdentification") => {
                fill(&mut it.buyers_id, cbc_child(el, "ID").map(text));
            }
            (Ns::Cac, "SellersItemIdentification") => {
                fill(&mut it.sellers_id, cbc_child(el, "ID").map(text));
            }
            (Ns::Cac, "StandardItemIdentification") => {
                fill(&mut it.standard_id, cbc_child(el, "ID").map(identifier));
            }
            (Ns::Cac, "OriginCountry") => {
                fill(
                    &mut it.origin_country,
                    cbc_child(el, "IdentificationCode").map(text),
                );
            }
            (Ns::Cac, "CommodityClassification") => {
                let code = cbc_child(el, "ItemClassificationCode");
                it.classifications.extend(code.map(|c| Classification {
                    code: text(c),
                    list_id: attr(c, "listID"),
                    list_version: attr(c, "listVersionID"),
                }));
            }
            (Ns::Cac, "ClassifiedTaxCategory") => {
                fill(
                    &mut vat,
                    tax_category(el).map(|c| LineVat {
                        at: pos(el),
                        category: c.id,
                        rate: c.percent,
                    }),
                );
            }
            (Ns::Cac, "AdditionalItemProperty") => {
                let mut attribute = ItemAttribute {
                    at: pos(el),
                    ..ItemAttribute::default()
                };
                for (ns, name, leaf) in children(el) {
                    match (ns, name) {
                        (Ns::Cbc, "Name") => set(&mut attribute.name, leaf),
                        (Ns::Cbc, "Value") => set(&mut attribute.value, leaf),
                        _ => {}
                    }
                }
                it.attributes.push(attribute);
            }
            _ => {}
        }
    }
    (it, vat)
}

/// BG-29 from `cac:Price`: the item price discount and gross price sit in its allowance.
fn price(node: Node<'_, '_>) -> Price {
    let mut p = Price {
        at: pos(node),
        ..Price::default()
    };
    for (ns, name, el) in children(node) {
        match (ns, name) {
            (Ns::Cbc, "PriceAmount") => fill(&mut p.net, Some(amount(el))),
            (Ns::Cbc, "BaseQuantity") => fill(&mut p.base_quantity, Some(quantity(el))),
            (Ns::Cac, "AllowanceCharge") => {
                fill(&mut p.discount, cbc_child(el, "Amount").map(amount));
                fill(&mut p.gross, cbc_child(el, "BaseAmount").map(amount));
            }
            _ => {}
        }
    }
    p
}

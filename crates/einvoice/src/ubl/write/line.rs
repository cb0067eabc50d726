//! Invoice lines (BG-25) in the order of UBL's `InvoiceLineType` / `CreditNoteLineType`.

use super::xml::Xml;
use super::{Charge, VatCategory, allowance_charge, period, tax_category};
use crate::{Item, Line, LineVat, Price};

/// The line element and quantity element names of one document kind.
pub(super) struct LineNames {
    pub(super) line: &'static str,
    pub(super) quantity: &'static str,
}

/// BG-25.
pub(super) fn line(x: &mut Xml, names: &LineNames, l: &Line) {
    x.group(names.line, &[], |x| {
        x.text("cbc:ID", l.id.as_ref());
        x.text("cbc:Note", l.note.as_ref());
        x.quantity(names.quantity, l.quantity.as_ref());
        x.amount("cbc:LineExtensionAmount", l.net_amount.as_ref());
        x.text("cbc:AccountingCost", l.accounting_reference.as_ref());
        if let Some(p) = &l.period {
            period(x, p, None);
        }
        x.wrapped(
            "cac:OrderLineReference",
            "cbc:LineID",
            l.order_line_reference.as_ref(),
        );
        if l.object_id.is_some() {
            x.group("cac:DocumentReference", &[], |x| {
                x.identifier("cbc:ID", l.object_id.as_ref());
                // The binding marks an invoiced object reference with document type 130.
                x.leaf("cbc:DocumentTypeCode", &[], "130");
            });
        }
        for ac in &l.allowances_charges {
            allowance_charge(x, &Charge::from(ac));
        }
        if l.item.is_some() || l.vat.is_some() {
            item(x, l.item.as_ref(), l.vat.as_ref());
        }
        if let Some(p) = &l.price {
            price(x, p);
        }
    });
}

/// BG-31 with BG-30 in its `ClassifiedTaxCategory`.
fn item(x: &mut Xml, item: Option<&Item>, vat: Option<&LineVat>) {
    x.group("cac:Item", &[], |x| {
        let none = Item::default();
        let it = item.unwrap_or(&none);
        x.text("cbc:Description", it.description.as_ref());
        x.text("cbc:Name", it.name.as_ref());
        x.wrapped(
            "cac:BuyersItemIdentification",
            "cbc:ID",
            it.buyers_id.as_ref(),
        );
        x.wrapped(
            "cac:SellersItemIdentification",
            "cbc:ID",
            it.sellers_id.as_ref(),
        );
        if it.standard_id.is_some() {
            x.group("cac:StandardItemIdentification", &[], |x| {
                x.identifier("cbc:ID", it.standard_id.as_ref());
            });
        }
        x.wrapped(
            "cac:OriginCountry",
            "cbc:IdentificationCode",
            it.origin_country.as_ref(),
        );
        for c in &it.classifications {
            x.group("cac:CommodityClassification", &[], |x| {
                let attributes = [
                    ("listID", c.list_id.as_ref()),
                    ("listVersionID", c.list_version.as_ref()),
                ];
                x.leaf("cbc:ItemClassificationCode", &attributes, c.code.trim());
            });
        }
        if let Some(v) = vat {
            let category = VatCategory {
                id: v.category.as_ref(),
                rate: v.rate.as_ref(),
                ..VatCategory::default()
            };
            tax_category(x, "cac:ClassifiedTaxCategory", &category);
        }
        for a in &it.attributes {
            x.group("cac:AdditionalItemProperty", &[], |x| {
                x.text("cbc:Name", a.name.as_ref());
                x.text("cbc:Value", a.value.as_ref());
            });
        }
    });
}

/// BG-29: the discount and gross price go in the price's allowance.
fn price(x: &mut Xml, p: &Price) {
    x.group("cac:Price", &[], |x| {
        x.amount("cbc:PriceAmount", p.net.as_ref());
        x.quantity("cbc:BaseQuantity", p.base_quantity.as_ref());
        if p.discount.is_some() || p.gross.is_some() {
            x.group("cac:AllowanceCharge", &[], |x| {
                x.leaf("cbc:ChargeIndicator", &[], "false");
                x.amount("cbc:Amount", p.discount.as_ref());
                x.amount("cbc:BaseAmount", p.gross.as_ref());
            });
        }
    });
}

//! Writes the model as CII D16B in the EN 16931 profile.
//!
//! Elements follow the sequence of the D16B schema. A model group that is `Some` is always
//! written, even when empty, so that reading the output gives the same model; the CII
//! wrappers that have no model counterpart (`SpecifiedLineTradeDelivery`,
//! `SpecifiedLegalOrganization`, ...) are written only when they hold something. A value
//! the model lacks is left out even where the schema requires it: the writer never invents
//! business data. The only constants it adds are the ones the binding fixes (tax type code
//! `VAT`, document type codes 50/130/916, the indicator of a price discount).
//!
//! Dates that parse ([`Text::date`]) are written in format 102, others as they are. The
//! one code that differs between the syntaxes, BT-8, is translated from its UBL value.
//! `currencyID` is written only on `TaxTotalAmount`, the one amount CII-DT-031 allows it on.

use crate::model::*;
use crate::value::Text;

/// Writes `invoice` as a CII document.
pub fn write(invoice: &Invoice) -> String {
    let mut w = Writer::default();
    w.out.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    w.start(
        "rsm:CrossIndustryInvoice",
        &[
            ("xmlns:rsm", crate::NS_RSM),
            ("xmlns:ram", crate::NS_RAM),
            ("xmlns:qdt", crate::NS_QDT),
            ("xmlns:udt", crate::NS_UDT),
        ],
    );
    context(&mut w, invoice);
    document(&mut w, invoice);
    w.group("rsm:SupplyChainTradeTransaction", Keep::Always, |w| {
        for line in &invoice.lines {
            write_line(w, line);
        }
        agreement(w, invoice);
        delivery(w, invoice);
        settlement(w, invoice);
    });
    w.end("rsm:CrossIndustryInvoice");
    w.out.push('\n');
    w.out
}

/// Whether a container element is written when nothing was written inside it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Always: a model group that is present, or an element the schema requires.
    Always,
    /// Only with content: a CII wrapper with no model counterpart.
    IfFilled,
}

#[derive(Default)]
struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    fn newline(&mut self) {
        self.out.push('\n');
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn open_tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.newline();
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            crate::xml::escape_attribute(&mut self.out, value);
            self.out.push('"');
        }
        self.out.push('>');
    }

    fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.open_tag(name, attrs);
        self.depth += 1;
    }

    fn end(&mut self, name: &str) {
        self.depth -= 1;
        self.newline();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn group(&mut self, name: &str, keep: Keep, body: impl FnOnce(&mut Writer)) {
        let mark = self.out.len();
        self.start(name, &[]);
        let inner = self.out.len();
        body(self);
        if keep == Keep::IfFilled && self.out.len() == inner {
            self.out.truncate(mark);
            self.depth -= 1;
        } else {
            self.end(name);
        }
    }

    /// `<name attrs>value</name>`; attributes whose value is `None` are left out.
    fn leaf(&mut self, name: &str, value: &str, attrs: &[(&str, Option<&Text>)]) {
        let present: Vec<(&str, &str)> = attrs
            .iter()
            .filter_map(|(k, v)| v.map(|v| (*k, v.value.as_str())))
            .collect();
        self.open_tag(name, &present);
        crate::xml::escape(&mut self.out, value);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn text(&mut self, name: &str, value: Option<&Text>) {
        if let Some(t) = value {
            self.leaf(name, &t.value, &[]);
        }
    }

    fn constant(&mut self, name: &str, value: &str) {
        self.leaf(name, value, &[]);
    }

    fn id(&mut self, name: &str, value: Option<&Identifier>) {
        if let Some(i) = value {
            self.leaf(name, &i.id.value, &[("schemeID", i.scheme.as_ref())]);
        }
    }

    /// An amount without `currencyID` (CII-DT-031).
    fn amount(&mut self, name: &str, value: Option<&Amount>) {
        if let Some(a) = value {
            self.leaf(name, &a.value.value, &[]);
        }
    }

    fn quantity(&mut self, name: &str, value: Option<&Quantity>) {
        if let Some(q) = value {
            self.leaf(name, &q.value.value, &[("unitCode", q.unit.as_ref())]);
        }
    }

    /// A date wrapper (`IssueDateTime`, `TaxPointDate`, ...) holding `inner`
    /// (`udt:DateTimeString`, `udt:DateString` or `qdt:DateTimeString`).
    fn date(&mut self, wrapper: &str, inner: &str, value: Option<&Text>) {
        let Some(t) = value else { return };
        self.group(wrapper, Keep::Always, |w| match t.date() {
            Some(d) => {
                let format = Text::new("102");
                w.leaf(inner, &d.compact(), &[("format", Some(&format))]);
            }
            None => w.leaf(inner, &t.value, &[]),
        });
    }
}

fn context(w: &mut Writer, inv: &Invoice) {
    w.group("rsm:ExchangedDocumentContext", Keep::Always, |w| {
        let params = [
            (
                "ram:BusinessProcessSpecifiedDocumentContextParameter",
                &inv.business_process,
            ),
            (
                "ram:GuidelineSpecifiedDocumentContextParameter",
                &inv.specification,
            ),
        ];
        for (name, value) in params {
            w.group(name, Keep::IfFilled, |w| w.text("ram:ID", value.as_ref()));
        }
    });
}

fn document(w: &mut Writer, inv: &Invoice) {
    w.group("rsm:ExchangedDocument", Keep::Always, |w| {
        w.text("ram:ID", inv.number.as_ref());
        w.text("ram:TypeCode", inv.type_code.as_ref());
        w.date(
            "ram:IssueDateTime",
            "udt:DateTimeString",
            inv.issue_date.as_ref(),
        );
        for note in &inv.notes {
            w.group("ram:IncludedNote", Keep::Always, |w| {
                w.text("ram:Content", note.text.as_ref());
                w.text("ram:SubjectCode", note.subject_code.as_ref());
            });
        }
    });
}

fn write_line(w: &mut Writer, l: &Line) {
    w.group("ram:IncludedSupplyChainTradeLineItem", Keep::Always, |w| {
        w.group("ram:AssociatedDocumentLineDocument", Keep::Always, |w| {
            w.text("ram:LineID", l.id.as_ref());
            w.group("ram:IncludedNote", Keep::IfFilled, |w| {
                w.text("ram:Content", l.note.as_ref())
            });
        });
        if let Some(item) = &l.item {
            write_item(w, item);
        }
        w.group("ram:SpecifiedLineTradeAgreement", Keep::IfFilled, |w| {
            w.group("ram:BuyerOrderReferencedDocument", Keep::IfFilled, |w| {
                w.text("ram:LineID", l.order_line_reference.as_ref())
            });
            if let Some(price) = &l.price {
                write_price(w, price);
            }
        });
        w.group("ram:SpecifiedLineTradeDelivery", Keep::IfFilled, |w| {
            w.quantity("ram:BilledQuantity", l.quantity.as_ref())
        });
        w.group("ram:SpecifiedLineTradeSettlement", Keep::Always, |w| {
            if let Some(vat) = &l.vat {
                w.group("ram:ApplicableTradeTax", Keep::Always, |w| {
                    w.constant("ram:TypeCode", "VAT");
                    w.text("ram:CategoryCode", vat.category.as_ref());
                    w.text("ram:RateApplicablePercent", vat.rate.as_ref());
                });
            }
            if let Some(p) = &l.period {
                write_period(w, p);
            }
            for ac in &l.allowances_charges {
                write_adjustment(w, &adjustment_of_line(ac));
            }
            w.group(
                "ram:SpecifiedTradeSettlementLineMonetarySummation",
                Keep::IfFilled,
                |w| w.amount("ram:LineTotalAmount", l.net_amount.as_ref()),
            );
            if let Some(object) = &l.object_id {
                object_reference(w, object);
            }
            w.group(
                "ram:ReceivableSpecifiedTradeAccountingAccount",
                Keep::IfFilled,
                |w| w.text("ram:ID", l.accounting_reference.as_ref()),
            );
        });
    });
}

fn write_item(w: &mut Writer, item: &Item) {
    w.group("ram:SpecifiedTradeProduct", Keep::Always, |w| {
        w.id("ram:GlobalID", item.standard_id.as_ref());
        w.text("ram:SellerAssignedID", item.sellers_id.as_ref());
        w.text("ram:BuyerAssignedID", item.buyers_id.as_ref());
        w.text("ram:Name", item.name.as_ref());
        w.text("ram:Description", item.description.as_ref());
        for a in &item.attributes {
            w.group("ram:ApplicableProductCharacteristic", Keep::Always, |w| {
                w.text("ram:Description", a.name.as_ref());
                w.text("ram:Value", a.value.as_ref());
            });
        }
        for c in &item.classifications {
            w.group("ram:DesignatedProductClassification", Keep::Always, |w| {
                w.leaf(
                    "ram:ClassCode",
                    &c.code.value,
                    &[
                        ("listID", c.list_id.as_ref()),
                        ("listVersionID", c.list_version.as_ref()),
                    ],
                )
            });
        }
        w.group("ram:OriginTradeCountry", Keep::IfFilled, |w| {
            w.text("ram:ID", item.origin_country.as_ref())
        });
    });
}

/// BG-29: the gross price carries BT-148 and BT-147 (as an allowance), the net price BT-146
/// and BT-149. The net price is written whenever the gross one is not, so that a present
/// but empty group stays present.
///
/// UBL allows a price discount without a gross price, CII does not (the gross price's
/// `ChargeAmount` is mandatory); the gross price is then derived as net price plus discount,
/// which is what EN 16931 defines it to be.
fn write_price(w: &mut Writer, p: &Price) {
    let gross = p.gross.is_some() || p.discount.is_some();
    if gross {
        let derived = match (&p.gross, &p.net, &p.discount) {
            (None, Some(net), Some(discount)) => net
                .value
                .decimal()
                .zip(discount.value.decimal())
                .map(|(n, d)| Amount {
                    value: Text::new((n + d).to_string()),
                    currency: None,
                }),
            _ => None,
        };
        w.group("ram:GrossPriceProductTradePrice", Keep::Always, |w| {
            w.amount("ram:ChargeAmount", p.gross.as_ref().or(derived.as_ref()));
            if let Some(discount) = &p.discount {
                w.group("ram:AppliedTradeAllowanceCharge", Keep::Always, |w| {
                    w.group("ram:ChargeIndicator", Keep::Always, |w| {
                        w.constant("udt:Indicator", "false")
                    });
                    w.amount("ram:ActualAmount", Some(discount));
                });
            }
        });
    }
    if p.net.is_some() || p.base_quantity.is_some() || !gross {
        w.group("ram:NetPriceProductTradePrice", Keep::Always, |w| {
            w.amount("ram:ChargeAmount", p.net.as_ref());
            w.quantity("ram:BasisQuantity", p.base_quantity.as_ref());
        });
    }
}

fn write_period(w: &mut Writer, p: &Period) {
    w.group("ram:BillingSpecifiedPeriod", Keep::Always, |w| {
        w.date("ram:StartDateTime", "udt:DateTimeString", p.start.as_ref());
        w.date("ram:EndDateTime", "udt:DateTimeString", p.end.as_ref());
    });
}

/// A document or line level allowance or charge, seen through the fields both share.
struct Adjustment<'a> {
    charge_indicator: Option<&'a Text>,
    amount: Option<&'a Amount>,
    base_amount: Option<&'a Amount>,
    percentage: Option<&'a Text>,
    reason: Option<&'a Text>,
    reason_code: Option<&'a Text>,
    vat: Option<(Option<&'a Text>, Option<&'a Text>)>,
}

fn adjustment_of_line(a: &LineAllowanceCharge) -> Adjustment<'_> {
    Adjustment {
        charge_indicator: a.charge_indicator.as_ref(),
        amount: a.amount.as_ref(),
        base_amount: a.base_amount.as_ref(),
        percentage: a.percentage.as_ref(),
        reason: a.reason.as_ref(),
        reason_code: a.reason_code.as_ref(),
        vat: None,
    }
}

fn adjustment_of_document(a: &AllowanceCharge) -> Adjustment<'_> {
    let has_vat = a.vat_category.is_some() || a.vat_rate.is_some();
    Adjustment {
        charge_indicator: a.charge_indicator.as_ref(),
        amount: a.amount.as_ref(),
        base_amount: a.base_amount.as_ref(),
        percentage: a.percentage.as_ref(),
        reason: a.reason.as_ref(),
        reason_code: a.reason_code.as_ref(),
        vat: has_vat.then_some((a.vat_category.as_ref(), a.vat_rate.as_ref())),
    }
}

fn write_adjustment(w: &mut Writer, a: &Adjustment<'_>) {
    w.group("ram:SpecifiedTradeAllowanceCharge", Keep::Always, |w| {
        w.group("ram:ChargeIndicator", Keep::IfFilled, |w| {
            w.text("udt:Indicator", a.charge_indicator)
        });
        w.text("ram:CalculationPercent", a.percentage);
        w.amount("ram:BasisAmount", a.base_amount);
        w.amount("ram:ActualAmount", a.amount);
        w.text("ram:ReasonCode", a.reason_code);
        w.text("ram:Reason", a.reason);
        if let Some((category, rate)) = a.vat {
            w.group("ram:CategoryTradeTax", Keep::Always, |w| {
                w.constant("ram:TypeCode", "VAT");
                w.text("ram:CategoryCode", category);
                w.text("ram:RateApplicablePercent", rate);
            });
        }
    });
}

/// BT-18 / BT-128: an additional referenced document of type 130.
fn object_reference(w: &mut Writer, object: &Identifier) {
    w.group("ram:AdditionalReferencedDocument", Keep::Always, |w| {
        w.text("ram:IssuerAssignedID", Some(&object.id));
        w.constant("ram:TypeCode", "130");
        w.text("ram:ReferenceTypeCode", object.scheme.as_ref());
    });
}

/// A referenced document that holds only its `IssuerAssignedID`.
fn reference(w: &mut Writer, name: &str, value: Option<&Text>) {
    if value.is_some() {
        w.group(name, Keep::Always, |w| {
            w.text("ram:IssuerAssignedID", value)
        });
    }
}

/// The parts of a trade party the model knows, whichever role it plays.
#[derive(Default)]
struct Party<'a> {
    identifiers: &'a [Identifier],
    name: Option<&'a Text>,
    description: Option<&'a Text>,
    legal_registration: Option<&'a Identifier>,
    trading_name: Option<&'a Text>,
    contact: Option<&'a Contact>,
    address: Option<&'a Address>,
    electronic_address: Option<&'a Identifier>,
    vat_id: Option<&'a Text>,
    tax_registration: Option<&'a Text>,
}

fn write_party(w: &mut Writer, name: &str, keep: Keep, p: &Party<'_>) {
    w.group(name, keep, |w| {
        // The binding puts an identifier with a scheme in GlobalID, one without in ID; the
        // schema wants every ID before the first GlobalID.
        for i in p.identifiers.iter().filter(|i| i.scheme.is_none()) {
            w.text("ram:ID", Some(&i.id));
        }
        for i in p.identifiers.iter().filter(|i| i.scheme.is_some()) {
            w.id("ram:GlobalID", Some(i));
        }
        w.text("ram:Name", p.name);
        w.text("ram:Description", p.description);
        w.group("ram:SpecifiedLegalOrganization", Keep::IfFilled, |w| {
            w.id("ram:ID", p.legal_registration);
            w.text("ram:TradingBusinessName", p.trading_name);
        });
        if let Some(c) = p.contact {
            w.group("ram:DefinedTradeContact", Keep::Always, |w| {
                w.text("ram:PersonName", c.name.as_ref());
                w.group("ram:TelephoneUniversalCommunication", Keep::IfFilled, |w| {
                    w.text("ram:CompleteNumber", c.phone.as_ref())
                });
                w.group("ram:EmailURIUniversalCommunication", Keep::IfFilled, |w| {
                    w.text("ram:URIID", c.email.as_ref())
                });
            });
        }
        if let Some(a) = p.address {
            write_address(w, a);
        }
        w.group("ram:URIUniversalCommunication", Keep::IfFilled, |w| {
            w.id("ram:URIID", p.electronic_address)
        });
        let scheme_va = Text::new("VA");
        let scheme_fc = Text::new("FC");
        for (value, scheme) in [(p.vat_id, &scheme_va), (p.tax_registration, &scheme_fc)] {
            if let Some(v) = value {
                w.group("ram:SpecifiedTaxRegistration", Keep::Always, |w| {
                    w.leaf("ram:ID", &v.value, &[("schemeID", Some(scheme))])
                });
            }
        }
    });
}

fn write_address(w: &mut Writer, a: &Address) {
    w.group("ram:PostalTradeAddress", Keep::Always, |w| {
        w.text("ram:PostcodeCode", a.post_code.as_ref());
        w.text("ram:LineOne", a.line1.as_ref());
        w.text("ram:LineTwo", a.line2.as_ref());
        w.text("ram:LineThree", a.line3.as_ref());
        w.text("ram:CityName", a.city.as_ref());
        w.text("ram:CountryID", a.country.as_ref());
        w.text("ram:CountrySubDivisionName", a.subdivision.as_ref());
    });
}

fn agreement(w: &mut Writer, inv: &Invoice) {
    w.group("ram:ApplicableHeaderTradeAgreement", Keep::Always, |w| {
        w.text("ram:BuyerReference", inv.buyer_reference.as_ref());
        if let Some(s) = &inv.seller {
            let party = Party {
                identifiers: &s.identifiers,
                name: s.name.as_ref(),
                description: s.legal_info.as_ref(),
                legal_registration: s.legal_registration.as_ref(),
                trading_name: s.trading_name.as_ref(),
                contact: s.contact.as_ref(),
                address: s.address.as_ref(),
                electronic_address: s.electronic_address.as_ref(),
                vat_id: s.vat_id.as_ref(),
                tax_registration: s.tax_registration.as_ref(),
            };
            write_party(w, "ram:SellerTradeParty", Keep::Always, &party);
        }
        if let Some(b) = &inv.buyer {
            let party = Party {
                identifiers: &b.identifiers,
                name: b.name.as_ref(),
                legal_registration: b.legal_registration.as_ref(),
                trading_name: b.trading_name.as_ref(),
                contact: b.contact.as_ref(),
                address: b.address.as_ref(),
                electronic_address: b.electronic_address.as_ref(),
                vat_id: b.vat_id.as_ref(),
                ..Party::default()
            };
            write_party(w, "ram:BuyerTradeParty", Keep::Always, &party);
        }
        if let Some(r) = &inv.tax_representative {
            let party = Party {
                name: r.name.as_ref(),
                address: r.address.as_ref(),
                vat_id: r.vat_id.as_ref(),
                ..Party::default()
            };
            write_party(
                w,
                "ram:SellerTaxRepresentativeTradeParty",
                Keep::Always,
                &party,
            );
        }
        reference(
            w,
            "ram:SellerOrderReferencedDocument",
            inv.sales_order_reference.as_ref(),
        );
        reference(
            w,
            "ram:BuyerOrderReferencedDocument",
            inv.purchase_order_reference.as_ref(),
        );
        reference(
            w,
            "ram:ContractReferencedDocument",
            inv.contract_reference.as_ref(),
        );
        for d in &inv.documents {
            supporting_document(w, d);
        }
        if let Some(tender) = &inv.tender_reference {
            w.group("ram:AdditionalReferencedDocument", Keep::Always, |w| {
                w.text("ram:IssuerAssignedID", Some(tender));
                w.constant("ram:TypeCode", "50");
            });
        }
        if let Some(object) = &inv.invoiced_object {
            object_reference(w, object);
        }
        if let Some(project) = &inv.project_reference {
            w.group("ram:SpecifiedProcuringProject", Keep::Always, |w| {
                w.text("ram:ID", Some(project));
                // The schema requires a project name, which EN 16931 does not have.
                w.constant("ram:Name", "Project reference");
            });
        }
    });
}

fn supporting_document(w: &mut Writer, d: &SupportingDocument) {
    w.group("ram:AdditionalReferencedDocument", Keep::Always, |w| {
        w.text("ram:IssuerAssignedID", d.reference.as_ref());
        w.text("ram:URIID", d.uri.as_ref());
        w.constant("ram:TypeCode", "916");
        w.text("ram:Name", d.description.as_ref());
        if let Some(a) = &d.attachment {
            w.leaf(
                "ram:AttachmentBinaryObject",
                &a.content.value,
                &[
                    ("mimeCode", a.mime_code.as_ref()),
                    ("filename", a.filename.as_ref()),
                ],
            );
        }
    });
}

fn delivery(w: &mut Writer, inv: &Invoice) {
    w.group("ram:ApplicableHeaderTradeDelivery", Keep::Always, |w| {
        if let Some(d) = &inv.delivery {
            let party = Party {
                identifiers: d.location.as_slice(),
                name: d.party_name.as_ref(),
                address: d.address.as_ref(),
                ..Party::default()
            };
            write_party(w, "ram:ShipToTradeParty", Keep::IfFilled, &party);
            w.group("ram:ActualDeliverySupplyChainEvent", Keep::IfFilled, |w| {
                w.date(
                    "ram:OccurrenceDateTime",
                    "udt:DateTimeString",
                    d.date.as_ref(),
                )
            });
        }
        reference(
            w,
            "ram:DespatchAdviceReferencedDocument",
            inv.despatch_advice_reference.as_ref(),
        );
        reference(
            w,
            "ram:ReceivingAdviceReferencedDocument",
            inv.receiving_advice_reference.as_ref(),
        );
    });
}

/// The first value a payment instruction holds for a field that CII keeps once per
/// document (BT-83, BT-89, BT-90).
fn header_value<'a>(
    inv: &'a Invoice,
    get: impl Fn(&'a PaymentInstructions) -> Option<&'a Text>,
) -> Option<&'a Text> {
    inv.payment_instructions.iter().find_map(get)
}

fn settlement(w: &mut Writer, inv: &Invoice) {
    w.group("ram:ApplicableHeaderTradeSettlement", Keep::Always, |w| {
        w.text(
            "ram:CreditorReferenceID",
            header_value(inv, |p| p.direct_debit.as_ref()?.creditor_id.as_ref()),
        );
        w.text(
            "ram:PaymentReference",
            header_value(inv, |p| p.remittance_information.as_ref()),
        );
        w.text("ram:TaxCurrencyCode", inv.vat_currency.as_ref());
        w.text("ram:InvoiceCurrencyCode", inv.currency.as_ref());
        if let Some(p) = &inv.payee {
            let party = Party {
                identifiers: &p.identifiers,
                name: p.name.as_ref(),
                legal_registration: p.legal_registration.as_ref(),
                ..Party::default()
            };
            write_party(w, "ram:PayeeTradeParty", Keep::Always, &party);
        }
        for p in &inv.payment_instructions {
            payment_means(w, p);
        }
        for (i, v) in inv.vat_breakdown.iter().enumerate() {
            // BT-7 and BT-8 are document level; CII keeps them in a VAT breakdown.
            let (point, code) = match i {
                0 => (
                    inv.tax_point_date.as_ref(),
                    inv.tax_point_date_code.as_ref(),
                ),
                _ => (None, None),
            };
            w.group("ram:ApplicableTradeTax", Keep::Always, |w| {
                w.amount("ram:CalculatedAmount", v.tax_amount.as_ref());
                w.constant("ram:TypeCode", "VAT");
                w.text("ram:ExemptionReason", v.exemption_reason.as_ref());
                w.amount("ram:BasisAmount", v.taxable_amount.as_ref());
                w.text("ram:CategoryCode", v.category.as_ref());
                w.text("ram:ExemptionReasonCode", v.exemption_reason_code.as_ref());
                w.date("ram:TaxPointDate", "udt:DateString", point);
                if let Some(code) = code {
                    w.leaf(
                        "ram:DueDateTypeCode",
                        crate::model::vat_point_date_code_for_cii(&code.value),
                        &[],
                    );
                }
                w.text("ram:RateApplicablePercent", v.rate.as_ref());
            });
        }
        if let Some(p) = &inv.period {
            write_period(w, p);
        }
        for ac in &inv.allowances_charges {
            write_adjustment(w, &adjustment_of_document(ac));
        }
        w.group("ram:SpecifiedTradePaymentTerms", Keep::IfFilled, |w| {
            w.text("ram:Description", inv.payment_terms.as_ref());
            w.date(
                "ram:DueDateDateTime",
                "udt:DateTimeString",
                inv.due_date.as_ref(),
            );
            w.text(
                "ram:DirectDebitMandateID",
                header_value(inv, |p| p.direct_debit.as_ref()?.mandate_reference.as_ref()),
            );
        });
        if inv.totals.is_some() || !inv.vat_totals.is_empty() {
            totals(w, inv);
        }
        // D16B allows one InvoiceReferencedDocument; further BG-3 (possible in UBL) are
        // left out rather than making the document schema-invalid.
        if let Some(p) = inv.preceding_invoices.first() {
            w.group("ram:InvoiceReferencedDocument", Keep::Always, |w| {
                w.text("ram:IssuerAssignedID", p.reference.as_ref());
                w.date(
                    "ram:FormattedIssueDateTime",
                    "qdt:DateTimeString",
                    p.issue_date.as_ref(),
                );
            });
        }
        w.group(
            "ram:ReceivableSpecifiedTradeAccountingAccount",
            Keep::IfFilled,
            |w| w.text("ram:ID", inv.buyer_accounting_reference.as_ref()),
        );
    });
}

/// BG-16. CII has one creditor account per payment means, so each further BG-17 of the
/// same instruction is written as a payment means of its own with the same code and text.
fn payment_means(w: &mut Writer, p: &PaymentInstructions) {
    let mut transfers = p.credit_transfers.iter().map(Some).collect::<Vec<_>>();
    if transfers.is_empty() {
        transfers.push(None);
    }
    for (i, transfer) in transfers.into_iter().enumerate() {
        w.group(
            "ram:SpecifiedTradeSettlementPaymentMeans",
            Keep::Always,
            |w| {
                w.text("ram:TypeCode", p.means_code.as_ref());
                w.text("ram:Information", p.means_text.as_ref());
                if i > 0 {
                    if let Some(t) = transfer {
                        credit_transfer(w, t);
                    }
                    return;
                }
                if let Some(c) = &p.card {
                    w.group(
                        "ram:ApplicableTradeSettlementFinancialCard",
                        Keep::Always,
                        |w| {
                            w.text("ram:ID", c.primary_account_number.as_ref());
                            w.text("ram:CardholderName", c.holder_name.as_ref());
                        },
                    );
                }
                if let Some(d) = &p.direct_debit {
                    w.group(
                        "ram:PayerPartyDebtorFinancialAccount",
                        Keep::IfFilled,
                        |w| w.text("ram:IBANID", d.debited_account.as_ref()),
                    );
                }
                if let Some(t) = transfer {
                    credit_transfer(w, t);
                }
            },
        );
    }
}

/// BG-17. BT-84 goes to `IBANID` when it looks like an IBAN (two letters, two digits),
/// otherwise to `ProprietaryID`.
fn credit_transfer(w: &mut Writer, t: &CreditTransfer) {
    let iban = t
        .account_id
        .as_ref()
        .is_some_and(|a| looks_like_iban(a.trim()));
    w.group(
        "ram:PayeePartyCreditorFinancialAccount",
        Keep::Always,
        |w| {
            if iban {
                w.text("ram:IBANID", t.account_id.as_ref());
            }
            w.text("ram:AccountName", t.account_name.as_ref());
            if !iban {
                w.text("ram:ProprietaryID", t.account_id.as_ref());
            }
        },
    );
    w.group(
        "ram:PayeeSpecifiedCreditorFinancialInstitution",
        Keep::IfFilled,
        |w| w.text("ram:BICID", t.service_provider.as_ref()),
    );
}

fn looks_like_iban(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > 4
        && b[..2].iter().all(u8::is_ascii_alphabetic)
        && b[2..4].iter().all(u8::is_ascii_digit)
}

fn totals(w: &mut Writer, inv: &Invoice) {
    let t = inv.totals.as_ref();
    let get = |f: fn(&Totals) -> Option<&Amount>| t.and_then(f);
    w.group(
        "ram:SpecifiedTradeSettlementHeaderMonetarySummation",
        Keep::Always,
        |w| {
            w.amount("ram:LineTotalAmount", get(|t| t.line_net_total.as_ref()));
            w.amount("ram:ChargeTotalAmount", get(|t| t.charge_total.as_ref()));
            w.amount(
                "ram:AllowanceTotalAmount",
                get(|t| t.allowance_total.as_ref()),
            );
            w.amount("ram:TaxBasisTotalAmount", get(|t| t.tax_exclusive.as_ref()));
            for v in &inv.vat_totals {
                w.leaf(
                    "ram:TaxTotalAmount",
                    &v.value.value,
                    &[("currencyID", v.currency.as_ref())],
                );
            }
            w.amount("ram:RoundingAmount", get(|t| t.rounding.as_ref()));
            w.amount("ram:GrandTotalAmount", get(|t| t.tax_inclusive.as_ref()));
            w.amount("ram:TotalPrepaidAmount", get(|t| t.prepaid.as_ref()));
            w.amount("ram:DuePayableAmount", get(|t| t.payable.as_ref()));
        },
    );
}

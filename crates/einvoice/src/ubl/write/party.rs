//! The parties (BG-4, BG-7, BG-10, BG-11), their addresses and contacts, and delivery (BG-13).

use super::xml::Xml;
use crate::value::Text;
use crate::{Address, Buyer, Contact, Delivery, Identifier, Payee, Seller, TaxRepresentative};

/// The tax scheme of the seller's tax registration (BT-32): the binding only says it is not
/// VAT, and `TAX` is what the Peppol examples use.
const OTHER_TAX_SCHEME: &str = "TAX";

/// BG-4. `creditor_id` is BT-90 when it belongs with the seller (no payee).
pub(super) fn seller(x: &mut Xml, s: &Seller, creditor_id: Option<&Text>) {
    x.group("cac:AccountingSupplierParty", &[], |x| {
        x.group("cac:Party", &[], |x| {
            x.identifier("cbc:EndpointID", s.electronic_address.as_ref());
            party_identifications(x, &s.identifiers, creditor_id);
            x.wrapped("cac:PartyName", "cbc:Name", s.trading_name.as_ref());
            address(x, "cac:PostalAddress", s.address.as_ref());
            party_tax_scheme(x, s.vat_id.as_ref(), "VAT");
            party_tax_scheme(x, s.tax_registration.as_ref(), OTHER_TAX_SCHEME);
            legal_entity(
                x,
                s.name.as_ref(),
                s.legal_registration.as_ref(),
                s.legal_info.as_ref(),
            );
            contact(x, s.contact.as_ref());
        });
    });
}

/// BG-7.
pub(super) fn buyer(x: &mut Xml, b: &Buyer) {
    x.group("cac:AccountingCustomerParty", &[], |x| {
        x.group("cac:Party", &[], |x| {
            x.identifier("cbc:EndpointID", b.electronic_address.as_ref());
            party_identifications(x, &b.identifiers, None);
            x.wrapped("cac:PartyName", "cbc:Name", b.trading_name.as_ref());
            address(x, "cac:PostalAddress", b.address.as_ref());
            party_tax_scheme(x, b.vat_id.as_ref(), "VAT");
            legal_entity(x, b.name.as_ref(), b.legal_registration.as_ref(), None);
            contact(x, b.contact.as_ref());
        });
    });
}

/// BG-10, with BT-90 when there is one.
pub(super) fn payee(x: &mut Xml, p: &Payee, creditor_id: Option<&Text>) {
    x.group("cac:PayeeParty", &[], |x| {
        party_identifications(x, &p.identifiers, creditor_id);
        x.wrapped("cac:PartyName", "cbc:Name", p.name.as_ref());
        legal_entity(x, None, p.legal_registration.as_ref(), None);
    });
}

/// BG-11.
pub(super) fn tax_representative(x: &mut Xml, t: &TaxRepresentative) {
    x.group("cac:TaxRepresentativeParty", &[], |x| {
        x.wrapped("cac:PartyName", "cbc:Name", t.name.as_ref());
        address(x, "cac:PostalAddress", t.address.as_ref());
        party_tax_scheme(x, t.vat_id.as_ref(), "VAT");
    });
}

/// BG-13.
pub(super) fn delivery(x: &mut Xml, d: &Delivery) {
    // CII always has a delivery element, so a model read from CII may hold an empty BG-13;
    // UBL forbids empty elements (PEPPOL-EN16931-R008), and an empty group says nothing.
    let empty =
        d.date.is_none() && d.location.is_none() && d.address.is_none() && d.party_name.is_none();
    if empty {
        return;
    }
    x.group("cac:Delivery", &[], |x| {
        x.date("cbc:ActualDeliveryDate", d.date.as_ref());
        if d.location.is_some() || d.address.is_some() {
            x.group("cac:DeliveryLocation", &[], |x| {
                x.identifier("cbc:ID", d.location.as_ref());
                address(x, "cac:Address", d.address.as_ref());
            });
        }
        if d.party_name.is_some() {
            x.group("cac:DeliveryParty", &[], |x| {
                x.wrapped("cac:PartyName", "cbc:Name", d.party_name.as_ref());
            });
        }
    });
}

/// BT-29/BT-46/BT-60, then BT-90 with the scheme `SEPA` that marks it as a creditor id.
fn party_identifications(x: &mut Xml, identifiers: &[Identifier], creditor_id: Option<&Text>) {
    for id in identifiers {
        x.group("cac:PartyIdentification", &[], |x| {
            x.identifier("cbc:ID", Some(id))
        });
    }
    if let Some(creditor_id) = creditor_id {
        let sepa = Text::new("SEPA");
        x.group("cac:PartyIdentification", &[], |x| {
            x.leaf("cbc:ID", &[("schemeID", Some(&sepa))], creditor_id.trim());
        });
    }
}

fn party_tax_scheme(x: &mut Xml, company_id: Option<&Text>, scheme: &str) {
    if company_id.is_some() {
        x.group("cac:PartyTaxScheme", &[], |x| {
            x.text("cbc:CompanyID", company_id);
            x.group("cac:TaxScheme", &[], |x| x.leaf("cbc:ID", &[], scheme));
        });
    }
}

fn legal_entity(x: &mut Xml, name: Option<&Text>, id: Option<&Identifier>, form: Option<&Text>) {
    if name.is_some() || id.is_some() || form.is_some() {
        x.group("cac:PartyLegalEntity", &[], |x| {
            x.text("cbc:RegistrationName", name);
            x.identifier("cbc:CompanyID", id);
            x.text("cbc:CompanyLegalForm", form);
        });
    }
}

/// BG-5, BG-8, BG-12, BG-15 in the order of UBL's `AddressType`.
fn address(x: &mut Xml, element: &str, a: Option<&Address>) {
    if let Some(a) = a {
        x.group(element, &[], |x| {
            x.text("cbc:StreetName", a.line1.as_ref());
            x.text("cbc:AdditionalStreetName", a.line2.as_ref());
            x.text("cbc:CityName", a.city.as_ref());
            x.text("cbc:PostalZone", a.post_code.as_ref());
            x.text("cbc:CountrySubentity", a.subdivision.as_ref());
            x.wrapped("cac:AddressLine", "cbc:Line", a.line3.as_ref());
            x.wrapped("cac:Country", "cbc:IdentificationCode", a.country.as_ref());
        });
    }
}

/// BG-6, BG-9.
fn contact(x: &mut Xml, c: Option<&Contact>) {
    if let Some(c) = c {
        x.group("cac:Contact", &[], |x| {
            x.text("cbc:Name", c.name.as_ref());
            x.text("cbc:Telephone", c.phone.as_ref());
            x.text("cbc:ElectronicMail", c.email.as_ref());
        });
    }
}

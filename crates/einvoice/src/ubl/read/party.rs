//! The parties (BG-4, BG-7, BG-10, BG-11), their addresses and contacts, and delivery (BG-13).
//!
//! All parties share UBL's `PartyType`, so one reader collects what a party element holds
//! and each role takes the terms the binding gives it.

use crate::xml::Node;

use super::leaf::{Ns, cbc_child, children, fill, identifier, is_vat_scheme, set, text};
use crate::value::Text;
use crate::xml::pos;
use crate::{Address, Buyer, Contact, Delivery, Identifier, Payee, Seller, TaxRepresentative};

/// What a `PartyType` element holds, before a role picks from it.
#[derive(Default)]
struct Party {
    endpoint: Option<Identifier>,
    /// Every `PartyIdentification/cbc:ID`, SEPA creditor ids included.
    identifiers: Vec<Identifier>,
    /// `PartyName/cbc:Name`.
    name: Option<Text>,
    address: Option<Address>,
    /// `PartyTaxScheme/CompanyID` with the VAT tax scheme.
    vat_id: Option<Text>,
    /// `PartyTaxScheme/CompanyID` with any other tax scheme.
    tax_registration: Option<Text>,
    registration_name: Option<Text>,
    legal_id: Option<Identifier>,
    legal_form: Option<Text>,
    contact: Option<Contact>,
}

fn party(node: Node<'_, '_>) -> Party {
    let mut p = Party::default();
    for (ns, name, el) in children(node) {
        match (ns, name) {
            (Ns::Cbc, "EndpointID") => fill(&mut p.endpoint, Some(identifier(el))),
            (Ns::Cac, "PartyIdentification") => {
                p.identifiers.extend(cbc_child(el, "ID").map(identifier));
            }
            (Ns::Cac, "PartyName") => fill(&mut p.name, cbc_child(el, "Name").map(text)),
            (Ns::Cac, "PostalAddress") => fill(&mut p.address, Some(address(el))),
            (Ns::Cac, "PartyTaxScheme") => party_tax_scheme(el, &mut p),
            (Ns::Cac, "PartyLegalEntity") => {
                for (ns, name, leaf) in children(el) {
                    match (ns, name) {
                        (Ns::Cbc, "RegistrationName") => set(&mut p.registration_name, leaf),
                        (Ns::Cbc, "CompanyID") => fill(&mut p.legal_id, Some(identifier(leaf))),
                        (Ns::Cbc, "CompanyLegalForm") => set(&mut p.legal_form, leaf),
                        _ => {}
                    }
                }
            }
            (Ns::Cac, "Contact") => fill(&mut p.contact, Some(contact(el))),
            _ => {}
        }
    }
    p
}

/// BT-31/BT-48/BT-63 come from the VAT tax scheme, BT-32 from any other one.
fn party_tax_scheme(node: Node<'_, '_>, p: &mut Party) {
    let mut company_id = None;
    let mut vat = false;
    for (ns, name, el) in children(node) {
        match (ns, name) {
            (Ns::Cbc, "CompanyID") => set(&mut company_id, el),
            (Ns::Cac, "TaxScheme") => vat |= is_vat_scheme(el),
            _ => {}
        }
    }
    let slot = if vat {
        &mut p.vat_id
    } else {
        &mut p.tax_registration
    };
    fill(slot, company_id);
}

/// The `cac:Party` inside an `AccountingSupplierParty` or `AccountingCustomerParty`.
fn inner_party(node: Node<'_, '_>) -> Party {
    children(node)
        .find(|&(ns, name, _)| ns == Ns::Cac && name == "Party")
        .map(|(_, _, el)| party(el))
        .unwrap_or_default()
}

/// A bank-assigned creditor identifier (BT-90) sits among the party identifiers with
/// scheme `SEPA`; it is then not a seller or payee identifier.
fn split_creditor_id(identifiers: Vec<Identifier>) -> (Vec<Identifier>, Option<Text>) {
    let (sepa, others): (Vec<_>, Vec<_>) = identifiers
        .into_iter()
        .partition(|i| i.scheme.as_ref().is_some_and(|s| s.value == "SEPA"));
    (others, sepa.into_iter().next().map(|i| i.id))
}

/// BG-4 from `cac:AccountingSupplierParty`, and the seller's BT-90 if it carries one.
pub(super) fn seller(node: Node<'_, '_>) -> (Seller, Option<Text>) {
    let p = inner_party(node);
    let (identifiers, creditor_id) = split_creditor_id(p.identifiers);
    let seller = Seller {
        at: pos(node),
        name: p.registration_name,
        trading_name: p.name,
        identifiers,
        legal_registration: p.legal_id,
        vat_id: p.vat_id,
        tax_registration: p.tax_registration,
        legal_info: p.legal_form,
        electronic_address: p.endpoint,
        address: p.address,
        contact: p.contact,
    };
    (seller, creditor_id)
}

/// BG-7 from `cac:AccountingCustomerParty`.
pub(super) fn buyer(node: Node<'_, '_>) -> Buyer {
    let p = inner_party(node);
    Buyer {
        at: pos(node),
        name: p.registration_name,
        trading_name: p.name,
        identifiers: p.identifiers,
        legal_registration: p.legal_id,
        vat_id: p.vat_id,
        electronic_address: p.endpoint,
        address: p.address,
        contact: p.contact,
    }
}

/// BG-10 from `cac:PayeeParty`, and the payee's BT-90 if it carries one.
pub(super) fn payee(node: Node<'_, '_>) -> (Payee, Option<Text>) {
    let p = party(node);
    let (identifiers, creditor_id) = split_creditor_id(p.identifiers);
    let payee = Payee {
        at: pos(node),
        name: p.name,
        identifiers,
        legal_registration: p.legal_id,
    };
    (payee, creditor_id)
}

/// BG-11 from `cac:TaxRepresentativeParty`.
pub(super) fn tax_representative(node: Node<'_, '_>) -> TaxRepresentative {
    let p = party(node);
    TaxRepresentative {
        at: pos(node),
        name: p.name,
        vat_id: p.vat_id,
        address: p.address,
    }
}

/// BG-5, BG-8, BG-12, BG-15.
fn address(node: Node<'_, '_>) -> Address {
    let mut a = Address {
        at: pos(node),
        ..Address::default()
    };
    for (ns, name, el) in children(node) {
        match (ns, name) {
            (Ns::Cbc, "StreetName") => set(&mut a.line1, el),
            (Ns::Cbc, "AdditionalStreetName") => set(&mut a.line2, el),
            (Ns::Cbc, "CityName") => set(&mut a.city, el),
            (Ns::Cbc, "PostalZone") => set(&mut a.post_code, el),
            (Ns::Cbc, "CountrySubentity") => set(&mut a.subdivision, el),
            (Ns::Cac, "AddressLine") => fill(&mut a.line3, cbc_child(el, "Line").map(text)),
            (Ns::Cac, "Country") => {
                fill(
                    &mut a.country,
                    cbc_child(el, "IdentificationCode").map(text),
                );
            }
            _ => {}
        }
    }
    a
}

/// BG-6, BG-9.
fn contact(node: Node<'_, '_>) -> Contact {
    let mut c = Contact {
        at: pos(node),
        ..Contact::default()
    };
    for (ns, name, el) in children(node) {
        match (ns, name) {
            (Ns::Cbc, "Name") => set(&mut c.name, el),
            (Ns::Cbc, "Telephone") => set(&mut c.phone, el),
            (Ns::Cbc, "ElectronicMail") => set(&mut c.email, el),
            _ => {}
        }
    }
    c
}

/// BG-13 from `cac:Delivery`.
pub(super) fn delivery(node: Node<'_, '_>) -> Delivery {
    let mut d = Delivery {
        at: pos(node),
        ..Delivery::default()
    };
    for (ns, name, el) in children(node) {
        match (ns, name) {
            (Ns::Cbc, "ActualDeliveryDate") => set(&mut d.date, el),
            (Ns::Cac, "DeliveryLocation") => {
                for (ns, name, leaf) in children(el) {
                    match (ns, name) {
                        (Ns::Cbc, "ID") => fill(&mut d.location, Some(identifier(leaf))),
                        (Ns::Cac, "Address") => fill(&mut d.address, Some(address(leaf))),
                        _ => {}
                    }
                }
            }
            (Ns::Cac, "DeliveryParty") => {
                let names = children(el).filter(|&(ns, n, _)| ns == Ns::Cac && n == "PartyName");
                let name = names.filter_map(|(_, _, pn)| cbc_child(pn, "Name")).next();
                fill(&mut d.party_name, name.map(text));
            }
            _ => {}
        }
    }
    d
}

//! Peppol BIS Billing 3.0: PEPPOL-EN16931-*, PEPPOL-COMMON-* and the national rules.
//!
//! The business rules read the semantic model and are written once for UBL and CII; they
//! branch on the syntax only where the two official rule files really say different things.
//! Rules whose official context is a kind of element wherever it stands (every date, every
//! amount, every identifier with an ICD scheme, every empty element) read the tree in one
//! pass, [`shape`].
//!
//! Which national rules apply depends on the seller's country, and each national block of
//! the official rules decides that country its own way; [`Parties`] computes each of those
//! notions once per document.

mod allowances; // R040-R043: document and line allowances and charges
pub mod check_digits; // the algorithms behind PEPPOL-COMMON-R040..R050 and the national ids
mod codes; // P0100-P0112: type codes per profile
mod document; // R001-R080: document level
mod lines; // R110-R130: line arithmetic and periods
mod national; // NO, DK, IT, SE, GR, IS, NL, DE
mod shape; // the tree pass: R008, R051, CL*, F001, P0104-P0111, PEPPOL-COMMON-*
mod text; // XPath string semantics (normalize-space, upper-case) the rules rely on

use einvoice::{Invoice, Text};

use crate::Check;
use text::{normalize, upper_normalized};

/// Runs the Peppol BIS Billing 3.0 rules.
pub fn check(cx: &mut Check<'_, '_>) {
    let parties = Parties::new(cx);
    document::check(cx, &parties);
    codes::check(cx, &parties);
    allowances::check(cx);
    lines::check(cx);
    shape::check(cx);
    national::check(cx, &parties);
}

/// The document facts the official rules compute once as global variables.
pub(crate) struct Parties {
    /// The seller VAT number as the Peppol rules find it: BT-31 in UBL, but in CII the
    /// registration with scheme `VAT` (the EN 16931 binding uses `VA` for BT-31).
    pub seller_vat: Option<Text>,
    /// The business process number (`NN` of `urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0`),
    /// `None` where the official rules say 'Unknown'.
    pub profile: Option<String>,
    /// `$supplierCountry`: the seller VAT prefix, else the tax representative's VAT prefix,
    /// else the seller address country, else `XX`; upper-cased.
    pub supplier_country: String,
    /// `$customerCountry`: the buyer VAT prefix, else the buyer address country, else `XX`.
    pub customer_country: String,
    /// Both parties' address countries are `DE` (`$supplierCountryIsDE and $customerCountryIsDE`).
    pub both_german: bool,
}

impl Parties {
    fn new(cx: &Check<'_, '_>) -> Parties {
        let inv = cx.invoice;
        let seller = inv.seller.as_ref();
        let buyer = inv.buyer.as_ref();
        let (seller_vat, rep_vat) = if cx.syntax() == einvoice::Syntax::Cii {
            let root = cx.source.doc.root_element();
            (
                cii_vat(root, "SellerTradeParty"),
                cii_vat(root, "SellerTaxRepresentativeTradeParty"),
            )
        } else {
            let rep = inv
                .tax_representative
                .as_ref()
                .and_then(|r| r.vat_id.clone());
            (seller.and_then(|s| s.vat_id.clone()), rep)
        };
        let (seller_vat_ref, rep_vat) = (seller_vat.as_ref(), rep_vat.as_ref());
        let seller_addr = seller.and_then(|s| address_country(s.address.as_ref()));
        let buyer_addr = buyer.and_then(|b| address_country(b.address.as_ref()));
        let supplier_country = vat_prefix(seller_vat_ref)
            .or_else(|| vat_prefix(rep_vat))
            .or_else(|| seller_addr.map(upper_normalized))
            .unwrap_or_else(|| "XX".to_string());
        let customer_country = vat_prefix(buyer.and_then(|b| b.vat_id.as_ref()))
            .or_else(|| buyer_addr.map(upper_normalized))
            .unwrap_or_else(|| "XX".to_string());
        let is_de = |c: Option<&Text>| c.is_some_and(|c| upper_normalized(c) == "DE");
        Parties {
            seller_vat,
            profile: inv.business_process.as_ref().and_then(profile),
            supplier_country,
            customer_country,
            both_german: is_de(seller_addr) && is_de(buyer_addr),
        }
    }
}

/// The first `SpecifiedTaxRegistration/ID` with scheme `VAT` of a CII header party.
fn cii_vat(root: einvoice::xml::Node<'_, '_>, party: &'static str) -> Option<Text> {
    use einvoice::{NS_RAM, NS_RSM};
    let party = shape::path(
        root,
        &[
            (NS_RSM, "SupplyChainTradeTransaction"),
            (NS_RAM, "ApplicableHeaderTradeAgreement"),
            (NS_RAM, party),
        ],
    )?;
    shape::children(party, NS_RAM, "SpecifiedTaxRegistration")
        .flat_map(|r| shape::children(r, NS_RAM, "ID"))
        .find(|id| id.attribute("schemeID") == Some("VAT"))
        .map(|id| Text::at(id.string_value().into_owned(), einvoice::xml::pos(id)))
}

/// `$accountingSupplierCountry`: the seller VAT prefix, else its address country, else `XX`
/// (the tax representative left out, unlike `$supplierCountry`).
pub(crate) fn vat_or_address_country(inv: &Invoice, parties: &Parties) -> String {
    let seller = inv.seller.as_ref();
    vat_prefix(parties.seller_vat.as_ref())
        .or_else(|| address_country(seller.and_then(|s| s.address.as_ref())).map(upper_normalized))
        .unwrap_or_else(|| "XX".to_string())
}

/// The address country element, if the address has one.
pub(crate) fn address_country(a: Option<&einvoice::Address>) -> Option<&Text> {
    a.and_then(|a| a.country.as_ref())
}

/// `upper-case(normalize-space(substring($vat, 1, 2)))`, when that substring is not empty.
fn vat_prefix(vat: Option<&Text>) -> Option<String> {
    let prefix: String = vat?.value.chars().take(2).collect();
    (!prefix.is_empty()).then(|| normalize(&prefix).to_uppercase())
}

/// The process number of a Peppol business process identifier: the official rule looks for
/// `urn:fdc:peppol.eu:2017:poacc:billing:([0-9]{2}):1.0` anywhere in the normalised value
/// (the dots match any character) and then takes the seventh `:`-separated token.
fn profile(id: &Text) -> Option<String> {
    const PATTERN: &str = "urn:fdc:peppol.eu:2017:poacc:billing:##:1.0";
    let value = normalize(&id.value);
    let chars: Vec<char> = value.chars().collect();
    let pattern: Vec<char> = PATTERN.chars().collect();
    let matches_at = |start: usize| {
        pattern.iter().enumerate().all(|(i, &p)| {
            chars.get(start + i).is_some_and(|&c| match p {
                '.' => c != '\n' && c != '\r',
                '#' => c.is_ascii_digit(),
                _ => c == p,
            })
        })
    };
    (0..chars.len())
        .any(matches_at)
        .then(|| value.split(':').nth(6).unwrap_or("").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_is_the_seventh_token_of_a_matching_id() {
        let p = |s: &str| profile(&Text::new(s));
        assert_eq!(
            p("urn:fdc:peppol.eu:2017:poacc:billing:01:1.0").as_deref(),
            Some("01")
        );
        assert_eq!(
            p(" urn:fdc:peppol.eu:2017:poacc:billing:07:1.0 ").as_deref(),
            Some("07")
        );
        assert_eq!(p("urn:fdc:peppol.eu:2017:poacc:billing:1:1.0"), None);
        assert_eq!(p("urn:www.cenbii.eu:profile:bii04:ver1.0"), None);
    }
}

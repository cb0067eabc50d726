//! SI-UBL 2.0 / NLCIUS: the Dutch BR-NL-* rules.
//!
//! SI-UBL 2.0 is UBL only, and its official rules are one Schematron pattern: every element
//! is judged by the first rule whose context it matches, and only by that one. That order
//! decides real verdicts (an empty `cbc:TaxPointDate` of a Dutch seller gets BR-NL-20, not
//! SI-UBL-2; a line allowance reason code gets BR-NL-32-1, never BR-NL-32-2 or BR-NL-34), so
//! this module walks the tree once and gives each element its first matching [`Context`].
//! Values the model holds are read from the model.

use einvoice::value::{is_xml_whitespace, normalize_space as normalize};
use einvoice::xml::Node;
use einvoice::{NS_CAC, NS_CBC, Syntax};
use rust_decimal::Decimal;

use crate::Check;

/// The NLCIUS specification identifier fragment (`$is_SI-UBL-2.0`).
const NLCIUS: &str = "#compliant#urn:fdc:nen.nl:nlcius:v1.0";
/// The G-account extension fragment (`$is_SI-UBL-2.0-ext-gaccount`).
const GACCOUNT: &str = "#conformant#urn:fdc:nen.nl:gaccount:v1.0";

/// Runs the SI-UBL 2.0 rules.
pub fn check(cx: &mut Check<'_, '_>) {
    if !cx.syntax().is_ubl() {
        return;
    }
    let inv = cx.invoice;
    let spec = inv
        .specification
        .as_ref()
        .map(|t| normalize(&t.value))
        .unwrap_or_default();
    let si = spec.contains(NLCIUS) || spec.contains(GACCOUNT);
    let seller_country = inv
        .seller
        .as_ref()
        .and_then(|s| s.address.as_ref())
        .and_then(|a| a.country.as_ref())
        .map_or_else(|| "XX".to_string(), |c| normalize(&c.value).to_uppercase());
    let flags = Flags {
        si,
        s: si && seller_country == "NL",
    };
    let source = cx.source;
    let root = source.doc.root_element();
    let currencies: Vec<String> = kids(root, NS_CBC, "DocumentCurrencyCode")
        .map(|n| n.string_value().into_owned())
        .collect();
    for node in source.doc.elements() {
        match context(node, flags) {
            Some(context) => judge(cx, context, node, &currencies),
            None => {
                if !node.children().any(|c| c.is_element())
                    && is_xml_whitespace(&node.string_value())
                {
                    cx.fail_node("SI-UBL-2", node);
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
struct Flags {
    /// `$si`: the document is SI-UBL 2.0 (or its G-account extension).
    si: bool,
    /// `$s`: and the seller's address is in the Netherlands.
    s: bool,
}

/// The official rule contexts, in the official order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Context {
    SellerParty,
    Root,
    SellerAddress,
    BuyerAddress,
    RepresentativeAddress,
    TypeCode,
    BuyerLegalEntity,
    InvoiceTotals,
    PaymentMeans,
    OrderLineId,
    TaxCurrency,
    TaxPointDate,
    PeriodDescription,
    PrecedingIssueDate,
    SellerTaxScheme,
    SellerLegalForm,
    AddressLine(&'static str),
    Subdivision(&'static str),
    MeansCode,
    AccountName,
    ReasonCode,
    TaxTotalAmount,
    ExemptionReasonCode,
}

fn is(node: Node<'_, '_>, ns: &str, name: &str) -> bool {
    node.tag_name().name() == name && node.tag_name().namespace() == Some(ns)
}

/// Whether the ancestors of `node`, nearest first, are exactly `steps`.
fn under(node: Node<'_, '_>, steps: &[(&str, &str)]) -> bool {
    let mut current = node;
    for (ns, name) in steps {
        match current.parent_element() {
            Some(p) if is(p, ns, name) => current = p,
            _ => return false,
        }
    }
    true
}

const SELLER: [(&str, &str); 2] = [(NS_CAC, "Party"), (NS_CAC, "AccountingSupplierParty")];
const BUYER: [(&str, &str); 2] = [(NS_CAC, "Party"), (NS_CAC, "AccountingCustomerParty")];

/// Which address an address part belongs to, with the rule id suffix for that address.
fn address_owner(address: Node<'_, '_>) -> Option<(&'static str, &'static str)> {
    if is(address, NS_CAC, "PostalAddress") {
        if under(address, &SELLER) {
            return Some(("1", "seller"));
        }
        if under(address, &BUYER) {
            return Some(("2", "buyer"));
        }
        if under(address, &[(NS_CAC, "TaxRepresentativeParty")]) {
            return Some(("3", "representative"));
        }
    }
    if is(address, NS_CAC, "Address")
        && under(
            address,
            &[(NS_CAC, "DeliveryLocation"), (NS_CAC, "Delivery")],
        )
    {
        return Some(("4", "delivery"));
    }
    None
}

fn context(node: Node<'_, '_>, f: Flags) -> Option<Context> {
    use Context::*;
    let name = node.tag_name().name();
    let parent = node.parent_element();
    let parent_is = |ns: &str, n: &str| parent.is_some_and(|p| is(p, ns, n));
    let cac = node.tag_name().namespace() == Some(NS_CAC);
    let cbc = node.tag_name().namespace() == Some(NS_CBC);
    if f.si && cbc && name == "LineID" && parent_is(NS_CAC, "OrderLineReference") {
        // The only rule that also holds for sellers outside the Netherlands; no rule before
        // it matches a LineID.
        return Some(OrderLineId);
    }
    if !f.s {
        return None;
    }
    let found = match (cac, cbc, name) {
        (true, _, "Party") if under(node, &SELLER[1..]) => SellerParty,
        _ if node == node.document().root_element() => Root,
        (true, _, "PostalAddress") if under(node, &SELLER) => SellerAddress,
        (true, _, "PostalAddress") if under(node, &BUYER) => BuyerAddress,
        (true, _, "PostalAddress") if parent_is(NS_CAC, "TaxRepresentativeParty") => {
            RepresentativeAddress
        }
        (_, true, "InvoiceTypeCode" | "CreditNoteTypeCode") => TypeCode,
        (true, _, "PartyLegalEntity") if under(node, &BUYER) => BuyerLegalEntity,
        (true, _, "LegalMonetaryTotal")
            if parent.is_some_and(|p| p == node.document().root_element())
                && node.document().root_element().tag_name().name() == "Invoice" =>
        {
            InvoiceTotals
        }
        (true, _, "PaymentMeans") => PaymentMeans,
        (_, true, "TaxCurrencyCode") => TaxCurrency,
        (_, true, "TaxPointDate") => TaxPointDate,
        (_, true, "DescriptionCode") if parent_is(NS_CAC, "InvoicePeriod") => PeriodDescription,
        (_, true, "IssueDate")
            if under(
                node,
                &[
                    (NS_CAC, "InvoiceDocumentReference"),
                    (NS_CAC, "BillingReference"),
                ],
            ) =>
        {
            PrecedingIssueDate
        }
        (true, _, "PartyTaxScheme") if under(node, &SELLER) => SellerTaxScheme,
        (_, true, "CompanyLegalForm")
            if parent.is_some_and(|p| is(p, NS_CAC, "PartyLegalEntity") && under(p, &SELLER)) =>
        {
            SellerLegalForm
        }
        (_, true, "Line") if parent_is(NS_CAC, "AddressLine") => {
            let owner = parent
                .and_then(|p| p.parent_element())
                .and_then(address_owner);
            AddressLine(owner?.0)
        }
        (_, true, "CountrySubentity") => Subdivision(parent.and_then(address_owner)?.0),
        (_, true, "PaymentMeansCode") if parent_is(NS_CAC, "PaymentMeans") => MeansCode,
        (_, true, "Name")
            if parent.is_some_and(|p| {
                is(p, NS_CAC, "PayeeFinancialAccount") && under(p, &[(NS_CAC, "PaymentMeans")])
            }) =>
        {
            AccountName
        }
        (_, true, "AllowanceChargeReasonCode") if parent_is(NS_CAC, "AllowanceCharge") => {
            ReasonCode
        }
        (_, true, "TaxAmount") if parent_is(NS_CAC, "TaxTotal") => TaxTotalAmount,
        (_, true, "TaxExemptionReasonCode")
            if under(
                node,
                &[
                    (NS_CAC, "TaxCategory"),
                    (NS_CAC, "TaxSubtotal"),
                    (NS_CAC, "TaxTotal"),
                ],
            ) =>
        {
            ExemptionReasonCode
        }
        _ => return None,
    };
    Some(found)
}

fn judge(cx: &mut Check<'_, '_>, context: Context, node: Node<'_, '_>, currencies: &[String]) {
    use Context::*;
    let inv = cx.invoice;
    match context {
        SellerParty => {
            let entities: Vec<Node<'_, '_>> = kids(node, NS_CAC, "PartyLegalEntity").collect();
            let ids: Vec<Node<'_, '_>> = entities
                .iter()
                .flat_map(|e| kids(*e, NS_CBC, "CompanyID"))
                .collect();
            let filled = ids.iter().any(|id| !is_xml_whitespace(&id.string_value()));
            if !(kvk_or_oin(&ids) && filled) {
                cx.fail_node("BR-NL-1", node);
            }
        }
        Root => {
            if inv.buyer_reference.is_none() && inv.purchase_order_reference.is_none() {
                cx.fail_node("BR-NL-2", node);
            }
        }
        SellerAddress => {
            if !full_address(node) {
                cx.fail_node("BR-NL-3", node);
            }
        }
        BuyerAddress | RepresentativeAddress => {
            let country = kids(node, NS_CAC, "Country")
                .flat_map(|c| kids(c, NS_CBC, "IdentificationCode"))
                .any(|c| c.string_value() != "NL");
            if !country && !full_address(node) {
                let id = if context == BuyerAddress {
                    "BR-NL-4"
                } else {
                    "BR-NL-5"
                };
                cx.fail_node(id, node);
            }
        }
        TypeCode => type_code(cx, node),
        BuyerLegalEntity => {
            let root = node.document().root_element();
            let parties: Vec<Node<'_, '_>> = kids(root, NS_CAC, "AccountingCustomerParty")
                .flat_map(|a| kids(a, NS_CAC, "Party"))
                .collect();
            let dutch = parties
                .iter()
                .flat_map(|p| kids(*p, NS_CAC, "PostalAddress"))
                .flat_map(|a| kids(a, NS_CAC, "Country"))
                .flat_map(|c| kids(c, NS_CBC, "IdentificationCode"))
                .any(|c| c.string_value() == "NL");
            let all_ids: Vec<Node<'_, '_>> = parties
                .iter()
                .flat_map(|p| kids(*p, NS_CAC, "PartyLegalEntity"))
                .flat_map(|e| kids(e, NS_CBC, "CompanyID"))
                .collect();
            let own: Vec<Node<'_, '_>> = kids(node, NS_CBC, "CompanyID").collect();
            let filled =
                own.is_empty() || own.iter().any(|id| !is_xml_whitespace(&id.string_value()));
            if !((!dutch || kvk_or_oin(&all_ids)) && filled) {
                cx.fail_node("BR-NL-10", node);
            }
        }
        InvoiceTotals => {
            let payable = kids(node, NS_CBC, "PayableAmount")
                .next()
                .and_then(|p| einvoice::value::parse_xs_decimal(&p.string_value()));
            let nothing_due = payable.is_some_and(|p| p <= Decimal::ZERO);
            if !nothing_due && inv.payment_instructions.is_empty() {
                cx.fail_node("BR-NL-11", node);
            }
        }
        PaymentMeans => {
            let code = kids(node, NS_CBC, "PaymentMeansCode")
                .next()
                .map(|c| normalize(&c.string_value()))
                .unwrap_or_default();
            if !["30", "48", "49", "57", "58", "59"].contains(&code.as_str()) {
                cx.fail_node("BR-NL-12", node);
            }
            let provider = kids(node, NS_CAC, "PayeeFinancialAccount")
                .flat_map(|a| kids(a, NS_CAC, "FinancialInstitutionBranch"))
                .flat_map(|b| kids(b, NS_CBC, "ID"))
                .next();
            if (code == "58" || code == "59") && provider.is_some() {
                cx.fail_node("BR-NL-31", node);
            }
        }
        OrderLineId => {
            if inv.purchase_order_reference.is_none() {
                cx.fail_node("BR-NL-13", node);
            }
        }
        TaxCurrency => cx.fail_node("BR-NL-19", node),
        TaxPointDate => cx.fail_node("BR-NL-20", node),
        PeriodDescription => cx.fail_node("BR-NL-21", node),
        PrecedingIssueDate => cx.fail_node("BR-NL-24", node),
        SellerTaxScheme => {
            let has_id = kids(node, NS_CBC, "CompanyID").next().is_some();
            let vat = kids(node, NS_CAC, "TaxScheme")
                .flat_map(|s| kids(s, NS_CBC, "ID"))
                .any(|id| id.string_value() == "VAT");
            if has_id && !vat {
                cx.fail_node("BR-NL-25", node);
            }
        }
        SellerLegalForm => cx.fail_node("BR-NL-26", node),
        AddressLine(which) => cx.fail_node(numbered("BR-NL-27", which), node),
        Subdivision(which) => cx.fail_node(numbered("BR-NL-28", which), node),
        MeansCode => {
            if node.attribute("name").is_some() {
                cx.fail_node("BR-NL-29", node);
            }
        }
        AccountName => cx.fail_node("BR-NL-30", node),
        // Line and price allowances match this context first too, so BR-NL-32-2/-3 and
        // the BR-NL-34 variants never fire, as in the official rules.
        ReasonCode => cx.fail_node("BR-NL-32-1", node),
        TaxTotalAmount => {
            let currency = node.attribute("currencyID");
            if !currencies.iter().any(|c| Some(c.as_str()) == currency) {
                cx.fail_node("BR-NL-33", node);
            }
        }
        ExemptionReasonCode => cx.fail_node("BR-NL-35", node),
    }
}

/// BR-NL-7, BR-NL-8, BR-NL-9 on the type code, compared as written.
fn type_code(cx: &mut Check<'_, '_>, node: Node<'_, '_>) {
    let code = node.string_value();
    if !["380", "381", "384", "389"].contains(&&*code) {
        cx.fail_node("BR-NL-7", node);
    }
    let credit_note = cx.syntax() == Syntax::UblCreditNote;
    if (code == "381" && !credit_note) || (code != "381" && credit_note) {
        cx.fail_node("BR-NL-8", node);
    }
    let preceding = cx
        .invoice
        .preceding_invoices
        .iter()
        .any(|p| p.reference.is_some());
    if code == "384" && !preceding {
        cx.fail_node("BR-NL-9", node);
    }
}

fn numbered(rule: &str, which: &str) -> &'static str {
    match (rule, which) {
        ("BR-NL-27", "1") => "BR-NL-27-1",
        ("BR-NL-27", "2") => "BR-NL-27-2",
        ("BR-NL-27", "3") => "BR-NL-27-3",
        ("BR-NL-27", _) => "BR-NL-27-4",
        (_, "1") => "BR-NL-28-1",
        (_, "2") => "BR-NL-28-2",
        (_, "3") => "BR-NL-28-3",
        _ => "BR-NL-28-4",
    }
}

fn kids<'a, 'i>(
    node: Node<'a, 'i>,
    ns: &'static str,
    name: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |c| c.is_element() && is(*c, ns, name))
}

/// Street name, city and postal zone present.
fn full_address(address: Node<'_, '_>) -> bool {
    ["StreetName", "CityName", "PostalZone"]
        .into_iter()
        .all(|n| kids(address, NS_CBC, n).next().is_some())
}

/// The official test: ` 0106 ` or ` 0190 ` in the space-joined, space-padded schemes.
fn kvk_or_oin(ids: &[Node<'_, '_>]) -> bool {
    let schemes: Vec<&str> = ids
        .iter()
        .filter_map(|id| id.attribute("schemeID"))
        .collect();
    let padded = format!(" {} ", schemes.join(" "));
    padded.contains(" 0106 ") || padded.contains(" 0190 ")
}

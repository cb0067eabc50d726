//! Which official rule context an element falls under.
//!
//! The official syntax rules are one Schematron pattern, and in a pattern an element is judged
//! by the FIRST rule whose context matches it. [`RuleContext::of`] mirrors that order, so where two
//! official contexts overlap the later one is shadowed exactly as in the official validation.

use einvoice::xml::Node;
use einvoice::{NS_RAM, NS_RSM, NS_UDT};

/// An official rule context of the CII syntax rules. Absolute contexts (`/rsm:...`) hold only
/// at their exact place in the tree; the others (`//ram:...`) hold anywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RuleContext {
    /// `//ram:SpecifiedTradeSettlementPaymentMeans`
    PaymentMeans,
    /// `/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext`
    DocumentContext,
    /// `/rsm:CrossIndustryInvoice/rsm:ExchangedDocument`
    ExchangedDocument,
    /// `.../rsm:ExchangedDocument/ram:IncludedNote`
    DocumentNote,
    /// `.../rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem`
    Line,
    /// The line's `ram:AssociatedDocumentLineDocument`.
    LineDocument,
    /// The line's `ram:SpecifiedTradeProduct`.
    Product,
    /// The line product's `ram:ApplicableProductCharacteristic`.
    ProductCharacteristic,
    /// The line's `ram:SpecifiedLineTradeAgreement`.
    LineAgreement,
    /// `//ram:SpecifiedTradeAllowanceCharge`
    AllowanceCharge,
    /// `//ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge`
    PriceAllowanceCharge,
    /// The line's `ram:SpecifiedLineTradeDelivery`.
    LineDelivery,
    /// The line's `ram:SpecifiedLineTradeSettlement`.
    LineSettlement,
    /// `.../rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement`
    HeaderAgreement,
    /// `.../rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery`
    HeaderDelivery,
    /// `.../rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement`
    HeaderSettlement,
    /// The header settlement's `ram:SpecifiedTradeSettlementHeaderMonetarySummation`.
    MonetarySummation,
    /// `/rsm:CrossIndustryInvoice`
    Invoice,
    /// `//*[ends-with(name(), 'DocumentContextParameter')]`, in any namespace.
    ContextParameter,
    /// The four identifiers that must be plain: specification identifier, invoice number,
    /// line identifier and seller's item identifier, at their exact places.
    KeyIdentifier,
    /// `//ram:*[ends-with(name(), 'ID')]`
    Identifier,
    /// `//ram:TypeCode`. It comes before the official context of the document's own
    /// `TypeCode` (CII-DT-010..012), which it therefore shadows: those rules never fire.
    Code,
    /// The line VAT's `ram:ApplicableTradeTax/ram:CategoryCode`.
    LineTaxCategory,
    /// `//ram:*[ends-with(name(), 'ReferencedDocument')]`
    ReferencedDocument,
    /// `//ram:*[ends-with(name(), 'Amount')]`, except `ram:TaxTotalAmount`.
    Amount,
    /// `//ram:*[ends-with(name(), 'Quantity')]`
    Quantity,
    /// `//ram:*[ends-with(name(), 'TradeTax')]`
    Tax,
    /// `//ram:BillingSpecifiedPeriod`
    BillingPeriod,
    /// `//ram:PostalTradeAddress`
    PostalAddress,
    /// `//udt:DateTimeString[@format = '102']`
    DateString,
}

impl RuleContext {
    /// Every context, for building the per-context plans.
    pub(super) const ALL: [RuleContext; 30] = [
        RuleContext::PaymentMeans,
        RuleContext::DocumentContext,
        RuleContext::ExchangedDocument,
        RuleContext::DocumentNote,
        RuleContext::Line,
        RuleContext::LineDocument,
        RuleContext::Product,
        RuleContext::ProductCharacteristic,
        RuleContext::LineAgreement,
        RuleContext::AllowanceCharge,
        RuleContext::PriceAllowanceCharge,
        RuleContext::LineDelivery,
        RuleContext::LineSettlement,
        RuleContext::HeaderAgreement,
        RuleContext::HeaderDelivery,
        RuleContext::HeaderSettlement,
        RuleContext::MonetarySummation,
        RuleContext::Invoice,
        RuleContext::ContextParameter,
        RuleContext::KeyIdentifier,
        RuleContext::Identifier,
        RuleContext::Code,
        RuleContext::LineTaxCategory,
        RuleContext::ReferencedDocument,
        RuleContext::Amount,
        RuleContext::Quantity,
        RuleContext::Tax,
        RuleContext::BillingPeriod,
        RuleContext::PostalAddress,
        RuleContext::DateString,
    ];

    /// The first official context that matches `node`, if any.
    ///
    /// Apart from the shadowed document `TypeCode`, the official contexts that can match one
    /// element are an exact place and a name pattern (`ram:ID` as invoice number, or as any
    /// identifier); the match arms keep the official order for those.
    pub(super) fn of(node: Node<'_, '_>) -> Option<RuleContext> {
        let name = node.tag_name();
        let local = name.name();
        // No earlier official context matches a name with this ending, in any namespace.
        if local.ends_with("DocumentContextParameter") {
            return Some(RuleContext::ContextParameter);
        }
        match name.namespace() {
            Some(NS_RSM) => match local {
                "CrossIndustryInvoice" if is_invoice(node) => Some(RuleContext::Invoice),
                "ExchangedDocumentContext" if parent_is(node, is_invoice) => {
                    Some(RuleContext::DocumentContext)
                }
                "ExchangedDocument" if parent_is(node, is_invoice) => {
                    Some(RuleContext::ExchangedDocument)
                }
                _ => None,
            },
            Some(NS_RAM) => ram_context(node, local),
            Some(NS_UDT)
                if local == "DateTimeString" && node.attribute("format") == Some("102") =>
            {
                Some(RuleContext::DateString)
            }
            _ => None,
        }
    }
}

fn ram_context(node: Node<'_, '_>, local: &str) -> Option<RuleContext> {
    let context = match local {
        "SpecifiedTradeSettlementPaymentMeans" => RuleContext::PaymentMeans,
        "IncludedNote" if parent_is(node, is_exchanged_document) => RuleContext::DocumentNote,
        "IncludedSupplyChainTradeLineItem" if parent_is(node, is_transaction) => RuleContext::Line,
        "AssociatedDocumentLineDocument" if parent_is(node, is_line) => RuleContext::LineDocument,
        "SpecifiedTradeProduct" if parent_is(node, is_line) => RuleContext::Product,
        "ApplicableProductCharacteristic" if parent_is(node, is_line_product) => {
            RuleContext::ProductCharacteristic
        }
        "SpecifiedLineTradeAgreement" if parent_is(node, is_line) => RuleContext::LineAgreement,
        "SpecifiedTradeAllowanceCharge" => RuleContext::AllowanceCharge,
        "AppliedTradeAllowanceCharge"
            if parent_is(node, |p| ram(p, "GrossPriceProductTradePrice")) =>
        {
            RuleContext::PriceAllowanceCharge
        }
        "SpecifiedLineTradeDelivery" if parent_is(node, is_line) => RuleContext::LineDelivery,
        "SpecifiedLineTradeSettlement" if parent_is(node, is_line) => RuleContext::LineSettlement,
        "ApplicableHeaderTradeAgreement" if parent_is(node, is_transaction) => {
            RuleContext::HeaderAgreement
        }
        "ApplicableHeaderTradeDelivery" if parent_is(node, is_transaction) => {
            RuleContext::HeaderDelivery
        }
        "ApplicableHeaderTradeSettlement" if parent_is(node, is_transaction) => {
            RuleContext::HeaderSettlement
        }
        "SpecifiedTradeSettlementHeaderMonetarySummation"
            if parent_is(node, is_header_settlement) =>
        {
            RuleContext::MonetarySummation
        }
        "ID" if parent_is(node, is_exchanged_document)
            || parent_is(node, |p| {
                ram(p, "GuidelineSpecifiedDocumentContextParameter")
                    && parent_is(p, |c| {
                        rsm(c, "ExchangedDocumentContext") && parent_is(c, is_invoice)
                    })
            }) =>
        {
            RuleContext::KeyIdentifier
        }
        "LineID"
            if parent_is(node, |p| {
                ram(p, "AssociatedDocumentLineDocument") && parent_is(p, is_line)
            }) =>
        {
            RuleContext::KeyIdentifier
        }
        "SellerAssignedID" if parent_is(node, is_line_product) => RuleContext::KeyIdentifier,
        "TypeCode" => RuleContext::Code,
        "CategoryCode"
            if parent_is(node, |p| {
                ram(p, "ApplicableTradeTax") && parent_is(p, is_line_settlement)
            }) =>
        {
            RuleContext::LineTaxCategory
        }
        "BillingSpecifiedPeriod" => RuleContext::BillingPeriod,
        "PostalTradeAddress" => RuleContext::PostalAddress,
        "TaxTotalAmount" => return None,
        _ if local.ends_with("ID") => RuleContext::Identifier,
        _ if local.ends_with("ReferencedDocument") => RuleContext::ReferencedDocument,
        _ if local.ends_with("Amount") => RuleContext::Amount,
        _ if local.ends_with("Quantity") => RuleContext::Quantity,
        _ if local.ends_with("TradeTax") => RuleContext::Tax,
        _ => return None,
    };
    Some(context)
}

fn named(node: Node<'_, '_>, ns: &str, local: &str) -> bool {
    node.is_element() && node.tag_name().name() == local && node.tag_name().namespace() == Some(ns)
}

fn ram(node: Node<'_, '_>, local: &str) -> bool {
    named(node, NS_RAM, local)
}

fn rsm(node: Node<'_, '_>, local: &str) -> bool {
    named(node, NS_RSM, local)
}

fn parent_is(node: Node<'_, '_>, test: impl Fn(Node<'_, '_>) -> bool) -> bool {
    node.parent().is_some_and(test)
}

fn is_invoice(node: Node<'_, '_>) -> bool {
    rsm(node, "CrossIndustryInvoice") && parent_is(node, |p| p.is_root())
}

fn is_exchanged_document(node: Node<'_, '_>) -> bool {
    rsm(node, "ExchangedDocument") && parent_is(node, is_invoice)
}

fn is_transaction(node: Node<'_, '_>) -> bool {
    rsm(node, "SupplyChainTradeTransaction") && parent_is(node, is_invoice)
}

fn is_line(node: Node<'_, '_>) -> bool {
    ram(node, "IncludedSupplyChainTradeLineItem") && parent_is(node, is_transaction)
}

fn is_line_product(node: Node<'_, '_>) -> bool {
    ram(node, "SpecifiedTradeProduct") && parent_is(node, is_line)
}

fn is_line_settlement(node: Node<'_, '_>) -> bool {
    ram(node, "SpecifiedLineTradeSettlement") && parent_is(node, is_line)
}

fn is_header_settlement(node: Node<'_, '_>) -> bool {
    ram(node, "ApplicableHeaderTradeSettlement") && parent_is(node, is_transaction)
}

/// `/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity`
/// elements, found by walking down those steps only.
pub(super) fn billed_quantities<'a, 'input>(
    doc: &'a einvoice::xml::Document<'input>,
) -> impl Iterator<Item = Node<'a, 'input>> {
    let root = doc.root_element();
    std::iter::once(root)
        .filter(|r| is_invoice(*r))
        .flat_map(|r| {
            r.children()
                .filter(|c| rsm(*c, "SupplyChainTradeTransaction"))
        })
        .flat_map(|t| {
            t.children()
                .filter(|c| ram(*c, "IncludedSupplyChainTradeLineItem"))
        })
        .flat_map(|l| {
            l.children()
                .filter(|c| ram(*c, "SpecifiedLineTradeDelivery"))
        })
        .flat_map(|d| d.children().filter(|c| ram(*c, "BilledQuantity")))
}

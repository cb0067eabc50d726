//! The assertions whose tests compare values or filter by a predicate, which a path count
//! cannot say. Each reads only the context element's children and grandchildren.

use einvoice::NS_UDT;
use einvoice::xml::Node;

use super::facts::Facts;
use super::xpath::{children, has_type_code, indicator_is_false, is_ram, normalized_type_code_is};

/// The context's `AdditionalReferencedDocument`s whose `TypeCode` is `code`, compared the
/// way the rule at hand compares it.
pub(super) fn documents_coded<'a, 'input: 'a>(
    node: Node<'a, 'input>,
    code: &'static str,
    compare: fn(Node<'_, '_>, &str) -> bool,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    children(node, "AdditionalReferencedDocument").filter(move |d| compare(*d, code))
}

/// How many `part` elements the attached documents (`TypeCode` 916) hold in all.
pub(super) fn attachment_parts(node: Node<'_, '_>, part: &str) -> usize {
    documents_coded(node, "916", normalized_type_code_is)
        .map(|d| children(d, part).count())
        .sum()
}

/// CII-SR-119: the gross price carries only allowances: either an allowance (charge
/// indicator false) with its amount, or neither indicator nor amount at all.
pub(super) fn price_allowances_only(agreement: Node<'_, '_>, _: &Facts) -> bool {
    let charges = || {
        children(agreement, "GrossPriceProductTradePrice")
            .flat_map(|p| children(p, "AppliedTradeAllowanceCharge"))
    };
    let indicators = || charges().flat_map(|c| children(c, "ChargeIndicator"));
    let allowance = indicators().any(|i| {
        i.children().any(|v| {
            v.tag_name().namespace() == Some(NS_UDT)
                && v.tag_name().name() == "Indicator"
                && indicator_is_false(v)
        })
    });
    let amount = charges().any(|c| children(c, "ActualAmount").next().is_some());
    let indicator = indicators().next().is_some();
    (allowance && amount) || (!indicator && !amount)
}

/// CII-SR-470: every credit transfer (payment means 30 or 58) names the payee's account by
/// IBAN or proprietary id.
pub(super) fn transfers_name_account(settlement: Node<'_, '_>, _: &Facts) -> bool {
    !children(settlement, "SpecifiedTradeSettlementPaymentMeans").any(|means| {
        let transfer = normalized_type_code_is(means, "30") || normalized_type_code_is(means, "58");
        let account = children(means, "PayeePartyCreditorFinancialAccount").any(|a| {
            children(a, "IBANID").next().is_some() || children(a, "ProprietaryID").next().is_some()
        });
        transfer && !account
    })
}

/// An `AdditionalReferencedDocument` with `TypeCode` 916: an attachment, which alone may
/// carry a URI, a name and a binary object.
pub(super) fn is_attachment(document: Node<'_, '_>) -> bool {
    is_ram(document, "AdditionalReferencedDocument") && has_type_code(document, "916")
}

/// An `AdditionalReferencedDocument` with one of the `TypeCode`s EN 16931 uses: 50 (tender
/// or lot), 130 (invoiced object) or 916 (attachment).
pub(super) fn is_additional_document_coded(document: Node<'_, '_>) -> bool {
    is_ram(document, "AdditionalReferencedDocument")
        && ["50", "130", "916"]
            .into_iter()
            .any(|code| has_type_code(document, code))
}

/// An `AdditionalReferencedDocument` with `TypeCode` 130: an invoiced object identifier,
/// which alone may carry a `ReferenceTypeCode` (its scheme).
pub(super) fn is_invoiced_object(document: Node<'_, '_>) -> bool {
    is_ram(document, "AdditionalReferencedDocument") && has_type_code(document, "130")
}

/// Inside the header settlement (`ancestor::ram:ApplicableHeaderTradeSettlement`).
pub(super) fn in_header_settlement(node: Node<'_, '_>) -> bool {
    node.ancestors()
        .skip(1)
        .any(|a| is_ram(a, "ApplicableHeaderTradeSettlement"))
}

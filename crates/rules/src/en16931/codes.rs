//! BR-CL: coded values come from the official code lists.
//!
//! The official code-list patterns match elements by name wherever they stand (any
//! `cac:Country/cbc:IdentificationCode`, any amount's `@currencyID`), first matching rule
//! wins. That is a property of the syntax, not of the model, so this module walks the tree
//! once and dispatches on element names, in the official rule order.

use einvoice::xml::Node;
use einvoice::xml::dom::KnownNamespace::{self, Cac, Cbc, Ram, Rsm, Udt};

use crate::Check;
use crate::codelists::*;

pub(super) fn check(cx: &mut Check<'_, '_>) {
    let source = cx.source;
    let ubl = cx.syntax().is_ubl();
    let doc = &source.doc;
    // The rule a name may select depends on its name alone; decide that once per distinct
    // name, so that most elements cost one array lookup.
    let fields: Vec<Option<Field>> = doc
        .known_element_names()
        .map(|(ns, local)| {
            let field_ns = if ubl { Cbc } else { Ram };
            (ns == Some(field_ns))
                .then(|| {
                    if ubl {
                        ubl_field(local)
                    } else {
                        cii_field(local)
                    }
                })
                .flatten()
        })
        .collect();
    let mut memo = Memo::default();
    for node in doc.elements() {
        let Some(field) = node
            .name_id()
            .and_then(|id| fields.get(id.index()).copied().flatten())
        else {
            continue;
        };
        let failed = if ubl {
            ubl_rule(node, field, &mut memo)
        } else {
            cii_rule(node, field, &mut memo)
        };
        if let Some(id) = failed {
            cx.fail_node(id, node);
        }
    }
}

/// What a rule looks at and which codes it allows.
enum Test {
    /// The element's text, normalised, is one code of the list.
    Text(&'static [&'static str]),
    /// An attribute, normalised, is one code of the list.
    Attr(&'static str, &'static [&'static str]),
    /// Like [`Test::Text`], case-insensitively: BR-CL-22 looks up `upper-case(.)`.
    UpperText(&'static [&'static str]),
}

impl Test {
    fn holds(&self, node: Node<'_, '_>, memo: &mut Memo) -> bool {
        match *self {
            Test::Text(list) => memo.one_code(&node.string_value(), list),
            Test::Attr(name, list) => memo.one_code(node.attribute(name).unwrap_or(""), list),
            Test::UpperText(list) => memo.one_code(&node.string_value().to_uppercase(), list),
        }
    }
}

/// `not(contains(normalize-space(v), ' ')) and contains(' list ', concat(' ', normalize-space(v), ' '))`.
fn one_code(value: &str, list: &[&str]) -> bool {
    single_code(value).is_some_and(|code| contains(list, code))
}

/// The only word of `value`, if it has exactly one: the trimmed value, when it is not empty
/// and holds no XML whitespace.
fn single_code(value: &str) -> Option<&str> {
    let code = einvoice::value::trim(value);
    let one_word = !code.is_empty() && !code.bytes().any(einvoice::value::is_xml_space_byte);
    one_word.then_some(code)
}

/// Per code list, the last code looked up in it and the answer. Invoice lines repeat the
/// same few currencies, units and categories, and a search of a long list costs far more
/// than comparing with the previous code.
#[derive(Default)]
struct Memo(Vec<(&'static [&'static str], String, bool)>);

impl Memo {
    /// [`one_code`], remembered.
    fn one_code(&mut self, value: &str, list: &'static [&'static str]) -> bool {
        let Some(code) = single_code(value) else {
            return false;
        };
        match self.0.iter_mut().find(|(l, ..)| std::ptr::eq(*l, list)) {
            Some((_, last, known)) => {
                if last != code {
                    code.clone_into(last);
                    *known = contains(list, code);
                }
                *known
            }
            None => {
                let known = contains(list, code);
                self.0.push((list, code.to_owned(), known));
                known
            }
        }
    }
}

fn is(node: Node<'_, '_>, ns: KnownNamespace, name: &str) -> bool {
    node.is_named(ns, name)
}

fn parent_is(node: Node<'_, '_>, ns: KnownNamespace, name: &str) -> bool {
    node.parent_element().is_some_and(|p| is(p, ns, name))
}

fn has_ancestor(node: Node<'_, '_>, ns: KnownNamespace, name: &str) -> bool {
    node.ancestors().skip(1).any(|a| is(a, ns, name))
}

/// `xs:boolean` cast of a child indicator, as `cbc:ChargeIndicator = false()` does.
fn indicator(parent: Node<'_, '_>, path: &[(KnownNamespace, &str)]) -> Option<bool> {
    let mut node = parent;
    for &(ns, name) in path {
        node = node.children().find(|c| is(*c, ns, name))?;
    }
    match einvoice::value::trim(&node.string_value()) {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// The codes of UNTDID 1001 that only a credit note may carry in UBL; the UBL binding of
/// BR-CL-01 allows the others (and 81) for `cbc:InvoiceTypeCode`.
const CREDIT_NOTE_TYPES: [&str; 13] = [
    "261", "262", "296", "308", "381", "396", "420", "458", "502", "503", "532", "81", "83",
];

/// UNTDID 4451 subject codes the CII list of BR-CL-08 has and the UBL binding lacks.
const SUBJECTS_NOT_IN_UBL: [&str; 18] = [
    "BAT", "BAU", "BAV", "BAW", "BAX", "BAY", "BAZ", "BBA", "BBB", "BMF", "BMG", "BMH", "CCJ",
    "CCK", "CCL", "CCM", "CCN", "CCO",
];

/// BR-CL-24: the MIME codes of attachments, compared exactly (no normalisation).
const MIME_CODES: [&str; 6] = [
    "application/pdf",
    "image/png",
    "image/jpeg",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
];

/// The element names a code-list rule may select, in either syntax.
#[derive(Clone, Copy)]
enum Field {
    InvoiceTypeCode,
    CreditNoteTypeCode,
    Amount,
    DocumentCurrencyCode,
    TaxCurrencyCode,
    DescriptionCode,
    Id,
    CompanyId,
    ItemClassificationCode,
    IdentificationCode,
    PaymentMeansCode,
    AllowanceChargeReasonCode,
    TaxExemptionReasonCode,
    Quantity,
    EmbeddedDocumentBinaryObject,
    EndpointId,
    Note,
    TypeCode,
    TaxTotalAmount,
    InvoiceCurrencyCode,
    DueDateTypeCode,
    ReferenceTypeCode,
    SubjectCode,
    GlobalId,
    ClassCode,
    CountryId,
    CategoryCode,
    ReasonCode,
    ExemptionReasonCode,
    AttachmentBinaryObject,
    UriId,
}

/// The field a `cbc:` element of local name `name` is, if a UBL rule may select it.
fn ubl_field(name: &str) -> Option<Field> {
    Some(match name {
        "InvoiceTypeCode" => Field::InvoiceTypeCode,
        "CreditNoteTypeCode" => Field::CreditNoteTypeCode,
        "Amount"
        | "BaseAmount"
        | "PriceAmount"
        | "TaxAmount"
        | "TaxableAmount"
        | "LineExtensionAmount"
        | "TaxExclusiveAmount"
        | "TaxInclusiveAmount"
        | "AllowanceTotalAmount"
        | "ChargeTotalAmount"
        | "PrepaidAmount"
        | "PayableRoundingAmount"
        | "PayableAmount" => Field::Amount,
        "DocumentCurrencyCode" => Field::DocumentCurrencyCode,
        "TaxCurrencyCode" => Field::TaxCurrencyCode,
        "DescriptionCode" => Field::DescriptionCode,
        "ID" => Field::Id,
        "CompanyID" => Field::CompanyId,
        "ItemClassificationCode" => Field::ItemClassificationCode,
        "IdentificationCode" => Field::IdentificationCode,
        "PaymentMeansCode" => Field::PaymentMeansCode,
        "AllowanceChargeReasonCode" => Field::AllowanceChargeReasonCode,
        "TaxExemptionReasonCode" => Field::TaxExemptionReasonCode,
        "InvoicedQuantity" | "BaseQuantity" | "CreditedQuantity" => Field::Quantity,
        "EmbeddedDocumentBinaryObject" => Field::EmbeddedDocumentBinaryObject,
        "EndpointID" => Field::EndpointId,
        "Note" => Field::Note,
        _ => return None,
    })
}

/// The field a `ram:` element of local name `name` is, if a CII rule may select it.
fn cii_field(name: &str) -> Option<Field> {
    Some(match name {
        "TypeCode" => Field::TypeCode,
        "TaxTotalAmount" => Field::TaxTotalAmount,
        "InvoiceCurrencyCode" => Field::InvoiceCurrencyCode,
        "TaxCurrencyCode" => Field::TaxCurrencyCode,
        "DueDateTypeCode" => Field::DueDateTypeCode,
        "ReferenceTypeCode" => Field::ReferenceTypeCode,
        "SubjectCode" => Field::SubjectCode,
        "GlobalID" => Field::GlobalId,
        "ID" => Field::Id,
        "ClassCode" => Field::ClassCode,
        "CountryID" => Field::CountryId,
        "CategoryCode" => Field::CategoryCode,
        "ReasonCode" => Field::ReasonCode,
        "ExemptionReasonCode" => Field::ExemptionReasonCode,
        "BasisQuantity" | "BilledQuantity" => Field::Quantity,
        "AttachmentBinaryObject" => Field::AttachmentBinaryObject,
        "URIID" => Field::UriId,
        _ => return None,
    })
}

/// The UBL rule that fails on the `cbc:` element `node`, if any.
fn ubl_rule(node: Node<'_, '_>, field: Field, memo: &mut Memo) -> Option<&'static str> {
    let attr = |a: &str| node.attribute(a).is_some();
    let (id, test) = match field {
        Field::InvoiceTypeCode | Field::CreditNoteTypeCode => {
            let code = node.string_value();
            let code = einvoice::value::trim(&code);
            let credit_only = CREDIT_NOTE_TYPES.contains(&code) && code != "81";
            let ok = one_code(code, &BR_CL_01_UBL)
                && if matches!(field, Field::InvoiceTypeCode) {
                    !credit_only
                } else {
                    CREDIT_NOTE_TYPES.contains(&code)
                };
            return (!ok).then_some("BR-CL-01");
        }
        Field::Amount => ("BR-CL-03", Test::Attr("currencyID", &BR_CL_03_UBL)),
        Field::DocumentCurrencyCode => ("BR-CL-04", Test::Text(&BR_CL_04_UBL)),
        Field::TaxCurrencyCode => ("BR-CL-05", Test::Text(&BR_CL_05_UBL)),
        Field::DescriptionCode if parent_is(node, Cac, "InvoicePeriod") => {
            ("BR-CL-06", Test::Text(&BR_CL_06_UBL))
        }
        Field::Id if attr("schemeID") && object_reference(node) => {
            ("BR-CL-07", Test::Attr("schemeID", &BR_CL_07_UBL))
        }
        Field::Id if attr("schemeID") && parent_is(node, Cac, "PartyIdentification") => {
            // The UBL list takes SEPA (a bank-assigned creditor identifier, BT-90) only in
            // an identifier of the seller or the payee.
            if single_code(node.attribute("schemeID").unwrap_or("")) == Some("SEPA") {
                let creditor = has_ancestor(node, Cac, "AccountingSupplierParty")
                    || has_ancestor(node, Cac, "PayeeParty");
                return (!creditor).then_some("BR-CL-10");
            }
            ("BR-CL-10", Test::Attr("schemeID", &BR_CL_10_UBL))
        }
        Field::CompanyId if attr("schemeID") && parent_is(node, Cac, "PartyLegalEntity") => {
            ("BR-CL-11", Test::Attr("schemeID", &BR_CL_11_UBL))
        }
        Field::ItemClassificationCode
            if attr("listID") && parent_is(node, Cac, "CommodityClassification") =>
        {
            ("BR-CL-13", Test::Attr("listID", &BR_CL_13_UBL))
        }
        Field::IdentificationCode if parent_is(node, Cac, "Country") => {
            ("BR-CL-14", Test::Text(&BR_CL_14_UBL))
        }
        Field::IdentificationCode if parent_is(node, Cac, "OriginCountry") => {
            ("BR-CL-15", Test::Text(&BR_CL_15_UBL))
        }
        Field::PaymentMeansCode if parent_is(node, Cac, "PaymentMeans") => {
            ("BR-CL-16", Test::Text(&BR_CL_16_UBL))
        }
        Field::Id if parent_is(node, Cac, "TaxCategory") => ("BR-CL-17", Test::Text(&BR_CL_17_UBL)),
        Field::Id if parent_is(node, Cac, "ClassifiedTaxCategory") => {
            ("BR-CL-18", Test::Text(&BR_CL_18_UBL))
        }
        Field::AllowanceChargeReasonCode => {
            let parent = node
                .parent_element()
                .filter(|p| is(*p, Cac, "AllowanceCharge"))?;
            match indicator(parent, &[(Cbc, "ChargeIndicator")])? {
                false => ("BR-CL-19", Test::Text(&BR_CL_19_UBL)),
                true => ("BR-CL-20", Test::Text(&BR_CL_20_UBL)),
            }
        }
        Field::Id if attr("schemeID") && parent_is(node, Cac, "StandardItemIdentification") => {
            ("BR-CL-21", Test::Attr("schemeID", &BR_CL_21_UBL))
        }
        Field::TaxExemptionReasonCode => ("BR-CL-22", Test::UpperText(&BR_CL_22_UBL)),
        Field::Quantity if attr("unitCode") => ("BR-CL-23", Test::Attr("unitCode", &BR_CL_23_UBL)),
        Field::EmbeddedDocumentBinaryObject => return mime(node),
        Field::EndpointId if attr("schemeID") => {
            ("BR-CL-25", Test::Attr("schemeID", &BR_CL_25_UBL))
        }
        Field::Id if attr("schemeID") && parent_is(node, Cac, "DeliveryLocation") => {
            ("BR-CL-26", Test::Attr("schemeID", &BR_CL_26_UBL))
        }
        Field::Note
            if node
                .parent()
                .is_some_and(|p| p.parent().is_some_and(|d| d.is_root())) =>
        {
            return ubl_note_subject(&node.string_value());
        }
        _ => return None,
    };
    (!test.holds(node, memo)).then_some(id)
}

/// BR-CL-07 (UBL): the `cbc:ID` of a document reference typed `130` (an invoiced object).
fn object_reference(node: Node<'_, '_>) -> bool {
    node.parent_element().is_some_and(|p| {
        (is(p, Cac, "AdditionalDocumentReference") || is(p, Cac, "DocumentReference"))
            && p.children()
                .any(|c| is(c, Cbc, "DocumentTypeCode") && c.string_value() == "130")
    })
}

/// BR-CL-24: an attachment's `@mimeCode`, when given, is one of the allowed MIME types.
fn mime(node: Node<'_, '_>) -> Option<&'static str> {
    let code = node.attribute("mimeCode")?;
    (!MIME_CODES.contains(&code)).then_some("BR-CL-24")
}

/// BR-CL-08 (UBL): a document note may start with a subject code between `#` signs; when
/// the text between the first two `#` is three characters long it must be a UNTDID 4451
/// code.
fn ubl_note_subject(note: &str) -> Option<&'static str> {
    let (_, after) = note.split_once('#')?;
    let (code, _) = after.split_once('#')?;
    if code.chars().count() != 3 {
        return None;
    }
    let known = contains(&BR_CL_08_CII, code) && !SUBJECTS_NOT_IN_UBL.contains(&code);
    (!known).then_some("BR-CL-08")
}

/// The CII rule that fails on the `ram:` element `node`, if any.
fn cii_rule(node: Node<'_, '_>, field: Field, memo: &mut Memo) -> Option<&'static str> {
    let attr = |a: &str| node.attribute(a).is_some();
    let (id, test) = match field {
        Field::TypeCode if parent_is(node, Rsm, "ExchangedDocument") => {
            ("BR-CL-01", Test::Text(&BR_CL_01_CII))
        }
        Field::TaxTotalAmount if attr("currencyID") => {
            ("BR-CL-03", Test::Attr("currencyID", &BR_CL_03_CII))
        }
        Field::InvoiceCurrencyCode => ("BR-CL-04", Test::Text(&BR_CL_04_CII)),
        Field::TaxCurrencyCode => ("BR-CL-05", Test::Text(&BR_CL_05_CII)),
        Field::DueDateTypeCode => ("BR-CL-06", Test::Text(&BR_CL_06_CII)),
        Field::ReferenceTypeCode => ("BR-CL-07", Test::Text(&BR_CL_07_CII)),
        Field::SubjectCode => ("BR-CL-08", Test::Text(&BR_CL_08_CII)),
        Field::GlobalId
            if attr("schemeID")
                && !has_ancestor(node, Ram, "SpecifiedTradeProduct")
                && !has_ancestor(node, Ram, "ShipToTradeParty") =>
        {
            ("BR-CL-10", Test::Attr("schemeID", &BR_CL_10_CII))
        }
        Field::Id if attr("schemeID") && !has_ancestor(node, Ram, "SpecifiedTaxRegistration") => {
            ("BR-CL-11", Test::Attr("schemeID", &BR_CL_11_CII))
        }
        Field::ClassCode if attr("listID") => ("BR-CL-13", Test::Attr("listID", &BR_CL_13_CII)),
        Field::CountryId => ("BR-CL-14", Test::Text(&BR_CL_14_CII)),
        Field::Id if parent_is(node, Ram, "OriginTradeCountry") => {
            ("BR-CL-15", Test::Text(&BR_CL_15_CII))
        }
        Field::TypeCode if parent_is(node, Ram, "SpecifiedTradeSettlementPaymentMeans") => {
            ("BR-CL-16", Test::Text(&BR_CL_16_CII))
        }
        Field::CategoryCode if parent_is(node, Ram, "CategoryTradeTax") => {
            ("BR-CL-17", Test::Text(&BR_CL_17_CII))
        }
        Field::CategoryCode if parent_is(node, Ram, "ApplicableTradeTax") => {
            ("BR-CL-18", Test::Text(&BR_CL_18_CII))
        }
        Field::ReasonCode => {
            let parent = node
                .parent_element()
                .filter(|p| is(*p, Ram, "SpecifiedTradeAllowanceCharge"))?;
            match indicator(parent, &[(Ram, "ChargeIndicator"), (Udt, "Indicator")])? {
                false => ("BR-CL-19", Test::Text(&BR_CL_19_CII)),
                true => ("BR-CL-20", Test::Text(&BR_CL_20_CII)),
            }
        }
        Field::GlobalId if attr("schemeID") && parent_is(node, Ram, "SpecifiedTradeProduct") => {
            ("BR-CL-21", Test::Attr("schemeID", &BR_CL_21_CII))
        }
        Field::ExemptionReasonCode => ("BR-CL-22", Test::UpperText(&BR_CL_22_CII)),
        Field::Quantity if attr("unitCode") => ("BR-CL-23", Test::Attr("unitCode", &BR_CL_23_CII)),
        Field::AttachmentBinaryObject => return mime(node),
        Field::UriId if attr("schemeID") && parent_is(node, Ram, "URIUniversalCommunication") => {
            ("BR-CL-25", Test::Attr("schemeID", &BR_CL_25_CII))
        }
        Field::GlobalId
            if attr("schemeID")
                && parent_is(node, Ram, "ShipToTradeParty")
                && node
                    .parent_element()
                    .is_some_and(|p| parent_is(p, Ram, "ApplicableHeaderTradeDelivery")) =>
        {
            ("BR-CL-26", Test::Attr("schemeID", &BR_CL_26_CII))
        }
        _ => return None,
    };
    (!test.holds(node, memo)).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::single_code;

    #[test]
    fn a_single_code_is_one_word_between_xml_whitespace() {
        assert_eq!(single_code("EUR"), Some("EUR"));
        assert_eq!(single_code(" \tEUR\r\n"), Some("EUR"));
        assert_eq!(single_code("EUR USD"), None);
        assert_eq!(single_code("EUR\nUSD"), None);
        assert_eq!(single_code(""), None);
        assert_eq!(single_code(" \n "), None);
        // A no-break space is content, as for `normalize-space`.
        assert_eq!(single_code("\u{a0}EUR"), Some("\u{a0}EUR"));
    }
}

//! UBL-SR: how often an element may occur where the UBL schema allows more than EN 16931
//! (all fatal).
//!
//! Three shapes:
//! - [`DOCUMENT`]: at most so many nodes on a path in the whole document; the walk's path
//!   automaton counts them, like the restrictions;
//! - [`GROUP`]: within each occurrence of a group element (an invoice line, a payee, ...),
//!   between so many and so many nodes on a path; counted when the walk enters the group,
//!   over its children only;
//! - a few tests on values: [`Distinct`] payment references and means codes (UBL-SR-44/47),
//!   the invoiced object's scheme (UBL-SR-43) and a payee that differs from the seller
//!   (UBL-SR-19/20/21).

use std::collections::HashMap;

use einvoice::xml::{Node, NodeId};

use super::paths::{Automaton, Path, Run, Symbol};
use super::tree::{self, Ns};
use crate::Check;

/// At most `.2` nodes on the path `.1` in the whole document (context: the root).
#[rustfmt::skip]
pub(super) const DOCUMENT: &[(&str, &str, u32)] = &[
    ("UBL-SR-01", "cac:ContractDocumentReference/cbc:ID", 1),
    ("UBL-SR-02", "cac:ReceiptDocumentReference/cbc:ID", 1),
    ("UBL-SR-03", "cac:DespatchDocumentReference/cbc:ID", 1),
    ("UBL-SR-04", "cac:AdditionalDocumentReference[object]/cbc:ID", 1),
    ("UBL-SR-05", "cac:PaymentTerms/cbc:Note", 1),
    ("UBL-SR-08", "cac:InvoicePeriod", 1),
    ("UBL-SR-09", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName", 1),
    ("UBL-SR-10", "cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name", 1),
    ("UBL-SR-11", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", 1),
    ("UBL-SR-12", "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[vat]/cbc:CompanyID", 1),
    ("UBL-SR-13", "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[non-vat]/cbc:CompanyID", 1),
    ("UBL-SR-14", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyLegalForm", 1),
    ("UBL-SR-15", "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName", 1),
    ("UBL-SR-16", "cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID", 1),
    ("UBL-SR-17", "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", 1),
    ("UBL-SR-18", "cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme[vat]/cbc:CompanyID", 1),
    ("UBL-SR-24", "cac:Delivery", 1),
    ("UBL-SR-29", "//cac:PartyIdentification/cbc:ID[sepa]", 1),
    ("UBL-SR-39", "cac:ProjectReference/cbc:ID", 1),
    ("UBL-SR-40", "cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name", 1),
    ("UBL-SR-45", "cac:PaymentMeans/cbc:PaymentDueDate", 1),
    ("UBL-SR-46", "cac:PaymentMeans/cbc:PaymentMeansCode/@name", 1),
    ("UBL-SR-49", "cac:InvoicePeriod/cbc:DescriptionCode", 1),
    ("UBL-SR-54", "cac:PaymentMeans/cac:CardAccount", 1),
    ("UBL-SR-55", "cac:PaymentMeans/cac:PaymentMandate", 1),
    ("UBL-SR-56", "cac:OriginatorDocumentReference/cbc:ID", 1),
];

/// The elements whose every occurrence is judged on its own content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Group {
    /// `cac:PostalAddress` or `cac:Address`, anywhere.
    Address,
    /// The seller: `cac:Party` in `cac:AccountingSupplierParty`.
    Seller,
    /// `cac:AdditionalDocumentReference` (BG-24).
    SupportingDocument,
    /// `cac:Delivery` (BG-13).
    DeliverTo,
    /// `cac:AllowanceCharge` with a false `cbc:ChargeIndicator`.
    Allowance,
    /// `cac:AllowanceCharge` with a true `cbc:ChargeIndicator`.
    Charge,
    /// `cac:PartyTaxScheme`.
    PartyTaxScheme,
    /// `cac:InvoiceLine` or `cac:CreditNoteLine` (BG-25).
    Line,
    /// `cac:PayeeParty` (BG-10).
    Payee,
    /// `cac:PaymentMeans` (BG-16).
    PaymentInstructions,
    /// `cac:BillingReference` (BG-3).
    PrecedingInvoice,
    /// `cac:TaxRepresentativeParty` (BG-11).
    TaxRepresentative,
    /// `cac:TaxSubtotal` (BG-23).
    TaxSubtotal,
}

/// What an element name means to the rules of this module, decided once per name of a
/// document: the walk asks for every element, and a string `match` per element cost more
/// than the counting itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Not decided yet.
    Unknown,
    /// Nothing.
    None,
    /// `cbc:PaymentID` (UBL-SR-44).
    PaymentId,
    /// `cbc:PaymentMeansCode` (UBL-SR-47).
    PaymentMeansCode,
    /// `cac:Party`: the seller group when its parent is `cac:AccountingSupplierParty`.
    Party,
    /// `cac:AllowanceCharge`: an allowance or a charge, as its indicator says.
    AllowanceCharge,
    /// Always this group.
    Group(Group),
}

impl Role {
    /// The role of `node`'s name, judged from its namespace and local name only.
    fn of_name(node: Node<'_, '_>) -> Role {
        let Some(ns @ (Ns::Cac | Ns::Cbc)) = Ns::of(node) else {
            return Role::None;
        };
        let local = node.tag_name().name();
        if ns == Ns::Cbc {
            return match local {
                "PaymentID" => Role::PaymentId,
                "PaymentMeansCode" => Role::PaymentMeansCode,
                _ => Role::None,
            };
        }
        Role::Group(match local {
            "PostalAddress" | "Address" => Group::Address,
            "Party" => return Role::Party,
            "AdditionalDocumentReference" => Group::SupportingDocument,
            "Delivery" => Group::DeliverTo,
            "AllowanceCharge" => return Role::AllowanceCharge,
            "PartyTaxScheme" => Group::PartyTaxScheme,
            "InvoiceLine" | "CreditNoteLine" => Group::Line,
            "PayeeParty" => Group::Payee,
            "PaymentMeans" => Group::PaymentInstructions,
            "BillingReference" => Group::PrecedingInvoice,
            "TaxRepresentativeParty" => Group::TaxRepresentative,
            "TaxSubtotal" => Group::TaxSubtotal,
            _ => return Role::None,
        })
    }

    /// The group `node`, whose name has this role, opens, if any. Each element belongs to
    /// one group at most, as in Schematron, where only the first rule whose context matches
    /// judges a node: an allowance-or-charge with both a false and a true indicator is an
    /// allowance.
    fn group(self, node: Node<'_, '_>) -> Option<Group> {
        match self {
            Role::Group(group) => Some(group),
            Role::Party => {
                let parent = node.parent_element()?;
                tree::is(parent, Ns::Cac, "AccountingSupplierParty").then_some(Group::Seller)
            }
            Role::AllowanceCharge => {
                let indicators =
                    || tree::children(node, Ns::Cbc, "ChargeIndicator").filter_map(boolean);
                if indicators().any(|b| !b) {
                    Some(Group::Allowance)
                } else if indicators().any(|b| b) {
                    Some(Group::Charge)
                } else {
                    None
                }
            }
            Role::Unknown | Role::None | Role::PaymentId | Role::PaymentMeansCode => None,
        }
    }
}

/// The value of an `xs:boolean`, or `None` when the text is not one (then the official
/// comparison with `true()`/`false()` fails, and the element is in neither group).
fn boolean(node: Node<'_, '_>) -> Option<bool> {
    let is = |lexical| tree::trimmed_text_is(node, lexical);
    if is("true") || is("1") {
        Some(true)
    } else if is("false") || is("0") {
        Some(false)
    } else {
        None
    }
}

/// No upper limit.
const MANY: u32 = u32::MAX;

/// Within each group element: between `.3` and `.4` nodes on the path `.2` (from the group
/// element). Rows with the same rule are one test: it fails, once, when any row fails.
#[rustfmt::skip]
pub(super) const GROUP: &[(Group, &str, &str, u32, u32)] = &[
    (Group::Address, "UBL-SR-51", "cac:AddressLine", 0, 1),
    (Group::Seller, "UBL-SR-42", "cac:PartyTaxScheme", 0, 2),
    (Group::SupportingDocument, "UBL-SR-33", "cbc:DocumentDescription", 0, 1),
    (Group::DeliverTo, "UBL-SR-25", "cac:DeliveryParty/cac:PartyName/cbc:Name", 0, 1),
    (Group::Allowance, "UBL-SR-30", "cbc:AllowanceChargeReason", 0, 1),
    (Group::Charge, "UBL-SR-31", "cbc:AllowanceChargeReason", 0, 1),
    (Group::PartyTaxScheme, "UBL-SR-53", "cac:TaxScheme/cbc:ID", 1, MANY),
    (Group::PartyTaxScheme, "UBL-SR-53", "cbc:CompanyID", 1, MANY),
    (Group::Line, "UBL-SR-34", "cbc:Note", 0, 1),
    (Group::Line, "UBL-SR-35", "cac:OrderLineReference/cbc:LineID", 0, 1),
    (Group::Line, "UBL-SR-36", "cac:InvoicePeriod", 0, 1),
    (Group::Line, "UBL-SR-37", "cac:Price/cac:AllowanceCharge/cbc:Amount", 0, 1),
    (Group::Line, "UBL-SR-48", "cac:Item/cac:ClassifiedTaxCategory", 1, 1),
    (Group::Line, "UBL-SR-50", "cac:Item/cbc:Description", 0, 1),
    (Group::Line, "UBL-SR-52", "cac:DocumentReference", 0, 1),
    (Group::Payee, "UBL-SR-19", "cac:PartyName/cbc:Name", 0, 1),
    (Group::Payee, "UBL-SR-20", "cac:PartyIdentification/cbc:ID[non-sepa]", 0, 1),
    (Group::Payee, "UBL-SR-21", "cac:PartyLegalEntity/cbc:CompanyID", 0, 1),
    (Group::PaymentInstructions, "UBL-SR-26", "cbc:PaymentID", 0, 1),
    (Group::PaymentInstructions, "UBL-SR-27", "cbc:PaymentMeansCode", 0, 1),
    (Group::PaymentInstructions, "UBL-SR-28", "cac:PaymentMandate/cbc:ID", 0, 1),
    (Group::PrecedingInvoice, "UBL-SR-06", "cac:InvoiceDocumentReference", 0, 1),
    (Group::PrecedingInvoice, "UBL-SR-07", "cac:InvoiceDocumentReference/cbc:ID", 1, MANY),
    (Group::TaxRepresentative, "UBL-SR-22", "cac:PartyName/cbc:Name", 0, 1),
    (Group::TaxRepresentative, "UBL-SR-23", "cac:PartyTaxScheme/cbc:CompanyID", 0, 1),
    (Group::TaxSubtotal, "UBL-SR-32", "cac:TaxCategory/cbc:TaxExemptionReason", 0, 1),
];

/// A parsed row of [`GROUP`].
#[derive(Debug)]
pub(super) struct GroupLimit {
    group: Group,
    rule: &'static str,
    path: Path,
    /// The steps' element names in the automaton of the walk.
    symbols: Vec<Symbol>,
    least: u32,
    most: u32,
}

/// Parses [`GROUP`], naming the steps in `automaton`; a row whose path does not parse is
/// left out (the table tests catch it).
pub(super) fn group_limits(automaton: &mut Automaton) -> Vec<GroupLimit> {
    GROUP
        .iter()
        .filter_map(|&(group, rule, path, least, most)| {
            let parsed = Path::parse(path);
            debug_assert!(parsed.is_some(), "{rule}: bad path {path}");
            let path = parsed?;
            let symbols = path.steps.iter().map(|s| automaton.intern(s)).collect();
            Some(GroupLimit {
                group,
                rule,
                path,
                symbols,
                least,
                most,
            })
        })
        .collect()
}

/// The values of an element that may repeat with one value only, e.g. the payment
/// reference: it may be given in every payment means, but must be the same each time.
#[derive(Default)]
struct Distinct<'a, 'input> {
    first: Option<Node<'a, 'input>>,
    fired: bool,
}

impl<'a, 'input> Distinct<'a, 'input> {
    /// Reports `rule` at `node` the first time a second value shows up.
    fn see(&mut self, cx: &mut Check<'_, '_>, rule: &'static str, node: Node<'a, 'input>) {
        match self.first {
            None => self.first = Some(node),
            Some(first) if !self.fired && !tree::same_text(first, node) => {
                self.fired = true;
                cx.fail_node(rule, node);
            }
            Some(_) => {}
        }
    }
}

/// What the registration names of a seller share, for comparing a payee with it.
#[derive(Clone, Copy)]
enum SellerNames<'a, 'input> {
    /// None at all.
    None,
    /// One or more, all with the text of this one.
    Same(Node<'a, 'input>),
    /// At least two different texts.
    Mixed,
}

/// The UBL-SR state of one walk.
pub(super) struct Cardinality<'m, 'a, 'input> {
    limits: &'m [GroupLimit],
    credit_note: bool,
    payment_id: Distinct<'a, 'input>,
    payment_means_code: Distinct<'a, 'input>,
    /// Seller registration names per parent of a payee, so that many payees under one
    /// parent cost one look at its children.
    sellers: HashMap<NodeId, SellerNames<'a, 'input>>,
    /// The role of each element name of the document, by name id.
    roles: Vec<Role>,
}

/// The most rows of [`GROUP`] one group has (a test keeps the table within it).
const MOST_ROWS: usize = 8;

impl<'m, 'a, 'input> Cardinality<'m, 'a, 'input> {
    /// A walk over a document whose root is a credit note or not, with `names` distinct
    /// element names.
    pub(super) fn new(limits: &'m [GroupLimit], credit_note: bool, names: usize) -> Self {
        Cardinality {
            limits,
            credit_note,
            payment_id: Distinct::default(),
            payment_means_code: Distinct::default(),
            sellers: HashMap::new(),
            roles: vec![Role::Unknown; names],
        }
    }

    /// The role of `node`'s name, decided on the name's first element.
    fn role(&mut self, node: Node<'_, '_>) -> Role {
        let Some(slot) = node.name_id().and_then(|id| self.roles.get_mut(id.index())) else {
            return Role::None;
        };
        if *slot == Role::Unknown {
            *slot = Role::of_name(node);
        }
        *slot
    }

    /// Judges the element the walk enters.
    /// `run` is the walk's automaton run, which knows the document's element names.
    pub(super) fn open(&mut self, cx: &mut Check<'_, '_>, node: Node<'a, 'input>, run: &Run<'_>) {
        let role = self.role(node);
        match role {
            Role::PaymentId => self.payment_id.see(cx, "UBL-SR-44", node),
            Role::PaymentMeansCode => self.payment_means_code.see(cx, "UBL-SR-47", node),
            _ => {}
        }
        let Some(group) = role.group(node) else {
            return;
        };
        // UBL-SR-19/20/21 hold only "if the payee is different from the seller", and the
        // official test makes that part of each rule: a payee named like the seller, or
        // without a name to compare, fails all three.
        let condition = group != Group::Payee || self.differs_from_seller(node);
        // The table keeps a group's rows together.
        let first = self.limits.iter().position(|l| l.group == group);
        let first = first.unwrap_or(self.limits.len());
        let rows = self.limits.get(first..).unwrap_or(&[]);
        let rows = rows.get(..rows.iter().take_while(|l| l.group == group).count());
        let rows = rows.unwrap_or(&[]);
        let counts = count_rows(node, rows, run);
        let within = |i: usize, limit: &GroupLimit| {
            let n = counts.get(i).copied().unwrap_or(0);
            (limit.least as usize..=limit.most as usize).contains(&n)
        };
        let mut rows = rows.iter().enumerate().peekable();
        while let Some((i, row)) = rows.next() {
            let mut ok = condition && within(i, row);
            while let Some((j, next)) = rows.next_if(|(_, n)| n.rule == row.rule) {
                ok = ok && within(j, next);
            }
            if !ok {
                cx.fail_node(row.rule, node);
            }
        }
        if group == Group::SupportingDocument && !self.scheme_fits_document_type(node) {
            cx.fail_node("UBL-SR-43", node);
        }
    }

    /// UBL-SR-43: a scheme identifier belongs to the invoiced object identifier only: the
    /// reference has type code 130 (or 50 in a credit note), or has neither a type code nor
    /// a scheme on its identifier.
    fn scheme_fits_document_type(&self, node: Node<'_, '_>) -> bool {
        let codes = || tree::children(node, Ns::Cbc, "DocumentTypeCode");
        let has_code = |code| codes().any(|c| tree::text_is(c, code));
        let scheme = tree::children(node, Ns::Cbc, "ID").any(|id| id.has_attribute("schemeID"));
        has_code("130")
            || (self.credit_note && has_code("50"))
            || (!scheme && codes().next().is_none())
    }

    /// True when some payee name differs from some seller registration name (XPath `!=`
    /// between the two sequences: false when either is empty).
    fn differs_from_seller(&mut self, payee: Node<'a, 'input>) -> bool {
        let names = || {
            tree::children(payee, Ns::Cac, "PartyName")
                .flat_map(|n| tree::children(n, Ns::Cbc, "Name"))
        };
        let Some(first) = names().next() else {
            return false;
        };
        let seller = match payee.parent_element() {
            Some(parent) => *self
                .sellers
                .entry(parent.id())
                .or_insert_with(|| seller_names(parent)),
            None => SellerNames::None,
        };
        match seller {
            SellerNames::None => false,
            SellerNames::Mixed => true,
            SellerNames::Same(s) => {
                !tree::same_text(first, s) || names().any(|n| !tree::same_text(n, s))
            }
        }
    }
}

/// How many nodes each row's path reaches from the group element `node`, counted in one
/// pass over its children: walking them once per row cost more than the rest of the check
/// (a line has seven rows).
fn count_rows(node: Node<'_, '_>, rows: &[GroupLimit], run: &Run<'_>) -> [usize; MOST_ROWS] {
    debug_assert!(rows.len() <= MOST_ROWS);
    let mut counts = [0; MOST_ROWS];
    for child in node.children().filter(Node::is_element) {
        let symbol = run.symbol(child);
        for (count, row) in counts.iter_mut().zip(rows) {
            *count += row.path.count_via(child, symbol, &row.symbols, run);
        }
    }
    for (count, row) in counts.iter_mut().zip(rows) {
        if row.path.steps.is_empty() {
            *count = row.path.count_from(node, &row.symbols, run);
        }
    }
    counts
}

/// The seller registration names under `parent`:
/// `cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName`.
fn seller_names<'a, 'input>(parent: Node<'a, 'input>) -> SellerNames<'a, 'input> {
    let mut names = tree::children(parent, Ns::Cac, "AccountingSupplierParty")
        .flat_map(|n| tree::children(n, Ns::Cac, "Party"))
        .flat_map(|n| tree::children(n, Ns::Cac, "PartyLegalEntity"))
        .flat_map(|n| tree::children(n, Ns::Cbc, "RegistrationName"));
    let Some(first) = names.next() else {
        return SellerNames::None;
    };
    if names.any(|n| !tree::same_text(n, first)) {
        SellerNames::Mixed
    } else {
        SellerNames::Same(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_group_has_its_rows_together_and_few_enough() {
        // `Cardinality::open` takes a group's rows as one run of the table and counts them
        // in a fixed array.
        let mut seen: Vec<Group> = Vec::new();
        let mut run = 0;
        for (i, &(group, ..)) in GROUP.iter().enumerate() {
            let continues = i > 0 && GROUP.get(i - 1).is_some_and(|prev| prev.0 == group);
            if continues {
                run += 1;
            } else {
                assert!(!seen.contains(&group), "{group:?} rows are split");
                seen.push(group);
                run = 1;
            }
            assert!(run <= MOST_ROWS, "{group:?} has more than {MOST_ROWS} rows");
        }
    }
}

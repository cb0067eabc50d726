//! Document-wide facts that some assertions read (their tests use `//` or an absolute path):
//! gathered in the same walk, or found up front by walking down one fixed path.

use einvoice::xml::{Document, Node};

use super::context;
use super::xpath::{is_ram, normalized, same_normalized};

/// What the whole document says, for the assertions that look beyond their context.
pub(super) struct Facts {
    /// Some line's `BilledQuantity` has a `@unitCode` (CII-DT-033).
    pub(super) billed_quantity_unit: bool,
    /// `//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode`, whitespace-normalized.
    pub(super) payment_means_codes: Agreement,
    /// `//ram:SpecifiedTradeSettlementPaymentMeans/ram:Information`, whitespace-normalized.
    pub(super) payment_means_texts: Agreement,
    /// `//ram:ApplicableTradeTax/ram:DueDateTypeCode`, as written (`distinct-values`).
    pub(super) due_date_codes: Agreement,
    /// How many `//ram:ApplicableHeaderTradeSettlement/ram:PaymentReference` there are.
    pub(super) payment_references: u32,
}

/// Whether every value seen equals the first one.
#[derive(Default)]
pub(super) struct Agreement {
    first: Option<String>,
    differs: bool,
}

impl Agreement {
    /// True when two of the values seen differ.
    pub(super) fn differs(&self) -> bool {
        self.differs
    }

    fn see(&mut self, value: &str, normalize: bool) {
        match &self.first {
            None => {
                self.first = Some(if normalize {
                    normalized(value)
                } else {
                    value.to_string()
                })
            }
            Some(first) => {
                let same = if normalize {
                    same_normalized(first, value)
                } else {
                    first == value
                };
                self.differs |= !same;
            }
        }
    }
}

impl Facts {
    /// The facts found without the walk.
    pub(super) fn new(doc: &Document<'_>) -> Facts {
        Facts {
            billed_quantity_unit: context::billed_quantities(doc)
                .any(|q| q.attribute("unitCode").is_some()),
            payment_means_codes: Agreement::default(),
            payment_means_texts: Agreement::default(),
            due_date_codes: Agreement::default(),
            payment_references: 0,
        }
    }

    /// Takes in one element of the walk, in document order.
    pub(super) fn gather(&mut self, node: Node<'_, '_>) {
        let Some(parent) = node.parent() else { return };
        let local = node.tag_name().name();
        const MEANS: &str = "SpecifiedTradeSettlementPaymentMeans";
        let (fact, container, normalize) = match local {
            "TypeCode" => (&mut self.payment_means_codes, MEANS, true),
            "Information" => (&mut self.payment_means_texts, MEANS, true),
            "DueDateTypeCode" => (&mut self.due_date_codes, "ApplicableTradeTax", false),
            "PaymentReference" => {
                if is_ram(node, local) && is_ram(parent, "ApplicableHeaderTradeSettlement") {
                    self.payment_references += 1;
                }
                return;
            }
            _ => return,
        };
        if is_ram(node, local) && is_ram(parent, container) {
            fact.see(&node.string_value(), normalize);
        }
    }
}

//! The invoice as the Autopilot sees it: the few fields of the e-invoice model that predict a
//! posting. The hub maps its `einvoice` model into these types, which keeps this crate pure.

use rust_decimal::Decimal;

use crate::date::Day;

/// A purchase invoice or credit note to post.
#[derive(Debug, Clone, Default)]
pub struct InvoiceInput {
    /// The seller (for a purchase invoice, the creditor to be).
    pub supplier: Party,
    /// Issue date.
    pub date: Day,
    /// True for a credit note; its amounts are then refunds.
    pub credit_note: bool,
    /// The invoice lines.
    pub lines: Vec<LineInput>,
}

/// A trading party with the identifiers an e-invoice carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Party {
    /// Registered or trading name.
    pub name: String,
    /// An identifier of unknown kind, such as the relation number in the ledger or a published
    /// supplier id. Used as the memory key when present.
    pub id: Option<String>,
    /// Peppol participant id, `scheme:value` (e.g. `0106:12345678`).
    pub peppol_id: Option<String>,
    /// VAT number with country prefix (e.g. `NL123456789B01`).
    pub vat: Option<String>,
    /// Dutch Chamber of Commerce number (8 digits).
    pub kvk: Option<String>,
    /// Bank account (IBAN) the invoice asks to be paid to.
    pub iban: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: Option<String>,
}

/// One invoice line.
#[derive(Debug, Clone, Default)]
pub struct LineInput {
    /// Item name and description, joined.
    pub description: String,
    /// The seller's item id.
    pub seller_item_id: Option<String>,
    /// A standard item id such as a GTIN.
    pub standard_item_id: Option<String>,
    /// Item classification codes (UNSPSC, CPV, …).
    pub classification_codes: Vec<String>,
    /// Invoiced quantity.
    pub quantity: Option<Decimal>,
    /// Net line amount; negative for refunds.
    pub amount: Decimal,
    /// The line's VAT category and rate.
    pub vat: Option<VatInfo>,
}

/// VAT as the invoice states it (EN 16931 BT-151, BT-152, BT-121).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatInfo {
    /// UNCL5305 category code: `S`, `Z`, `E`, `AE` (reverse charge), `K` (intra-EU), `G`, `O`, `L`, `M`.
    pub category: String,
    /// Rate in percent.
    pub rate: Option<Decimal>,
    /// Exemption reason code (VATEX), where given.
    pub exemption_reason: Option<String>,
}

/// A line that was posted: the history the engine learns from, and what a correction teaches it.
#[derive(Debug, Clone, Default)]
pub struct Posting {
    /// The administration it was posted in.
    pub administration: String,
    /// Invoice or posting date.
    pub date: Day,
    /// The supplier as it was on the invoice.
    pub supplier: Party,
    /// The line.
    pub line: LineInput,
    /// The GL account it was posted to.
    pub account: String,
    /// The cost centre it was booked to, in an administration that books them.
    pub cost_centre: Option<String>,
}

impl Party {
    /// The key under which the engine remembers this supplier: its id when it has one, else its
    /// normalised name. Two spellings of one name meet; two companies with one name and
    /// different ids stay apart.
    pub fn memory_key(&self) -> u64 {
        let id = self.id.as_deref().map(str::trim).filter(|s| !s.is_empty());
        match id {
            Some(id) => crate::text::hash(&[b"id", id.as_bytes()]),
            None => crate::text::hash(&[b"name", crate::text::normalise(&self.name).as_bytes()]),
        }
    }
}

//! UN/CEFACT Cross Industry Invoice D16B: reading into and writing from the model.
//!
//! The mapping is the EN 16931 CII binding as the official CII Schematron applies it.
//! Where CII and the model are shaped differently, the choices are:
//!
//! - BT-110 and BT-111 are both `TaxTotalAmount`; every one goes into `vat_totals`.
//! - BT-7 (`TaxPointDate`) and BT-8 (`DueDateTypeCode`) sit in the header VAT breakdown;
//!   the first found is kept, and written into the first breakdown.
//! - `AdditionalReferencedDocument` with `TypeCode` 50 is BT-17, 130 is BT-18 (BT-128 at
//!   line level), any other is a BG-24 supporting document.
//! - BT-83 (`PaymentReference`), BT-89 (`DirectDebitMandateID`) and BT-90
//!   (`CreditorReferenceID`) are document level in CII but live in BG-16/BG-19 in the
//!   model: they are copied into every payment instruction, and BG-19 is present when any
//!   of BT-89..BT-91 is. Without a payment means element they have no place in the model.
//! - BG-13 is `ApplicableHeaderTradeDelivery`, which CII requires, so it is always present.
//! - BG-29 is anchored at the net price (the gross price when only that is given); BT-149
//!   is the net price's basis quantity, else the gross price's.

mod read;
mod write;

pub(crate) use read::read;
pub use write::write;

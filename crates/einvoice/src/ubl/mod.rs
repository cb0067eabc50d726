//! UBL 2.1 Invoice and CreditNote: reading into and writing from the model.
//!
//! Both directions follow the EN 16931-3-2 binding as Peppol BIS Billing 3.0 uses it; the
//! few places where UBL and the model are shaped differently (BT-21 inside the note text,
//! BT-90 among the party identifiers, BT-18 and a credit note's BT-11 among the additional
//! document references, a credit note's BT-9 in the payment means) are explained where
//! they are handled.

mod read; // tree → model, one pass over the children of each group
mod write; // model → XML text, in the element order of the UBL 2.1 schemas

pub(crate) use read::read;
pub use write::write;

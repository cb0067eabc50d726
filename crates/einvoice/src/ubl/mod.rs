//! UBL 2.1 Invoice and CreditNote: reading into and writing from the model.

mod read;
mod write;

pub use read::read;
pub use write::write;

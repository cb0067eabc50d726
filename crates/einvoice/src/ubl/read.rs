//! Maps a UBL tree onto the semantic model.

use roxmltree::Document;

use crate::Invoice;

/// Reads a UBL Invoice or CreditNote tree into the model.
pub fn read(_doc: &Document<'_>) -> Invoice {
    Invoice::default()
}

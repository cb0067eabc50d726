//! Writes the model as CII D16B (EN 16931 profile).

use crate::Invoice;

/// Writes `invoice` as a CII document.
pub fn write(_invoice: &Invoice) -> String {
    String::new()
}

//! Syntax rules of EN 16931: what the UBL and CII bindings allow (UBL-SR, UBL-CR, UBL-DT,
//! CII-SR, CII-DT). These judge the XML tree, not the model.

mod cii;
mod ubl;

use crate::Check;

/// Runs the syntax rules of the document's syntax.
pub fn check(cx: &mut Check<'_, '_>) {
    if cx.syntax().is_ubl() {
        ubl::check(cx);
    } else {
        cii::check(cx);
    }
}

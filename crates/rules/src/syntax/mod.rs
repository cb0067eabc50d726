//! Syntax rules of EN 16931: what the UBL and CII bindings allow (UBL-SR, UBL-CR, UBL-DT,
//! CII-SR, CII-DT). These judge the XML tree, not the model. With them runs the schema
//! cardinality check (`POSTBODE-SCHEMA`), which mirrors the official XSD step.

mod cii;
mod schema;
mod ubl;

use crate::Check;

/// Runs the syntax rules of the document's syntax.
pub fn check(cx: &mut Check<'_, '_>) {
    schema::check(cx);
    if cx.syntax().is_ubl() {
        ubl::check(cx);
    } else {
        cii::check(cx);
    }
}

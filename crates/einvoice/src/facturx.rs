//! Factur-X / ZUGFeRD: finding the invoice XML embedded in a PDF.

use crate::Error;

/// Returns the invoice XML embedded in a Factur-X/ZUGFeRD PDF.
pub fn extract(_pdf: &[u8]) -> Result<Vec<u8>, Error> {
    Err(Error::Pdf("not implemented".into()))
}

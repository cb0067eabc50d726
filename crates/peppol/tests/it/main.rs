//! Integration tests of the peppol crate, one module per topic.

/// The generated tables against the code lists themselves, read in place.
mod codelist;
/// Every identifier survives its text form, and hostile input never panics.
mod robustness;

//! Integration tests of the peppol crate, one module per topic.

/// AS4 sending and receiving end to end, against ourselves and the `as4` package; hostile
/// requests; the SML → SMP → endpoint lookup.
mod as4;
/// The generated tables against the code lists themselves, read in place.
mod codelist;
/// Helpers that drive the independent Python implementations (peppol-py, as4).
mod peers;
/// Every identifier survives its text form, and hostile input never panics.
mod robustness;
/// The Peppol envelope (SBDH) against itself, the `as4` package and broken input.
mod sbdh;
/// XML security (c14n, signatures, encryption, AS4 security headers) against libxml2, python-xmlsec, as4 and peppol-py.
mod security;
/// SML naming and lookup against a real DNS server and peppol-py.
mod sml;
/// SMP documents, paths and endpoint choice.
mod smp;
/// The SMP client against real HTTP(S) servers, and peppol-py reading what we serve.
mod smp_client;

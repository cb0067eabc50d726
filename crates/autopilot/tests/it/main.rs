//! Integration tests of the autopilot crate, one module per topic.

/// Synthetic firms: fictional suppliers and accounts, generated deterministically.
mod common;
/// Cost centres learned from earlier lines on the same account.
mod cost_centre;
/// The development data, read in place when it is present.
mod devdata;
/// Whole-invoice proposals: rules, guards, learning, relations, VAT.
mod proposal;
/// Hostile and degenerate input never panics.
mod robustness;

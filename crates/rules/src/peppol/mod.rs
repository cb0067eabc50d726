//! Peppol BIS Billing 3.0: PEPPOL-EN16931-*, PEPPOL-COMMON-* and the national rules.

use crate::Check;

/// Runs the Peppol BIS Billing 3.0 rules.
pub fn check(_cx: &mut Check<'_, '_>) {}

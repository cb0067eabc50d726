//! UBL-SR, UBL-CR and UBL-DT.

use crate::Check;

/// Runs the UBL syntax rules.
pub fn check(_cx: &mut Check<'_, '_>) {}

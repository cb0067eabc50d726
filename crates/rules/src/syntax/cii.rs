//! CII-SR and CII-DT.

use crate::Check;

/// Runs the CII syntax rules.
pub fn check(_cx: &mut Check<'_, '_>) {}

//! SI-UBL 2.0 / NLCIUS: the Dutch BR-NL-* rules.

use crate::Check;

/// Runs the SI-UBL 2.0 rules.
pub fn check(_cx: &mut Check<'_, '_>) {}

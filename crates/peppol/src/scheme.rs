//! Participant identifier schemes: what the Peppol code list says about each ISO 6523 ICD.

use std::fmt;
use std::hash::{Hash, Hasher};

use crate::State;
use crate::check::Check;
use crate::generated::schemes::SCHEMES;
use crate::pattern::Pattern;

/// One participant identifier scheme of the Peppol code list.
///
/// Two entries depart from the code list on purpose (see `scripts/gen_peppol_tables.py`):
/// 0106 (NL:KVK) takes the 8-digit KvK number that Dutch participants register under it, where
/// the list states a 17-digit form with mod 97 check digits, and 9944 (NL:VAT) gets the Dutch
/// VAT number's structure (`NL`, 9 digits, `B`, 2 digits), for which the list states none.
#[derive(Debug)]
pub struct Scheme {
    /// The ISO 6523 International Code Designator, e.g. `0106`.
    pub icd: &'static str,
    /// The scheme id, e.g. `NL:KVK`.
    pub id: &'static str,
    /// The ISO 3166 country code, or `international`.
    pub country: &'static str,
    /// The scheme's full name.
    pub name: &'static str,
    /// Whether the scheme may still be used.
    pub state: State,
    /// The code-list release that deprecated the scheme.
    pub deprecated_in: Option<&'static str>,
    /// The date the scheme was (or will be) removed, `YYYY-MM-DD`.
    pub removal_date: Option<&'static str>,
    /// Whether participants may register identifiers of this scheme in an SMP.
    pub registrable: bool,
    /// The check-digit algorithm.
    pub check: Check,
    /// The structure a value must have, where the code list states one.
    pub pattern: Option<Pattern>,
}

impl Scheme {
    /// The scheme with this ICD, e.g. `0106`.
    pub fn by_icd(icd: &str) -> Option<&'static Scheme> {
        SCHEMES
            .binary_search_by(|s| s.icd.cmp(icd))
            .ok()
            .and_then(|i| SCHEMES.get(i))
    }

    /// Every scheme of the code list, sorted by ICD.
    pub fn all() -> &'static [Scheme] {
        &SCHEMES
    }
}

/// `0106 (NL:KVK)`: the form messages use.
impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.icd, self.id)
    }
}

// The ICD identifies an entry; comparing the rest would only cost time.
impl PartialEq for Scheme {
    fn eq(&self, other: &Self) -> bool {
        self.icd == other.icd
    }
}

impl Eq for Scheme {}

impl Hash for Scheme {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.icd.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_by_icd() {
        let kvk = Scheme::by_icd("0106").unwrap();
        assert_eq!(kvk.id, "NL:KVK");
        assert_eq!(kvk.to_string(), "0106 (NL:KVK)");
        assert_eq!(kvk.state, State::Active);
        assert!(Scheme::by_icd("0107").is_none());
        assert!(Scheme::by_icd("").is_none());
    }

    #[test]
    fn the_table_is_sorted_and_unique() {
        assert!(Scheme::all().windows(2).all(|w| w[0].icd < w[1].icd));
    }

    #[test]
    fn dutch_schemes() {
        let shape = |icd| {
            Scheme::by_icd(icd)
                .unwrap()
                .pattern
                .as_ref()
                .unwrap()
                .shape()
        };
        assert_eq!(shape("0106"), "8 digits");
        assert_eq!(shape("0190"), "20 digits");
        assert_eq!(
            shape("9944"),
            "'NL', then 9 digits, then 'B', then 2 digits"
        );
        assert_eq!(Scheme::by_icd("9954").unwrap().state, State::Removed);
    }
}

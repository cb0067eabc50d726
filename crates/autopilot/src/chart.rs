//! Charts of accounts, and mapping an account of one administration onto another's chart.
//!
//! Cold start borrows what the firm's other administrations posted for a supplier, but their
//! charts differ. An account is mapped through the Dutch standard chart (RGS) when both sides
//! have an RGS code, and otherwise through the similarity of account names.

use crate::text;

/// A GL account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Account {
    /// The ledger's account code, as postings name it.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its RGS reference code (e.g. `WBedHuiHur`), where the chart is mapped to RGS.
    pub rgs: Option<String>,
}

/// An administration's chart of accounts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chart {
    /// The accounts.
    pub accounts: Vec<Account>,
}

/// How a foreign account was mapped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mapping {
    /// The same code and name exist in this chart.
    Same,
    /// Both accounts carry the same RGS code.
    Rgs,
    /// The names are this similar, in [0, 1].
    Name(f64),
}

/// Names at least this similar map onto each other.
const NAME_MAPPING: f64 = 0.75;

impl Chart {
    /// The account with this code.
    pub fn get(&self, code: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.code == code)
    }

    /// Maps another administration's account onto this chart, or `None` when nothing fits well.
    pub fn map(&self, foreign: &Account) -> Option<(&Account, Mapping)> {
        if let Some(a) = self
            .get(&foreign.code)
            .filter(|a| text::normalise(&a.name) == text::normalise(&foreign.name))
        {
            return Some((a, Mapping::Same));
        }
        if let Some(rgs) = foreign.rgs.as_deref() {
            let same: Vec<&Account> = self
                .accounts
                .iter()
                .filter(|a| a.rgs.as_deref() == Some(rgs))
                .collect();
            // Several accounts under one RGS code: the caller's frequencies should decide, so the
            // first is only taken when it is the only one.
            if let [one] = same.as_slice() {
                return Some((one, Mapping::Rgs));
            }
        }
        self.accounts
            .iter()
            .map(|a| (a, text::name_similarity(&a.name, &foreign.name)))
            .filter(|(_, s)| *s >= NAME_MAPPING)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(a, s)| (a, Mapping::Name(s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(code: &str, name: &str, rgs: Option<&str>) -> Account {
        Account {
            code: code.into(),
            name: name.into(),
            rgs: rgs.map(Into::into),
        }
    }

    #[test]
    fn maps_by_rgs_then_name() {
        let chart = Chart {
            accounts: vec![
                acc("4100", "Huur bedrijfspand", Some("WBedHuiHur")),
                acc("4500", "Telefoonkosten", None),
            ],
        };
        let by_rgs = chart.map(&acc("7010", "Huisvesting", Some("WBedHuiHur")));
        assert!(matches!(by_rgs, Some((a, Mapping::Rgs)) if a.code == "4100"));
        let by_name = chart.map(&acc("6200", "Telefoon kosten", None));
        assert!(
            matches!(by_name, Some((a, Mapping::Name(_))) if a.code == "4500"),
            "{by_name:?}"
        );
        assert_eq!(chart.map(&acc("9999", "Afschrijvingen", None)), None);
    }
}

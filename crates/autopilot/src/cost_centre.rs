//! The cost centre of a line, learned from where the administration's earlier lines on the same
//! account were booked.
//!
//! A cost centre follows the account more than anything else: in most administrations an
//! account is booked to one centre, or to none. The supplier refines that: a supplier whose lines
//! on the account went to another centre keeps its own. So the evidence is the supplier's earlier
//! lines on the proposed account when there are any, else all lines on that account; when both
//! name the same centre, the larger record says how sure it is.
//!
//! "No cost centre" is a value like any other: an account that was mostly booked without one
//! gets no proposal, and one that was booked both ways is uncertain. An administration that never
//! booked a cost centre on the account gets nothing at all, so the feature costs nothing where
//! centres are not used.

use std::fmt;

use crate::memory::{AccountId, AdminId, CentreCounts, Memory};

/// What earlier lines say about the cost centre of a line posted to one account.
#[derive(Debug, Clone, PartialEq)]
pub struct CentreEvidence {
    /// The centre most of those lines went to; `None` when most had none.
    pub centre: Option<String>,
    /// How many earlier lines the evidence counts.
    pub lines: u32,
    /// How many of them went to `centre`.
    pub matching: u32,
    /// Whether the lines are the supplier's own (else all lines on the account).
    pub of_supplier: bool,
}

impl CentreEvidence {
    /// The probability that the next line goes to `centre` too, by the rule of succession: one
    /// earlier line gives 2/3, nineteen alike give 20/21 (0.95), never certainty.
    pub fn confidence(&self) -> f64 {
        f64::from(self.matching + 1) / f64::from(self.lines + 2)
    }

    /// The share of the lines that went to `centre`.
    pub fn share(&self) -> f64 {
        f64::from(self.matching) / f64::from(self.lines.max(1))
    }
}

impl fmt::Display for CentreEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whose = if self.of_supplier {
            " of this supplier"
        } else {
            ""
        };
        let what = match &self.centre {
            Some(centre) => format!("went to cost centre {centre}"),
            None => "had no cost centre".to_owned(),
        };
        write!(
            f,
            "{} of {} earlier lines{whose} on this account {what}",
            self.matching, self.lines
        )
    }
}

/// The evidence for a line of `supplier` (its memory key) posted to `account`, or `None` when the
/// administration never booked a cost centre on that account.
pub fn evidence(
    memory: &Memory,
    admin: AdminId,
    supplier: u64,
    account: AccountId,
) -> Option<CentreEvidence> {
    let on_account = memory.account_centres.get(&(admin, account))?;
    let account_lines = memory
        .admin
        .get(admin as usize)
        .and_then(|a| a.accounts.get(account))
        .map_or(0, |t| t.count);
    let general = weigh(memory, on_account, account_lines, false);
    let supplier_lines = memory
        .suppliers
        .get(&(admin, supplier))
        .and_then(|s| s.accounts.get(account))
        .map_or(0, |t| t.count);
    if supplier_lines == 0 {
        return Some(general);
    }
    let empty = CentreCounts::default();
    let own = memory
        .supplier_centres
        .get(&(admin, supplier, account))
        .unwrap_or(&empty);
    let own = weigh(memory, own, supplier_lines, true);
    let agree = own.centre == general.centre;
    Some(if agree && general.confidence() > own.confidence() {
        general
    } else {
        own
    })
}

/// The most common value among `lines` lines of which `counts` had a cost centre.
fn weigh(memory: &Memory, counts: &CentreCounts, lines: u32, of_supplier: bool) -> CentreEvidence {
    // Both counts grow together in `Memory::learn`; the max keeps the subtraction safe anyway.
    let lines = lines.max(counts.total());
    let without = lines - counts.total();
    match counts.most() {
        Some((centre, n)) if n > without => CentreEvidence {
            centre: Some(memory.centres.name(centre).to_owned()),
            lines,
            matching: n,
            of_supplier,
        },
        _ => CentreEvidence {
            centre: None,
            lines,
            matching: without,
            of_supplier,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Day;
    use crate::invoice::{LineInput, Party, Posting};

    fn learn(memory: &mut Memory, supplier: &str, account: &str, centre: Option<&str>) {
        memory.learn(&Posting {
            administration: "A".into(),
            date: Day::from_civil(2024, 1, 1),
            supplier: Party {
                name: supplier.into(),
                ..Party::default()
            },
            line: LineInput::default(),
            account: account.into(),
            cost_centre: centre.map(str::to_owned),
        });
    }

    fn ask(memory: &Memory, supplier: &str, account: &str) -> Option<CentreEvidence> {
        let key = Party {
            name: supplier.into(),
            ..Party::default()
        }
        .memory_key();
        let admin = memory.admins.get("A")?;
        evidence(memory, admin, key, memory.accounts.get(account)?)
    }

    #[test]
    fn an_account_never_booked_to_a_centre_gets_nothing() {
        let mut m = Memory::default();
        learn(&mut m, "Garage", "4500", None);
        learn(&mut m, "Garage", "4600", Some("WERKPLAATS"));
        assert_eq!(ask(&m, "Garage", "4500"), None);
        assert!(ask(&m, "Garage", "4600").is_some());
    }

    #[test]
    fn the_supplier_keeps_its_own_centre_on_a_shared_account() {
        let mut m = Memory::default();
        for _ in 0..30 {
            learn(&mut m, "Drukkerij", "4300", Some("MARKETING"));
        }
        for _ in 0..3 {
            learn(&mut m, "Kantoorboek", "4300", Some("ICT"));
        }
        let own = ask(&m, "Kantoorboek", "4300").unwrap();
        assert_eq!(own.centre.as_deref(), Some("ICT"));
        assert!(own.of_supplier);
        // A supplier new on the account gets the account's centre.
        let new = ask(&m, "Nieuw", "4300").unwrap();
        assert_eq!(new.centre.as_deref(), Some("MARKETING"));
        assert!(!new.of_supplier);
        assert_eq!((new.matching, new.lines), (30, 33));
    }

    #[test]
    fn agreement_takes_the_larger_record_and_no_centre_is_a_value() {
        let mut m = Memory::default();
        for _ in 0..40 {
            learn(&mut m, "Energie", "4100", Some("PAND"));
        }
        learn(&mut m, "Water", "4100", Some("PAND"));
        let e = ask(&m, "Water", "4100").unwrap();
        assert_eq!((e.matching, e.lines, e.of_supplier), (41, 41, false));
        assert!(e.confidence() > 0.97, "{}", e.confidence());

        for _ in 0..5 {
            learn(&mut m, "Bank", "4100", None);
        }
        learn(&mut m, "Bank", "4100", Some("PAND"));
        let e = ask(&m, "Bank", "4100").unwrap();
        assert_eq!(e.centre, None);
        assert_eq!((e.matching, e.lines), (5, 6));
        assert_eq!(
            e.to_string(),
            "5 of 6 earlier lines of this supplier on this account had no cost centre"
        );
    }
}

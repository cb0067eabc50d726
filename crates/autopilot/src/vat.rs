//! VAT code derivation: deterministic, from the invoice's VAT category and rate, where the
//! supplier sits and the exemption reason. A learned guess is worse than an honest "unknown"
//! here, because a wrong VAT code ends up in the VAT return.

use rust_decimal::Decimal;

use crate::invoice::VatInfo;

/// Where the supplier sits, seen from the administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// Same country.
    Domestic,
    /// Another EU member state.
    Eu,
    /// Outside the EU.
    NonEu,
}

/// One row of an administration's VAT code table. Unset fields match anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatCodeEntry {
    /// The ledger's VAT code.
    pub code: String,
    /// UNCL5305 category.
    pub category: String,
    /// Rate in percent.
    pub rate: Option<Decimal>,
    /// Supplier region.
    pub region: Option<Region>,
    /// Exemption reason code (VATEX).
    pub exemption_reason: Option<String>,
}

/// An administration's VAT codes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VatCodeTable {
    /// The administration's country (ISO 3166-1 alpha-2).
    pub home_country: String,
    /// The codes.
    pub entries: Vec<VatCodeEntry>,
}

/// The derived VAT code, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VatDerivation {
    /// Exactly one code fits.
    Derived {
        /// The code.
        code: String,
        /// What it was derived from.
        because: String,
    },
    /// No code, or more than one, fits.
    Unknown {
        /// Why.
        reason: String,
    },
}

const EU: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

impl VatCodeTable {
    /// The supplier's region; unknown country counts as domestic only when the category says so.
    pub fn region(&self, country: Option<&str>) -> Option<Region> {
        let c = country?.trim().to_ascii_uppercase();
        // Greece is "EL" in VAT numbers and "GR" in ISO 3166.
        let c = if c == "EL" { "GR".to_owned() } else { c };
        Some(if c == self.home_country.trim().to_ascii_uppercase() {
            Region::Domestic
        } else if EU.contains(&c.as_str()) {
            Region::Eu
        } else {
            Region::NonEu
        })
    }

    /// Derives the code for a line's VAT data and the supplier's country. The most specific
    /// fitting entry wins; a tie between different codes is unknown.
    pub fn derive(&self, vat: Option<&VatInfo>, supplier_country: Option<&str>) -> VatDerivation {
        let Some(vat) = vat else {
            return VatDerivation::Unknown {
                reason: "the line states no VAT category".to_owned(),
            };
        };
        let region = self.region(supplier_country);
        let category = vat.category.trim().to_ascii_uppercase();
        let mut best: Vec<(usize, &VatCodeEntry)> = Vec::new();
        for e in &self.entries {
            let fits = e.category.eq_ignore_ascii_case(&category)
                && e.rate.is_none_or(|r| vat.rate.is_some_and(|v| v == r))
                && e.region.is_none_or(|r| region == Some(r))
                && e.exemption_reason.as_ref().is_none_or(|x| {
                    vat.exemption_reason
                        .as_ref()
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case(x.trim()))
                });
            if fits {
                let specificity = usize::from(e.rate.is_some())
                    + usize::from(e.region.is_some())
                    + usize::from(e.exemption_reason.is_some());
                best.push((specificity, e));
            }
        }
        let top = best.iter().map(|(s, _)| *s).max();
        let winners: Vec<&VatCodeEntry> = best
            .iter()
            .filter(|(s, _)| Some(*s) == top)
            .map(|(_, e)| *e)
            .collect();
        let rate = vat.rate.map_or("no rate".to_owned(), |r| format!("{r}%"));
        match winners.as_slice() {
            [] => VatDerivation::Unknown {
                reason: format!("no VAT code for category {category} at {rate}"),
            },
            [one] => VatDerivation::Derived {
                code: one.code.clone(),
                because: format!(
                    "category {category} at {rate}, supplier {}",
                    match region {
                        Some(Region::Domestic) => "domestic",
                        Some(Region::Eu) => "in the EU",
                        Some(Region::NonEu) => "outside the EU",
                        None => "of unknown country",
                    }
                ),
            },
            many if many.iter().all(|e| e.code == many[0].code) => VatDerivation::Derived {
                code: many[0].code.clone(),
                because: format!("category {category} at {rate}"),
            },
            _ => VatDerivation::Unknown {
                reason: format!("several VAT codes fit category {category} at {rate}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        code: &str,
        category: &str,
        rate: Option<i64>,
        region: Option<Region>,
    ) -> VatCodeEntry {
        VatCodeEntry {
            code: code.into(),
            category: category.into(),
            rate: rate.map(Decimal::from),
            region,
            exemption_reason: None,
        }
    }

    fn table() -> VatCodeTable {
        VatCodeTable {
            home_country: "NL".into(),
            entries: vec![
                entry("V21", "S", Some(21), Some(Region::Domestic)),
                entry("V9", "S", Some(9), Some(Region::Domestic)),
                entry("VEU", "K", None, Some(Region::Eu)),
                entry("VRC", "AE", None, None),
                entry("VRC-EU", "AE", None, Some(Region::Eu)),
            ],
        }
    }

    fn info(category: &str, rate: Option<i64>) -> VatInfo {
        VatInfo {
            category: category.into(),
            rate: rate.map(Decimal::from),
            exemption_reason: None,
        }
    }

    #[test]
    fn derives_by_category_rate_and_region() {
        let t = table();
        assert!(
            matches!(t.derive(Some(&info("S", Some(21))), Some("NL")), VatDerivation::Derived { code, .. } if code == "V21")
        );
        assert!(
            matches!(t.derive(Some(&info("K", Some(0))), Some("DE")), VatDerivation::Derived { code, .. } if code == "VEU")
        );
        // The more specific reverse-charge entry wins for an EU supplier.
        assert!(
            matches!(t.derive(Some(&info("AE", None)), Some("BE")), VatDerivation::Derived { code, .. } if code == "VRC-EU")
        );
        assert!(
            matches!(t.derive(Some(&info("AE", None)), Some("US")), VatDerivation::Derived { code, .. } if code == "VRC")
        );
    }

    #[test]
    fn unknown_when_nothing_or_no_data_fits() {
        let t = table();
        assert!(matches!(
            t.derive(Some(&info("S", Some(21))), Some("US")),
            VatDerivation::Unknown { .. }
        ));
        assert!(matches!(
            t.derive(None, Some("NL")),
            VatDerivation::Unknown { .. }
        ));
        assert!(matches!(
            t.derive(Some(&info("S", Some(13))), Some("NL")),
            VatDerivation::Unknown { .. }
        ));
    }
}

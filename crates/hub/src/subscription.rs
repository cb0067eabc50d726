//! Subscriptions: Free, Basic and Professional, and the features each one unlocks.
//!
//! The gate is checked in the service layer ([`Tier::require`]), never only in the UI, so
//! the API and the web pages refuse the same things with the same message.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A subscription tier, from least to most.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// The invoice portal and manual sending, for one own organisation.
    Free,
    /// Authorisation requests, the email receiver and unlimited organisations.
    Basic,
    /// Administration detection, the Autopilot and extra recognition fields.
    Professional,
}

/// A feature that some tiers lack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// Sending authorisation requests to clients (the intermediary model).
    AuthorisationRequests,
    /// More than one own organisation.
    UnlimitedOrganisations,
    /// Receiving invoices by email.
    EmailReceiver,
    /// Routing a shared mailbox's documents to the right organisation.
    AdministrationDetection,
    /// Posting proposals and automatic posting.
    Autopilot,
    /// Extra recognition fields on scanned invoices.
    ExtraRecognitionFields,
}

impl Tier {
    /// Every tier, cheapest first.
    pub const ALL: [Tier; 3] = [Tier::Free, Tier::Basic, Tier::Professional];

    /// The tier's stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Free => "free",
            Tier::Basic => "basic",
            Tier::Professional => "professional",
        }
    }

    /// The tier's name as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Tier::Free => "Free",
            Tier::Basic => "Basic",
            Tier::Professional => "Professional",
        }
    }

    /// Parses a stored or wire name.
    pub fn parse(s: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Whether this tier includes `feature`.
    pub fn allows(self, feature: Feature) -> bool {
        self >= feature.tier()
    }

    /// `Ok` when this tier includes `feature`, otherwise the error that names the tier needed.
    pub fn require(self, feature: Feature) -> Result<()> {
        if self.allows(feature) {
            Ok(())
        } else {
            Err(Error::TierRequired {
                feature,
                tier: feature.tier(),
            })
        }
    }
}

impl Feature {
    /// Every gated feature.
    pub const ALL: [Feature; 6] = [
        Feature::AuthorisationRequests,
        Feature::UnlimitedOrganisations,
        Feature::EmailReceiver,
        Feature::AdministrationDetection,
        Feature::Autopilot,
        Feature::ExtraRecognitionFields,
    ];

    /// The lowest tier that includes the feature (DESIGN.md, glossary: Subscription).
    pub fn tier(self) -> Tier {
        match self {
            Feature::AuthorisationRequests
            | Feature::UnlimitedOrganisations
            | Feature::EmailReceiver => Tier::Basic,
            Feature::AdministrationDetection
            | Feature::Autopilot
            | Feature::ExtraRecognitionFields => Tier::Professional,
        }
    }

    /// The feature's name in a sentence.
    pub fn label(self) -> &'static str {
        match self {
            Feature::AuthorisationRequests => "Sending authorisation requests",
            Feature::UnlimitedOrganisations => "More than one organisation",
            Feature::EmailReceiver => "The email receiver",
            Feature::AdministrationDetection => "Administration detection",
            Feature::Autopilot => "The Autopilot",
            Feature::ExtraRecognitionFields => "Extra recognition fields",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_feature_opens_at_its_tier_and_stays_open_above() {
        for feature in Feature::ALL {
            for tier in Tier::ALL {
                assert_eq!(
                    tier.allows(feature),
                    tier >= feature.tier(),
                    "{feature:?} {tier:?}"
                );
            }
        }
        assert!(!Tier::Free.allows(Feature::AuthorisationRequests));
        assert!(Tier::Basic.allows(Feature::AuthorisationRequests));
        assert!(!Tier::Basic.allows(Feature::Autopilot));
    }

    #[test]
    fn refusal_names_the_tier_needed() {
        let e = Tier::Free
            .require(Feature::AuthorisationRequests)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Sending authorisation requests needs the Basic subscription or higher"
        );
        let e = Tier::Basic.require(Feature::Autopilot).unwrap_err();
        assert!(e.to_string().contains("Professional"));
    }

    #[test]
    fn names_round_trip() {
        for tier in Tier::ALL {
            assert_eq!(Tier::parse(tier.as_str()), Some(tier));
        }
        assert_eq!(Tier::parse("gold"), None);
    }
}

//! The business card an SMP publishes for the Peppol Directory: who the participant is, so
//! senders can find it by name (Peppol Directory business card, version 2018-06-21).

use einvoice::xml::{escape, escape_attribute};

use crate::ParticipantId;

/// The business card namespace (version 3, 2018-06-21).
pub const NS_BUSINESS_CARD: &str = "http://www.peppol.eu/schema/pd/businesscard/20180621/";

/// One legal entity of a participant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusinessEntity {
    /// The registered name.
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// When it registered, `YYYY-MM-DD`.
    pub registration_date: Option<String>,
}

/// The `BusinessCard` XML for `participant`.
pub fn business_card_xml(participant: &ParticipantId, entities: &[BusinessEntity]) -> String {
    let mut x = String::with_capacity(512);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BusinessCard xmlns=\"");
    x.push_str(NS_BUSINESS_CARD);
    x.push_str("\"><ParticipantIdentifier scheme=\"");
    escape_attribute(&mut x, crate::participant::SCHEME);
    x.push_str("\">");
    escape(&mut x, &participant.to_string());
    x.push_str("</ParticipantIdentifier>");
    for entity in entities {
        x.push_str("<BusinessEntity><Name>");
        escape(&mut x, &entity.name);
        x.push_str("</Name><CountryCode>");
        escape(&mut x, &entity.country);
        x.push_str("</CountryCode>");
        if let Some(date) = &entity.registration_date {
            x.push_str("<RegistrationDate>");
            escape(&mut x, date);
            x.push_str("</RegistrationDate>");
        }
        x.push_str("</BusinessEntity>");
    }
    x.push_str("</BusinessCard>");
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use einvoice::xml::{Limits, parse};

    #[test]
    fn names_the_participant_and_its_entities() -> Result<(), Box<dyn std::error::Error>> {
        let participant = ParticipantId::parse("0106:12345678")?;
        let xml = business_card_xml(
            &participant,
            &[BusinessEntity {
                name: "Bakker & Zn <B.V.>".into(),
                country: "NL".into(),
                registration_date: Some("2026-11-27".into()),
            }],
        );
        let doc = parse(xml.as_bytes(), Limits::default())?;
        let root = doc.root_element();
        assert!(root.has_tag_name((NS_BUSINESS_CARD, "BusinessCard")));
        let texts: Vec<&str> = root
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(
            texts,
            ["0106:12345678", "Bakker & Zn <B.V.>", "NL", "2026-11-27"]
        );
        Ok(())
    }
}

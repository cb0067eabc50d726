//! `serve --demo`: a living hub for a newcomer. It seeds one accountancy firm with several
//! client administrations through the real intermediary flow (request, acceptance, keys),
//! plus a month of transactions, so every page has something to show.

use sea_orm::{EntityTrait, PaginatorTrait};

use crate::Hub;
use crate::authorisation::{Decision, NewRequest, PaidBy};
use crate::entity::environment;
use crate::environment::SignUp;
use crate::error::Result;
use crate::organisation::{Details, Ledger};
use crate::principal::{Principal, Role};
use crate::subscription::Tier;
use crate::user::Invite;
use crate::wallet::Kind;

/// The demo firm's login.
#[derive(Clone, Debug)]
pub struct DemoLogin {
    /// Email address.
    pub email: String,
    /// Password (public: this is a demo).
    pub password: String,
}

/// The demo clients: name, KvK, package, who pays, and roughly how busy they are.
const CLIENTS: [(&str, &str, Ledger, PaidBy, u32); 6] = [
    (
        "Bakkerij Van Dijk B.V.",
        "12345678",
        Ledger::ExactOnline,
        PaidBy::Intermediary,
        40,
    ),
    (
        "Installatiebedrijf Jansen",
        "23456789",
        Ledger::Twinfield,
        PaidBy::Client,
        25,
    ),
    (
        "Huisartsenpraktijk De Linde",
        "34567890",
        Ledger::Yuki,
        PaidBy::Intermediary,
        12,
    ),
    (
        "Fietsenwinkel Bakker",
        "45678901",
        Ledger::Snelstart,
        PaidBy::Client,
        18,
    ),
    (
        "Architectenbureau Visser",
        "56789012",
        Ledger::EBoekhouden,
        PaidBy::Intermediary,
        8,
    ),
    (
        "Transportbedrijf Smit & Zn.",
        "67890123",
        Ledger::Afas,
        PaidBy::Intermediary,
        60,
    ),
];

/// Seeds the demo when the database has no environments yet; returns the login, or `None`
/// when there was data already (a demo never mixes into real data).
pub async fn seed(hub: &Hub) -> Result<Option<DemoLogin>> {
    if environment::Entity::find().count(hub.db()).await? > 0 {
        return Ok(None);
    }
    let login = DemoLogin {
        email: "demo@postbode.test".into(),
        password: "postbode-demo".into(),
    };
    let (firm, _) = hub
        .sign_up(SignUp {
            environment_name: "Administratiekantoor De Vries".into(),
            name: "Anna de Vries".into(),
            email: login.email.clone(),
            password: login.password.clone(),
            locale: Some("nl".into()),
        })
        .await?;
    let firm_env = firm.environment_id;
    let firm = Principal::User(firm);
    hub.set_tier(&firm, Tier::Professional).await?;
    hub.top_up(&Principal::System, firm_env, 25_000, "demo opening balance")
        .await?;
    hub.create_organisation(
        &firm,
        Details {
            name: "Administratiekantoor De Vries".into(),
            kvk: Some("90123456".into()),
            city: Some("Utrecht".into()),
            ledger: Ledger::ExactOnline,
            ..Details::default()
        },
    )
    .await?;
    hub.invite(
        &firm,
        Invite {
            email: "medewerker@postbode.test".into(),
            role: Role::Basic,
        },
    )
    .await?;
    for (i, (name, kvk, ledger, paid_by, busy)) in CLIENTS.into_iter().enumerate() {
        let email = format!("client{}@postbode.test", i + 1);
        let (client, _) = hub
            .sign_up(SignUp {
                environment_name: name.into(),
                name: format!("Eigenaar {name}"),
                email: email.clone(),
                password: login.password.clone(),
                locale: Some("nl".into()),
            })
            .await?;
        let client_env = client.environment_id;
        let client = Principal::User(client);
        if paid_by == PaidBy::Client {
            hub.top_up(
                &Principal::System,
                client_env,
                2_000,
                "demo opening balance",
            )
            .await?;
        }
        let (request, token) = hub
            .create_request(
                &firm,
                NewRequest {
                    ledger,
                    client_email: email,
                    client_name: name.into(),
                    kvk: Some(kvk.into()),
                    vat: None,
                    participant_id: None,
                    paid_by,
                },
            )
            .await?;
        // One client has not answered yet, so the wizard's pending state shows too.
        if i == CLIENTS.len() - 1 {
            continue;
        }
        hub.decide_authorisation(
            &client,
            Decision {
                token,
                accept: true,
                organisation_id: None,
            },
        )
        .await?;
        let accepted = hub.request_by_id(request.id).await?;
        if let Some(partnership) = accepted.partnership_id.filter(|_| i % 2 == 0) {
            hub.release_keys(&firm, partnership).await?;
        }
        let org = hub
            .partnerships(&firm)
            .await?
            .into_iter()
            .find(|p| p.organisation_name == name);
        if let Some(org) = org {
            for n in 0..busy {
                let kind = if n % 5 == 0 {
                    Kind::PdfConversion
                } else if n % 3 == 0 {
                    Kind::ApiSend
                } else {
                    Kind::XmlReceived
                };
                hub.charge(
                    &Principal::System,
                    org.organisation_id,
                    kind,
                    Some(format!("demo-{i}-{n}")),
                )
                .await?;
            }
        }
    }
    // A budget close to its cap, so the home page shows an alert.
    if let Some(busiest) = hub
        .partnerships(&firm)
        .await?
        .into_iter()
        .find(|p| p.organisation_name.starts_with("Bakkerij"))
    {
        hub.set_budget(&firm, busiest.organisation_id, Some((600, 80)))
            .await?;
        hub.charge(
            &Principal::System,
            busiest.organisation_id,
            Kind::XmlReceived,
            Some("demo-budget".into()),
        )
        .await?;
    }
    Ok(Some(login))
}

//! The five-step intermediary flow end to end in headless Chromium, with two people in two
//! browsers: an accountant (A) and their client (B).
//!
//! A switches the pages to Dutch, signs up, switches to Basic and sends an authorisation request in the wizard; the test
//! reads the activation link from the outbox; B opens it, creates an account and accepts;
//! A releases the connection keys and reads them off the page; the keys then reach that
//! organisation through the API and nothing else. B's replayed link is refused (410). The
//! pages are checked at phone width on the way, with and without rows in their tables. B's browser asks for
//! English, so both languages are on the way too.
//!
//! Needs chromedriver and Chromium (Debian `chromium-driver`, `chromium`); skipped without
//! them unless `CI` is set.

#[path = "support/browser.rs"]
mod chromium;
mod support;

use chromium::{Driver, arrive, caught, click, fill, main_text, screenshot, value};
use fantoccini::{Client, Locator};
use hub::Principal;
use hub::environment::SignUp;
use hub::organisation::Details;
use reqwest::StatusCode;
use support::Server;

const PASSWORD: &str = "correct horse battery";
const FIRM: &str = "Boekhouders Van Dam";
const CLIENT: &str = "Bloemist De Tulp";
const CLIENT_EMAIL: &str = "eigenaar@detulp.test";

/// Fails unless the page fits a 375px-wide screen: nothing sticks out sideways.
async fn fits_a_phone(c: &Client, s: &Server, path: &str) {
    c.goto(&s.url(path)).await.expect("goto");
    arrive(c, path).await;
    let widths = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .expect("measure");
    let (scroll, inner) = (
        widths[0].as_u64().expect("scrollWidth"),
        widths[1].as_u64().expect("innerWidth"),
    );
    assert!(inner <= 400, "the window is phone-sized ({inner}px)");
    assert!(
        scroll <= inner,
        "{path} is {scroll}px wide on a {inner}px screen"
    );
}

/// Steps 1 and 2 from the accountant's side: sign up, Basic, the wizard.
async fn accountant_requests(s: &Server, a: &Client) {
    a.goto(&s.url("/signup")).await.expect("goto");
    click(a, "a[hreflang=nl]").await;
    arrive(a, "/signup").await;
    a.find(Locator::Css("html[lang=nl]"))
        .await
        .expect("the page is in Dutch now");
    fill(a, "#environment_name", FIRM).await;
    fill(a, "#name", "Ria van Dam").await;
    fill(a, "#email", "ria@vandam.test").await;
    fill(a, "#password", PASSWORD).await;
    click(a, "form[action='/signup'] button[type=submit]").await;
    arrive(a, "/").await;
    assert!(main_text(a).await.contains(FIRM));

    a.goto(&s.url("/settings/subscription"))
        .await
        .expect("goto");
    let page = main_text(a).await;
    assert!(
        page.contains("buiten deze hub"),
        "the page says payment is outside the hub: {page}"
    );
    click(
        a,
        "section[aria-labelledby='tier-basic'] button[type=submit]",
    )
    .await;
    arrive(a, "/settings/subscription").await;
    assert!(main_text(a).await.contains("Het abonnement is gewijzigd."));

    a.set_window_size(375, 800).await.expect("phone width");
    fits_a_phone(a, s, "/").await;
    fits_a_phone(a, s, "/authorisations/new").await;
    a.set_window_size(1280, 900).await.expect("desktop width");

    a.goto(&s.url("/authorisations/new")).await.expect("goto");
    click(a, "#ledger-exact_online").await;
    fill(a, "#client_email", CLIENT_EMAIL).await;
    fill(a, "#client_name", CLIENT).await;
    fill(a, "#kvk", "12345678").await;
    click(a, "#paid_by-intermediary").await;
    click(a, "form[action='/authorisations/new'] button[type=submit]").await;
    arrive(a, "/authorisations").await;
    let list = main_text(a).await;
    assert!(
        list.contains(CLIENT) && list.contains("Wacht op klant"),
        "{list}"
    );
}

/// Steps 3 and 4 from the client's side: open the link, sign up, accept.
async fn client_accepts(b: &Client, link: &str) {
    b.goto(link).await.expect("goto");
    let path = link
        .split_once("/activate/")
        .map(|(_, t)| format!("/activate/{t}"))
        .expect("path");
    arrive(b, &path).await;
    let page = main_text(b).await;
    for shown in [FIRM, CLIENT, "Exact Online", "pays the transaction costs"] {
        assert!(page.contains(shown), "the request shows {shown}: {page}");
    }
    fill(b, "#environment_name", CLIENT).await;
    fill(b, "#name", "Tineke Tulp").await;
    fill(b, "#email", CLIENT_EMAIL).await;
    fill(b, "#password", PASSWORD).await;
    click(b, "form[action='/signup'] button[type=submit]").await;
    arrive(b, &path).await;
    click(b, "button[name=decision][value=accept]").await;
    arrive(b, "/partnerships").await;
    let page = main_text(b).await;
    assert!(
        page.contains("The partnership is active") && page.contains(FIRM),
        "{page}"
    );
}

/// Step 5: the accountant releases the keys; returns (organisation id, App Key, Secret).
async fn accountant_releases_keys(s: &Server, a: &Client) -> (i64, String, String) {
    a.goto(&s.url("/partnerships")).await.expect("goto");
    let organisation = a
        .find(Locator::Css("main table a[href^='/organisations/']"))
        .await
        .expect("the client's administration")
        .attr("href")
        .await
        .expect("href")
        .and_then(|h| h.trim_start_matches("/organisations/").parse().ok())
        .expect("an organisation id");
    click(a, "form[action$='/keys'] button[type=submit]").await;
    arrive(
        a,
        &format!("/partnerships/{}/keys", partnership_id(a).await),
    )
    .await;
    let page = main_text(a).await;
    assert!(
        page.contains("niet nog eens getoond"),
        "the page warns the Secret is shown once: {page}"
    );
    let (app_key, secret) = (value(a, "#app_key").await, value(a, "#secret").await);
    assert!(
        app_key.starts_with("pk_") && secret.starts_with("sk_"),
        "{app_key}"
    );
    let quick = value(a, "#quick_connect").await;
    let (url, key, sec) =
        hub::partnership::parse_quick_connect(&quick).expect("a Quick Connect string");
    assert_eq!(
        (url.as_str(), key.as_str(), sec.as_str()),
        (s.base.as_str(), app_key.as_str(), secret.as_str())
    );
    // The copy button reports what it did: copied, or the text selected to copy by hand.
    click(a, "button[data-copy='secret']").await;
    a.wait()
        .at_most(std::time::Duration::from_secs(10))
        .for_element(Locator::XPath(
            "//p[@id='copy-status' and normalize-space(.) != '']",
        ))
        .await
        .expect("the copy button says what it did");
    (organisation, app_key, secret)
}

/// The accountant registers the client's administration on Peppol in its Peppol page; a
/// message then arrives for it, so the page's table has a row at phone width.
async fn accountant_enrols_on_peppol(s: &Server, a: &Client, organisation: i64) {
    let here = format!("/organisations/{organisation}/peppol");
    a.goto(&s.url(&format!("/organisations/{organisation}")))
        .await
        .expect("goto");
    click(a, &format!("main a[href='{here}']")).await;
    arrive(a, &here).await;
    fill(a, "#participant_id", "0106:10000009").await;
    click(a, "form[action$='/peppol'] button[type=submit]").await;
    // The answer comes back to the same address, so wait for what only it shows.
    a.wait()
        .at_most(std::time::Duration::from_secs(30))
        .for_element(Locator::XPath("//main//dd/code[. = '0106:10000009']"))
        .await
        .expect("the registration in the health view");
    let page = main_text(a).await;
    assert!(
        page.contains("Geregistreerd sinds") && page.contains("0106:10000009"),
        "the health view shows the registration: {page}"
    );
    s.t.hub
        .store_inbound(
            hub::peppol::Inbound {
                message_id: "browser-1@sender.example".into(),
                from_ap: "PSENDER0001".into(),
                to_ap: "POP000001".into(),
                sender: "iso6523-actorid-upis::0088:5790000000005".into(),
                receiver: peppol::ParticipantId::parse("0106:10000009").expect("id"),
                document_type: "invoice".into(),
                document: b"<Invoice/>".to_vec(),
            },
            "<receipt/>".into(),
        )
        .await
        .expect("a message for the administration");
}

/// The partnership id in the address of the page the browser is on or going to.
async fn partnership_id(c: &Client) -> i64 {
    let started = std::time::Instant::now();
    loop {
        let url = c.current_url().await.expect("address");
        if let Some(id) = url
            .path()
            .strip_prefix("/partnerships/")
            .and_then(|r| r.strip_suffix("/keys"))
        {
            return id.parse().expect("id");
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "no keys page: {url}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The released keys reach their organisation through the API, and no other.
async fn keys_reach_only_their_organisation(
    s: &Server,
    organisation: i64,
    app_key: &str,
    secret: &str,
) {
    let (stranger, _) =
        s.t.hub
            .sign_up(SignUp {
                environment_name: "Iemand Anders".into(),
                name: "Ander".into(),
                email: "ander@anders.test".into(),
                password: PASSWORD.into(),
                locale: None,
            })
            .await
            .expect("another environment");
    let other =
        s.t.hub
            .create_organisation(
                &Principal::User(stranger),
                Details {
                    name: "Niet Van Jou BV".into(),
                    ..Details::default()
                },
            )
            .await
            .expect("another organisation");
    let api = reqwest::Client::new();
    let get = |id: i64| {
        api.get(s.url(&format!("/api/v1/organisations/{id}")))
            .basic_auth(app_key, Some(secret))
            .send()
    };
    let own = get(organisation).await.expect("api");
    assert_eq!(own.status(), StatusCode::OK);
    let body: serde_json::Value = own.json().await.expect("json");
    assert_eq!(
        (body["id"].as_i64(), body["name"].as_str()),
        (Some(organisation), Some(CLIENT)),
        "{body}"
    );
    assert_eq!(
        get(other.id).await.expect("api").status(),
        StatusCode::NOT_FOUND
    );
}

/// A used activation link shows why it no longer works, with 410.
async fn replayed_link_is_refused(b: &Client, link: &str) {
    b.goto(link).await.expect("goto");
    let page = main_text(b).await;
    assert!(
        page.contains("This link no longer works") && page.contains("already used"),
        "{page}"
    );
    let status = reqwest::get(link).await.expect("get").status();
    assert_eq!(status, StatusCode::GONE);
}

async fn five_step_flow(s: &Server) {
    let Some(driver) = Driver::start() else {
        return;
    };
    let a = driver.browser(&s.t.dir().join("accountant")).await;
    let b = driver.browser(&s.t.dir().join("client")).await;
    let outcome = caught(async {
        accountant_requests(s, &a).await;
        let link =
            s.t.mails()
                .iter()
                .filter(|m| m.to.contains(CLIENT_EMAIL))
                .find_map(|m| m.link("/activate/"))
                .expect("the activation mail in the outbox");
        client_accepts(&b, &link).await;
        let (organisation, app_key, secret) = accountant_releases_keys(s, &a).await;
        keys_reach_only_their_organisation(s, organisation, &app_key, &secret).await;
        accountant_enrols_on_peppol(s, &a, organisation).await;
        a.set_window_size(375, 800).await.expect("phone width");
        for page in [
            "/",
            "/authorisations",
            "/partnerships",
            "/wallet",
            "/audit",
            "/users",
            "/settings/subscription",
            &format!("/organisations/{organisation}"),
            &format!("/organisations/{organisation}/peppol"),
        ] {
            fits_a_phone(&a, s, page).await;
        }
        replayed_link_is_refused(&b, &link).await;
    })
    .await;
    if let Err(panic) = outcome {
        for (browser, who) in [(&a, "accountant"), (&b, "client")] {
            let at = browser
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            match screenshot(browser, &format!("{:?}-{who}", s.t.backend)).await {
                Some(path) => eprintln!("{who}'s browser at {at}: screenshot {}", path.display()),
                None => eprintln!("{who}'s browser at {at}: no screenshot"),
            }
        }
        let _ = a.close().await;
        let _ = b.close().await;
        std::panic::resume_unwind(panic);
    }
    a.close().await.expect("close");
    b.close().await.expect("close");
}

server_tests!(five_step_flow);

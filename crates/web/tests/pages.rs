//! The web UI over HTTP: sign-up, login, CSRF, redirects, the home overview and the tier
//! gate, on SQLite and (when configured) PostgreSQL.

mod support;

use hub::Principal;
use hub::environment::SignUp;
use hub::organisation::{Details, Ledger, Status};
use hub::subscription::Tier;
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use support::Server;

const PASSWORD: &str = "correct horse battery";

/// A browser-like client: keeps cookies, but shows redirects instead of following them.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The value of the first hidden `csrf` field on a page.
fn csrf_of(html: &str) -> String {
    let start = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token")
        + "name=\"csrf\" value=\"".len();
    html[start..].split('"').next().expect("token").to_owned()
}

/// The administrations listed on the home page, in order.
fn listed(html: &str) -> Vec<String> {
    html.split("class=\"organisation\" href=\"/organisations/")
        .skip(1)
        .map(|rest| {
            rest.split_once('>')
                .and_then(|(_, r)| r.split_once("</a>"))
                .map(|(name, _)| name.to_owned())
                .expect("name")
        })
        .collect()
}

async fn get(c: &reqwest::Client, s: &Server, path: &str) -> (StatusCode, String) {
    let r = c.get(s.url(path)).send().await.expect("get");
    (r.status(), r.text().await.expect("body"))
}

async fn post(
    c: &reqwest::Client,
    s: &Server,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    c.post(s.url(path)).form(form).send().await.expect("post")
}

/// Signs up through the form and returns the logged-in client.
async fn signed_up(s: &Server, firm: &str, email: &str) -> reqwest::Client {
    let c = client();
    let r = post(
        &c,
        s,
        "/signup",
        &[
            ("environment_name", firm),
            ("name", "Anna de Boer"),
            ("email", email),
            ("password", PASSWORD),
            ("next", ""),
        ],
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap_or_default()
    );
    c
}

/// An environment made directly in the hub, for tests about what pages show.
async fn environment(s: &Server, email: &str, tier: Tier) -> Principal {
    let (user, _) =
        s.t.hub
            .sign_up(SignUp {
                environment_name: "Kantoor Noord".into(),
                name: "Piet".into(),
                email: email.into(),
                password: PASSWORD.into(),
                locale: Some("en".into()),
            })
            .await
            .expect("sign-up");
    let p = Principal::User(user);
    s.t.hub.set_tier(&p, tier).await.expect("tier");
    p
}

async fn logged_in(s: &Server, email: &str) -> reqwest::Client {
    let c = client();
    let r = post(
        &c,
        s,
        "/login",
        &[("email", email), ("password", PASSWORD), ("next", "/")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    c
}

async fn sign_up_leads_home(s: &Server) {
    let c = client();
    let (status, page) = get(&c, s, "/signup").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<label for=\"email\">"),
        "every input has a label"
    );
    let r = post(
        &c,
        s,
        "/signup",
        &[
            ("environment_name", "Administratiekantoor Zon"),
            ("name", "Anna"),
            ("email", "anna@zon.test"),
            ("password", PASSWORD),
            ("next", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/?notice=welcome");
    let cookie = r
        .headers()
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        cookie.starts_with("postbode_session=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let (status, home) = get(&c, s, "/?notice=welcome").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("<h1>Administratiekantoor Zon</h1>"), "{home}");
    assert!(home.contains("Welkom bij Postbode."), "Dutch by default");
    assert!(
        home.contains("<a href=\"/\" aria-current=\"page\">"),
        "the menu marks the current page"
    );

    // A taken email address is refused in the form, keeping what was typed but the password.
    let again = post(
        &client(),
        s,
        "/signup",
        &[
            ("environment_name", "Tweede"),
            ("name", "Bob"),
            ("email", "anna@zon.test"),
            ("password", PASSWORD),
            ("next", ""),
        ],
    )
    .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let page = again.text().await.expect("body");
    assert!(
        page.contains("already exists") && page.contains("value=\"Tweede\""),
        "{page}"
    );
    assert!(!page.contains(PASSWORD));
}

async fn login_failure_shows_a_message(s: &Server) {
    environment(s, "piet@noord.test", Tier::Free).await;
    let c = client();
    let r = post(
        &c,
        s,
        "/login",
        &[
            ("email", "piet@noord.test"),
            ("password", "wrong password!"),
            ("next", "/wallet"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let page = r.text().await.expect("body");
    assert!(
        page.contains("Dit e-mailadres en wachtwoord horen niet bij elkaar."),
        "{page}"
    );
    assert!(page.contains("value=\"piet@noord.test\"") && page.contains("value=\"/wallet\""));
    assert!(!page.contains("wrong password!"));

    let r = post(
        &c,
        s,
        "/login",
        &[
            ("email", "piet@noord.test"),
            ("password", PASSWORD),
            ("next", "/wallet"),
        ],
    )
    .await;
    assert_eq!(
        (r.status(), location(&r)),
        (StatusCode::SEE_OTHER, "/wallet".to_owned())
    );

    // Repeated failures for one account are refused for a while, even with the right password.
    for _ in 0..10 {
        let r = post(
            &client(),
            s,
            "/login",
            &[
                ("email", "piet@noord.test"),
                ("password", "guess guess guess"),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = post(
        &client(),
        s,
        "/login",
        &[("email", "piet@noord.test"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
}

async fn a_post_without_csrf_is_refused(s: &Server) {
    let c = signed_up(s, "Kantoor Csrf", "csrf@kantoor.test").await;
    let (_, page) = get(&c, s, "/organisations/new").await;
    let token = csrf_of(&page);
    for form in [
        vec![("name", "Zonder Token")],
        vec![("name", "Zonder Token"), ("csrf", "forged")],
    ] {
        let r = post(&c, s, "/organisations/new", &form).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    let (_, home) = get(&c, s, "/").await;
    assert!(listed(&home).is_empty(), "nothing was created");
    // A form from another site is refused before login too.
    let r = c
        .post(s.url("/login"))
        .header("Origin", "https://evil.example")
        .form(&[("email", "csrf@kantoor.test"), ("password", PASSWORD)])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let r = post(
        &c,
        s,
        "/organisations/new",
        &[("name", "Met Token"), ("csrf", &token), ("ledger", "yuki")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, detail) = get(&c, s, &location(&r)).await;
    assert!(
        detail.contains("<h1>Met Token</h1>") && detail.contains("De administratie is aangemaakt."),
        "{detail}"
    );
}

async fn login_never_redirects_off_the_hub(s: &Server) {
    environment(s, "redirect@noord.test", Tier::Free).await;
    for (next, to) in [
        ("//evil.example/x", "/"),
        ("https://evil.example", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/wallet?before=5", "/wallet?before=5"),
    ] {
        let r = post(
            &client(),
            s,
            "/login",
            &[
                ("email", "redirect@noord.test"),
                ("password", PASSWORD),
                ("next", next),
            ],
        )
        .await;
        assert_eq!(
            (r.status(), location(&r)),
            (StatusCode::SEE_OTHER, to.to_owned()),
            "{next}"
        );
    }
    let r = client()
        .get(s.url("/language?to=en&back=//evil.example"))
        .send()
        .await
        .expect("get");
    assert_eq!(location(&r), "/");
    // The language switch sets the cookie the pages then speak by.
    let c = client();
    let r = c
        .get(s.url("/language?to=en&back=/login"))
        .send()
        .await
        .expect("get");
    assert_eq!(location(&r), "/login");
    let (_, page) = get(&c, s, "/login").await;
    assert!(
        page.contains("<html lang=\"en\">") && page.contains("No account yet?"),
        "{page}"
    );
}

async fn home_searches_filters_and_sorts(s: &Server) {
    let p = environment(s, "home@noord.test", Tier::Basic).await;
    let org = |name: &str, ledger: Ledger| Details {
        name: name.into(),
        ledger,
        ..Details::default()
    };
    s.t.hub
        .create_organisation(&p, org("Bakkerij Jansen", Ledger::Yuki))
        .await
        .expect("org");
    s.t.hub
        .create_organisation(&p, org("Aannemer De Vries", Ledger::ExactOnline))
        .await
        .expect("org");
    let cafe =
        s.t.hub
            .create_organisation(&p, org("Cafe Zuid", Ledger::Yuki))
            .await
            .expect("org");
    s.t.hub
        .set_organisation_status(&p, cafe.id, Status::Archived)
        .await
        .expect("archive");
    for n in 1..=48 {
        s.t.hub
            .create_organisation(&p, org(&format!("Zeilschool {n:02}"), Ledger::Twinfield))
            .await
            .expect("org");
    }
    let c = logged_in(s, "home@noord.test").await;

    let (_, page) = get(&c, s, "/?q=BAKKER").await;
    assert_eq!(listed(&page), ["Bakkerij Jansen"]);
    let (_, page) = get(&c, s, "/?status=archived").await;
    assert_eq!(listed(&page), ["Cafe Zuid"]);
    let (_, page) = get(&c, s, "/?ledger=yuki&status=").await;
    assert_eq!(listed(&page), ["Bakkerij Jansen", "Cafe Zuid"]);
    let (_, page) = get(&c, s, "/?ledger=yuki&sort=-name").await;
    assert_eq!(listed(&page), ["Cafe Zuid", "Bakkerij Jansen"]);

    // 51 administrations: 50 on the first page, sorted by name, and the last one on page 2.
    let (_, page) = get(&c, s, "/").await;
    let first = listed(&page);
    assert_eq!(first.len(), 50);
    assert_eq!(
        &first[..3],
        ["Aannemer De Vries", "Bakkerij Jansen", "Cafe Zuid"]
    );
    assert!(page.contains("page=2\" rel=\"next\""), "a link to page 2");
    let (_, page) = get(&c, s, "/?page=2").await;
    assert_eq!(listed(&page), ["Zeilschool 48"]);
    let (_, page) = get(&c, s, "/?sort=-created&q=zeil").await;
    assert_eq!(
        listed(&page).first().map(String::as_str),
        Some("Zeilschool 48")
    );
}

async fn a_gated_action_on_free_names_the_tier(s: &Server) {
    let c = signed_up(s, "Kantoor Gratis", "free@kantoor.test").await;
    let (status, wizard) = get(&c, s, "/authorisations/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        wizard.contains("class=\"gate\"") && wizard.contains("Basic"),
        "the wizard warns before it is filled in"
    );
    let token = csrf_of(&wizard);
    let r = post(
        &c,
        s,
        "/authorisations/new",
        &[
            ("csrf", &token),
            ("ledger", "yuki"),
            ("client_email", "klant@bv.test"),
            ("client_name", "Klant BV"),
            ("paid_by", "client"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let page = r.text().await.expect("body");
    assert!(
        page.contains("Sending authorisation requests needs the Basic subscription or higher"),
        "{page}"
    );
    assert!(
        page.contains("value=\"klant@bv.test\""),
        "the entered values are kept"
    );
    assert!(page.contains("href=\"/settings/subscription\""));

    // The second own organisation on Free gets the same kind of refusal.
    let r = post(
        &c,
        s,
        "/organisations/new",
        &[("csrf", &token), ("name", "Eerste")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = post(
        &c,
        s,
        "/organisations/new",
        &[("csrf", &token), ("name", "Tweede")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("needs the Basic subscription")
    );
}

async fn anonymous_visitors_go_to_login(s: &Server) {
    for (path, to) in [
        ("/", "/login?next=/"),
        ("/wallet", "/login?next=/wallet"),
        ("/organisations/1", "/login?next=/organisations/1"),
    ] {
        let r = client().get(s.url(path)).send().await.expect("get");
        assert_eq!(
            (r.status(), location(&r)),
            (StatusCode::SEE_OTHER, to.to_owned()),
            "{path}"
        );
    }
}

async fn a_participant_id_with_a_bad_check_digit_is_shown_inline(s: &Server) {
    let c = signed_up(s, "Kantoor Peppol", "peppol@kantoor.test").await;
    let (_, page) = get(&c, s, "/organisations/new").await;
    let token = csrf_of(&page);
    let r = post(
        &c,
        s,
        "/organisations/new",
        &[("csrf", &token), ("name", "Peppol BV")],
    )
    .await;
    let detail = location(&r);
    let id = detail
        .trim_start_matches("/organisations/")
        .split('?')
        .next()
        .expect("id")
        .to_owned();
    let r = post(
        &c,
        s,
        &format!("/organisations/{id}/participants"),
        &[("csrf", &token), ("participant_id", "0088:1234567890123")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("body");
    assert!(
        page.contains("id=\"participant-problem\" role=\"alert\""),
        "{page}"
    );
    assert!(
        page.contains(
            "value=\"0088:1234567890123\" autocomplete=\"off\" required aria-invalid=\"true\""
        ),
        "{page}"
    );
}

/// A partnership made directly in the hub: an intermediary on Basic that pays, and a
/// client who accepted. Returns the intermediary and the partnership's id.
async fn partnership(s: &Server) -> (Principal, i64) {
    let intermediary = environment(s, "keys@noord.test", Tier::Basic).await;
    let request = hub::authorisation::NewRequest {
        ledger: Ledger::Yuki,
        client_email: "klant@keys.test".into(),
        client_name: "Klant Keys".into(),
        kvk: None,
        vat: None,
        participant_id: None,
        paid_by: hub::authorisation::PaidBy::Intermediary,
    };
    s.t.hub
        .request_authorisation(&intermediary, request)
        .await
        .expect("request");
    let link =
        s.t.mails()
            .iter()
            .find_map(|m| m.link("/activate/"))
            .expect("activation mail");
    let token = link.rsplit('/').next().expect("token").to_owned();
    let (client, _) =
        s.t.hub
            .sign_up(SignUp {
                environment_name: "Klant Keys".into(),
                name: "Klaas".into(),
                email: "klant@keys.test".into(),
                password: PASSWORD.into(),
                locale: None,
            })
            .await
            .expect("client");
    let decision = hub::authorisation::Decision {
        token,
        accept: true,
        organisation_id: None,
    };
    let accepted =
        s.t.hub
            .decide_authorisation(&Principal::User(client), decision)
            .await
            .expect("accept");
    (intermediary, accepted.partnership_id.expect("partnership"))
}

async fn released_keys_are_shown_once_and_not_cached(s: &Server) {
    let (intermediary, partnership) = partnership(s).await;
    let c = logged_in(s, "keys@noord.test").await;
    let (_, list) = get(&c, s, "/partnerships").await;
    assert!(
        list.contains("Sleutels vrijgeven") || list.contains("Release keys"),
        "{list}"
    );
    let r = post(
        &c,
        s,
        &format!("/partnerships/{partnership}/keys"),
        &[("csrf", &csrf_of(&list))],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers().get(CACHE_CONTROL).and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let page = r.text().await.expect("body");
    let value_of = |id: &str| {
        let marker = format!("id=\"{id}\" type=\"text\" readonly value=\"");
        let start = page.find(&marker).expect(id) + marker.len();
        page[start..].split('"').next().expect("value").to_owned()
    };
    let (app_key, secret) = (value_of("app_key"), value_of("secret"));
    let key =
        s.t.hub
            .authenticate_key(&app_key, &secret)
            .await
            .expect("the shown keys work");
    let organisation =
        s.t.hub
            .partnership(&intermediary, partnership)
            .await
            .expect("partnership")
            .organisation_id;
    assert_eq!(key.organisation_id, organisation);
}

async fn assets_are_cached_by_content(s: &Server) {
    let (_, page) = get(&client(), s, "/login").await;
    let href = page
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("stylesheet");
    let r = client().get(s.url(href)).send().await.expect("css");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers().get(CACHE_CONTROL).and_then(|v| v.to_str().ok()),
        Some("public, max-age=31536000, immutable")
    );
    assert!(r.text().await.expect("css").contains(":focus-visible"));
    let r = client()
        .get(s.url("/assets/app.0000000000000000.css"))
        .send()
        .await
        .expect("css");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn invited_users_join_and_roles_change(s: &Server) {
    let admin = environment(s, "admin@noord.test", Tier::Free).await;
    let c = logged_in(s, "admin@noord.test").await;
    let (_, users) = get(&c, s, "/users").await;
    let token = csrf_of(&users);
    let r = post(
        &c,
        s,
        "/users/invite",
        &[
            ("csrf", &token),
            ("email", "nieuw@noord.test"),
            ("role", "basic"),
        ],
    )
    .await;
    assert_eq!(location(&r), "/users?notice=invited");
    let link =
        s.t.mails()
            .iter()
            .find_map(|m| m.link("/invitation/"))
            .expect("invitation mail");
    let path = &link[s.base.len()..];

    let newcomer = client();
    let (status, form) = get(&newcomer, s, path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("<label for=\"password\">"));
    let r = post(
        &newcomer,
        s,
        path,
        &[("name", "Nina Nieuw"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(location(&r), "/?notice=welcome");
    let (status, _) = get(&newcomer, s, "/").await;
    assert_eq!(status, StatusCode::OK, "the new user is logged in");
    let (status, _) = get(&newcomer, s, "/audit").await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the audit log is for administrators"
    );
    let replay = post(
        &client(),
        s,
        path,
        &[("name", "Nina Nieuw"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(replay.status(), StatusCode::GONE);
    assert!(replay.text().await.expect("body").contains("already used"));

    let nina =
        s.t.hub
            .users(&admin)
            .await
            .expect("users")
            .into_iter()
            .find(|u| u.name == "Nina Nieuw")
            .expect("Nina");
    let r = post(
        &c,
        s,
        &format!("/users/{}/role", nina.id),
        &[("csrf", &token), ("role", "advanced")],
    )
    .await;
    assert_eq!(location(&r), "/users?notice=saved");
    let role =
        s.t.hub
            .users(&admin)
            .await
            .expect("users")
            .into_iter()
            .find(|u| u.id == nina.id)
            .map(|u| u.role);
    assert_eq!(role, Some(hub::Role::Advanced));
    // An administrator cannot demote themselves; the refusal is shown on the page.
    let Principal::User(me) = &admin else {
        unreachable!("a user")
    };
    let r = post(
        &c,
        s,
        &format!("/users/{}/role", me.user_id),
        &[("csrf", &token), ("role", "basic")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("your own administrator role")
    );
}

async fn the_payer_sets_a_budget(s: &Server) {
    let (intermediary, partnership) = partnership(s).await;
    let organisation =
        s.t.hub
            .partnership(&intermediary, partnership)
            .await
            .expect("partnership")
            .organisation_id;
    let page = format!("/organisations/{organisation}");

    // The intermediary pays, so its administrator sees the budget form; the client does not.
    let c = logged_in(s, "keys@noord.test").await;
    let (_, detail) = get(&c, s, &page).await;
    assert!(
        detail.contains(&format!("action=\"{page}/budget\"")),
        "{detail}"
    );
    let client = logged_in(s, "klant@keys.test").await;
    let (status, theirs) = get(&client, s, &page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !theirs.contains("/budget\""),
        "the client does not pay, so sets no budget"
    );

    let token = csrf_of(&detail);
    let r = post(
        &c,
        s,
        &format!("{page}/budget"),
        &[("csrf", &token), ("cap", "12,3x"), ("alert_percent", "")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().await.expect("body").contains("value=\"12,3x\""),
        "the entered amount is kept"
    );
    let r = post(
        &c,
        s,
        &format!("{page}/budget"),
        &[("csrf", &token), ("cap", "150"), ("alert_percent", "90")],
    )
    .await;
    assert_eq!(location(&r), format!("{page}?notice=saved"));
    let row =
        s.t.hub
            .paid_by(&intermediary)
            .await
            .expect("paid by")
            .into_iter()
            .find(|r| r.organisation_id == organisation);
    assert_eq!(row.and_then(|r| r.budget_cents), Some(15_000));
    let (_, wallet) = get(&c, s, "/wallet").await;
    assert!(
        wallet.contains("€ 150,00"),
        "the Paid by view shows the budget: {wallet}"
    );
}

async fn the_peppol_page_enrols_and_shows_messages_documents_and_a_key_once(s: &Server) {
    let admin = environment(s, "peppol@noord.test", Tier::Basic).await;
    let org =
        s.t.hub
            .create_organisation(
                &admin,
                Details {
                    name: "Bakkerij Peppol".into(),
                    ..Details::default()
                },
            )
            .await
            .expect("org");
    s.t.hub
        .add_participant_id(&admin, org.id, "0106:10000009")
        .await
        .expect("participant id");
    let here = format!("/organisations/{}/peppol", org.id);
    let c = logged_in(s, "peppol@noord.test").await;

    // The organisation page links here; nothing is registered yet, and the form starts
    // from the organisation's participant id with invoices and credit notes ticked.
    let (_, detail) = get(&c, s, &format!("/organisations/{}", org.id)).await;
    assert!(detail.contains(&format!("href=\"{here}\"")), "{detail}");
    let (status, page) = get(&c, s, &here).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"not-registered\""), "{page}");
    assert!(
        page.contains("name=\"participant_id\" type=\"text\" value=\"0106:10000009\""),
        "{page}"
    );
    assert!(
        page.contains("value=\"invoice\" checked>")
            && page.contains("value=\"credit_note\" checked>")
    );
    assert!(page.contains("value=\"invoice_response\">"), "{page}");
    assert!(page.contains("No documents yet."), "{page}");
    let token = csrf_of(&page);

    // Without the form's token nothing is registered.
    let r = post(
        &c,
        s,
        &here,
        &[
            ("participant_id", "0106:10000009"),
            ("capability", "invoice"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(
        s.t.hub
            .peppol_health(&admin, org.id)
            .await
            .expect("health")
            .registration
            .is_none()
    );

    // A participant id that fails its check is shown inline with what was entered.
    let r = post(
        &c,
        s,
        &here,
        &[
            ("csrf", &token),
            ("participant_id", "0088:1234567890123"),
            ("capability", "invoice_response"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = r.text().await.expect("body");
    assert!(
        refused.contains(
            "value=\"0088:1234567890123\" autocomplete=\"off\" required aria-invalid=\"true\""
        ) && refused.contains("value=\"invoice_response\" checked>")
            && !refused.contains("value=\"invoice\" checked>"),
        "{refused}"
    );

    // Enrolling through the form changes the health view.
    let r = post(
        &c,
        s,
        &here,
        &[
            ("csrf", &token),
            ("participant_id", "0106:10000009"),
            ("capability", "invoice"),
            ("capability", "invoice_response"),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("{here}?notice=registered"));
    let (_, page) = get(&c, s, &location(&r)).await;
    assert!(!page.contains("id=\"not-registered\""), "{page}");
    assert!(
        page.contains("<dd>Invoices, Invoice responses</dd>")
            && page.contains("<code>0106:10000009</code>")
            && page.contains("The Peppol registration was saved."),
        "{page}"
    );
    let registration =
        s.t.hub
            .peppol_health(&admin, org.id)
            .await
            .expect("health")
            .registration
            .expect("registered");
    assert_eq!(
        registration.capabilities,
        [
            hub::registration::Capability::Invoice,
            hub::registration::Capability::InvoiceResponse
        ]
    );

    // A received message shows as the last one in, and its document can be downloaded.
    let original = b"<Invoice>bytes as received</Invoice>".to_vec();
    let stored =
        s.t.hub
            .store_inbound(
                hub::peppol::Inbound {
                    message_id: "m-page@sender".into(),
                    from_ap: "PSENDER0001".into(),
                    to_ap: "POP000001".into(),
                    sender: "0088:5790000000005".into(),
                    receiver: peppol::ParticipantId::parse("0106:10000009").expect("id"),
                    document_type: "invoice".into(),
                    document: original.clone(),
                },
                "<receipt/>".into(),
            )
            .await
            .expect("stored");
    let hub::peppol::Stored::Document(document) = stored else {
        panic!("a new message is stored as a document: {stored:?}")
    };
    let (_, page) = get(&c, s, &here).await;
    assert!(
        page.contains("<code>m-page@sender</code>")
            && page.contains("<code>PSENDER0001</code>")
            && page.contains("<code>0088:5790000000005</code>"),
        "{page}"
    );
    let link = format!("href=\"/documents/{document}/original\"");
    assert!(page.contains(&link), "{page}");
    let r = c
        .get(s.url(&format!("/documents/{document}/original")))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()
            .get(reqwest::header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok()),
        Some(format!("attachment; filename=\"document-{document}.xml\"").as_str())
    );
    assert_eq!(r.bytes().await.expect("body").to_vec(), original);

    // The migration key is in the answer to the post only, valid for the key check.
    let r = post(&c, s, &format!("{here}/migration-key"), &[("csrf", &token)]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers().get(CACHE_CONTROL).and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let shown = r.text().await.expect("body");
    let marker = "id=\"migration_key\" type=\"text\" readonly value=\"";
    let start = shown.find(marker).expect("the key is shown") + marker.len();
    let key = shown[start..].split('"').next().expect("key").to_owned();
    let participant = peppol::ParticipantId::parse("0106:10000009").expect("id");
    assert!(
        s.t.hub
            .peppol_migration_key_valid(&participant, &key)
            .await
            .expect("check"),
        "the shown key is the issued one"
    );
    assert!(shown.contains("Valid until <time"), "{shown}");
    let (_, again) = get(&c, s, &here).await;
    assert!(
        !again.contains(&key) && !again.contains(marker),
        "shown once: {again}"
    );

    // Another environment and a basic user without the right do not find the page.
    environment(s, "ander@zuid.test", Tier::Basic).await;
    let stranger = logged_in(s, "ander@zuid.test").await;
    let (status, _) = get(&stranger, s, &here).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = post(
        &stranger,
        s,
        &format!("{here}/deregister"),
        &[("csrf", &csrf_of(&get(&stranger, s, "/").await.1))],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let (status, _) = get(&stranger, s, &format!("/documents/{document}/original")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    colleague(s, &admin, "bas@peppol.test", hub::Role::Basic).await;
    let basic = logged_in(s, "bas@peppol.test").await;
    let (status, _) = get(&basic, s, &here).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        s.t.hub
            .peppol_health(&admin, org.id)
            .await
            .expect("health")
            .registration
            .is_some(),
        "the refused deregistration changed nothing"
    );

    // Deregistering empties the health view; doing it again is refused on the page.
    let r = post(&c, s, &format!("{here}/deregister"), &[("csrf", &token)]).await;
    assert_eq!(location(&r), format!("{here}?notice=deregistered"));
    let (_, page) = get(&c, s, &here).await;
    assert!(page.contains("id=\"not-registered\""), "{page}");
    let r = post(&c, s, &format!("{here}/deregister"), &[("csrf", &token)]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let page = r.text().await.expect("body");
    assert!(
        page.contains("id=\"action-problem\" role=\"alert\"")
            && page.contains("<h1>Peppol: Bakkerij Peppol</h1>"),
        "{page}"
    );
}

server_tests!(
    sign_up_leads_home,
    login_failure_shows_a_message,
    a_post_without_csrf_is_refused,
    login_never_redirects_off_the_hub,
    home_searches_filters_and_sorts,
    a_gated_action_on_free_names_the_tier,
    anonymous_visitors_go_to_login,
    a_participant_id_with_a_bad_check_digit_is_shown_inline,
    released_keys_are_shown_once_and_not_cached,
    assets_are_cached_by_content,
    invited_users_join_and_roles_change,
    the_payer_sets_a_budget,
    administrators_choose_a_basic_users_administrations,
    alerts_are_marked_done_on_home,
    the_peppol_page_enrols_and_shows_messages_documents_and_a_key_once,
);

/// Someone invited to `admin`'s environment with `role`, who accepts; returns their id.
async fn colleague(s: &Server, admin: &Principal, email: &str, role: hub::Role) -> i64 {
    s.t.hub
        .invite(
            admin,
            hub::user::Invite {
                email: email.into(),
                role,
            },
        )
        .await
        .expect("invite");
    let (user, _) =
        s.t.hub
            .accept_invitation(hub::user::AcceptInvitation {
                token: s.t.mailed_token(email, "/invitation/"),
                name: format!("Collega {email}"),
                password: PASSWORD.into(),
            })
            .await
            .expect("accept");
    user.user_id
}

async fn administrators_choose_a_basic_users_administrations(s: &Server) {
    let admin = environment(s, "rights@noord.test", Tier::Basic).await;
    let org = |name: &str| Details {
        name: name.into(),
        ..Details::default()
    };
    let bakery =
        s.t.hub
            .create_organisation(&admin, org("Bakkerij Een"))
            .await
            .expect("org");
    let garage =
        s.t.hub
            .create_organisation(&admin, org("Garage Twee"))
            .await
            .expect("org");
    let basic = colleague(s, &admin, "bas@noord.test", hub::Role::Basic).await;
    let rights = format!("/users/{basic}/rights");
    let c = logged_in(s, "rights@noord.test").await;
    let b = logged_in(s, "bas@noord.test").await;

    // The users page links to the rights of basic users only.
    let (_, users) = get(&c, s, "/users").await;
    assert!(users.contains(&format!("href=\"{rights}\"")), "{users}");
    let Principal::User(me) = &admin else {
        unreachable!("a user")
    };
    assert!(!users.contains(&format!("href=\"/users/{}/rights\"", me.user_id)));

    let (status, page) = get(&c, s, &rights).await;
    assert_eq!(status, StatusCode::OK);
    for o in [&bakery, &garage] {
        assert!(
            page.contains(&format!("name=\"granted\" value=\"{}\">", o.id)),
            "{} is listed and not ticked: {page}",
            o.details.name
        );
    }
    let token = csrf_of(&page);
    let (one, two) = (bakery.id.to_string(), garage.id.to_string());
    let r = post(
        &c,
        s,
        &rights,
        &[
            ("csrf", &token),
            ("q", ""),
            ("page", "1"),
            ("shown", &one),
            ("shown", &two),
            ("granted", &one),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("{rights}?q=&page=1&notice=saved"));
    let (_, home) = get(&b, s, "/").await;
    assert_eq!(listed(&home), ["Bakkerij Een"]);
    let (_, page) = get(&c, s, &location(&r)).await;
    assert!(
        page.contains(&format!("value=\"{one}\" checked>")) && page.contains("were saved"),
        "{page}"
    );

    // Saving a searched page changes only the administrations it showed.
    let (_, searched) = get(&c, s, &format!("{rights}?q=garage")).await;
    assert!(searched.contains("Garage Twee") && !searched.contains("Bakkerij Een"));
    let r = post(
        &c,
        s,
        &rights,
        &[
            ("csrf", &token),
            ("q", "garage"),
            ("page", "1"),
            ("shown", &two),
            ("granted", &two),
        ],
    )
    .await;
    assert_eq!(
        location(&r),
        format!("{rights}?q=garage&page=1&notice=saved")
    );
    let (_, home) = get(&b, s, "/").await;
    assert_eq!(listed(&home), ["Bakkerij Een", "Garage Twee"]);

    // Unticking takes the right away.
    let r = post(
        &c,
        s,
        &rights,
        &[("csrf", &token), ("shown", &one), ("shown", &two)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, home) = get(&b, s, "/").await;
    assert!(listed(&home).is_empty(), "{home}");

    // Only an administrator reads or changes rights, and only in their own environment.
    let (status, mine) = get(&b, s, &rights).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, bas_home) = get(&b, s, "/").await;
    let r = post(
        &b,
        s,
        &rights,
        &[
            ("csrf", &csrf_of(&bas_home)),
            ("shown", &one),
            ("granted", &one),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "{mine}");
    let (_, home) = get(&b, s, "/").await;
    assert!(
        listed(&home).is_empty(),
        "the refused grant changed nothing"
    );
    let stranger = environment(s, "ander@zuid.test", Tier::Basic).await;
    let theirs = colleague(s, &stranger, "vreemd@zuid.test", hub::Role::Basic).await;
    let (status, _) = get(&c, s, &format!("/users/{theirs}/rights")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = post(
        &c,
        s,
        &format!("/users/{theirs}/rights"),
        &[("csrf", &token), ("shown", &one), ("granted", &one)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn alerts_are_marked_done_on_home(s: &Server) {
    let (intermediary, partnership) = partnership(s).await;
    let organisation =
        s.t.hub
            .partnership(&intermediary, partnership)
            .await
            .expect("partnership")
            .organisation_id;
    s.t.hub
        .set_budget(&intermediary, organisation, Some((1, 80)))
        .await
        .expect("budget");
    s.t.hub
        .charge(
            &Principal::System,
            organisation,
            hub::wallet::Kind::XmlReceived,
            None,
        )
        .await
        .expect("charge");
    let alert =
        s.t.hub
            .alerts(&intermediary)
            .await
            .expect("alerts")
            .remove(0);
    let done = format!("/alerts/{}/resolve", alert.id);
    let c = logged_in(s, "keys@noord.test").await;
    let (_, home) = get(&c, s, "/").await;
    assert!(
        home.contains(&alert.message) && home.contains(&format!("action=\"{done}\"")),
        "{home}"
    );

    // Without the form's token nothing happens.
    let r = post(&c, s, &done, &[]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The client's administrator, in another environment, does not find it.
    let client = logged_in(s, "klant@keys.test").await;
    let (_, theirs) = get(&client, s, "/").await;
    assert!(!theirs.contains(&alert.message), "{theirs}");
    let r = post(&client, s, &done, &[("csrf", &csrf_of(&theirs))]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    let token = csrf_of(&home);
    let r = post(&c, s, &done, &[("csrf", &token)]).await;
    assert_eq!(location(&r), "/?notice=alert_resolved");
    let (_, home) = get(&c, s, &location(&r)).await;
    assert!(
        !home.contains(&alert.message) && home.contains("The alert was marked as done."),
        "{home}"
    );
    // Resolving it again is a conflict, shown on the home page.
    let r = post(&c, s, &done, &[("csrf", &token)]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.expect("body");
    assert!(
        page.contains("resolved already") && page.contains("<h1>Kantoor Noord</h1>"),
        "{page}"
    );
}

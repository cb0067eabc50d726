//! Dutch and English. The language comes from the `lang` cookie (set by the language
//! switch), else the user's stored locale, else the browser's `Accept-Language`; Dutch is
//! the default.
//!
//! Every text of the web UI is a field of [`Messages`], so a text missing in one language
//! is a compile error, not a blank on a page. Names of products (the accounting packages,
//! the subscription tiers) are not translated. Messages from the hub itself (why a service
//! refused) are English.

use axum::http::HeaderMap;
use hub::Role;
use hub::authorisation::{PaidBy, Status as RequestStatus};
use hub::organisation::{Ledger, Status as OrganisationStatus};
use hub::registration::Capability;
use hub::subscription::{Feature, Tier};
use hub::wallet::{BudgetState, Kind};

/// The name of the cookie that keeps the chosen language.
pub const COOKIE: &str = "lang";

/// A language the UI speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Nederlands.
    Nl,
    /// English.
    En,
}

impl Lang {
    /// The language for a request.
    pub fn of(headers: &HeaderMap, stored: Option<&str>) -> Lang {
        if let Some(lang) = crate::auth::cookie(headers, COOKIE) {
            return Lang::parse(lang);
        }
        if let Some(stored) = stored {
            return Lang::parse(stored);
        }
        let accept = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let first = accept
            .split(',')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if first.starts_with("en") {
            Lang::En
        } else {
            Lang::Nl
        }
    }

    /// `en` is English, anything else Dutch.
    pub fn parse(s: &str) -> Lang {
        if s == "en" { Lang::En } else { Lang::Nl }
    }

    /// The BCP 47 tag, for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The other language, offered by the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        }
    }

    /// Every text in this language.
    pub fn messages(self) -> &'static Messages {
        match self {
            Lang::Nl => &NL,
            Lang::En => &EN,
        }
    }
}

/// Declares [`Messages`] with one field per text, and the Dutch and English catalogues,
/// keeping both translations of a text on one line.
macro_rules! catalogue {
    ($($key:ident: $nl:literal, $en:literal;)*) => {
        /// Every text of the web UI in one language.
        #[derive(Debug)]
        pub struct Messages {
            $(#[doc = $en] pub $key: &'static str,)*
        }

        /// Nederlands.
        pub static NL: Messages = Messages { $($key: $nl,)* };
        /// English.
        pub static EN: Messages = Messages { $($key: $en,)* };
    };
}

catalogue! {
    // Layout and navigation.
    skip_link: "Naar de inhoud", "Skip to content";
    nav_label: "Hoofdmenu", "Main menu";
    nav_home: "Overzicht", "Overview";
    nav_authorisations: "Autorisaties", "Authorisations";
    nav_partnerships: "Partnerschappen", "Partnerships";
    nav_wallet: "Tegoed", "Wallet";
    nav_users: "Gebruikers", "Users";
    nav_audit: "Auditlog", "Audit log";
    nav_subscription: "Abonnement", "Subscription";
    logout: "Uitloggen", "Log out";
    switch_language: "English", "Nederlands";
    to_home: "Naar het overzicht", "Go to the overview";
    pages: "Pagina's", "Pages";
    page: "Pagina", "Page";
    previous: "Vorige", "Previous";
    next: "Volgende", "Next";
    newest: "Nieuwste", "Newest";
    older: "Ouder", "Older";
    upgrade_link: "Bekijk de abonnementen", "See the subscriptions";

    // Notices after a change (post, redirect, get).
    notice_created: "De administratie is aangemaakt.", "The administration was created.";
    notice_saved: "De wijzigingen zijn opgeslagen.", "The changes were saved.";
    notice_request_sent: "Het autorisatieverzoek is verstuurd.", "The authorisation request was sent.";
    notice_request_not_mailed: "Het verzoek is vastgelegd, maar de e-mail kon niet worden verstuurd. Verstuur het later opnieuw.", "The request was recorded, but the email could not be sent. Re-send it later.";
    notice_resent: "Er is een nieuwe activatielink verstuurd; de oude werkt niet meer.", "A new activation link was sent; the old one no longer works.";
    notice_withdrawn: "Het verzoek is ingetrokken.", "The request was withdrawn.";
    notice_accepted: "U hebt het verzoek geaccepteerd. Het partnerschap is actief.", "You accepted the request. The partnership is active.";
    notice_declined: "U hebt het verzoek afgewezen.", "You declined the request.";
    notice_revoked: "Het partnerschap is beëindigd; de koppelsleutels werken niet meer.", "The partnership was revoked; its connection keys no longer work.";
    notice_invited: "De uitnodiging is verstuurd.", "The invitation was sent.";
    notice_tier: "Het abonnement is gewijzigd.", "The subscription was changed.";
    notice_welcome: "Welkom bij Postbode.", "Welcome to Postbode.";
    notice_alert_resolved: "De melding is afgehandeld.", "The alert was marked as done.";

    // Sign-up and login.
    signup_title: "Account aanmaken", "Create an account";
    signup_intro: "Maak een omgeving aan voor uw kantoor of bedrijf. U wordt de eerste beheerder.", "Create an environment for your firm or business. You become its first administrator.";
    environment_name: "Naam van kantoor of bedrijf", "Name of the firm or business";
    your_name: "Uw naam", "Your name";
    email: "E-mailadres", "Email address";
    password: "Wachtwoord", "Password";
    password_new: "Wachtwoord (minstens 10 tekens)", "Password (at least 10 characters)";
    signup_button: "Account aanmaken", "Create account";
    have_account: "Hebt u al een account?", "Already have an account?";
    login_link: "Log in", "Log in";
    login_title: "Inloggen", "Log in";
    login_button: "Inloggen", "Log in";
    login_failed: "Dit e-mailadres en wachtwoord horen niet bij elkaar.", "This email address and password do not match.";
    no_account: "Nog geen account?", "No account yet?";
    signup_link: "Maak er een aan", "Create one";

    // Home.
    home_title: "Overzicht", "Overview";
    subscription: "Abonnement", "Subscription";
    balance: "Saldo", "Balance";
    change: "Wijzigen", "Change";
    administrations: "Administraties", "Administrations";
    administration: "Administratie", "Administration";
    open_alerts: "Openstaande meldingen", "Open alerts";
    resolve_alert: "Afgehandeld", "Done";
    new_administration: "Nieuwe administratie", "New administration";
    request_authorisation: "Autorisatie aanvragen", "Request authorisation";
    filter_administrations: "Administraties zoeken en filteren", "Search and filter administrations";
    search: "Zoeken", "Search";
    search_hint: "Naam, KvK of btw-nummer", "Name, KvK or VAT number";
    status: "Status", "Status";
    all: "Alle", "All";
    ledger: "Boekhoudpakket", "Accounting package";
    ledger_other: "Ander pakket (REST API)", "Other (REST API)";
    sort: "Sorteren", "Sort";
    sort_name: "Naam (A–Z)", "Name (A–Z)";
    sort_name_desc: "Naam (Z–A)", "Name (Z–A)";
    sort_created: "Oudste eerst", "Oldest first";
    sort_created_desc: "Nieuwste eerst", "Newest first";
    apply: "Toepassen", "Apply";
    no_administrations: "Geen administraties gevonden.", "No administrations found.";
    name: "Naam", "Name";
    relation: "Relatie", "Relation";
    own: "Eigen", "Own";
    client: "Klant", "Client";
    transactions_this_month: "Transacties deze maand", "Transactions this month";
    active: "Actief", "Active";
    archived: "Gearchiveerd", "Archived";

    // Organisations.
    legal_name: "Statutaire naam", "Legal name";
    kvk: "KvK-nummer", "KvK number";
    vat: "Btw-nummer", "VAT number";
    oin: "OIN", "OIN";
    gln: "GLN", "GLN";
    street: "Straat en huisnummer", "Street and number";
    postcode: "Postcode", "Postcode";
    city: "Plaats", "City";
    country: "Land (ISO-code, bijv. NL)", "Country (ISO code, e.g. NL)";
    contact_name: "Contactpersoon", "Contact person";
    contact_email: "E-mailadres contactpersoon", "Contact email address";
    create: "Aanmaken", "Create";
    save: "Opslaan", "Save";
    settings: "Gegevens", "Details";
    participant_ids: "Peppol-deelnemer-id's", "Peppol participant ids";
    participant_ids_help: "Schrijf een id als schema:waarde, bijvoorbeeld 0106:12345678 (KvK) of 0190:… (OIN). De controlecijfers worden gecontroleerd.", "Write an id as scheme:value, for example 0106:12345678 (KvK) or 0190:… (OIN). Check digits are verified.";
    participant_id: "Peppol-deelnemer-id", "Peppol participant id";
    none_yet: "Nog geen.", "None yet.";
    remove: "Verwijderen", "Remove";
    add: "Toevoegen", "Add";
    email_aliases: "E-mailaliassen", "Email aliases";
    email_aliases_help: "Facturen die naar een alias worden gemaild, komen in deze administratie binnen.", "Invoices mailed to an alias arrive in this administration.";
    alias: "Alias", "Alias";
    budget: "Budget", "Budget";
    budget_help: "Een maandbudget voor de transactiekosten die u voor deze administratie betaalt, met een melding als het bijna op is. Laat het bedrag leeg om het budget te verwijderen.", "A monthly budget for the transaction costs you pay for this administration, with an alert when it is nearly used. Leave the amount empty to remove the budget.";
    budget_cap: "Maandbudget in euro", "Monthly budget in euros";
    alert_percent: "Melding bij (% van het budget)", "Alert at (% of the budget)";
    budget_cap_invalid: "Geef een bedrag in euro, zoals 150 of 150,00.", "Give an amount in euros, such as 150 or 150.00.";
    alert_percent_invalid: "Geef een percentage van 1 tot 100.", "Give a percentage from 1 to 100.";
    spent_this_month: "Uitgegeven deze maand", "Spent this month";
    within: "Binnen budget", "Within budget";
    near: "Bijna op", "Nearly used";
    over: "Overschreden", "Exceeded";
    archive: "Archiveren", "Archive";
    archive_help: "Een gearchiveerde administratie blijft bewaard, maar er komt niets meer binnen of gaat niets meer uit.", "An archived administration is kept for the records, but nothing flows in or out.";
    reactivate: "Weer activeren", "Reactivate";

    // The five-step flow.
    flow_steps: "Stappen van de autorisatie", "Steps of the authorisation";
    step_request: "Verzoek", "Request";
    step_mail: "Activatielink", "Activation link";
    step_account: "Account van de klant", "Client's account";
    step_answer: "Akkoord", "Acceptance";
    step_keys: "Koppelsleutels", "Connection keys";
    wizard_intro: "Vraag uw klant om toegang tot de administratie. De klant krijgt een e-mail met een link die één keer werkt en verloopt.", "Ask your client for access to their administration. The client gets an email with a link that works once and expires.";
    client_ledger: "Boekhoudpakket van de klant", "The client's accounting package";
    client_email: "E-mailadres van de klant", "Client's email address";
    client_name: "Naam van de administratie", "Name of the administration";
    who_pays: "Wie betaalt de transactiekosten?", "Who pays the transaction costs?";
    we_pay: "Wij (ons kantoor)", "We do (our firm)";
    client_pays: "De klant zelf", "The client";
    send_request: "Verzoek versturen", "Send request";
    authorisation_requests: "Autorisatieverzoeken", "Authorisation requests";
    no_requests: "Nog geen verzoeken verstuurd.", "No requests sent yet.";
    expires: "Verloopt", "Expires";
    actions: "Acties", "Actions";
    sent_times: "verstuurd", "sent";
    resend: "Opnieuw versturen", "Re-send";
    withdraw: "Intrekken", "Withdraw";
    pending: "Wacht op klant", "Waiting for the client";
    accepted: "Geaccepteerd", "Accepted";
    declined: "Afgewezen", "Declined";
    expired: "Verlopen", "Expired";
    withdrawn: "Ingetrokken", "Withdrawn";
    paid_by_intermediary: "Intermediair", "Intermediary";
    paid_by_client: "Klant", "Client";

    // The client's acceptance page.
    activation_title: "Verzoek om toegang", "Request for access";
    asks_access_to: "vraagt toegang tot", "asks for access to";
    intermediary: "Intermediair", "Intermediary";
    you_pay: "U betaalt de transactiekosten zelf", "You pay the transaction costs yourself";
    pays_costs: "betaalt de transactiekosten", "pays the transaction costs";
    activation_explain: "Als u accepteert, mag de intermediair de e-facturen van deze administratie verwerken in het genoemde pakket. U kunt het partnerschap altijd weer beëindigen.", "If you accept, the intermediary may process this administration's e-invoices in the named package. You can revoke the partnership at any time.";
    new_here: "Nieuw bij Postbode?", "New to Postbode?";
    create_account_to_answer: "Maak een account aan; daarna beantwoordt u het verzoek.", "Create an account; then answer the request.";
    login_to_answer: "Inloggen om te antwoorden", "Log in to answer";
    administrator_must_answer: "Alleen een beheerder van uw omgeving kan dit verzoek beantwoorden.", "Only an administrator of your environment can answer this request.";
    your_answer: "Uw antwoord", "Your answer";
    link_to_administration: "Koppelen aan", "Link to";
    new_administration_from_request: "Een nieuwe administratie volgens dit verzoek", "A new administration as in this request";
    accept: "Accepteren", "Accept";
    decline: "Afwijzen", "Decline";
    link_gone_title: "Deze link werkt niet meer", "This link no longer works";

    // Partnerships and connection keys.
    partnerships: "Partnerschappen", "Partnerships";
    partnerships_intro: "Als intermediair beheert u hier de koppelsleutels van uw klanten; als klant ziet u wie uw administratie beheert.", "As an intermediary you manage your clients' connection keys here; as a client you see who manages your administration.";
    no_partnerships: "Nog geen partnerschappen.", "No partnerships yet.";
    our_role: "Onze rol", "Our role";
    other_side: "Andere partij", "Other side";
    revoked: "Beëindigd", "Revoked";
    app_key: "App Key", "App Key";
    no_keys: "Nog niet vrijgegeven", "Not released yet";
    release_keys: "Sleutels vrijgeven", "Release keys";
    rotate_keys: "Sleutels vernieuwen", "Rotate keys";
    revoke: "Beëindigen", "Revoke";
    connection_keys: "Koppelsleutels", "Connection keys";
    shown_once: "Alleen nu zichtbaar.", "Shown only now.";
    shown_once_explain: "Het Secret wordt niet bewaard en wordt niet nog eens getoond. Plak de sleutels nu in het boekhoudpakket; kwijt betekent vernieuwen.", "The Secret is not stored and will not be shown again. Paste the keys into the accounting package now; if they are lost, rotate them.";
    paste_into_package: "Plak deze in het boekhoudpakket", "Paste these into the accounting package";
    secret: "Secret", "Secret";
    quick_connect: "Quick Connect (alles in één)", "Quick Connect (all in one)";
    quick_connect_help: "Quick Connect bevat het adres van deze hub, de App Key en het Secret.", "Quick Connect holds this hub's address, the App Key and the Secret.";
    keys_expire: "De sleutels verlopen op", "The keys expire on";
    copy: "Kopiëren", "Copy";
    copied: "Gekopieerd.", "Copied.";
    copy_fallback: "Kopiëren lukte niet; de tekst is geselecteerd, druk op Ctrl+C (of ⌘C).", "Copying failed; the text is selected, press Ctrl+C (or ⌘C).";
    keys_stored: "Ik heb de sleutels opgeslagen", "I have stored the keys";

    // Wallet and "Paid by".
    wallet: "Tegoed", "Wallet";
    overdrawn: "Het saldo is negatief: versturen via de API en automatisch versturen staan stil tot er is bijgestort. Ontvangen gaat gewoon door.", "The balance is negative: sending through the API and automatic sending are blocked until the wallet is topped up. Receiving goes on.";
    top_up_help: "Tegoed wordt bijgestort door de beheerder van deze hub.", "Credit is added by the operator of this hub.";
    paid_by: "Betaald door", "Paid by";
    paid_by_intro: "Per administratie: wie de transactiekosten betaalt, en het gebruik deze maand.", "Per administration: who pays the transaction costs, and this month's use.";
    payer: "Betaler", "Payer";
    cost_this_month: "Kosten deze maand", "Cost this month";
    transactions: "Transacties", "Transactions";
    no_transactions: "Nog geen transacties.", "No transactions yet.";
    date: "Datum", "Date";
    kind: "Soort", "Kind";
    reference: "Referentie", "Reference";
    amount: "Bedrag", "Amount";
    balance_after: "Saldo na", "Balance after";
    prices: "Prijzen", "Prices";
    price: "Prijs", "Price";
    kind_top_up: "Bijstorting", "Top-up";
    kind_manual_send: "Handmatig versturen", "Manual send";
    kind_automatic_send: "Automatisch versturen", "Automatic send";
    kind_api_send: "Versturen via de API", "Send through the API";
    kind_xml_received: "XML ontvangen", "XML received";
    kind_pdf_conversion: "PDF omzetten", "PDF conversion";

    // Users.
    users: "Gebruikers", "Users";
    role: "Rol", "Role";
    role_administrator: "Beheerder", "Administrator";
    role_advanced: "Gevorderd", "Advanced";
    role_basic: "Basis", "Basic";
    roles_explain: "Beheerders mogen alles; gevorderde gebruikers werken in alle administraties maar niet aan gebruikers en betalingen; basisgebruikers alleen in de administraties die ze krijgen.", "Administrators may do everything; advanced users work on every administration but not on users and billing; basic users only on the administrations they are given.";
    invite_user: "Iemand uitnodigen", "Invite someone";
    send_invitation: "Uitnodiging versturen", "Send invitation";
    join_title: "Uitnodiging accepteren", "Accept the invitation";
    join_intro: "Kies uw naam en een wachtwoord; daarna bent u ingelogd.", "Choose your name and a password; then you are logged in.";
    join_button: "Account aanmaken", "Create account";
    choose_administrations: "Administraties kiezen", "Choose administrations";
    rights_of: "Administraties van", "Administrations of";
    rights_intro: "Een basisgebruiker werkt alleen in de aangevinkte administraties. Opslaan geldt voor de administraties op deze pagina; zoek of blader voor de andere.", "A basic user works only on the ticked administrations. Saving applies to the administrations on this page; search or turn the page for the others.";
    rights_not_needed: "Beheerders en gevorderde gebruikers werken in alle administraties; rechten per administratie gelden alleen voor basisgebruikers.", "Administrators and advanced users work on every administration; rights per administration apply to basic users only.";
    may_work_on: "Mag werken in", "May work on";
    save_rights: "Rechten opslaan", "Save rights";
    back_to_users: "Terug naar de gebruikers", "Back to the users";

    // Audit log.
    audit_log: "Auditlog", "Audit log";
    audit_intro: "Elke stap wordt hier vastgelegd, in een keten die niet ongemerkt te wijzigen is.", "Every step is recorded here, in a chain that cannot be changed unnoticed.";
    no_entries: "Nog niets vastgelegd.", "Nothing recorded yet.";
    actor: "Wie", "Who";
    action: "Wat", "What";
    subject: "Waaraan", "Subject";
    details: "Details", "Details";

    // Subscription.
    payment_outside: "Postbode is open source: deze hub rekent zelf geen abonnementen af. Een beheerder kiest hier het niveau; betalen (als de aanbieder van deze hub dat vraagt) gaat buiten deze hub om.", "Postbode is open source: this hub does not charge for subscriptions itself. An administrator chooses the tier here; payment (if the operator of this hub asks for it) happens outside this hub.";
    current_tier: "Huidig", "Current";
    switch_to: "Overstappen naar", "Switch to";
    administrator_switches: "Alleen een beheerder kan het abonnement wijzigen.", "Only an administrator can change the subscription.";
    tier_free: "Het factuurportaal en handmatig versturen, voor één eigen administratie.", "The invoice portal and manual sending, for one own administration.";
    tier_basic: "Alles van Free, plus:", "Everything in Free, plus:";
    tier_professional: "Alles van Basic, plus:", "Everything in Basic, plus:";
    feature_authorisation_requests: "Autorisatieverzoeken aan klanten", "Authorisation requests to clients";
    feature_unlimited_organisations: "Onbeperkt administraties", "Unlimited administrations";
    feature_email_receiver: "Facturen ontvangen per e-mail", "Receiving invoices by email";
    feature_administration_detection: "Administratieherkenning", "Administration detection";
    feature_autopilot: "De Autopilot (boekingsvoorstellen)", "The Autopilot (posting proposals)";
    feature_extra_recognition_fields: "Extra herkenningsvelden", "Extra recognition fields";
    tier_gate: "Hiervoor is minimaal dit abonnement nodig:", "This needs at least this subscription:";

    // Peppol per administration.
    peppol: "Peppol", "Peppol";
    peppol_open: "Peppol-registratie en documenten", "Peppol registration and documents";
    back_to_administration: "Terug naar de administratie", "Back to the administration";
    registration: "Registratie", "Registration";
    registered: "Geregistreerd", "Registered";
    not_registered: "Niet geregistreerd: via Peppol kan niemand deze administratie bereiken.", "Not registered: nobody can reach this administration over Peppol.";
    capabilities: "Ontvangt", "Receives";
    registered_since: "Geregistreerd sinds", "Registered since";
    capability_invoice: "Facturen", "Invoices";
    capability_credit_note: "Creditnota's", "Credit notes";
    capability_invoice_response: "Factuurreacties", "Invoice responses";
    last_inbound: "Laatste bericht ontvangen", "Last message received";
    last_outbound: "Laatste bericht verstuurd", "Last message sent";
    message_id: "Bericht-id", "Message id";
    counterpart_ap: "Accesspoint van de andere kant", "Access point on the other side";
    at_time: "Tijdstip", "Time";
    exchange_received: "Ontvangen", "Received";
    exchange_sent: "Verstuurd", "Sent";
    exchange_pending: "Wordt verstuurd", "Being sent";
    exchange_failed: "Mislukt", "Failed";
    enrol: "Registreren of wijzigen", "Register or change";
    enrol_help: "Publiceert het deelnemer-id in het adresboek (SMP) van deze hub, met de documentsoorten die de administratie ontvangt.", "Publishes the participant id in this hub's address book (SMP), with the kinds of document the administration receives.";
    choose_capability: "Kies minstens één documentsoort.", "Choose at least one kind of document.";
    deregister: "Afmelden bij Peppol", "Deregister from Peppol";
    deregister_help: "Haalt de registratie uit het adresboek; het deelnemer-id blijft bij de administratie.", "Removes the registration from the address book; the participant id stays with the administration.";
    migration_key: "Migratiesleutel", "Migration key";
    migration_key_help: "Voor een overstap naar een andere Peppol-aanbieder. Een nieuwe sleutel vervangt de vorige.", "For moving to another Peppol provider. A new key replaces the previous one.";
    issue_migration_key: "Migratiesleutel aanmaken", "Issue a migration key";
    migration_key_once: "De sleutel wordt niet bewaard en niet nog eens getoond. Geef hem nu aan de nieuwe aanbieder.", "The key is not stored and will not be shown again. Give it to the new provider now.";
    valid_until: "Geldig tot", "Valid until";
    documents: "Documenten", "Documents";
    no_documents: "Nog geen documenten.", "No documents yet.";
    channel: "Kanaal", "Channel";
    sender: "Afzender", "Sender";
    channel_peppol: "Peppol", "Peppol";
    channel_email: "E-mail", "Email";
    channel_upload: "Geüpload", "Upload";
    channel_api: "REST API", "REST API";
    channel_portal: "Factuurportaal", "Invoice portal";
    size_bytes: "Grootte (bytes)", "Size (bytes)";
    download_original: "Origineel", "Original";
    notice_registered: "De Peppol-registratie is opgeslagen.", "The Peppol registration was saved.";
    notice_deregistered: "De administratie is afgemeld bij Peppol.", "The administration was deregistered from Peppol.";
}

impl Messages {
    /// An accounting package's name; only "other" is translated.
    pub fn ledger_name(&self, ledger: &Ledger) -> &'static str {
        match *ledger {
            Ledger::Other => self.ledger_other,
            named => named.label(),
        }
    }

    /// An organisation's status.
    pub fn organisation_status(&self, status: &OrganisationStatus) -> &'static str {
        match *status {
            OrganisationStatus::Active => self.active,
            OrganisationStatus::Archived => self.archived,
        }
    }

    /// Where an authorisation request stands.
    pub fn request_status(&self, status: &RequestStatus) -> &'static str {
        match *status {
            RequestStatus::Pending => self.pending,
            RequestStatus::Accepted => self.accepted,
            RequestStatus::Declined => self.declined,
            RequestStatus::Expired => self.expired,
            RequestStatus::Withdrawn => self.withdrawn,
        }
    }

    /// Who pays, as a column value.
    pub fn paid_by_name(&self, paid_by: &PaidBy) -> &'static str {
        match *paid_by {
            PaidBy::Intermediary => self.paid_by_intermediary,
            PaidBy::Client => self.paid_by_client,
        }
    }

    /// A user's role.
    pub fn role_name(&self, role: &Role) -> &'static str {
        match *role {
            Role::Administrator => self.role_administrator,
            Role::Advanced => self.role_advanced,
            Role::Basic => self.role_basic,
        }
    }

    /// A wallet movement's kind.
    pub fn kind_name(&self, kind: &Kind) -> &'static str {
        match *kind {
            Kind::TopUp => self.kind_top_up,
            Kind::ManualSend => self.kind_manual_send,
            Kind::AutomaticSend => self.kind_automatic_send,
            Kind::ApiSend => self.kind_api_send,
            Kind::XmlReceived => self.kind_xml_received,
            Kind::PdfConversion => self.kind_pdf_conversion,
        }
    }

    /// Where spending stands against a budget.
    pub fn budget_state(&self, state: &BudgetState) -> &'static str {
        match *state {
            BudgetState::Within => self.within,
            BudgetState::Near => self.near,
            BudgetState::Over => self.over,
        }
    }

    /// A gated feature.
    pub fn feature(&self, feature: &Feature) -> &'static str {
        match *feature {
            Feature::AuthorisationRequests => self.feature_authorisation_requests,
            Feature::UnlimitedOrganisations => self.feature_unlimited_organisations,
            Feature::EmailReceiver => self.feature_email_receiver,
            Feature::AdministrationDetection => self.feature_administration_detection,
            Feature::Autopilot => self.feature_autopilot,
            Feature::ExtraRecognitionFields => self.feature_extra_recognition_fields,
        }
    }

    /// What a tier is, in one sentence.
    pub fn tier_summary(&self, tier: &Tier) -> &'static str {
        match *tier {
            Tier::Free => self.tier_free,
            Tier::Basic => self.tier_basic,
            Tier::Professional => self.tier_professional,
        }
    }

    /// What a Peppol capability lets an organisation receive.
    pub fn capability(&self, capability: &Capability) -> &'static str {
        match *capability {
            Capability::Invoice => self.capability_invoice,
            Capability::CreditNote => self.capability_credit_note,
            Capability::InvoiceResponse => self.capability_invoice_response,
        }
    }

    /// How a document came in or went out; a channel this UI does not know is shown as stored.
    pub fn channel<'a>(&self, channel: &'a str) -> &'a str {
        match channel {
            "peppol" => self.channel_peppol,
            "email" => self.channel_email,
            "upload" => self.channel_upload,
            "api" => self.channel_api,
            "portal" => self.channel_portal,
            other => other,
        }
    }

    /// Where a Peppol exchange stands; a status this UI does not know is shown as stored.
    pub fn exchange_status<'a>(&self, status: &'a str) -> &'a str {
        match status {
            "received" => self.exchange_received,
            "sent" => self.exchange_sent,
            "pending" => self.exchange_pending,
            "failed" => self.exchange_failed,
            other => other,
        }
    }

    /// The five steps of the intermediary flow, numbered from 1.
    pub fn flow(&self) -> [(u8, &'static str); 5] {
        [
            (1, self.step_request),
            (2, self.step_mail),
            (3, self.step_account),
            (4, self.step_answer),
            (5, self.step_keys),
        ]
    }

    /// The text for a `?notice=` key after a redirect; unknown keys show nothing, so the
    /// address cannot put words on a page.
    pub fn notice(&self, key: &str) -> Option<&'static str> {
        Some(match key {
            "created" => self.notice_created,
            "saved" => self.notice_saved,
            "request_sent" => self.notice_request_sent,
            "request_not_mailed" => self.notice_request_not_mailed,
            "resent" => self.notice_resent,
            "withdrawn" => self.notice_withdrawn,
            "accepted" => self.notice_accepted,
            "declined" => self.notice_declined,
            "revoked" => self.notice_revoked,
            "invited" => self.notice_invited,
            "tier" => self.notice_tier,
            "welcome" => self.notice_welcome,
            "alert_resolved" => self.notice_alert_resolved,
            "registered" => self.notice_registered,
            "deregistered" => self.notice_deregistered,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, header};

    #[test]
    fn the_cookie_wins_then_the_stored_locale_then_the_browser() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("en-GB,en;q=0.8"),
        );
        assert_eq!(Lang::of(&h, None), Lang::En);
        assert_eq!(Lang::of(&h, Some("nl")), Lang::Nl);
        h.insert(header::COOKIE, HeaderValue::from_static("lang=en"));
        assert_eq!(Lang::of(&h, Some("nl")), Lang::En);
        assert_eq!(Lang::of(&HeaderMap::new(), None), Lang::Nl);
    }

    #[test]
    fn both_catalogues_differ_where_the_languages_do() {
        assert_eq!(NL.logout, "Uitloggen");
        assert_eq!(EN.logout, "Log out");
        assert_eq!(NL.ledger_name(&Ledger::Other), "Ander pakket (REST API)");
        assert_eq!(EN.ledger_name(&Ledger::Other), "Other (REST API)");
        assert_eq!(EN.ledger_name(&Ledger::ExactOnline), "Exact Online");
    }

    #[test]
    fn unknown_notices_show_nothing() {
        assert_eq!(EN.notice("saved"), Some(EN.notice_saved));
        assert_eq!(EN.notice("<script>"), None);
    }
}

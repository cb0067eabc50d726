//! Organisations, users and access on both backends: identifier checks, the Free tier's one
//! organisation, the overview's search, filters, sorting and paging, invitations, roles and
//! a basic user's rights, and login sessions.

use hub::environment::SignUp;
use hub::organisation::{Details, Ledger, Query, Status};
use hub::subscription::{Feature, Tier};
use hub::testing::TestHub;
use hub::user::{AcceptInvitation, Invite};
use hub::{Error, Principal, Role};

fn named(name: &str) -> Details {
    Details {
        name: name.into(),
        ..Details::default()
    }
}

fn invalid_field(r: Result<impl std::fmt::Debug, Error>) -> &'static str {
    match r {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

async fn identifiers_are_checked(t: &TestHub) {
    let p = t.sign_up("Kantoor", "a@kantoor.test").await;
    t.hub.set_tier(&p, Tier::Basic).await.expect("tier");
    let bad = |f: fn(&mut Details)| {
        let mut d = named("Test B.V.");
        f(&mut d);
        d
    };
    assert_eq!(
        invalid_field(
            t.hub
                .create_organisation(&p, bad(|d| d.kvk = Some("1234567".into())))
                .await
        ),
        "kvk"
    );
    assert_eq!(
        invalid_field(
            t.hub
                .create_organisation(&p, bad(|d| d.gln = Some("8712345678900".into())))
                .await
        ),
        "gln"
    );
    assert_eq!(
        invalid_field(
            t.hub
                .create_organisation(&p, bad(|d| d.vat = Some("NL12345678B01".into())))
                .await
        ),
        "vat"
    );
    assert_eq!(
        invalid_field(
            t.hub
                .create_organisation(&p, bad(|d| d.oin = Some("123".into())))
                .await
        ),
        "oin"
    );
    assert_eq!(
        invalid_field(
            t.hub
                .create_organisation(&p, bad(|d| d.name = "  ".into()))
                .await
        ),
        "name"
    );
    assert_eq!(
        invalid_field(
            t.hub
                .create_organisation(&p, bad(|d| d.contact_email = Some("nope".into())))
                .await
        ),
        "contact_email"
    );
    let ok = t
        .hub
        .create_organisation(
            &p,
            Details {
                name: " Bakkerij B.V. ".into(),
                kvk: Some("1234 5678".into()),
                vat: Some("nl123456789b01".into()),
                gln: Some("8712345678906".into()),
                ledger: Ledger::ExactOnline,
                ..Details::default()
            },
        )
        .await
        .expect("valid organisation");
    assert_eq!(ok.details.name, "Bakkerij B.V.");
    assert_eq!(ok.details.kvk.as_deref(), Some("12345678"));
    assert_eq!(ok.details.vat.as_deref(), Some("NL123456789B01"));
    assert_eq!(ok.details.country.as_deref(), Some("NL"));

    // Participant ids: check digits, uniqueness on the hub, removal.
    let refused = t
        .hub
        .add_participant_id(&p, ok.id, "0088:8712345678900")
        .await;
    let Err(Error::Invalid { message, .. }) = refused else {
        panic!("{refused:?}")
    };
    assert!(message.contains("0088"), "{message}");
    let with = t
        .hub
        .add_participant_id(&p, ok.id, "iso6523-actorid-upis::0088:8712345678906")
        .await
        .expect("add");
    assert_eq!(with.participant_ids, vec!["0088:8712345678906".to_owned()]);
    let other = t
        .hub
        .create_organisation(&p, named("Ander B.V."))
        .await
        .expect("second");
    assert!(matches!(
        t.hub
            .add_participant_id(&p, other.id, "0088:8712345678906")
            .await,
        Err(Error::Conflict(_))
    ));
    let without = t
        .hub
        .remove_participant_id(&p, ok.id, "0088:8712345678906")
        .await
        .expect("remove");
    assert!(without.participant_ids.is_empty());

    // Email aliases are unique and well-formed.
    t.hub
        .add_email_alias(&p, ok.id, "Bakkerij")
        .await
        .expect("alias");
    assert!(matches!(
        t.hub.add_email_alias(&p, other.id, "bakkerij").await,
        Err(Error::Conflict(_))
    ));
    assert_eq!(
        invalid_field(t.hub.add_email_alias(&p, other.id, "a b").await),
        "alias"
    );
}

async fn free_tier_has_one_organisation(t: &TestHub) {
    let p = t.sign_up("ZZP", "z@zzp.test").await;
    let first = t
        .hub
        .create_organisation(&p, named("Eerste"))
        .await
        .expect("first is free");
    let second = t.hub.create_organisation(&p, named("Tweede")).await;
    let Err(e) = second else {
        panic!("a second organisation on Free")
    };
    assert!(matches!(
        e,
        Error::TierRequired {
            feature: Feature::UnlimitedOrganisations,
            tier: Tier::Basic
        }
    ));
    assert!(e.to_string().contains("Basic"), "{e}");
    assert!(matches!(
        t.hub.add_email_alias(&p, first.id, "eerste").await,
        Err(Error::TierRequired {
            feature: Feature::EmailReceiver,
            ..
        })
    ));
    t.hub.set_tier(&p, Tier::Basic).await.expect("tier");
    t.hub
        .create_organisation(&p, named("Tweede"))
        .await
        .expect("Basic has unlimited organisations");
}

async fn overview_searches_filters_sorts_and_pages(t: &TestHub) {
    let p = t.sign_up("Kantoor", "a@kantoor.test").await;
    t.hub.set_tier(&p, Tier::Basic).await.expect("tier");
    let names = [
        "Appel B.V.",
        "bakker & Zn",
        "Citroen",
        "Dadel Holding",
        "Eikel",
        "Appelmoes",
        "Zuurdesem",
    ];
    for (i, name) in names.iter().enumerate() {
        let ledger = if i % 2 == 0 {
            Ledger::Yuki
        } else {
            Ledger::Twinfield
        };
        let o = t
            .hub
            .create_organisation(
                &p,
                Details {
                    ledger,
                    ..named(name)
                },
            )
            .await
            .expect("org");
        if *name == "Eikel" {
            t.hub
                .set_organisation_status(&p, o.id, Status::Archived)
                .await
                .expect("archive");
        }
    }
    let names_of = |page: hub::organisation::Page<hub::organisation::Summary>| {
        page.items.into_iter().map(|s| s.name).collect::<Vec<_>>()
    };
    let p = &p;
    let q = |q: Query| async move { t.hub.organisations(p, &q).await.expect("list") };

    assert_eq!(
        names_of(
            q(Query {
                q: Some("APPEL".into()),
                ..Query::default()
            })
            .await
        ),
        ["Appel B.V.", "Appelmoes"]
    );
    assert_eq!(
        names_of(
            q(Query {
                status: Some(Status::Archived),
                ..Query::default()
            })
            .await
        ),
        ["Eikel"]
    );
    let yuki = q(Query {
        ledger: Some(Ledger::Yuki),
        ..Query::default()
    })
    .await;
    assert_eq!(yuki.total, 4);
    assert!(yuki.items.iter().all(|s| s.ledger == Ledger::Yuki));
    let desc = names_of(
        q(Query {
            sort: Some("-name".into()),
            ..Query::default()
        })
        .await,
    );
    assert_eq!(desc.first().map(String::as_str), Some("Zuurdesem"));
    assert!(matches!(
        t.hub
            .organisations(
                p,
                &Query {
                    sort: Some("price".into()),
                    ..Query::default()
                }
            )
            .await,
        Err(Error::Invalid { field: "sort", .. })
    ));

    // Pages are disjoint and cover everything.
    let mut seen = Vec::new();
    for page in 1..=3 {
        let got = q(Query {
            page: Some(page),
            per_page: Some(3),
            ..Query::default()
        })
        .await;
        assert_eq!(got.total, 7);
        seen.extend(got.items.into_iter().map(|s| s.id));
    }
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (7, 7));
}

async fn roles_rights_and_invitations(t: &TestHub) {
    let admin = t.sign_up("Kantoor", "a@kantoor.test").await;
    t.hub.set_tier(&admin, Tier::Basic).await.expect("tier");
    let granted = t
        .hub
        .create_organisation(&admin, named("Toegestaan"))
        .await
        .expect("org");
    let hidden = t
        .hub
        .create_organisation(&admin, named("Verborgen"))
        .await
        .expect("org");

    t.hub
        .invite(
            &admin,
            Invite {
                email: "b@kantoor.test".into(),
                role: Role::Basic,
            },
        )
        .await
        .expect("invite");
    let token = t.mailed_token("b@kantoor.test", "/invitation/");
    let (basic, _) = t
        .hub
        .accept_invitation(AcceptInvitation {
            token: token.clone(),
            name: "Bas".into(),
            password: "another long password".into(),
        })
        .await
        .expect("accept");
    let replay = t
        .hub
        .accept_invitation(AcceptInvitation {
            token,
            name: "Bas".into(),
            password: "another long password".into(),
        })
        .await;
    assert!(matches!(replay, Err(Error::Gone(_))), "{replay:?}");
    let basic = Principal::User(basic);

    // A basic user reaches only what they were given.
    assert_eq!(
        t.hub
            .organisations(&basic, &Query::default())
            .await
            .expect("list")
            .total,
        0
    );
    t.hub
        .set_right(&admin, user_id(&basic), granted.id, true)
        .await
        .expect("grant");
    let visible = t
        .hub
        .organisations(&basic, &Query::default())
        .await
        .expect("list");
    assert_eq!(
        visible.items.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![granted.id]
    );
    assert!(matches!(
        t.hub.organisation(&basic, hidden.id).await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        t.hub.create_organisation(&basic, named("Nee")).await,
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(t.hub.users(&basic).await.map(|u| u.len()), Ok(2)));
    assert!(matches!(
        t.hub
            .invite(
                &basic,
                Invite {
                    email: "x@y.test".into(),
                    role: Role::Administrator
                }
            )
            .await,
        Err(Error::Forbidden(_))
    ));
    t.hub
        .set_right(&admin, user_id(&basic), granted.id, false)
        .await
        .expect("revoke");
    assert!(matches!(
        t.hub.organisation(&basic, granted.id).await,
        Err(Error::NotFound(_))
    ));

    // Roles: an administrator cannot demote themselves.
    assert!(matches!(
        t.hub.set_role(&admin, user_id(&admin), Role::Basic).await,
        Err(Error::Conflict(_))
    ));
    let promoted = t
        .hub
        .set_role(&admin, user_id(&basic), Role::Advanced)
        .await
        .expect("promote");
    assert_eq!(promoted.role, Role::Advanced);

    // Another environment's administrator reaches none of it.
    let stranger = t.sign_up("Ander kantoor", "s@ander.test").await;
    assert!(matches!(
        t.hub.organisation(&stranger, granted.id).await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        t.hub
            .set_role(&stranger, user_id(&basic), Role::Administrator)
            .await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        t.hub
            .set_right(&stranger, user_id(&basic), granted.id, true)
            .await,
        Err(Error::NotFound(_))
    ));
    assert_eq!(
        t.hub
            .organisations(&stranger, &Query::default())
            .await
            .expect("list")
            .total,
        0
    );
}

async fn rights_are_read_and_changed_all_or_none(t: &TestHub) {
    let admin = t.sign_up("Kantoor", "a@kantoor.test").await;
    t.hub.set_tier(&admin, Tier::Basic).await.expect("tier");
    let one = t
        .hub
        .create_organisation(&admin, named("Een"))
        .await
        .expect("org");
    let two = t
        .hub
        .create_organisation(&admin, named("Twee"))
        .await
        .expect("org");
    let stranger = t.sign_up("Ander kantoor", "s@ander.test").await;
    let foreign = t
        .hub
        .create_organisation(&stranger, named("Vreemd"))
        .await
        .expect("org");
    t.hub
        .invite(
            &admin,
            Invite {
                email: "b@kantoor.test".into(),
                role: Role::Basic,
            },
        )
        .await
        .expect("invite");
    let (basic, _) = t
        .hub
        .accept_invitation(AcceptInvitation {
            token: t.mailed_token("b@kantoor.test", "/invitation/"),
            name: "Bas".into(),
            password: "another long password".into(),
        })
        .await
        .expect("accept");
    let basic = Principal::User(basic);
    let id = user_id(&basic);
    let admin = &admin;
    let rights = || async move { t.hub.rights(admin, id).await.expect("rights") };
    assert!(rights().await.is_empty());
    t.hub
        .set_rights(admin, id, &[(one.id, true), (two.id, true)])
        .await
        .expect("grant both");
    assert_eq!(rights().await, [one.id, two.id]);
    // An organisation out of reach refuses the whole change.
    assert!(matches!(
        t.hub
            .set_rights(admin, id, &[(one.id, false), (foreign.id, true)])
            .await,
        Err(Error::NotFound(_))
    ));
    assert_eq!(rights().await, [one.id, two.id]);
    t.hub
        .set_rights(admin, id, &[(one.id, false), (two.id, true)])
        .await
        .expect("revoke one");
    assert_eq!(rights().await, [two.id]);
    let log = t.hub.audit_log(admin, None, 200).await.expect("audit");
    let audited = |action: &str| log.iter().filter(|e| e.action == action).count();
    assert_eq!(
        (audited("user.right_granted"), audited("user.right_revoked")),
        (2, 1),
        "only real changes are audited"
    );
    let too_many: Vec<(i64, bool)> = (0..201).map(|_| (two.id, true)).collect();
    assert_eq!(
        invalid_field(t.hub.set_rights(admin, id, &too_many).await),
        "rights"
    );

    // Only an administrator of the user's own environment reads them.
    assert!(matches!(
        t.hub.rights(&basic, id).await,
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        t.hub.rights(&stranger, id).await,
        Err(Error::NotFound(_))
    ));
}

fn user_id(p: &Principal) -> i64 {
    match p {
        Principal::User(u) => u.user_id,
        _ => panic!("not a user"),
    }
}

async fn login_sessions(t: &TestHub) {
    t.sign_up("Kantoor", "a@kantoor.test").await;
    assert!(matches!(
        t.hub.login("a@kantoor.test", "wrong password").await,
        Err(Error::Unauthenticated)
    ));
    assert!(matches!(
        t.hub
            .login("nobody@kantoor.test", "correct horse battery")
            .await,
        Err(Error::Unauthenticated)
    ));
    let (_, session) = t
        .hub
        .login(" A@Kantoor.test ", "correct horse battery")
        .await
        .expect("login");
    let active = t.hub.session(&session.token).await.expect("session");
    assert_eq!(active.user.email, "a@kantoor.test");
    assert_eq!(active.csrf, session.csrf);
    t.hub.clock().advance(chrono::Duration::hours(13));
    assert!(
        matches!(
            t.hub.session(&session.token).await,
            Err(Error::Unauthenticated)
        ),
        "sessions expire"
    );
    let (_, again) = t
        .hub
        .login("a@kantoor.test", "correct horse battery")
        .await
        .expect("login");
    t.hub.logout(&again.token).await.expect("logout");
    assert!(matches!(
        t.hub.session(&again.token).await,
        Err(Error::Unauthenticated)
    ));
    // One account per email address.
    let (dup, _) = (
        t.hub
            .sign_up(SignUp {
                environment_name: "Dubbel".into(),
                name: "X".into(),
                email: "A@kantoor.test".into(),
                password: "correct horse battery".into(),
                locale: None,
            })
            .await,
        (),
    );
    assert!(matches!(dup, Err(Error::Conflict(_))));
    let short = t
        .hub
        .sign_up(SignUp {
            environment_name: "K".into(),
            name: "X".into(),
            email: "k@k.test".into(),
            password: "short".into(),
            locale: None,
        })
        .await;
    assert_eq!(invalid_field(short), "password");
}

hub::on_both_backends!(
    identifiers_are_checked,
    free_tier_has_one_organisation,
    overview_searches_filters_sorts_and_pages,
    roles_rights_and_invitations,
    rights_are_read_and_changed_all_or_none,
    login_sessions,
);

use autopilot::{Autopilot, Day, LineInput, Party, Posting, TrainOptions};
use rust_decimal::Decimal;

use crate::common::*;

fn hostile_lines() -> Vec<LineInput> {
    let texts = [
        "",
        "\u{0}\u{1}\u{feff}",
        "☃☃☃ 日本語 العربية 🎉",
        &"x".repeat(100_000),
        "'; DROP TABLE--",
    ];
    let amounts = [
        Decimal::ZERO,
        Decimal::MAX,
        Decimal::MIN,
        Decimal::new(-1, 28),
        Decimal::new(1, 0),
    ];
    texts
        .iter()
        .zip(amounts)
        .map(|(t, a)| LineInput {
            description: (*t).to_owned(),
            amount: a,
            seller_item_id: Some((*t).to_owned()),
            classification_codes: vec![(*t).to_owned()],
            ..LineInput::default()
        })
        .collect()
}

fn hostile_party() -> Party {
    Party {
        name: "\u{202e}ǝɯɐu".into(),
        iban: Some("💸".into()),
        vat: Some("".into()),
        ..Party::default()
    }
}

#[test]
fn empty_history_gives_no_confident_proposal() {
    let engine = Autopilot::train(&Vec::<Posting>::new(), &TrainOptions::default());
    for line in hostile_lines() {
        let p = engine.predict_line("nobody", Day(0), &hostile_party(), &line);
        assert!(p.ranked.is_empty());
        assert_eq!(p.confidence, 0.0);
        assert!(!p.auto());
    }
}

#[test]
fn one_line_history_is_not_trusted() {
    let one = vec![Posting {
        administration: "A".into(),
        date: Day(19_000),
        supplier: party(1),
        line: line("x", 100),
        account: "4000".into(),
        cost_centre: None,
    }];
    let engine = Autopilot::train(&one, &TrainOptions::default());
    let p = engine.predict_line("A", Day(19_001), &party(1), &line("x", 100));
    assert_eq!(p.ranked.first().map(|r| r.0.as_str()), Some("4000"));
    assert!(
        !p.auto(),
        "one posting is no basis for posting automatically"
    );
}

#[test]
fn hostile_input_never_panics_and_is_never_auto_posted() {
    let mut history = history(10, 50);
    for (i, l) in hostile_lines().into_iter().enumerate() {
        history.push(Posting {
            administration: ADMIN.into(),
            date: Day(19_500 + i as i32),
            supplier: hostile_party(),
            line: l,
            account: "☃ unseen account ☃".into(),
            // Garbage cost centres too: blank, control characters, very long, mixed scripts.
            cost_centre: [
                None,
                Some("  "),
                Some("\u{0}\u{feff}☃"),
                Some(&*"Z".repeat(10_000)),
            ]
            .get(i % 4)
            .copied()
            .flatten()
            .map(str::to_owned),
        });
    }
    let engine = Autopilot::train(&history, &TrainOptions::default());
    let setup = Setup::new();
    for l in hostile_lines() {
        let p = engine.predict_line(ADMIN, Day(19_600), &hostile_party(), &l);
        assert!(p.confidence.is_finite() && (0.0..=1.0).contains(&p.confidence));
        let mut inv = invoice(1, 0);
        inv.supplier = hostile_party();
        inv.lines = vec![l];
        let proposal = engine.propose(&setup.ctx(), &inv);
        assert_ne!(proposal.decision, autopilot::Decision::AutoPost);
        for line in &proposal.lines {
            if let Some(centre) = &line.cost_centre {
                assert!(
                    centre
                        .value
                        .as_deref()
                        .is_some_and(|c| !c.trim().is_empty())
                );
                assert!((0.0..1.0).contains(&centre.confidence), "{centre:?}");
            }
        }
    }
    // An administration the engine has never seen.
    let p = engine.predict_line("elsewhere", Day(19_600), &party(1), &line("levering", 100));
    assert!(!p.auto());
}

#[test]
fn garbage_csv_is_a_clear_error() {
    let e = autopilot::csvio::read_history("history", &b"\xff\xfe\x00garbage"[..]).unwrap_err();
    assert!(!e.to_string().is_empty());
    let text = "administration,date,supplier,supplier_id,description,amount,account\nA,2024-01-01,S,,d,12abc,4000\n";
    let e = autopilot::csvio::read_history("history", text.as_bytes()).unwrap_err();
    assert!(e.to_string().contains("amount `12abc`"), "{e}");
}

use autopilot::{Action, Alert, Condition, Decision, Explanation, Posting, Resolution, Rule};

use crate::common::*;

#[test]
fn a_known_supplier_is_posted_automatically() {
    let engine = trained();
    let setup = Setup::new();
    let (_, _, account, amount) = supplier(3);
    let p = engine.propose(&setup.ctx(), &invoice(3, amount * 100 + 500));
    assert_eq!(p.lines[0].account.value.as_deref(), Some(account.as_str()));
    assert!(
        matches!(p.lines[0].account.explanation, Explanation::History { supplier_lines, .. } if supplier_lines > 10)
    );
    assert_eq!(p.lines[0].vat_code.value.as_deref(), Some("V21"));
    assert!(
        matches!(p.relation, Resolution::Known { ref relation_id, .. } if relation_id == "R003")
    );
    assert_eq!(p.decision, Decision::AutoPost, "{p:#?}");
}

#[test]
fn a_rule_beats_the_model() {
    let engine = trained();
    let mut setup = Setup::new();
    setup.rules.push(Rule {
        name: "levering naar voorraad".into(),
        conditions: vec![
            Condition::Supplier(supplier(3).1),
            Condition::TextContains("LEVERING".into()),
        ],
        actions: vec![Action::SetAccount("3000".into())],
    });
    let p = engine.propose(&setup.ctx(), &invoice(3, supplier(3).3 * 100));
    let field = &p.lines[0].account;
    assert_eq!(field.value.as_deref(), Some("3000"));
    assert_eq!(
        field.explanation,
        Explanation::Rule("levering naar voorraad".into())
    );
    assert_eq!(field.confidence, 1.0);
    // The model on its own says otherwise.
    let model = engine.predict_line(
        ADMIN,
        invoice(3, 0).date,
        &party(3),
        &invoice(3, supplier(3).3 * 100).lines[0],
    );
    assert_ne!(model.ranked[0].0, "3000");
}

#[test]
fn never_auto_post_rule_forces_review() {
    let engine = trained();
    let mut setup = Setup::new();
    setup.rules.push(Rule {
        name: "alles nakijken".into(),
        conditions: vec![],
        actions: vec![Action::NeverAutoPost],
    });
    let p = engine.propose(&setup.ctx(), &invoice(3, supplier(3).3 * 100));
    assert!(
        matches!(p.decision, Decision::Review(ref r) if r.iter().any(|r| r.contains("alles nakijken")))
    );
}

#[test]
fn an_iban_change_blocks_auto_posting() {
    let engine = trained();
    let setup = Setup::new();
    let mut inv = invoice(3, supplier(3).3 * 100);
    assert_eq!(
        engine.propose(&setup.ctx(), &inv).decision,
        Decision::AutoPost
    );
    inv.supplier.iban = Some("NL02 RABO 0123 4567 89".into());
    let p = engine.propose(&setup.ctx(), &inv);
    assert!(
        p.alerts
            .iter()
            .any(|a| matches!(a, Alert::IbanChanged { .. })),
        "{:?}",
        p.alerts
    );
    assert!(
        matches!(p.decision, Decision::Review(ref r) if r.iter().any(|r| r.contains("bank account changed")))
    );
}

#[test]
fn an_amount_far_outside_the_usual_range_blocks_auto_posting() {
    let engine = trained();
    let setup = Setup::new();
    let p = engine.propose(&setup.ctx(), &invoice(3, supplier(3).3 * 100 * 500));
    assert!(
        p.alerts
            .iter()
            .any(|a| matches!(a, Alert::AmountOutsideRange { .. })),
        "{:?}",
        p.alerts
    );
    assert_ne!(p.decision, Decision::AutoPost);
}

fn posting(i: u64, day: u32, cents: i64, account: &str) -> Posting {
    Posting {
        administration: ADMIN.into(),
        date: autopilot::Day::from_civil(2024, 3, day),
        supplier: party(i),
        line: line("levering", cents),
        account: account.into(),
        cost_centre: None,
    }
}

#[test]
fn a_correction_changes_the_next_proposal() {
    let mut engine = trained();
    let mut setup = Setup::new();
    setup.relations = relations(80);
    // A supplier met once: the accountant corrects its second invoice, and the third follows.
    let inv = invoice(77, 12_345);
    engine.learn(&posting(77, 1, 12_000, "4100"));
    let before = engine.propose(&setup.ctx(), &inv);
    assert_eq!(before.lines[0].account.value.as_deref(), Some("4100"));
    engine.learn(&posting(77, 2, 12_345, "4999"));
    let after = engine.propose(&setup.ctx(), &inv);
    assert_eq!(
        after.lines[0].account.value.as_deref(),
        Some("4999"),
        "{:?}",
        after.lines[0].account
    );
}

#[test]
fn a_correction_moves_an_established_supplier_towards_the_new_account() {
    let mut engine = trained();
    let setup = Setup::new();
    let (_, _, account, amount) = supplier(5);
    let inv = invoice(5, amount * 100);
    let probability = |p: &autopilot::Proposal| {
        p.lines[0]
            .account
            .alternatives
            .iter()
            .find(|(a, _)| a == "4999")
            .map_or(0.0, |(_, p)| *p)
    };
    let before = engine.propose(&setup.ctx(), &inv);
    assert_eq!(
        before.lines[0].account.value.as_deref(),
        Some(account.as_str())
    );
    engine.learn(&posting(5, 1, amount * 100, "4999"));
    let after = engine.propose(&setup.ctx(), &inv);
    assert!(
        probability(&after) > 10.0 * probability(&before),
        "{:?}",
        after.lines[0].account
    );
}

#[test]
fn an_unknown_supplier_becomes_a_new_relation_and_is_reviewed() {
    let engine = trained();
    let setup = Setup::new();
    let mut inv = invoice(3, 10_000);
    inv.supplier = autopilot::Party {
        name: "Geheel Nieuw Installatiebedrijf".into(),
        kvk: Some("87654321".into()),
        vat: Some("NL000099998B57".into()),
        ..autopilot::Party::default()
    };
    let p = engine.propose(&setup.ctx(), &inv);
    assert!(
        matches!(p.relation, Resolution::New(ref n) if n.auto_create),
        "{:?}",
        p.relation
    );
    assert!(p.alerts.contains(&Alert::FirstInvoice));
    assert_ne!(p.decision, Decision::AutoPost);
}

#[test]
fn an_unknown_vat_situation_blocks_auto_posting() {
    let engine = trained();
    let setup = Setup::new();
    let mut inv = invoice(3, supplier(3).3 * 100);
    inv.lines[0].vat = None;
    let p = engine.propose(&setup.ctx(), &inv);
    assert!(
        p.alerts
            .iter()
            .any(|a| matches!(a, Alert::UnknownVat { line: 1, .. }))
    );
    assert_eq!(p.lines[0].vat_code.value, None);
    assert_ne!(p.decision, Decision::AutoPost);
}

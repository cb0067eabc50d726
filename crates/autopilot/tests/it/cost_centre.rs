use autopilot::{
    Action, Autopilot, Condition, Decision, Explanation, Posting, Proposal, Rule, TrainOptions,
};

use crate::common::*;

/// The synthetic firm, with cost centres: supplier `i`'s lines go to "ICT" when `i` is a
/// multiple of 4, alternate between "ICT" and "HR" when it is 2 more than one, and have none
/// otherwise.
fn trained_with_centres() -> Autopilot {
    let mut history = history(30, 400);
    for (n, p) in history.iter_mut().enumerate() {
        let i = supplier_number(p);
        p.cost_centre = match i % 4 {
            0 => Some("ICT".into()),
            2 => Some(if n % 2 == 0 { "ICT" } else { "HR" }.into()),
            _ => None,
        };
    }
    Autopilot::train(&history, &TrainOptions::default())
}

/// The proposal for an ordinary invoice of supplier `i`: its usual amount plus five.
fn propose(engine: &Autopilot, i: u64) -> Proposal {
    engine.propose(&Setup::new().ctx(), &invoice(i, supplier(i).3 * 100 + 500))
}

fn supplier_number(p: &Posting) -> u64 {
    (0..30)
        .find(|&i| supplier(i).1 == p.supplier.name)
        .expect("a synthetic supplier")
}

#[test]
fn a_cost_centre_is_learned_from_the_accounts_earlier_lines() {
    let engine = trained_with_centres();
    let p = propose(&engine, 4);
    assert_eq!(p.lines[0].account.value, Some(supplier(4).2));
    let centre = p.lines[0].cost_centre.as_ref().expect("a cost centre");
    assert_eq!(centre.value.as_deref(), Some("ICT"));
    assert!(centre.confidence > 0.99, "{centre:?}");
    assert!(
        matches!(&centre.explanation, Explanation::CostCentre(e) if e.lines > 100 && e.matching == e.lines),
        "{centre:?}"
    );
    assert_eq!(p.decision, Decision::AutoPost, "{p:#?}");

    // An account never booked to a cost centre gets none, and is no reason for review.
    let p = propose(&engine, 3);
    assert_eq!(p.lines[0].cost_centre, None);
    assert_eq!(p.decision, Decision::AutoPost, "{p:#?}");
}

#[test]
fn an_uncertain_cost_centre_sends_the_invoice_to_review() {
    let p = propose(&trained_with_centres(), 6);
    let Decision::Review(reasons) = &p.decision else {
        panic!("half ICT, half HR must not be posted automatically: {p:#?}");
    };
    assert!(
        reasons.iter().any(|r| r.contains("cost centre uncertain")),
        "{reasons:?}"
    );
}

#[test]
fn a_rule_beats_the_learned_cost_centre() {
    let engine = trained_with_centres();
    let mut setup = Setup::new();
    setup.rules.push(Rule {
        name: "afdeling financiën".into(),
        conditions: vec![Condition::Supplier(supplier(4).1)],
        actions: vec![Action::SetCostCentre("FIN".into())],
    });
    let p = engine.propose(&setup.ctx(), &invoice(4, supplier(4).3 * 100));
    let centre = p.lines[0].cost_centre.as_ref().expect("a cost centre");
    assert_eq!(centre.value.as_deref(), Some("FIN"));
    assert_eq!(
        centre.explanation,
        Explanation::Rule("afdeling financiën".into())
    );
}

#[test]
fn a_booked_cost_centre_changes_the_next_proposal() {
    let mut engine = trained_with_centres();
    let mut setup = Setup::new();
    setup.relations = relations(80);
    let booked = |day: u32, centre: Option<&str>| Posting {
        administration: ADMIN.into(),
        date: autopilot::Day::from_civil(2024, 3, day),
        supplier: party(77),
        line: line("levering", 12_000),
        account: "4100".into(),
        cost_centre: centre.map(str::to_owned),
    };
    let inv = invoice(77, 12_000);
    let centre_reason = |p: &autopilot::Proposal| match &p.decision {
        Decision::Review(reasons) => reasons.iter().any(|r| r.contains("cost centre")),
        Decision::AutoPost => false,
    };
    // A new supplier on a new account, booked without a cost centre.
    engine.learn(&booked(1, None));
    let before = engine.propose(&setup.ctx(), &inv);
    assert_eq!(before.lines[0].account.value.as_deref(), Some("4100"));
    assert_eq!(before.lines[0].cost_centre, None);
    assert!(!centre_reason(&before), "{before:#?}");
    // The accountant books its next lines to a cost centre; the proposal follows at once.
    for day in 2..=4 {
        engine.learn(&booked(day, Some("INKOOP")));
    }
    let after = engine.propose(&setup.ctx(), &inv);
    let centre = after.lines[0].cost_centre.as_ref().expect("a cost centre");
    assert_eq!(centre.value.as_deref(), Some("INKOOP"));
    assert_eq!(centre.confidence, 4.0 / 6.0);
    assert_eq!(
        centre.explanation.to_string(),
        "3 of 4 earlier lines of this supplier on this account went to cost centre INKOOP"
    );
    // Three of four is not yet enough to post without a person.
    assert!(centre_reason(&after), "{after:#?}");
}

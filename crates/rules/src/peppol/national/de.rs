//! Germany (DE-R-*; UBL only), for documents between two German parties: the XRechnung
//! requirements carried into Peppol.

use einvoice::xml::Node;
use einvoice::{Invoice, NS_CAC, NS_CBC, Pos, Text};

use super::super::check_digits::iban;
use super::super::shape::{child, children, path};
use super::super::text::{filled, normalize};
use super::value;
use crate::Check;

/// VAT categories that need a seller VAT or tax number or a tax representative (DE-R-016).
const TAXED: &[&str] = &["S", "Z", "E", "AE", "K", "G", "L", "M"];
/// Type codes XRechnung expects (DE-R-017).
const TYPES: &[&str] = &["326", "380", "384", "389", "381", "875", "876", "877"];

pub fn check(cx: &mut Check<'_, '_>) {
    let inv = cx.invoice;
    let root = inv.at;
    if inv.payment_instructions.is_empty() {
        cx.fail("DE-R-001", root);
    }
    if !filled(inv.buyer_reference.as_ref()) {
        cx.fail("DE-R-015", root);
    }
    taxed_needs_tax_id(cx, inv);
    if !TYPES.contains(&value(inv.type_code.as_ref())) {
        cx.fail("DE-R-017", root);
    }
    if let Some(terms) = &inv.payment_terms
        && !skonto_ok(&terms.value)
    {
        cx.fail("DE-R-018", terms.at);
    }
    let mut names: Vec<&str> = inv
        .documents
        .iter()
        .filter_map(|d| d.attachment.as_ref()?.filename.as_ref())
        .map(|f| f.value.as_str())
        .collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        cx.fail("DE-R-022", root);
    }
    let corrected = inv.type_code.as_ref().and_then(Text::decimal) == Some(384.into());
    let root_node = cx.source.doc.root_element();
    let preceding = path(
        root_node,
        &[
            (NS_CAC, "BillingReference"),
            (NS_CAC, "InvoiceDocumentReference"),
        ],
    );
    if corrected && preceding.is_none() {
        cx.fail("DE-R-026", root);
    }
    parties(cx, inv);
    payment_means(cx);
    for b in &inv.vat_breakdown {
        if !breakdown_rate_given(cx, b.at) {
            cx.fail("DE-R-014", b.at);
        }
    }
}

/// DE-R-014, `cac:TaxCategory/cbc:Percent[boolean(normalize-space(.))]` on the breakdown (the
/// `cac:TaxSubtotal` at `at`): read from the tree, because the test takes the category of any
/// tax scheme, while the model keeps only the VAT scheme's.
fn breakdown_rate_given(cx: &Check<'_, '_>, at: Pos) -> bool {
    let Some(subtotal) = einvoice::xml::node_at(cx.doc(), at) else {
        return false;
    };
    children(subtotal, NS_CAC, "TaxCategory")
        .flat_map(|c| children(c, NS_CBC, "Percent"))
        .any(|p| !einvoice::value::is_xml_whitespace(&p.string_value()))
}

/// DE-R-016: a taxed category anywhere needs BT-31, BT-32 or BG-11.
fn taxed_needs_tax_id(cx: &mut Check<'_, '_>, inv: &Invoice) {
    let taxed = |c: Option<&Text>| TAXED.contains(&value(c));
    let charges = inv.allowances_charges.iter().any(|a| {
        let indicator = value(a.charge_indicator.as_ref());
        (indicator == "false" || indicator == "true") && taxed(a.vat_category.as_ref())
    });
    let lines = inv
        .lines
        .iter()
        .any(|l| taxed(l.vat.as_ref().and_then(|v| v.category.as_ref())));
    let seller = inv.seller.as_ref();
    let has_id =
        seller.is_some_and(|s| filled(s.vat_id.as_ref()) || filled(s.tax_registration.as_ref()));
    if (charges || lines) && !has_id && inv.tax_representative.is_none() {
        cx.fail("DE-R-016", inv.at);
    }
}

/// DE-R-018: every payment terms line that starts with `#` is a Skonto statement, and the
/// last statement ends with a line break.
fn skonto_ok(note: &str) -> bool {
    let statements: Vec<String> = note
        .split('\n')
        .map(normalize)
        .filter(|l| l.starts_with('#'))
        .collect();
    if statements.is_empty() {
        return true;
    }
    statements.iter().all(|s| skonto_line(s)) && ends_with_break(note)
}

/// `#SKONTO#TAGE=n#PROZENT=n.nn#` with an optional `BASISBETRAG=-n.nn#`, at the end of the line.
fn skonto_line(line: &str) -> bool {
    line.match_indices("#SKONTO#TAGE=").any(|(i, _)| {
        let rest = &line[i + "#SKONTO#TAGE=".len()..];
        let Some((days, rest)) = rest.split_once("#PROZENT=") else {
            return false;
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let amount = |s: &str| {
            let s = s.strip_prefix('-').unwrap_or(s);
            s.split_once('.')
                .is_some_and(|(i, f)| digits(i) && f.len() == 2 && digits(f))
        };
        let Some(rest) = rest.strip_suffix('#') else {
            return false;
        };
        let (percent, base) = match rest.split_once("#BASISBETRAG=") {
            Some((p, b)) => (p, Some(b)),
            None => (rest, None),
        };
        let percent_ok = percent
            .split_once('.')
            .is_some_and(|(i, f)| digits(i) && f.len() == 2 && digits(f));
        digits(days) && percent_ok && base.is_none_or(amount)
    })
}

/// The text after the last `#…#` statement starts with whitespace that holds a line break.
fn ends_with_break(note: &str) -> bool {
    let statement_line = note
        .split('\n')
        .enumerate()
        .filter(|(_, l)| {
            l.find('#')
                .zip(l.rfind('#'))
                .is_some_and(|(a, b)| b > a + 1)
        })
        .map(|(i, _)| i)
        .last();
    let Some(index) = statement_line else {
        return note.trim_start_matches([' ', '\t', '\r']).starts_with('\n');
    };
    let lines: Vec<&str> = note.split('\n').collect();
    let after_hash = lines
        .get(index)
        .and_then(|l| l.rfind('#').map(|i| &l[i + 1..]))
        .unwrap_or("");
    after_hash.chars().all(|c| matches!(c, ' ' | '\t' | '\r')) && index + 1 < lines.len()
}

/// DE-R-002..DE-R-011, DE-R-027, DE-R-028: addresses and the seller contact.
fn parties(cx: &mut Check<'_, '_>, inv: &Invoice) {
    if let Some(seller) = &inv.seller {
        if seller.contact.is_none() {
            cx.fail("DE-R-002", seller.at);
        }
        if let Some(a) = &seller.address {
            city_and_code(cx, a, "DE-R-003", "DE-R-004");
        }
        if let Some(c) = &seller.contact {
            let rules = [
                ("DE-R-005", c.name.as_ref()),
                ("DE-R-006", c.phone.as_ref()),
                ("DE-R-007", c.email.as_ref()),
            ];
            for (id, part) in rules {
                if !filled(part) {
                    cx.fail(id, c.at);
                }
            }
            let phone = normalize(value(c.phone.as_ref()));
            if phone.bytes().filter(u8::is_ascii_digit).count() < 3 {
                cx.fail("DE-R-027", c.at);
            }
            if !email_ok(&normalize(value(c.email.as_ref()))) {
                cx.fail("DE-R-028", c.at);
            }
        }
    }
    if let Some(a) = inv.buyer.as_ref().and_then(|b| b.address.as_ref()) {
        city_and_code(cx, a, "DE-R-008", "DE-R-009");
    }
    if let Some(a) = inv.delivery.as_ref().and_then(|d| d.address.as_ref()) {
        city_and_code(cx, a, "DE-R-010", "DE-R-011");
    }
}

fn city_and_code(
    cx: &mut Check<'_, '_>,
    a: &einvoice::Address,
    city: &'static str,
    code: &'static str,
) {
    if !filled(a.city.as_ref()) {
        cx.fail(city, a.at);
    }
    if !filled(a.post_code.as_ref()) {
        cx.fail(code, a.at);
    }
}

/// The XRechnung e-mail pattern: dot-separated atoms, one `@`, and a domain of at least two
/// labels of letters, digits and inner hyphens.
fn email_ok(email: &str) -> bool {
    const ATOM_EXTRA: &str = "!#$%&\"*+/=?^_`{|}~-";
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let atom_ok = |a: &str| {
        !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || ATOM_EXTRA.contains(c))
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let labels: Vec<&str> = domain.split('.').collect();
    local.split('.').all(atom_ok) && labels.len() >= 2 && labels.iter().all(|l| label_ok(l))
}

/// DE-R-019..DE-R-025, DE-R-030, DE-R-031: which payment groups go with which means. These
/// are about the presence of the UBL groups themselves, so they read the tree.
fn payment_means(cx: &mut Check<'_, '_>) {
    let source = cx.source;
    let root = source.doc.root_element();
    let means: Vec<Node<'_, '_>> = children(root, NS_CAC, "PaymentMeans").collect();
    let mandates = means
        .iter()
        .any(|m| child(*m, NS_CAC, "PaymentMandate").is_some());
    if mandates {
        let sepa = |party: Option<Node<'_, '_>>| {
            party.is_some_and(|p| {
                children(p, NS_CAC, "PartyIdentification").any(|pi| {
                    children(pi, NS_CBC, "ID").any(|id| id.attribute("schemeID") == Some("SEPA"))
                })
            })
        };
        let seller = path(
            root,
            &[(NS_CAC, "AccountingSupplierParty"), (NS_CAC, "Party")],
        );
        if !(sepa(seller) || sepa(child(root, NS_CAC, "PayeeParty"))) {
            cx.fail_node("DE-R-030", root);
        }
        let debited = means.iter().any(|m| {
            path(
                *m,
                &[
                    (NS_CAC, "PaymentMandate"),
                    (NS_CAC, "PayerFinancialAccount"),
                    (NS_CBC, "ID"),
                ],
            )
            .is_some()
        });
        if !debited {
            cx.fail_node("DE-R-031", root);
        }
    }
    for m in means {
        let codes: Vec<f64> = children(m, NS_CBC, "PaymentMeansCode")
            .filter_map(|c| super::number(&c.string_value()))
            .collect();
        let code_in = |set: &[f64]| codes.iter().any(|c| set.contains(c));
        let transfer = child(m, NS_CAC, "PayeeFinancialAccount");
        let card = child(m, NS_CAC, "CardAccount");
        let mandate = child(m, NS_CAC, "PaymentMandate");
        let account = |n: Option<Node<'_, '_>>| {
            let raw = n.map_or_else(String::new, |n| n.string_value().into_owned());
            raw.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
        };
        if code_in(&[30.0, 58.0]) {
            if code_in(&[58.0]) && !iban(&account(transfer.and_then(|t| child(t, NS_CBC, "ID")))) {
                cx.fail_node("DE-R-019", m);
            }
            if transfer.is_none() {
                cx.fail_node("DE-R-023-1", m);
            }
            if card.is_some() || mandate.is_some() {
                cx.fail_node("DE-R-023-2", m);
            }
        }
        if code_in(&[48.0, 54.0, 55.0]) {
            if card.is_none() {
                cx.fail_node("DE-R-024-1", m);
            }
            if transfer.is_some() || mandate.is_some() {
                cx.fail_node("DE-R-024-2", m);
            }
        }
        if code_in(&[59.0]) {
            let debited =
                mandate.and_then(|d| path(d, &[(NS_CAC, "PayerFinancialAccount"), (NS_CBC, "ID")]));
            if !iban(&account(debited)) {
                cx.fail_node("DE-R-020", m);
            }
            if mandate.is_none() {
                cx.fail_node("DE-R-025-1", m);
            }
            if transfer.is_some() || card.is_some() {
                cx.fail_node("DE-R-025-2", m);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skonto_statements() {
        assert!(skonto_ok("#SKONTO#TAGE=14#PROZENT=2.00#\n"));
        assert!(skonto_ok(
            "#SKONTO#TAGE=7#PROZENT=3.00#BASISBETRAG=-12.50#\n"
        ));
        assert!(
            !skonto_ok("#SKONTO#TAGE=14#PROZENT=2.00#"),
            "needs the closing line break"
        );
        assert!(!skonto_ok("#SKONTO#TAGE=14#PROZENT=2#\n"));
        assert!(skonto_ok("Zahlbar binnen 30 Tagen"));
    }

    #[test]
    fn xrechnung_email() {
        assert!(email_ok("rechnung@beispiel.de"));
        assert!(!email_ok("rechnung@localhost"));
        assert!(!email_ok("a..b@beispiel.de"));
        assert!(!email_ok("a@b@beispiel.de"));
    }
}

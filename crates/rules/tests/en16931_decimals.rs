//! BR-DEC: every amount rule fires on a third fraction digit, in both syntaxes.

mod en16931_support;

use en16931_support::{assert_rule, cii, edit, fires, ubl};

/// (rule, text of the element as written in the base document, which occurrence).
/// The edit appends a `0` inside the element: the value stays, the digits grow to three.
const UBL_AMOUNTS: [(&str, &str, usize); 18] = [
    ("BR-DEC-01", r#"<cbc:Amount currencyID="DKK">150.00"#, 1),
    (
        "BR-DEC-02",
        r#"<cbc:BaseAmount currencyID="DKK">1500.00"#,
        1,
    ),
    ("BR-DEC-05", r#"<cbc:Amount currencyID="DKK">150.00"#, 2),
    (
        "BR-DEC-06",
        r#"<cbc:BaseAmount currencyID="DKK">1500.00"#,
        2,
    ),
    (
        "BR-DEC-09",
        r#"<cbc:LineExtensionAmount currencyID="DKK">4000.00"#,
        1,
    ),
    (
        "BR-DEC-10",
        r#"<cbc:AllowanceTotalAmount currencyID="DKK">150.00"#,
        1,
    ),
    (
        "BR-DEC-11",
        r#"<cbc:ChargeTotalAmount currencyID="DKK">150.00"#,
        1,
    ),
    (
        "BR-DEC-12",
        r#"<cbc:TaxExclusiveAmount currencyID="DKK">4000.00"#,
        1,
    ),
    (
        "BR-DEC-14",
        r#"<cbc:TaxInclusiveAmount currencyID="DKK">4675.00"#,
        1,
    ),
    (
        "BR-DEC-16",
        r#"<cbc:PrepaidAmount currencyID="DKK">2337.50"#,
        1,
    ),
    (
        "BR-DEC-18",
        r#"<cbc:PayableAmount currencyID="DKK">2337.50"#,
        1,
    ),
    (
        "BR-DEC-19",
        r#"<cbc:TaxableAmount currencyID="DKK">1500.00"#,
        1,
    ),
    ("BR-DEC-20", r#"<cbc:TaxAmount currencyID="DKK">375.00"#, 1),
    (
        "BR-DEC-23",
        r#"<cbc:LineExtensionAmount currencyID="DKK">1000.00"#,
        1,
    ),
    ("BR-DEC-24", r#"<cbc:Amount currencyID="DKK">100.00"#, 1),
    (
        "BR-DEC-25",
        r#"<cbc:BaseAmount currencyID="DKK">1000.00"#,
        1,
    ),
    ("BR-DEC-27", r#"<cbc:Amount currencyID="DKK">100.00"#, 2),
    (
        "BR-DEC-28",
        r#"<cbc:BaseAmount currencyID="DKK">1000.00"#,
        2,
    ),
];

const CII_AMOUNTS: [(&str, &str, usize); 18] = [
    ("BR-DEC-01", "<ram:ActualAmount>150", 1),
    ("BR-DEC-02", "<ram:BasisAmount>1500", 2),
    ("BR-DEC-05", "<ram:ActualAmount>150", 2),
    ("BR-DEC-06", "<ram:BasisAmount>1500", 3),
    ("BR-DEC-09", "<ram:LineTotalAmount>4000.00", 1),
    ("BR-DEC-10", "<ram:AllowanceTotalAmount>150", 1),
    ("BR-DEC-11", "<ram:ChargeTotalAmount>150", 1),
    ("BR-DEC-12", "<ram:TaxBasisTotalAmount>4000", 1),
    ("BR-DEC-14", "<ram:GrandTotalAmount>4675", 1),
    ("BR-DEC-16", "<ram:TotalPrepaidAmount>2337.5", 1),
    ("BR-DEC-18", "<ram:DuePayableAmount>2337.5", 1),
    ("BR-DEC-19", "<ram:BasisAmount>1500", 1),
    ("BR-DEC-20", "<ram:CalculatedAmount>375", 1),
    ("BR-DEC-23", "<ram:LineTotalAmount>1000", 1),
    ("BR-DEC-24", "<ram:ActualAmount>100", 1),
    ("BR-DEC-25", "<ram:BasisAmount>1000", 1),
    ("BR-DEC-27", "<ram:ActualAmount>100", 2),
    ("BR-DEC-28", "<ram:BasisAmount>1000", 2),
];

/// Three fraction digits, same value: `150` becomes `150.000`, `150.00` becomes `150.000`.
fn third_digit(element: &str) -> String {
    let value = element.rsplit('>').next().unwrap_or_default();
    let zeros = match value.split_once('.') {
        Some((_, frac)) => "0".repeat(3 - frac.len()),
        None => ".000".to_string(),
    };
    format!("{element}{zeros}")
}

#[test]
fn ubl_amount_rules() {
    let base = ubl();
    for (id, element, n) in UBL_AMOUNTS {
        assert_rule(id, &base, &edit(&base, element, n, &third_digit(element)));
    }
}

#[test]
fn cii_amount_rules() {
    let base = cii();
    for (id, element, n) in CII_AMOUNTS {
        assert_rule(id, &base, &edit(&base, element, n, &third_digit(element)));
    }
}

#[test]
fn rounding_amount_in_both_syntaxes() {
    let payable = r#"<cbc:PayableAmount currencyID="DKK">"#;
    let rounding = |v: &str| {
        let element = format!(
            r#"<cbc:PayableRoundingAmount currencyID="DKK">{v}</cbc:PayableRoundingAmount>"#
        );
        edit(&ubl(), payable, 1, &format!("{element}{payable}"))
    };
    assert_rule("BR-DEC-17", &rounding("0.00"), &rounding("0.000"));

    let grand = "<ram:GrandTotalAmount>";
    let rounding = |v: &str| {
        edit(
            &cii(),
            grand,
            1,
            &format!("<ram:RoundingAmount>{v}</ram:RoundingAmount>{grand}"),
        )
    };
    assert_rule("BR-DEC-17", &rounding("0.00"), &rounding("0.000"));
}

/// CII compares the VAT totals with their value rounded to cents, in the invoice currency
/// (BR-DEC-13) and in the VAT accounting currency (BR-DEC-15).
#[test]
fn cii_vat_totals() {
    let base = cii();
    let eur = r#"<ram:TaxTotalAmount currencyID="EUR">628.62</ram:TaxTotalAmount>"#;
    let dkk = r#"<ram:TaxTotalAmount currencyID="DKK">675.00"#;
    // The VAT total in EUR satisfies BR-DEC-13's "any other currency" branch, so the
    // invoice-currency total only counts when it is the only one.
    let only_dkk = edit(&base, eur, 1, "");
    let only_dkk = edit(
        &only_dkk,
        "<ram:TaxCurrencyCode>EUR</ram:TaxCurrencyCode>",
        1,
        "",
    );
    assert_rule(
        "BR-DEC-13",
        &only_dkk,
        &edit(
            &only_dkk,
            dkk,
            1,
            r#"<ram:TaxTotalAmount currencyID="DKK">675.001"#,
        ),
    );
    // Trailing zeros are fine here: the test is on the value, not on the digits.
    assert!(!fires(
        &edit(
            &only_dkk,
            dkk,
            1,
            r#"<ram:TaxTotalAmount currencyID="DKK">675.000"#
        ),
        "BR-DEC-13"
    ));

    let bad = edit(&base, "628.62", 1, "628.621");
    assert_rule("BR-DEC-15", &base, &bad);
}

/// UBL's BR-DEC-13/15 select a `cbc:DocumentCurrencyCode` child of `cbc:TaxAmount`, which
/// never exists, so the official rules never fire; neither do ours.
#[test]
fn ubl_vat_totals_never_fire() {
    let base = ubl();
    let bad = edit(
        &base,
        r#"<cbc:TaxAmount currencyID="DKK">675.00"#,
        1,
        r#"<cbc:TaxAmount currencyID="DKK">675.001"#,
    );
    let bad = edit(
        &bad,
        r#"<cbc:TaxAmount currencyID="EUR">628.62"#,
        1,
        r#"<cbc:TaxAmount currencyID="EUR">628.621"#,
    );
    for id in ["BR-DEC-13", "BR-DEC-15"] {
        assert!(!fires(&base, id) && !fires(&bad, id), "{id}");
    }
}

//! Check-digit and format tests of participant identifiers, as the Peppol rules define them.
//!
//! Each function takes the identifier as the rule hands it over (usually after
//! `normalize-space`) and answers whether the official test holds. They mirror the
//! official algorithms exactly, including their quirks (noted where they matter), because
//! the verdicts must equal the official ones.

/// The ASCII digit values of `s`, or `None` if any character is not an ASCII digit.
fn digits(s: &str) -> Option<Vec<u32>> {
    s.chars()
        .map(|c| c.to_digit(10).filter(|_| c.is_ascii()))
        .collect()
}

/// Weighted sum of `body` read from the right, the rightmost digit taking `weight(0)`.
fn weighted_from_right(body: &[u32], weight: impl Fn(usize) -> u32) -> u32 {
    body.iter()
        .rev()
        .enumerate()
        .map(|(i, d)| d * weight(i))
        .sum()
}

/// GS1 check digit (GLN, scheme 0088): weights 3, 1, 3, ... from the right of the body.
pub fn gln(s: &str) -> bool {
    let Some(d) = digits(s) else { return false };
    let Some((check, body)) = d.split_last() else {
        return false;
    };
    let sum = weighted_from_right(body, |i| if i % 2 == 0 { 3 } else { 1 });
    (10 - sum % 10) % 10 == *check
}

/// Modulus 11 with weights 2..7 repeating from the right (Norwegian organisation number,
/// scheme 0192). The value must also be a number above zero.
pub fn mod11(s: &str) -> bool {
    let Some(d) = digits(s) else { return false };
    let Some((check, body)) = d.split_last() else {
        return false;
    };
    let sum = weighted_from_right(body, |i| (i % 6) as u32 + 2);
    d.iter().any(|&x| x > 0) && (11 - sum % 11) % 11 == *check
}

/// Belgian enterprise number (scheme 0208): the last two digits are 97 minus the first
/// eight modulo 97.
pub fn mod97_be(s: &str) -> bool {
    if s.len() != 10 || digits(s).is_none() {
        return false;
    }
    let (Ok(body), Ok(check)) = (s[..8].parse::<u64>(), s[8..].parse::<u64>()) else {
        return false;
    };
    97 - body % 97 == check
}

/// Danish CVR number (scheme 0184): eight digits, optionally prefixed `DK`. The official
/// rule judges the string as written, without `normalize-space`.
pub fn dk_cvr(s: &str) -> bool {
    let all_digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    let chars = s.chars().count();
    (chars == 10 && s.starts_with("DK") && all_digits(&s[2..])) || (chars == 8 && all_digits(s))
}

/// Italian IPA code (scheme 0201): six ASCII letters or digits.
pub fn it_ipa(s: &str) -> bool {
    s.len() == 6 && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `castable as xs:integer`: an optional sign and digits, surrounding whitespace allowed.
fn castable_integer(s: &str) -> bool {
    let s = einvoice::value::trim(s);
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit())
}

/// Italian codice fiscale (schemes 0210 and 9907): 16 characters in the personal layout,
/// or 11 characters that form an integer.
pub fn it_codice_fiscale(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    match chars.len() {
        16 => codice_fiscale_16(&chars),
        11 => castable_integer(s),
        _ => false,
    }
}

fn codice_fiscale_16(c: &[char]) -> bool {
    let letters = |r: std::ops::Range<usize>| {
        c.get(r)
            .is_some_and(|p| p.iter().all(char::is_ascii_alphabetic))
    };
    let integer = |r: std::ops::Range<usize>| {
        c.get(r)
            .is_some_and(|p| castable_integer(&p.iter().collect::<String>()))
    };
    letters(0..6)
        && integer(6..8)
        && letters(8..9)
        && integer(9..11)
        && integer(14..15)
        && letters(15..16)
}

/// Italian partita IVA (schemes 0211 and 9906). Only values prefixed `IT`/`it` are tested;
/// anything else passes, as in the official rule.
pub fn it_partita_iva(s: &str) -> bool {
    let Some(code) = s.strip_prefix("IT").or_else(|| s.strip_prefix("it")) else {
        return true;
    };
    let Some(d) = digits(code) else { return false };
    if d.len() != 11 {
        return false;
    }
    // Luhn from the left: every second digit is doubled and its digits summed.
    let sum: u32 = d
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 1 {
                [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][x as usize]
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Swedish organisation number (scheme 0007 and SE-R-013): digits only, the tenth digit a
/// Luhn check over the first nine.
pub fn se_orgnr(s: &str) -> bool {
    let Some(d) = digits(s) else { return false };
    if d.is_empty() {
        return false;
    }
    let (body, check) = (&d[..d.len().min(9)], d.get(9));
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 0 {
                (x * 2) % 10 + (x * 2) / 10
            } else {
                x
            }
        })
        .sum();
    check.is_some_and(|&c| (10 - sum % 10) % 10 == c)
}

/// Australian Business Number (scheme 0151): modulus 89 over the first eleven characters,
/// the first reduced by one. Like the official function it works on code points, so it
/// does not itself require digits.
pub fn abn(s: &str) -> bool {
    const WEIGHTS: [i64; 11] = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
    let chars: Vec<i64> = s.chars().take(11).map(|c| c as i64 - 48).collect();
    if chars.len() < 11 {
        return false;
    }
    let sum: i64 = chars
        .iter()
        .zip(WEIGHTS)
        .enumerate()
        .map(|(i, (&v, w))| if i == 0 { (v - 1) * w } else { v * w })
        .sum();
    sum % 89 == 0
}

/// Greek tax identification number (AFM): nine digits, the ninth a weighted check over
/// the first eight. Characters after the ninth are ignored, as in the official function.
pub fn gr_tin(s: &str) -> bool {
    let first: Vec<char> = s.chars().take(9).collect();
    let Some(d) = first
        .iter()
        .map(|c| c.to_digit(10).filter(|_| c.is_ascii()))
        .collect::<Option<Vec<u32>>>()
    else {
        return false;
    };
    let Some((check, body)) = d.split_last().filter(|_| d.len() == 9) else {
        return false;
    };
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| x << (i + 1))
        .sum();
    (sum % 11) % 10 == *check
}

/// An IBAN as the German rules check it: two letters, two digits, up to 30 letters or
/// digits, and the ISO 7064 modulus 97 of the rearranged value equal to 1.
pub fn iban(s: &str) -> bool {
    let b = s.as_bytes();
    let shape = b.len() >= 4
        && b.len() <= 34
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..4].iter().all(u8::is_ascii_digit)
        && b[4..].iter().all(u8::is_ascii_alphanumeric);
    if !shape {
        return false;
    }
    let mut rem: u64 = 0;
    for &c in b[4..].iter().chain(&b[..4]) {
        let v = if c > 64 {
            u64::from(c) - 55
        } else {
            u64::from(c) - 48
        };
        // Lower-case letters give values above 35, as the official code-point arithmetic does.
        for digit in v.to_string().bytes() {
            rem = (rem * 10 + u64::from(digit - b'0')) % 97;
        }
    }
    rem == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gln_gs1_check_digit() {
        assert!(gln("7300010000001"));
        assert!(gln("5790000435975"));
        assert!(!gln("7300010000002"));
        assert!(!gln("73000100000A1"));
        assert!(!gln(""));
    }

    #[test]
    fn norwegian_organisation_number() {
        assert!(mod11("987654325"));
        assert!(mod11("910667831"));
        assert!(!mod11("987654321"));
        assert!(!mod11("000000000"));
    }

    #[test]
    fn belgian_enterprise_number() {
        assert!(mod97_be("0411905847"));
        assert!(!mod97_be("0411905848"));
        assert!(!mod97_be("041190584"));
    }

    #[test]
    fn danish_cvr() {
        assert!(dk_cvr("12345678"));
        assert!(dk_cvr("DK12345678"));
        assert!(!dk_cvr("DK1234567"));
        assert!(!dk_cvr("1234567X"));
        assert!(!dk_cvr(" 12345678"));
    }

    #[test]
    fn italian_codes() {
        assert!(it_ipa("UF3YKZ"));
        assert!(!it_ipa("UF3YK"));
        assert!(!it_ipa("UF3YK_"));
        assert!(it_codice_fiscale("RSSMRA85T10A562S"));
        assert!(it_codice_fiscale("12345678901"));
        assert!(!it_codice_fiscale("RSSMRA85T10A56XS"));
        assert!(!it_codice_fiscale("1234567890"));
        assert!(it_partita_iva("IT01234567897"));
        assert!(!it_partita_iva("IT01234567890"));
        assert!(!it_partita_iva("IT0123456789"));
        assert!(
            it_partita_iva("01234567890"),
            "only IT-prefixed values are tested"
        );
    }

    #[test]
    fn swedish_organisation_number() {
        assert!(se_orgnr("2021005489"));
        assert!(!se_orgnr("2021005480"));
        assert!(!se_orgnr("556622-1100"));
        assert!(!se_orgnr("202100548"));
    }

    #[test]
    fn australian_business_number() {
        assert!(abn("51824753556"));
        assert!(!abn("51824753557"));
        assert!(!abn("5182475355"));
    }

    #[test]
    fn greek_tin() {
        assert!(gr_tin("094259216"));
        assert!(gr_tin("094259216extra"));
        assert!(!gr_tin("094259217"));
        assert!(!gr_tin("09425921"));
    }

    #[test]
    fn iban_mod97() {
        assert!(iban("DE75512108001245126199"));
        assert!(iban("NL91ABNA0417164300"));
        assert!(!iban("NL91ABNA0417164301"));
        assert!(!iban("nl91ABNA0417164300"));
    }
}

//! Check-digit algorithms of the participant identifier schemes.
//!
//! [`Check`] names the algorithm a scheme's code-list entry gives; the generator maps each
//! entry's words to a variant. Where the `rules` crate already implements the national number
//! (for PEPPOL-COMMON-R040..R050), that function is used, so a number the hub accepts here is
//! one the Peppol business rules accept too. The algorithms no business rule needs live here.

use rules::check_digits as official;

/// The check-digit algorithm of a scheme, as its code-list entry names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// No check digits, or none whose algorithm the code list gives.
    None,
    /// GS1 modulus 10, weights 3 and 1 (GLN, 0088).
    Gs1,
    /// Luhn (modulus 10) over all digits (SIREN/SIRET 0002, UAE TIN 0235, Nigerian TIN 0244).
    Luhn,
    /// Swedish organisation number: ten digits, Luhn (0007).
    SeOrgnr,
    /// Italian partita IVA: `IT` and eleven digits, Luhn (0211, 9906).
    ItPartitaIva,
    /// Norwegian organisation number: nine digits, modulus 11 (0192, 9908, 9909).
    NoOrgnr,
    /// Icelandic kennitala: ten digits, the ninth a modulus 11 check over the first eight
    /// (0196, 9917).
    IsKennitala,
    /// Danish CVR number: eight digits whose sum weighted 2, 7, 6, 5, 4, 3, 2, 1 is a multiple
    /// of 11 (0198, 9902, 9904).
    DkCvr,
    /// Slovak IČO: eight digits, the eighth a modulus 11 check weighted 8 down to 2 (0158).
    SkIco,
    /// Swiss UID: `CHE` and nine digits, the ninth a modulus 11 check weighted
    /// 5, 4, 3, 2, 7, 6, 5, 4 (0183).
    ChUid,
    /// Estonian registry code: eight digits, a two-pass modulus 11 check (0191).
    EeRegistryCode,
    /// Lithuanian legal entity code: nine digits, the ninth the sum weighted 1 to 8 modulo 11
    /// (0200).
    LtLegalEntityCode,
    /// Australian Business Number: eleven digits, modulus 89 (0151).
    Abn,
    /// Belgian enterprise number: ten digits, the last two 97 minus the first eight modulo 97
    /// (0208, 9956).
    Mod97Be,
    /// ISO/IEC 7064 MOD 97-10 over letters and digits (LEI, 0199).
    Mod97_10,
    /// Slovak DIČ: ten digits forming a multiple of 11 (0245).
    DivisibleBy11,
    /// Japanese corporate number: thirteen digits, the first a modulus 9 check over the other
    /// twelve; 0221 writes a `T` before them (0188, 0221).
    JpCorporateNumber,
    /// IBAN: modulus 97 of the rearranged value (9918).
    Iban,
}

impl Check {
    /// True when `value` passes the check (ASCII case ignored).
    ///
    /// The algorithms work on the number without its letter prefix and suffix (`IT`, `CHE`,
    /// `DK`, `NO…MVA`, `T`), except those whose letters take part (IBAN, LEI, partita IVA).
    pub fn passes(self, value: &str) -> bool {
        let full = value.to_ascii_uppercase();
        let number = full.trim_matches(|c: char| c.is_ascii_alphabetic());
        match self {
            Check::None => true,
            Check::Gs1 => official::gln(number),
            Check::Luhn => luhn(number),
            Check::SeOrgnr => number.len() == 10 && official::se_orgnr(number),
            Check::ItPartitaIva => full.starts_with("IT") && official::it_partita_iva(&full),
            Check::NoOrgnr => number.len() == 9 && official::mod11(number),
            Check::IsKennitala => {
                number.len() == 10 && number.get(..9).is_some_and(official::mod11)
            }
            Check::DkCvr => dk_cvr(number),
            Check::SkIco => sk_ico(number),
            Check::ChUid => ch_uid(number),
            Check::EeRegistryCode => ee_registry_code(number),
            Check::LtLegalEntityCode => lt_legal_entity_code(number),
            Check::Abn => digits(number).is_some_and(|d| d.len() == 11) && official::abn(number),
            Check::Mod97Be => official::mod97_be(number),
            Check::Mod97_10 => mod97_10(&full),
            Check::DivisibleBy11 => divisible_by_11(number),
            Check::JpCorporateNumber => jp_corporate_number(number),
            Check::Iban => official::iban(&full),
        }
    }

    /// How many trailing characters are the check digits, for the algorithms that put them at
    /// the end; `None` where they stand elsewhere or are spread over the number.
    fn trailing_digits(self) -> Option<usize> {
        match self {
            Check::Gs1
            | Check::Luhn
            | Check::SeOrgnr
            | Check::ItPartitaIva
            | Check::NoOrgnr
            | Check::DkCvr
            | Check::SkIco
            | Check::ChUid
            | Check::EeRegistryCode
            | Check::LtLegalEntityCode
            | Check::DivisibleBy11 => Some(1),
            Check::Mod97Be | Check::Mod97_10 => Some(2),
            Check::None
            | Check::IsKennitala
            | Check::Abn
            | Check::JpCorporateNumber
            | Check::Iban => None,
        }
    }

    /// The only ending that makes `value` pass, found by trying every one: `"6"` for GLN
    /// `8712345678900`. `None` when the check digits are not at the end, or when no ending
    /// or more than one passes.
    pub fn correct_ending(self, value: &str) -> Option<String> {
        let width = self.trailing_digits()?;
        let head = value.get(..value.len().checked_sub(width)?)?;
        let mut fits = (0..10u32.pow(width as u32))
            .map(|n| format!("{n:0width$}"))
            .filter(|ending| self.passes(&format!("{head}{ending}")));
        let first = fits.next()?;
        fits.next().is_none().then_some(first)
    }
}

/// The digit values of `s`, or `None` unless it is all ASCII digits.
fn digits(s: &str) -> Option<Vec<u32>> {
    s.chars()
        .map(|c| c.to_digit(10).filter(|_| c.is_ascii()))
        .collect()
}

/// `s` as exactly `len` ASCII digits.
fn fixed(s: &str, len: usize) -> Option<Vec<u32>> {
    digits(s).filter(|d| d.len() == len)
}

/// The sum of `d` weighted position by position with `weights` (the shorter one decides).
fn weighted(d: &[u32], weights: &[u32]) -> u32 {
    d.iter().zip(weights).map(|(x, w)| x * w).sum()
}

/// Luhn: from the right, every second digit doubled (its digits summed); the total is a
/// multiple of 10. The rules crate's versions are tied to fixed lengths (ten digits for
/// Sweden, `IT` and eleven for Italy); SIREN has nine digits and SIRET fourteen.
fn luhn(s: &str) -> bool {
    let Some(d) = digits(s).filter(|d| d.len() >= 2) else {
        return false;
    };
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 1 {
                (2 * x) / 10 + (2 * x) % 10
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The code list's weights 2, 7, 6, 5, 4, 3, 2, 1 include the check digit itself.
fn dk_cvr(s: &str) -> bool {
    fixed(s, 8).is_some_and(|d| weighted(&d, &[2, 7, 6, 5, 4, 3, 2, 1]).is_multiple_of(11))
}

/// Remainder 0 gives check digit 1 and remainder 1 gives 0; otherwise 11 minus the remainder.
fn sk_ico(s: &str) -> bool {
    let Some(d) = fixed(s, 8) else { return false };
    let rem = weighted(&d, &[8, 7, 6, 5, 4, 3, 2]) % 11;
    d.get(7) == Some(&((11 - rem) % 10))
}

/// 11 minus the remainder, where 11 becomes 0 and 10 is never issued.
fn ch_uid(s: &str) -> bool {
    let Some(d) = fixed(s, 9) else { return false };
    let check = (11 - weighted(&d, &[5, 4, 3, 2, 7, 6, 5, 4]) % 11) % 11;
    d.get(8) == Some(&check)
}

/// The code list's own rule: weights 1..9, 1.. and remainder modulo 11; a remainder of 10
/// starts over with weights 3..9, 1, 2, ..., and a second 10 gives check digit 0.
fn ee_registry_code(s: &str) -> bool {
    let Some(d) = fixed(s, 8) else { return false };
    let (body, check) = d.split_at(7);
    let pass = |shift: u32| -> u32 {
        let weights: Vec<u32> = (0..7).map(|i| (i + shift) % 9 + 1).collect();
        weighted(body, &weights) % 11
    };
    let rem = match pass(0) {
        10 => pass(2),
        rem => rem,
    };
    check == [rem % 10]
}

/// Weights 1 to 8 from the left; the remainder modulo 11, which the code list says is below
/// 10, is the ninth digit.
fn lt_legal_entity_code(s: &str) -> bool {
    let Some(d) = fixed(s, 9) else { return false };
    let rem = weighted(&d, &[1, 2, 3, 4, 5, 6, 7, 8]) % 11;
    d.get(8) == Some(&rem)
}

/// ISO/IEC 7064 MOD 97-10: letters count as 10..35, the whole number modulo 97 is 1.
fn mod97_10(s: &str) -> bool {
    let valid = s.len() >= 3
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
    valid && remainder(s.chars().filter_map(|c| c.to_digit(36)), 97) == 1
}

/// Ten digits that, as one number, are a multiple of 11.
fn divisible_by_11(s: &str) -> bool {
    fixed(s, 10).is_some_and(|d| remainder(d.into_iter(), 11) == 0)
}

/// The remainder modulo `m` of the number written by `values`, each one or two decimal digits
/// (ISO 7064 writes a letter's value 10..35 as two digits).
fn remainder(values: impl Iterator<Item = u32>, m: u32) -> u32 {
    values.fold(0, |acc, v| {
        let scale = if v >= 10 { 100 } else { 10 };
        (acc * scale + v) % m
    })
}

/// The first digit is 9 minus (the other twelve, weighted 1 and 2 alternately from the
/// rightmost, modulo 9).
fn jp_corporate_number(s: &str) -> bool {
    let Some(d) = fixed(s, 13) else { return false };
    let (check, fundamental) = d.split_at(1);
    let sum: u32 = fundamental
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| if i % 2 == 0 { x } else { 2 * x })
        .sum();
    check == [9 - sum % 9]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_any_length() {
        assert!(luhn("784301772"), "SIREN");
        assert!(luhn("78430177200025"), "SIRET");
        assert!(!luhn("784301773"));
        assert!(!luhn("7"));
        assert!(!luhn("78430177A"));
        assert!(Check::Luhn.passes("784301772"));
    }

    #[test]
    fn weighted_modulus_11_family() {
        assert!(dk_cvr("13585628"));
        assert!(!dk_cvr("13585629"));
        assert!(sk_ico("35763469"));
        assert!(!sk_ico("35763468"));
        assert!(ch_uid("100155212"));
        assert!(!ch_uid("100155213"));
        assert!(Check::ChUid.passes("CHE100155212"));
        assert!(Check::DkCvr.passes("dk13585628"));
        assert!(lt_legal_entity_code("111963319"));
        assert!(!lt_legal_entity_code("111963318"));
        assert!(Check::IsKennitala.passes("5902697199"));
        assert!(!Check::IsKennitala.passes("5902697189"));
        assert!(Check::NoOrgnr.passes("NO990399123MVA"));
        assert!(!Check::NoOrgnr.passes("9903991230"));
    }

    #[test]
    fn estonian_registry_code_second_pass() {
        // Both take the second pass: weighted 1..7 their first seven digits leave 10.
        assert!(ee_registry_code("10137025"));
        assert!(ee_registry_code("80000053"));
        assert!(!ee_registry_code("10137020"), "the first pass would give 0");
        assert!(ee_registry_code("10000018"), "first pass only");
    }

    #[test]
    fn modulus_97_and_11() {
        assert!(mod97_10("5493001KJTIIGC8Y1R12"));
        assert!(!mod97_10("5493001KJTIIGC8Y1R13"));
        assert!(
            Check::Mod97_10.passes("5493001kjtiigc8y1r12"),
            "case is ignored"
        );
        assert!(!mod97_10("54"));
        assert!(divisible_by_11("2022749619"));
        assert!(!divisible_by_11("2022749618"));
    }

    #[test]
    fn japanese_corporate_number() {
        assert!(jp_corporate_number("5835678256246"));
        assert!(!jp_corporate_number("4835678256246"));
        assert!(Check::JpCorporateNumber.passes("T5835678256246"));
    }

    #[test]
    fn official_functions_behind_the_variants() {
        assert!(Check::Gs1.passes("1548079098355"));
        assert!(Check::SeOrgnr.passes("2120000787"));
        assert!(!Check::SeOrgnr.passes("21200007870"), "ten digits exactly");
        assert!(Check::ItPartitaIva.passes("it06363391001"));
        assert!(
            !Check::ItPartitaIva.passes("06363391001"),
            "IT prefix required"
        );
        assert!(Check::Abn.passes("51824753556"));
        assert!(Check::Mod97Be.passes("0411905847"));
        assert!(Check::Iban.passes("nl91abna0417164300"));
        assert!(Check::None.passes("anything"));
    }

    #[test]
    fn the_correct_ending_is_found_when_unique() {
        assert_eq!(
            Check::Gs1.correct_ending("8712345678900").as_deref(),
            Some("6")
        );
        assert_eq!(
            Check::Mod97Be.correct_ending("0411905800").as_deref(),
            Some("47")
        );
        assert_eq!(
            Check::Abn.correct_ending("51824753557"),
            None,
            "not at the end"
        );
        assert_eq!(Check::Gs1.correct_ending(""), None);
        assert_eq!(
            Check::NoOrgnr.correct_ending("98765432"),
            None,
            "too short to fix"
        );
    }
}

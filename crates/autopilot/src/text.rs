//! Text normalisation shared by memory, relation matching and the token model, so that
//! "ACME B.V." and "Acme BV" meet under one key everywhere.

/// Upper-cased alphanumeric words; everything else separates words. Legal-form noise is kept:
/// it costs little and sometimes tells two suppliers apart.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_uppercase())
}

/// The normalised form of a name or description: its words joined by single spaces.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for w in words(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w);
    }
    out
}

/// A name with legal forms and punctuation removed, for fuzzy relation matching.
pub fn name_key(text: &str) -> String {
    const LEGAL_FORMS: &[&str] = &[
        "BV", "B", "V", "NV", "N", "VOF", "LTD", "LIMITED", "PLC", "LLP", "INC", "GMBH", "SA",
        "SRL", "THE", "CO", "COMPANY",
    ];
    let mut out = String::new();
    for w in words(text).filter(|w| !LEGAL_FORMS.contains(&w.as_str())) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w);
    }
    out
}

/// 64-bit FNV-1a; stable across runs and platforms, unlike `DefaultHasher`, so feature ids do not
/// change between training and use.
pub fn hash(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        // Separator, so ("ab","c") and ("a","bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Similarity of two names in [0, 1]: Dice coefficient over character trigrams of their
/// [`name_key`]s. Robust to word order, typos and truncation ("LONDON BOROUGH OF").
pub fn name_similarity(a: &str, b: &str) -> f64 {
    let ta = trigrams(&name_key(a));
    let tb = trigrams(&name_key(b));
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    let mut shared = 0usize;
    let mut used = vec![false; tb.len()];
    for g in &ta {
        if let Some(i) = tb.iter().enumerate().position(|(i, h)| !used[i] && h == g) {
            used[i] = true;
            shared += 1;
        }
    }
    2.0 * shared as f64 / (ta.len() + tb.len()) as f64
}

fn trigrams(key: &str) -> Vec<[char; 3]> {
    let padded: Vec<char> = format!("  {key} ").chars().collect();
    padded.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_punctuation() {
        assert_eq!(normalise("  Acme B.V., Utrecht "), "ACME B V UTRECHT");
        assert_eq!(name_key("Acme B.V."), "ACME");
        assert_eq!(normalise("Ünïcödé ☃ naïve"), "ÜNÏCÖDÉ NAÏVE");
        assert_eq!(normalise("\u{0}\u{feff}"), "");
    }

    #[test]
    fn similar_names_score_higher_than_different_ones() {
        let close = name_similarity("Bakkerij de Vries B.V.", "BAKKERIJ DE VRIES");
        let far = name_similarity("Bakkerij de Vries", "Garage Jansen");
        assert!(close > 0.95, "{close}");
        assert!(far < 0.3, "{far}");
        assert_eq!(name_similarity("", "x"), 0.0);
    }

    #[test]
    fn hash_separates_parts() {
        assert_ne!(hash(&[b"ab", b"c"]), hash(&[b"a", b"bc"]));
    }
}

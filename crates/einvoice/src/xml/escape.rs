//! Escaping text for the XML every writer of the workspace produces (UBL, CII, SBDH, SMP, AS4).

/// Appends `value` as element content: markup characters escaped, and the carriage return
/// that line-end normalisation would otherwise drop.
pub fn escape(out: &mut String, value: &str) {
    push_escaped(out, value, false);
}

/// Appends `value` as an attribute value in double quotes: as [`escape`], plus the quote and
/// the tab and line feed that attribute-value normalisation would turn into spaces.
pub fn escape_attribute(out: &mut String, value: &str) {
    push_escaped(out, value, true);
}

fn push_escaped(out: &mut String, value: &str, attribute: bool) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if attribute => out.push_str("&quot;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_fragile_whitespace() {
        let mut text = String::new();
        escape(&mut text, "a<b>&\"c\"\t\r\n");
        assert_eq!(text, "a&lt;b&gt;&amp;\"c\"\t&#13;\n");
        let mut attribute = String::new();
        escape_attribute(&mut attribute, "a<b>&\"c\"\t\r\n");
        assert_eq!(attribute, "a&lt;b&gt;&amp;&quot;c&quot;&#9;&#13;&#10;");
    }
}

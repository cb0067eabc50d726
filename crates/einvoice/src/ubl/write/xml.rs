//! A small indenting XML writer: just what the UBL writer needs, with correct escaping.

use crate::value::Text;
use crate::{Amount, Identifier, Quantity};

/// Accumulates an XML document in a string.
pub(super) struct Xml {
    out: String,
    depth: usize,
    /// BT-5, for amounts that carry no currency of their own: UBL requires `currencyID`
    /// on every amount, while a model read from CII has it only on the VAT totals.
    currency: Option<Text>,
}

impl Xml {
    /// Starts a document with its XML declaration; `currency` is the invoice currency.
    pub(super) fn new(currency: Option<&Text>) -> Self {
        Xml {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            depth: 0,
            currency: currency.cloned(),
        }
    }

    /// The finished document.
    pub(super) fn finish(self) -> String {
        self.out
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn start_tag(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attributes {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            crate::xml::escape_attribute(&mut self.out, value);
            self.out.push('"');
        }
    }

    /// Writes `<name attributes…>`, then the children `body` writes, then `</name>`.
    pub(super) fn group(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        body: impl FnOnce(&mut Self),
    ) {
        self.start_tag(name, attributes);
        self.out.push_str(">\n");
        self.depth += 1;
        body(self);
        self.depth -= 1;
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// Writes `<name attributes…>value</name>`; attributes whose value is absent are left out.
    pub(super) fn leaf(&mut self, name: &str, attributes: &[(&str, Option<&Text>)], value: &str) {
        let present: Vec<(&str, &str)> = attributes
            .iter()
            .filter_map(|(key, value)| value.map(|v| (*key, v.trim())))
            .collect();
        self.start_tag(name, &present);
        self.out.push('>');
        crate::xml::escape(&mut self.out, value);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// A text element, trimmed, or nothing when the value is absent.
    pub(super) fn text(&mut self, name: &str, value: Option<&Text>) {
        if let Some(v) = value {
            self.leaf(name, &[], v.trim());
        }
    }

    /// A date element in UBL's `YYYY-MM-DD` when the value is a date in either syntax,
    /// else the text as given (the rules then report it).
    pub(super) fn date(&mut self, name: &str, value: Option<&Text>) {
        if let Some(v) = value {
            match v.date() {
                Some(d) => self.leaf(name, &[], &d.iso()),
                None => self.leaf(name, &[], v.trim()),
            }
        }
    }

    /// An amount element with its `currencyID`, the invoice currency when it has none.
    pub(super) fn amount(&mut self, name: &str, value: Option<&Amount>) {
        if let Some(a) = value {
            let currency = a.currency.clone().or_else(|| self.currency.clone());
            self.leaf(name, &[("currencyID", currency.as_ref())], a.value.trim());
        }
    }

    /// An identifier element with its `schemeID`.
    pub(super) fn identifier(&mut self, name: &str, value: Option<&Identifier>) {
        if let Some(i) = value {
            self.leaf(name, &[("schemeID", i.scheme.as_ref())], i.id.trim());
        }
    }

    /// A quantity element with its `unitCode`.
    pub(super) fn quantity(&mut self, name: &str, value: Option<&Quantity>) {
        if let Some(q) = value {
            self.leaf(name, &[("unitCode", q.unit.as_ref())], q.value.trim());
        }
    }

    /// `<group><name>value</name></group>` when the value is present: UBL wraps many
    /// single terms in an aggregate (`cac:OrderLineReference/cbc:LineID`, …).
    pub(super) fn wrapped(&mut self, group: &str, name: &str, value: Option<&Text>) {
        if value.is_some() {
            self.group(group, &[], |x| x.text(name, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_fragile_whitespace() {
        let mut x = Xml::new(None);
        let scheme = Text::new("a\"b\n");
        x.leaf("n", &[("s", Some(&scheme))], "1 < 2 & 3 > 2\r\n");
        let out = x.finish();
        assert!(
            out.ends_with("<n s=\"a&quot;b\">1 &lt; 2 &amp; 3 &gt; 2&#13;\n</n>\n"),
            "{out}"
        );
    }
}

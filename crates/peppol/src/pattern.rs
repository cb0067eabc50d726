//! The structure a scheme's code-list entry prescribes, as a small compiled pattern.
//!
//! The code list states each structure as a regular expression ("RegEx: [0-9]{9}"). They use
//! only literals, character classes, optional groups and alternatives, so the generator
//! compiles them into a tree of nodes and [`Pattern::matches`] runs that tree; a regex
//! engine would be a dependency for a page of code. Matching ignores ASCII case, because the
//! Policy for use of Identifiers makes participant identifiers case-insensitive.

/// A code-list structure: its official text, the same in words, and the compiled form.
#[derive(Debug)]
pub struct Pattern {
    pub(crate) regex: &'static str,
    pub(crate) shape: &'static str,
    pub(crate) nodes: &'static [Node],
}

/// One step of a pattern.
#[derive(Debug)]
pub(crate) enum Node {
    /// Exactly this text.
    Text(&'static str),
    /// `min` to `max` (unbounded when `None`) bytes, each in one of the inclusive ranges.
    Repeat {
        set: &'static [(u8, u8)],
        min: u8,
        max: Option<u8>,
    },
    /// Any one of these sequences.
    Choice(&'static [&'static [Node]]),
}

impl Pattern {
    /// The regular expression as the code list writes it, e.g. `[0-9]{9}([0-9]{5})?`.
    pub fn regex(&self) -> &'static str {
        self.regex
    }

    /// The pattern in words for a message, e.g. `9 digits, then optionally 5 digits`.
    pub fn shape(&self) -> &'static str {
        self.shape
    }

    /// True when all of `value` has this structure (ASCII case ignored).
    pub fn matches(&self, value: &str) -> bool {
        let text = value.as_bytes();
        let mut start = vec![false; text.len() + 1];
        start[0] = true;
        ends(self.nodes, text, start)
            .last()
            .copied()
            .unwrap_or(false)
    }
}

/// The positions a match of `nodes` can end at, starting from any position set in `starts`.
///
/// Tracking every reachable position at once, instead of backtracking, keeps the work
/// polynomial whatever the input.
fn ends(nodes: &[Node], text: &[u8], starts: Vec<bool>) -> Vec<bool> {
    nodes.iter().fold(starts, |at, node| step(node, text, &at))
}

fn step(node: &Node, text: &[u8], at: &[bool]) -> Vec<bool> {
    let mut next = vec![false; at.len()];
    let starts = at.iter().enumerate().filter(|(_, on)| **on).map(|(i, _)| i);
    match node {
        Node::Text(t) => {
            for start in starts {
                let end = start + t.len();
                let here = text.get(start..end);
                if here.is_some_and(|h| h.eq_ignore_ascii_case(t.as_bytes())) {
                    mark(&mut next, end);
                }
            }
        }
        Node::Repeat { set, min, max } => {
            let max = max.map_or(usize::MAX, usize::from);
            for start in starts {
                let rest = text.get(start..).unwrap_or_default();
                let run = rest
                    .iter()
                    .take(max)
                    .take_while(|b| in_set(set, **b))
                    .count();
                for len in usize::from(*min)..=run {
                    mark(&mut next, start + len);
                }
            }
        }
        Node::Choice(alternatives) => {
            for alternative in *alternatives {
                let reached = ends(alternative, text, at.to_vec());
                for (slot, hit) in next.iter_mut().zip(reached) {
                    *slot |= hit;
                }
            }
        }
    }
    next
}

fn mark(positions: &mut [bool], at: usize) {
    if let Some(slot) = positions.get_mut(at) {
        *slot = true;
    }
}

fn in_set(set: &[(u8, u8)], byte: u8) -> bool {
    [byte.to_ascii_lowercase(), byte.to_ascii_uppercase()]
        .iter()
        .any(|b| set.iter().any(|&(lo, hi)| (lo..=hi).contains(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGITS: &[(u8, u8)] = &[(b'0', b'9')];

    /// `NL[0-9]{9}B[0-9]{2}`
    const NL_VAT: Pattern = Pattern {
        regex: "NL[0-9]{9}B[0-9]{2}",
        shape: "",
        nodes: &[
            Node::Text("NL"),
            Node::Repeat {
                set: DIGITS,
                min: 9,
                max: Some(9),
            },
            Node::Text("B"),
            Node::Repeat {
                set: DIGITS,
                min: 2,
                max: Some(2),
            },
        ],
    };

    /// `[0-9]{2,12}(\-[A-Z]{0,30})?\-[0-9]{2}`: the optional group and the fixed tail both
    /// start with `-`, so a match must be able to give characters back.
    const LEITWEG: Pattern = Pattern {
        regex: "",
        shape: "",
        nodes: &[
            Node::Repeat {
                set: DIGITS,
                min: 2,
                max: Some(12),
            },
            Node::Choice(&[
                &[
                    Node::Text("-"),
                    Node::Repeat {
                        set: &[(b'A', b'Z')],
                        min: 0,
                        max: Some(30),
                    },
                ],
                &[],
            ]),
            Node::Text("-"),
            Node::Repeat {
                set: DIGITS,
                min: 2,
                max: Some(2),
            },
        ],
    };

    #[test]
    fn literal_and_counted_parts() {
        assert!(NL_VAT.matches("NL123456789B01"));
        assert!(NL_VAT.matches("nl123456789b01"), "case is ignored");
        assert!(!NL_VAT.matches("NL123456789B1"));
        assert!(!NL_VAT.matches("NL123456789B012"));
        assert!(!NL_VAT.matches("NL12345678XB01"));
        assert!(!NL_VAT.matches(""));
    }

    #[test]
    fn optional_groups_and_giving_back() {
        assert!(LEITWEG.matches("04011000-12"));
        assert!(LEITWEG.matches("04011000-ABC-12"));
        assert!(LEITWEG.matches("04011000--12"));
        assert!(!LEITWEG.matches("04011000-ABC"));
        assert!(!LEITWEG.matches("0-12"));
    }

    #[test]
    fn unbounded_repeat_and_non_ascii() {
        let any = Pattern {
            regex: "",
            shape: "",
            nodes: &[
                Node::Repeat {
                    set: &[(b'A', b'Z')],
                    min: 1,
                    max: Some(1),
                },
                Node::Repeat {
                    set: &[(b'A', b'Z'), (b'0', b'9')],
                    min: 0,
                    max: None,
                },
            ],
        };
        assert!(any.matches("b"));
        assert!(any.matches("B12AB"));
        assert!(!any.matches("1B"));
        assert!(!any.matches("Bé"));
    }
}

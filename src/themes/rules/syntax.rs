//! The syntax of rules: the lexer (text to tokens with their columns) and the recursive-descent
//! parser (tokens to compiled [`Node`]s), following the grammar in [`super`]. Every word is
//! compiled through [`crate::analysis::terms`], so a rule names the same terms the tagger sees;
//! every problem is a [`RuleError`] with the column where it was found, and the limits of
//! [`super`] are enforced here.

use std::fmt;

use crate::analysis::{self, intern};

use super::{
    Node, TermPat, MAX_ALTERNATIVES, MAX_DEPTH, MAX_NEAR_WINDOW, MAX_RULE_CHARS, MAX_TERMS_PER_RULE,
};

/// A rule that could not be parsed or compiled. `column` is 1-based, in characters of the
/// rule text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// 1-based character column in the rule text where the problem was found.
    pub column: usize,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

impl RuleError {
    fn new(column: usize, message: impl Into<String>) -> Self {
        RuleError {
            column,
            message: message.into(),
        }
    }
}

/// The positive (`AND`) and negative (`AND NOT`) parts of the rule `source`.
pub(super) fn parse(source: &str) -> Result<(Vec<Node>, Vec<Node>), RuleError> {
    if source.chars().count() > MAX_RULE_CHARS {
        return Err(RuleError::new(
            MAX_RULE_CHARS,
            format!("rule is longer than {MAX_RULE_CHARS} characters"),
        ));
    }
    let toks = lex(source)?;
    if toks.is_empty() {
        return Err(RuleError::new(1, "rule is empty"));
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
        leaves: 0,
        end_col: source.chars().count() + 1,
    };
    p.rule()
}

// ---------------------------------------------------------------------------------------
// Lexing

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word { text: String, prefix: bool },
    Num,
    And,
    Not,
    Near(u32),
    Open,
    Close,
    Bar,
    Tilde,
    Question,
}

/// Characters that end a word.
fn is_special(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '|' | '~' | '?')
}

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, RuleError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let simple = match c {
            '(' => Some(Tok::Open),
            ')' => Some(Tok::Close),
            '|' => Some(Tok::Bar),
            '~' => Some(Tok::Tilde),
            '?' => Some(Tok::Question),
            _ => None,
        };
        if let Some(t) = simple {
            out.push((t, col));
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && !is_special(chars[i]) {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        let tok = if word == "AND" {
            Tok::And
        } else if word == "NOT" {
            Tok::Not
        } else if word == "#num" {
            Tok::Num
        } else if let Some(rest) = word.strip_prefix("NEAR") {
            let n = rest
                .strip_prefix('/')
                .ok_or_else(|| RuleError::new(col, "NEAR needs a window, e.g. `NEAR/5`"))?;
            let n: u32 = n.parse().map_err(|_| {
                RuleError::new(col, format!("NEAR window `{n}` is not a whole number"))
            })?;
            if n == 0 || n > MAX_NEAR_WINDOW {
                return Err(RuleError::new(
                    col,
                    format!("NEAR window must be between 1 and {MAX_NEAR_WINDOW}, not {n}"),
                ));
            }
            Tok::Near(n)
        } else if word.starts_with('#') {
            return Err(RuleError::new(
                col,
                format!("unknown class `{word}` (the only class is `#num`)"),
            ));
        } else if let Some(stem) = word.strip_suffix('*') {
            if stem.contains('*') {
                return Err(RuleError::new(col, "`*` may only end a word"));
            }
            Tok::Word {
                text: stem.to_string(),
                prefix: true,
            }
        } else {
            if word.contains('*') {
                return Err(RuleError::new(col, "`*` may only end a word"));
            }
            Tok::Word {
                text: word,
                prefix: false,
            }
        };
        out.push((tok, col));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Parsing + compiling

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    depth: usize,
    leaves: usize,
    end_col: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn col(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end_col, |(_, c)| *c)
    }

    fn rule(&mut self) -> Result<(Vec<Node>, Vec<Node>), RuleError> {
        if self.peek() == Some(&Tok::Not) {
            return Err(RuleError::new(
                self.col(),
                "a rule cannot start with NOT; write `x AND NOT y`, or put `y` in `exclude`",
            ));
        }
        let mut all = vec![self.near()?];
        let mut none = Vec::new();
        while let Some(t) = self.peek() {
            match t {
                Tok::And => {
                    self.pos += 1;
                    if self.peek() == Some(&Tok::Not) {
                        self.pos += 1;
                        none.push(self.near()?);
                    } else {
                        all.push(self.near()?);
                    }
                }
                Tok::Close => return Err(RuleError::new(self.col(), "unbalanced `)`")),
                _ => return Err(RuleError::new(self.col(), "unexpected token")),
            }
        }
        Ok((all, none))
    }

    fn near(&mut self) -> Result<Node, RuleError> {
        let mut left = self.alt()?;
        while let Some(Tok::Near(n)) = self.peek() {
            let n = *n;
            self.pos += 1;
            let right = self.alt()?;
            left = Node::Near(Box::new(left), Box::new(right), n);
        }
        Ok(left)
    }

    fn alt(&mut self) -> Result<Node, RuleError> {
        let mut alts = vec![self.seq()?];
        while self.peek() == Some(&Tok::Bar) {
            self.pos += 1;
            if alts.len() >= MAX_ALTERNATIVES {
                return Err(RuleError::new(
                    self.col(),
                    format!("more than {MAX_ALTERNATIVES} alternatives in one group"),
                ));
            }
            alts.push(self.seq()?);
        }
        Ok(if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Alt(Vec::new()))
        } else {
            Node::Alt(alts)
        })
    }

    fn seq(&mut self) -> Result<Node, RuleError> {
        let start_col = self.col();
        let mut items = Vec::new();
        while let Some(t) = self.peek() {
            match t {
                Tok::Word { .. } | Tok::Num | Tok::Open | Tok::Tilde => {
                    items.extend(self.item()?);
                }
                _ => break,
            }
        }
        if items.is_empty() {
            let what = match self.peek() {
                None => "the rule ends where a word or `(` was expected".to_string(),
                Some(Tok::And) => "AND needs a word or `(` on both sides".to_string(),
                Some(Tok::Not) => "NOT is only allowed as `AND NOT`".to_string(),
                Some(Tok::Near(_)) => "NEAR needs a word or `(` on both sides".to_string(),
                Some(Tok::Bar) => "empty alternative before or after `|`".to_string(),
                Some(Tok::Close) => "empty group `()` or misplaced `)`".to_string(),
                Some(Tok::Question) => "`?` may only follow a group, as in `(the)?`".to_string(),
                Some(_) => "a word or `(` was expected".to_string(),
            };
            return Err(RuleError::new(self.col(), what));
        }
        let first_or_last_optional = matches!(items.first(), Some(Node::Optional(_)))
            || matches!(items.last(), Some(Node::Optional(_)));
        if first_or_last_optional {
            return Err(RuleError::new(
                start_col,
                "an optional group `(…)?` needs a word before and after it in the phrase",
            ));
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Node::Seq(Vec::new()))
        } else {
            Node::Seq(items)
        })
    }

    /// One item; a word that analyses to several terms yields several nodes.
    fn item(&mut self) -> Result<Vec<Node>, RuleError> {
        let col = self.col();
        let Some((tok, _)) = self.toks.get(self.pos).cloned() else {
            return Err(RuleError::new(col, "a word or `(` was expected"));
        };
        self.pos += 1;
        match tok {
            Tok::Tilde => {
                let mut inner = self.item()?;
                let node = if inner.len() == 1 {
                    inner.pop().unwrap_or(Node::Seq(Vec::new()))
                } else {
                    Node::Seq(inner)
                };
                Ok(vec![Node::Asserted(Box::new(node))])
            }
            Tok::Open => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(RuleError::new(
                        col,
                        format!("parentheses nested deeper than {MAX_DEPTH}"),
                    ));
                }
                let node = self.near()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(RuleError::new(col, "unbalanced `(`: no matching `)`"));
                }
                self.pos += 1;
                self.depth -= 1;
                if self.peek() == Some(&Tok::Question) {
                    self.pos += 1;
                    return Ok(vec![Node::Optional(Box::new(node))]);
                }
                Ok(vec![node])
            }
            Tok::Num => {
                self.leaf(col)?;
                Ok(vec![Node::Term(TermPat::Number)])
            }
            Tok::Word { text, prefix } => {
                let terms = analysis::terms(&text);
                if terms.is_empty() {
                    return Err(RuleError::new(
                        col,
                        format!("`{text}` analyses to nothing (no letters or digits)"),
                    ));
                }
                let n = terms.len();
                let mut out = Vec::with_capacity(n);
                for (i, t) in terms.into_iter().enumerate() {
                    self.leaf(col)?;
                    out.push(Node::Term(if prefix && i + 1 == n {
                        TermPat::Prefix(t)
                    } else {
                        TermPat::Exact {
                            id: intern(&t),
                            term: t,
                        }
                    }));
                }
                Ok(out)
            }
            _ => Err(RuleError::new(col, "a word or `(` was expected")),
        }
    }

    fn leaf(&mut self, col: usize) -> Result<(), RuleError> {
        self.leaves += 1;
        if self.leaves > MAX_TERMS_PER_RULE {
            return Err(RuleError::new(
                col,
                format!("rule has more than {MAX_TERMS_PER_RULE} terms"),
            ));
        }
        Ok(())
    }
}

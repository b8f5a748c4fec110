//! A search query (tantivy's syntax, as `themis search` takes it) written as theme rules, for
//! `themis themes add --from-search`: what the README's mapping table says, done by program.
//!
//! | query | rule |
//! |---|---|
//! | `"information sharing"` | `information sharing` |
//! | `vetting delays`, `vetting AND delays`, `+vetting +delays` | `vetting AND delays` |
//! | `caseload OR workload` | `(caseload\|workload)` |
//! | `vetting -police`, `vetting AND NOT police` | `vetting AND NOT police` |
//! | `"vetting delays"~5` | `vetting NEAR/5 delays` |
//! | `"information shar"*`, `recruit*` | `information shar*`, `recruit*` |
//! | `(a AND b) OR c` | two rules, `a AND b` and `c` (a theme's rules are alternatives) |
//!
//! A rule decides one sentence, a query matches a passage; fields (`region:`, `title:`...),
//! `+` mixed with unmarked words (which makes those optional) and a `NOT` over a group with
//! `AND` have no rule to stand for them and are errors that say so.

/// The rules `query` stands for (one or more: the theme's `match` list), or why there are none.
pub fn rules_from_query(query: &str) -> Result<Vec<String>, String> {
    let tokens = tokenize(query)?;
    if tokens.is_empty() {
        return Err("the query is empty".into());
    }
    let mut parser = Parser { tokens, at: 0 };
    let tree = parser.or()?;
    if parser.at < parser.tokens.len() {
        return Err(format!(
            "unexpected {}",
            parser.tokens[parser.at].describe()
        ));
    }
    let mut rules = Vec::new();
    for (positive, negative) in dnf(&simplify(tree))? {
        if positive.is_empty() {
            return Err(
                "a rule needs something to match: a query of NOT parts alone has none".into(),
            );
        }
        let mut rule = positive.join(" AND ");
        for n in negative {
            rule.push_str(" AND NOT ");
            rule.push_str(&n);
        }
        if !rules.contains(&rule) {
            rules.push(rule);
        }
    }
    Ok(rules)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    And,
    Or,
    Not,
    /// `+` or `-` right before a word, phrase or group.
    Sign(char),
    /// A word (perhaps with a trailing `*`) or a phrase, as rule text.
    Literal(String),
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Token::Open => "`(`".into(),
            Token::Close => "`)`".into(),
            Token::And => "`AND`".into(),
            Token::Or => "`OR`".into(),
            Token::Not => "`NOT`".into(),
            Token::Sign(c) => format!("`{c}`"),
            Token::Literal(l) => format!("`{l}`"),
        }
    }
}

/// Characters the rule language reads as syntax: dropped from words.
fn clean_word(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '\'' | '-' | '.'))
        .collect::<String>()
        .to_lowercase()
}

fn tokenize(query: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Token::Open);
                i += 1;
            }
            ')' => {
                out.push(Token::Close);
                i += 1;
            }
            '+' | '-' => {
                out.push(Token::Sign(c));
                i += 1;
            }
            '^' => {
                // A boost changes ranking, not what matches.
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
            }
            '"' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '"')
                    .ok_or("an unclosed quote")?
                    + i
                    + 1;
                let words: Vec<String> = chars[i + 1..end]
                    .iter()
                    .collect::<String>()
                    .split_whitespace()
                    .map(clean_word)
                    .filter(|w| !w.is_empty())
                    .collect();
                i = end + 1;
                let mut literal = words.join(" ");
                if chars.get(i) == Some(&'~') {
                    i += 1;
                    let start = i;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                    let slop: String = chars[start..i].iter().collect();
                    let slop: u32 = slop
                        .parse()
                        .map_err(|_| "`~` after a phrase needs a number".to_string())?;
                    if words.len() != 2 {
                        return Err(format!(
                            "\"{}\"~{slop}: a rule's NEAR joins two words; write the rule by hand",
                            words.join(" ")
                        ));
                    }
                    literal = format!("{} NEAR/{} {}", words[0], slop.clamp(1, 40), words[1]);
                } else if chars.get(i) == Some(&'*') {
                    i += 1;
                    literal.push('*');
                }
                if literal.is_empty() {
                    return Err("an empty phrase".into());
                }
                out.push(Token::Literal(literal));
            }
            _ => {
                let start = i;
                while i < chars.len() && !chars[i].is_whitespace() && !"()\"^".contains(chars[i]) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                match word.as_str() {
                    "AND" | "&&" => out.push(Token::And),
                    "OR" | "||" => out.push(Token::Or),
                    "NOT" => out.push(Token::Not),
                    _ if word.contains(':') => {
                        return Err(format!(
                            "`{word}`: a field filter has no rule equivalent (rules read the sentence only)"
                        ))
                    }
                    _ => {
                        let prefix = word.ends_with('*');
                        let mut cleaned = clean_word(&word);
                        if cleaned.is_empty() {
                            return Err(format!("`{word}` is not a word"));
                        }
                        if prefix {
                            cleaned.push('*');
                        }
                        out.push(Token::Literal(cleaned));
                    }
                }
            }
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq)]
enum Query {
    Literal(String),
    And(Vec<Query>),
    Or(Vec<Query>),
    Not(Box<Query>),
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn or(&mut self) -> Result<Query, String> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Query::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Query, String> {
        let mut parts = Vec::new();
        let (mut signed, mut unsigned) = (false, false);
        loop {
            match self.peek() {
                None | Some(Token::Close) | Some(Token::Or) => break,
                Some(Token::And) => {
                    if parts.is_empty() {
                        return Err("`AND` needs a word on each side".into());
                    }
                    self.at += 1;
                    if matches!(self.peek(), None | Some(Token::Close) | Some(Token::Or)) {
                        return Err("`AND` needs a word on each side".into());
                    }
                }
                Some(Token::Sign('+')) => {
                    signed = true;
                    self.at += 1;
                    parts.push(self.atom()?);
                }
                Some(Token::Sign(_)) | Some(Token::Not) => {
                    self.at += 1;
                    parts.push(Query::Not(Box::new(self.atom()?)));
                }
                _ => {
                    unsigned = true;
                    parts.push(self.atom()?);
                }
            }
        }
        if signed && unsigned {
            return Err(
                "`+` next to unmarked words makes those optional, which no rule says; mark all words `+` or none".into(),
            );
        }
        match parts.len() {
            0 => Err("a word or phrase is missing (e.g. after `OR` or inside `()`)".into()),
            1 => Ok(parts.remove(0)),
            _ => Ok(Query::And(parts)),
        }
    }

    fn atom(&mut self) -> Result<Query, String> {
        match self.tokens.get(self.at).cloned() {
            Some(Token::Open) => {
                self.at += 1;
                let inner = self.or()?;
                if self.peek() != Some(&Token::Close) {
                    return Err("an unclosed parenthesis".into());
                }
                self.at += 1;
                Ok(inner)
            }
            Some(Token::Literal(l)) => {
                self.at += 1;
                Ok(Query::Literal(l))
            }
            Some(other) => Err(format!("unexpected {}", other.describe())),
            None => Err("the query ends where a word was expected".into()),
        }
    }
}

/// Folds an `OR` of plain words and phrases into one alternation, `(a|b c)`: one rule part
/// rather than a rule each.
fn simplify(query: Query) -> Query {
    match query {
        Query::Or(parts) => {
            let parts: Vec<Query> = parts.into_iter().map(simplify).collect();
            let plain = parts.iter().all(
                |p| matches!(p, Query::Literal(l) if !l.contains(" NEAR/") && !l.starts_with('(')),
            );
            if plain {
                let alternatives: Vec<String> = parts
                    .into_iter()
                    .filter_map(|p| match p {
                        Query::Literal(l) => Some(l),
                        _ => None,
                    })
                    .collect();
                Query::Literal(format!("({})", alternatives.join("|")))
            } else {
                Query::Or(parts)
            }
        }
        Query::And(parts) => Query::And(parts.into_iter().map(simplify).collect()),
        Query::Not(inner) => Query::Not(Box::new(simplify(*inner))),
        literal => literal,
    }
}

/// (positive parts, negated parts) of each alternative.
type Conjunction = (Vec<String>, Vec<String>);

/// The query as alternatives of conjunctions (each becomes a rule).
fn dnf(query: &Query) -> Result<Vec<Conjunction>, String> {
    match query {
        Query::Literal(l) => Ok(vec![(vec![l.clone()], vec![])]),
        Query::Or(parts) => {
            let mut out = Vec::new();
            for p in parts {
                out.extend(dnf(p)?);
            }
            Ok(out)
        }
        Query::And(parts) => {
            let mut out: Vec<Conjunction> = vec![(vec![], vec![])];
            for p in parts {
                let alternatives = dnf(p)?;
                let mut next = Vec::new();
                for (pos, neg) in &out {
                    for (p2, n2) in &alternatives {
                        let mut pos = pos.clone();
                        pos.extend(p2.iter().cloned());
                        let mut neg = neg.clone();
                        neg.extend(n2.iter().cloned());
                        next.push((pos, neg));
                    }
                }
                out = next;
            }
            Ok(out)
        }
        Query::Not(inner) => match &**inner {
            Query::Literal(l) => Ok(vec![(vec![], vec![l.clone()])]),
            _ => Err(
                "NOT over a group with AND or OR has no rule equivalent; write the rule by hand"
                    .into(),
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(q: &str) -> Vec<String> {
        rules_from_query(q).unwrap_or_else(|e| panic!("{q}: {e}"))
    }

    #[test]
    fn test_the_mapping_table_of_the_readme() {
        assert_eq!(rules("\"information sharing\""), ["information sharing"]);
        assert_eq!(rules("vetting delays"), ["vetting AND delays"]);
        assert_eq!(rules("vetting AND delays"), ["vetting AND delays"]);
        assert_eq!(rules("+vetting +delays"), ["vetting AND delays"]);
        assert_eq!(rules("caseload OR workload"), ["(caseload|workload)"]);
        assert_eq!(rules("vetting -police"), ["vetting AND NOT police"]);
        assert_eq!(rules("vetting AND NOT police"), ["vetting AND NOT police"]);
        assert_eq!(rules("\"vetting delays\"~5"), ["vetting NEAR/5 delays"]);
        assert_eq!(rules("\"information shar\"*"), ["information shar*"]);
        assert_eq!(rules("recruit*"), ["recruit*"]);
        assert_eq!(rules("(a AND b) OR c"), ["a AND b", "c"]);
        assert_eq!(
            rules("(police OR \"children's services\") AND \"information sharing\""),
            ["(police|children's services) AND information sharing"]
        );
        assert_eq!(rules("vetting^2 delays"), ["vetting AND delays"]);
        assert_eq!(
            rules("vetting -(police OR courts)"),
            ["vetting AND NOT (police|courts)"]
        );
    }

    #[test]
    fn test_what_no_rule_can_say_is_an_error_that_says_so() {
        for (query, says) in [
            ("region:\"South West\" vetting", "field"),
            ("+vetting police", "optional"),
            ("-police", "something to match"),
            ("\"a b c\"~3", "NEAR joins two words"),
            ("vetting -(police AND courts)", "NOT over a group"),
            ("(vetting", "unclosed parenthesis"),
            ("\"vetting", "unclosed quote"),
            ("vetting OR", "missing"),
            ("AND vetting", "each side"),
            ("", "empty"),
        ] {
            let err = rules_from_query(query).expect_err(query);
            assert!(err.contains(says), "{query}: {err}");
        }
    }

    #[test]
    fn test_every_translation_is_a_rule_the_rule_language_reads() {
        for query in [
            "\"information sharing\"",
            "vetting delays",
            "caseload OR workload",
            "vetting -police",
            "\"vetting delays\"~5",
            "\"information shar\"*",
            "(a AND b) OR c",
            "(police OR \"children's services\") AND \"information sharing\"",
        ] {
            for rule in rules(query) {
                super::super::Rule::parse(&rule).unwrap_or_else(|e| panic!("{rule}: {e}"));
            }
        }
    }
}

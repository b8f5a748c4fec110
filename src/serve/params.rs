//! Query-string parameters: each page and API endpoint names the parameters it takes, and
//! every value is checked the way the command line checks its flags (an unknown region, type,
//! theme or polarity lists the valid ones). Anything wrong is a 400 with a message.

use std::str::FromStr;

use super::state::Failure;
use crate::corpus::gazetteer::Gazetteer;
use crate::corpus::ReportType;
use crate::stats::PolarityFilter;
use crate::themes::{Polarity, Taxonomy};

/// The parameters of one request, in order (a name may repeat, as `theme` does).
#[derive(Debug, Clone, Default)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// Fails on a parameter not in `known`, naming the ones that are.
    pub fn only(&self, known: &[&str]) -> Result<&Self, Failure> {
        match self
            .0
            .iter()
            .find(|(name, _)| !known.contains(&name.as_str()))
        {
            None => Ok(self),
            Some((name, _)) => Err(Failure::BadRequest(format!(
                "unknown parameter `{name}`; this page takes: {}",
                known.join(", ")
            ))),
        }
    }

    /// The last non-empty value of `name` (an empty field in a form means "not given").
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(n, v)| n == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }

    /// Every non-empty value of `name`, in order, without repeats.
    pub fn all(&self, name: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (n, v) in &self.0 {
            let v = v.trim();
            if n == name && !v.is_empty() && !out.iter().any(|o| o == v) {
                out.push(v.to_string());
            }
        }
        out
    }

    /// The raw value of `name` (the query may be empty or all spaces on purpose).
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A number of at least `min`, when given.
    pub fn number<T>(&self, name: &str, min: T) -> Result<Option<T>, Failure>
    where
        T: FromStr + PartialOrd + std::fmt::Display + Copy,
    {
        let Some(text) = self.get(name) else {
            return Ok(None);
        };
        match text.parse::<T>() {
            Ok(n) if n >= min => Ok(Some(n)),
            _ => Err(Failure::BadRequest(format!(
                "`{name}` must be a whole number of at least {min}, not `{text}`"
            ))),
        }
    }

    /// A share between 0 and 1, when given.
    pub fn share(&self, name: &str) -> Result<Option<f64>, Failure> {
        let Some(text) = self.get(name) else {
            return Ok(None);
        };
        match text.parse::<f64>() {
            Ok(x) if (0.0..=1.0).contains(&x) => Ok(Some(x)),
            _ => Err(Failure::BadRequest(format!(
                "`{name}` must be a number from 0 to 1, not `{text}`"
            ))),
        }
    }

    /// A yes/no flag: absent, `0`, `false`, `no` or `off` is no; `1`, `true`, `yes`, `on` yes.
    pub fn flag(&self, name: &str) -> Result<bool, Failure> {
        match self.get(name).map(str::to_ascii_lowercase).as_deref() {
            None | Some("0" | "false" | "no" | "off") => Ok(false),
            Some("1" | "true" | "yes" | "on") => Ok(true),
            Some(other) => Err(Failure::BadRequest(format!(
                "`{name}` must be true or false, not `{other}`"
            ))),
        }
    }

    /// The canonical region named by `name`, when given.
    pub fn region(&self, name: &str) -> Result<Option<String>, Failure> {
        self.get(name)
            .map(|r| Gazetteer::embedded().resolve_region(r).map(String::from))
            .transpose()
            .map_err(Failure::from)
    }

    /// The report type named by `name`, when given.
    pub fn report_type(&self, name: &str) -> Result<Option<ReportType>, Failure> {
        self.get(name)
            .map(ReportType::resolve)
            .transpose()
            .map_err(Failure::from)
    }

    /// Every theme id named by `name`, each checked against the taxonomy.
    pub fn themes(&self, name: &str, taxonomy: &Taxonomy) -> Result<Vec<String>, Failure> {
        let themes = self.all(name);
        for theme in &themes {
            taxonomy.check_theme(theme)?;
        }
        Ok(themes)
    }

    /// A polarity filter (`all`, `concern`, `strength`, `neutral`), or `default`.
    pub fn polarity_filter(
        &self,
        name: &str,
        default: PolarityFilter,
    ) -> Result<PolarityFilter, Failure> {
        match self.get(name) {
            None => Ok(default),
            Some(p) => Ok(PolarityFilter::parse(p)?),
        }
    }

    /// One polarity, when given (`all` counts as not given).
    pub fn polarity(&self, name: &str) -> Result<Option<Polarity>, Failure> {
        match self.polarity_filter(name, PolarityFilter::All)? {
            PolarityFilter::All => Ok(None),
            PolarityFilter::Only(p) => Ok(Some(p)),
        }
    }

    /// A value parsed by its `FromStr` (whose error says what is expected), when given.
    pub fn parsed<T: FromStr<Err = String>>(&self, name: &str) -> Result<Option<T>, Failure> {
        self.get(name)
            .map(|v| v.parse::<T>().map_err(Failure::BadRequest))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params(
            pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        )
    }

    #[test]
    fn test_bad_values_are_bad_requests_with_a_message() {
        let p = params(&[
            ("page", "-1"),
            ("region", "Atlantis"),
            ("type", "memo"),
            ("polarity", "angry"),
            ("year", "20x6"),
            ("flag", "maybe"),
            ("share", "2"),
        ]);
        let message = |r: Result<_, Failure>| match r {
            Err(Failure::BadRequest(m)) => m,
            other => panic!("expected a bad request, got {other:?}"),
        };
        assert!(message(p.number::<usize>("page", 1).map(|_| ())).contains("`page`"));
        assert!(message(p.region("region").map(|_| ())).contains("regions are"));
        assert!(message(p.report_type("type").map(|_| ())).contains("types are"));
        assert!(message(p.polarity("polarity").map(|_| ())).contains("concern"));
        assert!(message(p.number::<i32>("year", 0).map(|_| ())).contains("20x6"));
        assert!(message(p.flag("flag").map(|_| ())).contains("true or false"));
        assert!(message(p.share("share").map(|_| ())).contains("0 to 1"));
        assert!(message(p.only(&["q"]).map(|_| ())).contains("unknown parameter"));
    }

    #[test]
    fn test_values_are_trimmed_and_empty_ones_ignored() {
        let p = params(&[
            ("region", " "),
            ("theme", "a"),
            ("theme", ""),
            ("theme", "a"),
        ]);
        assert_eq!(p.get("region"), None);
        assert_eq!(p.all("theme"), vec!["a".to_string()]);
        assert_eq!(p.region("region").unwrap(), None);
        let p = params(&[("region", "south west")]);
        assert_eq!(p.region("region").unwrap().as_deref(), Some("South West"));
    }
}

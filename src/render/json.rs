//! JSON of models, pretty-printed, with a trailing newline: the [`FrequencyReport`] in its
//! fields' order, and the [`crate::views`] with their object keys sorted (the shape `scores`,
//! `facts` and `recommendations --json` have always printed).

use std::io::{self, Write};

use serde::Serialize;

use crate::views::frequency::FrequencyReport;

/// Writes the frequency model as pretty JSON. Never coloured. Field names are the model's
/// (`by`, `metric`, `polarity`, `groups`, `rows`, `column_totals`, `grand_total`).
pub fn write(report: &FrequencyReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

/// Writes `value` as pretty JSON with the keys of every object sorted, whatever the order of
/// its fields (flattened ones included).
pub fn write_sorted(value: &impl Serialize, out: &mut dyn Write) -> io::Result<()> {
    let value = serde_json::to_value(value)?;
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use crate::render::frequency::{render_to_string, Format};
    use crate::views::frequency::test_fixture::{empty, fixture};
    use serde::Deserialize;

    /// Mirror of the published shape; `deny_unknown_fields` catches accidental additions.
    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        by: String,
        metric: String,
        polarity: String,
        groups: Vec<DocGroup>,
        rows: Vec<DocRow>,
        column_totals: Vec<f64>,
        grand_total: f64,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct DocGroup {
        key: String,
        label: String,
        sentences: u64,
        reports: u64,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct DocRow {
        id: String,
        label: String,
        category: String,
        values: Vec<f64>,
        total: f64,
    }

    #[test]
    fn test_json_round_trip() {
        let r = fixture();
        let out = render_to_string(&r, Format::Json, false).unwrap();
        let doc: Doc = serde_json::from_str(&out).unwrap();
        assert_eq!(doc.by, "region");
        assert_eq!(doc.metric, "sentences");
        assert_eq!(doc.polarity, "all");
        assert_eq!(doc.groups.len(), 3);
        assert_eq!(doc.groups[2].label, "Wales & the <West>");
        assert_eq!(doc.rows.len(), 4);
        assert_eq!(doc.rows[3].label, r#"Risk | "harm", <safety> & more"#);
        for (d, m) in doc.rows.iter().zip(&r.rows) {
            assert_eq!((&d.id, &d.values, d.total), (&m.id, &m.values, m.total));
        }
        assert_eq!(doc.column_totals, r.column_totals);
        assert_eq!(doc.grand_total, r.grand_total);
    }

    #[test]
    fn test_json_metric_names() {
        let r = crate::views::frequency::test_fixture::fixture_with(
            crate::views::frequency::Metric::Per10k,
        );
        let doc: Doc =
            serde_json::from_str(&render_to_string(&r, Format::Json, false).unwrap()).unwrap();
        assert_eq!(doc.metric, "per10k");
    }

    #[test]
    fn test_json_snapshot() {
        let out = render_to_string(&fixture(), Format::Json, false).unwrap();
        insta::assert_snapshot!(out, @r#"
        {
          "by": "region",
          "metric": "sentences",
          "polarity": "all",
          "groups": [
            {
              "key": "north-east",
              "label": "North East",
              "sentences": 2000,
              "reports": 4
            },
            {
              "key": "london",
              "label": "London",
              "sentences": 1500,
              "reports": 3
            },
            {
              "key": "wales",
              "label": "Wales & the <West>",
              "sentences": 500,
              "reports": 2
            }
          ],
          "rows": [
            {
              "id": "staffing-shortages",
              "label": "Staffing shortages",
              "category": "workforce",
              "values": [
                10.0,
                7.0,
                4.0
              ],
              "total": 21.0
            },
            {
              "id": "information-sharing",
              "label": "Information sharing",
              "category": "protection",
              "values": [
                2.0,
                3.0,
                0.0
              ],
              "total": 5.0
            },
            {
              "id": "vetting-recruitment",
              "label": "Vetting and recruitment",
              "category": "workforce",
              "values": [
                3.0,
                0.0,
                2.0
              ],
              "total": 5.0
            },
            {
              "id": "risk-harm",
              "label": "Risk | \"harm\", <safety> & more",
              "category": "practice",
              "values": [
                0.0,
                0.0,
                0.0
              ],
              "total": 0.0
            }
          ],
          "column_totals": [
            15.0,
            10.0,
            6.0
          ],
          "grand_total": 31.0
        }
        "#);
    }

    #[test]
    fn test_json_empty_snapshot() {
        let out = render_to_string(&empty(), Format::Json, false).unwrap();
        insta::assert_snapshot!(out, @r#"
        {
          "by": "year",
          "metric": "sentences",
          "polarity": "concern",
          "groups": [],
          "rows": [],
          "column_totals": [],
          "grand_total": 0.0
        }
        "#);
    }
}

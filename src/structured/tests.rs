//! Tests of structured extraction on miniature reports in each layout the readers handle.

use super::facts::column_tokens;
use super::helpers::collapse_ws;
use super::*;
use proptest::prelude::*;

/// The metadata the index resolves for a test report; only its region matters to extraction.
fn meta(region: Option<&str>) -> ReportMeta {
    ReportMeta {
        id: "test".into(),
        file: "test.txt".into(),
        title: "Test report".into(),
        publisher: None,
        region: region.map(str::to_string),
        date: None,
        year: None,
        report_type: crate::corpus::ReportType::Other,
        source: None,
        licence: None,
        inferred: true,
    }
}

/// Extraction from a test report whose metadata names no region.
fn extract(text: &str) -> Structured {
    super::extract(text, &meta(None))
}

/// A 2026 web report in miniature: bulleted regional recommendations, an unmarked-heading
/// HMPPS block, a `| … |` score table and a `| … |` facts table with a glued footnote.
const WEB_PIPES: &str = "Dynamic Inspection of Public Protection in Greater Manchester\n\
Regional recommendations (Back to top)\n\
- Complete a learning needs analysis with PSOs to understand their skills.\n\
- Ensure mechanisms are in place to provide effective oversight of cases.\n\
HMPPS recommendations\n\
- Reduce vetting delays and address workforce instability by implementing streamlined and more regionally responsive recruitment processes.\n\
- Embed public protection-specific metrics in dashboards to enable leaders to monitor quality and impact effectively.\n\
Scoring (Back to top)\n\
| Key question | Percentage ‘Yes’ |\n\
| Does assessment focus sufficiently on keeping other people safe? | 49% |\n\
| Does planning focus sufficiently on keeping other people safe? | 63% |\n\
| Does the implementation and delivery of services effectively support the safety of other people? | 47% |\n\
| Does reviewing focus sufficiently on keeping other people safe? | 51% |\n\
Key contextual facts (Back to top)\n\
| Number of people supervised (on 30 June 2025)3 | 16,013 |\n\
| Victim satisfaction performance SL021 (April 2024 – March 2025)5 | – |\n\
| Staffing level (FTE staff in post)6 | ||\n\
| SPO | PO | PSO (including PQiP) |\n\
| 96% | 72% | 108% |\n\
| Recall rates (in the 12 months prior to inspection) | 24.88% |\n\
| Average RAR wait time (in the 12 months prior to inspection) | Not available |\n\
| Percentage of accredited programme requirements completed for individuals convicted of a sexual offence | 35.71%7 |\n\
Data annexe (Back to top)\n";

/// The same in the glued layout of 004: numbered items, figures glued to questions,
/// footnote markers glued between labels and values.
const WEB_GLUED: &str = "Dynamic Inspection of Public Protection in South West region\n\n\
Regional recommendations (Back to top)\n\n\
  1. Ensure mechanisms are in place to provide effective governance of MAPPA-eligible cases.\n\
  2. Evaluate and strengthen the delivery of interventions.\n\n\
HMPPS recommendations (Back to top)\n\n\
  1. Reduce vetting delays and address workforce instability by implementing streamlined and more responsive recruitment processes.\n\n\
Scoring (Back to top)\n\n\
Key questionPercentage ‘Yes’\n\
Does assessment focus sufficiently on keeping other people safe?45%\n\
Does planning focus sufficiently on keeping other people safe?59%\n\
Does the implementation and delivery of services effectively support the safety of other people?30%\n\
Does reviewing focus sufficiently on keeping other people safe?39%\n\n\
Key contextual facts (Back to top)\n\n\
Number of people supervised (on 30 June 2025)116,821\n\
MAPPA-eligible offenders (on 31 March 2025)27,963\n\
Staffing level (Staff in post full time equivalent (FTE))3\n\
Senior probation officer (PSO)Probation officer (PO)Probation services officer (inc. PQiP)\n\
88%89%85%\n\
Average Caseload at the point of inspection (FTE)\n\
POPSO (exc. PQiP)PQiP\n\
36.2148.4935.31\n\
Recall rates (in the 12 months prior to inspection)21.47%\n\
Average rehabilitation activity requirement (RAR) wait time (in the 12 months prior to inspection)Not available\n\
Percentage of RAR days completed (in the 12 months prior to inspection)51%\n\
Risk of Serious Harm classification of inspected cases\n\
LowMediumHigh/very high\n\
5%63%28%\n\n\
Further information (Back to top)\n\n\
Footnotes\n\n\
  1. Offender management statistics.\n\
  2. MAPPA annual report.\n";

/// A 2023 regional letter in miniature: PDU sub-headings, lead-ins, a hard-wrapped item,
/// an unnumbered first item, a numbered item without bullet, and a tab-separated ratings
/// annexe.
const LETTER: &str = "Annexe one – Recommendations\n\n\
Manchester North PDU\n\n\
The PDU should:\n\n\
- improve the quality of work to assess and manage risk of harm and to\n\
improve desistance\n\
- 2. ensure consideration is given to the safety of victims\n\n\
Greater Manchester Region should:\n\n\
- 3. consider a more flexible approach to service level targets\n\n\
Tameside PDU\n\n\
The PDU should:\n\n\
- 1. ensure interventions available locally are utilised\n\n\
2. ensure that diversity information is assessed.\n\n\
Greater Manchester region should:\n\n\
- 3. reduce waiting times for accredited programmes.\n\n\
HM Prison and Probation Service should:\n\n\
- 4. ensure probation delivery units are sufficiently resourced\n\n\
Annexe two - PDU ratings\n\n\
Set out below are the ratings of the PDUs in this region.\n\n\
Manchester North Fieldwork started February 2023\t\tScore\t10/24\n\
Overall rating\t\tRequires improvement\t\n\
1.\tOrganisational delivery\t\t\n\
1.1\tLeadership\tRequires improvement\t\n\
1.2\tStaff\tGood\t\n\
2.\tCourt work and case supervision\t\t\n\
2.2\tAssessment\tInadequate\t\n\
Tameside PDU Fieldwork started March 2023\t\tScore\t7/27\n\
Overall rating\t\tOutstanding\t\n\
2.5\tReviewing\tInadequate\t\n";

/// The four scores of a report, in table order.
fn four(s: &Structured) -> [Option<f64>; 4] {
    let sc = s.scores.as_ref().expect("a scoring table");
    [sc.assessment, sc.planning, sc.implementation, sc.reviewing]
}

fn names(s: &Structured) -> Vec<(&str, f64)> {
    s.facts.iter().map(|f| (f.name.as_str(), f.value)).collect()
}

#[test]
fn test_web_bulleted_recommendations_take_addressee_from_heading_and_metadata() {
    let s = super::extract(WEB_PIPES, &meta(Some("Greater Manchester")));
    let r = &s.recommendations;
    assert_eq!(r.len(), 4);
    assert_eq!(r[0].addressee, Addressee::Region);
    assert_eq!(r[0].addressee_name.as_deref(), Some("Greater Manchester"));
    assert_eq!(r[0].heading, "Regional recommendations");
    assert_eq!(r[0].number, None);
    assert_eq!(r[2].addressee, Addressee::Hmpps);
    assert_eq!(r[2].addressee_name.as_deref(), Some("HMPPS"));
    assert_eq!(r[2].heading, "HMPPS recommendations");
    assert!(r[3].text.starts_with("Embed public protection-specific"));
    assert!(s.problems.is_empty(), "{:?}", s.problems);
}

#[test]
fn test_regional_recommendations_name_the_metadata_region_only() {
    // The title names Greater Manchester, but the report's region is what its metadata says;
    // without one the addressee's name is unknown rather than read off the title.
    let r = super::extract(WEB_PIPES, &meta(Some("North West"))).recommendations;
    assert_eq!(r[0].addressee_name.as_deref(), Some("North West"));
    let r = extract(WEB_PIPES).recommendations;
    assert_eq!(r[0].addressee, Addressee::Region);
    assert_eq!(r[0].addressee_name, None);
}

#[test]
fn test_web_numbered_recommendations_keep_numbers() {
    let s = super::extract(WEB_GLUED, &meta(Some("South West")));
    let r = &s.recommendations;
    assert_eq!(r.len(), 3);
    assert_eq!(r[0].addressee_name.as_deref(), Some("South West"));
    assert_eq!(
        r.iter().map(|r| r.number).collect::<Vec<_>>(),
        vec![Some(1), Some(2), Some(1)]
    );
    assert_eq!(r[2].addressee, Addressee::Hmpps);
}

#[test]
fn test_offsets_cover_the_recommendation_text() {
    for text in [WEB_PIPES, WEB_GLUED, LETTER] {
        for r in extract(text).recommendations {
            assert_eq!(collapse_ws(&text[r.start..r.end]), r.text);
        }
    }
}

#[test]
fn test_letter_recommendations_use_lead_ins_and_pdu_subheadings() {
    let s = extract(LETTER);
    let r = &s.recommendations;
    let got: Vec<_> = r
        .iter()
        .map(|r| (r.addressee.clone(), r.addressee_name.as_deref(), r.number))
        .collect();
    assert_eq!(
        got,
        vec![
            (Addressee::Pdu, Some("Manchester North"), None),
            (Addressee::Pdu, Some("Manchester North"), Some(2)),
            (
                Addressee::Region,
                Some("Greater Manchester Region"),
                Some(3)
            ),
            (Addressee::Pdu, Some("Tameside"), Some(1)),
            (Addressee::Pdu, Some("Tameside"), Some(2)),
            (
                Addressee::Region,
                Some("Greater Manchester Region"),
                Some(3)
            ),
            (Addressee::Hmpps, Some("HMPPS"), Some(4)),
        ]
    );
    assert_eq!(r[0].heading, "The PDU should:");
    assert_eq!(r[5].heading, "Greater Manchester region should:");
    assert!(s.problems.is_empty(), "{:?}", s.problems);
}

#[test]
fn test_wrapped_lines_are_joined() {
    let s = extract(LETTER);
    assert_eq!(
        s.recommendations[0].text,
        "improve the quality of work to assess and manage risk of harm and to improve desistance"
    );
}

#[test]
fn test_prose_mentioning_recommendations_is_not_a_block() {
    let s = extract(
        "Our recommendations from the inspected PDUs are set out in Annexe one.\n\
         - This bullet is not a recommendation.\n",
    );
    assert!(s.recommendations.is_empty());
    assert!(s.problems.is_empty());
}

#[test]
fn test_empty_recommendations_heading_is_a_problem() {
    let s = extract("Regional recommendations (Back to top)\nScoring (Back to top)\n");
    assert!(s.recommendations.is_empty());
    assert_eq!(s.problems.len(), 1, "{:?}", s.problems);
    assert_eq!(s.problems[0].line, 1);
    assert!(s.problems[0].what.contains("no recommendations"));
}

#[test]
fn test_scores_pipe_table() {
    let s = extract(WEB_PIPES).scores.unwrap();
    assert_eq!(
        (s.assessment, s.planning, s.implementation, s.reviewing),
        (Some(49.0), Some(63.0), Some(47.0), Some(51.0))
    );
}

#[test]
fn test_scores_glued_table() {
    let s = extract(WEB_GLUED).scores.unwrap();
    assert_eq!(
        (s.assessment, s.planning, s.implementation, s.reviewing),
        (Some(45.0), Some(59.0), Some(30.0), Some(39.0))
    );
}

#[test]
fn test_scores_variants_a_reader_would_recognise() {
    let text = "Scoring\n\
Key question\tPercentage 'Yes'\n\
Does assessment focus sufficiently on keeping other people safe?\t49 per cent\n\
Does planning focus sufficiently on keeping other people safe? 63.0%\n\
Does the implementation and delivery of services effectively support the safety of other people?\n\
47 %\n\
Does reviewing focus sufficiently on keeping other people safe?\n\n\
| 51.5% |\n\
Follow-up activity\n";
    let s = extract(text);
    assert_eq!(four(&s), [Some(49.0), Some(63.0), Some(47.0), Some(51.5)]);
    assert!(s.problems.is_empty(), "{:?}", s.problems);
}

#[test]
fn test_scores_missing_percentage_is_none_and_a_problem() {
    let text = "Scoring (Back to top)\n\
| Key question | Percentage ‘Yes’ |\n\
| Does assessment focus sufficiently on keeping other people safe? | 49% |\n\
| Does planning focus sufficiently on keeping other people safe? | |\n\
| Does the implementation and delivery of services effectively support the safety of other people? | 47% |\n\
| Does reviewing focus sufficiently on keeping other people safe? | about half |\n";
    let s = extract(text);
    let sc = s.scores.unwrap();
    assert_eq!(sc.planning, None);
    assert_eq!(sc.reviewing, None);
    assert_eq!(sc.assessment, Some(49.0));
    assert_eq!(s.problems.len(), 2, "{:?}", s.problems);
    assert_eq!(s.problems[0].line, 4);
    assert!(s.problems[0].what.contains("planning"));
    assert_eq!(s.problems[1].line, 6);
    assert!(s.problems[1].what.contains("about half"));
}

#[test]
fn test_scores_rows_run_together_are_read_row_by_row() {
    // A PDF table whose right-aligned figures reach the margin: its rows run into one line.
    let text = "Scoring\n\
Key question Percentage ‘Yes’ Does assessment focus sufficiently on keeping other people safe? 45% \
Does planning focus sufficiently on keeping other people safe? 59%\n\
Does the implementation and delivery of services effectively support the safety of other people?30% \
Does reviewing focus sufficiently on keeping other people safe?39%\n";
    let s = extract(text);
    assert_eq!(four(&s), [Some(45.0), Some(59.0), Some(30.0), Some(39.0)]);
    assert!(s.problems.is_empty(), "{:?}", s.problems);
}

#[test]
fn test_scores_rows_that_cannot_be_taken_apart_are_missing_not_guessed() {
    // The implementation figure sits mid-question (a top-aligned cell) and the reviewing row
    // runs on after it: 30% and 39% could belong to either.
    let text = "Scoring\n\
Key question\n\
Percentage ‘Yes’\n\
Does assessment focus sufficiently on keeping other people safe? 45%\n\
Does the implementation and delivery of services 30% effectively support the safety of other people? \
Does reviewing focus sufficiently on keeping other people safe? 39%\n";
    let s = extract(text);
    let sc = s.scores.unwrap();
    assert_eq!(
        sc.assessment,
        Some(45.0),
        "the header wrapped over two lines"
    );
    assert_eq!((sc.implementation, sc.reviewing), (None, None));
    for q in ["implementation", "reviewing", "planning"] {
        assert!(
            s.problems.iter().any(|p| p.what.contains(q)),
            "{q}: {:?}",
            s.problems
        );
    }
}

#[test]
fn test_scores_table_cut_short_reports_missing_rows() {
    let text = "Scoring (Back to top)\n\
Key questionPercentage ‘Yes’\n\
Does assessment focus sufficiently on keeping other people safe?45%\n\
Follow-up activity (Back to top)\n";
    let s = extract(text);
    let sc = s.scores.unwrap();
    assert_eq!(sc.assessment, Some(45.0));
    assert_eq!(
        (sc.planning, sc.implementation, sc.reviewing),
        (None, None, None)
    );
    assert_eq!(s.problems.len(), 3);
    assert!(s.problems.iter().all(|p| p.line == 1));
}

#[test]
fn test_no_scoring_table_means_no_scores() {
    assert_eq!(extract(LETTER).scores, None);
    // A "Scoring" heading over prose, or prose that mentions a key question, is no table.
    let s = extract(
        "Scoring
We score cases as follows.
The key question for leaders is staffing.
",
    );
    assert_eq!(s, Structured::default());
}

#[test]
fn test_header_row_without_questions_is_a_cut_table() {
    let s = extract(
        "Scoring (Back to top)
| Key question | Percentage ‘Yes’ |

Follow-up activity (Back to top)
",
    );
    assert_eq!(
        s.scores,
        Some(Scores {
            assessment: None,
            planning: None,
            implementation: None,
            reviewing: None
        })
    );
    assert_eq!(s.problems.len(), 4);
}

#[test]
fn test_ratings_table_ends_at_prose() {
    let text = "PDU ratings\n1.1\tLeadership\tGood\nIn 2.5 of the cases we read there was something that a long paragraph of running prose would say about the work of the unit and its staff.\n1.2\tStaff\tGood\n";
    let s = extract(text);
    assert_eq!(s.ratings.len(), 1);
    assert!(s.problems.is_empty());
}

#[test]
fn test_ratings_tab_table() {
    let s = extract(LETTER);
    let r = &s.ratings;
    assert_eq!(r.len(), 6);
    assert_eq!(
        r[0],
        Rating {
            subject: "Manchester North".into(),
            standard: None,
            name: None,
            rating: "Requires improvement".into(),
            score: Some("10/24".into()),
        }
    );
    assert_eq!(r[2].standard.as_deref(), Some("1.2"));
    assert_eq!(r[2].name.as_deref(), Some("Staff"));
    assert_eq!(r[2].rating, "Good");
    assert_eq!(r[4].subject, "Tameside");
    assert_eq!(r[4].score.as_deref(), Some("7/27"));
    assert_eq!(r[4].rating, "Outstanding");
    assert_eq!(r[5].rating, "Inadequate");
}

#[test]
fn test_ratings_pipe_and_glued_rows() {
    let text = "PDU ratings\n| 1.3 | Services | requires  improvement |\n1.4Information and facilitiesGood\n";
    let r = extract(text).ratings;
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].subject, "overall");
    assert_eq!(r[0].rating, "Requires improvement");
    assert_eq!(r[1].name.as_deref(), Some("Information and facilities"));
}

#[test]
fn test_unreadable_rating_is_a_problem() {
    let text = "Annexe two - PDU ratings\nWigan PDU Fieldwork started May 2023\tScore\t12/27\n\
Overall rating\t\tFair\t\n1.1\tLeadership\tExcellent\t\n";
    let s = extract(text);
    assert!(s.ratings.is_empty());
    let lines: Vec<usize> = s.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, vec![2, 3, 4], "{:?}", s.problems);
    assert!(s.problems[1].what.contains("Wigan"));
}

#[test]
fn test_facts_pipe_table_with_groups_and_footnotes() {
    let s = extract(WEB_PIPES);
    assert_eq!(
        names(&s),
        vec![
            ("people_supervised", 16013.0),
            ("staffing_spo_percent", 96.0),
            ("staffing_po_percent", 72.0),
            ("staffing_pso_percent", 108.0),
            ("recall_rate_percent", 24.88),
            ("programme_completion_sexual_percent", 35.71),
        ]
    );
    assert_eq!(
        s.facts[0].label,
        "Number of people supervised (on 30 June 2025)"
    );
    assert_eq!(s.facts[0].unit, "people");
    assert_eq!(s.facts[0].line, 15);
    assert_eq!(s.facts[1].unit, "percent");
    assert!(s.problems.is_empty(), "{:?}", s.problems);
}

#[test]
fn test_facts_glued_layout_separates_footnote_markers() {
    let s = extract(WEB_GLUED);
    // This miniature has no victim satisfaction or programme completion rows.
    let expected: Vec<(&str, f64)> = SOUTH_WEST_FACTS
        .iter()
        .copied()
        .filter(|(name, _)| !name.starts_with("victim") && !name.starts_with("programme"))
        .collect();
    assert_eq!(names(&s), expected);
    assert_eq!(s.facts[5].unit, "cases");
    assert!(s.problems.is_empty(), "{:?}", s.problems);
}

/// The 16 key facts of the South West report (`corpus/004_…`), in table order.
const SOUTH_WEST_FACTS: &[(&str, f64)] = &[
    ("people_supervised", 16821.0),
    ("mappa_eligible", 7963.0),
    ("victim_satisfaction_percent", 72.9),
    ("staffing_spo_percent", 88.0),
    ("staffing_po_percent", 89.0),
    ("staffing_pso_percent", 85.0),
    ("caseload_po", 36.21),
    ("caseload_pso", 48.49),
    ("caseload_pqip", 35.31),
    ("recall_rate_percent", 21.47),
    ("rar_days_completed_percent", 51.0),
    ("programme_completion_sexual_percent", 19.71),
    ("programme_completion_non_sexual_percent", 40.24),
    ("risk_low_percent", 5.0),
    ("risk_medium_percent", 63.0),
    ("risk_high_percent", 28.0),
];

/// The South West key facts as the text layer of a PDF lays them out when labels wrap in their
/// cells, figures sit right-aligned at the bottom of theirs and the rows run together
/// (tests/data/formats/wrapped-tables.pdf, before these rules).
const PDF_WRAPPED: &str = "Key contextual facts\n\
Number of people supervised (on 30 June\n\
2025)1 16,821 MAPPA-eligible offenders (on 31 March\n\
2025)2 7,963 Victim satisfaction performance SL021 (April\n\
2024 – March 2025)3 72.9% Staffing level (Staff in post full time equivalent (FTE))4\n\
Senior probation officer (PSO)\n\
Probation officer\n\
(PO)\n\
Probation services officer (inc.\n\
Professional\n\
Qualification in Probation (PQiP)) 88% 89% 85% Average Caseload at the point of inspection (FTE)\n\
PO PSO (exc. PQiP) PQiP\n\
36.21 48.49 35.31 Recall rates (in the 12 months prior to inspection) 21.47% Average rehabilitation activity requirement\n\
(RAR) wait time (in the 12 months prior to inspection) Not available Percentage of RAR days completed (in the\n\
12 months prior to inspection) 51% Percentage of accredited programme requirements completed for individuals \
convicted of a sexual offence (in the 12 months prior to inspection) 19.71% Percentage of accredited programme \
requirements completed for individuals not convicted of a sexual offence (in the 12 months prior to inspection) \
40.24% Risk of Serious Harm classification of inspected cases\n\
Low Medium High/very high\n\
5% 63% 28%\n\
\n\
Footnotes\n1. a\n2. b\n3. c\n4. d\n";

#[test]
fn test_facts_wrapped_and_run_together_rows_are_put_back_together() {
    let s = extract(PDF_WRAPPED);
    assert_eq!(names(&s), SOUTH_WEST_FACTS);
    assert!(s.problems.is_empty(), "{:?}", s.problems);
}

#[test]
fn test_numbers_that_belong_to_a_label_are_never_its_value() {
    // "SL021" is part of a name, "(in the 12" a bracket the wrap left open, and a bare "4"
    // glued to a group label's bracket may be its footnote marker.
    let text = "Key contextual facts\n\
Victim satisfaction performance SL021\n\
Percentage of RAR days completed (in the 12\n\
Staffing level (Staff in post (FTE))4\n\
88% 89% 85%\n";
    let s = extract(text);
    assert!(s.facts.is_empty(), "{:?}", s.facts);
    for named in ["victim satisfaction", "rar days completed", "staffing"] {
        assert!(
            s.problems
                .iter()
                .any(|p| p.what.to_lowercase().contains(named)),
            "{named}: {:?}",
            s.problems
        );
    }
}

#[test]
fn test_a_fact_the_table_names_but_nothing_reads_is_reported() {
    // The value row of the risk group is lost to a stray "(x)"; rows start mid-label.
    let text = "Key contextual facts\n\
Recall rates (in the 12 months prior to inspection)21.47%\n\
months prior to inspection) 51%\n\
Risk of Serious Harm classification of inspected cases\n";
    let s = extract(text);
    assert_eq!(names(&s), vec![("recall_rate_percent", 21.47)]);
    assert!(
        s.problems
            .iter()
            .any(|p| p.what.contains("starts mid-label")),
        "{:?}",
        s.problems
    );
    assert!(
        s.problems
            .iter()
            .any(|p| p.what.contains("Risk of Serious Harm")),
        "{:?}",
        s.problems
    );
}

#[test]
fn test_glued_values_without_footnotes_are_taken_whole() {
    let s = extract("Key contextual facts\nRecall rates (in the 12 months prior)21.47%\n");
    assert_eq!(names(&s), vec![("recall_rate_percent", 21.47)]);
}

#[test]
fn test_stated_absence_is_neither_fact_nor_problem() {
    let s = extract("Key contextual facts\n| Recall rates | Not available |\n| MAPPA-eligible | – |\nRecall rates (x)N/A\n");
    assert!(s.facts.is_empty());
    assert!(s.problems.is_empty(), "{:?}", s.problems);
}

#[test]
fn test_non_numeric_fact_is_a_problem() {
    let s = extract("Key contextual facts\n| Number of people supervised | about 16k |\n| Recall rates | 24.88% |\n");
    assert_eq!(names(&s), vec![("recall_rate_percent", 24.88)]);
    assert_eq!(s.problems.len(), 1);
    assert_eq!(s.problems[0].line, 2);
    assert!(s.problems[0].what.contains("about 16k"));
}

#[test]
fn test_facts_group_cut_short_is_a_problem() {
    let text = "Key contextual facts (Back to top)\n\
| Staffing level (FTE staff in post)6 | ||\n\
| SPO | PO | PSO |\n\
| Average caseload at the point of inspection (FTE) | ||\n\
| PO | PSO | PQiP |\n\
| 34.72 | 43.05 |\n\
| Risk of serious harm classification of inspected cases | ||\n";
    let s = extract(text);
    assert!(s.facts.is_empty());
    let lines: Vec<usize> = s.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, vec![3, 6, 7], "{:?}", s.problems);
}

#[test]
fn test_glued_value_row_that_cannot_be_split_is_a_problem() {
    let text = "Key contextual facts\nAverage caseload (FTE)\nPOPSOPQiP\n3621484935\n";
    let s = extract(text);
    assert!(s.facts.is_empty());
    assert_eq!(s.problems.len(), 1);
    assert_eq!(s.problems[0].line, 4);
}

#[test]
fn test_column_tokens_read_glued_headers() {
    let keys = |s: &str| column_tokens(s).map(|v| v.into_iter().map(|c| c.0).collect::<Vec<_>>());
    assert_eq!(
        keys("POPSO (exc. PQiP)PQiP"),
        Some(vec!["po", "pso", "pqip"])
    );
    assert_eq!(
        keys("LowMediumHigh/very high"),
        Some(vec!["low", "medium", "high"])
    );
    assert_eq!(
        keys("Senior probation officer (PSO)Probation officer (PO)"),
        Some(vec!["spo", "po"])
    );
    assert_eq!(keys("Population"), None);
}

#[test]
fn test_crlf_and_cr_line_endings() {
    let text = WEB_PIPES.replace('\n', "\r\n");
    let s = extract(&text);
    assert_eq!(s.recommendations.len(), 4);
    assert_eq!(s.facts.len(), 6);
    for r in &s.recommendations {
        assert_eq!(collapse_ws(&text[r.start..r.end]), r.text);
    }
    assert_eq!(extract(&WEB_PIPES.replace('\n', "\r")).facts.len(), 6);
}

#[test]
fn test_recurring_groups_join_the_same_ask_across_reports() {
    let a = extract(WEB_PIPES).recommendations;
    let b = extract(WEB_GLUED).recommendations;
    let mut items: Vec<(String, &Recommendation)> = Vec::new();
    items.extend(a.iter().map(|r| ("gm".to_string(), r)));
    items.extend(b.iter().map(|r| ("sw".to_string(), r)));
    let groups = recurring_groups(&items, DEFAULT_RECURRING_THRESHOLD);
    assert_eq!(groups.len(), 1);
    let g: Vec<_> = groups[0]
        .iter()
        .map(|(id, r)| (id.as_str(), r.text.as_str()))
        .collect();
    assert_eq!(g.len(), 2);
    assert!(g
        .iter()
        .all(|(_, t)| t.starts_with("Reduce vetting delays")));
    assert_eq!((g[0].0, g[1].0), ("gm", "sw"));
}

#[test]
fn test_recurring_groups_need_two_reports() {
    let a = extract(WEB_PIPES).recommendations;
    let items: Vec<(String, &Recommendation)> = a
        .iter()
        .chain(a.iter())
        .map(|r| ("gm".to_string(), r))
        .collect();
    assert!(recurring_groups(&items, 0.5).is_empty());
}

#[test]
fn test_similarity_needs_enough_shared_words() {
    let a = content_words("Ensure effective oversight of cases.");
    let b = content_words("Provide oversight of cases at all levels.");
    assert_eq!(similarity(&a, &b), 0.0);
    assert!(content_words("Ensure the PDU is in place").contains("pdu"));
    assert!(!content_words("Ensure the PDU is in place").contains("ensure"));
}

proptest! {
    #[test]
    fn test_extract_never_panics(text in "\\PC*") {
        let s = extract(&text);
        for r in &s.recommendations {
            prop_assert!(r.start <= r.end && r.end <= text.len());
            prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
    }

    #[test]
    fn test_extract_never_panics_on_table_like_text(
        lines in proptest::collection::vec(
            "(Key contextual facts|Scoring|Annexe two - PDU ratings|Regional recommendations \\(Back to top\\)|[|\\t]?[A-Za-zé()% ]{0,20}[0-9.,%)|\\t ]{0,12}[A-Za-z/?]{0,8}|- [0-9]{1,2}\\. [a-zÄ ]{0,20}|The PDU should:|[0-9]\\.[0-9]\\t[A-Za-z]{1,8}\\t(Good|Bad)?)",
            0..30,
        )
    ) {
        let text = lines.join("\n");
        let s = extract(&text);
        for r in &s.recommendations {
            prop_assert!(text.get(r.start..r.end).is_some());
        }
    }
}

//! Tests of metadata inference on miniature reports: titles, types, publishers, dates and
//! years, regions.

use super::dates::{civil_year, plausible_year};
use super::*;

fn meta(text: &str) -> InferredMetadata {
    infer_metadata(text, "report.txt")
}

// --- region -------------------------------------------------------------------------

#[test]
fn test_region_from_title() {
    let m = meta("Dynamic Inspection of Public Protection in South West region\nPublished:\n\nWe inspected cases across the region.");
    assert_eq!(m.region.as_deref(), Some("South West"));
}

#[test]
fn test_region_from_pdu_names() {
    let m = meta("Findings\nWe looked at cases in Bolton, Bury and Rochdale, Manchester North and Salford and Trafford. Stockport and Tameside PDU was strong.");
    assert_eq!(m.region.as_deref(), Some("Greater Manchester"));
}

#[test]
fn test_region_from_police_and_local_authority_names() {
    let m = meta("Partnerships\nThe PDU worked with Avon and Somerset Police and Bristol City Council. Bristol and Somerset partners attended.");
    assert_eq!(m.region.as_deref(), Some("South West"));
}

#[test]
fn test_region_from_legacy_crc_with_clarifying_text() {
    let m = meta("Inspectors found the Cheshire and Greater Manchester CRC's work mixed, she added as she published the report of a recent inspection of probation work in Greater Manchester.");
    assert_eq!(m.region.as_deref(), Some("Greater Manchester"));
}

#[test]
fn test_region_ambiguous_legacy_body_alone_is_none() {
    let m = meta("Findings\nThe Cheshire and Greater Manchester CRC had large caseloads and the Cheshire and Greater Manchester CRC recruited staff.");
    assert_eq!(m.region, None);
}

#[test]
fn test_region_england_and_wales_is_not_wales() {
    let m = meta("Probation caseloads\nThe 12 probation regions across England and Wales reported rising caseloads. In England and Wales, staff shortages persist.");
    assert_eq!(m.region, None);
}

#[test]
fn test_region_hmip_manchester_address_alone_is_none() {
    let m = meta("HM Inspectorate of Probation\n1st Floor, Manchester Civil Justice Centre, 1 Bridge Street West, Manchester M3 3FX\n\nA thematic inspection of staffing\nThis thematic inspection looked at recruitment nationally.");
    assert_eq!(m.region, None);
}

#[test]
fn test_region_bbc_north_west_footer_not_decisive() {
    let m = meta("Probation staff shortages found nationwide\n- Published\nInspectors found staffing gaps across the country.\nWhy not follow BBC North West on Facebook? Send story ideas to northwest.newsonline@bbc.co.uk");
    assert_eq!(m.region, None);
}

// --- dates --------------------------------------------------------------------------

#[test]
fn test_date_letter_date() {
    let m = meta("HM Inspectorate of Probation\n1st Floor, Manchester Civil Justice Centre, 1 Bridge Street West, Manchester M3 3FX\n\n25 May 2023\n\nTo:\nJane Doe, Regional Probation Director\n\nDear Jane,\n\nMany thanks for your help during the regional review.\n\nYours sincerely");
    assert_eq!(m.date.as_deref(), Some("2023-05-25"));
    assert_eq!(m.year, Some(2023));
}

#[test]
fn test_date_published_at_top() {
    let m = meta("Probation service told to improve\nPublished 16 February 2017\nInspectors said work in Wigan needed to improve.");
    assert_eq!(m.date.as_deref(), Some("2017-02-16"));
    assert_eq!(m.year, Some(2017));
    let m = meta("Some report\nPublished: 3 March 2024\nText.");
    assert_eq!(m.date.as_deref(), Some("2024-03-03"));
    let m = meta("Some report\nPublished:\n\n2024-03-03\nText.");
    assert_eq!(m.date.as_deref(), Some("2024-03-03"));
}

#[test]
fn test_date_related_links_at_bottom_ignored() {
    let m = meta("Probation services criticised\n- Published\nInspectors visited Wigan in March.\nThey hope to be fully staffed by the end of 2023.\nRelated topics\n- Published16 February 2017\n- Published14 June 2022");
    assert_eq!(m.date, None);
    assert_eq!(m.year, Some(2023));
}

#[test]
fn test_date_reference_list_dates_ignored() {
    let text = "Inspection findings\nWe inspected cases that started in March 2019.\n\
                Footnotes\n- HM Inspectorate of Probation (January 2017). A thematic inspection of something. ↩︎";
    let m = meta(text);
    assert_eq!(m.date, None);
    assert_eq!(m.year, Some(2019));
    // A citation line in the body is not a context date either.
    let text = "Findings\nThe team reviewed work. HM Inspectorate of Probation (January 2025). A thematic inspection.\nNo other dates.";
    assert_eq!(meta(text).date, None);
    assert_eq!(meta(text).year, None);
}

#[test]
fn test_date_fieldwork_year() {
    let m = meta("Inspection of Wigan PDU\nFieldwork started February 2023. The PDU was formed in June 2021.");
    assert_eq!(m.date, None);
    assert_eq!(m.year, Some(2023));
}

#[test]
fn test_date_latest_data_in_second_half_means_next_year() {
    let m = meta("Dynamic Inspection of Public Protection in Greater Manchester\nWe inspected cases that started between 21 April 2025 and 02 May 2025. Number supervised (on 30 June 2025). In December 2025 the backlog was 10.");
    assert_eq!(m.year, Some(2026));
}

#[test]
fn test_date_history_and_forward_dates_ignored() {
    let m = meta("Regional findings\nThe region was formed in June 2021. A new strategy will launch in April 2030.");
    assert_eq!(m.year, None);
    let m = meta("Press\nThe former trust was last inspected 2011. In June 2014, Probation Trusts were abolished.");
    assert_eq!(m.year, None);
}

#[test]
fn test_date_year_from_file_name_only_as_fallback() {
    assert_eq!(
        infer_metadata("Report\nNo dates here.", "2019-wigan.txt").year,
        Some(2019)
    );
    assert_eq!(
        infer_metadata("Report\nNo dates here.", "ae2019f.txt").year,
        None
    );
    assert_eq!(
        infer_metadata("Report\nPublished 1 May 2020\n", "2019-wigan.txt").year,
        Some(2020)
    );
}

// --- types --------------------------------------------------------------------------

#[test]
fn test_type_dynamic_inspection() {
    let m = meta("Dynamic Inspection of Public Protection in Greater Manchester\nChief Inspector’s judgment (Back to top)\nWe inspected 72 cases.");
    assert_eq!(
        m.report_type.map(ReportType::as_str),
        Some("dynamic-inspection")
    );
    assert_eq!(m.publisher.as_deref(), Some(HMIP));
    assert_eq!(
        m.title.as_deref(),
        Some("Dynamic Inspection of Public Protection in Greater Manchester")
    );
}

#[test]
fn test_type_regional_letter() {
    let m = meta("HM Inspectorate of Probation\n\n25 May 2023\n\nTo:\nChris Edwards, Regional Probation Director\n\nDear Chris,\n\nMany thanks for your cooperation during the recent regional review of Probation Service – Greater Manchester region.\nHM Inspectorate of Probation: Regional review letter to Greater Manchester RPD\nYours sincerely");
    assert_eq!(
        m.report_type.map(ReportType::as_str),
        Some("regional-letter")
    );
    assert_eq!(m.publisher.as_deref(), Some(HMIP));
    assert_eq!(m.region.as_deref(), Some("Greater Manchester"));
    assert_eq!(
        m.title.as_deref(),
        Some("Regional review letter to Greater Manchester RPD")
    );
}

#[test]
fn test_type_letter_without_subject_gets_constructed_title() {
    let m = meta("25 May 2023\n\nDear Chris,\n\nThank you for the regional review of probation work in Wales. Staff in Cardiff and Swansea were helpful.\n\nYours sincerely");
    assert_eq!(
        m.report_type.map(ReportType::as_str),
        Some("regional-letter")
    );
    assert_eq!(m.title.as_deref(), Some("Regional review letter: Wales"));
}

#[test]
fn test_type_pdu_inspection() {
    let m = meta("An inspection of probation services in: Wigan PDU\nHM Inspectorate of Probation\nMay 2023\nThis inspection of the Wigan Probation Delivery Unit found...");
    assert_eq!(
        m.report_type.map(ReportType::as_str),
        Some("pdu-inspection")
    );
    assert_eq!(m.date.as_deref(), Some("2023-05"));
    assert_eq!(m.region.as_deref(), Some("Greater Manchester"));
}

#[test]
fn test_title_joins_split_title_page() {
    let m = meta("HM Inspectorate of Probation\nAn inspection of probation services in:\nBolton PDU\nJune 2022\nWe inspected 40 cases.");
    assert_eq!(
        m.title.as_deref(),
        Some("An inspection of probation services in: Bolton PDU")
    );
    assert_eq!(
        m.report_type.map(ReportType::as_str),
        Some("pdu-inspection")
    );
    assert_eq!(m.region.as_deref(), Some("Greater Manchester"));
    assert_eq!(m.date.as_deref(), Some("2022-06"));
    assert_eq!(m.publisher.as_deref(), Some(HMIP));
    assert_eq!(
        infer_metadata("Report\nNo dates.", "reports/2021/wigan.txt").year,
        Some(2021)
    );
}

#[test]
fn test_type_regional_inspection() {
    let m = meta("An inspection of probation services in: Wales\nHM Inspectorate of Probation\nOctober 2022\nWe inspected the region.");
    assert_eq!(
        m.report_type.map(ReportType::as_str),
        Some("regional-inspection")
    );
    assert_eq!(m.region.as_deref(), Some("Wales"));
}

#[test]
fn test_type_thematic_inspection() {
    let m = meta("A thematic inspection of the recruitment and retention of probation practitioners\nAn inspection by HM Inspectorate of Probation\nJanuary 2025\nThis thematic inspection examined staffing in England and Wales.");
    assert_eq!(
        m.report_type.map(ReportType::as_str),
        Some("thematic-inspection")
    );
    assert_eq!(m.date.as_deref(), Some("2025-01"));
    assert_eq!(m.region, None);
    // A thematic cited only in footnotes does not make a report thematic.
    let m = meta("Probation in numbers\nSome data here.\nFootnotes\n- HM Inspectorate of Probation (2025). A thematic inspection of staffing. ↩︎");
    assert_eq!(m.report_type.map(ReportType::as_str), Some("other"));
}

#[test]
fn test_type_press_release() {
    let m = meta("The two organisations providing probation services in Greater Manchester were working well in some respects, said Dame Glenys Stacey, HM Chief Inspector of Probation.\n\nThe CRC also needed to do more, she added as she published the report.\n\nPlease enter your comment!");
    assert_eq!(m.report_type.map(ReportType::as_str), Some("press-release"));
    assert_eq!(m.publisher.as_deref(), Some(HMIP));
    assert_eq!(m.region.as_deref(), Some("Greater Manchester"));
    let m = meta("Inspection finds problems in Kent\nInspectors found problems.\nNotes to editors\n1. HM Inspectorate of Probation is the independent inspector.");
    assert_eq!(m.report_type.map(ReportType::as_str), Some("press-release"));
}

#[test]
fn test_type_news_article() {
    let m = meta("Greater Manchester probation services criticised amid safety fears\n- Published\nThree probation services have been ordered to improve.\nChief Inspector Justin Russell said it was disappointing.\nWhy not follow BBC North West on Facebook?\nRelated topics\n- Published16 February 2017");
    assert_eq!(m.report_type.map(ReportType::as_str), Some("news-article"));
    assert_eq!(m.publisher.as_deref(), Some(BBC));
    assert_eq!(m.region.as_deref(), Some("Greater Manchester"));
    assert_eq!(m.date, None);
}

#[test]
fn test_type_annual_report() {
    let m = meta("Annual Report 2023/24\nHM Chief Inspector of Probation\nThis annual report summarises our inspections across England and Wales.");
    assert_eq!(m.report_type.map(ReportType::as_str), Some("annual-report"));
    assert_eq!(m.region, None);
}

#[test]
fn test_type_other_and_empty() {
    assert_eq!(
        meta("Shopping list\nEggs and milk.")
            .report_type
            .map(ReportType::as_str),
        Some("other")
    );
    assert_eq!(meta("").report_type, None);
    assert_eq!(meta("   \n\n"), InferredMetadata::default());
}

// --- title --------------------------------------------------------------------------

#[test]
fn test_title_skips_furniture_and_addresses() {
    let text = "Skip to content\n\nAll content is available under the Open Government Licence v3.0, except where otherwise stated.\n\nTo view this licence, visit:\nhttps://example.gov.uk/licence\nor write to:\nInformation Policy Team,\nKew,\nLondon TW9 4DU\n\nDynamic Inspection of Public Protection in South West region\n\nPublished:\n";
    let m = meta(text);
    assert_eq!(
        m.title.as_deref(),
        Some("Dynamic Inspection of Public Protection in South West region")
    );
    assert_eq!(m.region.as_deref(), Some("South West"));
}

#[test]
fn test_title_of_markdown_heading_without_its_marks() {
    let text = "# An inspection of probation services in Kent ##\n\nSome text.\n";
    assert_eq!(
        extract_title(text).as_deref(),
        Some("An inspection of probation services in Kent")
    );
    // `#` not followed by a space is not a heading mark, and opens no title.
    assert_eq!(extract_title("#hashtag line here\n\nSome text.\n"), None);
    assert_eq!(
        extract_title("## Probation in Wales\nbody\n").as_deref(),
        Some("Probation in Wales")
    );
}

#[test]
fn test_title_none_for_running_prose() {
    let p = "This is a long paragraph of running prose that goes on and on about probation services and what inspectors found when they visited, well beyond the length of any heading anyone would write for a report. ";
    let text = format!("{p}{p}\n{p}{p}\nShort line here\n");
    assert_eq!(extract_title(&text), None);
    let long = format!("A{}", "b ".repeat(300));
    assert!(extract_title(&format!("Title: {long}\n")).is_none_or(|t| t.chars().count() <= 200));
}

#[test]
fn test_civil_year() {
    assert_eq!(civil_year(0), 1970);
    assert_eq!(civil_year(20_454), 2026); // 2026-01-01
    assert_eq!(civil_year(20_453), 2025); // 2025-12-31
}

proptest::proptest! {
    #[test]
    fn test_infer_metadata_never_panics(text in "\\PC{0,400}", name in "\\PC{0,40}") {
        let m = infer_metadata(&text, &name);
        if let Some(y) = m.year {
            proptest::prop_assert!(plausible_year(y));
        }
        if let Some(t) = &m.report_type {
            proptest::prop_assert!(REPORT_TYPES.contains(&t.as_str()));
        }
        if let Some(t) = &m.title {
            proptest::prop_assert!(t.chars().count() <= MAX_TITLE_CHARS);
        }
    }

    #[test]
    fn test_infer_metadata_never_panics_on_report_like_text(
        parts in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just("Published".to_string()),
                proptest::strategy::Just("16 February 2017".to_string()),
                proptest::strategy::Just("Greater Manchester".to_string()),
                proptest::strategy::Just("England and Wales".to_string()),
                proptest::strategy::Just("Dear Chris,".to_string()),
                proptest::strategy::Just("\n".to_string()),
                proptest::strategy::Just("’–—&é字".to_string()),
                "\\PC{0,20}",
            ],
            0..40,
        )
    ) {
        let text = parts.join(" ");
        let _ = infer_metadata(&text, "x");
    }
}

// --- region scoring with the title found as metadata inference finds it -----------------

/// The region of `text` with its first heading-like line as the title.
fn region_of(text: &str) -> Option<&'static str> {
    Gazetteer::embedded().infer_region_with_title(extract_title(text).as_deref(), text)
}

#[test]
fn test_scoring_region_from_title() {
    let text = "Dynamic Inspection of Public Protection in South West region\n\
                We met leaders in London and Cardiff during the inspection.";
    assert_eq!(region_of(text), Some("South West"));
}

#[test]
fn test_scoring_region_from_pdu_names() {
    let text = "Summary of findings\nWe inspected the Swindon and Wiltshire PDU and the \
                Devon and Torbay PDU. Cases in Bristol and South Gloucestershire were also \
                reviewed.";
    assert_eq!(region_of(text), Some("South West"));
}

#[test]
fn test_scoring_region_from_police_and_local_authority_names() {
    let text = "Partnership working\nStaff worked closely with West Yorkshire Police and \
                Leeds City Council. Bradford and Kirklees teams shared premises.";
    assert_eq!(region_of(text), Some("Yorkshire and the Humber"));
    let text = "Partners\nMerseyside Police and Liverpool City Council attended. Wirral too.";
    assert_eq!(region_of(text), Some("North West"));
}

#[test]
fn test_scoring_shared_legacy_body_alone_is_none() {
    let text = "Findings\nThe Cheshire and Greater Manchester CRC had high sickness rates. \
                The Cheshire and Greater Manchester CRC recruited staff.";
    assert_eq!(region_of(text), None);
    let text = "Findings\nNPS South West South Central managed the cases well.";
    assert_eq!(region_of(text), None);
}

#[test]
fn test_scoring_shared_legacy_body_with_clarifying_text() {
    let text = "Findings\nThe Cheshire and Greater Manchester CRC had high sickness rates. \
                This was an inspection of probation work in Greater Manchester.";
    assert_eq!(region_of(text), Some("Greater Manchester"));
}

#[test]
fn test_scoring_england_and_wales_is_not_wales() {
    let text = "Overview\nProbation services in England and Wales are organised in 12 \
                regions. Across England & Wales caseloads rose.";
    assert_eq!(region_of(text), None);
}

#[test]
fn test_scoring_hmip_manchester_address_alone_is_none() {
    let text = "HM Inspectorate of Probation\n1st Floor, Manchester Civil Justice Centre, \
                1 Bridge Street West, Manchester M3 3FX\nThematic findings on staffing.";
    assert_eq!(region_of(text), None);
}

#[test]
fn test_scoring_bbc_footer_alone_is_not_decisive() {
    let text = "Probation staff shortages\nInspectors found problems nationally.\n\
                Why not follow BBC North West on Facebook? Send ideas to BBC North West.";
    assert_eq!(region_of(text), None);
}

#[test]
fn test_scoring_compass_phrase_and_street_names_do_not_count() {
    let text = "Office moves\nThe office is on London Road in the North East of the \
                borough. Write to 102 Petty France, London SW1H 9AJ.";
    assert_eq!(region_of(text), None);
}

#[test]
fn test_scoring_clear_winner_required() {
    let text = "Two regions\nWe visited Greater Manchester and Wales. Greater Manchester \
                and Wales both had staffing gaps.";
    assert_eq!(region_of(text), None);
}

#[test]
fn test_scoring_london_as_a_city_is_weak_evidence() {
    let text = "A thematic inspection of women\nThis thematic inspection visited Cardiff, \
                Leeds, Bristol and London.";
    assert_eq!(region_of(text), None);
    let text = "An inspection of probation services in: London\nWe inspected 18 PDUs.";
    assert_eq!(region_of(text), Some("London"));
    assert_eq!(
        Gazetteer::embedded().canonical_region("london"),
        Some("London")
    );
}

#[test]
fn test_scoring_single_passing_mention_is_not_enough() {
    let text = "Staffing in probation\nProbation staff nationally were stretched. One \
                manager had worked with Greater Manchester Police before.";
    assert_eq!(region_of(text), None);
}

#[test]
fn test_scoring_north_wales_police_is_wales() {
    let text = "Partnerships\nNorth Wales Police and Wrexham council worked with the PDU. \
                North Wales Police attended MAPPA meetings.";
    assert_eq!(region_of(text), Some("Wales"));
}

#[test]
fn test_scoring_all_caps_title_matches() {
    let text = "AN INSPECTION OF PROBATION SERVICES IN KENT, SURREY AND SUSSEX\nBody text.";
    assert_eq!(region_of(text), Some("Kent, Surrey and Sussex"));
}

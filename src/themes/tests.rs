//! Tests of the taxonomy: the embedded file's contract, per-theme paraphrases and
//! near-misses, validation errors, polarity cues, and robustness on arbitrary input.

use super::*;
use proptest::prelude::*;

/// The 29 ids of the contract (`themes.md`), in contract order.
const CONTRACT_IDS: &[&str] = &[
    "vetting-recruitment",
    "staffing-shortages",
    "workload",
    "inexperienced-staff",
    "training-development",
    "staff-wellbeing",
    "risk-assessment",
    "risk-planning",
    "case-reviewing",
    "professional-curiosity",
    "management-oversight",
    "information-sharing",
    "domestic-abuse-safeguarding",
    "mappa",
    "victims",
    "interventions",
    "enforcement",
    "resettlement",
    "accommodation",
    "court-work",
    "unpaid-work",
    "health-substance-misuse",
    "leadership-governance",
    "partnerships",
    "performance-metrics",
    "policy-change",
    "diversity-equality",
    "engagement",
    "serious-further-offences",
];

/// The embedded taxonomy's rules alone: these tests are about the rule engine (the learned
/// half is tested in `crate::model` and `tests/tagger.rs`).
fn tax() -> Taxonomy {
    Taxonomy::try_embedded()
        .unwrap_or_else(|e| panic!("embedded taxonomy must load: {e}"))
        .without_model()
}

fn has(t: &Taxonomy, sentence: &str, id: &str) -> bool {
    t.tag(sentence).themes.iter().any(|x| x == id)
}

#[test]
fn test_embedded_taxonomy_loads_with_exactly_the_contract_ids() {
    let t = tax();
    let mut got: Vec<&str> = t.ids();
    let mut want: Vec<&str> = CONTRACT_IDS.to_vec();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want);
    assert_eq!(
        t.categories(),
        vec![
            "workforce",
            "practice",
            "protection",
            "services",
            "governance"
        ]
    );
    assert!(!Taxonomy::embedded().themes.is_empty());
}

/// Per theme: sentences that must carry it, and a near miss that must not.
struct Case {
    theme: &'static str,
    yes: &'static [&'static str],
    no: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        theme: "vetting-recruitment",
        yes: &[
            "Vetting took up to five months, so posts stayed empty.",
            "Delays in vetting meant that some candidates accepted jobs elsewhere.",
            "Vacancies were made worse by vetting processes taking too long.",
            "A national recruitment campaign did not reflect local need.",
            "The region had successfully recruited 40 new probation officers.",
            "The region had appointed 30 new PSOs since January.",
            "Rural offices found it hard to attract applicants.",
            "Some candidates withdrew after waiting months for a start date.",
        ],
        no: &[
            "There were no delays in vetting.",
            "The vet saw the dog.",
            // "appointments" shares the stem of "appointed": supervision appointments are not hiring
            "Practitioners rearranged appointments when people were unwell.",
            // "candid" and "candidates" share a stem
            "Managers were candid about the pressure on their teams.",
        ],
    },
    Case {
        theme: "staffing-shortages",
        yes: &[
            "Only 72 per cent of probation officers were in post.",
            "The PDU was substantially under-resourced.",
            "The vacancy rate for PSOs was 25 per cent.",
            "Resourcing pressures meant that some teams were carrying empty posts.",
            "Several teams were short-staffed throughout the year.",
            "Vacancies among minority ethnic staff were not tracked.",
        ],
        no: &[
            "The region had nine PDUs and 14,000 people on probation.",
            // the make-up of the workforce is diversity, not staffing levels
            "Eight per cent of staffing at SPO grade were from minority ethnic groups.",
            "Leaders reorganised the region to improve resource management.",
        ],
    },
    Case {
        theme: "workload",
        yes: &[
            "Caseloads were excessive in the Wigan team.",
            "Practitioners were working at 137 per cent of their target on the workload management tool.",
            "Staff told us they were running just to stand still.",
            "Practitioners had too little time to prepare for supervision sessions.",
            "With smaller caseloads, officers had more time for face-to-face work.",
            "Practitioners were working at an unsustainable pace.",
            "Staff regularly worked long hours to keep up.",
        ],
        no: &[
            "The region managed a caseload of 14,221 people.",
            "Panel members spent more time discussing victims at the meetings.",
            "Leaders had introduced the changes at pace.",
            "He completed 40 additional hours of unpaid work.",
        ],
    },
    Case {
        theme: "inexperienced-staff",
        yes: &[
            "Many practitioners were newly qualified and still building confidence.",
            "Half of the PSOs had less than two years' experience.",
            "The team included a high proportion of PQiP learners.",
        ],
        no: &["Lived experience mentors supported people on probation."],
    },
    Case {
        theme: "training-development",
        yes: &[
            "A learning needs analysis had been completed for all grades.",
            "Staff valued shadowing and mentoring from experienced colleagues.",
            "The induction programme for new PSOs was well received.",
            "Workshops helped staff build their knowledge of stalking.",
            "Practitioners valued coaching sessions from senior colleagues.",
            "New staff completed a two-week induction before taking cases.",
        ],
        no: &[
            "Education, training and employment needs were met in five cases.",
            // a gap in knowledge is not, by itself, a training finding
            "Practitioners often lacked essential knowledge of the person's history.",
            // an induction appointment is the first meeting with a person on probation
            "Induction appointments with people on probation were completed promptly.",
        ],
    },
    Case {
        theme: "staff-wellbeing",
        yes: &[
            "Sickness absence averaged 12 days per person.",
            "Staff morale was high despite the pressures.",
            "Retention was a challenge, with an 11 per cent leaving rate.",
            "Many staff reported feeling stressed by their caseloads.",
            "The region struggled to retain experienced staff.",
        ],
        no: &[
            "A wellbeing hub offered support to people on probation.",
            "Leaders stressed the importance of accurate recording.",
            "Practitioners retained responsibility for the case after release.",
        ],
    },
    Case {
        theme: "risk-assessment",
        yes: &[
            "Assessments did not analyse the risk of harm to children.",
            "Risk assessment was sufficient in only 45 per cent of cases.",
            "Practitioners did not identify key risk factors.",
        ],
        no: &["The region completed a learning needs analysis."],
    },
    Case {
        theme: "risk-planning",
        yes: &[
            "Planning was the strongest area of practice.",
            "Contingency planning was not individualised.",
            "Risk management plans set out restrictive and control measures.",
        ],
        no: &["The regional delivery plan set out priorities for the year."],
    },
    Case {
        theme: "case-reviewing",
        yes: &[
            "Risk was not reviewed after significant changes in circumstances.",
            "Reviewing met the required standard in just over half of cases.",
            "The quality of MAPPA Level 1 reviews was inconsistent.",
        ],
        no: &["An SFO review was completed within the timescale."],
    },
    Case {
        theme: "professional-curiosity",
        yes: &[
            "There was a lack of professional curiosity about new relationships.",
            "Practitioners did not verify the information the person gave them.",
            "Staff relied on self-reported accounts rather than exploring concerns.",
        ],
        no: &["The report was curiously late."],
    },
    Case {
        theme: "management-oversight",
        yes: &[
            "Management oversight was insufficient in most cases.",
            "SPOs countersigned assessments without challenge.",
            "Case audits provided feedback to practitioners.",
            "Line managers rarely gave any oversight to high-risk cases.",
            "Senior probation officers checked the quality of assessments before sign-off.",
        ],
        no: &[
            "There was strong multi-agency oversight at MAPPA level 2.",
            // external quality assurance of SFO reviews is the SFO theme, not casework oversight
            "Four of the reviews were quality assured by the Inspectorate.",
            // a grade named in passing, and "managed" is not a manager
            "The team was short of practitioners and senior probation officers.",
            "Cases managed by the unit needed thorough oversight by the strategic board.",
        ],
    },
    Case {
        theme: "information-sharing",
        yes: &[
            "Domestic abuse enquiries to the police were not always made.",
            "Information from children's social care was not received in time.",
            "An information-sharing agreement had been signed with the local authorities.",
            "The unit now had direct access to the police systems in two of the three force areas.",
            "Practitioners could not access children's social care records.",
        ],
        no: &[
            "Further information is available on our website.",
            // information given to victims is victim contact, not exchange with partners
            "Victims were given information about sources of support in most cases.",
            "The letter to the victim contained enough information to let them make an informed choice.",
        ],
    },
    Case {
        theme: "domestic-abuse-safeguarding",
        yes: &[
            "Domestic abuse was a feature in most cases.",
            "Safeguarding enquiries were not followed up.",
            "Child protection concerns were not escalated.",
        ],
        no: &["The police station was refurbished."],
    },
    Case {
        theme: "mappa",
        yes: &[
            "MAPPA level 2 meetings were well attended.",
            "Cases eligible for multi-agency public protection arrangements were not always identified.",
            "Duty to cooperate agencies did not attend Level 3 meetings.",
        ],
        no: &["The level of risk was high."],
    },
    Case {
        theme: "victims",
        yes: &[
            "Statutory victim contact was offered in all cases.",
            "Victim liaison officers attended MAPPA meetings.",
            "The safety of victims was prioritised in plans.",
        ],
        no: &["Plans protected actual and potential victims from harm."],
    },
    Case {
        theme: "interventions",
        yes: &[
            "Waiting lists for accredited programmes were long.",
            "Practitioners rarely delivered one-to-one offence-focused work.",
            "Referrals to commissioned rehabilitative services had increased.",
            "Too little rehabilitation work was delivered to those on licence.",
            "Services in place to reduce reoffending included a women's centre.",
            "The provision available to support desistance was wide-ranging.",
        ],
        no: &[
            "The leadership programme started in May.",
            // commissioning arrangements are strategic partnership work
            "A devolution agreement with the combined authority funded local decision-making.",
            // generic services of another agency
            "Children's services to support families were overstretched.",
            "Domestic abuse support officers received the referrals.",
        ],
    },
    Case {
        theme: "enforcement",
        yes: &[
            "Breach action was not taken when required.",
            "Recall decisions were timely and well evidenced.",
            "Enforcement practice was inconsistent across teams.",
            "Warnings were not enforced when people missed appointments.",
            "Leaders had set up a dedicated enforcement unit to speed up returns to court.",
        ],
        no: &[
            "The staff survey response rate was 60 per cent.",
            // a unit's name is not a finding about enforcement
            "Staff from the Courts and Enforcement PDU attended the training days.",
        ],
    },
    Case {
        theme: "resettlement",
        yes: &[
            "Pre-release work was insufficient in seven of 17 cases.",
            "Licence conditions were appropriate to the risks.",
            "People released directly from court had no time for planning.",
        ],
        no: &["The report was released in March."],
    },
    Case {
        theme: "accommodation",
        yes: &[
            "CAS3 provided temporary housing for prison leavers.",
            "Too many people left prison homeless.",
            "Approved premises places were in high demand.",
            "Only four beds were free across the region.",
            "Emergency bed spaces were found for two men on release.",
        ],
        no: &[
            "The office had limited space.",
            "The new processes were still bedding in.",
        ],
    },
    Case {
        theme: "court-work",
        yes: &[
            "Pre-sentence reports were of good quality.",
            "Sentencers had confidence in the court team.",
            "Proposals to court addressed the risk of harm.",
            "Magistrates told us they trusted the advice in reports.",
            "District judges gave positive feedback on the quality of reports.",
        ],
        no: &[
            "The case was returned to court for breach.",
            // "judged" is not a judge
            "The quality of unpaid work placements was judged positively.",
        ],
    },
    Case {
        theme: "unpaid-work",
        yes: &[
            "Unpaid work hours were completed promptly.",
            "Community payback placements had reopened.",
            "Only 51 per cent of RAR days were completed.",
        ],
        no: &["Staff were not paid for overtime work."],
    },
    Case {
        theme: "health-substance-misuse",
        yes: &[
            "Mental health provision for people on probation was limited.",
            "Drug and alcohol services were available in every PDU.",
            "Substance misuse treatment requirements were rarely proposed.",
        ],
        no: &["Most had committed violent offences or drug offences."],
    },
    Case {
        theme: "leadership-governance",
        yes: &[
            "Senior leaders set a clear vision and strategy.",
            "Governance structures held leaders to account.",
            "Leaders had created a positive culture of learning.",
            "New national policies were promptly implemented and communicated to teams.",
            "The strategy drew on research into what works in desistance.",
            "Probation had built effective governance arrangements to hold PDU heads to account.",
        ],
        no: &[
            "The team leader opened the meeting.",
            "It was unclear what work had been completed with the person.",
            // another body's governance, a function's plan, practitioners' accountability
            "Probation helped the children's services department design its new governance structure.",
            "The learning and development business plan listed courses for PSOs.",
            "Supervision made practitioners accountable for their caseloads.",
            "Frequent policy changes had been difficult to implement.",
        ],
    },
    Case {
        theme: "partnerships",
        yes: &[
            "The region had strong strategic partnerships with the police.",
            "Services were co-commissioned with the combined authority.",
            "The Reducing Reoffending Board was chaired by the RPD.",
            "Strategic relationships with the four police forces had matured.",
            "Partner agencies were co-located in probation offices, which helped practitioners.",
            "There was no consistent approach with the police forces across the region.",
            "A shared approach with local authorities had been agreed for housing referrals.",
            "The police and crime commissioner provided joint funding for the project.",
        ],
        no: &[
            "An intimate partner was identified as at risk.",
            // collaboration at the level of one case is practice, not strategic partnership
            "In most of the cases we inspected, practitioners worked well with the police.",
            "The strategic lead for victim work was interviewed.",
            "Funding for local projects was secured.",
        ],
    },
    Case {
        theme: "performance-metrics",
        yes: &[
            "A focus on national performance metrics drove practice.",
            "The region was top of the probation scorecard.",
            "Dashboards tracked performance against targets.",
            "Staff saw a link between performance and quality, but felt performance came first.",
            "Leaders monitored performance data every month.",
        ],
        no: &[
            "The practitioner performed the assessment.",
            "The performance and quality team designed the new template.",
        ],
    },
    Case {
        theme: "policy-change",
        yes: &[
            "The prison capacity crisis led to early release schemes.",
            "Staff felt fatigue from the pace of national change.",
            "The implementation of the Probation Reset compounded pressures.",
            "Staff had undergone years of structural change since unification.",
            "Changes to recall legislation added to the pressure on practitioners.",
        ],
        no: &[
            "The PDU changed its office hours.",
            // turnover of the region's own leaders is not national policy change
            "The senior leadership team had undergone several changes in the past year.",
        ],
    },
    Case {
        theme: "diversity-equality",
        yes: &[
            "Protected characteristics were not analysed in assessments.",
            "Leaders had not examined disproportionality in access to services.",
            "The workforce did not reflect the ethnic diversity of the caseload.",
            "Staff from minority ethnic groups were under-represented in senior grades.",
            "The workforce was more diverse than the local population.",
        ],
        no: &[
            "Rates were equally spread across the year.",
            // "a minority of" is a quantity; "diverse range" and "Diversion" are not diversity
            "In a minority of cases, plans were reviewed.",
            "A diverse range of interventions was available.",
            "Liaison and Diversion services screened people at court.",
        ],
    },
    Case {
        theme: "engagement",
        yes: &[
            "People on probation were involved in designing services.",
            "A peer lead with lived experience was recruited.",
            "Complaints from people on probation were handled well.",
            "Sentence plans were personalised and written with the person.",
            "The views of service users shaped the new reporting centre.",
            "Practitioners kept regular contact with people on licence.",
        ],
        no: &[
            "Staff engagement scores had risen.",
            // personalised contact with victims is victim work
            "Letters to victims were personalised to their circumstances.",
            "The practitioner kept regular contact with the police.",
        ],
    },
    Case {
        theme: "serious-further-offences",
        yes: &[
            "SFO reviews were of good quality.",
            "Learning from serious further offences was shared with staff.",
        ],
        no: &["Further offences were committed by a small number."],
    },
];

#[test]
fn test_every_theme_matches_paraphrases_and_rejects_near_misses() {
    let t = tax();
    let mut failures = Vec::new();
    for c in CASES {
        assert!(t.theme(c.theme).is_some(), "unknown theme {}", c.theme);
        assert!(c.yes.len() >= 2, "{}: need two paraphrases", c.theme);
        assert!(!c.no.is_empty(), "{}: need a near miss", c.theme);
        for s in c.yes {
            if !has(&t, s, c.theme) {
                failures.push(format!(
                    "{}: should match: {s:?} (got {:?})",
                    c.theme,
                    t.tag(s).themes
                ));
            }
        }
        for s in c.no {
            if has(&t, s, c.theme) {
                failures.push(format!(
                    "{}: should NOT match: {s:?} ({:?})",
                    c.theme,
                    t.explain(s)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    // every theme of the contract has a case
    for id in CONTRACT_IDS {
        assert!(CASES.iter().any(|c| c.theme == *id), "no cases for {id}");
    }
}

#[test]
fn test_negated_vetting_is_not_a_vetting_concern() {
    let t = tax();
    let tags = t.tag("There were no delays in vetting.");
    assert!(
        !(tags.themes.contains(&"vetting-recruitment".to_string())
            && tags.polarity == Polarity::Concern),
        "{tags:?}"
    );
    for s in [
        "vetting took up to five months",
        "delays in vetting",
        "vetting processes taking too long",
    ] {
        assert!(has(&t, s, "vetting-recruitment"), "{s}");
    }
}

#[test]
fn test_themes_are_in_taxonomy_order() {
    let t = tax();
    let tags =
        t.tag("Long delays in vetting new recruits worsened staff fatigue and sickness absence.");
    let pos: Vec<usize> = tags
        .themes
        .iter()
        .map(|id| {
            t.themes
                .iter()
                .position(|th| &th.id == id)
                .unwrap_or(usize::MAX)
        })
        .collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{tags:?}");
    assert!(tags.themes.len() >= 2);
}

#[test]
fn test_themes_alone_are_the_themes_of_tag() {
    // The indexer asks recommendations for their themes only; they must be what `tag` finds.
    let t = tax();
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut tagged = 0;
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for unit in crate::segment::segment(&text).sentences {
            let sentence = &text[unit.start..unit.end];
            let themes = t.themes(sentence);
            assert_eq!(themes, t.tag(sentence).themes, "{sentence}");
            tagged += usize::from(!themes.is_empty());
        }
    }
    assert!(tagged > 300, "{tagged} tagged sentences");
}

// ---------------------------------------------------------------------------------------
// Validation

const HEADER: &str = "categories = [\"workforce\", \"governance\"]\n";

fn theme_toml(id: &str, extra: &str) -> String {
    format!(
        "[[theme]]\nid = \"{id}\"\nlabel = \"L\"\ncategory = \"workforce\"\ndescription = \"D\"\n{extra}\n"
    )
}

fn load_err(src: &str) -> String {
    match Taxonomy::from_toml_str(src, "themes.toml") {
        Ok(_) => panic!("should not load:\n{src}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn test_valid_minimal_file_loads_and_tags() {
    let src = format!(
        "{HEADER}{}",
        theme_toml("a-b", "match = [\"vetting NEAR/3 delay\"]")
    );
    let t = Taxonomy::from_toml_str(&src, "x.toml").expect("loads");
    assert_eq!(t.tag("delays in vetting").themes, vec!["a-b".to_string()]);
    // no [polarity] table: the embedded cues are used
    assert_eq!(
        t.tag("Management oversight was insufficient.").polarity,
        Polarity::Concern
    );
}

#[test]
fn test_exclude_rules_veto_the_theme() {
    let src = format!(
        "{HEADER}{}",
        theme_toml(
            "court",
            "match = [\"court\"]\nexclude = [\"(return|returned) to court\"]"
        )
    );
    let t = Taxonomy::from_toml_str(&src, "x.toml").expect("loads");
    assert_eq!(
        t.tag("The court team was strong.").themes,
        vec!["court".to_string()]
    );
    assert!(t.tag("The case was returned to court.").themes.is_empty());
    let th = t.theme("court").expect("theme");
    assert_eq!(th.match_rules().collect::<Vec<_>>(), vec!["court"]);
    assert_eq!(th.exclude_rules().count(), 1);
}

#[test]
fn test_unknown_key_names_theme_and_line() {
    let src = format!(
        "{HEADER}{}{}",
        theme_toml("first", "match = [\"a\"]"),
        theme_toml("second", "match = [\"b\"]\nmatches = [\"c\"]")
    );
    let e = load_err(&src);
    assert!(e.starts_with("themes.toml:14:"), "{e}");
    assert!(e.contains("theme `second`"), "{e}");
    assert!(e.contains("unknown field `matches`"), "{e}");
    let e = load_err(&format!(
        "colour = 1\n{}",
        theme_toml("a", "match = [\"a\"]")
    ));
    assert!(
        e.starts_with("themes.toml:1:") && e.contains("colour"),
        "{e}"
    );
}

#[test]
fn test_duplicate_id_names_theme_and_line() {
    let src = format!(
        "{HEADER}{}{}",
        theme_toml("dup", "match = [\"a\"]"),
        theme_toml("dup", "match = [\"b\"]")
    );
    let e = load_err(&src);
    assert_eq!(e, "themes.toml:9: theme `dup`: duplicate theme id");
}

#[test]
fn test_empty_rule_list_and_missing_rules_are_errors() {
    let e = load_err(&format!("{HEADER}{}", theme_toml("t", "match = []")));
    assert_eq!(e, "themes.toml:7: theme `t`: `match` is empty");
    let e = load_err(&format!("{HEADER}{}", theme_toml("t", "")));
    assert!(
        e.starts_with("themes.toml:3: theme `t`: no `match` rules"),
        "{e}"
    );
}

#[test]
fn test_empty_rule_is_an_error() {
    let e = load_err(&format!(
        "{HEADER}{}",
        theme_toml("t", "match = [\"a\", \"  \"]")
    ));
    assert!(e.starts_with("themes.toml:7: theme `t`: rule `  `"), "{e}");
    assert!(e.contains("empty"), "{e}");
}

#[test]
fn test_rule_that_analyses_to_nothing_is_an_error() {
    let e = load_err(&format!(
        "{HEADER}{}",
        theme_toml(
            "vetting-recruitment",
            "match = [\n  \"vetting\",\n  \"!!!\",\n]"
        )
    ));
    assert!(
        e.starts_with("themes.toml:9: theme `vetting-recruitment`: rule `!!!`"),
        "{e}"
    );
    assert!(e.contains("analyses to nothing"), "{e}");
}

#[test]
fn test_unknown_category_is_an_error() {
    let src = format!(
        "{HEADER}[[theme]]\nid = \"x\"\nlabel = \"L\"\ncategory = \"sport\"\ndescription = \"D\"\nmatch = [\"a\"]\n"
    );
    let e = load_err(&src);
    assert!(
        e.starts_with("themes.toml:5: theme `x`: unknown category `sport`"),
        "{e}"
    );
    // without a categories list, the five defaults apply
    let src = "[[theme]]\nid = \"x\"\nlabel = \"L\"\ncategory = \"practice\"\ndescription = \"D\"\nmatch = [\"a\"]\n";
    assert!(Taxonomy::from_toml_str(src, "t.toml").is_ok());
}

#[test]
fn test_malformed_rules_report_theme_line_and_column() {
    for (rule, needle) in [
        ("(vetting | delay", "unbalanced `(`"),
        ("vetting) delay", "unbalanced `)`"),
        ("vetting NEAR delay", "NEAR needs a window"),
        ("vetting NEAR/0 delay", "between 1 and"),
        ("vetting NEAR/9999 delay", "between 1 and"),
        ("vetting AND", "ends where"),
        ("NOT vetting", "cannot start with NOT"),
        ("a | | b", "empty alternative"),
        ("(the)? vetting", "optional group"),
    ] {
        let e = load_err(&format!(
            "{HEADER}{}",
            theme_toml(
                "rules",
                &format!("exclude = [\"x\"]\nmatch = [\n\"{rule}\"]")
            )
        ));
        assert!(
            e.starts_with("themes.toml:9: theme `rules`: rule `"),
            "{rule}: {e}"
        );
        assert!(e.contains("(column "), "{rule}: {e}");
        assert!(e.contains(needle), "{rule}: {e}");
    }
}

#[test]
fn test_oversized_rules_are_rejected() {
    let alts = (0..400)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join("|");
    let e = load_err(&format!(
        "{HEADER}{}",
        theme_toml("big", &format!("match = [\"({alts})\"]"))
    ));
    assert!(
        e.contains("theme `big`") && e.contains("alternatives"),
        "{e}"
    );
}

#[test]
fn test_toml_syntax_error_names_the_line() {
    let e = load_err(&format!("{HEADER}[[theme]]\nid = \"a\nlabel = 1\n"));
    assert!(e.starts_with("themes.toml:3:"), "{e}");
}

#[test]
fn test_polarity_table_errors_name_the_key() {
    let src = format!(
        "{HEADER}[polarity]\nconcern = [\"fine\", \"(bad\"]\n{}",
        theme_toml("a", "match = [\"a\"]")
    );
    let e = load_err(&src);
    assert!(e.starts_with("themes.toml:3: [polarity] concern:"), "{e}");
    let src = format!(
        "{HEADER}[polarity]\nnegators = [\"not at all\"]\n{}",
        theme_toml("a", "match = [\"a\"]")
    );
    assert!(load_err(&src).contains("exactly one word"));
}

#[test]
fn test_from_file_reports_missing_file() {
    let e = Taxonomy::from_file(Path::new("/definitely/not/here/themes.toml"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.starts_with("/definitely/not/here/themes.toml: cannot read"),
        "{e}"
    );
}

#[test]
fn test_fingerprint_depends_on_source() {
    let a = format!("{HEADER}{}", theme_toml("a", "match = [\"a\"]"));
    let b = format!("{HEADER}{}", theme_toml("a", "match = [\"b\"]"));
    let fa = Taxonomy::from_toml_str(&a, "a").map(|t| t.fingerprint().to_string());
    let fb = Taxonomy::from_toml_str(&b, "b").map(|t| t.fingerprint().to_string());
    let (fa, fb) = (fa.expect("a"), fb.expect("b"));
    assert_eq!(fa.len(), 64);
    assert_ne!(fa, fb);
    assert_eq!(
        tax().fingerprint(),
        Taxonomy::embedded().without_model().fingerprint()
    );
}

// ---------------------------------------------------------------------------------------
// Polarity

fn pol(s: &str) -> Polarity {
    tax().tag(s).polarity
}

#[test]
fn test_polarity_concern_cues() {
    for s in [
        "Management oversight was insufficient.",
        "Management oversight was not sufficient in most cases.",
        "There was a lack of professional curiosity.",
        "There were not enough staff to deliver programmes.",
        "Enforcement practice was inconsistent.",
        "There were long delays in vetting.",
        "Contingency planning remains an area for improvement.",
        "There was no evidence of management oversight.",
        "Fewer than half of cases had a sufficient assessment.",
        "Only 8 of 22 MAPPA cases showed coordinated oversight.",
        "Just 51 per cent of cases analysed diversity.",
        "Management oversight was insufficient, ineffective, or absent in most cases.",
        "The region needed to improve its enforcement practice.",
    ] {
        assert_eq!(pol(s), Polarity::Concern, "{s}");
    }
}

#[test]
fn test_recommendations_are_concerns() {
    for s in [
        "Reduce vetting delays by implementing streamlined recruitment processes.",
        "Ensure mechanisms are in place to provide effective oversight.",
        "- 3. improve contingency planning to ensure victims are protected.",
        "Evaluate and strengthen the delivery of interventions.",
    ] {
        assert_eq!(pol(s), Polarity::Concern, "{s}");
    }
}

#[test]
fn test_polarity_strength_cues() {
    for s in [
        "The region had built strong relationships with partners.",
        "Leadership was impressive and staff were highly motivated.",
        "Enforcement practice had improved and was effective.",
        "Inspectors praised the innovative work with women.",
        "Planning was the strongest area of practice.",
        "Appropriate licence conditions were put in place in 19 out of 22 relevant cases.",
    ] {
        assert_eq!(pol(s), Polarity::Strength, "{s}");
    }
}

#[test]
fn test_negation_flips_polarity() {
    assert_eq!(pol("Interventions were not effective."), Polarity::Concern);
    assert_eq!(pol("Information was not always shared."), Polarity::Concern);
    assert_ne!(
        pol("There were no delays in recruitment."),
        Polarity::Concern
    );
    assert_eq!(
        pol("Risk assessments were not consistently good."),
        Polarity::Concern
    );
}

#[test]
fn test_contrast_main_clause_wins() {
    assert_eq!(
        pol("Although training was good, oversight was insufficient."),
        Polarity::Concern
    );
    assert_eq!(
        pol("Despite staffing gaps, the team delivered strong and effective work."),
        Polarity::Strength
    );
    assert_eq!(
        pol("Referrals had increased, but they were not translating into delivery."),
        Polarity::Concern
    );
}

#[test]
fn test_quantity_ratios() {
    assert_eq!(
        pol("Pre-release work was completed in seven out of 17 cases."),
        Polarity::Concern
    );
    assert_eq!(
        pol("Pre-release work was completed in 15 out of 18 cases."),
        Polarity::Strength
    );
}

#[test]
fn test_purpose_clauses_state_goals_not_findings() {
    // The good words describe what the recommendation wants, not what was found.
    assert_eq!(
        pol("Leaders needed more training to improve the quality and effectiveness of plans."),
        Polarity::Concern
    );
    // Acting on a problem is not itself a concern.
    assert_eq!(
        pol("The region was working effectively to address barriers to information sharing."),
        Polarity::Strength
    );
}

#[test]
fn test_questions_are_neutral() {
    assert_eq!(
        pol("Does assessment focus sufficiently on keeping other people safe? 49%"),
        Polarity::Neutral
    );
}

#[test]
fn test_expected_improvement_is_not_a_recommendation() {
    assert_eq!(
        pol("Extra staff had recently been recruited, which should improve morale."),
        Polarity::Strength
    );
    // a surface-form check: "Reviewed weekly" is not the imperative "Review"
    assert_ne!(
        pol("Reviewed weekly by managers, plans were strong."),
        Polarity::Concern
    );
}

#[test]
fn test_neutral_without_cues() {
    assert_eq!(pol("The region comprises nine PDUs."), Polarity::Neutral);
    assert_eq!(pol(""), Polarity::Neutral);
}

#[test]
fn test_polarity_text_round_trip() {
    for p in [Polarity::Concern, Polarity::Strength, Polarity::Neutral] {
        assert_eq!(p.to_string().parse::<Polarity>(), Ok(p));
    }
    assert!("meh".parse::<Polarity>().is_err());
    assert_eq!(
        serde_json::to_string(&Polarity::Strength).ok().as_deref(),
        Some("\"strength\"")
    );
}

#[test]
fn test_tag_tokens_tolerates_bad_offsets() {
    let t = tax();
    let toks = vec![
        AnalyzedToken::new("vet", 50, 3, 0),
        AnalyzedToken::new("delay", 900, 1000, 1),
    ];
    let tags = t.tag_tokens("short", &toks);
    assert!(tags.themes.contains(&"vetting-recruitment".to_string()));
}

fn pol_of(t: &Taxonomy, sentence: &str) -> Polarity {
    t.tag(sentence).polarity
}

#[test]
fn test_headings_and_footnotes_carry_no_theme() {
    let t = tax();
    // Titles: short, no verb, no closing punctuation, no figures.
    for s in [
        "Services and interventions",
        "Learning from Serious Further Offence investigations",
        "Statutory victim work",
    ] {
        assert!(t.tag(s).themes.is_empty(), "{s}");
        assert!(t.explain(s).is_empty(), "{s}");
    }
    // Footnotes and references.
    assert!(t
        .tag("Multi-agency public protection arrangements (MAPPA) annual report. \u{21a9}\u{fe0e}")
        .themes
        .is_empty());
    assert!(t
        .tag("\u{b9} Independent Serious Further Offence review of A Person (example.gov.uk)")
        .themes
        .is_empty());
    // Table header rows have no data; data rows and scoring lines keep their themes.
    assert!(t
        .tag("| PO | PSO (excluding PQiP) | PQiP |")
        .themes
        .is_empty());
    assert!(has(
        &t,
        "| Recall rates (in the 12 months prior to inspection) | 24.88% |",
        "enforcement"
    ));
    // Near misses: a short sentence with a verb, or a line broken mid-sentence, is not a title.
    assert!(has(&t, "Staff morale was low", "staff-wellbeing"));
    assert!(has(
        &t,
        "Serious further offence reviews were of good quality",
        "serious-further-offences"
    ));
    assert!(!is_non_finding("Vetting delays in the region and"));
}

#[test]
fn test_themes_named_only_in_a_list_are_passing_mentions() {
    let t = tax();
    assert!(!has(
        &t,
        "Co-commissioned services included accommodation, education, dependency and recovery, and peer support.",
        "accommodation"
    ));
    assert!(!has(
        &t,
        "The region ran sessions on topics such as risk, sentence management, domestic abuse and challenging behaviour.",
        "domestic-abuse-safeguarding"
    ));
    // A list of findings is the finding itself.
    assert!(has(
        &t,
        "Concerns included poor accommodation, unmet mental health needs and long waiting lists.",
        "accommodation"
    ));
    // Two items are not an enumeration, and a long clause after the marker is not an item.
    assert!(has(
        &t,
        "The team had strong links with partners, including housing providers and approved premises.",
        "accommodation"
    ));
    assert!(has(
        &t,
        "Staff shortages, including a vacancy rate of 40 per cent in one PDU, high workloads, and sickness hindered delivery.",
        "workload"
    ));
}

#[test]
fn test_polarity_classes() {
    let t = tax();
    // Recognising a need is awareness, not a shortfall.
    assert_ne!(
        pol_of(&t, "Leaders were aware of the need to develop consistency and had developed a clear strategy."),
        Polarity::Concern
    );
    assert_eq!(
        pol_of(
            &t,
            "Leaders needed to develop consistency in enforcement practice."
        ),
        Polarity::Concern
    );
    // "and <verb>" is a finding, not a purpose clause.
    assert_eq!(
        pol_of(
            &t,
            "The team completed audits and provided feedback to managers."
        ),
        Polarity::Strength
    );
    // High rates of a good thing are not a concern; high rates of a bad one are.
    assert_ne!(
        pol_of(&t, "There were high rates of compliance with appointments."),
        Polarity::Concern
    );
    assert_eq!(
        pol_of(&t, "There were high rates of sickness absence."),
        Polarity::Concern
    );
    // "in just over two-thirds" is not a low quantity; "in just 3 of 10" is.
    assert_ne!(
        pol_of(
            &t,
            "A sufficient assessment was made in just over two-thirds of cases."
        ),
        Polarity::Concern
    );
    assert_eq!(
        pol_of(
            &t,
            "A sufficient assessment was made in just 3 of 10 cases."
        ),
        Polarity::Concern
    );
    // Inexperience is a shortfall.
    assert_eq!(
        pol_of(&t, "The workforce was largely inexperienced."),
        Polarity::Concern
    );
    // The region's own development work is a (weak) strength.
    assert_eq!(
        pol_of(&t, "The region had developed a learning needs analysis."),
        Polarity::Strength
    );
}

#[test]
fn test_tag_in_context_inherits_the_section_theme_for_back_references() {
    let t = tax();
    let s = "The reviews were rated two as outstanding and ten as good.";
    let tok = crate::analysis::analyze(s);
    let plain = t.tag_tokens(s, &tok);
    assert!(!plain
        .themes
        .contains(&"serious-further-offences".to_string()));
    let ctx = t.tag_in_context(s, &tok, Some("Serious further offences"));
    assert!(ctx.themes.contains(&"serious-further-offences".to_string()));
    assert_eq!(ctx.polarity, plain.polarity);
    let s2 = "It had also been shared with senior leaders and middle managers.";
    let tok2 = crate::analysis::analyze(s2);
    assert!(t
        .tag_in_context(s2, &tok2, Some("Victims"))
        .themes
        .contains(&"victims".to_string()));
    // Near misses: no section, a sentence with its own subject, or a heading.
    assert_eq!(t.tag_in_context(s, &tok, None), plain);
    let s3 = "Senior leaders met monthly with the police.";
    let tok3 = crate::analysis::analyze(s3);
    assert!(!t
        .tag_in_context(s3, &tok3, Some("Serious further offences"))
        .themes
        .contains(&"serious-further-offences".to_string()));
    let h = "Summary of findings";
    let toks_h = crate::analysis::analyze(h);
    assert!(t
        .tag_in_context(h, &toks_h, Some("Victims"))
        .themes
        .is_empty());
}

#[test]
fn test_tag_for_index_skips_polarity_only_for_untagged_sentences() {
    let t = tax();
    let cases = [
        // Tagged, with a polarity of its own.
        ("Managers did not have enough oversight of cases.", None),
        ("Vetting delays meant new staff could not start work.", None),
        // Untagged: no theme, though its wording is clearly negative.
        (
            "The canteen food was poor and the car park was too small.",
            None,
        ),
        // Inherits its section's theme.
        (
            "The reviews were rated two as outstanding and ten as good.",
            Some("Serious further offences"),
        ),
    ];
    let mut tagged = 0;
    for (sentence, section) in cases {
        let tokens = crate::analysis::analyze(sentence);
        let full = t.tag_in_context(sentence, &tokens, section);
        let indexed = t.tag_for_index(sentence, &tokens, section);
        assert_eq!(indexed.themes, full.themes, "{sentence}");
        if full.themes.is_empty() {
            assert_eq!(indexed.polarity, Polarity::Neutral, "{sentence}");
        } else {
            tagged += 1;
            assert_eq!(indexed.polarity, full.polarity, "{sentence}");
        }
    }
    assert_eq!(tagged, 3);
    let untagged = "The canteen food was poor and the car park was too small.";
    assert_eq!(
        t.tag_in_context(untagged, &crate::analysis::analyze(untagged), None)
            .polarity,
        Polarity::Concern,
        "the untagged case should be one whose skipped polarity is not neutral"
    );
}

proptest! {
    #[test]
    fn test_tag_never_panics_on_arbitrary_unicode(s in "\\PC{0,300}") {
        let t = Taxonomy::embedded();
        let tags = t.tag(&s);
        for id in &tags.themes {
            prop_assert!(t.theme(id).is_some());
        }
    }

    #[test]
    fn test_loader_never_panics_on_arbitrary_rules(rule in "[a-z()|~*?/ #NEARDOT0-9]{0,60}") {
        let src = format!("[[theme]]\nid = \"x\"\nlabel = \"L\"\ncategory = \"practice\"\ndescription = \"D\"\nmatch = [{:?}]\n", rule);
        let _ = Taxonomy::from_toml_str(&src, "p.toml");
    }
}

#[test]
fn test_the_embedded_model_is_loaded_lazily_with_the_same_fingerprint() {
    let lazy = Taxonomy::embedded();
    let model = crate::model::Model::embedded().expect("the shipped model loads");
    let given = Taxonomy::embedded().with_model(Some(model));
    assert_eq!(lazy.fingerprint(), given.fingerprint());
    assert_ne!(lazy.fingerprint(), lazy.without_model().fingerprint());
    let s = "Data on the number of people in work after their sentence was not collected.";
    assert_eq!(lazy.tag(s), given.tag(s));
    assert!(lazy.model().is_some());
}

//! The embedded taxonomy's contract: exactly the contract's ids and categories, every theme
//! matching its paraphrases and rejecting its near misses, themes in taxonomy order.

use super::*;

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

#[test]
fn test_embedded_taxonomy_loads_with_exactly_the_contract_ids() {
    let t = tax();
    let mut got: Vec<&str> = t.taxonomy().ids();
    let mut want: Vec<&str> = CONTRACT_IDS.to_vec();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want);
    assert_eq!(
        t.taxonomy().categories(),
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
        assert!(
            t.taxonomy().theme(c.theme).is_some(),
            "unknown theme {}",
            c.theme
        );
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
            t.taxonomy()
                .themes
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

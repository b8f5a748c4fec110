//! Polarity: concern and strength cues, recommendations, negation, contrast, quantities,
//! purpose clauses, questions, and the classes of cue that need care.

use super::*;

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

fn pol_of(t: &Tagger, sentence: &str) -> Polarity {
    t.tag(sentence).polarity
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

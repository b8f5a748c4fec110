//! `themis train`: fit the learned tagger to labelled sentences and write the model file.

use anyhow::Context;
use themis::eval::training_units_from;
use themis::model::train::{train, TrainOptions};

use crate::cli::{GlobalArgs, TrainArgs};
use crate::Exit;

pub fn run(global: &GlobalArgs, args: &TrainArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_tagger(global)?;
    let mut units = Vec::new();
    let mut without_text = 0;
    for path in &args.labels {
        let mut texts = args.texts.clone();
        texts.push(path.join("corpus"));
        texts.push(global.corpus.clone());
        without_text += training_units_from(path, &texts, &mut units)?;
    }
    if without_text > 0 && !global.quiet {
        eprintln!(
            "themis: {without_text} labels file(s) have no text beside them (or in --texts): their units are trained on as they are"
        );
    }
    if units.is_empty() {
        anyhow::bail!("no labelled sentences in {}", display_list(&args.labels));
    }
    let mut options = TrainOptions::default();
    if let Some(epochs) = args.epochs {
        options.epochs = epochs;
    }
    if let Some(threshold) = args.threshold {
        anyhow::ensure!(
            (0.0..1.0).contains(&threshold) && threshold > 0.0,
            "--threshold must be between 0 and 1 (exclusive), not {threshold}"
        );
        options.threshold = threshold;
    }
    if let Some(l2) = args.l2 {
        anyhow::ensure!(
            l2 >= 0.0 && l2.is_finite(),
            "--l2 must be 0 or more, not {l2}"
        );
        options.l2 = l2;
    }
    if let Some(n) = args.min_examples {
        options.min_positives = n.max(1);
    }
    let (model, summary) = train(&units, tagger.taxonomy(), &options);
    if let Some(parent) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    // Write beside the target, then rename: an interrupted run never leaves half a model.
    let tmp = args.out.with_extension("model.tmp");
    std::fs::write(&tmp, model.to_file_string())
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, &args.out)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    if args.json {
        let mut value = serde_json::to_value(&summary)?;
        value["model"] = args.out.display().to_string().into();
        value["version"] = model.version().into();
        println!("{value}");
    } else {
        println!(
            "{}: {} sentences ({} with a theme), {} features, {} themes learned",
            args.out.display(),
            summary.units,
            summary.units_with_themes,
            summary.features,
            summary.themes.len()
        );
        if !summary.rules_only.is_empty() {
            let left: Vec<String> = summary
                .rules_only
                .iter()
                .map(|(t, n)| format!("{t} ({n})"))
                .collect();
            println!(
                "left to their rules (fewer than {} labelled sentences): {}",
                options.min_positives,
                left.join(", ")
            );
        }
        if !summary.unknown_themes.is_empty() {
            let unknown: Vec<&str> = summary.unknown_themes.keys().map(String::as_str).collect();
            println!(
                "labels with themes the taxonomy lacks (ignored; add them with --themes): {}",
                unknown.join(", ")
            );
        }
    }
    Ok(Exit::Success)
}

fn display_list(paths: &[std::path::PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

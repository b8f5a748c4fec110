//! `themis eval`: score the tagger against labelled files, optionally cross-validated.

use std::path::PathBuf;

use themis::eval::{cross_validate, documents, evaluate, read_labels, training_units_from, Scores};
use themis::model::train::TrainOptions;

use crate::cli::{EvalArgs, GlobalArgs};
use crate::Exit;

pub fn run(global: &GlobalArgs, args: &EvalArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_tagger(global)?;
    let labels = read_labels(&args.labels)?;
    let texts: Vec<PathBuf> = if args.texts.is_empty() {
        let base = if args.labels.is_file() {
            args.labels.parent().map(PathBuf::from).unwrap_or_default()
        } else {
            args.labels.clone()
        };
        vec![base.join("corpus"), global.corpus.clone()]
    } else {
        args.texts.clone()
    };
    let docs = documents(labels, &texts)?;
    let tally = match args.cv {
        Some(k) => {
            let mut options = TrainOptions::default();
            if let Some(t) = args.threshold {
                options.threshold = t;
            }
            if let Some(e) = args.epochs {
                options.epochs = e;
            }
            if let Some(l2) = args.l2 {
                options.l2 = l2;
            }
            if let Some(l2) = args.polarity_l2 {
                options.polarity_l2 = l2;
            }

            let mut extra = Vec::new();
            for path in &args.train_extra {
                let mut extra_texts = texts.clone();
                extra_texts.insert(0, path.join("corpus"));
                training_units_from(path, &extra_texts, &mut extra)?;
            }
            cross_validate(&docs, &extra, tagger.taxonomy(), k as usize, &options)
        }
        None => evaluate(&docs, &tagger),
    };
    let scores = tally.scores();
    if args.json {
        let mut value = serde_json::to_value(&scores)?;
        if !args.per_theme {
            if let Some(obj) = value.as_object_mut() {
                obj.remove("per_theme");
            }
        }
        value["documents"] = docs.len().into();
        if let Some(k) = args.cv {
            value["cv_folds"] = k.into();
        }
        println!("{value}");
    } else {
        print_text(&scores, docs.len(), args);
    }
    Ok(Exit::Success)
}

fn print_text(scores: &Scores, documents: usize, args: &EvalArgs) {
    if args.per_theme {
        println!(
            "{:32} {:>5} {:>5} {:>5} {:>6}",
            "theme", "tp", "fp", "fn", "F1"
        );
        for (theme, s) in &scores.per_theme {
            println!(
                "{:32} {:>5} {:>5} {:>5} {:>6.3}",
                theme, s.counts.tp, s.counts.fp, s.counts.r#fn, s.f1
            );
        }
        println!();
    }
    let how = match args.cv {
        Some(k) => format!(", {k}-fold leave-documents-out"),
        None => String::new(),
    };
    println!(
        "{} units in {} documents{how}: micro P {:.3} R {:.3} F1 {:.3}, macro F1 {:.3}, polarity {}",
        scores.units,
        documents,
        scores.micro_p,
        scores.micro_r,
        scores.micro_f1,
        scores.macro_f1,
        scores
            .polarity_acc
            .map_or("n/a".to_string(), |p| format!("{p:.3}"))
    );
}

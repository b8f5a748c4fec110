//! Which taxonomy and model a command tags with, and what an index remembers of them.
//!
//! An index is tagged with one taxonomy and one model. When a command that reads or builds the
//! index is given `--themes FILE` or `--model FILE`, copies of them are recorded in the index
//! folder (`themis-taxonomy.toml`, `themis-tagger.model`, and `themis-tagger.json` saying which
//! are in use); later commands without those options use the recorded ones, so a custom
//! taxonomy is not silently replaced by the built-in one. `--themes default` and `--model
//! default` go back to the built-in ones; `--model none` tags with the rules alone.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use themis::model::Model;
use themis::themes::{Tagger, Taxonomy};

use crate::cli::GlobalArgs;

/// `--themes default` / `--model default`: the built-in taxonomy or model.
pub const DEFAULT: &str = "default";
/// `--model none`: the rules alone.
pub const NONE: &str = "none";

const STATE_FILE: &str = "themis-tagger.json";
const TAXONOMY_FILE: &str = "themis-taxonomy.toml";
const MODEL_FILE: &str = "themis-tagger.model";

/// Where the model comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelChoice {
    /// The model embedded in the binary.
    Builtin,
    /// No model: the rules alone.
    None,
    /// A model file.
    File(PathBuf),
}

/// What `themis-tagger.json` records.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Recorded {
    /// A custom taxonomy is in `themis-taxonomy.toml`.
    custom_taxonomy: bool,
    /// `builtin`, `none` or `custom` (in `themis-tagger.model`).
    model: String,
}

/// Builds the tagger of the taxonomy (`None`: the built-in one) with the chosen model, saying on
/// stderr (unless `quiet`) which of its themes the model does not cover.
pub fn build(themes: Option<&Path>, model: &ModelChoice, quiet: bool) -> anyhow::Result<Tagger> {
    let taxonomy = match themes {
        Some(path) => Taxonomy::from_file(path)
            .with_context(|| format!("cannot use the taxonomy {}", path.display()))?,
        None => Taxonomy::embedded(),
    };
    let tagger = Tagger::new(taxonomy);
    let tagger = match model {
        ModelChoice::Builtin => tagger,
        ModelChoice::None => tagger.with_model(None),
        ModelChoice::File(path) => {
            let model = Model::from_file(path)
                .with_context(|| format!("cannot use the model {}", path.display()))?;
            tagger.with_model(Some(Arc::new(model)))
        }
    };
    if !quiet {
        // Only when asked: it parses the model, which commands that read the index never need.
        let (uncovered, unknown) = tagger.model_coverage();
        if !uncovered.is_empty() {
            eprintln!(
                "themis: the model does not cover {} of the taxonomy's themes ({}): they are tagged by their rules alone; `themis train` learns them from labelled sentences",
                uncovered.len(),
                uncovered.join(", ")
            );
        }
        if !unknown.is_empty() {
            eprintln!(
                "themis: the model has themes the taxonomy lacks, ignored: {}",
                unknown.join(", ")
            );
        }
    }
    Ok(tagger)
}

/// See [`super::load_index_tagger`].
pub fn load_for_index(global: &GlobalArgs) -> anyhow::Result<Tagger> {
    let dir = &global.index;
    let recorded = read_recorded(dir);
    let themes = index_taxonomy(global, &recorded);
    let model = model_option(global).unwrap_or_else(|| match recorded.model.as_str() {
        NONE => ModelChoice::None,
        "custom" => ModelChoice::File(dir.join(MODEL_FILE)),
        _ => ModelChoice::Builtin,
    });
    let explicit = global.themes.is_some() || global.model.is_some();
    let built = build(themes.as_deref(), &model, global.quiet || !explicit);
    let tagger = if explicit {
        built?
    } else {
        built.with_context(|| {
            format!(
                "the taxonomy or model recorded in {} cannot be used: pass --themes and --model, or --themes default --model default",
                dir.display()
            )
        })?
    };
    if explicit {
        record(dir, themes.as_deref(), &model).with_context(|| {
            format!("cannot record the taxonomy and model in {}", dir.display())
        })?;
    }
    Ok(tagger)
}

/// The text of the taxonomy the index uses now (as [`load_for_index`] chooses it: `--themes`,
/// else the one the index recorded, else the built-in one), with where it came from.
pub fn current_taxonomy_text(global: &GlobalArgs) -> anyhow::Result<(String, String)> {
    let dir = &global.index;
    let recorded = read_recorded(dir);
    let themes = index_taxonomy(global, &recorded);
    match themes {
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read the taxonomy {}", path.display()))?;
            Ok((text, path.display().to_string()))
        }
        None => Ok((
            themis::themes::DEFAULT_TAXONOMY.to_string(),
            "the built-in taxonomy".to_string(),
        )),
    }
}

/// The taxonomy file the index is to use (`None`: the built-in one): `--themes`, else the one
/// the index recorded.
fn index_taxonomy(global: &GlobalArgs, recorded: &Recorded) -> Option<PathBuf> {
    themes_option(global).unwrap_or_else(|| {
        recorded
            .custom_taxonomy
            .then(|| global.index.join(TAXONOMY_FILE))
    })
}

/// What `--themes` asks for: `None` when not given, `Some(None)` for the built-in taxonomy
/// (`default`), `Some(Some(file))` for a file.
pub fn themes_option(global: &GlobalArgs) -> Option<Option<PathBuf>> {
    global
        .themes
        .as_ref()
        .map(|path| (path.as_os_str() != DEFAULT).then(|| path.clone()))
}

/// What `--model` asks for: `None` when not given.
pub fn model_option(global: &GlobalArgs) -> Option<ModelChoice> {
    global.model.as_ref().map(|path| match path.as_os_str() {
        p if p == DEFAULT => ModelChoice::Builtin,
        p if p == NONE => ModelChoice::None,
        _ => ModelChoice::File(path.clone()),
    })
}

fn read_recorded(dir: &Path) -> Recorded {
    std::fs::read_to_string(dir.join(STATE_FILE))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Copies the chosen files into the index folder and says which are in use. Each file is
/// written beside its place and renamed over it, so an interrupted run leaves whole files.
fn record(dir: &Path, themes: Option<&Path>, model: &ModelChoice) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let copy = |from: &Path, name: &str| -> anyhow::Result<()> {
        let to = dir.join(name);
        if from == to {
            return Ok(());
        }
        let tmp = dir.join(format!("{name}.tmp"));
        std::fs::copy(from, &tmp)?;
        std::fs::rename(&tmp, &to)?;
        Ok(())
    };
    if let Some(path) = themes {
        copy(path, TAXONOMY_FILE)?;
    }
    let model_name = match model {
        ModelChoice::Builtin => "builtin",
        ModelChoice::None => NONE,
        ModelChoice::File(path) => {
            copy(path, MODEL_FILE)?;
            "custom"
        }
    };
    let recorded = Recorded {
        custom_taxonomy: themes.is_some(),
        model: model_name.to_string(),
    };
    let tmp = dir.join(format!("{STATE_FILE}.tmp"));
    std::fs::write(&tmp, serde_json::to_string_pretty(&recorded)?)?;
    std::fs::rename(&tmp, dir.join(STATE_FILE))?;
    Ok(())
}

//! `themis themes`, `themis themes show ID` and `themis themes add ID`.

use std::io::Write;

use serde::Serialize;
use themis::findings::theme_excerpts;
use themis::render::text::truncate;
use themis::stats::{CountTable, PolarityFilter};
use themis::views::themes::{ThemeSentences, ThemesView};

use crate::cli::{GlobalArgs, ThemeAddArgs, ThemeShowArgs, ThemesArgs, ThemesCommand};
use crate::output::{self, Style};
use crate::Exit;

pub fn run(global: &GlobalArgs, args: &ThemesArgs) -> anyhow::Result<Exit> {
    match &args.show {
        Some(ThemesCommand::Show(show)) => return run_show(global, show),
        Some(ThemesCommand::Add(add)) => return run_add(global, add),
        None => {}
    }
    let tagger = super::load_index_tagger(global)?;
    let index = super::open_index(global, &tagger)?;
    let table = CountTable::load(&index, &tagger)?;
    let taxonomy = tagger.taxonomy();
    let view = ThemesView::build(&table, taxonomy);
    let entries = &view.themes;
    let mut out = output::stdout();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &view)?;
        writeln!(out)?;
    } else {
        let style = Style {
            color: output::use_color(global.color),
        };
        writeln!(
            out,
            "{} themes; counts over {} indexed reports (sentences / reports / regions; concern, strength).",
            entries.len(),
            view.reports
        )?;
        for category in taxonomy.categories() {
            writeln!(out, "\n{}", style.bold(category))?;
            for e in entries.iter().filter(|e| e.category == category) {
                let c = &e.counts;
                writeln!(
                    out,
                    "  {:<30} {:<34} {:>5} {:>4} {:>3}   {:>4} {:>4}",
                    e.id,
                    truncate(&e.label, 34),
                    c.sentences,
                    c.reports,
                    c.regions,
                    c.concern,
                    c.strength
                )?;
            }
        }
    }
    output::finish(out)?;
    Ok(Exit::Success)
}

fn run_show(global: &GlobalArgs, args: &ThemeShowArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_index_tagger(global)?;
    let theme = super::check_theme(tagger.taxonomy(), &args.id)?;
    let region = super::resolve_region(args.region.as_deref())?;
    let filter: PolarityFilter = args.polarity.into();
    let index = super::open_index(global, &tagger)?;
    let excerpts = theme_excerpts(
        &index,
        &tagger,
        &theme.id,
        region.as_deref(),
        args.year,
        filter,
        args.max_reports,
    )?;
    let view = ThemeSentences::new(theme, excerpts);
    let reports = &view.reports;
    let mut out = output::stdout();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &view)?;
        writeln!(out)?;
    } else {
        let style = Style {
            color: output::use_color(global.color),
        };
        let total: usize = reports.iter().map(|r| r.sentences.len()).sum();
        let shown = if view.report_count > reports.len() {
            format!(
                "{total} sentences in the newest {} of {} reports (--max-reports 0 shows all)",
                reports.len(),
                view.report_count
            )
        } else {
            format!(
                "{total} sentences in {}",
                output::count(reports.len() as u64, "report")
            )
        };
        writeln!(
            out,
            "{} ({}): {shown}\n",
            style.bold(&theme.label),
            theme.id,
        )?;
        for report in reports {
            let year = report.year.map_or("year unknown".into(), |y| y.to_string());
            writeln!(out, "{}", style.bold(&output::sanitize(&report.title)))?;
            writeln!(
                out,
                "{}",
                style.dim(&format!(
                    "{} · {year} · {} · {}",
                    report.region.as_deref().unwrap_or("region unknown"),
                    report.report_type,
                    report.report
                ))
            )?;
            for s in &report.sentences {
                writeln!(out, "  [{}] {}", s.polarity, output::sanitize(&s.text))?;
            }
            writeln!(out)?;
        }
    }
    output::finish(out)?;
    Ok(if reports.is_empty() {
        Exit::NoMatch
    } else {
        Exit::Success
    })
}

/// The `[[theme]]` block `themes add` appends.
#[derive(Serialize)]
struct NewTheme<'a> {
    id: &'a str,
    label: &'a str,
    category: &'a str,
    description: &'a str,
    #[serde(rename = "match")]
    rules: &'a [String],
}

/// What `themes add --json` prints.
#[derive(Serialize)]
struct Added<'a> {
    theme: &'a str,
    label: &'a str,
    rules: &'a [String],
    /// Where the taxonomy came from, and where the new one is.
    from: &'a str,
    taxonomy: String,
    sentences: u64,
    reports: u64,
}

fn run_add(global: &GlobalArgs, args: &ThemeAddArgs) -> anyhow::Result<Exit> {
    use anyhow::Context;
    use themis::themes::rules::Rule;
    use themis::themes::Taxonomy;

    let mut rules = args.rules.clone();
    if let Some(query) = &args.from_search {
        let translated = themis::themes::rules::rules_from_query(query).map_err(|e| {
            anyhow::anyhow!("the search \"{query}\" cannot be written as rules: {e}")
        })?;
        rules.extend(translated);
    }
    for rule in &rules {
        Rule::parse(rule)
            .map_err(|e| anyhow::anyhow!("the rule \"{rule}\" cannot be read: {e}"))?;
    }
    let rules = &rules;
    let (base, from) = super::tagger::current_taxonomy_text(global)?;
    let current = Taxonomy::from_toml_str(&base, &from)?;
    if current.theme(&args.id).is_some() {
        anyhow::bail!(
            "the taxonomy ({from}) already has a theme `{}`; choose another id",
            args.id
        );
    }
    let categories: Vec<&str> = current.categories();
    let category = match &args.category {
        Some(c) if categories.contains(&c.as_str()) => c.clone(),
        Some(c) => anyhow::bail!(
            "unknown category `{c}` (expected one of: {})",
            categories.join(", ")
        ),
        None => categories
            .first()
            .map(|c| c.to_string())
            .unwrap_or_default(),
    };
    let description = args
        .description
        .clone()
        .unwrap_or_else(|| args.label.clone());
    let block = toml::to_string(&NewTheme {
        id: &args.id,
        label: &args.label,
        category: &category,
        description: &description,
        rules,
    })?;
    let text = format!(
        "{}\n\n# Added by `themis themes add`.\n[[theme]]\n{block}",
        base.trim_end()
    );
    // Checked whole (id syntax, limits) before anything is written.
    Taxonomy::from_toml_str(&text, "the new taxonomy")?;
    let written = match &args.out {
        Some(path) => path.clone(),
        None => global.index.join("themis-taxonomy.added.toml"),
    };
    if let Some(parent) = written.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&written, &text)
        .with_context(|| format!("cannot write {}", written.display()))?;
    // The index takes the new taxonomy as if given with --themes: it records it and re-tags.
    let mut with_theme = global.clone();
    with_theme.themes = Some(written.clone());
    let tagger = super::load_index_tagger(&with_theme)?;
    let index = super::open_index(&with_theme, &tagger)?;
    if args.out.is_none() {
        let _ = std::fs::remove_file(&written);
    }
    let table = CountTable::load(&index, &tagger)?;
    let totals = table.theme_totals(PolarityFilter::All);
    let counts = totals.get(&args.id).cloned().unwrap_or_default();
    let taxonomy = match &args.out {
        Some(path) => path.display().to_string(),
        None => global
            .index
            .join("themis-taxonomy.toml")
            .display()
            .to_string(),
    };
    let mut out = output::stdout();
    if args.json {
        serde_json::to_writer_pretty(
            &mut out,
            &Added {
                theme: &args.id,
                label: &args.label,
                rules,
                from: &from,
                taxonomy,
                sentences: counts.sentences,
                reports: counts.reports,
            },
        )?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "Added `{}` ({}) to the taxonomy of {} (from {from}); the index uses it from now on.",
            args.id,
            args.label,
            global.index.display()
        )?;
        if args.out.is_some() {
            writeln!(out, "The taxonomy is also in {taxonomy}.")?;
        }
        writeln!(
            out,
            "{} in {} now carry it (by its rules: the model does not know it).",
            output::count(counts.sentences, "sentence"),
            output::count(counts.reports, "report")
        )?;
    }
    output::finish(out)?;
    Ok(Exit::Success)
}

//! `themis rule test`: what a rule would tag, previewed over the indexed sentences.

use std::io::Write;

use themis::rule_preview::{preview, PreviewRequest, RulePreview};
use themis::themes::rules::Rule;

use crate::cli::{GlobalArgs, RuleArgs, RuleCommand};
use crate::output::{self, Style};
use crate::Exit;

pub fn run(global: &GlobalArgs, args: &RuleArgs) -> anyhow::Result<Exit> {
    let RuleCommand::Test(args) = &args.command;
    let rule = Rule::parse(&args.rule)
        .map_err(|e| anyhow::anyhow!("the rule \"{}\" cannot be read: {e}", args.rule))?;
    let tagger = super::load_index_tagger(global)?;
    let request = PreviewRequest {
        reports: super::report_filter(&args.reports)?,
        sample: args.sample,
    };
    let index = super::open_index(global, &tagger)?;
    let found = preview(&index, &tagger, &args.rule, &rule, &request)?;
    let mut out = output::stdout();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &found)?;
        writeln!(out)?;
    } else {
        let style = Style {
            color: output::use_color(global.color),
        };
        render(&mut out, &found, style)?;
    }
    output::finish(out)?;
    Ok(if found.matched_sentences == 0 {
        Exit::NoMatch
    } else {
        Exit::Success
    })
}

fn render(out: &mut impl Write, p: &RulePreview, style: Style) -> std::io::Result<()> {
    let head = format!(
        "Rule \"{}\" matches {} in {} (of {} in {}).",
        p.rule,
        output::count(p.matched_sentences, "sentence"),
        output::count(p.matched_reports, "report"),
        output::count(p.sentences, "sentence"),
        output::count(p.reports, "report"),
    );
    writeln!(out, "{}", style.bold(&head))?;
    if p.matched_sentences == 0 {
        return Ok(());
    }
    let themes: Vec<String> = p.overlap.iter().map(|(t, n)| format!("{t} {n}")).collect();
    if themes.is_empty() {
        writeln!(out, "None of them carries a theme now.")?;
    } else {
        writeln!(
            out,
            "Themes they carry now: {}; {} without a theme.",
            themes.join(", "),
            p.untagged
        )?;
    }
    if !p.sample.is_empty() {
        writeln!(out)?;
    }
    for m in &p.sample {
        let year = m.year.map_or("----".to_string(), |y| y.to_string());
        let themes = if m.themes.is_empty() {
            "no theme".to_string()
        } else {
            m.themes.join(", ")
        };
        writeln!(
            out,
            "  {year} {}: “{}” [{themes}]",
            m.report,
            output::sanitize(&m.text)
        )?;
    }
    Ok(())
}

//! The hybrid tagger end to end, through the real binary: `themis eval` scores as
//! `eval_tags.py` does, `themis train` is deterministic and learns a user's theme from ten
//! sentences, `themis tag --explain` says why each theme was given.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Run, Workspace};
use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn themis(args: &[&str], cwd: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_themis"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("TERM")
        .output()
        .expect("run themis");
    Run::from(out)
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// `themis tag --json` over the texts of a labels folder, scored by `eval_tags.py`, against
/// `themis eval` on the same folder.
fn compare_with_eval_tags(labels: &Path, texts: &[PathBuf]) {
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(labels).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".labels.jsonl") {
            let text = std::iter::once(labels.to_path_buf())
                .chain(texts.iter().cloned())
                .map(|d| d.join(format!("{stem}.txt")))
                .find(|p| p.is_file())
                .unwrap_or_else(|| panic!("no text for {stem}"));
            files.push(text);
        }
    }
    files.sort();
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["tag", "--json"];
    args.extend(files.iter().map(|p| path_str(p)));
    let tags = themis(&args, repo()).expect_code(0);
    let tags_file = dir.path().join("tags.jsonl");
    std::fs::write(&tags_file, &tags.stdout).unwrap();
    let python = Command::new("python3")
        .arg(repo().join("tests/data/eval_tags.py"))
        .arg(labels)
        .arg(&tags_file)
        .arg("--json")
        .output()
        .expect("python3 runs eval_tags.py");
    assert!(python.status.success(), "{python:?}");
    let expected: Value = serde_json::from_slice(&python.stdout).unwrap();

    let mut args = vec!["eval", path_str(labels), "--json"];
    for t in texts {
        args.extend(["--texts", path_str(t)]);
    }
    let ours: Value = themis(&args, repo()).expect_code(0).json();
    for key in [
        "micro_p",
        "micro_r",
        "micro_f1",
        "macro_f1",
        "polarity_acc",
        "units",
    ] {
        assert_eq!(
            ours[key], expected[key],
            "{key}: themis eval {ours} vs eval_tags.py {expected}"
        );
    }
}

#[test]
fn test_eval_equals_eval_tags_on_dev_set_1() {
    compare_with_eval_tags(&repo().join("data/labels/dev1"), &[repo().join("corpus")]);
}

#[test]
fn test_eval_equals_eval_tags_on_dev_set_2_training_pages() {
    compare_with_eval_tags(&repo().join("data/labels/b2"), &[]);
}

#[test]
fn test_eval_with_the_rules_alone_scores_lower_recall_than_the_hybrid() {
    // The model adds what the rules miss: on the training corpus it must find more.
    let dev2 = repo().join("data/labels/b2");
    let hybrid: Value = themis(&["eval", path_str(&dev2), "--json"], repo())
        .expect_code(0)
        .json();
    let rules: Value = themis(
        &["eval", path_str(&dev2), "--json", "--model", "none"],
        repo(),
    )
    .expect_code(0)
    .json();
    assert!(
        hybrid["micro_r"].as_f64() > rules["micro_r"].as_f64(),
        "hybrid {hybrid} rules {rules}"
    );
}

#[test]
fn test_eval_reports_a_bad_labels_line_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Caseloads were high.\n").unwrap();
    std::fs::write(
        dir.path().join("a.labels.jsonl"),
        "{\"start\":0,\"end\":20,\"text\":\"Caseloads were high.\",\"themes\":[],\"polarity\":\"neutral\"}\n{not json\n",
    )
    .unwrap();
    let run = themis(&["eval", path_str(dir.path())], repo()).expect_code(2);
    assert!(
        run.stderr.contains("a.labels.jsonl: line 2"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(dir.path().join("a.txt")).unwrap();
    std::fs::write(
        dir.path().join("a.labels.jsonl"),
        "{\"start\":0,\"end\":20,\"text\":\"Caseloads were high.\",\"themes\":[],\"polarity\":\"neutral\"}\n",
    )
    .unwrap();
    let run = themis(&["eval", path_str(dir.path())], repo()).expect_code(2);
    assert!(run.stderr.contains("no text for a"), "{}", run.stderr);
}

#[test]
fn test_cross_validation_scores_every_document_once() {
    let dev1 = repo().join("data/labels/dev1");
    let corpus = repo().join("corpus");
    let run = themis(
        &[
            "eval",
            path_str(&dev1),
            "--texts",
            path_str(&corpus),
            "--cv",
            "5",
            "--epochs",
            "30",
            "--json",
        ],
        repo(),
    )
    .expect_code(0);
    let v: Value = run.json();
    assert_eq!(v["units"], 891);
    assert_eq!(v["documents"], 5);
    assert_eq!(v["cv_folds"], 5);
    let f1 = v["micro_f1"].as_f64().unwrap();
    assert!(f1 > 0.3 && f1 < 1.0, "{v}");
    // --cv needs at least two folds.
    themis(&["eval", path_str(&dev1), "--cv", "1"], repo()).expect_code(2);
}

#[test]
fn test_training_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let dev1 = repo().join("data/labels/dev1");
    let mut outputs = Vec::new();
    for name in ["a.model", "b.model"] {
        let out = dir.path().join(name);
        themis(
            &[
                "train",
                path_str(&dev1),
                "--texts",
                path_str(&repo().join("corpus")),
                "--epochs",
                "40",
                "--out",
                path_str(&out),
            ],
            repo(),
        )
        .expect_code(0);
        outputs.push(std::fs::read(&out).unwrap());
    }
    assert!(outputs[0].starts_with(b"themis-model 1\n"));
    assert_eq!(outputs[0], outputs[1], "two runs gave different models");
    // Labelled documents are read in order, so their sentences get page features.
    let text = String::from_utf8_lossy(&outputs[0]);
    assert!(
        text.contains("\nf d:"),
        "no page features in a model trained on documents"
    );
}

const DIGITAL_EXCLUSION: [&str; 10] = [
    "People on probation could not join video appointments because they had no internet access.",
    "Many people lacked a smartphone, so they could not receive text reminders.",
    "Digital exclusion meant some people could not use online services.",
    "Several people had no data on their phone and missed remote contacts.",
    "The service lent laptops to people who had no device of their own.",
    "Without internet access, people could not apply for jobs online.",
    "Practitioners helped people set up email accounts and use the internet.",
    "Older people on probation often lacked the digital skills to book appointments online.",
    "Free phone credit and data were provided so people could stay in touch.",
    "Poor broadband in rural areas made online appointments unreliable.",
];

#[test]
fn test_a_user_theme_is_learned_from_ten_sentences() {
    let ws = Workspace::empty();
    let dir = ws.dir.path();
    // The built-in taxonomy plus a theme whose only rule never fires: what it learns, it
    // learns from the ten sentences.
    let mut taxonomy = std::fs::read_to_string(repo().join("themes.toml")).unwrap();
    taxonomy.push_str(
        "\n[[theme]]\nid = \"digital-exclusion\"\nlabel = \"Digital exclusion\"\ncategory = \"services\"\ndescription = \"Access to phones, the internet and digital skills.\"\nmatch = [\"zzzneverappears\"]\n",
    );
    std::fs::write(dir.join("my-themes.toml"), taxonomy).unwrap();
    let labels: String = DIGITAL_EXCLUSION
        .iter()
        .map(|s| {
            serde_json::json!({"text": s, "themes": ["digital-exclusion"], "polarity": "concern"})
                .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(dir.join("digital.labels.jsonl"), labels).unwrap();
    let model = dir.join("my.model");
    let train = themis(
        &[
            "train",
            path_str(&repo().join("data/labels/dev1")),
            "digital.labels.jsonl",
            "--texts",
            path_str(&repo().join("corpus")),
            "--themes",
            "my-themes.toml",
            "--out",
            path_str(&model),
            "--json",
        ],
        dir,
    )
    .expect_code(0);
    let summary: Value = train.json();
    assert_eq!(summary["themes"]["digital-exclusion"], 10, "{summary}");

    let sentence = "Some people on probation had no internet access and no smartphone, so online appointments were missed.";
    std::fs::write(dir.join("new.txt"), format!("{sentence}\n")).unwrap();
    let args = [
        "tag",
        "--json",
        "--explain",
        "--themes",
        "my-themes.toml",
        "--model",
        path_str(&model),
        "new.txt",
    ];
    let run = themis(&args, dir).expect_code(0);
    let record: Value = serde_json::from_str(run.stdout.lines().last().unwrap()).unwrap();
    let themes: Vec<&str> = record["themes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(themes.contains(&"digital-exclusion"), "{record}");
    let why = record["explain"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["theme"] == "digital-exclusion")
        .expect("an explanation for the learned theme");
    assert!(why.get("rule").is_none(), "no rule fired: {why}");
    let terms: Vec<&str> = why["terms"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["feature"].as_str())
        .collect();
    assert!(
        terms
            .iter()
            .any(|t| t.contains("internet") || t.contains("onlin")),
        "the explanation names the words that weighed: {terms:?}"
    );
    // The same taxonomy with the built-in model does not know the new theme, and says so.
    let run = themis(&["tag", "--themes", "my-themes.toml", "new.txt"], dir).expect_code(0);
    assert!(
        run.stderr.contains("does not cover") && run.stderr.contains("digital-exclusion"),
        "{}",
        run.stderr
    );
}

#[test]
fn test_explain_names_the_rule_that_fired() {
    let ws = Workspace::empty();
    let run = ws
        .run_with_stdin(
            &["tag", "--json", "--explain", "-"],
            b"Long vetting delays made it difficult to fill vacancies.\n",
        )
        .expect_code(0);
    let record: Value = serde_json::from_str(run.stdout.lines().last().unwrap()).unwrap();
    let why = record["explain"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["theme"] == "vetting-recruitment")
        .unwrap_or_else(|| panic!("vetting-recruitment explained: {record}"));
    assert!(
        why["rule"].as_str().is_some_and(|r| r.contains("vetting")),
        "{why}"
    );
    assert!(why["probability"].as_f64().unwrap() >= 0.3, "{why}");
    // Text output puts the reason under the sentence.
    let run = ws
        .run_with_stdin(
            &["tag", "--explain", "-"],
            b"Long vetting delays made it difficult to fill vacancies.\n",
        )
        .expect_code(0);
    assert!(
        run.stdout.contains("vetting-recruitment: rule \""),
        "{}",
        run.stdout
    );
}

#[test]
fn test_a_bad_model_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.model"),
        "themis-model 1\nthemes a\nbias 0\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("x.txt"), "Caseloads were high.\n").unwrap();
    let run = themis(&["tag", "--model", "bad.model", "x.txt"], dir.path()).expect_code(2);
    assert!(
        run.stderr.contains("bad.model") && run.stderr.contains("line 3"),
        "{}",
        run.stderr
    );
}

#[test]
fn test_the_shipped_model_is_what_training_on_data_labels_gives() {
    // The embedded model must be reproducible from the repository: change the labels or the
    // rules, and this says to retrain.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("retrained.model");
    themis(
        &[
            "train",
            "data/labels",
            "--out",
            path_str(&out),
            "--corpus",
            "corpus",
        ],
        repo(),
    )
    .expect_code(0);
    let shipped = std::fs::read(repo().join("data/model/themis.model")).unwrap();
    assert!(
        std::fs::read(&out).unwrap() == shipped,
        "data/model/themis.model is not what `themis train data/labels` gives now: run \
         `cargo run --release -- train data/labels --out data/model/themis.model` and rebuild"
    );
}

#[test]
fn test_an_index_keeps_the_taxonomy_and_model_it_was_built_with() {
    let ws = Workspace::with_corpus();
    let mut taxonomy = std::fs::read_to_string(repo().join("themes.toml")).unwrap();
    taxonomy.push_str(
        "\n[[theme]]\nid = \"court-delays\"\nlabel = \"Court delays\"\ncategory = \"services\"\ndescription = \"Delays in the courts.\"\nmatch = [\"court NEAR/4 (delay|delays|backlog|backlogs)\"]\n",
    );
    let custom = ws.dir.path().join("my-themes.toml");
    std::fs::write(&custom, taxonomy).unwrap();
    let theme_ids = |run: &Run| -> Vec<String> {
        let v: Value = run.json();
        v["themes"]
            .as_array()
            .unwrap_or_else(|| panic!("themes list: {v}"))
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect()
    };
    ws.run(&["index", "--themes", path_str(&custom), "--model", "none"])
        .expect_code(0);
    // A plain command uses what the index was built with: no re-tagging, the custom theme.
    let run = ws.run(&["themes", "--json"]).expect_code(0);
    assert!(
        !run.stderr.contains("indexing"),
        "re-indexed: {}",
        run.stderr
    );
    assert!(theme_ids(&run).contains(&"court-delays".to_string()));
    // The file the user gave may go away: the index has its own copy.
    std::fs::remove_file(&custom).unwrap();
    let run = ws.run(&["findings", "--json"]).expect_code(0);
    assert!(
        !run.stderr.contains("indexing"),
        "re-indexed: {}",
        run.stderr
    );
    // Only an explicit option changes it, and says so.
    let run = ws.run(&[
        "themes", "--json", "--themes", "default", "--model", "default",
    ]);
    let run = run.expect_code(0);
    assert!(
        run.stderr.contains("the taxonomy changed"),
        "{}",
        run.stderr
    );
    assert!(!theme_ids(&run).contains(&"court-delays".to_string()));
    let run = ws.run(&["themes", "--json"]).expect_code(0);
    assert!(
        !run.stderr.contains("indexing"),
        "re-indexed: {}",
        run.stderr
    );
    assert_eq!(theme_ids(&run).len(), 29);
}

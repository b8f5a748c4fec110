//! `themis serve` over HTTP: the API answers exactly what the commands' `--json` prints, report
//! text never reaches a page as markup, bad parameters are 400s with a message, 50 requests at
//! once all succeed, the index is never written while serving and a re-index is picked up,
//! and Ctrl-C stops the server cleanly. The browser flow is in `serve_browser.rs`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use common::serve::Server;
use common::Workspace;

fn indexed() -> Workspace {
    let ws = Workspace::with_corpus();
    ws.run(&["index", "--quiet"]).expect_code(0);
    ws
}

#[test]
fn test_api_answers_what_the_commands_print_with_json() {
    let ws = indexed();
    let server = Server::start(&ws);
    let cases: [(&[&str], &str); 9] = [
        (
            &["search", "vetting delays", "--json"],
            "/api/search?q=vetting+delays",
        ),
        (
            &[
                "search",
                "police",
                "--region",
                "south west",
                "--per-report",
                "2",
                "--json",
            ],
            "/api/search?q=police&region=south+west&per_report=2",
        ),
        (&["themes", "--json"], "/api/themes"),
        (
            &[
                "themes",
                "show",
                "vetting-recruitment",
                "--region",
                "South West",
                "--json",
            ],
            "/api/themes/vetting-recruitment?region=South+West",
        ),
        (&["findings", "--json"], "/api/findings"),
        (
            &["findings", "--across-regions", "--json"],
            "/api/findings?across_regions=true",
        ),
        (&["report", "--json"], "/api/report"),
        (
            &["report", "--by", "year", "--metric", "per10k", "--json"],
            "/api/report?by=year&metric=per10k",
        ),
        (
            &[
                "trends",
                "--theme",
                "vetting-recruitment",
                "--by-region",
                "--json",
            ],
            "/api/trends?theme=vetting-recruitment&by_region=1",
        ),
    ];
    for (args, path) in cases {
        let cli = ws.run(args).expect_code(0).stdout;
        let api = server.get(path);
        assert_eq!(api.status, 200, "{path}: {}", api.body);
        assert_eq!(api.header("content-type"), Some("application/json"));
        assert_eq!(
            api.body,
            cli,
            "{path} differs from `themis {}`",
            args.join(" ")
        );
    }
}

#[test]
fn test_report_api_has_tagged_sentences_pages_and_structured_parts() {
    let ws = indexed();
    let server = Server::start(&ws);
    let response = server.get("/api/reports/sw-dipp-2026");
    assert_eq!(response.status, 200, "{}", response.body);
    let view: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(view["region"], "South West");
    assert_eq!(view["text_from_index"], false);
    let sentences: Vec<&serde_json::Value> = view["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["sentences"].as_array().unwrap())
        .collect();
    let tagged = sentences
        .iter()
        .filter(|s| s["polarity"].is_string())
        .count();
    // Every tagged sentence the index holds is marked in the text read from the corpus.
    assert_eq!(tagged as u64, view["tagged_sentences"].as_u64().unwrap());
    assert!(sentences.iter().any(|s| {
        s["text"]
            .as_str()
            .unwrap()
            .contains("vetting processes taking too long")
            && s["themes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "vetting-recruitment")
    }));
    assert_eq!(view["scores"]["reports"][0]["assessment"], 45.0);
    assert_eq!(
        view["recommendations"]["recommendations"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    assert!(!view["facts"]["reports"][0]["facts"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(server.get("/api/reports/no-such-report").status, 404);
}

/// The stored text of a hostile report must reach every page as text.
#[test]
fn test_report_text_is_escaped_on_every_page() {
    let ws = Workspace::with_corpus();
    ws.write(
        "hostile.txt",
        "Hostile <script>alert('title')</script> report\n\n\
         Vetting delays were severe <script>alert(\"x\")</script> across the region, and recruitment took months.\n\n\
         Staff said \"><img src=x onerror=alert(1)> that vetting took too long and vacancies stayed unfilled.\n",
    );
    ws.run(&["index", "--quiet"]).expect_code(0);
    let server = Server::start(&ws);
    let found: serde_json::Value =
        serde_json::from_str(&server.get("/api/search?q=onerror").body).unwrap();
    let id = found["reports"][0]["report"]
        .as_str()
        .expect("the hostile report is found")
        .to_string();
    let pages = [
        "/search?q=vetting".to_string(),
        "/search?q=onerror".to_string(),
        "/search?q=script+OR+img".to_string(),
        format!("/reports/{id}"),
        format!("/reports/{id}?theme=vetting-recruitment"),
        "/themes".to_string(),
        "/themes?by=year&polarity=all".to_string(),
        "/themes/vetting-recruitment".to_string(),
        // Parameters echoed in error messages are escaped too.
        "/search?q=%3Cscript%3E&region=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E".to_string(),
        "/reports/%3Cscript%3Ealert(1)%3C%2Fscript%3E".to_string(),
    ];
    let mut saw_escaped = false;
    for path in &pages {
        let page = server.get(path);
        assert!(
            page.status == 200 || page.status == 400 || page.status == 404,
            "{path}: {}",
            page.status
        );
        assert_eq!(
            page.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert!(page
            .header("content-security-policy")
            .is_some_and(|csp| csp.contains("default-src 'none'")));
        let lower = page.body.to_lowercase();
        assert!(!lower.contains("<script"), "{path}: live <script>");
        assert!(!lower.contains("<img"), "{path}: live <img>");
        saw_escaped |=
            page.body.contains("&lt;script&gt;") && page.body.contains("&quot;&gt;&lt;img");
    }
    assert!(saw_escaped, "the hostile text is shown, escaped");
}

#[test]
fn test_bad_parameters_are_400_with_a_message_and_the_server_goes_on() {
    let ws = indexed();
    let server = Server::start(&ws);
    let cases = [
        (
            "/search?q=vetting&region=Atlantis",
            "unknown region `Atlantis`",
        ),
        (
            "/search?q=vetting&year=twenty",
            "`year` must be a whole number",
        ),
        (
            "/search?q=vetting&page=0",
            "`page` must be a whole number of at least 1",
        ),
        ("/search?q=%22vetting", "bad query"),
        ("/search?q=vetting&type=memo", "unknown report type `memo`"),
        ("/search?q=vetting&theme=nope", "unknown theme `nope`"),
        (
            "/search?q=vetting&polarity=angry",
            "unknown polarity `angry`",
        ),
        ("/search?q=vetting&colour=red", "unknown parameter `colour`"),
        (
            "/search?q=vetting&page=99999999999999999999999",
            "`page` must be a whole number",
        ),
        ("/themes?by=galaxy", "`by` must be region or year"),
        ("/reports/sw-dipp-2026?mark=9-1", "`mark` must be START-END"),
        (
            "/api/search?q=vetting&limit=0",
            "`limit` must be a whole number of at least 1",
        ),
        ("/api/report?metric=bananas", "unknown metric"),
        (
            "/api/findings?min_share=3",
            "`min_share` must be a number from 0 to 1",
        ),
        (
            "/api/trends?window=1",
            "`window` must be a whole number of at least 2",
        ),
    ];
    for (path, message) in cases {
        let response = server.get(path);
        assert_eq!(response.status, 400, "{path}: {}", response.body);
        assert!(
            response.body.contains(message)
                || response.body.contains(&message.replace('`', "&#39;")),
            "{path}: {}",
            response.body
        );
        if path.starts_with("/api/") {
            let error: serde_json::Value = serde_json::from_str(&response.body).unwrap();
            assert!(error["error"].as_str().unwrap().contains(message), "{path}");
        }
    }
    assert_eq!(server.get("/reports/no-such-report").status, 404);
    assert_eq!(server.get("/themes/no-such-theme").status, 404);
    assert_eq!(server.get("/api/themes/no-such-theme").status, 404);
    assert_eq!(server.get("/no/such/page").status, 404);
    assert_eq!(server.get("/search?q=vetting").status, 200, "still serving");
}

#[test]
fn test_fifty_requests_at_once_all_succeed() {
    let ws = indexed();
    let server = Server::start(&ws);
    let paths = [
        "/search?q=vetting",
        "/search?q=%22information+sharing%22+AND+police&region=South+West",
        "/search?q=&theme=workload&page=2",
        "/themes",
        "/themes/vetting-recruitment?region=Greater+Manchester",
        "/reports/gm-dipp-2026",
        "/api/search?q=caseload+OR+workload",
        "/api/findings?across_regions=1",
        "/api/trends",
        "/api/reports/sw-dipp-2026",
    ];
    let barrier = std::sync::Barrier::new(50);
    let statuses: Vec<(String, u16)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..50)
            .map(|i| {
                let path = paths[i % paths.len()];
                let (barrier, address) = (&barrier, &server.address);
                scope.spawn(move || {
                    barrier.wait();
                    (path.to_string(), common::serve::get(address, path).status)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let failed: Vec<&(String, u16)> = statuses.iter().filter(|(_, s)| *s != 200).collect();
    assert!(failed.is_empty(), "{failed:?}");
    assert_eq!(statuses.len(), 50);
}

/// Name, size and modification time of every file in the folder.
fn snapshot(dir: &Path) -> BTreeMap<String, (u64, std::time::SystemTime)> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                (meta.len(), meta.modified().unwrap()),
            )
        })
        .collect()
}

#[test]
fn test_serving_never_writes_the_index_and_picks_up_a_reindex() {
    let ws = indexed();
    // A stale verification record: opening the index normally would rewrite it.
    std::fs::remove_file(ws.index().join("themis-verified.json")).ok();
    let before = snapshot(&ws.index());
    let server = Server::start(&ws);
    for path in [
        "/search?q=vetting",
        "/themes",
        "/reports/sw-dipp-2026",
        "/api/findings",
    ] {
        let page = server.get(path);
        assert_eq!(page.status, 200, "{path}");
        assert!(
            !page.body.contains("out of date"),
            "{path}: no banner while fresh"
        );
    }
    ws.write(
        "zz-new.txt",
        "A new report\n\nInspectors found zephyrine caseloads and vetting delays across the region.\n",
    );
    let stale = server.get("/search?q=zephyrine");
    assert_eq!(stale.status, 200);
    assert!(stale.body.contains("No passages match"), "not indexed yet");
    assert!(
        stale
            .body
            .contains("The index is out of date: 1 corpus file changed"),
        "{}",
        stale.body
    );
    assert!(stale.body.contains("themis index"));
    assert_eq!(
        snapshot(&ws.index()),
        before,
        "the server wrote into the index folder"
    );

    ws.run(&["index", "--quiet"]).expect_code(0);
    let fresh = server.get("/search?q=zephyrine");
    assert!(
        fresh.body.contains("1 passage in 1 report match"),
        "{}",
        fresh.body
    );
    assert!(!fresh.body.contains("out of date"));
}

#[test]
fn test_ctrl_c_stops_the_server_cleanly() {
    let ws = indexed();
    let mut server = Server::start_with(&ws, &[]);
    assert_eq!(server.get("/search?q=vetting").status, 200);
    let pid = server.child.id().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "still running after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
    let mut stderr = String::new();
    std::io::Read::read_to_string(server.child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("themis: stopped"), "{stderr}");
}

#[test]
fn test_serve_without_an_index_says_to_build_it() {
    let ws = Workspace::with_corpus();
    let run = ws.run(&["serve", "--port", "0"]).expect_code(2);
    assert!(run.stderr.contains("no index at"), "{}", run.stderr);
    assert!(
        run.stderr.contains("run `themis index` first"),
        "{}",
        run.stderr
    );
    assert!(
        !ws.index().join("meta.json").exists(),
        "serve never builds the index"
    );
    let run = ws
        .run(&["serve", "--port", "0", "--themes", "default"])
        .expect_code(2);
    assert!(
        run.stderr.contains("themis index --themes"),
        "{}",
        run.stderr
    );
}

fn api(server: &Server, path: &str) -> serde_json::Value {
    let response = server.get(path);
    assert_eq!(response.status, 200, "{path}: {}", response.body);
    serde_json::from_str(&response.body).unwrap()
}

fn report_ids(results: &serde_json::Value) -> Vec<String> {
    results["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["report"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn test_facets_count_what_the_filters_then_find() {
    let ws = indexed();
    let server = Server::start(&ws);
    let facets = api(&server, "/api/facets?q=vetting");
    let all = api(&server, "/api/search?q=vetting");
    let total = all["total_hits"].as_u64().unwrap();
    for facet in ["regions", "types"] {
        let sum: u64 = facets[facet]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["passages"].as_u64().unwrap())
            .sum();
        assert_eq!(sum, total, "{facet}: every passage has one value");
    }
    // Each value's count is what narrowing to it finds.
    let checks = [
        ("regions", "region"),
        ("years", "year"),
        ("types", "type"),
        ("themes", "theme"),
        ("polarities", "polarity"),
    ];
    for (facet, parameter) in checks {
        let counts = facets[facet].as_array().unwrap();
        assert!(!counts.is_empty(), "{facet}");
        for count in counts {
            let value = count["value"].as_str().unwrap().replace(' ', "+");
            let narrowed = api(
                &server,
                &format!("/api/search?q=vetting&{parameter}={value}"),
            );
            assert_eq!(
                narrowed["total_hits"], count["passages"],
                "{parameter}={value}"
            );
        }
    }
    // A theme with a polarity: passages with a sentence of that theme and polarity.
    let concern = api(
        &server,
        "/api/search?q=&theme=vetting-recruitment&polarity=concern&all=1",
    );
    let strength = api(
        &server,
        "/api/search?q=&theme=vetting-recruitment&polarity=strength&all=1",
    );
    let any = api(&server, "/api/search?q=&theme=vetting-recruitment&all=1");
    let n = |v: &serde_json::Value| v["total_hits"].as_u64().unwrap();
    assert!(n(&concern) > 0 && n(&strength) > 0);
    assert!(n(&concern) < n(&any) && n(&strength) < n(&any));
}

#[test]
fn test_pages_go_through_every_matching_report() {
    let ws = indexed();
    let server = Server::start(&ws);
    let every = api(&server, "/api/search?q=&all=1");
    let expected = report_ids(&every);
    assert_eq!(expected.len(), 5);
    let mut paged = Vec::new();
    for offset in [0, 2, 4, 6] {
        paged.extend(report_ids(&api(
            &server,
            &format!("/api/search?q=&limit=2&offset={offset}"),
        )));
    }
    assert_eq!(paged, expected, "pages, in order, are the whole ranking");
    let past = server.get("/search?q=&page=2");
    assert_eq!(past.status, 200);
    assert!(past.body.contains("page 2 is past the last report"));
}

#[test]
fn test_the_search_page_pages_ten_reports_at_a_time() {
    let ws = Workspace::with_corpus();
    for n in 1..=12 {
        ws.write(
            &format!("extra-{n:02}.txt"),
            format!(
                "Extra report {n}\n\nInspectors found vetting delays of {n} months in this area.\n"
            ),
        );
    }
    ws.run(&["index", "--quiet"]).expect_code(0);
    let server = Server::start(&ws);
    let ranking = report_ids(&api(&server, "/api/search?q=vetting&all=1"));
    assert_eq!(ranking.len(), 15);
    let first = server.get("/search?q=vetting");
    assert!(
        first
            .body
            .contains("in 15 reports match; showing reports 1–10."),
        "{}",
        first.body
    );
    assert!(first
        .body
        .contains("href=\"/search?q=vetting&amp;page=2\" rel=\"next\""));
    let second = server.get("/search?q=vetting&page=2");
    assert!(
        second.body.contains("showing reports 11–15."),
        "{}",
        second.body
    );
    assert!(second.body.contains("rel=\"prev\""));
    assert!(!second.body.contains("rel=\"next\""));
    // Each report of the ranking is on one page, in order.
    let shown = |body: &str| -> Vec<String> {
        body.match_indices("<p class=\"meta\">")
            .filter_map(|(at, _)| body[at..].split(" · ").nth(3).map(String::from))
            .collect()
    };
    let mut paged = shown(&first.body);
    paged.extend(shown(&second.body));
    assert_eq!(paged, ranking);
}

#[test]
fn test_a_pdf_report_shows_its_pages() {
    let ws = Workspace::empty();
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/formats/letter.pdf");
    std::fs::copy(pdf, ws.corpus().join("letter.pdf")).unwrap();
    ws.run(&["index", "--quiet"]).expect_code(0);
    let server = Server::start(&ws);
    let found = api(&server, "/api/search?q=&limit=1");
    let id = found["reports"][0]["report"].as_str().unwrap().to_string();
    let view = api(&server, &format!("/api/reports/{id}"));
    assert_eq!(view["offsets"], "extracted");
    let pages = view["pages"].as_u64().unwrap();
    assert_eq!(pages, 5, "the fixture has 5 pages");
    let blocks = view["blocks"].as_array().unwrap();
    let seen: std::collections::BTreeSet<u64> =
        blocks.iter().filter_map(|b| b["page"].as_u64()).collect();
    assert_eq!(seen, (1..=pages).collect(), "every page has text");
    let page = server.get(&format!("/reports/{id}"));
    for n in 1..=pages {
        assert!(
            page.body.contains(&format!("id=\"page-{n}\">p. {n}</div>")),
            "page {n}"
        );
    }
    assert!(page.body.contains("5 pages"));
}

/// Every number of the themes page links to exactly that many sentences.
#[test]
fn test_every_count_on_the_themes_page_links_to_that_many_sentences() {
    let ws = indexed();
    let server = Server::start(&ws);
    // A count, or a trend's share per 10,000 whose title gives the year's count.
    let link = regex::Regex::new(
        r#"<a href="(/themes/[^"]+)"(?: title="(?:\d{4}: (\d+) sentences?|[^"]*)")?>([\d.]+)</a>"#,
    )
    .unwrap();
    let sentences = regex::Regex::new(r"· (\d+) sentences \((\w+)\) in (\d+) report").unwrap();
    let reports = regex::Regex::new(r#"<a href="(/themes/[^"]+)">(\d+) reports?</a>"#).unwrap();
    for overview in [
        "/themes",
        "/themes?by=year&polarity=all",
        "/themes?polarity=strength",
    ] {
        let page = server.get(overview);
        assert_eq!(page.status, 200);
        let mut checked = 0;
        for found in link.captures_iter(&page.body) {
            let href = found[1].replace("&amp;", "&");
            let expected: u64 = found
                .get(2)
                .map_or(&found[3], |c| c.as_str())
                .parse()
                .unwrap();
            let target = server.get(&format!("{href}&max_reports=0"));
            assert_eq!(target.status, 200, "{href}");
            let shown = sentences
                .captures(&target.body)
                .unwrap_or_else(|| panic!("{href}: no sentence count"));
            assert_eq!(
                shown[1].parse::<u64>().unwrap(),
                expected,
                "{overview}: {href}"
            );
            assert_eq!(
                target.body.matches("<div class=\"excerpt\">").count() as u64,
                expected,
                "{href}: the sentences listed"
            );
            checked += 1;
        }
        for found in reports.captures_iter(&page.body) {
            let href = found[1].replace("&amp;", "&");
            let target = server.get(&format!("{href}&max_reports=0"));
            let shown = sentences.captures(&target.body).unwrap();
            assert_eq!(&shown[3], &found[2], "{overview}: {href}: reports");
            checked += 1;
        }
        assert!(checked > 50, "{overview}: {checked} numbers checked");
    }
}

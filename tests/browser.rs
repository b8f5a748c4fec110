//! What users see, as they see it: the analyst's HTML report (`themis report --format html`)
//! on the shipped corpus, opened from its file in headless Chromium over WebDriver. The page's
//! visible text says what the header promises; no element of any SVG is drawn outside its
//! SVG's box (with the browser's real fonts, not the renderer's width estimates); every in-page
//! link leads to an element of the page; clicking a heatmap number shows its evidence, with
//! as many sentences as the number says. Screenshots go to `target/screenshots/`, and the
//! README's to `docs/` when they changed.

mod common;

use common::browser::{screenshot, wait_for, Driver, HEIGHT, WIDTH};
use common::Workspace;
use fantoccini::{Client, Locator};
use serde_json::Value;

/// 2026-01-01 00:00 UTC: the page's date, pinned.
const EPOCH: &str = "1767225600";

/// Every element drawn in an SVG whose box sticks out of its SVG's box by more than half a
/// pixel, described; and how many elements were measured.
const OVERFLOWS: &str = r#"
const out = []; let measured = 0;
for (const svg of document.querySelectorAll('svg')) {
  const box = svg.getBoundingClientRect();
  for (const el of svg.querySelectorAll('text, rect, circle, line, polyline')) {
    const r = el.getBoundingClientRect();
    measured++;
    if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
      out.push(svg.getAttribute('class') + ': <' + el.tagName + '> ' + (el.textContent || '').slice(0, 40) +
        ' [' + [r.left, r.top, r.right, r.bottom].map(Math.round) + '] outside [' +
        [box.left, box.top, box.right, box.bottom].map(Math.round) + ']');
    }
  }
}
return {out, measured};
"#;

/// In-page links whose target is missing, and how many there are.
const DANGLING: &str = r##"
const links = [...document.querySelectorAll('a[href^="#"]')];
const missing = links.map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id));
const external = [...document.querySelectorAll('[href], [src]')]
  .map(e => e.getAttribute('href') || e.getAttribute('src')).filter(h => !h.startsWith('#'));
return {links: links.length, missing, external};
"##;

async fn run_js(browser: &Client, script: &str) -> Value {
    browser.execute(script, vec![]).await.expect("script runs")
}

async fn scroll_to(browser: &Client, css: &str) {
    let script = format!("document.querySelector('{css}').scrollIntoView({{block: 'start'}}); window.scrollBy(0, -8);");
    run_js(browser, &script).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_the_analyst_report_reads_and_links_in_chromium() {
    let ws = Workspace::with_corpus();
    let page = ws.dir.path().join("report.html");
    ws.run_with_env(
        &[
            "report",
            "--format",
            "html",
            "--out",
            page.to_str().unwrap(),
        ],
        &[("SOURCE_DATE_EPOCH", EPOCH)],
    )
    .expect_code(0);
    let driver = Driver::start();
    let browser = driver.browser().await;
    browser.set_window_size(WIDTH, HEIGHT).await.ok();
    browser
        .goto(&format!("file://{}", page.display()))
        .await
        .unwrap();
    wait_for(&browser, "svg.heatmap").await;

    // The header, as the reader sees it.
    let text = run_js(&browser, "return document.body.innerText;").await;
    let text = text.as_str().unwrap();
    for expected in [
        "Themes in 5 reports (2017–2026)",
        "5 reports with 852 sentences.",
        "Regions: Greater Manchester (4), South West (1).",
        "the built-in taxonomy, 29 themes, fingerprint",
        "2026-01-01 00:00 UTC by themis",
        "Concern: sentences by region",
        "Strength: sentences by region",
        "Management oversight and quality assurance",
        "Year by year",
        "Themes together",
        "Recurring findings",
    ] {
        assert!(text.contains(expected), "`{expected}` is not on the page");
    }
    screenshot(&browser, "report-top", true).await;

    // Nothing drawn outside its SVG, with the browser's own fonts.
    let overflow = run_js(&browser, OVERFLOWS).await;
    assert!(overflow["measured"].as_u64().unwrap() > 500, "{overflow}");
    assert_eq!(
        overflow["out"],
        serde_json::json!([]),
        "drawn outside the SVG"
    );

    // Every in-page link resolves, and nothing points outside the page.
    let links = run_js(&browser, DANGLING).await;
    assert!(links["links"].as_u64().unwrap() > 100, "{links}");
    assert_eq!(
        links["missing"],
        serde_json::json!([]),
        "links without a target"
    );
    assert_eq!(
        links["external"],
        serde_json::json!([]),
        "links out of the page"
    );

    scroll_to(&browser, "#trends").await;
    screenshot(&browser, "report-trends", true).await;
    scroll_to(&browser, "#together").await;
    screenshot(&browser, "report-together", false).await;
    scroll_to(&browser, "#findings").await;
    screenshot(&browser, "report-findings", false).await;

    // Click the largest concern number: its evidence shows, with that many sentences.
    let first = run_js(
        &browser,
        "const a = document.querySelector('svg.heatmap.concern a'); return [a.getAttribute('href'), a.querySelector('text').textContent];",
    )
    .await;
    let href = first[0].as_str().unwrap().to_string();
    let number: u64 = first[1].as_str().unwrap().parse().unwrap();
    browser
        .find(Locator::Css("svg.heatmap.concern a rect"))
        .await
        .expect("a linked concern cell")
        .click()
        .await
        .unwrap();
    let url = browser.current_url().await.unwrap();
    assert_eq!(url.fragment(), Some(&href[1..]));
    let section = wait_for(&browser, "section.evidence:target").await;
    let count = section
        .find(Locator::Css(".count"))
        .await
        .unwrap()
        .attr("data-sentences")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(count.parse::<u64>().unwrap(), number);
    let top = run_js(
        &browser,
        "return document.querySelector('section.evidence:target').getBoundingClientRect().top;",
    )
    .await;
    assert!(
        (-2.0..f64::from(HEIGHT) / 2.0).contains(&top.as_f64().unwrap()),
        "scrolled to the evidence: {top}"
    );
    screenshot(&browser, "report-evidence", true).await;
    browser.close().await.unwrap();
}

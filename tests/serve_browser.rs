//! `themis serve` in a real browser: headless Chromium driven over WebDriver (Debian's
//! `chromium` and `chromium-driver`; `.ci/run` installs them when missing, and without them
//! this test fails and says so). The flow of issue 18: search "vetting", click the South West
//! region facet, open the first report, and see its highlighted sentence tagged
//! vetting-recruitment; then the themes page. Screenshots go to `target/screenshots/`, and the
//! three pages' to `docs/` (the README shows them) when they changed.

mod common;

use common::browser::{screenshot, wait_for, Driver, HEIGHT, WIDTH};
use common::serve::Server;
use common::Workspace;
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_search_facet_report_flow_in_chromium() {
    let ws = Workspace::with_corpus();
    ws.run(&["index", "--quiet"]).expect_code(0);
    let server = Server::start(&ws);
    let driver = Driver::start();
    let browser = driver.browser().await;
    browser.set_window_size(WIDTH, HEIGHT).await.ok();

    // Search "vetting".
    browser.goto(&server.url("/search")).await.unwrap();
    let input = wait_for(&browser, "input[name=q]").await;
    input.send_keys("vetting").await.unwrap();
    browser
        .find(Locator::Css("form.search button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&browser, "article.result").await;
    let summary = browser.find(Locator::Css("p.summary")).await.unwrap();
    let summary = summary.text().await.unwrap();
    assert!(summary.contains("in 3 reports match"), "{summary}");

    // Click the South West region facet.
    let facet = browser
        .find(Locator::XPath(
            "//li[@data-facet='region']/a[normalize-space()='South West']",
        ))
        .await
        .expect("a South West region facet");
    facet.click().await.unwrap();
    wait_for(&browser, "a.chip.remove").await;
    let url = browser.current_url().await.unwrap();
    assert!(url.as_str().contains("region=South+West"), "{url}");
    let metas = browser
        .find_all(Locator::Css("article.result p.meta"))
        .await
        .unwrap();
    assert!(!metas.is_empty());
    for meta in &metas {
        let text = meta.text().await.unwrap();
        assert!(
            text.starts_with("South West"),
            "a result outside the region: {text}"
        );
    }
    let hits = browser
        .find_all(Locator::Css("article.result mark.hit"))
        .await
        .unwrap();
    assert!(!hits.is_empty(), "matched words are highlighted");
    screenshot(&browser, "serve-search", true).await;

    // Open the first report.
    browser
        .find(Locator::Css("article.result h3 a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let target = wait_for(&browser, ".target").await;
    let url = browser.current_url().await.unwrap();
    assert!(url.path().starts_with("/reports/sw-dipp-2026"), "{url}");
    // The excerpt's sentence is outlined, tagged vetting-recruitment, and scrolled into view.
    let marked = browser
        .find(Locator::Css(
            ".target.tagged[data-themes~='vetting-recruitment']",
        ))
        .await
        .expect("a highlighted sentence tagged vetting-recruitment");
    assert!(marked.is_displayed().await.unwrap());
    assert!(target
        .text()
        .await
        .unwrap()
        .to_lowercase()
        .contains("vetting"));
    let top = browser
        .execute(
            "return document.querySelector('.target.tagged').getBoundingClientRect().top;",
            vec![],
        )
        .await
        .unwrap();
    let top = top.as_f64().unwrap();
    assert!(
        (0.0..f64::from(HEIGHT)).contains(&top),
        "scrolled to it: top {top}"
    );
    let label = browser.find(Locator::Css(".legend")).await.unwrap();
    assert!(label.is_displayed().await.unwrap(), "the legend is visible");
    screenshot(&browser, "serve-report", true).await;

    // Filter the report's marks to one theme: other tagged sentences lose their marks.
    let before = browser
        .find_all(Locator::Css(".tagged"))
        .await
        .unwrap()
        .len();
    browser
        .find(Locator::XPath(
            "//div[@class='legend']//a[normalize-space()='Vetting and recruitment']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        &browser,
        "select[name=theme] option[selected][value='vetting-recruitment']",
    )
    .await;
    let marks = browser.find_all(Locator::Css(".tagged")).await.unwrap();
    assert!(
        !marks.is_empty() && marks.len() < before,
        "{} of {before}",
        marks.len()
    );
    for mark in &marks {
        let themes = mark.attr("data-themes").await.unwrap().unwrap_or_default();
        assert!(
            themes.split(' ').any(|t| t == "vetting-recruitment"),
            "{themes}"
        );
    }

    // Themes: the heatmap, trends, findings; a number leads to its sentences.
    browser.goto(&server.url("/themes")).await.unwrap();
    wait_for(&browser, "table.heatmap").await;
    screenshot(&browser, "serve-themes", true).await;
    browser
        .find(Locator::XPath(
            "//table[contains(@class,'heatmap')]//tr[th/a[normalize-space()='Vetting and recruitment']]/td[2]/a",
        ))
        .await
        .expect("the South West count of vetting and recruitment")
        .click()
        .await
        .unwrap();
    wait_for(&browser, "article.result").await;
    let heading = browser
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(heading, "Vetting and recruitment");
    let metas = browser
        .find_all(Locator::Css("article.result p.meta"))
        .await
        .unwrap();
    for meta in &metas {
        assert!(meta.text().await.unwrap().starts_with("South West"));
    }
    screenshot(&browser, "serve-theme", false).await;
    browser.close().await.unwrap();
}

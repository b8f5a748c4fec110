//! What users see, as they see it: the HTML report rendered by headless Chromium. `.ci/run`
//! installs Debian's `chromium` when it is missing; without it this test fails and says so.
//! Screenshots are kept in `target/screenshots/` to be looked at.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Workspace;

fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::var("PATH").unwrap_or_default().split(':') {
            let candidate = Path::new(dir).join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!("headless Chromium is needed for this test: `apt-get install chromium` (.ci/run does)");
}

/// Renders `page` at `width`×`height` CSS pixels into a PNG and returns its bytes.
fn screenshot(page: &Path, out: &Path, width: u32, height: u32) -> Vec<u8> {
    let profile = tempfile::tempdir().unwrap();
    let status = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--screenshot={}", out.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(
        status.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    std::fs::read(out).expect("screenshot written")
}

fn screenshots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn test_html_report_renders_in_chromium() {
    let ws = Workspace::with_corpus();
    for (name, by) in [("report-by-region", "region"), ("report-by-year", "year")] {
        let page = ws.dir.path().join(format!("{name}.html"));
        ws.run(&[
            "report",
            "--by",
            by,
            "--format",
            "html",
            "--out",
            page.to_str().unwrap(),
        ])
        .expect_code(0);
        let png = screenshot(
            &page,
            &screenshots_dir().join(format!("{name}.png")),
            1100,
            1600,
        );
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
        // A blank page compresses to a few kilobytes; charts, labels and a table do not.
        assert!(
            png.len() > 40_000,
            "{name}: {} bytes: blank page?",
            png.len()
        );
    }
}

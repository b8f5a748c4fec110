//! Headless Chromium over WebDriver for tests (Debian's `chromium` and `chromium-driver`;
//! `.ci/run` installs them when missing, and without them a test fails and says so): a
//! chromedriver on a free port, a browser session with a fixed viewport, and screenshots kept
//! in `target/screenshots/` (and in `docs/` for the README's pictures).

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

/// Viewport of every screenshot, in CSS pixels.
pub const WIDTH: u32 = 1280;
pub const HEIGHT: u32 = 1000;

pub fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .map(|dir| Path::new(dir).join(name))
        .find(|candidate| candidate.is_file())
}

/// chromedriver on a free port, killed when dropped.
pub struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    pub fn start() -> Driver {
        let binary = on_path("chromedriver").unwrap_or_else(|| {
            panic!(
                "chromedriver is needed for this test (CI={}): `apt-get install chromium chromium-driver` (.ci/run does)",
                std::env::var("CI").unwrap_or_default()
            )
        });
        assert!(
            on_path("chromium").is_some(),
            "headless Chromium is needed for this test: `apt-get install chromium` (.ci/run does)"
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "chromedriver did not listen on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    pub async fn browser(&self) -> Client {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--hide-scrollbars", "--disable-background-networking", "--no-first-run",
                    "--disable-component-update", "--disable-sync", "--force-device-scale-factor=1",
                    format!("--window-size={WIDTH},{HEIGHT}")
                ]
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("a Chromium session over WebDriver")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn screenshots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Saves the viewport as `target/screenshots/NAME.png` and, for the README's pages, as
/// `docs/NAME.png` when it differs from what is there.
pub async fn screenshot(browser: &Client, name: &str, for_docs: bool) {
    // No caret blinking or hover state in the picture: the same page gives the same bytes.
    browser
        .execute(
            "document.activeElement && document.activeElement.blur(); window.getSelection().removeAllRanges();",
            vec![],
        )
        .await
        .unwrap();
    let png = browser.screenshot().await.expect("screenshot");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    assert!(
        png.len() > 30_000,
        "{name}: {} bytes: blank page?",
        png.len()
    );
    std::fs::write(screenshots_dir().join(format!("{name}.png")), &png).unwrap();
    if for_docs {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        let path = docs.join(format!("{name}.png"));
        if std::fs::read(&path).ok().as_deref() != Some(&png[..]) {
            std::fs::write(&path, &png).unwrap();
        }
    }
}

pub async fn wait_for(browser: &Client, css: &str) -> fantoccini::elements::Element {
    browser
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no `{css}` on the page: {e}"))
}

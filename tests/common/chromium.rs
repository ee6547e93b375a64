//! A real headless Chromium driven over WebDriver, for the browser tests: starting it (in CI a
//! missing browser fails the run), a session at desktop or phone size, and the few steps the
//! tests take (fill, choose, click, wait for text, screenshot).

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Driver {
    child: Child,
    port: u16,
    profile: std::path::PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn find_binary(names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| {
        let out = Command::new("which").arg(name).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    })
}

/// Starts chromedriver, or explains why not (a failure in CI, a skip elsewhere).
pub async fn start_driver() -> Option<(Driver, String)> {
    let (Some(driver), Some(browser)) = (
        find_binary(&["chromedriver"]),
        find_binary(&["chromium", "chromium-browser"]),
    ) else {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("chromium and chromedriver are required in CI (scripts/test installs them)");
        }
        eprintln!("SKIPPED: chromium/chromedriver not installed; run scripts/test to install them");
        return None;
    };
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let profile = std::env::temp_dir().join(format!("zs-chromium-{port}"));
    Some((
        Driver {
            child,
            port,
            profile,
        },
        browser,
    ))
}

/// A desktop session (1280 px wide).
pub async fn browser(driver: &Driver, binary: &str) -> Client {
    session(driver, binary, None).await
}

/// A phone session: 390 × 844 CSS pixels, as a phone shows pages (touch, device pixel ratio 3).
pub async fn phone(driver: &Driver, binary: &str) -> Client {
    let metrics = serde_json::json!({
        "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3.0, "touch": true},
        "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"
    });
    session(driver, binary, Some(metrics)).await
}

async fn session(driver: &Driver, binary: &str, mobile: Option<serde_json::Value>) -> Client {
    let mut options = serde_json::json!({
        "binary": binary,
        "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--disable-quic", "--window-size=1280,1100", "--lang=zh-CN",
            format!("--user-data-dir={}", driver.profile.display()),
        ]
    });
    if let Some(m) = mobile {
        options["mobileEmulation"] = m;
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a browser session")
}

/// The page's width and the viewport's: equal when nothing scrolls sideways.
pub async fn widths(c: &Client) -> (i64, i64) {
    let v = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .expect("widths");
    (v[0].as_i64().unwrap_or(-1), v[1].as_i64().unwrap_or(-1))
}

/// Whether the element is shown (laid out with a size).
pub async fn shown(c: &Client, css: &str) -> bool {
    match c.find(Locator::Css(css)).await {
        Ok(el) => el.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    }
}

/// An element's height in CSS pixels.
pub async fn height(c: &Client, css: &str) -> f64 {
    let v = c
        .execute(
            "return document.querySelector(arguments[0]).getBoundingClientRect().height;",
            vec![serde_json::json!(css)],
        )
        .await
        .expect("height");
    v.as_f64().unwrap_or(0.0)
}

pub async fn serve(t: &super::TestApp) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = t.router.clone();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    format!("http://{addr}")
}

pub async fn fill(c: &Client, css: &str, text: &str) {
    let field = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

pub async fn choose(c: &Client, css: &str, value: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .select_by_value(value)
        .await
        .unwrap();
}

pub async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

/// The element's text once it exists (retrying across page loads).
pub async fn text_of(c: &Client, css: &str) -> String {
    for _ in 0..100 {
        if let Ok(el) = c.find(Locator::Css(css)).await
            && let Ok(text) = el.text().await
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never appeared on {}", c.current_url().await.unwrap());
}

/// Waits until the element shows `expected` (after a form post the old page is still there).
pub async fn wait_text(c: &Client, css: &str, expected: &str) {
    wait_until(c, css, expected, |text| text == expected).await;
}

/// Waits until the element's text contains `part`.
pub async fn wait_containing(c: &Client, css: &str, part: &str) {
    wait_until(c, css, part, |text| text.contains(part)).await;
}

pub async fn wait_until(c: &Client, css: &str, expected: &str, done: impl Fn(&str) -> bool) {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(el) = c.find(Locator::Css(css)).await
            && let Ok(text) = el.text().await
        {
            if done(&text) {
                return;
            }
            last = text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} shows {last:?}, expected {expected:?}");
}

pub async fn screenshot(c: &Client, backend: &str, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{backend}-{name}.png")), png).unwrap();
}

//! Real-browser tests in headless Debian Chromium, driven through chromedriver. They run
//! when TRELLIS_TEST_BROWSER names the chromium binary; otherwise they say so once and
//! pass. Screenshots land in target/browser/ for a look.

use crate::client::{App, PASSWORD};
use fantoccini::{ClientBuilder, Locator};
use std::io::Write;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn browser() -> Option<String> {
    let path = std::env::var("TRELLIS_TEST_BROWSER")
        .ok()
        .filter(|p| !p.trim().is_empty());
    if path.is_none() {
        let _ = writeln!(
            std::io::stderr(),
            "browser tests skipped: set TRELLIS_TEST_BROWSER to a chromium binary (e.g. /usr/bin/chromium) to run them"
        );
    }
    path
}

fn chromedriver() -> String {
    std::env::var("TRELLIS_TEST_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn shots() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Waits for the page that a click navigated to.
async fn wait_for(c: &fantoccini::Client, text: &str) {
    for _ in 0..100 {
        if c.source().await.is_ok_and(|s| s.contains(text)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the page never showed {text:?}");
}

#[test]
fn an_organizer_logs_in_sees_one_screen_is_refused_and_confirms_a_demo() {
    let Some(chromium) = browser() else { return };
    let port = free_port();
    let _driver = Driver(
        Command::new(chromedriver())
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver)"),
    );
    let profile = tempfile::tempdir().unwrap();
    let app = App::start(trellis_testkit::TestDb::sqlite(), None);
    let base = format!("http://{}", app.addr);
    app.block_on(async {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,768", "--hide-scrollbars",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                         "--disable-quic", format!("--user-data-dir={}", profile.path().display())]
            }),
        );
        let mut client = None;
        for _ in 0..50 {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new()).capabilities(caps.clone()).connect(&format!("http://127.0.0.1:{port}")).await {
                Ok(c) => {
                    client = Some(c);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
        let c = client.expect("a browser session");

        // Log in, from a link whose `next` a browser would read as another host (it drops
        // the tab: `/\t/evil.example` becomes `//evil.example`). We stay at home.
        c.goto(&format!("{base}/login?next=/%09/evil.example/x")).await.unwrap();
        c.find(Locator::Css("input[name=email]")).await.unwrap().send_keys("org@x.example").await.unwrap();
        c.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(PASSWORD).await.unwrap();
        c.find(Locator::Css("form button[type=submit]")).await.unwrap().click().await.unwrap();
        wait_for(&c, "Returning builders").await;
        c.find(Locator::Css(".dash")).await.expect("the dashboard after logging in");
        assert_eq!(c.current_url().await.unwrap().as_str(), format!("{base}/"), "never the other host");

        // One screen at 1366×768: nothing to scroll.
        let size = c.execute("return [window.innerWidth, window.innerHeight, document.documentElement.scrollHeight, document.documentElement.scrollWidth];", vec![]).await.unwrap();
        let v: Vec<i64> = serde_json::from_value(size).unwrap();
        std::fs::write(shots().join("dashboard.png"), c.screenshot().await.unwrap()).unwrap();
        assert_eq!(v[0], 1366, "viewport width");
        assert!(v[2] <= v[1], "the dashboard scrolls: scrollHeight {} > innerHeight {}", v[2], v[1]);
        assert!(v[3] <= v[0], "the dashboard scrolls sideways");

        // Announce is refused, with the reasons.
        c.goto(&format!("{base}/events/18")).await.unwrap();
        c.find(Locator::Id("step")).await.unwrap().click().await.unwrap();
        wait_for(&c, "Refused:").await;
        let refused = c.find(Locator::Css(".refused")).await.expect("the refusal panel").text().await.unwrap();
        std::fs::write(shots().join("refused.png"), c.screenshot().await.unwrap()).unwrap();
        assert!(refused.contains("2 of 3 presenters confirmed"), "{refused}");

        // Confirm the screened demo: record the contract, then confirm it into a slot.
        let claim = c.find(Locator::Css(".claim")).await.unwrap();
        let id = claim.attr("id").await.unwrap().unwrap().trim_start_matches("demo-").to_owned();
        c.find(Locator::XPath(&format!("//div[@id='demo-{id}']//button[contains(., 'Record contract accepted')]"))).await.unwrap().click().await.unwrap();
        wait_for(&c, "· contract accepted").await;
        c.find(Locator::Id(&format!("confirm-{id}"))).await.unwrap().click().await.unwrap();
        wait_for(&c, "3 of 3 presenters confirmed").await;
        let page = c.source().await.unwrap();
        std::fs::write(shots().join("confirmed.png"), c.screenshot().await.unwrap()).unwrap();
        assert!(page.contains("3 of 3 presenters confirmed to announce") || page.contains("3 of 4 slots taken"), "the demo took a slot");

        // The discussion after the last held event, read and recorded.
        let ctx = trellis_store::Ctx::new("test", crate::client::now());
        app.store.import_chat(&ctx, trellis_core::ProgramId(1), "community", "whatsapp", &crate::client::chat_lines()).await.unwrap();
        c.goto(&format!("{base}/events/17#chat")).await.unwrap();
        wait_for(&c, "The community chat, the week after").await;
        c.find(Locator::XPath("//section[@id='chat']//button[contains(., 'I read it')]")).await.unwrap().click().await.unwrap();
        wait_for(&c, "Report read by").await;
        c.goto(&format!("{base}/events/17#chat")).await.unwrap();
        wait_for(&c, "Report read by").await;
        std::fs::write(shots().join("chat.png"), c.screenshot().await.unwrap()).unwrap();
        let chat = c.find(Locator::Id("chat")).await.unwrap().text().await.unwrap();
        assert!(chat.contains("MIXED") || chat.contains("mixed"), "{chat}");
        assert!(chat.contains("the demo was <b>awful</b>"), "shown as text: {chat}");
        c.close().await.unwrap();
    });
}

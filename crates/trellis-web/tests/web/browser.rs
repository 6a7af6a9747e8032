//! Real-browser tests in headless Debian Chromium, driven through chromedriver. They run
//! when TRELLIS_TEST_BROWSER names the chromium binary; otherwise they say so once and
//! pass. Screenshots land in target/browser/ for a look.

use crate::client::{App, PASSWORD};
use fantoccini::{ClientBuilder, Locator};
use std::io::Write;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn browser() -> Option<String> {
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

pub(crate) fn shots() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Waits for the page that a click navigated to.
pub(crate) async fn wait_for(c: &fantoccini::Client, text: &str) {
    for _ in 0..100 {
        if c.source().await.is_ok_and(|s| s.contains(text)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the page never showed {text:?}");
}

/// One screenshot at the window's size, as target/browser/<dir>/<name>.png, checked for
/// sideways scroll.
pub(crate) async fn shoot_one(c: &fantoccini::Client, dir: &str, name: &str) {
    let dir = shots().join(dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(format!("{name}.png")),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    let (page, view) = widths(c).await;
    assert!(page <= view, "{name}: {page} > {view}");
}

/// Screenshots at 1366×768 and 390×844, as target/browser/<dir>/<name>-<width>.png, each
/// checked for sideways scroll; with `at`, the element of that id scrolled into view.
pub(crate) async fn shoot_both(c: &fantoccini::Client, dir: &str, name: &str, at: Option<&str>) {
    for (w, h) in [(1366u32, 768u32), (390, 844)] {
        c.set_window_size(w, h).await.unwrap();
        if let Some(id) = at {
            c.execute(
                "document.getElementById(arguments[0]).scrollIntoView();",
                vec![id.into()],
            )
            .await
            .unwrap();
        }
        shoot_one(c, dir, &format!("{name}-{w}")).await;
    }
}

/// Waits until the page no longer shows `text`: for a form whose answer
/// keeps some of the text the page showed before.
pub(crate) async fn wait_until_gone(c: &fantoccini::Client, text: &str) {
    for _ in 0..100 {
        if c.source().await.is_ok_and(|s| !s.contains(text)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the page still shows {text:?}");
}

/// A browser session through chromedriver on `port`, its profile in `profile`.
pub(crate) async fn session(
    chromium: &str,
    port: u16,
    profile: &std::path::Path,
) -> fantoccini::Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,768", "--hide-scrollbars",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                     "--disable-quic", format!("--user-data-dir={}", profile.display())]
        }),
    );
    for _ in 0..50 {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => return c,
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    panic!("no browser session");
}

/// chromedriver on a free port.
pub(crate) fn driver() -> (Driver, u16) {
    let port = free_port();
    let d = Driver(
        Command::new(chromedriver())
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver)"),
    );
    (d, port)
}

/// Logs the test organizer in.
pub(crate) async fn log_in(c: &fantoccini::Client, base: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    c.find(Locator::Css("input[name=email]"))
        .await
        .unwrap()
        .send_keys("org@x.example")
        .await
        .unwrap();
    c.find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(c, "Returning builders").await;
}

#[test]
fn an_organizer_logs_in_sees_one_screen_is_refused_and_confirms_a_demo() {
    let Some(chromium) = browser() else { return };
    let (_driver, port) = driver();
    let profile = tempfile::tempdir().unwrap();
    let app = App::start(trellis_testkit::TestDb::sqlite(), None);
    let base = format!("http://{}", app.addr);
    app.block_on(async {
        let c = session(&chromium, port, profile.path()).await;

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

/// Sets a form field's value as the browser's own widget would (a date or time input
/// takes keys in the locale's order, which a test should not depend on).
pub(crate) async fn set(c: &fantoccini::Client, id: &str, value: &str) {
    c.execute(
        "document.getElementById(arguments[0]).value = arguments[1];",
        vec![id.into(), value.into()],
    )
    .await
    .unwrap();
}

/// The page's width against the viewport's: (scrollWidth, innerWidth).
pub(crate) async fn widths(c: &fantoccini::Client) -> (i64, i64) {
    let v = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap();
    let v: Vec<i64> = serde_json::from_value(v).unwrap();
    (v[0], v[1])
}

/// Fills the plan form; the override reason once the gate has refused.
async fn plan(c: &fantoccini::Client, base: &str, title: &str, date: &str, series: Option<&str>) {
    c.goto(&format!("{base}/events/new")).await.unwrap();
    c.find(Locator::Id("title"))
        .await
        .unwrap()
        .send_keys(title)
        .await
        .unwrap();
    set(c, "date", date).await;
    set(c, "time", "18:30").await;
    if let Some(times) = series {
        c.find(Locator::Id("repeat"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.find(Locator::Id("times"))
            .await
            .unwrap()
            .clear()
            .await
            .unwrap();
        c.find(Locator::Id("times"))
            .await
            .unwrap()
            .send_keys(times)
            .await
            .unwrap();
    }
    c.find(Locator::Id("plan"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The last held event has no retro: refused, with the form as typed and the override.
    wait_for(c, "Refused: planning is blocked").await;
    let kept = c
        .find(Locator::Id("title"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        kept.as_deref(),
        Some(title),
        "the form keeps what was typed"
    );
    c.find(Locator::Id("override_reason"))
        .await
        .unwrap()
        .send_keys("the venue is booked")
        .await
        .unwrap();
}

#[test]
fn an_organizer_plans_a_series_marks_an_evening_held_and_reads_on_a_phone() {
    let Some(chromium) = browser() else { return };
    let (_driver, port) = driver();
    let profile = tempfile::tempdir().unwrap();
    let app = App::start(trellis_testkit::TestDb::sqlite(), None);
    let base = format!("http://{}", app.addr);
    app.block_on(async {
        let c = session(&chromium, port, profile.path()).await;
        log_in(&c, &base).await;

        // One evening, last night (so that it can be marked as held).
        plan(&c, &base, "Hardware demo night", "2026-11-23", None).await;
        std::fs::write(
            shots().join("plan-refused.png"),
            c.screenshot().await.unwrap(),
        )
        .unwrap();
        c.find(Locator::Id("plan"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for(&c, "Hardware demo night <span class=\"status draft\">").await;
        let id: i64 = c
            .current_url()
            .await
            .unwrap()
            .path()
            .rsplit('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();

        // A series of three, on the 2nd Thursday of each month.
        plan(&c, &base, "Spring demo night 1", "2027-01-14", Some("3")).await;
        c.find(Locator::Id("plan"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for(&c, "Spring demo night 3").await;
        let list = c.source().await.unwrap();
        std::fs::write(shots().join("series.png"), c.screenshot().await.unwrap()).unwrap();
        for (title, at) in [
            ("Spring demo night 1", "2027-01-14"),
            ("Spring demo night 2", "2027-02-11"),
            ("Spring demo night 3", "2027-03-11"),
        ] {
            assert!(list.contains(title) && list.contains(at), "{title} on {at}");
        }

        // Announced (by override), then marked as held: the button asks first.
        let ctx = trellis_store::Ctx::new("test", crate::client::now());
        app.store
            .set_event_status(
                &ctx,
                trellis_core::EventId(id),
                "announced".parse().unwrap(),
                Some("test"),
            )
            .await
            .unwrap();
        c.goto(&format!("{base}/events/{id}")).await.unwrap();
        c.find(Locator::Id("step"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for(&c, "Mark as held?").await;
        std::fs::write(
            shots().join("confirm-held.png"),
            c.screenshot().await.unwrap(),
        )
        .unwrap();
        assert_eq!(
            app.store
                .event(trellis_core::EventId(id))
                .await
                .unwrap()
                .status
                .as_str(),
            "announced",
            "asking changed nothing"
        );
        c.find(Locator::Id("confirm"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for(&c, "<span class=\"status held\">held</span>").await;
        std::fs::write(shots().join("held.png"), c.screenshot().await.unwrap()).unwrap();

        // On a phone: no page is wider than the screen.
        c.set_window_size(390, 844).await.unwrap();
        for (name, path) in [
            ("dashboard", "/".to_owned()),
            ("events", "/events".into()),
            ("event", "/events/18".into()),
            ("held-event", "/events/17".into()),
            ("plan", "/events/new".into()),
            ("confirm-cancel", "/events/18/step?to=cancelled".into()),
        ] {
            c.goto(&format!("{base}{path}")).await.unwrap();
            wait_for(&c, "</main>").await;
            let (scroll, inner) = widths(&c).await;
            std::fs::write(
                shots().join(format!("phone-{name}.png")),
                c.screenshot().await.unwrap(),
            )
            .unwrap();
            assert!(inner <= 400, "a phone's width: {inner}");
            assert!(
                scroll <= inner,
                "{path} scrolls sideways at {inner} px: {scroll} px wide"
            );
        }
        c.close().await.unwrap();
    });
}

/// Clicks the element `css` finds.
pub(crate) async fn click(c: &fantoccini::Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

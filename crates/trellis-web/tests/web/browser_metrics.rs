//! The metrics and the listening pages in a real browser (issue 16, points 7 and 8): open
//! a metric's drill-down from the metrics page, then upload a WhatsApp export, follow its
//! progress page (it reloads itself, no script) and read the event's report. Screenshots
//! at 1366×768 and 390×844 in target/browser/metrics.

use crate::browser::{browser, click, driver, log_in, session, wait_for};
use crate::client::App;
use fantoccini::Locator;

async fn shot(c: &fantoccini::Client, name: &str) {
    shot_at(c, name, None).await;
}

/// Screenshots at both sizes, with the element `anchor` names in view.
async fn shot_at(c: &fantoccini::Client, name: &str, anchor: Option<&str>) {
    crate::browser::shoot_both(c, "metrics", name, anchor).await;
}

#[test]
fn an_organizer_drills_into_a_metric_and_uploads_a_chat() {
    let Some(chromium) = browser() else { return };
    let (_driver, port) = driver();
    let profile = tempfile::tempdir().unwrap();
    let app = App::start(trellis_testkit::TestDb::sqlite(), None);
    let base = format!("http://{}", app.addr);
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("WhatsApp Chat with Demo Night.txt");
    std::fs::write(&export, crate::listen::WHATSAPP).unwrap();
    app.block_on(async {
        let c = session(&chromium, port, profile.path()).await;
        log_in(&c, &base).await;

        // From the dashboard's figure to every metric, then one metric's drill-down.
        c.goto(&format!("{base}/")).await.unwrap();
        click(&c, "a[href='/metrics?program=1']").await;
        wait_for(&c, "Open a metric to see its definition").await;
        shot(&c, "metrics").await;
        click(&c, "a[href='/metrics/repeat_speaker_rate?program=1']").await;
        wait_for(&c, "People behind it").await;
        let src = c.source().await.unwrap();
        assert!(src.contains("href=\"/people/"), "people are linked: {src}");
        assert!(src.contains("demos presented"), "{src}");
        shot(&c, "metric-repeat-speakers").await;
        c.goto(&format!("{base}/metrics?program=all"))
            .await
            .unwrap();
        wait_for(&c, "As read at").await;
        // The chapters' table, which stacks on a phone, in view.
        shot_at(&c, "metrics-all", Some("chapters")).await;

        // Upload a WhatsApp export; the progress page ends on what was stored.
        c.set_window_size(1366, 768).await.unwrap();
        c.goto(&format!("{base}/channels")).await.unwrap();
        wait_for(&c, "Upload a chat export").await;
        c.find(Locator::Id("chat-channel"))
            .await
            .unwrap()
            .send_keys("community")
            .await
            .unwrap();
        c.find(Locator::Id("chat-file"))
            .await
            .unwrap()
            .send_keys(export.to_str().unwrap())
            .await
            .unwrap();
        click(&c, "#chat-upload").await;
        wait_for(&c, "7 messages read: 7 new").await;
        shot(&c, "upload-done").await;

        // Its report: the verdict, the chart, the quotes.
        click(&c, "a[href='/events/17/listen']").await;
        wait_for(&c, "The most negative messages, to read").await;
        let src = c.source().await.unwrap();
        assert!(src.contains("the demo was awful, too loud"), "{src}");
        shot(&c, "listen").await;
        c.goto(&format!("{base}/channels")).await.unwrap();
        wait_for(&c, "Import history").await;
        shot(&c, "channels").await;
        c.close().await.unwrap();
    });
}

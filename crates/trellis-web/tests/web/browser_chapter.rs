//! The public chapter page in a real browser (issue 20): a builder raises their hand for
//! an announced event without an account, then an organizer screens the demo it became.
//! Screenshots in target/browser/chapter/.

use crate::browser::{browser, click, driver, log_in, session, set, wait_for, wait_until_gone};
use fantoccini::Locator;

async fn shot(c: &fantoccini::Client, name: &str) {
    crate::browser::shoot_one(c, "chapter", name).await;
}

#[test]
fn a_builder_raises_a_hand_and_an_organizer_screens_it() {
    let Some(chromium) = browser() else { return };
    let (_driver, port) = driver();
    let profile = tempfile::tempdir().unwrap();
    let (app, event) = crate::chapter::public(trellis_testkit::TestDb::sqlite());
    let base = format!("http://{}", app.addr);
    app.block_on(async {
        let c = session(&chromium, port, profile.path()).await;
        for (w, h, size) in [(1366, 768, "1366"), (390, 844, "390")] {
            c.set_window_size(w, h).await.unwrap();
            c.goto(&format!("{base}/p/tinkerers-berlin")).await.unwrap();
            wait_for(&c, "Raise my hand").await;
            shot(&c, &format!("page-{size}")).await;
        }
        set(&c, "name", "Nia Builder").await;
        set(&c, "email", "nia@build.example").await;
        set(&c, "title", "Servo-driven plotter").await;
        set(&c, "about", "It draws the Berlin U-Bahn map, badly.").await;
        c.find(Locator::Css(&format!("#event option[value='{}']", event.0)))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        click(&c, "form[action='/p/tinkerers-berlin'] button[type=submit]").await;
        wait_for(&c, "Your hand is raised").await;
        shot(&c, "thanks-390").await;

        // The organizer finds it on the event's page and screens it.
        log_in(&c, &base).await;
        c.goto(&format!("{base}/events/{}", event.0)).await.unwrap();
        wait_for(&c, "Record the screening of Servo-driven plotter").await;
        click(
            &c,
            "button[aria-label='Record the screening of Servo-driven plotter']",
        )
        .await;
        wait_until_gone(&c, "Record the screening of Servo-driven plotter").await;
        shot(&c, "screened-390").await;
    });
    let page = app
        .block_on(trellis_app::event_page::event_page(
            &app.store,
            event,
            crate::client::now(),
        ))
        .unwrap();
    let d = page
        .demos
        .iter()
        .find(|d| d.title == "Servo-driven plotter")
        .expect("the hand became a demo");
    assert_eq!(d.status.as_str(), "screened");
}

//! An organizer's hand-off in a real browser (issue 20, point 2): the lead of two
//! chapters sees on the dashboard that one organizer of the sample's chapter checked in
//! high, follows the link, retires Mara Quinn handing her work to Tomás Ferreira through
//! the confirmation page, and the dashboard then names Tomás as the owner of the due
//! items. Screenshots at both sizes under target/browser/handoff/.

use crate::browser::{
    browser, click, driver, log_in, session, set, shoot_both, shoot_one, wait_for,
};
use crate::client::App;
use trellis_core::access::Role;
use trellis_store::Ctx;

const DIR: &str = "handoff";

/// Sizes the window so that the page's viewport is `w`×`h` (the window's frame, if any,
/// is added), and returns the viewport's size.
async fn viewport(c: &fantoccini::Client, w: i64, h: i64) -> (i64, i64) {
    let inner = || async {
        let v = c
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await
            .unwrap();
        let v: Vec<i64> = serde_json::from_value(v).unwrap();
        (v[0], v[1])
    };
    c.set_window_size(w as u32, h as u32).await.unwrap();
    let (iw, ih) = inner().await;
    let (fw, fh) = (w - iw, h - ih);
    if fw > 0 || fh > 0 {
        c.set_window_size((w + fw) as u32, (h + fh) as u32)
            .await
            .unwrap();
    }
    inner().await
}

/// The dashboard at a true 1366×768 viewport: one screen, nothing to scroll.
async fn one_screen(c: &fantoccini::Client, name: &str) {
    assert_eq!(viewport(c, 1366, 768).await, (1366, 768));
    let v = c
        .execute(
            "return [document.documentElement.scrollHeight, window.innerHeight];",
            vec![],
        )
        .await
        .unwrap();
    let v: Vec<i64> = serde_json::from_value(v).unwrap();
    shoot_one(c, DIR, &format!("{name}-1366")).await;
    assert!(v[0] <= v[1], "{name} scrolls: {} > {}", v[0], v[1]);
    viewport(c, 390, 844).await;
    shoot_one(c, DIR, &format!("{name}-390")).await;
}

#[test]
fn the_lead_hands_a_tired_organizers_work_to_a_co_organizer() {
    let Some(chromium) = browser() else { return };
    let (_driver, port) = driver();
    let profile = tempfile::tempdir().unwrap();
    let app = App::start(trellis_testkit::TestDb::sqlite(), None);
    let base = format!("http://{}", app.addr);
    // The test organizer also runs a second chapter: the lead of two.
    let lisbon = crate::handoff::lisbon(&app);
    let ctx = Ctx::new("test", crate::client::now());
    app.block_on(
        app.store
            .grant(&ctx, "org@x.example", lisbon, Role::Organizer),
    )
    .unwrap();
    app.block_on(async {
        let c = session(&chromium, port, profile.path()).await;
        log_in(&c, &base).await;
        c.goto(&format!("{base}/?program=1")).await.unwrap();
        wait_for(&c, "checked in high").await;
        one_screen(&c, "dashboard-before").await;

        c.goto(&format!("{base}/?program=1")).await.unwrap();
        click(&c, "p.high a").await;
        wait_for(&c, "Hand off and retire").await;
        shoot_both(&c, DIR, "organizers", None).await;

        click(&c, "#retire-1").await;
        wait_for(&c, "Hand their work to").await;
        set(&c, "to", "2").await;
        shoot_both(&c, DIR, "retire-form", None).await;
        click(&c, "#next").await;
        wait_for(&c, "Retire Mara Quinn?").await;
        shoot_both(&c, DIR, "confirm", None).await;
        click(&c, "#confirm").await;
        wait_for(&c, "took over the due items").await;
        shoot_both(&c, DIR, "organizers-after", None).await;

        c.goto(&format!("{base}/?program=1")).await.unwrap();
        wait_for(&c, "owner Tomás Ferreira").await;
        let page = c.source().await.unwrap();
        assert!(!page.contains("checked in high"), "the notice is gone");
        one_screen(&c, "dashboard-after").await;
        c.close().await.unwrap();
    });
}

//! The morning after in a real browser (issue 16, points 1 and 2): a retro written on time
//! and one written late; three follow-ups marked sent, one answered on the public page and
//! then seen on the follow-ups page. Screenshots at 1366×768 and 390×844 under
//! target/browser/after/.

use crate::browser::{browser, click, driver, log_in, session, set, wait_for};
use crate::client::App;
use fantoccini::{Client, Locator};
use jiff::Timestamp;

/// The morning after event 17: its retro is due in 32 h.
fn morning_after() -> Timestamp {
    "2026-11-13T12:00:00Z".parse().unwrap()
}

/// Screenshots of the page at both sizes, each checked for sideways scroll.
async fn shoot(c: &Client, name: &str) {
    shoot_at(c, name, None).await;
}

/// As [`shoot`], with the element of id `at` scrolled into view at each size.
async fn shoot_at(c: &Client, name: &str, at: Option<&str>) {
    crate::browser::shoot_both(c, "after", name, at).await;
}

/// Fills the retro form: the answers, and the first three people offered as the picks.
async fn fill_retro(c: &Client) {
    set(c, "worked", "Five-minute slots kept the energy up.").await;
    set(c, "broke", "The projector adapter.").await;
    set(c, "surprised", "Half the room were first-timers.").await;
    for n in 1..=3 {
        let option = c
            .find(Locator::Css(&format!(
                "#pick{n} option:nth-child({})",
                n + 1
            )))
            .await
            .unwrap();
        let value = option.attr("value").await.unwrap().unwrap();
        set(c, &format!("pick{n}"), &value).await;
        set(c, &format!("why{n}"), &format!("Reason number {n}")).await;
    }
}

fn write_a_retro(clock: fn() -> Timestamp, name: &str, shown: &str) {
    let Some(chromium) = browser() else { return };
    let (_driver, port) = driver();
    let profile = tempfile::tempdir().unwrap();
    let app = App::start_with_clock(trellis_testkit::TestDb::sqlite(), None, clock);
    let base = format!("http://{}", app.addr);
    app.block_on(async {
        let c = session(&chromium, port, profile.path()).await;
        log_in(&c, &base).await;
        c.goto(&format!("{base}/events/17")).await.unwrap();
        click(&c, "#retro-link").await;
        wait_for(&c, "id=\"retro-form\"").await;
        wait_for(&c, shown).await;
        shoot(&c, &format!("{name}-form")).await;
        // Sent without what broke: the form comes back with what was typed.
        fill_retro(&c).await;
        shoot_at(&c, &format!("{name}-picks"), Some("pick-2")).await;
        set(&c, "broke", "").await;
        click(&c, "#write-retro").await;
        wait_for(&c, "id=\"broke_error\"").await;
        shoot(&c, &format!("{name}-invalid")).await;
        set(&c, "broke", "The projector adapter.").await;
        click(&c, "#write-retro").await;
        wait_for(&c, "<ol id=\"pick-list\">").await;
        let page = c.source().await.unwrap();
        assert!(page.contains("Reason number 3"), "{page}");
        assert!(page.contains("Five-minute slots kept the energy up."));
        shoot(&c, &format!("{name}-written")).await;
        c.close().await.unwrap();
    });
}

#[test]
fn a_retro_written_the_morning_after() {
    write_a_retro(morning_after, "retro", "due in 32 h");
}

#[test]
fn a_retro_written_late() {
    write_a_retro(crate::client::now, "retro-late", "LATE</span> 9 days late");
}

#[test]
fn three_followups_sent_and_an_answer_seen() {
    let Some(chromium) = browser() else { return };
    let (_driver, port) = driver();
    let profile = tempfile::tempdir().unwrap();
    let app = App::start(trellis_testkit::TestDb::sqlite(), None);
    let base = format!("http://{}", app.addr);
    app.block_on(async {
        let c = session(&chromium, port, profile.path()).await;
        log_in(&c, &base).await;
        c.goto(&format!("{base}/events/17")).await.unwrap();
        click(&c, "#followups-link").await;
        wait_for(&c, "6 of 10 asked").await;
        shoot(&c, "followups").await;
        // Two marked sent as messages, the count moving with each.
        for after in ["7 of 10 asked", "8 of 10 asked"] {
            click(&c, "button[aria-label^='Sent as a message: ']").await;
            wait_for(&c, after).await;
        }
        // The third by a form link, shown this once.
        click(&c, "button[aria-label^='Make a form link: ']").await;
        wait_for(&c, "The form link for").await;
        wait_for(&c, "9 of 10 asked").await;
        shoot(&c, "followups-form-link").await;
        let message = c
            .find(Locator::Id("made-message"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let link = message
            .split_whitespace()
            .find(|w| w.contains("/f/"))
            .expect("the form link in the message")
            .to_owned();
        // Answered on the public page, as the attendee would.
        c.goto(&link).await.unwrap();
        wait_for(&c, "What did you do next?").await;
        c.find(Locator::Css("textarea[name=text]"))
            .await
            .unwrap()
            .send_keys("Built a tiny compiler")
            .await
            .unwrap();
        click(&c, "input[name=outcome][value=built]").await;
        click(&c, "button[type=submit]").await;
        wait_for(&c, "Thank you").await;
        c.goto(&format!("{base}/events/17/followups#asked"))
            .await
            .unwrap();
        wait_for(&c, "<blockquote>Built a tiny compiler</blockquote>").await;
        shoot_at(&c, "followups-answered", Some("asked")).await;
        c.close().await.unwrap();
    });
}

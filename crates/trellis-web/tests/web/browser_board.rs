//! The after-event mechanisms in a real browser (issue 16): a card moved forward and back
//! with the keyboard alone (Enter and Space on the focused button), a spark recorded and
//! marked acted on, a check-in that another organizer cannot see, a review started and
//! closed with its insight. Screenshots at both sizes under target/browser/board/.

use crate::browser::{browser, click, driver, log_in, session, set, wait_for, wait_until_gone};
use crate::client::{App, PASSWORD, new_person};
use fantoccini::Locator;
use fantoccini::key::Key;

async fn shot(c: &fantoccini::Client, name: &str) {
    crate::browser::shoot_one(c, "board", name).await;
}

/// Presses `key` on the button `css` finds: the button takes the focus, then the key.
async fn press(c: &fantoccini::Client, css: &str, key: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .send_keys(key)
        .await
        .unwrap();
}

async fn log_in_as(c: &fantoccini::Client, base: &str, email: &str) {
    click(c, ".top form button").await;
    wait_for(c, "name=\"password\"").await;
    c.goto(&format!("{base}/login")).await.unwrap();
    for (field, value) in [("email", email), ("password", PASSWORD)] {
        c.find(Locator::Css(&format!("input[name={field}]")))
            .await
            .unwrap()
            .send_keys(value)
            .await
            .unwrap();
    }
    click(c, "form button[type=submit]").await;
    wait_for(c, "Returning builders").await;
}

#[test]
fn the_board_sparks_check_in_and_review_from_the_browser() {
    let Some(chromium) = browser() else { return };
    let (_driver, port) = driver();
    let profile = tempfile::tempdir().unwrap();
    let app = App::start(trellis_testkit::TestDb::sqlite(), None);
    crate::reviews::organizers(&app);
    new_person(&app, "Spark Ana", "ana@spark.example");
    new_person(&app, "Spark Ben", "ben@spark.example");
    let board = app
        .block_on(trellis_app::board::board(
            &app.store,
            trellis_core::ProgramId(1),
        ))
        .unwrap();
    let card = board.stages["spotted"][0].clone();
    let base = format!("http://{}", app.addr);
    app.block_on(async {
        let c = session(&chromium, port, profile.path()).await;
        log_in(&c, &base).await;

        // The board, by keyboard: Enter on "forward", Space on "back".
        c.goto(&format!("{base}/board")).await.unwrap();
        shot(&c, "board-1366").await;
        let back = format!("Move {} back to Spotted", card.name);
        press(
            &c,
            &format!(
                "button[aria-label='Move {} forward to Warm intro']",
                card.name
            ),
            &Key::Enter.to_string(),
        )
        .await;
        wait_for(&c, &back).await;
        let url = c.current_url().await.unwrap();
        assert_eq!(
            url.fragment(),
            Some(format!("card-{}", card.person).as_str())
        );
        shot(&c, "board-moved-1366").await;
        press(&c, &format!("button[aria-label='{back}']"), " ").await;
        wait_until_gone(&c, &back).await;
        let moves = trellis_app::board::history(&app.store, trellis_core::ProgramId(1))
            .await
            .unwrap();
        let last: Vec<bool> = moves.iter().rev().take(2).map(|m| m.forward).collect();
        assert_eq!(last, vec![false, true], "a move forward, then one back");

        // A spark, recorded and marked acted on.
        c.goto(&format!("{base}/sparks")).await.unwrap();
        set(&c, "who_a", "Spark Ana").await;
        set(&c, "who_b", "ben@spark.example").await;
        set(&c, "note", "both build synths").await;
        click(&c, "#record-spark").await;
        let acted = "Mark the introduction of Spark Ana and Spark Ben acted on";
        wait_for(&c, acted).await;
        let url = c.current_url().await.unwrap();
        let id = url
            .fragment()
            .unwrap()
            .trim_start_matches("spark-")
            .to_owned();
        shot(&c, "sparks-1366").await;
        set(&c, &format!("acted-{id}"), "They built a synth together").await;
        click(&c, &format!("button[aria-label='{acted}']")).await;
        wait_for(&c, "<b>They built a synth together</b>").await;
        shot(&c, "sparks-acted-1366").await;

        // A check-in: hers to see.
        c.goto(&format!("{base}/checkin")).await.unwrap();
        for (q, a) in ["2", "2", "3", "2", "3", "3", "2"].iter().enumerate() {
            click(&c, &format!("input[name=q{}][value='{a}']", q + 1)).await;
        }
        set(&c, "hours", "6.75").await;
        shot(&c, "checkin-form-1366").await;
        click(&c, "#send-checkin").await;
        wait_for(&c, "id=\"checkin-").await;
        shot(&c, "checkin-done-1366").await;

        // Another program's organizer sees the index, not her answers.
        log_in_as(&c, &base, "pia@x.example").await;
        c.goto(&format!("{base}/checkin")).await.unwrap();
        wait_for(&c, "fatigue index").await;
        let other = c.source().await.unwrap();
        assert!(!other.contains("id=\"checkin-"), "{other}");
        assert!(!other.contains("6.75"), "{other}");
        shot(&c, "checkin-other-1366").await;

        // A review, started and closed with its insight.
        c.goto(&format!("{base}/reviews")).await.unwrap();
        click(&c, "#start-review").await;
        wait_for(&c, "started 0 min ago").await;
        shot(&c, "review-open-1366").await;
        click(&c, "button[id^=close-]").await;
        wait_for(&c, "Write the one insight").await;
        set(
            &c,
            &format!("insight-{}", open_review(&c).await),
            "Sparks need a nudge a week later.",
        )
        .await;
        click(&c, "button[id^=close-]").await;
        wait_for(&c, "The insight</h2>").await;
        let review_url = c.current_url().await.unwrap();
        shot(&c, "review-closed-1366").await;

        // Each page at a phone's width.
        c.set_window_size(390, 844).await.unwrap();
        for (name, path) in [
            ("board", "/board".to_owned()),
            ("sparks", "/sparks".to_owned()),
            ("checkin", "/checkin".to_owned()),
            ("reviews", "/reviews".to_owned()),
            ("review", review_url.path().to_owned()),
        ] {
            c.goto(&format!("{base}{path}")).await.unwrap();
            shot(&c, &format!("{name}-390")).await;
        }
        c.close().await.unwrap();
    });
}

/// The id of the open review on the page (its close button's).
async fn open_review(c: &fantoccini::Client) -> String {
    let button = c.find(Locator::Css("button[id^=close-]")).await.unwrap();
    let id = button.attr("id").await.unwrap().unwrap();
    id.trim_start_matches("close-").to_owned()
}

//! The door in a real browser, at a phone's width: search, check in, undo, a walk-in; the
//! page returns to the person acted on, and never scrolls sideways.

use crate::browser::{browser, click, driver, log_in, session, set, shots, wait_for, widths};
use crate::client::App;
use fantoccini::Locator;

#[test]
fn at_the_door_on_a_phone_search_check_in_undo_and_a_walk_in() {
    let Some(chromium) = browser() else { return };
    let (_driver, port) = driver();
    let profile = tempfile::tempdir().unwrap();
    let app = App::start(trellis_testkit::TestDb::sqlite(), None);
    let base = format!("http://{}", app.addr);
    app.block_on(async {
        let c = session(&chromium, port, profile.path()).await;
        log_in(&c, &base).await;
        c.set_window_size(390, 844).await.unwrap();
        c.goto(&format!("{base}/events/17")).await.unwrap();
        click(&c, "#door-link").await;
        wait_for(&c, "Find someone by name or e-mail").await;
        let (page, view) = widths(&c).await;
        assert!(page <= view, "the door at 390 px: {page} > {view}");
        std::fs::write(shots().join("door-390.png"), c.screenshot().await.unwrap()).unwrap();

        // Search by submitting, check the first match in: back at that person.
        set(&c, "q", "ana").await;
        click(&c, "form[role=search] button").await;
        wait_for(&c, "On the list, matching").await;
        let button = c
            .find(Locator::Css(
                "ul.door li form button[aria-label^='Check in ']",
            ))
            .await
            .unwrap();
        let label = button.attr("aria-label").await.unwrap().unwrap();
        let name = label.trim_start_matches("Check in ").to_owned();
        button.click().await.unwrap();
        wait_for(&c, &format!("Undo the check-in of {name}")).await;
        let url = c.current_url().await.unwrap();
        assert!(
            url.fragment().is_some_and(|f| f.starts_with("person-"))
                && url.query() == Some("q=ana"),
            "back at the person, the search kept: {url}"
        );
        std::fs::write(
            shots().join("door-checked-in-390.png"),
            c.screenshot().await.unwrap(),
        )
        .unwrap();
        click(
            &c,
            &format!("button[aria-label='Undo the check-in of {name}']"),
        )
        .await;
        wait_for(&c, &format!("aria-label=\"Check in {name}\"")).await;

        // Nobody by that name: a walk-in, with the name already filled in.
        c.goto(&format!("{base}/events/17/door?q=Wanda+Walkin"))
            .await
            .unwrap();
        wait_for(&c, "Nobody matches").await;
        set(&c, "walk_email", "wanda@walk.example").await;
        click(&c, "#walk-in-button").await;
        wait_for(&c, "Undo the check-in of Wanda Walkin").await;
        let (page, view) = widths(&c).await;
        assert!(page <= view, "{page} > {view}");
    });
}

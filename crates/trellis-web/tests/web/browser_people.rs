//! The rest of the cycle's before-the-event pages in a real browser: propose a demo for a
//! new person with the picker, screen it (one failed item rejects another), record the
//! contract and confirm it; merge two people and undo it; forget someone; upload a Luma
//! file through its dry run and confirm it. Screenshots in target/browser.

use crate::browser::{browser, click, driver, log_in, session, set, wait_for, wait_until_gone};
use crate::client::{App, new_person};
use fantoccini::Locator;

async fn shot(c: &fantoccini::Client, name: &str) {
    crate::browser::shoot_one(c, "", name).await;
}

#[test]
fn an_organizer_proposes_screens_confirms_merges_forgets_and_imports() {
    let Some(chromium) = browser() else { return };
    let (_driver, port) = driver();
    let profile = tempfile::tempdir().unwrap();
    let app = App::start(trellis_testkit::TestDb::sqlite(), None);
    let twin_a = new_person(&app, "Tove Lindqvist", "tove@twins.example");
    let twin_b = new_person(&app, "Tove Lindquist", "tove.l@twins.example");
    let gone = new_person(&app, "Forget Mee", "forget@me.example");
    let base = format!("http://{}", app.addr);
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("guests.csv");
    std::fs::write(
        &csv,
        "api_id,name,email,approval_status,checked_in_at\n\
         gst-1,Ada Upload,ada.upload@example.com,approved,2026-11-12T17:40:00Z\n",
    )
    .unwrap();
    app.block_on(async {
        let c = session(&chromium, port, profile.path()).await;
        log_in(&c, &base).await;
        c.set_window_size(390, 844).await.unwrap();

        // Propose a demo for someone not on record: the picker offers adding them.
        c.goto(&format!("{base}/events/18")).await.unwrap();
        click(&c, "#propose-link").await;
        wait_for(&c, "Presenter: name or e-mail").await;
        set(&c, "title", "Plant sensors").await;
        set(&c, "who", "Nell Newface").await;
        click(&c, "#propose").await;
        wait_for(&c, "Nobody on record matches").await;
        shot(&c, "propose-new-390").await;
        click(&c, "input[name=as_new]").await;
        click(&c, "#propose").await;
        wait_for(&c, "Record the screening of Plant sensors").await;

        // Screen it (every item passes), record the contract, confirm it.
        click(
            &c,
            "button[aria-label='Record the screening of Plant sensors']",
        )
        .await;
        wait_for(
            &c,
            "aria-label=\"Record contract accepted for Plant sensors\"",
        )
        .await;
        click(
            &c,
            "button[aria-label='Record contract accepted for Plant sensors']",
        )
        .await;
        wait_for(&c, "aria-label=\"Confirm Plant sensors into a slot\"").await;
        click(&c, "button[aria-label='Confirm Plant sensors into a slot']").await;
        wait_for(&c, "3 of 3 presenters confirmed").await;
        shot(&c, "event-confirmed-390").await;

        // Another demo, by someone on record (found by e-mail); one failed screening
        // item rejects it.
        c.goto(&format!("{base}/events/18/demos")).await.unwrap();
        set(&c, "title", "Laser harp").await;
        set(&c, "who", "tove@twins.example").await;
        click(&c, "#propose").await;
        wait_for(&c, "Record the screening of Laser harp").await;
        let url = c.current_url().await.unwrap();
        let anchor = url.fragment().unwrap().to_owned();
        assert!(anchor.starts_with("demo-"), "{url}");
        click(&c, &format!("#{anchor} input[value=fail]")).await;
        click(
            &c,
            "button[aria-label='Record the screening of Laser harp']",
        )
        .await;
        // The page already said "3 of 3" before the click: wait for the screening
        // button to go, which only the answer to the POST does.
        wait_until_gone(&c, "Record the screening of Laser harp").await;
        let demo: i64 = anchor.trim_start_matches("demo-").parse().unwrap();
        let d = app.store.demo(trellis_core::DemoId(demo)).await.unwrap();
        assert_eq!(d.status.as_str(), "rejected", "one failed item rejects");

        // Merge the twins from the duplicates page, then undo it from the kept page.
        c.goto(&format!("{base}/people/duplicates")).await.unwrap();
        click(
            &c,
            &format!(
                "a[href='/people/merge?keep={}&other={}']",
                twin_a.0, twin_b.0
            ),
        )
        .await;
        wait_for(&c, "Yes, merge them").await;
        shot(&c, "merge-confirm-390").await;
        click(&c, "#confirm").await;
        wait_for(&c, "Undo the merge").await;
        click(&c, "button[aria-label='Undo the merge of Tove Lindquist']").await;
        // The kept page names the other twin before and after: wait for the undo
        // button to go instead.
        wait_until_gone(&c, "Undo the merge").await;
        wait_for(&c, "Tove Lindquist").await;

        // Forget someone: the page says what goes first.
        c.goto(&format!("{base}/people/{}/forget", gone.0))
            .await
            .unwrap();
        wait_for(&c, "Stays, anonymous").await;
        shot(&c, "forget-confirm-390").await;
        click(&c, "#confirm").await;
        wait_for(&c, "This person was forgotten").await;

        // Upload a Luma file for the last held event: the dry run, then the import.
        c.goto(&format!("{base}/imports")).await.unwrap();
        c.find(Locator::Css("#event option[value='17']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.find(Locator::Id("file"))
            .await
            .unwrap()
            .send_keys(csv.to_str().unwrap())
            .await
            .unwrap();
        click(&c, "#upload-button").await;
        wait_for(&c, "Dry run: nothing is written yet").await;
        shot(&c, "import-dry-run-390").await;
        click(&c, "#confirm-import").await;
        wait_for(&c, "guests.csv (luma)").await;
        shot(&c, "imports-390").await;
    });
}

//! A co-hosted event in a real browser (issue 20, point 5): its page says who co-hosts
//! it and lets an organizer of the host change that (a bad choice said at the field);
//! the plan form offers a co-host; the co-host's public page lists it.
//! Screenshots in target/browser/cohost/.

use crate::browser::{browser, click, driver, log_in, session, shoot_both, wait_for};
use trellis_core::access::Role;
use trellis_core::event::EventStatus;
use trellis_core::{EventId, ProgramId};
use trellis_store::{Ctx, EventEdit};

const NEXT: i64 = 18;

#[test]
fn an_organizer_sees_and_changes_the_cohost() {
    let Some(chromium) = browser() else { return };
    let (_driver, port) = driver();
    let profile = tempfile::tempdir().unwrap();
    let app = crate::client::App::start(trellis_testkit::TestDb::sqlite(), None);
    let ctx = Ctx::new("test", crate::client::now());
    app.block_on(async {
        let lisbon = crate::cohost::chapter(&app, &ctx, "Lisbon builders").await;
        app.store
            .grant(&ctx, "org@x.example", lisbon, Role::Organizer)
            .await
            .unwrap();
        let edit = EventEdit {
            cohost: Some(Some(lisbon)),
            ..EventEdit::default()
        };
        app.store
            .edit_event(&ctx, EventId(NEXT), &edit)
            .await
            .unwrap();
        app.store
            .set_event_status(&ctx, EventId(NEXT), EventStatus::Announced, Some("test"))
            .await
            .unwrap();
        app.store.set_public_page(&ctx, lisbon, true).await.unwrap();
    });
    let base = format!("http://{}", app.addr);
    app.block_on(async {
        let c = session(&chromium, port, profile.path()).await;
        log_in(&c, &base).await;
        c.goto(&format!("{base}/events/{NEXT}")).await.unwrap();
        wait_for(&c, "co-hosted with Lisbon builders").await;
        shoot_both(&c, "cohost", "event", None).await;
        shoot_both(&c, "cohost", "event-form", Some("cohost")).await;
        c.goto(&format!("{base}/events")).await.unwrap();
        wait_for(&c, "Tinkerers Berlin, with Lisbon builders").await;
        shoot_both(&c, "cohost", "events", None).await;
        c.goto(&format!("{base}/events/new")).await.unwrap();
        wait_for(&c, "Co-host (optional)").await;
        shoot_both(&c, "cohost", "plan", None).await;

        // A choice the list does not offer (the host itself) is said at the field.
        c.goto(&format!("{base}/events/{NEXT}")).await.unwrap();
        wait_for(&c, "Save the co-host").await;
        c.execute(
            "const s = document.getElementById('cohost_program'); s.add(new Option('Tinkerers Berlin', '1')); s.value = '1';",
            vec![],
        )
        .await
        .unwrap();
        click(&c, "#save-cohost").await;
        wait_for(&c, "cohost_error").await;
        shoot_both(&c, "cohost", "event-error", Some("cohost")).await;

        // The co-host's public page lists the announced evening, marked.
        c.goto(&format!("{base}/p/lisbon-builders")).await.unwrap();
        wait_for(&c, "co-hosted with Tinkerers Berlin").await;
        shoot_both(&c, "cohost", "public", None).await;

        // Taken away from the event's page.
        c.goto(&format!("{base}/events/{NEXT}")).await.unwrap();
        wait_for(&c, "Save the co-host").await;
        c.execute(
            "document.getElementById('cohost_program').value = '';",
            vec![],
        )
        .await
        .unwrap();
        click(&c, "#save-cohost").await;
        crate::browser::wait_until_gone(&c, "co-hosted with Lisbon builders").await;
    });
    let e = app.block_on(app.store.event(EventId(NEXT))).unwrap();
    assert_eq!(e.cohost_program_id, None::<ProgramId>);
}

use super::Env;
use crate::cli::{NotifyFlags, OnOff, ProgramCmd};
use crate::output::table;
use trellis_core::program::Program;
use trellis_store::NewProgram;

fn settings_line(p: &Program) -> String {
    let s = &p.settings;
    format!(
        "demo target {} presenters, {} slots per event, follow-up minimum {}, retro due {} h after an event, {} pipeline moves per event, {} confirmed demos per presenter",
        s.demo_target,
        s.default_slots,
        s.followup_minimum,
        s.retro_hours,
        s.moves_per_event,
        s.demos_per_presenter
    )
}

pub async fn run(env: &Env, cmd: ProgramCmd) -> anyhow::Result<()> {
    match cmd {
        ProgramCmd::Add { name, tz, settings } => {
            let settings = settings.input().resolve()?;
            let p = env
                .store
                .create_program(&env.ctx, &NewProgram { name, tz, settings })
                .await?;
            env.out
                .emit(&serde_json::json!({ "id": p.id, "program": p }), || {
                    format!(
                        "program {} created: {} ({})\n{}",
                        p.id,
                        p.name,
                        p.tz,
                        settings_line(&p)
                    )
                })
        }
        ProgramCmd::Edit {
            id,
            settings,
            public,
            private,
        } => {
            let current = env.store.find_program(&id).await?;
            // Checked whole before anything is written.
            let s = settings.input().resolve_over(current.settings)?;
            let p = env.store.update_program_settings(current.id, &s).await?;
            let page = if public || private {
                let key = p.id.to_string();
                Some(
                    trellis_app::public_page::set_public(&env.store, &env.ctx, &key, public)
                        .await?
                        .1,
                )
            } else {
                None
            };
            let page_json = page.as_ref().map(|pg| {
                serde_json::json!({
                    "on": pg.on,
                    "path": pg.slug.as_ref().map(|s| format!("/p/{s}")),
                })
            });
            env.out.emit(
                &serde_json::json!({ "id": p.id, "program": p, "public_page": page_json }),
                || {
                    let mut text = format!(
                        "program {} updated: {}\n{}",
                        p.id,
                        p.name,
                        settings_line(&p)
                    );
                    if let Some(pg) = &page {
                        let path = pg
                            .slug
                            .as_deref()
                            .map_or(String::new(), |s| format!("/p/{s}"));
                        text.push_str(&if pg.on {
                            format!(
                                "\npublic page on: {path} (announced events and a call for demos)"
                            )
                        } else {
                            format!("\npublic page off ({path} answers 404)")
                        });
                    }
                    text
                },
            )
        }
        ProgramCmd::List => list(env).await,
        ProgramCmd::Show { id } => show(env, &id).await,
        ProgramCmd::Notify(flags) => notify(env, flags).await,
        ProgramCmd::CalendarSecret {
            id,
            rotate,
            public_url,
        } => calendar_secret(env, &id, rotate, &public_url).await,
    }
}

async fn list(env: &Env) -> anyhow::Result<()> {
    let programs = env.store.list_programs().await?;
    env.out.emit(&programs, || {
        if programs.is_empty() {
            return "no programs yet: `trellis program add <NAME> --tz <ZONE>`, or `trellis sample`".into();
        }
        let rows = programs
            .iter()
            .map(|p| {
                let s = &p.settings;
                vec![
                    p.id.to_string(),
                    p.name.clone(),
                    p.tz.clone(),
                    s.demo_target.to_string(),
                    s.default_slots.to_string(),
                    s.followup_minimum.to_string(),
                    s.retro_hours.to_string(),
                    s.moves_per_event.to_string(),
                ]
            })
            .collect();
        table(&["ID", "NAME", "TIME ZONE", "DEMO TARGET", "SLOTS", "FOLLOW-UPS", "RETRO H", "MOVES"], rows)
    })
}

async fn show(env: &Env, id: &str) -> anyhow::Result<()> {
    let page = trellis_app::programs::show(&env.store, id).await?;
    env.out.emit(&page, || {
        let p = &page.program;
        let mut s = format!(
            "program {}: {} ({})\n{}\n",
            p.id,
            p.name,
            p.tz,
            settings_line(p)
        );
        if page.events.is_empty() {
            s.push_str("no events yet");
        } else {
            s.push('\n');
            s.push_str(&super::event::events_table(&page.events, false));
        }
        s
    })
}

async fn notify(env: &Env, f: NotifyFlags) -> anyhow::Result<()> {
    use trellis_app::notify_settings::{SettingsChange, show, update};
    let unchanged = f.off.is_empty()
        && f.on.is_empty()
        && f.short_of_demos_days.is_none()
        && f.contract_reminder_days.is_none()
        && f.weekly_digest.is_none()
        && f.webhook.is_none();
    let view = if unchanged {
        show(&env.store, &f.id).await?
    } else {
        let change = SettingsChange {
            switch_on: f.on,
            switch_off: f.off,
            short_of_demos_days: f.short_of_demos_days,
            contract_reminder_days: f.contract_reminder_days,
            weekly_digest: f.weekly_digest.map(|w| matches!(w, OnOff::On)),
            webhook_url: f.webhook,
            ..SettingsChange::default()
        };
        update(&env.store, &f.id, change).await?
    };
    env.out.emit(&view, || {
        let kinds: Vec<String> = view
            .kinds
            .iter()
            .map(|k| format!("  {:<15} {}", k.name, if k.on { "on" } else { "off" }))
            .collect();
        format!(
            "program {}: {} · reminders\n{}\nshort of demos: first nudge {} days before\ncontract reminder: {} days after screening\nweekly digest: {}\nwebhook: {}",
            view.program,
            view.name,
            kinds.join("\n"),
            view.short_of_demos_days,
            view.contract_reminder_days,
            if view.weekly_digest { "on" } else { "off" },
            view.webhook_url.as_deref().unwrap_or("none"),
        )
    })
}

async fn calendar_secret(
    env: &Env,
    id: &str,
    rotate: bool,
    public_url: &str,
) -> anyhow::Result<()> {
    let p = env.store.find_program(id).await?;
    if env.store.has_calendar_secret(p.id).await? && !rotate {
        anyhow::bail!(
            "{} already has a calendar address; it is shown only once. `--rotate` makes a new one (the old one stops working)",
            p.name
        );
    }
    let url = trellis_app::notify_settings::rotate_calendar(&env.store, p.id, public_url).await?;
    env.out.emit(
        &serde_json::json!({ "program": p.id.0, "url": url }),
        || {
            format!(
                "{}'s calendar (keep it secret: the address is the key):\n{url}",
                p.name
            )
        },
    )
}

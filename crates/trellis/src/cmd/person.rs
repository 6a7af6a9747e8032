use super::{Env, parse_id};
use crate::cli::PersonCmd;
use crate::output::table;
use trellis_app::people::{PersonDetail, PersonView};
use trellis_core::PersonId;
use trellis_store::NewPerson;

pub async fn run(env: &Env, cmd: PersonCmd) -> anyhow::Result<()> {
    match cmd {
        PersonCmd::Add { name, emails } => add(env, NewPerson { name, emails }).await,
        PersonCmd::List => list(env).await,
        PersonCmd::Duplicates => duplicates(env).await,
        PersonCmd::Merge { keep, other } => {
            let keep = PersonId(parse_id("KEEP", &keep)?);
            let other = PersonId(parse_id("OTHER", &other)?);
            let m = trellis_app::people::merge(&env.store, &env.ctx, keep, other).await?;
            env.out.emit(&m, || {
                let moved: u64 = m.moved.values().sum();
                let combined: u64 = m.combined.values().sum();
                format!(
                    "person {} merged into person {} (merge {}): {moved} records moved, {combined} combined; undo: trellis person unmerge {}",
                    m.merged, m.kept, m.merge, m.merged
                )
            })
        }
        PersonCmd::Unmerge { id } => {
            let id = PersonId(parse_id("ID", &id)?);
            let u = trellis_app::people::unmerge(&env.store, &env.ctx, id).await?;
            env.out.emit(&u, || {
                format!(
                    "merge {} undone: person {} is separate from person {} again ({} records restored)",
                    u.merge, u.restored, u.kept, u.rows
                )
            })
        }
        PersonCmd::Export { id } => {
            let id = PersonId(parse_id("ID", &id)?);
            let x = trellis_app::people::export(&env.store, id).await?;
            // The export is JSON whichever way it is asked for.
            crate::output::write_stdout(&format!("{}\n", serde_json::to_string_pretty(&x)?))
        }
        PersonCmd::Forget { id } => forget(env, PersonId(parse_id("ID", &id)?)).await,
        PersonCmd::Edit {
            id,
            no_contact,
            contact_ok: _,
        } => edit(env, PersonId(parse_id("ID", &id)?), no_contact).await,
        PersonCmd::Show { id } => {
            let d = trellis_app::people::detail(&env.store, PersonId(parse_id("ID", &id)?)).await?;
            env.out.emit(&d, || detail_text(&d))
        }
    }
}

async fn add(env: &Env, new: NewPerson) -> anyhow::Result<()> {
    let p = PersonView::from(env.store.create_person(&env.ctx, &new).await?);
    env.out
        .emit(&serde_json::json!({ "id": p.id, "person": p }), || {
            let emails = if p.emails.is_empty() {
                String::new()
            } else {
                format!(" <{}>", p.emails.join(", "))
            };
            format!("person {} created: {}{emails}", p.id, p.name)
        })
}

async fn list(env: &Env) -> anyhow::Result<()> {
    let people = trellis_app::people::list(&env.store).await?;
    env.out.emit(&people, || {
        if people.is_empty() {
            return "no people yet: `trellis person add --name <NAME> --email <EMAIL>`".into();
        }
        let rows = people
            .iter()
            .map(|p| vec![p.id.to_string(), p.name.clone(), p.emails.join(", ")])
            .collect();
        table(&["ID", "NAME", "E-MAILS"], rows)
    })
}

async fn duplicates(env: &Env) -> anyhow::Result<()> {
    let list = trellis_app::people::duplicates(&env.store).await?;
    env.out.emit(&list, || {
        if list.is_empty() {
            return "no likely duplicates".into();
        }
        let mut s = String::new();
        for d in &list {
            s.push_str(&format!("{} {} / {} {}\n", d.a, d.a_name, d.b, d.b_name));
            for e in &d.evidence {
                s.push_str(&format!("  - {e}\n"));
            }
            s.push_str(&format!(
                "  if they are one person: trellis person merge {} {}\n",
                d.a, d.b
            ));
        }
        s.push_str("a name alone never merges anyone: look at the evidence first");
        s
    })
}

async fn forget(env: &Env, id: PersonId) -> anyhow::Result<()> {
    let f = trellis_app::people::forget(&env.store, &env.ctx, id).await?;
    env.out.emit(&f, || {
        let list = |m: &serde_json::Map<String, serde_json::Value>| {
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "person {id} forgotten: erased {}; kept anonymous: {}",
            list(&f.erased),
            list(&f.kept)
        )
    })
}

async fn edit(env: &Env, id: PersonId, no_contact: bool) -> anyhow::Result<()> {
    env.store.set_contact(id, no_contact).await?;
    env.out.emit(
        &serde_json::json!({ "id": id, "do_not_contact": no_contact }),
        || {
            if no_contact {
                format!("person {id} declined contact: no follow-ups will be suggested or recorded")
            } else {
                format!("person {id} may be contacted")
            }
        },
    )
}

fn detail_text(d: &PersonDetail) -> String {
    let p = &d.person;
    let mut s = format!("person {}: {}\n", p.id, p.name);
    s.push_str(&format!(
        "e-mails     {}\n",
        if p.emails.is_empty() {
            "–".into()
        } else {
            p.emails.join(", ")
        }
    ));
    for (platform, ids) in &d.platform_ids {
        s.push_str(&format!("{platform:<11} {}\n", ids.join(", ")));
    }
    let came = d
        .attendances
        .iter()
        .filter(|a| a.checked_in == trellis_core::attendance::CheckedIn::Yes)
        .count();
    s.push_str(&format!(
        "attendances {} ({} checked in)\n",
        d.attendances.len(),
        came
    ));
    if !d.attendances.is_empty() {
        let rows = d
            .attendances
            .iter()
            .map(|a| {
                vec![
                    a.event.to_string(),
                    a.event_title.clone(),
                    a.rsvp.to_string(),
                    a.checked_in.to_string(),
                ]
            })
            .collect();
        s.push_str(&format!(
            "\n{}\n",
            table(&["EVENT", "TITLE", "RSVP", "CHECKED IN"], rows)
        ));
    }
    if !d.demos.is_empty() {
        let rows = d
            .demos
            .iter()
            .map(|x| {
                vec![
                    x.id.to_string(),
                    x.event.to_string(),
                    x.title.clone(),
                    x.status.to_string(),
                ]
            })
            .collect();
        s.push_str(&format!(
            "\n{}\n",
            table(&["DEMO", "EVENT", "TITLE", "STATUS"], rows)
        ));
    }
    s
}

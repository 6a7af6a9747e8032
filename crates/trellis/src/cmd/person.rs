use super::{Env, parse_id};
use crate::cli::PersonCmd;
use crate::output::table;
use trellis_core::PersonId;
use trellis_store::NewPerson;

pub async fn run(env: &Env, cmd: PersonCmd) -> anyhow::Result<()> {
    match cmd {
        PersonCmd::Add { name, emails } => {
            let p = env
                .store
                .create_person(&env.ctx, &NewPerson { name, emails })
                .await?;
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
        PersonCmd::List => {
            let people = env.store.list_people().await?;
            env.out.emit(&people, || {
                if people.is_empty() {
                    return "no people yet: `trellis person add --name <NAME> --email <EMAIL>`"
                        .into();
                }
                let rows = people
                    .iter()
                    .map(|p| vec![p.id.to_string(), p.name.clone(), p.emails.join(", ")])
                    .collect();
                table(&["ID", "NAME", "E-MAILS"], rows)
            })
        }
        PersonCmd::Edit {
            id,
            no_contact,
            contact_ok: _,
        } => {
            let id = PersonId(parse_id("ID", &id)?);
            env.store.set_contact(id, no_contact).await?;
            env.out.emit(&serde_json::json!({ "id": id, "do_not_contact": no_contact }), || {
                if no_contact {
                    format!("person {id} declined contact: no follow-ups will be suggested or recorded")
                } else {
                    format!("person {id} may be contacted")
                }
            })
        }
        PersonCmd::Show { id } => {
            let id = PersonId(parse_id("ID", &id)?);
            let d = env.store.person_detail(id).await?;
            env.out.emit(&d, || {
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
            })
        }
    }
}

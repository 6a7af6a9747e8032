use super::{Env, parse_id};
use crate::cli::RetroCmd;
use trellis_app::retros::RetroView;
use trellis_core::retro::{PersonRef, Pick, RetroDraft, split_pick, template};
use trellis_core::{CoreError, EventId};

fn retro_text(r: &RetroView) -> String {
    let mut s = format!("retro of event {} '{}'", r.event, r.event_title);
    s.push_str(&format!(
        "\nwritten {} by {}{} (due {})\n",
        crate::output::instant(r.written_at),
        r.author,
        if r.late { ", LATE" } else { "" },
        crate::output::instant(r.due_at)
    ));
    for (h, t) in [
        ("What worked", &r.worked),
        ("What broke", &r.broke),
        ("What surprised us", &r.surprised),
    ] {
        s.push_str(&format!("\n## {h}\n{t}\n"));
    }
    s.push_str("\n## Who to invite next time\n");
    if r.invite.is_empty() {
        s.push_str("–\n");
    }
    for p in &r.invite {
        s.push_str(&format!("- {} ({})\n", p.name, p.id));
    }
    s.push_str("\n## Follow up with\n");
    for p in &r.follow_up {
        s.push_str(&format!(
            "- {} ({}): {}\n",
            p.person.name, p.person.id, p.why
        ));
    }
    s
}

/// A retro is a page of Markdown; a file larger than this is a mistake (`--file
/// /dev/zero` once grew the process to 14 GB), refused before it is read whole.
const MAX_RETRO_BYTES: u64 = 1 << 20;

fn read_source(path: &str) -> anyhow::Result<String> {
    use std::io::Read as _;
    let (field, bytes) = if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(MAX_RETRO_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| CoreError::at("--file -", format!("cannot read standard input: {e}")))?;
        ("--file -".to_owned(), bytes)
    } else {
        let field = format!("--file {path}");
        let file = std::fs::File::open(path)
            .map_err(|e| CoreError::at(field.clone(), format!("cannot read it: {e}")))?;
        let mut bytes = Vec::new();
        file.take(MAX_RETRO_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| CoreError::at(field.clone(), format!("cannot read it: {e}")))?;
        (field, bytes)
    };
    if bytes.len() as u64 > MAX_RETRO_BYTES {
        return Err(
            CoreError::at(field, "is larger than 1 MiB; a retro is a page of Markdown").into(),
        );
    }
    String::from_utf8(bytes).map_err(|_| {
        CoreError::at(path, "is not UTF-8 text; save the retro as UTF-8 Markdown").into()
    })
}

pub async fn run(env: &Env, cmd: RetroCmd) -> anyhow::Result<()> {
    match cmd {
        RetroCmd::Template { event } => {
            let title = match event {
                Some(e) => Some(
                    env.store
                        .event(EventId(parse_id("--event", &e)?))
                        .await?
                        .title,
                ),
                None => None,
            };
            let t = template(title.as_deref());
            env.out
                .emit(&serde_json::json!({ "template": t }), || t.clone())
        }
        RetroCmd::Write {
            event,
            file,
            worked,
            broke,
            surprised,
            invite,
            follow_up,
            replace,
        } => {
            let event = EventId(parse_id("EVENT", &event)?);
            let (draft, source) = match file {
                Some(path) => from_file(&path)?,
                None => {
                    let draft = RetroDraft {
                        worked: worked.unwrap_or_default(),
                        broke: broke.unwrap_or_default(),
                        surprised: surprised.unwrap_or_default(),
                        invite: invite
                            .into_iter()
                            .map(|text| PersonRef { text, line: None })
                            .collect(),
                        follow_up: picks(&follow_up)?,
                    };
                    (draft, "retro".to_owned())
                }
            };
            write(env, event, &draft, &source, replace).await
        }
        RetroCmd::Show { event } => {
            let r =
                trellis_app::retros::show(&env.store, EventId(parse_id("EVENT", &event)?)).await?;
            env.out.emit(&r, || retro_text(&r))
        }
    }
}

/// The filled template, from a file or `-` (standard input), and the name it is known by.
fn from_file(path: &str) -> anyhow::Result<(RetroDraft, String)> {
    let text = read_source(path)?;
    let name = if path == "-" {
        "stdin".to_owned()
    } else {
        path.to_owned()
    };
    Ok((trellis_core::retro::parse(&name, &text)?, name))
}

/// The `--follow-up PERSON=WHY` flags.
fn picks(follow_up: &[String]) -> Result<Vec<Pick>, CoreError> {
    let mut picks = Vec::new();
    for raw in follow_up {
        let Some((person, why)) = split_pick(raw).filter(|(p, w)| !p.is_empty() && !w.is_empty())
        else {
            return Err(CoreError::invalid("--follow-up", raw, "is not PERSON=WHY"));
        };
        picks.push(Pick {
            person: PersonRef {
                text: person.to_owned(),
                line: None,
            },
            why: why.to_owned(),
        });
    }
    Ok(picks)
}

async fn write(
    env: &Env,
    event: EventId,
    draft: &RetroDraft,
    source: &str,
    replace: bool,
) -> anyhow::Result<()> {
    let r = RetroView::from(
        env.store
            .write_retro(&env.ctx, event, draft, source, replace)
            .await?,
    );
    env.out.emit(&r, || {
        format!(
            "retro of event {} '{}' recorded{}; follow up with {}",
            r.event,
            r.event_title,
            if r.late {
                format!(" (late: it was due {})", crate::output::instant(r.due_at))
            } else {
                String::new()
            },
            r.follow_up
                .iter()
                .map(|p| p.person.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

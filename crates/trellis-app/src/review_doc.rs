//! A review as a Markdown document (`trellis review show <ID> --format md`): the frozen
//! screen, the insight and the overrides, to paste into a note for a manager.

use crate::reviews::ReviewView;
use std::fmt::Write as _;

/// The review's document; `scope` names its program ("All programs" for an org-wide one).
pub fn markdown(r: &ReviewView, scope: &str) -> String {
    let mut md = format!(
        "# Metric review of {}: {scope}\n\nStarted {} UTC by {}",
        r.started_at.strftime("%Y-%m-%d"),
        r.started_at.strftime("%Y-%m-%d %H:%M"),
        r.started_by
    );
    match r.minutes {
        Some(m) => {
            let _ = write!(md, ", took {m} min");
            if r.long {
                md.push_str(" (longer than 15)");
            }
        }
        None => md.push_str(", still open"),
    }
    md.push_str(".\n\n## The insight\n\n");
    match &r.insight {
        Some(i) => {
            let _ = writeln!(md, "> {}", i.replace('\n', "\n> "));
        }
        None => md.push_str("Not written yet: the review is open.\n"),
    }
    md.push_str("\n## The screen as it stood\n\n");
    let b = &r.block;
    match b.returning_builders.last() {
        Some(p) => {
            let rate = p
                .rate
                .map_or("–".to_owned(), |v| format!("{:.0}%", v * 100.0));
            let est = if p.estimated {
                " (estimated from RSVPs)"
            } else {
                ""
            };
            let _ = writeln!(
                md,
                "- **Returning builders:** {rate}, {} of {} at {}{est}",
                p.returning, p.attended, p.title
            );
        }
        None => md.push_str("- **Returning builders:** no held event yet\n"),
    }
    // In the board's order, not the map's.
    let stages: Vec<String> = trellis_core::pipeline::Stage::ALL
        .iter()
        .map(|s| {
            let n = b.pipeline.stages.get(s.as_str()).copied().unwrap_or(0);
            format!("{} {n}", s.as_str().replace('_', " "))
        })
        .collect();
    let _ = writeln!(
        md,
        "- **Speaker pipeline:** {}; {} of {} people moved ahead in the cycle; {} quiet killers",
        stages.join(", "),
        b.pipeline.moves_this_cycle,
        b.pipeline.minimum,
        b.pipeline.quiet_killers
    );
    match &b.next_event {
        Some(n) => {
            let _ = writeln!(
                md,
                "- **Next event's demos:** {} of {} confirmed for {}",
                n.demos_confirmed, n.demo_target, n.title
            );
        }
        None => md.push_str("- **Next event's demos:** no event planned\n"),
    }
    match &b.followups {
        Some(f) => {
            let _ = writeln!(
                md,
                "- **Follow-ups:** {} of {} sent, {} answered, for {}",
                f.sent, f.minimum, f.answered, f.title
            );
        }
        None => md.push_str("- **Follow-ups:** no held event yet\n"),
    }
    let _ = write!(
        md,
        "\n## Overrides since the review before ({})\n\n",
        b.overrides.len()
    );
    if b.overrides.is_empty() {
        md.push_str("No gate was passed by override.\n");
    }
    for o in &b.overrides {
        let s = |k: &str| o[k].as_str().unwrap_or_default().to_owned();
        let _ = writeln!(
            md,
            "- {} · {} · by {}: “{}”",
            s("at").get(..10).unwrap_or_default(),
            s("gate").replace('_', " "),
            s("actor"),
            s("reason")
        );
    }
    md
}

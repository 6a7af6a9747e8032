//! A program's notification settings as a use case: shown and changed the same way by
//! `trellis program notify` and the admin page.

use crate::AppError;
use serde::Serialize;
use trellis_core::ProgramId;
use trellis_core::notify_settings::{GROUPS, NotifySettings};
use trellis_store::Store;

/// One switchable kind of message.
#[derive(Debug, Clone, Serialize)]
pub struct KindSwitch {
    pub name: &'static str,
    pub label: &'static str,
    pub on: bool,
}

/// A program's notification settings, as `program notify --json` shows them.
#[derive(Debug, Clone, Serialize)]
pub struct NotifySettingsView {
    pub program: i64,
    pub name: String,
    pub kinds: Vec<KindSwitch>,
    pub short_of_demos_days: u32,
    pub contract_reminder_days: u32,
    pub weekly_digest: bool,
    pub webhook_url: Option<String>,
    /// Whether the program's calendar has a secret URL (it is shown only when made).
    pub calendar: bool,
}

impl NotifySettingsView {
    fn of(program: &trellis_core::program::Program, s: &NotifySettings, calendar: bool) -> Self {
        NotifySettingsView {
            program: program.id.0,
            name: program.name.clone(),
            kinds: GROUPS
                .iter()
                .map(|&(name, label)| KindSwitch {
                    name,
                    label,
                    on: !s.off.iter().any(|o| o == name),
                })
                .collect(),
            short_of_demos_days: s.short_of_demos_days,
            contract_reminder_days: s.contract_reminder_days,
            weekly_digest: s.weekly_digest,
            webhook_url: s.webhook_url.clone(),
            calendar,
        }
    }
}

/// A change: what is named changes, the rest keeps its value.
#[derive(Debug, Clone, Default)]
pub struct SettingsChange {
    /// The complete list of groups to switch off (replaces the stored list).
    pub off: Option<Vec<String>>,
    /// Groups to switch on / off, on top of the stored list.
    pub switch_on: Vec<String>,
    pub switch_off: Vec<String>,
    pub short_of_demos_days: Option<u32>,
    pub contract_reminder_days: Option<u32>,
    pub weekly_digest: Option<bool>,
    /// `Some("")` removes the webhook.
    pub webhook_url: Option<String>,
}

impl SettingsChange {
    /// The change applied over the stored settings, checked whole.
    pub fn over(self, mut s: NotifySettings) -> Result<NotifySettings, AppError> {
        if let Some(off) = self.off {
            s.off = off;
        }
        s.off.retain(|g| !self.switch_on.contains(g));
        s.off.extend(self.switch_off);
        if let Some(d) = self.short_of_demos_days {
            s.short_of_demos_days = d;
        }
        if let Some(d) = self.contract_reminder_days {
            s.contract_reminder_days = d;
        }
        if let Some(w) = self.weekly_digest {
            s.weekly_digest = w;
        }
        if let Some(u) = self.webhook_url {
            s.webhook_url = Some(u);
        }
        Ok(s.validate()?)
    }
}

/// A program's settings, by its id or exact name.
pub async fn show(store: &Store, program: &str) -> Result<NotifySettingsView, AppError> {
    let p = store.find_program(program).await?;
    view(store, &p).await
}

async fn view(
    store: &Store,
    p: &trellis_core::program::Program,
) -> Result<NotifySettingsView, AppError> {
    let s = store.notify_settings(p.id).await?;
    let calendar = store.has_calendar_secret(p.id).await?;
    Ok(NotifySettingsView::of(p, &s, calendar))
}

/// Changes a program's settings; nothing is written when a value is wrong.
pub async fn update(
    store: &Store,
    program: &str,
    change: SettingsChange,
) -> Result<NotifySettingsView, AppError> {
    let p = store.find_program(program).await?;
    let s = change.over(store.notify_settings(p.id).await?)?;
    store.set_notify_settings(p.id, &s).await?;
    view(store, &p).await
}

/// A new secret calendar URL for a program; the old one stops working.
pub async fn rotate_calendar(
    store: &Store,
    program: ProgramId,
    public_url: &str,
) -> Result<String, AppError> {
    let secret = store.rotate_calendar_secret(program).await?;
    Ok(calendar_url(public_url, &secret))
}

/// The calendar's address for a secret.
pub fn calendar_url(public_url: &str, secret: &str) -> String {
    format!("{}/calendar/{secret}.ics", public_url.trim_end_matches('/'))
}

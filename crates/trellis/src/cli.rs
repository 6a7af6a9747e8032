//! The command line, as clap derives it. Names, flags and exit codes here are a public
//! contract that users' scripts rely on: add, never rename.

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "trellis",
    version,
    about = "Run a developer-community program on mechanisms instead of heroics.",
    long_about = "Run a developer-community program on mechanisms instead of heroics.\n\n\
        Demo slots are inventory; an event cannot be announced until enough demos are confirmed.\n\
        Exit codes: 0 done, 1 error (bad input, not found, I/O), 2 usage, 3 refused by a gate."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// The database: a file path or sqlite: URL (embedded SQLite), or a postgres:// URL.
    #[arg(
        long,
        global = true,
        env = "TRELLIS_DB",
        default_value = "trellis.db",
        value_name = "PATH|URL"
    )]
    pub db: String,
    /// Print one JSON object or array on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Who is acting, recorded with every change (default: $USER).
    #[arg(long = "as", global = true, env = "TRELLIS_ACTOR", value_name = "NAME")]
    pub actor: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Programs: recurring series such as "Tinkerers Berlin", with their settings.
    #[command(subcommand)]
    Program(ProgramCmd),
    /// People: anyone who attended, presented or was introduced.
    #[command(subcommand)]
    Person(PersonCmd),
    /// Events: plan, announce (gated), hold, close or cancel.
    #[command(subcommand)]
    Event(EventCmd),
    /// Record a person's RSVP or check-in at an event.
    Attend(AttendArgs),
    /// Demos: claims on an event's demo slots, from proposal to presentation.
    #[command(subcommand)]
    Demo(DemoCmd),
    /// Load a realistic, deterministic sample community.
    Sample(SampleArgs),
    /// The 48-hour retro: a fixed template, written before the next event is planned.
    #[command(subcommand)]
    Retro(RetroCmd),
    /// The follow-up minimum: ask people "what did you do next?" after every event.
    #[command(subcommand)]
    Followup(FollowupCmd),
    /// The speaker pipeline board (bare `board` shows it).
    Board(BoardArgs),
    /// Collaboration sparks: introductions, and whether they turned into action.
    #[command(subcommand)]
    Spark(SparkCmd),
    /// Organizers of the programs.
    #[command(subcommand)]
    Organizer(OrganizerCmd),
    /// An organizer's fatigue check-in after an event (Copenhagen Burnout Inventory, work scale).
    Checkin(CheckinArgs),
    /// Metric reviews: a 15-minute block on one screen, ending with one insight.
    #[command(subcommand)]
    Review(ReviewCmd),
    /// An iCalendar feed of events and due dates (retro, follow-ups, next review).
    Calendar {
        #[arg(long)]
        program: Option<String>,
    },
    /// Chat exports (WhatsApp, Telegram, Discord, Slack), read without the database.
    #[command(subcommand)]
    Chat(ChatCmd),
    /// Listening to the community chat: import an export, the discussion report of an event.
    #[command(subcommand)]
    Listen(ListenCmd),
    /// E-mail: check the SMTP configuration by sending one message.
    #[command(subcommand)]
    Mail(MailCmd),
    /// Every message Trellis means to send or has sent (planned, sent, failed, cancelled).
    Outbox(OutboxArgs),
    /// Reminders and messages: plan what is due and send it.
    #[command(subcommand)]
    Notify(NotifyCmd),
    /// The review's metrics on one screen, computed from recorded history.
    Metrics(MetricsArgs),
    /// Serve the web app: the dashboard, event pages, the public pages and the JSON API.
    Serve(ServeArgs),
    /// Web app accounts.
    #[command(subcommand)]
    User(UserCmd),
    /// API tokens for automation.
    #[command(subcommand)]
    Token(TokenCmd),
    /// Import a platform's export into an event: luma, eventbrite, meetup (attendees),
    /// sessionize, pretalx (demos and speakers). Re-importing is a no-op; a later export
    /// of the same event updates it in place.
    Import(ImportArgs),
    /// List recorded imports.
    Imports {
        /// Only this event's imports.
        #[arg(long)]
        event: Option<String>,
    },
    /// Write the whole database as one JSON document (to stdout, or --output FILE); or,
    /// with --csv DIR, a CSV file per table and a README of their columns.
    Export {
        #[arg(long, short = 'o', value_name = "FILE", conflicts_with = "csv")]
        output: Option<std::path::PathBuf>,
        /// A new (or empty) folder for one CSV file per table, for spreadsheets.
        #[arg(long, value_name = "DIR")]
        csv: Option<std::path::PathBuf>,
    },
    /// Restore a `trellis export` document into a new, empty database (either backend).
    Restore {
        /// The document, or - for standard input.
        file: String,
    },
    /// List the overrides organizers used to pass blocked gates.
    Overrides {
        /// Only this program's overrides.
        #[arg(long)]
        program: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProgramCmd {
    /// Create a program.
    #[command(allow_negative_numbers = true)]
    Add {
        /// Its name, unique (e.g. "Tinkerers Berlin").
        name: String,
        /// The IANA time zone its events happen in (e.g. Europe/Berlin).
        #[arg(long)]
        tz: String,
        #[command(flatten)]
        settings: SettingFlags,
    },
    /// Change a program's settings; a setting not named keeps its value.
    #[command(allow_negative_numbers = true)]
    Edit {
        /// The program's id (or exact name).
        id: String,
        #[command(flatten)]
        settings: SettingFlags,
        /// Turn on the program's public page (`/p/<slug>`): its announced events and a
        /// call for demos anyone may answer without an account.
        #[arg(long, conflicts_with = "private")]
        public: bool,
        /// Turn the public page off (the default).
        #[arg(long)]
        private: bool,
    },
    /// List programs.
    List,
    /// Show a program with its settings and events.
    Show {
        /// The program's id (or exact name).
        id: String,
    },
    /// Show or change which reminders a program sends; a setting not named keeps its value.
    Notify(NotifyFlags),
    /// Make the secret address of a program's calendar feed (events and due dates); with
    /// --rotate, a new one replaces the old, which stops working.
    CalendarSecret {
        /// The program's id (or exact name).
        id: String,
        /// Replace an existing secret (the old address stops working).
        #[arg(long)]
        rotate: bool,
        #[arg(
            long,
            env = "TRELLIS_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
    },
}

/// `program notify`'s flags.
#[derive(Debug, Clone, clap::Args)]
pub struct NotifyFlags {
    /// The program's id (or exact name).
    pub id: String,
    /// Kinds to switch off: retro, followups, short_of_demos, review, checkin, contract.
    #[arg(long, value_delimiter = ',', value_name = "KIND")]
    pub off: Vec<String>,
    /// Kinds to switch back on.
    #[arg(long, value_delimiter = ',', value_name = "KIND")]
    pub on: Vec<String>,
    /// Days before an event when its organizers first hear it is short of demos.
    #[arg(long, value_name = "DAYS")]
    pub short_of_demos_days: Option<u32>,
    /// Days after screening before a presenter is reminded of the contract.
    #[arg(long, value_name = "DAYS")]
    pub contract_reminder_days: Option<u32>,
    /// One weekly digest per organizer instead of single nudges.
    #[arg(long, value_name = "on|off")]
    pub weekly_digest: Option<OnOff>,
    /// A Slack- or Discord-compatible incoming webhook for the organizers' nudges ("" removes it).
    #[arg(long = "webhook-url", value_name = "URL")]
    pub webhook: Option<String>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

/// A program's settings as flags: `program add` and `program edit` take every one.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct SettingFlags {
    /// Distinct presenters with a confirmed demo needed before an event may be announced.
    #[arg(long, value_name = "N")]
    pub demo_target: Option<i64>,
    /// Demo slots a new event gets.
    #[arg(long, value_name = "N")]
    pub slots: Option<i64>,
    /// People to follow up with after each event.
    #[arg(long, value_name = "N")]
    pub followup_minimum: Option<i64>,
    /// Hours after an event by which its retro is due.
    #[arg(long, value_name = "N")]
    pub retro_hours: Option<i64>,
    /// Forward moves on the speaker pipeline per event cycle.
    #[arg(long, value_name = "N")]
    pub moves_per_event: Option<i64>,
    /// Confirmed slots one presenter may hold at one event (default 1).
    #[arg(long, value_name = "N")]
    pub demos_per_presenter: Option<i64>,
}

impl SettingFlags {
    pub fn input(self) -> trellis_core::program::SettingsInput {
        trellis_core::program::SettingsInput {
            demo_target: self.demo_target,
            slots: self.slots,
            followup_minimum: self.followup_minimum,
            retro_hours: self.retro_hours,
            moves_per_event: self.moves_per_event,
            demos_per_presenter: self.demos_per_presenter,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum PersonCmd {
    /// Add a person.
    Add {
        #[arg(long)]
        name: String,
        /// An e-mail address; repeat for several.
        #[arg(long = "email", value_name = "EMAIL")]
        emails: Vec<String>,
    },
    /// List people.
    List,
    /// Show a person with their attendances and demos.
    Show { id: String },
    /// Likely duplicates (same name after Unicode normalisation and case folding, names
    /// in another order, similar names at one e-mail domain), with the evidence.
    Duplicates,
    /// Merge OTHER into KEEP: every record of OTHER moves to KEEP; undo with `unmerge`.
    Merge { keep: String, other: String },
    /// Undo the merge of ID (the person that was merged away).
    Unmerge { id: String },
    /// Everything stored about a person, as JSON.
    Export { id: String },
    /// Erase a person's name, e-mails, platform ids and answers; keep anonymous counts so
    /// past metrics stay the same.
    Forget { id: String },
    /// Change whether a person may be contacted for follow-ups.
    #[command(group(clap::ArgGroup::new("contact").required(true).args(["no_contact", "contact_ok"])))]
    Edit {
        id: String,
        /// They declined contact: never suggest or record a follow-up for them.
        #[arg(long)]
        no_contact: bool,
        /// They may be contacted again.
        #[arg(long)]
        contact_ok: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum EventCmd {
    /// Plan an event (it starts as a draft).
    #[command(allow_negative_numbers = true)]
    New {
        /// The program's id (or exact name).
        #[arg(long)]
        program: String,
        #[arg(long)]
        title: String,
        /// The start, "YYYY-MM-DD HH:MM" local to the program's time zone. A time that
        /// happens twice (the clocks go back) needs its offset: "2027-10-31 02:30 +01:00".
        #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
        at: String,
        /// Demo slots (default: the program's setting).
        #[arg(long, value_name = "N")]
        slots: Option<i64>,
        #[arg(long)]
        venue: Option<String>,
        /// How many people the venue holds.
        #[arg(long, value_name = "N")]
        capacity: Option<i64>,
        /// Plan it although the last event has no retro; the reason is stored.
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
        /// Enter an event that already happened as history: created directly as held,
        /// recorded as backfilled; no gate is asked and it has no time-to-ship.
        #[arg(long, conflicts_with = "override_reason")]
        backfill: bool,
        /// A second program co-hosting the event (id or exact name): it counts in both
        /// programs' metrics and once org-wide; the host's settings guard its gates.
        #[arg(long, value_name = "PROGRAM")]
        cohost: Option<String>,
    },
    /// List events, oldest first.
    List {
        /// Only this program's events.
        #[arg(long)]
        program: Option<String>,
    },
    /// Show an event: status, slots, demos, and every gate's verdict on its next step.
    Show { id: String },
    /// Change an event's plan.
    #[command(allow_negative_numbers = true)]
    Edit {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
        at: Option<String>,
        #[arg(long, value_name = "N")]
        slots: Option<i64>,
        #[arg(long)]
        venue: Option<String>,
        #[arg(long, value_name = "N")]
        capacity: Option<i64>,
        /// Name a program as co-host (id or exact name).
        #[arg(long, value_name = "PROGRAM", conflicts_with = "no_cohost")]
        cohost: Option<String>,
        /// Take the co-host away.
        #[arg(long)]
        no_cohost: bool,
    },
    /// Announce an event publicly (gated: enough demos must be confirmed).
    Announce {
        id: String,
        /// Pass the blocked gates anyway; the reason is stored and shown at the review.
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
    },
    /// Mark an announced event as held (it happened).
    Held { id: String },
    /// Close a held event's cycle.
    Close {
        id: String,
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
    },
    /// Cancel a draft or announced event.
    Cancel { id: String },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RsvpArg {
    Going,
    Waitlist,
    Declined,
    Invited,
}

#[derive(Debug, Args)]
pub struct AttendArgs {
    /// The event's id.
    pub event: String,
    /// The person's id.
    pub person: String,
    #[arg(long, value_enum)]
    pub rsvp: Option<RsvpArg>,
    /// The person was checked in at the door.
    #[arg(long, conflicts_with = "absent")]
    pub checked_in: bool,
    /// The person was expected but not checked in.
    #[arg(long)]
    pub absent: bool,
}

#[derive(Debug, Subcommand)]
pub enum DemoCmd {
    /// Propose a demo for an event.
    Propose {
        #[arg(long)]
        event: String,
        /// The presenter's id; repeat for co-presenters.
        #[arg(long = "person", value_name = "ID", required = true)]
        persons: Vec<String>,
        #[arg(long)]
        title: String,
    },
    /// Record the lightweight screening.
    #[command(group(clap::ArgGroup::new("verdict").required(true).args(["pass", "fail"])))]
    Screen {
        id: String,
        #[arg(long)]
        pass: bool,
        #[arg(long)]
        fail: bool,
        /// Ticked checklist items, comma-separated: live_demo,built_it,fits_time,wip_welcome
        /// (default with --pass: all of them).
        #[arg(long, value_name = "ITEMS")]
        checklist: Option<String>,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Record that the presenter accepted the demo slot contract.
    Contract { id: String },
    /// Confirm a demo into a slot (gated: screening, contract, a free slot).
    Confirm {
        id: String,
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
    },
    /// The demo was presented.
    Presented { id: String },
    /// The presenter did not show up.
    NoShow { id: String },
    /// The presenter stepped back; the slot is free again.
    Withdraw { id: String },
    /// Show a demo.
    Show { id: String },
    /// Print the public link where the presenter reads and accepts the contract.
    Link {
        id: String,
        #[arg(
            long,
            env = "TRELLIS_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
    },
    /// List an event's demos.
    List {
        #[arg(long)]
        event: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SampleSize {
    Small,
    Large,
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// small: one program, 18 monthly events; large: 50 programs × 60 events, for benchmarks.
    #[arg(long, value_enum, default_value = "small")]
    pub size: SampleSize,
    /// The seed: the same seed gives the same community.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also write the first program's community chat (a WhatsApp export, already
    /// imported) to this file, to try `trellis listen import` by hand.
    #[arg(long, value_name = "FILE")]
    pub write_chat: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum RetroCmd {
    /// Print the retro template as Markdown.
    Template {
        /// Fill in the event's title.
        #[arg(long)]
        event: Option<String>,
    },
    /// Record an event's retro, from the filled template or from flags.
    Write {
        event: String,
        /// The filled template (Markdown); `-` reads standard input.
        #[arg(long, conflicts_with_all = ["worked", "broke", "surprised", "invite", "follow_up"])]
        file: Option<String>,
        #[arg(long, value_name = "TEXT")]
        worked: Option<String>,
        #[arg(long, value_name = "TEXT")]
        broke: Option<String>,
        #[arg(long, value_name = "TEXT")]
        surprised: Option<String>,
        /// Someone to invite next time (id, e-mail or exact name); repeat.
        #[arg(long, value_name = "PERSON")]
        invite: Vec<String>,
        /// PERSON=WHY, exactly three times.
        #[arg(long = "follow-up", value_name = "PERSON=WHY")]
        follow_up: Vec<String>,
        /// Rewrite an existing retro.
        #[arg(long)]
        replace: bool,
    },
    /// Show an event's retro.
    Show { event: String },
}

#[derive(Debug, Subcommand)]
pub enum FollowupCmd {
    /// Propose whom to ask after an event, with the rule stated.
    Suggest {
        event: String,
        #[arg(long, default_value_t = 10)]
        n: usize,
    },
    /// Record a follow-up; prints a ready-to-paste message (with a link for a form).
    /// `--channel email` mails each person their message and form link instead.
    Send {
        event: String,
        /// The person (required unless `--suggested`).
        #[arg(required_unless_present = "suggested")]
        person: Option<String>,
        #[arg(long)]
        channel: String,
        /// Everyone `followup suggest` proposes (with `--channel email`).
        #[arg(long, conflicts_with = "person")]
        suggested: bool,
        /// Where the answer pages are served (for form links).
        #[arg(
            long,
            env = "TRELLIS_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
        #[command(flatten)]
        mail: MailArgs,
    },
    /// Record an answer, by the form's token or the follow-up's id.
    Answer {
        key: String,
        #[arg(long)]
        text: String,
        /// built, shipped, collaborated, came_back or nothing.
        #[arg(long)]
        outcome: Option<String>,
    },
    /// Follow-ups sent against the minimum, answers, and the due date.
    Status { event: String },
}

#[derive(Debug, Args)]
pub struct BoardArgs {
    /// The program whose board (needed when there are several).
    #[arg(long, global = true)]
    pub program: Option<String>,
    #[command(subcommand)]
    pub cmd: Option<BoardCmd>,
}

#[derive(Debug, Subcommand)]
pub enum BoardCmd {
    /// Put a person on the board (adding a card is not a move).
    Add {
        person: String,
        #[arg(long, default_value = "spotted")]
        stage: String,
        /// A great builder who does not self-promote.
        #[arg(long)]
        quiet_killer: bool,
    },
    /// Move a person one step forward.
    Forward { person: String },
    /// Move a person to a stage (forward or back).
    Move {
        person: String,
        #[arg(long)]
        to: String,
    },
    /// Set or clear the quiet-killer flag.
    #[command(group(clap::ArgGroup::new("flag").required(true).args(["quiet_killer", "clear"])))]
    Flag {
        person: String,
        #[arg(long)]
        quiet_killer: bool,
        #[arg(long)]
        clear: bool,
    },
    /// Every move, oldest first.
    History,
}

#[derive(Debug, Subcommand)]
pub enum SparkCmd {
    /// Record an introduction between two people.
    Add {
        a: String,
        b: String,
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// The introduction turned into action.
    Acted {
        id: String,
        #[arg(long)]
        note: String,
    },
    /// List sparks.
    List {
        #[arg(long)]
        program: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrganizerCmd {
    /// Add an organizer.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// A program they organize; repeat.
        #[arg(long = "program")]
        programs: Vec<String>,
    },
    /// List organizers, active and retired.
    List,
    /// Retire an organizer: they stay in history; the due items they own (retro,
    /// follow-ups) and the reminders planned for them move to the organizer named.
    Retire {
        /// The organizer's name or id.
        organizer: String,
        /// The co-organizer who takes their work over (name or id).
        #[arg(long)]
        to: Option<String>,
    },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct CheckinArgs {
    #[command(subcommand)]
    pub show: Option<CheckinCmd>,
    #[arg(required = true)]
    pub event: Option<String>,
    /// The organizer's name or id.
    #[arg(long, required = true)]
    pub organizer: Option<String>,
    /// Seven answers, each 1 (first option) to 5 (last option); asked interactively when
    /// omitted on a terminal.
    #[arg(long, value_name = "a,b,c,d,e,f,g")]
    pub answers: Option<String>,
    /// Hours spent on this event.
    #[arg(long, required = true)]
    pub hours: Option<f64>,
}

#[derive(Debug, Subcommand)]
pub enum CheckinCmd {
    /// An organizer's own check-ins, oldest first: their trend.
    Show {
        /// The organizer's name or id.
        #[arg(long)]
        organizer: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReviewCmd {
    /// Start a review: freezes the review block.
    Start {
        #[arg(long)]
        program: Option<String>,
    },
    /// End the open review with its one insight.
    Close {
        #[arg(long)]
        insight: String,
        #[arg(long)]
        program: Option<String>,
    },
    /// List reviews.
    List {
        #[arg(long)]
        program: Option<String>,
    },
    /// Show a review (default: the latest); --format md|html writes it as a document to
    /// paste or attach (the frozen screen, the insight, the overrides).
    Show {
        id: Option<String>,
        #[arg(long, value_enum)]
        format: Option<DocFormat>,
    },
}

/// A document's format.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DocFormat {
    /// Markdown, to paste.
    Md,
    /// One self-contained HTML file, to attach or print.
    Html,
}

#[derive(Debug, Subcommand)]
pub enum ChatCmd {
    /// Count what a chat export holds: messages, system lines, media, authors, time span.
    Stats(ChatStatsArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ChatFormatArg {
    Auto,
    Whatsapp,
    Telegram,
    Discord,
    Slack,
}

#[derive(Debug, Args)]
pub struct ChatStatsArgs {
    /// The export: WhatsApp .txt or .zip, Telegram result.json, DiscordChatExporter .json,
    /// Slack export .zip or folder.
    pub file: std::path::PathBuf,
    #[command(flatten)]
    pub read: ChatReadArgs,
}

/// How to read a chat export.
#[derive(Debug, Args)]
pub struct ChatReadArgs {
    /// The app that wrote it (auto: tell from the content).
    #[arg(long, value_enum, default_value = "auto")]
    pub format: ChatFormatArg,
    /// WhatsApp: read dates as day/month whatever the file's dates suggest.
    #[arg(long, conflicts_with = "month_first")]
    pub day_first: bool,
    /// WhatsApp: read dates as month/day whatever the file's dates suggest.
    #[arg(long)]
    pub month_first: bool,
}

#[derive(Debug, Subcommand)]
pub enum ListenCmd {
    /// Store a chat export's messages for a program (re-importing adds only new messages).
    Import {
        /// WhatsApp .txt or .zip, Telegram result.json, DiscordChatExporter .json, Slack export.
        file: std::path::PathBuf,
        #[arg(long)]
        program: String,
        /// The channel's name (default: the chat's name in the export, else the file's).
        #[arg(long)]
        channel: Option<String>,
        #[command(flatten)]
        read: ChatReadArgs,
    },
    /// The program's own keywords (its name, its hashtag): a message naming one is about
    /// the event whose window it falls in. Without words, prints them; with words, sets them.
    Keywords {
        #[arg(long)]
        program: String,
        /// One word each (a leading # is dropped), e.g. tinkerers tinkerersbln.
        words: Vec<String>,
        /// Remove every keyword.
        #[arg(long, conflicts_with = "words")]
        clear: bool,
    },
    /// The imported chats: messages, authors, span, and whether their text was purged.
    Channels {
        /// Only this program's channels.
        #[arg(long)]
        program: Option<String>,
    },
    /// Delete a channel's message text, keeping what the reports need (times, authors,
    /// tone, and which messages were about which event): every report stays the same.
    Purge {
        /// The channel's id or name (see `trellis listen channels`).
        channel: String,
        /// The program, when several programs have a channel of that name.
        #[arg(long)]
        program: Option<String>,
    },
    /// The discussion report of an event: volume, voices, tone, verdict.
    Report {
        event: String,
        /// The window's length after the event.
        #[arg(long, default_value_t = 7)]
        days: i64,
    },
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// One program (default: all programs together, people matched across them).
    #[arg(long, global = true)]
    pub program: Option<String>,
    /// The reference date, YYYY-MM-DD (default: today).
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub at: Option<String>,
    /// The first day of the period (default: 365 days before the reference date).
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub from: Option<String>,
    /// The last day of the period (default: the reference date).
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub to: Option<String>,
    /// One row per program: every metric and the next event's gate state.
    #[arg(long, conflicts_with = "program")]
    pub by_program: bool,
    /// Print CSV on stdout (a header row, then one row per metric, or per program with
    /// --by-program) for spreadsheets.
    #[arg(long)]
    pub csv: bool,
    #[command(subcommand)]
    pub cmd: Option<MetricsCmd>,
}

#[derive(Debug, Subcommand)]
pub enum MetricsCmd {
    /// A metric's definition, numerator and denominator, and the people and events behind it.
    Explain {
        /// returning_builder_rate, first_time_demo_conversion, repeat_speaker_rate,
        /// collaboration_sparks, time_to_ship, fatigue_index or fragility.
        metric: String,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// How the app is reached from outside (links; `Secure` cookies when https).
    #[arg(long, env = "TRELLIS_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Load the sample community into an empty database and create a sample organizer.
    #[arg(long)]
    pub sample: bool,
    /// Where reminders are sent from; without an SMTP server the scheduler is off.
    #[command(flatten)]
    pub mail: MailArgs,
    /// Seconds between two passes of the reminder scheduler.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub notify_every: u64,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Organizer,
    Viewer,
}

/// A role on one program: administering is the account's, not a program's.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GrantRole {
    Organizer,
    Viewer,
}

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Add a user; the password is asked on the terminal, or read from standard input.
    Add {
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Read the password from standard input (for scripts).
        #[arg(long)]
        password_stdin: bool,
        /// The program (id or name) an organizer or viewer reaches; repeat for several.
        /// Without it, every program there is now.
        #[arg(long = "program")]
        programs: Vec<String>,
    },
    /// List users, with the programs each reaches.
    List,
    /// Give a user a role on one program (replacing the role they had there).
    Grant {
        user: String,
        #[arg(long)]
        program: String,
        #[arg(long, value_enum)]
        role: GrantRole,
    },
    /// Take one program away from a user: they no longer see or change it.
    RevokeGrant {
        user: String,
        #[arg(long)]
        program: String,
    },
    /// Disable a user (by id or e-mail): they cannot log in, and their sessions end now.
    Disable { user: String },
    /// Enable a disabled user again.
    Enable { user: String },
    /// Set a user's password (asked on the terminal, or read from standard input); their
    /// sessions end.
    Password {
        user: String,
        /// Read the password from standard input (for scripts).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Remove a user: sessions end, the account is kept anonymised (history stays).
    Remove { user: String },
    /// A user's live sessions; with --revoke, end them all.
    Sessions {
        user: String,
        #[arg(long)]
        revoke: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// Mint a bearer token for the JSON API (shown once).
    Create {
        #[arg(long)]
        name: String,
        /// Read only this program (a name or an id): its events and its metrics. Without
        /// it, the token reads every program.
        #[arg(long)]
        program: Option<String>,
    },
    /// List API tokens (never the tokens themselves: only their digests are stored).
    List,
    /// Revoke an API token by id: it stops working at once.
    Revoke { id: String },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ImportFormat {
    Luma,
    Eventbrite,
    Meetup,
    Sessionize,
    Pretalx,
    /// Recognise the platform from the file's header or JSON keys.
    Auto,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// `PLATFORM FILE` (luma, eventbrite, meetup, sessionize, pretalx or auto), or just
    /// `FILE` with --format.
    #[arg(value_name = "PLATFORM] [FILE", num_args = 1..=2, required = true)]
    pub args: Vec<String>,
    /// The platform, or `auto` to recognise it from the content.
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
    /// The event the file is an export of.
    #[arg(long)]
    pub event: String,
    /// Read the file and print the report; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Where mail goes and whom it is from (`trellis mail`, `notify`, `serve`).
#[derive(Debug, Clone, Args)]
pub struct MailArgs {
    /// smtp://user:pass@host:587 (STARTTLS), smtps://user:pass@host:465 (TLS), or
    /// smtp://127.0.0.1:PORT (plain, loopback only).
    #[arg(
        long,
        env = "TRELLIS_SMTP_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub smtp_url: Option<String>,
    /// The From: address, e.g. "Trellis <trellis@example.org>".
    #[arg(long, env = "TRELLIS_MAIL_FROM", value_name = "ADDRESS")]
    pub mail_from: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum MailCmd {
    /// Send one message to ADDRESS and print the server's answer.
    Test {
        address: String,
        #[command(flatten)]
        mail: MailArgs,
    },
}

#[derive(Debug, Args)]
pub struct OutboxArgs {
    /// Only messages in this state: planned, sent, failed or cancelled.
    #[arg(long, value_name = "STATE")]
    pub state: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum NotifyCmd {
    /// One pass: plan the messages that are due, then send what is due. Safe to run from
    /// several machines at once (each message goes out once).
    Run {
        /// Plan and list, send nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        mail: MailArgs,
        /// How links in messages reach the app.
        #[arg(
            long,
            env = "TRELLIS_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
    },
}

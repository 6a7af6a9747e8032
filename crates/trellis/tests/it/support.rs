use assert_cmd::Command;
use serde_json::Value;
use std::process::Output;
use trellis_testkit::TestDb;

pub const NOW: &str = "2026-11-24T12:00:00Z";

/// A database and a way to run `trellis` against it.
pub struct Cli {
    pub db: TestDb,
}

/// The result of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    pub fn id(&self) -> i64 {
        self.json()["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no id in {}", self.stdout))
    }

    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn fails(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// A plain process command, for tests that spawn several at once.
pub fn process(db: &str) -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin!("trellis"));
    c.env("TRELLIS_DB", db)
        .env("TRELLIS_NOW", NOW)
        .env("TRELLIS_ACTOR", "tester");
    c
}

pub fn command(db: &str) -> Command {
    let mut c = Command::cargo_bin("trellis").expect("the trellis binary");
    c.env("TRELLIS_DB", db)
        .env("TRELLIS_NOW", NOW)
        .env("TRELLIS_ACTOR", "tester")
        .env_remove("TRELLIS_JSON");
    c
}

impl Cli {
    pub fn new(db: TestDb) -> Cli {
        Cli { db }
    }

    pub fn run(&self, args: &[&str]) -> Run {
        command(&self.db.url)
            .args(args)
            .output()
            .expect("run trellis")
            .into()
    }

    /// Runs with the clock pinned at `now` instead of [`NOW`].
    pub fn run_at(&self, now: &str, args: &[&str]) -> Run {
        command(&self.db.url)
            .env("TRELLIS_NOW", now)
            .args(args)
            .output()
            .expect("run trellis")
            .into()
    }

    /// Runs with `--json` and expects success.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        self.run(&all).ok().json()
    }

    /// A program "Tinkerers Oslo" (Europe/Oslo, demo target 3) and one draft event with
    /// `slots` slots on 2026-12-10; returns (program, event).
    pub fn program_and_event(&self, slots: &str) -> (i64, i64) {
        let p = self
            .run(&[
                "--json",
                "program",
                "add",
                "Tinkerers Oslo",
                "--tz",
                "Europe/Oslo",
            ])
            .ok()
            .id();
        let e = self
            .run(&[
                "--json",
                "event",
                "new",
                "--program",
                &p.to_string(),
                "--title",
                "Dec demo night",
                "--at",
                "2026-12-10 18:30",
                "--slots",
                slots,
            ])
            .ok()
            .id();
        (p, e)
    }

    /// A program in Europe/Oslo with `settings` flags (`--followup-minimum 1`, ...); its id.
    pub fn program(&self, name: &str, settings: &[&str]) -> String {
        let mut args = vec!["--json", "program", "add", name, "--tz", "Europe/Oslo"];
        args.extend_from_slice(settings);
        self.run(&args).ok().id().to_string()
    }

    /// A draft event of program `p` at local time `at`; its id.
    pub fn event(&self, p: &str, title: &str, at: &str) -> String {
        self.run(&[
            "--json",
            "event",
            "new",
            "--program",
            p,
            "--title",
            title,
            "--at",
            at,
        ])
        .ok()
        .id()
        .to_string()
    }

    pub fn person(&self, name: &str) -> i64 {
        self.run(&["--json", "person", "add", "--name", name])
            .ok()
            .id()
    }

    /// A demo proposed by a new person; screened and under contract when `ready`.
    pub fn demo(&self, event: i64, n: usize, ready: bool) -> i64 {
        let p = self.person(&format!("Presenter {n}"));
        let d = self
            .run(&[
                "--json",
                "demo",
                "propose",
                "--event",
                &event.to_string(),
                "--person",
                &p.to_string(),
                "--title",
                &format!("Demo {n}"),
            ])
            .ok()
            .id();
        if ready {
            self.run(&["demo", "screen", &d.to_string(), "--pass"]).ok();
            self.run(&["demo", "contract", &d.to_string()]).ok();
        }
        d
    }
}

/// Declares `<name>::sqlite` and `<name>::postgres` for each `fn name(cli: Cli)`.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name($crate::support::Cli::new(trellis_testkit::TestDb::sqlite()));
                }

                #[test]
                fn postgres() {
                    let Some(db) = trellis_testkit::TestDb::postgres() else { return };
                    super::$name($crate::support::Cli::new(db));
                }
            }
        )*
    };
}
pub(crate) use on_both;

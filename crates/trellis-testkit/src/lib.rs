//! Test support: a fresh database per test, on SQLite always and on PostgreSQL when
//! `TRELLIS_TEST_POSTGRES` names a server (its URL, pointing at a maintenance database
//! such as `postgres`). Each PostgreSQL test gets a database of its own, dropped after
//! the test; set `TRELLIS_TEST_KEEP_DB=1` to keep it for a look.

// Test support may panic: a database that cannot be set up is a failed test.
#![allow(clippy::expect_used)]

use sqlx::{Connection, Executor};
use std::io::Write;
use std::sync::Once;

pub const POSTGRES_ENV: &str = "TRELLIS_TEST_POSTGRES";

enum Kind {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

/// A database that exists for one test.
pub struct TestDb {
    /// What to pass as `--db` (a file path, or a `postgres://` URL).
    pub url: String,
    kind: Kind,
}

static SKIP_NOTICE: Once = Once::new();

/// Runs `fut` on a runtime of its own in a thread of its own, so the helpers work from
/// plain and from async tests alike.
fn block_on<F, T>(fut: F) -> T
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime")
            .block_on(fut)
    })
    .join()
    .expect("the database helper thread panicked")
}

/// Replaces the database name in a PostgreSQL URL, keeping any query string.
fn with_database(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (admin_url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{name}?{q}"),
        None => format!("{host_part}/{name}"),
    }
}

impl TestDb {
    /// A new SQLite file in a temporary folder.
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = dir.path().join("trellis.db").to_string_lossy().into_owned();
        TestDb {
            url,
            kind: Kind::Sqlite(dir),
        }
    }

    /// A new, empty PostgreSQL database, or `None` (with one notice on stderr per test
    /// binary) when `TRELLIS_TEST_POSTGRES` is not set.
    pub fn postgres() -> Option<TestDb> {
        let Some(admin_url) = std::env::var(POSTGRES_ENV)
            .ok()
            .filter(|v| !v.trim().is_empty())
        else {
            SKIP_NOTICE.call_once(|| {
                // Written to the real stderr on purpose: the test harness captures
                // `eprintln!`, and this line is meant to be seen.
                let _ = writeln!(
                    std::io::stderr(),
                    "PostgreSQL tests skipped: set {POSTGRES_ENV} to a server URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run them"
                );
            });
            return None;
        };
        let name = format!(
            "trellis_t_{}_{:016x}",
            std::process::id(),
            fastrand::u64(..)
        );
        let admin = admin_url.clone();
        let db = name.clone();
        block_on(async move {
            sqlx::any::install_default_drivers();
            let mut conn = sqlx::AnyConnection::connect(&admin)
                .await
                .expect("connect to TRELLIS_TEST_POSTGRES");
            conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
                .await
                .expect("create a test database");
            conn.close().await.ok();
        });
        Some(TestDb {
            url: with_database(&admin_url, &name),
            kind: Kind::Postgres { admin_url, name },
        })
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.kind, Kind::Postgres { .. })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Kind::Postgres { admin_url, name } = &self.kind {
            if std::env::var_os("TRELLIS_TEST_KEEP_DB").is_some() {
                return;
            }
            let (admin, db) = (admin_url.clone(), name.clone());
            block_on(async move {
                if let Ok(mut conn) = sqlx::AnyConnection::connect(&admin).await {
                    let _ = conn
                        .execute(sqlx::AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS {db} WITH (FORCE)"
                        )))
                        .await;
                    conn.close().await.ok();
                }
            });
        }
    }
}

/// Declares a test on each backend for every named `async fn(url: String)`: a module
/// per function with `sqlite` and `postgres` tests (the latter skips without a server).
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let db = $crate::TestDb::sqlite();
                    super::$name(db.url.clone()).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let Some(db) = $crate::TestDb::postgres() else { return };
                    super::$name(db.url.clone()).await;
                }
            }
        )*
    };
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn swaps_the_database_name() {
        assert_eq!(
            with_database("postgres://u@h:5/postgres", "t1"),
            "postgres://u@h:5/t1"
        );
        assert_eq!(
            with_database("postgres://u@h:5/postgres?sslmode=disable", "t1"),
            "postgres://u@h:5/t1?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://u@h:5", "t1"),
            "postgres://u@h:5/t1"
        );
    }
}

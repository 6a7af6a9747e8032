//! Opening a database: choosing the backend from the target, refusing what is not ours,
//! and bringing the schema up to date.

use crate::dialect::Dialect;
use crate::error::StoreError;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor, Row};
use std::path::Path;
use std::sync::Once;
use std::time::Duration;

/// A migration: its version and the SQL for each backend. Both trees carry the same
/// versions (CI checks the file lists); migrations are only ever added, never edited.
struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "core",
        sqlite: include_str!("../migrations/sqlite/0001_core.sql"),
        postgres: include_str!("../migrations/postgres/0001_core.sql"),
    },
    Migration {
        version: 2,
        name: "cycle",
        sqlite: include_str!("../migrations/sqlite/0002_cycle.sql"),
        postgres: include_str!("../migrations/postgres/0002_cycle.sql"),
    },
    Migration {
        version: 3,
        name: "imports",
        sqlite: include_str!("../migrations/sqlite/0003_imports.sql"),
        postgres: include_str!("../migrations/postgres/0003_imports.sql"),
    },
    Migration {
        version: 4,
        name: "web",
        sqlite: include_str!("../migrations/sqlite/0004_web.sql"),
        postgres: include_str!("../migrations/postgres/0004_web.sql"),
    },
    Migration {
        version: 5,
        name: "listen",
        sqlite: include_str!("../migrations/sqlite/0005_listen.sql"),
        postgres: include_str!("../migrations/postgres/0005_listen.sql"),
    },
    Migration {
        version: 6,
        name: "listen_authors",
        sqlite: include_str!("../migrations/sqlite/0006_listen_authors.sql"),
        postgres: include_str!("../migrations/postgres/0006_listen_authors.sql"),
    },
    Migration {
        version: 7,
        name: "chat_keywords",
        sqlite: include_str!("../migrations/sqlite/0007_chat_keywords.sql"),
        postgres: include_str!("../migrations/postgres/0007_chat_keywords.sql"),
    },
    Migration {
        version: 8,
        name: "revocation",
        sqlite: include_str!("../migrations/sqlite/0008_revocation.sql"),
        postgres: include_str!("../migrations/postgres/0008_revocation.sql"),
    },
    Migration {
        version: 9,
        name: "mechanisms",
        sqlite: include_str!("../migrations/sqlite/0009_mechanisms.sql"),
        postgres: include_str!("../migrations/postgres/0009_mechanisms.sql"),
    },
    Migration {
        version: 10,
        name: "outbox",
        sqlite: include_str!("../migrations/sqlite/0010_outbox.sql"),
        postgres: include_str!("../migrations/postgres/0010_outbox.sql"),
    },
    Migration {
        version: 11,
        name: "chat_imports",
        sqlite: include_str!("../migrations/sqlite/0011_chat_imports.sql"),
        postgres: include_str!("../migrations/postgres/0011_chat_imports.sql"),
    },
    Migration {
        version: 12,
        name: "notify_settings",
        sqlite: include_str!("../migrations/sqlite/0012_notify_settings.sql"),
        postgres: include_str!("../migrations/postgres/0012_notify_settings.sql"),
    },
    Migration {
        version: 13,
        name: "grants",
        sqlite: include_str!("../migrations/sqlite/0013_grants.sql"),
        postgres: include_str!("../migrations/postgres/0013_grants.sql"),
    },
    Migration {
        version: 14,
        name: "public_page",
        sqlite: include_str!("../migrations/sqlite/0014_public_page.sql"),
        postgres: include_str!("../migrations/postgres/0014_public_page.sql"),
    },
    Migration {
        version: 15,
        name: "handoff",
        sqlite: include_str!("../migrations/sqlite/0015_handoff.sql"),
        postgres: include_str!("../migrations/postgres/0015_handoff.sql"),
    },
    Migration {
        version: 16,
        name: "cohost",
        sqlite: include_str!("../migrations/sqlite/0016_cohost.sql"),
        postgres: include_str!("../migrations/postgres/0016_cohost.sql"),
    },
    Migration {
        version: 17,
        name: "token_scope",
        sqlite: include_str!("../migrations/sqlite/0017_token_scope.sql"),
        postgres: include_str!("../migrations/postgres/0017_token_scope.sql"),
    },
];

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i64 = 17;

/// Marks a database as Trellis's, so we never migrate somebody else's tables.
const APPLICATION: &str = "trellis";

#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: AnyPool,
    dialect: Dialect,
    target: String,
}

/// What `--db` named, decided before anything is touched.
enum Target {
    Sqlite { url: String, path: Option<String> },
    Postgres { url: String },
}

fn classify(target: &str) -> Target {
    let t = target.trim();
    if t.starts_with("postgres://") || t.starts_with("postgresql://") {
        return Target::Postgres { url: t.to_owned() };
    }
    if let Some(rest) = t.strip_prefix("sqlite:") {
        let path = rest.trim_start_matches("//");
        let path = path.split('?').next().unwrap_or_default();
        let file = (!path.is_empty() && path != ":memory:").then(|| path.to_owned());
        let url = if t.contains("mode=") {
            t.to_owned()
        } else if t.contains('?') {
            format!("{t}&mode=rwc")
        } else {
            format!("{t}?mode=rwc")
        };
        return Target::Sqlite { url, path: file };
    }
    // A plain path. Characters that mean something in a URL are escaped.
    let mut escaped = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '?' => escaped.push_str("%3F"),
            '#' => escaped.push_str("%23"),
            c => escaped.push(c),
        }
    }
    Target::Sqlite {
        url: format!("sqlite://{escaped}?mode=rwc"),
        path: Some(t.to_owned()),
    }
}

/// A file that exists and is not empty must start with SQLite's magic header; anything
/// else (a CSV, a text file) is refused before SQLite is asked to open it.
fn check_sqlite_file(path: &str) -> Result<(), StoreError> {
    let p = Path::new(path);
    let meta = match std::fs::metadata(p) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty() && !d.is_dir())
            {
                return Err(StoreError::Open {
                    target: path.to_owned(),
                    detail: format!("the folder {} does not exist", parent.display()),
                });
            }
            return Ok(());
        }
        Err(e) => {
            return Err(StoreError::Open {
                target: path.to_owned(),
                detail: e.to_string(),
            });
        }
    };
    if meta.is_dir() {
        return Err(StoreError::Open {
            target: path.to_owned(),
            detail: "it is a folder, not a file".into(),
        });
    }
    if meta.len() == 0 {
        return Ok(());
    }
    use std::io::Read;
    let mut head = [0u8; 16];
    let n = std::fs::File::open(p)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| StoreError::Open {
            target: path.to_owned(),
            detail: e.to_string(),
        })?;
    if n < 16 || &head != b"SQLite format 3\0" {
        return Err(StoreError::NotTrellis {
            target: path.to_owned(),
            detail: "the file is not a SQLite database".into(),
        });
    }
    Ok(())
}

static DRIVERS: Once = Once::new();

impl Store {
    /// Opens (creating when needed) the database `target` names: a file path or
    /// `sqlite:` URL for SQLite, a `postgres://` URL for PostgreSQL.
    pub async fn open(target: &str) -> Result<Store, StoreError> {
        Store::open_with(target, 4).await
    }

    /// As [`Store::open`], with a given maximum number of pooled connections.
    pub async fn open_with(target: &str, max_connections: u32) -> Result<Store, StoreError> {
        DRIVERS.call_once(install_default_drivers);
        let (url, dialect, shown) = match classify(target) {
            Target::Postgres { url } => (url, Dialect::Postgres, redact(target)),
            Target::Sqlite { url, path } => {
                if let Some(p) = &path {
                    check_sqlite_file(p)?;
                }
                (url, Dialect::Sqlite, target.to_owned())
            }
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(60))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if let Some(setup) = dialect.on_connect() {
                        conn.execute(setup).await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| open_error(&shown, e))?;
        let store = Store {
            pool,
            dialect,
            target: shown,
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Begins a transaction that will write ([`Dialect::begin_write`]).
    pub(crate) async fn write_tx(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(self.dialect.begin_write(&self.pool).await?)
    }

    /// Which backend this store speaks to, and everything that differs between them.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The database as it may be shown (a PostgreSQL password is masked).
    pub fn target(&self) -> &str {
        &self.target
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The fast path of every open: an up-to-date Trellis database needs only a read.
    /// `Some(version)` when the database is Trellis's and readable as such.
    async fn current_version(&self) -> Result<Option<i64>, StoreError> {
        let ours = self
            .dialect
            .has_table(&self.pool, "trellis_meta")
            .await
            .map_err(|e| open_error(&self.target, e))?;
        if !ours {
            return Ok(None);
        }
        let row = sqlx::query(
            "SELECT (SELECT value FROM trellis_meta WHERE key = 'application') AS app, \
                    (SELECT COALESCE(MAX(version), 0) FROM schema_migrations) AS v, \
                    (SELECT COUNT(*) FROM schema_migrations) AS applied",
        )
        .fetch_one(&self.pool)
        .await?;
        let app: Option<String> = row.try_get("app")?;
        if app.as_deref() != Some(APPLICATION) {
            return Ok(None);
        }
        let (v, applied) = (
            row.try_get::<i64, _>("v")?,
            row.try_get::<i64, _>("applied")?,
        );
        // A gap (a migration written on a branch that landed later) takes the slow path.
        Ok(Some(if applied == MIGRATIONS.len() as i64 {
            v
        } else {
            v.min(SCHEMA_VERSION - 1)
        }))
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        match self.current_version().await? {
            Some(v) if v == SCHEMA_VERSION => return Ok(()),
            Some(v) if v > SCHEMA_VERSION => {
                return Err(StoreError::NewerSchema {
                    target: self.target.clone(),
                    found: v,
                    known: SCHEMA_VERSION,
                });
            }
            // Older, new, or not ours: decide under the lock below.
            _ => {}
        }
        let mut tx = self.write_tx().await.map_err(|e| match e {
            StoreError::Database(e) => open_error(&self.target, e),
            other => other,
        })?;
        self.dialect.lock_migrations(&mut tx).await?;
        let tables = self.dialect.table_names(&mut tx).await?;
        let ours: Vec<&String> = tables
            .iter()
            .filter(|t| t.as_str() != "trellis_lock")
            .collect();

        let current = self.recorded_version(&mut tx, &ours).await?;
        if current > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                target: self.target.clone(),
                found: current,
                known: SCHEMA_VERSION,
            });
        }
        self.apply_migrations(&mut tx, current).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The version recorded in the database, once it is known to be Trellis's: a new
    /// database gets the tables that record it, at 0. `ours` are its tables.
    async fn recorded_version(
        &self,
        conn: &mut sqlx::AnyConnection,
        ours: &[&String],
    ) -> Result<i64, StoreError> {
        if ours.is_empty() {
            conn.execute("CREATE TABLE trellis_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                .await?;
            conn.execute(
                "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at_us BIGINT NOT NULL)",
            )
            .await?;
            sqlx::query("INSERT INTO trellis_meta (key, value) VALUES ('application', $1)")
                .bind(APPLICATION)
                .execute(&mut *conn)
                .await?;
            Ok(0)
        } else if !ours.iter().any(|t| t.as_str() == "trellis_meta") {
            let mut names: Vec<&str> = ours.iter().map(|s| s.as_str()).collect();
            names.sort_unstable();
            names.truncate(5);
            Err(StoreError::NotTrellis {
                target: self.target.clone(),
                detail: format!("it holds other tables ({})", names.join(", ")),
            })
        } else {
            let app: Option<String> =
                sqlx::query("SELECT value FROM trellis_meta WHERE key = 'application'")
                    .fetch_optional(&mut *conn)
                    .await?
                    .map(|r| r.try_get::<String, _>("value"))
                    .transpose()?;
            if app.as_deref() != Some(APPLICATION) {
                return Err(StoreError::NotTrellis {
                    target: self.target.clone(),
                    detail: "its trellis_meta table does not name Trellis".into(),
                });
            }
            let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
                .fetch_one(&mut *conn)
                .await?;
            Ok(row.try_get::<i64, _>("v")?)
        }
    }

    async fn apply_migrations(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        current: i64,
    ) -> Result<(), StoreError> {
        // Apply every migration not yet recorded, rather than those above the highest:
        // migrations written on two branches at once may land in either order.
        let applied: Vec<i64> = if current == 0 {
            Vec::new()
        } else {
            sqlx::query("SELECT version FROM schema_migrations")
                .fetch_all(&mut **tx)
                .await?
                .iter()
                .map(|r| r.try_get::<i64, _>("version"))
                .collect::<Result<_, _>>()?
        };
        for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
            let sql = self.dialect.pick(m.sqlite, m.postgres);
            tx.execute(sqlx::raw_sql(sql)).await?;
            sqlx::query(
                "INSERT INTO schema_migrations (version, name, applied_at_us) VALUES ($1, $2, $3)",
            )
            .bind(m.version)
            .bind(m.name)
            .bind(wall_clock_us())
            .execute(&mut **tx)
            .await?;
            if m.version == 8 {
                hash_public_tokens(tx).await?;
            }
        }
        Ok(())
    }

    /// The schema version recorded in the database.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>("v")?)
    }
}

/// Schema 8 stores contract and follow-up tokens as SHA-256 digests; the ones written
/// before it (32 hex digits; a digest has 64) are converted here, in the migration's
/// transaction, as portable SQL cannot hash. Links already sent keep working.
async fn hash_public_tokens(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<(), StoreError> {
    for (select, update) in [
        (
            "SELECT token FROM contract_links WHERE LENGTH(token) = 32",
            "UPDATE contract_links SET token = $1 WHERE token = $2",
        ),
        (
            "SELECT token FROM followups WHERE LENGTH(token) = 32",
            "UPDATE followups SET token = $1 WHERE token = $2",
        ),
    ] {
        let plain: Vec<String> = sqlx::query(select)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>("token"))
            .collect::<Result<_, _>>()?;
        for token in plain {
            sqlx::query(update)
                .bind(crate::web::digest(&token))
                .bind(&token)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// When a migration ran: bookkeeping only, never used by a rule, so the wall clock is
/// read here rather than passed in.
fn wall_clock_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
}

fn open_error(target: &str, e: sqlx::Error) -> StoreError {
    let detail = e.to_string();
    if detail.contains("file is not a database") || detail.contains("not a database") {
        return StoreError::NotTrellis {
            target: target.to_owned(),
            detail: "the file is not a SQLite database".into(),
        };
    }
    StoreError::Open {
        target: target.to_owned(),
        detail,
    }
}

/// Masks the password of a PostgreSQL URL for messages.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked() {
        assert_eq!(
            redact("postgres://ana:s3cret@db:5432/t"),
            "postgres://ana:***@db:5432/t"
        );
        assert_eq!(redact("postgres://ana@db/t"), "postgres://ana@db/t");
    }

    #[test]
    fn plain_paths_become_sqlite_urls() {
        match classify("data/my?db.db") {
            Target::Sqlite { url, path } => {
                assert_eq!(url, "sqlite://data/my%3Fdb.db?mode=rwc");
                assert_eq!(path.as_deref(), Some("data/my?db.db"));
            }
            Target::Postgres { .. } => panic!("not postgres"),
        }
    }
}

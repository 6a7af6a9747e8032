//! Everything that differs between SQLite and PostgreSQL, in one place.
//!
//! The queries elsewhere are one text for both backends (`$N` placeholders, the portable
//! subset of SQL). What cannot be the same lives here: how a write begins, row locks,
//! how bulk statements number their parameters and how many they carry, how a bulk
//! transaction is set up, identity sequences, and how the catalog is listed. The
//! [`Store`](crate::Store) holds its [`Dialect`] and passes it to whatever needs one;
//! nothing else asks which backend is in use.

use crate::error::StoreError;
use sqlx::{AnyConnection, AnyPool, Executor, Row};

/// Which database the store speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// An arbitrary constant: the key of the PostgreSQL advisory lock that serialises
/// migrations when several `trellis` processes start at once.
const MIGRATION_LOCK_KEY: i64 = 0x7472_656c_6c69;

/// Rows per lookup statement on PostgreSQL (`… IN ($1, …)`): well under its bind limit.
const PG_LOOKUP_CHUNK: usize = 500;

/// Bound `$N` parameters per SQLite statement for statements written by hand: with `$N`
/// the driver asks SQLite for each parameter's name, a walk of the list of names
/// (`sqlite3_bind_parameter_name` is linear), so binding grows with the square of a
/// statement's parameters; measured fastest around this.
const SQLITE_LOOKUP_CHUNK: usize = 200;

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
    }

    /// Picks the backend's own variant of something kept per backend (a migration's SQL).
    pub(crate) fn pick<T>(self, sqlite: T, postgres: T) -> T {
        match self {
            Dialect::Sqlite => sqlite,
            Dialect::Postgres => postgres,
        }
    }

    // --- connections and transactions ---------------------------------------------

    /// Run on every new connection. SQLite: writers queue behind each other instead of
    /// failing at once; foreign keys are off by default; WAL lets readers go on while
    /// one process writes.
    pub(crate) fn on_connect(self) -> Option<&'static str> {
        match self {
            Dialect::Sqlite => Some(
                "PRAGMA busy_timeout = 60000; PRAGMA foreign_keys = ON; \
                 PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
            ),
            Dialect::Postgres => None,
        }
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a transaction that read first and wrote later could find
    /// the database changed under its snapshot and fail instead of waiting its turn.
    pub(crate) async fn begin_write(
        self,
        pool: &AnyPool,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self {
            Dialect::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
            Dialect::Postgres => pool.begin().await,
        }
    }

    /// What ends a `SELECT` that must hold its rows until commit. PostgreSQL locks them
    /// (`FOR UPDATE`); SQLite has no row locks and needs none: a write transaction holds
    /// the database's write lock from its start ([`Dialect::begin_write`]).
    ///
    /// Gated changes do not use this: `gates::lock_event` writes the event row first,
    /// which locks it on both backends with the same SQL.
    pub(crate) fn row_lock(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE",
        }
    }

    /// Keeps everyone else from adding rows to `table` until this transaction commits,
    /// so ids taken from its current maximum stay ours. SQLite's write lock already does.
    pub(crate) async fn lock_for_new_ids(
        self,
        conn: &mut AnyConnection,
        table: &'static str,
    ) -> Result<(), StoreError> {
        if self == Dialect::Postgres {
            let sql = format!("LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE");
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }

    /// Sets up a transaction that writes many rows (an import).
    ///
    /// SQLite: such a transaction outgrows the default page cache (2 MiB) and spills
    /// pages to the WAL while it runs; 16 MiB keeps the indexes it writes in memory
    /// (1M-row import: 10.0 s → 8.8 s, peak 157 → 178 MiB).
    ///
    /// PostgreSQL checks each foreign key of each inserted row with a trigger: measured,
    /// 60% of the server's time on a large import. The callers write only references to
    /// rows they locked, looked up or created in the same transaction (and SQLite, which
    /// always enforces them, runs the same code in the tests), so where the role may (a
    /// superuser, or `GRANT SET ON PARAMETER session_replication_role`) the transaction
    /// skips those triggers, as `pg_restore --disable-triggers` does. `SET LOCAL` ends
    /// with the transaction. A role that may not runs with the checks, slower.
    pub(crate) async fn begin_bulk(self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        let run = |sql: &'static str| sqlx::query(sql);
        match self {
            Dialect::Sqlite => {
                run("PRAGMA cache_size = -16384")
                    .execute(&mut *conn)
                    .await?;
            }
            Dialect::Postgres => {
                run("SAVEPOINT before_replica_role")
                    .execute(&mut *conn)
                    .await?;
                let end = match run("SET LOCAL session_replication_role = replica")
                    .execute(&mut *conn)
                    .await
                {
                    Ok(_) => "RELEASE SAVEPOINT before_replica_role",
                    Err(_) => "ROLLBACK TO SAVEPOINT before_replica_role",
                };
                run(end).execute(&mut *conn).await?;
            }
        }
        Ok(())
    }

    // --- bulk statements -----------------------------------------------------------

    /// Appends parameter `n` (1-based) of a generated bulk statement. SQLite gets
    /// anonymous `?` parameters, bound by position: with `$N` binding grows with the
    /// square of a statement's parameters (see [`SQLITE_LOOKUP_CHUNK`]; 13% of a
    /// 1M-message chat import's time at 200 per statement). PostgreSQL needs `$N`.
    pub(crate) fn push_param(self, sql: &mut String, n: usize) {
        match self {
            Dialect::Sqlite => sql.push('?'),
            Dialect::Postgres => {
                sql.push('$');
                sql.push_str(&n.to_string());
            }
        }
    }

    /// Rows per multi-row `INSERT` of `columns` columns: under both backends' bind limits
    /// (SQLite: 32766, PostgreSQL: 65535) while long enough to amortise the round trip.
    pub(crate) fn rows_per_insert(self, columns: usize) -> usize {
        let budget = match self {
            Dialect::Sqlite => 4_000,
            Dialect::Postgres => 30_000,
        };
        (budget / columns.max(1)).clamp(1, 500)
    }

    /// Values per `… IN ($1, …)` lookup written with `$N` parameters.
    pub(crate) fn lookup_chunk(self) -> usize {
        match self {
            Dialect::Sqlite => SQLITE_LOOKUP_CHUNK,
            Dialect::Postgres => PG_LOOKUP_CHUNK,
        }
    }

    // --- sequences -----------------------------------------------------------------

    /// After rows were written with explicit ids: the next id the database assigns comes
    /// after them. SQLite's `AUTOINCREMENT` already looks at the largest id; PostgreSQL's
    /// identity sequences do not see explicit ids.
    pub(crate) async fn bump_sequence(
        self,
        conn: &mut AnyConnection,
        table: &'static str,
    ) -> Result<(), StoreError> {
        if self == Dialect::Postgres {
            let sql = format!(
                "SELECT CAST(setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false) AS BIGINT) AS v"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_one(&mut *conn)
                .await?;
        }
        Ok(())
    }

    // --- the catalog -----------------------------------------------------------------

    /// Whether the database holds a table of that name.
    pub(crate) async fn has_table(self, pool: &AnyPool, name: &str) -> Result<bool, sqlx::Error> {
        let sql = match self {
            Dialect::Sqlite => {
                "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = $1"
            }
            Dialect::Postgres => {
                "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1"
            }
        };
        let row = sqlx::query(sql).bind(name).fetch_one(pool).await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    /// The names of the database's own tables (SQLite's internal ones left out).
    pub(crate) async fn table_names(
        self,
        conn: &mut AnyConnection,
    ) -> Result<Vec<String>, StoreError> {
        let sql = match self {
            Dialect::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            }
            Dialect::Postgres => {
                "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables WHERE table_schema = current_schema()"
            }
        };
        Ok(sqlx::query(sql)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>("name"))
            .collect::<Result<_, _>>()?)
    }

    /// Every (table, column) pair of the database's own tables.
    pub(crate) async fn table_columns(
        self,
        conn: &mut AnyConnection,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let sql = match self {
            Dialect::Sqlite => {
                "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
            }
            Dialect::Postgres => {
                "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c FROM information_schema.columns \
                 WHERE table_schema = current_schema()"
            }
        };
        Ok(sqlx::query(sql)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("t")?, r.try_get("c")?)))
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// The first statement of a migration: it makes this transaction the only one that
    /// migrates. On SQLite it writes, so the transaction holds the write lock before it
    /// looks at the schema (two first starts cannot both migrate); PostgreSQL takes an
    /// advisory lock.
    pub(crate) async fn lock_migrations(self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        match self {
            Dialect::Sqlite => {
                conn.execute("CREATE TABLE IF NOT EXISTS trellis_lock (id INTEGER PRIMARY KEY)")
                    .await?;
                conn.execute("DELETE FROM trellis_lock").await?;
            }
            Dialect::Postgres => {
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(MIGRATION_LOCK_KEY)
                    .execute(&mut *conn)
                    .await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_statements_stay_under_both_bind_limits() {
        for d in [Dialect::Sqlite, Dialect::Postgres] {
            for columns in [1, 2, 7, 13, 40] {
                let params = d.rows_per_insert(columns) * columns;
                assert!(params <= 32_766, "{d:?} {columns}: {params}");
            }
            // A lookup binds one more value beside the chunk (the platform).
            assert!(d.lookup_chunk() < 32_766);
        }
    }

    #[test]
    fn parameters_are_positional_on_sqlite_and_numbered_on_postgres() {
        let (mut s, mut p) = (String::new(), String::new());
        for n in 1..=3 {
            Dialect::Sqlite.push_param(&mut s, n);
            Dialect::Postgres.push_param(&mut p, n);
        }
        assert_eq!((s.as_str(), p.as_str()), ("???", "$1$2$3"));
    }
}

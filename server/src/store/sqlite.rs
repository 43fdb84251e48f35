//! The SQLite backend, the embedded default: one file, one process. Its
//! writes take SQLite's write lock at once (`BEGIN IMMEDIATE`), so writers
//! queue instead of failing half way.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::*;

type Db = sqlx::Sqlite;
type Conn = sqlx::SqliteConnection;

/// Now, in UTC, as the text every time column holds (`2026-12-02T10:30:44.123Z`).
macro_rules! now {
    () => {
        "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    };
}

/// Now moved by the parameter `$p`, a text such as `'+30 days'` or
/// `'-2 hours'`, as the text every time column holds.
macro_rules! now_plus {
    ($p:literal) => {
        concat!("strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ", $p, ")")
    };
}

/// The month (`2026-12`) of a time column in China's time (UTC+8).
macro_rules! month_in_china {
    ($column:literal) => {
        concat!("strftime('%Y-%m', ", $column, ", '+8 hours')")
    };
}

/// The day (`2026-12-02`) of a time column in China's time (UTC+8).
macro_rules! day_in_china {
    ($column:literal) => {
        concat!("date(", $column, ", '+8 hours')")
    };
}

/// Today's date (`2026-12-02`) in China's time.
macro_rules! today_in_china {
    () => {
        "date('now', '+8 hours')"
    };
}

/// This month (`2026-12`) in China's time.
macro_rules! this_month_in_china {
    () => {
        "strftime('%Y-%m', 'now', '+8 hours')"
    };
}

/// The Monday (`2026-11-30`) that starts the week of a time column, in
/// China's time.
macro_rules! monday_in_china {
    ($column:literal) => {
        concat!("date(", $column, ", '+8 hours', '-6 days', 'weekday 1')")
    };
}

query_modules!();

/// On SQLite the one process hears its own changes after the commit (see
/// `Store::catalog_changed` and `Store::lecture_changed`): nothing is sent
/// with the transaction.
async fn catalog_changed_in(_: &mut Conn) -> sqlx::Result<()> {
    Ok(())
}

async fn lecture_changed_in(_: &mut Conn, _: &str) -> sqlx::Result<()> {
    Ok(())
}

/// A SQLite database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: sqlx::SqlitePool,
    catalog_version: CatalogVersion,
    /// The order writer's queue (group commit, see `orders.rs`).
    orders: tokio::sync::mpsc::Sender<orders::Job>,
    /// Lecture rooms changed (see `lectures.rs`).
    lecture_changes: tokio::sync::broadcast::Sender<String>,
}

impl Store {
    /// Opens (creating if needed) the file at `path`, applies the
    /// migrations and, with `demo`, seeds the demo hub into an empty
    /// database.
    pub async fn open(path: &Path, demo: bool) -> anyhow::Result<Store> {
        let store = Store::connect(path, true).await?;
        sqlx::migrate!("./migrations/sqlite").run(&store.pool).await?;
        if demo {
            seed::seed_if_empty(&store, current_week()).await?;
        }
        Ok(store)
    }

    /// Opens an existing database as it is, without migrating or seeding:
    /// a backup beside a running server must not wait for the write lock.
    pub async fn open_existing(path: &Path) -> anyhow::Result<Store> {
        Store::connect(path, false).await
    }

    async fn connect(path: &Path, create: bool) -> anyhow::Result<Store> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(create)
            .journal_mode(SqliteJournalMode::Wal)
            // An acknowledged order must survive a power cut.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        let catalog_version = CatalogVersion::default();
        let version = catalog_version.clone();
        let orders = orders::spawn_order_writer(pool.clone(), move || version.bump());
        Ok(Store {
            pool,
            catalog_version,
            orders,
            lecture_changes: tokio::sync::broadcast::channel(LECTURE_CHANGES).0,
        })
    }

    /// Starts a write transaction that takes SQLite's write lock at once, so
    /// two writers queue on the busy timeout instead of failing half way
    /// with SQLITE_BUSY when a read lock would have to be upgraded.
    async fn write(&self) -> sqlx::Result<sqlx::Transaction<'static, Db>> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// Starts the order writer's transaction (see `orders.rs`).
    async fn begin_orders(pool: &sqlx::Pool<Db>) -> sqlx::Result<sqlx::Transaction<'static, Db>> {
        pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// Room `code` changed; call after the change is committed.
    fn lecture_changed(&self, code: &str) {
        let _ = self.lecture_changes.send(code.to_string());
    }

    /// `VACUUM INTO` reads one snapshot while writers go on.
    pub async fn backup(&self, to: &Path) -> anyhow::Result<()> {
        if to.exists() {
            anyhow::bail!("{} exists already", to.display());
        }
        let target = to
            .to_str()
            .ok_or_else(|| anyhow::anyhow!("the backup path is not UTF-8"))?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes the pool, waiting for running queries (used at shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A fresh database for a test of the queries, and the folder it lives in.
#[cfg(test)]
async fn test_store() -> Option<(Store, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("bazar.db"), true).await.unwrap();
    Some((store, Some(dir)))
}

//! The PostgreSQL backend, for several servers on one database. The
//! queries are the same as SQLite's (see `mod.rs`); what differs is here.
//!
//! Every write transaction first takes one transaction-scoped advisory lock,
//! so writes run one at a time across all servers, as they do on SQLite:
//! the rules that read and then write (status changes, idempotency keys,
//! the order writer's groups) keep SQLite's guarantees without retries, and
//! two servers' groups of orders can't deadlock on each other's products.
//! Reads don't take it. See ARCHITECTURE.md for what would change on a
//! distributed engine.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::*;

type Db = sqlx::Postgres;
type Conn = sqlx::PgConnection;

/// Now, in UTC, as the text every time column holds (`2026-12-02T10:30:44.123Z`):
/// the clock's time, as SQLite's, not the transaction's start (which may be
/// before it waited for the write lock).
macro_rules! now {
    () => {
        "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    };
}

/// Now moved by the parameter `$p`, a text such as `'+30 days'` or
/// `'-2 hours'`, as the text every time column holds.
macro_rules! now_plus {
    ($p:literal) => {
        concat!(
            "to_char((clock_timestamp() + CAST(",
            $p,
            " AS interval)) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        )
    };
}

/// The month (`2026-12`) of a time column in China's time (UTC+8). A
/// `timestamp` cast ignores the text's `Z`: the column is UTC.
macro_rules! month_in_china {
    ($column:literal) => {
        concat!(
            "to_char(CAST(",
            $column,
            " AS timestamp) + interval '8 hours', 'YYYY-MM')"
        )
    };
}

/// The day (`2026-12-02`) of a time column in China's time (UTC+8).
macro_rules! day_in_china {
    ($column:literal) => {
        concat!(
            "to_char(CAST(",
            $column,
            " AS timestamp) + interval '8 hours', 'YYYY-MM-DD')"
        )
    };
}

/// Today's date (`2026-12-02`) in China's time.
macro_rules! today_in_china {
    () => {
        "to_char(clock_timestamp() AT TIME ZONE 'UTC' + interval '8 hours', 'YYYY-MM-DD')"
    };
}

/// This month (`2026-12`) in China's time.
macro_rules! this_month_in_china {
    () => {
        "to_char(clock_timestamp() AT TIME ZONE 'UTC' + interval '8 hours', 'YYYY-MM')"
    };
}

/// The Monday (`2026-11-30`) that starts the week of a time column, in
/// China's time.
macro_rules! monday_in_china {
    ($column:literal) => {
        concat!(
            "to_char(date_trunc('week', CAST(",
            $column,
            " AS timestamp) + interval '8 hours'), 'YYYY-MM-DD')"
        )
    };
}

query_modules!();

/// Tells every server (this one too) that the catalog changed, with the
/// transaction: PostgreSQL delivers a notification when, and only if, its
/// transaction commits, so none is lost between a commit and a crash.
async fn catalog_changed_in(tx: &mut Conn) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_notify($1, '')")
        .bind(CATALOG_CHANNEL)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Tells every server (this one too) that lecture room `code` changed,
/// with the transaction (see [`catalog_changed_in`]).
async fn lecture_changed_in(tx: &mut Conn, code: &str) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(LECTURE_CHANNEL)
        .bind(code)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// The advisory lock every write transaction takes first (the number is
/// "bazr" in ASCII; any fixed number would do).
const WRITE_LOCK: &str = "SELECT pg_advisory_xact_lock(1650553458)";

/// A PostgreSQL database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: sqlx::PgPool,
    catalog_version: CatalogVersion,
    /// The order writer's queue (group commit, see `orders.rs`).
    orders: tokio::sync::mpsc::Sender<orders::Job>,
    /// Lecture rooms changed (see `lectures.rs`).
    lecture_changes: tokio::sync::broadcast::Sender<String>,
    /// The task that follows the other servers' changes.
    follower: Option<Arc<tokio::task::AbortHandle>>,
}

impl Store {
    /// Connects to the database at `url`, applies the migrations (one
    /// server at a time: sqlx holds an advisory lock while it migrates) and,
    /// with `demo`, seeds the demo hub into an empty database.
    pub async fn open(url: &str, demo: bool) -> anyhow::Result<Store> {
        let store = Store::open_existing(url).await?;
        sqlx::migrate!("./migrations/postgres").run(&store.pool).await?;
        if demo {
            seed::seed_if_empty(&store, current_week()).await?;
        }
        let follower = tokio::spawn(follow(
            store.pool.clone(),
            store.catalog_version.clone(),
            store.lecture_changes.clone(),
        ));
        Ok(Store {
            follower: Some(Arc::new(follower.abort_handle())),
            ..store
        })
    }

    /// Connects without migrating or seeding.
    pub async fn open_existing(url: &str) -> anyhow::Result<Store> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
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
            follower: None,
        })
    }

    /// Starts a write transaction, after the writes of every other server.
    async fn write(&self) -> sqlx::Result<sqlx::Transaction<'static, Db>> {
        Store::begin_orders(&self.pool).await
    }

    /// Starts the order writer's transaction (see `orders.rs`).
    async fn begin_orders(pool: &sqlx::Pool<Db>) -> sqlx::Result<sqlx::Transaction<'static, Db>> {
        let mut tx = pool.begin().await?;
        sqlx::query(WRITE_LOCK).execute(&mut *tx).await?;
        Ok(tx)
    }

    /// Room `code` changed: every server's streams, this one's too, hear
    /// it by the notification sent with the transaction
    /// ([`lecture_changed_in`]), each change once.
    fn lecture_changed(&self, _code: &str) {}

    /// Closes the pool, waiting for running queries (used at shutdown).
    pub async fn close(&self) {
        if let Some(follower) = &self.follower {
            follower.abort();
        }
        self.pool.close().await;
    }
}

/// The channels commits are announced on: the catalog changed; a lecture
/// room changed (the payload is its code).
const CATALOG_CHANNEL: &str = "bazar_catalog";
const LECTURE_CHANNEL: &str = "bazar_lecture";

/// Follows what every server announces (this one's own included): moves the
/// catalog version on, and passes lecture rooms' codes to this server's
/// streams. When the listening connection was lost, and so may have missed
/// a notification, both are told that anything may have changed.
async fn follow(
    pool: sqlx::PgPool,
    version: CatalogVersion,
    lectures: tokio::sync::broadcast::Sender<String>,
) {
    let missed = || {
        version.bump();
        let _ = lectures.send(String::new());
    };
    loop {
        let mut listener = match sqlx::postgres::PgListener::connect_with(&pool).await {
            Ok(listener) => listener,
            Err(_) if pool.is_closed() => return,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for other servers' changes; trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if listener
            .listen_all([CATALOG_CHANNEL, LECTURE_CHANNEL])
            .await
            .is_ok()
        {
            missed();
            loop {
                match listener.try_recv().await {
                    Ok(Some(n)) if n.channel() == LECTURE_CHANNEL => {
                        let _ = lectures.send(n.payload().to_string());
                    }
                    Ok(Some(_)) => version.bump(),
                    // The connection was lost and is made again.
                    Ok(None) => missed(),
                    Err(_) => break,
                }
            }
        }
        if pool.is_closed() {
            return;
        }
        missed();
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// A fresh database on the cluster `BAZAR_TEST_PG` names, for a test of
/// the queries; `None` (the test is skipped) without one.
#[cfg(test)]
async fn test_store() -> Option<(Store, Option<tempfile::TempDir>)> {
    let url = std::env::var("BAZAR_TEST_PG").ok()?;
    let url = fresh_database(&url).await.unwrap();
    Some((Store::open(&url, true).await.unwrap(), None))
}

/// Creates a database of its own on the cluster at `url` and answers its URL.
pub async fn fresh_database(url: &str) -> anyhow::Result<String> {
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(url).await?;
    let name = format!("bazar_{}", random_hex::<8>());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    let base = url.rsplit_once('/').map_or(url, |(base, _)| base);
    Ok(format!("{base}/{name}"))
}

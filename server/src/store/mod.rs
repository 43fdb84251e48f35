//! The store: every SQL statement of the server lives under this module, so a
//! second database backend can be added without touching the handlers.

mod accounts;
mod catalog;
mod center;
mod narration;
mod orders;
mod seed;
mod seller;
mod uploads;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use bazar_api::Localized;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

pub use accounts::{Account, CreateAccountError};
pub use catalog::ProductFilter;
pub use center::{CollectOutcome, DecisionOutcome, StatusOutcome};
pub use orders::Placement;

/// The weekly start, written once. What product `p` has available when
/// `?1` is the current week, as SQL: a weekly product whose count is from
/// an earlier week has its whole capacity again. Reads use this expression;
/// [`start_week`] writes the same rule when an order or an approval touches
/// the product.
macro_rules! available_now {
    () => {
        "CASE WHEN p.capacity = 'weekly' AND p.week <> ?1 THEN p.weekly_capacity ELSE p.available END"
    };
}
pub(super) use available_now;

/// Starts `week` for product `id` if it is weekly: its whole capacity is
/// available again (see [`available_now`]).
pub(super) async fn start_week(tx: &mut sqlx::SqliteConnection, id: i64, week: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE product SET available = weekly_capacity, week = ?2 WHERE id = ?1 AND capacity = 'weekly'",
    )
    .bind(id)
    .bind(week)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// What a store call fails with. Only the store names the database's crate.
pub type Error = sqlx::Error;

/// The week weekly capacities count for now (see `bazar_api::order::week_index`).
pub fn current_week() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    bazar_api::order::week_index(now)
}

/// A handle on the database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    /// Moves on after every committed change to what the shop lists, so a
    /// cached answer tagged with an older value is known to be stale.
    catalog_version: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The order writer's queue (group commit, see `orders`).
    orders: tokio::sync::mpsc::Sender<orders::Job>,
}

impl Store {
    /// Opens (creating if needed) the SQLite file at `path`, applies the
    /// migrations and seeds the demo hub into an empty database.
    pub async fn open(path: &Path) -> anyhow::Result<Store> {
        let store = Store::connect(path, true).await?;
        sqlx::migrate!("./migrations").run(&store.pool).await?;
        seed::seed_if_empty(&store, current_week()).await?;
        Ok(store)
    }

    /// Opens an existing database as it is, without migrating or seeding:
    /// for reading it (a backup) beside a running server, which must not
    /// wait for the write lock.
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
        let catalog_version = std::sync::Arc::<std::sync::atomic::AtomicU64>::default();
        let orders = orders::spawn_order_writer(pool.clone(), catalog_version.clone());
        Ok(Store {
            pool,
            catalog_version,
            orders,
        })
    }

    /// Starts a write transaction that takes SQLite's write lock at once, so
    /// two writers queue on the busy timeout instead of failing half way
    /// with SQLITE_BUSY when a read lock would have to be upgraded.
    async fn write(&self) -> sqlx::Result<Transaction<'static, Sqlite>> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// The catalog's version now; read it before reading the catalog.
    pub fn catalog_version(&self) -> u64 {
        self.catalog_version.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Marks the catalog changed; call after the change is committed.
    fn catalog_changed(&self) {
        self.catalog_version
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// Writes a consistent copy of the database to `to` (which must not
    /// exist): SQLite's `VACUUM INTO` reads one snapshot while writers go on.
    pub async fn backup(&self, to: &Path) -> anyhow::Result<()> {
        if to.exists() {
            anyhow::bail!("{} exists already", to.display());
        }
        let target = to
            .to_str()
            .ok_or_else(|| anyhow::anyhow!("the backup path is not UTF-8"))?;
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// True when the database answers a query.
    pub async fn ping(&self) -> bool {
        sqlx::query_scalar::<_, i64>("SELECT 1")
            .fetch_one(&self.pool)
            .await
            .is_ok()
    }

    /// Closes the pool, waiting for running queries (used at shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

// Rows are read into `#[derive(sqlx::FromRow)]` structs by column name (the
// SQL names computed or ambiguous columns with `AS`), so adding a column
// can't shift the others; these turn their columns into the API's types.

/// Three text columns of a row, one per language, named `{prefix}_ug`,
/// `{prefix}_zh` and `{prefix}_en`: a row struct takes them with
/// `#[sqlx(flatten)]` and they become one `Localized`.
macro_rules! localized_columns {
    ($($name:ident: $ug:ident, $zh:ident, $en:ident;)+) => {
        $(
            #[derive(sqlx::FromRow)]
            pub(super) struct $name {
                $ug: String,
                $zh: String,
                $en: String,
            }

            impl From<$name> for Localized {
                fn from(r: $name) -> Localized {
                    Localized { ug: r.$ug, zh: r.$zh, en: r.$en }
                }
            }
        )+
    };
}

localized_columns! {
    Names: name_ug, name_zh, name_en;
    Units: unit_ug, unit_zh, unit_en;
    Villages: village_ug, village_zh, village_en;
    Stories: story_ug, story_zh, story_en;
    FamilyNames: family_name_ug, family_name_zh, family_name_en;
    ProductNames: product_name_ug, product_name_zh, product_name_en;
    ZoneNames: zone_name_ug, zone_name_zh, zone_name_en;
}

/// A TEXT column that holds one of an enum's names, read with `known` (the
/// enum's `parse`): a name this code doesn't know is an error, never a
/// default. `what` names the column in the error.
pub(super) fn parse<T>(value: &str, known: fn(&str) -> Option<T>, what: &str) -> sqlx::Result<T> {
    known(value).ok_or_else(|| decode_error(format!("unknown {what} {value:?} in the database")))
}

/// An INTEGER column (SQLite's i64) as the narrower integer the API wants:
/// a value out of its range is an error.
pub(super) fn int<T: TryFrom<i64>>(value: i64, what: &str) -> sqlx::Result<T> {
    T::try_from(value).map_err(|_| decode_error(format!("{what} {value} out of range in the database")))
}

fn decode_error(message: String) -> sqlx::Error {
    sqlx::Error::Decode(message.into())
}

/// Eight letters of the trace-code alphabet from the operating system's
/// random source: order codes and trace codes.
pub fn random_code() -> String {
    loop {
        let mut bytes = [0u8; 16];
        getrandom::getrandom(&mut bytes).expect("the OS random source works");
        let code = bazar_api::trace::code_from_random(bytes);
        if code.len() == bazar_api::trace::CODE_LEN {
            return code;
        }
    }
}

/// 128 random bits as 32 hex digits: the private part of a tracking link.
pub fn random_token() -> String {
    random_hex::<16>()
}

/// `N` bytes from the operating system's random source, as hex digits.
pub fn random_hex<const N: usize>() -> String {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes).expect("the OS random source works");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

//! The store: every SQL statement of the server lives under this module, so
//! the handlers don't know which database runs.
//!
//! One interface ([`Store`]), two backends: SQLite (`sqlite.rs`, the
//! embedded default) and PostgreSQL (`postgres.rs`, for several servers on
//! one database). The queries are written once, in the files named by
//! topic (`accounts.rs`, `orders.rs`, ...), in SQL both databases speak,
//! with `$1`-style parameters; each backend compiles them with its own
//! driver types and the few expressions that differ (times, months), which
//! it defines as macros before it includes them. Each backend has its own
//! migrations folder (`server/migrations/sqlite`, `server/migrations/postgres`).

// Each backend includes the query files as modules of its own, on purpose.
#![allow(clippy::duplicate_mod)]

mod postgres;
mod sqlite;
mod types;

use std::path::Path;

use bazar_api::account::Role;
use bazar_api::center::{
    CenterFamily, FamilyEarnings, Label, Listing, ListingDecision, ListingStatus, OrderDetail, OrderQueue,
    Payout, PayoutRequest, PickList, Statement, StatusChange, WeekSales,
};
use bazar_api::manage::{
    AuditEntry, FamilyForm, Hub, ImportReport, NewStaff, ProductEdit, StaffMember, ZoneForm,
};
use bazar_api::seller::{Money, NewListing, Prepare};
use bazar_api::tutor::{LectureState, LectureStep};
use bazar_api::{Family, FamilyPage, Localized, OrderRequest, OrderStatus, Product, Trace, Tracking, Zone};

pub use postgres::fresh_database;
pub use types::{
    Account, AuditFilter, CollectOutcome, CreateAccountError, DecisionOutcome, FamilyRows, LectureLimits,
    LectureMove, LectureReport, ManageOutcome, Owner, Placement, ProductAction, ProductFilter, StatusOutcome,
};

/// The weekly start, written once. What product `p` has available when
/// `$1` is the current week, as SQL: a weekly product whose count is from
/// an earlier week has its whole capacity again. Reads use this expression;
/// `start_week` (in `catalog.rs`) writes the same rule when an order or an
/// approval touches the product.
macro_rules! available_now {
    () => {
        "CASE WHEN p.capacity = 'weekly' AND p.week <> $1 THEN p.weekly_capacity ELSE p.available END"
    };
}
use available_now;

/// Whether product `p` of family `f` is in the shop: live, not retired, of
/// a family not retired, of a hub not disabled. A listed product that is
/// paused shows as not available now (see `PRODUCT_COLUMNS`); written
/// once, the catalog lists by it and an order takes stock by it.
macro_rules! listed {
    () => {
        "p.status = 'live' AND p.retired_at IS NULL AND f.retired_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM hub hx WHERE hx.id = f.hub_id AND hx.disabled_at IS NOT NULL)"
    };
}
use listed;

/// Whether product `p` of family `f` can be ordered now: listed and not paused.
macro_rules! offered {
    () => {
        concat!(super::listed!(), " AND p.paused = 0")
    };
}
use offered;

/// The catalog's version: moves on after every committed change to what the
/// shop lists, so a cached answer tagged with an older value is known to be
/// stale. Each backend moves it for its own commits; PostgreSQL's also for
/// other servers' commits (see `postgres.rs`).
#[derive(Clone, Default)]
struct CatalogVersion(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl CatalogVersion {
    fn get(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn bump(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The query files, as modules of the backend that invokes this (after
/// defining the macros they use: `now!`, `month_in_china!`, ...).
macro_rules! query_modules {
    () => {
        #[path = "accounts.rs"]
        mod accounts;
        #[path = "attempts.rs"]
        mod attempts;
        #[path = "catalog.rs"]
        mod catalog;
        #[path = "center.rs"]
        mod center;
        #[path = "lectures.rs"]
        mod lectures;
        #[path = "manage.rs"]
        mod manage;
        #[path = "narration.rs"]
        mod narration;
        #[path = "orders.rs"]
        mod orders;
        #[path = "seed.rs"]
        mod seed;
        #[path = "seller.rs"]
        mod seller;
        #[path = "uploads.rs"]
        mod uploads;
    };
}
use query_modules;

/// Changes to lecture rooms a server keeps for its event streams to read;
/// a stream that falls further behind reads every room again.
const LECTURE_CHANGES: usize = 1024;

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

/// Where the data lives, from `BAZAR_DB`: a `postgres://` or
/// `postgresql://` URL, or else a SQLite file (a path, or `sqlite:` and a
/// path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl Location {
    pub fn parse(value: &str) -> Location {
        if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            Location::Postgres(value.to_string())
        } else {
            let path = value
                .strip_prefix("sqlite://")
                .or_else(|| value.strip_prefix("sqlite:"));
            Location::Sqlite(path.unwrap_or(value).into())
        }
    }
}

impl std::fmt::Display for Location {
    /// The location without a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => match (url.find("://"), url.rfind('@')) {
                (Some(scheme), Some(at)) if at > scheme => {
                    let user = &url[scheme + 3..at];
                    let user = user.split(':').next().unwrap_or(user);
                    write!(f, "{}{user}{}", &url[..scheme + 3], &url[at..])
                }
                _ => write!(f, "{url}"),
            },
        }
    }
}

/// A handle on the database, whichever backend it is. Cheap to clone.
#[derive(Clone)]
pub struct Store(Backend);

#[derive(Clone)]
enum Backend {
    Sqlite(sqlite::Store),
    Postgres(postgres::Store),
}

impl Store {
    /// Opens (creating if needed) the database, applies its backend's
    /// migrations and seeds the demo hub into an empty database.
    pub async fn open(location: &Location) -> anyhow::Result<Store> {
        Store::open_with(location, true).await
    }

    /// [`Store::open`], seeding the demo hub into an empty database only
    /// with `demo` (a real township starts empty).
    pub async fn open_with(location: &Location, demo: bool) -> anyhow::Result<Store> {
        Ok(Store(match location {
            Location::Sqlite(path) => Backend::Sqlite(sqlite::Store::open(path, demo).await?),
            Location::Postgres(url) => Backend::Postgres(postgres::Store::open(url, demo).await?),
        }))
    }

    /// Opens an existing database as it is, without migrating or seeding:
    /// for reading it (a backup) beside a running server, or for a command
    /// that changes one thing in it.
    pub async fn open_existing(location: &Location) -> anyhow::Result<Store> {
        Ok(Store(match location {
            Location::Sqlite(path) => Backend::Sqlite(sqlite::Store::open_existing(path).await?),
            Location::Postgres(url) => Backend::Postgres(postgres::Store::open_existing(url).await?),
        }))
    }

    /// The catalog's version now; read it before reading the catalog.
    pub fn catalog_version(&self) -> u64 {
        match &self.0 {
            Backend::Sqlite(s) => s.catalog_version(),
            Backend::Postgres(s) => s.catalog_version(),
        }
    }

    /// Every change to a lecture room, committed by this server or (on
    /// PostgreSQL) another: its code, or an empty text when some may have
    /// been missed.
    pub fn lecture_changes(&self) -> tokio::sync::broadcast::Receiver<String> {
        match &self.0 {
            Backend::Sqlite(s) => s.lecture_changes(),
            Backend::Postgres(s) => s.lecture_changes(),
        }
    }

    /// Writes a consistent copy of a SQLite database to `to` (which must
    /// not exist) while writers go on. A PostgreSQL database is copied with
    /// its own `pg_dump` (see README.md).
    pub async fn backup(&self, to: &Path) -> anyhow::Result<()> {
        match &self.0 {
            Backend::Sqlite(s) => s.backup(to).await,
            Backend::Postgres(_) => {
                anyhow::bail!("a PostgreSQL database is backed up with pg_dump (see README.md)")
            }
        }
    }
}

/// The store's interface: every call a handler makes, each answered by the
/// backend that runs. The backends implement them in the files named.
macro_rules! interface {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $answer:ty;)+) => {
        impl Store {
            $(
                pub async fn $name(&self, $($arg: $ty),*) -> $answer {
                    match &self.0 {
                        Backend::Sqlite(s) => s.$name($($arg),*).await,
                        Backend::Postgres(s) => s.$name($($arg),*).await,
                    }
                }
            )+
        }
    };
}

interface! {
    // The database itself (sqlite.rs, postgres.rs).
    ping() -> bool;
    close() -> ();
    // accounts.rs
    create_staff_account(hub_slug: &str, role: Role, username: &str, password_hash: &str) -> Result<i64, CreateAccountError>;
    password_of(username: &str) -> sqlx::Result<Option<(i64, String)>>;
    is_trusted_device(account_id: i64, token_hash: &str) -> sqlx::Result<bool>;
    trust_device(account_id: i64, token_hash: &str) -> sqlx::Result<()>;
    key_card(token_hash: &str) -> sqlx::Result<Option<(i64, i64)>>;
    start_session(account_id: i64, key_card_id: Option<i64>, token_hash: &str, replaces: Option<&str>, hours: u32) -> sqlx::Result<Account>;
    session(token_hash: &str) -> sqlx::Result<Option<Account>>;
    end_session(token_hash: &str) -> sqlx::Result<()>;
    end_sessions_of(account_id: i64) -> sqlx::Result<()>;
    hub_families(hub_id: i64) -> sqlx::Result<Vec<CenterFamily>>;
    issue_key_card(hub_id: i64, family_id: i64, issued_by: i64, token_hash: &str) -> sqlx::Result<Option<(CenterFamily, String)>>;
    revoke_key_cards(hub_id: i64, family_id: i64) -> sqlx::Result<bool>;
    // attempts.rs
    reserve_attempts(keys: &[(String, u32)], now: i64, window: i64) -> sqlx::Result<Result<Vec<i64>, u64>>;
    release_attempts(ids: &[i64]) -> sqlx::Result<()>;
    record_attempt(key: &str, now: i64) -> sqlx::Result<()>;
    attempts(key: &str, now: i64, window: i64) -> sqlx::Result<u32>;
    // catalog.rs
    live_products(filter: &ProductFilter, week: i64) -> sqlx::Result<Vec<Product>>;
    live_product(id: i64, week: i64) -> sqlx::Result<Option<Product>>;
    family(id: i64) -> sqlx::Result<Option<Family>>;
    family_with_products(id: i64, week: i64) -> sqlx::Result<Option<FamilyPage>>;
    trace(code: &str) -> sqlx::Result<Option<Trace>>;
    // center.rs
    fee_bp(hub_id: i64) -> sqlx::Result<u32>;
    order_queue(hub_id: i64, status: OrderStatus) -> sqlx::Result<OrderQueue>;
    order_detail(hub_id: i64, code: &str) -> sqlx::Result<Option<OrderDetail>>;
    change_status(hub_id: i64, code: &str, change: &StatusChange, actor: &str, week: i64) -> sqlx::Result<StatusOutcome>;
    pick_list(hub_id: i64, day: Option<&str>, codes: &[String]) -> sqlx::Result<PickList>;
    collect(hub_id: i64, family_id: i64, product_id: i64, line_ids: &[i64], actor: &str) -> sqlx::Result<CollectOutcome>;
    label(hub_id: i64, code: &str) -> sqlx::Result<Option<Label>>;
    hub_listings(hub_id: i64, status: ListingStatus) -> sqlx::Result<Vec<Listing>>;
    decide_listing(hub_id: i64, id: i64, decision: &ListingDecision, week: i64) -> sqlx::Result<DecisionOutcome>;
    earnings(hub_id: i64, month: &str) -> sqlx::Result<Vec<FamilyEarnings>>;
    statement(hub_id: i64, family_id: i64, month: &str) -> sqlx::Result<Option<Statement>>;
    record_payout(hub_id: i64, request: &PayoutRequest, actor: &str) -> sqlx::Result<Option<Payout>>;
    overview(hub_id: i64, weeks: u32) -> sqlx::Result<Vec<WeekSales>>;
    // lectures.rs
    open_lecture(trainer_id: i64, hub_id: i64, start: LectureStep, limits: LectureLimits) -> sqlx::Result<Option<LectureState>>;
    lecture(code: &str, limits: LectureLimits) -> sqlx::Result<Option<LectureState>>;
    move_lecture(code: &str, trainer_id: i64, to: LectureStep, limits: LectureLimits) -> sqlx::Result<LectureMove>;
    lecture_report(code: &str, phone: &str, done: Option<(u32, u32)>, limits: LectureLimits) -> sqlx::Result<LectureReport>;
    // manage.rs
    create_admin(username: &str, password_hash: &str) -> Result<i64, CreateAccountError>;
    hub_id(slug: &str) -> sqlx::Result<Option<i64>>;
    hubs() -> sqlx::Result<Vec<Hub>>;
    create_hub(by: &Account, hub: &Hub) -> sqlx::Result<ManageOutcome<Hub>>;
    set_hub_disabled(by: &Account, slug: &str, disabled: bool) -> sqlx::Result<Option<Hub>>;
    work_in(token_hash: &str, slug: &str) -> sqlx::Result<Option<i64>>;
    staff(hub_id: i64) -> sqlx::Result<Vec<StaffMember>>;
    add_staff(by: &Account, hub_id: i64, staff: &NewStaff, password_hash: &str) -> sqlx::Result<ManageOutcome<StaffMember>>;
    reset_password(by: &Account, hub_id: i64, id: i64, password_hash: &str) -> sqlx::Result<Option<StaffMember>>;
    set_staff_disabled(by: &Account, hub_id: i64, id: i64, disabled: bool) -> sqlx::Result<ManageOutcome<StaffMember>>;
    center_family(hub_id: i64, id: i64) -> sqlx::Result<Option<CenterFamily>>;
    register_family(by: &Account, hub_id: i64, form: &FamilyForm) -> sqlx::Result<ManageOutcome<CenterFamily>>;
    edit_family(by: &Account, hub_id: i64, id: i64, form: &FamilyForm) -> sqlx::Result<ManageOutcome<CenterFamily>>;
    retire_family(by: &Account, hub_id: i64, id: i64) -> sqlx::Result<Option<CenterFamily>>;
    set_family_photo(by: &Account, hub_id: i64, id: i64, image: &str) -> sqlx::Result<Option<CenterFamily>>;
    import_families(by: &Account, hub_id: i64, rows: FamilyRows, dry_run: bool) -> sqlx::Result<ImportReport>;
    hub_zones(hub_id: i64) -> sqlx::Result<Vec<ZoneForm>>;
    add_zone(by: &Account, hub_id: i64, zone: &ZoneForm) -> sqlx::Result<ZoneForm>;
    edit_zone(by: &Account, hub_id: i64, id: i64, zone: Option<&ZoneForm>) -> sqlx::Result<Option<ZoneForm>>;
    audit(hub_id: i64, filter: &AuditFilter) -> sqlx::Result<Vec<AuditEntry>>;
    hub_products(hub_id: i64) -> sqlx::Result<Vec<Listing>>;
    edit_product(by: &Account, hub_id: i64, id: i64, edit: &ProductEdit, week: i64) -> sqlx::Result<Option<Listing>>;
    set_count(by: &Account, owner: Owner, id: i64, count: u32, week: i64) -> sqlx::Result<Option<Listing>>;
    act_on_product(by: &Account, owner: Owner, id: i64, action: ProductAction) -> sqlx::Result<Option<Listing>>;
    // narration.rs
    save_narration(hub_id: i64, clip: &str, lang: &str, mime: &str, audio: &[u8], trainer: i64) -> sqlx::Result<()>;
    narration_bytes_besides(hub_id: i64, clip: &str, lang: &str) -> sqlx::Result<u64>;
    narration(hub: Option<&str>, clip: &str, lang: &str) -> sqlx::Result<Option<(String, Vec<u8>)>>;
    recorded_clips(hub: Option<&str>) -> sqlx::Result<Vec<String>>;
    // orders.rs
    place_order(key: String, body_hash: String, request: OrderRequest, week: i64) -> sqlx::Result<Placement>;
    zones() -> sqlx::Result<Vec<Zone>>;
    tracking(token: &str) -> sqlx::Result<Option<Tracking>>;
    // seller.rs
    to_prepare(family_id: i64) -> sqlx::Result<Vec<Prepare>>;
    money(hub_id: i64, family_id: i64) -> sqlx::Result<Money>;
    family_listings(family_id: i64) -> sqlx::Result<Vec<Listing>>;
    create_listing(family_id: i64, listing: &NewListing, image: &str, week: i64, by: Option<&Account>) -> sqlx::Result<Listing>;
    // uploads.rs
    record_photo(family_id: i64, name: &str, bytes: usize) -> sqlx::Result<()>;
    photo_of(family_id: i64, name: &str) -> sqlx::Result<bool>;
    photos_stored_since(family_id: i64, days: u32) -> sqlx::Result<(u32, u64)>;
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

#[cfg(test)]
mod tests {
    use super::Location;

    #[test]
    fn a_location_is_a_postgres_url_or_else_a_sqlite_file() {
        assert_eq!(
            Location::parse("postgres://bazar@db:5432/bazar"),
            Location::Postgres("postgres://bazar@db:5432/bazar".into())
        );
        assert_eq!(
            Location::parse("postgresql://db/bazar"),
            Location::Postgres("postgresql://db/bazar".into())
        );
        for (value, path) in [
            ("bazar.db", "bazar.db"),
            ("sqlite:/srv/bazar.db", "/srv/bazar.db"),
            ("sqlite:///srv/bazar.db", "/srv/bazar.db"),
            ("/tmp/postgres://x", "/tmp/postgres://x"),
        ] {
            assert_eq!(Location::parse(value), Location::Sqlite(path.into()), "{value}");
        }
    }

    #[test]
    fn a_location_is_shown_without_its_password() {
        let shown = Location::parse("postgres://bazar:s3cret@db:5432/bazar").to_string();
        assert_eq!(shown, "postgres://bazar@db:5432/bazar");
        assert!(!shown.contains("s3cret"));
        let plain = Location::parse("postgres://postgres@127.0.0.1:5432/bazar").to_string();
        assert_eq!(plain, "postgres://postgres@127.0.0.1:5432/bazar");
        assert_eq!(Location::parse("bazar.db").to_string(), "bazar.db");
    }
}

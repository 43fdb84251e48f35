//! What the store's interface takes and answers besides the API's own
//! types: written once, whichever backend runs.

use bazar_api::account::Role;
use bazar_api::center::Listing;
use bazar_api::order::{self, SoldOutLine};
use bazar_api::{FieldError, OrderStatus, ProductKind};

/// A signed-in account, as every protected handler sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub role: Role,
    pub hub_id: i64,
    pub hub_slug: String,
    /// For a family: its id.
    pub family_id: Option<i64>,
    /// The username, or the family's name (Chinese) for a family.
    pub name: String,
}

impl Account {
    /// How the account appears in order events and payouts.
    pub fn actor(&self) -> String {
        format!("{}:{}", self.role.as_str(), self.name)
    }
}

/// Why an account could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CreateAccountError {
    #[error("no hub {0:?}")]
    NoSuchHub(String),
    #[error("the username {0:?} is taken")]
    UsernameTaken(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// What the shop's listing asks for. Empty fields don't filter.
#[derive(Debug, Default, Clone)]
pub struct ProductFilter {
    pub kind: Option<ProductKind>,
    pub family: Option<i64>,
    /// Matched against the product's and the family's names in every language.
    pub text: Option<String>,
}

/// What became of a change made from the center's management screens.
#[derive(Debug)]
pub enum ManageOutcome<T> {
    Done(T),
    NotFound,
    /// The named field's value is another object's already.
    Taken(&'static str),
    /// A rule refused the change, and which.
    Refused(&'static str),
}

/// The rows of a family list to import: each row's line in the file and
/// its form, or why it can't be one.
pub type FamilyRows = Vec<(
    u32,
    Result<bazar_api::manage::FamilyForm, Vec<bazar_api::FieldError>>,
)>;

/// Whose product a change may touch: any of a hub's (its operators) or a
/// family's own (its phone).
#[derive(Debug, Clone, Copy)]
pub enum Owner {
    Hub(i64),
    Family(i64),
}

/// What is done to a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductAction {
    Pause,
    Resume,
    Retire,
}

impl ProductAction {
    pub fn parse(action: &str) -> Option<ProductAction> {
        match action {
            "pause" => Some(ProductAction::Pause),
            "resume" => Some(ProductAction::Resume),
            "retire" => Some(ProductAction::Retire),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ProductAction::Pause => "pause",
            ProductAction::Resume => "resume",
            ProductAction::Retire => "retire",
        }
    }
}

/// Which audit entries to show: by whom (`role:username`), of which
/// object (`family:12`), on which day (`2026-12-02`, UTC).
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub object: Option<String>,
    pub day: Option<String>,
}

/// What became of a status change.
#[derive(Debug)]
pub enum StatusOutcome {
    Changed,
    NotFound,
    /// The lifecycle does not allow this step from where the order is.
    Illegal {
        from: OrderStatus,
    },
}

/// What became of collecting goods into a batch.
#[derive(Debug)]
pub enum CollectOutcome {
    /// The new batch's trace code.
    Collected(String),
    Invalid(Vec<FieldError>),
}

/// What became of a decision on a listing.
#[derive(Debug)]
pub enum DecisionOutcome {
    Decided(Box<Listing>),
    NotFound,
    /// Only pending listings are decided.
    NotPending,
}

/// What became of a request to place an order.
#[derive(Debug)]
pub enum Placement {
    /// A new order; `body` is the JSON stored for replays.
    Placed { body: String },
    /// The key was seen before with the same body: the first answer again.
    Replayed { status: u16, body: String },
    /// The key was seen before with another body.
    KeyReused,
    /// Some lines can't be had; nothing was taken.
    SoldOut(Vec<(usize, SoldOutLine)>),
    /// Lines name products that don't exist (their indexes in the request).
    UnknownProducts(Vec<usize>),
    /// The zone is not one of the hub's, or the products come from several hubs.
    UnknownZone,
    /// Well formed, but over the limits that keep one order from emptying
    /// the shop (see `bazar_api::order::hoarding`); nothing was taken.
    Hoarding(Vec<order::Hoarding>),
}

/// What bounds the live lectures (see `crate::lecture`).
#[derive(Debug, Clone, Copy)]
pub struct LectureLimits {
    /// Rooms one trainer may have open; opening another closes their oldest.
    pub per_trainer: usize,
    /// Rooms open in all.
    pub rooms: usize,
    /// Phones counted in one room.
    pub phones: usize,
    /// A room closes this many hours after its trainer last moved it.
    pub hours: u32,
}

/// What became of a trainer's move.
#[derive(Debug)]
pub enum LectureMove {
    Moved(bazar_api::tutor::LectureState),
    NotFound,
    /// Another trainer's room.
    NotTrainer,
}

/// What became of a phone's report.
#[derive(Debug)]
pub enum LectureReport {
    Counted(bazar_api::tutor::LectureState),
    NotFound,
    /// The room counts as many phones as it may.
    Full,
}

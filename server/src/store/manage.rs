//! Running a hub: hubs (a platform admin's), staff accounts, families,
//! delivery zones, and the audit log that every change here writes in its
//! own transaction.

use bazar_api::account::Role;
use bazar_api::center::{CenterFamily, Listing};
use bazar_api::manage::{
    AuditEntry, FamilyForm, Hub, ImportReport, ImportRow, NewStaff, ProductEdit, StaffMember, ZoneForm, weekly_left,
};
use bazar_api::{FieldError, Fen};
use sqlx::FromRow;

use super::center::{ListingRow, listing_query};
use super::{Account, AuditFilter, FamilyRows, Owner, ProductAction, CreateAccountError, Db, ManageOutcome, Store, int, parse};

/// Writes one audit entry in the transaction of the change it describes.
/// `old` and `new` are the object's values before and after, as JSON.
pub(super) async fn record(
    tx: &mut sqlx::Transaction<'static, Db>,
    hub_id: Option<i64>,
    by: &Account,
    object: &str,
    action: &str,
    old: Option<String>,
    new: Option<String>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit (hub_id, account_id, actor, object, action, old, new) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(hub_id)
    .bind(by.id)
    .bind(by.actor())
    .bind(object)
    .bind(action)
    .bind(old)
    .bind(new)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn json<T: serde::Serialize>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
}

#[derive(FromRow)]
struct HubRow {
    slug: String,
    #[sqlx(flatten)]
    names: super::Names,
    address: String,
    fee_bp: i64,
    bank_payee: String,
    bank_name: String,
    bank_account: String,
    disabled_at: Option<String>,
    families: i64,
    operators: i64,
}

impl TryFrom<HubRow> for Hub {
    type Error = sqlx::Error;

    fn try_from(r: HubRow) -> sqlx::Result<Hub> {
        Ok(Hub {
            slug: r.slug,
            names: r.names.into(),
            address: r.address,
            fee_bp: int(r.fee_bp, "fee_bp")?,
            bank_payee: r.bank_payee,
            bank_name: r.bank_name,
            bank_account: r.bank_account,
            disabled: r.disabled_at.is_some(),
            families: int(r.families, "families")?,
            operators: int(r.operators, "operators")?,
        })
    }
}

const HUB_QUERY: &str = "SELECT h.slug, h.name_ug, h.name_zh, h.name_en, h.address, h.fee_bp, h.bank_payee,
        h.bank_name, h.bank_account, h.disabled_at,
        (SELECT COUNT(*) FROM family f WHERE f.hub_id = h.id AND f.retired_at IS NULL) AS families,
        (SELECT COUNT(*) FROM account a WHERE a.hub_id = h.id AND a.role = 'operator'
            AND a.disabled_at IS NULL) AS operators
     FROM hub h";

#[derive(FromRow)]
struct StaffRow {
    id: i64,
    username: String,
    role: String,
    created_at: String,
    disabled_at: Option<String>,
}

impl TryFrom<StaffRow> for StaffMember {
    type Error = sqlx::Error;

    fn try_from(r: StaffRow) -> sqlx::Result<StaffMember> {
        Ok(StaffMember {
            id: r.id,
            username: r.username,
            role: parse(&r.role, Role::parse, "role")?,
            created_at: r.created_at,
            disabled: r.disabled_at.is_some(),
        })
    }
}

/// A family's row as the center edits it.
#[derive(FromRow)]
pub(super) struct FamilyRow {
    id: i64,
    #[sqlx(flatten)]
    names: super::Names,
    #[sqlx(flatten)]
    village: super::Villages,
    #[sqlx(flatten)]
    story: super::Stories,
    phone: String,
    stamp: String,
    retired_at: Option<String>,
    card_issued_at: Option<String>,
    photo: String,
}

/// The columns of a `FamilyRow`, of the family `f`.
pub(super) const FAMILY_COLUMNS: &str = "f.id, f.name_ug, f.name_zh, f.name_en, f.village_ug, f.village_zh,
    f.village_en, f.story_ug, f.story_zh, f.story_en, f.phone, f.stamp, f.retired_at, f.photo,
    (SELECT MAX(k.issued_at) FROM account a JOIN key_card k ON k.account_id = a.id
     WHERE a.family_id = f.id AND k.revoked_at IS NULL) AS card_issued_at";

impl From<FamilyRow> for CenterFamily {
    fn from(r: FamilyRow) -> CenterFamily {
        CenterFamily {
            id: r.id,
            names: r.names.into(),
            village: r.village.into(),
            stamp: r.stamp,
            card_issued_at: r.card_issued_at,
            phone: r.phone,
            story: r.story.into(),
            retired: r.retired_at.is_some(),
            photo: r.photo,
        }
    }
}

#[derive(FromRow)]
struct ZoneRow {
    id: i64,
    code: String,
    #[sqlx(flatten)]
    names: super::Names,
    shipping_fen: i64,
    days_min: i64,
    days_max: i64,
    retired_at: Option<String>,
}

impl TryFrom<ZoneRow> for ZoneForm {
    type Error = sqlx::Error;

    fn try_from(r: ZoneRow) -> sqlx::Result<ZoneForm> {
        Ok(ZoneForm {
            id: r.id,
            code: r.code,
            names: r.names.into(),
            shipping_fen: Fen(r.shipping_fen),
            days_min: int(r.days_min, "days_min")?,
            days_max: int(r.days_max, "days_max")?,
            retired: r.retired_at.is_some(),
        })
    }
}

const ZONE_COLUMNS: &str = "id, code, name_ug, name_zh, name_en, shipping_fen, days_min, days_max, retired_at";

#[derive(FromRow)]
struct AuditRow {
    id: i64,
    at: String,
    actor: String,
    object: String,
    action: String,
    old: Option<String>,
    new: Option<String>,
}

/// The most audit entries one answer holds (the newest).
pub const AUDIT_PAGE: i64 = 500;

impl Store {
    /// A platform admin: an account of no hub.
    pub async fn create_admin(&self, username: &str, password_hash: &str) -> Result<i64, CreateAccountError> {
        let mut tx = self.write().await?;
        if super::accounts::username_taken(&mut tx, username).await? {
            return Err(CreateAccountError::UsernameTaken(username.to_string()));
        }
        let id = sqlx::query_scalar(
            "INSERT INTO account (hub_id, role, username, password_hash) VALUES (NULL, 'admin', $1, $2) RETURNING id",
        )
        .bind(username)
        .bind(password_hash)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The id of the hub `slug`.
    pub async fn hub_id(&self, slug: &str) -> sqlx::Result<Option<i64>> {
        sqlx::query_scalar("SELECT id FROM hub WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&self.pool)
            .await
    }

    /// Every hub, the oldest first.
    pub async fn hubs(&self) -> sqlx::Result<Vec<Hub>> {
        let rows: Vec<HubRow> = sqlx::query_as(&format!("{HUB_QUERY} ORDER BY h.id"))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Hub::try_from).collect()
    }

    /// A new hub; `Taken` when its slug is another hub's.
    pub async fn create_hub(&self, by: &Account, hub: &Hub) -> sqlx::Result<ManageOutcome<Hub>> {
        let mut tx = self.write().await?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM hub WHERE slug = $1")
            .bind(&hub.slug)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Ok(ManageOutcome::Taken("slug"));
        }
        sqlx::query(
            "INSERT INTO hub (slug, name_ug, name_zh, name_en, address, fee_bp, bank_payee, bank_name, bank_account)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&hub.slug)
        .bind(hub.names.ug.trim())
        .bind(hub.names.zh.trim())
        .bind(hub.names.en.trim())
        .bind(hub.address.trim())
        .bind(i64::from(hub.fee_bp))
        .bind(hub.bank_payee.trim())
        .bind(hub.bank_name.trim())
        .bind(hub.bank_account.trim())
        .execute(&mut *tx)
        .await?;
        let created: HubRow = sqlx::query_as(&format!("{HUB_QUERY} WHERE h.slug = $1"))
            .bind(&hub.slug)
            .fetch_one(&mut *tx)
            .await?;
        let created = Hub::try_from(created)?;
        record(&mut tx, None, by, &format!("hub:{}", hub.slug), "create", None, json(&created)).await?;
        tx.commit().await?;
        Ok(ManageOutcome::Done(created))
    }

    /// Disables a hub (its products leave the shop, its staff and families
    /// are signed out and can't sign in) or enables it again.
    pub async fn set_hub_disabled(&self, by: &Account, slug: &str, disabled: bool) -> sqlx::Result<Option<Hub>> {
        let mut tx = self.write().await?;
        let hub: Option<i64> = sqlx::query_scalar("SELECT id FROM hub WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(hub_id) = hub else {
            return Ok(None);
        };
        let set = if disabled {
            concat!("UPDATE hub SET disabled_at = COALESCE(disabled_at, ", now!(), ") WHERE id = $1")
        } else {
            "UPDATE hub SET disabled_at = NULL WHERE id = $1"
        };
        sqlx::query(set).bind(hub_id).execute(&mut *tx).await?;
        if disabled {
            sqlx::query("DELETE FROM session WHERE account_id IN (SELECT id FROM account WHERE hub_id = $1)")
                .bind(hub_id)
                .execute(&mut *tx)
                .await?;
        }
        let action = if disabled { "disable" } else { "enable" };
        record(&mut tx, Some(hub_id), by, &format!("hub:{slug}"), action, None, None).await?;
        let row: HubRow = sqlx::query_as(&format!("{HUB_QUERY} WHERE h.id = $1"))
            .bind(hub_id)
            .fetch_one(&mut *tx)
            .await?;
        super::catalog_changed_in(&mut tx).await?;
        tx.commit().await?;
        self.catalog_changed();
        Hub::try_from(row).map(Some)
    }

    /// Sets the hub an admin's session works in; `None` without such a hub.
    pub async fn work_in(&self, token_hash: &str, slug: &str) -> sqlx::Result<Option<i64>> {
        let mut tx = self.write().await?;
        let hub: Option<i64> = sqlx::query_scalar("SELECT id FROM hub WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(hub_id) = hub {
            sqlx::query("UPDATE session SET hub_id = $1 WHERE token_hash = $2")
                .bind(hub_id)
                .bind(token_hash)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(hub)
    }

    /// The hub's operators and trainers, the oldest first.
    pub async fn staff(&self, hub_id: i64) -> sqlx::Result<Vec<StaffMember>> {
        let rows: Vec<StaffRow> = sqlx::query_as(
            "SELECT id, username, role, created_at, disabled_at FROM account
             WHERE hub_id = $1 AND role IN ('operator', 'trainer') ORDER BY id",
        )
        .bind(hub_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(StaffMember::try_from).collect()
    }

    /// A new operator or trainer of the hub.
    pub async fn add_staff(
        &self,
        by: &Account,
        hub_id: i64,
        staff: &NewStaff,
        password_hash: &str,
    ) -> sqlx::Result<ManageOutcome<StaffMember>> {
        let mut tx = self.write().await?;
        if super::accounts::username_taken(&mut tx, &staff.username).await? {
            return Ok(ManageOutcome::Taken("username"));
        }
        let row: StaffRow = sqlx::query_as(
            "INSERT INTO account (hub_id, role, username, password_hash) VALUES ($1, $2, $3, $4)
             RETURNING id, username, role, created_at, disabled_at",
        )
        .bind(hub_id)
        .bind(staff.role.as_str())
        .bind(&staff.username)
        .bind(password_hash)
        .fetch_one(&mut *tx)
        .await?;
        let member = StaffMember::try_from(row)?;
        let object = format!("account:{}", member.id);
        record(&mut tx, Some(hub_id), by, &object, "create", None, json(staff)).await?;
        tx.commit().await?;
        Ok(ManageOutcome::Done(member))
    }

    /// A staff account of the hub, for a change.
    async fn staff_member(
        tx: &mut sqlx::Transaction<'static, Db>,
        hub_id: i64,
        id: i64,
    ) -> sqlx::Result<Option<StaffMember>> {
        let row: Option<StaffRow> = sqlx::query_as(
            "SELECT id, username, role, created_at, disabled_at FROM account
             WHERE id = $1 AND hub_id = $2 AND role IN ('operator', 'trainer')",
        )
        .bind(id)
        .bind(hub_id)
        .fetch_optional(&mut **tx)
        .await?;
        row.map(StaffMember::try_from).transpose()
    }

    /// A new password for a staff account of the hub; its sessions end.
    pub async fn reset_password(
        &self,
        by: &Account,
        hub_id: i64,
        id: i64,
        password_hash: &str,
    ) -> sqlx::Result<Option<StaffMember>> {
        let mut tx = self.write().await?;
        let Some(member) = Store::staff_member(&mut tx, hub_id, id).await? else {
            return Ok(None);
        };
        sqlx::query("UPDATE account SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        super::accounts::end_sessions(&mut tx, id).await?;
        record(&mut tx, Some(hub_id), by, &format!("account:{id}"), "reset_password", None, None).await?;
        tx.commit().await?;
        Ok(Some(member))
    }

    /// Disables a staff account of the hub (its sessions end at once), or
    /// enables it again. A hub's last working operator stays.
    pub async fn set_staff_disabled(
        &self,
        by: &Account,
        hub_id: i64,
        id: i64,
        disabled: bool,
    ) -> sqlx::Result<ManageOutcome<StaffMember>> {
        let mut tx = self.write().await?;
        let Some(member) = Store::staff_member(&mut tx, hub_id, id).await? else {
            return Ok(ManageOutcome::NotFound);
        };
        if disabled && member.role == Role::Operator && !member.disabled {
            let others: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM account WHERE hub_id = $1 AND role = 'operator'
                 AND disabled_at IS NULL AND id <> $2",
            )
            .bind(hub_id)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            if others == 0 {
                return Ok(ManageOutcome::Refused("the hub's last operator can't be disabled"));
            }
        }
        let set = if disabled {
            concat!("UPDATE account SET disabled_at = COALESCE(disabled_at, ", now!(), ") WHERE id = $1")
        } else {
            "UPDATE account SET disabled_at = NULL WHERE id = $1"
        };
        sqlx::query(set).bind(id).execute(&mut *tx).await?;
        if disabled {
            super::accounts::end_sessions(&mut tx, id).await?;
        }
        let action = if disabled { "disable" } else { "enable" };
        record(&mut tx, Some(hub_id), by, &format!("account:{id}"), action, None, None).await?;
        let member = Store::staff_member(&mut tx, hub_id, id).await?;
        tx.commit().await?;
        Ok(member.map_or(ManageOutcome::NotFound, ManageOutcome::Done))
    }

    /// One family of the hub, as the center edits it.
    pub async fn center_family(&self, hub_id: i64, id: i64) -> sqlx::Result<Option<CenterFamily>> {
        let row: Option<FamilyRow> =
            sqlx::query_as(&format!("SELECT {FAMILY_COLUMNS} FROM family f WHERE f.id = $1 AND f.hub_id = $2"))
                .bind(id)
                .bind(hub_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(CenterFamily::from))
    }

    /// Registers a family of the hub; `Taken("stamp")` when another family
    /// of the hub stamps its eggs so.
    pub async fn register_family(
        &self,
        by: &Account,
        hub_id: i64,
        form: &FamilyForm,
    ) -> sqlx::Result<ManageOutcome<CenterFamily>> {
        let mut tx = self.write().await?;
        if stamp_taken(&mut tx, hub_id, &form.stamp, None).await? {
            return Ok(ManageOutcome::Taken("stamp"));
        }
        let id = insert_family(&mut tx, hub_id, form).await?;
        record(&mut tx, Some(hub_id), by, &format!("family:{id}"), "create", None, json(form)).await?;
        let family = family_in(&mut tx, hub_id, id).await?;
        tx.commit().await?;
        Ok(family.map_or(ManageOutcome::NotFound, ManageOutcome::Done))
    }

    /// Changes a family of the hub.
    pub async fn edit_family(
        &self,
        by: &Account,
        hub_id: i64,
        id: i64,
        form: &FamilyForm,
    ) -> sqlx::Result<ManageOutcome<CenterFamily>> {
        let mut tx = self.write().await?;
        let Some(before) = family_in(&mut tx, hub_id, id).await? else {
            return Ok(ManageOutcome::NotFound);
        };
        if stamp_taken(&mut tx, hub_id, &form.stamp, Some(id)).await? {
            return Ok(ManageOutcome::Taken("stamp"));
        }
        sqlx::query(
            "UPDATE family SET name_ug = $1, name_zh = $2, name_en = $3, village_ug = $4, village_zh = $5,
                    village_en = $6, story_ug = $7, story_zh = $8, story_en = $9, phone = $10, stamp = $11
             WHERE id = $12",
        )
        .bind(&form.names.ug)
        .bind(&form.names.zh)
        .bind(&form.names.en)
        .bind(&form.village.ug)
        .bind(&form.village.zh)
        .bind(&form.village.en)
        .bind(&form.story.ug)
        .bind(&form.story.zh)
        .bind(&form.story.en)
        .bind(&form.phone)
        .bind(&form.stamp)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let old = json(&FamilyForm::from(&before));
        record(&mut tx, Some(hub_id), by, &format!("family:{id}"), "edit", old, json(form)).await?;
        let family = family_in(&mut tx, hub_id, id).await?;
        super::catalog_changed_in(&mut tx).await?;
        tx.commit().await?;
        self.catalog_changed();
        Ok(family.map_or(ManageOutcome::NotFound, ManageOutcome::Done))
    }

    /// Sets the picture of a family of the hub (an address under /uploads).
    pub async fn set_family_photo(
        &self,
        by: &Account,
        hub_id: i64,
        id: i64,
        image: &str,
    ) -> sqlx::Result<Option<CenterFamily>> {
        let mut tx = self.write().await?;
        let Some(before) = family_in(&mut tx, hub_id, id).await? else {
            return Ok(None);
        };
        sqlx::query("UPDATE family SET photo = $1 WHERE id = $2")
            .bind(image)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let (old, new) = (json(&before.photo), json(&image));
        record(&mut tx, Some(hub_id), by, &format!("family:{id}"), "photo", old, new).await?;
        let family = family_in(&mut tx, hub_id, id).await?;
        super::catalog_changed_in(&mut tx).await?;
        tx.commit().await?;
        self.catalog_changed();
        Ok(family)
    }

    /// Retires a family of the hub: its products leave the shop and its key
    /// cards stop working; its orders, batches and money stay.
    pub async fn retire_family(&self, by: &Account, hub_id: i64, id: i64) -> sqlx::Result<Option<CenterFamily>> {
        let mut tx = self.write().await?;
        if family_in(&mut tx, hub_id, id).await?.is_none() {
            return Ok(None);
        }
        sqlx::query(concat!(
            "UPDATE family SET retired_at = COALESCE(retired_at, ",
            now!(),
            ") WHERE id = $1"
        ))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let account: Option<i64> = sqlx::query_scalar("SELECT id FROM account WHERE family_id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(account) = account {
            super::accounts::revoke_cards(&mut tx, account).await?;
        }
        record(&mut tx, Some(hub_id), by, &format!("family:{id}"), "retire", None, None).await?;
        let family = family_in(&mut tx, hub_id, id).await?;
        super::catalog_changed_in(&mut tx).await?;
        tx.commit().await?;
        self.catalog_changed();
        Ok(family)
    }

    /// Imports families into the hub: every row's fate, in one transaction
    /// (and nothing written with `dry_run`). A row whose Latin name and
    /// village are a family's of the hub already (or an earlier row's)
    /// `exists`, so importing a file again creates none.
    pub async fn import_families(
        &self,
        by: &Account,
        hub_id: i64,
        rows: FamilyRows,
        dry_run: bool,
    ) -> sqlx::Result<ImportReport> {
        let mut tx = self.write().await?;
        let known: Vec<FamilyRow> = sqlx::query_as(&format!("SELECT {FAMILY_COLUMNS} FROM family f WHERE f.hub_id = $1"))
            .bind(hub_id)
            .fetch_all(&mut *tx)
            .await?;
        let known: Vec<CenterFamily> = known.into_iter().map(CenterFamily::from).collect();
        let mut keys: std::collections::HashSet<String> =
            known.iter().map(|f| FamilyForm::from(f).import_key()).collect();
        let mut stamps: std::collections::HashSet<String> = known.into_iter().map(|f| f.stamp).collect();
        let mut report = ImportReport {
            dry_run,
            created: 0,
            existing: 0,
            invalid: 0,
            rows: Vec::with_capacity(rows.len()),
        };
        for (line, row) in rows {
            let (name, fate, errors) = match row {
                Err(errors) => (String::new(), "invalid", errors),
                Ok(form) => {
                    let name = if form.names.zh.is_empty() { form.names.en.clone() } else { form.names.zh.clone() };
                    if !keys.insert(form.import_key()) {
                        (name, "exists", Vec::new())
                    } else if !stamps.insert(form.stamp.clone()) {
                        (name, "invalid", vec![FieldError::new("stamp", "taken")])
                    } else {
                        if !dry_run {
                            let id = insert_family(&mut tx, hub_id, &form).await?;
                            record(&mut tx, Some(hub_id), by, &format!("family:{id}"), "import", None, json(&form))
                                .await?;
                        }
                        (name, "new", Vec::new())
                    }
                }
            };
            match fate {
                "new" => report.created += 1,
                "exists" => report.existing += 1,
                _ => report.invalid += 1,
            }
            report.rows.push(ImportRow {
                line,
                name,
                fate: fate.to_string(),
                errors,
            });
        }
        if dry_run {
            tx.rollback().await?;
        } else {
            tx.commit().await?;
        }
        Ok(report)
    }

    /// The hub's delivery zones, retired ones too, in their order.
    pub async fn hub_zones(&self, hub_id: i64) -> sqlx::Result<Vec<ZoneForm>> {
        let rows: Vec<ZoneRow> = sqlx::query_as(&format!(
            "SELECT {ZONE_COLUMNS} FROM zone WHERE hub_id = $1 ORDER BY position, id"
        ))
        .bind(hub_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(ZoneForm::try_from).collect()
    }

    /// A new delivery zone of the hub, offered last.
    pub async fn add_zone(&self, by: &Account, hub_id: i64, zone: &ZoneForm) -> sqlx::Result<ZoneForm> {
        let mut tx = self.write().await?;
        let row: ZoneRow = sqlx::query_as(&format!(
            "INSERT INTO zone (hub_id, code, name_ug, name_zh, name_en, shipping_fen, days_min, days_max, position)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
                     (SELECT COALESCE(MAX(position), 0) + 1 FROM zone WHERE hub_id = $1))
             RETURNING {ZONE_COLUMNS}"
        ))
        .bind(hub_id)
        .bind(format!("z-{}", super::random_hex::<4>()))
        .bind(zone.names.ug.trim())
        .bind(zone.names.zh.trim())
        .bind(zone.names.en.trim())
        .bind(zone.shipping_fen.0)
        .bind(i64::from(zone.days_min))
        .bind(i64::from(zone.days_max))
        .fetch_one(&mut *tx)
        .await?;
        let zone = ZoneForm::try_from(row)?;
        record(&mut tx, Some(hub_id), by, &format!("zone:{}", zone.id), "create", None, json(&zone)).await?;
        super::catalog_changed_in(&mut tx).await?;
        tx.commit().await?;
        self.catalog_changed();
        Ok(zone)
    }

    /// Changes a zone of the hub (orders placed keep the fee they paid), or
    /// retires it (`retire`: no longer offered at checkout).
    pub async fn edit_zone(
        &self,
        by: &Account,
        hub_id: i64,
        id: i64,
        zone: Option<&ZoneForm>,
    ) -> sqlx::Result<Option<ZoneForm>> {
        let mut tx = self.write().await?;
        let query = format!("SELECT {ZONE_COLUMNS} FROM zone WHERE id = $1 AND hub_id = $2");
        let before: Option<ZoneRow> = sqlx::query_as(&query).bind(id).bind(hub_id).fetch_optional(&mut *tx).await?;
        let Some(before) = before.map(ZoneForm::try_from).transpose()? else {
            return Ok(None);
        };
        match zone {
            Some(zone) => {
                sqlx::query(
                    "UPDATE zone SET name_ug = $1, name_zh = $2, name_en = $3, shipping_fen = $4, days_min = $5,
                            days_max = $6 WHERE id = $7",
                )
                .bind(zone.names.ug.trim())
                .bind(zone.names.zh.trim())
                .bind(zone.names.en.trim())
                .bind(zone.shipping_fen.0)
                .bind(i64::from(zone.days_min))
                .bind(i64::from(zone.days_max))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query(concat!(
                    "UPDATE zone SET retired_at = COALESCE(retired_at, ",
                    now!(),
                    ") WHERE id = $1"
                ))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
        }
        let after: ZoneRow = sqlx::query_as(&query).bind(id).bind(hub_id).fetch_one(&mut *tx).await?;
        let after = ZoneForm::try_from(after)?;
        let action = if zone.is_some() { "edit" } else { "retire" };
        record(&mut tx, Some(hub_id), by, &format!("zone:{id}"), action, json(&before), json(&after)).await?;
        super::catalog_changed_in(&mut tx).await?;
        tx.commit().await?;
        self.catalog_changed();
        Ok(Some(after))
    }

    /// The hub's audit log, the newest first, filtered.
    pub async fn audit(&self, hub_id: i64, filter: &AuditFilter) -> sqlx::Result<Vec<AuditEntry>> {
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT id, at, actor, object, action, old, new FROM audit
             WHERE hub_id = $1 AND ($2 IS NULL OR actor = $2) AND ($3 IS NULL OR object = $3)
               AND ($4 IS NULL OR substr(at, 1, 10) = $4)
             ORDER BY id DESC LIMIT $5",
        )
        .bind(hub_id)
        .bind(filter.actor.as_deref())
        .bind(filter.object.as_deref())
        .bind(filter.day.as_deref())
        .bind(AUDIT_PAGE)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                at: r.at,
                actor: r.actor,
                object: r.object,
                action: r.action,
                old: r.old,
                new: r.new,
            })
            .collect())
    }
}

impl Store {
    /// Every product of the hub's families, in every state, the oldest first.
    pub async fn hub_products(&self, hub_id: i64) -> sqlx::Result<Vec<Listing>> {
        let rows: Vec<ListingRow> = sqlx::query_as(&listing_query("f.hub_id = $1 ORDER BY p.id"))
            .bind(hub_id)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Listing::try_from).collect()
    }

    /// Corrects a product of the hub: names, unit, price (orders placed
    /// keep theirs) and how many it has.
    pub async fn edit_product(
        &self,
        by: &Account,
        hub_id: i64,
        id: i64,
        edit: &ProductEdit,
        week: i64,
    ) -> sqlx::Result<Option<Listing>> {
        let mut tx = self.write().await?;
        let Some((before, _)) = product_of(&mut tx, Owner::Hub(hub_id), id).await? else {
            return Ok(None);
        };
        sqlx::query(concat!(
            "UPDATE product SET name_ug = $1, name_zh = $2, name_en = $3, unit_ug = $4, unit_zh = $5,
                    unit_en = $6, price_fen = $7, updated_at = ",
            now!(),
            " WHERE id = $8"
        ))
        .bind(edit.names.ug.trim())
        .bind(edit.names.zh.trim())
        .bind(edit.names.en.trim())
        .bind(edit.unit.ug.trim())
        .bind(edit.unit.zh.trim())
        .bind(edit.unit.en.trim())
        .bind(edit.price_fen.0)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        count_in(&mut tx, id, edit.count, week).await?;
        let (after, _) = product_of(&mut tx, Owner::Hub(hub_id), id).await?.expect("the product was just read");
        let object = format!("product:{id}");
        record(&mut tx, Some(hub_id), by, &object, "edit", json(&before), json(&after)).await?;
        super::catalog_changed_in(&mut tx).await?;
        tx.commit().await?;
        self.catalog_changed();
        Ok(Some(after))
    }

    /// How many a product has: in stock, or this week (what was ordered
    /// this week stays ordered).
    pub async fn set_count(
        &self,
        by: &Account,
        owner: Owner,
        id: i64,
        count: u32,
        week: i64,
    ) -> sqlx::Result<Option<Listing>> {
        let mut tx = self.write().await?;
        let Some((before, hub_id)) = product_of(&mut tx, owner, id).await? else {
            return Ok(None);
        };
        count_in(&mut tx, id, count, week).await?;
        let (after, _) = product_of(&mut tx, owner, id).await?.expect("the product was just read");
        let (old, new) = (json(&before.quantity), json(&after.quantity));
        record(&mut tx, Some(hub_id), by, &format!("product:{id}"), "count", old, new).await?;
        super::catalog_changed_in(&mut tx).await?;
        tx.commit().await?;
        self.catalog_changed();
        Ok(Some(after))
    }

    /// Pauses, resumes or retires a product.
    pub async fn act_on_product(
        &self,
        by: &Account,
        owner: Owner,
        id: i64,
        action: ProductAction,
    ) -> sqlx::Result<Option<Listing>> {
        let mut tx = self.write().await?;
        let Some((_, hub_id)) = product_of(&mut tx, owner, id).await? else {
            return Ok(None);
        };
        let set = match action {
            ProductAction::Pause => "UPDATE product SET paused = 1 WHERE id = $1",
            ProductAction::Resume => "UPDATE product SET paused = 0 WHERE id = $1",
            ProductAction::Retire => concat!(
                "UPDATE product SET retired_at = COALESCE(retired_at, ",
                now!(),
                ") WHERE id = $1"
            ),
        };
        sqlx::query(set).bind(id).execute(&mut *tx).await?;
        let (after, _) = product_of(&mut tx, owner, id).await?.expect("the product was just read");
        record(&mut tx, Some(hub_id), by, &format!("product:{id}"), action.as_str(), None, None).await?;
        super::catalog_changed_in(&mut tx).await?;
        tx.commit().await?;
        self.catalog_changed();
        Ok(Some(after))
    }
}

/// A product of `owner`'s, and its hub.
async fn product_of(
    tx: &mut sqlx::Transaction<'static, Db>,
    owner: Owner,
    id: i64,
) -> sqlx::Result<Option<(Listing, i64)>> {
    let (clause, value) = match owner {
        Owner::Hub(hub) => ("p.id = $1 AND f.hub_id = $2", hub),
        Owner::Family(family) => ("p.id = $1 AND p.family_id = $2", family),
    };
    let row: Option<ListingRow> = sqlx::query_as(&listing_query(clause))
        .bind(id)
        .bind(value)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(listing) = row.map(Listing::try_from).transpose()? else {
        return Ok(None);
    };
    let hub: i64 = sqlx::query_scalar("SELECT hub_id FROM family WHERE id = $1")
        .bind(listing.family_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(Some((listing, hub)))
}

#[derive(FromRow)]
struct CountRow {
    capacity: String,
    weekly_capacity: i64,
    available: i64,
    week: i64,
}

/// Sets how many product `id` has (see `bazar_api::manage::weekly_left`).
async fn count_in(tx: &mut sqlx::Transaction<'static, Db>, id: i64, count: u32, week: i64) -> sqlx::Result<()> {
    let mut row: CountRow =
        sqlx::query_as("SELECT capacity, weekly_capacity, available, week FROM product WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    if row.capacity == "weekly" && row.week != week {
        // A count from an earlier week: this week starts with the whole of it.
        super::catalog::start_week(tx, id, week).await?;
        row.available = row.weekly_capacity;
    }
    let count = i64::from(count);
    let (weekly, available) = if row.capacity == "weekly" {
        (count, weekly_left(row.weekly_capacity, row.available, count))
    } else {
        (row.weekly_capacity, count)
    };
    sqlx::query("UPDATE product SET weekly_capacity = $1, available = $2 WHERE id = $3")
        .bind(weekly)
        .bind(available)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn stamp_taken(
    tx: &mut sqlx::Transaction<'static, Db>,
    hub_id: i64,
    stamp: &str,
    besides: Option<i64>,
) -> sqlx::Result<bool> {
    let other: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM family WHERE hub_id = $1 AND stamp = $2 AND ($3 IS NULL OR id <> $3)",
    )
    .bind(hub_id)
    .bind(stamp)
    .bind(besides)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(other.is_some())
}

async fn insert_family(tx: &mut sqlx::Transaction<'static, Db>, hub_id: i64, form: &FamilyForm) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO family (hub_id, name_ug, name_zh, name_en, village_ug, village_zh, village_en,
                             story_ug, story_zh, story_en, phone, stamp)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(hub_id)
    .bind(&form.names.ug)
    .bind(&form.names.zh)
    .bind(&form.names.en)
    .bind(&form.village.ug)
    .bind(&form.village.zh)
    .bind(&form.village.en)
    .bind(&form.story.ug)
    .bind(&form.story.zh)
    .bind(&form.story.en)
    .bind(&form.phone)
    .bind(&form.stamp)
    .fetch_one(&mut **tx)
    .await
}

pub(super) async fn family_in(
    tx: &mut sqlx::Transaction<'static, Db>,
    hub_id: i64,
    id: i64,
) -> sqlx::Result<Option<CenterFamily>> {
    let row: Option<FamilyRow> =
        sqlx::query_as(&format!("SELECT {FAMILY_COLUMNS} FROM family f WHERE f.id = $1 AND f.hub_id = $2"))
            .bind(id)
            .bind(hub_id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(CenterFamily::from))
}

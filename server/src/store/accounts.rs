//! Accounts, sessions and the families' key cards. Tokens are stored only as
//! their SHA-256; the hashes are made by the caller (see `crate::auth`).

use bazar_api::account::Role;
use bazar_api::center::CenterFamily;
use sqlx::FromRow;

use super::manage::{FAMILY_COLUMNS, FamilyRow, family_in};
use super::{Account, CreateAccountError, Db, Store, parse};

/// An account's columns, of the account `a`, its hub `h` (for an admin,
/// the hub its session works in, if any) and its family `f`.
const ACCOUNT_COLUMNS: &str =
    "a.id, a.role, h.id AS hub_id, h.slug AS hub_slug, a.family_id, COALESCE(a.username, f.name_zh, '') AS name";

/// A row of `ACCOUNT_COLUMNS`.
#[derive(FromRow)]
struct AccountRow {
    id: i64,
    role: String,
    hub_id: Option<i64>,
    hub_slug: Option<String>,
    family_id: Option<i64>,
    name: String,
}

impl TryFrom<AccountRow> for Account {
    type Error = sqlx::Error;

    fn try_from(r: AccountRow) -> sqlx::Result<Account> {
        Ok(Account {
            id: r.id,
            role: parse(&r.role, Role::parse, "role")?,
            hub_id: r.hub_id.unwrap_or(0),
            hub_slug: r.hub_slug.unwrap_or_default(),
            family_id: r.family_id,
            name: r.name,
        })
    }
}

#[derive(FromRow)]
struct PasswordRow {
    id: i64,
    password_hash: String,
}

#[derive(FromRow)]
struct KeyCardRow {
    account_id: i64,
    id: i64,
}

impl Store {
    /// A new operator or trainer of the hub `hub_slug`.
    pub async fn create_staff_account(
        &self,
        hub_slug: &str,
        role: Role,
        username: &str,
        password_hash: &str,
    ) -> Result<i64, CreateAccountError> {
        let mut tx = self.write().await?;
        let hub: Option<i64> = sqlx::query_scalar("SELECT id FROM hub WHERE slug = $1")
            .bind(hub_slug)
            .fetch_optional(&mut *tx)
            .await?;
        let hub = hub.ok_or_else(|| CreateAccountError::NoSuchHub(hub_slug.to_string()))?;
        if username_taken(&mut tx, username).await? {
            return Err(CreateAccountError::UsernameTaken(username.to_string()));
        }
        let id = sqlx::query_scalar(
            "INSERT INTO account (hub_id, role, username, password_hash) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(hub)
        .bind(role.as_str())
        .bind(username)
        .bind(password_hash)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The id and password hash of a staff account, by username.
    pub async fn password_of(&self, username: &str) -> sqlx::Result<Option<(i64, String)>> {
        let row = sqlx::query_as::<_, PasswordRow>(
            "SELECT a.id, a.password_hash FROM account a LEFT JOIN hub h ON h.id = a.hub_id
             WHERE a.username = $1 AND a.password_hash IS NOT NULL AND a.disabled_at IS NULL
               AND h.disabled_at IS NULL",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.id, r.password_hash)))
    }

    /// Whether the device whose cookie hashes to `token_hash` signed
    /// `account_id` in before.
    pub async fn is_trusted_device(&self, account_id: i64, token_hash: &str) -> sqlx::Result<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(1 AS BIGINT) FROM trusted_device WHERE token_hash = $1 AND account_id = $2",
        )
        .bind(token_hash)
        .bind(account_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Remembers a device that signed `account_id` in.
    pub async fn trust_device(&self, account_id: i64, token_hash: &str) -> sqlx::Result<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO trusted_device (token_hash, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(token_hash)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// The account and key card behind a card's token hash, if the card works.
    pub async fn key_card(&self, token_hash: &str) -> sqlx::Result<Option<(i64, i64)>> {
        let row = sqlx::query_as::<_, KeyCardRow>(
            "SELECT k.account_id, k.id FROM key_card k JOIN account a ON a.id = k.account_id
             JOIN hub h ON h.id = a.hub_id
             WHERE k.token_hash = $1 AND k.revoked_at IS NULL AND a.disabled_at IS NULL AND h.disabled_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.account_id, r.id)))
    }

    /// Starts a session for `account_id`, ending `replaces` (the session the
    /// browser had, if any), so every sign-in gets a fresh token.
    pub async fn start_session(
        &self,
        account_id: i64,
        key_card_id: Option<i64>,
        token_hash: &str,
        replaces: Option<&str>,
        hours: u32,
    ) -> sqlx::Result<Account> {
        let mut tx = self.write().await?;
        if let Some(old) = replaces {
            sqlx::query("DELETE FROM session WHERE token_hash = $1")
                .bind(old)
                .execute(&mut *tx)
                .await?;
        }
        // Sessions that ran out go when a new one starts.
        sqlx::query(concat!(
            "DELETE FROM session WHERE account_id = $1 AND expires_at <= ",
            now!()
        ))
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(concat!(
            "INSERT INTO session (token_hash, account_id, key_card_id, created_at, expires_at)
             VALUES ($1, $2, $3, ",
            now!(),
            ",
                     ",
            now_plus!("$4"),
            ")"
        ))
        .bind(token_hash)
        .bind(account_id)
        .bind(key_card_id)
        .bind(format!("+{hours} hours"))
        .execute(&mut *tx)
        .await?;
        let account = sqlx::query_as::<_, AccountRow>(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account a LEFT JOIN hub h ON h.id = a.hub_id
             LEFT JOIN family f ON f.id = a.family_id WHERE a.id = $1"
        ))
        .bind(account_id)
        .fetch_one(&mut *tx)
        .await?;
        let account = Account::try_from(account)?;
        tx.commit().await?;
        Ok(account)
    }

    /// The account of a live session.
    pub async fn session(&self, token_hash: &str) -> sqlx::Result<Option<Account>> {
        let row = sqlx::query_as::<_, AccountRow>(&format!(
            concat!(
                "SELECT {columns} FROM session s JOIN account a ON a.id = s.account_id
                 LEFT JOIN hub h ON h.id = COALESCE(a.hub_id, s.hub_id) LEFT JOIN family f ON f.id = a.family_id
                 WHERE s.token_hash = $1 AND a.disabled_at IS NULL
                   AND (a.role = 'admin' OR h.disabled_at IS NULL) AND s.expires_at > ",
                now!()
            ),
            columns = ACCOUNT_COLUMNS,
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Account::try_from).transpose()
    }

    /// Ends one session.
    pub async fn end_session(&self, token_hash: &str) -> sqlx::Result<()> {
        sqlx::query("DELETE FROM session WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends every session of an account (sign out everywhere).
    pub async fn end_sessions_of(&self, account_id: i64) -> sqlx::Result<()> {
        let mut tx = self.write().await?;
        end_sessions(&mut tx, account_id).await?;
        tx.commit().await
    }

    /// The hub's families with the date of their working key card.
    pub async fn hub_families(&self, hub_id: i64) -> sqlx::Result<Vec<CenterFamily>> {
        let rows: Vec<FamilyRow> = sqlx::query_as(&format!(
            "SELECT {FAMILY_COLUMNS} FROM family f WHERE f.hub_id = $1 ORDER BY f.id"
        ))
        .bind(hub_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(CenterFamily::from).collect())
    }

    /// A new key card for a family of `hub_id`: earlier cards stop working
    /// and the phones signed in with them are signed out. `None` when the
    /// family is not the hub's. Answers the family and the card's date.
    pub async fn issue_key_card(
        &self,
        hub_id: i64,
        family_id: i64,
        issued_by: i64,
        token_hash: &str,
    ) -> sqlx::Result<Option<(CenterFamily, String)>> {
        let mut tx = self.write().await?;
        let Some(family) = family_in(&mut tx, hub_id, family_id).await? else {
            return Ok(None);
        };
        if family.retired {
            return Ok(None);
        }
        let account: i64 = sqlx::query_scalar(
            "INSERT INTO account (hub_id, role, family_id) VALUES ($1, 'family', $2)
             ON CONFLICT (family_id) DO UPDATE SET role = 'family' RETURNING id",
        )
        .bind(hub_id)
        .bind(family_id)
        .fetch_one(&mut *tx)
        .await?;
        revoke_cards(&mut tx, account).await?;
        let issued_at: String = sqlx::query_scalar(concat!(
            "INSERT INTO key_card (account_id, token_hash, issued_at, issued_by)
             VALUES ($1, $2, ",
            now!(),
            ", $3) RETURNING issued_at"
        ))
        .bind(account)
        .bind(token_hash)
        .bind(issued_by)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        let family = CenterFamily {
            card_issued_at: Some(issued_at.clone()),
            ..family
        };
        Ok(Some((family, issued_at)))
    }

    /// Stops a family's key cards and signs its phones out. False when the
    /// family is not the hub's.
    pub async fn revoke_key_cards(&self, hub_id: i64, family_id: i64) -> sqlx::Result<bool> {
        let mut tx = self.write().await?;
        let family: Option<i64> = sqlx::query_scalar("SELECT id FROM family WHERE id = $1 AND hub_id = $2")
            .bind(family_id)
            .bind(hub_id)
            .fetch_optional(&mut *tx)
            .await?;
        if family.is_none() {
            return Ok(false);
        }
        let account: Option<i64> = sqlx::query_scalar("SELECT id FROM account WHERE family_id = $1")
            .bind(family_id)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(account) = account {
            revoke_cards(&mut tx, account).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}

/// Ends every session of an account (signed out everywhere, disabled, or
/// given a new password).
pub(super) async fn end_sessions(tx: &mut sqlx::Transaction<'static, Db>, account: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM session WHERE account_id = $1")
        .bind(account)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether an account has the username `username` already.
pub(super) async fn username_taken(tx: &mut sqlx::Transaction<'static, Db>, username: &str) -> sqlx::Result<bool> {
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM account WHERE username = $1")
        .bind(username)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(taken.is_some())
}

pub(super) async fn revoke_cards(tx: &mut sqlx::Transaction<'static, Db>, account: i64) -> sqlx::Result<()> {
    sqlx::query(
        "DELETE FROM session WHERE key_card_id IN
         (SELECT id FROM key_card WHERE account_id = $1 AND revoked_at IS NULL)",
    )
    .bind(account)
    .execute(&mut **tx)
    .await?;
    sqlx::query(concat!(
        "UPDATE key_card SET revoked_at = ",
        now!(),
        "
         WHERE account_id = $1 AND revoked_at IS NULL"
    ))
    .bind(account)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

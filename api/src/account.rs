//! Accounts and signing in: operators and trainers with a password, families
//! with the token of their printed key card.

use serde::{Deserialize, Serialize};

crate::named! {
    /// What an account may do. Every account but an admin's belongs to one hub.
    pub enum Role {
        /// Runs the platform: creates hubs and their first operators, and may
        /// act in any hub as its operator (after choosing it).
        Admin = "admin",
        /// Service-center staff: orders, pick lists, batches, listings, earnings.
        Operator = "operator",
        /// Teaches at village lectures and records narration.
        Trainer = "trainer",
        /// A selling family, signed in with its key card.
        Family = "family",
    }
}

/// `POST /api/auth/sign-in`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub username: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 256))]
    pub password: String,
}

/// `POST /api/auth/key-card`: the token from the card's QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyCardSignIn {
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub token: String,
}

/// Who is signed in (`GET /api/auth/me`, and the answer of a sign-in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub role: Role,
    /// The account's name: the username, or the family's name for a family.
    pub name: String,
    pub hub: String,
    /// For a family: its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_id: Option<i64>,
}

/// The shortest password an account may have.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Whether `name` can be a username: 3 to 32 lowercase letters, digits, `.`, `-`, `_`.
pub fn is_username(name: &str) -> bool {
    (3..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(is_username("aynur.ops"));
        assert!(!is_username("ab"));
        assert!(!is_username("Aynur"));
        assert!(!is_username("a b c"));
        assert!(!is_username(&"a".repeat(33)));
    }

    #[test]
    fn roles_round_trip() {
        for r in [Role::Admin, Role::Operator, Role::Trainer, Role::Family] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}

//! Trace codes: the short code stamped on an egg or printed on a bag, which
//! leads a customer back to the family.

use serde::{Deserialize, Serialize};

use crate::{Localized, ProductKind};

/// The letters of a trace code: no 0/O, 1/I/L that people misread.
pub const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const CODE_LEN: usize = 8;

/// Reads what a customer typed: case, spaces and dashes don't matter. The
/// look-alikes 0/O and 1/I/L are in no code, so text with them is none.
pub fn normalize_code(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let ok = code.len() == CODE_LEN && code.bytes().all(|b| ALPHABET.contains(&b));
    ok.then_some(code)
}

/// Makes a code from random bytes (one byte per letter, rejection-sampled by the caller).
pub fn code_from_random(random: impl IntoIterator<Item = u8>) -> String {
    // 248 = 31 * 8: bytes at or above it would favour the first letters.
    random
        .into_iter()
        .filter(|b| *b < 248)
        .take(CODE_LEN)
        .map(|b| ALPHABET[usize::from(b % 31)] as char)
        .collect()
}

/// `GET /api/trace/{code}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trace {
    pub code: String,
    pub family_id: i64,
    pub family_names: Localized,
    pub village: Localized,
    pub photo: String,
    pub product_id: i64,
    pub kind: ProductKind,
    pub product_names: Localized,
    /// The day it was collected from the family, `YYYY-MM-DD`.
    pub collected_on: String,
    pub quantity: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn typed_codes_are_forgiving() {
        assert_eq!(normalize_code("k7mq-9rtx").as_deref(), Some("K7MQ9RTX"));
        assert_eq!(normalize_code(" K7MQ 9RTX ").as_deref(), Some("K7MQ9RTX"));
        assert_eq!(normalize_code("K7MQ9RT"), None);
        // O and I are read as 0 and 1, which no code contains.
        assert_eq!(normalize_code("K7MQ9RTO"), None);
        assert_eq!(normalize_code("<script>"), None);
    }

    proptest! {
        #[test]
        fn generated_codes_are_valid(bytes in proptest::collection::vec(0u8..248, CODE_LEN..64)) {
            let code = code_from_random(bytes);
            prop_assert_eq!(code.len(), CODE_LEN);
            prop_assert_eq!(normalize_code(&code), Some(code.clone()));
            prop_assert!(!code.contains(['0', 'O', '1', 'I']));
        }
    }
}

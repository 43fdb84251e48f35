//! Money: integer fen (1 yuan = 100 fen), never floats.

use serde::{Deserialize, Serialize};

/// An amount of money in fen. Sums saturate instead of wrapping, so an absurd
/// input can only give an absurd (and refused) total, never a negative one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fen(pub i64);

/// A bare integer on the wire, as `#[serde(transparent)]` has it.
#[cfg(feature = "lite")]
impl serde_lite::Deserialize for Fen {
    fn deserialize(val: &serde_lite::Intermediate) -> Result<Self, serde_lite::Error> {
        <i64 as serde_lite::Deserialize>::deserialize(val).map(Fen)
    }
}

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// `count` items at this unit price.
    pub fn times(self, count: u32) -> Fen {
        Fen(self.0.saturating_mul(i64::from(count)))
    }

    /// The whole yuan and the remaining fen, for display.
    pub fn yuan_and_fen(self) -> (i64, i64) {
        (self.0 / 100, (self.0 % 100).abs())
    }

    /// The amount as digits with a decimal point and the given grouping
    /// separator every three digits, e.g. `1,234.00`. No currency sign: the
    /// app's locale decides where that goes.
    pub fn format_grouped(self, group_sep: &str) -> String {
        let (yuan, fen) = self.yuan_and_fen();
        let digits = yuan.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 4);
        if self.0 < 0 {
            out.push('-');
        }
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(group_sep);
            }
            out.push(ch);
        }
        out.push('.');
        if fen < 10 {
            out.push('0');
        }
        out.push_str(&fen.to_string());
        out
    }
}

impl Fen {
    /// Yuan as a person types them ("12", "12.5", "12.50") in fen; `None`
    /// for anything else (signs, three decimals, letters, empty).
    pub fn parse_yuan(text: &str) -> Option<Fen> {
        let text = text.trim();
        let (yuan, fen) = text.split_once('.').unwrap_or((text, ""));
        if yuan.is_empty()
            || yuan.len() > 9
            || fen.len() > 2
            || !yuan.bytes().chain(fen.bytes()).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let yuan: i64 = yuan.parse().ok()?;
        let fen: i64 = if fen.is_empty() {
            0
        } else {
            format!("{fen:0<2}").parse().ok()?
        };
        Some(Fen(yuan * 100 + fen))
    }
}

impl std::ops::Add for Fen {
    type Output = Fen;
    fn add(self, rhs: Fen) -> Fen {
        Fen(self.0.saturating_add(rhs.0))
    }
}

impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        iter.fold(Fen::ZERO, |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_typed_yuan() {
        assert_eq!(Fen::parse_yuan("12"), Some(Fen(1200)));
        assert_eq!(Fen::parse_yuan(" 12.5 "), Some(Fen(1250)));
        assert_eq!(Fen::parse_yuan("0.05"), Some(Fen(5)));
        assert_eq!(Fen::parse_yuan("7."), Some(Fen(700)));
        assert_eq!(Fen::parse_yuan("1.234"), None);
        assert_eq!(Fen::parse_yuan("-3"), None);
        assert_eq!(Fen::parse_yuan(""), None);
        assert_eq!(Fen::parse_yuan("1e3"), None);
        assert_eq!(Fen::parse_yuan("9999999999"), None);
    }
    use proptest::prelude::*;

    #[test]
    fn formats_with_grouping_and_two_decimals() {
        assert_eq!(Fen(1250).format_grouped(","), "12.50");
        assert_eq!(Fen(123_400).format_grouped(","), "1,234.00");
        assert_eq!(Fen(5).format_grouped(","), "0.05");
        assert_eq!(Fen(100_000_000).format_grouped(","), "1,000,000.00");
        assert_eq!(Fen(-1999).format_grouped(","), "-19.99");
    }

    #[test]
    fn serialises_as_a_plain_integer() {
        assert_eq!(serde_json::to_string(&Fen(450)).unwrap(), "450");
    }

    proptest! {
        #[test]
        fn formatting_round_trips(fen in -10_000_000_000i64..10_000_000_000) {
            let text = Fen(fen).format_grouped(",").replace([',', '.'], "");
            prop_assert_eq!(text.parse::<i64>().unwrap(), fen);
        }

        #[test]
        fn sum_equals_integer_sum(prices in proptest::collection::vec(0i64..1_000_000, 0..50)) {
            let total: Fen = prices.iter().map(|p| Fen(*p)).sum();
            prop_assert_eq!(total.0, prices.iter().sum::<i64>());
        }

        #[test]
        fn times_never_goes_negative(price in 0i64..i64::MAX, count in 0u32..u32::MAX) {
            prop_assert!(Fen(price).times(count).0 >= 0);
        }
    }
}

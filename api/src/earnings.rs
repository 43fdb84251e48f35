//! What a family earns: the center keeps a fee (a per-hub rate in basis
//! points) on every line sold; the family gets the rest, and the operator
//! records the payouts. All in integer fen.

use serde::{Deserialize, Serialize};

use crate::Fen;

/// The highest rate: 10 000 basis points = 100 %.
pub const MAX_RATE_BP: u32 = 10_000;

/// The center's fee on `gross` at `rate_bp` basis points, rounded half up to
/// the fen. Computed per order line, so any sum of lines adds up exactly.
pub fn fee(gross: Fen, rate_bp: u32) -> Fen {
    let rate = i128::from(rate_bp.min(MAX_RATE_BP));
    let gross = i128::from(gross.0.max(0));
    Fen(((gross * rate + 5_000) / 10_000) as i64)
}

/// One line's split between the center and the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Split {
    pub items: u32,
    pub gross_fen: Fen,
    pub fee_fen: Fen,
    pub net_fen: Fen,
}

impl Split {
    /// `quantity` items at `unit_price` with the center's rate.
    pub fn line(quantity: u32, unit_price: Fen, rate_bp: u32) -> Split {
        let gross = unit_price.times(quantity);
        let fee = fee(gross, rate_bp);
        Split {
            items: quantity,
            gross_fen: gross,
            fee_fen: fee,
            net_fen: Fen(gross.0 - fee.0),
        }
    }
}

impl std::ops::Add for Split {
    type Output = Split;
    fn add(self, rhs: Split) -> Split {
        Split {
            items: self.items.saturating_add(rhs.items),
            gross_fen: self.gross_fen + rhs.gross_fen,
            fee_fen: self.fee_fen + rhs.fee_fen,
            net_fen: self.net_fen + rhs.net_fen,
        }
    }
}

impl std::iter::Sum for Split {
    fn sum<I: Iterator<Item = Split>>(iter: I) -> Split {
        iter.fold(Split::default(), |a, b| a + b)
    }
}

/// What the center still owes a family: everything it earned minus
/// everything paid out (negative when it was paid in advance).
pub fn balance(earned_net: Fen, paid: Fen) -> Fen {
    Fen(earned_net.0.saturating_sub(paid.0))
}

/// A month as `YYYY-MM` (the months earnings are counted by, China time).
pub fn is_month(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit)
        && matches!(s[5..].parse::<u8>(), Ok(1..=12))
}

/// The month before `month` (`YYYY-MM`).
pub fn previous_month(month: &str) -> Option<String> {
    if !is_month(month) {
        return None;
    }
    let year: i32 = month[..4].parse().ok()?;
    let m: u32 = month[5..].parse().ok()?;
    Some(if m == 1 {
        format!("{:04}-12", year - 1)
    } else {
        format!("{year:04}-{:02}", m - 1)
    })
}

/// The month (`YYYY-MM`, China time) a moment falls in.
pub fn china_month(unix_seconds: i64) -> String {
    let days = (unix_seconds + 8 * 3600).div_euclid(86_400);
    // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rounds_half_up_to_the_fen() {
        assert_eq!(fee(Fen(1_000), 800), Fen(80));
        // 8 % of 6.25 yuan is 50 fen exactly; of 6.31 yuan 50.48 -> 50; of 6.32 50.56 -> 51.
        assert_eq!(fee(Fen(625), 800), Fen(50));
        assert_eq!(fee(Fen(631), 800), Fen(50));
        assert_eq!(fee(Fen(632), 800), Fen(51));
        assert_eq!(fee(Fen(1), 5_000), Fen(1), "half a fen rounds up");
        assert_eq!(fee(Fen(999), 0), Fen(0));
        assert_eq!(fee(Fen(999), 10_000), Fen(999));
    }

    #[test]
    fn china_months() {
        assert_eq!(china_month(0), "1970-01");
        // 2026-11-30T16:00:00Z is 2026-12-01 00:00 in China.
        assert_eq!(china_month(1_796_054_400), "2026-12");
        assert_eq!(china_month(1_796_054_399), "2026-11");
        // 2024-02-29T12:00:00Z
        assert_eq!(china_month(1_709_208_000), "2024-02");
    }

    #[test]
    fn months() {
        assert!(is_month("2026-11"));
        assert!(!is_month("2026-13"));
        assert!(!is_month("2026-1"));
        assert!(!is_month("2026/11"));
        assert_eq!(previous_month("2026-01").as_deref(), Some("2025-12"));
        assert_eq!(previous_month("2026-11").as_deref(), Some("2026-10"));
        assert_eq!(previous_month("x"), None);
    }

    proptest! {
        #[test]
        fn fee_and_net_make_the_gross(gross in 0i64..10_000_000_000, rate in 0u32..=10_000) {
            let f = fee(Fen(gross), rate);
            prop_assert!(f.0 >= 0 && f.0 <= gross);
            // Never more than half a fen from the exact fee.
            let exact = i128::from(gross) * i128::from(rate);
            let diff = (i128::from(f.0) * 10_000 - exact).abs();
            prop_assert!(diff <= 5_000);
        }

        #[test]
        fn fee_grows_with_the_gross(a in 0i64..1_000_000_000, b in 0i64..1_000_000_000, rate in 0u32..=10_000) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(fee(Fen(lo), rate) <= fee(Fen(hi), rate));
        }

        #[test]
        fn month_totals_are_the_sum_of_their_lines(
            lines in proptest::collection::vec((1u32..500, 1i64..1_000_000), 0..60),
            rate in 0u32..=10_000,
        ) {
            let splits: Vec<Split> = lines.iter().map(|&(q, p)| Split::line(q, Fen(p), rate)).collect();
            let month: Split = splits.iter().copied().sum();
            let gross: i64 = lines.iter().map(|&(q, p)| i64::from(q) * p).sum();
            prop_assert_eq!(month.gross_fen, Fen(gross));
            prop_assert_eq!(month.fee_fen.0 + month.net_fen.0, gross);
            prop_assert_eq!(month.items, lines.iter().map(|l| l.0).sum::<u32>());
            for s in &splits {
                prop_assert_eq!(s.fee_fen.0 + s.net_fen.0, s.gross_fen.0);
                prop_assert!(s.net_fen.0 >= 0);
            }
        }

        #[test]
        fn balance_is_earned_minus_paid(earned in proptest::collection::vec(0i64..1_000_000, 0..20),
                                        paid in proptest::collection::vec(0i64..1_000_000, 0..20)) {
            let e: i64 = earned.iter().sum();
            let p: i64 = paid.iter().sum();
            prop_assert_eq!(balance(Fen(e), Fen(p)), Fen(e - p));
        }
    }
}

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

/// A calendar month, as earnings are counted (China time): written
/// `YYYY-MM`, e.g. `2026-12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: time::Month,
}

impl Month {
    /// `YYYY-MM`, a year from 0000 to 9999 and a month from 01 to 12.
    pub fn parse(s: &str) -> Option<Month> {
        let b = s.as_bytes();
        if b.len() != 7 || b[4] != b'-' || !b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit) {
            return None;
        }
        let month = time::Month::try_from(s[5..].parse::<u8>().ok()?).ok()?;
        Some(Month {
            year: s[..4].parse().ok()?,
            month,
        })
    }

    /// The month a moment (seconds since 1970, UTC) falls in, in China (UTC+8).
    pub fn in_china(unix_seconds: i64) -> Month {
        let date = time::OffsetDateTime::from_unix_timestamp(unix_seconds.saturating_add(8 * 3600))
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
            .date();
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The month before.
    pub fn previous(self) -> Month {
        let month = self.month.previous();
        let year = if month == time::Month::December {
            self.year - 1
        } else {
            self.year
        };
        Month { year, month }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, u8::from(self.month))
    }
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

    fn month(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    #[test]
    fn china_months() {
        assert_eq!(Month::in_china(0).to_string(), "1970-01");
        // 2026-11-30T16:00:00Z is 2026-12-01 00:00 in China.
        assert_eq!(Month::in_china(1_796_054_400), month("2026-12"));
        assert_eq!(Month::in_china(1_796_054_399), month("2026-11"));
        // 2024-02-29T12:00:00Z
        assert_eq!(Month::in_china(1_709_208_000), month("2024-02"));
    }

    #[test]
    fn months() {
        assert_eq!(month("2026-11").to_string(), "2026-11");
        for bad in [
            "2026-13", "2026-00", "2026-1", "2026/11", "x", "+026-11", "2026-+1",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(month("2026-01").previous(), month("2025-12"));
        assert_eq!(month("2026-11").previous(), month("2026-10"));
        assert!(month("2025-12") < month("2026-01"));
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

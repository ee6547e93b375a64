//! Area: stored in whole ㎡; forms and displays also in 亩 (1 亩 = 10000/15 ㎡).

use super::money::{AmountError, group_fixed, parse_scaled};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Area {
    pub m2: i64,
}

impl Area {
    pub fn from_m2(m2: i64) -> Area {
        Area { m2 }
    }

    /// Parses 亩 with up to 4 decimals; rounds to the nearest ㎡.
    pub fn parse_mu(text: &str) -> Result<Area, AmountError> {
        let ten_thousandths = parse_scaled(text, 4)? as i128;
        // m2 = mu * 10000 / 15 = (mu * 10^4) / 15
        let m2 = (ten_thousandths + 7) / 15;
        Ok(Area { m2: m2 as i64 })
    }

    /// Parses whole or decimal ㎡ (rounded to the nearest ㎡).
    /// The largest area accepted (as typed: 10¹² ㎡, far beyond any plot).
    pub const MAX_M2: i64 = super::money::MAX_YUAN / 100;

    pub fn parse_m2(text: &str) -> Result<Area, AmountError> {
        let hundredths = parse_scaled(text, 2)?;
        Ok(Area {
            m2: (hundredths + 50) / 100,
        })
    }

    /// 亩 with two decimals, e.g. "50.00".
    pub fn mu_display(self) -> String {
        // mu = m2 * 15 / 10000
        group_fixed(self.m2 * 15, 10_000, 2)
    }

    /// 亩 for a form field, exact (㎡ × 15 / 10000 has at most four decimals).
    pub fn mu_plain(self) -> String {
        super::money::scaled_plain(self.m2 * 15, 4)
    }

    pub fn m2_display(self) -> String {
        group_fixed(self.m2, 1, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mu_converts_to_square_metres() {
        assert_eq!(Area::parse_mu("15").unwrap().m2, 10_000);
        assert_eq!(Area::parse_mu("50").unwrap().m2, 33_333);
        assert_eq!(Area::parse_mu("1").unwrap().m2, 667);
    }

    #[test]
    fn mu_survives_a_round_trip_at_two_decimals() {
        for text in ["50", "120.5", "1", "3000", "0.25"] {
            let a = Area::parse_mu(text).unwrap();
            assert_eq!(
                a.mu_display().replace(',', ""),
                format!("{:.2}", text.parse::<f64>().unwrap()),
                "{text}"
            );
        }
        // Whole ㎡ convert to 亩 and back exactly.
        for m2 in [1, 33_333, 33_334, 80_000, 1_234_567] {
            assert_eq!(
                Area::parse_mu(&Area::from_m2(m2).mu_plain()).unwrap().m2,
                m2
            );
        }
    }

    #[test]
    fn square_metres_display_grouped() {
        assert_eq!(Area::from_m2(1_234_567).m2_display(), "1,234,567");
        assert_eq!(Area::parse_m2("80000.4").unwrap().m2, 80_000);
    }
}

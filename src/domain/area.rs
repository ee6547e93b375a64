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

    /// Parses an area as people type it: a bare number is in the field's own unit; a number
    /// followed by 亩, ㎡ (平方米, 平米, m², m2) or 公顷 is in that unit, whichever field it
    /// is typed in ("120亩" in the ㎡ field is 80,000 ㎡), as money accepts 万 and 亿.
    pub fn parse_typed(text: &str, field_unit: AreaUnit) -> Result<Area, AmountError> {
        let text = text.trim();
        let (number, unit) = AreaUnit::SUFFIXES
            .iter()
            .find_map(|(suffix, unit)| text.strip_suffix(suffix).map(|n| (n, *unit)))
            .unwrap_or((text, field_unit));
        if number.trim().is_empty() && !text.is_empty() {
            return Err(AmountError::NotANumber);
        }
        match unit {
            AreaUnit::Mu => Area::parse_mu(number),
            AreaUnit::SquareMetre => Area::parse_m2(number),
            // 1 公顷 = 10,000 ㎡: four decimals of a hectare are whole ㎡.
            AreaUnit::Hectare => Ok(Area {
                m2: parse_scaled(number, 4)?,
            }),
        }
    }
}

/// The units an area may be typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaUnit {
    Mu,
    SquareMetre,
    Hectare,
}

impl AreaUnit {
    /// Written units, longest first so that "平方米" is not read as "米".
    const SUFFIXES: [(&'static str, AreaUnit); 7] = [
        ("平方米", AreaUnit::SquareMetre),
        ("平米", AreaUnit::SquareMetre),
        ("公顷", AreaUnit::Hectare),
        ("m²", AreaUnit::SquareMetre),
        ("m2", AreaUnit::SquareMetre),
        ("㎡", AreaUnit::SquareMetre),
        ("亩", AreaUnit::Mu),
    ];
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
    fn areas_are_read_in_the_unit_typed_or_the_fields_own() {
        use AreaUnit::*;
        for (text, field, m2) in [
            ("120", Mu, Some(80_000)),
            ("120亩", Mu, Some(80_000)),
            ("１２０ 亩", Mu, Some(80_000)),
            ("80000㎡", Mu, Some(80_000)),
            ("80,000平方米", Mu, Some(80_000)),
            ("8公顷", Mu, Some(80_000)),
            ("120亩", SquareMetre, Some(80_000)),
            ("5000", SquareMetre, Some(5_000)),
            ("5000m2", SquareMetre, Some(5_000)),
            ("5000平米", SquareMetre, Some(5_000)),
            ("0.5公顷", SquareMetre, Some(5_000)),
            ("亩", Mu, None),
            ("120米", Mu, None),
            ("约120亩", Mu, None),
            ("-3亩", Mu, None),
        ] {
            assert_eq!(
                Area::parse_typed(text, field).ok().map(|a| a.m2),
                m2,
                "{text} in a {field:?} field"
            );
        }
    }

    #[test]
    fn square_metres_display_grouped() {
        assert_eq!(Area::from_m2(1_234_567).m2_display(), "1,234,567");
        assert_eq!(Area::parse_m2("80000.4").unwrap().m2, 80_000);
    }
}

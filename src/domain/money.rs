//! Money: integer yuan with an explicit currency. Never floats.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Currency {
    #[serde(rename = "CNY")]
    Cny,
    #[serde(rename = "USD")]
    Usd,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Currency::Cny => "CNY",
            Currency::Usd => "USD",
        }
    }
    pub fn parse(code: &str) -> Option<Currency> {
        match code {
            "CNY" => Some(Currency::Cny),
            "USD" => Some(Currency::Usd),
            _ => None,
        }
    }
}

/// An amount of money in whole yuan (or whole dollars for USD).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Money {
    pub yuan: i64,
    pub currency: Currency,
}

/// Upper bound for any single amount: 100 万亿 (1e14) — far above any project, far below i64.
pub const MAX_YUAN: i64 = 100_000_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    NotANumber,
    TooManyDecimals,
    Negative,
    TooLarge,
}

impl Money {
    pub fn new(yuan: i64, currency: Currency) -> Money {
        Money { yuan, currency }
    }

    /// Parses an amount typed in 万 (万元 / 万美元): up to 4 decimals, so exact in yuan.
    /// Accepts full-width digits, thousands separators and surrounding spaces, and the unit
    /// people write after the number: "3000万", "1.5亿", "2亿元", "200万美元" (in the given
    /// currency; "万元" typed for a dollar amount is not a number).
    pub fn parse_wan(text: &str, currency: Currency) -> Result<Money, AmountError> {
        let text = text.trim();
        let (yi, wan): (&[&str], &[&str]) = match currency {
            Currency::Cny => (&["亿元", "亿"], &["万元", "万"]),
            Currency::Usd => (&["亿美元", "亿"], &["万美元", "万"]),
        };
        let strip = |units: &[&str]| units.iter().find_map(|u| text.strip_suffix(u));
        let (number, decimals) = match (strip(yi), strip(wan)) {
            // 1亿 = 10⁴ 万: up to 8 decimals stay exact in yuan.
            (Some(n), _) => (n, 8),
            (None, Some(n)) => (n, 4),
            (None, None) => (text, 4),
        };
        if number.trim().is_empty() && number.len() < text.len() {
            return Err(AmountError::NotANumber); // a unit without a number
        }
        parse_scaled(number, decimals).map(|yuan| Money { yuan, currency })
    }

    /// The amount in yuan, USD converted at `usd_rate_e4` (CNY per USD ×10⁴) and truncated —
    /// for ordering only (the SQL sort computes the same); totals keep currencies apart.
    pub fn cny_equivalent(self, usd_rate_e4: i64) -> i64 {
        match self.currency {
            Currency::Cny => self.yuan,
            Currency::Usd => {
                let v = self.yuan as i128 * usd_rate_e4 as i128 / 10_000;
                v.clamp(i64::MIN as i128, i64::MAX as i128) as i64
            }
        }
    }

    /// Amount in 万, exact, without trailing zeros (for form values): 12345 元 → "1.2345".
    pub fn wan_plain(self) -> String {
        scaled_plain(self.yuan, 4)
    }

    /// Human display: 亿 from 1亿 up, else 万, with thousands separators; unit names the currency.
    pub fn display(self) -> String {
        format_big(self.yuan, self.currency)
    }
}

/// Formats a yuan amount as 万元/亿元 (or 万美元/亿美元), two decimals, thousands separators.
pub fn format_big(yuan: i64, currency: Currency) -> String {
    let unit = match currency {
        Currency::Cny => "元",
        Currency::Usd => "美元",
    };
    if yuan.abs() >= 100_000_000 {
        format!("{}亿{}", group_fixed(yuan, 100_000_000, 2), unit)
    } else {
        format!("{}万{}", group_fixed(yuan, 10_000, 2), unit)
    }
}

/// `value / divisor` rounded half away from zero to `decimals` places, integer part grouped by 3.
pub fn group_fixed(value: i64, divisor: i64, decimals: u32) -> String {
    let scale = 10i128.pow(decimals);
    let v = value as i128 * scale;
    let d = divisor as i128;
    let rounded = if v >= 0 {
        (v + d / 2) / d
    } else {
        (v - d / 2) / d
    };
    let negative = rounded < 0;
    let abs = rounded.unsigned_abs();
    let int_part = abs / scale as u128;
    let frac = abs % scale as u128;
    let digits = int_part.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if negative { "-" } else { "" };
    if decimals == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac:0width$}", width = decimals as usize)
    }
}

/// Parses a non-negative decimal with at most `decimals` fraction digits into an integer scaled
/// by 10^decimals. Full-width digits and separators are normalised first.
pub fn parse_scaled(text: &str, decimals: u32) -> Result<i64, AmountError> {
    let normalised: String = text
        .trim()
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' => Some('.'),
            ',' | '，' | ' ' | '\u{3000}' => None,
            '－' => Some('-'),
            other => Some(other),
        })
        .collect();
    if normalised.is_empty() {
        return Err(AmountError::Empty);
    }
    if normalised.starts_with('-') {
        return Err(AmountError::Negative);
    }
    let (int_part, frac_part) = match normalised.split_once('.') {
        Some((i, f)) => (i, f),
        None => (normalised.as_str(), ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(AmountError::NotANumber);
    }
    if !int_part.chars().all(|c| c.is_ascii_digit())
        || !frac_part.chars().all(|c| c.is_ascii_digit())
    {
        return Err(AmountError::NotANumber);
    }
    if frac_part.len() > decimals as usize {
        return Err(AmountError::TooManyDecimals);
    }
    let int_value: i64 = if int_part.is_empty() {
        0
    } else if int_part.len() > 15 {
        return Err(AmountError::TooLarge);
    } else {
        int_part.parse().map_err(|_| AmountError::NotANumber)?
    };
    let mut frac_value: i64 = if frac_part.is_empty() {
        0
    } else {
        frac_part.parse().map_err(|_| AmountError::NotANumber)?
    };
    for _ in frac_part.len()..decimals as usize {
        frac_value *= 10;
    }
    let scaled = int_value
        .checked_mul(10i64.pow(decimals))
        .and_then(|v| v.checked_add(frac_value))
        .ok_or(AmountError::TooLarge)?;
    if scaled > MAX_YUAN {
        return Err(AmountError::TooLarge);
    }
    Ok(scaled)
}

/// The inverse of `parse_scaled`, without trailing zeros.
pub fn scaled_plain(value: i64, decimals: u32) -> String {
    let scale = 10u64.pow(decimals);
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    let (int_part, frac) = (abs / scale, abs % scale);
    if frac == 0 {
        return format!("{sign}{int_part}");
    }
    let frac_text = format!("{frac:0width$}", width = decimals as usize);
    format!("{sign}{int_part}.{}", frac_text.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wan_amounts_convert_exactly_to_yuan() {
        assert_eq!(Money::parse_wan("1", Currency::Cny).unwrap().yuan, 10_000);
        assert_eq!(Money::parse_wan("0.0001", Currency::Cny).unwrap().yuan, 1);
        assert_eq!(
            Money::parse_wan("52000.5", Currency::Cny).unwrap().yuan,
            520_005_000
        );
        assert_eq!(
            Money::parse_wan(" 1,234.5678 ", Currency::Usd)
                .unwrap()
                .yuan,
            12_345_678
        );
        assert_eq!(
            Money::parse_wan("１２．５", Currency::Cny).unwrap().yuan,
            125_000
        );
    }

    #[test]
    fn amounts_may_carry_the_unit_people_write() {
        let cny = |t| Money::parse_wan(t, Currency::Cny).map(|m| m.yuan);
        let usd = |t| Money::parse_wan(t, Currency::Usd).map(|m| m.yuan);
        assert_eq!(cny("1.5亿"), Ok(150_000_000));
        assert_eq!(cny("２亿元"), Ok(200_000_000));
        assert_eq!(cny("3000万"), Ok(30_000_000));
        assert_eq!(cny(" 3,000 万元 "), Ok(30_000_000));
        assert_eq!(cny("1.23456789亿"), Ok(123_456_789));
        assert_eq!(cny("1.234567891亿"), Err(AmountError::TooManyDecimals));
        assert_eq!(usd("200万美元"), Ok(2_000_000));
        assert_eq!(usd("1亿"), Ok(100_000_000));
        // A unit of the other currency, or words, are not numbers.
        assert_eq!(cny("200万美元"), Err(AmountError::NotANumber));
        assert_eq!(usd("200万元"), Err(AmountError::NotANumber));
        assert_eq!(cny("五千万"), Err(AmountError::NotANumber));
        assert_eq!(cny("亿"), Err(AmountError::NotANumber));
    }

    #[test]
    fn bad_amounts_are_refused_with_their_reason() {
        assert_eq!(Money::parse_wan("", Currency::Cny), Err(AmountError::Empty));
        assert_eq!(
            Money::parse_wan("abc", Currency::Cny),
            Err(AmountError::NotANumber)
        );
        assert_eq!(
            Money::parse_wan("1.23456", Currency::Cny),
            Err(AmountError::TooManyDecimals)
        );
        assert_eq!(
            Money::parse_wan("-5", Currency::Cny),
            Err(AmountError::Negative)
        );
        assert_eq!(
            Money::parse_wan("1e5", Currency::Cny),
            Err(AmountError::NotANumber)
        );
        assert_eq!(
            Money::parse_wan("99999999999999999999", Currency::Cny),
            Err(AmountError::TooLarge)
        );
    }

    #[test]
    fn display_uses_yi_from_one_hundred_million() {
        assert_eq!(Money::new(520_000_000, Currency::Cny).display(), "5.20亿元");
        assert_eq!(
            Money::new(1_234_567_800_000, Currency::Cny).display(),
            "12,345.68亿元"
        );
        assert_eq!(
            Money::new(50_000_000, Currency::Usd).display(),
            "5,000.00万美元"
        );
        assert_eq!(Money::new(0, Currency::Cny).display(), "0.00万元");
    }

    #[test]
    fn negative_amounts_keep_their_sign_in_wan() {
        assert_eq!(Money::new(-5, Currency::Cny).wan_plain(), "-0.0005");
        assert_eq!(
            Money::parse_wan(&Money::new(-5, Currency::Cny).wan_plain(), Currency::Cny),
            Err(AmountError::Negative)
        );
    }

    #[test]
    fn plain_wan_round_trips() {
        for text in ["1", "0.0001", "52000.5", "1234.5678"] {
            let m = Money::parse_wan(text, Currency::Cny).unwrap();
            assert_eq!(m.wan_plain(), text);
        }
    }
}

//! 统一社会信用代码 (GB 32100-2015): 18 characters, the last a checksum over the first 17.

use std::fmt;

const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditCodeError {
    Length,
    Character,
    Checksum,
}

impl CreditCodeError {
    /// The rule the code broke, in the words a form shows.
    pub fn message(self) -> String {
        let why = match self {
            CreditCodeError::Length => "应为18位",
            CreditCodeError::Character => {
                "含有不允许的字符（只能是数字和除 I、O、Z、S、V 以外的大写字母）"
            }
            CreditCodeError::Checksum => "校验位不正确，请核对",
        };
        format!("统一社会信用代码{why}")
    }
}

fn value_of(c: char) -> Option<u32> {
    CHARSET.find(c).map(|i| i as u32)
}

impl CreditCode {
    /// Parses a code; lower case and surrounding spaces are forgiven.
    pub fn parse(text: &str) -> Result<CreditCode, CreditCodeError> {
        let code: String = text.trim().to_ascii_uppercase();
        if code.chars().count() != 18 {
            return Err(CreditCodeError::Length);
        }
        let values: Vec<u32> = code
            .chars()
            .map(value_of)
            .collect::<Option<Vec<u32>>>()
            .ok_or(CreditCodeError::Character)?;
        if values[17] != Self::check_value(&values[..17]) {
            return Err(CreditCodeError::Checksum);
        }
        Ok(CreditCode(code))
    }

    fn check_value(first17: &[u32]) -> u32 {
        let sum: u32 = first17.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
        (31 - sum % 31) % 31
    }

    /// Completes 17 characters with their check character (for demo data and tests).
    pub fn with_checksum(first17: &str) -> Option<CreditCode> {
        let values: Vec<u32> = first17
            .chars()
            .map(value_of)
            .collect::<Option<Vec<u32>>>()?;
        if values.len() != 17 {
            return None;
        }
        let check = CHARSET.chars().nth(Self::check_value(&values) as usize)?;
        Some(CreditCode(format!("{first17}{check}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_valid_codes_pass() {
        // Public registration codes of well-known companies.
        for code in [
            "91350100M000100Y43",
            "91110000802100433B",
            "91440300708461136T",
        ] {
            assert!(CreditCode::parse(code).is_ok(), "{code}");
        }
        assert!(CreditCode::parse(" 91350100m000100y43 ").is_ok());
    }

    #[test]
    fn a_changed_character_breaks_the_checksum() {
        assert_eq!(
            CreditCode::parse("91350100M000100Y44"),
            Err(CreditCodeError::Checksum)
        );
    }

    #[test]
    fn wrong_length_and_characters_are_named() {
        assert_eq!(CreditCode::parse("9135"), Err(CreditCodeError::Length));
        assert_eq!(
            CreditCode::parse("91350100M000100YI3"),
            Err(CreditCodeError::Character)
        );
    }

    #[test]
    fn a_completed_code_is_valid() {
        let code = CreditCode::with_checksum("91330200MA2AB1234").unwrap();
        assert!(CreditCode::parse(code.as_str()).is_ok());
    }
}

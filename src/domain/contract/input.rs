//! Contract records as typed: checked here, whatever sent them.

use super::{Delay, Incentive, Terms};
use crate::domain::dates::{iso, parse_date};
use crate::domain::money::{MAX_YUAN, Money};
use crate::domain::validation::Invalid;
use time::Date;

/// Terms as sent: dates as text (so a bad one is named), the rest typed.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TermsInput {
    /// 约定开工日期, YYYY-MM-DD.
    pub start_deadline: String,
    /// 约定投产日期, YYYY-MM-DD.
    pub production_deadline: String,
    pub intensity_yuan_per_m2: Option<i64>,
    pub tax_yuan_per_mu: Option<i64>,
    pub land_area_m2: Option<i64>,
    pub land_price: Option<Money>,
    pub incentives: Vec<Incentive>,
}

/// A date field: required, a real day.
pub fn date_field(errors: &mut Invalid, field: &str, label: &str, text: &str) -> Option<Date> {
    match text.trim() {
        "" => {
            errors.add(field, format!("{label}不能为空"));
            None
        }
        t => {
            let parsed = parse_date(t);
            if parsed.is_none() {
                errors.add(field, format!("{label}“{t}”不是有效日期，应如 2026-03-19"));
            }
            parsed
        }
    }
}

fn positive(errors: &mut Invalid, field: &str, label: &str, value: Option<i64>) {
    if let Some(v) = value
        && !(1..=MAX_YUAN).contains(&v)
    {
        errors.add(field, format!("{label}须大于0；不清楚可以不填"));
    }
}

/// An amount of money that must be more than nothing.
pub fn amount_field(errors: &mut Invalid, field: &str, label: &str, m: Money) {
    if m.yuan <= 0 {
        errors.add(field, format!("{label}须大于0"));
    } else if m.yuan > MAX_YUAN {
        errors.add(field, format!("{label}数值过大"));
    }
}

impl TermsInput {
    pub fn parse(&self) -> Result<Terms, Invalid> {
        let mut errors = Invalid::default();
        let start = date_field(
            &mut errors,
            "start_deadline",
            "约定开工日期",
            &self.start_deadline,
        );
        let production = date_field(
            &mut errors,
            "production_deadline",
            "约定投产日期",
            &self.production_deadline,
        );
        if let (Some(s), Some(p)) = (start, production)
            && p < s
        {
            errors.add(
                "production_deadline",
                format!("约定投产日期不能早于约定开工日期（{}）", iso(s)),
            );
        }
        positive(
            &mut errors,
            "intensity_yuan_per_m2",
            "投资强度",
            self.intensity_yuan_per_m2,
        );
        positive(
            &mut errors,
            "tax_yuan_per_mu",
            "亩均税收",
            self.tax_yuan_per_mu,
        );
        positive(&mut errors, "land_area_m2", "用地面积", self.land_area_m2);
        if let Some(price) = self.land_price {
            amount_field(&mut errors, "land_price", "土地价款", price);
        }
        for (i, inc) in self.incentives.iter().enumerate() {
            let field = format!("incentives[{i}]");
            if inc.kind.trim().is_empty() || inc.kind.chars().count() > 40 {
                errors.add(&field, "优惠政策的类别须填写，且不超过40个字");
            }
            amount_field(&mut errors, &field, "优惠金额", inc.amount);
            if inc.recover_if.trim().is_empty() || inc.recover_if.chars().count() > 200 {
                errors.add(&field, "须写明在什么情况下追回优惠（不超过200个字）");
            }
        }
        match (start, production) {
            (Some(start_deadline), Some(production_deadline)) if errors.is_empty() => Ok(Terms {
                start_deadline,
                production_deadline,
                intensity_yuan_per_m2: self.intensity_yuan_per_m2,
                tax_yuan_per_mu: self.tax_yuan_per_mu,
                land_area_m2: self.land_area_m2,
                land_price: self.land_price,
                incentives: self
                    .incentives
                    .iter()
                    .map(|i| Incentive {
                        kind: i.kind.trim().to_string(),
                        amount: i.amount,
                        recover_if: i.recover_if.trim().to_string(),
                    })
                    .collect(),
            }),
            _ => Err(errors),
        }
    }
}

/// A dated record of a signed project (a capital increase, funds arrived, a delay) must fall
/// on or after its signing and, being a fact, not after today.
pub fn dated_within(
    errors: &mut Invalid,
    field: &str,
    label: &str,
    day: Date,
    signed_on: Date,
    today: Date,
) {
    if day < signed_on {
        errors.add(
            field,
            format!("{label}不能早于正式签约日期（{}）", iso(signed_on)),
        );
    } else if day > today {
        errors.add(field, format!("{label}不能晚于今天（{}）", iso(today)));
    }
}

/// The longest single delay recorded (ten years).
pub const MAX_DELAY_DAYS: i64 = 3_653;

/// A delay as typed: both days real, in order, at most ten years.
pub fn delay(from: &str, to: &str) -> Result<Delay, Invalid> {
    let mut errors = Invalid::default();
    let f = date_field(&mut errors, "from", "延误开始日期", from);
    let t = date_field(&mut errors, "to", "延误结束日期", to);
    match (f, t) {
        (Some(from), Some(to)) if to < from => Err(Invalid::single(
            "to",
            format!("延误结束日期不能早于开始日期（{}）", iso(from)),
        )),
        (Some(from), Some(to)) if (to - from).whole_days() >= MAX_DELAY_DAYS => {
            Err(Invalid::single("to", "一次延误不能超过十年，请核对日期"))
        }
        (Some(from), Some(to)) if errors.is_empty() => Ok(Delay { from, to }),
        _ => Err(errors),
    }
}

/// A required text (a reason, a source) of at most `max` characters.
pub fn text_field(
    errors: &mut Invalid,
    field: &str,
    label: &str,
    text: &str,
    max: usize,
) -> String {
    let t = text.trim();
    if t.is_empty() {
        errors.add(field, format!("{label}不能为空"));
    } else if t.chars().count() > max {
        errors.add(field, format!("{label}不能超过{max}个字"));
    } else if crate::domain::validation::has_control_chars(t) {
        errors.add(
            field,
            format!("{label}含有不可见的控制字符，请删除后再提交"),
        );
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;

    #[test]
    fn terms_are_checked_field_by_field() {
        let ok = TermsInput {
            start_deadline: "2026-06-30".into(),
            production_deadline: "2027.6.30".into(),
            land_price: Some(Money::new(3_000_000, Currency::Cny)),
            ..TermsInput::default()
        };
        assert!(ok.parse().is_ok());
        let bad = TermsInput {
            start_deadline: "2026-13-01".into(),
            production_deadline: String::new(),
            intensity_yuan_per_m2: Some(0),
            incentives: vec![Incentive {
                kind: String::new(),
                amount: Money::new(-1, Currency::Cny),
                recover_if: String::new(),
            }],
            ..TermsInput::default()
        }
        .parse()
        .unwrap_err();
        for field in [
            "start_deadline",
            "production_deadline",
            "intensity_yuan_per_m2",
            "incentives[0]",
        ] {
            assert!(bad.message_for(field).is_some(), "{field}: {bad:?}");
        }
        let backwards = TermsInput {
            start_deadline: "2026-06-30".into(),
            production_deadline: "2026-01-01".into(),
            ..TermsInput::default()
        }
        .parse()
        .unwrap_err();
        assert!(backwards.summary().contains("不能早于约定开工日期"));
        assert!(delay("2026-03-05", "2026-03-01").is_err());
        assert_eq!(delay("2026-03-01", "2026-03-01").unwrap().days(), 1);
    }
}

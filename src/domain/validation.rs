//! Field-level validation errors, named by field key; messages are Chinese and name the rule.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }
    pub fn single(field: &str, message: impl Into<String>) -> Invalid {
        let mut v = Invalid::default();
        v.add(field, message);
        v
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, Invalid> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
    /// The message for one field, if any (for forms).
    pub fn message_for(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
    /// One line naming every problem.
    pub fn summary(&self) -> String {
        self.0
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("；")
    }
}

/// Characters a person cannot have meant to type: controls other than tab and line breaks.
/// NUL among them is also one PostgreSQL cannot store in text.
pub fn has_control_chars(text: &str) -> bool {
    text.chars().any(is_stray_control)
}

pub fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Free text as a person wrote it: trimmed; blank is `None` (a problem when `required`); more
/// than `max` characters or control characters are problems named by `field` and `label`.
pub fn written(
    errors: &mut Invalid,
    field: &str,
    label: &str,
    value: &str,
    required: bool,
    max: usize,
) -> Option<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        if required {
            errors.add(field, format!("{label}不能为空"));
        }
        return None;
    }
    if trimmed.chars().count() > max {
        errors.add(field, format!("{label}不能超过{max}个字"));
        return None;
    }
    if has_control_chars(trimmed) {
        errors.add(
            field,
            format!("{label}含有不可见的控制字符，请删除后再提交"),
        );
        return None;
    }
    Some(trimmed.to_string())
}

/// The same rule for one text alone: the text, or the problems.
pub fn written_alone(field: &str, label: &str, value: &str, max: usize) -> Result<String, Invalid> {
    let mut errors = Invalid::default();
    match written(&mut errors, field, label, value, true, max) {
        Some(text) => Ok(text),
        None => Err(errors),
    }
}

/// The most pages a list may be asked to skip to.
pub const PAGE_MAX: i64 = 1_000_000;

/// A list filter's paging as typed: page (1 when blank) and rows per page (`default` when
/// blank, at most `max`). Problems go to `errors`, named by field; the fallback is returned.
pub fn paging(
    errors: &mut Invalid,
    page: &str,
    per_page: &str,
    default: i64,
    max: i64,
) -> (i64, i64) {
    let page = match page.trim() {
        "" => 1,
        t => t
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=PAGE_MAX).contains(p))
            .unwrap_or_else(|| {
                errors.add("page", "页码须为正整数");
                1
            }),
    };
    let per_page = match per_page.trim() {
        "" => default,
        t => t
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=max).contains(p))
            .unwrap_or_else(|| {
                errors.add("per_page", format!("每页条数须在1到{max}之间"));
                default
            }),
    };
    (page, per_page)
}

/// A period filter as typed (`from`, `to`), either end open when blank.
pub fn date_range(
    errors: &mut Invalid,
    from: &str,
    to: &str,
) -> (Option<time::Date>, Option<time::Date>) {
    let mut date = |field: &str, label: &str, text: &str| match text.trim() {
        "" => None,
        t => super::dates::parse_date(t).or_else(|| {
            errors.add(
                field,
                format!("{label}格式不正确，应为 年-月-日（如 2026-01-31）"),
            );
            None
        }),
    };
    let from = date("from", "起始日期", from);
    let to = date("to", "截止日期", to);
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        errors.add("to", "截止日期不能早于起始日期");
    }
    (from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_text_is_trimmed_bounded_and_free_of_controls() {
        type Expected = Result<Option<&'static str>, &'static str>;
        let cases: [(&str, bool, Expected); 7] = [
            ("  已签约  ", false, Ok(Some("已签约"))),
            ("   ", false, Ok(None)),
            ("", true, Err("跟进结果不能为空")),
            ("一二三四五六", false, Err("跟进结果不能超过5个字")),
            ("第一行\n第二行", false, Err("跟进结果不能超过5个字")),
            ("甲\t乙\n丙", false, Ok(Some("甲\t乙\n丙"))),
            (
                "甲\0乙",
                false,
                Err("跟进结果含有不可见的控制字符，请删除后再提交"),
            ),
        ];
        for (text, required, expected) in cases {
            let mut e = Invalid::default();
            let got = written(&mut e, "outcome", "跟进结果", text, required, 5);
            match expected {
                Ok(value) => {
                    assert!(e.is_empty(), "{text:?}: {e:?}");
                    assert_eq!(got.as_deref(), value, "{text:?}");
                }
                Err(message) => {
                    assert_eq!(got, None, "{text:?}");
                    assert_eq!(e.message_for("outcome"), Some(message), "{text:?}");
                }
            }
        }
        assert!(has_control_chars("a\u{7}b"));
        assert!(!has_control_chars("全角　空格"));
    }

    #[test]
    fn paging_falls_back_and_names_the_field() {
        let mut e = Invalid::default();
        assert_eq!(paging(&mut e, "", "", 20, 100), (1, 20));
        assert!(e.is_empty());
        assert_eq!(paging(&mut e, "0", "101", 20, 100), (1, 20));
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["page", "per_page"]);
    }

    #[test]
    fn a_period_needs_valid_dates_in_order() {
        let mut e = Invalid::default();
        let (f, t) = date_range(&mut e, "2025.1.1", "2025年12月31日");
        assert!(f.is_some() && t.is_some() && e.is_empty());
        date_range(&mut e, "2025-12-31", "2025-01-01");
        assert_eq!(e.message_for("to"), Some("截止日期不能早于起始日期"));
        let mut e = Invalid::default();
        date_range(&mut e, "昨天", "");
        assert!(
            e.message_for("from")
                .unwrap()
                .starts_with("起始日期格式不正确")
        );
    }
}

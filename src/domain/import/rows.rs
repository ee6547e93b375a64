//! A row of an uploaded file as the preview shows it: its values as they were read, whether it
//! can be imported, and what is wrong or doubtful, each problem placed in its cell.

use super::{ColumnMap, ImportKind, channel, column_letters, half_width, industry, investor_kind};
use crate::domain::industry::IndustryCode;
use crate::domain::investor::InvestorKind;
use crate::domain::money::Currency;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a row of a file becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RowStatus {
    /// Passes every rule: imported on confirmation.
    Valid,
    /// Passes every rule but may repeat a record (or an earlier row): imported only when the
    /// user confirms it.
    Duplicate,
    /// Breaks a rule: never imported; comes back in the rejected-rows sheet.
    Error,
}

impl RowStatus {
    pub const ALL: [RowStatus; 3] = [RowStatus::Valid, RowStatus::Duplicate, RowStatus::Error];

    pub fn key(self) -> &'static str {
        match self {
            RowStatus::Valid => "valid",
            RowStatus::Duplicate => "duplicate",
            RowStatus::Error => "error",
        }
    }

    pub fn parse(key: &str) -> Option<RowStatus> {
        RowStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            RowStatus::Valid => "可导入",
            RowStatus::Duplicate => "疑似重复",
            RowStatus::Error => "有问题",
        }
    }
}

/// A problem (or a doubt) about a row: the column it is in as the file heads it and its cell
/// (none when it concerns the row as a whole), and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RowProblem {
    pub column: Option<String>,
    /// The cell as a spreadsheet names it (C12).
    pub cell: Option<String>,
    pub message: String,
}

impl RowProblem {
    /// A problem about the row as a whole.
    pub fn of_row(message: impl Into<String>) -> RowProblem {
        RowProblem {
            column: None,
            cell: None,
            message: message.into(),
        }
    }

    /// A problem about `field` (a rule's field name, `contacts[0].phone` included), placed in
    /// the cell of the column that filled it, when the file has one.
    pub fn at(
        map: &ColumnMap,
        headers: &[String],
        row: usize,
        field: &str,
        message: impl Into<String>,
    ) -> RowProblem {
        match map.column(import_field_of(field)) {
            Some((col, _)) => RowProblem {
                column: Some(
                    headers
                        .get(col)
                        .map(|h| h.trim().to_string())
                        .filter(|h| !h.is_empty())
                        .unwrap_or_else(|| column_letters(col)),
                ),
                cell: Some(format!("{}{row}", column_letters(col))),
                message: message.into(),
            },
            None => RowProblem::of_row(message),
        }
    }

    /// As one line of the rejected-rows sheet: "C12（投资额）：…".
    pub fn reason(&self) -> String {
        match (&self.cell, &self.column) {
            (Some(cell), Some(column)) => format!("{cell}（{column}）：{}", self.message),
            _ => self.message.clone(),
        }
    }
}

/// The column a rule's field is read from.
fn import_field_of(field: &str) -> &str {
    match field
        .strip_prefix("contacts[")
        .and_then(|r| r.split_once("]."))
    {
        Some((_, "name")) => "contact_name",
        Some((_, "title")) => "contact_title",
        Some((_, "phone")) => "contact_phone",
        Some((_, "email")) => "contact_email",
        Some((_, "wechat")) => "contact_wechat",
        Some(_) => "contact_name",
        None => field,
    }
}

/// A row as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PreviewRow {
    /// The row's number in the sheet.
    pub row: usize,
    pub status: RowStatus,
    /// Each field the file fills, as read (1.8亿 → 18,000万元; 民营 → 民营企业); blank cells left out.
    pub values: BTreeMap<String, String>,
    /// Why the row cannot be imported (status `error`).
    pub errors: Vec<RowProblem>,
    /// Why the row may repeat a record (status `duplicate`).
    pub warnings: Vec<RowProblem>,
}

/// A currency written in words (人民币, 美元, USD …).
pub(super) fn currency_word(text: &str) -> Option<Currency> {
    match half_width(text).to_lowercase().as_str() {
        "" | "人民币" | "rmb" | "cny" | "元" | "万元" => Some(Currency::Cny),
        "美元" | "usd" | "美金" | "us$" | "$" | "万美元" => Some(Currency::Usd),
        _ => None,
    }
}

/// An exact amount in 万, grouped by thousands: "18000" → "18,000", "8500.5" → "8,500.5".
fn grouped_wan(wan: &str) -> String {
    let (neg, digits) = match wan.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", wan),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if frac.is_empty() {
        format!("{neg}{grouped}")
    } else {
        format!("{neg}{grouped}.{frac}")
    }
}

/// The fields of one row as the rules read them, for the preview: amounts in 万 with their
/// currency, kinds, industries and channels by their names. A value that cannot be read is
/// shown as it was typed (its problem is among the row's errors).
pub fn values_as_read(
    kind: ImportKind,
    map: &ColumnMap,
    cells: &[String],
) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    for &(field, _, _) in &map.found {
        let raw = super::cell(map, cells, field);
        if raw.is_empty() {
            continue;
        }
        let shown = match field {
            "amount" | "intended_amount" => match super::read_amount(map, cells, field) {
                Ok(Some((wan, currency))) => {
                    format!("{}{}", grouped_wan(&wan), currency.wan_label())
                }
                _ => raw,
            },
            "currency" | "intended_currency" => match currency_word(&raw) {
                Some(Currency::Cny) => "人民币".to_string(),
                Some(Currency::Usd) => "美元".to_string(),
                None => raw,
            },
            "kind" if kind == ImportKind::Investors => {
                InvestorKind::parse(&investor_kind(&raw)).map_or(raw, |k| k.label().to_string())
            }
            "industry_code" => IndustryCode::parse(&industry(&raw))
                .map_or(raw, |c| format!("{} {}", c.code(), c.name())),
            "channel" => crate::domain::channel::Channel::parse(&channel(&raw))
                .map_or(raw, |c| c.label().to_string()),
            "received_on" => super::read_date(map, cells, field)
                .ok()
                .flatten()
                .unwrap_or(raw),
            "credit_code" => raw.to_uppercase(),
            _ => raw,
        };
        values.insert(field.to_string(), shown);
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::map_headers;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn values_are_shown_as_the_rules_read_them() {
        let headers = strings(&[
            "项目名称",
            "投资方",
            "投资额（万元）",
            "币种",
            "行业",
            "渠道",
        ]);
        let map = map_headers(ImportKind::Leads, &headers).unwrap();
        type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
        let cases: [Case; 3] = [
            (
                &["纸浆", "闽南某公司", "1.8亿", "", "22", "以商招商"],
                &[
                    ("amount", "18,000万元"),
                    ("industry_code", "22 造纸和纸制品业"),
                    ("channel", "以商招商"),
                ],
            ),
            (
                &["电池", "某公司", "８５００.５", "人民币", "", ""],
                &[("amount", "8,500.5万元"), ("currency", "人民币")],
            ),
            (
                &["芯片", "某公司", "500", "美元", "", ""],
                &[("amount", "500万美元"), ("currency", "美元")],
            ),
        ];
        for (cells, want) in cases {
            let values = values_as_read(ImportKind::Leads, &map, &strings(cells));
            for (field, shown) in want {
                assert_eq!(
                    values.get(*field).map(String::as_str),
                    Some(*shown),
                    "{cells:?}"
                );
            }
        }
        // Unreadable: shown as typed.
        let values = values_as_read(
            ImportKind::Leads,
            &map,
            &strings(&["x", "y", "约五千万", "", "", ""]),
        );
        assert_eq!(values["amount"], "约五千万");
        assert!(!values.contains_key("currency"));
    }

    #[test]
    fn a_problem_is_placed_in_the_cell_of_its_column() {
        let headers = strings(&["企业名称", "联系人", "电话"]);
        let map = map_headers(ImportKind::Investors, &headers).unwrap();
        let p = RowProblem::at(&map, &headers, 12, "contacts[0].phone", "电话不对");
        assert_eq!(p.cell.as_deref(), Some("C12"));
        assert_eq!(p.column.as_deref(), Some("电话"));
        assert_eq!(p.reason(), "C12（电话）：电话不对");
        let whole = RowProblem::at(&map, &headers, 12, "kind", "请选择客商类型");
        assert_eq!((whole.cell, whole.column), (None, None));
        assert_eq!(
            RowStatus::ALL.map(RowStatus::key),
            ["valid", "duplicate", "error"]
        );
    }
}

//! What an audit entry changed, field by field, in words: the auditor reads "总投资：3,000.00万元
//! → 5,000.00万元", not two rows of JSON (which stay one click away).

use super::glossary::{field_label, investor_field_label};
use super::money::{Currency, Money};
use serde_json::Value;

/// One field an entry changed: its label, and the value before and after, as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub label: String,
    pub before: String,
    pub after: String,
}

/// Keys that are bookkeeping, not facts: never listed as changes.
const BOOKKEEPING: [&str; 9] = [
    "id",
    "version",
    "created_at",
    "updated_at",
    "created_by",
    "search_text",
    "name_key",
    "status_label",
    "kind_label",
];

/// Labels the field glossaries do not carry (the stage keys of a project, accounts, units).
fn extra_label(key: &str) -> Option<&'static str> {
    Some(match key {
        "stage" => "阶段",
        "paused_from" => "暂停前阶段",
        "stage_since" => "当前阶段起",
        "negotiating_on" => "首次在谈日期",
        "intent_on" => "意向签约日期",
        "contracted_on" => "正式签约日期",
        "landed_on" => "落地日期",
        "construction_on" => "开工日期",
        "production_on" => "投产日期",
        "at_capacity_on" => "达产日期",
        "last_progress_on" => "最近进展日期",
        "unit_name" => "责任单位名称",
        "officer_name" => "责任人姓名",
        "leader_name" => "包联领导姓名",
        "role" => "角色",
        "active" => "启用",
        "status" => "状态",
        "drop_reason" => "放弃原因",
        "direction" => "拜访方式",
        "visit_date" => "拜访日期",
        "follow_up_on" => "跟进日期",
        "participants" => "我方人员",
        "contacts" => "联系人",
        "merged_into" => "并入客商",
        "rows" => "行数",
        "filters" => "筛选条件",
        "kind" => "类型",
        "retired" => "已撤销",
        "parent_id" => "上级单位",
        "code" => "代码",
        "investor_kind" => "客商类型",
        _ => return None,
    })
}

/// The Chinese label of a recorded field; the key itself when no glossary knows it.
pub fn label_of(key: &str) -> String {
    let project = field_label(key);
    if project != "字段" {
        return project.to_string();
    }
    if let Some(label) = extra_label(key) {
        return label.to_string();
    }
    match investor_field_label(key) {
        "" => key.to_string(),
        label => label.to_string(),
    }
}

/// A recorded value as a reader sees it: amounts in 万元, yes/no in words, nothing as "—".
pub fn shown(value: &Value) -> String {
    match value {
        Value::Null => "—".into(),
        Value::Bool(true) => "是".into(),
        Value::Bool(false) => "否".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.is_empty() => "—".into(),
        Value::String(s) => super::stage::Stage::parse(s)
            .map(|stage| stage.label().to_string())
            .unwrap_or_else(|| s.clone()),
        Value::Object(o) => match (o.get("yuan").and_then(Value::as_i64), o.get("currency")) {
            (Some(yuan), Some(Value::String(code))) if o.len() == 2 => Currency::parse(code)
                .map(|c| Money::new(yuan, c).display())
                .unwrap_or_else(|| value.to_string()),
            _ => value.to_string(),
        },
        Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join("、"),
    }
}

/// The fields that differ between `before` and `after` (either may be absent: a record
/// created, or a refusal with nothing after), in the order of their keys.
pub fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    let empty = serde_json::Map::new();
    let object = |v: Option<&Value>| match v {
        Some(Value::Object(o)) => o.clone(),
        _ => empty.clone(),
    };
    let (old, new) = (object(before), object(after));
    let mut keys: Vec<&String> = new.keys().collect();
    keys.extend(old.keys().filter(|k| !new.contains_key(*k)));
    keys.into_iter()
        .filter(|k| !BOOKKEEPING.contains(&k.as_str()))
        .filter_map(|k| {
            let (a, b) = (old.get(k), new.get(k));
            let (a_text, b_text) = (
                a.map(shown).unwrap_or_else(|| "—".into()),
                b.map(shown).unwrap_or_else(|| "—".into()),
            );
            (a_text != b_text).then(|| FieldChange {
                label: label_of(k),
                before: a_text,
                after: b_text,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_edit_lists_what_changed_in_words() {
        let before = json!({"id": 7, "name": "甲项目", "total_investment": {"yuan": 30_000_000, "currency": "CNY"},
                            "stage": "lead", "version": 1, "jobs": null, "listed": false});
        let after = json!({"id": 7, "name": "甲项目", "total_investment": {"yuan": 50_000_000, "currency": "CNY"},
                           "stage": "negotiating", "version": 2, "jobs": 120, "listed": true});
        let got = changes(Some(&before), Some(&after));
        let want = [
            ("总投资", "3,000.00万元", "5,000.00万元"),
            ("阶段", "线索", "在谈"),
            ("预计用工", "—", "120"),
            ("上市公司", "否", "是"),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for (label, a, b) in want {
            assert!(
                got.iter()
                    .any(|c| (c.label.as_str(), c.before.as_str(), c.after.as_str())
                        == (label, a, b)),
                "{label}: {got:?}"
            );
        }
    }

    #[test]
    fn a_record_created_lists_its_facts_and_unknown_keys_keep_their_name() {
        let got = changes(
            None,
            Some(&json!({"name": "乙公司", "mystery": "x", "updated_at": "t"})),
        );
        let labels: Vec<&str> = got.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["mystery", "项目名称"]);
        assert!(changes(Some(&json!({"a": 1})), Some(&json!({"a": 1}))).is_empty());
    }
}

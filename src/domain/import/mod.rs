//! Reading ledgers kept in Excel (台账): columns found by their header, cells written the many
//! ways people write them — full-width digits, amounts in 万元 or 亿元, dates as 2019.5.28 or
//! 2019年5月28日 — turned into the inputs the ordinary rules then check.

mod rows;
mod table;
pub use rows::{PreviewRow, RowProblem, RowStatus, values_as_read};
pub use table::{IgnoredRow, Table, locate_table};

use super::investor::{ContactInput, InvestorInput};
use super::lead::LeadInput;
use super::money::{AmountError, Currency, Money};

/// What a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Investors,
    Leads,
}

impl ImportKind {
    pub fn key(self) -> &'static str {
        match self {
            ImportKind::Investors => "investors",
            ImportKind::Leads => "leads",
        }
    }
    pub fn parse(key: &str) -> Option<ImportKind> {
        [ImportKind::Investors, ImportKind::Leads]
            .into_iter()
            .find(|k| k.key() == key)
    }
    pub fn label(self) -> &'static str {
        match self {
            ImportKind::Investors => "客商名单",
            ImportKind::Leads => "招商线索台账",
        }
    }
}

/// A field a sheet's column may fill, and the headers that name it.
struct Column {
    field: &'static str,
    headers: &'static [&'static str],
    required: bool,
}

const INVESTOR_COLUMNS: &[Column] = &[
    Column {
        field: "name",
        headers: &["客商名称", "企业名称", "公司名称", "名称", "客商"],
        required: true,
    },
    Column {
        field: "credit_code",
        headers: &["统一社会信用代码", "信用代码", "社会信用代码"],
        required: false,
    },
    Column {
        field: "kind",
        headers: &["客商类型", "企业类型", "类型", "性质", "企业性质"],
        required: false,
    },
    Column {
        field: "country",
        headers: &["国家或地区", "国家", "国别", "地区"],
        required: false,
    },
    Column {
        field: "origin_city",
        headers: &["来源城市", "来源地", "城市", "所在城市"],
        required: false,
    },
    Column {
        field: "industry_code",
        headers: &["行业代码", "所属行业", "行业"],
        required: false,
    },
    Column {
        field: "website",
        headers: &["网址", "网站", "官网"],
        required: false,
    },
    Column {
        field: "intended_amount",
        headers: &[
            "意向投资",
            "意向投资额",
            "投资额",
            "计划投资",
            "计划投资额",
            "拟投资",
            "拟投资额",
        ],
        required: false,
    },
    Column {
        field: "intended_currency",
        headers: &["币种", "货币", "币别"],
        required: false,
    },
    Column {
        field: "flags",
        headers: &["标记", "企业标签", "500强", "是否上市"],
        required: false,
    },
    Column {
        field: "contact_name",
        headers: &["联系人"],
        required: false,
    },
    Column {
        field: "contact_title",
        headers: &["职务", "联系人职务"],
        required: false,
    },
    Column {
        field: "contact_phone",
        headers: &["电话", "联系电话", "手机", "联系方式"],
        required: false,
    },
    Column {
        field: "contact_email",
        headers: &["邮箱", "电子邮箱", "email", "e-mail"],
        required: false,
    },
    Column {
        field: "contact_wechat",
        headers: &["微信", "微信号"],
        required: false,
    },
    Column {
        field: "notes",
        headers: &["备注", "说明"],
        required: false,
    },
];

const LEAD_COLUMNS: &[Column] = &[
    Column {
        field: "title",
        headers: &["线索内容", "项目名称", "项目", "线索", "招商信息"],
        required: true,
    },
    Column {
        field: "investor_name",
        headers: &["投资方", "客商名称", "企业名称", "投资主体", "客商"],
        required: true,
    },
    Column {
        field: "industry_code",
        headers: &["行业代码", "所属行业", "行业"],
        required: false,
    },
    Column {
        field: "amount",
        headers: &["预计投资额", "计划投资", "投资额", "总投资", "投资规模"],
        required: false,
    },
    Column {
        field: "currency",
        headers: &["币种", "货币", "币别"],
        required: false,
    },
    Column {
        field: "channel",
        headers: &["信息渠道", "招商方式", "渠道"],
        required: false,
    },
    Column {
        field: "source",
        headers: &["信息来源", "提供人", "来源"],
        required: false,
    },
    Column {
        field: "contact",
        headers: &["联系人及联系方式", "联系人", "联系方式"],
        required: false,
    },
    Column {
        field: "notes",
        headers: &["备注", "说明", "进展情况"],
        required: false,
    },
    Column {
        field: "received_on",
        headers: &[
            "获取日期",
            "信息获取日期",
            "登记日期",
            "收到日期",
            "提供日期",
            "录入日期",
            "获取时间",
            "登记时间",
            "日期",
            "时间",
        ],
        required: false,
    },
];

/// A column's letters as a spreadsheet shows them: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// The usual name of a field's column (its first header), for the preview.
pub fn column_label(kind: ImportKind, field: &str) -> &'static str {
    columns(kind)
        .iter()
        .find(|c| c.field == field)
        .map(|c| c.headers[0])
        .unwrap_or_default()
}

fn columns(kind: ImportKind) -> &'static [Column] {
    match kind {
        ImportKind::Investors => INVESTOR_COLUMNS,
        ImportKind::Leads => LEAD_COLUMNS,
    }
}

/// Full-width letters, digits and signs to half-width; the ideographic space to a space; trimmed.
pub fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            other => other,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// A header cell as compared: half-width, no spaces, no unit in brackets, lower case.
fn header_key(text: &str) -> (String, Option<&'static str>) {
    let t = half_width(text)
        .replace([' ', '\n', '*'], "")
        .to_lowercase();
    let unit = if t.contains("亿") {
        Some("亿元")
    } else if t.contains("万美元") {
        Some("万美元")
    } else if t.contains("万") {
        Some("万元")
    } else {
        None
    };
    let bare = match t.find(['(', '（']) {
        Some(at) => t[..at].to_string(),
        None => t,
    };
    (bare, unit)
}

/// Which column fills which field, found from the header row.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    /// (field, column index, unit named in the header)
    pub found: Vec<(&'static str, usize, Option<&'static str>)>,
    /// Headers that matched nothing (ignored, listed in the preview).
    pub ignored: Vec<String>,
}

impl ColumnMap {
    pub fn column(&self, field: &str) -> Option<(usize, Option<&'static str>)> {
        self.found
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, i, u)| (*i, *u))
    }
}

/// Maps headers to fields; the error names the required columns that are missing.
pub fn map_headers(kind: ImportKind, headers: &[String]) -> Result<ColumnMap, String> {
    let mut found: Vec<(&'static str, usize, Option<&'static str>)> = Vec::new();
    let mut ignored = Vec::new();
    for (index, header) in headers.iter().enumerate() {
        let (key, unit) = header_key(header);
        if key.is_empty() {
            continue;
        }
        let hit = columns(kind).iter().find(|c| {
            !found.iter().any(|(f, _, _)| *f == c.field)
                && c.headers.iter().any(|h| h.to_lowercase() == key)
        });
        match hit {
            Some(c) => found.push((c.field, index, unit)),
            None => ignored.push(header.trim().to_string()),
        }
    }
    let missing: Vec<&str> = columns(kind)
        .iter()
        .filter(|c| c.required && !found.iter().any(|(f, _, _)| *f == c.field))
        .map(|c| c.headers[0])
        .collect();
    if missing.is_empty() {
        Ok(ColumnMap { found, ignored })
    } else {
        Err(format!(
            "表头缺少必需的列：{}（第一行应为表头）",
            missing.join("、")
        ))
    }
}

/// An amount as people write it — "3亿", "1.5亿元", "30000万", "30,000" — in 万 of
/// `currency`, as plain text for the ordinary amount rule. `header_unit` is the unit the column
/// header names, if any (a bare number is in that unit, else in 万元).
pub fn amount_in_wan(text: &str, header_unit: Option<&str>) -> Result<(String, Currency), String> {
    amount_in_wan_of(text, header_unit, None)
}

/// As `amount_in_wan`, with the currency a 币种 column names (`named`): a bare 万 or 亿, or a
/// bare number under a 万元 or 亿元 header, is of that currency; an amount whose own unit names
/// the other currency is refused rather than guessed at.
pub fn amount_in_wan_of(
    text: &str,
    header_unit: Option<&str>,
    named: Option<Currency>,
) -> Result<(String, Currency), String> {
    let t = half_width(text).replace([',', ' '], "");
    if t.is_empty() {
        return Ok((String::new(), named.unwrap_or(Currency::Cny)));
    }
    // (number, currency said by the amount or its header, or None to follow 币种, scale)
    let (number, said, scale) = if let Some(n) = t.strip_suffix("亿美元") {
        (n, Some(Currency::Usd), 4)
    } else if let Some(n) = t.strip_suffix("万美元") {
        (n, Some(Currency::Usd), 0)
    } else if let Some(n) = t.strip_suffix("亿元") {
        (n, Some(Currency::Cny), 4)
    } else if let Some(n) = t.strip_suffix("万元") {
        (n, Some(Currency::Cny), 0)
    } else if let Some(n) = t.strip_suffix('亿') {
        (n, None, 4)
    } else if let Some(n) = t.strip_suffix('万') {
        (n, None, 0)
    } else if let Some(n) = t.strip_suffix('元') {
        (n, Some(Currency::Cny), -4)
    } else {
        match header_unit {
            Some("万美元") => (t.as_str(), Some(Currency::Usd), 0),
            // 金额（万元）beside a 币种 column: the column's unit is 万, its currency per row.
            Some("亿元") => (t.as_str(), None, 4),
            _ => (t.as_str(), None, 0),
        }
    };
    let currency = match (said, named) {
        (Some(s), Some(n)) if s != n => {
            let word = |c: Currency| match c {
                Currency::Cny => "人民币",
                Currency::Usd => "美元",
            };
            return Err(format!(
                "金额“{}”是{}，而币种一栏写的是{}，请核对",
                text.trim(),
                word(s),
                word(n)
            ));
        }
        (Some(s), _) => s,
        (None, n) => n.unwrap_or(Currency::Cny),
    };
    // Exact decimal arithmetic: shift the decimal point instead of multiplying floats.
    let wan = shift_decimal(number, scale).ok_or_else(|| {
        format!(
            "金额“{}”无法识别，应为数字，可带“万元”或“亿元”",
            text.trim()
        )
    })?;
    // The amount rule checks the rest (decimals, size, sign).
    let shown = text.trim();
    match Money::parse_wan(&wan, currency) {
        Ok(_) => Ok((wan, currency)),
        Err(AmountError::Negative) => Err(format!("金额“{shown}”不能为负数")),
        Err(AmountError::TooLarge) => Err(format!("金额“{shown}”数值过大")),
        Err(AmountError::TooManyDecimals) => Err(format!(
            "金额“{shown}”的小数位过多：折合万元后最多保留4位小数"
        )),
        Err(AmountError::Empty | AmountError::NotANumber) => Err(format!("金额“{shown}”无法识别")),
    }
}

/// `number` × 10^`scale` as decimal text, or None if it is not a plain decimal number.
fn shift_decimal(number: &str, scale: i32) -> Option<String> {
    let (neg, digits) = match number.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty()
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let mut all: String = format!("{int}{frac}");
    let mut point = int.len() as i32 + scale;
    while point > all.len() as i32 {
        all.push('0');
    }
    while point < 1 {
        all.insert(0, '0');
        point += 1;
    }
    let (i, f) = all.split_at(point as usize);
    let i = i.trim_start_matches('0');
    let f = f.trim_end_matches('0');
    let i = if i.is_empty() { "0" } else { i };
    let body = if f.is_empty() {
        i.to_string()
    } else {
        format!("{i}.{f}")
    };
    Some(if neg { format!("-{body}") } else { body })
}

/// An investor type written in words.
fn investor_kind(text: &str) -> String {
    let t = half_width(text);
    let key = match t.as_str() {
        "" => "",
        s if s.contains("港") || s.contains("澳") || s.contains("台") => "hmt",
        s if s.contains("外") => "foreign",
        s if s.contains("国") || s.contains("央") => "state",
        s if s.contains("个人") || s.contains("自然人") => "individual",
        s if s.contains("民") || s.contains("私") => "private",
        other => return other.to_string(),
    };
    key.to_string()
}

/// An industry written as a code ("33") or "33 金属制品业", or by its name.
fn industry(text: &str) -> String {
    let t = half_width(text);
    let code: String = t.chars().take_while(char::is_ascii_digit).collect();
    if !code.is_empty() {
        return code;
    }
    super::industry::DIVISIONS
        .iter()
        .find(|(_, name, _)| *name == t)
        .map_or(t.clone(), |(c, _, _)| c.to_string())
}

/// A channel written by its label (以商招商) or key.
fn channel(text: &str) -> String {
    let t = half_width(text);
    super::channel::Channel::ALL
        .iter()
        .find(|c| c.label() == t || c.key() == t)
        .map_or(t.clone(), |c| c.key().to_string())
}

/// Fields whose cells are codes, numbers or addresses: read in half-width. Names and other
/// texts keep their full-width punctuation (宁波甬钢（集团）, 项目：…) as typed.
const HALF_WIDTH_FIELDS: [&str; 12] = [
    "credit_code",
    "kind",
    "industry_code",
    "website",
    "contact_phone",
    "contact_email",
    "contact_wechat",
    "amount",
    "intended_amount",
    "currency",
    "intended_currency",
    "received_on",
];

/// A field's cell, trimmed (also of ideographic spaces), half-width where the field is a code
/// or a number ("" when the file has no such column).
fn cell(map: &ColumnMap, cells: &[String], field: &str) -> String {
    let text = map
        .column(field)
        .and_then(|(i, _)| cells.get(i))
        .map(String::as_str)
        .unwrap_or_default();
    if HALF_WIDTH_FIELDS.contains(&field) {
        half_width(text)
    } else {
        text.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
            .to_string()
    }
}

/// The currency column that goes with an amount column.
fn currency_field_of(amount_field: &str) -> &'static str {
    match amount_field {
        "intended_amount" => "intended_currency",
        _ => "currency",
    }
}

/// An amount cell read exactly, in 万 of its currency: the unit written in the cell, else the
/// unit its header names, with a 币种 column saying dollars making a bare amount 万美元.
/// None for a blank cell.
pub(crate) fn read_amount(
    map: &ColumnMap,
    cells: &[String],
    field: &str,
) -> Result<Option<(String, Currency)>, String> {
    let text = cell(map, cells, field);
    if text.is_empty() {
        return Ok(None);
    }
    let currency = cell(map, cells, currency_field_of(field));
    // Only a 币种 cell that says something names the currency (a blank one follows the amount).
    let named = if currency.is_empty() {
        None
    } else {
        rows::currency_word(&currency)
    };
    let unit = map.column(field).and_then(|(_, u)| u);
    amount_in_wan_of(&text, unit, named).map(Some)
}

/// A cell the ordinary rules cannot be given as typed: the field and why.
pub type CellProblem = (&'static str, String);

/// An amount and its currency as the ordinary input's two texts, or the cell's problem.
fn amount_texts(
    map: &ColumnMap,
    cells: &[String],
    field: &'static str,
) -> (String, String, Option<CellProblem>) {
    let currency_field = currency_field_of(field);
    let currency = cell(map, cells, currency_field);
    if rows::currency_word(&currency).is_none() {
        let why = format!("币种“{currency}”无法识别，应为人民币或美元");
        return (String::new(), String::new(), Some((currency_field, why)));
    }
    match read_amount(map, cells, field) {
        Ok(Some((wan, cur))) => (wan, cur.code().to_string(), None),
        Ok(None) => (String::new(), String::new(), None),
        Err(why) => (String::new(), String::new(), Some((field, why))),
    }
}

/// One row's cells as text (already read from the sheet); a cell that cannot be read exactly
/// is returned beside the input.
pub fn investor_input(map: &ColumnMap, cells: &[String]) -> (InvestorInput, Vec<CellProblem>) {
    let get = |field: &str| cell(map, cells, field);
    let flags = get("flags");
    let contact = ContactInput {
        name: get("contact_name"),
        title: get("contact_title"),
        phone: get("contact_phone"),
        email: get("contact_email"),
        wechat: get("contact_wechat"),
    };
    let blank = [
        &contact.name,
        &contact.title,
        &contact.phone,
        &contact.email,
        &contact.wechat,
    ]
    .iter()
    .all(|t| t.is_empty());
    let (intended_amount, intended_currency, problem) = amount_texts(map, cells, "intended_amount");
    (
        InvestorInput {
            name: get("name"),
            credit_code: get("credit_code").to_uppercase(),
            kind: investor_kind(&get("kind")),
            country: get("country"),
            origin_city: get("origin_city"),
            fortune_global_500: flags.contains("世界500强"),
            fortune_china_500: flags.contains("中国500强"),
            listed: flags.contains("上市"),
            industry_code: industry(&get("industry_code")),
            website: get("website"),
            intended_amount,
            intended_currency,
            notes: get("notes"),
            contacts: if blank { Vec::new() } else { vec![contact] },
        },
        problem.into_iter().collect(),
    )
}

/// A date cell read exactly, as `YYYY-MM-DD`; None for a blank cell.
pub(crate) fn read_date(
    map: &ColumnMap,
    cells: &[String],
    field: &str,
) -> Result<Option<String>, String> {
    let text = cell(map, cells, field);
    if text.is_empty() {
        return Ok(None);
    }
    super::dates::parse_ledger_date(&text)
        .map(|d| Some(super::dates::iso(d)))
        .ok_or_else(|| super::lead::received_on_unreadable(&text))
}

/// One lead row; a cell that cannot be read exactly is returned beside the input.
pub fn lead_input(map: &ColumnMap, cells: &[String]) -> (LeadInput, Vec<CellProblem>) {
    let get = |field: &str| cell(map, cells, field);
    let (amount, currency, amount_problem) = amount_texts(map, cells, "amount");
    let (received_on, date_problem) = match read_date(map, cells, "received_on") {
        Ok(date) => (date.unwrap_or_default(), None),
        Err(why) => (String::new(), Some(("received_on", why))),
    };
    let problems = amount_problem.into_iter().chain(date_problem).collect();
    (
        LeadInput {
            title: get("title"),
            investor_name: get("investor_name"),
            investor_id: String::new(),
            industry_code: industry(&get("industry_code")),
            amount,
            currency,
            channel: channel(&get("channel")),
            source: get("source"),
            contact: get("contact"),
            notes: get("notes"),
            received_on,
        },
        problems,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_by_their_letters_and_dollars_follow_the_currency_column() {
        assert_eq!(
            [0, 3, 25, 26, 27, 701].map(column_letters),
            ["A", "D", "Z", "AA", "AB", "ZZ"].map(String::from)
        );
        let map = map_headers(
            ImportKind::Leads,
            &["项目名称", "投资方", "投资额（万元）", "币种"].map(String::from),
        )
        .unwrap();
        let row = |amount: &str, currency: &str| {
            ["电池项目", "某公司", amount, currency]
                .map(String::from)
                .to_vec()
        };
        let (usd, problems) = lead_input(&map, &row("500", "美元"));
        assert_eq!(
            (usd.amount.as_str(), usd.currency.as_str(), problems),
            ("500", "USD", vec![])
        );
        let (_, problems) = lead_input(&map, &row("约五千万", ""));
        let (field, why) = &problems[0];
        assert!(*field == "amount" && why.contains("约五千万"), "{why}");
        let (_, problems) = lead_input(&map, &row("500", "欧元"));
        assert_eq!(problems[0].0, "currency");
    }

    #[test]
    fn an_amount_follows_the_currency_column_or_is_refused_when_they_disagree() {
        use Currency::{Cny, Usd};
        let read = |t: &str, unit, named| amount_in_wan_of(t, unit, named);
        assert_eq!(read("500万", None, Some(Usd)), Ok(("500".into(), Usd)));
        assert_eq!(read("1.5亿", None, Some(Usd)), Ok(("15000".into(), Usd)));
        assert_eq!(
            read("800", Some("万元"), Some(Usd)),
            Ok(("800".into(), Usd))
        );
        assert_eq!(read("800", Some("万元"), None), Ok(("800".into(), Cny)));
        assert_eq!(read("2亿美元", None, None), Ok(("20000".into(), Usd)));
        for (text, unit, named) in [
            ("500万元", None, Some(Usd)),
            ("500万美元", None, Some(Cny)),
            ("500", Some("万美元"), Some(Cny)),
        ] {
            let why = read(text, unit, named).unwrap_err();
            assert!(why.contains("请核对") && why.contains(text), "{why}");
        }
    }

    #[test]
    fn amounts_are_read_as_people_write_them() {
        let wan = |t: &str, unit| amount_in_wan(t, unit).map(|(w, c)| (w, c.code()));
        assert_eq!(wan("3亿", None), Ok(("30000".into(), "CNY")));
        assert_eq!(wan("1.5亿元", None), Ok(("15000".into(), "CNY")));
        assert_eq!(wan("３００００万", None), Ok(("30000".into(), "CNY")));
        assert_eq!(wan("30,000", None), Ok(("30000".into(), "CNY")));
        assert_eq!(wan("2.35", Some("亿元")), Ok(("23500".into(), "CNY")));
        assert_eq!(wan("800万美元", None), Ok(("800".into(), "USD")));
        assert_eq!(wan("50000000元", None), Ok(("5000".into(), "CNY")));
        assert_eq!(wan("0.00001亿", None), Ok(("0.1".into(), "CNY")));
        assert!(wan("三亿", None).is_err());
        assert!(wan("1.2.3", None).is_err());
        assert_eq!(wan("", None), Ok((String::new(), "CNY")));
    }

    #[test]
    fn headers_are_found_by_any_usual_name_and_unit() {
        let headers: Vec<String> = ["序号", "项目名称", "投资方", "投资额（亿元）", "所属行业"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let map = map_headers(ImportKind::Leads, &headers).unwrap();
        assert_eq!(map.column("title"), Some((1, None)));
        assert_eq!(map.column("amount"), Some((3, Some("亿元"))));
        assert_eq!(map.ignored, vec!["序号".to_string()]);
        let missing = map_headers(ImportKind::Leads, &["备注".to_string()]).unwrap_err();
        assert!(
            missing.contains("线索内容") && missing.contains("投资方"),
            "{missing}"
        );
    }

    #[test]
    fn a_row_becomes_the_ordinary_input() {
        let headers: Vec<String> = [
            "企业名称",
            "统一社会信用代码",
            "企业性质",
            "行业",
            "联系人",
            "电话",
            "标记",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let map = map_headers(ImportKind::Investors, &headers).unwrap();
        let cells: Vec<String> = [
            "宁波甬钢（集团）有限公司",
            "91350100m000100y43",
            "民营",
            "33 金属制品业",
            "李强",
            "０５７４－８７６５４３２１",
            "中国500强、上市",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (input, problems) = investor_input(&map, &cells);
        assert!(problems.is_empty());
        assert_eq!(input.credit_code, "91350100M000100Y43");
        assert_eq!(input.kind, "private");
        assert_eq!(input.industry_code, "33");
        assert_eq!(input.contacts[0].phone, "0574-87654321");
        assert!(input.fortune_china_500 && input.listed && !input.fortune_global_500);
        assert!(input.parse().is_ok(), "{:?}", input.parse());
    }
}

//! Reading ledgers kept in Excel (台账): columns found by their header, cells written the many
//! ways people write them — full-width digits, amounts in 万元 or 亿元, dates as 2019.5.28 or
//! 2019年5月28日 — turned into the inputs the ordinary rules then check.

use super::investor::{ContactInput, InvestorInput};
use super::lead::LeadInput;
use super::money::{Currency, Money};

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

/// A row of the file left out of the import, and why (a title above the table, a blank row
/// inside it, a footer note below it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct IgnoredRow {
    pub row: usize,
    pub reason: String,
}

/// The table found in a sheet: its header (one row, or two read as one), the data rows, and
/// the rows left out.
#[derive(Debug, Clone)]
pub struct Table {
    pub headers: Vec<String>,
    pub map: ColumnMap,
    /// The sheet row numbers of the header (one or two).
    pub header_rows: Vec<usize>,
    pub body: Vec<(usize, Vec<String>)>,
    pub ignored: Vec<IgnoredRow>,
}

/// How far down a header may be (titles and blank rows above it).
const HEADER_SEARCH_ROWS: usize = 10;

/// Words a footer note starts with (填表人：…, 审核人：…, 注：…).
const FOOTER_WORDS: [&str; 10] = [
    "填表人",
    "审核人",
    "制表人",
    "填报人",
    "负责人",
    "联系人：",
    "注：",
    "注:",
    "说明：",
    "合计",
];

/// A two-row header read as one: a heading merged across columns (投资额) over the columns'
/// own names (金额（万元）, 币种). Merged cells hold their text in the first column only, so the
/// heading is carried right while the row below names columns.
fn merged_header(top: &[String], bottom: &[String]) -> Vec<String> {
    let width = top.len().max(bottom.len());
    let cell =
        |row: &[String], i: usize| row.get(i).map(|c| c.trim().to_string()).unwrap_or_default();
    let mut carried = String::new();
    (0..width)
        .map(|i| {
            let (t, b) = (cell(top, i), cell(bottom, i));
            if !t.is_empty() {
                carried = t.clone();
            } else if b.is_empty() {
                carried.clear();
            }
            let heading = if t.is_empty() { carried.clone() } else { t };
            match (heading.is_empty(), b.is_empty()) {
                (_, true) => heading,
                (true, false) => b,
                // The column's own name when it is one we know; else the heading, with the
                // unit the lower cell names (金额（万元）under 投资额).
                (false, false) => {
                    let (bare, _) = header_key(&b);
                    let known = INVESTOR_COLUMNS
                        .iter()
                        .chain(LEAD_COLUMNS)
                        .any(|c| c.headers.iter().any(|h| h.to_lowercase() == bare));
                    if known {
                        b
                    } else {
                        format!("{heading}（{b}）")
                    }
                }
            }
        })
        .collect()
}

/// Finds the table in a sheet's rows: the first row within the first ten that names the
/// required columns (or two rows read as one, when that names more), then its data rows up to
/// the footer notes. Titles, blank rows and footers are left out and said so.
pub fn locate_table(kind: ImportKind, rows: &[(usize, Vec<String>)]) -> Result<Table, String> {
    let mut best: Option<(usize, bool, ColumnMap, Vec<String>)> = None;
    for i in 0..rows.len().min(HEADER_SEARCH_ROWS) {
        let single = map_headers(kind, &rows[i].1).ok();
        // Two rows are one header only when they are adjacent and the upper one is a header
        // already (it names a column we know), not a title.
        let top_names_a_column = rows[i].1.iter().any(|cell| {
            let (bare, _) = header_key(cell);
            columns(kind)
                .iter()
                .any(|c| c.headers.iter().any(|h| h.to_lowercase() == bare))
        });
        let double = rows
            .get(i + 1)
            .filter(|next| top_names_a_column && next.0 == rows[i].0 + 1)
            .and_then(|next| {
                let merged = merged_header(&rows[i].1, &next.1);
                map_headers(kind, &merged).ok().map(|m| (m, merged))
            });
        // The lower row names columns under a heading merged across them (text under an empty
        // upper cell), and holds no figures: a header's second row, not the first data row.
        let lower_is_header = rows.get(i + 1).is_some_and(|(_, lower)| {
            let upper = &rows[i].1;
            let under_merge = lower.iter().enumerate().any(|(c, text)| {
                !text.trim().is_empty() && upper.get(c).is_none_or(|u| u.trim().is_empty())
            });
            let figures = lower.iter().any(|text| {
                let t = half_width(text).replace([',', '.'], "");
                !t.is_empty() && t.chars().all(|c| c.is_ascii_digit())
            });
            under_merge && !figures
        });
        let pick = match (single, double) {
            (Some(s), Some((d, merged)))
                if d.found.len() > s.found.len()
                    || (lower_is_header && d.found.len() >= s.found.len()) =>
            {
                Some((true, d, merged))
            }
            (Some(s), _) => Some((false, s, rows[i].1.clone())),
            (None, Some((d, merged))) => Some((true, d, merged)),
            (None, None) => None,
        };
        if let Some((two, map, headers)) = pick {
            best = Some((i, two, map, headers));
            break;
        }
    }
    let Some((at, two, map, headers)) = best else {
        // Name what is missing as the first row would have it.
        let first = rows.first().map(|(_, c)| c.as_slice()).unwrap_or_default();
        return Err(match map_headers(kind, first) {
            Err(why) => why.replace(
                "（第一行应为表头）",
                "（在前十行中没有找到含这些列名的表头）",
            ),
            Ok(_) => "没有找到表头".into(),
        });
    };
    let mut ignored: Vec<IgnoredRow> = rows[..at]
        .iter()
        .map(|(row, _)| IgnoredRow {
            row: *row,
            reason: "表头上方的标题或说明".into(),
        })
        .collect();
    let header_rows: Vec<usize> = rows[at..at + if two { 2 } else { 1 }]
        .iter()
        .map(|(r, _)| *r)
        .collect();
    let mut body: Vec<(usize, Vec<String>)> = rows[at + header_rows.len()..].to_vec();
    // Footer notes below the table.
    let is_footer = |cells: &[String]| {
        let first = cells
            .iter()
            .map(|c| half_width(c))
            .find(|c| !c.is_empty())
            .unwrap_or_default();
        FOOTER_WORDS.iter().any(|w| first.starts_with(w))
    };
    let mut footers = Vec::new();
    while body.last().is_some_and(|(_, cells)| is_footer(cells)) {
        if let Some((row, _)) = body.pop() {
            footers.push(IgnoredRow {
                row,
                reason: "表尾的填表、审核或说明".into(),
            });
        }
    }
    // Blank rows inside the table are absent from `rows`: name them by the gaps they leave.
    let mut last = header_rows.last().copied().unwrap_or(0);
    for (row, _) in &body {
        for blank in last + 1..*row {
            ignored.push(IgnoredRow {
                row: blank,
                reason: "空行".into(),
            });
        }
        last = *row;
    }
    footers.reverse();
    ignored.extend(footers);
    Ok(Table {
        headers,
        map,
        header_rows,
        body,
        ignored,
    })
}

/// An amount as people write it — "3亿", "1.5亿元", "30000万", "30,000" — in 万 of
/// `currency`, as plain text for the ordinary amount rule. `header_unit` is the unit the column
/// header names, if any (a bare number is in that unit, else in 万元).
pub fn amount_in_wan(text: &str, header_unit: Option<&str>) -> Result<(String, Currency), String> {
    let t = half_width(text).replace([',', ' '], "");
    if t.is_empty() {
        return Ok((String::new(), Currency::Cny));
    }
    let (number, unit) = if let Some(n) = t.strip_suffix("万美元") {
        (n, "万美元")
    } else if let Some(n) = t.strip_suffix("亿元").or_else(|| t.strip_suffix('亿')) {
        (n, "亿元")
    } else if let Some(n) = t.strip_suffix("万元").or_else(|| t.strip_suffix('万')) {
        (n, "万元")
    } else if let Some(n) = t.strip_suffix('元') {
        (n, "元")
    } else {
        (t.as_str(), header_unit.unwrap_or("万元"))
    };
    let (currency, scale) = match unit {
        "亿元" => (Currency::Cny, 4),
        "万美元" => (Currency::Usd, 0),
        "元" => (Currency::Cny, -4),
        _ => (Currency::Cny, 0),
    };
    // Exact decimal arithmetic: shift the decimal point instead of multiplying floats.
    let wan = shift_decimal(number, scale).ok_or_else(|| {
        format!(
            "金额“{}”无法识别，应为数字，可带“万元”或“亿元”",
            text.trim()
        )
    })?;
    // The amount rule checks the rest (decimals, size, sign).
    if Money::parse_wan(&wan, currency).is_err() {
        return Err(format!("金额“{}”无法识别或超出范围", text.trim()));
    }
    Ok((wan, currency))
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

/// One row's cells as text (already read from the sheet).
pub fn investor_input(map: &ColumnMap, cells: &[String]) -> InvestorInput {
    let get = |field: &str| {
        map.column(field)
            .and_then(|(i, _)| cells.get(i))
            .map(|c| half_width(c))
            .unwrap_or_default()
    };
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
        notes: get("notes"),
        contacts: if blank { Vec::new() } else { vec![contact] },
    }
}

/// One lead row; a problem with the amount's wording is returned beside the input.
pub fn lead_input(map: &ColumnMap, cells: &[String]) -> (LeadInput, Option<String>) {
    let get = |field: &str| {
        map.column(field)
            .and_then(|(i, _)| cells.get(i))
            .map(|c| half_width(c))
            .unwrap_or_default()
    };
    let unit = map.column("amount").and_then(|(_, u)| u);
    // A 币种 column saying dollars makes a bare amount 万美元.
    let in_dollars = matches!(
        get("currency").to_lowercase().as_str(),
        "美元" | "usd" | "美金" | "us$" | "$"
    );
    let unit = match unit {
        None | Some("万元") if in_dollars => Some("万美元"),
        other => other,
    };
    let (amount, currency, problem) = match amount_in_wan(&get("amount"), unit) {
        Ok((wan, cur)) => (wan, cur.code().to_string(), None),
        Err(why) => {
            // Name the cell's column, as the sheet shows it (the row is the record's own).
            let at = map
                .column("amount")
                .map(|(i, _)| format!("{} 列：", column_letters(i)))
                .unwrap_or_default();
            (String::new(), String::new(), Some(format!("{at}{why}")))
        }
    };
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
        },
        problem,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[(usize, &[&str])]) -> Vec<(usize, Vec<String>)> {
        rows.iter()
            .map(|(r, cells)| (*r, cells.iter().map(|c| c.to_string()).collect()))
            .collect()
    }

    #[test]
    fn a_county_ledger_is_found_under_its_title_with_a_two_row_header() {
        let rows = sheet(&[
            (1, &["玉田县2026年招商线索台账", "", "", ""]),
            (3, &["序号", "项目名称", "投资方", "投资额", ""]),
            (4, &["", "", "", "金额（万元）", "币种"]),
            (
                5,
                &["1", "电池壳体生产线", "宁波某公司", "8500.5", "人民币"],
            ),
            (7, &["2", "纸浆配套", "闽南某公司", "1.8亿", ""]),
            (8, &["填表人：张三", "", "审核人：李四", ""]),
            (9, &["注：金额为预计投资额", "", "", ""]),
        ]);
        let t = locate_table(ImportKind::Leads, &rows).unwrap();
        assert_eq!(t.header_rows, vec![3, 4]);
        assert_eq!(
            t.body.iter().map(|(r, _)| *r).collect::<Vec<_>>(),
            vec![5, 7]
        );
        let (amount, unit) = t.map.column("amount").expect("the amount column");
        assert_eq!((amount, unit), (3, Some("万元")));
        let ignored: Vec<(usize, &str)> = t
            .ignored
            .iter()
            .map(|i| (i.row, i.reason.as_str()))
            .collect();
        assert_eq!(
            ignored,
            vec![
                (1, "表头上方的标题或说明"),
                (2, "表头上方的标题或说明"),
                (6, "空行"),
                (8, "表尾的填表、审核或说明"),
                (9, "表尾的填表、审核或说明"),
            ]
            .into_iter()
            .filter(|(r, _)| *r != 2)
            .collect::<Vec<_>>()
        );
    }

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
        let (usd, problem) = lead_input(&map, &row("500", "美元"));
        assert_eq!(
            (usd.amount.as_str(), usd.currency.as_str(), problem),
            ("500", "USD", None)
        );
        let (_, problem) = lead_input(&map, &row("约五千万", ""));
        let problem = problem.expect("a problem");
        assert!(
            problem.starts_with("C 列：") && problem.contains("约五千万"),
            "{problem}"
        );
    }

    #[test]
    fn a_file_without_the_required_columns_says_which() {
        let rows = sheet(&[(1, &["序号", "名称备注"]), (2, &["1", "x"])]);
        let why = locate_table(ImportKind::Leads, &rows).unwrap_err();
        assert!(why.contains("前十行"), "{why}");
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
        let input = investor_input(&map, &cells);
        assert_eq!(input.credit_code, "91350100M000100Y43");
        assert_eq!(input.kind, "private");
        assert_eq!(input.industry_code, "33");
        assert_eq!(input.contacts[0].phone, "0574-87654321");
        assert!(input.fortune_china_500 && input.listed && !input.fortune_global_500);
        assert!(input.parse().is_ok(), "{:?}", input.parse());
    }
}

//! Finding the table in a sheet as offices keep it: a title above, a header of one or two rows,
//! blank rows inside, footer notes (填表人, 审核人, 注：…) below.

use super::{
    ColumnMap, INVESTOR_COLUMNS, ImportKind, LEAD_COLUMNS, columns, half_width, header_key,
    map_headers,
};

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
                        // One level of brackets: 投资额（金额，万元）, not 投资额（金额（万元））.
                        let inner = b.replace(['（', '('], "，").replace(['）', ')'], "");
                        format!("{heading}（{inner}）")
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
    fn a_file_without_the_required_columns_says_which() {
        let rows = sheet(&[(1, &["序号", "名称备注"]), (2, &["1", "x"])]);
        let why = locate_table(ImportKind::Leads, &rows).unwrap_err();
        assert!(why.contains("前十行"), "{why}");
    }
}

//! Spreadsheet files in and out (.xlsx only): the first sheet read as rows of text, and lists
//! written as a sheet with a bold header. Format concerns stop here; rules live in `domain`.

mod guard;

use calamine::{DataRef, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};
use std::io::Cursor;

/// Why a file could not be read, in the words shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetError {
    NotXlsx,
    Damaged(String),
    TooLarge {
        limit_mib: usize,
    },
    TooManyRows {
        limit: usize,
    },
    /// Reading it would cost far more than its size suggests: which limit it passed.
    TooComplex(String),
    Empty,
}

impl SheetError {
    pub fn message(&self) -> String {
        match self {
            SheetError::NotXlsx => {
                "文件不是 .xlsx 格式：请在 Excel 或 WPS 中“另存为”Excel 工作簿（*.xlsx）后再上传"
                    .into()
            }
            SheetError::Damaged(why) => {
                format!("文件已损坏或无法读取（{why}），请重新保存后再上传")
            }
            SheetError::TooLarge { limit_mib } => {
                format!("文件超过 {limit_mib} MB，请拆分后分批上传")
            }
            SheetError::TooManyRows { limit } => {
                format!("超过 {limit} 行，请拆分后分批上传")
            }
            SheetError::TooComplex(why) => format!("{why}，请拆分或重新保存后再上传"),
            SheetError::Empty => "第一个工作表是空的：第一行应为表头，其后每行一条记录".into(),
        }
    }
}

/// A date cell as `YYYY-MM-DD` (a serial outside Excel's range stays a number).
fn excel_date(serial: f64) -> Option<String> {
    crate::domain::dates::from_excel_serial(serial).map(crate::domain::dates::iso)
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::String(s) => s.clone(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        DataRef::DateTime(d) => excel_date(d.as_f64()).unwrap_or_else(|| number_text(d.as_f64())),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

/// A file the reader could not make sense of: what part, in the user's words (the reader's own
/// message is for the log, not for the user).
fn unreadable(what: &str, e: &calamine::XlsxError) -> SheetError {
    tracing::debug!(error = %e, "an uploaded workbook could not be read");
    SheetError::Damaged(what.to_string())
}

/// Columns read from a sheet; cells further right are not part of any import.
const MAX_COLUMNS: usize = 256;
/// The most text the rows read may hold together (a shared string repeated in many cells is
/// copied into each).
const MAX_TEXT_BYTES: usize = 48 * 1024 * 1024;

/// The first sheet as rows of text, blank rows left out, each with its 1-based row number in
/// the sheet (so messages can say "第 12 行").
pub fn read_rows(
    bytes: &[u8],
    max_bytes: usize,
    max_rows: usize,
) -> Result<Vec<(usize, Vec<String>)>, SheetError> {
    if bytes.len() > max_bytes {
        return Err(SheetError::TooLarge {
            limit_mib: max_bytes / (1024 * 1024),
        });
    }
    // An .xlsx file is a zip archive; anything else (an old .xls, a CSV renamed) stops here.
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(SheetError::NotXlsx);
    }
    guard::judge(bytes, max_rows)?;
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable("工作簿的结构无法解析", &e))?;
    // The first worksheet a user sees: hidden sheets (lookup lists, old versions) are left out.
    let Some(first) = book
        .sheets_metadata()
        .iter()
        .find(|s| {
            s.visible == calamine::SheetVisible::Visible && s.typ == calamine::SheetType::WorkSheet
        })
        .map(|s| s.name.clone())
    else {
        return Err(SheetError::Empty);
    };
    // Cells are read as a stream, so a sheet with too many rows stops at the first row past the
    // limit instead of being read whole; shared strings are borrowed, not copied per cell.
    let mut cells = match book.worksheet_cells_reader(&first) {
        Ok(reader) => reader,
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Err(SheetError::Empty),
        Err(e) => return Err(unreadable("第一个工作表无法打开", &e)),
    };
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    let mut current: Option<(u32, Vec<String>)> = None;
    let mut text_bytes = 0usize;
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| unreadable("工作表的内容无法解析", &e))?
    {
        let (row, column) = cell.get_position();
        let text = cell_text(cell.get_value());
        if text.trim().is_empty() || column as usize >= MAX_COLUMNS {
            continue;
        }
        text_bytes += text.len();
        if text_bytes > MAX_TEXT_BYTES {
            return Err(SheetError::TooComplex(format!(
                "表格中的文字合计超过 {} MB",
                MAX_TEXT_BYTES / (1024 * 1024)
            )));
        }
        if current.as_ref().is_none_or(|(r, _)| *r != row) {
            if rows.len() > max_rows {
                return Err(SheetError::TooManyRows { limit: max_rows });
            }
            rows.extend(current.take().map(|(r, c)| (r as usize + 1, c)));
            current = Some((row, Vec::new()));
        }
        if let Some((_, values)) = current.as_mut() {
            if values.len() <= column as usize {
                values.resize(column as usize + 1, String::new());
            }
            values[column as usize] = text;
        }
    }
    if rows.len() > max_rows && current.is_some() {
        return Err(SheetError::TooManyRows { limit: max_rows });
    }
    rows.extend(current.map(|(r, c)| (r as usize + 1, c)));
    if rows.is_empty() {
        return Err(SheetError::Empty);
    }
    // Every row as wide as the widest, as the sheet shows them.
    let width = rows.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
    for (_, cells) in &mut rows {
        cells.resize(width, String::new());
    }
    Ok(rows)
}

/// A cell to write.
pub enum Cell {
    Text(String),
    Number(f64),
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

/// A workbook of one sheet: a bold, frozen header row, then the rows. Written in constant-memory
/// mode: each row goes to a temporary file as soon as the next one starts, so a long export holds
/// one row of cells at a time, not the whole sheet.
pub fn write_sheet(
    name: &str,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
) -> anyhow::Result<Vec<u8>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name(name)?;
    let bold = Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        sheet.set_column_width(c as u16, 16)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, row) in rows.into_iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.into_iter().enumerate() {
            match cell {
                Cell::Text(t) if !t.is_empty() => {
                    sheet.write_string(r, c as u16, t)?;
                }
                Cell::Text(_) => {}
                Cell::Number(n) => {
                    sheet.write_number(r, c as u16, n)?;
                }
            }
        }
    }
    Ok(book.save_to_buffer()?)
}

/// One CSV field, quoted when it needs to be. A field that a spreadsheet would take for a
/// formula (it begins with `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a
/// leading apostrophe, so that text anyone typed — a login tried at the sign-in form — is shown,
/// never run, when an auditor opens the export.
pub fn csv_field(text: &str) -> String {
    let neutral = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

/// A workbook of one sheet written from its raw XML (and, when given, the shared strings'
/// XML), as no spreadsheet program would write it: for tests and the load harness, which judge
/// the reader against hand-made (and hostile) files.
#[doc(hidden)]
pub fn raw_workbook(sheet_xml: &[u8], shared_strings: Option<&[u8]>) -> Vec<u8> {
    raw_workbook_named(
        sheet_xml,
        shared_strings.map(|sst| ("xl/sharedStrings.xml", sst)),
    )
}

/// As `raw_workbook`, with the shared strings' part under a name of the caller's choosing.
#[doc(hidden)]
pub fn raw_workbook_named(sheet_xml: &[u8], shared_strings: Option<(&str, &[u8])>) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut part = |name: &str, body: &[u8]| {
        zip.start_file(name, options).unwrap();
        zip.write_all(body).unwrap();
    };
    part(
        "[Content_Types].xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    );
    part(
        "_rels/.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        "xl/workbook.xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    let mut rels = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#.to_vec();
    if let Some((name, _)) = shared_strings {
        let target = name.trim_start_matches("xl/");
        rels.extend_from_slice(format!(r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="{target}"/>"#).as_bytes());
    }
    rels.extend_from_slice(b"</Relationships>");
    part("xl/_rels/workbook.xml.rels", &rels);
    part("xl/worksheets/sheet1.xml", sheet_xml);
    if let Some((name, sst)) = shared_strings {
        part(name, sst);
    }
    zip.finish().unwrap().into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_cell_out_of_excels_range_is_not_a_date() {
        assert_eq!(excel_date(43613.0).as_deref(), Some("2019-05-28"));
        for bad in [-1.0, 3e6, 1e300, f64::NAN, f64::INFINITY] {
            assert_eq!(excel_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_written_sheet_reads_back_and_other_files_are_refused() {
        let bytes = write_sheet(
            "客商名单",
            &["客商名称", "投资额（万元）"],
            vec![
                vec![Cell::from("宁波甬钢"), Cell::Number(30000.0)],
                vec![Cell::from(""), Cell::from("")],
                vec![Cell::from("华鼎电路"), Cell::Number(1.5)],
            ],
        )
        .unwrap();
        let rows = read_rows(&bytes, 1 << 20, 100).unwrap();
        assert_eq!(
            rows[0],
            (
                1,
                vec!["客商名称".to_string(), "投资额（万元）".to_string()]
            )
        );
        assert_eq!(rows[1].1, vec!["宁波甬钢".to_string(), "30000".to_string()]);
        // The blank row is skipped; the next keeps its own row number.
        assert_eq!(rows[2].0, 4);
        assert_eq!(rows[2].1[1], "1.5");
        assert_eq!(
            read_rows(b"name,amount\n", 1 << 20, 100),
            Err(SheetError::NotXlsx)
        );
        assert!(matches!(
            read_rows(b"PK\x03\x04broken", 1 << 20, 100),
            Err(SheetError::Damaged(_))
        ));
        assert_eq!(
            read_rows(&bytes, 10, 100),
            Err(SheetError::TooLarge { limit_mib: 0 })
        );
        assert_eq!(
            read_rows(&bytes, 1 << 20, 1),
            Err(SheetError::TooManyRows { limit: 1 })
        );
        assert_eq!(excel_date(43613.0).as_deref(), Some("2019-05-28"));
    }

    #[test]
    fn rows_are_counted_as_they_are_read_and_far_columns_are_left_out() {
        let rows: Vec<Vec<Cell>> = (0..50)
            .map(|i| vec![Cell::from(format!("企业{i}")), Cell::Number(i as f64)])
            .collect();
        let bytes = write_sheet("名单", &["企业名称", "序号"], rows).unwrap();
        assert_eq!(read_rows(&bytes, 1 << 20, 50).unwrap().len(), 51);
        assert_eq!(
            read_rows(&bytes, 1 << 20, 49),
            Err(SheetError::TooManyRows { limit: 49 })
        );
        // A stray value far to the right neither widens every row nor fails the file.
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "企业名称").unwrap();
        sheet.write_string(1, 0, "华鼎电路").unwrap();
        sheet.write_string(1, 16_000, "x").unwrap();
        sheet.write_string(3, 1, "右侧").unwrap();
        let rows = read_rows(&book.save_to_buffer().unwrap(), 1 << 20, 10).unwrap();
        assert_eq!(
            rows,
            vec![
                (1, vec!["企业名称".to_string(), String::new()]),
                (2, vec!["华鼎电路".to_string(), String::new()]),
                (4, vec![String::new(), "右侧".to_string()]),
            ]
        );
    }

    #[test]
    fn hidden_sheets_are_passed_over_for_the_first_one_a_user_sees() {
        let mut book = Workbook::new();
        let lookup = book.add_worksheet();
        lookup.set_name("下拉选项").unwrap();
        lookup.write_string(0, 0, "民营企业").unwrap();
        lookup.set_hidden(true);
        let ledger = book.add_worksheet();
        ledger.set_name("客商名单").unwrap();
        ledger.write_string(0, 0, "企业名称").unwrap();
        ledger.write_string(1, 0, "华鼎电路").unwrap();
        ledger.set_active(true);
        let rows = read_rows(&book.save_to_buffer().unwrap(), 1 << 20, 10).unwrap();
        assert_eq!(
            rows,
            vec![
                (1, vec!["企业名称".to_string()]),
                (2, vec!["华鼎电路".to_string()]),
            ]
        );
    }

    #[test]
    fn csv_fields_that_a_spreadsheet_would_run_are_shown_as_text() {
        for (typed, written) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            ("=A1,B1", "\"'=A1,B1\""),
            ("plain", "plain"),
            ("说\"好\"", "\"说\"\"好\"\"\""),
            ("a-b", "a-b"),
            ("", ""),
        ] {
            assert_eq!(csv_field(typed), written, "{typed:?}");
        }
    }
}

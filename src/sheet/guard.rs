//! An .xlsx file judged before it is read. A workbook is a zip archive of XML parts, and its
//! size on disk says little about what reading it costs: a part can inflate a thousandfold, a
//! sheet can declare a million rows it does not hold, the shared-strings part can ask for room
//! for a trillion strings, one cell can hold a whole file of text. So the archive's directory
//! is checked first (parts, sizes, ratios), then the sheet and shared-strings parts are streamed
//! once through a small buffer — counting cells, measuring the longest text and tag, reading
//! the declared dimension and string count — before the reader that keeps their contents ever
//! opens them. Nothing here holds more than a buffer's worth of the file.

use super::SheetError;
use std::io::{Cursor, Read};

/// The most parts an archive may hold (a workbook has a few dozen).
pub const MAX_PARTS: usize = 1_000;
/// The most any one part may inflate to, and all of them together.
pub const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;
pub const MAX_TOTAL_BYTES: u64 = 512 * 1024 * 1024;
/// How far a sizeable part may inflate (spreadsheet XML compresses well, but not this well).
pub const MAX_RATIO: u64 = 250;
/// The shared strings are kept in memory whole while a sheet is read.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 16 * 1024 * 1024;
/// Excel's own limit for one cell is 32,767 characters; in UTF-8 at most four bytes each.
pub const MAX_CELL_CHARS: usize = 32_767;
const MAX_TEXT_RUN_BYTES: usize = MAX_CELL_CHARS * 4;
/// No tag of a worksheet's XML is longer than this.
const MAX_TAG_BYTES: usize = 64 * 1024;
/// Cells (blank and styled ones included) a sheet may declare per row it may hold.
const CELLS_PER_ROW: usize = 256;

/// Refuses a file whose reading would cost far more than its size suggests.
pub fn judge(bytes: &[u8], max_rows: usize) -> Result<(), SheetError> {
    let damaged = |e: zip::result::ZipError| SheetError::Damaged(zip_words(&e));
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    if archive.len() > MAX_PARTS {
        return Err(SheetError::TooComplex(format!(
            "文件内部有 {} 个组成部分，超过上限 {MAX_PARTS} 个",
            archive.len()
        )));
    }
    let mut total: u64 = 0;
    let mut parts_to_stream = Vec::new();
    for i in 0..archive.len() {
        let part = archive.by_index_raw(i).map_err(damaged)?;
        let name = part.name().map_err(damaged)?.to_string();
        let (size, packed) = (part.size(), part.compressed_size());
        total = total.saturating_add(size);
        if size > MAX_PART_BYTES || total > MAX_TOTAL_BYTES {
            return Err(inflates_too_far());
        }
        if size > 1024 * 1024 && size / packed.max(1) > MAX_RATIO {
            return Err(inflates_too_far());
        }
        // The reader finds parts through the workbook's relationships and matches names
        // without regard to case, so every XML part is judged, wherever it sits.
        let name = name.replace('\\', "/").to_ascii_lowercase();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            parts_to_stream.push((i, size));
        }
    }
    let cell_limit = max_rows.saturating_add(1).saturating_mul(CELLS_PER_ROW);
    for (i, declared) in parts_to_stream {
        let part = archive.by_index(i).map_err(damaged)?;
        let seen = stream(part.take(MAX_PART_BYTES + 1))?;
        // The directory may understate a part; what it really inflates to is what counts.
        if seen.bytes > MAX_PART_BYTES || seen.bytes > declared.saturating_add(1) {
            return Err(inflates_too_far());
        }
        // Shared strings, under whatever name: the reader keeps them all in memory, and makes
        // room for as many as an `sst` tag declares before reading one.
        if seen.shared_tags > 0 {
            if seen.bytes > MAX_SHARED_STRINGS_BYTES {
                return Err(too_much_shared_text());
            }
            if seen.shared_tags > 1
                || seen
                    .declared_strings
                    .is_some_and(|n| n > seen.strings.max(1))
            {
                return Err(SheetError::Damaged("共享文本的数量与声明不符".into()));
            }
        }
        if seen.dimension_tags > 1 {
            return Err(SheetError::Damaged("工作表声明了多个范围".into()));
        }
        if let Some(rows) = seen.declared_rows
            && rows > max_rows.saturating_add(1)
        {
            return Err(SheetError::TooManyRows { limit: max_rows });
        }
        if seen.cells > cell_limit {
            return Err(SheetError::TooComplex(format!(
                "工作表中的单元格超过 {cell_limit} 个"
            )));
        }
    }
    Ok(())
}

fn inflates_too_far() -> SheetError {
    SheetError::TooComplex(format!(
        "文件解压后异常庞大（单个部分超过 {} MB、合计超过 {} MB，或压缩比超过 {MAX_RATIO} 倍）",
        MAX_PART_BYTES / (1024 * 1024),
        MAX_TOTAL_BYTES / (1024 * 1024)
    ))
}

fn too_much_shared_text() -> SheetError {
    SheetError::TooComplex(format!(
        "文件中的共享文本超过 {} MB",
        MAX_SHARED_STRINGS_BYTES / (1024 * 1024)
    ))
}

/// The zip library's words are not the user's: what kind of damage, in Chinese.
fn zip_words(e: &zip::result::ZipError) -> String {
    match e {
        zip::result::ZipError::UnsupportedArchive(_) => "使用了不支持的压缩方式".into(),
        zip::result::ZipError::FileNotFound => "缺少必要的组成部分".into(),
        _ => "压缩包结构无效".into(),
    }
}

/// What one pass over a part's XML saw.
#[derive(Debug, Default)]
struct Seen {
    bytes: u64,
    cells: usize,
    strings: usize,
    shared_tags: usize,
    dimension_tags: usize,
    /// The furthest row any `dimension` tag declares.
    declared_rows: Option<usize>,
    /// The largest string count any `sst` tag declares.
    declared_strings: Option<usize>,
}

/// Streams a part's XML through a small buffer: counts `<c>` and `<si>` elements, reads the
/// `<dimension ref>` and `<sst uniqueCount>` attributes (by local name, with either quote),
/// and refuses a text run or a tag longer than any real cell or tag.
fn stream(mut part: impl Read) -> Result<Seen, SheetError> {
    let mut seen = Seen::default();
    let mut buf = vec![0u8; 64 * 1024];
    let mut in_tag = false;
    let mut run = 0usize;
    // The current tag, whole (at most `MAX_TAG_BYTES`): attributes may sit anywhere in it.
    let mut tag: Vec<u8> = Vec::with_capacity(256);
    loop {
        let n = match part.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(_) => return Err(SheetError::Damaged("压缩数据无法解开".into())),
        };
        seen.bytes += n as u64;
        for &b in &buf[..n] {
            match (in_tag, b) {
                (false, b'<') => {
                    in_tag = true;
                    run = 0;
                    tag.clear();
                }
                (false, _) => {
                    run += 1;
                    if run > MAX_TEXT_RUN_BYTES {
                        return Err(SheetError::TooComplex(format!(
                            "有单元格超过 {MAX_CELL_CHARS} 个字符（Excel 单元格的上限）"
                        )));
                    }
                }
                (true, b'>') => {
                    in_tag = false;
                    run = 0;
                    note_tag(&tag, &mut seen);
                }
                (true, _) => {
                    run += 1;
                    if run > MAX_TAG_BYTES {
                        return Err(SheetError::Damaged("XML 标签过长".into()));
                    }
                    tag.push(b);
                }
            }
        }
    }
    Ok(seen)
}

fn note_tag(tag: &[u8], seen: &mut Seen) {
    let name_end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(tag.len());
    let name = &tag[..name_end];
    // The reader matches local names: `x:sst` is `sst`.
    let local = match name.iter().rposition(|b| *b == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    };
    match local {
        b"c" => seen.cells += 1,
        b"si" => seen.strings += 1,
        b"dimension" => {
            seen.dimension_tags += 1;
            let rows = attribute(tag, b"ref").and_then(|r| last_row_of(&r));
            seen.declared_rows = seen.declared_rows.max(rows);
        }
        b"sst" => {
            seen.shared_tags += 1;
            let declared = attribute(tag, b"uniqueCount").map(|v| {
                String::from_utf8(v)
                    .ok()
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(usize::MAX)
            });
            seen.declared_strings = seen.declared_strings.max(declared);
        }
        _ => {}
    }
}

/// The value of `name="…"` or `name='…'` in a tag's text (the attribute's own name, not one
/// that merely ends with it).
fn attribute(tag: &[u8], name: &[u8]) -> Option<Vec<u8>> {
    let mut at = 0;
    while let Some(found) = tag[at..].windows(name.len()).position(|w| w == name) {
        let start = at + found;
        at = start + name.len();
        let own_name = start == 0 || tag[start - 1].is_ascii_whitespace() || tag[start - 1] == b':';
        let mut rest = tag[at..].iter().skip_while(|b| b.is_ascii_whitespace());
        if !own_name || rest.next() != Some(&b'=') {
            continue;
        }
        let mut rest = rest.skip_while(|b| b.is_ascii_whitespace());
        let quote = *rest.next()?;
        if quote != b'"' && quote != b'\'' {
            continue;
        }
        return Some(rest.take_while(|b| **b != quote).copied().collect());
    }
    None
}

/// The last row a `ref` such as `A1:XFD1048576` reaches (1-based).
fn last_row_of(reference: &[u8]) -> Option<usize> {
    let last = reference.split(|b| *b == b':').next_back()?;
    let digits: String = last
        .iter()
        .skip_while(|b| b.is_ascii_alphabetic())
        .map(|b| *b as char)
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::raw_workbook as workbook;

    #[test]
    fn tags_and_counts_are_read_from_a_stream() {
        let xml = br#"<worksheet><dimension ref="A1:C3"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"/></row></sheetData></worksheet>"#;
        let seen = stream(&xml[..]).unwrap();
        assert_eq!(seen.cells, 2);
        assert_eq!(seen.declared_rows, Some(3));
        let sst =
            br#"<sst xmlns="x" count="9" uniqueCount="2"><si><t>a</t></si><si><t>b</t></si></sst>"#;
        let seen = stream(&sst[..]).unwrap();
        assert_eq!((seen.strings, seen.declared_strings), (2, Some(2)));
    }

    #[test]
    fn a_text_longer_than_any_cell_is_refused_as_it_streams() {
        let mut xml = b"<c><is><t>".to_vec();
        xml.extend(std::iter::repeat_n(b'x', MAX_TEXT_RUN_BYTES + 1));
        assert!(matches!(stream(&xml[..]), Err(SheetError::TooComplex(_))));
    }

    #[test]
    fn shared_strings_asking_for_room_are_caught_however_they_are_written() {
        let padding = "a=\"x\" ".repeat(100);
        for (name, sst) in [
            (
                "xl/sharedStrings.xml",
                r#"<x:sst xmlns:x="m" uniqueCount="1000000000000"><x:si><x:t>a</x:t></x:si></x:sst>"#.to_string(),
            ),
            (
                "xl/sharedStrings.xml",
                r#"<sst uniqueCount='1000000000000'><si><t>a</t></si></sst>"#.to_string(),
            ),
            (
                "xl/sharedStrings.xml",
                format!(r#"<sst {padding}uniqueCount="1000000000000"><si><t>a</t></si></sst>"#),
            ),
            (
                "xl/sharedStrings.xml",
                r#"<sst uniqueCount="1"><si><t>a</t></si></sst><sst uniqueCount="1000000000000"/>"#.to_string(),
            ),
            (
                "xl/sharedstrings.xml",
                r#"<sst uniqueCount="1000000000000"><si><t>a</t></si></sst>"#.to_string(),
            ),
        ] {
            let book = crate::sheet::raw_workbook_named(
                &sheet("A1:A1", r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
                Some((name, sst.as_bytes())),
            );
            assert!(
                matches!(read(&book), Err(SheetError::Damaged(_))),
                "{name}: {sst}"
            );
        }
    }

    #[test]
    fn attributes_are_read_by_their_own_name_with_either_quote() {
        assert_eq!(
            attribute(br#"sst count="9" uniqueCount="2""#, b"uniqueCount"),
            Some(b"2".to_vec())
        );
        assert_eq!(
            attribute(b"sst uniqueCount = '7'", b"uniqueCount"),
            Some(b"7".to_vec())
        );
        assert_eq!(attribute(br#"sst xuniqueCount="7""#, b"uniqueCount"), None);
    }

    #[test]
    fn the_last_row_of_a_reference() {
        assert_eq!(last_row_of(b"A1:XFD1048576"), Some(1_048_576));
        assert_eq!(last_row_of(b"B7"), Some(7));
        assert_eq!(last_row_of(b""), None);
    }

    fn sheet(dimension: &str, cells: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>"#
        )
        .into_bytes()
    }

    fn read(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, SheetError> {
        crate::sheet::read_rows(bytes, 20 * 1024 * 1024, 1_000)
    }

    fn refused_quickly(bytes: &[u8]) -> SheetError {
        let started = std::time::Instant::now();
        let outcome = read(bytes);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        outcome.expect_err("refused")
    }

    #[test]
    fn a_plain_workbook_of_these_parts_is_read() {
        let rows = read(&workbook(
            &sheet(
                "A1:B2",
                r#"<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c></row><row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>12</v></c></row>"#,
            ),
            Some(r#"<sst uniqueCount="1"><si><t>华鼎</t></si></sst>"#.as_bytes()),
        ))
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].1, vec!["华鼎".to_string(), "12".to_string()]);
    }

    /// The 1.6 KB file that made the old reader allocate 512 GiB.
    #[test]
    fn a_sheet_declaring_every_row_excel_has_is_refused_before_it_is_read() {
        let bomb = workbook(
            &sheet(
                "A1:XFD1048576",
                r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>"#,
            ),
            None,
        );
        assert!(bomb.len() < 4096);
        assert!(matches!(
            refused_quickly(&bomb),
            SheetError::TooManyRows { limit: 1_000 }
        ));
    }

    #[test]
    fn a_sheet_of_millions_of_cells_packed_small_is_refused() {
        let cells = r#"<c><v>1</v></c>"#.repeat(2_000_000);
        let bomb = workbook(&sheet("A1:A1", &format!("<row>{cells}</row>")), None);
        assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
        let refused = refused_quickly(&bomb);
        assert!(matches!(refused, SheetError::TooComplex(_)), "{refused:?}");
        assert!(refused.message().contains("倍") || refused.message().contains("单元格"));
    }

    #[test]
    fn one_cell_holding_a_megabyte_of_text_is_refused() {
        let text = "字".repeat(400_000);
        let bomb = workbook(
            &sheet(
                "A1:A1",
                &format!(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row>"#),
            ),
            None,
        );
        let refused = refused_quickly(&bomb);
        assert!(refused.message().contains("32767"), "{refused:?}");
    }

    #[test]
    fn thirty_megabytes_of_shared_text_are_refused() {
        let text = "x".repeat(30 * 1024 * 1024);
        let bomb = workbook(
            &sheet("A1:A1", r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
            Some(format!(r#"<sst uniqueCount="1"><si><t>{text}</t></si></sst>"#).as_bytes()),
        );
        let refused = refused_quickly(&bomb);
        assert!(matches!(refused, SheetError::TooComplex(_)), "{refused:?}");
    }

    #[test]
    fn shared_strings_asking_room_for_a_trillion_are_refused() {
        let bomb = workbook(
            &sheet("A1:A1", r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
            Some(br#"<sst uniqueCount="1000000000000"><si><t>a</t></si></sst>"#),
        );
        assert!(matches!(refused_quickly(&bomb), SheetError::Damaged(_)));
    }

    /// A bounded property test: mutated and truncated workbooks are answered — read or
    /// refused with words for the user — never with a panic, and quickly.
    #[test]
    fn damaged_and_mutated_workbooks_are_answered_never_a_panic() {
        let base = workbook(
            &sheet(
                "A1:C3",
                r#"<row r="1"><c r="A1" t="inlineStr"><is><t>企业名称</t></is></c><c r="B1" t="s"><v>0</v></c></row><row r="2"><c r="A2"><v>3.5</v></c><c r="C2" t="b"><v>1</v></c></row>"#,
            ),
            Some(r#"<sst count="1" uniqueCount="1"><si><t>金额</t></si></sst>"#.as_bytes()),
        );
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let started = std::time::Instant::now();
        for round in 0..400 {
            let mut bytes = base.clone();
            match round % 3 {
                0 => {
                    for _ in 0..=(next() % 8) {
                        let at = (next() as usize) % bytes.len();
                        bytes[at] ^= (next() % 255 + 1) as u8;
                    }
                }
                1 => bytes.truncate((next() as usize) % bytes.len()),
                _ => {
                    let at = (next() as usize) % bytes.len();
                    let junk: Vec<u8> = (0..(next() % 64)).map(|_| next() as u8).collect();
                    bytes.splice(at..at, junk);
                }
            }
            if let Err(e) = read(&bytes) {
                assert!(!e.message().is_empty());
            }
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }
}

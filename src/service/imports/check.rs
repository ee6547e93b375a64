//! Checking a file: every row read and judged by the ordinary rules, probable duplicates (in
//! the file and against what is already recorded) flagged, and the same rows checked again
//! when the import is confirmed.

use crate::domain::import::{
    ColumnMap, IgnoredRow, ImportKind, PreviewRow, RowProblem, RowStatus, investor_input,
    lead_input, locate_table, map_headers, values_as_read,
};
use crate::domain::investor::InvestorFields;
use crate::domain::lead::LeadFields;
use crate::domain::search::normalise;
use crate::domain::validation::{Invalid, is_stray_control};
use crate::error::{Error, Result};
use crate::sheet;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use time::Date;

/// A row the rules refused, with the cells as they were and why.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RejectedRow {
    pub row: usize,
    pub cells: Vec<String>,
    pub reasons: Vec<String>,
}

/// A row that passed the rules, kept as its cells were (the preview's record of the file, and
/// the import's); checked again from them when the import is confirmed. A probable duplicate
/// is written only when the user confirms it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct ValidRow {
    pub row: usize,
    pub cells: Vec<String>,
    #[serde(default)]
    pub duplicate: bool,
}

/// A row as kept for the preview: its status, its values as read and its problems, as JSON.
pub(super) struct StoredRow {
    pub row: usize,
    pub status: RowStatus,
    pub values_json: String,
    pub problems_json: String,
}

/// What a row's problems are kept as.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct Problems {
    pub errors: Vec<RowProblem>,
    pub warnings: Vec<RowProblem>,
}

impl StoredRow {
    /// Back into the row the preview shows.
    pub fn shown(row: i64, status: &str, values: &str, problems: &str) -> Result<PreviewRow> {
        let broken = |e: serde_json::Error| Error::Internal(e.into());
        let problems: Problems = serde_json::from_str(problems).map_err(broken)?;
        Ok(PreviewRow {
            row: row.max(0) as usize,
            status: RowStatus::parse(status).ok_or_else(|| {
                Error::Internal(anyhow::anyhow!("unknown import row status {status}"))
            })?,
            values: serde_json::from_str(values).map_err(broken)?,
            errors: problems.errors,
            warnings: problems.warnings,
        })
    }
}

/// Error rows kept for the preview and the rejected-rows sheet: a file of a hundred thousand
/// bad rows is fixed at its source, not row by row, and its rows must not fill the database.
pub(super) const KEPT_REJECTED: usize = 10_000;

/// What a file held, checked.
pub(super) struct Checked {
    pub headers: Vec<String>,
    pub ignored: Vec<IgnoredRow>,
    /// The valid and probably duplicate rows' cells, as JSON (kept until imported).
    pub payload_json: String,
    pub rows_valid: usize,
    pub rows_duplicate: usize,
    pub rows_rejected: usize,
    /// Every row for the preview (error rows up to `KEPT_REJECTED`).
    pub rows: Vec<StoredRow>,
    /// The error rows with their cells (up to `KEPT_REJECTED`).
    pub rejected: Vec<RejectedRow>,
}

/// What is already recorded, to find probable duplicates among a file's rows.
pub(super) enum Library {
    /// Live investors' credit codes and name keys.
    Investors(Vec<(Option<String>, String)>),
    /// Leads' titles and investor names.
    Leads(Vec<(String, String)>),
}

/// Where a key was seen: among the records already kept, or on an earlier row of the file.
#[derive(Clone, Copy)]
enum Seen {
    Library,
    Row(usize),
}

/// Tracks what a file adds, so that two rows of one file, or a row and the records already
/// kept, are not taken for two companies (or two leads) unseen.
pub(super) struct Keys {
    codes: HashMap<String, Seen>,
    names: HashMap<String, Seen>,
}

/// Why a row cannot be added (errors) or may repeat another (doubts), by field.
#[derive(Default)]
pub(super) struct Admission {
    pub errors: Vec<(&'static str, String)>,
    pub doubts: Vec<(&'static str, String)>,
}

fn lead_key(title: &str, investor: &str) -> String {
    format!("{}\u{1}{}", normalise(title), normalise(investor))
}

impl Keys {
    pub fn of(library: Library) -> Keys {
        let mut codes = HashMap::new();
        let mut names = HashMap::new();
        match library {
            Library::Investors(live) => {
                for (code, key) in live {
                    if let Some(c) = code {
                        codes.insert(c, Seen::Library);
                    }
                    names.insert(key, Seen::Library);
                }
            }
            Library::Leads(leads) => {
                for (title, investor) in leads {
                    names.insert(lead_key(&title, &investor), Seen::Library);
                }
            }
        }
        Keys { codes, names }
    }

    /// An investor row: a credit code already taken is an error; a similar name a doubt.
    /// Recorded as added unless it is an error.
    pub fn admit_investor(&mut self, row: usize, f: &InvestorFields) -> Admission {
        let mut a = Admission::default();
        if let Some(code) = &f.credit_code {
            match self.codes.get(code.as_str()) {
                Some(Seen::Library) => a.errors.push((
                    "credit_code",
                    format!("统一社会信用代码 {code} 已在客商库中"),
                )),
                Some(Seen::Row(other)) => a.errors.push((
                    "credit_code",
                    format!("与第 {other} 行的统一社会信用代码相同"),
                )),
                None => {}
            }
        }
        match self.names.get(&f.name_key) {
            Some(Seen::Library) => a.doubts.push((
                "name",
                "客商库中已有名称相近的客商，可能是同一家企业".to_string(),
            )),
            Some(Seen::Row(other)) => a.doubts.push((
                "name",
                format!("与第 {other} 行的名称相近，可能是同一家企业"),
            )),
            None => {}
        }
        if a.errors.is_empty() {
            if let Some(code) = &f.credit_code {
                self.codes.insert(code.as_str().to_string(), Seen::Row(row));
            }
            self.names
                .entry(f.name_key.clone())
                .or_insert(Seen::Row(row));
        }
        a
    }

    /// A lead row: the same content from the same investor is a doubt.
    pub fn admit_lead(&mut self, row: usize, f: &LeadFields) -> Admission {
        let mut a = Admission::default();
        match self.names.get(&lead_key(&f.title, &f.investor_name)) {
            Some(Seen::Library) => a.doubts.push((
                "title",
                "线索台账中已有投资方与内容都相同的线索，可能重复".to_string(),
            )),
            Some(Seen::Row(other)) => a.doubts.push((
                "title",
                format!("与第 {other} 行的投资方与内容都相同，可能重复"),
            )),
            None => {}
        }
        self.names
            .entry(lead_key(&f.title, &f.investor_name))
            .or_insert(Seen::Row(row));
        a
    }
}

fn file_problem(why: String) -> Error {
    Error::Invalid(Invalid::single("file", why))
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(e.into()))
}

/// `f` applied to every item, the items split among the processor's cores; results in order.
fn on_all_cores<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores == 1 || items.len() < 1_000 {
        return items.into_iter().map(f).collect();
    }
    let per_core = items.len().div_ceil(cores);
    let mut parts: Vec<Vec<T>> = Vec::with_capacity(cores);
    let mut items = items.into_iter();
    loop {
        let part: Vec<T> = items.by_ref().take(per_core).collect();
        if part.is_empty() {
            break;
        }
        parts.push(part);
    }
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| scope.spawn(move || part.into_iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// A row read by the rules: what it would write, or its errors placed in their cells.
enum Read {
    Investor(InvestorFields),
    Lead(LeadFields),
}

/// Reads one row into the ordinary rules' fields, or every problem it has, each in its cell.
fn read_row(
    kind: ImportKind,
    map: &ColumnMap,
    headers: &[String],
    (row, cells): (usize, &[String]),
    today: Date,
) -> std::result::Result<Read, Vec<RowProblem>> {
    let place = |field: &str, why: String| RowProblem::at(map, headers, row, field, why);
    let (parsed, cell_problems) = match kind {
        ImportKind::Investors => {
            let (input, problems) = investor_input(map, cells);
            (input.parse().map(Read::Investor), problems)
        }
        ImportKind::Leads => {
            let (input, problems) = lead_input(map, cells);
            let parsed = input.parse().and_then(|f| {
                f.check_received_on(today)?;
                Ok(f)
            });
            (parsed.map(Read::Lead), problems)
        }
    };
    let mut problems: Vec<RowProblem> = cell_problems
        .into_iter()
        .map(|(field, why)| place(field, why))
        .collect();
    match parsed {
        Ok(read) if problems.is_empty() => Ok(read),
        Ok(_) => Err(problems),
        Err(e) => {
            problems.extend(e.0.into_iter().map(|f| place(&f.field, f.message)));
            Err(problems)
        }
    }
}

/// Reads a file and checks every row against the rules and, for probable duplicates, against
/// `library` and the rows above it.
pub(super) fn check_file(
    kind: ImportKind,
    bytes: &[u8],
    (max_bytes, max_rows): (usize, usize),
    library: Library,
    today: Date,
) -> Result<Checked> {
    let rows =
        sheet::read_rows(bytes, max_bytes, max_rows).map_err(|e| file_problem(e.message()))?;
    if rows.is_empty() {
        return Err(file_problem(sheet::SheetError::Empty.message()));
    }
    // The table: its header found under any title, footers and blank rows set aside.
    let table = locate_table(kind, &rows).map_err(file_problem)?;
    drop(rows);
    let (mut headers, map, ignored) = (table.headers, table.map, table.ignored);
    scrub_controls(&mut headers);
    let parsed = {
        let (map, headers) = (&map, &headers);
        on_all_cores(table.body, move |(row, mut cells)| {
            // Control characters (NUL and the like) are shown as � and the row refused, so
            // every row can be kept, shown and downloaded again whatever the database.
            let dirty = scrub_controls(&mut cells);
            let values = values_as_read(kind, map, &cells);
            let read = match (dirty, read_row(kind, map, headers, (row, &cells), today)) {
                (None, read) => read,
                (Some(why), Ok(_)) => Err(vec![RowProblem::of_row(why)]),
                (Some(why), Err(mut problems)) => {
                    problems.insert(0, RowProblem::of_row(why));
                    Err(problems)
                }
            };
            (row, cells, to_json(&values), read)
        })
    };
    let mut keys = Keys::of(library);
    let mut checked = Checked {
        headers: Vec::new(),
        ignored,
        payload_json: String::new(),
        rows_valid: 0,
        rows_duplicate: 0,
        rows_rejected: 0,
        rows: Vec::with_capacity(parsed.len()),
        rejected: Vec::new(),
    };
    let mut payload = Vec::with_capacity(parsed.len());
    for (row, cells, values_json, read) in parsed {
        let values_json = values_json?;
        let admission = match &read {
            Ok(Read::Investor(f)) => keys.admit_investor(row, f),
            Ok(Read::Lead(f)) => keys.admit_lead(row, f),
            Err(_) => Admission::default(),
        };
        let place = |(field, why): (&str, String)| RowProblem::at(&map, &headers, row, field, why);
        let problems = Problems {
            errors: match read {
                Ok(_) => admission.errors.into_iter().map(place).collect(),
                Err(problems) => problems,
            },
            warnings: admission.doubts.into_iter().map(place).collect(),
        };
        let status = if !problems.errors.is_empty() {
            RowStatus::Error
        } else if !problems.warnings.is_empty() {
            RowStatus::Duplicate
        } else {
            RowStatus::Valid
        };
        match status {
            RowStatus::Valid => checked.rows_valid += 1,
            RowStatus::Duplicate => checked.rows_duplicate += 1,
            RowStatus::Error => checked.rows_rejected += 1,
        }
        if status == RowStatus::Error && checked.rows_rejected > KEPT_REJECTED {
            continue;
        }
        checked.rows.push(StoredRow {
            row,
            status,
            values_json,
            problems_json: to_json(&problems)?,
        });
        if status == RowStatus::Error {
            checked.rejected.push(RejectedRow {
                row,
                cells,
                reasons: problems.errors.iter().map(RowProblem::reason).collect(),
            });
        } else {
            payload.push(ValidRow {
                row,
                cells,
                duplicate: status == RowStatus::Duplicate,
            });
        }
    }
    checked.payload_json = to_json(&payload)?;
    checked.headers = headers;
    Ok(checked)
}

/// Replaces control characters in the cells with �; names the columns that had any.
fn scrub_controls(cells: &mut [String]) -> Option<String> {
    let mut columns = Vec::new();
    for (i, cell) in cells.iter_mut().enumerate() {
        if cell.chars().any(is_stray_control) {
            *cell = cell
                .chars()
                .map(|c| match is_stray_control(c) {
                    true => char::REPLACEMENT_CHARACTER,
                    false => c,
                })
                .collect();
            columns.push(format!("{} 列", crate::domain::import::column_letters(i)));
        }
    }
    (!columns.is_empty()).then(|| {
        format!(
            "{}含有不可见的控制字符（已显示为 �），请在表格中删除后再导入",
            columns.join("、")
        )
    })
}

/// Rows checked per part when an import is confirmed.
const CONFIRM_PART: usize = 10_000;

/// Stored rows of an import, read and checked again into what is written.
pub(super) enum Part {
    /// (row, fields, confirmed as a probable duplicate)
    Investors(Vec<(usize, InvestorFields, bool)>),
    Leads(Vec<LeadFields>),
}

impl Part {
    pub fn len(&self) -> usize {
        match self {
            Part::Investors(rows) => rows.len(),
            Part::Leads(rows) => rows.len(),
        }
    }
}

/// Reads the stored rows back — the valid ones and the probable duplicates in `chosen` — and
/// checks them a part at a time (in file order), handing each part on as soon as it is ready;
/// stops early if the receiver has gone.
pub(super) fn check_in_parts(
    kind: ImportKind,
    headers_json: &str,
    payload: &str,
    chosen: &HashSet<usize>,
    today: Date,
    parts: &tokio::sync::mpsc::Sender<Result<Part>>,
) {
    // A preview kept in another form (before an upgrade) is not guessed at.
    let stale = || Error::Conflict("这份预览已失效，请重新上传文件".into());
    let read = || -> Result<(ColumnMap, Vec<String>, Vec<ValidRow>)> {
        let headers: Vec<String> = serde_json::from_str(headers_json).map_err(|_| stale())?;
        let rows: Vec<ValidRow> = serde_json::from_str(payload).map_err(|_| stale())?;
        let map = map_headers(kind, &headers).map_err(|_| stale())?;
        Ok((map, headers, rows))
    };
    let (map, headers, rows) = match read() {
        Ok(read) => read,
        Err(e) => {
            let _ = parts.blocking_send(Err(e));
            return;
        }
    };
    let mut rows = rows
        .into_iter()
        .filter(|r| !r.duplicate || chosen.contains(&r.row));
    loop {
        let part: Vec<ValidRow> = rows.by_ref().take(CONFIRM_PART).collect();
        if part.is_empty() {
            return;
        }
        let checked = check_part(kind, &map, &headers, part, today);
        let failed = checked.is_err();
        if parts.blocking_send(checked).is_err() || failed {
            return;
        }
    }
}

fn check_part(
    kind: ImportKind,
    map: &ColumnMap,
    headers: &[String],
    rows: Vec<ValidRow>,
    today: Date,
) -> Result<Part> {
    // The rules may have changed since the preview (a new release, another configuration).
    let no_longer = |row: usize, problems: Vec<RowProblem>| {
        let why: Vec<String> = problems.iter().map(RowProblem::reason).collect();
        Error::Conflict(format!(
            "第 {row} 行已不符合规则：{}。没有导入任何数据，请重新上传预览",
            why.join("；")
        ))
    };
    let mut investors = Vec::new();
    let mut leads = Vec::new();
    for r in rows {
        match read_row(kind, map, headers, (r.row, &r.cells), today) {
            Ok(Read::Investor(f)) => investors.push((r.row, f, r.duplicate)),
            Ok(Read::Lead(f)) => leads.push(f),
            Err(problems) => return Err(no_longer(r.row, problems)),
        }
    }
    Ok(match kind {
        ImportKind::Investors => Part::Investors(investors),
        ImportKind::Leads => Part::Leads(leads),
    })
}

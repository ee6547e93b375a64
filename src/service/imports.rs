//! Excel import: preview, then one transaction.
//!
//! A file is read and every row checked by the ordinary rules before anything is written; the
//! preview is kept (valid rows as typed, rejected rows with their reasons) and imported only
//! when its owner confirms. Rejected rows come back as a sheet with the reason beside each.

use super::App;
use crate::domain::ids::ImportId;
use crate::domain::import::{
    ColumnMap, IgnoredRow, ImportKind, investor_input, lead_input, locate_table, map_headers,
};
use crate::domain::user::{Actor, Role};
use crate::domain::validation::Invalid;
use crate::domain::validation::is_stray_control;
use crate::error::{Error, Result};
use crate::sheet::{self, Cell};
use crate::store::imports::{self, ImportRecord, NewImport};
use crate::store::{audit, now_text};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;

pub fn import_not_found() -> Error {
    Error::NotFound("导入记录不存在".into())
}

/// A row the rules refused, with the cells as they were and why.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RejectedRow {
    pub row: usize,
    pub cells: Vec<String>,
    pub reasons: Vec<String>,
}

/// A row that passed the checks, kept as its cells were (the preview's record of the file, and
/// the import's); checked again from them when the import is confirmed.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ValidRow {
    row: usize,
    cells: Vec<String>,
}

/// What the preview shows, and the import's state.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportView {
    pub id: ImportId,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub file_name: String,
    pub headers: Vec<String>,
    /// Every column of the file's header, with the field it fills (none: ignored).
    pub columns: Vec<ImportColumn>,
    /// The rows left out of the table: titles above it, blank rows, footer notes below it.
    pub ignored_rows: Vec<IgnoredRow>,
    pub rows_valid: i64,
    pub rows_rejected: i64,
    /// Up to 200 rejected rows (the rejected-rows sheet has up to `KEPT_REJECTED`).
    pub rejected: Vec<RejectedRow>,
    pub imported: bool,
    pub imported_at: Option<String>,
    pub first_id: Option<i64>,
    pub last_id: Option<i64>,
}

/// A column of the file and the field it fills, if any.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportColumn {
    pub header: String,
    pub field: Option<&'static str>,
    /// The field's usual column name (客商名称, 投资额 …), none when ignored.
    pub field_label: Option<&'static str>,
}

const SHOWN_REJECTED: usize = 200;
/// Rejected rows kept for the rejected-rows sheet: a file of a hundred thousand bad rows is
/// fixed at its source, not row by row, and its rows must not fill the database.
const KEPT_REJECTED: usize = 10_000;

fn view(r: &ImportRecord) -> Result<ImportView> {
    let kind = ImportKind::parse(&r.kind)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("unknown import kind {}", r.kind)))?;
    let headers: Vec<String> =
        serde_json::from_str(&r.headers_json).map_err(|e| Error::Internal(e.into()))?;
    let mut rejected: Vec<RejectedRow> =
        serde_json::from_str(&r.rejected_json).map_err(|e| Error::Internal(e.into()))?;
    rejected.truncate(SHOWN_REJECTED);
    let ignored_rows: Vec<IgnoredRow> =
        serde_json::from_str(&r.ignored_json).map_err(|e| Error::Internal(e.into()))?;
    let map = map_headers(kind, &headers).ok();
    let columns = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.trim().is_empty())
        .map(|(i, h)| {
            let field = map
                .as_ref()
                .and_then(|m| m.found.iter().find(|(_, c, _)| *c == i).map(|(f, _, _)| *f));
            ImportColumn {
                header: h.trim().to_string(),
                field,
                field_label: field.map(|f| crate::domain::import::column_label(kind, f)),
            }
        })
        .collect();
    Ok(ImportView {
        columns,
        ignored_rows,
        id: r.id,
        kind: kind.key(),
        kind_label: kind.label(),
        file_name: r.file_name.clone(),
        headers,
        rows_valid: r.rows_valid,
        rows_rejected: r.rows_rejected,
        rejected,
        imported: r.status == "imported",
        imported_at: r.imported_at.clone(),
        first_id: r.first_id,
        last_id: r.last_id,
    })
}

/// Tracks what a file adds, so that two rows of one file, or a row and the 客商库, are not the
/// same company.
struct InvestorKeys {
    codes: HashMap<String, Option<usize>>,
    names: HashMap<String, Option<usize>>,
}

impl InvestorKeys {
    fn of_library(live: Vec<(Option<String>, String)>) -> InvestorKeys {
        let mut codes = HashMap::new();
        let mut names = HashMap::new();
        for (code, key) in live {
            if let Some(c) = code {
                codes.insert(c, None);
            }
            names.insert(key, None);
        }
        InvestorKeys { codes, names }
    }

    /// Why `fields` cannot be added (and otherwise records it as added by `row`).
    fn admit(&mut self, row: usize, f: &crate::domain::investor::InvestorFields) -> Vec<String> {
        let mut reasons = Vec::new();
        if let Some(code) = &f.credit_code {
            match self.codes.get(code.as_str()) {
                Some(None) => reasons.push(format!("统一社会信用代码 {code} 已在客商库中")),
                Some(Some(other)) => reasons.push(format!("与第 {other} 行的统一社会信用代码相同")),
                None => {}
            }
        }
        match self.names.get(&f.name_key) {
            Some(None) => reasons
                .push("客商库中已有名称相近的客商，可能是同一家企业，请核对后单独录入".into()),
            Some(Some(other)) => {
                reasons.push(format!("与第 {other} 行的名称相近，可能是同一家企业"))
            }
            None => {}
        }
        if reasons.is_empty() {
            if let Some(code) = &f.credit_code {
                self.codes.insert(code.as_str().to_string(), Some(row));
            }
            self.names.insert(f.name_key.clone(), Some(row));
        }
        reasons
    }
}

fn messages(e: &Invalid) -> Vec<String> {
    e.0.iter().map(|f| f.message.clone()).collect()
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

/// What a file held, checked: the valid rows (as JSON, kept until imported) and the rest.
struct Checked {
    headers: Vec<String>,
    ignored: Vec<IgnoredRow>,
    valid_json: String,
    rows_valid: usize,
    rejected: Vec<RejectedRow>,
}

/// Reads a file and checks every row (investors also against `library`, the live 客商库 keys,
/// and against the rows above them).
fn check_file(
    kind: ImportKind,
    bytes: &[u8],
    (max_bytes, max_rows): (usize, usize),
    library: Option<Vec<(Option<String>, String)>>,
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
    // Control characters (NUL and the like) are shown as � and the row refused, so every row
    // can be kept, shown and downloaded again whatever the database.
    let body: Vec<(usize, Vec<String>, Option<String>)> = table
        .body
        .into_iter()
        .map(|(row, mut cells)| {
            let dirty = scrub_controls(&mut cells);
            (row, cells, dirty)
        })
        .collect();
    scrub_controls(&mut headers);
    let mut rejected = Vec::new();
    let mut refuse = |row, cells, reasons| {
        rejected.push(RejectedRow {
            row,
            cells,
            reasons,
        })
    };
    let (valid_json, rows_valid) = match kind {
        ImportKind::Investors => {
            let parsed = on_all_cores(body, |(row, cells, dirty)| {
                let fields = investor_input(&map, &cells).parse();
                (row, cells, dirty, fields)
            });
            let mut keys = InvestorKeys::of_library(library.unwrap_or_default());
            let mut valid = Vec::with_capacity(parsed.len());
            for (row, cells, dirty, fields) in parsed {
                let reasons = match (dirty, fields) {
                    (Some(why), Ok(_)) => vec![why],
                    (None, Ok(f)) => keys.admit(row, &f),
                    (dirty, Err(e)) => dirty.into_iter().chain(messages(&e)).collect(),
                };
                if reasons.is_empty() {
                    valid.push(ValidRow { row, cells });
                } else {
                    refuse(row, cells, reasons);
                }
            }
            (to_json(&valid)?, valid.len())
        }
        ImportKind::Leads => {
            let parsed = on_all_cores(body, |(row, cells, dirty)| {
                let reasons = dirty
                    .into_iter()
                    .chain(lead_problems(&map, &cells).err().unwrap_or_default())
                    .collect::<Vec<_>>();
                (row, cells, reasons)
            });
            let mut valid = Vec::with_capacity(parsed.len());
            for (row, cells, reasons) in parsed {
                if reasons.is_empty() {
                    valid.push(ValidRow { row, cells });
                } else {
                    refuse(row, cells, reasons);
                }
            }
            (to_json(&valid)?, valid.len())
        }
    };
    Ok(Checked {
        headers,
        ignored,
        valid_json,
        rows_valid,
        rejected,
    })
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
            columns.push(format!("第 {} 列", i + 1));
        }
    }
    (!columns.is_empty()).then(|| {
        format!(
            "{}含有不可见的控制字符（已显示为 �），请在表格中删除后再导入",
            columns.join("、")
        )
    })
}

/// A lead row read and checked: the lead, or every problem it has.
fn lead_problems(
    map: &ColumnMap,
    cells: &[String],
) -> std::result::Result<crate::domain::lead::LeadFields, Vec<String>> {
    let (input, amount_problem) = lead_input(map, cells);
    let mut reasons: Vec<String> = amount_problem.into_iter().collect();
    match input.parse() {
        Ok(fields) if reasons.is_empty() => Ok(fields),
        Ok(_) => Err(reasons),
        Err(e) => {
            reasons.extend(messages(&e));
            Err(reasons)
        }
    }
}

/// Rows checked per task when an import is confirmed.
const CONFIRM_PART: usize = 10_000;

/// Stored rows of an import, read and checked again into what is written.
enum Part {
    Investors(Vec<(usize, crate::domain::investor::InvestorFields)>),
    Leads(Vec<crate::domain::lead::LeadFields>),
}

impl Part {
    fn len(&self) -> usize {
        match self {
            Part::Investors(rows) => rows.len(),
            Part::Leads(rows) => rows.len(),
        }
    }
}

/// Reads the stored rows back and checks them a part at a time (in file order), handing each
/// part on as soon as it is ready; stops early if the receiver has gone.
fn check_in_parts(
    kind: ImportKind,
    headers_json: &str,
    payload: &str,
    parts: &tokio::sync::mpsc::Sender<Result<Part>>,
) {
    // A preview kept in another form (before an upgrade) is not guessed at.
    let stale = || Error::Conflict("这份预览已失效，请重新上传文件".into());
    let read = || -> Result<(ColumnMap, Vec<ValidRow>)> {
        let headers: Vec<String> = serde_json::from_str(headers_json).map_err(|_| stale())?;
        let rows: Vec<ValidRow> = serde_json::from_str(payload).map_err(|_| stale())?;
        Ok((map_headers(kind, &headers).map_err(|_| stale())?, rows))
    };
    let (map, rows) = match read() {
        Ok(read) => read,
        Err(e) => {
            let _ = parts.blocking_send(Err(e));
            return;
        }
    };
    let mut rows = rows.into_iter();
    loop {
        let part: Vec<ValidRow> = rows.by_ref().take(CONFIRM_PART).collect();
        if part.is_empty() {
            return;
        }
        let checked = check_part(kind, &map, part);
        let failed = checked.is_err();
        if parts.blocking_send(checked).is_err() || failed {
            return;
        }
    }
}

fn check_part(kind: ImportKind, map: &ColumnMap, rows: Vec<ValidRow>) -> Result<Part> {
    // The rules may have changed since the preview (a new release, another configuration).
    let no_longer = |row: usize, why: &str| {
        Error::Conflict(format!(
            "第 {row} 行已不符合规则：{why}。没有导入任何数据，请重新上传预览"
        ))
    };
    Ok(match kind {
        ImportKind::Investors => Part::Investors(
            rows.into_iter()
                .map(|r| {
                    investor_input(map, &r.cells)
                        .parse()
                        .map(|f| (r.row, f))
                        .map_err(|e| no_longer(r.row, &messages(&e).join("；")))
                })
                .collect::<Result<_>>()?,
        ),
        ImportKind::Leads => Part::Leads(
            rows.into_iter()
                .map(|r| {
                    lead_problems(map, &r.cells).map_err(|why| no_longer(r.row, &why.join("；")))
                })
                .collect::<Result<_>>()?,
        ),
    })
}

impl App {
    async fn import_role(&self, actor: &Actor) -> Result<()> {
        self.role_allows(actor, Role::does_casework, "import", "导入数据")
            .await
    }

    /// Refuses (and records) an account that may not import.
    pub async fn may_import(&self, actor: &Actor) -> Result<()> {
        self.import_role(actor).await
    }

    /// Reads and checks a file; nothing is imported yet.
    pub async fn preview_import(
        &self,
        actor: &Actor,
        kind: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<ImportView> {
        self.import_role(actor).await?;
        let kind = ImportKind::parse(kind.trim())
            .ok_or_else(|| Invalid::single("kind", "请选择导入的内容：客商名单或招商线索台账"))?;
        if bytes.is_empty() {
            return Err(file_problem("请选择要上传的 .xlsx 文件".into()));
        }
        let library = match kind {
            ImportKind::Investors => {
                let mut conn = self.db.pool.acquire().await?;
                Some(imports::live_investor_keys(&mut conn).await?)
            }
            ImportKind::Leads => None,
        };
        let limits = (self.config.import_max_bytes, self.config.import_max_rows);
        let bytes = bytes.to_vec();
        // A large file is seconds of work for the processor: kept off the request workers.
        let checked =
            tokio::task::spawn_blocking(move || check_file(kind, &bytes, limits, library))
                .await
                .map_err(|e| Error::Internal(e.into()))??;
        let record = NewImport {
            kind: kind.key(),
            file_name: file_name.trim(),
            unit_id: actor.unit_id,
            created_by: actor.id,
            headers_json: &to_json(&checked.headers)?,
            ignored_json: &to_json(&checked.ignored)?,
            valid_json: &checked.valid_json,
            rejected_json: &to_json(
                &checked.rejected[..checked.rejected.len().min(KEPT_REJECTED)],
            )?,
            rows_valid: checked.rows_valid as i64,
            rows_rejected: checked.rejected.len() as i64,
        };
        let mut tx = self.db.write().await?;
        let id = imports::insert(&mut tx, &record, &now_text()).await?;
        let saved = imports::by_id(&mut tx, id)
            .await?
            .ok_or_else(import_not_found)?;
        tx.commit().await?;
        view(&saved)
    }

    /// An import of the caller's own (others' answer "not found").
    async fn own_import(&self, actor: &Actor, id: ImportId) -> Result<ImportRecord> {
        self.import_role(actor).await?;
        let mut conn = self.db.pool.acquire().await?;
        match imports::by_id(&mut conn, id).await? {
            Some(r) if r.created_by == actor.id => Ok(r),
            _ => Err(import_not_found()),
        }
    }

    pub async fn get_import(&self, actor: &Actor, id: ImportId) -> Result<ImportView> {
        view(&self.own_import(actor, id).await?)
    }

    /// Writes every valid row of a previewed file in one transaction, or none.
    pub async fn confirm_import(&self, actor: &Actor, id: ImportId) -> Result<ImportView> {
        let record = self.own_import(actor, id).await?;
        let kind = ImportKind::parse(&record.kind)
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("unknown import kind")))?;
        let already = || Error::Conflict("这份文件已经导入过了".into());
        if record.status == "imported" {
            return Err(already());
        }
        // The stored rows never change after the preview. They are loaded first (a confirm
        // never holds two connections), then read back and checked again in parts off the
        // request workers; each part is written as soon as it is ready, while the later ones
        // are still being checked.
        let payload = {
            let mut conn = self.db.pool.acquire().await?;
            imports::valid_rows(&mut conn, id).await?
        };
        let headers = record.headers_json.clone();
        let (sender, mut parts) = tokio::sync::mpsc::channel(2);
        let checking =
            tokio::task::spawn_blocking(move || check_in_parts(kind, &headers, &payload, &sender));
        let now = now_text();
        let mut tx = self.db.write().await?;
        if !imports::claim(&mut tx, id, &now).await? {
            return Err(already());
        }
        imports::begin_bulk(&mut tx, self.db.backend).await?;
        // The library may have changed since the preview: every row is checked against it
        // again, in this transaction, and nothing is imported if one now collides.
        let mut keys = match kind {
            ImportKind::Investors => {
                InvestorKeys::of_library(imports::live_investor_keys(&mut tx).await?)
            }
            ImportKind::Leads => InvestorKeys::of_library(Vec::new()),
        };
        let joined = |e: tokio::task::JoinError| Error::Internal(e.into());
        let ids = imports::reserve_ids(
            &mut tx,
            self.db.backend,
            kind,
            record.rows_valid.max(0) as usize,
        )
        .await?;
        let mut written = 0;
        while let Some(part) = parts.recv().await {
            let next = written + part.as_ref().map_or(0, Part::len);
            let part_ids = ids.get(written..next).ok_or_else(|| {
                Error::Internal(anyhow::anyhow!(
                    "import {id}: more rows than were previewed"
                ))
            })?;
            match part? {
                Part::Investors(rows) => {
                    for (row, f) in &rows {
                        if let Some(why) = keys.admit(*row, f).first() {
                            return Err(Error::Conflict(format!(
                                "预览之后客商库有了变化：第 {row} 行{why}。没有导入任何数据，请重新上传预览"
                            )));
                        }
                    }
                    let fields: Vec<_> = rows.into_iter().map(|(_, f)| f).collect();
                    imports::insert_investors(
                        &mut tx,
                        self.db.backend,
                        &fields,
                        part_ids,
                        record.unit_id,
                        actor.id,
                        &now,
                    )
                    .await?
                }
                Part::Leads(fields) => {
                    imports::insert_leads(
                        &mut tx,
                        self.db.backend,
                        &fields,
                        part_ids,
                        record.unit_id,
                        actor.id,
                        &now,
                    )
                    .await?
                }
            };
            written = next;
        }
        // A panic while checking ends the parts early: that must not pass for a complete import.
        checking.await.map_err(joined)?;
        if written != ids.len() {
            return Err(Error::Internal(anyhow::anyhow!(
                "import {id}: {written} of {} rows written",
                ids.len()
            )));
        }
        if let (Some(first), Some(last)) = (ids.first(), ids.last()) {
            imports::record_ids(&mut tx, id, *first, *last).await?;
        }
        // One entry for the whole import: the import record keeps every row as it was typed.
        audit::append(
            &mut tx,
            Some(actor),
            audit::Entry {
                action: "import",
                entity: match kind {
                    ImportKind::Investors => "investor",
                    ImportKind::Leads => "lead",
                },
                entity_id: None,
                before: None,
                after: Some(json!({
                    "import_id": id,
                    "file_name": record.file_name,
                    "rows": ids.len(),
                    "first_id": ids.first(),
                    "last_id": ids.last(),
                })),
            },
            &now,
        )
        .await?;
        let done = imports::by_id(&mut tx, id)
            .await?
            .ok_or_else(import_not_found)?;
        tx.commit().await?;
        view(&done)
    }

    /// The rejected rows as a sheet: the row number, the cells as they were, and why.
    pub async fn rejected_sheet(&self, actor: &Actor, id: ImportId) -> Result<Vec<u8>> {
        let record = self.own_import(actor, id).await?;
        let headers: Vec<String> =
            serde_json::from_str(&record.headers_json).map_err(|e| Error::Internal(e.into()))?;
        let rejected: Vec<RejectedRow> =
            serde_json::from_str(&record.rejected_json).map_err(|e| Error::Internal(e.into()))?;
        let mut titles: Vec<&str> = vec!["原行号"];
        titles.extend(headers.iter().map(String::as_str));
        titles.push("问题");
        let count = rejected.len();
        let rows = rejected.into_iter().map(|r| {
            let mut cells = vec![Cell::Number(r.row as f64)];
            let mut values = r.cells;
            values.resize(headers.len(), String::new());
            cells.extend(values.into_iter().map(Cell::from));
            cells.push(Cell::from(r.reasons.join("；")));
            cells
        });
        let book = sheet::write_sheet("未导入的行", &titles, rows)?;
        self.record_export(
            actor,
            "download",
            "import",
            Some(id.to_string()),
            serde_json::json!({ "part": "rejected_rows" }),
            count,
        )
        .await?;
        Ok(book)
    }
}

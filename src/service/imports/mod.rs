//! Excel import: preview, then one transaction.
//!
//! A file is read and every row checked by the ordinary rules before anything is written; the
//! preview is kept (valid rows as typed, rejected rows with their reasons) and imported only
//! when its owner confirms. Rejected rows come back as a sheet with the reason beside each.

mod check;

use super::App;
use crate::domain::ids::ImportId;
use crate::domain::import::{IgnoredRow, ImportKind, PreviewRow, RowStatus, map_headers};
use crate::domain::user::{Actor, Role};
use crate::domain::validation::Invalid;
use crate::error::{Error, Result};
use crate::sheet::{self, Cell};
use crate::store::imports::{self, ImportRecord, NewImport};
use crate::store::{audit, now_text};
pub use check::RejectedRow;
use check::{KEPT_REJECTED, Keys, Library, Part, StoredRow, check_file, check_in_parts};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashSet;

pub fn import_not_found() -> Error {
    Error::NotFound("导入记录不存在".into())
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
    /// Rows that pass the rules but may repeat a record: imported only when confirmed.
    pub rows_duplicate: i64,
    pub rows_rejected: i64,
    /// Rows written by the import (none before it).
    pub rows_imported: Option<i64>,
    /// One page of the file's rows in sheet order (of `status` only, when asked), each with
    /// its values as read, status and problems.
    pub rows: Vec<PreviewRow>,
    /// The status the rows were filtered by, if any.
    pub rows_status: Option<RowStatus>,
    /// Rows of that status (all rows kept when none), page and pages.
    pub rows_total: i64,
    pub page: i64,
    pub per_page: i64,
    pub pages: i64,
    /// Up to 200 rejected rows with their cells (the rejected-rows sheet has up to 10,000).
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

/// Which rows of a preview to show.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct RowsQuery {
    /// valid, duplicate or error; all rows when absent.
    pub status: Option<String>,
    /// 1-based; past the last page, the last page.
    pub page: Option<i64>,
    /// At most 1,000 (the default).
    pub per_page: Option<i64>,
}

/// What the user chose to do with the probable duplicates when confirming.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ConfirmChoice {
    /// Import every probable duplicate too.
    pub confirm_duplicates: bool,
    /// Or only these rows (sheet row numbers) among them.
    pub duplicate_rows: Vec<usize>,
}

pub const MAX_ROWS_PER_PAGE: i64 = 1_000;
const SHOWN_REJECTED: usize = 200;

/// A preview page's rows, as asked, with their count.
struct RowsPage {
    status: Option<RowStatus>,
    rows: Vec<PreviewRow>,
    total: i64,
    page: i64,
    per_page: i64,
}

fn view(r: &ImportRecord, rows: RowsPage) -> Result<ImportView> {
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
        rows_duplicate: r.rows_duplicate,
        rows_rejected: r.rows_rejected,
        rows_imported: r.rows_imported,
        rows_status: rows.status,
        pages: (rows.total.max(1) + rows.per_page - 1) / rows.per_page,
        rows: rows.rows,
        rows_total: rows.total,
        page: rows.page,
        per_page: rows.per_page,
        rejected,
        imported: r.status == "imported",
        imported_at: r.imported_at.clone(),
        first_id: r.first_id,
        last_id: r.last_id,
    })
}

fn file_problem(why: String) -> Error {
    Error::Invalid(Invalid::single("file", why))
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(e.into()))
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
        let library = {
            let mut conn = self.db.pool.acquire().await?;
            match kind {
                ImportKind::Investors => {
                    Library::Investors(imports::live_investor_keys(&mut conn).await?)
                }
                ImportKind::Leads => {
                    Library::Leads(imports::lead_keys(&mut conn, &actor.unit_path).await?)
                }
            }
        };
        let limits = (self.config.import_max_bytes, self.config.import_max_rows);
        let bytes = bytes.to_vec();
        // A large file is seconds of work for the processor: kept off the request workers.
        let today = self.today();
        let checked =
            tokio::task::spawn_blocking(move || check_file(kind, &bytes, limits, library, today))
                .await
                .map_err(|e| Error::Internal(e.into()))??;
        let record = NewImport {
            kind: kind.key(),
            file_name: file_name.trim(),
            unit_id: actor.unit_id,
            created_by: actor.id,
            headers_json: &to_json(&checked.headers)?,
            ignored_json: &to_json(&checked.ignored)?,
            valid_json: &checked.payload_json,
            rejected_json: &to_json(&checked.rejected)?,
            rows_valid: checked.rows_valid as i64,
            rows_duplicate: checked.rows_duplicate as i64,
            rows_rejected: checked.rows_rejected as i64,
        };
        let rows: Vec<imports::NewRow<'_>> = checked
            .rows
            .iter()
            .map(|r| imports::NewRow {
                row: r.row as i64,
                status: r.status.key(),
                values_json: &r.values_json,
                problems_json: &r.problems_json,
            })
            .collect();
        let mut tx = self.db.write().await?;
        let id = imports::insert(&mut tx, &record, &now_text()).await?;
        imports::insert_preview_rows(&mut tx, self.db.backend, id, &rows).await?;
        tx.commit().await?;
        drop(rows);
        drop(checked);
        self.get_import(actor, id, &RowsQuery::default()).await
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

    /// An import with one page of its rows.
    pub async fn get_import(
        &self,
        actor: &Actor,
        id: ImportId,
        q: &RowsQuery,
    ) -> Result<ImportView> {
        let record = self.own_import(actor, id).await?;
        let status = match q.status.as_deref().map(str::trim) {
            None | Some("") | Some("all") => None,
            Some(key) => Some(RowStatus::parse(key).ok_or_else(|| {
                Invalid::single("status", "行的状态只能是 valid、duplicate 或 error")
            })?),
        };
        let per_page = match q.per_page {
            None => MAX_ROWS_PER_PAGE,
            Some(n) if (1..=MAX_ROWS_PER_PAGE).contains(&n) => n,
            Some(_) => {
                return Err(Invalid::single(
                    "per_page",
                    format!("每页行数须在 1 到 {MAX_ROWS_PER_PAGE} 之间"),
                )
                .into());
            }
        };
        let total = match status {
            None => record.rows_valid + record.rows_duplicate + record.rows_rejected,
            Some(RowStatus::Valid) => record.rows_valid,
            Some(RowStatus::Duplicate) => record.rows_duplicate,
            Some(RowStatus::Error) => record.rows_rejected,
        };
        // Error rows past those kept are counted but not listed.
        let kept = total.min(match status {
            Some(RowStatus::Error) => KEPT_REJECTED as i64,
            None => total - (record.rows_rejected - KEPT_REJECTED as i64).max(0),
            _ => total,
        });
        let last_page = (kept.max(1) + per_page - 1) / per_page;
        let page = q.page.unwrap_or(1).clamp(1, last_page);
        let mut conn = self.db.pool.acquire().await?;
        let rows = imports::preview_rows(
            &mut conn,
            id,
            status.map(RowStatus::key),
            per_page,
            (page - 1) * per_page,
        )
        .await?
        .into_iter()
        .map(|(row, status, values, problems)| StoredRow::shown(row, &status, &values, &problems))
        .collect::<Result<Vec<_>>>()?;
        drop(conn);
        view(
            &record,
            RowsPage {
                status,
                rows,
                total: kept,
                page,
                per_page,
            },
        )
    }

    /// Writes every valid row of a previewed file — and the probable duplicates the user
    /// confirmed — in one transaction, or none.
    pub async fn confirm_import(
        &self,
        actor: &Actor,
        id: ImportId,
        choice: &ConfirmChoice,
    ) -> Result<ImportView> {
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
        let (payload, duplicates) = {
            let mut conn = self.db.pool.acquire().await?;
            (
                imports::valid_rows(&mut conn, id).await?,
                imports::duplicate_rows(&mut conn, id).await?,
            )
        };
        let chosen: HashSet<usize> = if choice.confirm_duplicates {
            duplicates.iter().copied().collect()
        } else {
            let duplicates: HashSet<usize> = duplicates.iter().copied().collect();
            if let Some(row) = choice
                .duplicate_rows
                .iter()
                .find(|r| !duplicates.contains(r))
            {
                return Err(Invalid::single(
                    "duplicate_rows",
                    format!("第 {row} 行不是这份文件中疑似重复的行"),
                )
                .into());
            }
            choice.duplicate_rows.iter().copied().collect()
        };
        let count = record.rows_valid.max(0) as usize + chosen.len();
        let headers = record.headers_json.clone();
        let (sender, mut parts) = tokio::sync::mpsc::channel(2);
        let checking = {
            let (chosen, today) = (chosen.clone(), self.today());
            tokio::task::spawn_blocking(move || {
                check_in_parts(kind, &headers, &payload, &chosen, today, &sender)
            })
        };
        let now = now_text();
        let today = self.today();
        let mut tx = self.db.write().await?;
        if !imports::claim(&mut tx, id, &now).await? {
            return Err(already());
        }
        imports::begin_bulk(&mut tx, self.db.backend).await?;
        // The 客商库 may have changed since the preview: every investor row is checked against
        // it again, in this transaction, and nothing is imported if one now collides (or a row
        // not confirmed as a probable duplicate now is one). A repeated lead is only a doubt,
        // shown in the preview; it is not looked for again.
        let mut keys = match kind {
            ImportKind::Investors => Keys::of(Library::Investors(
                imports::live_investor_keys(&mut tx).await?,
            )),
            ImportKind::Leads => Keys::of(Library::Leads(Vec::new())),
        };
        let joined = |e: tokio::task::JoinError| Error::Internal(e.into());
        let ids = imports::reserve_ids(&mut tx, self.db.backend, kind, count).await?;
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
                    for (row, f, confirmed) in &rows {
                        let a = keys.admit_investor(*row, f);
                        let why =
                            a.errors
                                .first()
                                .or(if *confirmed { None } else { a.doubts.first() });
                        if let Some((_, why)) = why {
                            return Err(Error::Conflict(format!(
                                "预览之后客商库有了变化：第 {row} 行{why}。没有导入任何数据，请重新上传预览"
                            )));
                        }
                    }
                    let fields: Vec<_> = rows.into_iter().map(|(_, f, _)| f).collect();
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
                Part::Leads(mut fields) => {
                    // A row without a date was learned of the day it is imported.
                    for f in &mut fields {
                        f.received_on.get_or_insert(today);
                    }
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
        imports::record_written(&mut tx, id, &ids).await?;
        // One entry for the whole import: the import record keeps every row as it was typed.
        let mut duplicates_written: Vec<usize> = chosen.into_iter().collect();
        duplicates_written.sort_unstable();
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
                    "duplicate_rows": duplicates_written,
                })),
            },
            &now,
        )
        .await?;
        tx.commit().await?;
        self.get_import(actor, id, &RowsQuery::default()).await
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

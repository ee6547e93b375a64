//! Excel import (preview, then one transaction) and export of lists.
//!
//! A file is read and every row checked by the ordinary rules before anything is written; the
//! preview is kept (valid rows as typed, rejected rows with their reasons) and imported only
//! when its owner confirms. Rejected rows come back as a sheet with the reason beside each.

use super::App;
use crate::domain::import::{ImportKind, investor_input, lead_input, map_headers};
use crate::domain::investor::InvestorInput;
use crate::domain::lead::LeadInput;
use crate::domain::user::{Actor, Role};
use crate::domain::validation::Invalid;
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
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RejectedRow {
    pub row: usize,
    pub cells: Vec<String>,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ValidRow<T> {
    row: usize,
    input: T,
}

/// What the preview shows, and the import's state.
#[derive(Debug, Clone, Serialize)]
pub struct ImportView {
    pub id: i64,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub file_name: String,
    pub headers: Vec<String>,
    pub rows_valid: i64,
    pub rows_rejected: i64,
    /// Up to 200 rejected rows (the sheet has them all).
    pub rejected: Vec<RejectedRow>,
    pub imported: bool,
    pub imported_at: Option<String>,
    pub first_id: Option<i64>,
    pub last_id: Option<i64>,
}

const SHOWN_REJECTED: usize = 200;

fn view(r: &ImportRecord) -> Result<ImportView> {
    let kind = ImportKind::parse(&r.kind)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("unknown import kind {}", r.kind)))?;
    let headers: Vec<String> =
        serde_json::from_str(&r.headers_json).map_err(|e| Error::Internal(e.into()))?;
    let mut rejected: Vec<RejectedRow> =
        serde_json::from_str(&r.rejected_json).map_err(|e| Error::Internal(e.into()))?;
    rejected.truncate(SHOWN_REJECTED);
    Ok(ImportView {
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
        let file = |why: String| Error::Invalid(Invalid::single("file", why));
        if bytes.is_empty() {
            return Err(file("请选择要上传的 .xlsx 文件".into()));
        }
        let mut rows = sheet::read_rows(
            bytes,
            self.config.import_max_bytes,
            self.config.import_max_rows,
        )
        .map_err(|e| file(e.message()))?
        .into_iter();
        let (_, headers) = rows
            .next()
            .ok_or_else(|| file(sheet::SheetError::Empty.message()))?;
        let map = map_headers(kind, &headers).map_err(file)?;
        let mut rejected = Vec::new();
        let (valid_json, rows_valid) = match kind {
            ImportKind::Investors => {
                let mut conn = self.db.pool.acquire().await?;
                let mut keys =
                    InvestorKeys::of_library(imports::live_investor_keys(&mut conn).await?);
                drop(conn);
                let mut valid = Vec::new();
                for (row, cells) in rows {
                    let input = investor_input(&map, &cells);
                    let reasons = match input.parse() {
                        Ok(fields) => keys.admit(row, &fields),
                        Err(e) => messages(&e),
                    };
                    if reasons.is_empty() {
                        valid.push(ValidRow { row, input });
                    } else {
                        rejected.push(RejectedRow {
                            row,
                            cells,
                            reasons,
                        });
                    }
                }
                let json = serde_json::to_string(&valid).map_err(|e| Error::Internal(e.into()))?;
                (json, valid.len() as i64)
            }
            ImportKind::Leads => {
                let mut valid = Vec::new();
                for (row, cells) in rows {
                    let (input, amount_problem) = lead_input(&map, &cells);
                    let mut reasons: Vec<String> = amount_problem.into_iter().collect();
                    if let Err(e) = input.parse() {
                        reasons.extend(messages(&e));
                    }
                    if reasons.is_empty() {
                        valid.push(ValidRow { row, input });
                    } else {
                        rejected.push(RejectedRow {
                            row,
                            cells,
                            reasons,
                        });
                    }
                }
                let json = serde_json::to_string(&valid).map_err(|e| Error::Internal(e.into()))?;
                (json, valid.len() as i64)
            }
        };
        let record = NewImport {
            kind: kind.key(),
            file_name: file_name.trim(),
            unit_id: actor.unit_id,
            created_by: actor.id,
            headers_json: &serde_json::to_string(&headers)
                .map_err(|e| Error::Internal(e.into()))?,
            valid_json: &valid_json,
            rejected_json: &serde_json::to_string(&rejected)
                .map_err(|e| Error::Internal(e.into()))?,
            rows_valid,
            rows_rejected: rejected.len() as i64,
        };
        let mut tx = self.db.pool.begin().await?;
        let id = imports::insert(&mut tx, &record, &now_text()).await?;
        let saved = imports::by_id(&mut tx, id)
            .await?
            .ok_or_else(import_not_found)?;
        tx.commit().await?;
        view(&saved)
    }

    /// An import of the caller's own (others' answer "not found"); `with_rows` loads the
    /// valid rows too.
    async fn own_import(&self, actor: &Actor, id: i64, with_rows: bool) -> Result<ImportRecord> {
        self.import_role(actor).await?;
        let mut conn = self.db.pool.acquire().await?;
        let found = if with_rows {
            imports::by_id(&mut conn, id).await?
        } else {
            imports::summary(&mut conn, id).await?
        };
        match found {
            Some(r) if r.created_by == actor.id => Ok(r),
            _ => Err(import_not_found()),
        }
    }

    pub async fn get_import(&self, actor: &Actor, id: i64) -> Result<ImportView> {
        view(&self.own_import(actor, id, false).await?)
    }

    /// Writes every valid row of a previewed file in one transaction, or none.
    pub async fn confirm_import(&self, actor: &Actor, id: i64) -> Result<ImportView> {
        let record = self.own_import(actor, id, true).await?;
        let kind = ImportKind::parse(&record.kind)
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("unknown import kind")))?;
        let now = now_text();
        let mut tx = self.db.pool.begin().await?;
        if !imports::claim(&mut tx, id, &now).await? {
            return Err(Error::Conflict("这份文件已经导入过了".into()));
        }
        let internal = |e: serde_json::Error| Error::Internal(e.into());
        let ids = match kind {
            ImportKind::Investors => {
                let rows: Vec<ValidRow<InvestorInput>> =
                    serde_json::from_str(&record.valid_json).map_err(internal)?;
                // The library may have changed since the preview: check again, in this
                // transaction, and import nothing if a row now collides.
                let mut keys =
                    InvestorKeys::of_library(imports::live_investor_keys(&mut tx).await?);
                let mut fields = Vec::with_capacity(rows.len());
                for r in &rows {
                    let f = r.input.parse().map_err(Error::Invalid)?;
                    let reasons = keys.admit(r.row, &f);
                    if let Some(why) = reasons.first() {
                        return Err(Error::Conflict(format!(
                            "预览之后客商库有了变化：第 {} 行{why}。没有导入任何数据，请重新上传预览",
                            r.row
                        )));
                    }
                    fields.push(f);
                }
                imports::insert_investors(
                    &mut tx,
                    self.db.backend,
                    &fields,
                    record.unit_id,
                    actor.id,
                    &now,
                )
                .await?
            }
            ImportKind::Leads => {
                let rows: Vec<ValidRow<LeadInput>> =
                    serde_json::from_str(&record.valid_json).map_err(internal)?;
                let fields = rows
                    .iter()
                    .map(|r| r.input.parse().map_err(Error::Invalid))
                    .collect::<Result<Vec<_>>>()?;
                imports::insert_leads(
                    &mut tx,
                    self.db.backend,
                    &fields,
                    record.unit_id,
                    actor.id,
                    &now,
                )
                .await?
            }
        };
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
    pub async fn rejected_sheet(&self, actor: &Actor, id: i64) -> Result<Vec<u8>> {
        let record = self.own_import(actor, id, false).await?;
        let headers: Vec<String> =
            serde_json::from_str(&record.headers_json).map_err(|e| Error::Internal(e.into()))?;
        let rejected: Vec<RejectedRow> =
            serde_json::from_str(&record.rejected_json).map_err(|e| Error::Internal(e.into()))?;
        let mut titles: Vec<&str> = vec!["原行号"];
        titles.extend(headers.iter().map(String::as_str));
        titles.push("问题");
        let rows = rejected.into_iter().map(|r| {
            let mut cells = vec![Cell::Number(r.row as f64)];
            let mut values = r.cells;
            values.resize(headers.len(), String::new());
            cells.extend(values.into_iter().map(Cell::from));
            cells.push(Cell::from(r.reasons.join("；")));
            cells
        });
        Ok(sheet::write_sheet("未导入的行", &titles, rows)?)
    }
}

/// Text of an optional value for a cell.
fn text(v: &Option<String>) -> Cell {
    Cell::from(v.clone().unwrap_or_default())
}

/// Money in 万 of its currency, as a number cell, and the currency's unit beside it.
fn wan(m: Option<crate::domain::money::Money>) -> (Cell, Cell) {
    match m {
        Some(m) => (
            Cell::Number(m.yuan as f64 / 10_000.0),
            Cell::from(m.currency.wan_label()),
        ),
        None => (Cell::from(""), Cell::from("")),
    }
}

impl App {
    /// The filtered 客商库 as a sheet (same filters and scope as the list).
    pub async fn export_investors(
        &self,
        actor: &Actor,
        params: &super::investors::InvestorParams,
    ) -> Result<Vec<u8>> {
        let page = self.list_all_investors(actor, params).await?;
        let headers = [
            "编号",
            "客商名称",
            "统一社会信用代码",
            "客商类型",
            "国家或地区",
            "来源城市",
            "世界500强",
            "中国500强",
            "上市公司",
            "所属行业",
            "网址",
            "登记单位",
            "备注",
        ];
        let yes = |b: bool| Cell::from(if b { "是" } else { "" });
        let rows = page.items.into_iter().map(|i| {
            vec![
                Cell::Number(i.id.0 as f64),
                Cell::from(i.name),
                text(&i.credit_code),
                Cell::from(i.kind_label),
                Cell::from(i.country),
                text(&i.origin_city),
                yes(i.fortune_global_500),
                yes(i.fortune_china_500),
                yes(i.listed),
                text(&i.industry_code),
                text(&i.website),
                Cell::from(i.unit_name),
                text(&i.notes),
            ]
        });
        Ok(sheet::write_sheet("客商库", &headers, rows)?)
    }

    /// The filtered leads as a sheet.
    pub async fn export_leads(
        &self,
        actor: &Actor,
        params: &super::leads::LeadParams,
    ) -> Result<Vec<u8>> {
        let page = self.list_all_leads(actor, params).await?;
        let headers = [
            "编号",
            "线索内容",
            "投资方",
            "所属行业",
            "预计投资额",
            "单位",
            "信息渠道",
            "信息来源",
            "联系人及联系方式",
            "状态",
            "承办单位",
            "承办人",
            "提交人",
            "备注",
        ];
        let rows = page.items.into_iter().map(|l| {
            let (amount, unit) = wan(l.amount);
            vec![
                Cell::Number(l.id as f64),
                Cell::from(l.title),
                Cell::from(l.investor_name),
                text(&l.industry_code),
                amount,
                unit,
                Cell::from(l.channel.map(|c| c.label()).unwrap_or_default()),
                text(&l.source),
                text(&l.contact),
                Cell::from(l.status_label),
                Cell::from(l.unit_name),
                text(&l.officer_name),
                text(&l.created_by_name),
                text(&l.notes),
            ]
        });
        Ok(sheet::write_sheet("招商线索", &headers, rows)?)
    }

    /// The filtered project list as a sheet, in the list's order.
    pub async fn export_projects(
        &self,
        actor: &Actor,
        params: &super::projects::ListParams,
    ) -> Result<Vec<u8>> {
        let page = self.list_all_projects(actor, params).await?;
        let headers = [
            "编号",
            "项目名称",
            "投资方",
            "所属行业",
            "招商方式",
            "总投资",
            "单位",
            "阶段",
            "合同金额",
            "合同金额单位",
            "责任单位",
            "责任人",
            "包联领导",
            "引荐人",
            "录入日期",
            "签约日期",
            "开工日期",
            "投产日期",
            "最近进展",
        ];
        let date = |d: Option<time::Date>| {
            Cell::from(d.map(crate::domain::dates::iso).unwrap_or_default())
        };
        let rows = page.items.into_iter().map(|p| {
            let (total, unit) = wan(Some(p.total_investment));
            let (contract, contract_unit) = wan(p.contract_amount);
            vec![
                Cell::Number(p.id.0 as f64),
                Cell::from(p.name),
                Cell::from(p.investor_name),
                Cell::from(p.industry_code),
                Cell::from(p.channel.map(|c| c.label()).unwrap_or_default()),
                total,
                unit,
                Cell::from(p.stage.label()),
                contract,
                contract_unit,
                Cell::from(p.unit_name),
                text(&p.officer_name),
                text(&p.leader_name),
                text(&p.referrer),
                date(Some(p.lead_on)),
                date(p.contracted_on),
                date(p.construction_on),
                date(p.production_on),
                date(Some(p.last_progress_on)),
            ]
        });
        Ok(sheet::write_sheet("招商项目", &headers, rows)?)
    }
}

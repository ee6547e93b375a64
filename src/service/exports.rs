//! Lists written as sheets: the same filters and scope as the list on screen, at most
//! `Config::export_max_rows` rows (more is refused with a message saying how to narrow it).

use super::App;
use crate::domain::user::Actor;
use crate::domain::validation::Invalid;
use crate::error::Result;
use crate::sheet::{self, Cell};
use crate::store::{audit, now_text};
use serde_json::json;

/// The filters a list was taken with, as the audit trail keeps them: only those set.
pub(crate) fn filters_of<P: serde::Serialize>(params: &P) -> serde_json::Value {
    match serde_json::to_value(params) {
        Ok(serde_json::Value::Object(all)) => serde_json::Value::Object(
            all.into_iter()
                .filter(|(_, v)| !(v.is_null() || v.as_str().is_some_and(str::is_empty)))
                .collect(),
        ),
        _ => json!({}),
    }
}

/// Refuses an export of more rows than the configured maximum, saying how to narrow it.
pub(crate) fn within_export_limit(what: &str, total: i64, max: i64) -> Result<()> {
    if total > max {
        return Err(Invalid::single(
            "export",
            format!(
                "符合筛选条件的{what}有 {total} 条，超过一次导出的上限 {max} 条：请按单位、阶段或日期缩小范围后分批导出"
            ),
        )
        .into());
    }
    Ok(())
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
    /// Records that `actor` took data out of the system: what (`entity`, and which record when
    /// it is one), with which filters, how many rows. Every export and download ends here.
    pub(crate) async fn record_export(
        &self,
        actor: &Actor,
        action: &'static str,
        entity: &'static str,
        entity_id: Option<String>,
        filters: serde_json::Value,
        rows: usize,
    ) -> Result<()> {
        let mut tx = self.db.write().await?;
        audit::append(
            &mut tx,
            Some(actor),
            audit::Entry {
                action,
                entity,
                entity_id,
                before: None,
                after: Some(json!({ "filters": filters, "rows": rows })),
            },
            &now_text(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The filtered 客商库 as a sheet (same filters and scope as the list).
    pub async fn export_investors(
        &self,
        actor: &Actor,
        params: &super::investors::InvestorParams,
    ) -> Result<Vec<u8>> {
        let page = self.list_all_investors(actor, params).await?;
        within_export_limit("客商", page.total, self.config.export_max_rows)?;
        let count = page.items.len();
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
        let book = sheet::write_sheet("客商库", &headers, rows)?;
        self.record_export(actor, "export", "investor", None, filters_of(params), count)
            .await?;
        Ok(book)
    }

    /// The filtered leads as a sheet.
    pub async fn export_leads(
        &self,
        actor: &Actor,
        params: &super::leads::LeadParams,
    ) -> Result<Vec<u8>> {
        let page = self.list_all_leads(actor, params).await?;
        within_export_limit("线索", page.total, self.config.export_max_rows)?;
        let count = page.items.len();
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
                Cell::Number(l.id.0 as f64),
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
        let book = sheet::write_sheet("招商线索", &headers, rows)?;
        self.record_export(actor, "export", "lead", None, filters_of(params), count)
            .await?;
        Ok(book)
    }

    /// The filtered project list as a sheet, in the list's order.
    pub async fn export_projects(
        &self,
        actor: &Actor,
        params: &super::projects::ListParams,
    ) -> Result<Vec<u8>> {
        let (page, _) = self.list_all_projects(actor, params).await?;
        within_export_limit("项目", page.total, self.config.export_max_rows)?;
        let count = page.items.len();
        let ids: Vec<i64> = page.items.iter().map(|p| p.id.0).collect();
        let mut conn = self.db.pool.acquire().await?;
        // The office's progress notes are its own working record, not an enterprise's reading.
        let mut notes = if actor.role == crate::domain::user::Role::Enterprise {
            Default::default()
        } else {
            crate::store::projects::latest_notes(&mut conn, &ids).await?
        };
        drop(conn);
        let headers = [
            "编号",
            "项目名称",
            "投资方",
            "行业代码",
            "行业名称",
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
            "用地面积（亩）",
            "预计年产值（万元）",
            "预计年税收（万元）",
            "录入日期",
            "签约日期",
            "落地日期",
            "开工日期",
            "投产日期",
            "最近进展日期",
            "最近进展情况",
        ];
        let date = |d: Option<time::Date>| {
            Cell::from(d.map(crate::domain::dates::iso).unwrap_or_default())
        };
        let rows = page.items.into_iter().map(move |p| {
            let (total, unit) = wan(Some(p.total_investment));
            let (contract, contract_unit) = wan(p.contract_amount);
            let industry_name = p.industry().map(|i| i.name()).unwrap_or_default();
            // Output and tax are kept in yuan (CNY); the sheet shows 万元 like every amount.
            let in_wan = |m: Option<crate::domain::money::Money>| match m {
                Some(m) => Cell::Number(m.yuan as f64 / 10_000.0),
                None => Cell::from(""),
            };
            let note = notes.remove(&p.id.0);
            vec![
                Cell::Number(p.id.0 as f64),
                Cell::from(p.name),
                Cell::from(p.investor_name),
                Cell::from(p.industry_code),
                Cell::from(industry_name),
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
                match p.land_area {
                    Some(a) => Cell::from(a.mu_plain()),
                    None => Cell::from(""),
                },
                in_wan(p.expected_output),
                in_wan(p.expected_tax),
                date(Some(p.lead_on)),
                date(p.contracted_on),
                date(p.landed_on),
                date(p.construction_on),
                date(p.production_on),
                date(Some(p.last_progress_on)),
                Cell::from(note.map(|(_, body)| body).unwrap_or_default()),
            ]
        });
        let book = sheet::write_sheet("招商项目", &headers, rows)?;
        self.record_export(actor, "export", "project", None, filters_of(params), count)
            .await?;
        Ok(book)
    }
}

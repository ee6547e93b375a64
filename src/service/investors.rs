//! The 客商库: investors within data scope, duplicates caught on the way in, merges audited.
//!
//! Scope: a record belongs to the unit that keeps it and is read by the business roles whose
//! subtree holds that unit; officers and leaders write it. An enterprise account reads only
//! its own record. Duplicate checks look across the whole tree (two towns must not chase one
//! company as two records), naming the other record and its unit but revealing nothing more.

use super::{App, Page};
use super::{edit, snapshot};
use crate::domain::ids::{InvestorId, UnitId};
use crate::domain::investor::{InvestorFields, InvestorKind, name_key};
use crate::domain::user::{Actor, Role};
use crate::domain::validation::{Invalid, paging};
use crate::error::{Error, Result};
use crate::store::investors::{self, Candidate, Investor, Search};
use crate::store::{Conn, audit, now_text, units};
use serde::Deserialize;
use serde_json::json;

pub fn investor_not_found() -> Error {
    Error::NotFound("客商不存在，或不在您的管辖范围内".into())
}

/// List filters as they arrive (query string).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct InvestorParams {
    pub q: String,
    pub kind: String,
    pub page: String,
    pub per_page: String,
}

/// Whether `actor` may see this record.
pub(crate) fn visible(actor: &Actor, investor: &Investor) -> bool {
    match actor.role {
        Role::Enterprise => actor.investor_id == Some(investor.id),
        role if role.is_staff() => actor.unit_path.contains(&investor.unit_path),
        _ => false,
    }
}

impl App {
    /// Whom to ask about records kept outside the caller's scope: the lowest unit above both
    /// the caller's and theirs (named; the records' own units are not).
    async fn whom_to_ask(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        others: &[&Candidate],
    ) -> Result<String> {
        let shared = others.iter().fold(actor.unit_path.clone(), |path, c| {
            path.shared_with(&c.unit_path)
        });
        let unit = match shared.unit() {
            Some(id) => units::by_id(conn, id).await?,
            None => None,
        };
        Ok(unit.map_or_else(|| "上级招商主管部门".to_string(), |u| u.name))
    }
}

fn candidates_json(list: &[Candidate]) -> Vec<serde_json::Value> {
    list.iter()
        .map(|c| json!({ "id": c.id, "name": c.name, "credit_code": c.credit_code, "unit": c.unit_name }))
        .collect()
}

impl App {
    async fn may_read_investors(&self, actor: &Actor) -> Result<()> {
        self.role_allows(actor, Role::is_business, "investor", "查看客商库")
            .await
    }

    /// Refuses (and records) an account that may not record or change investors.
    pub async fn may_write_investors(&self, actor: &Actor) -> Result<()> {
        self.role_allows(actor, Role::does_casework, "investor", "录入或修改客商")
            .await
    }

    /// The record if the caller may see it; otherwise "not found" (recorded).
    async fn investor_in_scope(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        id: InvestorId,
    ) -> Result<Investor> {
        let found = match investors::by_id(conn, id).await? {
            Some(i) if visible(actor, &i) => Ok(i),
            _ => Err(investor_not_found()),
        };
        self.refusal_recorded(actor, "investor", "查看客商", Some(id.to_string()), found)
    }

    pub async fn list_investors(
        &self,
        actor: &Actor,
        params: &InvestorParams,
    ) -> Result<Page<Investor>> {
        self.list_investors_with(actor, params, false).await
    }

    /// Every investor the filters select (for exports): no paging.
    pub async fn list_all_investors(
        &self,
        actor: &Actor,
        params: &InvestorParams,
    ) -> Result<Page<Investor>> {
        self.list_investors_with(actor, params, true).await
    }

    async fn list_investors_with(
        &self,
        actor: &Actor,
        params: &InvestorParams,
        all: bool,
    ) -> Result<Page<Investor>> {
        self.may_read_investors(actor).await?;
        let mut errors = Invalid::default();
        let (page, per_page) = paging(&mut errors, &params.page, &params.per_page, 20, 100);
        let (page, per_page) = if all {
            (1, self.config.export_max_rows)
        } else {
            (page, per_page)
        };
        let kind = match params.kind.trim() {
            "" => None,
            k => match InvestorKind::parse(k) {
                Some(kind) => Some(kind),
                None => {
                    errors.add("kind", format!("客商类型“{k}”无效，请从列表中选择"));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let needle = Some(name_key(params.q.trim())).filter(|n| !n.is_empty());
        let search = match actor.role {
            Role::Enterprise => Search {
                scope: None,
                // An enterprise account not yet linked sees nothing (no id is 0).
                only: Some(actor.investor_id.unwrap_or(InvestorId(0))),
                needle,
                kind,
                include_merged: false,
                limit: per_page,
                offset: (page - 1) * per_page,
            },
            _ => Search {
                scope: Some(actor.unit_path.clone()),
                only: None,
                needle,
                kind,
                include_merged: false,
                limit: per_page,
                offset: (page - 1) * per_page,
            },
        };
        let mut conn = self.db.pool.acquire().await?;
        let (items, total) = investors::search(&mut conn, &search).await?;
        Ok(Page {
            items: items.into_iter().map(|i| i.seen_by(actor.role)).collect(),
            total,
            page,
            per_page,
        })
    }

    pub async fn get_investor(&self, actor: &Actor, id: InvestorId) -> Result<Investor> {
        self.may_read_investors(actor).await?;
        let mut conn = self.db.pool.acquire().await?;
        Ok(self
            .investor_in_scope(&mut conn, actor, id)
            .await?
            .seen_by(actor.role))
    }

    /// The name of the record `investor` was merged into, when the caller may read that one
    /// too. Showing a merged record asks nothing of its target, so nothing is refused or
    /// recorded when the target is out of sight.
    pub async fn merged_into_name(
        &self,
        actor: &Actor,
        investor: &Investor,
    ) -> Result<Option<String>> {
        let Some(target) = investor.merged_into else {
            return Ok(None);
        };
        let mut conn = self.db.pool.acquire().await?;
        Ok(investors::by_id(&mut conn, target)
            .await?
            .filter(|t| visible(actor, t))
            .map(|t| t.name))
    }

    /// The unit a new record is kept by: the caller's, or one inside the caller's subtree.
    async fn keeping_unit(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        unit_id: Option<UnitId>,
    ) -> Result<UnitId> {
        let Some(id) = unit_id else {
            return Ok(actor.unit_id);
        };
        match units::by_id(conn, id).await? {
            Some(u) if actor.unit_path.contains(&u.path) && !u.retired => Ok(id),
            _ => Err(Invalid::single("unit_id", "所属单位不存在，或不在您的管辖范围内").into()),
        }
    }

    /// Creates an investor. The same credit code is the same investor (409 naming it); a name
    /// that probably means an existing company needs `confirm_duplicate` (else 409 listing
    /// the candidates).
    pub async fn create_investor(
        &self,
        actor: &Actor,
        fields: &InvestorFields,
        unit_id: Option<UnitId>,
        confirm_duplicate: bool,
    ) -> Result<Investor> {
        self.retrying("create investor", || {
            self.create_investor_once(actor, fields, unit_id, confirm_duplicate)
        })
        .await
    }

    async fn create_investor_once(
        &self,
        actor: &Actor,
        fields: &InvestorFields,
        unit_id: Option<UnitId>,
        confirm_duplicate: bool,
    ) -> Result<Investor> {
        self.may_write_investors(actor).await?;
        let mut tx = self.db.write().await?;
        let unit = self.keeping_unit(&mut tx, actor, unit_id).await?;
        if let Some(code) = &fields.credit_code
            && let Some(same) = investors::by_credit_code(&mut tx, code.as_str(), None).await?
        {
            if !actor.unit_path.contains(&same.unit_path) {
                let ask = self.whom_to_ask(&mut tx, actor, &[&same]).await?;
                return Err(Error::Duplicate(
                    format!(
                        "统一社会信用代码 {code} 已由您管辖范围以外的单位登记为客商，同一代码即同一客商，请勿重复录入；如需共同跟进，请联系{ask}协调"
                    ),
                    Vec::new(),
                ));
            }
            return Err(Error::Duplicate(
                format!(
                    "统一社会信用代码 {code} 已登记为客商“{}”（{}），同一代码即同一客商，请勿重复录入",
                    same.name, same.unit_name
                ),
                candidates_json(&[same]),
            ));
        }
        let similar = investors::by_name_key(&mut tx, &fields.name_key).await?;
        if !similar.is_empty() && !confirm_duplicate {
            // Records outside the caller's scope are counted, never named.
            let (ours, others): (Vec<&Candidate>, Vec<&Candidate>) = similar
                .iter()
                .partition(|c| actor.unit_path.contains(&c.unit_path));
            let mut said = Vec::new();
            if !ours.is_empty() {
                let names: Vec<String> = ours
                    .iter()
                    .map(|c| format!("“{}”（{}）", c.name, c.unit_name))
                    .collect();
                said.push(format!("客商库中已有名称相近的{}", names.join("、")));
            }
            if !others.is_empty() {
                let ask = self.whom_to_ask(&mut tx, actor, &others).await?;
                said.push(format!(
                    "您管辖范围以外的单位另有 {} 条名称相近的客商（可向{ask}了解）",
                    others.len()
                ));
            }
            let shown: Vec<Candidate> = ours.into_iter().cloned().collect();
            return Err(Error::Duplicate(
                format!(
                    "{}，可能是同一家企业；确认不是同一家后可继续新建",
                    said.join("；")
                ),
                candidates_json(&shown),
            ));
        }
        let now = now_text();
        let id = investors::insert(&mut tx, fields, unit, Some(actor.id), &now).await?;
        let created = edit::created(&mut tx, actor, id, &now).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// The record as it stands, for a caller about to change it (edit forms, partial updates).
    pub async fn investor_for_update(&self, actor: &Actor, id: InvestorId) -> Result<Investor> {
        self.may_write_investors(actor).await?;
        let mut conn = self.db.pool.acquire().await?;
        self.investor_in_scope(&mut conn, actor, id).await
    }

    pub async fn update_investor(
        &self,
        actor: &Actor,
        id: InvestorId,
        fields: &InvestorFields,
        version: i64,
    ) -> Result<Investor> {
        self.retrying("update investor", || {
            self.update_investor_once(actor, id, fields, version)
        })
        .await
    }

    async fn update_investor_once(
        &self,
        actor: &Actor,
        id: InvestorId,
        fields: &InvestorFields,
        version: i64,
    ) -> Result<Investor> {
        self.may_write_investors(actor).await?;
        let mut tx = self.db.write().await?;
        let before = self.investor_in_scope(&mut tx, actor, id).await?;
        if before.merged_into.is_some() {
            return Err(Error::Conflict(
                "该客商已并入另一条记录，请在合并后的记录上修改".into(),
            ));
        }
        edit::check_version(&before, version)?;
        if let Some(code) = &fields.credit_code
            && let Some(same) = investors::by_credit_code(&mut tx, code.as_str(), Some(id)).await?
        {
            if !actor.unit_path.contains(&same.unit_path) {
                let ask = self.whom_to_ask(&mut tx, actor, &[&same]).await?;
                return Err(Error::Duplicate(
                    format!(
                        "统一社会信用代码 {code} 已由您管辖范围以外的单位登记为客商；如为同一家企业，请联系{ask}协调合并"
                    ),
                    Vec::new(),
                ));
            }
            return Err(Error::Duplicate(
                format!(
                    "统一社会信用代码 {code} 已登记为客商“{}”（{}），如为同一家企业请合并两条记录",
                    same.name, same.unit_name
                ),
                candidates_json(&[same]),
            ));
        }
        let now = now_text();
        let written = investors::update(&mut tx, id, fields, version, &now).await?;
        let after = edit::finish(&mut tx, actor, &before, written, "update", &now).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Merges `from` into `into` (both within the caller's scope); returns the merged record.
    pub async fn merge_investors(
        &self,
        actor: &Actor,
        from: InvestorId,
        into: InvestorId,
    ) -> Result<Investor> {
        self.may_write_investors(actor).await?;
        if from == into {
            return Err(Invalid::single("into", "不能把客商合并到它自己").into());
        }
        let mut tx = self.db.write().await?;
        let source = self.investor_in_scope(&mut tx, actor, from).await?;
        if into.0 <= 0 {
            return Err(
                Invalid::single("into", "请填写要并入的客商编号（见该客商页面标题旁）").into(),
            );
        }
        let target = match investors::by_id(&mut tx, into).await? {
            Some(t) if visible(actor, &t) => t,
            _ => {
                return Err(
                    Invalid::single("into", "要并入的客商不存在，或不在您的管辖范围内").into(),
                );
            }
        };
        if source.merged_into.is_some() {
            return Err(Error::Conflict("该客商已经合并过".into()));
        }
        if target.merged_into.is_some() {
            return Err(Invalid::single("into", "要并入的客商本身已并入另一条记录").into());
        }
        if let (Some(a), Some(b)) = (&source.credit_code, &target.credit_code)
            && a != b
        {
            return Err(Error::Conflict(format!(
                "两条记录的统一社会信用代码不同（{a} 与 {b}），不是同一家企业，不能合并"
            )));
        }
        let now = now_text();
        if !investors::merge(&mut tx, &source, &target, &now).await? {
            return Err(Error::Conflict(
                "两条记录中有一条刚被他人修改或合并，请刷新后重新核对".into(),
            ));
        }
        let merged = investors::by_id(&mut tx, into)
            .await?
            .ok_or_else(investor_not_found)?;
        audit::append(
            &mut tx,
            Some(actor),
            audit::Entry {
                action: "merge",
                entity: "investor",
                entity_id: Some(from.to_string()),
                before: Some(snapshot(&source)?),
                after: Some(json!({ "merged_into": into, "into": merged })),
            },
            &now,
        )
        .await?;
        tx.commit().await?;
        Ok(merged)
    }

    /// Ids of the projects naming this investor (the caller sees the investor).
    pub async fn investor_project_ids(&self, actor: &Actor, id: InvestorId) -> Result<Vec<i64>> {
        let mut conn = self.db.pool.acquire().await?;
        self.investor_in_scope(&mut conn, actor, id).await?;
        Ok(investors::project_ids(&mut conn, id).await?)
    }
}

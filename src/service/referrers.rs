//! Referrers (引荐人) and their rewards. A referrer record belongs to the unit that keeps it and
//! is seen in that unit's subtree. Rewards are computed, never stored: every figure is shown
//! with the rule and the project facts it came from.

use super::{App, Page, edit};
use crate::domain::ids::ReferrerId;
use crate::domain::ids::UnitId;
use crate::domain::money::Money;
use crate::domain::referrer::ReferrerFields;
use crate::domain::reward::{Reward, RewardRule};
use crate::domain::stage::Stage;
use crate::domain::user::{Actor, Role};
use crate::domain::validation::{Invalid, paging};
use crate::error::{Error, Result};
use crate::store::projects::Project;
use crate::store::referrers::{self, Referrer};
use crate::store::{Conn, now_text, units};
use serde::{Deserialize, Serialize};
use time::Date;

pub fn referrer_not_found() -> Error {
    Error::NotFound("引荐人不存在，或不在您的管辖范围内".into())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ReferrerParams {
    pub q: String,
    pub page: String,
    pub per_page: String,
}

/// One project's part in a year's reward.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RewardLine {
    pub project_id: i64,
    pub project_name: String,
    #[serde(serialize_with = "crate::domain::dates::serialize_iso")]
    pub reached_on: Date,
    pub contract_amount: Option<Money>,
    /// None when the project has no contracted amount to reward.
    pub reward: Option<Reward>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct YearRewards {
    pub year: i32,
    pub total_yuan: i64,
    pub lines: Vec<RewardLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReferrerDetail {
    #[serde(flatten)]
    pub referrer: Referrer,
    pub projects: Vec<Project>,
    pub rule: RewardRule,
    pub rule_text: String,
    pub rewards: Vec<YearRewards>,
}

/// When a project reached the rule's stage (the date decides the year).
fn reached_on(p: &Project, stage: Stage) -> Option<Date> {
    match stage {
        Stage::Intent => p.intent_on,
        Stage::Contracted => p.contracted_on,
        Stage::Landed => p.landed_on,
        Stage::Construction => p.construction_on,
        Stage::Production => p.production_on,
        Stage::AtCapacity => p.at_capacity_on,
        _ => None,
    }
}

/// The rewards of these projects under `rule`, by year, newest year first.
pub fn rewards_by_year(
    projects: &[Project],
    rule: &RewardRule,
    usd_rate_e4: i64,
) -> Vec<YearRewards> {
    let mut years: Vec<YearRewards> = Vec::new();
    for p in projects {
        let Some(day) = reached_on(p, rule.stage) else {
            continue;
        };
        let reward = p.contract_amount.map(|m| rule.reward(m, usd_rate_e4));
        let line = RewardLine {
            project_id: p.id.0,
            project_name: p.name.clone(),
            reached_on: day,
            contract_amount: p.contract_amount,
            reward,
        };
        let amount = reward.map_or(0, |r| r.reward_yuan);
        match years.iter_mut().find(|y| y.year == day.year()) {
            Some(y) => {
                y.total_yuan += amount;
                y.lines.push(line);
            }
            None => years.push(YearRewards {
                year: day.year(),
                total_yuan: amount,
                lines: vec![line],
            }),
        }
    }
    years.sort_by_key(|y| std::cmp::Reverse(y.year));
    for y in &mut years {
        y.lines.sort_by_key(|l| (l.reached_on, l.project_id));
    }
    years
}

impl App {
    async fn referrer_role(
        &self,
        actor: &Actor,
        allowed: fn(Role) -> bool,
        what: &'static str,
    ) -> Result<()> {
        self.role_allows(actor, allowed, "referrer", what).await
    }

    async fn referrer_in_scope(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        id: ReferrerId,
    ) -> Result<Referrer> {
        let found = match referrers::by_id(conn, id).await? {
            Some(r) if actor.unit_path.contains(&r.unit_path) => Ok(r),
            _ => Err(referrer_not_found()),
        };
        self.refusal_recorded(actor, "referrer", "查看", Some(id.to_string()), found)
    }

    /// Refuses (and records) an account that may not record referrers.
    pub async fn may_write_referrers(&self, actor: &Actor) -> Result<()> {
        self.referrer_role(actor, Role::does_casework, "登记引荐人")
            .await
    }

    pub async fn list_referrers(
        &self,
        actor: &Actor,
        params: &ReferrerParams,
    ) -> Result<Page<Referrer>> {
        self.referrer_role(actor, Role::is_staff, "查看引荐人")
            .await?;
        let mut errors = Invalid::default();
        let (page, per_page) = paging(&mut errors, &params.page, &params.per_page, 20, 100);
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let needle = Some(params.q.trim()).filter(|q| !q.is_empty());
        let mut conn = self.db.pool.acquire().await?;
        let (items, total) = referrers::search(
            &mut conn,
            &actor.unit_path,
            needle,
            per_page,
            (page - 1) * per_page,
        )
        .await?;
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }

    pub async fn get_referrer(&self, actor: &Actor, id: ReferrerId) -> Result<ReferrerDetail> {
        self.referrer_role(actor, Role::is_staff, "查看引荐人")
            .await?;
        let mut conn = self.db.pool.acquire().await?;
        let referrer = self.referrer_in_scope(&mut conn, actor, id).await?;
        let ids = referrers::project_ids(&mut conn, id).await?;
        drop(conn);
        // Every project counts towards the rewards, so none is left out.
        let all = ids.len() as i64;
        let projects = self.projects_by_ids_in_scope(actor, ids, all).await?.items;
        let rule = self.config.referral_rule.clone();
        Ok(ReferrerDetail {
            rewards: rewards_by_year(&projects, &rule, self.config.usd_rate_e4),
            rule_text: rule.describe(),
            rule,
            referrer,
            projects,
        })
    }

    pub async fn create_referrer(
        &self,
        actor: &Actor,
        fields: &ReferrerFields,
        unit: Option<UnitId>,
    ) -> Result<Referrer> {
        self.may_write_referrers(actor).await?;
        let mut tx = self.db.write().await?;
        let unit_id = match unit {
            None => actor.unit_id,
            Some(id) => match units::by_id(&mut tx, id).await? {
                Some(u) if actor.unit_path.contains(&u.path) && !u.retired => id,
                _ => {
                    return Err(
                        Invalid::single("unit_id", "所属单位不存在，或不在您的管辖范围内").into(),
                    );
                }
            },
        };
        let now = now_text();
        let id = referrers::insert(&mut tx, fields, unit_id, actor.id, &now).await?;
        let created = edit::created(&mut tx, actor, id, &now).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// The record as it stands, for a caller about to change it.
    pub async fn referrer_for_update(&self, actor: &Actor, id: ReferrerId) -> Result<Referrer> {
        self.referrer_role(actor, Role::does_casework, "修改引荐人")
            .await?;
        let mut conn = self.db.pool.acquire().await?;
        self.referrer_in_scope(&mut conn, actor, id).await
    }

    pub async fn update_referrer(
        &self,
        actor: &Actor,
        id: ReferrerId,
        fields: &ReferrerFields,
        version: i64,
    ) -> Result<Referrer> {
        self.referrer_role(actor, Role::does_casework, "修改引荐人")
            .await?;
        let mut tx = self.db.write().await?;
        let before = self.referrer_in_scope(&mut tx, actor, id).await?;
        edit::check_version(&before, version)?;
        let now = now_text();
        let written = referrers::update(&mut tx, id, fields, version, &now).await?;
        let after = edit::finish(&mut tx, actor, &before, written, "update", &now).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Names this referrer on a project of the caller's scope (an ordinary, audited project
    /// edit, checked against the project's current version).
    pub async fn credit_referrer(
        &self,
        actor: &Actor,
        id: ReferrerId,
        project: &str,
    ) -> Result<Project> {
        self.referrer_role(actor, Role::does_casework, "登记引荐项目")
            .await?;
        let mut conn = self.db.pool.acquire().await?;
        self.referrer_in_scope(&mut conn, actor, id).await?;
        let project_id = self
            .project_by_pick(&mut conn, actor, project)
            .await?
            .map_err(|why| Invalid::single("project_id", why))?;
        drop(conn);
        let current = self
            .project_for_update(actor, project_id)
            .await
            .map_err(|e| match e {
                Error::NotFound(m) => Error::Invalid(Invalid::single("project_id", m)),
                other => other,
            })?;
        if current.referrer_id == Some(id) {
            return Err(Error::Conflict("该项目已记在这位引荐人名下".into()));
        }
        let mut fields = super::projects::fields_of(&current)?;
        fields.referrer_id = Some(id);
        self.update_project(actor, project_id, &fields, current.version, None)
            .await
    }
}

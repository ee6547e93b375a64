//! Visits out and in. A visit belongs to the unit of the officer who records it and is seen in
//! that unit's subtree; officers and leaders record and update visits and close follow-ups.

use super::{App, Page, edit};
use crate::domain::ids::InvestorId;
use crate::domain::ids::VisitId;
use crate::domain::user::{Actor, Role};
use crate::domain::validation::{Invalid, paging};
use crate::domain::visit::{Direction, VisitFields};
use crate::error::{Error, Result};
use crate::store::visits::{self, Search, Visit};
use crate::store::{Conn, now_text, users};
use serde::Deserialize;

pub fn visit_not_found() -> Error {
    Error::NotFound("拜访记录不存在，或不在您的管辖范围内".into())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct VisitParams {
    pub direction: String,
    /// `1`/`true`: only follow-ups past their date and not done.
    pub overdue: String,
    /// `1`/`true`: only visits the caller took part in, led or recorded.
    pub mine: String,
    pub investor_id: String,
    pub page: String,
    pub per_page: String,
}

fn flag(text: &str, field: &str, errors: &mut Invalid) -> bool {
    match text.trim() {
        "" | "0" | "false" => false,
        "1" | "true" | "on" => true,
        other => {
            errors.add(field, format!("“{other}”无效，应为 1 或 0"));
            false
        }
    }
}

impl App {
    async fn visit_role(
        &self,
        actor: &Actor,
        allowed: fn(Role) -> bool,
        what: &'static str,
    ) -> Result<()> {
        self.role_allows(actor, allowed, "visit", what).await
    }

    async fn visit_in_scope(&self, conn: &mut Conn, actor: &Actor, id: VisitId) -> Result<Visit> {
        let found = match visits::by_id(conn, id).await? {
            Some(v) if actor.unit_path.contains(&v.unit_path) || v.involves(actor.id) => Ok(v),
            _ => Err(visit_not_found()),
        };
        self.refusal_recorded(actor, "visit", "查看", Some(id.to_string()), found)
    }

    /// Checks the people and investor a visit names are within the caller's reach.
    async fn check_visit_references(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        f: &VisitFields,
    ) -> Result<()> {
        let mut errors = Invalid::default();
        let near = |u: &users::UserRecord| {
            u.active
                && (actor.unit_path.contains(&u.unit_path)
                    || u.unit_path.contains(&actor.unit_path))
        };
        for id in &f.participants {
            match users::by_id(conn, *id).await? {
                Some(u)
                    if near(&u)
                        && matches!(u.role, Role::Leader | Role::Officer | Role::Department) => {}
                _ => {
                    errors.add(
                        "participants",
                        format!("参加人员（编号 {id}）须为本单位或上级单位在岗的工作人员"),
                    );
                    break;
                }
            }
        }
        if let Some(id) = f.leader_id {
            match users::by_id(conn, id).await? {
                Some(u) if near(&u) && u.role == Role::Leader => {}
                _ => errors.add("leader_id", "带队领导须为本单位或上级单位在岗的领导"),
            }
        }
        if let Some(id) = f.investor_id {
            match crate::store::investors::by_id(conn, id).await? {
                Some(i) if i.merged_into.is_none() && super::investors::visible(actor, &i) => {}
                _ => errors.add("investor_id", "客商不存在，或不在您的管辖范围内"),
            }
        }
        errors.into_result(|| ()).map_err(Error::from)
    }

    pub async fn list_visits(&self, actor: &Actor, params: &VisitParams) -> Result<Page<Visit>> {
        self.visit_role(actor, Role::is_staff, "查看拜访记录")
            .await?;
        let mut errors = Invalid::default();
        let (page, per_page) = paging(&mut errors, &params.page, &params.per_page, 20, 100);
        let direction = match params.direction.trim() {
            "" => None,
            d => {
                let parsed = Direction::parse(d);
                if parsed.is_none() {
                    errors.add(
                        "direction",
                        format!("方向“{d}”无效，应为 out（走出去）或 in（请进来）"),
                    );
                }
                parsed
            }
        };
        let overdue = flag(&params.overdue, "overdue", &mut errors);
        let mine = flag(&params.mine, "mine", &mut errors);
        let investor = match params.investor_id.trim() {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(i) if i > 0 => Some(InvestorId(i)),
                _ => {
                    errors.add("investor_id", "客商编号无效");
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let search = Search {
            scope: actor.unit_path.clone(),
            direction,
            overdue_before: overdue.then(|| self.today()),
            involving: mine.then_some(actor.id),
            investor,
            limit: per_page,
            offset: (page - 1) * per_page,
        };
        let mut conn = self.db.pool.acquire().await?;
        let (items, total) = visits::search(&mut conn, &search).await?;
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }

    /// How many follow-ups of the caller's own visits are overdue (for the menu).
    pub async fn overdue_follow_ups(&self, actor: &Actor) -> Result<i64> {
        if !actor.role.is_staff() {
            return Ok(0);
        }
        let search = Search {
            scope: actor.unit_path.clone(),
            direction: None,
            overdue_before: Some(self.today()),
            involving: Some(actor.id),
            investor: None,
            limit: 0,
            offset: 0,
        };
        let mut conn = self.db.pool.acquire().await?;
        Ok(visits::search(&mut conn, &search).await?.1)
    }

    /// The visits of an investor the caller may see: none for those who do not read visits
    /// (an enterprise sees its own record, not the officers' visits to it).
    pub async fn visits_of_investor(
        &self,
        actor: &Actor,
        investor: InvestorId,
    ) -> Result<super::Excerpt<Visit>> {
        if !actor.role.is_staff() {
            return Ok(super::Excerpt::empty());
        }
        let search = Search {
            scope: actor.unit_path.clone(),
            direction: None,
            overdue_before: None,
            involving: None,
            investor: Some(investor),
            limit: super::EXCERPT_ROWS,
            offset: 0,
        };
        let mut conn = self.db.pool.acquire().await?;
        let (items, total) = visits::search(&mut conn, &search).await?;
        Ok(super::Excerpt { items, total })
    }

    /// Refuses (and records) an account that may not record visits.
    pub async fn may_record_visits(&self, actor: &Actor) -> Result<()> {
        self.visit_role(actor, Role::does_casework, "记录拜访")
            .await
    }

    pub async fn get_visit(&self, actor: &Actor, id: VisitId) -> Result<Visit> {
        self.visit_role(actor, Role::is_staff, "查看拜访记录")
            .await?;
        let mut conn = self.db.pool.acquire().await?;
        self.visit_in_scope(&mut conn, actor, id).await
    }

    pub async fn record_visit(&self, actor: &Actor, fields: &VisitFields) -> Result<Visit> {
        self.may_record_visits(actor).await?;
        let mut tx = self.db.write().await?;
        self.check_visit_references(&mut tx, actor, fields).await?;
        let now = now_text();
        let id = visits::insert(&mut tx, fields, actor.unit_id, actor.id, &now).await?;
        let visit = edit::created(&mut tx, actor, id, &now).await?;
        tx.commit().await?;
        Ok(visit)
    }

    /// The visit as it stands, for a caller about to change it.
    pub async fn visit_for_update(&self, actor: &Actor, id: VisitId) -> Result<Visit> {
        self.visit_role(actor, Role::does_casework, "修改拜访记录")
            .await?;
        let mut conn = self.db.pool.acquire().await?;
        self.visit_in_scope(&mut conn, actor, id).await
    }

    pub async fn update_visit(
        &self,
        actor: &Actor,
        id: VisitId,
        fields: &VisitFields,
        version: i64,
    ) -> Result<Visit> {
        self.visit_role(actor, Role::does_casework, "修改拜访记录")
            .await?;
        let mut tx = self.db.write().await?;
        let before = self.visit_in_scope(&mut tx, actor, id).await?;
        edit::check_version(&before, version)?;
        self.check_visit_references(&mut tx, actor, fields).await?;
        let now = now_text();
        let written = visits::update(&mut tx, id, fields, version, &now).await?;
        let after = edit::finish(&mut tx, actor, &before, written, "update", &now).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Closes the follow-up with what came of it.
    pub async fn close_follow_up(
        &self,
        actor: &Actor,
        id: VisitId,
        outcome: &str,
    ) -> Result<Visit> {
        self.visit_role(actor, Role::does_casework, "办结跟进")
            .await?;
        let mut tx = self.db.write().await?;
        let before = self.visit_in_scope(&mut tx, actor, id).await?;
        if before.follow_up_on.is_none() {
            return Err(Error::Conflict("这次拜访没有设跟进日期".into()));
        }
        if before.follow_up_done_at.is_some() {
            return Err(Error::Conflict("跟进已经办结".into()));
        }
        let outcome = crate::domain::visit::follow_up_outcome(outcome)?;
        let now = now_text();
        let written = visits::follow_up_done(&mut tx, id, &outcome, before.version, &now).await?;
        let after = edit::finish(&mut tx, actor, &before, written, "follow_up_done", &now).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// People a visit form offers: working accounts of the caller's subtree and the units above.
    pub async fn visit_people(&self, actor: &Actor) -> Result<Vec<users::UserRecord>> {
        self.visit_role(actor, Role::is_staff, "查看拜访记录")
            .await?;
        let mut conn = self.db.pool.acquire().await?;
        Ok(users::assignable(&mut conn, &actor.unit_path).await?)
    }
}

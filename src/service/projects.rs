//! The project pipeline's use cases.

use super::{App, Page};
use crate::domain::dates::{iso, parse_date};
use crate::domain::glossary::field_label;
use crate::domain::ids::{ProjectId, UnitId};
use crate::domain::industry::IndustryCode;
use crate::domain::listing::{Criteria, Sort, Totals};
use crate::domain::project::{Band, Batch, ProjectFields, ProjectInput, entry_date_within};
use crate::domain::search::Query;
use crate::domain::stage::Stage;
use crate::domain::transition::{Facts, TransitionRequest};
use crate::domain::user::{Actor, Role};
use crate::domain::validation::{Invalid, date_range, paging};
use crate::error::{Error, Result};
use crate::store::projects::{self as store_projects, HistoryKind, NewHistoryEntry, Project};
use crate::store::{Conn, audit, now_text, units, users};
use serde_json::json;
use time::Date;

/// List parameters as they arrive (query string or API), unparsed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    pub stage: String,
    pub q: String,
    pub unit: String,
    pub industry: String,
    pub band: String,
    pub batch: String,
    pub from: String,
    pub to: String,
    pub sort: String,
    pub page: String,
    pub per_page: String,
}

/// A page of the project list and the sums over every project the filters select.
pub type ProjectPage = (Page<Project>, Totals);

/// What the project forms offer to choose from, within the caller's reach.
pub struct FormChoices {
    pub units: Vec<units::Unit>,
    pub officers: Vec<users::UserRecord>,
    pub leaders: Vec<users::UserRecord>,
}

/// Loads a project the caller may see; anything outside scope is "not found".
async fn load_in_scope(conn: &mut Conn, actor: &Actor, id: ProjectId) -> Result<Project> {
    let visible = match store_projects::scope_of(conn, id).await? {
        // An enterprise sees the projects of its own investor record, whatever their unit.
        Some((_, investor)) if actor.role == Role::Enterprise => {
            investor.is_some() && investor == actor.investor_id
        }
        Some((path, _)) => actor.unit_path.contains(&path),
        None => false,
    };
    if !visible {
        return Err(Error::project_not_found());
    }
    store_projects::by_id(conn, id)
        .await?
        .ok_or_else(Error::project_not_found)
}

fn stale(current: i64) -> Error {
    Error::stale("该项目", current)
}

/// Checks the unit and people a project names are within the caller's reach.
/// `before` is the project as it stands when editing: a link it already has is kept even if
/// the editor could not make it (a county leader may have named a county-level referrer).
async fn check_references(
    conn: &mut Conn,
    actor: &Actor,
    fields: &ProjectFields,
    before: Option<&Project>,
) -> Result<UnitId> {
    let mut errors = Invalid::default();
    let unit_id = match fields.unit_id {
        None => actor.unit_id,
        Some(id) => match units::by_id(conn, id).await? {
            Some(u) if actor.unit_path.contains(&u.path) => id,
            _ => {
                errors.add("unit_id", "责任单位不存在，或不在您的管辖范围内");
                actor.unit_id
            }
        },
    };
    for (field, id, roles) in [
        (
            "officer_id",
            fields.officer_id,
            &[Role::Officer, Role::Leader][..],
        ),
        ("leader_id", fields.leader_id, &[Role::Leader][..]),
    ] {
        let Some(id) = id else { continue };
        match users::by_id(conn, id).await? {
            Some(u)
                if u.active
                    && roles.contains(&u.role)
                    && (actor.unit_path.contains(&u.unit_path)
                        || u.unit_path.contains(&actor.unit_path)) => {}
            _ => errors.add(
                field,
                format!(
                    "{}须为本单位或上级单位在岗的{}",
                    field_label(field),
                    if field == "leader_id" {
                        "领导"
                    } else {
                        "招商人员"
                    }
                ),
            ),
        }
    }
    if let Some(id) = fields.investor_id
        && before.is_none_or(|b| b.investor_id != Some(id))
    {
        match crate::store::investors::by_id(conn, id).await? {
            Some(i) if i.merged_into.is_none() && super::investors::visible(actor, &i) => {}
            Some(i) if i.merged_into.is_some() => errors.add(
                "investor_id",
                format!("客商“{}”已并入另一条记录，请选择合并后的记录", i.name),
            ),
            _ => errors.add("investor_id", "客商不存在，或不在您的管辖范围内"),
        }
    }
    if let Some(id) = fields.referrer_id
        && before.is_none_or(|b| b.referrer_id != Some(id))
    {
        match crate::store::referrers::by_id(conn, id).await? {
            Some(r) if actor.unit_path.contains(&r.unit_path) => {}
            _ => errors.add("referrer_id", "引荐人不存在，或不在您的管辖范围内"),
        }
    }
    errors.into_result(|| unit_id).map_err(Error::from)
}

impl App {
    /// Refuses (and audits) an account whose role does not read projects.
    async fn may_read(&self, actor: &Actor) -> Result<()> {
        self.role_allows(actor, Role::reads_projects, "project", "查看招商项目")
            .await
    }

    /// Refuses (and audits) an account whose role does not write projects.
    pub async fn may_write_projects(&self, actor: &Actor) -> Result<()> {
        self.role_allows(
            actor,
            Role::writes_projects,
            "project",
            "录入或修改招商项目",
        )
        .await
    }

    /// The project, if it is inside the caller's scope; otherwise "not found", audited.
    async fn in_scope(&self, conn: &mut Conn, actor: &Actor, id: ProjectId) -> Result<Project> {
        let found = load_in_scope(conn, actor, id).await;
        self.refusal_recorded(
            actor,
            "project",
            "查看招商项目",
            Some(id.to_string()),
            found,
        )
    }

    pub async fn form_choices(&self, actor: &Actor) -> Result<FormChoices> {
        self.may_read(actor).await?;
        let mut conn = self.db.pool.acquire().await?;
        let units = units::subtree(&mut conn, &actor.unit_path).await?;
        let people = users::assignable(&mut conn, &actor.unit_path).await?;
        let (leaders, officers) = people.into_iter().partition(|u| u.role == Role::Leader);
        Ok(FormChoices {
            units,
            officers,
            leaders,
        })
    }

    pub async fn list_projects(&self, actor: &Actor, params: &ListParams) -> Result<ProjectPage> {
        self.list_projects_with(actor, params, false).await
    }

    /// Every project the filters select, in list order (for exports): no paging.
    pub async fn list_all_projects(
        &self,
        actor: &Actor,
        params: &ListParams,
    ) -> Result<ProjectPage> {
        self.list_projects_with(actor, params, true).await
    }

    async fn list_projects_with(
        &self,
        actor: &Actor,
        params: &ListParams,
        all: bool,
    ) -> Result<ProjectPage> {
        self.may_read(actor).await?;
        let mut conn = self.db.pool.acquire().await?;
        let mut errors = Invalid::default();
        let unit_path = match params.unit.trim() {
            "" => actor.unit_path.clone(),
            text => match text.parse::<i64>().ok().map(UnitId) {
                Some(id) => match units::by_id(&mut conn, id).await? {
                    Some(u) if actor.unit_path.contains(&u.path) => u.path,
                    _ => {
                        errors.add("unit", "单位不存在，或不在您的管辖范围内");
                        actor.unit_path.clone()
                    }
                },
                None => {
                    errors.add("unit", "单位无效");
                    actor.unit_path.clone()
                }
            },
        };
        let mut choice = |field: &str, text: &str, label: &str, ok: bool| {
            if !text.trim().is_empty() && !ok {
                errors.add(
                    field,
                    format!("{label}“{}”无效，请从列表中选择", text.trim()),
                );
            }
        };
        let stage = Stage::parse(params.stage.trim());
        choice("stage", &params.stage, "阶段", stage.is_some());
        let industry = IndustryCode::parse(&params.industry);
        choice("industry", &params.industry, "行业", industry.is_some());
        let band = Band::parse(params.band.trim());
        choice("band", &params.band, "投资规模", band.is_some());
        let batch = Batch::parse(params.batch.trim());
        choice("batch", &params.batch, "四个一批", batch.is_some());
        let sort = Sort::parse(params.sort.trim());
        choice("sort", &params.sort, "排序", sort.is_some());
        let (from, to) = date_range(&mut errors, &params.from, &params.to);
        let (page, per_page) = paging(
            &mut errors,
            &params.page,
            &params.per_page,
            self.config.per_page_default,
            self.config.per_page_max,
        );
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let (page, per_page) = if all {
            (1, self.config.export_max_rows)
        } else {
            (page, per_page)
        };
        // An enterprise's projects may sit with any unit: its scope is its investor record.
        let units = if actor.role == Role::Enterprise && params.unit.trim().is_empty() {
            units::all(&mut conn).await?
        } else {
            units::subtree(&mut conn, &unit_path).await?
        }
        .into_iter()
        .map(|u| u.id.0)
        .collect();
        // An enterprise lists its own projects only (none until its account is linked).
        let only = match actor.role {
            Role::Enterprise => Some(match actor.investor_id {
                Some(investor) => store_projects::ids_of_investor(&mut conn, investor).await?,
                None => Vec::new(),
            }),
            _ => None,
        };
        let criteria = Criteria {
            units,
            only,
            stage,
            industry,
            band,
            batch,
            from,
            to,
            needle: Query::parse(&params.q),
            sort: sort.unwrap_or_default(),
            page,
            per_page,
            usd_rate_e4: self.config.usd_rate_e4,
        };
        // An export counts first (the sums come from the in-memory list facts, no rows are
        // read), so one past the limit is refused before any project is loaded.
        if all {
            let counting = Criteria {
                per_page: 0,
                ..criteria.clone()
            };
            let (totals, _) = store_projects::list(&mut conn, &self.db.lists, &counting).await?;
            super::exports::within_export_limit("项目", totals.count, self.config.export_max_rows)?;
        }
        let (totals, items) = store_projects::list(&mut conn, &self.db.lists, &criteria).await?;
        let page = Page {
            items,
            total: totals.count,
            page,
            per_page,
        };
        Ok((page, totals))
    }

    /// The projects naming an investor that the caller may see, newest change first.
    pub async fn projects_of_investor(
        &self,
        actor: &Actor,
        investor: crate::domain::ids::InvestorId,
    ) -> Result<super::Excerpt<Project>> {
        let ids = self.investor_project_ids(actor, investor).await?;
        self.projects_by_ids_in_scope(actor, ids, super::EXCERPT_ROWS)
            .await
    }

    /// Of these projects, those the caller may see, newest change first: the first `limit`
    /// and how many in all.
    pub(crate) async fn projects_by_ids_in_scope(
        &self,
        actor: &Actor,
        mut ids: Vec<i64>,
        limit: i64,
    ) -> Result<super::Excerpt<Project>> {
        ids.sort_unstable();
        if !actor.role.reads_projects() || ids.is_empty() {
            return Ok(super::Excerpt::empty());
        }
        let mut conn = self.db.pool.acquire().await?;
        // An enterprise sees all of its own; others what their subtree holds.
        let root = match actor.role {
            Role::Enterprise => None,
            _ => Some(actor.unit_path.clone()),
        };
        let units = match &root {
            Some(path) => units::subtree(&mut conn, path).await?,
            None => units::all(&mut conn).await?,
        }
        .into_iter()
        .map(|u| u.id.0)
        .collect();
        let criteria = Criteria {
            units,
            only: Some(ids),
            stage: None,
            industry: None,
            band: None,
            batch: None,
            from: None,
            to: None,
            needle: None,
            sort: Sort::default(),
            page: 1,
            per_page: limit.max(1),
            usd_rate_e4: self.config.usd_rate_e4,
        };
        let (totals, items) = store_projects::list(&mut conn, &self.db.lists, &criteria).await?;
        Ok(super::Excerpt {
            items,
            total: totals.count,
        })
    }

    /// Loads the in-memory list facts ahead of the first list request; returns how many.
    pub async fn warm_lists(&self) -> Result<usize> {
        let mut conn = self.db.pool.acquire().await?;
        Ok(self.db.lists.current(&mut conn).await?.facts().len())
    }

    pub async fn get_project(&self, actor: &Actor, id: ProjectId) -> Result<Project> {
        self.may_read(actor).await?;
        let mut conn = self.db.pool.acquire().await?;
        self.in_scope(&mut conn, actor, id).await
    }

    pub async fn project_history(
        &self,
        actor: &Actor,
        id: ProjectId,
    ) -> Result<Vec<store_projects::HistoryEntry>> {
        self.may_read(actor).await?;
        let mut conn = self.db.pool.acquire().await?;
        self.in_scope(&mut conn, actor, id).await?;
        let history = store_projects::history(&mut conn, id).await?;
        // Progress notes are the officers' working record; an enterprise sees its stages.
        Ok(if actor.role == Role::Enterprise {
            history
                .into_iter()
                .filter(|e| {
                    matches!(
                        e.kind,
                        store_projects::HistoryKind::Created
                            | store_projects::HistoryKind::Transition
                    )
                })
                .collect()
        } else {
            history
        })
    }

    /// Records a new project in `lead`, first recorded on `lead_on` (录入日期, not after today).
    pub async fn create_project(
        &self,
        actor: &Actor,
        fields: &ProjectFields,
        lead_on: Date,
    ) -> Result<Project> {
        self.retrying("create project", || {
            self.create_project_once(actor, fields, lead_on)
        })
        .await
    }

    async fn create_project_once(
        &self,
        actor: &Actor,
        fields: &ProjectFields,
        lead_on: Date,
    ) -> Result<Project> {
        self.may_write_projects(actor).await?;
        let mut tx = self.db.write().await?;
        let project = self
            .create_project_in(&mut tx, actor, fields, lead_on)
            .await?;
        tx.commit().await?;
        Ok(project)
    }

    /// `create_project` inside the caller's transaction (the caller has checked the role).
    pub(crate) async fn create_project_in(
        &self,
        tx: &mut Conn,
        actor: &Actor,
        fields: &ProjectFields,
        lead_on: Date,
    ) -> Result<Project> {
        let today = self.today();
        let checked = fields.clone().checked();
        let fields = match (checked, entry_date_within(lead_on, today)) {
            (Ok(f), Ok(_)) => f,
            (Err(mut e), Err(msg)) => {
                e.add("lead_on", msg);
                return Err(e.into());
            }
            (Err(e), Ok(_)) => return Err(e.into()),
            (Ok(_), Err(msg)) => return Err(Invalid::single("lead_on", msg).into()),
        };
        let unit_id = check_references(tx, actor, &fields, None).await?;
        let now = now_text();
        let id =
            store_projects::insert(tx, &fields, unit_id, lead_on, Some(actor.id), &now).await?;
        store_projects::insert_history_entry(
            tx,
            &NewHistoryEntry {
                project_id: id,
                kind: HistoryKind::Created,
                from_stage: None,
                to_stage: Some(Stage::Lead),
                effective_date: lead_on,
                body: None,
                facts: None,
                actor_id: Some(actor.id),
            },
            &now,
        )
        .await?;
        let project = store_projects::by_id(tx, id)
            .await?
            .ok_or_else(Error::project_not_found)?;
        super::record_change(
            tx,
            actor,
            super::Change {
                entity: "project",
                id: id.to_string(),
                action: "create",
                before: None,
                after: &project,
            },
            &now,
        )
        .await?;
        Ok(project)
    }

    /// Rewrites a project's facts; refused when `version` is not the current one.
    /// The project as it stands, for a caller about to change it (partial updates).
    pub async fn project_for_update(&self, actor: &Actor, id: ProjectId) -> Result<Project> {
        self.may_write_projects(actor).await?;
        let mut conn = self.db.pool.acquire().await?;
        self.in_scope(&mut conn, actor, id).await
    }

    pub async fn update_project(
        &self,
        actor: &Actor,
        id: ProjectId,
        fields: &ProjectFields,
        version: i64,
    ) -> Result<Project> {
        self.retrying("update project", || {
            self.update_project_once(actor, id, fields, version)
        })
        .await
    }

    async fn update_project_once(
        &self,
        actor: &Actor,
        id: ProjectId,
        fields: &ProjectFields,
        version: i64,
    ) -> Result<Project> {
        self.may_write_projects(actor).await?;
        let mut tx = self.db.write().await?;
        // Scope first: a project outside it answers "not found" whatever was sent.
        let before = self.in_scope(&mut tx, actor, id).await?;
        let fields = fields.clone().checked()?;
        if before.version != version {
            return Err(stale(before.version));
        }
        let unit_id = check_references(&mut tx, actor, &fields, Some(&before)).await?;
        let now = now_text();
        if !store_projects::update_fields(&mut tx, &before, &fields, unit_id, version, &now).await?
        {
            return Err(stale(before.version));
        }
        let after = store_projects::by_id(&mut tx, id)
            .await?
            .ok_or_else(Error::project_not_found)?;
        let changed = changed_fields(&before, &after);
        if !changed.is_empty() {
            store_projects::insert_history_entry(
                &mut tx,
                &NewHistoryEntry {
                    project_id: id,
                    kind: HistoryKind::Edited,
                    from_stage: None,
                    to_stage: None,
                    effective_date: self.today(),
                    body: Some(&format!("修改了：{}", changed.join("、"))),
                    facts: None,
                    actor_id: Some(actor.id),
                },
                &now,
            )
            .await?;
        }
        super::record_change(
            &mut tx,
            actor,
            super::Change {
                entity: "project",
                id: id.to_string(),
                action: "update",
                before: Some(&before),
                after: &after,
            },
            &now,
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Moves a project to another stage with the facts that move needs.
    /// `version`, when given, must be the current one.
    pub async fn transition_project(
        &self,
        actor: &Actor,
        id: ProjectId,
        request: &TransitionRequest,
        version: Option<i64>,
    ) -> Result<Project> {
        self.retrying("transition project", || {
            self.transition_project_once(actor, id, request, version)
        })
        .await
    }

    async fn transition_project_once(
        &self,
        actor: &Actor,
        id: ProjectId,
        request: &TransitionRequest,
        version: Option<i64>,
    ) -> Result<Project> {
        self.may_write_projects(actor).await?;
        let mut tx = self.db.write().await?;
        let after = self
            .transition_project_in(&mut tx, actor, id, request, version)
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// `transition_project` inside the caller's transaction (the caller has checked the role).
    pub(crate) async fn transition_project_in(
        &self,
        tx: &mut Conn,
        actor: &Actor,
        id: ProjectId,
        request: &TransitionRequest,
        version: Option<i64>,
    ) -> Result<Project> {
        let before = self.in_scope(tx, actor, id).await?;
        if let Some(v) = version
            && v != before.version
        {
            return Err(stale(before.version));
        }
        let state = before.stage_state();
        let t = request.check(&state, self.today())?;
        let paused_from = t.paused_from_after(&state);
        let now = now_text();
        if !store_projects::apply_transition(tx, &before, &t, paused_from, before.version, &now)
            .await?
        {
            return Err(stale(before.version));
        }
        let (facts, body) = match &t.facts {
            Facts::None => (None, None),
            Facts::Contract { amount } => (Some(json!({ "contract_amount": amount })), None),
            Facts::Landing {
                credit_code,
                land_grant_date,
            } => (
                Some(json!({
                    "credit_code": credit_code.as_ref().map(|c| c.to_string()),
                    "land_grant_date": land_grant_date.map(iso),
                })),
                None,
            ),
            Facts::Reason(r) => (None, Some(r.as_str())),
        };
        store_projects::insert_history_entry(
            tx,
            &NewHistoryEntry {
                project_id: id,
                kind: HistoryKind::Transition,
                from_stage: Some(t.from),
                to_stage: Some(t.to),
                effective_date: t.date,
                body,
                facts,
                actor_id: Some(actor.id),
            },
            &now,
        )
        .await?;
        let after = store_projects::by_id(tx, id)
            .await?
            .ok_or_else(Error::project_not_found)?;
        super::record_change(
            tx,
            actor,
            super::Change {
                entity: "project",
                id: id.to_string(),
                action: "transition",
                before: Some(&before),
                after: &after,
            },
            &now,
        )
        .await?;
        Ok(after)
    }

    /// Adds a progress note (进展情况) dated `date` (default today).
    pub async fn add_note(
        &self,
        actor: &Actor,
        id: ProjectId,
        body: &str,
        date: &str,
    ) -> Result<store_projects::HistoryEntry> {
        self.retrying("add note", || self.add_note_once(actor, id, body, date))
            .await
    }

    async fn add_note_once(
        &self,
        actor: &Actor,
        id: ProjectId,
        body: &str,
        date: &str,
    ) -> Result<store_projects::HistoryEntry> {
        self.may_write_projects(actor).await?;
        let today = self.today();
        let mut tx = self.db.write().await?;
        let project = self.in_scope(&mut tx, actor, id).await?;
        let mut errors = Invalid::default();
        let body = crate::domain::validation::written(
            &mut errors,
            "body",
            "进展情况",
            body,
            true,
            crate::domain::project::NOTES_MAX,
        )
        .unwrap_or_default();
        let date = match date.trim() {
            "" => Some(today),
            t => match parse_date(t) {
                Some(d) if d > today => {
                    errors.add("date", format!("进展日期不能晚于今天（{}）", iso(today)));
                    None
                }
                Some(d) if d < project.lead_on => {
                    errors.add(
                        "date",
                        format!("进展日期不能早于项目录入日期（{}）", iso(project.lead_on)),
                    );
                    None
                }
                Some(d) => Some(d),
                None => {
                    errors.add("date", "进展日期格式不正确，应为 年-月-日");
                    None
                }
            },
        };
        let date = match date {
            Some(d) if errors.is_empty() => d,
            _ => return Err(errors.into()),
        };
        let now = now_text();
        let event_id = store_projects::insert_history_entry(
            &mut tx,
            &NewHistoryEntry {
                project_id: id,
                kind: HistoryKind::Note,
                from_stage: None,
                to_stage: None,
                effective_date: date,
                body: Some(&body),
                facts: None,
                actor_id: Some(actor.id),
            },
            &now,
        )
        .await?;
        store_projects::touch_progress(&mut tx, id, date, &now).await?;
        audit::append(
            &mut tx,
            Some(actor),
            audit::Entry {
                action: "note",
                entity: "project",
                entity_id: Some(id.to_string()),
                before: None,
                after: Some(json!({ "event_id": event_id, "date": iso(date), "body": body })),
            },
            &now,
        )
        .await?;
        tx.commit().await?;
        let mut conn = self.db.pool.acquire().await?;
        let history = store_projects::history(&mut conn, id).await?;
        history
            .into_iter()
            .find(|e| e.id == event_id)
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("note {event_id} vanished")))
    }
}

/// Labels of the facts that differ between two versions of a project.
fn changed_fields(a: &Project, b: &Project) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |field: &str, same: bool| {
        if !same {
            out.push(field_label(field));
        }
    };
    check("name", a.name == b.name);
    check("investor_name", a.investor_name == b.investor_name);
    check("industry_code", a.industry_code == b.industry_code);
    check("channel", a.channel == b.channel);
    check("total_investment", a.total_investment == b.total_investment);
    check("land_area", a.land_area == b.land_area);
    check("building_area", a.building_area == b.building_area);
    check("expected_output", a.expected_output == b.expected_output);
    check("expected_tax", a.expected_tax == b.expected_tax);
    check("jobs", a.jobs == b.jobs);
    check("unit_id", a.unit_id == b.unit_id);
    check("officer_id", a.officer_id == b.officer_id);
    check("leader_id", a.leader_id == b.leader_id);
    check("referrer", a.referrer == b.referrer);
    check("notes", a.notes == b.notes);
    check("investor_id", a.investor_id == b.investor_id);
    check("referrer_id", a.referrer_id == b.referrer_id);
    out
}

/// A project's current facts as form input (for edit forms and partial API updates).
/// `p`'s facts as typed values: what a partial change (the API's PATCH) starts from.
pub fn fields_of(p: &Project) -> Result<ProjectFields> {
    let industry = IndustryCode::parse(&p.industry_code).ok_or_else(|| {
        Error::Invalid(Invalid::single(
            "industry_code",
            format!(
                "该项目记录的所属行业代码“{}”不是行业大类代码，请在项目页面重新选择所属行业",
                p.industry_code
            ),
        ))
    })?;
    Ok(ProjectFields {
        name: p.name.clone(),
        investor_name: p.investor_name.clone(),
        industry,
        channel: p.channel,
        total_investment: p.total_investment,
        land_area: p.land_area,
        building_area: p.building_area,
        expected_output: p.expected_output,
        expected_tax: p.expected_tax,
        jobs: p.jobs,
        unit_id: Some(p.unit_id),
        officer_id: p.officer_id,
        leader_id: p.leader_id,
        referrer: p.referrer.clone(),
        notes: p.notes.clone(),
        investor_id: p.investor_id,
        referrer_id: p.referrer_id,
    })
}

pub fn input_of(p: &Project) -> ProjectInput {
    ProjectInput {
        name: p.name.clone(),
        investor_name: p.investor_name.clone(),
        industry_code: p.industry_code.clone(),
        channel: p.channel.map(|c| c.key().to_string()).unwrap_or_default(),
        total_investment: p.total_investment.wan_plain(),
        currency: p.total_investment.currency.code().to_string(),
        land_area: p.land_area.map(|a| a.mu_plain()).unwrap_or_default(),
        land_area_m2: String::new(),
        building_area: p
            .building_area
            .map(|a| a.m2.to_string())
            .unwrap_or_default(),
        expected_output: p.expected_output.map(|m| m.wan_plain()).unwrap_or_default(),
        expected_tax: p.expected_tax.map(|m| m.wan_plain()).unwrap_or_default(),
        jobs: p.jobs.map(|j| j.to_string()).unwrap_or_default(),
        unit_id: p.unit_id.to_string(),
        officer_id: p.officer_id.map(|u| u.to_string()).unwrap_or_default(),
        leader_id: p.leader_id.map(|u| u.to_string()).unwrap_or_default(),
        referrer: p.referrer.clone().unwrap_or_default(),
        notes: p.notes.clone().unwrap_or_default(),
        investor_id: p.investor_id.map(|i| i.to_string()).unwrap_or_default(),
        referrer_id: p.referrer_id.map(|i| i.to_string()).unwrap_or_default(),
    }
}

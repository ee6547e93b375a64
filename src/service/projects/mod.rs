//! The project pipeline's use cases: reading (here) and writing (`write`).

mod write;

use super::{App, Page};
use crate::domain::ids::{ProjectId, UnitId};
use crate::domain::industry::IndustryCode;
use crate::domain::listing::{Criteria, Sort, Totals};
use crate::domain::project::{Band, Batch, ProjectFields};
use crate::domain::search::Query;
use crate::domain::stage::Stage;
use crate::domain::user::{Actor, Role};
use crate::domain::validation::{Invalid, date_range, paging};
use crate::error::{Error, Result};
use crate::store::projects::{self as store_projects, Project};
use crate::store::{Conn, units, users};

/// List parameters as they arrive (query string or API), unparsed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    pub stage: String,
    pub q: String,
    pub unit: String,
    /// 责任人 (a user id): only the projects this officer is responsible for.
    pub officer: String,
    /// 包联领导 (a user id): only the projects this leader looks after.
    pub leader: String,
    /// `1`: only active projects (not paused, not closed).
    pub active: String,
    /// `1`: only active projects without progress for longer than the stalled threshold.
    pub stalled: String,
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
    let visible = match store_projects::by_id_with_path(conn, id).await? {
        // An enterprise sees the projects of its own investor record, whatever their unit.
        Some((project, _)) if actor.role == Role::Enterprise => (project.investor_id.is_some()
            && project.investor_id == actor.investor_id)
            .then_some(project),
        Some((project, path)) => actor.unit_path.contains(&path).then_some(project),
        None => None,
    };
    visible.ok_or_else(Error::project_not_found)
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
    pub(crate) async fn in_scope(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        id: ProjectId,
    ) -> Result<Project> {
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

    /// What the project form suggests as the user types: the 客商库 names and the referrers in
    /// the caller's reach (at most 500 each). A name typed as suggested links the record.
    pub async fn project_form_suggestions(
        &self,
        actor: &Actor,
    ) -> Result<(Vec<String>, Vec<String>)> {
        self.may_read(actor).await?;
        let mut conn = self.db.pool.acquire().await?;
        let investors =
            crate::store::investors::in_subtree(&mut conn, &actor.unit_path, 500).await?;
        let (referrers, _) =
            crate::store::referrers::search(&mut conn, &actor.unit_path, None, 500, 0).await?;
        Ok((
            investors.into_iter().map(|i| i.name).collect(),
            referrers.into_iter().map(|r| r.name).collect(),
        ))
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
        let criteria = self.criteria_of(&mut conn, actor, params, all).await?;
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
            items: items.into_iter().map(|p| p.seen_by(actor.role)).collect(),
            total: totals.count,
            page: criteria.page,
            per_page: criteria.per_page,
        };
        Ok((page, totals))
    }

    /// The counts and sums of the lists these parameters would show, in one pass over the
    /// projects: a start page's figures are the lists their links lead to, by construction.
    pub(crate) async fn tally_lists(
        &self,
        actor: &Actor,
        lists: &[ListParams],
    ) -> Result<Vec<Totals>> {
        self.may_read(actor).await?;
        let mut conn = self.db.pool.acquire().await?;
        let mut criteria = Vec::with_capacity(lists.len());
        for params in lists {
            criteria.push(self.criteria_of(&mut conn, actor, params, false).await?);
        }
        let snapshot = self.db.lists.current(&mut conn).await?;
        Ok(crate::domain::listing::tally(snapshot.facts(), &criteria))
    }

    /// A list request parsed and scoped for this caller; bad filters are refused by field.
    async fn criteria_of(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        params: &ListParams,
        all: bool,
    ) -> Result<Criteria> {
        let conn = &mut *conn;
        let mut errors = Invalid::default();
        let unit_path = match params.unit.trim() {
            "" => actor.unit_path.clone(),
            text => match text.parse::<i64>().ok().map(UnitId) {
                Some(id) => match units::by_id(conn, id).await? {
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
        let person = |text: &str| text.trim().parse::<i64>().ok().filter(|id| *id > 0);
        let officer = person(&params.officer);
        choice("officer", &params.officer, "责任人", officer.is_some());
        // An enterprise does not see who looks after its projects, so it cannot filter by it.
        let leader = person(&params.leader).filter(|_| actor.role != Role::Enterprise);
        choice(
            "leader",
            &params.leader,
            "包联领导",
            leader.is_some() || actor.role == Role::Enterprise,
        );
        let flag = |text: &str| match text.trim() {
            "" | "0" => Some(false),
            "1" => Some(true),
            _ => None,
        };
        let stalled = flag(&params.stalled);
        choice("stalled", &params.stalled, "久无进展", stalled.is_some());
        let active = flag(&params.active);
        choice("active", &params.active, "在办", active.is_some());
        let (stalled, active) = (stalled.unwrap_or(false), active.unwrap_or(false));
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
            units::all(conn).await?
        } else {
            units::subtree(conn, &unit_path).await?
        }
        .into_iter()
        .map(|u| u.id.0)
        .collect();
        // An enterprise lists its own projects only (none until its account is linked).
        let only = match actor.role {
            Role::Enterprise => Some(match actor.investor_id {
                Some(investor) => store_projects::ids_of_investor(conn, investor).await?,
                None => Vec::new(),
            }),
            _ => None,
        };
        // 久无进展: active, and quiet for longer than the configured stalled threshold.
        let stalled_before = stalled.then(|| {
            self.today() - time::Duration::days(self.config.idle_thresholds.stalled_after_days)
        });
        Ok(Criteria {
            units,
            only,
            stage,
            officer,
            leader,
            active: active || stalled,
            stalled_before,
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
        })
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
            officer: None,
            leader: None,
            active: false,
            stalled_before: None,
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
            items: items.into_iter().map(|p| p.seen_by(actor.role)).collect(),
            total: totals.count,
        })
    }

    /// Suggestions for a "choose a project by name" field: "名称 #编号" of the projects in the
    /// caller's reach that `keep` admits, by name, at most 500.
    pub async fn project_suggestions(
        &self,
        actor: &Actor,
        keep: impl Fn(&crate::domain::listing::ListFacts) -> bool,
    ) -> Result<Vec<String>> {
        let mut conn = self.db.pool.acquire().await?;
        let units: std::collections::HashSet<i64> = units::subtree(&mut conn, &actor.unit_path)
            .await?
            .into_iter()
            .map(|u| u.id.0)
            .collect();
        let snapshot = self.db.lists.current(&mut conn).await?;
        let mut found: Vec<(&str, i64)> = snapshot
            .facts()
            .iter()
            .filter(|f| units.contains(&f.unit_id) && keep(f))
            .take(500)
            .map(|f| (f.name.as_str(), f.id))
            .collect();
        found.sort_unstable();
        Ok(found
            .into_iter()
            .map(|(name, id)| crate::domain::pick::suggestion(name, id))
            .collect())
    }

    /// The project a "choose by name" field names (see `domain::pick`): its number, or the
    /// one project of that name in the caller's reach; otherwise why not, in words.
    pub(crate) async fn project_by_pick(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        text: &str,
    ) -> Result<std::result::Result<ProjectId, String>> {
        use crate::domain::pick::{Pick, parse_pick};
        let name = match parse_pick(text) {
            Pick::Id(id) => return Ok(Ok(ProjectId(id))),
            Pick::Nothing => return Ok(Err("请选择项目".into())),
            Pick::Name(name) => name,
        };
        let normalised = crate::domain::search::normalise(&name);
        let ids: Vec<i64> = {
            let snapshot = self.db.lists.current(conn).await?;
            snapshot.named(&normalised).map(|f| f.id).collect()
        };
        let mut reachable = Vec::new();
        for id in ids {
            if let Some((path, _)) = store_projects::scope_of(conn, ProjectId(id)).await?
                && actor.unit_path.contains(&path)
            {
                reachable.push(ProjectId(id));
            }
        }
        Ok(match reachable.as_slice() {
            [one] => Ok(*one),
            [] => Err(format!("没有名为“{name}”的项目，请从列表中选择")),
            many => Err(format!(
                "有 {} 个名为“{name}”的项目，请从列表中选择",
                many.len()
            )),
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
        Ok(self
            .in_scope(&mut conn, actor, id)
            .await?
            .seen_by(actor.role))
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
}

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

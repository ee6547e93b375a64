//! The project pipeline's writes: record, change, move to another stage, note progress.
//! Each takes typed facts, checks them against the domain's rules inside the write turn,
//! and ends with its audit entry.

use super::super::{App, edit};
use crate::domain::dates::{iso, parse_date};
use crate::domain::glossary::field_label;
use crate::domain::ids::{ProjectId, UnitId};
use crate::domain::project::{ProjectFields, corrected_entry_date, entry_date_within};
use crate::domain::stage::Stage;
use crate::domain::transition::{Facts, TransitionRequest};
use crate::domain::user::{Actor, Role};
use crate::domain::validation::Invalid;
use crate::error::{Error, Result};
use crate::store::projects::{self as store_projects, HistoryKind, NewHistoryEntry, Project};
use crate::store::{Conn, audit, now_text, units, users};
use serde_json::json;
use time::Date;

/// A 客商库 record or referrer named but not linked is linked when the name is that of exactly
/// one record in the caller's reach (the form suggests their names as the user types); a name
/// not yet recorded stays free text.
async fn link_named_records(
    conn: &mut Conn,
    actor: &Actor,
    fields: &mut ProjectFields,
) -> Result<()> {
    if fields.investor_id.is_none() && !fields.investor_name.trim().is_empty() {
        let key = crate::domain::investor::name_key(&fields.investor_name);
        let found: Vec<_> = crate::store::investors::by_name_key(conn, &key)
            .await?
            .into_iter()
            .filter(|c| actor.unit_path.contains(&c.unit_path))
            .collect();
        if let [one] = found.as_slice() {
            fields.investor_id = Some(one.id);
        }
    }
    if fields.referrer_id.is_none()
        && let Some(name) = fields
            .referrer
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
    {
        let (found, _) =
            crate::store::referrers::search(conn, &actor.unit_path, Some(name), 20, 0).await?;
        let exact: Vec<_> = found.iter().filter(|r| r.name == name).collect();
        if let [one] = exact.as_slice() {
            fields.referrer_id = Some(one.id);
        }
    }
    Ok(())
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
        // The project's own unit is in scope, or the project would not have been found.
        Some(id) if before.is_some_and(|b| b.unit_id == id) => id,
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
            Some(i) if i.merged_into.is_none() && crate::service::investors::visible(actor, &i) => {
            }
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
    /// Records a new project in `lead`, first recorded on `lead_on` (录入日期, not after today).
    /// A project of the same name for the same investor is probably already recorded: refused
    /// as a probable duplicate (409 listing it) unless `confirm_duplicate`.
    pub async fn create_project(
        &self,
        actor: &Actor,
        fields: &ProjectFields,
        lead_on: Date,
        confirm_duplicate: bool,
    ) -> Result<Project> {
        self.retrying("create project", || {
            self.create_project_once(actor, fields, lead_on, confirm_duplicate)
        })
        .await
    }

    async fn create_project_once(
        &self,
        actor: &Actor,
        fields: &ProjectFields,
        lead_on: Date,
        confirm_duplicate: bool,
    ) -> Result<Project> {
        self.may_write_projects(actor).await?;
        // Looked up before the write turn, which stays short: records named by name, and the
        // projects already bearing this name (a warning, so a project of the same name
        // recorded in the moment between is not worth holding every writer for).
        let mut fields = fields.clone();
        let same_name = {
            let mut conn = self.db.pool.acquire().await?;
            link_named_records(&mut conn, actor, &mut fields).await?;
            if confirm_duplicate {
                None
            } else {
                let name = crate::domain::search::normalise(&fields.name);
                let snapshot = self.db.lists.current(&mut conn).await?;
                Some(snapshot.named(&name).map(|f| f.id).take(50).collect())
            }
        };
        let mut tx = self.db.write().await?;
        let project = self
            .create_project_in(&mut tx, actor, &fields, lead_on, same_name)
            .await?;
        tx.commit().await?;
        Ok(project)
    }

    /// Refuses a new project whose name (normalised) and investor (the same 客商库 record, or
    /// the same name but for the company form) are those of a recorded one. Projects outside
    /// the caller's scope are counted, never named.
    async fn refuse_probable_duplicate(
        &self,
        tx: &mut Conn,
        actor: &Actor,
        fields: &ProjectFields,
        same_name: &[i64],
    ) -> Result<()> {
        if same_name.is_empty() {
            return Ok(());
        }
        let ids = same_name.iter().copied();
        let investor_key = crate::domain::investor::name_key(&fields.investor_name);
        let (mut ours, mut elsewhere) = (Vec::new(), 0);
        for id in ids {
            let Some((p, path)) = store_projects::by_id_with_path(tx, ProjectId(id)).await? else {
                continue;
            };
            let same_investor = (fields.investor_id.is_some()
                && p.investor_id == fields.investor_id)
                || crate::domain::investor::name_key(&p.investor_name) == investor_key;
            if !same_investor {
                continue;
            }
            if actor.unit_path.contains(&path) {
                ours.push(p);
            } else {
                elsewhere += 1;
            }
        }
        if ours.is_empty() && elsewhere == 0 {
            return Ok(());
        }
        let mut said = Vec::new();
        if !ours.is_empty() {
            let named: Vec<String> = ours
                .iter()
                .map(|p| format!("“{}”（{}，{}）", p.name, p.unit_name, p.stage.label()))
                .collect();
            said.push(format!("该投资方已有同名项目{}", named.join("、")));
        }
        if elsewhere > 0 {
            said.push(format!(
                "您管辖范围以外的单位另有 {elsewhere} 个该投资方的同名项目"
            ));
        }
        let candidates = ours
            .iter()
            .map(|p| {
                json!({ "id": p.id, "name": p.name, "investor_name": p.investor_name,
                        "unit": p.unit_name, "stage": p.stage.key(),
                        "stage_label": p.stage.label(), "lead_on": iso(p.lead_on) })
            })
            .collect();
        Err(Error::Duplicate(
            format!(
                "{}，可能是同一个项目；确认不是同一个后可继续录入",
                said.join("；")
            ),
            candidates,
        ))
    }

    /// `create_project` inside the caller's transaction (the caller has checked the role).
    pub(crate) async fn create_project_in(
        &self,
        tx: &mut Conn,
        actor: &Actor,
        fields: &ProjectFields,
        lead_on: Date,
        same_name: Option<Vec<i64>>,
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
        // Only a project that could be recorded is worth asking about.
        if let Some(ids) = &same_name {
            self.refuse_probable_duplicate(tx, actor, &fields, ids)
                .await?;
        }
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
        edit::created(tx, actor, id, &now).await
    }

    /// Rewrites a project's facts; refused when `version` is not the current one.
    /// The project as it stands, for a caller about to change it (partial updates).
    pub async fn project_for_update(&self, actor: &Actor, id: ProjectId) -> Result<Project> {
        self.may_write_projects(actor).await?;
        let mut conn = self.db.pool.acquire().await?;
        self.in_scope(&mut conn, actor, id).await
    }

    /// Rewrites a project's facts, and corrects its 录入日期 when `lead_on` is a new day (never
    /// past the first thing that happened to it since; audited with the rest).
    pub async fn update_project(
        &self,
        actor: &Actor,
        id: ProjectId,
        fields: &ProjectFields,
        version: i64,
        lead_on: Option<Date>,
    ) -> Result<Project> {
        self.retrying("update project", || {
            self.update_project_once(actor, id, fields, version, lead_on)
        })
        .await
    }

    async fn update_project_once(
        &self,
        actor: &Actor,
        id: ProjectId,
        fields: &ProjectFields,
        version: i64,
        lead_on: Option<Date>,
    ) -> Result<Project> {
        self.may_write_projects(actor).await?;
        let mut fields = fields.clone();
        {
            let mut conn = self.db.pool.acquire().await?;
            link_named_records(&mut conn, actor, &mut fields).await?;
        }
        let mut tx = self.db.write().await?;
        // Scope first: a project outside it answers "not found" whatever was sent.
        let before = self.in_scope(&mut tx, actor, id).await?;
        let checked = fields.clone().checked();
        let corrected = match lead_on.filter(|d| *d != before.lead_on) {
            Some(day) => {
                let first = store_projects::first_after_creation(&mut tx, id).await?;
                corrected_entry_date(day, self.today(), first).map(Some)
            }
            None => Ok(None),
        };
        let (fields, corrected) = match (checked, corrected) {
            (Ok(f), Ok(c)) => (f, c),
            (Err(mut e), Err(more)) => {
                e.0.extend(more.0);
                return Err(e.into());
            }
            (Err(e), _) | (_, Err(e)) => return Err(e.into()),
        };
        edit::check_version(&before, version)?;
        let unit_id = check_references(&mut tx, actor, &fields, Some(&before)).await?;
        if let Some(day) = corrected {
            store_projects::correct_lead_on(&mut tx, &before, day).await?;
        }
        let now = now_text();
        let written =
            store_projects::update_fields(&mut tx, &before, &fields, unit_id, version, &now)
                .await?;
        let after = edit::finish(&mut tx, actor, &before, written, "update", &now).await?;
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
        if let Some(v) = version {
            edit::check_version(&before, v)?;
        }
        let state = before.stage_state();
        let t = request.check(&state, self.today())?;
        let paused_from = t.paused_from_after(&state);
        let now = now_text();
        let written =
            store_projects::apply_transition(tx, &before, &t, paused_from, before.version, &now)
                .await?;
        let after = edit::finish(tx, actor, &before, written, "transition", &now).await?;
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
    check("lead_on", a.lead_on == b.lead_on);
    out
}

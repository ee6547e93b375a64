//! Leads (招商线索): submitted by anyone with a business role, assigned by a leader, followed up
//! by officers, dropped with a reason or converted into a project in one transaction.
//!
//! Scope: a lead belongs to a unit (the submitter's, then the one it is assigned to) and is seen
//! in that unit's subtree by leaders, officers and departments; whoever submitted it always sees
//! it (an enterprise sees only the leads it submitted). Officers and leaders work it; only a
//! leader assigns it.

use super::{App, Page, edit};
use crate::domain::dates::{iso, parse_date};
use crate::domain::ids::LeadId;
use crate::domain::ids::{ProjectId, UnitId, UserId};
use crate::domain::lead::{CONVERT_TO, LeadFields, LeadStatus};
use crate::domain::project::ProjectInput;
use crate::domain::stage::Stage;
use crate::domain::transition::TransitionRequest;
use crate::domain::user::{Actor, Role};
use crate::domain::validation::{Invalid, paging};
use crate::error::{Error, Result};
use crate::store::leads::{self, Change, Lead, LeadNote, Search};
use crate::store::projects::Project;
use crate::store::{Conn, audit, now_text, units, users};
use serde::Deserialize;
use serde_json::json;

pub fn lead_not_found() -> Error {
    Error::NotFound("线索不存在，或不在您的管辖范围内".into())
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct LeadParams {
    pub q: String,
    pub status: String,
    /// Only the leads naming this 客商库 record.
    pub investor_id: String,
    /// Only the leads assigned to this officer (a user id).
    pub officer: String,
    /// `1`: only the assigned leads whose follow-up is overdue (see `lead_follow_up_days`).
    pub overdue: String,
    /// `1`: only the leads the caller submitted.
    pub mine: String,
    pub page: String,
    pub per_page: String,
}

/// What converting a lead asks for: the stage to start in and what the lead may lack.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ConvertInput {
    /// `lead` or `negotiating`.
    pub to: String,
    /// The project's 录入日期 (and, for `negotiating`, the first talks), default today.
    pub date: String,
    /// Total investment in 万元 when the lead has no amount (or to correct it).
    pub total_investment: String,
    pub currency: String,
    /// Industry when the lead has none.
    pub industry_code: String,
    /// The project's name (blank: the lead's title).
    pub name: String,
    /// The 客商库 record the project is with: an id, `new` to record the lead's investor as a
    /// new one, or blank for the lead's own record, else the one record of that name in reach,
    /// else a new one.
    pub investor_id: String,
    /// The kind of a new 客商库 record (blank: 民营企业).
    pub investor_kind: String,
    /// The referrer to credit, by id; blank credits nobody.
    pub referrer_id: String,
}

/// What a conversion offers to choose from: the 客商库 records of the lead's investor name, and
/// the referrers, within the caller's reach.
pub struct ConvertChoices {
    pub investors: Vec<crate::domain::records::investor::Candidate>,
    pub referrers: Vec<crate::domain::records::referrer::Referrer>,
}

/// Which 客商库 record a converted lead's project is with.
enum InvestorChoice {
    Existing(crate::domain::ids::InvestorId),
    New,
}

fn visible(actor: &Actor, lead: &Lead) -> bool {
    lead.created_by == Some(actor.id)
        || (actor.role.is_staff() && actor.unit_path.contains(&lead.unit_path))
}

/// Whether `actor` may work this lead (follow up, drop, convert): an officer or leader whose
/// subtree holds it, while it is open. Pages use it to offer only what will be accepted.
pub fn may_work(actor: &Actor, lead: &Lead) -> bool {
    actor.role.does_casework() && actor.unit_path.contains(&lead.unit_path) && lead.status.is_open()
}

/// Whether `actor` may assign this lead: only a leader who may work it.
pub fn may_assign(actor: &Actor, lead: &Lead) -> bool {
    actor.role == Role::Leader && may_work(actor, lead)
}

fn open(lead: &Lead) -> Result<()> {
    match lead.status.refusal() {
        Some(why) => Err(Error::Conflict(why.into())),
        None => Ok(()),
    }
}

impl App {
    async fn lead_role(
        &self,
        actor: &Actor,
        allowed: fn(Role) -> bool,
        what: &'static str,
    ) -> Result<()> {
        self.role_allows(actor, allowed, "lead", what).await
    }

    async fn lead_in_scope(&self, conn: &mut Conn, actor: &Actor, id: LeadId) -> Result<Lead> {
        let found = match leads::by_id(conn, id).await? {
            Some(l) if visible(actor, &l) => Ok(l),
            _ => Err(lead_not_found()),
        };
        self.refusal_recorded(actor, "lead", "查看招商线索", Some(id.to_string()), found)
    }

    /// A lead the caller works (officer or leader) and may see: submitters who do not work
    /// leads read them but change nothing.
    async fn lead_to_work(&self, conn: &mut Conn, actor: &Actor, id: LeadId) -> Result<Lead> {
        self.lead_role(actor, Role::does_casework, "办理招商线索")
            .await?;
        let lead = self.lead_in_scope(conn, actor, id).await?;
        // A lead submitted from outside the officer's subtree is read, not worked.
        if !actor.unit_path.contains(&lead.unit_path) {
            return Err(Error::Forbidden(
                "这条线索不在您的管辖范围内，只能查看".into(),
            ));
        }
        Ok(lead)
    }

    pub async fn list_leads(&self, actor: &Actor, params: &LeadParams) -> Result<Page<Lead>> {
        self.list_leads_with(actor, params, false).await
    }

    /// Every lead the filters select (for exports): no paging.
    pub async fn list_all_leads(&self, actor: &Actor, params: &LeadParams) -> Result<Page<Lead>> {
        self.list_leads_with(actor, params, true).await
    }

    async fn list_leads_with(
        &self,
        actor: &Actor,
        params: &LeadParams,
        all: bool,
    ) -> Result<Page<Lead>> {
        self.lead_role(actor, Role::is_business, "查看招商线索")
            .await?;
        let mut errors = Invalid::default();
        let (page, per_page) = paging(&mut errors, &params.page, &params.per_page, 20, 100);
        let (page, per_page) = if all {
            (1, self.config.export_max_rows)
        } else {
            (page, per_page)
        };
        let status = match params.status.trim() {
            "" => None,
            s => {
                let parsed = LeadStatus::parse(s);
                if parsed.is_none() {
                    errors.add("status", format!("状态“{s}”无效，请从列表中选择"));
                }
                parsed
            }
        };
        let investor = match params.investor_id.trim() {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(i) if i > 0 => Some(crate::domain::ids::InvestorId(i)),
                _ => {
                    errors.add("investor_id", "客商编号无效");
                    None
                }
            },
        };
        let officer = match params.officer.trim() {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(i) if i > 0 => Some(crate::domain::ids::UserId(i)),
                _ => {
                    errors.add("officer", "责任人编号无效");
                    None
                }
            },
        };
        let mine = match params.mine.trim() {
            "" | "0" => false,
            "1" => true,
            other => {
                errors.add("mine", format!("我提交的“{other}”无效，须为 1 或留空"));
                false
            }
        };
        let overdue = match params.overdue.trim() {
            "" | "0" => false,
            "1" => true,
            other => {
                errors.add("overdue", format!("跟进逾期“{other}”无效，须为 1 或留空"));
                false
            }
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        // Overdue: still assigned, and quiet for longer than the configured days.
        let (status, quiet_before) = if overdue {
            let day = self.today() - time::Duration::days(self.config.lead_follow_up_days);
            (
                Some(LeadStatus::Assigned),
                Some(crate::domain::dates::iso(day)),
            )
        } else {
            (status, None)
        };
        let search = Search {
            scope: (actor.role != Role::Enterprise && !mine).then(|| actor.unit_path.clone()),
            submitted_by: actor.id,
            status,
            investor,
            officer,
            quiet_before,
            needle: Some(params.q.trim().to_string()).filter(|q| !q.is_empty()),
            limit: per_page,
            offset: (page - 1) * per_page,
        };
        let mut conn = self.db.pool.acquire().await?;
        let (items, total) = leads::search(&mut conn, &search).await?;
        Ok(Page {
            items: items.into_iter().map(|l| l.seen_by(actor.role)).collect(),
            total,
            page,
            per_page,
        })
    }

    /// Refuses (and records) an account that may not submit leads.
    pub async fn may_submit_leads(&self, actor: &Actor) -> Result<()> {
        self.lead_role(actor, Role::is_business, "提交招商线索")
            .await
    }

    /// The lead as it stands, for a caller about to work it (partial updates).
    pub async fn lead_for_work(&self, actor: &Actor, id: LeadId) -> Result<Lead> {
        let mut conn = self.db.pool.acquire().await?;
        self.lead_to_work(&mut conn, actor, id).await
    }

    pub async fn get_lead(&self, actor: &Actor, id: LeadId) -> Result<(Lead, Vec<LeadNote>)> {
        self.lead_role(actor, Role::is_business, "查看招商线索")
            .await?;
        let mut conn = self.db.pool.acquire().await?;
        let lead = self
            .lead_in_scope(&mut conn, actor, id)
            .await?
            .seen_by(actor.role);
        // The officers' follow-up notes are the office's working record: an enterprise that
        // submitted the lead sees where it stands, not those.
        if actor.role == Role::Enterprise {
            return Ok((lead, Vec::new()));
        }
        let notes = leads::notes(&mut conn, id).await?;
        Ok((lead, notes))
    }

    /// Checks a linked investor record is one the caller may see.
    async fn check_investor(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        fields: &crate::domain::lead::LeadFields,
    ) -> Result<()> {
        if let Some(id) = fields.investor_id {
            match crate::store::investors::by_id(conn, id).await? {
                Some(i) if i.merged_into.is_none() && super::investors::visible(actor, &i) => {}
                _ => {
                    return Err(
                        Invalid::single("investor_id", "客商不存在，或不在您的管辖范围内").into(),
                    );
                }
            }
        }
        Ok(())
    }

    /// Submits a lead; it belongs to the submitter's unit until a leader assigns it.
    pub async fn submit_lead(&self, actor: &Actor, fields: &LeadFields) -> Result<Lead> {
        self.lead_role(actor, Role::is_business, "提交招商线索")
            .await?;
        let mut fields = fields.clone().checked()?;
        let today = self.today();
        fields.check_received_on(today)?;
        fields.received_on.get_or_insert(today);
        let mut tx = self.db.write().await?;
        self.check_investor(&mut tx, actor, &fields).await?;
        let now = now_text();
        let id = leads::insert(&mut tx, &fields, actor.unit_id, actor.id, &now).await?;
        let lead = edit::created(&mut tx, actor, id, &now).await?;
        tx.commit().await?;
        Ok(lead)
    }

    pub async fn update_lead(
        &self,
        actor: &Actor,
        id: LeadId,
        fields: &LeadFields,
        version: i64,
    ) -> Result<Lead> {
        let mut tx = self.db.write().await?;
        let before = self.lead_to_work(&mut tx, actor, id).await?;
        open(&before)?;
        let mut fields = fields.clone().checked()?;
        fields.check_received_on(self.today())?;
        // Left blank on a form: the date it had.
        fields.received_on.get_or_insert(before.received_on);
        self.check_investor(&mut tx, actor, &fields).await?;
        let now = now_text();
        let written = leads::change(&mut tx, id, version, Change::Fields(&fields), &now).await?;
        let after = edit::finish(&mut tx, actor, &before, written, "update", &now).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A leader gives the lead to a unit of their subtree and, optionally, an officer of it.
    pub async fn assign_lead(
        &self,
        actor: &Actor,
        id: LeadId,
        unit: &str,
        officer: &str,
        version: Option<i64>,
    ) -> Result<Lead> {
        self.lead_role(actor, |r| r == Role::Leader, "分派招商线索")
            .await?;
        let mut tx = self.db.write().await?;
        let before = self.lead_to_work(&mut tx, actor, id).await?;
        open(&before)?;
        let mut errors = Invalid::default();
        let target = match unit.trim().parse::<i64>().ok().filter(|i| *i > 0) {
            None => {
                errors.add("unit_id", "请选择承办单位");
                None
            }
            Some(u) => match units::by_id(&mut tx, UnitId(u)).await? {
                Some(u) if actor.unit_path.contains(&u.path) && !u.retired => Some(u),
                _ => {
                    errors.add("unit_id", "承办单位不存在，或不在您的管辖范围内");
                    None
                }
            },
        };
        let officer_id = match officer.trim() {
            "" => None,
            text => match text.parse::<i64>().ok().filter(|i| *i > 0) {
                None => {
                    errors.add("officer_id", "承办人无效");
                    None
                }
                Some(o) => {
                    let person = users::by_id(&mut tx, UserId(o)).await?;
                    match (&person, &target) {
                        (Some(p), Some(u))
                            if p.active
                                && matches!(p.role, Role::Officer | Role::Leader)
                                && u.path.contains(&p.unit_path) =>
                        {
                            Some(p.id)
                        }
                        _ => {
                            errors.add(
                                "officer_id",
                                "承办人须为承办单位（或其下级单位）在岗的招商人员",
                            );
                            None
                        }
                    }
                }
            },
        };
        let Some(target) = target else {
            return Err(errors.into());
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let now = now_text();
        let change = Change::Assign {
            unit_id: target.id,
            officer_id,
        };
        let written =
            leads::change(&mut tx, id, version.unwrap_or(before.version), change, &now).await?;
        let after = edit::finish(&mut tx, actor, &before, written, "dispatch", &now).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A follow-up (跟进情况), dated `date` (default today).
    pub async fn note_lead(
        &self,
        actor: &Actor,
        id: LeadId,
        body: &str,
        date: &str,
    ) -> Result<Lead> {
        let today = self.today();
        let mut tx = self.db.write().await?;
        let lead = self.lead_to_work(&mut tx, actor, id).await?;
        open(&lead)?;
        let mut errors = Invalid::default();
        let body = crate::domain::validation::written(
            &mut errors,
            "body",
            "跟进情况",
            body,
            true,
            crate::domain::project::NOTES_MAX,
        )
        .unwrap_or_default();
        let date = match date.trim() {
            "" => Some(today),
            t => match parse_date(t) {
                Some(d) if d <= today => Some(d),
                Some(_) => {
                    errors.add("date", format!("跟进日期不能晚于今天（{}）", iso(today)));
                    None
                }
                None => {
                    errors.add("date", "跟进日期格式不正确，应为 年-月-日");
                    None
                }
            },
        };
        let Some(date) = date.filter(|_| errors.is_empty()) else {
            return Err(errors.into());
        };
        let now = now_text();
        leads::add_note(&mut tx, id, &body, &iso(date), actor.id, &now).await?;
        audit::append(
            &mut tx,
            Some(actor),
            audit::Entry {
                action: "note",
                entity: "lead",
                entity_id: Some(id.to_string()),
                before: None,
                after: Some(json!({ "body": body, "date": iso(date) })),
            },
            &now,
        )
        .await?;
        tx.commit().await?;
        Ok(lead)
    }

    pub async fn drop_lead(
        &self,
        actor: &Actor,
        id: LeadId,
        reason: &str,
        version: Option<i64>,
    ) -> Result<Lead> {
        let mut tx = self.db.write().await?;
        let before = self.lead_to_work(&mut tx, actor, id).await?;
        open(&before)?;
        let reason = crate::domain::lead::give_up_reason(reason)?;
        let now = now_text();
        let written = leads::change(
            &mut tx,
            id,
            version.unwrap_or(before.version),
            Change::Drop { reason: &reason },
            &now,
        )
        .await?;
        let after = edit::finish(&mut tx, actor, &before, written, "drop", &now).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The records a conversion of `lead` may link: investors of the lead's investor name and
    /// referrers, both within the caller's reach.
    pub async fn convert_choices(&self, actor: &Actor, lead: &Lead) -> Result<ConvertChoices> {
        let mut conn = self.db.pool.acquire().await?;
        let key = crate::domain::investor::name_key(&lead.investor_name);
        let investors = crate::store::investors::by_name_key(&mut conn, &key)
            .await?
            .into_iter()
            .filter(|c| actor.unit_path.contains(&c.unit_path))
            .collect();
        let (referrers, _) =
            crate::store::referrers::search(&mut conn, &actor.unit_path, None, 500, 0).await?;
        Ok(ConvertChoices {
            investors,
            referrers,
        })
    }

    /// Turns the lead into a project in `lead` or `negotiating`, all in one transaction: the
    /// project (named as asked, with its 客商库 record linked or recorded, and a referrer only
    /// when one was chosen), its first stage, and the lead marked converted with the project's
    /// id.
    pub async fn convert_lead(
        &self,
        actor: &Actor,
        id: LeadId,
        input: &ConvertInput,
        version: Option<i64>,
    ) -> Result<(Lead, Project)> {
        let mut tx = self.db.write().await?;
        let before = self.lead_to_work(&mut tx, actor, id).await?;
        open(&before)?;
        let to = match Stage::parse(input.to.trim()) {
            Some(stage) if CONVERT_TO.contains(&stage) => stage,
            _ => {
                return Err(Invalid::single("to", "线索只能转为“线索”或“在谈”阶段的项目").into());
            }
        };
        let (amount, currency) = match (input.total_investment.trim(), before.amount) {
            ("", Some(m)) => (m.wan_plain(), m.currency.code().to_string()),
            (text, _) => (text.to_string(), input.currency.clone()),
        };
        let industry = match (input.industry_code.trim(), &before.industry_code) {
            ("", Some(code)) => code.clone(),
            (code, _) => code.to_string(),
        };
        let mut errors = Invalid::default();
        let name = match input.name.trim() {
            "" => before.title.clone(),
            typed => typed.to_string(),
        };
        let investor = match input.investor_id.trim() {
            "new" => InvestorChoice::New,
            "" => match before.investor_id {
                Some(id) => InvestorChoice::Existing(id),
                None => {
                    let key = crate::domain::investor::name_key(&before.investor_name);
                    let reachable: Vec<_> = crate::store::investors::by_name_key(&mut tx, &key)
                        .await?
                        .into_iter()
                        .filter(|c| actor.unit_path.contains(&c.unit_path))
                        .collect();
                    match reachable.as_slice() {
                        [one] => InvestorChoice::Existing(one.id),
                        _ => InvestorChoice::New,
                    }
                }
            },
            typed => match typed.parse::<i64>() {
                Ok(id) if id > 0 => InvestorChoice::Existing(crate::domain::ids::InvestorId(id)),
                _ => {
                    errors.add("investor_id", "客商编号无效，请从列表中选择");
                    InvestorChoice::New
                }
            },
        };
        let referrer_id = input.referrer_id.trim().to_string();
        let investor_id = match investor {
            InvestorChoice::Existing(id) => id.to_string(),
            InvestorChoice::New => {
                let fields = crate::domain::investor::InvestorInput {
                    name: before.investor_name.clone(),
                    kind: match input.investor_kind.trim() {
                        "" => "private".to_string(),
                        kind => kind.to_string(),
                    },
                    industry_code: before.industry_code.clone().unwrap_or_default(),
                    ..Default::default()
                }
                .parse();
                match fields {
                    Ok(f) if errors.is_empty() => {
                        let now = now_text();
                        let id = crate::store::investors::insert(
                            &mut tx,
                            &f,
                            before.unit_id,
                            Some(actor.id),
                            &now,
                        )
                        .await?;
                        let _: crate::store::investors::Investor =
                            edit::created(&mut tx, actor, id, &now).await?;
                        id.to_string()
                    }
                    Ok(_) => String::new(),
                    Err(problems) => {
                        for p in problems.0 {
                            let field = if p.field == "kind" {
                                "investor_kind".to_string()
                            } else {
                                format!("investor_{}", p.field)
                            };
                            errors.add(&field, p.message);
                        }
                        String::new()
                    }
                }
            }
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        // The officer in charge: the lead's, else the converting officer (a leader converting
        // an unassigned lead leaves it open).
        let officer = match (before.officer_id, actor.role) {
            (Some(o), _) => o.to_string(),
            (None, Role::Officer) => actor.id.to_string(),
            _ => String::new(),
        };
        let project_input = ProjectInput {
            name,
            investor_name: before.investor_name.clone(),
            industry_code: industry,
            channel: before
                .channel
                .map(|c| c.key().to_string())
                .unwrap_or_default(),
            total_investment: amount,
            currency,
            unit_id: before.unit_id.to_string(),
            officer_id: officer,
            notes: before.notes.clone().unwrap_or_default(),
            investor_id,
            referrer_id,
            ..ProjectInput::default()
        };
        let fields = project_input.parse();
        // The project entered the pipeline when the lead was learned of, unless told otherwise.
        let entered = match input.date.trim() {
            "" => Ok(before.received_on.min(self.today())),
            typed => crate::domain::project::entry_date(typed, self.today()),
        };
        let (fields, entered) = match (fields, entered) {
            (Ok(f), Ok(d)) => (f, d),
            (Err(mut e), Err(d)) => {
                e.0.extend(d.0);
                return Err(e.into());
            }
            (Err(e), _) | (_, Err(e)) => return Err(e.into()),
        };
        let mut project = self
            .create_project_in(&mut tx, actor, &fields, entered, None)
            .await?;
        if to == Stage::Negotiating {
            // 在谈 from the day typed, or today: the lead came in earlier, the talks start now.
            let talks_from = match input.date.trim() {
                "" => self.today(),
                _ => project.lead_on,
            };
            let move_on = TransitionRequest {
                to: Stage::Negotiating,
                date: Some(talks_from),
                contract_amount: None,
                credit_code: None,
                land_grant_date: None,
                reason: String::new(),
            };
            project = self
                .transition_project_in(&mut tx, actor, project.id, &move_on, None)
                .await?;
        }
        let now = now_text();
        let change = Change::Convert {
            project: project.id,
        };
        let written =
            leads::change(&mut tx, id, version.unwrap_or(before.version), change, &now).await?;
        let after = edit::finish(&mut tx, actor, &before, written, "convert", &now).await?;
        tx.commit().await?;
        // The lists see the new project at their next read (its change stamp is committed).
        Ok((after, project))
    }

    /// The lead a project came from, when the caller may see it.
    pub async fn lead_of_project(
        &self,
        actor: &Actor,
        project: ProjectId,
    ) -> Result<Option<LeadId>> {
        let mut conn = self.db.pool.acquire().await?;
        let Some(id) = leads::of_project(&mut conn, project).await? else {
            return Ok(None);
        };
        Ok(leads::by_id(&mut conn, id)
            .await?
            .filter(|l| visible(actor, l))
            .map(|l| l.id))
    }
}

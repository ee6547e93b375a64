//! 项目库: the list, the form, the project page.

use crate::config::Config;
use crate::domain::area::Area;
use crate::domain::channel::Channel;
use crate::domain::dates::{days_between, iso, shanghai_minute};
use crate::domain::listing::Sort;
use crate::domain::money::{Currency, Money, format_big};
use crate::domain::project::{Band, Batch, Idleness, ProjectInput};
use crate::domain::records::project::{HistoryEntry, HistoryKind, Project};
use crate::domain::stage::{Move, Stage};
use crate::domain::transition::{Needs, TransitionInput};
use crate::domain::user::Actor;
use crate::domain::validation::Invalid;
use crate::service::projects::{FormChoices, ListParams, ProjectPage};
use crate::web::views::*;
use askama::Template;
use askama_web::WebTemplate;
use time::Date;

/// A row of the project list.
pub struct ProjectRow {
    pub id: i64,
    pub name: String,
    pub investor_name: String,
    pub stage_key: &'static str,
    pub stage_label: &'static str,
    pub unit_name: String,
    pub industry: String,
    pub investment: String,
    pub big: bool,
    pub lead_on: String,
    pub days_idle: i64,
    pub idleness: Idleness,
    pub officer: String,
}

fn idle_class(idleness: Idleness) -> &'static str {
    match idleness {
        Idleness::Stalled => "idle-long",
        Idleness::Quiet => "idle-mid",
        Idleness::Recent | Idleness::Closed => "",
    }
}

impl ProjectRow {
    pub fn of(p: &Project, today: Date, config: &Config) -> ProjectRow {
        ProjectRow {
            id: p.id.0,
            name: p.name.clone(),
            investor_name: p.investor_name.clone(),
            stage_key: p.stage.key(),
            stage_label: p.stage.label(),
            unit_name: p.unit_name.clone(),
            industry: p
                .industry()
                .map(|i| i.name())
                .unwrap_or_default()
                .to_string(),
            investment: p.total_investment.display(),
            big: is_big(p.total_investment, config.usd_rate_e4),
            lead_on: iso(p.lead_on),
            days_idle: days_between(p.last_progress_on, today),
            idleness: config
                .idle_thresholds
                .judge_project(p.stage, days_between(p.last_progress_on, today)),
            officer: p.officer_name.clone().unwrap_or_default(),
        }
    }
    pub fn idle_class(&self) -> &'static str {
        idle_class(self.idleness)
    }
    /// Closed projects show no count of idle days.
    pub fn is_closed(&self) -> bool {
        self.idleness == Idleness::Closed
    }
}

/// 亿元以上 (USD converted at the configured rate).
fn is_big(m: Money, usd_rate_e4: i64) -> bool {
    Band::AtLeast100M.contains(m, usd_rate_e4)
}

#[derive(Template, WebTemplate)]
#[template(path = "projects/list.html")]
pub struct ProjectListPage {
    pub layout: Layout,
    pub params: ListParams,
    pub rows: Vec<ProjectRow>,
    pub count: i64,
    pub total_cny: String,
    pub total_usd: Option<String>,
    pub page: i64,
    pub pages: i64,
    pub prev_href: Option<String>,
    /// Where a page past the end goes: the last page.
    pub last_href: Option<String>,
    pub next_href: Option<String>,
    pub stages: Vec<Opt>,
    pub units: Vec<Opt>,
    /// 责任人 and 包联领导 within reach, to filter by.
    pub officers: Vec<Opt>,
    pub leaders: Vec<Opt>,
    pub industries: Vec<OptGroup>,
    pub bands: Vec<Opt>,
    pub batches: Vec<Opt>,
    pub sorts: Vec<Opt>,
    pub quick: Vec<(String, String, bool)>,
    pub error: Option<String>,
    pub can_write: bool,
}

impl ProjectListPage {
    /// The list's filters as a query string, for the export link.
    pub fn export_href(&self) -> String {
        href(&self.params).replacen("/projects", "/projects.xlsx", 1)
    }
}

pub(crate) fn href(params: &ListParams) -> String {
    let query = serde_urlencoded::to_string(params).unwrap_or_default();
    // Leave out empty parameters so links stay short.
    let kept: Vec<&str> = query.split('&').filter(|kv| !kv.ends_with('=')).collect();
    if kept.is_empty() {
        "/projects".to_string()
    } else {
        format!("/projects?{}", kept.join("&"))
    }
}

impl ProjectListPage {
    pub fn build(
        actor: &Actor,
        params: ListParams,
        page: Option<ProjectPage>,
        choices: &FormChoices,
        error: Option<String>,
        today: Date,
        config: &Config,
    ) -> ProjectListPage {
        let (rows, count, cny, usd, current, pages) = match &page {
            Some((p, totals)) => (
                p.items
                    .iter()
                    .map(|x| ProjectRow::of(x, today, config))
                    .collect(),
                totals.count,
                totals.cny_yuan,
                totals.usd_yuan,
                p.page,
                p.pages(),
            ),
            None => (Vec::new(), 0, 0, 0, 1, 1),
        };
        let link_to = |n: i64| {
            let mut p = params.clone();
            p.page = n.to_string();
            href(&p)
        };
        let quick_link = |batch: &str, band: &str| {
            let p = ListParams {
                batch: batch.to_string(),
                band: band.to_string(),
                ..ListParams::default()
            };
            href(&p)
        };
        let mut quick: Vec<(String, String, bool)> = Batch::ALL
            .iter()
            .map(|b| {
                (
                    b.label().to_string(),
                    quick_link(b.key(), ""),
                    params.batch == b.key() && params.band.is_empty(),
                )
            })
            .collect();
        quick.push((
            "亿元以上项目".into(),
            quick_link("", Band::AtLeast100M.key()),
            params.band == Band::AtLeast100M.key() && params.batch.is_empty(),
        ));
        ProjectListPage {
            last_href: (current > pages).then(|| link_to(pages)),
            layout: Layout::of(actor),
            rows,
            count,
            total_cny: format_big(cny, Currency::Cny),
            total_usd: (usd > 0).then(|| format_big(usd, Currency::Usd)),
            page: current,
            pages,
            prev_href: (current > 1).then(|| link_to(current - 1)),
            next_href: (current < pages).then(|| link_to(current + 1)),
            stages: opts(
                Stage::ALL
                    .iter()
                    .map(|s| (s.key().into(), s.label().into())),
                &params.stage,
            ),
            units: opts(
                choices.units.iter().map(|u| {
                    (
                        u.id.to_string(),
                        format!("{}{}", "　".repeat(u.depth()), u.name),
                    )
                }),
                &params.unit,
            ),
            officers: opts(
                choices
                    .officers
                    .iter()
                    .map(|u| (u.id.0.to_string(), u.name.clone())),
                &params.officer,
            ),
            leaders: opts(
                choices
                    .leaders
                    .iter()
                    .map(|u| (u.id.0.to_string(), u.name.clone())),
                &params.leader,
            ),
            industries: industry_opts(&params.industry),
            bands: opts(
                Band::ALL.iter().map(|b| (b.key().into(), b.label().into())),
                &params.band,
            ),
            batches: opts(
                Batch::ALL
                    .iter()
                    .map(|b| (b.key().into(), b.label().into())),
                &params.batch,
            ),
            sorts: opts(
                Sort::ALL.iter().map(|s| (s.key().into(), s.label().into())),
                &params.sort,
            ),
            quick,
            error,
            can_write: actor.role.writes_projects(),
            params,
        }
    }
}

/// A project that a new one probably duplicates.
pub struct DuplicateView {
    pub id: i64,
    pub name: String,
    pub detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "projects/form.html")]
pub struct ProjectFormPage {
    pub layout: Layout,
    pub heading: String,
    pub action: String,
    pub cancel_href: String,
    pub is_new: bool,
    pub input: ProjectInput,
    pub lead_on: String,
    pub version: i64,
    pub errors: Invalid,
    pub notice: Option<String>,
    /// Names suggested as the user types: the 客商库 and the referrers in reach.
    pub investor_names: Vec<String>,
    pub referrer_names: Vec<String>,
    /// Probable duplicates of a new project, and whether to ask before recording it anyway.
    pub duplicates: Vec<DuplicateView>,
    pub ask_confirm: bool,
    pub industries: Vec<OptGroup>,
    pub channels: Vec<Opt>,
    pub currencies: Vec<Opt>,
    pub units: Vec<Opt>,
    pub officers: Vec<Opt>,
    pub leaders: Vec<Opt>,
}

impl ProjectFormPage {
    #[allow(clippy::too_many_arguments)]
    pub fn build(
        actor: &Actor,
        heading: String,
        action: String,
        cancel_href: String,
        is_new: bool,
        input: ProjectInput,
        lead_on: String,
        version: i64,
        errors: Invalid,
        notice: Option<String>,
        choices: &FormChoices,
    ) -> ProjectFormPage {
        let unit_current = if input.unit_id.is_empty() {
            actor.unit_id.to_string()
        } else {
            input.unit_id.clone()
        };
        let person = |u: &crate::domain::records::user::UserRecord| {
            (u.id.to_string(), format!("{}（{}）", u.name, u.login))
        };
        ProjectFormPage {
            investor_names: Vec::new(),
            referrer_names: Vec::new(),
            duplicates: Vec::new(),
            ask_confirm: false,
            // A refused new project is shown again at /projects: it is still the entry form.
            layout: {
                let mut layout = Layout::of(actor);
                if is_new {
                    layout.path = "/projects/new".into();
                }
                layout
            },
            industries: industry_opts(&input.industry_code),
            channels: opts(
                Channel::ALL
                    .iter()
                    .map(|c| (c.key().into(), c.label().into())),
                &input.channel,
            ),
            currencies: opts(
                [Currency::Cny, Currency::Usd]
                    .iter()
                    .map(|c| (c.code().into(), c.wan_label().into())),
                if input.currency.is_empty() {
                    "CNY"
                } else {
                    &input.currency
                },
            ),
            units: opts(
                choices.units.iter().map(|u| {
                    (
                        u.id.to_string(),
                        format!("{}{}", "　".repeat(u.depth()), u.name),
                    )
                }),
                &unit_current,
            ),
            officers: opts(choices.officers.iter().map(person), &input.officer_id),
            leaders: opts(choices.leaders.iter().map(person), &input.leader_id),
            heading,
            action,
            cancel_href,
            is_new,
            input,
            lead_on,
            version,
            errors,
            notice,
        }
    }

    /// The message for a field, or "".
    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }
}

/// A project's facts as the detail page shows them.
pub struct ProjectView {
    pub id: i64,
    pub name: String,
    pub investor_name: String,
    pub investor_id: Option<i64>,
    pub referrer_id: Option<i64>,
    pub industry: String,
    pub channel: String,
    pub investment: String,
    pub big: bool,
    pub land_area: String,
    pub building_area: String,
    pub expected_output: String,
    pub expected_tax: String,
    pub jobs: String,
    pub unit_name: String,
    pub officer: String,
    pub leader: String,
    pub referrer: String,
    pub notes: String,
    pub stage_key: &'static str,
    pub stage_label: &'static str,
    pub stage_since: String,
    pub paused_from: Option<&'static str>,
    pub contract_amount: String,
    /// It entered 正式签约 at some time: its contract page exists.
    pub contracted: bool,
    pub credit_code: String,
    pub land_grant_date: String,
    pub milestones: Vec<(&'static str, String, bool)>,
    pub last_progress_on: String,
    pub days_idle: i64,
    pub idleness: Idleness,
    pub version: i64,
}

fn or_dash(v: Option<String>) -> String {
    v.filter(|s| !s.is_empty())
        .unwrap_or_else(|| "—".to_string())
}

fn area_text(a: Option<Area>) -> String {
    or_dash(a.map(|a| format!("{} 亩（{} ㎡）", a.mu_display(), a.m2_display())))
}

impl ProjectView {
    pub fn of(p: &Project, today: Date, config: &Config) -> ProjectView {
        let milestone_dates = [
            (Stage::Lead, Some(p.lead_on)),
            (Stage::Negotiating, p.negotiating_on),
            (Stage::Intent, p.intent_on),
            (Stage::Contracted, p.contracted_on),
            (Stage::Landed, p.landed_on),
            (Stage::Construction, p.construction_on),
            (Stage::Production, p.production_on),
            (Stage::AtCapacity, p.at_capacity_on),
        ];
        ProjectView {
            id: p.id.0,
            name: p.name.clone(),
            investor_name: p.investor_name.clone(),
            investor_id: p.investor_id.map(|i| i.0),
            referrer_id: p.referrer_id.map(|r| r.0),
            industry: p
                .industry()
                .map(|i| format!("{} {}", i.code(), i.name()))
                .unwrap_or_else(|| p.industry_code.clone()),
            channel: or_dash(p.channel.map(|c| c.label().to_string())),
            investment: p.total_investment.display(),
            big: is_big(p.total_investment, config.usd_rate_e4),
            land_area: area_text(p.land_area),
            building_area: or_dash(p.building_area.map(|a| format!("{} ㎡", a.m2_display()))),
            expected_output: or_dash(p.expected_output.map(|m| m.display())),
            expected_tax: or_dash(p.expected_tax.map(|m| m.display())),
            jobs: or_dash(p.jobs.map(|j| format!("{j} 人"))),
            unit_name: p.unit_name.clone(),
            officer: or_dash(p.officer_name.clone()),
            leader: or_dash(p.leader_name.clone()),
            referrer: or_dash(p.referrer.clone()),
            notes: p.notes.clone().unwrap_or_default(),
            stage_key: p.stage.key(),
            stage_label: p.stage.label(),
            stage_since: iso(p.stage_since),
            paused_from: p.paused_from.map(|s| s.label()),
            contract_amount: or_dash(p.contract_amount.map(|m| m.display())),
            contracted: p.contracted_on.is_some(),
            credit_code: or_dash(p.credit_code.clone()),
            land_grant_date: or_dash(p.land_grant_date.map(iso)),
            milestones: milestone_dates
                .iter()
                .map(|(s, d)| (s.label(), d.map(iso).unwrap_or_default(), d.is_some()))
                .collect(),
            last_progress_on: iso(p.last_progress_on),
            days_idle: days_between(p.last_progress_on, today),
            idleness: config
                .idle_thresholds
                .judge_project(p.stage, days_between(p.last_progress_on, today)),
            version: p.version,
        }
    }
    pub fn idle_class(&self) -> &'static str {
        idle_class(self.idleness)
    }
    /// Closed projects show no count of idle days.
    pub fn is_closed(&self) -> bool {
        self.idleness == Idleness::Closed
    }
}

pub struct HistoryEntryView {
    pub date: String,
    pub kind_key: &'static str,
    pub title: String,
    pub body: String,
    pub facts: Vec<String>,
    pub actor: String,
    pub recorded_at: String,
}

impl HistoryEntryView {
    pub fn of(e: &HistoryEntry) -> HistoryEntryView {
        let title = match (e.kind, e.from_stage, e.to_stage) {
            (HistoryKind::Transition, Some(f), Some(t)) => format!("{} → {}", f.label(), t.label()),
            (kind, _, _) => kind.label().to_string(),
        };
        let mut facts = Vec::new();
        if let Some(f) = &e.facts {
            if let Some(m) = f
                .get("contract_amount")
                .and_then(|v| serde_json::from_value::<Money>(v.clone()).ok())
            {
                facts.push(format!("合同金额 {}", m.display()));
            }
            if let Some(c) = f.get("credit_code").and_then(|v| v.as_str()) {
                facts.push(format!("统一社会信用代码 {c}"));
            }
            if let Some(d) = f.get("land_grant_date").and_then(|v| v.as_str()) {
                facts.push(format!("供地日期 {d}"));
            }
        }
        HistoryEntryView {
            date: iso(e.effective_date),
            kind_key: e.kind.key(),
            title,
            body: e.body.clone().unwrap_or_default(),
            facts,
            actor: e.actor_name.clone().unwrap_or_else(|| "系统".into()),
            recorded_at: shanghai_minute(&e.recorded_at),
        }
    }
}

/// One possible move on the detail page, as its own small form.
pub struct MoveForm {
    pub to_key: &'static str,
    pub to_label: &'static str,
    pub date_label: &'static str,
    pub kind: &'static str,
    pub needs_amount: bool,
    pub needs_landing: bool,
    pub needs_reason: bool,
    pub open: bool,
    pub input: TransitionInput,
    pub errors: Invalid,
    pub currencies: Vec<Opt>,
}

impl MoveForm {
    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "projects/detail.html")]
pub struct ProjectDetailPage {
    pub layout: Layout,
    pub p: ProjectView,
    pub timeline: Vec<HistoryEntryView>,
    pub moves: Vec<MoveForm>,
    pub can_write: bool,
    pub note_body: String,
    pub note_date: String,
    pub note_errors: Invalid,
    pub flash: Option<String>,
    pub problem: Option<String>,
    pub today: String,
    /// The lead the project was converted from, when the caller may see it.
    pub from_lead: Option<i64>,
}

impl ProjectDetailPage {
    /// `failed` carries a refused transition (its input and errors) to show again.
    #[allow(clippy::too_many_arguments)]
    pub fn build(
        actor: &Actor,
        project: &Project,
        history: &[HistoryEntry],
        today: Date,
        config: &Config,
        failed: Option<(TransitionInput, Invalid)>,
        note: Option<(String, String, Invalid)>,
        flash: Option<String>,
        problem: Option<String>,
    ) -> ProjectDetailPage {
        let can_write = actor.role.writes_projects();
        let moves = if can_write {
            project
                .stage
                .next_stages(project.paused_from)
                .into_iter()
                .map(|to| {
                    let movement = project.stage.check_move(to, project.paused_from).ok();
                    let needs = movement.map_or(Needs::Nothing, |m| Needs::of(m, to));
                    let (open, input, errors) = match &failed {
                        Some((input, errors)) if input.to == to.key() => {
                            (true, input.clone(), errors.clone())
                        }
                        _ => (
                            false,
                            TransitionInput {
                                to: to.key().into(),
                                date: iso(today),
                                ..TransitionInput::default()
                            },
                            Invalid::default(),
                        ),
                    };
                    let currency = if input.contract_currency.is_empty() {
                        project.total_investment.currency.code().to_string()
                    } else {
                        input.contract_currency.clone()
                    };
                    MoveForm {
                        to_key: to.key(),
                        to_label: to.label(),
                        date_label: to.date_label(),
                        kind: match movement {
                            Some(Move::Advance) => "advance",
                            Some(Move::Resume) => "resume",
                            Some(Move::Pause) => "pause",
                            _ => "close",
                        },
                        needs_amount: needs == Needs::ContractAmount,
                        needs_landing: needs == Needs::LocalCompanyOrLand,
                        needs_reason: needs == Needs::Reason,
                        open,
                        currencies: opts(
                            [Currency::Cny, Currency::Usd]
                                .iter()
                                .map(|c| (c.code().into(), c.wan_label().into())),
                            &currency,
                        ),
                        input,
                        errors,
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        let (note_body, note_date, note_errors) =
            note.unwrap_or_else(|| (String::new(), iso(today), Invalid::default()));
        let mut timeline: Vec<HistoryEntryView> =
            history.iter().map(HistoryEntryView::of).collect();
        timeline.reverse();
        ProjectDetailPage {
            from_lead: None,
            layout: Layout::of(actor),
            p: ProjectView::of(project, today, config),
            timeline,
            moves,
            can_write,
            note_body,
            note_date,
            note_errors,
            flash,
            problem,
            today: iso(today),
        }
    }

    pub fn note_err(&self, field: &str) -> &str {
        self.note_errors.message_for(field).unwrap_or("")
    }
}

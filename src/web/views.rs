//! Template data: one struct per page, plus the display strings the templates show.

use crate::config::Config;
use crate::domain::area::Area;
use crate::domain::channel::Channel;
use crate::domain::dates::{days_between, iso, shanghai_minute};
use crate::domain::glossary::{AUDIT_ACTIONS, AUDIT_ENTITIES, SYSTEM_ACTOR, audit_label};
use crate::domain::industry::DIVISIONS;
use crate::domain::listing::Sort;
use crate::domain::money::{Currency, Money, format_big};
use crate::domain::project::{Band, Batch, Idleness, ProjectInput};
use crate::domain::stage::{Move, Stage};
use crate::domain::transition::TransitionInput;
use crate::domain::user::Actor;
use crate::domain::validation::Invalid;
use crate::service::projects::{FormChoices, ListParams, ProjectPage};
use crate::store::projects::{Event, EventKind, Project};
use askama::Template;
use askama_web::WebTemplate;
use time::Date;

/// What every page's frame shows.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub signed_in: bool,
    pub user_name: String,
    pub role_label: String,
    /// Carried by every form as `csrf` (see `web::csrf`).
    pub csrf: String,
    /// Shows the business menu (the 三员 administrators read no business data).
    pub business: bool,
    /// Shows the entry forms (officers and leaders).
    pub writes: bool,
    /// Shows visits (staff of the units; not enterprises).
    pub visits: bool,
    /// Shows the audit trail.
    pub auditor: bool,
    /// Shows the units and accounts (system and security administrators).
    pub administrator: bool,
}

impl Layout {
    pub fn of(actor: &Actor) -> Layout {
        Layout {
            signed_in: true,
            user_name: actor.name.clone(),
            role_label: actor.role.label().to_string(),
            csrf: actor.form_token.clone(),
            business: actor.role.reads_projects(),
            writes: actor.role.writes_projects(),
            visits: actor.role.is_staff(),
            auditor: actor.role == crate::domain::user::Role::Auditor,
            administrator: matches!(
                actor.role,
                crate::domain::user::Role::Sysadmin | crate::domain::user::Role::Secadmin
            ),
        }
    }
}

/// `path` with the non-empty (trimmed) `pairs` as its query string, and `page` when past
/// the first: the links of filtered lists, their pages and their exports.
pub fn link(path: &str, pairs: &[(&str, &str)], page: i64) -> String {
    let page = page.to_string();
    let mut kept: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (*k, v.trim()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    if page != "1" && page != "0" {
        kept.push(("page", &page));
    }
    match serde_urlencoded::to_string(kept).unwrap_or_default() {
        q if q.is_empty() => path.to_string(),
        q => format!("{path}?{q}"),
    }
}

/// How many pages `total` rows fill, at least one.
pub fn pages_of(total: i64, per_page: i64) -> i64 {
    ((total + per_page - 1) / per_page.max(1)).max(1)
}

/// A filtered list as its page shows it: the rows of this page, the pager, and why the filters
/// were refused if they were (the list is then empty and the page answers 422).
pub struct Listing<R> {
    pub rows: Vec<R>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub error: Option<String>,
}

impl<R> Listing<R> {
    /// The page of a list from what the service `found`: each item shown as `row`, each page
    /// linked by `href`. Refused filters become the message; any other error is passed on.
    pub fn of<T>(
        found: crate::error::Result<crate::service::Page<T>>,
        row: impl Fn(T) -> R,
        href: impl Fn(i64) -> String,
    ) -> crate::error::Result<Listing<R>> {
        let page = match found {
            Ok(page) => page,
            Err(crate::error::Error::Invalid(e)) => {
                return Ok(Listing {
                    rows: Vec::new(),
                    total: 0,
                    page: 1,
                    pages: 1,
                    prev_href: None,
                    next_href: None,
                    error: Some(e.summary()),
                });
            }
            Err(e) => return Err(e),
        };
        let pages = pages_of(page.total, page.per_page);
        let current = page.page;
        Ok(Listing {
            rows: page.items.into_iter().map(row).collect(),
            total: page.total,
            page: current,
            pages,
            prev_href: (current > 1).then(|| href(current - 1)),
            next_href: (current < pages).then(|| href(current + 1)),
            error: None,
        })
    }

    pub fn status(&self) -> axum::http::StatusCode {
        if self.error.is_some() {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        } else {
            axum::http::StatusCode::OK
        }
    }
}

/// One `<option>`.
#[derive(Debug, Clone)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub fn opts(items: impl IntoIterator<Item = (String, String)>, current: &str) -> Vec<Opt> {
    items
        .into_iter()
        .map(|(value, label)| Opt {
            selected: value == current,
            value,
            label,
        })
        .collect()
}

pub fn industry_opts(current: &str) -> Vec<Opt> {
    opts(
        DIVISIONS
            .iter()
            .map(|(c, n, _)| (c.to_string(), format!("{c} {n}"))),
        current.trim(),
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub title: &'static str,
    pub detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub layout: Layout,
    pub login: String,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/password.html")]
pub struct PasswordPage {
    pub layout: Layout,
    /// Signed in with a one-time password, so sent here.
    pub forced: bool,
    pub errors: Invalid,
}

impl PasswordPage {
    /// The message for a field, or "".
    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }
}

pub struct AdminUnitRow {
    pub id: i64,
    pub code: String,
    pub indent: String,
    pub name: String,
    pub state: &'static str,
    pub retired: bool,
    /// The 修改 form: its values (typed ones after a refusal) and whether it is open.
    pub edit_name: String,
    pub edit_parent: Vec<Opt>,
    pub open: bool,
}

pub struct AdminAccountRow {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: &'static str,
    pub unit: String,
    pub state: &'static str,
    pub active: bool,
    pub locked: bool,
    /// The administrator's own account: no actions on it here.
    pub own: bool,
    /// The security administrator's 分配 form.
    pub edit_roles: Vec<Opt>,
    pub edit_units: Vec<Opt>,
    pub edit_enterprise: String,
    pub open: bool,
}

/// Which of the page's forms was refused, so its fields show their messages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AdminForm {
    #[default]
    None,
    NewUnit,
    NewAccount,
    Unit(i64),
    Account(i64),
}

#[derive(Template, WebTemplate)]
#[template(path = "admin.html")]
pub struct AdminPage {
    pub layout: Layout,
    pub sysadmin: bool,
    pub secadmin: bool,
    pub units: Vec<AdminUnitRow>,
    pub accounts: Vec<AdminAccountRow>,
    pub new_unit_code: String,
    pub new_unit_name: String,
    pub new_unit_parents: Vec<Opt>,
    pub new_account_login: String,
    pub new_account_name: String,
    pub new_account_roles: Vec<Opt>,
    pub new_account_units: Vec<Opt>,
    pub new_account_enterprise: String,
    pub failed: AdminForm,
    pub errors: Invalid,
    pub flash: Option<String>,
    pub problem: Option<String>,
}

impl AdminPage {
    /// The message for a field of the refused form, or "".
    pub fn err(&self, form: AdminForm, field: &str) -> &str {
        if form == self.failed {
            self.errors.message_for(field).unwrap_or("")
        } else {
            ""
        }
    }
}

/// An account's one-time password, shown once after it is created or reset.
#[derive(Template, WebTemplate)]
#[template(path = "admin_password.html")]
pub struct OneTimePasswordPage {
    pub layout: Layout,
    pub login: String,
    pub name: String,
    pub created: bool,
    pub password: String,
}

/// One audit entry as the auditor's table shows it.
fn audit_opts(table: &[(&'static str, &'static str)], current: &str) -> Vec<Opt> {
    let mut options = vec![Opt {
        value: String::new(),
        label: "全部".into(),
        selected: current.trim().is_empty(),
    }];
    options.extend(opts(
        table.iter().map(|(k, l)| (k.to_string(), l.to_string())),
        current.trim(),
    ));
    options
}

pub struct AuditRowView {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub client: String,
    pub before: String,
    pub after: String,
}

impl AuditRowView {
    pub fn of(e: &crate::store::audit::LoggedEntry) -> AuditRowView {
        let json =
            |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
        AuditRowView {
            id: e.id,
            at: crate::domain::dates::shanghai_minute(&e.at),
            actor: match (&e.actor_login, &e.actor_unit) {
                (Some(login), Some(unit)) => format!("{login}（{unit}）"),
                (Some(login), None) => login.clone(),
                (None, _) => SYSTEM_ACTOR.into(),
            },
            action: audit_label(&AUDIT_ACTIONS, &e.action).to_string(),
            entity: match &e.entity_id {
                Some(id) => format!("{} {id}", audit_label(&AUDIT_ENTITIES, &e.entity)),
                None => audit_label(&AUDIT_ENTITIES, &e.entity).to_string(),
            },
            client: e.client_addr.clone().unwrap_or_default(),
            before: json(&e.before),
            after: json(&e.after),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
pub struct AuditListPage {
    pub layout: Layout,
    pub params: crate::service::audit::AuditParams,
    pub errors: Invalid,
    pub rows: Vec<AuditRowView>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub export_href: String,
}

impl AuditListPage {
    pub fn action_opts(&self) -> Vec<Opt> {
        audit_opts(&AUDIT_ACTIONS, &self.params.action)
    }
    pub fn entity_opts(&self) -> Vec<Opt> {
        audit_opts(&AUDIT_ENTITIES, &self.params.entity)
    }
    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }
}

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
        Idleness::Recent => "",
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
                .judge(days_between(p.last_progress_on, today)),
            officer: p.officer_name.clone().unwrap_or_default(),
        }
    }
    pub fn idle_class(&self) -> &'static str {
        idle_class(self.idleness)
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
    pub next_href: Option<String>,
    pub stages: Vec<Opt>,
    pub units: Vec<Opt>,
    pub industries: Vec<Opt>,
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

fn href(params: &ListParams) -> String {
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
            Some(p) => (
                p.items
                    .iter()
                    .map(|x| ProjectRow::of(x, today, config))
                    .collect(),
                p.totals.count,
                p.totals.cny_yuan,
                p.totals.usd_yuan,
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
    pub industries: Vec<Opt>,
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
        let person = |u: &crate::store::users::UserRecord| {
            (u.id.to_string(), format!("{}（{}）", u.name, u.login))
        };
        ProjectFormPage {
            layout: Layout::of(actor),
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
            referrer_id: p.referrer_id,
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
                .judge(days_between(p.last_progress_on, today)),
            version: p.version,
        }
    }
    pub fn idle_class(&self) -> &'static str {
        idle_class(self.idleness)
    }
}

pub struct EventView {
    pub date: String,
    pub kind_key: &'static str,
    pub title: String,
    pub body: String,
    pub facts: Vec<String>,
    pub actor: String,
    pub recorded_at: String,
}

impl EventView {
    pub fn of(e: &Event) -> EventView {
        let title = match (e.kind, e.from_stage, e.to_stage) {
            (EventKind::Transition, Some(f), Some(t)) => format!("{} → {}", f.label(), t.label()),
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
        EventView {
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
    pub timeline: Vec<EventView>,
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
        events: &[Event],
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
                        needs_amount: movement == Some(Move::Advance) && to == Stage::Contracted,
                        needs_landing: movement == Some(Move::Advance) && to == Stage::Landed,
                        needs_reason: matches!(movement, Some(Move::Pause | Move::Close)),
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
        let mut timeline: Vec<EventView> = events.iter().map(EventView::of).collect();
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

// ---- 客商库 ----

/// A row of the investor list.
pub struct InvestorRow {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub kind: &'static str,
    pub origin: String,
    pub marks: Vec<&'static str>,
    pub unit_name: String,
}

fn investor_marks(i: &crate::store::investors::Investor) -> Vec<&'static str> {
    [
        (i.fortune_global_500, "世界500强"),
        (i.fortune_china_500, "中国500强"),
        (i.listed, "上市公司"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, label)| label)
    .collect()
}

impl InvestorRow {
    pub fn of(i: &crate::store::investors::Investor) -> InvestorRow {
        InvestorRow {
            id: i.id.0,
            name: i.name.clone(),
            credit_code: i.credit_code.clone().unwrap_or_default(),
            kind: i.kind_label,
            origin: match &i.origin_city {
                Some(city) => format!("{} {city}", i.country),
                None => i.country.clone(),
            },
            marks: investor_marks(i),
            unit_name: i.unit_name.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "investors/list.html")]
pub struct InvestorListPage {
    pub layout: Layout,
    pub params: crate::service::investors::InvestorParams,
    pub list: Listing<InvestorRow>,
    pub kinds: Vec<Opt>,
    pub can_write: bool,
}

impl InvestorListPage {
    pub fn export_href(&self) -> String {
        let p = &self.params;
        link("/investors.xlsx", &[("q", &p.q), ("kind", &p.kind)], 1)
    }
    pub fn kind_opts(current: &str) -> Vec<Opt> {
        opts(
            crate::domain::investor::InvestorKind::ALL
                .iter()
                .map(|k| (k.key().to_string(), k.label().to_string())),
            current.trim(),
        )
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "investors/form.html")]
pub struct InvestorFormPage {
    pub layout: Layout,
    /// The record being edited and the version the form was read at; None for a new one.
    pub editing: Option<(i64, i64)>,
    pub input: crate::domain::investor::InvestorInput,
    pub kinds: Vec<Opt>,
    pub industries: Vec<Opt>,
    pub errors: Invalid,
    /// A probable duplicate: why, and the records it may repeat.
    pub duplicate: Option<String>,
    pub candidates: Vec<(i64, String, String)>,
}

impl InvestorFormPage {
    pub fn build(
        layout: Layout,
        editing: Option<(crate::domain::ids::InvestorId, i64)>,
        input: crate::domain::investor::InvestorInput,
        errors: Invalid,
        duplicates: Option<(String, Vec<serde_json::Value>)>,
    ) -> InvestorFormPage {
        let (duplicate, candidates) = match duplicates {
            Some((message, list)) => (
                Some(message),
                list.iter()
                    .map(|c| {
                        (
                            c["id"].as_i64().unwrap_or_default(),
                            c["name"].as_str().unwrap_or_default().to_string(),
                            c["unit"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect(),
            ),
            None => (None, Vec::new()),
        };
        InvestorFormPage {
            layout,
            editing: editing.map(|(id, v)| (id.0, v)),
            kinds: InvestorListPage::kind_opts(&input.kind),
            industries: industry_opts(&input.industry_code),
            input,
            errors,
            duplicate,
            candidates,
        }
    }

    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }

    /// The message for a contact's field (`contacts[i].field` in the rules' terms).
    pub fn contact_err(&self, index: &usize, field: &str) -> String {
        self.errors
            .message_for(&format!("contacts[{index}].{field}"))
            .unwrap_or("")
            .to_string()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "investors/detail.html")]
pub struct InvestorDetailPage {
    pub layout: Layout,
    pub i: crate::store::investors::Investor,
    pub projects: Vec<ProjectRow>,
    pub merged_into_name: Option<String>,
    pub visits: Vec<VisitRow>,
    pub events: Vec<crate::store::events::PromotionEvent>,
    pub leads: Vec<LeadRow>,
    pub flash: Option<String>,
    pub problem: Option<String>,
    pub can_write: bool,
}

impl InvestorDetailPage {
    pub fn marks(&self) -> String {
        investor_marks(&self.i).join("、")
    }
    pub fn industry(&self) -> String {
        self.i
            .industry_code
            .as_deref()
            .and_then(crate::domain::industry::IndustryCode::parse)
            .map(|c| format!("{} {}", c.code(), c.name()))
            .unwrap_or_else(|| "—".to_string())
    }
}

// ---- 招商线索 ----

fn channel_opts(current: &str) -> Vec<Opt> {
    opts(
        Channel::ALL
            .iter()
            .map(|c| (c.key().into(), c.label().into())),
        current,
    )
}

fn currency_opts(current: &str) -> Vec<Opt> {
    opts(
        [Currency::Cny, Currency::Usd]
            .iter()
            .map(|c| (c.code().into(), c.wan_label().into())),
        if current.is_empty() { "CNY" } else { current },
    )
}

/// A row of the lead list.
pub struct LeadRow {
    pub id: i64,
    pub title: String,
    pub investor_name: String,
    pub amount: String,
    pub channel: String,
    pub status_key: &'static str,
    pub status_label: &'static str,
    pub unit_name: String,
    pub officer: String,
    pub submitted_by: String,
    pub updated: String,
}

impl LeadRow {
    pub fn of(l: &crate::store::leads::Lead) -> LeadRow {
        LeadRow {
            id: l.id,
            title: l.title.clone(),
            investor_name: l.investor_name.clone(),
            amount: l.amount.map(|m| m.display()).unwrap_or_else(|| "—".into()),
            channel: l.channel.map(|c| c.label().to_string()).unwrap_or_default(),
            status_key: l.status.key(),
            status_label: l.status_label,
            unit_name: l.unit_name.clone(),
            officer: l.officer_name.clone().unwrap_or_default(),
            submitted_by: l.created_by_name.clone().unwrap_or_default(),
            updated: shanghai_minute(&l.updated_at),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "leads/list.html")]
pub struct LeadListPage {
    pub layout: Layout,
    pub params: crate::service::leads::LeadParams,
    pub list: Listing<LeadRow>,
    pub statuses: Vec<Opt>,
}

impl LeadListPage {
    pub fn export_href(&self) -> String {
        let p = &self.params;
        let pairs = [
            ("q", p.q.as_str()),
            ("status", &p.status),
            ("investor_id", &p.investor_id),
        ];
        link("/leads.xlsx", &pairs, 1)
    }
    pub fn status_opts(current: &str) -> Vec<Opt> {
        opts(
            crate::domain::lead::LeadStatus::ALL
                .iter()
                .map(|s| (s.key().to_string(), s.label().to_string())),
            current.trim(),
        )
    }
}

/// A record changed on a form: where the form posts, the version it was read at (so two
/// people changing it at once cannot overwrite each other unseen), and why a save was refused.
pub struct Editing {
    pub id: i64,
    pub version: i64,
    pub conflict: Option<String>,
}

/// A save from a page form that the rules refused (422, messages by field) or that came too
/// late (409, someone else's change): the form is shown again with what was typed.
pub struct FormRefusal {
    pub status: axum::http::StatusCode,
    pub errors: Invalid,
    pub conflict: Option<String>,
}

/// What a save from a page form came to.
pub enum Saved<T> {
    Done(T),
    /// Back to the form, with what was typed.
    Refused(FormRefusal),
    /// Anything else: an error page.
    Failed(super::error::PageError),
}

impl<T> Saved<T> {
    pub fn sort(outcome: crate::error::Result<T>, layout: &Layout) -> Saved<T> {
        use crate::error::Error;
        use axum::http::StatusCode;
        match outcome {
            Ok(done) => Saved::Done(done),
            Err(Error::Invalid(errors)) => Saved::Refused(FormRefusal {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                conflict: None,
            }),
            Err(Error::Conflict(m)) => Saved::Refused(FormRefusal {
                status: StatusCode::CONFLICT,
                errors: Invalid::default(),
                conflict: Some(m),
            }),
            Err(e) => Saved::Failed(super::error::PageError::App(e, Some(layout.clone()))),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "leads/form.html")]
pub struct LeadFormPage {
    pub layout: Layout,
    pub input: crate::domain::lead::LeadInput,
    pub industries: Vec<Opt>,
    pub channels: Vec<Opt>,
    pub currencies: Vec<Opt>,
    pub errors: Invalid,
    /// The record being changed, if this form changes one.
    pub editing: Option<Editing>,
}

impl LeadFormPage {
    pub fn build(
        layout: Layout,
        input: crate::domain::lead::LeadInput,
        errors: Invalid,
    ) -> LeadFormPage {
        LeadFormPage {
            layout,
            industries: industry_opts(&input.industry_code),
            channels: channel_opts(&input.channel),
            currencies: currency_opts(&input.currency),
            input,
            errors,
            editing: None,
        }
    }

    /// The form for changing record `id`, read at `version`.
    pub fn editing(mut self, id: i64, version: i64, conflict: Option<String>) -> LeadFormPage {
        self.editing = Some(Editing {
            id,
            version,
            conflict,
        });
        self
    }

    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "leads/detail.html")]
pub struct LeadDetailPage {
    pub layout: Layout,
    pub l: crate::store::leads::Lead,
    pub amount: String,
    pub channel: String,
    pub industry: String,
    pub notes: Vec<crate::store::leads::LeadNote>,
    /// May follow up, drop and convert (an officer or leader whose subtree holds the lead).
    pub works: bool,
    /// May assign (a leader).
    pub assigns: bool,
    pub units: Vec<Opt>,
    pub officers: Vec<Opt>,
    pub convert_stages: Vec<Opt>,
    pub convert_industries: Vec<Opt>,
    pub convert_currencies: Vec<Opt>,
    pub today: String,
    pub flash: Option<String>,
    pub problem: Option<String>,
    /// The action whose form is open again after a refusal, and what it held.
    pub open_action: &'static str,
    pub typed: std::collections::HashMap<String, String>,
    pub errors: Invalid,
}

impl LeadDetailPage {
    #[allow(clippy::too_many_arguments)]
    pub fn build(
        layout: Layout,
        actor: &Actor,
        l: crate::store::leads::Lead,
        notes: Vec<crate::store::leads::LeadNote>,
        choices: Option<&crate::service::projects::FormChoices>,
        today: Date,
        flash: Option<String>,
        refused: Option<super::leads::Refused>,
    ) -> LeadDetailPage {
        let (open_action, typed, errors, problem) = match refused {
            Some(r) => (r.action, r.typed, r.errors, r.problem),
            None => ("", Default::default(), Invalid::default(), None),
        };
        let typed_or = |key: &str, fallback: String| typed.get(key).cloned().unwrap_or(fallback);
        let works = crate::service::leads::may_work(actor, &l);
        let assigns = crate::service::leads::may_assign(actor, &l);
        let (units, officers) = match choices {
            Some(c) => (
                opts(
                    c.units.iter().map(|u| {
                        (
                            u.id.to_string(),
                            format!("{}{}", "　".repeat(u.depth()), u.name),
                        )
                    }),
                    &typed_or("unit_id", l.unit_id.to_string()),
                ),
                opts(
                    c.officers
                        .iter()
                        .map(|u| (u.id.to_string(), format!("{}（{}）", u.name, u.login))),
                    &typed_or(
                        "officer_id",
                        l.officer_id.map(|o| o.to_string()).unwrap_or_default(),
                    ),
                ),
            ),
            None => (Vec::new(), Vec::new()),
        };
        LeadDetailPage {
            layout,
            amount: l.amount.map(|m| m.display()).unwrap_or_else(|| "—".into()),
            channel: l
                .channel
                .map(|c| c.label().to_string())
                .unwrap_or_else(|| "—".into()),
            industry: l
                .industry_code
                .as_deref()
                .and_then(crate::domain::industry::IndustryCode::parse)
                .map(|c| format!("{} {}", c.code(), c.name()))
                .unwrap_or_else(|| "—".into()),
            notes,
            works,
            assigns,
            units,
            officers,
            convert_stages: opts(
                crate::domain::lead::CONVERT_TO
                    .iter()
                    .map(|s| (s.key().to_string(), s.label().to_string())),
                &typed_or("to", "negotiating".into()),
            ),
            convert_industries: industry_opts(&typed_or(
                "industry_code",
                l.industry_code.clone().unwrap_or_default(),
            )),
            convert_currencies: currency_opts(&typed_or("currency", String::new())),
            today: iso(today),
            flash,
            problem,
            open_action,
            typed,
            errors,
            l,
        }
    }

    pub fn err(&self, action: &str, field: &str) -> &str {
        if action == self.open_action {
            self.errors.message_for(field).unwrap_or("")
        } else {
            ""
        }
    }

    pub fn typed(&self, key: &str) -> &str {
        self.typed.get(key).map_or("", String::as_str)
    }
}

// ---- 拜访 ----

pub struct VisitRow {
    pub id: i64,
    pub direction: &'static str,
    pub date: String,
    pub place: String,
    pub investor: String,
    pub participants: String,
    pub purpose: String,
    pub follow_up: String,
    pub overdue: bool,
    pub unit_name: String,
}

impl VisitRow {
    pub fn of(v: &crate::store::visits::Visit, today: Date) -> VisitRow {
        let overdue =
            crate::domain::visit::overdue(v.follow_up_on, v.follow_up_done_at.is_some(), today);
        VisitRow {
            id: v.id,
            direction: v.direction_label,
            date: iso(v.visit_date),
            place: v.place.clone(),
            investor: v
                .investor_name
                .clone()
                .unwrap_or_else(|| v.investor_side.clone()),
            participants: v
                .participants
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join("、"),
            purpose: v.purpose.clone(),
            follow_up: match (v.follow_up_on, &v.follow_up_done_at) {
                (Some(d), Some(_)) => format!("{}（已办结）", iso(d)),
                (Some(d), None) if overdue => {
                    format!("{}（逾期{}天）", iso(d), (today - d).whole_days())
                }
                (Some(d), None) => iso(d),
                (None, _) => "—".into(),
            },
            overdue,
            unit_name: v.unit_name.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "visits/list.html")]
pub struct VisitListPage {
    pub layout: Layout,
    pub params: crate::service::visits::VisitParams,
    pub list: Listing<VisitRow>,
    pub directions: Vec<Opt>,
    pub overdue_mine: i64,
    pub can_write: bool,
}

impl VisitListPage {
    pub fn direction_opts(current: &str) -> Vec<Opt> {
        opts(
            crate::domain::visit::Direction::ALL
                .iter()
                .map(|d| (d.key().to_string(), d.label().to_string())),
            current.trim(),
        )
    }
    pub fn overdue_on(&self) -> bool {
        matches!(self.params.overdue.trim(), "1" | "true")
    }
    pub fn mine_on(&self) -> bool {
        matches!(self.params.mine.trim(), "1" | "true")
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "visits/form.html")]
pub struct VisitFormPage {
    pub layout: Layout,
    pub input: crate::domain::visit::VisitInput,
    pub directions: Vec<Opt>,
    /// (id, label, chosen)
    pub people: Vec<Opt>,
    pub leaders: Vec<Opt>,
    pub today: String,
    pub errors: Invalid,
    /// The record being changed, if this form changes one.
    pub editing: Option<Editing>,
}

impl VisitFormPage {
    pub fn build(
        layout: Layout,
        input: crate::domain::visit::VisitInput,
        people: &[crate::store::users::UserRecord],
        today: Date,
        errors: Invalid,
    ) -> VisitFormPage {
        let chosen: Vec<String> = input
            .participants
            .iter()
            .flat_map(|p| p.split([',', '，']))
            .map(|p| p.trim().to_string())
            .collect();
        VisitFormPage {
            layout,
            directions: VisitListPage::direction_opts(&input.direction),
            people: people
                .iter()
                .map(|u| Opt {
                    value: u.id.to_string(),
                    label: format!("{}（{}）", u.name, u.role.label()),
                    selected: chosen.contains(&u.id.to_string()),
                })
                .collect(),
            leaders: opts(
                people
                    .iter()
                    .filter(|u| u.role == crate::domain::user::Role::Leader)
                    .map(|u| (u.id.to_string(), u.name.clone())),
                &input.leader_id,
            ),
            today: iso(today),
            input,
            errors,
            editing: None,
        }
    }
    /// The form for changing record `id`, read at `version`.
    pub fn editing(mut self, id: i64, version: i64, conflict: Option<String>) -> VisitFormPage {
        self.editing = Some(Editing {
            id,
            version,
            conflict,
        });
        self
    }

    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "visits/detail.html")]
pub struct VisitDetailPage {
    pub layout: Layout,
    pub v: crate::store::visits::Visit,
    pub overdue: bool,
    pub can_write: bool,
    pub flash: Option<String>,
    pub problem: Option<String>,
    pub typed_outcome: String,
    pub errors: Invalid,
}

impl VisitDetailPage {
    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }
    pub fn participants(&self) -> String {
        self.v
            .participants
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    }
    pub fn date(&self) -> String {
        iso(self.v.visit_date)
    }
    pub fn follow_up(&self) -> String {
        self.v.follow_up_on.map(iso).unwrap_or_else(|| "—".into())
    }
}

// ---- 招商活动 ----

#[derive(Template, WebTemplate)]
#[template(path = "events/list.html")]
pub struct EventListPage {
    pub layout: Layout,
    pub list: Listing<crate::store::events::PromotionEvent>,
    pub kinds: Vec<Opt>,
    pub can_write: bool,
}

impl EventListPage {
    pub fn kind_opts(current: &str) -> Vec<Opt> {
        opts(
            crate::domain::event::EventKind::ALL
                .iter()
                .map(|k| (k.key().to_string(), k.label().to_string())),
            current.trim(),
        )
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "events/form.html")]
pub struct EventFormPage {
    pub layout: Layout,
    pub input: crate::domain::event::EventInput,
    pub kinds: Vec<Opt>,
    pub errors: Invalid,
    /// The record being changed, if this form changes one.
    pub editing: Option<Editing>,
}

impl EventFormPage {
    pub fn build(
        layout: Layout,
        input: crate::domain::event::EventInput,
        errors: Invalid,
    ) -> EventFormPage {
        EventFormPage {
            layout,
            kinds: EventListPage::kind_opts(&input.kind),
            input,
            errors,
            editing: None,
        }
    }
    /// The form for changing record `id`, read at `version`.
    pub fn editing(mut self, id: i64, version: i64, conflict: Option<String>) -> EventFormPage {
        self.editing = Some(Editing {
            id,
            version,
            conflict,
        });
        self
    }

    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }
}

pub struct SigningRow {
    pub project_id: i64,
    pub project_name: String,
    pub investor_name: String,
    pub amount: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "events/detail.html")]
pub struct EventDetailPage {
    pub layout: Layout,
    pub e: crate::store::events::PromotionEvent,
    pub investors: Vec<crate::store::events::MetInvestor>,
    pub signings: Vec<SigningRow>,
    pub totals: crate::service::events::EventTotals,
    pub currencies: Vec<Opt>,
    pub can_write: bool,
    pub flash: Option<String>,
    pub problem: Option<String>,
    pub open_form: &'static str,
    pub typed: std::collections::HashMap<String, String>,
    pub errors: Invalid,
}

impl EventDetailPage {
    #[allow(clippy::too_many_arguments)]
    pub fn build(
        layout: Layout,
        d: crate::service::events::EventDetail,
        can_write: bool,
        flash: Option<String>,
        open_form: &'static str,
        typed: std::collections::HashMap<String, String>,
        errors: Invalid,
        problem: Option<String>,
    ) -> EventDetailPage {
        EventDetailPage {
            layout,
            signings: d
                .signings
                .iter()
                .map(|s| SigningRow {
                    project_id: s.project_id.0,
                    project_name: s.project_name.clone(),
                    investor_name: s.investor_name.clone(),
                    amount: s.amount.display(),
                })
                .collect(),
            currencies: currency_opts(typed.get("currency").map_or("", String::as_str)),
            investors: d.investors,
            totals: d.totals,
            e: d.event,
            can_write,
            flash,
            problem,
            open_form,
            typed,
            errors,
        }
    }
    pub fn err(&self, form: &str, field: &str) -> &str {
        if form == self.open_form {
            self.errors.message_for(field).unwrap_or("")
        } else {
            ""
        }
    }
    pub fn typed(&self, key: &str) -> &str {
        self.typed.get(key).map_or("", String::as_str)
    }
    pub fn held_on(&self) -> String {
        iso(self.e.held_on)
    }
}

// ---- 引荐人 ----

#[derive(Template, WebTemplate)]
#[template(path = "referrers/list.html")]
pub struct ReferrerListPage {
    pub layout: Layout,
    pub q: String,
    pub list: Listing<crate::store::referrers::Referrer>,
    pub can_write: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "referrers/form.html")]
pub struct ReferrerFormPage {
    pub layout: Layout,
    pub input: crate::domain::referrer::ReferrerInput,
    pub kinds: Vec<Opt>,
    pub errors: Invalid,
    /// The record being changed, if this form changes one.
    pub editing: Option<Editing>,
}

impl ReferrerFormPage {
    pub fn build(
        layout: Layout,
        input: crate::domain::referrer::ReferrerInput,
        errors: Invalid,
    ) -> ReferrerFormPage {
        ReferrerFormPage {
            layout,
            kinds: opts(
                crate::domain::referrer::ReferrerKind::ALL
                    .iter()
                    .map(|k| (k.key().to_string(), k.label().to_string())),
                &input.kind,
            ),
            input,
            errors,
            editing: None,
        }
    }
    /// The form for changing record `id`, read at `version`.
    pub fn editing(mut self, id: i64, version: i64, conflict: Option<String>) -> ReferrerFormPage {
        self.editing = Some(Editing {
            id,
            version,
            conflict,
        });
        self
    }

    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }
}

pub struct RewardLineView {
    pub project_id: i64,
    pub project_name: String,
    pub reached_on: String,
    pub contract_amount: String,
    pub rate: String,
    pub reward: String,
}

pub struct RewardYearView {
    pub year: i32,
    pub total: String,
    pub lines: Vec<RewardLineView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "referrers/detail.html")]
pub struct ReferrerDetailPage {
    pub layout: Layout,
    pub r: crate::store::referrers::Referrer,
    pub projects: Vec<ProjectRow>,
    pub rule_text: String,
    pub years: Vec<RewardYearView>,
    pub can_write: bool,
    pub flash: Option<String>,
    pub problem: Option<String>,
    pub typed_project: String,
    pub errors: Invalid,
}

impl ReferrerDetailPage {
    #[allow(clippy::too_many_arguments)]
    pub fn build(
        layout: Layout,
        d: crate::service::referrers::ReferrerDetail,
        today: Date,
        config: &Config,
        can_write: bool,
        flash: Option<String>,
        typed_project: String,
        errors: Invalid,
        problem: Option<String>,
    ) -> ReferrerDetailPage {
        let yuan = |y: i64| Money::new(y, Currency::Cny).display();
        ReferrerDetailPage {
            layout,
            projects: d
                .projects
                .iter()
                .map(|p| ProjectRow::of(p, today, config))
                .collect(),
            rule_text: d.rule_text,
            years: d
                .rewards
                .iter()
                .map(|y| RewardYearView {
                    year: y.year,
                    total: yuan(y.total_yuan),
                    lines: y
                        .lines
                        .iter()
                        .map(|l| RewardLineView {
                            project_id: l.project_id,
                            project_name: l.project_name.clone(),
                            reached_on: iso(l.reached_on),
                            contract_amount: l
                                .contract_amount
                                .map(|m| m.display())
                                .unwrap_or_else(|| "无合同金额".into()),
                            rate: match l.reward {
                                Some(r) if r.capped => format!("{}‰（封顶）", r.per_mille),
                                Some(r) => format!("{}‰", r.per_mille),
                                None => "—".into(),
                            },
                            reward: l.reward.map_or_else(|| "—".into(), |r| yuan(r.reward_yuan)),
                        })
                        .collect(),
                })
                .collect(),
            r: d.referrer,
            can_write,
            flash,
            problem,
            typed_project,
            errors,
        }
    }
    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }
}

// ---- Excel 导入 ----

#[derive(Template, WebTemplate)]
#[template(path = "imports/form.html")]
pub struct ImportFormPage {
    pub layout: Layout,
    pub kinds: Vec<Opt>,
    pub problem: Option<String>,
}

impl ImportFormPage {
    pub fn build(layout: Layout, kind: &str, problem: Option<String>) -> ImportFormPage {
        use crate::domain::import::ImportKind;
        ImportFormPage {
            layout,
            kinds: opts(
                [ImportKind::Investors, ImportKind::Leads]
                    .iter()
                    .map(|k| (k.key().to_string(), k.label().to_string())),
                kind.trim(),
            ),
            problem,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "imports/preview.html")]
pub struct ImportPage {
    pub layout: Layout,
    pub v: crate::service::imports::ImportView,
    pub flash: Option<String>,
    pub problem: Option<String>,
}

impl ImportPage {
    pub fn cells(&self, row: &crate::service::imports::RejectedRow) -> Vec<String> {
        let mut cells = row.cells.clone();
        cells.resize(self.v.headers.len(), String::new());
        cells
    }
    pub fn list_href(&self) -> &'static str {
        if self.v.kind == "leads" {
            "/leads"
        } else {
            "/investors"
        }
    }
}

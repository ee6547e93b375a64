//! Contract performance: recording a signed project's terms, capital increases, funds arrived
//! and delays (officers of the responsible unit and leaders above it), and the reports computed
//! from them as of any date (the caller's scope, or a unit inside it).

use super::App;
use crate::domain::contract::input::{TermsInput, amount_field, dated_within, text_field};
use crate::domain::contract::{
    self, Batches, ContractFacts, IdleLand, Performance, Standing, TermsFrom,
};
use crate::domain::dates::parse_date;
use crate::domain::ids::{ProjectId, UnitId};
use crate::domain::money::Money;
use crate::domain::records::contract::ContractRecords;
use crate::domain::records::project::Project;
use crate::domain::user::{Actor, Role, UnitPath};
use crate::domain::validation::Invalid;
use crate::error::{Error, Result};
use crate::store::contracts::{self as store, Dated, Whose};
use crate::store::{audit, now_text, units};
use serde_json::json;
use time::Date;

/// A project's contract as recorded, and how it stands today.
pub struct ContractView {
    pub project: Project,
    /// The day it first entered 正式签约, and the amount then (the contract's currency).
    pub signed_on: Option<Date>,
    pub signed_amount: Option<Money>,
    pub records: ContractRecords,
    /// The terms that apply today.
    pub terms_today: Option<TermsFrom>,
    /// Amount signed plus capital increases to date.
    pub committed: Option<Money>,
    /// Funds arrived to date, per currency.
    pub funds_total: Vec<Money>,
    /// How it stands today; none for an enterprise, which sees its contract's terms only.
    pub standing: Option<Standing>,
}

/// A dated money record as sent.
pub struct DatedInput<'a> {
    pub date: &'a str,
    pub amount: Option<Money>,
    /// The reason of a capital increase, the source of funds.
    pub text: &'a str,
}

impl App {
    /// The facts of one project for the rules.
    async fn facts_of(
        &self,
        conn: &mut crate::store::Conn,
        id: ProjectId,
    ) -> Result<ContractFacts> {
        store::facts_of(conn, Whose::Project(id))
            .await?
            .pop()
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("facts of project {id} missing")))
    }

    /// The contract of a project the caller may see. An enterprise sees its own project's
    /// terms, not the office's records of funds, increases, delays or its standing.
    pub async fn contract(&self, actor: &Actor, id: ProjectId) -> Result<ContractView> {
        let project = self.get_project(actor, id).await?;
        let mut view = self.contract_view(project).await?;
        if actor.role == Role::Enterprise {
            view.records.funds.clear();
            view.records.increases.clear();
            view.records.delays.clear();
            view.funds_total.clear();
            view.committed = None;
            view.standing = None;
        }
        Ok(view)
    }

    async fn contract_view(&self, project: Project) -> Result<ContractView> {
        let today = self.today();
        let (facts, records) = {
            let mut conn = self.db.pool.acquire().await?;
            (
                self.facts_of(&mut conn, project.id).await?,
                store::records_of(&mut conn, project.id).await?,
            )
        };
        let mut funds_total: Vec<Money> = Vec::new();
        for f in &records.funds {
            match funds_total
                .iter_mut()
                .find(|m| m.currency == f.amount.currency)
            {
                Some(m) => m.yuan += f.amount.yuan,
                None => funds_total.push(f.amount),
            }
        }
        Ok(ContractView {
            signed_on: facts.signed_on(today),
            signed_amount: facts
                .signed_amount
                .filter(|_| facts.signed_on(today).is_some()),
            committed: facts.committed(today),
            standing: Some(contract::standing(&facts, today)),
            terms_today: records.terms_on(today),
            funds_total,
            records,
            project,
        })
    }

    /// Opens a write on a signed project in scope, at the version the caller read: the project
    /// and the day it was first signed.
    async fn signed_project(
        &self,
        tx: &mut crate::store::Conn,
        actor: &Actor,
        id: ProjectId,
        version: Option<i64>,
    ) -> Result<(Project, ContractFacts, Date)> {
        let project = self.in_scope(tx, actor, id).await?;
        let version = version.ok_or_else(|| {
            Invalid::single(
                "version",
                "修改须携带读取时的版本号 version（防止覆盖他人的修改）",
            )
        })?;
        let facts = self.facts_of(tx, id).await?;
        let Some(signed_on) = facts.signed_on(Date::MAX) else {
            return Err(Invalid::single(
                "project",
                "项目尚未进入正式签约：合同条款、增资、到位资金和延误在正式签约之后录入",
            )
            .into());
        };
        if project.version != version {
            return Err(Error::stale("该项目", project.version));
        }
        Ok((project, facts, signed_on))
    }

    async fn finish_contract_write(
        &self,
        mut tx: crate::store::WriteTx,
        actor: &Actor,
        project: &Project,
        action: &'static str,
        after: serde_json::Value,
    ) -> Result<ContractView> {
        let now = now_text();
        if !store::touch_project(&mut tx, project.id, project.version, &now).await? {
            return Err(Error::stale("该项目", project.version));
        }
        audit::append(
            &mut tx,
            Some(actor),
            audit::Entry {
                action,
                entity: "project",
                entity_id: Some(project.id.to_string()),
                before: None,
                after: Some(after),
            },
            &now,
        )
        .await?;
        tx.commit().await?;
        let project = self.get_project(actor, project.id).await?;
        self.contract_view(project).await
    }

    /// Records the contract's terms: those signed on the 正式签约 date (`effective_from`
    /// blank), or a supplementary agreement's from its own date. A second record for the same
    /// day corrects the first; both stay in the history.
    pub async fn put_contract(
        &self,
        actor: &Actor,
        id: ProjectId,
        version: Option<i64>,
        effective_from: Option<&str>,
        input: &TermsInput,
    ) -> Result<ContractView> {
        self.may_write_projects(actor).await?;
        let parsed = input.parse();
        let mut tx = self.db.write().await?;
        let (project, _, signed_on) = self.signed_project(&mut tx, actor, id, version).await?;
        let mut errors = match &parsed {
            Ok(_) => Invalid::default(),
            Err(e) => e.clone(),
        };
        let from = match effective_from.map(str::trim).filter(|t| !t.is_empty()) {
            None => Some(signed_on),
            Some(t) => match parse_date(t) {
                Some(d) if d < signed_on => {
                    errors.add(
                        "effective_from",
                        format!(
                            "补充协议的生效日期不能早于正式签约日期（{}）",
                            crate::domain::dates::iso(signed_on)
                        ),
                    );
                    None
                }
                Some(d) => Some(d),
                None => {
                    errors.add(
                        "effective_from",
                        format!("生效日期“{t}”不是有效日期，应如 2026-03-19"),
                    );
                    None
                }
            },
        };
        let (Ok(terms), Some(from)) = (parsed, from) else {
            return Err(errors.into());
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let versioned = TermsFrom { from, terms };
        let now = now_text();
        let row = store::insert_terms(&mut tx, id, &versioned, actor.id, &now).await?;
        let after = json!({
            "terms_id": row,
            "effective_from": crate::domain::dates::iso(from),
            "start_deadline": crate::domain::dates::iso(versioned.terms.start_deadline),
            "production_deadline": crate::domain::dates::iso(versioned.terms.production_deadline),
            "intensity_yuan_per_m2": versioned.terms.intensity_yuan_per_m2,
            "tax_yuan_per_mu": versioned.terms.tax_yuan_per_mu,
            "land_area_m2": versioned.terms.land_area_m2,
            "land_price": versioned.terms.land_price,
            "incentives": versioned.terms.incentives,
        });
        self.finish_contract_write(tx, actor, &project, "contract_terms", after)
            .await
    }

    /// Records a capital increase (增资) or funds arrived (到位资金), in the contract's currency.
    pub async fn add_dated_money(
        &self,
        actor: &Actor,
        id: ProjectId,
        version: Option<i64>,
        input: &DatedInput<'_>,
        increase: bool,
    ) -> Result<ContractView> {
        self.may_write_projects(actor).await?;
        let today = self.today();
        let mut tx = self.db.write().await?;
        let (project, facts, signed_on) = self.signed_project(&mut tx, actor, id, version).await?;
        let (amount_field_name, label, text_name, text_label) = if increase {
            ("added_investment", "增资金额", "reason", "增资原因")
        } else {
            ("amount", "到位资金", "source", "资金来源")
        };
        let mut errors = Invalid::default();
        let day = crate::domain::contract::input::date_field(
            &mut errors,
            "date",
            if increase {
                "增资日期"
            } else {
                "到位日期"
            },
            input.date,
        );
        if let Some(d) = day {
            dated_within(&mut errors, "date", "日期", d, signed_on, today);
        }
        let amount = match input.amount {
            Some(m) => {
                amount_field(&mut errors, amount_field_name, label, m);
                m
            }
            None => {
                errors.add(amount_field_name, format!("{label}不能为空"));
                Money::new(
                    0,
                    facts
                        .currency()
                        .unwrap_or(crate::domain::money::Currency::Cny),
                )
            }
        };
        if let Some(currency) = facts.currency()
            && currency != amount.currency
        {
            errors.add(
                amount_field_name,
                format!(
                    "合同以{}签订，{label}须用同一币种（{}）；另一币种的资金请折算后按合同币种录入",
                    currency.wan_label().trim_start_matches('万'),
                    currency.code()
                ),
            );
        }
        let text = text_field(&mut errors, text_name, text_label, input.text, 200);
        let Some(day) = day.filter(|_| errors.is_empty()) else {
            return Err(errors.into());
        };
        let now = now_text();
        let what = if increase {
            Dated::Increase { reason: &text }
        } else {
            Dated::Funds { source: &text }
        };
        let row = store::insert_dated(&mut tx, id, day, amount, what, actor.id, &now).await?;
        let (action, after) = if increase {
            (
                "capital_increase",
                json!({ "id": row, "date": crate::domain::dates::iso(day), "added_investment": amount, "reason": text }),
            )
        } else {
            (
                "funds_arrived",
                json!({ "id": row, "date": crate::domain::dates::iso(day), "amount": amount, "source": text }),
            )
        };
        self.finish_contract_write(tx, actor, &project, action, after)
            .await
    }

    /// Records a delay caused by the government or force majeure.
    pub async fn add_delay(
        &self,
        actor: &Actor,
        id: ProjectId,
        version: Option<i64>,
        (from, to, reason): (&str, &str, &str),
    ) -> Result<ContractView> {
        self.may_write_projects(actor).await?;
        let parsed = crate::domain::contract::input::delay(from, to);
        let mut tx = self.db.write().await?;
        let (project, _, signed_on) = self.signed_project(&mut tx, actor, id, version).await?;
        let mut errors = match &parsed {
            Ok(_) => Invalid::default(),
            Err(e) => e.clone(),
        };
        if let Ok(d) = &parsed
            && d.from < signed_on
        {
            errors.add(
                "from",
                format!(
                    "延误开始日期不能早于正式签约日期（{}）",
                    crate::domain::dates::iso(signed_on)
                ),
            );
        }
        let reason = text_field(&mut errors, "reason", "延误原因", reason, 200);
        let (Ok(delay), true) = (parsed, errors.is_empty()) else {
            return Err(errors.into());
        };
        let now = now_text();
        let row = store::insert_delay(&mut tx, id, delay, &reason, actor.id, &now).await?;
        let after = json!({
            "id": row,
            "from": crate::domain::dates::iso(delay.from),
            "to": crate::domain::dates::iso(delay.to),
            "days": delay.days(),
            "reason": reason,
        });
        self.finish_contract_write(tx, actor, &project, "delay", after)
            .await
    }

    /// The scope a report covers: the caller's, or a unit inside it.
    async fn report_scope(&self, actor: &Actor, unit: Option<i64>) -> Result<UnitPath> {
        self.role_allows(actor, Role::is_staff, "report", "查看履约统计")
            .await?;
        let Some(unit) = unit else {
            return Ok(actor.unit_path.clone());
        };
        let mut conn = self.db.pool.acquire().await?;
        match units::by_id(&mut conn, UnitId(unit)).await? {
            Some(u) if actor.unit_path.contains(&u.path) => Ok(u.path),
            _ => Err(Invalid::single("unit", "单位不存在，或不在您的管辖范围内").into()),
        }
    }

    /// The names of the projects a report lists (those in the caller's scope).
    pub async fn projects_named(&self, actor: &Actor, ids: Vec<i64>) -> Result<Vec<(i64, String)>> {
        let limit = ids.len() as i64;
        Ok(self
            .projects_by_ids_in_scope(actor, ids, limit)
            .await?
            .items
            .into_iter()
            .map(|p| (p.id.0, p.name))
            .collect())
    }

    /// The units a report may be asked for: the caller's subtree.
    pub async fn units_in_scope(&self, actor: &Actor) -> Result<Vec<(i64, String)>> {
        self.role_allows(actor, Role::is_staff, "report", "查看履约统计")
            .await?;
        let mut conn = self.db.pool.acquire().await?;
        Ok(units::subtree(&mut conn, &actor.unit_path)
            .await?
            .into_iter()
            .map(|u| (u.id.0, u.name))
            .collect())
    }

    /// Runs `report` over the contract facts of the projects under `scope` (signed ones only,
    /// unless `unsigned`), in id order, from the in-memory index (brought up to date first).
    async fn with_facts<R>(
        &self,
        (scope, unsigned): (&UnitPath, bool),
        report: impl FnOnce(&[std::borrow::Cow<'_, ContractFacts>]) -> R,
    ) -> Result<R> {
        let mut conn = self.db.pool.acquire().await?;
        let units: std::collections::HashSet<i64> = units::subtree(&mut conn, scope)
            .await?
            .into_iter()
            .map(|u| u.id.0)
            .collect();
        let snapshot = self.db.contracts.current(&mut conn).await?;
        let facts = snapshot.facts(|unit| units.contains(&unit), unsigned);
        Ok(report(&facts))
    }

    /// Loads the contract facts of every project (at start, so the first report is quick).
    pub async fn warm_contracts(&self) -> Result<usize> {
        let mut conn = self.db.pool.acquire().await?;
        Ok(self.db.contracts.current(&mut conn).await?.len())
    }

    /// The three rates as of `as_of` for projects signed from `since`.
    pub async fn performance_report(
        &self,
        actor: &Actor,
        (since, as_of): (Option<&str>, Option<&str>),
        unit: Option<i64>,
    ) -> Result<Performance> {
        let scope = self.report_scope(actor, unit).await?;
        let today = self.today();
        let (since, as_of) = period(("since", since, year_start(today)), ("as_of", as_of, today))?;
        self.with_facts((&scope, false), |facts| {
            contract::performance_report(facts.iter().map(|f| f.as_ref()), since, as_of)
        })
        .await
    }

    /// 四个一批 for `from`..=`to`.
    pub async fn batches_report(
        &self,
        actor: &Actor,
        (from, to): (Option<&str>, Option<&str>),
        unit: Option<i64>,
    ) -> Result<(Batches, Date, Date)> {
        let scope = self.report_scope(actor, unit).await?;
        let today = self.today();
        let (from, to) = period(("from", from, year_start(today)), ("to", to, today))?;
        let rate = self.config.usd_rate_e4;
        let batches = self
            .with_facts((&scope, true), |facts| {
                contract::batches(facts.iter().map(|f| f.as_ref()), from, to, rate)
            })
            .await?;
        Ok((batches, from, to))
    }

    /// Idle land as of a date (today by default; a date ahead projects today's records).
    pub async fn idle_land_report(
        &self,
        actor: &Actor,
        as_of: Option<&str>,
        unit: Option<i64>,
    ) -> Result<(Date, Vec<IdleLand>)> {
        let scope = self.report_scope(actor, unit).await?;
        let as_of = match as_of.map(str::trim).filter(|t| !t.is_empty()) {
            None => self.today(),
            Some(t) => parse_date(t).ok_or_else(|| {
                Invalid::single("as_of", format!("日期“{t}”不是有效日期，应如 2026-03-19"))
            })?,
        };
        let items = self
            .with_facts((&scope, false), |facts| {
                facts
                    .iter()
                    .filter_map(|f| contract::idle_land(f, as_of))
                    .collect()
            })
            .await?;
        Ok((as_of, items))
    }
}

fn year_start(today: Date) -> Date {
    Date::from_calendar_date(today.year(), time::Month::January, 1).unwrap_or(today)
}

/// A period's two ends as sent (each with its default), in order.
fn period(
    (start_name, start, start_default): (&str, Option<&str>, Date),
    (end_name, end, end_default): (&str, Option<&str>, Date),
) -> Result<(Date, Date)> {
    let mut errors = Invalid::default();
    let mut read = |name: &str, text: Option<&str>, default: Date| match text
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        None => Some(default),
        Some(t) => {
            let d = parse_date(t);
            if d.is_none() {
                errors.add(name, format!("日期“{t}”不是有效日期，应如 2026-03-19"));
            }
            d
        }
    };
    let start = read(start_name, start, start_default);
    let end = read(end_name, end, end_default);
    match (start, end) {
        (Some(s), Some(e)) if s > e => {
            Err(Invalid::single(start_name, "起始日期不能晚于截止日期".to_string()).into())
        }
        (Some(s), Some(e)) if errors.is_empty() => Ok((s, e)),
        _ => Err(errors.into()),
    }
}

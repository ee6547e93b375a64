//! Projects, their append-only history (stage changes, notes, edits) and their search grams.

use super::list_index::{self, ListIndex};
use super::{Bind, Conn, SqlBuilder};
use crate::domain::area::Area;
use crate::domain::channel::Channel;
use crate::domain::dates::{iso, parse_date};
use crate::domain::ids::{HistoryEntryId, InvestorId, ProjectId, UnitId, UserId};
use crate::domain::listing::{self, Criteria, Totals};
use crate::domain::money::{Currency, Money};
use crate::domain::project::ProjectFields;
use crate::domain::search;
use crate::domain::stage::Stage;
use crate::domain::transition::{Facts, Transition};
use crate::domain::user::UnitPath;
use sqlx::Row;
use time::Date;

pub use crate::domain::records::project::{HistoryEntry, HistoryKind, Project};

const COLUMNS: &str = "p.id, p.name, p.investor_name, p.industry_code, p.channel, \
    p.total_investment_yuan, p.currency, p.land_area_m2, p.building_area_m2, \
    p.expected_output_yuan, p.expected_tax_yuan, p.jobs, p.unit_id, u.name AS unit_name, \
    p.officer_id, o.name AS officer_name, p.leader_id, l.name AS leader_name, p.referrer, p.investor_id, p.referrer_id, p.notes, \
    p.stage, p.paused_from, p.stage_since, p.lead_on, p.negotiating_on, p.intent_on, p.contracted_on, \
    p.contract_amount_yuan, p.contract_currency, p.landed_on, p.credit_code, p.land_grant_date, \
    p.construction_on, p.production_on, p.at_capacity_on, p.last_progress_on, p.version, \
    p.created_at, p.updated_at";

const JOINS: &str = "FROM projects p JOIN units u ON u.id = p.unit_id \
    LEFT JOIN users o ON o.id = p.officer_id LEFT JOIN users l ON l.id = p.leader_id";

fn decode_err(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("bad {what}: {value}").into())
}

fn date_col(row: &sqlx::any::AnyRow, col: &str) -> sqlx::Result<Date> {
    let text: String = row.try_get(col)?;
    parse_date(&text).ok_or_else(|| decode_err(col, &text))
}

fn opt_date_col(row: &sqlx::any::AnyRow, col: &str) -> sqlx::Result<Option<Date>> {
    match row.try_get::<Option<String>, _>(col)? {
        None => Ok(None),
        Some(text) => parse_date(&text)
            .map(Some)
            .ok_or_else(|| decode_err(col, &text)),
    }
}

fn stage_col(row: &sqlx::any::AnyRow, col: &str) -> sqlx::Result<Option<Stage>> {
    match row.try_get::<Option<String>, _>(col)? {
        None => Ok(None),
        Some(text) => Stage::parse(&text)
            .map(Some)
            .ok_or_else(|| decode_err(col, &text)),
    }
}

fn currency_of(text: &str) -> sqlx::Result<Currency> {
    Currency::parse(text).ok_or_else(|| decode_err("currency", text))
}

fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Project> {
    let currency = currency_of(&row.try_get::<String, _>("currency")?)?;
    let cny = |col: &str| -> sqlx::Result<Option<Money>> {
        Ok(row
            .try_get::<Option<i64>, _>(col)?
            .map(|y| Money::new(y, Currency::Cny)))
    };
    let contract_amount = match (
        row.try_get::<Option<i64>, _>("contract_amount_yuan")?,
        row.try_get::<Option<String>, _>("contract_currency")?,
    ) {
        (Some(y), Some(c)) => Some(Money::new(y, currency_of(&c)?)),
        _ => None,
    };
    Ok(Project {
        id: ProjectId(row.try_get("id")?),
        name: row.try_get("name")?,
        investor_name: row.try_get("investor_name")?,
        industry_code: row.try_get("industry_code")?,
        channel: row
            .try_get::<Option<String>, _>("channel")?
            .and_then(|c| Channel::parse(&c)),
        total_investment: Money::new(row.try_get("total_investment_yuan")?, currency),
        land_area: row
            .try_get::<Option<i64>, _>("land_area_m2")?
            .map(Area::from_m2),
        building_area: row
            .try_get::<Option<i64>, _>("building_area_m2")?
            .map(Area::from_m2),
        expected_output: cny("expected_output_yuan")?,
        expected_tax: cny("expected_tax_yuan")?,
        jobs: row.try_get("jobs")?,
        unit_id: UnitId(row.try_get("unit_id")?),
        unit_name: row.try_get("unit_name")?,
        officer_id: row.try_get::<Option<i64>, _>("officer_id")?.map(UserId),
        officer_name: row.try_get("officer_name")?,
        leader_id: row.try_get::<Option<i64>, _>("leader_id")?.map(UserId),
        leader_name: row.try_get("leader_name")?,
        referrer: row.try_get("referrer")?,
        investor_id: row
            .try_get::<Option<i64>, _>("investor_id")?
            .map(InvestorId),
        referrer_id: row
            .try_get::<Option<i64>, _>("referrer_id")?
            .map(crate::domain::ids::ReferrerId),
        notes: row.try_get("notes")?,
        stage: stage_col(row, "stage")?.ok_or_else(|| decode_err("stage", ""))?,
        paused_from: stage_col(row, "paused_from")?,
        stage_since: date_col(row, "stage_since")?,
        lead_on: date_col(row, "lead_on")?,
        negotiating_on: opt_date_col(row, "negotiating_on")?,
        intent_on: opt_date_col(row, "intent_on")?,
        contracted_on: opt_date_col(row, "contracted_on")?,
        contract_amount,
        landed_on: opt_date_col(row, "landed_on")?,
        credit_code: row.try_get("credit_code")?,
        land_grant_date: opt_date_col(row, "land_grant_date")?,
        construction_on: opt_date_col(row, "construction_on")?,
        production_on: opt_date_col(row, "production_on")?,
        at_capacity_on: opt_date_col(row, "at_capacity_on")?,
        last_progress_on: date_col(row, "last_progress_on")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        internal_withheld: false,
    })
}

pub async fn by_id(conn: &mut Conn, id: ProjectId) -> sqlx::Result<Option<Project>> {
    let sql = format!("SELECT {COLUMNS} {JOINS} WHERE p.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(conn)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

/// The unit path of a project (for scope checks before loading everything).
/// What decides who sees a project: its unit's place in the tree and its investor record.
pub async fn scope_of(
    conn: &mut Conn,
    id: ProjectId,
) -> sqlx::Result<Option<(UnitPath, Option<InvestorId>)>> {
    sqlx::query(
        "SELECT u.path, p.investor_id FROM projects p JOIN units u ON u.id = p.unit_id \
         WHERE p.id = $1",
    )
    .bind(id.0)
    .fetch_optional(conn)
    .await?
    .map(|r| {
        Ok((
            UnitPath(r.try_get("path")?),
            r.try_get::<Option<i64>, _>("investor_id")?.map(InvestorId),
        ))
    })
    .transpose()
}

/// A project with its unit's path, which decides (with its investor record) who sees it: one
/// statement where a scope check and a load would be two.
pub async fn by_id_with_path(
    conn: &mut Conn,
    id: ProjectId,
) -> sqlx::Result<Option<(Project, UnitPath)>> {
    let sql = format!("SELECT {COLUMNS}, u.path AS unit_path {JOINS} WHERE p.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(conn)
        .await?
        .map(|r| Ok((from_row(&r)?, UnitPath(r.try_get("unit_path")?))))
        .transpose()
}

/// Ids of the projects naming this investor, in order.
pub async fn ids_of_investor(conn: &mut Conn, investor: InvestorId) -> sqlx::Result<Vec<i64>> {
    sqlx::query("SELECT id FROM projects WHERE investor_id = $1 ORDER BY id")
        .bind(investor.0)
        .fetch_all(conn)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect()
}

fn opt_money_yuan(m: Option<Money>) -> Option<i64> {
    m.map(|m| m.yuan)
}

/// Inserts a new project in `lead` on `lead_on`; returns its id.
pub async fn insert(
    conn: &mut Conn,
    fields: &ProjectFields,
    unit_id: UnitId,
    lead_on: Date,
    created_by: Option<UserId>,
    now: &str,
) -> sqlx::Result<ProjectId> {
    let lead = iso(lead_on);
    let change = list_index::next_change(conn).await?;
    let id: i64 = sqlx::query(
        "INSERT INTO projects (name, investor_name, search_text, industry_code, channel, \
         total_investment_yuan, currency, land_area_m2, building_area_m2, expected_output_yuan, \
         expected_tax_yuan, jobs, unit_id, officer_id, leader_id, referrer, notes, stage, \
         stage_since, lead_on, last_progress_on, version, created_by, created_at, updated_at, \
         change_seq, investor_id, referrer_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'lead', \
         $18, $18, $18, 1, $19, $20, $20, $21, $22, $23) RETURNING id",
    )
    .bind(&fields.name)
    .bind(&fields.investor_name)
    .bind(search::search_text(&[&fields.name, &fields.investor_name]))
    .bind(fields.industry.code())
    .bind(fields.channel.map(|c| c.key()))
    .bind(fields.total_investment.yuan)
    .bind(fields.total_investment.currency.code())
    .bind(fields.land_area.map(|a| a.m2))
    .bind(fields.building_area.map(|a| a.m2))
    .bind(opt_money_yuan(fields.expected_output))
    .bind(opt_money_yuan(fields.expected_tax))
    .bind(fields.jobs)
    .bind(unit_id.0)
    .bind(fields.officer_id.map(|u| u.0))
    .bind(fields.leader_id.map(|u| u.0))
    .bind(fields.referrer.as_deref())
    .bind(fields.notes.as_deref())
    .bind(&lead)
    .bind(created_by.map(|u| u.0))
    .bind(now)
    .bind(change)
    .bind(fields.investor_id.map(|i| i.0))
    .bind(fields.referrer_id.map(|r| r.0))
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    Ok(ProjectId(id))
}

/// Rewrites the editable facts if the version still matches; false when it did not (stale).
pub async fn update_fields(
    conn: &mut Conn,
    before: &Project,
    fields: &ProjectFields,
    unit_id: UnitId,
    expected_version: i64,
    now: &str,
) -> sqlx::Result<bool> {
    let change = list_index::next_change(conn).await?;
    let done = sqlx::query(
        "UPDATE projects SET name = $1, investor_name = $2, search_text = $3, industry_code = $4, \
         channel = $5, total_investment_yuan = $6, currency = $7, land_area_m2 = $8, \
         building_area_m2 = $9, expected_output_yuan = $10, expected_tax_yuan = $11, jobs = $12, \
         unit_id = $13, officer_id = $14, leader_id = $15, referrer = $16, notes = $17, \
         version = version + 1, updated_at = $18, change_seq = $21, investor_id = $22, \
         referrer_id = $23 WHERE id = $19 AND version = $20",
    )
    .bind(&fields.name)
    .bind(&fields.investor_name)
    .bind(search::search_text(&[&fields.name, &fields.investor_name]))
    .bind(fields.industry.code())
    .bind(fields.channel.map(|c| c.key()))
    .bind(fields.total_investment.yuan)
    .bind(fields.total_investment.currency.code())
    .bind(fields.land_area.map(|a| a.m2))
    .bind(fields.building_area.map(|a| a.m2))
    .bind(opt_money_yuan(fields.expected_output))
    .bind(opt_money_yuan(fields.expected_tax))
    .bind(fields.jobs)
    .bind(unit_id.0)
    .bind(fields.officer_id.map(|u| u.0))
    .bind(fields.leader_id.map(|u| u.0))
    .bind(fields.referrer.as_deref())
    .bind(fields.notes.as_deref())
    .bind(now)
    .bind(before.id.0)
    .bind(expected_version)
    .bind(change)
    .bind(fields.investor_id.map(|i| i.0))
    .bind(fields.referrer_id.map(|r| r.0))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(done == 1)
}

/// The latest progress note of each of these projects: (its day, its text).
pub async fn latest_notes(
    conn: &mut Conn,
    ids: &[i64],
) -> sqlx::Result<std::collections::HashMap<i64, (Date, String)>> {
    let mut latest = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let mut b = SqlBuilder::new(conn);
        b.push(
            "SELECT project_id, effective_date, body FROM project_events \
             WHERE kind = 'note' AND body IS NOT NULL AND project_id IN (",
        );
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                b.push(", ");
            }
            b.bind(Bind::Int(*id));
        }
        b.push(") ORDER BY project_id, effective_date DESC, id DESC");
        for row in b.query().fetch_all(&mut *conn).await? {
            let id: i64 = row.try_get("project_id")?;
            if latest.contains_key(&id) {
                continue;
            }
            let day = date_col(&row, "effective_date")?;
            latest.insert(id, (day, row.try_get::<String, _>("body")?));
        }
    }
    Ok(latest)
}

/// The earliest day of anything recorded on a project after its creation (a stage change, a
/// note, an edit): a corrected 录入日期 may not pass it.
pub async fn first_after_creation(conn: &mut Conn, id: ProjectId) -> sqlx::Result<Option<Date>> {
    let first: Option<String> = sqlx::query(
        "SELECT MIN(effective_date) AS first FROM project_events \
         WHERE project_id = $1 AND kind <> 'created' AND kind <> 'edited'",
    )
    .bind(id.0)
    .fetch_one(&mut *conn)
    .await?
    .try_get("first")?;
    Ok(first.as_deref().and_then(parse_date))
}

/// Moves a project's 录入日期 (and its creation entry, and the dates that were that day because
/// nothing has happened since) to `day`. The caller bumps the version in the same write.
pub async fn correct_lead_on(conn: &mut Conn, before: &Project, day: Date) -> sqlx::Result<()> {
    let (old, new) = (iso(before.lead_on), iso(day));
    sqlx::query(
        "UPDATE projects SET lead_on = $1, \
         stage_since = CASE WHEN stage = 'lead' AND stage_since = $2 THEN $1 ELSE stage_since END, \
         last_progress_on = CASE WHEN last_progress_on = $2 THEN $1 ELSE last_progress_on END \
         WHERE id = $3",
    )
    .bind(&new)
    .bind(&old)
    .bind(before.id.0)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE project_events SET effective_date = $1 WHERE project_id = $2 AND kind = 'created'",
    )
    .bind(&new)
    .bind(before.id.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The column holding the first-entry date of a stage, if the stage has one.
fn first_entry_column(stage: Stage) -> Option<&'static str> {
    match stage {
        Stage::Negotiating => Some("negotiating_on"),
        Stage::Intent => Some("intent_on"),
        Stage::Contracted => Some("contracted_on"),
        Stage::Landed => Some("landed_on"),
        Stage::Construction => Some("construction_on"),
        Stage::Production => Some("production_on"),
        Stage::AtCapacity => Some("at_capacity_on"),
        _ => None,
    }
}

/// Applies a checked transition if the version still matches; false when stale.
/// First-entry dates are kept: re-entering a stage after a pause does not move them.
pub async fn apply_transition(
    conn: &mut Conn,
    before: &Project,
    t: &Transition,
    paused_from: Option<Stage>,
    expected_version: i64,
    now: &str,
) -> sqlx::Result<bool> {
    let date = iso(t.date);
    let change = list_index::next_change(conn).await?;
    let mut b = SqlBuilder::new(conn);
    b.push("UPDATE projects SET stage = ")
        .bind(Bind::Text(t.to.key().into()))
        .push(", paused_from = ")
        .bind(Bind::OptText(paused_from.map(|s| s.key().to_string())))
        .push(", stage_since = ")
        .bind(Bind::Text(date.clone()))
        .push(", last_progress_on = CASE WHEN last_progress_on > ")
        .bind(Bind::Text(date.clone()))
        .push(" THEN last_progress_on ELSE ")
        .bind(Bind::Text(date.clone()))
        .push(" END");
    if let Some(col) = first_entry_column(t.to) {
        b.push(&format!(", {col} = COALESCE({col}, "))
            .bind(Bind::Text(date.clone()))
            .push(")");
    }
    match &t.facts {
        Facts::Contract { amount } => {
            b.push(", contract_amount_yuan = ")
                .bind(Bind::Int(amount.yuan))
                .push(", contract_currency = ")
                .bind(Bind::Text(amount.currency.code().into()));
        }
        Facts::Landing {
            credit_code,
            land_grant_date,
        } => {
            if let Some(code) = credit_code {
                b.push(", credit_code = ")
                    .bind(Bind::Text(code.to_string()));
            }
            if let Some(d) = land_grant_date {
                b.push(", land_grant_date = ").bind(Bind::Text(iso(*d)));
            }
        }
        Facts::None | Facts::Reason(_) => {}
    }
    b.push(", version = version + 1, updated_at = ")
        .bind(Bind::Text(now.into()))
        .push(", change_seq = ")
        .bind(Bind::Int(change))
        .push(" WHERE id = ")
        .bind(Bind::Int(before.id.0))
        .push(" AND version = ")
        .bind(Bind::Int(expected_version));
    let done = b.query().execute(&mut *conn).await?.rows_affected();
    Ok(done == 1)
}

/// Moves `last_progress_on` forward for a note, bumping the version.
pub async fn touch_progress(
    conn: &mut Conn,
    id: ProjectId,
    date: Date,
    now: &str,
) -> sqlx::Result<()> {
    let d = iso(date);
    let change = list_index::next_change(conn).await?;
    sqlx::query(
        "UPDATE projects SET last_progress_on = CASE WHEN last_progress_on > $1 THEN last_progress_on ELSE $1 END, \
         version = version + 1, updated_at = $2, change_seq = $4 WHERE id = $3",
    )
    .bind(&d)
    .bind(now)
    .bind(id.0)
    .bind(change)
    .execute(conn)
    .await?;
    Ok(())
}

pub struct NewHistoryEntry<'a> {
    pub project_id: ProjectId,
    pub kind: HistoryKind,
    pub from_stage: Option<Stage>,
    pub to_stage: Option<Stage>,
    pub effective_date: Date,
    pub body: Option<&'a str>,
    pub facts: Option<serde_json::Value>,
    pub actor_id: Option<UserId>,
}

pub async fn insert_history_entry(
    conn: &mut Conn,
    e: &NewHistoryEntry<'_>,
    now: &str,
) -> sqlx::Result<HistoryEntryId> {
    let id: i64 = sqlx::query(
        "INSERT INTO project_events (project_id, kind, from_stage, to_stage, effective_date, body, facts, actor_id, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(e.project_id.0)
    .bind(e.kind.key())
    .bind(e.from_stage.map(|s| s.key()))
    .bind(e.to_stage.map(|s| s.key()))
    .bind(iso(e.effective_date))
    .bind(e.body)
    .bind(e.facts.as_ref().map(|f| f.to_string()))
    .bind(e.actor_id.map(|u| u.0))
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")?;
    Ok(HistoryEntryId(id))
}

/// The project's history in the order things happened.
pub async fn history(conn: &mut Conn, id: ProjectId) -> sqlx::Result<Vec<HistoryEntry>> {
    sqlx::query(
        "SELECT e.id, e.kind, e.from_stage, e.to_stage, e.effective_date, e.body, e.facts, \
         a.name AS actor_name, e.recorded_at FROM project_events e \
         LEFT JOIN users a ON a.id = e.actor_id WHERE e.project_id = $1 \
         ORDER BY e.effective_date, e.id",
    )
    .bind(id.0)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        let kind: String = r.try_get("kind")?;
        Ok(HistoryEntry {
            id: HistoryEntryId(r.try_get("id")?),
            kind: HistoryKind::parse(&kind).ok_or_else(|| decode_err("kind", &kind))?,
            from_stage: stage_col(r, "from_stage")?,
            to_stage: stage_col(r, "to_stage")?,
            effective_date: date_col(r, "effective_date")?,
            body: r.try_get("body")?,
            facts: r
                .try_get::<Option<String>, _>("facts")?
                .and_then(|f| serde_json::from_str(&f).ok()),
            actor_name: r.try_get("actor_name")?,
            recorded_at: r.try_get("recorded_at")?,
        })
    })
    .collect()
}

/// Counts and sums of the listed set, and the requested page of it.
pub async fn list(
    conn: &mut Conn,
    index: &ListIndex,
    criteria: &Criteria,
) -> sqlx::Result<(Totals, Vec<Project>)> {
    let (totals, ids) = {
        let snapshot = index.current(conn).await?;
        listing::select(snapshot.facts(), criteria)
    };
    Ok((totals, by_ids(conn, &ids).await?))
}

/// Projects by id, in the order of `ids`.
async fn by_ids(conn: &mut Conn, ids: &[i64]) -> sqlx::Result<Vec<Project>> {
    // Chunks keep statements small (and under SQLite's placeholder limit on exports).
    let mut items: Vec<Project> = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let mut b = SqlBuilder::new(conn);
        b.push(&format!("SELECT {COLUMNS} {JOINS} WHERE p.id IN ("));
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                b.push(", ");
            }
            b.bind(Bind::Int(*id));
        }
        b.push(")");
        for row in b.query().fetch_all(&mut *conn).await? {
            items.push(from_row(&row)?);
        }
    }
    let order: std::collections::HashMap<i64, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    items.sort_by_key(|p| order.get(&p.id.0).copied().unwrap_or(usize::MAX));
    Ok(items)
}

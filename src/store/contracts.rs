//! Contract records (terms, capital increases, funds arrived, delays) and the facts the
//! performance rules read for every signed project in a scope.

use super::Conn;
use crate::domain::contract::{ContractFacts, Delay, Incentive, Terms, TermsFrom};
use crate::domain::dates::{iso, parse_date};
use crate::domain::ids::{ProjectId, UserId};
use crate::domain::money::{Currency, Money};
use crate::domain::records::contract::{
    ContractRecords, DelayRecord, FundsArrival, Increase, TermsRecord,
};
use crate::domain::stage::Stage;
use sqlx::Row;
use std::collections::HashMap;
use time::Date;

fn decode(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("bad {what}: {value}").into())
}

fn date(r: &sqlx::any::AnyRow, col: &str) -> sqlx::Result<Date> {
    let text: String = r.try_get(col)?;
    parse_date(&text).ok_or_else(|| decode("date", &text))
}

fn money(r: &sqlx::any::AnyRow, yuan: &str, currency: &str) -> sqlx::Result<Option<Money>> {
    match (
        r.try_get::<Option<i64>, _>(yuan)?,
        r.try_get::<Option<String>, _>(currency)?,
    ) {
        (Some(y), Some(c)) => Ok(Some(Money::new(
            y,
            Currency::parse(&c).ok_or_else(|| decode("currency", &c))?,
        ))),
        _ => Ok(None),
    }
}

pub async fn insert_terms(
    conn: &mut Conn,
    project: ProjectId,
    t: &TermsFrom,
    by: UserId,
    now: &str,
) -> sqlx::Result<i64> {
    let incentives =
        serde_json::to_string(&t.terms.incentives).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query(
        "INSERT INTO contract_terms (project_id, effective_from, start_deadline, \
         production_deadline, intensity_yuan_per_m2, tax_yuan_per_mu, land_area_m2, \
         land_price_yuan, land_price_currency, incentives_json, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(project.0)
    .bind(iso(t.from))
    .bind(iso(t.terms.start_deadline))
    .bind(iso(t.terms.production_deadline))
    .bind(t.terms.intensity_yuan_per_m2)
    .bind(t.terms.tax_yuan_per_mu)
    .bind(t.terms.land_area_m2)
    .bind(t.terms.land_price.map(|m| m.yuan))
    .bind(t.terms.land_price.map(|m| m.currency.code()))
    .bind(incentives)
    .bind(by.0)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// What a dated money record holds: a capital increase (with its reason) or funds arrived
/// (with their source).
pub enum Dated<'a> {
    Increase { reason: &'a str },
    Funds { source: &'a str },
}

pub async fn insert_dated(
    conn: &mut Conn,
    project: ProjectId,
    day: Date,
    amount: Money,
    what: Dated<'_>,
    by: UserId,
    now: &str,
) -> sqlx::Result<i64> {
    let (sql, text) = match what {
        Dated::Increase { reason } => (
            "INSERT INTO capital_increases (project_id, on_date, amount_yuan, currency, reason, \
             recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            reason,
        ),
        Dated::Funds { source } => (
            "INSERT INTO funds_arrived (project_id, on_date, amount_yuan, currency, source, \
             recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            source,
        ),
    };
    sqlx::query(sql)
        .bind(project.0)
        .bind(iso(day))
        .bind(amount.yuan)
        .bind(amount.currency.code())
        .bind(text)
        .bind(by.0)
        .bind(now)
        .fetch_one(conn)
        .await?
        .try_get("id")
}

pub async fn insert_delay(
    conn: &mut Conn,
    project: ProjectId,
    delay: Delay,
    reason: &str,
    by: UserId,
    now: &str,
) -> sqlx::Result<i64> {
    sqlx::query(
        "INSERT INTO project_delays (project_id, from_date, to_date, reason, recorded_by, \
         recorded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(project.0)
    .bind(iso(delay.from))
    .bind(iso(delay.to))
    .bind(reason)
    .bind(by.0)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

fn terms_of_row(r: &sqlx::any::AnyRow) -> sqlx::Result<TermsFrom> {
    let incentives: String = r.try_get("incentives_json")?;
    let incentives: Vec<Incentive> =
        serde_json::from_str(&incentives).map_err(|e| sqlx::Error::Decode(e.into()))?;
    Ok(TermsFrom {
        from: date(r, "effective_from")?,
        terms: Terms {
            start_deadline: date(r, "start_deadline")?,
            production_deadline: date(r, "production_deadline")?,
            intensity_yuan_per_m2: r.try_get("intensity_yuan_per_m2")?,
            tax_yuan_per_mu: r.try_get("tax_yuan_per_mu")?,
            land_area_m2: r.try_get("land_area_m2")?,
            land_price: money(r, "land_price_yuan", "land_price_currency")?,
            incentives,
        },
    })
}

const TERMS_COLUMNS: &str = "t.id, t.project_id, t.effective_from, t.start_deadline, \
     t.production_deadline, t.intensity_yuan_per_m2, t.tax_yuan_per_mu, t.land_area_m2, \
     t.land_price_yuan, t.land_price_currency, t.incentives_json, t.recorded_at";

impl Dated<'_> {
    /// Where each kind is kept: (table, column of its text).
    const INCREASES: (&'static str, &'static str) = ("capital_increases", "reason");
    const FUNDS: (&'static str, &'static str) = ("funds_arrived", "source");
}

/// One project's dated money records of a kind, in date order: (id, date, amount, text).
async fn dated_money(
    conn: &mut Conn,
    (table, text): (&str, &str),
    project: ProjectId,
) -> sqlx::Result<Vec<(i64, Date, Money, String)>> {
    let sql = format!(
        "SELECT id, on_date, amount_yuan, currency, {text} AS text FROM {table} \
         WHERE project_id = $1 ORDER BY on_date, id"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(project.0)
        .fetch_all(conn)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                date(r, "on_date")?,
                money(r, "amount_yuan", "currency")?.ok_or_else(|| decode("amount", ""))?,
                r.try_get("text")?,
            ))
        })
        .collect()
}

/// Every contract record of one project.
pub async fn records_of(conn: &mut Conn, project: ProjectId) -> sqlx::Result<ContractRecords> {
    let mut records = ContractRecords::default();
    let sql = format!(
        "SELECT {TERMS_COLUMNS} FROM contract_terms t WHERE t.project_id = $1 \
         ORDER BY t.effective_from, t.id"
    );
    for r in sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(project.0)
        .fetch_all(&mut *conn)
        .await?
    {
        records.terms.push(TermsRecord {
            id: r.try_get("id")?,
            terms: terms_of_row(&r)?,
            recorded_at: r.try_get("recorded_at")?,
        });
    }
    for (id, date, amount, reason) in dated_money(conn, Dated::INCREASES, project).await? {
        records.increases.push(Increase {
            id,
            date,
            amount,
            reason,
        });
    }
    for (id, date, amount, source) in dated_money(conn, Dated::FUNDS, project).await? {
        records.funds.push(FundsArrival {
            id,
            date,
            amount,
            source,
        });
    }
    for r in sqlx::query(
        "SELECT id, from_date, to_date, reason FROM project_delays \
         WHERE project_id = $1 ORDER BY from_date, id",
    )
    .bind(project.0)
    .fetch_all(&mut *conn)
    .await?
    {
        records.delays.push(DelayRecord {
            id: r.try_get("id")?,
            delay: Delay {
                from: date(&r, "from_date")?,
                to: date(&r, "to_date")?,
            },
            reason: r.try_get("reason")?,
        });
    }
    Ok(records)
}

/// Whose facts to read.
pub enum Whose {
    /// One project.
    Project(ProjectId),
    /// The projects with ids `first..=last` written since a change number, up to another
    /// (see `list_index`).
    Changed {
        after: i64,
        upto: i64,
        first: i64,
        last: i64,
    },
}

/// A query over the projects `whose` names, its parameters bound.
fn over<'q>(
    sql: String,
    whose: &Whose,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let q = sqlx::query(sqlx::AssertSqlSafe(sql));
    match whose {
        Whose::Project(id) => q.bind(id.0),
        Whose::Changed {
            after,
            upto,
            first,
            last,
        } => q.bind(*after).bind(*upto).bind(*first).bind(*last),
    }
}

/// The facts of the projects `whose` names: stage entries from the append-only history, the
/// amount of the first signing, and the dated contract records.
pub async fn facts_of(conn: &mut Conn, whose: Whose) -> sqlx::Result<Vec<ContractFacts>> {
    let projects = match &whose {
        Whose::Project(_) => "FROM projects p WHERE p.id = $1".to_string(),
        Whose::Changed { .. } => "FROM projects p WHERE p.change_seq > $1 AND p.change_seq <= $2 \
             AND p.id >= $3 AND p.id <= $4"
            .to_string(),
    };
    let mut facts: HashMap<i64, ContractFacts> = HashMap::new();
    let mut order = Vec::new();
    let sql = format!(
        "SELECT p.id, p.unit_id, p.contract_amount_yuan, p.contract_currency, \
         p.land_grant_date {projects} ORDER BY p.id"
    );
    for r in over(sql, &whose).fetch_all(&mut *conn).await? {
        let id: i64 = r.try_get("id")?;
        let granted: Option<String> = r.try_get("land_grant_date")?;
        order.push(id);
        facts.insert(
            id,
            ContractFacts {
                project_id: id,
                unit_id: r.try_get("unit_id")?,
                signed_amount: money(&r, "contract_amount_yuan", "contract_currency")?,
                land_granted_on: granted.as_deref().and_then(parse_date),
                ..ContractFacts::default()
            },
        );
    }
    // Stage entries in the order recorded; the first entry into 正式签约 carries its amount.
    let sql = format!(
        "SELECT e.project_id, e.to_stage, e.effective_date, \
         CASE WHEN e.to_stage = 'contracted' THEN e.facts END AS facts FROM project_events e \
         WHERE e.to_stage IS NOT NULL AND e.project_id IN (SELECT p.id {projects}) \
         ORDER BY e.project_id, e.id"
    );
    let mut first_amount: HashMap<i64, Money> = HashMap::new();
    for r in over(sql, &whose).fetch_all(&mut *conn).await? {
        let id: i64 = r.try_get("project_id")?;
        let stage: String = r.try_get("to_stage")?;
        let stage = Stage::parse(&stage).ok_or_else(|| decode("stage", &stage))?;
        let day = date(&r, "effective_date")?;
        if stage == Stage::Contracted && !first_amount.contains_key(&id) {
            let recorded: Option<String> = r.try_get("facts")?;
            if let Some(amount) = recorded
                .as_deref()
                .and_then(|f| serde_json::from_str::<serde_json::Value>(f).ok())
                .and_then(|v| serde_json::from_value::<Money>(v["contract_amount"].clone()).ok())
            {
                first_amount.insert(id, amount);
            }
        }
        if let Some(f) = facts.get_mut(&id) {
            f.entries.push((day, stage));
        }
    }
    for (id, amount) in first_amount {
        if let Some(f) = facts.get_mut(&id) {
            f.signed_amount = Some(amount);
        }
    }
    let sql = format!(
        "SELECT {TERMS_COLUMNS} FROM contract_terms t \
         WHERE t.project_id IN (SELECT p.id {projects}) ORDER BY t.project_id, t.effective_from, t.id"
    );
    for r in over(sql, &whose).fetch_all(&mut *conn).await? {
        let id: i64 = r.try_get("project_id")?;
        let t = terms_of_row(&r)?;
        if let Some(f) = facts.get_mut(&id) {
            // A later row for the same day corrects the earlier one.
            match f.terms.iter_mut().find(|x| x.from == t.from) {
                Some(x) => *x = t,
                None => f.terms.push(t),
            }
        }
    }
    for (table, is_increase) in [("capital_increases", true), ("funds_arrived", false)] {
        let sql = format!(
            "SELECT x.project_id, x.on_date, x.amount_yuan, x.currency FROM {table} x \
             WHERE x.project_id IN (SELECT p.id {projects}) ORDER BY x.project_id, x.on_date, x.id"
        );
        for r in over(sql, &whose).fetch_all(&mut *conn).await? {
            let id: i64 = r.try_get("project_id")?;
            let day = date(&r, "on_date")?;
            let amount =
                money(&r, "amount_yuan", "currency")?.ok_or_else(|| decode("amount", ""))?;
            if let Some(f) = facts.get_mut(&id) {
                if is_increase {
                    f.increases.push((day, amount));
                } else {
                    f.funds.push((day, amount));
                }
            }
        }
    }
    let sql = format!(
        "SELECT x.project_id, x.from_date, x.to_date FROM project_delays x \
         WHERE x.project_id IN (SELECT p.id {projects}) ORDER BY x.project_id, x.from_date, x.id"
    );
    for r in over(sql, &whose).fetch_all(&mut *conn).await? {
        let id: i64 = r.try_get("project_id")?;
        let delay = Delay {
            from: date(&r, "from_date")?,
            to: date(&r, "to_date")?,
        };
        if let Some(f) = facts.get_mut(&id) {
            f.delays.push(delay);
        }
    }
    Ok(order
        .into_iter()
        .filter_map(|id| facts.remove(&id))
        .collect())
}

/// Marks the project changed by a contract record, if it is still at `version`: false when
/// someone else changed it first.
pub async fn touch_project(
    conn: &mut Conn,
    project: ProjectId,
    version: i64,
    now: &str,
) -> sqlx::Result<bool> {
    let change = super::list_index::next_change(conn).await?;
    Ok(sqlx::query(
        "UPDATE projects SET version = version + 1, updated_at = $1, change_seq = $2 \
         WHERE id = $3 AND version = $4",
    )
    .bind(now)
    .bind(change)
    .bind(project.0)
    .bind(version)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The ids of the projects written since a change number, up to another, in order.
pub async fn changed_ids(conn: &mut Conn, after: i64, upto: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query("SELECT id FROM projects WHERE change_seq > $1 AND change_seq <= $2 ORDER BY id")
        .bind(after)
        .bind(upto)
        .fetch_all(conn)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect()
}

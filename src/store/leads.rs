//! Leads and their follow-ups.

use super::{Bind, Conn, SqlBuilder};
use crate::domain::channel::Channel;
use crate::domain::dates::{iso, parse_date, shanghai_date};
use crate::domain::ids::LeadId;
use crate::domain::ids::{InvestorId, ProjectId, UnitId, UserId};
use crate::domain::lead::{LeadFields, LeadStatus};
use crate::domain::money::{Currency, Money};
use crate::domain::user::UnitPath;
use sqlx::Row;

pub use crate::domain::records::lead::{Lead, LeadNote};

const SELECT: &str = "SELECT l.id, l.title, l.investor_name, l.investor_id, l.industry_code, \
     l.amount_yuan, l.currency, l.channel, l.source, l.contact, l.notes, l.unit_id, \
     un.name AS unit_name, un.path AS unit_path, l.officer_id, o.name AS officer_name, l.status, \
     l.drop_reason, l.project_id, l.version, l.created_by, c.name AS created_by_name, \
     l.created_at, l.updated_at, l.received_on FROM leads l JOIN units un ON un.id = l.unit_id \
     LEFT JOIN users o ON o.id = l.officer_id LEFT JOIN users c ON c.id = l.created_by";

fn decode(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what} {value}").into())
}

/// 获取日期 as stored; a row written before it was kept takes the day it was recorded.
fn received_on(r: &sqlx::any::AnyRow) -> sqlx::Result<time::Date> {
    match r.try_get::<Option<String>, _>("received_on")? {
        Some(text) => parse_date(&text).ok_or_else(|| decode("date", &text)),
        None => {
            let at: String = r.try_get("created_at")?;
            time::OffsetDateTime::parse(&at, &time::format_description::well_known::Rfc3339)
                .map(shanghai_date)
                .map_err(|_| decode("instant", &at))
        }
    }
}

fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Lead> {
    let status: String = r.try_get("status")?;
    let status = LeadStatus::parse(&status).ok_or_else(|| decode("lead status", &status))?;
    let amount = match (
        r.try_get::<Option<i64>, _>("amount_yuan")?,
        r.try_get::<Option<String>, _>("currency")?,
    ) {
        (Some(yuan), Some(code)) => Some(Money::new(
            yuan,
            Currency::parse(&code).ok_or_else(|| decode("currency", &code))?,
        )),
        _ => None,
    };
    let channel = match r.try_get::<Option<String>, _>("channel")? {
        Some(key) => Some(Channel::parse(&key).ok_or_else(|| decode("channel", &key))?),
        None => None,
    };
    Ok(Lead {
        id: LeadId(r.try_get("id")?),
        title: r.try_get("title")?,
        investor_name: r.try_get("investor_name")?,
        investor_id: r.try_get::<Option<i64>, _>("investor_id")?.map(InvestorId),
        industry_code: r.try_get("industry_code")?,
        amount,
        channel,
        source: r.try_get("source")?,
        contact: r.try_get("contact")?,
        notes: r.try_get("notes")?,
        received_on: received_on(r)?,
        unit_id: UnitId(r.try_get("unit_id")?),
        unit_name: r.try_get("unit_name")?,
        unit_path: UnitPath(r.try_get("unit_path")?),
        officer_id: r.try_get::<Option<i64>, _>("officer_id")?.map(UserId),
        officer_name: r.try_get("officer_name")?,
        status,
        status_label: status.label(),
        drop_reason: r.try_get("drop_reason")?,
        project_id: r.try_get::<Option<i64>, _>("project_id")?.map(ProjectId),
        version: r.try_get("version")?,
        created_by: r.try_get::<Option<i64>, _>("created_by")?.map(UserId),
        created_by_name: r.try_get("created_by_name")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn by_id(conn: &mut Conn, id: LeadId) -> sqlx::Result<Option<Lead>> {
    let sql = format!("{SELECT} WHERE l.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(conn)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

pub async fn insert(
    conn: &mut Conn,
    f: &LeadFields,
    unit_id: UnitId,
    created_by: UserId,
    now: &str,
) -> sqlx::Result<LeadId> {
    sqlx::query(
        "INSERT INTO leads (title, investor_name, investor_id, industry_code, amount_yuan, \
         currency, channel, source, contact, notes, unit_id, status, version, created_by, \
         created_at, updated_at, received_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'new', 1, $12, $13, $13, $14) \
         RETURNING id",
    )
    .bind(&f.title)
    .bind(&f.investor_name)
    .bind(f.investor_id.map(|i| i.0))
    .bind(f.industry.map(|i| i.code()))
    .bind(f.amount.map(|m| m.yuan))
    .bind(f.amount.map(|m| m.currency.code()))
    .bind(f.channel.map(|c| c.key()))
    .bind(&f.source)
    .bind(&f.contact)
    .bind(&f.notes)
    .bind(unit_id.0)
    .bind(created_by.0)
    .bind(now)
    .bind(f.received_on.map(iso))
    .fetch_one(conn)
    .await?
    .try_get("id")
    .map(LeadId)
}

/// One change of a lead, applied only if it is still at `version`; false when it was not.
pub enum Change<'a> {
    Fields(&'a LeadFields),
    Assign {
        unit_id: UnitId,
        officer_id: Option<UserId>,
    },
    Drop {
        reason: &'a str,
    },
    Convert {
        project: ProjectId,
    },
}

pub async fn change(
    conn: &mut Conn,
    id: LeadId,
    version: i64,
    change: Change<'_>,
    now: &str,
) -> sqlx::Result<bool> {
    let mut b = SqlBuilder::new(conn);
    b.push("UPDATE leads SET version = version + 1, updated_at = ")
        .bind(Bind::Text(now.to_string()));
    match change {
        Change::Fields(f) => {
            b.push(", title = ")
                .bind(Bind::Text(f.title.clone()))
                .push(", investor_name = ")
                .bind(Bind::Text(f.investor_name.clone()))
                .push(", investor_id = ")
                .bind(Bind::OptInt(f.investor_id.map(|i| i.0)))
                .push(", industry_code = ")
                .bind(Bind::OptText(f.industry.map(|i| i.code().to_string())))
                .push(", amount_yuan = ")
                .bind(Bind::OptInt(f.amount.map(|m| m.yuan)))
                .push(", currency = ")
                .bind(Bind::OptText(
                    f.amount.map(|m| m.currency.code().to_string()),
                ))
                .push(", channel = ")
                .bind(Bind::OptText(f.channel.map(|c| c.key().to_string())))
                .push(", source = ")
                .bind(Bind::OptText(f.source.clone()))
                .push(", contact = ")
                .bind(Bind::OptText(f.contact.clone()))
                .push(", notes = ")
                .bind(Bind::OptText(f.notes.clone()))
                .push(", received_on = ")
                .bind(Bind::OptText(f.received_on.map(iso)));
        }
        Change::Assign {
            unit_id,
            officer_id,
        } => {
            b.push(", status = 'assigned', unit_id = ")
                .bind(Bind::Int(unit_id.0))
                .push(", officer_id = ")
                .bind(Bind::OptInt(officer_id.map(|u| u.0)));
        }
        Change::Drop { reason } => {
            b.push(", status = 'dropped', drop_reason = ")
                .bind(Bind::Text(reason.to_string()));
        }
        Change::Convert { project } => {
            b.push(", status = 'converted', project_id = ")
                .bind(Bind::Int(project.0));
        }
    }
    b.push(" WHERE id = ")
        .bind(Bind::Int(id.0))
        .push(" AND version = ")
        .bind(Bind::Int(version));
    Ok(b.query().execute(conn).await?.rows_affected() == 1)
}

pub async fn add_note(
    conn: &mut Conn,
    lead: LeadId,
    body: &str,
    noted_on: &str,
    actor: UserId,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO lead_notes (lead_id, body, noted_on, actor_id, recorded_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(lead.0)
    .bind(body)
    .bind(noted_on)
    .bind(actor.0)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE leads SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(lead.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn notes(conn: &mut Conn, lead: LeadId) -> sqlx::Result<Vec<LeadNote>> {
    sqlx::query(
        "SELECT n.body, n.noted_on, u.name AS actor_name, n.recorded_at FROM lead_notes n \
         LEFT JOIN users u ON u.id = n.actor_id WHERE n.lead_id = $1 ORDER BY n.noted_on DESC, n.id DESC",
    )
    .bind(lead.0)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        Ok(LeadNote {
            body: r.try_get("body")?,
            noted_on: r.try_get("noted_on")?,
            actor_name: r.try_get("actor_name")?,
            recorded_at: r.try_get("recorded_at")?,
        })
    })
    .collect()
}

/// The lead a project came from, if any.
pub async fn of_project(conn: &mut Conn, project: ProjectId) -> sqlx::Result<Option<LeadId>> {
    sqlx::query("SELECT id FROM leads WHERE project_id = $1")
        .bind(project.0)
        .fetch_optional(conn)
        .await?
        .map(|r| r.try_get("id").map(LeadId))
        .transpose()
}

pub struct Search {
    /// Leads of this subtree…
    pub scope: Option<UnitPath>,
    /// …and, in any case, those this account submitted.
    pub submitted_by: UserId,
    pub status: Option<LeadStatus>,
    /// Only the leads naming this 客商库 record.
    pub investor: Option<InvestorId>,
    /// Only the leads assigned to this officer.
    pub officer: Option<UserId>,
    /// Only the leads whose last follow-up (or, without one, last change) is before this day
    /// (ISO date): overdue.
    pub quiet_before: Option<String>,
    pub needle: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn push_search(b: &mut SqlBuilder, s: &Search) {
    b.push(" WHERE (l.created_by = ")
        .bind(Bind::Int(s.submitted_by.0));
    if let Some(scope) = &s.scope {
        b.push(" OR un.path LIKE ")
            .bind(Bind::Text(scope.subtree_pattern()));
    }
    b.push(")");
    if let Some(status) = s.status {
        b.push(" AND l.status = ").key_literal(status.key());
    }
    if let Some(investor) = s.investor {
        b.push(" AND l.investor_id = ").bind(Bind::Int(investor.0));
    }
    if let Some(officer) = s.officer {
        b.push(" AND l.officer_id = ").bind(Bind::Int(officer.0));
    }
    if let Some(day) = &s.quiet_before {
        b.push(
            " AND COALESCE((SELECT MAX(n.noted_on) FROM lead_notes n WHERE n.lead_id = l.id), \
             SUBSTR(l.updated_at, 1, 10)) < ",
        )
        .bind(Bind::Text(day.clone()));
    }
    if let Some(needle) = &s.needle {
        let pattern = format!("%{}%", like_escape(needle));
        b.push(" AND (l.title LIKE ")
            .bind(Bind::Text(pattern.clone()))
            .push(" ESCAPE '\\' OR l.investor_name LIKE ")
            .bind(Bind::Text(pattern))
            .push(" ESCAPE '\\')");
    }
}

pub async fn search(conn: &mut Conn, s: &Search) -> sqlx::Result<(Vec<Lead>, i64)> {
    let mut count = SqlBuilder::new(conn);
    count.push("SELECT COUNT(*) AS n FROM leads l JOIN units un ON un.id = l.unit_id");
    push_search(&mut count, s);
    let total: i64 = count.query().fetch_one(&mut *conn).await?.try_get("n")?;
    let mut b = SqlBuilder::new(conn);
    b.push(SELECT);
    push_search(&mut b, s);
    b.push(" ORDER BY l.updated_at DESC, l.id DESC LIMIT ")
        .bind(Bind::Int(s.limit))
        .push(" OFFSET ")
        .bind(Bind::Int(s.offset));
    let items = b
        .query()
        .fetch_all(conn)
        .await?
        .iter()
        .map(from_row)
        .collect::<sqlx::Result<_>>()?;
    Ok((items, total))
}

//! Promotion events, the investors met and the projects signed there.

use super::{Bind, Conn, SqlBuilder};
use crate::domain::dates::{iso, parse_date};
use crate::domain::event::{EventFields, EventKind};
use crate::domain::ids::EventId;
use crate::domain::ids::{InvestorId, ProjectId, UnitId, UserId};
use crate::domain::money::{Currency, Money};
use crate::domain::user::UnitPath;
use sqlx::Row;

pub use crate::domain::records::event::{MetInvestor, PromotionEvent, Signing};

const SELECT: &str = "SELECT e.id, e.kind, e.title, e.held_on, e.city, e.organiser, e.delegation, \
     e.notes, e.unit_id, un.name AS unit_name, un.path AS unit_path, e.version, e.created_by \
     FROM promotion_events e JOIN units un ON un.id = e.unit_id";

fn bad(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("bad {what}: {value}").into())
}

fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<PromotionEvent> {
    let kind: String = r.try_get("kind")?;
    let kind = EventKind::parse(&kind).ok_or_else(|| bad("event kind", &kind))?;
    let held: String = r.try_get("held_on")?;
    Ok(PromotionEvent {
        id: EventId(r.try_get("id")?),
        kind,
        kind_label: kind.label(),
        title: r.try_get("title")?,
        held_on: parse_date(&held).ok_or_else(|| bad("date", &held))?,
        city: r.try_get("city")?,
        organiser: r.try_get("organiser")?,
        delegation: r.try_get("delegation")?,
        notes: r.try_get("notes")?,
        unit_id: UnitId(r.try_get("unit_id")?),
        unit_name: r.try_get("unit_name")?,
        unit_path: UnitPath(r.try_get("unit_path")?),
        version: r.try_get("version")?,
        created_by: r.try_get::<Option<i64>, _>("created_by")?.map(UserId),
    })
}

pub async fn by_id(conn: &mut Conn, id: EventId) -> sqlx::Result<Option<PromotionEvent>> {
    let sql = format!("{SELECT} WHERE e.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(conn)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

pub async fn insert(
    conn: &mut Conn,
    f: &EventFields,
    unit: UnitId,
    by: UserId,
    now: &str,
) -> sqlx::Result<EventId> {
    sqlx::query(
        "INSERT INTO promotion_events (kind, title, held_on, city, organiser, delegation, notes, \
         unit_id, version, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $10) RETURNING id",
    )
    .bind(f.kind.key())
    .bind(&f.title)
    .bind(iso(f.held_on))
    .bind(&f.city)
    .bind(&f.organiser)
    .bind(&f.delegation)
    .bind(&f.notes)
    .bind(unit.0)
    .bind(by.0)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
    .map(EventId)
}

pub async fn update(
    conn: &mut Conn,
    id: EventId,
    f: &EventFields,
    version: i64,
    now: &str,
) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "UPDATE promotion_events SET kind = $1, title = $2, held_on = $3, city = $4, organiser = $5, \
         delegation = $6, notes = $7, version = version + 1, updated_at = $8 WHERE id = $9 AND version = $10",
    )
    .bind(f.kind.key())
    .bind(&f.title)
    .bind(iso(f.held_on))
    .bind(&f.city)
    .bind(&f.organiser)
    .bind(&f.delegation)
    .bind(&f.notes)
    .bind(now)
    .bind(id.0)
    .bind(version)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Records that an investor was met (once per event); false when it already was.
pub async fn add_investor(
    conn: &mut Conn,
    event: EventId,
    investor: InvestorId,
) -> sqlx::Result<bool> {
    // The key refuses a second row; two requests at once both get an answer, not an error.
    Ok(sqlx::query(
        "INSERT INTO event_investors (event_id, investor_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(event.0)
    .bind(investor.0)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Records a signing (once per project and event); false when it already was.
pub async fn add_signing(
    conn: &mut Conn,
    event: EventId,
    project: ProjectId,
    amount: Money,
) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "INSERT INTO event_signings (event_id, project_id, amount_yuan, currency) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(event.0)
    .bind(project.0)
    .bind(amount.yuan)
    .bind(amount.currency.code())
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub async fn investors_met(conn: &mut Conn, event: EventId) -> sqlx::Result<Vec<MetInvestor>> {
    sqlx::query(
        "SELECT i.id, i.name, un.path FROM event_investors ei \
         JOIN investors i ON i.id = ei.investor_id JOIN units un ON un.id = i.unit_id \
         WHERE ei.event_id = $1 ORDER BY i.name",
    )
    .bind(event.0)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        Ok(MetInvestor {
            id: InvestorId(r.try_get("id")?),
            name: r.try_get("name")?,
            unit_path: crate::domain::user::UnitPath(r.try_get("path")?),
        })
    })
    .collect()
}

pub async fn signings(conn: &mut Conn, event: EventId) -> sqlx::Result<Vec<Signing>> {
    sqlx::query(
        "SELECT s.project_id, p.name, p.investor_name, un.path, s.amount_yuan, s.currency \
         FROM event_signings s JOIN projects p ON p.id = s.project_id JOIN units un ON un.id = p.unit_id \
         WHERE s.event_id = $1 ORDER BY s.amount_yuan DESC, s.project_id",
    )
    .bind(event.0)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        let code: String = r.try_get("currency")?;
        Ok(Signing {
            project_id: ProjectId(r.try_get("project_id")?),
            project_name: r.try_get("name")?,
            investor_name: r.try_get("investor_name")?,
            unit_path: UnitPath(r.try_get("path")?),
            amount: Money::new(
                r.try_get("amount_yuan")?,
                Currency::parse(&code).ok_or_else(|| bad("currency", &code))?,
            ),
        })
    })
    .collect()
}

/// Events an investor was met at.
pub async fn of_investor(
    conn: &mut Conn,
    investor: InvestorId,
) -> sqlx::Result<Vec<PromotionEvent>> {
    let sql = format!(
        "{SELECT} WHERE e.id IN (SELECT event_id FROM event_investors WHERE investor_id = $1) \
         ORDER BY e.held_on DESC"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(investor.0)
        .fetch_all(conn)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

pub async fn search(
    conn: &mut Conn,
    scope: &UnitPath,
    kind: Option<EventKind>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<PromotionEvent>, i64)> {
    let filter = |b: &mut SqlBuilder| {
        b.push(" WHERE un.path LIKE ")
            .bind(Bind::Text(scope.subtree_pattern()));
        if let Some(k) = kind {
            b.push(" AND e.kind = ").key_literal(k.key());
        }
    };
    let mut count = SqlBuilder::new(conn);
    count.push("SELECT COUNT(*) AS n FROM promotion_events e JOIN units un ON un.id = e.unit_id");
    filter(&mut count);
    let total: i64 = count.query().fetch_one(&mut *conn).await?.try_get("n")?;
    let mut b = SqlBuilder::new(conn);
    b.push(SELECT);
    filter(&mut b);
    b.push(" ORDER BY e.held_on DESC, e.id DESC LIMIT ")
        .bind(Bind::Int(limit))
        .push(" OFFSET ")
        .bind(Bind::Int(offset));
    let items = b
        .query()
        .fetch_all(conn)
        .await?
        .iter()
        .map(from_row)
        .collect::<sqlx::Result<_>>()?;
    Ok((items, total))
}

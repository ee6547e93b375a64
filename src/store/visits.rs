//! Visits and who took part.

use super::{Bind, Conn, SqlBuilder};
use crate::domain::dates::{iso, parse_date};
use crate::domain::ids::VisitId;
use crate::domain::ids::{InvestorId, UnitId, UserId};
use crate::domain::user::UnitPath;
use crate::domain::visit::{Direction, VisitFields};
use sqlx::Row;
use time::Date;

pub use crate::domain::records::visit::{Participant, Visit};

const SELECT: &str = "SELECT v.id, v.direction, v.visit_date, v.place, v.investor_id, \
     i.name AS investor_name, v.investor_side, v.leader_id, l.name AS leader_name, v.purpose, \
     v.outcome, v.next_step, v.follow_up_on, v.follow_up_done_at, v.unit_id, un.name AS unit_name, \
     un.path AS unit_path, v.version, v.created_by, v.created_at FROM visits v \
     JOIN units un ON un.id = v.unit_id LEFT JOIN investors i ON i.id = v.investor_id \
     LEFT JOIN users l ON l.id = v.leader_id";

fn bad(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("bad {what}: {value}").into())
}

fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Visit> {
    let direction: String = r.try_get("direction")?;
    let direction = Direction::parse(&direction).ok_or_else(|| bad("direction", &direction))?;
    let date = |text: String| parse_date(&text).ok_or_else(|| bad("date", &text));
    Ok(Visit {
        id: VisitId(r.try_get("id")?),
        direction,
        direction_label: direction.label(),
        visit_date: date(r.try_get("visit_date")?)?,
        place: r.try_get("place")?,
        investor_id: r.try_get::<Option<i64>, _>("investor_id")?.map(InvestorId),
        investor_name: r.try_get("investor_name")?,
        investor_side: r.try_get("investor_side")?,
        participants: Vec::new(),
        leader_id: r.try_get::<Option<i64>, _>("leader_id")?.map(UserId),
        leader_name: r.try_get("leader_name")?,
        purpose: r.try_get("purpose")?,
        outcome: r.try_get("outcome")?,
        next_step: r.try_get("next_step")?,
        follow_up_on: r
            .try_get::<Option<String>, _>("follow_up_on")?
            .map(date)
            .transpose()?,
        follow_up_done_at: r.try_get("follow_up_done_at")?,
        unit_id: UnitId(r.try_get("unit_id")?),
        unit_name: r.try_get("unit_name")?,
        unit_path: UnitPath(r.try_get("unit_path")?),
        version: r.try_get("version")?,
        created_by: r.try_get::<Option<i64>, _>("created_by")?.map(UserId),
        created_at: r.try_get("created_at")?,
    })
}

async fn with_participants(conn: &mut Conn, mut visits: Vec<Visit>) -> sqlx::Result<Vec<Visit>> {
    if visits.is_empty() {
        return Ok(visits);
    }
    let mut b = SqlBuilder::new(conn);
    b.push(
        "SELECT p.visit_id, u.id, u.name FROM visit_participants p JOIN users u ON u.id = p.user_id \
         WHERE p.visit_id IN (",
    );
    for (i, v) in visits.iter().enumerate() {
        if i > 0 {
            b.push(", ");
        }
        b.bind(Bind::Int(v.id.0));
    }
    b.push(") ORDER BY u.id");
    for r in b.query().fetch_all(conn).await? {
        let visit: i64 = r.try_get("visit_id")?;
        if let Some(v) = visits.iter_mut().find(|v| v.id.0 == visit) {
            v.participants.push(Participant {
                id: UserId(r.try_get("id")?),
                name: r.try_get("name")?,
            });
        }
    }
    Ok(visits)
}

pub async fn by_id(conn: &mut Conn, id: VisitId) -> sqlx::Result<Option<Visit>> {
    let sql = format!("{SELECT} WHERE v.id = $1");
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    Ok(with_participants(conn, vec![from_row(&row)?]).await?.pop())
}

async fn write_participants(conn: &mut Conn, id: VisitId, people: &[UserId]) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM visit_participants WHERE visit_id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    for p in people {
        sqlx::query("INSERT INTO visit_participants (visit_id, user_id) VALUES ($1, $2)")
            .bind(id.0)
            .bind(p.0)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn insert(
    conn: &mut Conn,
    f: &VisitFields,
    unit_id: UnitId,
    created_by: UserId,
    now: &str,
) -> sqlx::Result<VisitId> {
    let id: i64 = sqlx::query(
        "INSERT INTO visits (direction, visit_date, place, investor_id, investor_side, leader_id, \
         purpose, outcome, next_step, follow_up_on, unit_id, version, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $13, $13) RETURNING id",
    )
    .bind(f.direction.key())
    .bind(iso(f.visit_date))
    .bind(&f.place)
    .bind(f.investor_id.map(|i| i.0))
    .bind(&f.investor_side)
    .bind(f.leader_id.map(|u| u.0))
    .bind(&f.purpose)
    .bind(&f.outcome)
    .bind(&f.next_step)
    .bind(f.follow_up_on.map(iso))
    .bind(unit_id.0)
    .bind(created_by.0)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    write_participants(conn, VisitId(id), &f.participants).await?;
    Ok(VisitId(id))
}

pub async fn update(
    conn: &mut Conn,
    id: VisitId,
    f: &VisitFields,
    version: i64,
    now: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE visits SET direction = $1, visit_date = $2, place = $3, investor_id = $4, \
         investor_side = $5, leader_id = $6, purpose = $7, outcome = $8, next_step = $9, \
         follow_up_on = $10, version = version + 1, updated_at = $11 WHERE id = $12 AND version = $13",
    )
    .bind(f.direction.key())
    .bind(iso(f.visit_date))
    .bind(&f.place)
    .bind(f.investor_id.map(|i| i.0))
    .bind(&f.investor_side)
    .bind(f.leader_id.map(|u| u.0))
    .bind(&f.purpose)
    .bind(&f.outcome)
    .bind(&f.next_step)
    .bind(f.follow_up_on.map(iso))
    .bind(now)
    .bind(id.0)
    .bind(version)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if done {
        write_participants(conn, id, &f.participants).await?;
    }
    Ok(done)
}

/// Marks the follow-up done, recording what came of it.
pub async fn follow_up_done(
    conn: &mut Conn,
    id: VisitId,
    outcome: &str,
    version: i64,
    now: &str,
) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "UPDATE visits SET follow_up_done_at = $1, outcome = CASE WHEN outcome IS NULL THEN $2 \
         ELSE outcome || '\n' || $2 END, version = version + 1, updated_at = $1 \
         WHERE id = $3 AND version = $4",
    )
    .bind(now)
    .bind(outcome)
    .bind(id.0)
    .bind(version)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub struct Search {
    pub scope: UnitPath,
    pub direction: Option<Direction>,
    /// Only follow-ups due before this day and not done.
    pub overdue_before: Option<Date>,
    /// Only visits this account took part in, led, or recorded.
    pub involving: Option<UserId>,
    pub investor: Option<InvestorId>,
    pub limit: i64,
    pub offset: i64,
}

fn push_search(b: &mut SqlBuilder, s: &Search) {
    // "Mine": the visits the account took part in, wherever they are kept; else the subtree's.
    match s.involving {
        Some(user) => {
            b.push(" WHERE (v.created_by = ")
                .bind(Bind::Int(user.0))
                .push(" OR v.leader_id = ")
                .bind(Bind::Int(user.0))
                .push(
                    " OR EXISTS (SELECT 1 FROM visit_participants p WHERE p.visit_id = v.id AND \
                     p.user_id = ",
                )
                .bind(Bind::Int(user.0))
                .push("))");
        }
        None => {
            b.push(" WHERE un.path LIKE ")
                .bind(Bind::Text(s.scope.subtree_pattern()));
        }
    }
    if let Some(d) = s.direction {
        b.push(" AND v.direction = ").key_literal(d.key());
    }
    if let Some(day) = s.overdue_before {
        b.push(" AND v.follow_up_done_at IS NULL AND v.follow_up_on < ")
            .bind(Bind::Text(iso(day)));
    }
    if let Some(i) = s.investor {
        b.push(" AND v.investor_id = ").bind(Bind::Int(i.0));
    }
}

/// Newest visits first; overdue lists put the longest-waiting follow-up first.
pub async fn search(conn: &mut Conn, s: &Search) -> sqlx::Result<(Vec<Visit>, i64)> {
    let mut count = SqlBuilder::new(conn);
    count.push("SELECT COUNT(*) AS n FROM visits v JOIN units un ON un.id = v.unit_id");
    push_search(&mut count, s);
    let total: i64 = count.query().fetch_one(&mut *conn).await?.try_get("n")?;
    let mut b = SqlBuilder::new(conn);
    b.push(SELECT);
    push_search(&mut b, s);
    b.push(if s.overdue_before.is_some() {
        " ORDER BY v.follow_up_on, v.id LIMIT "
    } else {
        " ORDER BY v.visit_date DESC, v.id DESC LIMIT "
    })
    .bind(Bind::Int(s.limit))
    .push(" OFFSET ")
    .bind(Bind::Int(s.offset));
    let rows = b.query().fetch_all(&mut *conn).await?;
    let visits = rows
        .iter()
        .map(from_row)
        .collect::<sqlx::Result<Vec<_>>>()?;
    Ok((with_participants(conn, visits).await?, total))
}

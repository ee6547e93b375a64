//! Referrers and the projects they brought.

use super::{Bind, Conn, SqlBuilder};
use crate::domain::ids::ReferrerId;
use crate::domain::ids::{UnitId, UserId};
use crate::domain::referrer::{ReferrerFields, ReferrerKind};
use crate::domain::user::UnitPath;
use sqlx::Row;

pub use crate::domain::records::referrer::Referrer;

const SELECT: &str = "SELECT r.id, r.kind, r.name, r.affiliation, r.contact, r.notes, r.unit_id, \
     un.name AS unit_name, un.path AS unit_path, r.version, r.created_by FROM referrers r \
     JOIN units un ON un.id = r.unit_id";

fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Referrer> {
    let kind: String = r.try_get("kind")?;
    let kind = ReferrerKind::parse(&kind)
        .ok_or_else(|| sqlx::Error::Decode(format!("bad referrer kind {kind}").into()))?;
    Ok(Referrer {
        id: ReferrerId(r.try_get("id")?),
        kind,
        kind_label: kind.label(),
        name: r.try_get("name")?,
        affiliation: r.try_get("affiliation")?,
        contact: r.try_get("contact")?,
        notes: r.try_get("notes")?,
        unit_id: UnitId(r.try_get("unit_id")?),
        unit_name: r.try_get("unit_name")?,
        unit_path: UnitPath(r.try_get("unit_path")?),
        version: r.try_get("version")?,
        created_by: r.try_get::<Option<i64>, _>("created_by")?.map(UserId),
    })
}

pub async fn by_id(conn: &mut Conn, id: ReferrerId) -> sqlx::Result<Option<Referrer>> {
    let sql = format!("{SELECT} WHERE r.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(conn)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

pub async fn insert(
    conn: &mut Conn,
    f: &ReferrerFields,
    unit: UnitId,
    by: UserId,
    now: &str,
) -> sqlx::Result<ReferrerId> {
    sqlx::query(
        "INSERT INTO referrers (kind, name, affiliation, contact, notes, unit_id, version, \
         created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $8) RETURNING id",
    )
    .bind(f.kind.key())
    .bind(&f.name)
    .bind(&f.affiliation)
    .bind(&f.contact)
    .bind(&f.notes)
    .bind(unit.0)
    .bind(by.0)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
        .map(ReferrerId)
}

pub async fn update(
    conn: &mut Conn,
    id: ReferrerId,
    f: &ReferrerFields,
    version: i64,
    now: &str,
) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "UPDATE referrers SET kind = $1, name = $2, affiliation = $3, contact = $4, notes = $5, \
         version = version + 1, updated_at = $6 WHERE id = $7 AND version = $8",
    )
    .bind(f.kind.key())
    .bind(&f.name)
    .bind(&f.affiliation)
    .bind(&f.contact)
    .bind(&f.notes)
    .bind(now)
    .bind(id.0)
    .bind(version)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub async fn search(
    conn: &mut Conn,
    scope: &UnitPath,
    needle: Option<&str>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<Referrer>, i64)> {
    let filter = |b: &mut SqlBuilder| {
        b.push(" WHERE un.path LIKE ")
            .bind(Bind::Text(scope.subtree_pattern()));
        if let Some(n) = needle {
            let pattern = format!(
                "%{}%",
                n.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            b.push(" AND (r.name LIKE ")
                .bind(Bind::Text(pattern.clone()))
                .push(" ESCAPE '\\' OR r.affiliation LIKE ")
                .bind(Bind::Text(pattern))
                .push(" ESCAPE '\\')");
        }
    };
    let mut count = SqlBuilder::new(conn);
    count.push("SELECT COUNT(*) AS n FROM referrers r JOIN units un ON un.id = r.unit_id");
    filter(&mut count);
    let total: i64 = count.query().fetch_one(&mut *conn).await?.try_get("n")?;
    let mut b = SqlBuilder::new(conn);
    b.push(SELECT);
    filter(&mut b);
    b.push(" ORDER BY r.name, r.id LIMIT ")
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

/// Ids of the projects naming this referrer.
pub async fn project_ids(conn: &mut Conn, id: ReferrerId) -> sqlx::Result<Vec<i64>> {
    sqlx::query("SELECT id FROM projects WHERE referrer_id = $1 ORDER BY id")
        .bind(id.0)
        .fetch_all(conn)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect()
}

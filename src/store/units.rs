use super::Conn;
use crate::domain::ids::UnitId;
use crate::domain::user::UnitPath;
use sqlx::Row;

pub use crate::domain::records::unit::Unit;

fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Unit> {
    Ok(Unit {
        id: UnitId(row.try_get("id")?),
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        parent_id: row.try_get::<Option<i64>, _>("parent_id")?.map(UnitId),
        path: UnitPath(row.try_get("path")?),
        retired: row.try_get::<Option<String>, _>("retired_at")?.is_some(),
    })
}

pub async fn insert(
    conn: &mut Conn,
    code: &str,
    name: &str,
    parent: Option<&Unit>,
    now: &str,
) -> sqlx::Result<Unit> {
    // The path needs the new id: insert with a placeholder path, then set it.
    let id: i64 = sqlx::query(
        "INSERT INTO units (code, name, parent_id, path, created_at) VALUES ($1, $2, $3, '', $4) RETURNING id",
    )
    .bind(code)
    .bind(name)
    .bind(parent.map(|p| p.id.0))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    let id = UnitId(id);
    let path = match parent {
        Some(p) => p.path.child(id),
        None => UnitPath::root(id),
    };
    sqlx::query("UPDATE units SET path = $1 WHERE id = $2")
        .bind(&path.0)
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(Unit {
        id,
        code: code.to_string(),
        name: name.to_string(),
        parent_id: parent.map(|p| p.id),
        path,
        retired: false,
    })
}

pub async fn by_id(conn: &mut Conn, id: UnitId) -> sqlx::Result<Option<Unit>> {
    sqlx::query("SELECT id, code, name, parent_id, path, retired_at FROM units WHERE id = $1")
        .bind(id.0)
        .fetch_optional(conn)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

pub async fn by_code(conn: &mut Conn, code: &str) -> sqlx::Result<Option<Unit>> {
    sqlx::query("SELECT id, code, name, parent_id, path, retired_at FROM units WHERE code = $1")
        .bind(code)
        .fetch_optional(conn)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

/// The unit and everything below it, in tree order.
pub async fn subtree(conn: &mut Conn, root: &UnitPath) -> sqlx::Result<Vec<Unit>> {
    sqlx::query(
        "SELECT id, code, name, parent_id, path, retired_at FROM units WHERE path LIKE $1 ORDER BY path",
    )
    .bind(root.subtree_pattern())
    .fetch_all(conn)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

pub async fn count(conn: &mut Conn) -> sqlx::Result<i64> {
    sqlx::query("SELECT COUNT(*) AS n FROM units")
        .fetch_one(conn)
        .await?
        .try_get("n")
}

/// Every unit in tree order.
pub async fn all(conn: &mut Conn) -> sqlx::Result<Vec<Unit>> {
    sqlx::query("SELECT id, code, name, parent_id, path, retired_at FROM units ORDER BY path")
        .fetch_all(conn)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

pub async fn rename(conn: &mut Conn, id: UnitId, name: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE units SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves a unit (and its subtree) under `parent`: every path below it is rewritten.
pub async fn move_under(conn: &mut Conn, unit: &Unit, parent: &Unit) -> sqlx::Result<()> {
    let new_path = parent.path.child(unit.id);
    sqlx::query(
        "UPDATE units SET path = $1 || substr(path, CAST($2 AS INTEGER)) WHERE path LIKE $3",
    )
    .bind(&new_path.0)
    .bind(unit.path.0.chars().count() as i64 + 1)
    .bind(unit.path.subtree_pattern())
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE units SET parent_id = $1 WHERE id = $2")
        .bind(parent.id.0)
        .bind(unit.id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// What still lives in a unit's subtree: units not retired (besides itself), active accounts,
/// and projects not closed.
pub async fn active_records(conn: &mut Conn, unit: &Unit) -> sqlx::Result<(i64, i64, i64)> {
    use super::{Bind, SqlBuilder};
    use crate::domain::stage::Stage;
    let mut b = SqlBuilder::new(conn);
    let pattern = Bind::Text(unit.path.subtree_pattern());
    b.push("SELECT (SELECT COUNT(*) FROM units WHERE path LIKE ")
        .bind(pattern.clone())
        .push(" AND id <> ")
        .bind(Bind::Int(unit.id.0))
        .push(" AND retired_at IS NULL) AS units, (SELECT COUNT(*) FROM users u JOIN units un ON un.id = u.unit_id WHERE un.path LIKE ")
        .bind(pattern.clone())
        .push(" AND u.active = 1) AS accounts, (SELECT COUNT(*) FROM projects p JOIN units un ON un.id = p.unit_id WHERE un.path LIKE ")
        .bind(pattern)
        .push(" AND p.stage NOT IN (");
    for (i, stage) in Stage::ALL.iter().filter(|s| s.is_final()).enumerate() {
        if i > 0 {
            b.push(", ");
        }
        b.key_literal(stage.key());
    }
    b.push(")) AS projects");
    let row = b.query().fetch_one(conn).await?;
    Ok((
        row.try_get("units")?,
        row.try_get("accounts")?,
        row.try_get("projects")?,
    ))
}

pub async fn retire(conn: &mut Conn, id: UnitId, now: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE units SET retired_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

use super::Conn;
use crate::domain::ids::UnitId;
use crate::domain::user::UnitPath;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unit {
    pub id: UnitId,
    pub code: String,
    pub name: String,
    pub parent_id: Option<UnitId>,
    #[serde(skip)]
    pub path: UnitPath,
}

impl Unit {
    /// How deep in the tree (root = 0), for indenting choices.
    pub fn depth(&self) -> usize {
        self.path.0.matches('/').count().saturating_sub(2)
    }
}

fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Unit> {
    Ok(Unit {
        id: UnitId(row.try_get("id")?),
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        parent_id: row.try_get::<Option<i64>, _>("parent_id")?.map(UnitId),
        path: UnitPath(row.try_get("path")?),
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
    })
}

pub async fn by_id(conn: &mut Conn, id: UnitId) -> sqlx::Result<Option<Unit>> {
    sqlx::query("SELECT id, code, name, parent_id, path FROM units WHERE id = $1")
        .bind(id.0)
        .fetch_optional(conn)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

pub async fn by_code(conn: &mut Conn, code: &str) -> sqlx::Result<Option<Unit>> {
    sqlx::query("SELECT id, code, name, parent_id, path FROM units WHERE code = $1")
        .bind(code)
        .fetch_optional(conn)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

/// The unit and everything below it, in tree order.
pub async fn subtree(conn: &mut Conn, root: &UnitPath) -> sqlx::Result<Vec<Unit>> {
    sqlx::query(
        "SELECT id, code, name, parent_id, path FROM units WHERE path LIKE $1 ORDER BY path",
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
    sqlx::query("SELECT id, code, name, parent_id, path FROM units ORDER BY path")
        .fetch_all(conn)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

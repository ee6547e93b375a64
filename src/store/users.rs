use super::Conn;
use crate::domain::ids::{InvestorId, UnitId, UserId};
use crate::domain::user::{Role, UnitPath};
use sqlx::Row;

pub use crate::domain::records::user::UserRecord;

const SELECT: &str = "SELECT u.id, u.login, u.name, u.role, u.unit_id, un.path AS unit_path, \
     u.password_hash, u.active, u.failed_sign_ins, u.locked_until, u.must_change_password, u.investor_id \
     FROM users u JOIN units un ON un.id = u.unit_id";

fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<UserRecord> {
    let role: String = row.try_get("role")?;
    Ok(UserRecord {
        id: UserId(row.try_get("id")?),
        login: row.try_get("login")?,
        name: row.try_get("name")?,
        role: Role::parse(&role)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role}").into()))?,
        unit_id: UnitId(row.try_get("unit_id")?),
        unit_path: UnitPath(row.try_get("unit_path")?),
        password_hash: row.try_get("password_hash")?,
        active: row.try_get::<i64, _>("active")? != 0,
        failed_sign_ins: row.try_get("failed_sign_ins")?,
        locked_until: row.try_get("locked_until")?,
        must_change_password: row.try_get::<i64, _>("must_change_password")? != 0,
        investor_id: row
            .try_get::<Option<i64>, _>("investor_id")?
            .map(InvestorId),
    })
}

pub struct NewUser<'a> {
    pub login: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub unit_id: UnitId,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

pub async fn insert(conn: &mut Conn, user: &NewUser<'_>, now: &str) -> sqlx::Result<UserId> {
    let id: i64 = sqlx::query(
        "INSERT INTO users (login, name, role, unit_id, password_hash, active, must_change_password, created_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7) RETURNING id",
    )
    .bind(user.login)
    .bind(user.name)
    .bind(user.role.key())
    .bind(user.unit_id.0)
    .bind(user.password_hash)
    .bind(i64::from(user.must_change_password))
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")?;
    Ok(UserId(id))
}

pub async fn by_login(conn: &mut Conn, login: &str) -> sqlx::Result<Option<UserRecord>> {
    let sql = format!("{SELECT} WHERE u.login = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(login)
        .fetch_optional(conn)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

pub async fn by_id(conn: &mut Conn, id: UserId) -> sqlx::Result<Option<UserRecord>> {
    let sql = format!("{SELECT} WHERE u.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(conn)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

pub async fn count(conn: &mut Conn) -> sqlx::Result<i64> {
    sqlx::query("SELECT COUNT(*) AS n FROM users")
        .fetch_one(conn)
        .await?
        .try_get("n")
}

/// Accounts that may be named on a project of this subtree: officers and leaders in it, and
/// leaders of the units above it (a county leader 包联 a park project).
pub async fn assignable(conn: &mut Conn, root: &UnitPath) -> sqlx::Result<Vec<UserRecord>> {
    let sql = format!(
        "{SELECT} WHERE u.active = 1 AND u.role IN ('officer', 'leader') \
         AND (un.path LIKE $1 OR $2 LIKE un.path || '%') ORDER BY u.role, u.name"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(root.subtree_pattern())
        .bind(&root.0)
        .fetch_all(conn)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Counts one more failed sign-in; with `lock_until`, locks the account and starts counting
/// afresh.
/// Where an account's sign-in attempts stand, read inside the write transaction that counts
/// the next one.
pub struct AttemptCount {
    pub failed_sign_ins: i64,
    pub locked_until: Option<i64>,
}

/// The account's attempt count, read in the caller's write transaction.
pub async fn attempt_count(conn: &mut Conn, id: UserId) -> sqlx::Result<Option<AttemptCount>> {
    sqlx::query("SELECT failed_sign_ins, locked_until FROM users WHERE id = $1")
        .bind(id.0)
        .fetch_optional(conn)
        .await?
        .map(|r| {
            Ok(AttemptCount {
                failed_sign_ins: r.try_get("failed_sign_ins")?,
                locked_until: r.try_get("locked_until")?,
            })
        })
        .transpose()
}

/// Counts one more attempt against the account, before its password is checked.
pub async fn count_attempt(conn: &mut Conn, id: UserId) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET failed_sign_ins = failed_sign_ins + 1 WHERE id = $1")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Locks the account until `until` (the count starts again when the lock ends).
pub async fn lock(conn: &mut Conn, id: UserId, until: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET failed_sign_ins = 0, locked_until = $2 WHERE id = $1")
        .bind(id.0)
        .bind(until)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn clear_failed_sign_ins(conn: &mut Conn, id: UserId) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// After a right password: the failures counted so far are cleared, unless a lock is in force
/// at `now` — one set by wrong guesses racing this sign-in stays (their count is what locked it).
pub async fn clear_failures_unless_locked(
    conn: &mut Conn,
    id: UserId,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET failed_sign_ins = 0, locked_until = NULL \
         WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2)",
    )
    .bind(id.0)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets a new password hash and clears the must-change mark.
pub async fn set_password(conn: &mut Conn, id: UserId, password_hash: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = 0 WHERE id = $2")
        .bind(password_hash)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Every account, by unit path then login (for the administrators).
pub async fn all(conn: &mut Conn) -> sqlx::Result<Vec<UserRecord>> {
    let sql = format!("{SELECT} ORDER BY un.path, u.login");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(conn)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

pub async fn set_active(conn: &mut Conn, id: UserId, active: bool) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets a one-time password: the account must change it at its next sign-in.
pub async fn set_one_time_password(
    conn: &mut Conn,
    id: UserId,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, must_change_password = 1, failed_sign_ins = 0, \
         locked_until = NULL WHERE id = $2",
    )
    .bind(password_hash)
    .bind(id.0)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_role_and_unit(
    conn: &mut Conn,
    id: UserId,
    role: Role,
    unit: UnitId,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET role = $1, unit_id = $2 WHERE id = $3")
        .bind(role.key())
        .bind(unit.0)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Links an enterprise account to the investor it speaks for (None unlinks).
pub async fn set_investor(
    conn: &mut Conn,
    id: UserId,
    investor: Option<InvestorId>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET investor_id = $1 WHERE id = $2")
        .bind(investor.map(|i| i.0))
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

//! Server-side sessions: only a hash of the token is stored, so a leaked table opens nothing.

use super::Conn;
use crate::domain::ids::UserId;
use sqlx::Row;

pub async fn insert(
    conn: &mut Conn,
    token_hash: &str,
    user: UserId,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(token_hash)
    .bind(user.0)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub struct SessionRow {
    pub user_id: UserId,
    pub last_seen_at: i64,
    pub expires_at: i64,
}

pub async fn find(conn: &mut Conn, token_hash: &str) -> sqlx::Result<Option<SessionRow>> {
    sqlx::query("SELECT user_id, last_seen_at, expires_at FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(conn)
        .await?
        .map(|r| {
            Ok(SessionRow {
                user_id: UserId(r.try_get("user_id")?),
                last_seen_at: r.try_get("last_seen_at")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
}

pub async fn touch(conn: &mut Conn, token_hash: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete(conn: &mut Conn, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of an account except the one given (after a password change).
pub async fn delete_others(
    conn: &mut Conn,
    user_id: i64,
    keep_token_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep_token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of an account (disabled, or its role or unit changed).
pub async fn delete_all_of(conn: &mut Conn, user_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

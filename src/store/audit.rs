//! The audit log: one row per write, in the same transaction as the write.

use super::Conn;
use crate::domain::user::Actor;
use sqlx::Row;

pub struct Entry<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub async fn append(
    conn: &mut Conn,
    actor: Option<&Actor>,
    entry: Entry<'_>,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor_login, action, entity, entity_id, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now)
    .bind(actor.map(|a| a.id.0))
    .bind(actor.map(|a| a.login.clone()))
    .bind(entry.action)
    .bind(entry.entity)
    .bind(entry.entity_id)
    .bind(entry.before.map(|v| v.to_string()))
    .bind(entry.after.map(|v| v.to_string()))
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor_login: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// The entries about one entity (used by tests and, later, the auditor's screens).
pub async fn for_entity(
    conn: &mut Conn,
    entity: &str,
    entity_id: &str,
) -> sqlx::Result<Vec<AuditRow>> {
    sqlx::query(
        "SELECT id, at, actor_login, action, entity, entity_id, before_json, after_json \
         FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id",
    )
    .bind(entity)
    .bind(entity_id)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        Ok(AuditRow {
            id: r.try_get("id")?,
            at: r.try_get("at")?,
            actor_login: r.try_get("actor_login")?,
            action: r.try_get("action")?,
            entity: r.try_get("entity")?,
            entity_id: r.try_get("entity_id")?,
            before_json: r.try_get("before_json")?,
            after_json: r.try_get("after_json")?,
        })
    })
    .collect()
}

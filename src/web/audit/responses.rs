//! What the audit API answers: its own shape, built from the trail's entries.

use crate::domain::records::audit::LoggedEntry;
use serde::Serialize;

/// One entry of the audit trail: who did what to which record, and the record before and after.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct AuditEntryResponse {
    id: i64,
    at: String,
    actor_login: Option<String>,
    /// The acting account's unit at the time, by name.
    actor_unit: Option<String>,
    action: String,
    entity: String,
    entity_id: Option<String>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    client_addr: Option<String>,
}

impl From<LoggedEntry> for AuditEntryResponse {
    fn from(e: LoggedEntry) -> Self {
        AuditEntryResponse {
            id: e.id,
            at: e.at,
            actor_login: e.actor_login,
            actor_unit: e.actor_unit,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
            before: e.before,
            after: e.after,
            client_addr: e.client_addr,
        }
    }
}

//! An audit entry as the auditor reads it: who did what to which record, when and from where,
//! with the record before and after.

#[derive(Debug, Clone, serde::Serialize)]
pub struct LoggedEntry {
    pub id: i64,
    pub at: String,
    pub actor_login: Option<String>,
    /// The acting account's unit at the time, by name.
    pub actor_unit: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub client_addr: Option<String>,
}

//! The auditor's trail.

use crate::domain::glossary::{AUDIT_ACTIONS, AUDIT_ENTITIES, SYSTEM_ACTOR, audit_label};
use crate::domain::validation::Invalid;
use crate::web::views::*;
use askama::Template;
use askama_web::WebTemplate;

fn audit_opts(table: &[(&'static str, &'static str)], current: &str) -> Vec<Opt> {
    let mut options = vec![Opt {
        value: String::new(),
        label: "全部".into(),
        selected: current.trim().is_empty(),
    }];
    options.extend(opts(
        table.iter().map(|(k, l)| (k.to_string(), l.to_string())),
        current.trim(),
    ));
    options
}

/// One audit entry as the auditor's table shows it.
pub struct AuditRowView {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub client: String,
    pub before: String,
    pub after: String,
    /// What changed, field by field, in words.
    pub changes: Vec<crate::domain::audit_diff::FieldChange>,
}

impl AuditRowView {
    pub fn of(e: &crate::domain::records::audit::LoggedEntry) -> AuditRowView {
        let json =
            |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
        AuditRowView {
            id: e.id,
            at: crate::domain::dates::shanghai_minute(&e.at),
            actor: match (&e.actor_login, &e.actor_unit) {
                (Some(login), Some(unit)) => format!("{login}（{unit}）"),
                (Some(login), None) => login.clone(),
                (None, _) => SYSTEM_ACTOR.into(),
            },
            action: audit_label(&AUDIT_ACTIONS, &e.action).to_string(),
            entity: match &e.entity_id {
                Some(id) => format!("{} {id}", audit_label(&AUDIT_ENTITIES, &e.entity)),
                None => audit_label(&AUDIT_ENTITIES, &e.entity).to_string(),
            },
            client: e.client_addr.clone().unwrap_or_default(),
            before: json(&e.before),
            after: json(&e.after),
            changes: crate::domain::audit_diff::changes(e.before.as_ref(), e.after.as_ref()),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
pub struct AuditListPage {
    pub layout: Layout,
    pub params: crate::service::audit::AuditParams,
    pub errors: Invalid,
    pub rows: Vec<AuditRowView>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub export_href: String,
}

impl AuditListPage {
    pub fn action_opts(&self) -> Vec<Opt> {
        audit_opts(&AUDIT_ACTIONS, &self.params.action)
    }
    pub fn entity_opts(&self) -> Vec<Opt> {
        audit_opts(&AUDIT_ENTITIES, &self.params.entity)
    }
    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }
}

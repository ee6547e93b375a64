//! Use cases. Each write: authorize (role and unit scope) → validate → one transaction →
//! audit entry in that transaction.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod demo;
pub mod events;
pub mod imports;
pub mod investors;
pub mod leads;
pub mod projects;
pub mod referrers;
pub mod setup;
pub mod visits;

use crate::config::Config;
use crate::domain::dates::shanghai_date;
use crate::domain::user::{Actor, AttemptWindow, Role};
use crate::error::{Error, Result};
use crate::store::{Db, now_text};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use time::Date;

/// One page of a filtered list: its rows, how many match in all, and which page this is.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub config: Arc<Config>,
    /// Recent sign-in attempts per client address (this process only).
    sign_in_attempts: Arc<Mutex<HashMap<String, AttemptWindow>>>,
}

impl App {
    pub fn new(db: Db, config: Config) -> App {
        App {
            db,
            config: Arc::new(config),
            sign_in_attempts: Default::default(),
        }
    }

    /// Today in Asia/Shanghai.
    pub fn today(&self) -> Date {
        shanghai_date(time::OffsetDateTime::now_utc())
    }

    /// Passes `outcome` through; a refusal (forbidden, or not found — which is what a record
    /// outside the caller's scope answers) is first recorded in the audit trail.
    pub(crate) async fn refusal_recorded<T>(
        &self,
        actor: &Actor,
        entity: &'static str,
        what: &'static str,
        id: Option<String>,
        outcome: Result<T>,
    ) -> Result<T> {
        if let Err(e @ (Error::Forbidden(_) | Error::NotFound(_))) = &outcome {
            let mut tx = self.db.pool.begin().await?;
            crate::store::audit::append(
                &mut tx,
                Some(actor),
                crate::store::audit::Entry {
                    action: "permission_denied",
                    entity,
                    entity_id: id,
                    before: None,
                    after: Some(serde_json::json!({ "attempted": what, "answer": e.to_string() })),
                },
                &now_text(),
            )
            .await?;
            tx.commit().await?;
        }
        outcome
    }

    /// Refuses (and records) an account whose role is not `allowed` to do `what` ("不能" + what).
    pub(crate) async fn role_allows(
        &self,
        actor: &Actor,
        allowed: fn(Role) -> bool,
        entity: &'static str,
        what: &'static str,
    ) -> Result<()> {
        let outcome = if allowed(actor.role) {
            Ok(())
        } else {
            Err(Error::Forbidden(format!(
                "“{}”角色不能{what}",
                actor.role.label()
            )))
        };
        self.refusal_recorded(actor, entity, what, None, outcome)
            .await
    }
}

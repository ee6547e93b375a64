//! Use cases. Each write: authorize (role and unit scope) → validate → one transaction →
//! audit entry in that transaction.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod contracts;
pub(crate) mod edit;
pub mod events;
pub mod exports;
pub mod home;
pub mod imports;
pub mod investors;
pub mod leads;
pub mod projects;
pub mod referrers;
mod refusals;
pub mod setup;
pub mod visits;

use crate::config::Config;
use crate::domain::dates::shanghai_date;
use crate::domain::user::{Actor, AttemptWindow, Role};
use crate::error::{Error, Result};
use crate::store::Db;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use time::Date;

/// One page of a filtered list: its rows, how many match in all, and which page this is.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    /// The same page with each row turned into another shape (the API's response types).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// A record as the audit trail keeps it: its fields as a JSON object. Failing to build one is
/// an error, so the hash-chained trail never holds a null where a record should be.
pub(crate) fn snapshot<T: serde::Serialize>(record: &T) -> Result<serde_json::Value> {
    match serde_json::to_value(record) {
        Ok(value @ serde_json::Value::Object(_)) => Ok(value),
        Ok(other) => Err(Error::Internal(anyhow::anyhow!(
            "audit snapshot is not an object: {other}"
        ))),
        Err(e) => Err(Error::Internal(e.into())),
    }
}

/// A change to a record, for the audit trail: which record, what was done, what it was
/// (nothing for a new record) and what it is now.
pub(crate) struct Change<'a, T> {
    pub entity: &'static str,
    pub id: String,
    pub action: &'static str,
    pub before: Option<&'a T>,
    pub after: &'a T,
}

/// Records a change in the audit trail, in the change's own transaction, with both states as
/// snapshots (see `snapshot`). Every entity's writes end here.
pub(crate) async fn record_change<T: serde::Serialize>(
    tx: &mut crate::store::Conn,
    actor: &Actor,
    change: Change<'_, T>,
    now: &str,
) -> Result<()> {
    crate::store::audit::append(
        tx,
        Some(actor),
        crate::store::audit::Entry {
            action: change.action,
            entity: change.entity,
            entity_id: Some(change.id),
            before: change.before.map(snapshot).transpose()?,
            after: Some(snapshot(change.after)?),
        },
        now,
    )
    .await?;
    Ok(())
}

impl<T> Page<T> {
    /// How many pages the whole list fills (at least one).
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page.max(1)).max(1)
    }
}

/// The first rows of a longer list and how many there are in all, so that a page showing
/// them can say when it shows only part.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Excerpt<T> {
    pub items: Vec<T>,
    pub total: i64,
}

impl<T> Excerpt<T> {
    pub fn empty() -> Excerpt<T> {
        Excerpt {
            items: Vec::new(),
            total: 0,
        }
    }
}

/// Rows a record's page shows of each related list (projects, visits, leads of an investor).
pub const EXCERPT_ROWS: i64 = 100;

#[derive(Clone)]
pub struct App {
    /// Only the use cases (and the demo loader) touch the database; web and cli go through them.
    pub(crate) db: Db,
    pub config: Arc<Config>,
    /// Recent sign-in attempts per client address (this process only).
    sign_in_attempts: Arc<Mutex<HashMap<String, AttemptWindow>>>,
    sign_ins_anywhere: Arc<Mutex<AttemptWindow>>,
    /// Turns for password hashing and checking (see `password_work`).
    password_turns: Arc<tokio::sync::Semaphore>,
}

impl App {
    pub fn new(db: Db, config: Config) -> App {
        App {
            db,
            password_turns: Arc::new(tokio::sync::Semaphore::new(config.password_checks.max(1))),
            config: Arc::new(config),
            sign_in_attempts: Default::default(),
            sign_ins_anywhere: Default::default(),
        }
    }

    /// Whether the database answers (for the health check).
    pub async fn database_answers(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.db.pool).await?;
        Ok(())
    }

    /// Closes the database connections (when a command or benchmark is done).
    pub async fn close(&self) {
        self.db.close().await;
    }

    /// Runs a password hash or check off the request workers, at most
    /// `config.password_checks` at once: each holds about 19 MiB while it runs, and a burst of
    /// sign-ins must not take the server's memory with it. A caller that waits more than two
    /// seconds for a turn is asked to try again.
    pub(crate) async fn password_work<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        let turn = self.password_turn().await?;
        Self::in_password_turn(turn, work).await
    }

    /// A turn to hash or check a password (see `password_work`), for a caller that has more to
    /// do once it has one (sign-in counts the attempt only when its check is sure to run).
    pub(crate) async fn password_turn(&self) -> Result<tokio::sync::OwnedSemaphorePermit> {
        tokio::time::timeout(
            std::time::Duration::from_secs(2),
            self.password_turns.clone().acquire_owned(),
        )
        .await
        .map_err(|_| Error::TooManyRequests("同时登录的人较多，请稍后再试".into()))?
        .map_err(|e| Error::Internal(e.into()))
    }

    /// Runs `work` off the request workers in the turn already taken.
    pub(crate) async fn in_password_turn<T: Send + 'static>(
        turn: tokio::sync::OwnedSemaphorePermit,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            work()
        })
        .await
        .map_err(|e| Error::Internal(e.into()))
    }

    /// Today in Asia/Shanghai.
    pub fn today(&self) -> Date {
        shanghai_date(time::OffsetDateTime::now_utc())
    }

    /// Passes `outcome` through; a refusal (forbidden, or not found — which is what a record
    /// outside the caller's scope answers) is noted for the audit trail, which records it once
    /// the request's connections are back in the pool (see `refusals`).
    pub(crate) fn refusal_recorded<T>(
        &self,
        actor: &Actor,
        entity: &'static str,
        what: &'static str,
        id: Option<String>,
        outcome: Result<T>,
    ) -> Result<T> {
        if let Err(e @ (Error::Forbidden(_) | Error::NotFound(_))) = &outcome {
            self.note_refusal(refusals::Refusal {
                actor: actor.clone(),
                entity,
                attempted: what,
                entity_id: id,
                answer: e.to_string(),
            });
        }
        outcome
    }

    /// Runs a write use case again, up to three times in all, when the database reports
    /// contention that a second run gets past (a PostgreSQL deadlock or serialization failure,
    /// a SQLite busy answer after its timeout). Each retry logs one line.
    pub(crate) async fn retrying<T, F, Fut>(&self, what: &'static str, mut run: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        const ATTEMPTS: u32 = 3;
        let mut attempt = 1;
        loop {
            match run().await {
                Err(e) if attempt < ATTEMPTS && e.is_contention() => {
                    tracing::warn!(what, attempt, error = %e.one_line(), "contention, retrying");
                    let jitter = u64::from(getrandom::u32().unwrap_or(0) % 20);
                    tokio::time::sleep(std::time::Duration::from_millis(
                        5 * u64::from(attempt) + jitter,
                    ))
                    .await;
                    attempt += 1;
                }
                outcome => return outcome,
            }
        }
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_audit_snapshot_is_an_object_or_an_error_never_null() {
        #[derive(serde::Serialize)]
        struct Record {
            name: &'static str,
        }
        assert_eq!(
            snapshot(&Record {
                name: "华鼎电路"
            })
            .unwrap(),
            serde_json::json!({"name": "华鼎电路"})
        );
        assert!(snapshot(&Option::<Record>::None).is_err());
        assert!(snapshot(&42).is_err());
        // A map with keys JSON cannot hold fails to serialise: an error, not null.
        let odd: std::collections::HashMap<(i32, i32), i32> = [((1, 2), 3)].into();
        assert!(snapshot(&odd).is_err());
    }
}

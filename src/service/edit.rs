//! The one write flow every entity's records take. A use case authorizes, begins the write
//! transaction, finds the record in the actor's scope and checks what is particular to it;
//! then `edit::check_version` refuses a stale edit, the store writes (guarded by the version),
//! and `edit::finish` reads the record again and records the change in the audit trail. A new
//! record ends in `edit::created` the same way.

use super::{Change, record_change};
use crate::domain::ids::{EventId, InvestorId, LeadId, ProjectId, ReferrerId, VisitId};
use crate::domain::records::{
    event::PromotionEvent, investor::Investor, lead::Lead, project::Project, referrer::Referrer,
    visit::Visit,
};
use crate::domain::user::Actor;
use crate::error::{Error, Result};
use crate::store::{self, Conn};
use std::future::Future;

/// A stored record that is changed with the version it was read at, and audited.
pub(crate) trait Versioned: serde::Serialize + Sized + Send + Sync {
    type Id: Copy + std::fmt::Display + Send;
    /// Its name in the audit trail (`investor`).
    const ENTITY: &'static str;
    /// How a refusal names it (`该客商`).
    const NAMED: &'static str;
    fn id(&self) -> Self::Id;
    fn version(&self) -> i64;
    /// The record as stored now.
    fn load(
        conn: &mut Conn,
        id: Self::Id,
    ) -> impl Future<Output = sqlx::Result<Option<Self>>> + Send;
    fn not_found() -> Error;
}

/// "Someone else saved it first": the version read is not the current one.
pub(crate) fn stale<R: Versioned>(current: &R) -> Error {
    Error::stale(R::NAMED, current.version())
}

/// Refuses an edit made on a version other than the one stored.
pub(crate) fn check_version<R: Versioned>(before: &R, version: i64) -> Result<()> {
    if before.version() == version {
        Ok(())
    } else {
        Err(stale(before))
    }
}

/// After the store's version-guarded write: `written` false means the row moved since it was
/// read (stale). Reads the record again and records `action` from `before` to it.
pub(crate) async fn finish<R: Versioned>(
    tx: &mut Conn,
    actor: &Actor,
    before: &R,
    written: bool,
    action: &'static str,
    now: &str,
) -> Result<R> {
    if !written {
        return Err(stale(before));
    }
    let after = R::load(tx, before.id()).await?.ok_or_else(R::not_found)?;
    record_change(
        tx,
        actor,
        Change {
            entity: R::ENTITY,
            id: before.id().to_string(),
            action,
            before: Some(before),
            after: &after,
        },
        now,
    )
    .await?;
    Ok(after)
}

/// After the store inserted record `id`: reads it back and records its creation.
pub(crate) async fn created<R: Versioned>(
    tx: &mut Conn,
    actor: &Actor,
    id: R::Id,
    now: &str,
) -> Result<R> {
    let record = R::load(tx, id).await?.ok_or_else(R::not_found)?;
    record_change(
        tx,
        actor,
        Change {
            entity: R::ENTITY,
            id: id.to_string(),
            action: "create",
            before: None,
            after: &record,
        },
        now,
    )
    .await?;
    Ok(record)
}

macro_rules! versioned {
    ($record:ty, $id:ty, $entity:literal, $named:literal, $load:path, $not_found:expr) => {
        impl Versioned for $record {
            type Id = $id;
            const ENTITY: &'static str = $entity;
            const NAMED: &'static str = $named;
            fn id(&self) -> $id {
                self.id
            }
            fn version(&self) -> i64 {
                self.version
            }
            fn load(
                conn: &mut Conn,
                id: $id,
            ) -> impl Future<Output = sqlx::Result<Option<Self>>> + Send {
                $load(conn, id)
            }
            fn not_found() -> Error {
                $not_found
            }
        }
    };
}

versioned!(
    Project,
    ProjectId,
    "project",
    "该项目",
    store::projects::by_id,
    Error::project_not_found()
);
versioned!(
    Investor,
    InvestorId,
    "investor",
    "该客商",
    store::investors::by_id,
    super::investors::investor_not_found()
);
versioned!(
    Lead,
    LeadId,
    "lead",
    "该线索",
    store::leads::by_id,
    super::leads::lead_not_found()
);
versioned!(
    Visit,
    VisitId,
    "visit",
    "该拜访记录",
    store::visits::by_id,
    super::visits::visit_not_found()
);
versioned!(
    PromotionEvent,
    EventId,
    "event",
    "该活动",
    store::events::by_id,
    super::events::event_not_found()
);
versioned!(
    Referrer,
    ReferrerId,
    "referrer",
    "该引荐人",
    store::referrers::by_id,
    super::referrers::referrer_not_found()
);

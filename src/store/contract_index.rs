//! The contract facts of every project, held in memory so that the performance report, 四个一批
//! and idle land are computed without reading every project's history on each request. Kept
//! fresh the way the list facts are (see `list_index`): every project write takes the next
//! number of the projects' change counter, and before each report the projects written since
//! the last number seen are read again — contract records included, since recording one marks
//! its project changed.

use super::Conn;
use super::contracts::{Whose, facts_of};
use crate::domain::contract::ContractFacts;
use std::collections::HashMap;
use tokio::sync::{RwLock, RwLockReadGuard};

#[derive(Default)]
pub struct Snapshot {
    seq: i64,
    facts: HashMap<i64, ContractFacts>,
}

impl Snapshot {
    pub fn facts(&self) -> impl Iterator<Item = &ContractFacts> {
        self.facts.values()
    }
}

#[derive(Default)]
pub struct ContractIndex {
    snapshot: RwLock<Snapshot>,
}

/// Projects read again per query when catching up, so a first load never holds every row of
/// every table at once.
const SLICE: i64 = 20_000;

impl ContractIndex {
    /// The snapshot, brought up to date with every committed project write.
    pub async fn current(&self, conn: &mut Conn) -> sqlx::Result<RwLockReadGuard<'_, Snapshot>> {
        let latest = super::list_index::current_change(conn).await?;
        {
            let snapshot = self.snapshot.read().await;
            if snapshot.seq >= latest {
                return Ok(snapshot);
            }
        }
        let mut snapshot = self.snapshot.write().await;
        let mut after = snapshot.seq;
        while after < latest {
            let upto = (after + SLICE).min(latest);
            for f in facts_of(conn, Whose::Changed { after, upto }).await? {
                snapshot.facts.insert(f.project_id, f);
            }
            after = upto;
        }
        snapshot.seq = latest;
        Ok(snapshot.downgrade())
    }
}

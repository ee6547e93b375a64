//! The contract facts of every project, held in memory so that the performance report, 四个一批
//! and idle land are computed without reading every project's history on each request. Kept
//! fresh the way the list facts are (see `list_index`): every project write takes the next
//! number of the projects' change counter, and before each report the projects written since
//! the last number seen are read again — contract records included, since recording one marks
//! its project changed.
//!
//! Memory: a project never signed needs only its stage entries (储备一批 asks where it stood);
//! only signed projects keep their whole facts.

use super::Conn;
use super::contracts::{Whose, changed_ids, facts_of};
use crate::domain::contract::ContractFacts;
use crate::domain::stage::Stage;
use std::collections::HashMap;
use time::Date;
use tokio::sync::{RwLock, RwLockReadGuard};

/// A project never signed: its unit and stage entries.
struct Unsigned {
    unit_id: i64,
    entries: Box<[(Date, Stage)]>,
}

#[derive(Default)]
pub struct Snapshot {
    seq: i64,
    signed: HashMap<i64, ContractFacts>,
    unsigned: HashMap<i64, Unsigned>,
}

impl Snapshot {
    /// The facts of the projects whose unit `admits` takes, in id order: the signed ones, and
    /// with `unsigned` those never signed too (rebuilt from their entries).
    pub fn facts(
        &self,
        admits: impl Fn(i64) -> bool,
        unsigned: bool,
    ) -> Vec<std::borrow::Cow<'_, ContractFacts>> {
        let mut out: Vec<std::borrow::Cow<'_, ContractFacts>> = self
            .signed
            .values()
            .filter(|f| admits(f.unit_id))
            .map(std::borrow::Cow::Borrowed)
            .chain(
                self.unsigned
                    .iter()
                    .filter(|(_, u)| unsigned && admits(u.unit_id))
                    .map(|(id, u)| {
                        std::borrow::Cow::Owned(ContractFacts {
                            project_id: *id,
                            unit_id: u.unit_id,
                            entries: u.entries.to_vec(),
                            ..ContractFacts::default()
                        })
                    }),
            )
            .collect();
        out.sort_unstable_by_key(|f| f.project_id);
        out
    }

    pub fn len(&self) -> usize {
        self.signed.len() + self.unsigned.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn put(&mut self, f: ContractFacts) {
        let id = f.project_id;
        if f.signed_on(Date::MAX).is_some() {
            self.unsigned.remove(&id);
            self.signed.insert(id, f);
        } else {
            self.signed.remove(&id);
            self.unsigned.insert(
                id,
                Unsigned {
                    unit_id: f.unit_id,
                    entries: f.entries.into_boxed_slice(),
                },
            );
        }
    }
}

#[derive(Default)]
pub struct ContractIndex {
    snapshot: RwLock<Snapshot>,
}

/// Projects read again per round when catching up, so a first load never holds every row of
/// every table at once.
const SLICE: usize = 5_000;

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
        let after = snapshot.seq;
        if after < latest {
            let ids = changed_ids(conn, after, latest).await?;
            for chunk in ids.chunks(SLICE) {
                let (Some(first), Some(last)) = (chunk.first(), chunk.last()) else {
                    continue;
                };
                let whose = Whose::Changed {
                    after,
                    upto: latest,
                    first: *first,
                    last: *last,
                };
                for f in facts_of(conn, whose).await? {
                    snapshot.put(f);
                }
            }
            snapshot.seq = latest;
        }
        Ok(snapshot.downgrade())
    }
}

//! The list facts of every project, held in memory so that any list — filtered, searched,
//! sorted, counted — is a scan of a few megabytes rather than of the table.
//!
//! Freshness: every project write takes the next number of the `projects` change counter and
//! stamps the row with it (`projects.change_seq`). Taking the number locks the counter row until
//! the write commits, so numbers become visible in order. Before each list the counter is read;
//! if it moved, the rows stamped after the last seen number (up to the read one) are reloaded.
//! This holds across processes (a CLI bulk load while the server runs) and across servers.

use super::Conn;
use crate::domain::dates::parse_date;
use crate::domain::industry::IndustryCode;
use crate::domain::listing::ListFacts;
use crate::domain::money::{Currency, Money};
use crate::domain::stage::Stage;
use sqlx::Row;
use std::collections::HashMap;
use time::Date;
use tokio::sync::{RwLock, RwLockReadGuard};

#[derive(Default)]
pub struct Snapshot {
    /// The change number this snapshot is complete up to.
    seq: i64,
    facts: Vec<ListFacts>,
    position: HashMap<i64, usize>,
    /// Positions by the hash of the normalised project name: the probable-duplicate check on
    /// every new project looks up its name rather than scanning every project.
    by_name: HashMap<u64, Vec<usize>>,
}

/// A project's normalised name: the first line of its search text.
fn name_of(f: &ListFacts) -> &str {
    f.search_text.split('\n').next().unwrap_or_default()
}

fn name_hash(normalised: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(normalised)
}

impl Snapshot {
    pub fn facts(&self) -> &[ListFacts] {
        &self.facts
    }

    /// The projects whose normalised name is `normalised` (see `search::normalise`).
    pub fn named<'a>(&'a self, normalised: &'a str) -> impl Iterator<Item = &'a ListFacts> + 'a {
        self.by_name
            .get(&name_hash(normalised))
            .into_iter()
            .flatten()
            .map(|&i| &self.facts[i])
            .filter(move |f| name_of(f) == normalised)
    }

    fn upsert(&mut self, f: ListFacts) {
        let hash = name_hash(name_of(&f));
        match self.position.get(&f.id) {
            Some(&i) => {
                let old = name_hash(name_of(&self.facts[i]));
                if old != hash {
                    if let Some(bucket) = self.by_name.get_mut(&old) {
                        bucket.retain(|&p| p != i);
                    }
                    self.by_name.entry(hash).or_default().push(i);
                }
                self.facts[i] = f;
            }
            None => {
                let i = self.facts.len();
                self.position.insert(f.id, i);
                self.by_name.entry(hash).or_default().push(i);
                self.facts.push(f);
            }
        }
    }
}

#[derive(Default)]
pub struct ListIndex {
    snapshot: RwLock<Snapshot>,
}

/// The name of the change counter of projects.
const COUNTER: &str = "projects";

/// Takes the next change number for a project write; the counter row stays locked until the
/// transaction ends.
pub async fn next_change(conn: &mut Conn) -> sqlx::Result<i64> {
    sqlx::query("UPDATE change_counters SET value = value + 1 WHERE name = $1 RETURNING value")
        .bind(COUNTER)
        .fetch_one(conn)
        .await?
        .try_get("value")
}

pub(super) async fn current_change(conn: &mut Conn) -> sqlx::Result<i64> {
    sqlx::query("SELECT value FROM change_counters WHERE name = $1")
        .bind(COUNTER)
        .fetch_one(conn)
        .await?
        .try_get("value")
}

impl ListIndex {
    /// The snapshot, brought up to date with every committed project write.
    pub async fn current(&self, conn: &mut Conn) -> sqlx::Result<RwLockReadGuard<'_, Snapshot>> {
        let latest = current_change(conn).await?;
        {
            let snapshot = self.snapshot.read().await;
            if snapshot.seq >= latest {
                return Ok(snapshot);
            }
        }
        let mut snapshot = self.snapshot.write().await;
        if snapshot.seq < latest {
            // In slices by id, so that a full load never holds every row twice.
            let mut after_id = 0;
            loop {
                let slice = changed_since(conn, snapshot.seq, latest, after_id).await?;
                let Some(last) = slice.last() else { break };
                after_id = last.id;
                for f in slice {
                    snapshot.upsert(f);
                }
            }
            snapshot.seq = latest;
        }
        Ok(snapshot.downgrade())
    }
}

fn date(text: &str) -> sqlx::Result<Date> {
    parse_date(text).ok_or_else(|| sqlx::Error::Decode(format!("bad date: {text}").into()))
}

fn opt_date(text: Option<String>) -> sqlx::Result<Option<Date>> {
    text.as_deref().map(date).transpose()
}

fn instant_ns(text: &str) -> i128 {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp_nanos())
        .unwrap_or(0)
}

const SLICE: i64 = 5_000;

async fn changed_since(
    conn: &mut Conn,
    after: i64,
    upto: i64,
    after_id: i64,
) -> sqlx::Result<Vec<ListFacts>> {
    sqlx::query(
        "SELECT id, unit_id, stage, industry_code, currency, total_investment_yuan, lead_on, \
         contracted_on, construction_on, production_on, last_progress_on, updated_at, name, \
         search_text, officer_id, leader_id FROM projects WHERE change_seq > $1 AND change_seq <= $2 AND id > $3 \
         ORDER BY id LIMIT $4",
    )
    .bind(after)
    .bind(upto)
    .bind(after_id)
    .bind(SLICE)
    .fetch_all(conn)
    .await?
    .iter()
    // Columns by position: at 200,000 rows, finding each by name is most of the load's cost.
    .map(|r| {
        let stage: String = r.try_get(2)?;
        let currency: String = r.try_get(4)?;
        Ok(ListFacts {
            id: r.try_get(0)?,
            unit_id: r.try_get(1)?,
            officer_id: r.try_get(14)?,
            leader_id: r.try_get(15)?,
            stage: Stage::parse(&stage)
                .ok_or_else(|| sqlx::Error::Decode(format!("bad stage: {stage}").into()))?,
            industry: IndustryCode::parse(&r.try_get::<String, _>(3)?),
            total_investment: Money::new(
                r.try_get(5)?,
                Currency::parse(&currency).ok_or_else(|| {
                    sqlx::Error::Decode(format!("bad currency: {currency}").into())
                })?,
            ),
            lead_on: date(&r.try_get::<String, _>(6)?)?,
            contracted_on: opt_date(r.try_get(7)?)?,
            construction_on: opt_date(r.try_get(8)?)?,
            production_on: opt_date(r.try_get(9)?)?,
            last_progress_on: date(&r.try_get::<String, _>(10)?)?,
            updated_ns: instant_ns(&r.try_get::<String, _>(11)?),
            name: r.try_get(12)?,
            search_text: r.try_get(13)?,
        })
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(id: i64, name: &str) -> ListFacts {
        let d = parse_date("2026-01-05").unwrap();
        ListFacts {
            id,
            unit_id: 1,
            officer_id: None,
            leader_id: None,
            stage: Stage::Lead,
            industry: IndustryCode::parse("38"),
            total_investment: Money::new(1, Currency::Cny),
            lead_on: d,
            contracted_on: None,
            construction_on: None,
            production_on: None,
            last_progress_on: d,
            updated_ns: 0,
            name: name.to_string(),
            search_text: crate::domain::search::search_text(&[name, "某公司"]),
        }
    }

    fn ids(s: &Snapshot, name: &str) -> Vec<i64> {
        let mut ids: Vec<i64> = s.named(name).map(|f| f.id).collect();
        ids.sort_unstable();
        ids
    }

    #[test]
    fn the_name_index_follows_renames() {
        let mut s = Snapshot::default();
        s.upsert(named(1, "智能门窗项目"));
        s.upsert(named(2, "智能门窗 项目"));
        s.upsert(named(3, "电池项目"));
        assert_eq!(ids(&s, "智能门窗项目"), vec![1, 2]);
        s.upsert(named(1, "电池项目"));
        assert_eq!(ids(&s, "智能门窗项目"), vec![2]);
        assert_eq!(ids(&s, "电池项目"), vec![1, 3]);
        assert!(ids(&s, "别的").is_empty());
    }
}

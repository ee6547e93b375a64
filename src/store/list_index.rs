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
}

impl Snapshot {
    pub fn facts(&self) -> &[ListFacts] {
        &self.facts
    }

    fn upsert(&mut self, f: ListFacts) {
        match self.position.get(&f.id) {
            Some(&i) => self.facts[i] = f,
            None => {
                self.position.insert(f.id, self.facts.len());
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

async fn current_change(conn: &mut Conn) -> sqlx::Result<i64> {
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

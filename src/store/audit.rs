//! The audit log: one row per write, in the same transaction as the write, chained by hash.
//! The application appends and reads; it has no path that edits or deletes an entry.

use super::Conn;
use super::audit_key::{AuditKey, key};
use crate::domain::user::Actor;
use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};
use sqlx::Row;

pub struct Entry<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// The fields of an entry that its hash covers, in a fixed order.
struct Sealed<'a> {
    at: &'a str,
    actor_id: Option<i64>,
    actor_login: Option<&'a str>,
    actor_unit_id: Option<i64>,
    action: &'a str,
    entity: &'a str,
    entity_id: Option<&'a str>,
    before_json: Option<&'a str>,
    after_json: Option<&'a str>,
    client_addr: Option<&'a str>,
}

impl Sealed<'_> {
    /// The canonical JSON array of the fields and the previous entry's MAC.
    fn canonical(&self, prev_hash: &str) -> String {
        let mut fields = vec![
            serde_json::json!(self.at),
            serde_json::json!(self.actor_id),
            serde_json::json!(self.actor_login),
            serde_json::json!(self.action),
            serde_json::json!(self.entity),
            serde_json::json!(self.entity_id),
            serde_json::json!(self.before_json),
            serde_json::json!(self.after_json),
            serde_json::json!(self.client_addr),
            serde_json::json!(prev_hash),
        ];
        // Added later: present only in entries that carry it, so older hashes still hold.
        if let Some(unit) = self.actor_unit_id {
            fields.push(serde_json::json!(unit));
        }
        serde_json::Value::Array(fields).to_string()
    }

    /// HMAC-SHA-256 of the canonical fields under the installation's key (see `audit_key`).
    fn mac(&self, prev_hash: &str, key: &AuditKey) -> String {
        let mut mac = hmac::Hmac::<Sha256>::new_from_slice(key.bytes())
            .expect("HMAC takes a key of any length");
        mac.update(self.canonical(prev_hash).as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The unkeyed SHA-256 the chain used before it was keyed (checked once, on upgrade).
    fn legacy_hash(&self, prev_hash: &str) -> String {
        hex::encode(Sha256::digest(self.canonical(prev_hash).as_bytes()))
    }
}

/// Locks the audit counter's row without counting (PostgreSQL): write transactions take it
/// first, so that they all take their locks in one order and cannot deadlock.
pub(super) async fn take_turn(conn: &mut Conn) -> sqlx::Result<()> {
    sqlx::query("SELECT value FROM change_counters WHERE name = 'audit' FOR UPDATE")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Takes the audit counter (locked until the transaction ends, so appends form one line) and
/// returns the hash the next entry links to, in one statement (each is a hand-off to SQLite's
/// worker thread).
async fn next_link(conn: &mut Conn) -> sqlx::Result<String> {
    Ok(sqlx::query(
        "UPDATE change_counters SET value = value + 1 WHERE name = 'audit' \
         RETURNING (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) AS head",
    )
    .fetch_one(&mut *conn)
    .await?
    .try_get::<Option<String>, _>("head")?
    .unwrap_or_default())
}

/// Appends an entry by `actor` (None: the system itself), from the actor's client address.
pub async fn append(
    conn: &mut Conn,
    actor: Option<&Actor>,
    entry: Entry<'_>,
    now: &str,
) -> sqlx::Result<()> {
    let client = actor.and_then(|a| a.client_addr.as_deref());
    append_entry(conn, actor, None, client, entry, now).await
}

/// Appends an entry about a sign-in attempt: no account is signed in yet, so the entry carries
/// the login that was tried (with no account id), and the auditor finds it under that login.
pub async fn append_attempt(
    conn: &mut Conn,
    tried_login: &str,
    client: Option<&str>,
    entry: Entry<'_>,
    now: &str,
) -> sqlx::Result<()> {
    append_entry(conn, None, Some(tried_login), client, entry, now).await
}

async fn append_entry(
    conn: &mut Conn,
    actor: Option<&Actor>,
    tried_login: Option<&str>,
    client: Option<&str>,
    entry: Entry<'_>,
    now: &str,
) -> sqlx::Result<()> {
    let before = entry.before.map(|v| v.to_string());
    let after = entry.after.map(|v| v.to_string());
    let sealed = Sealed {
        at: now,
        actor_id: actor.map(|a| a.id.0),
        actor_login: actor.map(|a| a.login.as_str()).or(tried_login),
        actor_unit_id: actor.map(|a| a.unit_id.0),
        action: entry.action,
        entity: entry.entity,
        entity_id: entry.entity_id.as_deref(),
        before_json: before.as_deref(),
        after_json: after.as_deref(),
        client_addr: client,
    };
    let key = key()?;
    let prev_hash = next_link(conn).await?;
    let hash = sealed.mac(&prev_hash, key);
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor_login, action, entity, entity_id, before_json, \
         after_json, client_addr, prev_hash, hash, actor_unit_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(sealed.at)
    .bind(sealed.actor_id)
    .bind(sealed.actor_login)
    .bind(sealed.action)
    .bind(sealed.entity)
    .bind(sealed.entity_id)
    .bind(sealed.before_json)
    .bind(sealed.after_json)
    .bind(sealed.client_addr)
    .bind(&prev_hash)
    .bind(&hash)
    .bind(sealed.actor_unit_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Chains entries written before the log was chained (an upgraded database). Only while no
/// entry was ever appended with a hash (counter still 0, no hash stored), so it can never
/// re-seal a log that was tampered with, nor one that was emptied.
pub async fn seal_unchained(conn: &mut Conn) -> sqlx::Result<()> {
    let row = sqlx::query(
        "SELECT (SELECT value FROM change_counters WHERE name = 'audit') AS appended, \
         (SELECT COUNT(*) FROM audit_log WHERE hash IS NOT NULL) AS chained, \
         (SELECT value FROM change_counters WHERE name = 'audit_keyed') AS keyed",
    )
    .fetch_one(&mut *conn)
    .await?;
    let (appended, chained, keyed): (i64, i64, i64) = (
        row.try_get("appended")?,
        row.try_get("chained")?,
        row.try_get("keyed")?,
    );
    // Never once the chain is keyed (hashes emptied in the database must stay a break), and
    // only on the first start with a new key (see `seal_with_key`).
    if appended > 0 || chained > 0 || keyed != 0 || !may_seal_entries(conn).await? {
        return Ok(());
    }
    let rows = read_all(conn).await?;
    reseal(conn, &rows).await?;
    sqlx::query("UPDATE change_counters SET value = $1 WHERE name = 'audit'")
        .bind(rows.len() as i64)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Writes every entry's link and MAC afresh under the key.
async fn reseal(conn: &mut Conn, rows: &[StoredEntry]) -> sqlx::Result<()> {
    let key = key()?;
    let mut prev = String::new();
    for row in rows {
        let hash = row.sealed().mac(&prev, key);
        sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3")
            .bind(&prev)
            .bind(&hash)
            .bind(row.id)
            .execute(&mut *conn)
            .await?;
        prev = hash;
    }
    Ok(())
}

/// What sealing a trail chained before it was keyed found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upgrade {
    /// Already keyed (or nothing to do).
    Keyed,
    /// The unkeyed chain held, and every entry now carries a MAC.
    Sealed { entries: usize },
    /// The unkeyed chain did not hold: nothing was sealed, so verification reports the damage.
    Broken(ChainCheck),
    /// The trail has entries and the key was not made by this start: the database alone says
    /// "not keyed yet", which anyone who can edit it could say. Nothing was sealed.
    Refused,
}

/// Whether entries may be sealed with the key now: an empty trail always (nothing to vouch
/// for), one with entries only on the start that created the key — the one start on which an
/// upgraded installation meets its key. Otherwise a flag in the database could get a chain
/// that anyone recomputed without the key sealed with it.
async fn may_seal_entries(conn: &mut Conn) -> sqlx::Result<bool> {
    let entries: i64 = sqlx::query("SELECT COUNT(*) AS n FROM audit_log")
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    Ok(entries == 0 || super::audit_key::created_here())
}

/// A key made on this start for a trail already keyed with another: the old key is missing.
pub async fn key_missing(conn: &mut Conn) -> sqlx::Result<bool> {
    if !super::audit_key::created_here() {
        return Ok(false);
    }
    let row = sqlx::query(
        "SELECT (SELECT value FROM change_counters WHERE name = 'audit_keyed') AS keyed, \
         (SELECT COUNT(*) FROM audit_log) AS entries",
    )
    .fetch_one(&mut *conn)
    .await?;
    let (keyed, entries): (i64, i64) = (row.try_get("keyed")?, row.try_get("entries")?);
    Ok(keyed != 0 && entries > 0)
}

/// Seals, once, a trail chained before its chain was keyed: only if the old unkeyed chain
/// holds entry by entry, so that a trail already tampered with is never made to look whole.
pub async fn seal_with_key(conn: &mut Conn) -> sqlx::Result<Upgrade> {
    let keyed: i64 = sqlx::query("SELECT value FROM change_counters WHERE name = 'audit_keyed'")
        .fetch_one(&mut *conn)
        .await?
        .try_get("value")?;
    if keyed != 0 {
        return Ok(Upgrade::Keyed);
    }
    if !may_seal_entries(conn).await? {
        return Ok(Upgrade::Refused);
    }
    let rows = read_all(conn).await?;
    if let Some(broken) = first_break(&rows, |row, prev| row.sealed().legacy_hash(prev)) {
        return Ok(Upgrade::Broken(broken));
    }
    reseal(conn, &rows).await?;
    sqlx::query("UPDATE change_counters SET value = 1 WHERE name = 'audit_keyed'")
        .execute(&mut *conn)
        .await?;
    Ok(Upgrade::Sealed {
        entries: rows.len(),
    })
}

/// The first entry that does not link to the one before it, or whose seal does not match.
fn first_break(
    rows: &[StoredEntry],
    seal: impl Fn(&StoredEntry, &str) -> String,
) -> Option<ChainCheck> {
    let mut prev = String::new();
    for row in rows {
        if row.prev_hash.as_deref() != Some(prev.as_str()) {
            return Some(ChainCheck::Unlinked { id: row.id });
        }
        let hash = seal(row, &prev);
        if row.hash.as_deref() != Some(hash.as_str()) {
            return Some(ChainCheck::Altered { id: row.id });
        }
        prev = hash;
    }
    None
}

struct StoredEntry {
    id: i64,
    at: String,
    actor_id: Option<i64>,
    actor_login: Option<String>,
    actor_unit_id: Option<i64>,
    action: String,
    entity: String,
    entity_id: Option<String>,
    before_json: Option<String>,
    after_json: Option<String>,
    client_addr: Option<String>,
    prev_hash: Option<String>,
    hash: Option<String>,
}

impl StoredEntry {
    fn sealed(&self) -> Sealed<'_> {
        Sealed {
            at: &self.at,
            actor_id: self.actor_id,
            actor_login: self.actor_login.as_deref(),
            actor_unit_id: self.actor_unit_id,
            action: &self.action,
            entity: &self.entity,
            entity_id: self.entity_id.as_deref(),
            before_json: self.before_json.as_deref(),
            after_json: self.after_json.as_deref(),
            client_addr: self.client_addr.as_deref(),
        }
    }
}

async fn read_all(conn: &mut Conn) -> sqlx::Result<Vec<StoredEntry>> {
    sqlx::query(
        "SELECT id, at, actor_id, actor_login, actor_unit_id, action, entity, entity_id, \
         before_json, after_json, client_addr, prev_hash, hash FROM audit_log ORDER BY id",
    )
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        Ok(StoredEntry {
            id: r.try_get("id")?,
            at: r.try_get("at")?,
            actor_id: r.try_get("actor_id")?,
            actor_login: r.try_get("actor_login")?,
            actor_unit_id: r.try_get("actor_unit_id")?,
            action: r.try_get("action")?,
            entity: r.try_get("entity")?,
            entity_id: r.try_get("entity_id")?,
            before_json: r.try_get("before_json")?,
            after_json: r.try_get("after_json")?,
            client_addr: r.try_get("client_addr")?,
            prev_hash: r.try_get("prev_hash")?,
            hash: r.try_get("hash")?,
        })
    })
    .collect()
}

/// What checking the chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainCheck {
    Intact {
        entries: i64,
    },
    /// The first entry that does not hold: its content no longer matches its hash.
    Altered {
        id: i64,
    },
    /// The entry does not link to the one before it: an entry before it was deleted (or
    /// inserted, or altered together with its hash).
    Unlinked {
        id: i64,
    },
    /// Fewer entries than were ever appended: the last ones were deleted.
    Missing {
        expected: i64,
        found: i64,
    },
    /// The entry an anchor names carries another MAC: the log was rewritten from there on.
    Rewritten {
        position: i64,
    },
}

/// The head of the chain, to keep apart from the database: how many entries, and the MAC of
/// the last. A later check against it finds a tail deleted (with the counter lowered) or a
/// chain recomputed, which the chain alone cannot show once the key is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub entries: i64,
    pub mac: String,
}

impl Anchor {
    /// `entries:mac`, as `audit anchor` prints it.
    pub fn parse(text: &str) -> Option<Anchor> {
        let (entries, mac) = text.trim().split_once(':')?;
        let entries: i64 = entries.trim().parse().ok().filter(|n| *n >= 0)?;
        let mac = mac.trim();
        (mac.len() == 64 && mac.bytes().all(|b| b.is_ascii_hexdigit())).then(|| Anchor {
            entries,
            mac: mac.to_ascii_lowercase(),
        })
    }
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.entries, self.mac)
    }
}

/// The chain's head now.
pub async fn anchor(conn: &mut Conn) -> sqlx::Result<Anchor> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM audit_log) AS entries, \
         (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) AS mac",
    )
    .fetch_one(conn)
    .await?;
    Ok(Anchor {
        entries: row.try_get("entries")?,
        mac: row.try_get::<Option<String>, _>("mac")?.unwrap_or_default(),
    })
}

/// Whether the log still holds the head an anchor recorded: as many entries at least, and the
/// same MAC at that position (the chain before it is checked by `verify`).
pub async fn check_anchor(conn: &mut Conn, anchor: &Anchor) -> sqlx::Result<Option<ChainCheck>> {
    if anchor.entries == 0 {
        return Ok(None);
    }
    let found: i64 = sqlx::query("SELECT COUNT(*) AS n FROM audit_log")
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    if found < anchor.entries {
        return Ok(Some(ChainCheck::Missing {
            expected: anchor.entries,
            found,
        }));
    }
    let mac: Option<String> =
        sqlx::query("SELECT hash FROM audit_log ORDER BY id LIMIT 1 OFFSET $1")
            .bind(anchor.entries - 1)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.try_get::<Option<String>, _>("hash"))
            .transpose()?
            .flatten();
    Ok(
        (mac.as_deref() != Some(anchor.mac.as_str())).then_some(ChainCheck::Rewritten {
            position: anchor.entries,
        }),
    )
}

/// Walks the whole log in order, recomputing every MAC and link.
pub async fn verify(conn: &mut Conn) -> sqlx::Result<ChainCheck> {
    let key = key()?;
    let rows = read_all(conn).await?;
    if let Some(broken) = first_break(&rows, |row, prev| row.sealed().mac(prev, key)) {
        return Ok(broken);
    }
    let expected: i64 = sqlx::query("SELECT value FROM change_counters WHERE name = 'audit'")
        .fetch_one(&mut *conn)
        .await?
        .try_get("value")?;
    let found = rows.len() as i64;
    Ok(if found < expected {
        ChainCheck::Missing { expected, found }
    } else {
        ChainCheck::Intact { entries: found }
    })
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor_login: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// The entries about one entity (used by tests and, later, the auditor's screens).
pub async fn for_entity(
    conn: &mut Conn,
    entity: &str,
    entity_id: &str,
) -> sqlx::Result<Vec<AuditRow>> {
    sqlx::query(
        "SELECT id, at, actor_login, action, entity, entity_id, before_json, after_json \
         FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id",
    )
    .bind(entity)
    .bind(entity_id)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        Ok(AuditRow {
            id: r.try_get("id")?,
            at: r.try_get("at")?,
            actor_login: r.try_get("actor_login")?,
            action: r.try_get("action")?,
            entity: r.try_get("entity")?,
            entity_id: r.try_get("entity_id")?,
            before_json: r.try_get("before_json")?,
            after_json: r.try_get("after_json")?,
        })
    })
    .collect()
}

/// What the auditor asks for. Instants are bounds as `utc_start_of_shanghai_day` gives them.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub actor_login: Option<String>,
    pub entity: Option<String>,
    pub action: Option<String>,
    /// At or after this instant.
    pub from: Option<String>,
    /// Before this instant.
    pub until: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

pub use crate::domain::records::audit::LoggedEntry;

fn push_search(b: &mut super::SqlBuilder, s: &Search) {
    use super::Bind;
    b.push(" WHERE 1 = 1");
    for (column, value) in [
        ("actor_login", &s.actor_login),
        ("entity", &s.entity),
        ("action", &s.action),
    ] {
        if let Some(v) = value {
            b.push(&format!(" AND {column} = "))
                .bind(Bind::Text(v.clone()));
        }
    }
    if let Some(from) = &s.from {
        b.push(" AND at >= ").bind(Bind::Text(from.clone()));
    }
    if let Some(until) = &s.until {
        b.push(" AND at < ").bind(Bind::Text(until.clone()));
    }
}

/// Entries matching the search, newest first, and how many match in all.
pub async fn search(conn: &mut Conn, s: &Search) -> sqlx::Result<(Vec<LoggedEntry>, i64)> {
    use super::{Bind, SqlBuilder};
    let mut count = SqlBuilder::new(conn);
    count.push("SELECT COUNT(*) AS n FROM audit_log");
    push_search(&mut count, s);
    let total: i64 = count.query().fetch_one(&mut *conn).await?.try_get("n")?;
    let mut b = SqlBuilder::new(conn);
    b.push(
        "SELECT a.id, a.at, a.actor_login, un.name AS actor_unit, a.action, a.entity, a.entity_id, \
         a.before_json, a.after_json, a.client_addr FROM audit_log a \
         LEFT JOIN units un ON un.id = a.actor_unit_id",
    );
    push_search(&mut b, s);
    b.push(" ORDER BY a.id DESC LIMIT ")
        .bind(Bind::Int(s.limit))
        .push(" OFFSET ")
        .bind(Bind::Int(s.offset));
    let json = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
    let items = b
        .query()
        .fetch_all(conn)
        .await?
        .iter()
        .map(|r| {
            Ok(LoggedEntry {
                id: r.try_get("id")?,
                at: r.try_get("at")?,
                actor_login: r.try_get("actor_login")?,
                actor_unit: r.try_get("actor_unit")?,
                action: r.try_get("action")?,
                entity: r.try_get("entity")?,
                entity_id: r.try_get("entity_id")?,
                before: json(r.try_get("before_json")?),
                after: json(r.try_get("after_json")?),
                client_addr: r.try_get("client_addr")?,
            })
        })
        .collect::<sqlx::Result<_>>()?;
    Ok((items, total))
}

//! Multi-row inserts for generated scale data (`zhaoshang demo --projects N`).
//!
//! Binding a value costs more than inserting it, so rows bind only what differs between them.

use super::{Bind, Conn, SqlBuilder};
use sqlx::Row;

/// One generated project with its final state. Money in yuan; dates `YYYY-MM-DD`.
pub struct BulkProject {
    pub id: i64,
    pub name: String,
    pub investor_name: String,
    pub search_text: String,
    pub industry_code: &'static str,
    pub channel: &'static str,
    pub total_investment_yuan: i64,
    pub currency: &'static str,
    pub land_area_m2: Option<i64>,
    pub unit_id: i64,
    pub stage: &'static str,
    pub paused_from: Option<&'static str>,
    pub stage_since: String,
    pub lead_on: String,
    /// First-entry dates of intent, contracted, landed, construction, production, at_capacity.
    pub entries: [Option<String>; 7],
    pub contract_amount_yuan: Option<i64>,
    pub last_progress_on: String,
    pub created_by: i64,
    pub updated_at: String,
    /// The generation time, shared by every row as `created_at`.
    pub now: String,
}

pub struct BulkHistoryEntry {
    pub project_id: i64,
    pub kind: &'static str,
    pub from_stage: Option<&'static str>,
    pub to_stage: Option<&'static str>,
    pub effective_date: String,
    pub body: Option<String>,
    pub actor_id: i64,
}

pub async fn next_project_id(conn: &mut Conn) -> sqlx::Result<i64> {
    sqlx::query("SELECT CAST(COALESCE(MAX(id), 0) + 1 AS BIGINT) AS n FROM projects")
        .fetch_one(conn)
        .await?
        .try_get("n")
}

fn opt_key(b: &mut SqlBuilder, key: Option<&'static str>) {
    match key {
        Some(k) => b.push(", ").key_literal(k),
        None => b.push(", NULL"),
    };
}

fn opt_int(b: &mut SqlBuilder, value: Option<i64>) {
    match value {
        Some(v) => b.push(", ").bind(Bind::Int(v)),
        None => b.push(", NULL"),
    };
}

/// Inserts generated projects. Values shared by every row are bound once; fixed keys are
/// literals; the rest is bound per row. Statements stay small: sqlx and SQLite both slow down
/// sharply on statements with thousands of placeholders.
/// Every row is stamped with the one change number `change` (see `list_index`).
pub async fn insert_projects(
    conn: &mut Conn,
    rows: &[BulkProject],
    change: i64,
) -> sqlx::Result<()> {
    if !SqlBuilder::new(conn).is_sqlite() {
        return insert_projects_as_json(conn, rows, change).await;
    }
    for chunk in rows.chunks(40) {
        let Some(first) = chunk.first() else { continue };
        let mut b = SqlBuilder::new(conn);
        b.push(
            "INSERT INTO projects (id, name, investor_name, search_text, industry_code, channel, \
             total_investment_yuan, currency, land_area_m2, unit_id, stage, paused_from, stage_since, \
             lead_on, negotiating_on, intent_on, contracted_on, landed_on, construction_on, production_on, at_capacity_on, \
             contract_amount_yuan, contract_currency, last_progress_on, version, created_by, created_at, updated_at, \
             change_seq) VALUES ",
        );
        let mut shared = (0, 0, 0);
        for (i, p) in chunk.iter().enumerate() {
            b.push(if i == 0 { "(" } else { ", (" });
            b.bind(Bind::Int(p.id));
            b.push(", ").bind(Bind::Text(p.name.clone()));
            b.push(", ").bind(Bind::Text(p.investor_name.clone()));
            b.push(", ").bind(Bind::Text(p.search_text.clone()));
            b.push(", ").key_literal(p.industry_code);
            b.push(", ").key_literal(p.channel);
            b.push(", ").bind(Bind::Int(p.total_investment_yuan));
            b.push(", ").key_literal(p.currency);
            opt_int(&mut b, p.land_area_m2);
            b.push(", ").bind(Bind::Int(p.unit_id));
            b.push(", ").key_literal(p.stage);
            opt_key(&mut b, p.paused_from);
            b.push(", ").bind(Bind::Text(p.stage_since.clone()));
            b.push(", ").bind(Bind::Text(p.lead_on.clone()));
            for e in &p.entries {
                match e {
                    Some(d) => b.push(", ").bind(Bind::Text(d.clone())),
                    None => b.push(", NULL"),
                };
            }
            opt_int(&mut b, p.contract_amount_yuan);
            opt_key(&mut b, p.contract_amount_yuan.map(|_| p.currency));
            b.push(", ").bind(Bind::Text(p.last_progress_on.clone()));
            b.push(", 1");
            if i == 0 {
                b.push(", ").bind(Bind::Int(first.created_by));
                let author = b.binds.len();
                b.push(", ").bind(Bind::Text(first.now.clone()));
                shared = (author, author + 1, 0);
            } else {
                b.push(", ").placeholder(shared.0);
                b.push(", ").placeholder(shared.1);
            }
            b.push(", ").bind(Bind::Text(p.updated_at.clone()));
            if i == 0 {
                b.push(", ").bind(Bind::Int(change));
                shared.2 = b.binds.len();
            } else {
                b.push(", ").placeholder(shared.2);
            }
            b.push(")");
        }
        b.query().execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn insert_history(
    conn: &mut Conn,
    rows: &[BulkHistoryEntry],
    now: &str,
) -> sqlx::Result<()> {
    if !SqlBuilder::new(conn).is_sqlite() {
        return insert_history_as_json(conn, rows, now).await;
    }
    for chunk in rows.chunks(150) {
        let Some(first) = chunk.first() else { continue };
        let mut b = SqlBuilder::new(conn);
        let mut actor_and_now = (0, 0);
        b.push(
            "INSERT INTO project_events (project_id, kind, from_stage, to_stage, effective_date, body, actor_id, recorded_at) VALUES ",
        );
        for (i, e) in chunk.iter().enumerate() {
            if i > 0 {
                b.push(", ");
            }
            b.push("(").bind(Bind::Int(e.project_id));
            b.push(", ").key_literal(e.kind);
            opt_key(&mut b, e.from_stage);
            opt_key(&mut b, e.to_stage);
            b.push(", ").bind(Bind::Text(e.effective_date.clone()));
            match &e.body {
                Some(body) => b.push(", ").bind(Bind::Text(body.clone())),
                None => b.push(", NULL"),
            };
            if i == 0 {
                // Bound once, referred to by every row: the author and the recording time.
                b.push(", ").bind(Bind::Int(first.actor_id));
                let actor = b.binds.len();
                b.push(", ").bind(Bind::Text(now.into())).push(")");
                actor_and_now = (actor, actor + 1);
            } else {
                b.push(", ").placeholder(actor_and_now.0);
                b.push(", ").placeholder(actor_and_now.1).push(")");
            }
        }
        b.query().execute(&mut *conn).await?;
    }
    Ok(())
}

// PostgreSQL takes a chunk of rows as one JSON document: a statement per few thousand rows with
// one parameter, where bound multi-row VALUES cost it several times the insert itself.

const JSON_CHUNK: usize = 2_000;

async fn insert_projects_as_json(
    conn: &mut Conn,
    rows: &[BulkProject],
    change: i64,
) -> sqlx::Result<()> {
    for chunk in rows.chunks(JSON_CHUNK) {
        let Some(first) = chunk.first() else { continue };
        let doc: Vec<serde_json::Value> = chunk
            .iter()
            .map(|p| {
                let [
                    negotiating,
                    intent,
                    contracted,
                    landed,
                    construction,
                    production,
                    at_capacity,
                ] = &p.entries;
                serde_json::json!({
                    "id": p.id, "name": p.name, "investor_name": p.investor_name,
                    "search_text": p.search_text, "industry_code": p.industry_code,
                    "channel": p.channel, "total_investment_yuan": p.total_investment_yuan,
                    "currency": p.currency, "land_area_m2": p.land_area_m2, "unit_id": p.unit_id,
                    "stage": p.stage, "paused_from": p.paused_from, "stage_since": p.stage_since,
                    "lead_on": p.lead_on, "negotiating_on": negotiating, "intent_on": intent, "contracted_on": contracted,
                    "landed_on": landed, "construction_on": construction,
                    "production_on": production, "at_capacity_on": at_capacity,
                    "contract_amount_yuan": p.contract_amount_yuan,
                    "contract_currency": p.contract_amount_yuan.map(|_| p.currency),
                    "last_progress_on": p.last_progress_on, "updated_at": p.updated_at,
                })
            })
            .collect();
        sqlx::query(
            "INSERT INTO projects (id, name, investor_name, search_text, industry_code, channel, \
             total_investment_yuan, currency, land_area_m2, unit_id, stage, paused_from, stage_since, \
             lead_on, negotiating_on, intent_on, contracted_on, landed_on, construction_on, production_on, at_capacity_on, \
             contract_amount_yuan, contract_currency, last_progress_on, version, created_by, created_at, \
             updated_at, change_seq) \
             SELECT id, name, investor_name, search_text, industry_code, channel, \
             total_investment_yuan, currency, land_area_m2, unit_id, stage, paused_from, stage_since, \
             lead_on, negotiating_on, intent_on, contracted_on, landed_on, construction_on, production_on, at_capacity_on, \
             contract_amount_yuan, contract_currency, last_progress_on, 1, $2, $3, updated_at, $4 \
             FROM jsonb_to_recordset(CAST($1 AS JSONB)) AS x(id BIGINT, name TEXT, investor_name TEXT, \
             search_text TEXT, industry_code TEXT, channel TEXT, total_investment_yuan BIGINT, \
             currency TEXT, land_area_m2 BIGINT, unit_id BIGINT, stage TEXT, paused_from TEXT, \
             stage_since TEXT, lead_on TEXT, negotiating_on TEXT, intent_on TEXT, contracted_on TEXT, landed_on TEXT, \
             construction_on TEXT, production_on TEXT, at_capacity_on TEXT, \
             contract_amount_yuan BIGINT, contract_currency TEXT, last_progress_on TEXT, \
             updated_at TEXT)",
        )
        .bind(serde_json::Value::Array(doc).to_string())
        .bind(first.created_by)
        .bind(&first.now)
        .bind(change)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn insert_history_as_json(
    conn: &mut Conn,
    rows: &[BulkHistoryEntry],
    now: &str,
) -> sqlx::Result<()> {
    for chunk in rows.chunks(JSON_CHUNK) {
        let doc: Vec<serde_json::Value> = chunk
            .iter()
            .map(|e| {
                serde_json::json!({
                    "project_id": e.project_id, "kind": e.kind, "from_stage": e.from_stage,
                    "to_stage": e.to_stage, "effective_date": e.effective_date, "body": e.body,
                    "actor_id": e.actor_id,
                })
            })
            .collect();
        // WITH ORDINALITY keeps the ids in the order the history happened.
        sqlx::query(
            "INSERT INTO project_events (project_id, kind, from_stage, to_stage, effective_date, \
             body, actor_id, recorded_at) \
             SELECT x.project_id, x.kind, x.from_stage, x.to_stage, x.effective_date, x.body, \
             x.actor_id, $2 FROM jsonb_array_elements(CAST($1 AS JSONB)) WITH ORDINALITY AS a(doc, n) \
             CROSS JOIN LATERAL jsonb_to_record(a.doc) AS x(project_id BIGINT, kind TEXT, \
             from_stage TEXT, to_stage TEXT, effective_date TEXT, body TEXT, actor_id BIGINT) \
             ORDER BY a.n",
        )
        .bind(serde_json::Value::Array(doc).to_string())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A foreign key as PostgreSQL describes it, to be dropped and added again.
pub struct ForeignKey {
    table: String,
    name: String,
    definition: String,
}

/// PostgreSQL checks a foreign key per inserted row, which costs bulk loads several times the
/// insert itself; adding the key again afterwards checks every row in one pass. SQLite's checks
/// are cheap: nothing is dropped there.
pub async fn drop_foreign_keys(
    conn: &mut Conn,
    tables: &[&'static str],
) -> sqlx::Result<Vec<ForeignKey>> {
    if SqlBuilder::new(conn).is_sqlite() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for table in tables {
        let rows = sqlx::query(
            "SELECT CAST(conname AS TEXT) AS name, pg_get_constraintdef(oid) AS definition \
             FROM pg_constraint WHERE contype = 'f' AND conrelid = CAST(CAST($1 AS TEXT) AS REGCLASS) \
             ORDER BY conname",
        )
        .bind(*table)
        .fetch_all(&mut *conn)
        .await?;
        for row in rows {
            found.push(ForeignKey {
                table: table.to_string(),
                name: row.try_get("name")?,
                definition: row.try_get("definition")?,
            });
        }
    }
    for fk in &found {
        // Names and definitions come from the database's own catalogue, not from input.
        let sql = format!("ALTER TABLE {} DROP CONSTRAINT \"{}\"", fk.table, fk.name);
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await?;
    }
    Ok(found)
}

pub async fn add_foreign_keys(conn: &mut Conn, keys: &[ForeignKey]) -> sqlx::Result<()> {
    for fk in keys {
        let sql = format!(
            "ALTER TABLE {} ADD CONSTRAINT \"{}\" {}",
            fk.table, fk.name, fk.definition
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// An index as its database describes it, to be dropped and created again.
pub struct IndexDef {
    pub name: String,
    pub sql: String,
}

/// Drops the indexes of `tables` that no constraint owns; returns them for `create_indexes`.
pub async fn drop_secondary_indexes(
    conn: &mut Conn,
    tables: &[&'static str],
) -> sqlx::Result<Vec<IndexDef>> {
    let mut found = Vec::new();
    for table in tables {
        let sql = if SqlBuilder::new(conn).is_sqlite() {
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 \
             AND sql IS NOT NULL ORDER BY name"
        } else {
            "SELECT CAST(indexname AS TEXT) AS name, indexdef AS sql FROM pg_indexes i WHERE tablename = $1 \
             AND schemaname = current_schema() AND NOT EXISTS \
             (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) ORDER BY indexname"
        };
        for row in sqlx::query(sql).bind(*table).fetch_all(&mut *conn).await? {
            found.push(IndexDef {
                name: row.try_get("name")?,
                sql: row.try_get("sql")?,
            });
        }
    }
    for index in &found {
        // The name comes from the database's own catalogue, not from input.
        let drop = format!("DROP INDEX \"{}\"", index.name.replace('"', ""));
        sqlx::query(sqlx::AssertSqlSafe(drop))
            .execute(&mut *conn)
            .await?;
    }
    Ok(found)
}

pub async fn create_indexes(conn: &mut Conn, indexes: &[IndexDef]) -> sqlx::Result<()> {
    for index in indexes {
        sqlx::query(sqlx::AssertSqlSafe(index.sql.clone()))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

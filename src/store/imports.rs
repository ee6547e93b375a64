//! Imports: the previewed file kept until it is imported, and the rows written in bulk.

use super::{Backend, Conn};
use crate::domain::ids::{UnitId, UserId};
use crate::domain::investor::InvestorFields;
use crate::domain::lead::LeadFields;
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct ImportRecord {
    pub id: i64,
    pub kind: String,
    pub file_name: String,
    pub unit_id: UnitId,
    pub created_by: UserId,
    pub created_at: String,
    pub headers_json: String,
    pub valid_json: String,
    pub rejected_json: String,
    pub rows_valid: i64,
    pub rows_rejected: i64,
    pub status: String,
    pub imported_at: Option<String>,
    pub first_id: Option<i64>,
    pub last_id: Option<i64>,
}

pub struct NewImport<'a> {
    pub kind: &'a str,
    pub file_name: &'a str,
    pub unit_id: UnitId,
    pub created_by: UserId,
    pub headers_json: &'a str,
    pub valid_json: &'a str,
    pub rejected_json: &'a str,
    pub rows_valid: i64,
    pub rows_rejected: i64,
}

pub async fn insert(conn: &mut Conn, i: &NewImport<'_>, now: &str) -> sqlx::Result<i64> {
    sqlx::query(
        "INSERT INTO imports (kind, file_name, unit_id, created_by, created_at, headers_json, \
         valid_json, rejected_json, rows_valid, rows_rejected, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'previewed') RETURNING id",
    )
    .bind(i.kind)
    .bind(i.file_name)
    .bind(i.unit_id.0)
    .bind(i.created_by.0)
    .bind(now)
    .bind(i.headers_json)
    .bind(i.valid_json)
    .bind(i.rejected_json)
    .bind(i.rows_valid)
    .bind(i.rows_rejected)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// The whole record, the valid rows included.
pub async fn by_id(conn: &mut Conn, id: i64) -> sqlx::Result<Option<ImportRecord>> {
    load(conn, id, true).await
}

/// The record without its valid rows (which can be tens of megabytes): enough to show it.
pub async fn summary(conn: &mut Conn, id: i64) -> sqlx::Result<Option<ImportRecord>> {
    load(conn, id, false).await
}

async fn load(conn: &mut Conn, id: i64, with_rows: bool) -> sqlx::Result<Option<ImportRecord>> {
    let valid = if with_rows {
        "valid_json"
    } else {
        "'' AS valid_json"
    };
    let sql = format!(
        "SELECT id, kind, file_name, unit_id, created_by, created_at, headers_json, {valid}, \
         rejected_json, rows_valid, rows_rejected, status, imported_at, first_id, last_id \
         FROM imports WHERE id = $1"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(|r| {
            Ok(ImportRecord {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                file_name: r.try_get("file_name")?,
                unit_id: UnitId(r.try_get("unit_id")?),
                created_by: UserId(r.try_get("created_by")?),
                created_at: r.try_get("created_at")?,
                headers_json: r.try_get("headers_json")?,
                valid_json: r.try_get("valid_json")?,
                rejected_json: r.try_get("rejected_json")?,
                rows_valid: r.try_get("rows_valid")?,
                rows_rejected: r.try_get("rows_rejected")?,
                status: r.try_get("status")?,
                imported_at: r.try_get("imported_at")?,
                first_id: r.try_get("first_id")?,
                last_id: r.try_get("last_id")?,
            })
        })
        .transpose()
}

/// Claims a previewed import for writing: false if it was already imported. Being a write,
/// it also takes SQLite's write lock first, so ids reserved after it are not raced.
pub async fn claim(conn: &mut Conn, id: i64, now: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "UPDATE imports SET status = 'imported', imported_at = $1 WHERE id = $2 AND status = 'previewed'",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub async fn record_ids(conn: &mut Conn, id: i64, first: i64, last: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE imports SET first_id = $1, last_id = $2 WHERE id = $3")
        .bind(first)
        .bind(last)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// `count` ids for `table`, in order: from its identity sequence on PostgreSQL; after the
/// largest id on SQLite (the caller holds the write lock).
async fn reserve_ids(
    conn: &mut Conn,
    backend: Backend,
    table: &str,
    count: usize,
) -> sqlx::Result<Vec<i64>> {
    if count == 0 {
        return Ok(Vec::new());
    }
    match backend {
        Backend::Postgres => {
            let sql = format!(
                "SELECT nextval(pg_get_serial_sequence('{table}', 'id')) AS id \
                 FROM generate_series(1, $1) ORDER BY 1"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(count as i64)
                .fetch_all(conn)
                .await?
                .iter()
                .map(|r| r.try_get("id"))
                .collect()
        }
        Backend::Sqlite => {
            let sql = format!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS n FROM {table}");
            let max: i64 = sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_one(conn)
                .await?
                .try_get("n")?;
            Ok((max + 1..=max + count as i64).collect())
        }
    }
}

/// Rows per statement: each batch travels as one JSON document (one bind), which both
/// databases unpack into rows — binding values one by one costs more than inserting them.
const BATCH: usize = 5_000;

/// Inserts `rows` (JSON objects keyed by column) into `table`, batch by batch.
async fn insert_json_rows(
    conn: &mut Conn,
    backend: Backend,
    table: &str,
    columns: &[(&str, &str)],
    rows: &[serde_json::Value],
) -> sqlx::Result<()> {
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    let sql = match backend {
        Backend::Sqlite => {
            let picks: Vec<String> = names.iter().map(|n| format!("j ->> '$.{n}'")).collect();
            format!(
                "INSERT INTO {table} ({}) SELECT {} FROM (SELECT value AS j FROM jsonb_each($1))",
                names.join(", "),
                picks.join(", ")
            )
        }
        Backend::Postgres => {
            let typed: Vec<String> = columns.iter().map(|(n, t)| format!("{n} {t}")).collect();
            format!(
                "INSERT INTO {table} ({0}) SELECT {0} FROM jsonb_to_recordset(CAST($1 AS JSONB)) AS x({1})",
                names.join(", "),
                typed.join(", ")
            )
        }
    };
    for chunk in rows.chunks(BATCH) {
        sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(serde_json::Value::Array(chunk.to_vec()).to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

const INVESTOR_COLUMNS: [(&str, &str); 18] = [
    ("id", "BIGINT"),
    ("name", "TEXT"),
    ("name_key", "TEXT"),
    ("credit_code", "TEXT"),
    ("kind", "TEXT"),
    ("country", "TEXT"),
    ("origin_city", "TEXT"),
    ("fortune_global_500", "BIGINT"),
    ("fortune_china_500", "BIGINT"),
    ("listed", "BIGINT"),
    ("industry_code", "TEXT"),
    ("website", "TEXT"),
    ("notes", "TEXT"),
    ("unit_id", "BIGINT"),
    ("version", "BIGINT"),
    ("created_by", "BIGINT"),
    ("created_at", "TEXT"),
    ("updated_at", "TEXT"),
];

const CONTACT_COLUMNS: [(&str, &str); 7] = [
    ("investor_id", "BIGINT"),
    ("position", "BIGINT"),
    ("name", "TEXT"),
    ("title", "TEXT"),
    ("phone", "TEXT"),
    ("email", "TEXT"),
    ("wechat", "TEXT"),
];

/// Writes investors and their contacts; returns their ids in order.
pub async fn insert_investors(
    conn: &mut Conn,
    backend: Backend,
    rows: &[InvestorFields],
    unit: UnitId,
    by: UserId,
    now: &str,
) -> sqlx::Result<Vec<i64>> {
    let ids = reserve_ids(conn, backend, "investors", rows.len()).await?;
    let docs: Vec<serde_json::Value> = rows
        .iter()
        .zip(&ids)
        .map(|(f, id)| {
            serde_json::json!({
                "id": id,
                "name": f.name,
                "name_key": f.name_key,
                "credit_code": f.credit_code.as_ref().map(|c| c.as_str()),
                "kind": f.kind.key(),
                "country": f.country,
                "origin_city": f.origin_city,
                "fortune_global_500": i64::from(f.fortune_global_500),
                "fortune_china_500": i64::from(f.fortune_china_500),
                "listed": i64::from(f.listed),
                "industry_code": f.industry.map(|c| c.code()),
                "website": f.website,
                "notes": f.notes,
                "unit_id": unit.0,
                "version": 1,
                "created_by": by.0,
                "created_at": now,
                "updated_at": now,
            })
        })
        .collect();
    insert_json_rows(conn, backend, "investors", &INVESTOR_COLUMNS, &docs).await?;
    let contacts: Vec<serde_json::Value> = rows
        .iter()
        .zip(&ids)
        .flat_map(|(f, id)| {
            f.contacts.iter().enumerate().map(move |(p, c)| {
                serde_json::json!({
                    "investor_id": id,
                    "position": p,
                    "name": c.name,
                    "title": c.title,
                    "phone": c.phone,
                    "email": c.email,
                    "wechat": c.wechat,
                })
            })
        })
        .collect();
    insert_json_rows(
        conn,
        backend,
        "investor_contacts",
        &CONTACT_COLUMNS,
        &contacts,
    )
    .await?;
    Ok(ids)
}

const LEAD_COLUMNS: [(&str, &str); 16] = [
    ("id", "BIGINT"),
    ("title", "TEXT"),
    ("investor_name", "TEXT"),
    ("industry_code", "TEXT"),
    ("amount_yuan", "BIGINT"),
    ("currency", "TEXT"),
    ("channel", "TEXT"),
    ("source", "TEXT"),
    ("contact", "TEXT"),
    ("notes", "TEXT"),
    ("unit_id", "BIGINT"),
    ("status", "TEXT"),
    ("version", "BIGINT"),
    ("created_by", "BIGINT"),
    ("created_at", "TEXT"),
    ("updated_at", "TEXT"),
];

/// Writes leads (status 待分派, the importer's unit); returns their ids in order.
pub async fn insert_leads(
    conn: &mut Conn,
    backend: Backend,
    rows: &[LeadFields],
    unit: UnitId,
    by: UserId,
    now: &str,
) -> sqlx::Result<Vec<i64>> {
    let ids = reserve_ids(conn, backend, "leads", rows.len()).await?;
    let docs: Vec<serde_json::Value> = rows
        .iter()
        .zip(&ids)
        .map(|(f, id)| {
            serde_json::json!({
                "id": id,
                "title": f.title,
                "investor_name": f.investor_name,
                "industry_code": f.industry.map(|c| c.code()),
                "amount_yuan": f.amount.map(|m| m.yuan),
                "currency": f.amount.map(|m| m.currency.code()),
                "channel": f.channel.map(|c| c.key()),
                "source": f.source,
                "contact": f.contact,
                "notes": f.notes,
                "unit_id": unit.0,
                "status": "new",
                "version": 1,
                "created_by": by.0,
                "created_at": now,
                "updated_at": now,
            })
        })
        .collect();
    insert_json_rows(conn, backend, "leads", &LEAD_COLUMNS, &docs).await?;
    Ok(ids)
}

/// Every live credit code and name key (to check a file against, in memory).
pub async fn live_investor_keys(conn: &mut Conn) -> sqlx::Result<Vec<(Option<String>, String)>> {
    sqlx::query("SELECT credit_code, name_key FROM investors WHERE merged_into IS NULL")
        .fetch_all(conn)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("credit_code")?, r.try_get("name_key")?)))
        .collect()
}

//! Imports: the previewed file kept until it is imported, and the rows written in bulk.

use super::{Backend, Bind, Conn, SqlBuilder};
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

pub async fn by_id(conn: &mut Conn, id: i64) -> sqlx::Result<Option<ImportRecord>> {
    sqlx::query(
        "SELECT id, kind, file_name, unit_id, created_by, created_at, headers_json, valid_json, \
         rejected_json, rows_valid, rows_rejected, status, imported_at, first_id, last_id \
         FROM imports WHERE id = $1",
    )
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

/// Rows per statement: enough to amortise the round trip, few enough placeholders to stay fast.
const BATCH: usize = 250;

fn opt_text(b: &mut SqlBuilder, v: Option<&str>) {
    match v {
        Some(t) => b.bind(Bind::Text(t.to_string())),
        None => b.push("NULL"),
    };
}

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
    for (chunk, chunk_ids) in rows.chunks(BATCH).zip(ids.chunks(BATCH)) {
        let mut b = SqlBuilder::new(conn);
        b.push(
            "INSERT INTO investors (id, name, name_key, credit_code, kind, country, origin_city, \
             fortune_global_500, fortune_china_500, listed, industry_code, website, notes, unit_id, \
             version, created_by, created_at, updated_at) VALUES ",
        );
        for (i, (f, id)) in chunk.iter().zip(chunk_ids).enumerate() {
            if i > 0 {
                b.push(", ");
            }
            b.push("(").bind(Bind::Int(*id)).push(", ");
            b.bind(Bind::Text(f.name.clone())).push(", ");
            b.bind(Bind::Text(f.name_key.clone())).push(", ");
            opt_text(&mut b, f.credit_code.as_ref().map(|c| c.as_str()));
            b.push(", ").key_literal(f.kind.key()).push(", ");
            b.bind(Bind::Text(f.country.clone())).push(", ");
            opt_text(&mut b, f.origin_city.as_deref());
            b.push(&format!(
                ", {}, {}, {}, ",
                i64::from(f.fortune_global_500),
                i64::from(f.fortune_china_500),
                i64::from(f.listed)
            ));
            opt_text(&mut b, f.industry.map(|c| c.code()));
            b.push(", ");
            opt_text(&mut b, f.website.as_deref());
            b.push(", ");
            opt_text(&mut b, f.notes.as_deref());
            b.push(&format!(", {}, 1, {}, ", unit.0, by.0));
            b.bind(Bind::Text(now.to_string())).push(", ");
            b.bind(Bind::Text(now.to_string())).push(")");
        }
        b.query().execute(&mut *conn).await?;
    }
    let contacts: Vec<(i64, usize, &crate::domain::investor::Contact)> = rows
        .iter()
        .zip(&ids)
        .flat_map(|(f, id)| f.contacts.iter().enumerate().map(move |(p, c)| (*id, p, c)))
        .collect();
    for chunk in contacts.chunks(BATCH) {
        let mut b = SqlBuilder::new(conn);
        b.push(
            "INSERT INTO investor_contacts (investor_id, position, name, title, phone, email, wechat) VALUES ",
        );
        for (i, (id, position, c)) in chunk.iter().enumerate() {
            if i > 0 {
                b.push(", ");
            }
            b.push(&format!("({id}, {position}, "));
            b.bind(Bind::Text(c.name.clone())).push(", ");
            opt_text(&mut b, c.title.as_deref());
            b.push(", ");
            opt_text(&mut b, c.phone.as_deref());
            b.push(", ");
            opt_text(&mut b, c.email.as_deref());
            b.push(", ");
            opt_text(&mut b, c.wechat.as_deref());
            b.push(")");
        }
        b.query().execute(&mut *conn).await?;
    }
    Ok(ids)
}

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
    for (chunk, chunk_ids) in rows.chunks(BATCH).zip(ids.chunks(BATCH)) {
        let mut b = SqlBuilder::new(conn);
        b.push(
            "INSERT INTO leads (id, title, investor_name, industry_code, amount_yuan, currency, \
             channel, source, contact, notes, unit_id, status, version, created_by, created_at, \
             updated_at) VALUES ",
        );
        for (i, (f, id)) in chunk.iter().zip(chunk_ids).enumerate() {
            if i > 0 {
                b.push(", ");
            }
            b.push(&format!("({id}, "));
            b.bind(Bind::Text(f.title.clone())).push(", ");
            b.bind(Bind::Text(f.investor_name.clone())).push(", ");
            opt_text(&mut b, f.industry.map(|c| c.code()));
            match f.amount {
                Some(m) => {
                    b.push(&format!(", {}, ", m.yuan))
                        .key_literal(m.currency.code());
                }
                None => {
                    b.push(", NULL, NULL");
                }
            }
            b.push(", ");
            opt_text(&mut b, f.channel.map(|c| c.key()));
            b.push(", ");
            opt_text(&mut b, f.source.as_deref());
            b.push(", ");
            opt_text(&mut b, f.contact.as_deref());
            b.push(", ");
            opt_text(&mut b, f.notes.as_deref());
            b.push(&format!(", {}, 'new', 1, {}, ", unit.0, by.0));
            b.bind(Bind::Text(now.to_string())).push(", ");
            b.bind(Bind::Text(now.to_string())).push(")");
        }
        b.query().execute(&mut *conn).await?;
    }
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

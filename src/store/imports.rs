//! Imports: the previewed file kept until it is imported, and the rows written in bulk.

use super::{Backend, Conn};
use crate::domain::ids::ImportId;
use crate::domain::ids::{UnitId, UserId};
use crate::domain::import::ImportKind;
use crate::domain::investor::InvestorFields;
use crate::domain::lead::LeadFields;
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct ImportRecord {
    pub id: ImportId,
    pub kind: String,
    pub file_name: String,
    pub unit_id: UnitId,
    pub created_by: UserId,
    pub created_at: String,
    pub headers_json: String,
    pub rejected_json: String,
    /// The rows left out of the table (titles, blank rows, footers), as JSON.
    pub ignored_json: String,
    pub rows_valid: i64,
    pub rows_duplicate: i64,
    pub rows_rejected: i64,
    /// Rows the import wrote (none before it).
    pub rows_imported: Option<i64>,
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
    pub ignored_json: &'a str,
    pub valid_json: &'a str,
    pub rejected_json: &'a str,
    pub rows_valid: i64,
    pub rows_duplicate: i64,
    pub rows_rejected: i64,
}

/// A row of a preview as kept: its status, values as read and problems (JSON).
pub struct NewRow<'a> {
    pub row: i64,
    pub status: &'a str,
    pub values_json: &'a str,
    pub problems_json: &'a str,
}

/// Stores a preview: the import and, beside it, its valid rows.
pub async fn insert(conn: &mut Conn, i: &NewImport<'_>, now: &str) -> sqlx::Result<ImportId> {
    let id: i64 = sqlx::query(
        "INSERT INTO imports (kind, file_name, unit_id, created_by, created_at, headers_json, \
         rejected_json, rows_valid, rows_rejected, status, ignored_json, rows_duplicate) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'previewed', $10, $11) RETURNING id",
    )
    .bind(i.kind)
    .bind(i.file_name)
    .bind(i.unit_id.0)
    .bind(i.created_by.0)
    .bind(now)
    .bind(i.headers_json)
    .bind(i.rejected_json)
    .bind(i.rows_valid)
    .bind(i.rows_rejected)
    .bind(i.ignored_json)
    .bind(i.rows_duplicate)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    sqlx::query("INSERT INTO import_payloads (import_id, valid_json) VALUES ($1, $2)")
        .bind(id)
        .bind(i.valid_json)
        .execute(&mut *conn)
        .await?;
    Ok(ImportId(id))
}

/// The import, without its valid rows (which can be tens of megabytes).
pub async fn by_id(conn: &mut Conn, id: ImportId) -> sqlx::Result<Option<ImportRecord>> {
    sqlx::query(
        "SELECT id, kind, file_name, unit_id, created_by, created_at, headers_json, \
         rejected_json, rows_valid, rows_rejected, status, imported_at, first_id, last_id, \
         ignored_json, rows_duplicate, rows_imported FROM imports WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(conn)
    .await?
    .map(|r| {
        Ok(ImportRecord {
            id: ImportId(r.try_get("id")?),
            kind: r.try_get("kind")?,
            file_name: r.try_get("file_name")?,
            unit_id: UnitId(r.try_get("unit_id")?),
            created_by: UserId(r.try_get("created_by")?),
            created_at: r.try_get("created_at")?,
            headers_json: r.try_get("headers_json")?,
            rejected_json: r.try_get("rejected_json")?,
            ignored_json: r.try_get("ignored_json")?,
            rows_valid: r.try_get("rows_valid")?,
            rows_rejected: r.try_get("rows_rejected")?,
            rows_duplicate: r.try_get("rows_duplicate")?,
            rows_imported: r.try_get("rows_imported")?,
            status: r.try_get("status")?,
            imported_at: r.try_get("imported_at")?,
            first_id: r.try_get("first_id")?,
            last_id: r.try_get("last_id")?,
        })
    })
    .transpose()
}

/// The valid rows of an import, as JSON.
pub async fn valid_rows(conn: &mut Conn, id: ImportId) -> sqlx::Result<String> {
    sqlx::query("SELECT valid_json FROM import_payloads WHERE import_id = $1")
        .bind(id.0)
        .fetch_one(conn)
        .await?
        .try_get("valid_json")
}

/// Claims a previewed import for writing: false if it was already imported. Being a write,
/// it also takes SQLite's write lock first, so ids reserved after it are not raced.
pub async fn claim(conn: &mut Conn, id: ImportId, now: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "UPDATE imports SET status = 'imported', imported_at = $1 WHERE id = $2 AND status = 'previewed'",
    )
    .bind(now)
    .bind(id.0)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Records what an import wrote: how many rows, and the first and last ids given.
pub async fn record_written(conn: &mut Conn, id: ImportId, ids: &[i64]) -> sqlx::Result<()> {
    sqlx::query("UPDATE imports SET first_id = $1, last_id = $2, rows_imported = $3 WHERE id = $4")
        .bind(ids.first().copied())
        .bind(ids.last().copied())
        .bind(ids.len() as i64)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

const PREVIEW_ROW_COLUMNS: [(&str, ColType); 4] = [
    ("row_no", ColType::Int),
    ("status", ColType::Text),
    ("values_json", ColType::Text),
    ("problems_json", ColType::Text),
];

/// Keeps every row of a preview (see `NewRow`).
pub async fn insert_preview_rows(
    conn: &mut Conn,
    backend: Backend,
    id: ImportId,
    rows: &[NewRow<'_>],
) -> sqlx::Result<()> {
    let mut values = Vec::with_capacity(rows.len() * PREVIEW_ROW_COLUMNS.len());
    for r in rows {
        values.extend([
            Val::Int(r.row),
            Val::Text(r.status),
            Val::Text(r.values_json),
            Val::Text(r.problems_json),
        ]);
    }
    insert_rows(
        conn,
        backend,
        "import_rows",
        &PREVIEW_ROW_COLUMNS,
        &[("import_id", Val::Int(id.0))],
        &values,
    )
    .await
}

/// A page of a preview's rows in sheet order, of one status or all:
/// (row, status, values JSON, problems JSON).
pub async fn preview_rows(
    conn: &mut Conn,
    id: ImportId,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<(i64, String, String, String)>> {
    sqlx::query(
        "SELECT row_no, status, values_json, problems_json FROM import_rows \
         WHERE import_id = $1 AND ($2 IS NULL OR status = $2) ORDER BY row_no LIMIT $3 OFFSET $4",
    )
    .bind(id.0)
    .bind(status)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get("row_no")?,
            r.try_get("status")?,
            r.try_get("values_json")?,
            r.try_get("problems_json")?,
        ))
    })
    .collect()
}

/// The rows of a preview flagged as probable duplicates.
pub async fn duplicate_rows(conn: &mut Conn, id: ImportId) -> sqlx::Result<Vec<usize>> {
    sqlx::query(
        "SELECT row_no FROM import_rows WHERE import_id = $1 AND status = 'duplicate' \
         ORDER BY row_no",
    )
    .bind(id.0)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| Ok(r.try_get::<i64, _>("row_no")?.max(0) as usize))
    .collect()
}

/// `count` ids for the rows of an import, in order: from the table's identity sequence on
/// PostgreSQL; after its largest id on SQLite (the caller holds the write lock).
pub async fn reserve_ids(
    conn: &mut Conn,
    backend: Backend,
    kind: ImportKind,
    count: usize,
) -> sqlx::Result<Vec<i64>> {
    if count == 0 {
        return Ok(Vec::new());
    }
    let table = match kind {
        ImportKind::Investors => "investors",
        ImportKind::Leads => "leads",
    };
    match backend {
        Backend::Postgres => {
            // The sequence is looked up once: asked per row, the lookup costs more than the ids.
            let sequence: String =
                sqlx::query("SELECT CAST(pg_get_serial_sequence($1, 'id') AS TEXT) AS seq")
                    .bind(table)
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get("seq")?;
            sqlx::query(
                "SELECT nextval(CAST($2 AS REGCLASS)) AS id FROM generate_series(1, $1) ORDER BY 1",
            )
            .bind(count as i64)
            .bind(sequence)
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

/// One value of a row being written.
#[derive(Debug, Clone, Copy)]
pub enum Val<'a> {
    Int(i64),
    Text(&'a str),
    Null,
}

impl<'a> From<Option<&'a str>> for Val<'a> {
    fn from(v: Option<&'a str>) -> Self {
        v.map_or(Val::Null, Val::Text)
    }
}

impl From<Option<i64>> for Val<'_> {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Val::Null, Val::Int)
    }
}

/// The SQL type of a column written in bulk (PostgreSQL needs it to unpack an array).
#[derive(Debug, Clone, Copy)]
enum ColType {
    Int,
    Text,
}

/// Rows per statement. Each batch travels as a few big binds that the database unpacks into
/// rows (binding every value on its own costs more than inserting it).
const BATCH: usize = 10_000;

/// Writes rows into `table`: `rows` holds the values of `columns` row after row; every row
/// also gets the `constants` (bound once per batch, not once per row).
///
/// SQLite receives each batch as one JSON array of row arrays (`json_each`); PostgreSQL as one
/// array literal per column (`unnest`), which it parses several times faster than JSON.
async fn insert_rows(
    conn: &mut Conn,
    backend: Backend,
    table: &str,
    columns: &[(&str, ColType)],
    constants: &[(&str, Val<'_>)],
    rows: &[Val<'_>],
) -> sqlx::Result<()> {
    let width = columns.len();
    let names: Vec<&str> = columns
        .iter()
        .map(|(n, _)| *n)
        .chain(constants.iter().map(|(n, _)| *n))
        .collect();
    let sql = match backend {
        Backend::Sqlite => {
            let picks = (0..width).map(|i| format!("j ->> {i}"));
            let binds = (0..constants.len()).map(|i| format!("${}", i + 2));
            format!(
                "INSERT INTO {table} ({}) SELECT {} FROM (SELECT value AS j FROM json_each($1))",
                names.join(", "),
                picks.chain(binds).collect::<Vec<_>>().join(", ")
            )
        }
        Backend::Postgres => {
            let arrays = columns.iter().enumerate().map(|(i, (_, t))| {
                let t = match t {
                    ColType::Int => "BIGINT",
                    ColType::Text => "TEXT",
                };
                format!("CAST(${} AS {t}[])", i + 1)
            });
            let binds = (0..constants.len()).map(|i| format!("${}", width + i + 1));
            format!(
                "INSERT INTO {table} ({}) SELECT x.*{} FROM unnest({}) AS x",
                names.join(", "),
                binds.map(|b| format!(", {b}")).collect::<String>(),
                arrays.collect::<Vec<_>>().join(", ")
            )
        }
    };
    for chunk in rows.chunks(BATCH * width) {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
        match backend {
            Backend::Sqlite => query = query.bind(json_rows(chunk, width)),
            Backend::Postgres => {
                for column in 0..width {
                    query = query.bind(pg_array(chunk.iter().skip(column).step_by(width)));
                }
            }
        }
        for (_, value) in constants {
            query = match *value {
                Val::Int(n) => query.bind(n),
                Val::Text(t) => query.bind(t),
                Val::Null => query.bind(None::<String>),
            };
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// `[[v, v, …], …]`: rows of `width` values as one JSON document.
fn json_rows(values: &[Val<'_>], width: usize) -> String {
    let mut out = String::with_capacity(values.len() * 16);
    out.push('[');
    for (r, row) in values.chunks(width).enumerate() {
        if r > 0 {
            out.push(',');
        }
        out.push('[');
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match v {
                Val::Int(n) => out.push_str(&n.to_string()),
                // A str always serializes.
                Val::Text(t) => out.push_str(&serde_json::to_string(t).unwrap_or_default()),
                Val::Null => out.push_str("null"),
            }
        }
        out.push(']');
    }
    out.push(']');
    out
}

/// A PostgreSQL array literal: `{"a","b\"c",NULL,12}`.
fn pg_array<'a>(values: impl Iterator<Item = &'a Val<'a>>) -> String {
    let mut out = String::from("{");
    for (i, v) in values.enumerate() {
        if i > 0 {
            out.push(',');
        }
        match v {
            Val::Int(n) => out.push_str(&n.to_string()),
            Val::Text(t) => {
                out.push('"');
                for c in t.chars() {
                    if c == '"' || c == '\\' {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push('"');
            }
            Val::Null => out.push_str("NULL"),
        }
    }
    out.push('}');
    out
}

/// Prepares the current transaction for a bulk write. PostgreSQL connections re-plan every
/// statement (see `Db::connect`); that would also re-plan each foreign-key check of each row
/// and triple the cost of a large import, so this transaction caches plans as usual.
pub async fn begin_bulk(conn: &mut Conn, backend: Backend) -> sqlx::Result<()> {
    if backend == Backend::Postgres {
        sqlx::query("SET LOCAL plan_cache_mode = auto")
            .execute(conn)
            .await?;
    }
    Ok(())
}

use ColType::{Int, Text};

const INVESTOR_COLUMNS: [(&str, ColType); 15] = [
    ("id", Int),
    ("name", Text),
    ("name_key", Text),
    ("credit_code", Text),
    ("kind", Text),
    ("country", Text),
    ("origin_city", Text),
    ("fortune_global_500", Int),
    ("fortune_china_500", Int),
    ("listed", Int),
    ("industry_code", Text),
    ("website", Text),
    ("notes", Text),
    ("intended_investment_yuan", Int),
    ("intended_currency", Text),
];

const CONTACT_COLUMNS: [(&str, ColType); 7] = [
    ("investor_id", Int),
    ("position", Int),
    ("name", Text),
    ("title", Text),
    ("phone", Text),
    ("email", Text),
    ("wechat", Text),
];

/// What every row of one import shares.
fn shared<'a>(unit: UnitId, by: UserId, now: &'a str) -> Vec<(&'static str, Val<'a>)> {
    vec![
        ("unit_id", Val::Int(unit.0)),
        ("version", Val::Int(1)),
        ("created_by", Val::Int(by.0)),
        ("created_at", Val::Text(now)),
        ("updated_at", Val::Text(now)),
    ]
}

/// Writes investors (with the ids reserved for them) and their contacts.
pub async fn insert_investors(
    conn: &mut Conn,
    backend: Backend,
    rows: &[InvestorFields],
    ids: &[i64],
    unit: UnitId,
    by: UserId,
    now: &str,
) -> sqlx::Result<()> {
    let mut values = Vec::with_capacity(rows.len() * INVESTOR_COLUMNS.len());
    for (f, id) in rows.iter().zip(ids) {
        values.extend([
            Val::Int(*id),
            Val::Text(&f.name),
            Val::Text(&f.name_key),
            f.credit_code.as_ref().map(|c| c.as_str()).into(),
            Val::Text(f.kind.key()),
            Val::Text(&f.country),
            f.origin_city.as_deref().into(),
            Val::Int(f.fortune_global_500.into()),
            Val::Int(f.fortune_china_500.into()),
            Val::Int(f.listed.into()),
            f.industry.map(|c| c.code()).into(),
            f.website.as_deref().into(),
            f.notes.as_deref().into(),
            f.intended_investment.map(|m| m.yuan).into(),
            f.intended_investment.map(|m| m.currency.code()).into(),
        ]);
    }
    insert_rows(
        conn,
        backend,
        "investors",
        &INVESTOR_COLUMNS,
        &shared(unit, by, now),
        &values,
    )
    .await?;
    let mut contacts = Vec::with_capacity(rows.len() * CONTACT_COLUMNS.len());
    for (f, id) in rows.iter().zip(ids) {
        for (position, c) in f.contacts.iter().enumerate() {
            contacts.extend([
                Val::Int(*id),
                Val::Int(position as i64),
                Val::Text(&c.name),
                c.title.as_deref().into(),
                c.phone.as_deref().into(),
                c.email.as_deref().into(),
                c.wechat.as_deref().into(),
            ]);
        }
    }
    insert_rows(
        conn,
        backend,
        "investor_contacts",
        &CONTACT_COLUMNS,
        &[],
        &contacts,
    )
    .await?;
    Ok(())
}

const LEAD_COLUMNS: [(&str, ColType); 11] = [
    ("id", Int),
    ("title", Text),
    ("investor_name", Text),
    ("industry_code", Text),
    ("amount_yuan", Int),
    ("currency", Text),
    ("channel", Text),
    ("source", Text),
    ("contact", Text),
    ("notes", Text),
    ("received_on", Text),
];

/// Writes leads (status 待分派, the importer's unit) with the ids reserved for them.
pub async fn insert_leads(
    conn: &mut Conn,
    backend: Backend,
    rows: &[LeadFields],
    ids: &[i64],
    unit: UnitId,
    by: UserId,
    now: &str,
) -> sqlx::Result<()> {
    let dates: Vec<Option<String>> = rows
        .iter()
        .map(|f| f.received_on.map(crate::domain::dates::iso))
        .collect();
    let mut values = Vec::with_capacity(rows.len() * LEAD_COLUMNS.len());
    for ((f, id), date) in rows.iter().zip(ids).zip(&dates) {
        values.extend([
            Val::Int(*id),
            Val::Text(&f.title),
            Val::Text(&f.investor_name),
            f.industry.map(|c| c.code()).into(),
            f.amount.map(|m| m.yuan).into(),
            f.amount.map(|m| m.currency.code()).into(),
            f.channel.map(|c| c.key()).into(),
            f.source.as_deref().into(),
            f.contact.as_deref().into(),
            f.notes.as_deref().into(),
            date.as_deref().into(),
        ]);
    }
    let mut constants = shared(unit, by, now);
    constants.push(("status", Val::Text("new")));
    insert_rows(conn, backend, "leads", &LEAD_COLUMNS, &constants, &values).await?;
    Ok(())
}

/// The content and investor of every lead under `scope` (to find a file's repeated leads, in
/// memory; a lead of another unit is not the importer's to know of).
pub async fn lead_keys(
    conn: &mut Conn,
    scope: &crate::domain::user::UnitPath,
) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query(
        "SELECT l.title, l.investor_name FROM leads l JOIN units un ON un.id = l.unit_id \
         WHERE un.path LIKE $1 || '%'",
    )
    .bind(&scope.0)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("title")?, r.try_get("investor_name")?)))
    .collect()
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

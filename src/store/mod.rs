//! SQL over sqlx's `Any` driver: one set of queries for SQLite (embedded default) and PostgreSQL.
//! Placeholders are `$N` everywhere; dates are TEXT, money BIGINT yuan, flags BIGINT 0/1.

pub mod audit;
pub mod audit_key;
pub mod bulk;
pub mod contract_index;
pub mod contracts;
pub mod events;
pub mod imports;
pub mod investors;
pub mod leads;
pub mod list_index;
pub mod projects;
pub mod referrers;
pub mod sessions;
pub mod units;
pub mod users;
pub mod visits;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, ConnectOptions, Connection, Executor};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// The list facts of every project, kept in step with the table (see `list_index`).
    pub lists: std::sync::Arc<list_index::ListIndex>,
    /// The contract facts of every project, in memory (see `contract_index`).
    pub contracts: std::sync::Arc<contract_index::ContractIndex>,
    /// This process's turn to write: writers queue here, asleep and holding no connection,
    /// rather than in SQLite's busy handler (which polls with growing sleeps and gives up after
    /// its timeout) or in PostgreSQL's lock queue (each holding a pooled connection). On SQLite
    /// the turn also holds the one connection that writes (see `Writer`).
    write_turn: std::sync::Arc<tokio::sync::Mutex<Writer>>,
    /// How to open the SQLite writer connection.
    options: AnyConnectOptions,
}

/// SQLite's writer: one connection kept for writes, apart from the readers' pool. Every
/// statement to SQLite is a hand-off to the connection's worker thread, so writes skip the pool
/// (its acquire and health check are hand-offs too) and stay on a connection whose pages are
/// warm. `open` marks a transaction that a dropped `WriteTx` left to be rolled back.
#[derive(Default)]
struct Writer {
    conn: Option<AnyConnection>,
    open: bool,
}

pub type Conn = AnyConnection;

/// A write transaction. It holds this process's write turn. On SQLite it runs on the writer
/// connection and took the database's write lock as it began (`BEGIN IMMEDIATE`), so no
/// statement in it waits for, or fails on, a lock another request holds. On PostgreSQL it took
/// the audit chain's lock first, so write transactions of every process queue in one order and
/// cannot deadlock one another. Dropped without `commit`, it is rolled back.
pub struct WriteTx {
    inner: Option<WriteInner>,
}

enum WriteInner {
    /// SQLite: the writer connection inside `BEGIN IMMEDIATE`.
    Writer(tokio::sync::OwnedMutexGuard<Writer>),
    /// PostgreSQL: a pooled transaction; the turn is released after it (fields drop in order).
    Pooled(
        sqlx::Transaction<'static, sqlx::Any>,
        tokio::sync::OwnedMutexGuard<Writer>,
    ),
}

impl std::ops::Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match self.inner.as_ref().expect("a write transaction in use") {
            WriteInner::Writer(w) => w.conn.as_ref().expect("the writer connection"),
            WriteInner::Pooled(tx, _) => tx,
        }
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self.inner.as_mut().expect("a write transaction in use") {
            WriteInner::Writer(w) => w.conn.as_mut().expect("the writer connection"),
            WriteInner::Pooled(tx, _) => tx,
        }
    }
}

impl WriteTx {
    pub async fn commit(mut self) -> sqlx::Result<()> {
        match self.inner.take().expect("a write transaction in use") {
            WriteInner::Writer(mut w) => {
                let conn = w.conn.as_mut().expect("the writer connection");
                match conn.execute("COMMIT").await {
                    Ok(_) => {
                        w.open = false;
                        Ok(())
                    }
                    Err(e) => {
                        // Rolled back now, while this writer still holds the turn, rather than
                        // by whichever writer comes next.
                        let _ = conn.execute("ROLLBACK").await;
                        w.open = false;
                        Err(e)
                    }
                }
            }
            WriteInner::Pooled(tx, _turn) => tx.commit().await,
        }
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        // Not committed: SQLite's writer rolls back now, still holding the turn, so no other
        // process waits on a lock nobody will release; if no runtime is left, the next writer
        // of this process rolls it back before it begins (`open`).
        if let Some(WriteInner::Writer(mut w)) = self.inner.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(async move {
                if let Some(conn) = w.conn.as_mut() {
                    let _ = conn.execute("ROLLBACK").await;
                    w.open = false;
                }
            });
        }
    }
}

/// Whether a database error is contention that the same transaction, run again, would get past:
/// PostgreSQL's serialization failure and deadlock, SQLite's busy and locked answers.
pub fn is_contention(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => matches!(
            db.code().as_deref(),
            Some("40001" | "40P01" | "5" | "6" | "261" | "517")
        ),
        _ => false,
    }
}

impl Db {
    /// Connects by URL: `sqlite://path` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        // Every process that opens the database may append to its audit trail.
        audit_key::load()?;
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            anyhow::bail!("数据库地址须以 sqlite:// 或 postgres:// 开头：{url}");
        };
        let url = match backend {
            Backend::Sqlite => sqlite_url(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)
            .with_context(|| "数据库地址无效".to_string())?
            .log_statements(tracing::log::LevelFilter::Trace)
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                // One writer at a time in SQLite anyway; a few readers in WAL mode.
                Backend::Sqlite => 4,
                Backend::Postgres => 16,
            })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(SQLITE_SETTINGS).await?;
                    } else {
                        // List filters vary widely in selectivity (a whole county or one town, a
                        // year or a day); a cached generic plan fits one and ruins the other.
                        conn.execute("SET plan_cache_mode = force_custom_plan")
                            .await?;
                    }
                    Ok(())
                })
            })
            // A health check before each acquire is one more hand-off to a worker thread, and an
            // embedded database's connection does not drop.
            .test_before_acquire(backend == Backend::Postgres)
            .connect_with(options.clone())
            .await
            .with_context(|| "无法连接数据库".to_string())?;
        Ok(Db {
            pool,
            backend,
            lists: Default::default(),
            contracts: Default::default(),
            write_turn: Default::default(),
            options,
        })
    }

    /// Begins a write transaction (see `WriteTx`). Never call it while holding another
    /// connection of the pool: the turn's holder may be waiting for that connection.
    pub async fn write(&self) -> sqlx::Result<WriteTx> {
        // Writers of this process wait for their turn asleep and without a connection, so
        // readers keep the pool; on PostgreSQL the audit lock then orders the writers of
        // several processes.
        let mut turn = self.write_turn.clone().lock_owned().await;
        let inner = match self.backend {
            Backend::Sqlite => {
                if turn.conn.is_none() {
                    let mut conn = self.options.connect().await?;
                    conn.execute(SQLITE_SETTINGS).await?;
                    turn.conn = Some(conn);
                    turn.open = false;
                }
                let writer = &mut *turn;
                let conn = writer.conn.as_mut().expect("the writer connection");
                if writer.open {
                    // It fails only when SQLite already ended the transaction itself.
                    let _ = conn.execute("ROLLBACK").await;
                    writer.open = false;
                }
                // Marked open before BEGIN is sent: if this request is dropped while BEGIN waits
                // on another process's lock, the worker still runs it, and the next writer of
                // this process must roll it back (a ROLLBACK with nothing open is harmless).
                writer.open = true;
                if let Err(e) = conn.execute("BEGIN IMMEDIATE").await {
                    writer.open = false;
                    if !is_contention(&e) {
                        // A connection that cannot begin is reopened by the next writer.
                        writer.conn = None;
                    }
                    return Err(e);
                }
                WriteInner::Writer(turn)
            }
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                audit::take_turn(&mut tx).await?;
                WriteInner::Pooled(tx, turn)
            }
        };
        Ok(WriteTx { inner: Some(inner) })
    }

    /// Closes the readers' pool and the writer connection (waiting for a write in progress).
    pub async fn close(&self) {
        let writer = self.write_turn.lock().await.conn.take();
        if let Some(conn) = writer {
            let _ = conn.close().await;
        }
        self.pool.close().await;
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&self.pool).await?,
            Backend::Postgres => {
                sqlx::migrate!("migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        let mut tx = self.write().await?;
        if audit::key_missing(&mut tx).await? {
            let path = audit_key::key_path();
            anyhow::bail!(
                "审计日志已用密钥保护，但密钥文件 {} 是本次启动新建的：原密钥缺失。请删除这个新文件，从备份恢复原密钥文件（或用 ZHAOSHANG_AUDIT_KEY_FILE 指向它）后再启动。",
                path.display()
            );
        }
        audit::seal_unchained(&mut tx).await?;
        match audit::seal_with_key(&mut tx).await? {
            audit::Upgrade::Keyed => {}
            audit::Upgrade::Sealed { entries: 0 } => {}
            audit::Upgrade::Sealed { entries } => {
                tracing::warn!(entries, "the audit trail is now sealed with the audit key")
            }
            audit::Upgrade::Refused => tracing::error!(
                "the audit trail is not keyed, and its key was not made by this start: left as it is, for `audit verify` to report"
            ),
            audit::Upgrade::Broken(check) => tracing::error!(
                ?check,
                "the audit trail did not hold before it was keyed: left as it is, for `audit verify` to report"
            ),
        }
        tx.commit().await?;
        Ok(())
    }

    /// Makes identity sequences follow ids written explicitly (bulk demo loads).
    pub async fn resync_sequences(&self) -> anyhow::Result<()> {
        if self.backend == Backend::Postgres {
            for table in [
                "units",
                "users",
                "projects",
                "project_events",
                "audit_log",
                "investors",
                "leads",
                "visits",
                "promotion_events",
                "referrers",
                "imports",
            ] {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// Refreshes planner statistics after a bulk load (PostgreSQL also needs VACUUM for its
    /// visibility map, without which it cannot answer counts from an index alone).
    pub async fn analyze(&self) -> anyhow::Result<()> {
        let sql = match self.backend {
            Backend::Sqlite => "ANALYZE",
            Backend::Postgres => "VACUUM ANALYZE",
        };
        sqlx::query(sql).execute(&self.pool).await?;
        Ok(())
    }
}

/// Every SQLite connection's settings. 8 MiB of page cache per connection (SQLite's default
/// of 2 MiB is too small for indexes over 100k+ rows; lists are answered from memory, so more
/// mostly holds pages no one reads again, and each of the five connections' caches is resident
/// memory); statement journals in memory.
const SQLITE_SETTINGS: &str = "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; \
     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
     PRAGMA cache_size = -8192; PRAGMA temp_store = MEMORY;";

/// `sqlite://data/x.db` → creates the parent folder and asks SQLite to create the file.
fn sqlite_url(url: &str) -> anyhow::Result<String> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    if path != ":memory:"
        && let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("无法创建数据库目录 {}", parent.display()))?;
    }
    Ok(match query {
        Some(q) if q.contains("mode=") => format!("sqlite://{path}?{q}"),
        Some(q) => format!("sqlite://{path}?{q}&mode=rwc"),
        None => format!("sqlite://{path}?mode=rwc"),
    })
}

/// A bind value for SQL assembled at run time (filters), numbered `$1…` in order.
#[derive(Debug, Clone)]
pub enum Bind {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    OptText(Option<String>),
}

/// Collects SQL text and its binds so placeholders stay numbered right.
#[derive(Debug)]
pub struct SqlBuilder {
    pub sql: String,
    pub binds: Vec<Bind>,
    /// SQLite resolves each `$N` by a linear search of the names seen so far, which makes
    /// preparing a statement with many placeholders quadratic; its `?N` form is direct.
    question_marks: bool,
}

impl SqlBuilder {
    /// A builder whose placeholders suit the connection's database.
    pub fn new(conn: &Conn) -> SqlBuilder {
        SqlBuilder {
            sql: String::new(),
            binds: Vec::new(),
            question_marks: conn.backend_name().eq_ignore_ascii_case("sqlite"),
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.question_marks
    }

    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }
    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: Bind) -> &mut Self {
        self.binds.push(value);
        let mark = if self.question_marks { '?' } else { '$' };
        self.sql.push(mark);
        self.sql.push_str(&self.binds.len().to_string());
        self
    }
    /// Appends a fixed key of the program's own (a stage, a currency code…) as an SQL literal.
    /// Only for `'static` keys made of ASCII letters, digits and `_`; never for user input.
    pub fn key_literal(&mut self, key: &'static str) -> &mut Self {
        assert!(
            key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
            "not a plain key: {key}"
        );
        self.sql.push('\'');
        self.sql.push_str(key);
        self.sql.push('\'');
        self
    }

    /// Refers again to the placeholder of an earlier bind (1-based), e.g. one timestamp for
    /// every row of a multi-row insert.
    pub fn placeholder(&mut self, number: usize) -> &mut Self {
        self.sql.push(if self.question_marks { '?' } else { '$' });
        self.sql.push_str(&number.to_string());
        self
    }

    pub fn query(&self) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments> {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(self.sql.clone()));
        for b in &self.binds {
            q = match b {
                Bind::Int(v) => q.bind(*v),
                Bind::OptInt(v) => q.bind(*v),
                Bind::Text(v) => q.bind(v.clone()),
                Bind::OptText(v) => q.bind(v.clone()),
            };
        }
        q
    }
}

/// The current instant as stored (RFC 3339, UTC, seconds).
pub fn now_text() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

pub fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

//! One error type for every use case. User errors carry a Chinese message; server faults keep
//! their detail for the log only.

use crate::domain::validation::Invalid;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", .0.summary())]
    Invalid(Invalid),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// The account is locked after repeated failed sign-ins.
    #[error("{0}")]
    Locked(String),
    /// Too many attempts from one client.
    #[error("{0}")]
    TooManyRequests(String),
    #[error("{0}")]
    Conflict(String),
    /// A record probably already exists: the message and the records it may duplicate.
    #[error("{0}")]
    Duplicate(String, Vec<serde_json::Value>),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        // A safety net behind the domain's text rules: PostgreSQL cannot store NUL in text.
        if let sqlx::Error::Database(db) = &e
            && db.code().as_deref() == Some("22021")
        {
            return Error::Invalid(Invalid::single(
                "input",
                "提交的内容含有数据库无法保存的控制字符（如 NUL），请删除后再提交",
            ));
        }
        Error::Internal(e.into())
    }
}

impl From<Invalid> for Error {
    fn from(e: Invalid) -> Self {
        Error::Invalid(e)
    }
}

impl Error {
    /// Contention the database reported (see `store::is_contention`): the same transaction,
    /// run again, would get past it.
    pub fn is_contention(&self) -> bool {
        match self {
            Error::Internal(inner) => inner
                .downcast_ref::<sqlx::Error>()
                .is_some_and(crate::store::is_contention),
            _ => false,
        }
    }

    /// A server fault as one log line: the error and its causes, no backtrace.
    pub fn one_line(&self) -> String {
        match self {
            Error::Internal(inner) => format!("{inner:#}"),
            other => other.to_string(),
        }
    }

    pub fn unit_not_found() -> Error {
        Error::NotFound("单位不存在".into())
    }
    pub fn account_not_found() -> Error {
        Error::NotFound("账号不存在".into())
    }
    /// A change sent against a version that is no longer the record's: someone else saved
    /// first, and nothing was written. `what` names the record (该项目, 该线索 …).
    pub fn stale(what: &str, current: i64) -> Error {
        Error::Conflict(format!(
            "{what}已被他人修改（当前版本 {current}），您的修改未保存，请刷新后重新核对"
        ))
    }

    pub fn project_not_found() -> Error {
        Error::NotFound("项目不存在，或不在您的管辖范围内".into())
    }
}

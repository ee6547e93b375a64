//! What every JSON handler shares: the body parsed into a problem+json on failure, the
//! version a change must carry, and the answer for an endpoint that does not exist.

use super::error::ApiError;
use crate::domain::validation::Invalid;
use axum::body::Bytes;
use serde::de::DeserializeOwned;

pub(super) type ApiResult<T> = Result<T, ApiError>;

/// The `version` a change must carry (the one it was read at), so no one's edit is lost.
pub(super) fn required_version(version: Option<i64>) -> ApiResult<i64> {
    version.ok_or_else(|| {
        ApiError(
            Invalid::single(
                "version",
                "修改须携带读取时的版本号 version（防止覆盖他人的修改）",
            )
            .into(),
        )
    })
}

/// Parses a JSON body ourselves so a malformed one is a problem+json, not a bare text error.
pub(super) fn parse_body<T: DeserializeOwned>(bytes: &Bytes) -> ApiResult<T> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::bad_request(body_problem(&e)))
}

/// What is wrong with a request body, in the user's words: the JSON library's own sentences
/// (field lists, type names) stay out of answers; the field it names, and where, go in.
fn body_problem(e: &serde_json::Error) -> String {
    let at = format!("（第 {} 行第 {} 列附近）", e.line(), e.column());
    let text = e.to_string();
    // serde names a field between backticks: "unknown field `role`, expected one of …".
    let field = text
        .split('`')
        .nth(1)
        .filter(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            format!("请求体不是有效的 JSON{at}")
        }
        serde_json::error::Category::Io => "请求体无法读取".to_string(),
        serde_json::error::Category::Data => match field {
            Some(f) if text.starts_with("unknown field") => format!("未知字段“{f}”"),
            Some(f) if text.starts_with("missing field") => format!("缺少字段“{f}”"),
            Some(f) if text.starts_with("duplicate field") => format!("字段“{f}”重复出现"),
            _ => format!("字段的类型或取值不对{at}"),
        },
    }
}

pub(super) async fn unknown_endpoint() -> ApiError {
    ApiError(crate::error::Error::NotFound("没有这个接口".into()))
}

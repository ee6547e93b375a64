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
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request(format!("请求体不是有效的 JSON 或字段类型不对：{e}")))
}

pub(super) async fn unknown_endpoint() -> ApiError {
    ApiError(crate::error::Error::NotFound("没有这个接口".into()))
}

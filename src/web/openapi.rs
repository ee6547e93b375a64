//! The JSON API described as OpenAPI 3.1: generated (utoipa) from the handlers' annotations and
//! the request and response types they use, served at `/api/v1/openapi.json`.

use super::error::Problem;
use crate::service::App;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

pub fn api_routes() -> Router<App> {
    Router::new().route("/openapi.json", get(document))
}

async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "招商 Zhaoshang API",
        description = "招商引资全流程：项目、客商库、线索、拜访、招商活动、引荐人、导入、审计与管理。\
            金额为整数元加币种；日期为 YYYY-MM-DD；错误为 application/problem+json，errors 逐项列出字段和规则。"
    ),
    paths(
        super::session::sign_in_api,
        super::session::sign_out_api,
        super::session::change_password_api,
        super::projects::api::list_api,
        super::projects::api::create_api,
        super::projects::api::show_api,
        super::projects::api::patch_api,
        super::projects::api::transition_api,
        super::projects::api::history_api,
        super::projects::api::note_api,
        super::investors::list_api,
        super::investors::create_api,
        super::investors::detail_api,
        super::investors::update_api,
        super::investors::merge_api,
        super::leads::list_api,
        super::leads::submit_api,
        super::leads::detail_api,
        super::leads::update_api,
        super::leads::assign_api,
        super::leads::note_api,
        super::leads::drop_api,
        super::leads::convert_api,
        super::visits::list_api,
        super::visits::record_api,
        super::visits::detail_api,
        super::visits::update_api,
        super::visits::follow_up_api,
        super::events::list_api,
        super::events::record_api,
        super::events::detail_api,
        super::events::update_api,
        super::events::met_api,
        super::events::signed_api,
        super::referrers::list_api,
        super::referrers::create_api,
        super::referrers::detail_api,
        super::referrers::update_api,
        super::referrers::credit_api,
        super::imports::preview_api,
        super::imports::detail_api,
        super::imports::confirm_api,
        super::contracts::contract_api,
        super::contracts::put_contract_api,
        super::contracts::amendment_api,
        super::contracts::funds_api,
        super::contracts::delay_api,
        super::contracts::performance_api,
        super::contracts::batches_api,
        super::contracts::idle_api,
        super::audit::list_api,
        super::admin::list_units,
        super::admin::create_unit,
        super::admin::change_unit,
        super::admin::retire_unit,
        super::admin::list_accounts,
        super::admin::create_account,
        super::admin::assign,
        super::admin::disable,
        super::admin::enable,
        super::admin::reset_password,
        super::admin::unlock
    ),
    modifiers(&BearerToken),
    tags(
        (name = "session", description = "登录、退出、修改密码"),
        (name = "projects", description = "招商项目：录入、修改、阶段变更、进展"),
        (name = "investors", description = "客商库"),
        (name = "leads", description = "招商线索"),
        (name = "visits", description = "拜访记录"),
        (name = "events", description = "招商活动"),
        (name = "referrers", description = "引荐人（以商招商、委托招商）"),
        (name = "imports", description = "Excel 台账导入"),
        (name = "contracts", description = "合同履约：条款、增资、到位资金、延误；三率、四个一批、闲置土地"),
        (name = "audit", description = "审计日志"),
        (name = "admin", description = "单位与账号"),
    )
)]
pub struct ApiDoc;

/// The bearer token `POST /api/v1/session` answers with.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("opaque")
                    .build(),
            ),
        );
    }
}

// The refusals an operation may answer, as problem+json, named once and listed in each
// operation's `responses(...)` after its success (documentation only: never constructed).

/// Signed in, with a role allowed to do this.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum SignedIn {
    /// 未登录或会话已过期
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// 角色无权操作
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
}

/// The record exists and is within the caller's scope.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum Found {
    /// 不存在或不在管辖范围内
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
}

/// What was sent obeys the rules: `errors` names each field and the rule it broke.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum Valid {
    /// 输入有误
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
}

/// The record is still at the version read, and in a state that allows the change.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum Current {
    /// 已被他人修改（version 不符）或状态不允许
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
}

/// A whole list, not paged (units, accounts).
#[derive(Serialize, ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
    pub total: usize,
}

impl<T> Items<T> {
    pub fn of(items: Vec<T>) -> Items<T> {
        Items {
            total: items.len(),
            items,
        }
    }
}

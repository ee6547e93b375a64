//! Contract performance over the JSON API: a signed project's terms, capital increases, funds
//! arrived and delays; the performance report, 四个一批 and idle land.

mod pages;
pub(crate) mod responses;
pub(super) mod views;

pub use pages::routes;

use super::auth::ApiUser;
use super::error::ApiError;
use super::extract::ApiProjectId;
use super::json::parse_body;
use crate::domain::contract::Incentive;
use crate::domain::contract::input::TermsInput;
use crate::domain::money::Money;
use crate::service::App;
use crate::service::contracts::DatedInput;
use crate::web::openapi::{Current, Found, SignedIn, Valid};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use responses::{BatchesResponse, ContractResponse, IdleResponse, PerformanceResponse};
use serde::Deserialize;

type ApiResult<T> = Result<T, ApiError>;

pub fn api_routes() -> Router<App> {
    Router::new()
        .route(
            "/projects/{id}/contract",
            get(contract_api).put(put_contract_api),
        )
        .route("/projects/{id}/amendments", post(amendment_api))
        .route("/projects/{id}/funds", post(funds_api))
        .route("/projects/{id}/delays", post(delay_api))
        .route("/reports/performance", get(performance_api))
        .route("/reports/batches", get(batches_api))
        .route("/land/idle", get(idle_api))
}

/// The terms as sent with `PUT …/contract`.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
struct ContractJson {
    version: Option<i64>,
    /// A supplementary agreement's date; blank: the terms signed on the 正式签约 date.
    effective_from: Option<String>,
    start_deadline: String,
    production_deadline: String,
    intensity_yuan_per_m2: Option<i64>,
    tax_yuan_per_mu: Option<i64>,
    land_area_m2: Option<i64>,
    land_price: Option<Money>,
    incentives: Vec<Incentive>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct AmendmentJson {
    version: Option<i64>,
    #[serde(default)]
    date: String,
    added_investment: Option<Money>,
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct FundsJson {
    version: Option<i64>,
    #[serde(default)]
    date: String,
    amount: Option<Money>,
    #[serde(default)]
    source: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct DelayJson {
    version: Option<i64>,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
}

#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}/contract",
    tag = "contracts",
    operation_id = "contract_detail",
    summary = "A project's contract: terms, capital increases, funds, delays and its standing today",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "合同履约记录", body = ContractResponse), SignedIn, Found),
    security(("bearer" = [])),
)]
async fn contract_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
) -> ApiResult<Json<ContractResponse>> {
    let view = app.contract(&actor, id).await?;
    Ok(Json(ContractResponse::of(view)))
}

#[utoipa::path(
    put,
    path = "/api/v1/projects/{id}/contract",
    tag = "contracts",
    operation_id = "contract_terms",
    summary = "Record the contract's terms (refused before the project entered 正式签约)",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = ContractJson,
    responses((status = 200, description = "合同条款", body = ContractResponse), SignedIn, Found, Valid, Current),
    security(("bearer" = [])),
)]
async fn put_contract_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
    body: Bytes,
) -> ApiResult<Json<ContractResponse>> {
    let sent: ContractJson = parse_body(&body)?;
    let terms = TermsInput {
        start_deadline: sent.start_deadline,
        production_deadline: sent.production_deadline,
        intensity_yuan_per_m2: sent.intensity_yuan_per_m2,
        tax_yuan_per_mu: sent.tax_yuan_per_mu,
        land_area_m2: sent.land_area_m2,
        land_price: sent.land_price,
        incentives: sent.incentives,
    };
    let view = app
        .put_contract(
            &actor,
            id,
            sent.version,
            sent.effective_from.as_deref(),
            &terms,
        )
        .await?;
    Ok(Json(ContractResponse::of(view)))
}

fn created(view: crate::service::contracts::ContractView) -> Response {
    (StatusCode::CREATED, Json(ContractResponse::of(view))).into_response()
}

#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/amendments",
    tag = "contracts",
    operation_id = "contract_amendment",
    summary = "Record a capital increase (增资), dated, in the contract's currency",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = AmendmentJson,
    responses((status = 201, description = "合同履约记录", body = ContractResponse), SignedIn, Found, Valid, Current),
    security(("bearer" = [])),
)]
async fn amendment_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
    body: Bytes,
) -> ApiResult<Response> {
    let sent: AmendmentJson = parse_body(&body)?;
    let input = DatedInput {
        date: &sent.date,
        amount: sent.added_investment,
        text: &sent.reason,
    };
    let view = app
        .add_dated_money(&actor, id, sent.version, &input, true)
        .await?;
    Ok(created(view))
}

#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/funds",
    tag = "contracts",
    operation_id = "contract_funds",
    summary = "Record funds arrived (到位资金), dated, in the contract's currency",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = FundsJson,
    responses((status = 201, description = "合同履约记录", body = ContractResponse), SignedIn, Found, Valid, Current),
    security(("bearer" = [])),
)]
async fn funds_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
    body: Bytes,
) -> ApiResult<Response> {
    let sent: FundsJson = parse_body(&body)?;
    let input = DatedInput {
        date: &sent.date,
        amount: sent.amount,
        text: &sent.source,
    };
    let view = app
        .add_dated_money(&actor, id, sent.version, &input, false)
        .await?;
    Ok(created(view))
}

#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/delays",
    tag = "contracts",
    operation_id = "contract_delay",
    summary = "Record a delay caused by the government or force majeure (extends the start deadline for idle land)",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = DelayJson,
    responses((status = 201, description = "合同履约记录", body = ContractResponse), SignedIn, Found, Valid, Current),
    security(("bearer" = [])),
)]
async fn delay_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
    body: Bytes,
) -> ApiResult<Response> {
    let sent: DelayJson = parse_body(&body)?;
    let view = app
        .add_delay(
            &actor,
            id,
            sent.version,
            (&sent.from, &sent.to, &sent.reason),
        )
        .await?;
    Ok(created(view))
}

/// A report's period and unit, as sent.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
struct ReportQuery {
    /// Performance: first day a signing counts (default: 1 January this year).
    since: Option<String>,
    /// Performance and idle land: the day the figures are as of (default: today).
    as_of: Option<String>,
    /// 四个一批: the period, both days included (default: this year to today).
    from: Option<String>,
    to: Option<String>,
    /// A unit id inside the caller's scope (default: the whole scope).
    unit: Option<String>,
}

impl ReportQuery {
    fn unit(&self) -> ApiResult<Option<i64>> {
        match self
            .unit
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            None => Ok(None),
            Some(u) => u.parse().map(Some).map_err(|_| {
                crate::error::Error::Invalid(crate::domain::validation::Invalid::single(
                    "unit",
                    format!("单位编号“{u}”应为整数"),
                ))
                .into()
            }),
        }
    }
}

fn query(
    q: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<ReportQuery> {
    q.map(|Query(q)| q)
        .map_err(|e| ApiError::bad_request(format!("查询参数不对：{e}")))
}

#[utoipa::path(
    get,
    path = "/api/v1/reports/performance",
    tag = "contracts",
    operation_id = "report_performance",
    summary = "合同履约率, 项目开工率 and 资金到位率 as of a date, with the projects behind each",
    params(ReportQuery),
    responses((status = 200, description = "三率", body = PerformanceResponse), SignedIn, Valid),
    security(("bearer" = [])),
)]
async fn performance_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    q: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<PerformanceResponse>> {
    let q = query(q)?;
    let report = app
        .performance_report(&actor, (q.since.as_deref(), q.as_of.as_deref()), q.unit()?)
        .await?;
    Ok(Json(report.into()))
}

#[utoipa::path(
    get,
    path = "/api/v1/reports/batches",
    tag = "contracts",
    operation_id = "report_batches",
    summary = "四个一批 for a period, each project counted once",
    params(ReportQuery),
    responses((status = 200, description = "四个一批", body = BatchesResponse), SignedIn, Valid),
    security(("bearer" = [])),
)]
async fn batches_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    q: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<BatchesResponse>> {
    let q = query(q)?;
    let (b, from, to) = app
        .batches_report(&actor, (q.from.as_deref(), q.to.as_deref()), q.unit()?)
        .await?;
    Ok(Json(BatchesResponse::of(b, from, to)))
}

#[utoipa::path(
    get,
    path = "/api/v1/land/idle",
    tag = "contracts",
    operation_id = "land_idle",
    summary = "Granted land past its start deadline and not built (逾期未开工, 闲置, 可无偿收回)",
    params(ReportQuery),
    responses((status = 200, description = "闲置土地", body = IdleResponse), SignedIn, Valid),
    security(("bearer" = [])),
)]
async fn idle_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    q: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<IdleResponse>> {
    let q = query(q)?;
    let (as_of, items) = app
        .idle_land_report(&actor, q.as_of.as_deref(), q.unit()?)
        .await?;
    Ok(Json(IdleResponse::of(items, as_of)))
}

//! Excel import: upload and preview, confirm, the rejected rows as a sheet.

pub(super) mod views;

use super::auth::{ApiUser, PageUser};
use super::error::{ApiError, PageError};
use super::extract::{ApiImportId, PageImportId};
use super::views::{ImportFormPage, ImportPage, Layout};
use crate::domain::import::RowStatus;
use crate::error::Error;
use crate::service::App;
use crate::service::imports::{ConfirmChoice, ImportView, RowsQuery};
use crate::web::openapi::{Current, Found, SignedIn, Valid};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;

type ApiResult<T> = Result<T, ApiError>;

/// The uploaded workbook, as the request body (documentation only).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
struct XlsxFile(Vec<u8>);

/// Uploads may be larger than forms; the service applies the configured limit.
const UPLOAD_LIMIT: usize = 64 * 1024 * 1024;

pub fn api_routes() -> Router<App> {
    Router::new()
        .route(
            "/imports",
            post(preview_api).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/imports/{id}", get(detail_api))
        .route("/imports/{id}/confirm", post(confirm_api))
}

pub fn routes() -> Router<App> {
    Router::new()
        .route(
            "/imports",
            post(preview_page).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/imports/new", get(new_page))
        .route("/imports/{id}", get(detail_page))
        .route("/imports/{id}/confirm", post(confirm_page))
        .route("/imports/{id}/rejected.xlsx", get(rejected_sheet))
}

// ---- JSON API ----

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
struct UploadQuery {
    kind: String,
    file_name: String,
}

/// The file is the request body (`Content-Type` of an .xlsx); `kind` and `file_name` are in
/// the query string.
#[utoipa::path(
    post,
    path = "/api/v1/imports",
    tag = "imports",
    operation_id = "imports_preview",
    summary = "Upload an .xlsx ledger: every row checked, nothing written yet",
    request_body(content = XlsxFile, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "the .xlsx file; ?kind=investors|leads&file_name=…"),
    params(UploadQuery),
    responses(
        (status = 201, description = "预览：可导入的行数与未通过的行及原因", body = ImportView),
        SignedIn,
        Valid,
    ),
    security(("bearer" = [])),
)]
async fn preview_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    Query(q): Query<UploadQuery>,
    body: Bytes,
) -> ApiResult<Response> {
    let name = if q.file_name.trim().is_empty() {
        "upload.xlsx"
    } else {
        q.file_name.trim()
    };
    let view = app.preview_import(&actor, &q.kind, name, &body).await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/imports/{id}",
    tag = "imports",
    operation_id = "imports_detail",
    summary = "One import preview",
    params(("id" = i64, Path, description = "记录编号"), RowsQuery),
    responses(
        (status = 200, description = "导入预览：一页行（每页最多 1000 行）", body = ImportView),
        SignedIn,
        Found,
        Valid,
    ),
    security(("bearer" = [])),
)]
async fn detail_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiImportId(id): ApiImportId,
    q: Result<Query<RowsQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<ImportView>> {
    let Query(q) = q.map_err(|e| ApiError::bad_request(format!("查询参数不对：{e}")))?;
    Ok(Json(app.get_import(&actor, id, &q).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/imports/{id}/confirm",
    tag = "imports",
    operation_id = "imports_confirm",
    summary = "Import the previewed valid rows (and the probable duplicates confirmed) in one transaction",
    params(("id" = i64, Path, description = "记录编号")),
    request_body(content = ConfirmChoice, description = "可省略：不导入疑似重复的行"),
    responses(
        (status = 200, description = "导入结果", body = ImportView),
        SignedIn,
        Found,
        Valid,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn confirm_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiImportId(id): ApiImportId,
    body: Bytes,
) -> ApiResult<Json<ImportView>> {
    let choice: ConfirmChoice = if body.iter().all(u8::is_ascii_whitespace) {
        ConfirmChoice::default()
    } else {
        super::json::parse_body(&body)?
    };
    Ok(Json(app.confirm_import(&actor, id, &choice).await?))
}

// ---- Pages ----

#[derive(Deserialize, Default)]
#[serde(default)]
struct KindQuery {
    kind: String,
}

async fn new_page(
    State(app): State<App>,
    user: PageUser,
    Query(q): Query<KindQuery>,
) -> Result<Response, PageError> {
    app.may_import(&user.actor)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    Ok(ImportFormPage::build(Layout::of(&user.actor), &q.kind, None).into_response())
}

async fn preview_page(
    State(app): State<App>,
    user: PageUser,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let layout = || Layout::of(&user.actor);
    app.may_import(&user.actor)
        .await
        .map_err(|e| PageError::App(e, Some(layout())))?;
    let Ok(mut form) = form else {
        let why = "请在上传表单中选择 .xlsx 文件后提交".to_string();
        let page = ImportFormPage::build(layout(), "", Some(why));
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    };
    let mut kind = String::new();
    let mut file_name = String::new();
    let mut bytes = Vec::new();
    // The form token comes first; nothing after it is read unless it matches.
    let mut token_checked = false;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) if !token_checked => return Ok(super::csrf::refused()),
            Ok(None) => break,
            Err(e) => {
                let page = ImportFormPage::build(layout(), &kind, Some(format!("上传未完成：{e}")));
                return Ok((StatusCode::BAD_REQUEST, page).into_response());
            }
        };
        if !token_checked {
            let sent = match field.name() {
                Some("csrf") => field.text().await.unwrap_or_default(),
                _ => String::new(),
            };
            if sent.is_empty() || sent != user.actor.form_token {
                return Ok(super::csrf::refused());
            }
            token_checked = true;
            continue;
        }
        match field.name() {
            Some("kind") => kind = field.text().await.unwrap_or_default(),
            Some("file") => {
                file_name = field.file_name().unwrap_or("upload.xlsx").to_string();
                match field.bytes().await {
                    Ok(b) => bytes = b.to_vec(),
                    Err(e) => {
                        let why = format!("文件过大或上传中断：{e}");
                        let page = ImportFormPage::build(layout(), &kind, Some(why));
                        return Ok((StatusCode::PAYLOAD_TOO_LARGE, page).into_response());
                    }
                }
            }
            _ => {}
        }
    }
    match app
        .preview_import(&user.actor, &kind, &file_name, &bytes)
        .await
    {
        Ok(view) => Ok(Redirect::to(&format!("/imports/{}", view.id)).into_response()),
        Err(Error::Invalid(e)) => {
            let page = ImportFormPage::build(layout(), &kind, Some(e.summary()));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError::App(e, Some(layout()))),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DetailQuery {
    msg: Option<String>,
    status: Option<String>,
    page: Option<i64>,
}

/// Rows a page shows at a time (the API gives up to 1,000).
const PAGE_ROWS: i64 = 100;

async fn detail_page(
    State(app): State<App>,
    user: PageUser,
    PageImportId(id): PageImportId,
    q: Result<Query<DetailQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    // A mangled address shows the first page rather than an error.
    let Query(q) = q.unwrap_or_default();
    let rows = RowsQuery {
        status: q.status.filter(|s| RowStatus::parse(s).is_some()),
        page: q.page,
        per_page: Some(PAGE_ROWS),
    };
    let view = app
        .get_import(&user.actor, id, &rows)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    let flash = (q.msg.as_deref() == Some("imported"))
        .then(|| format!("已导入 {} 条。", view.rows_imported.unwrap_or_default()));
    Ok(ImportPage::build(Layout::of(&user.actor), view, flash, None).into_response())
}

/// The confirm form as posted: the form token and the probable duplicates ticked (`dup`), or
/// all of them (`all_duplicates`).
fn choice_from_form(form: &[(String, String)]) -> ConfirmChoice {
    ConfirmChoice {
        confirm_duplicates: form
            .iter()
            .any(|(k, v)| k == "all_duplicates" && !v.is_empty()),
        duplicate_rows: form
            .iter()
            .filter(|(k, _)| k == "dup")
            .filter_map(|(_, v)| v.trim().parse().ok())
            .collect(),
    }
}

async fn confirm_page(
    State(app): State<App>,
    user: PageUser,
    PageImportId(id): PageImportId,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let layout = || Layout::of(&user.actor);
    let choice = choice_from_form(&form);
    let (status, message) = match app.confirm_import(&user.actor, id, &choice).await {
        Ok(_) => return Ok(Redirect::to(&format!("/imports/{id}?msg=imported")).into_response()),
        Err(Error::Conflict(m)) => (StatusCode::CONFLICT, m),
        Err(Error::Invalid(i)) => (StatusCode::UNPROCESSABLE_ENTITY, i.summary()),
        Err(e) => return Err(PageError::App(e, Some(layout()))),
    };
    let rows = RowsQuery {
        per_page: Some(PAGE_ROWS),
        ..RowsQuery::default()
    };
    let view = app
        .get_import(&user.actor, id, &rows)
        .await
        .map_err(|e| PageError::App(e, Some(layout())))?;
    let page = ImportPage::build(layout(), view, None, Some(message));
    Ok((status, page).into_response())
}

async fn rejected_sheet(
    State(app): State<App>,
    user: PageUser,
    PageImportId(id): PageImportId,
) -> Result<Response, PageError> {
    let bytes = app
        .rejected_sheet(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    Ok(super::exports::xlsx(
        &format!("未导入的行-{id}.xlsx"),
        bytes,
    ))
}

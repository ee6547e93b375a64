//! The auditor's screens and API over the audit trail: filter, page, export.

pub(super) mod responses;
pub(super) mod views;

use super::auth::{ApiUser, PageUser};
use super::error::{ApiError, PageError};
use super::views::{AuditListPage, AuditRowView, Layout};
use crate::domain::dates::shanghai_minute;
use crate::domain::glossary::{AUDIT_ACTIONS, AUDIT_ENTITIES, audit_label};
use crate::domain::records::audit::LoggedEntry;
use crate::error::Error;
use crate::service::audit::AuditParams;
use crate::service::{App, Page};
use crate::web::openapi::{SignedIn, Valid};
use axum::extract::{Query, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use responses::AuditEntryResponse;

pub fn page_routes() -> Router<App> {
    Router::new()
        .route("/audit", get(list_page))
        .route("/audit.csv", get(export_csv))
}

pub fn api_routes() -> Router<App> {
    Router::new().route("/audit", get(list_api))
}

fn query_string(params: &AuditParams, page: Option<i64>) -> String {
    let mut pairs: Vec<(&str, String)> = [
        ("actor", &params.actor),
        ("entity", &params.entity),
        ("action", &params.action),
        ("from", &params.from),
        ("to", &params.to),
    ]
    .into_iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| (k, v.trim().to_string()))
    .collect();
    if let Some(p) = page {
        pairs.push(("page", p.to_string()));
    }
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

async fn list_page(
    State(app): State<App>,
    user: PageUser,
    Query(params): Query<AuditParams>,
) -> Result<Response, PageError> {
    let layout = Layout::of(&user.actor);
    match app.audit_entries(&user.actor, &params, false).await {
        Ok(page) => {
            let pages = super::views::pages_of(page.total, page.per_page);
            let href = |p: i64| format!("/audit?{}", query_string(&params, Some(p)));
            if page.page > pages {
                return Ok(axum::response::Redirect::to(&href(pages)).into_response());
            }
            Ok(AuditListPage {
                layout,
                rows: page.items.iter().map(AuditRowView::of).collect(),
                total: page.total,
                page: page.page,
                pages,
                prev_href: (page.page > 1).then(|| href(page.page - 1)),
                next_href: (page.page < pages).then(|| href(page.page + 1)),
                export_href: format!("/audit.csv?{}", query_string(&params, None)),
                params,
                errors: Default::default(),
            }
            .into_response())
        }
        Err(Error::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            AuditListPage {
                layout,
                rows: Vec::new(),
                total: 0,
                page: 1,
                pages: 1,
                prev_href: None,
                next_href: None,
                export_href: "/audit.csv".into(),
                params,
                errors,
            },
        )
            .into_response()),
        Err(e) => Err(PageError::App(e, Some(layout))),
    }
}

fn csv_of(entries: &[LoggedEntry]) -> String {
    // A byte-order mark, so that Excel opens the Chinese text as UTF-8.
    let mut out = String::from(
        "\u{feff}编号,时间（北京时间）,账号,单位,操作,对象,对象编号,客户端地址,修改前,修改后\r\n",
    );
    let json =
        |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
    for e in entries {
        let fields = [
            e.id.to_string(),
            shanghai_minute(&e.at),
            e.actor_login.clone().unwrap_or_default(),
            e.actor_unit.clone().unwrap_or_default(),
            audit_label(&AUDIT_ACTIONS, &e.action).to_string(),
            audit_label(&AUDIT_ENTITIES, &e.entity).to_string(),
            e.entity_id.clone().unwrap_or_default(),
            e.client_addr.clone().unwrap_or_default(),
            json(&e.before),
            json(&e.after),
        ];
        let line: Vec<String> = fields.iter().map(|f| crate::sheet::csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

async fn export_csv(
    State(app): State<App>,
    user: PageUser,
    RawQuery(query): RawQuery,
    Query(params): Query<AuditParams>,
) -> Result<Response, PageError> {
    let back = match query {
        Some(q) if !q.is_empty() => format!("/audit?{q}"),
        _ => "/audit".to_string(),
    };
    let page = app
        .audit_entries(&user.actor, &params, true)
        .await
        .map_err(|e| PageError::Back(e, Layout::of(&user.actor), (back, "返回审计日志")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit-log.csv\"",
            ),
        ],
        csv_of(&page.items),
    )
        .into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "audit",
    operation_id = "audit_list",
    summary = "The audit trail (auditors only), filtered and paged",
    params(crate::service::audit::AuditParams),
    responses(
        (status = 200, description = "一页审计日志", body = Page<AuditEntryResponse>),
        SignedIn,
        Valid,
    ),
    security(("bearer" = [])),
)]
async fn list_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    Query(params): Query<AuditParams>,
) -> Result<Json<Page<AuditEntryResponse>>, ApiError> {
    let page = app.audit_entries(&actor, &params, false).await?;
    Ok(Json(page.map(AuditEntryResponse::from)))
}

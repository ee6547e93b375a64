//! Lists as sheets: the list's own filters in the query, the file named in Chinese.

use super::auth::PageUser;
use super::error::PageError;
use super::views::Layout;
use crate::service::App;
use axum::Router;
use axum::extract::{Query, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/investors.xlsx", get(export_investors))
        .route("/leads.xlsx", get(export_leads))
        .route("/projects.xlsx", get(export_projects))
}

pub(super) fn xlsx(file_name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                // The ASCII name for old clients, the Chinese one (RFC 5987) for the rest.
                format!(
                    "attachment; filename=\"export.xlsx\"; filename*=UTF-8''{}",
                    percent(file_name)
                ),
            ),
        ],
        bytes,
    )
        .into_response()
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Where a refused export sends the user back to: the same list, filters kept.
fn back(list: &str, label: &'static str, query: Option<String>) -> (String, &'static str) {
    match query {
        Some(q) if !q.is_empty() => (format!("{list}?{q}"), label),
        _ => (list.to_string(), label),
    }
}

async fn export_investors(
    State(app): State<App>,
    user: PageUser,
    RawQuery(query): RawQuery,
    Query(params): Query<crate::service::investors::InvestorParams>,
) -> Result<Response, PageError> {
    let bytes = app
        .export_investors(&user.actor, &params)
        .await
        .map_err(|e| {
            PageError::Back(
                e,
                Layout::of(&user.actor),
                back("/investors", "返回客商库", query),
            )
        })?;
    Ok(xlsx("客商库.xlsx", bytes))
}

async fn export_leads(
    State(app): State<App>,
    user: PageUser,
    RawQuery(query): RawQuery,
    Query(params): Query<crate::service::leads::LeadParams>,
) -> Result<Response, PageError> {
    let bytes = app.export_leads(&user.actor, &params).await.map_err(|e| {
        PageError::Back(
            e,
            Layout::of(&user.actor),
            back("/leads", "返回线索列表", query),
        )
    })?;
    Ok(xlsx("招商线索.xlsx", bytes))
}

async fn export_projects(
    State(app): State<App>,
    user: PageUser,
    RawQuery(query): RawQuery,
    Query(params): Query<crate::service::projects::ListParams>,
) -> Result<Response, PageError> {
    let bytes = app
        .export_projects(&user.actor, &params)
        .await
        .map_err(|e| {
            PageError::Back(
                e,
                Layout::of(&user.actor),
                back("/projects", "返回项目库", query),
            )
        })?;
    Ok(xlsx("招商项目.xlsx", bytes))
}

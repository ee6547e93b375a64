//! HTTP: server-rendered pages and the JSON API. Thin: parse, call a service, render.

mod admin;
mod audit;
mod auth;
mod contracts;
mod csrf;
mod error;
mod events;
mod exports;
mod extract;
mod home;
mod imports;
mod investors;
mod json;
mod leads;
mod openapi;
mod projects;
mod referrers;
mod responses;
mod session;
mod views;
mod visits;

use crate::service::App;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;

pub use auth::SESSION_COOKIE;

/// The whole application as a router (shared by `serve`, the tests and the benchmarks).
pub fn router(app: App) -> Router {
    let security = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
    ];
    let mut router = Router::new()
        .route("/healthz", get(healthz))
        .route("/static/app.css", get(stylesheet))
        .merge(session::routes())
        .merge(home::routes())
        .merge(projects::routes())
        .merge(audit::page_routes())
        .merge(admin::pages::routes())
        .merge(investors::routes())
        .merge(leads::routes())
        .merge(contracts::routes())
        .merge(visits::routes())
        .merge(events::routes())
        .merge(referrers::routes())
        .merge(imports::routes())
        .merge(exports::routes())
        .nest(
            "/api/v1",
            session::api_routes()
                .merge(openapi::api_routes())
                .merge(projects::api_routes())
                .merge(audit::api_routes())
                .merge(admin::api_routes())
                .merge(investors::api_routes())
                .merge(leads::api_routes())
                .merge(visits::api_routes())
                .merge(events::api_routes())
                .merge(referrers::api_routes())
                .merge(imports::api_routes())
                .merge(contracts::api_routes())
                .fallback(json::unknown_endpoint),
        )
        .fallback(error::not_found_page)
        .layer(axum::middleware::from_fn(csrf::check))
        .layer(axum::middleware::from_fn(views::remember_path))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            refusals_recorded,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            responses::rules,
        ))
        .with_state(app);
    for (name, value) in security {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router
}

/// Records the refusals a request met once it has been served (see `service::refusals`).
async fn refusals_recorded(
    axum::extract::State(app): axum::extract::State<App>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let api = request.uri().path().starts_with("/api/");
    match app.recording_refusals(next.run(request)).await {
        Ok(response) => response,
        Err(e) if api => error::ApiError(e).into_response(),
        Err(e) => error::PageError::from(e).into_response(),
    }
}

async fn healthz(axum::extract::State(app): axum::extract::State<App>) -> impl IntoResponse {
    match app.database_answers().await {
        Ok(()) => (axum::http::StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e.one_line(), "health check failed");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "database unavailable",
            )
        }
    }
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
}

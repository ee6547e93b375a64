//! Each role's start page at `/`, and 我的工作 at `/work` for officers and leaders.

pub(super) mod views;

use super::auth::PageUser;
use super::error::PageError;
use super::views::Layout;
use crate::service::App;
use crate::service::home::Start;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use views::{DepartmentStartPage, EnterpriseStartPage, LeaderStartPage, MyWorkPage};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/", get(start_page))
        .route("/work", get(work_page))
}

async fn start_page(State(app): State<App>, user: PageUser) -> Result<Response, PageError> {
    let actor = &user.actor;
    // The administrators and the auditor have pages of their own, never a business page.
    if !actor.role.reads_projects() {
        return Ok(Redirect::to(super::session::home_of(actor)).into_response());
    }
    let layout = Layout::of(actor);
    let today = app.today();
    let start = app
        .start_page(actor)
        .await
        .map_err(|e| PageError::App(e, Some(layout.clone())))?;
    Ok(match start {
        Start::Leader(figures, work) => {
            LeaderStartPage::of(layout, *figures, *work, &app.config).into_response()
        }
        Start::Officer(work) => MyWorkPage::of(layout, *work, today, &app.config).into_response(),
        Start::Department(waiting) => {
            DepartmentStartPage::of(layout, waiting, today).into_response()
        }
        Start::Enterprise(own) => EnterpriseStartPage::of(layout, own).into_response(),
    })
}

/// 我的工作, for the two roles that carry projects.
async fn work_page(State(app): State<App>, user: PageUser) -> Result<Response, PageError> {
    let actor = &user.actor;
    let layout = Layout::of(actor);
    let work = app
        .my_work_page(actor)
        .await
        .map_err(|e| PageError::App(e, Some(layout.clone())))?;
    Ok(MyWorkPage::of(layout, work, app.today(), &app.config).into_response())
}

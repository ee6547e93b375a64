//! Projects: the list, the form, the record page with its stage changes and progress notes
//! (`pages`), and the same use cases as JSON (`api`).

pub(super) mod api;
mod pages;
pub(super) mod responses;
pub(super) mod views;

use crate::service::App;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/projects", get(pages::list).post(pages::create))
        .route("/projects/new", get(pages::new_form))
        .route("/projects/{id}", get(pages::detail).post(pages::update))
        .route("/projects/{id}/edit", get(pages::edit_form))
        .route("/projects/{id}/transitions", post(pages::transition))
        .route("/projects/{id}/notes", post(pages::add_note))
}

pub fn api_routes() -> Router<App> {
    Router::new()
        .route("/projects", get(api::list_api).post(api::create_api))
        .route("/projects/{id}", get(api::show_api).patch(api::patch_api))
        .route("/projects/{id}/transitions", post(api::transition_api))
        .route("/projects/{id}/history", get(api::history_api))
        // The name the history had first, kept for clients written against it.
        .route("/projects/{id}/events", get(api::history_api))
        .route("/projects/{id}/notes", post(api::note_api))
}

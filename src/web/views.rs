//! Template data: one struct per page, plus the display strings the templates show.

use crate::domain::industry::DIVISIONS;
use crate::domain::money::Currency;
use crate::domain::user::Actor;
use crate::domain::validation::Invalid;
use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};

pub use super::admin::views::*;
pub use super::audit::views::*;
pub use super::events::views::*;
pub use super::imports::views::*;
pub use super::investors::views::*;
pub use super::leads::views::*;
pub use super::projects::views::*;
pub use super::referrers::views::*;
pub use super::visits::views::*;

/// What every page's frame shows.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub signed_in: bool,
    pub user_name: String,
    pub role_label: String,
    /// Carried by every form as `csrf` (see `web::csrf`).
    pub csrf: String,
    /// Shows the business menu (the 三员 administrators read no business data).
    pub business: bool,
    /// Shows the entry forms (officers and leaders).
    pub writes: bool,
    /// Shows visits (staff of the units; not enterprises).
    pub visits: bool,
    /// Staff of the units (not an enterprise): sees the office's own fields and filters —
    /// 包联领导, 引荐人, 无进展天数, units, 四个一批.
    pub staff: bool,
    /// Shows the audit trail.
    pub auditor: bool,
    /// Shows the units and accounts (system and security administrators).
    pub administrator: bool,
    /// The path of the page being shown, to mark the current menu item.
    pub path: String,
}

tokio::task_local! {
    /// The path of the request being answered (set by `remember_path`), for the menu.
    static PAGE_PATH: String;
}

/// Middleware: keeps the request's path where the page frame can read it.
pub async fn remember_path(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path().to_string();
    PAGE_PATH.scope(path, next.run(request)).await
}

impl Layout {
    /// Whether the menu item leading to `item` is the page shown (or a page below it; the
    /// entry form of projects is an item of its own).
    pub fn at(&self, item: &str) -> bool {
        let p = self.path.as_str();
        p == item
            || (p.starts_with(&format!("{item}/"))
                && !(item == "/projects" && p == "/projects/new"))
    }

    pub fn of(actor: &Actor) -> Layout {
        Layout {
            path: PAGE_PATH.try_with(String::clone).unwrap_or_default(),
            signed_in: true,
            user_name: actor.name.clone(),
            role_label: actor.role.label().to_string(),
            csrf: actor.form_token.clone(),
            business: actor.role.reads_projects(),
            writes: actor.role.writes_projects(),
            visits: actor.role.is_staff(),
            staff: actor.role.is_staff(),
            auditor: actor.role == crate::domain::user::Role::Auditor,
            administrator: matches!(
                actor.role,
                crate::domain::user::Role::Sysadmin | crate::domain::user::Role::Secadmin
            ),
        }
    }
}

/// `path` with the non-empty (trimmed) `pairs` as its query string, and `page` when past
/// the first: the links of filtered lists, their pages and their exports.
pub fn link(path: &str, pairs: &[(&str, &str)], page: i64) -> String {
    let page = page.to_string();
    let mut kept: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (*k, v.trim()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    if page != "1" && page != "0" {
        kept.push(("page", &page));
    }
    match serde_urlencoded::to_string(kept).unwrap_or_default() {
        q if q.is_empty() => path.to_string(),
        q => format!("{path}?{q}"),
    }
}

/// How many pages `total` rows fill, at least one.
pub fn pages_of(total: i64, per_page: i64) -> i64 {
    ((total + per_page - 1) / per_page.max(1)).max(1)
}

/// A filtered list as its page shows it: the rows of this page, the pager, and why the filters
/// were refused if they were (the list is then empty and the page answers 422).
pub struct Listing<R> {
    pub rows: Vec<R>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub error: Option<String>,
    /// Where to go when the page asked for lies past the end (`?page=99` of 3): the last page.
    pub last_href: Option<String>,
}

impl<R> Listing<R> {
    /// The page of a list from what the service `found`: each item shown as `row`, each page
    /// linked by `href`. Refused filters become the message; any other error is passed on.
    pub fn of<T>(
        found: crate::error::Result<crate::service::Page<T>>,
        row: impl Fn(T) -> R,
        href: impl Fn(i64) -> String,
    ) -> crate::error::Result<Listing<R>> {
        let page = match found {
            Ok(page) => page,
            Err(crate::error::Error::Invalid(e)) => {
                return Ok(Listing {
                    rows: Vec::new(),
                    total: 0,
                    page: 1,
                    pages: 1,
                    prev_href: None,
                    next_href: None,
                    error: Some(e.summary()),
                    last_href: None,
                });
            }
            Err(e) => return Err(e),
        };
        let pages = pages_of(page.total, page.per_page);
        let current = page.page;
        Ok(Listing {
            rows: page.items.into_iter().map(row).collect(),
            total: page.total,
            page: current,
            pages,
            prev_href: (current > 1).then(|| href(current - 1)),
            next_href: (current < pages).then(|| href(current + 1)),
            error: None,
            last_href: (current > pages).then(|| href(pages)),
        })
    }

    /// A page past the end goes to the last page rather than showing "第 99 / 3 页".
    pub fn past_end(&self) -> Option<Response> {
        self.last_href
            .as_ref()
            .map(|h| axum::response::Redirect::to(h).into_response())
    }

    pub fn status(&self) -> axum::http::StatusCode {
        if self.error.is_some() {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        } else {
            axum::http::StatusCode::OK
        }
    }
}

/// One `<option>`.
#[derive(Debug, Clone)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub fn opts(items: impl IntoIterator<Item = (String, String)>, current: &str) -> Vec<Opt> {
    items
        .into_iter()
        .map(|(value, label)| Opt {
            selected: value == current,
            value,
            label,
        })
        .collect()
}

/// Options under a heading (`<optgroup>`).
pub struct OptGroup {
    pub label: String,
    pub options: Vec<Opt>,
}

/// The industry choice: 大类 grouped by 门类, those a park attracts first; a code chosen
/// before that the choice no longer offers is kept, in a group of its own.
pub fn industry_opts(current: &str) -> Vec<OptGroup> {
    let current = current.trim();
    let mut groups: Vec<OptGroup> = crate::domain::industry::divisions_for_choice()
        .into_iter()
        .map(|(section, divisions)| OptGroup {
            label: section.to_string(),
            options: opts(
                divisions
                    .iter()
                    .map(|(c, n)| (c.to_string(), format!("{c} {n}"))),
                current,
            ),
        })
        .collect();
    if !current.is_empty() && !groups.iter().any(|g| g.options.iter().any(|o| o.selected)) {
        groups.push(OptGroup {
            label: "其他".into(),
            options: opts(
                DIVISIONS
                    .iter()
                    .filter(|(c, _, _)| *c == current)
                    .map(|(c, n, _)| (c.to_string(), format!("{c} {n}"))),
                current,
            ),
        });
    }
    groups
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub title: &'static str,
    pub detail: String,
    pub back_href: String,
    pub back_label: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub layout: Layout,
    pub login: String,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/password.html")]
pub struct PasswordPage {
    pub layout: Layout,
    /// Signed in with a one-time password, so sent here.
    pub forced: bool,
    pub errors: Invalid,
}

impl PasswordPage {
    /// The message for a field, or "".
    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }
}

pub(super) fn currency_opts(current: &str) -> Vec<Opt> {
    opts(
        [Currency::Cny, Currency::Usd]
            .iter()
            .map(|c| (c.code().into(), c.wan_label().into())),
        if current.is_empty() { "CNY" } else { current },
    )
}

/// A record changed on a form: where the form posts, the version it was read at (so two
/// people changing it at once cannot overwrite each other unseen), and why a save was refused.
pub struct Editing {
    pub id: i64,
    pub version: i64,
    pub conflict: Option<String>,
}

/// A save from a page form that the rules refused (422, messages by field) or that came too
/// late (409, someone else's change): the form is shown again with what was typed.
pub struct FormRefusal {
    pub status: axum::http::StatusCode,
    pub errors: Invalid,
    pub conflict: Option<String>,
}

/// What a save from a page form came to.
pub enum Saved<T> {
    Done(T),
    /// Back to the form, with what was typed.
    Refused(FormRefusal),
    /// Anything else: an error page.
    Failed(super::error::PageError),
}

impl<T> Saved<T> {
    pub fn sort(outcome: crate::error::Result<T>, layout: &Layout) -> Saved<T> {
        use crate::error::Error;
        use axum::http::StatusCode;
        match outcome {
            Ok(done) => Saved::Done(done),
            Err(Error::Invalid(errors)) => Saved::Refused(FormRefusal {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                conflict: None,
            }),
            Err(Error::Conflict(m)) => Saved::Refused(FormRefusal {
                status: StatusCode::CONFLICT,
                errors: Invalid::default(),
                conflict: Some(m),
            }),
            Err(e) => Saved::Failed(super::error::PageError::App(e, Some(layout.clone()))),
        }
    }
}

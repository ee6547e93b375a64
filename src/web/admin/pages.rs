//! The administrators' page: the unit tree and the accounts, with the forms of the system
//! administrator (units, accounts, passwords) and of the security administrator (roles, units,
//! unlocking). The service decides who may do what; a refused form comes back with what was
//! typed and the message beside its field.

use crate::domain::glossary::unit_state_label;
use crate::domain::records::unit::Unit;
use crate::domain::user::Role;
use crate::domain::validation::Invalid;
use crate::error::Error;
use crate::service::App;
use crate::service::admin::AccountView;
use crate::web::auth::PageUser;
use crate::web::error::PageError;
use crate::web::extract::{PageUnitId, PageUserId};
use crate::web::views::{
    AdminAccountRow, AdminForm, AdminPage, AdminUnitRow, Layout, OneTimePasswordPage, Opt, opts,
};
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/admin", get(admin_page))
        .route("/admin/units", post(create_unit))
        .route("/admin/units/{id}", post(change_unit))
        .route("/admin/units/{id}/retire", post(retire_unit))
        .route("/admin/users", post(create_account))
        .route("/admin/users/{id}/assign", post(assign))
        .route("/admin/users/{id}/disable", post(disable))
        .route("/admin/users/{id}/enable", post(enable))
        .route("/admin/users/{id}/reset-password", post(reset_password))
        .route("/admin/users/{id}/unlock", post(unlock))
}

/// What the refused form held, to be shown again as typed.
#[derive(Default)]
struct Typed {
    form: AdminForm,
    code: String,
    name: String,
    parent: String,
    login: String,
    role: String,
    unit: String,
    enterprise_credit_code: String,
}

/// The outcome to show after a refused action.
struct Refusal {
    typed: Typed,
    errors: Invalid,
    problem: Option<String>,
    status: StatusCode,
}

fn flash_text(key: Option<&str>) -> Option<String> {
    let text = match key? {
        "unit_created" => "单位已新建。",
        "unit_saved" => "单位已保存。",
        "unit_retired" => "单位已撤销。",
        "disabled" => "账号已停用，其登录已全部失效。",
        "enabled" => "账号已启用。",
        "assigned" => "角色和单位已调整，此账号需重新登录。",
        "unlocked" => "账号已解锁。",
        _ => return None,
    };
    Some(text.to_string())
}

#[derive(Deserialize, Default)]
struct PageQuery {
    msg: Option<String>,
}

async fn admin_page(
    State(app): State<App>,
    user: PageUser,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    render(&app, &user, flash_text(q.msg.as_deref()), None).await
}

/// A unit as a choice: indented by depth so the tree shows in a plain `<select>`.
fn unit_choice(u: &Unit) -> (String, String) {
    (
        u.code.clone(),
        format!("{}{}", "\u{3000}".repeat(u.depth()), u.name),
    )
}

fn with_placeholder(label: &str, mut options: Vec<Opt>) -> Vec<Opt> {
    let selected = !options.iter().any(|o| o.selected);
    options.insert(
        0,
        Opt {
            value: String::new(),
            label: label.to_string(),
            selected,
        },
    );
    options
}

async fn render(
    app: &App,
    user: &PageUser,
    flash: Option<String>,
    refusal: Option<Refusal>,
) -> Result<Response, PageError> {
    let actor = &user.actor;
    let layout = Layout::of(actor);
    let fail = |e| PageError::App(e, Some(layout.clone()));
    let units = app.admin_units(actor).await.map_err(fail)?;
    let accounts = app.admin_accounts(actor).await.map_err(fail)?;
    let (status, refusal) = match refusal {
        Some(r) => (r.status, r),
        None => (
            StatusCode::OK,
            Refusal {
                typed: Typed::default(),
                errors: Invalid::default(),
                problem: None,
                status: StatusCode::OK,
            },
        ),
    };
    let typed = &refusal.typed;
    let in_use: Vec<&Unit> = units.iter().filter(|u| !u.retired).collect();
    let unit_options = |current: &str, except: Option<&Unit>| {
        opts(
            in_use
                .iter()
                .filter(|u| except.is_none_or(|e| !e.path.contains(&u.path)))
                .map(|u| unit_choice(u)),
            current,
        )
    };
    let code_of = |id: Option<crate::domain::ids::UnitId>| {
        id.and_then(|id| units.iter().find(|u| u.id == id))
            .map_or_else(String::new, |u| u.code.clone())
    };
    let unit_rows = units
        .iter()
        .map(|u| {
            let open = typed.form == AdminForm::Unit(u.id.0);
            let (name, parent) = if open {
                (typed.name.clone(), typed.parent.clone())
            } else {
                (u.name.clone(), code_of(u.parent_id))
            };
            AdminUnitRow {
                id: u.id.0,
                code: u.code.clone(),
                indent: "\u{3000}".repeat(u.depth()),
                name: u.name.clone(),
                state: unit_state_label(u.retired),
                retired: u.retired,
                edit_name: name,
                // The top unit stays at the top: it has nowhere to move and cannot be retired.
                edit_parent: if u.parent_id.is_some() {
                    unit_options(&parent, Some(u))
                } else {
                    Vec::new()
                },
                open,
            }
        })
        .collect();
    let unit_name = |id: i64| {
        units
            .iter()
            .find(|u| u.id.0 == id)
            .map_or_else(String::new, |u| u.name.clone())
    };
    let all_roles = || {
        Role::ALL
            .iter()
            .filter(|r| r.assignable())
            .map(|r| (r.key().to_string(), r.label().to_string()))
    };
    let account_rows = accounts
        .iter()
        .map(|a: &AccountView| {
            let open = typed.form == AdminForm::Account(a.id.0);
            let (role, unit) = if open {
                (typed.role.clone(), typed.unit.clone())
            } else {
                (
                    a.role.to_string(),
                    code_of(Some(crate::domain::ids::UnitId(a.unit_id))),
                )
            };
            let administrator = Role::parse(a.role).is_some_and(Role::is_administrator);
            let managed = a.id != actor.id && !administrator;
            let unmanaged_note = if a.id == actor.id {
                "本人账号"
            } else if administrator {
                "管理员账号，在服务器上用命令行管理"
            } else {
                ""
            };
            AdminAccountRow {
                id: a.id.0,
                login: a.login.clone(),
                name: a.name.clone(),
                role: a.role_label,
                unit: unit_name(a.unit_id),
                state: a.state.label(),
                active: a.active,
                locked: a.locked,
                managed,
                unmanaged_note,
                edit_roles: if !managed {
                    Vec::new()
                } else {
                    opts(all_roles(), &role)
                },
                edit_units: unit_options(&unit, None),
                edit_enterprise: if open {
                    typed.enterprise_credit_code.clone()
                } else {
                    String::new()
                },
                open,
            }
        })
        .collect();
    let new_unit = typed.form == AdminForm::NewUnit;
    let new_account = typed.form == AdminForm::NewAccount;
    let blank_unless = |yes: bool, s: &String| if yes { s.clone() } else { String::new() };
    let page = AdminPage {
        sysadmin: actor.role == Role::Sysadmin,
        secadmin: actor.role == Role::Secadmin,
        new_unit_code: blank_unless(new_unit, &typed.code),
        new_unit_name: blank_unless(new_unit, &typed.name),
        new_unit_parents: with_placeholder(
            "请选择上级单位",
            unit_options(&blank_unless(new_unit, &typed.parent), None),
        ),
        new_account_login: blank_unless(new_account, &typed.login),
        new_account_name: blank_unless(new_account, &typed.name),
        new_account_units: with_placeholder(
            "请选择单位",
            unit_options(&blank_unless(new_account, &typed.unit), None),
        ),
        units: unit_rows,
        accounts: account_rows,
        failed: refusal.typed.form.clone(),
        errors: refusal.errors,
        flash,
        problem: refusal.problem,
        layout,
    };
    Ok((status, page).into_response())
}

/// Shows a refused form again, or the error page when the refusal is not about the form
/// (no permission: the service has already recorded it).
async fn refused(
    app: &App,
    user: &PageUser,
    e: Error,
    typed: Typed,
) -> Result<Response, PageError> {
    let (errors, problem, status) = match e {
        Error::Invalid(errors) => (errors, None, StatusCode::UNPROCESSABLE_ENTITY),
        Error::Conflict(m) => (Invalid::default(), Some(m), StatusCode::CONFLICT),
        Error::NotFound(m) => (Invalid::default(), Some(m), StatusCode::NOT_FOUND),
        other => return Err(PageError::App(other, Some(Layout::of(&user.actor)))),
    };
    render(
        app,
        user,
        None,
        Some(Refusal {
            typed,
            errors,
            problem,
            status,
        }),
    )
    .await
}

fn done(msg: &str, anchor: &str) -> Response {
    Redirect::to(&format!("/admin?msg={msg}#{anchor}")).into_response()
}

fn one_time_password(
    user: &PageUser,
    account: &AccountView,
    password: String,
    created: bool,
) -> Response {
    (
        // A password shown once must not be kept by the browser or a proxy.
        [(header::CACHE_CONTROL, "no-store")],
        OneTimePasswordPage {
            layout: Layout::of(&user.actor),
            login: account.login.clone(),
            name: account.name.clone(),
            created,
            password,
        },
    )
        .into_response()
}

#[derive(Deserialize)]
struct UnitForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    parent: String,
}

async fn create_unit(
    State(app): State<App>,
    user: PageUser,
    Form(form): Form<UnitForm>,
) -> Result<Response, PageError> {
    let typed = Typed {
        form: AdminForm::NewUnit,
        code: form.code.clone(),
        name: form.name.clone(),
        parent: form.parent.clone(),
        ..Typed::default()
    };
    match app
        .admin_create_unit(&user.actor, &form.code, &form.name, Some(&form.parent))
        .await
    {
        Ok(unit) => Ok(done("unit_created", &format!("unit-{}", unit.id.0))),
        Err(e) => refused(&app, &user, e, typed).await,
    }
}

async fn change_unit(
    State(app): State<App>,
    user: PageUser,
    PageUnitId(id): PageUnitId,
    Form(form): Form<UnitForm>,
) -> Result<Response, PageError> {
    let parent = Some(form.parent.trim()).filter(|p| !p.is_empty());
    match app
        .admin_change_unit(&user.actor, id, Some(&form.name), parent)
        .await
    {
        Ok(_) => Ok(done("unit_saved", &format!("unit-{}", id.0))),
        Err(e) => {
            let typed = Typed {
                form: AdminForm::Unit(id.0),
                name: form.name,
                parent: form.parent,
                ..Typed::default()
            };
            refused(&app, &user, e, typed).await
        }
    }
}

async fn retire_unit(
    State(app): State<App>,
    user: PageUser,
    PageUnitId(id): PageUnitId,
) -> Result<Response, PageError> {
    match app.admin_retire_unit(&user.actor, id).await {
        Ok(_) => Ok(done("unit_retired", &format!("unit-{}", id.0))),
        Err(e) => refused(&app, &user, e, Typed::default()).await,
    }
}

#[derive(Deserialize)]
struct AccountForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    enterprise_credit_code: String,
}

async fn create_account(
    State(app): State<App>,
    user: PageUser,
    Form(form): Form<AccountForm>,
) -> Result<Response, PageError> {
    match app
        .admin_create_account(&user.actor, &form.login, &form.name, &form.unit)
        .await
    {
        Ok((account, password)) => Ok(one_time_password(&user, &account, password, true)),
        Err(e) => {
            let typed = Typed {
                form: AdminForm::NewAccount,
                login: form.login,
                name: form.name,
                role: form.role,
                unit: form.unit,
                enterprise_credit_code: form.enterprise_credit_code,
                ..Typed::default()
            };
            refused(&app, &user, e, typed).await
        }
    }
}

#[derive(Deserialize)]
struct AssignForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    enterprise_credit_code: String,
}

async fn assign(
    State(app): State<App>,
    user: PageUser,
    PageUserId(id): PageUserId,
    Form(form): Form<AssignForm>,
) -> Result<Response, PageError> {
    match app
        .admin_assign(
            &user.actor,
            id,
            &form.role,
            &form.unit,
            &form.enterprise_credit_code,
        )
        .await
    {
        Ok(_) => Ok(done("assigned", &format!("account-{}", id.0))),
        Err(e) => {
            let typed = Typed {
                form: AdminForm::Account(id.0),
                role: form.role,
                unit: form.unit,
                enterprise_credit_code: form.enterprise_credit_code,
                ..Typed::default()
            };
            refused(&app, &user, e, typed).await
        }
    }
}

async fn set_active(
    app: App,
    user: PageUser,
    id: crate::domain::ids::UserId,
    active: bool,
) -> Result<Response, PageError> {
    match app.admin_set_active(&user.actor, id, active).await {
        Ok(_) => Ok(done(
            if active { "enabled" } else { "disabled" },
            &format!("account-{}", id.0),
        )),
        Err(e) => refused(&app, &user, e, Typed::default()).await,
    }
}

async fn disable(
    State(app): State<App>,
    user: PageUser,
    PageUserId(id): PageUserId,
) -> Result<Response, PageError> {
    set_active(app, user, id, false).await
}

async fn enable(
    State(app): State<App>,
    user: PageUser,
    PageUserId(id): PageUserId,
) -> Result<Response, PageError> {
    set_active(app, user, id, true).await
}

async fn reset_password(
    State(app): State<App>,
    user: PageUser,
    PageUserId(id): PageUserId,
) -> Result<Response, PageError> {
    match app.admin_reset_password(&user.actor, id).await {
        Ok((account, password)) => Ok(one_time_password(&user, &account, password, false)),
        Err(e) => refused(&app, &user, e, Typed::default()).await,
    }
}

async fn unlock(
    State(app): State<App>,
    user: PageUser,
    PageUserId(id): PageUserId,
) -> Result<Response, PageError> {
    match app.admin_unlock(&user.actor, id).await {
        Ok(_) => Ok(done("unlocked", &format!("account-{}", id.0))),
        Err(e) => refused(&app, &user, e, Typed::default()).await,
    }
}

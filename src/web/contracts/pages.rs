//! The pages of contract performance: a signed project's 合同履约 page with its forms, the
//! 履约监管 page and the idle-land list. Forms are parsed here (amounts in 万, areas in 亩)
//! and kept as typed when refused.

use super::views::{ContractForms, ContractPage, IdlePage, PerformancePage, Which};
use crate::domain::area::{Area, AreaUnit};
use crate::domain::contract::Incentive;
use crate::domain::contract::input::TermsInput;
use crate::domain::ids::ProjectId;
use crate::domain::money::{Currency, Money};
use crate::domain::validation::Invalid;
use crate::error::Error;
use crate::service::App;
use crate::service::contracts::DatedInput;
use crate::web::auth::PageUser;
use crate::web::error::PageError;
use crate::web::extract::PageProjectId;
use crate::web::views::{Layout, opts};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes() -> Router<App> {
    Router::new()
        .route(
            "/projects/{id}/contract",
            get(contract_page).post(terms_page),
        )
        .route("/projects/{id}/contract/funds", post(funds_page))
        .route("/projects/{id}/contract/amendments", post(increase_page))
        .route("/projects/{id}/contract/delays", post(delay_page))
        .route("/performance", get(performance_page))
        .route("/land/idle", get(idle_page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MsgQuery {
    msg: Option<String>,
}

fn saved_text(msg: Option<&str>) -> Option<String> {
    Some(
        match msg? {
            "terms" => "合同条款已保存。",
            "funds" => "到位资金已记录。",
            "amendment" => "增资已记录。",
            "delay" => "延误已记录。",
            _ => return None,
        }
        .to_string(),
    )
}

async fn render(
    app: &App,
    user: &PageUser,
    id: ProjectId,
    typed: Option<(Which, ContractForms, Invalid)>,
    flash: Option<String>,
    problem: Option<String>,
) -> Result<ContractPage, PageError> {
    let view = app
        .contract(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    Ok(ContractPage::build(
        Layout::of(&user.actor),
        &view,
        user.actor.role.writes_projects(),
        typed,
        flash,
        problem,
    ))
}

async fn contract_page(
    State(app): State<App>,
    user: PageUser,
    PageProjectId(id): PageProjectId,
    Query(q): Query<MsgQuery>,
) -> Result<Response, PageError> {
    let page = render(&app, &user, id, None, saved_text(q.msg.as_deref()), None).await?;
    Ok(page.into_response())
}

/// A refused form shown again with what was typed, or a stale one with the reason.
async fn refused(
    app: &App,
    user: &PageUser,
    id: ProjectId,
    which: Which,
    typed: ContractForms,
    e: Error,
) -> Result<Response, PageError> {
    let (status, typed, problem) = match e {
        Error::Invalid(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some((which, typed, errors)),
            None,
        ),
        Error::Conflict(m) => (StatusCode::CONFLICT, None, Some(m)),
        e => return Err(PageError::App(e, Some(Layout::of(&user.actor)))),
    };
    let page = render(app, user, id, typed, None, problem).await?;
    Ok((status, page).into_response())
}

/// An amount typed in 万 of the contract's currency (also "1.5亿").
fn wan(
    errors: &mut Invalid,
    field: &str,
    label: &str,
    text: &str,
    currency: Currency,
) -> Option<Money> {
    if text.trim().is_empty() {
        return None;
    }
    let unit = currency.wan_label();
    match Money::parse_wan(text, currency) {
        Ok(m) => Some(m),
        Err(crate::domain::money::AmountError::Negative) => {
            errors.add(field, format!("{label}不能为负数"));
            None
        }
        Err(crate::domain::money::AmountError::TooManyDecimals) => {
            errors.add(field, format!("{label}最多保留4位小数（单位：{unit}）"));
            None
        }
        Err(_) => {
            errors.add(
                field,
                format!("{label}须为数字（单位：{unit}），也可写成“3000万”或“1.5亿”"),
            );
            None
        }
    }
}

fn whole(errors: &mut Invalid, field: &str, label: &str, text: &str) -> Option<i64> {
    let t = text.trim().replace([',', '，'], "");
    if t.is_empty() {
        return None;
    }
    match t.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.add(field, format!("{label}须为整数"));
            None
        }
    }
}

/// Who may write is settled first; then the contract's currency (that of its signing), for
/// amounts typed in 万.
async fn contract_currency(
    app: &App,
    user: &PageUser,
    id: ProjectId,
) -> Result<Currency, PageError> {
    let layout = || Some(Layout::of(&user.actor));
    app.may_write_projects(&user.actor)
        .await
        .map_err(|e| PageError::App(e, layout()))?;
    let view = app
        .contract(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, layout()))?;
    Ok(view.signed_amount.map_or(Currency::Cny, |m| m.currency))
}

fn version_of(form: &ContractForms) -> Option<i64> {
    form.version.trim().parse().ok()
}

/// Errors found at the edge and those of the rules, together.
fn joined(edge: Invalid, e: Error) -> Error {
    match e {
        Error::Invalid(mut rules) => {
            // A field the edge could not read was sent to the rules as blank: its own
            // message ("须为数字") stands, not the rules' "不能为空".
            rules.0.retain(|f| edge.message_for(&f.field).is_none());
            rules.0.extend(edge.0);
            Error::Invalid(rules)
        }
        // Anything else (not found, forbidden, a stale version) says more than the edge.
        e => e,
    }
}

async fn terms_page(
    State(app): State<App>,
    user: PageUser,
    PageProjectId(id): PageProjectId,
    Form(form): Form<ContractForms>,
) -> Result<Response, PageError> {
    let currency = contract_currency(&app, &user, id).await?;
    let mut edge = Invalid::default();
    let land_price = wan(
        &mut edge,
        "land_price",
        "土地价款",
        &form.land_price,
        currency,
    );
    let land_area = match form.land_area.trim() {
        "" => None,
        t => match Area::parse_typed(t, AreaUnit::Mu) {
            Ok(a) => Some(a.m2),
            Err(_) => {
                edge.add(
                    "land_area_m2",
                    "用地面积须为数字（单位：亩），也可写成“80000㎡”",
                );
                None
            }
        },
    };
    let incentive_amount = wan(
        &mut edge,
        "incentives[0]",
        "优惠金额",
        &form.incentive_amount,
        currency,
    );
    let has_incentive = [
        &form.incentive_kind,
        &form.incentive_amount,
        &form.incentive_recover_if,
    ]
    .iter()
    .any(|t| !t.trim().is_empty());
    let input = TermsInput {
        start_deadline: form.start_deadline.clone(),
        production_deadline: form.production_deadline.clone(),
        intensity_yuan_per_m2: whole(
            &mut edge,
            "intensity_yuan_per_m2",
            "投资强度",
            &form.intensity_yuan_per_m2,
        ),
        tax_yuan_per_mu: whole(
            &mut edge,
            "tax_yuan_per_mu",
            "亩均税收",
            &form.tax_yuan_per_mu,
        ),
        land_area_m2: land_area,
        land_price,
        incentives: if has_incentive {
            vec![Incentive {
                kind: form.incentive_kind.clone(),
                amount: incentive_amount.unwrap_or(Money::new(0, currency)),
                recover_if: form.incentive_recover_if.clone(),
            }]
        } else {
            Vec::new()
        },
    };
    // A field that could not be read refuses the form before anything is written, with the
    // rules' own findings on the rest beside it.
    if !edge.is_empty() {
        let rules = input.parse().err().unwrap_or_default();
        let e = joined(edge, Error::Invalid(rules));
        return refused(&app, &user, id, Which::Terms, form, e).await;
    }
    match app
        .put_contract(
            &user.actor,
            id,
            version_of(&form),
            Some(&form.effective_from),
            &input,
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/projects/{id}/contract?msg=terms")).into_response()),
        Err(e) => refused(&app, &user, id, Which::Terms, form, e).await,
    }
}

async fn dated_page(
    app: &App,
    user: &PageUser,
    id: ProjectId,
    form: ContractForms,
    increase: bool,
) -> Result<Response, PageError> {
    let currency = contract_currency(app, user, id).await?;
    let mut edge = Invalid::default();
    let (field, label, which, msg) = if increase {
        ("added_investment", "增资金额", Which::Increase, "amendment")
    } else {
        ("amount", "到位资金", Which::Funds, "funds")
    };
    let amount = wan(&mut edge, field, label, &form.amount, currency);
    let input = DatedInput {
        date: &form.date,
        amount,
        text: &form.text,
    };
    let outcome = app
        .add_dated_money(&user.actor, id, version_of(&form), &input, increase)
        .await;
    match outcome {
        // An amount that could not be read is sent as none: the rules refuse it, nothing is
        // written, and the edge's message stands for it.
        Ok(_) => Ok(Redirect::to(&format!("/projects/{id}/contract?msg={msg}")).into_response()),
        Err(e) => refused(app, user, id, which, form, joined(edge, e)).await,
    }
}

async fn funds_page(
    State(app): State<App>,
    user: PageUser,
    PageProjectId(id): PageProjectId,
    Form(form): Form<ContractForms>,
) -> Result<Response, PageError> {
    dated_page(&app, &user, id, form, false).await
}

async fn increase_page(
    State(app): State<App>,
    user: PageUser,
    PageProjectId(id): PageProjectId,
    Form(form): Form<ContractForms>,
) -> Result<Response, PageError> {
    dated_page(&app, &user, id, form, true).await
}

async fn delay_page(
    State(app): State<App>,
    user: PageUser,
    PageProjectId(id): PageProjectId,
    Form(form): Form<ContractForms>,
) -> Result<Response, PageError> {
    app.may_write_projects(&user.actor)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    match app
        .add_delay(
            &user.actor,
            id,
            version_of(&form),
            (&form.from, &form.to, &form.text),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/projects/{id}/contract?msg=delay")).into_response()),
        Err(e) => refused(&app, &user, id, Which::Delay, form, e).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ReportForm {
    since: String,
    as_of: String,
    unit: String,
}

/// Project names for the ids a report lists (within the caller's scope).
async fn names_of(
    app: &App,
    user: &PageUser,
    ids: Vec<i64>,
) -> Result<HashMap<i64, String>, Error> {
    let projects = app.projects_named(&user.actor, ids).await?;
    Ok(projects.into_iter().collect())
}

async fn performance_page(
    State(app): State<App>,
    user: PageUser,
    q: Result<Query<ReportForm>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    let layout = || Layout::of(&user.actor);
    let Query(q) = q.unwrap_or_default();
    let unit = q.unit.trim().parse::<i64>().ok();
    let period = (Some(q.since.as_str()), Some(q.as_of.as_str()));
    let report = app.performance_report(&user.actor, period, unit).await;
    let units = app
        .units_in_scope(&user.actor)
        .await
        .map_err(|e| PageError::App(e, Some(layout())))?;
    let unit_opts = opts(
        units.into_iter().map(|(id, name)| (id.to_string(), name)),
        q.unit.trim(),
    );
    let report = match report {
        Ok(r) => r,
        Err(Error::Invalid(e)) => {
            // The period as typed could not be read: the page says so, with this year instead.
            let r = app
                .performance_report(&user.actor, (None, None), unit)
                .await
                .map_err(|e| PageError::App(e, Some(layout())))?;
            let batches = app
                .batches_report(&user.actor, (None, None), unit)
                .await
                .map_err(|e| PageError::App(e, Some(layout())))?
                .0;
            let mut page =
                PerformancePage::build(layout(), unit_opts, (&r, &batches), &HashMap::new());
            page.problem = Some(e.summary());
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
        Err(e) => return Err(PageError::App(e, Some(layout()))),
    };
    let since = crate::domain::dates::iso(report.since);
    let as_of = crate::domain::dates::iso(report.as_of);
    let (batches, _, _) = app
        .batches_report(&user.actor, (Some(&since), Some(&as_of)), unit)
        .await
        .map_err(|e| PageError::App(e, Some(layout())))?;
    let mut ids: Vec<i64> = report
        .contract_projects
        .iter()
        .chain(&batches.reserve)
        .chain(&batches.signed.ids)
        .chain(&batches.started)
        .chain(&batches.producing)
        .copied()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let names = names_of(&app, &user, ids)
        .await
        .map_err(|e| PageError::App(e, Some(layout())))?;
    Ok(PerformancePage::build(layout(), unit_opts, (&report, &batches), &names).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct IdleForm {
    as_of: String,
    unit: String,
}

async fn idle_page(
    State(app): State<App>,
    user: PageUser,
    q: Result<Query<IdleForm>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    let layout = || Layout::of(&user.actor);
    let Query(q) = q.unwrap_or_default();
    let unit = q.unit.trim().parse::<i64>().ok();
    let (as_of, items) = app
        .idle_land_report(&user.actor, Some(q.as_of.as_str()), unit)
        .await
        .map_err(|e| PageError::App(e, Some(layout())))?;
    let names = names_of(&app, &user, items.iter().map(|i| i.project_id).collect())
        .await
        .map_err(|e| PageError::App(e, Some(layout())))?;
    Ok(IdlePage::build(layout(), as_of, &items, &names).into_response())
}

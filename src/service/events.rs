//! Promotion events. An event belongs to the unit that records it and is read in that unit's
//! subtree; its totals count only the signings the reader may see (a project outside one's
//! scope is never in one's figures).

use super::{App, Page, edit};
use crate::domain::event::{
    EventFields, EventKind, SigningAgreement, signed_amount, signing_agreement,
};
use crate::domain::ids::EventId;
use crate::domain::ids::InvestorId;
use crate::domain::money::{Currency, format_big};
use crate::domain::pick::{Pick, parse_pick};
use crate::domain::stage::Stage;
use crate::domain::transition::TransitionRequest;
use crate::domain::user::{Actor, Role};
use crate::domain::validation::{Invalid, paging};
use crate::error::{Error, Result};
use crate::store::events::{self, MetInvestor, PromotionEvent, Signing};
use crate::store::{Conn, audit, now_text};
use serde::{Deserialize, Serialize};
use serde_json::json;

pub fn event_not_found() -> Error {
    Error::NotFound("招商活动不存在，或不在您的管辖范围内".into())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct EventParams {
    pub kind: String,
    pub page: String,
    pub per_page: String,
}

/// What an event's forms suggest, as "名称 #编号".
pub struct EventSuggestions {
    pub projects: Vec<String>,
    pub investors: Vec<String>,
}

/// An event with what happened there, and its totals.
#[derive(Debug, Clone, Serialize)]
pub struct EventDetail {
    #[serde(flatten)]
    pub event: PromotionEvent,
    /// The investors met that the caller may see …
    pub investors: Vec<MetInvestor>,
    /// … and how many others, kept outside the caller's scope, were met (counted, not named).
    pub investors_elsewhere: usize,
    pub signings: Vec<Signing>,
    pub totals: EventTotals,
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct EventTotals {
    pub investors_met: usize,
    pub projects_signed: usize,
    pub signed_cny_yuan: i64,
    pub signed_usd_yuan: i64,
    /// The signed amounts as shown: "3.50亿元" (+ "500万美元").
    pub signed_text: String,
}

fn totals(investors: &[MetInvestor], signings: &[Signing]) -> EventTotals {
    let sum = |c: Currency| {
        signings
            .iter()
            .filter(|s| s.amount.currency == c)
            .map(|s| s.amount.yuan)
            .sum::<i64>()
    };
    let (cny, usd) = (sum(Currency::Cny), sum(Currency::Usd));
    let mut text = format_big(cny, Currency::Cny);
    if usd > 0 {
        text = format!("{text} + {}", format_big(usd, Currency::Usd));
    }
    EventTotals {
        investors_met: investors.len(),
        projects_signed: signings.len(),
        signed_cny_yuan: cny,
        signed_usd_yuan: usd,
        signed_text: text,
    }
}

async fn event_audit(
    tx: &mut Conn,
    actor: &Actor,
    action: &'static str,
    id: EventId,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
    now: &str,
) -> Result<()> {
    audit::append(
        tx,
        Some(actor),
        audit::Entry {
            action,
            entity: "event",
            entity_id: Some(id.to_string()),
            before,
            after: Some(after),
        },
        now,
    )
    .await?;
    Ok(())
}

impl App {
    async fn event_role(
        &self,
        actor: &Actor,
        allowed: fn(Role) -> bool,
        what: &'static str,
    ) -> Result<()> {
        self.role_allows(actor, allowed, "event", what).await
    }

    async fn event_in_scope(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        id: EventId,
    ) -> Result<PromotionEvent> {
        let found = match events::by_id(conn, id).await? {
            Some(e) if actor.unit_path.contains(&e.unit_path) => Ok(e),
            _ => Err(event_not_found()),
        };
        self.refusal_recorded(actor, "event", "查看", Some(id.to_string()), found)
    }

    /// Refuses (and records) an account that may not record events.
    pub async fn event_role_check(&self, actor: &Actor) -> Result<()> {
        self.event_role(actor, Role::does_casework, "记录招商活动")
            .await
    }

    pub async fn list_events(
        &self,
        actor: &Actor,
        params: &EventParams,
    ) -> Result<Page<PromotionEvent>> {
        self.event_role(actor, Role::is_staff, "查看招商活动")
            .await?;
        let mut errors = Invalid::default();
        let (page, per_page) = paging(&mut errors, &params.page, &params.per_page, 20, 100);
        let kind = match params.kind.trim() {
            "" => None,
            k => {
                let parsed = EventKind::parse(k);
                if parsed.is_none() {
                    errors.add("kind", format!("活动类型“{k}”无效，请从列表中选择"));
                }
                parsed
            }
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut conn = self.db.pool.acquire().await?;
        let (items, total) = events::search(
            &mut conn,
            &actor.unit_path,
            kind,
            per_page,
            (page - 1) * per_page,
        )
        .await?;
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }

    pub async fn get_event(&self, actor: &Actor, id: EventId) -> Result<EventDetail> {
        self.event_role(actor, Role::is_staff, "查看招商活动")
            .await?;
        let mut conn = self.db.pool.acquire().await?;
        let event = self.event_in_scope(&mut conn, actor, id).await?;
        self.event_detail(&mut conn, actor, event).await
    }

    async fn event_detail(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        event: PromotionEvent,
    ) -> Result<EventDetail> {
        let met = events::investors_met(conn, event.id).await?;
        let signings: Vec<Signing> = events::signings(conn, event.id)
            .await?
            .into_iter()
            .filter(|s| actor.unit_path.contains(&s.unit_path))
            .collect();
        let totals = totals(&met, &signings);
        let (investors, elsewhere): (Vec<MetInvestor>, Vec<MetInvestor>) = met
            .into_iter()
            .partition(|i| actor.unit_path.contains(&i.unit_path));
        Ok(EventDetail {
            totals,
            event,
            investors,
            investors_elsewhere: elsewhere.len(),
            signings,
        })
    }

    pub async fn record_event(&self, actor: &Actor, fields: &EventFields) -> Result<EventDetail> {
        self.event_role_check(actor).await?;
        let mut tx = self.db.write().await?;
        let now = now_text();
        let id = events::insert(&mut tx, fields, actor.unit_id, actor.id, &now).await?;
        let event = edit::created(&mut tx, actor, id, &now).await?;
        let detail = self.event_detail(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(detail)
    }

    /// The event as it stands, for a caller about to change it.
    pub async fn event_for_update(&self, actor: &Actor, id: EventId) -> Result<PromotionEvent> {
        self.event_role(actor, Role::does_casework, "修改招商活动")
            .await?;
        let mut conn = self.db.pool.acquire().await?;
        self.event_in_scope(&mut conn, actor, id).await
    }

    pub async fn update_event(
        &self,
        actor: &Actor,
        id: EventId,
        fields: &EventFields,
        version: i64,
    ) -> Result<EventDetail> {
        self.event_role(actor, Role::does_casework, "修改招商活动")
            .await?;
        let mut tx = self.db.write().await?;
        let before = self.event_in_scope(&mut tx, actor, id).await?;
        edit::check_version(&before, version)?;
        let now = now_text();
        let written = events::update(&mut tx, id, fields, version, &now).await?;
        let after = edit::finish(&mut tx, actor, &before, written, "update", &now).await?;
        let detail = self.event_detail(&mut tx, actor, after).await?;
        tx.commit().await?;
        Ok(detail)
    }

    /// Records an investor met at the event (a 客商库 record the caller may see).
    pub async fn event_met(
        &self,
        actor: &Actor,
        id: EventId,
        investor: &str,
    ) -> Result<EventDetail> {
        self.event_role(actor, Role::does_casework, "修改招商活动")
            .await?;
        let mut tx = self.db.write().await?;
        let event = self.event_in_scope(&mut tx, actor, id).await?;
        let investor_id = match parse_pick(investor) {
            Pick::Id(i) => InvestorId(i),
            Pick::Nothing => {
                return Err(Invalid::single("investor_id", "请选择会见的客商").into());
            }
            Pick::Name(name) => {
                let key = crate::domain::investor::name_key(&name);
                let found: Vec<_> = crate::store::investors::by_name_key(&mut tx, &key)
                    .await?
                    .into_iter()
                    .filter(|c| actor.unit_path.contains(&c.unit_path))
                    .collect();
                match found.as_slice() {
                    [one] => one.id,
                    [] => {
                        return Err(Invalid::single(
                            "investor_id",
                            format!("客商库中没有“{name}”，请先登记客商或从列表中选择"),
                        )
                        .into());
                    }
                    _ => {
                        return Err(Invalid::single(
                            "investor_id",
                            format!(
                                "客商库中有 {} 条名为“{name}”的记录，请从列表中选择",
                                found.len()
                            ),
                        )
                        .into());
                    }
                }
            }
        };
        match crate::store::investors::by_id(&mut tx, investor_id).await? {
            Some(i) if i.merged_into.is_none() && super::investors::visible(actor, &i) => {}
            _ => {
                return Err(
                    Invalid::single("investor_id", "客商不存在，或不在您的管辖范围内").into(),
                );
            }
        }
        if !events::add_investor(&mut tx, id, investor_id).await? {
            return Err(Error::Conflict("这位客商已记录在本次活动中".into()));
        }
        let now = now_text();
        event_audit(
            &mut tx,
            actor,
            "meet",
            id,
            None,
            json!({ "investor_id": investor_id }),
            &now,
        )
        .await?;
        let detail = self.event_detail(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(detail)
    }

    /// Records a project of the caller's scope as signed at the event, with the amount signed.
    /// `record_as` (`intent` or `contracted`, default `contracted`) is how the signing is
    /// recorded on a project that has not signed yet; one that has must have signed that day.
    pub async fn event_signed(
        &self,
        actor: &Actor,
        id: EventId,
        project: &str,
        amount: &str,
        currency: &str,
        record_as: &str,
    ) -> Result<EventDetail> {
        self.event_role(actor, Role::does_casework, "修改招商活动")
            .await?;
        let mut tx = self.db.write().await?;
        let event = self.event_in_scope(&mut tx, actor, id).await?;
        let mut errors = Invalid::default();
        let project_id = match self.project_by_pick(&mut tx, actor, project).await? {
            Ok(id) => Some(id),
            Err(why) => {
                errors.add("project_id", why);
                None
            }
        };
        let record_as = match record_as.trim() {
            "" | "contracted" => Some(Stage::Contracted),
            "intent" => Some(Stage::Intent),
            other => {
                errors.add(
                    "record_as",
                    format!("签约类型“{other}”无效，请选择意向签约或正式签约"),
                );
                None
            }
        };
        let amount = match signed_amount(amount, currency) {
            Ok(m) => Some(m),
            Err(e) => {
                errors.0.extend(e.0);
                None
            }
        };
        if let Some(p) = project_id {
            let visible = match crate::store::projects::scope_of(&mut tx, p).await? {
                Some((path, _)) => actor.unit_path.contains(&path),
                None => false,
            };
            if !visible {
                errors.add("project_id", "项目不存在，或不在您的管辖范围内");
            }
        }
        let (Some(project_id), Some(amount), Some(record_as)) = (project_id, amount, record_as)
        else {
            return Err(errors.into());
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        // The signing agrees with the project's own signing, or is recorded on it, that day.
        let project = crate::store::projects::by_id(&mut tx, project_id)
            .await?
            .ok_or_else(|| Invalid::single("project_id", "项目不存在，或不在您的管辖范围内"))?;
        let agreement = signing_agreement(
            event.held_on,
            project.stage,
            project.intent_on,
            project.contracted_on,
            record_as,
        )?;
        if let SigningAgreement::Record(stage) = agreement {
            let request = TransitionRequest {
                to: stage,
                date: Some(event.held_on),
                contract_amount: (stage == Stage::Contracted).then_some(amount),
                credit_code: None,
                land_grant_date: None,
                reason: String::new(),
            };
            self.transition_project_in(&mut tx, actor, project_id, &request, None)
                .await?;
        }
        if !events::add_signing(&mut tx, id, project_id, amount).await? {
            return Err(Error::Conflict("这个项目已记录为本次活动的签约项目".into()));
        }
        let now = now_text();
        event_audit(
            &mut tx,
            actor,
            "sign",
            id,
            None,
            json!({ "project_id": project_id, "amount": amount }),
            &now,
        )
        .await?;
        let detail = self.event_detail(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(detail)
    }

    /// What an event's forms suggest as the user types (the records are chosen by name): the
    /// projects in reach that could have signed that day, and the 客商库 records in reach.
    pub async fn event_suggestions(
        &self,
        actor: &Actor,
        event: &PromotionEvent,
    ) -> Result<EventSuggestions> {
        const MOST: usize = 500;
        let held_on = event.held_on;
        let projects = self
            .project_suggestions(actor, |f| {
                f.contracted_on == Some(held_on)
                    || (f.contracted_on.is_none()
                        && matches!(f.stage, Stage::Negotiating | Stage::Intent))
            })
            .await?;
        let mut conn = self.db.pool.acquire().await?;
        let investors =
            crate::store::investors::in_subtree(&mut conn, &actor.unit_path, MOST as i64).await?;
        Ok(EventSuggestions {
            projects,
            investors: investors
                .iter()
                .map(|i| crate::domain::pick::suggestion(&i.name, i.id.0))
                .collect(),
        })
    }

    /// Events an investor was met at, within the caller's scope.
    pub async fn events_of_investor(
        &self,
        actor: &Actor,
        investor: InvestorId,
    ) -> Result<Vec<PromotionEvent>> {
        if !actor.role.is_staff() {
            return Ok(Vec::new());
        }
        let mut conn = self.db.pool.acquire().await?;
        Ok(events::of_investor(&mut conn, investor)
            .await?
            .into_iter()
            .filter(|e| actor.unit_path.contains(&e.unit_path))
            .collect())
    }
}

//! 引荐人.

use crate::config::Config;
use crate::domain::dates::iso;
use crate::domain::money::{Currency, Money};
use crate::domain::validation::Invalid;
use crate::web::views::*;
use askama::Template;
use askama_web::WebTemplate;
use time::Date;

#[derive(Template, WebTemplate)]
#[template(path = "referrers/list.html")]
pub struct ReferrerListPage {
    pub layout: Layout,
    pub q: String,
    pub list: Listing<crate::domain::records::referrer::Referrer>,
    pub can_write: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "referrers/form.html")]
pub struct ReferrerFormPage {
    pub layout: Layout,
    pub input: crate::domain::referrer::ReferrerInput,
    pub kinds: Vec<Opt>,
    pub errors: Invalid,
    /// The record being changed, if this form changes one.
    pub editing: Option<Editing>,
}

impl ReferrerFormPage {
    pub fn build(
        layout: Layout,
        input: crate::domain::referrer::ReferrerInput,
        errors: Invalid,
    ) -> ReferrerFormPage {
        ReferrerFormPage {
            layout,
            kinds: opts(
                crate::domain::referrer::ReferrerKind::ALL
                    .iter()
                    .map(|k| (k.key().to_string(), k.label().to_string())),
                &input.kind,
            ),
            input,
            errors,
            editing: None,
        }
    }
    /// The form for changing record `id`, read at `version`.
    pub fn editing(
        mut self,
        id: crate::domain::ids::ReferrerId,
        version: i64,
        conflict: Option<String>,
    ) -> ReferrerFormPage {
        self.editing = Some(Editing {
            id: id.0,
            version,
            conflict,
        });
        self
    }

    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }
}

pub struct RewardLineView {
    pub project_id: i64,
    pub project_name: String,
    pub reached_on: String,
    pub contract_amount: String,
    pub rate: String,
    pub reward: String,
}

pub struct RewardYearView {
    pub year: i32,
    pub total: String,
    pub lines: Vec<RewardLineView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "referrers/detail.html")]
pub struct ReferrerDetailPage {
    pub layout: Layout,
    pub r: crate::domain::records::referrer::Referrer,
    pub projects: Vec<ProjectRow>,
    pub rule_text: String,
    pub years: Vec<RewardYearView>,
    pub can_write: bool,
    pub flash: Option<String>,
    pub problem: Option<String>,
    pub typed_project: String,
    pub errors: Invalid,
    /// Suggestions for the project to credit ("名称 #编号").
    pub project_choices: Vec<String>,
}

impl ReferrerDetailPage {
    #[allow(clippy::too_many_arguments)]
    pub fn build(
        layout: Layout,
        d: crate::service::referrers::ReferrerDetail,
        today: Date,
        config: &Config,
        can_write: bool,
        flash: Option<String>,
        typed_project: String,
        errors: Invalid,
        problem: Option<String>,
    ) -> ReferrerDetailPage {
        let yuan = |y: i64| Money::new(y, Currency::Cny).display();
        ReferrerDetailPage {
            layout,
            projects: d
                .projects
                .iter()
                .map(|p| ProjectRow::of(p, today, config))
                .collect(),
            rule_text: d.rule_text,
            years: d
                .rewards
                .iter()
                .map(|y| RewardYearView {
                    year: y.year,
                    total: yuan(y.total_yuan),
                    lines: y
                        .lines
                        .iter()
                        .map(|l| RewardLineView {
                            project_id: l.project_id,
                            project_name: l.project_name.clone(),
                            reached_on: iso(l.reached_on),
                            contract_amount: l
                                .contract_amount
                                .map(|m| m.display())
                                .unwrap_or_else(|| "无合同金额".into()),
                            rate: match l.reward {
                                Some(r) if r.capped => format!("{}‰（封顶）", r.per_mille),
                                Some(r) => format!("{}‰", r.per_mille),
                                None => "—".into(),
                            },
                            reward: l.reward.map_or_else(|| "—".into(), |r| yuan(r.reward_yuan)),
                        })
                        .collect(),
                })
                .collect(),
            r: d.referrer,
            can_write,
            flash,
            problem,
            typed_project,
            project_choices: Vec::new(),
            errors,
        }
    }
    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }
}

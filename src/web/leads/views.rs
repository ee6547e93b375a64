//! 招商线索.

use crate::domain::channel::Channel;
use crate::domain::dates::{iso, shanghai_minute};
use crate::domain::user::Actor;
use crate::domain::validation::Invalid;
use crate::web::views::*;
use askama::Template;
use askama_web::WebTemplate;
use time::Date;

fn channel_opts(current: &str) -> Vec<Opt> {
    opts(
        Channel::ALL
            .iter()
            .map(|c| (c.key().into(), c.label().into())),
        current,
    )
}

/// A row of the lead list.
pub struct LeadRow {
    pub id: crate::domain::ids::LeadId,
    pub title: String,
    pub investor_name: String,
    pub amount: String,
    pub channel: String,
    pub status_key: &'static str,
    pub status_label: &'static str,
    pub unit_name: String,
    pub officer: String,
    pub submitted_by: String,
    pub received_on: String,
    pub updated: String,
}

impl LeadRow {
    pub fn of(l: &crate::domain::records::lead::Lead) -> LeadRow {
        LeadRow {
            id: l.id,
            title: l.title.clone(),
            investor_name: l.investor_name.clone(),
            amount: l.amount.map(|m| m.display()).unwrap_or_else(|| "—".into()),
            channel: l.channel.map(|c| c.label().to_string()).unwrap_or_default(),
            status_key: l.status.key(),
            status_label: l.status_label,
            unit_name: l.unit_name.clone(),
            officer: l.officer_name.clone().unwrap_or_default(),
            submitted_by: l.created_by_name.clone().unwrap_or_default(),
            received_on: crate::domain::dates::iso(l.received_on),
            updated: shanghai_minute(&l.updated_at),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "leads/list.html")]
pub struct LeadListPage {
    pub layout: Layout,
    pub params: crate::service::leads::LeadParams,
    pub list: Listing<LeadRow>,
    pub statuses: Vec<Opt>,
}

impl LeadListPage {
    pub fn export_href(&self) -> String {
        let p = &self.params;
        let pairs = [
            ("q", p.q.as_str()),
            ("status", &p.status),
            ("investor_id", &p.investor_id),
            ("officer", &p.officer),
            ("overdue", &p.overdue),
            ("mine", &p.mine),
        ];
        link("/leads.xlsx", &pairs, 1)
    }
    pub fn status_opts(current: &str) -> Vec<Opt> {
        opts(
            crate::domain::lead::LeadStatus::ALL
                .iter()
                .map(|s| (s.key().to_string(), s.label().to_string())),
            current.trim(),
        )
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "leads/form.html")]
pub struct LeadFormPage {
    pub layout: Layout,
    pub input: crate::domain::lead::LeadInput,
    pub industries: Vec<OptGroup>,
    pub channels: Vec<Opt>,
    pub currencies: Vec<Opt>,
    pub errors: Invalid,
    /// The record being changed, if this form changes one.
    pub editing: Option<Editing>,
}

impl LeadFormPage {
    pub fn build(
        layout: Layout,
        input: crate::domain::lead::LeadInput,
        errors: Invalid,
    ) -> LeadFormPage {
        LeadFormPage {
            layout,
            industries: industry_opts(&input.industry_code),
            channels: channel_opts(&input.channel),
            currencies: currency_opts(&input.currency),
            input,
            errors,
            editing: None,
        }
    }

    /// The form for changing record `id`, read at `version`.
    pub fn editing(
        mut self,
        id: crate::domain::ids::LeadId,
        version: i64,
        conflict: Option<String>,
    ) -> LeadFormPage {
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

#[derive(Template, WebTemplate)]
#[template(path = "leads/detail.html")]
pub struct LeadDetailPage {
    pub layout: Layout,
    pub l: crate::domain::records::lead::Lead,
    pub amount: String,
    pub channel: String,
    pub industry: String,
    pub notes: Vec<crate::domain::records::lead::LeadNote>,
    /// May follow up, drop and convert (an officer or leader whose subtree holds the lead).
    pub works: bool,
    /// May assign (a leader).
    pub assigns: bool,
    pub units: Vec<Opt>,
    pub officers: Vec<Opt>,
    pub convert_stages: Vec<Opt>,
    /// The 客商库 records to link (the lead's own first), and the referrers to credit.
    pub convert_investors: Vec<Opt>,
    pub convert_kinds: Vec<Opt>,
    pub convert_referrers: Vec<Opt>,
    pub convert_industries: Vec<OptGroup>,
    pub convert_currencies: Vec<Opt>,
    pub today: String,
    pub flash: Option<String>,
    pub problem: Option<String>,
    /// The action whose form is open again after a refusal, and what it held.
    pub open_action: &'static str,
    pub typed: std::collections::HashMap<String, String>,
    pub errors: Invalid,
}

impl LeadDetailPage {
    pub fn received_on(&self) -> String {
        crate::domain::dates::iso(self.l.received_on)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn build(
        layout: Layout,
        actor: &Actor,
        l: crate::domain::records::lead::Lead,
        notes: Vec<crate::domain::records::lead::LeadNote>,
        choices: Option<&crate::service::projects::FormChoices>,
        convert: Option<&crate::service::leads::ConvertChoices>,
        today: Date,
        flash: Option<String>,
        refused: Option<crate::web::leads::Refused>,
    ) -> LeadDetailPage {
        let (open_action, typed, errors, problem) = match refused {
            Some(r) => (r.action, r.typed, r.errors, r.problem),
            None => ("", Default::default(), Invalid::default(), None),
        };
        let typed_or = |key: &str, fallback: String| typed.get(key).cloned().unwrap_or(fallback);
        let works = crate::service::leads::may_work(actor, &l);
        let assigns = crate::service::leads::may_assign(actor, &l);
        let (units, officers) = match choices {
            Some(c) => (
                opts(
                    c.units.iter().map(|u| {
                        (
                            u.id.to_string(),
                            format!("{}{}", "　".repeat(u.depth()), u.name),
                        )
                    }),
                    &typed_or("unit_id", l.unit_id.to_string()),
                ),
                opts(
                    c.officers
                        .iter()
                        .map(|u| (u.id.to_string(), format!("{}（{}）", u.name, u.login))),
                    &typed_or(
                        "officer_id",
                        l.officer_id.map(|o| o.to_string()).unwrap_or_default(),
                    ),
                ),
            ),
            None => (Vec::new(), Vec::new()),
        };
        // Link the lead's own record, else the one record of that name; else record a new one.
        let mut investors: Vec<(String, String)> = Vec::new();
        if let Some(c) = convert {
            for i in &c.investors {
                investors.push((
                    i.id.to_string(),
                    format!("关联客商库：{}（{}）", i.name, i.unit_name),
                ));
            }
        }
        if let Some(id) = l.investor_id
            && !investors.iter().any(|(v, _)| *v == id.to_string())
        {
            investors.insert(
                0,
                (id.to_string(), format!("关联客商库：{}", l.investor_name)),
            );
        }
        let default_investor = match (l.investor_id, investors.len()) {
            (Some(id), _) => id.to_string(),
            (None, 1) => investors[0].0.clone(),
            _ => "new".to_string(),
        };
        investors.push(("new".into(), format!("新建客商库记录：{}", l.investor_name)));
        let convert_investors = opts(investors, &typed_or("investor_id", default_investor));
        let convert_kinds = opts(
            crate::domain::investor::InvestorKind::ALL
                .iter()
                .map(|k| (k.key().to_string(), k.label().to_string())),
            &typed_or("investor_kind", "private".into()),
        );
        let convert_referrers = opts(
            convert
                .map(|c| c.referrers.as_slice())
                .unwrap_or_default()
                .iter()
                .map(|r| {
                    let at = r
                        .affiliation
                        .as_deref()
                        .map(|a| format!("（{a}）"))
                        .unwrap_or_default();
                    (r.id.to_string(), format!("{}{at}", r.name))
                }),
            &typed_or("referrer_id", String::new()),
        );
        LeadDetailPage {
            convert_investors,
            convert_kinds,
            convert_referrers,
            layout,
            amount: l.amount.map(|m| m.display()).unwrap_or_else(|| "—".into()),
            channel: l
                .channel
                .map(|c| c.label().to_string())
                .unwrap_or_else(|| "—".into()),
            industry: l
                .industry_code
                .as_deref()
                .and_then(crate::domain::industry::IndustryCode::parse)
                .map(|c| format!("{} {}", c.code(), c.name()))
                .unwrap_or_else(|| "—".into()),
            notes,
            works,
            assigns,
            units,
            officers,
            convert_stages: opts(
                crate::domain::lead::CONVERT_TO
                    .iter()
                    .map(|s| (s.key().to_string(), s.label().to_string())),
                &typed_or("to", "negotiating".into()),
            ),
            convert_industries: industry_opts(&typed_or(
                "industry_code",
                l.industry_code.clone().unwrap_or_default(),
            )),
            convert_currencies: currency_opts(&typed_or("currency", String::new())),
            today: iso(today),
            flash,
            problem,
            open_action,
            typed,
            errors,
            l,
        }
    }

    /// The project name as typed after a refusal, else the lead's title to start from.
    pub fn typed_or_title(&self) -> &str {
        self.typed
            .get("name")
            .map(String::as_str)
            .unwrap_or(&self.l.title)
    }

    pub fn err(&self, action: &str, field: &str) -> &str {
        if action == self.open_action {
            self.errors.message_for(field).unwrap_or("")
        } else {
            ""
        }
    }

    pub fn typed(&self, key: &str) -> &str {
        self.typed.get(key).map_or("", String::as_str)
    }
}

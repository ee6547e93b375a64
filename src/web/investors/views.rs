//! 客商库.

use crate::domain::validation::Invalid;
use crate::web::views::*;
use askama::Template;
use askama_web::WebTemplate;

/// A row of the investor list.
pub struct InvestorRow {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub kind: &'static str,
    pub origin: String,
    pub marks: Vec<&'static str>,
    pub unit_name: String,
}

fn investor_marks(i: &crate::domain::records::investor::Investor) -> Vec<&'static str> {
    [
        (i.fortune_global_500, "世界500强"),
        (i.fortune_china_500, "中国500强"),
        (i.listed, "上市公司"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, label)| label)
    .collect()
}

impl InvestorRow {
    pub fn of(i: &crate::domain::records::investor::Investor) -> InvestorRow {
        InvestorRow {
            id: i.id.0,
            name: i.name.clone(),
            credit_code: match &i.credit_code {
                Some(code) => code.clone(),
                None if i.lacks_credit_code() => "待补充信用代码".into(),
                None => String::new(),
            },
            kind: i.kind_label,
            origin: match &i.origin_city {
                Some(city) => format!("{} {city}", i.country),
                None => i.country.clone(),
            },
            marks: investor_marks(i),
            unit_name: i.unit_name.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "investors/list.html")]
pub struct InvestorListPage {
    pub layout: Layout,
    pub params: crate::service::investors::InvestorParams,
    pub list: Listing<InvestorRow>,
    pub kinds: Vec<Opt>,
    pub can_write: bool,
}

impl InvestorListPage {
    pub fn export_href(&self) -> String {
        let p = &self.params;
        link("/investors.xlsx", &[("q", &p.q), ("kind", &p.kind)], 1)
    }
    pub fn kind_opts(current: &str) -> Vec<Opt> {
        opts(
            crate::domain::investor::InvestorKind::ALL
                .iter()
                .map(|k| (k.key().to_string(), k.label().to_string())),
            current.trim(),
        )
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "investors/form.html")]
pub struct InvestorFormPage {
    pub layout: Layout,
    /// The record being edited and the version the form was read at; None for a new one.
    pub editing: Option<(i64, i64)>,
    pub input: crate::domain::investor::InvestorInput,
    pub kinds: Vec<Opt>,
    pub industries: Vec<OptGroup>,
    pub currencies: Vec<Opt>,
    pub errors: Invalid,
    /// A probable duplicate: why, and the records it may repeat.
    pub duplicate: Option<String>,
    pub candidates: Vec<(i64, String, String)>,
}

impl InvestorFormPage {
    pub fn build(
        layout: Layout,
        editing: Option<(crate::domain::ids::InvestorId, i64)>,
        input: crate::domain::investor::InvestorInput,
        errors: Invalid,
        duplicates: Option<(String, Vec<serde_json::Value>)>,
    ) -> InvestorFormPage {
        let (duplicate, candidates) = match duplicates {
            Some((message, list)) => (
                Some(message),
                list.iter()
                    .map(|c| {
                        (
                            c["id"].as_i64().unwrap_or_default(),
                            c["name"].as_str().unwrap_or_default().to_string(),
                            c["unit"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect(),
            ),
            None => (None, Vec::new()),
        };
        InvestorFormPage {
            layout,
            editing: editing.map(|(id, v)| (id.0, v)),
            kinds: InvestorListPage::kind_opts(&input.kind),
            industries: industry_opts(&input.industry_code),
            currencies: currency_opts(&input.intended_currency),
            input,
            errors,
            duplicate,
            candidates,
        }
    }

    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }

    /// The message for a contact's field (`contacts[i].field` in the rules' terms).
    pub fn contact_err(&self, index: &usize, field: &str) -> String {
        self.errors
            .message_for(&format!("contacts[{index}].{field}"))
            .unwrap_or("")
            .to_string()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "investors/detail.html")]
pub struct InvestorDetailPage {
    pub layout: Layout,
    pub i: crate::domain::records::investor::Investor,
    /// The first rows of each related list, and how many there are in all.
    pub projects: Vec<ProjectRow>,
    pub projects_total: i64,
    pub merged_into_name: Option<String>,
    pub visits: Vec<VisitRow>,
    pub visits_total: i64,
    pub events: Vec<crate::domain::records::event::PromotionEvent>,
    pub leads: Vec<LeadRow>,
    pub leads_total: i64,
    pub flash: Option<String>,
    pub problem: Option<String>,
    pub can_write: bool,
}

impl InvestorDetailPage {
    pub fn marks(&self) -> String {
        investor_marks(&self.i).join("、")
    }
    pub fn industry(&self) -> String {
        self.i
            .industry_code
            .as_deref()
            .and_then(crate::domain::industry::IndustryCode::parse)
            .map(|c| format!("{} {}", c.code(), c.name()))
            .unwrap_or_else(|| "—".to_string())
    }
}

//! Leads (招商线索): a tip about a possible investment, from anyone with a business role. A
//! leader assigns it to a unit and officer; it is followed up, then dropped with a reason or
//! converted into a project.

use super::channel::Channel;
use super::ids::{InvestorId, UnitId, UserId};
use super::industry::IndustryCode;
use super::money::{Currency, Money};
use super::project::{NAME_MAX, NOTES_MAX, amount_message, id_field, optional, text_field};
use super::records::lead::Lead;
use super::stage::Stage;
use super::validation::Invalid;
use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LeadStatus {
    /// Waiting for a leader to assign it.
    New,
    /// With a unit and officer, being followed up.
    Assigned,
    Dropped,
    Converted,
}

impl LeadStatus {
    pub const ALL: [LeadStatus; 4] = [
        LeadStatus::New,
        LeadStatus::Assigned,
        LeadStatus::Dropped,
        LeadStatus::Converted,
    ];

    pub fn key(self) -> &'static str {
        match self {
            LeadStatus::New => "new",
            LeadStatus::Assigned => "assigned",
            LeadStatus::Dropped => "dropped",
            LeadStatus::Converted => "converted",
        }
    }

    pub fn parse(key: &str) -> Option<LeadStatus> {
        LeadStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Still being worked: it can be assigned, followed up, dropped or converted.
    pub fn is_open(self) -> bool {
        matches!(self, LeadStatus::New | LeadStatus::Assigned)
    }

    /// Why an action is refused in this status, if it is.
    pub fn refusal(self) -> Option<&'static str> {
        match self {
            LeadStatus::Dropped => Some("线索已放弃，不能再办理"),
            LeadStatus::Converted => Some("线索已转为项目，请在项目中继续办理"),
            _ => None,
        }
    }
}

/// The stages a lead may become a project in.
pub const CONVERT_TO: [Stage; 2] = [Stage::Lead, Stage::Negotiating];

/// A lead's industry as chosen; blank is not yet known.
pub fn industry_choice(errors: &mut Invalid, text: &str) -> Option<IndustryCode> {
    let code = optional(text)?;
    IndustryCode::parse(code).or_else(|| {
        errors.add("industry_code", "所属行业无效，请从列表中选择");
        None
    })
}

/// How a lead came in (信息渠道); blank is not known.
pub fn channel_choice(errors: &mut Invalid, text: &str) -> Option<Channel> {
    let key = optional(text)?;
    Channel::parse(key).or_else(|| {
        errors.add("channel", "信息渠道无效，请从列表中选择");
        None
    })
}

/// Why a lead is given up: required, and free text within the notes' limit.
pub fn give_up_reason(text: &str) -> Result<String, Invalid> {
    if text.trim().is_empty() {
        return Err(Invalid::single("reason", "放弃线索须说明原因"));
    }
    super::validation::written_alone("reason", "原因", text, NOTES_MAX)
}

/// A lead as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LeadInput {
    pub title: String,
    pub investor_name: String,
    pub investor_id: String,
    pub industry_code: String,
    /// Expected investment in 万元 (or 万美元 with `currency`).
    pub amount: String,
    pub currency: String,
    pub channel: String,
    pub source: String,
    pub contact: String,
    pub notes: String,
    /// 获取日期: when the office learned of it (blank: today).
    pub received_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadFields {
    pub title: String,
    pub investor_name: String,
    pub investor_id: Option<InvestorId>,
    pub industry: Option<IndustryCode>,
    pub amount: Option<Money>,
    pub channel: Option<Channel>,
    pub source: Option<String>,
    pub contact: Option<String>,
    pub notes: Option<String>,
    /// 获取日期; none: the day it is recorded.
    pub received_on: Option<Date>,
}

/// A stored lead as a form shows it (edit forms).
impl From<&Lead> for LeadInput {
    fn from(l: &Lead) -> LeadInput {
        LeadInput {
            title: l.title.clone(),
            investor_name: l.investor_name.clone(),
            investor_id: l.investor_id.map(|i| i.to_string()).unwrap_or_default(),
            industry_code: l.industry_code.clone().unwrap_or_default(),
            amount: l.amount.map(|m| m.wan_plain()).unwrap_or_default(),
            currency: l
                .amount
                .map(|m| m.currency.code().to_string())
                .unwrap_or_default(),
            channel: l.channel.map(|c| c.key().to_string()).unwrap_or_default(),
            source: l.source.clone().unwrap_or_default(),
            contact: l.contact.clone().unwrap_or_default(),
            notes: l.notes.clone().unwrap_or_default(),
            received_on: super::dates::iso(l.received_on),
        }
    }
}

impl LeadInput {
    pub fn parse(&self) -> Result<LeadFields, Invalid> {
        let mut errors = Invalid::default();
        let title = text_field(&mut errors, "title", &self.title, true, NAME_MAX);
        let investor_name = text_field(
            &mut errors,
            "investor_name",
            &self.investor_name,
            true,
            NAME_MAX,
        );
        let investor_id = id_field(&mut errors, "investor_id", &self.investor_id).map(InvestorId);
        let industry = industry_choice(&mut errors, &self.industry_code);
        let currency = match optional(&self.currency) {
            None => Some(Currency::Cny),
            Some(code) => {
                let parsed = Currency::parse(code);
                if parsed.is_none() {
                    errors.add("currency", "币种只能是人民币（CNY）或美元（USD）");
                }
                parsed
            }
        };
        let amount = match (optional(&self.amount), currency) {
            (Some(text), Some(cur)) => match Money::parse_wan(text, cur) {
                Ok(m) => Some(m),
                Err(e) => {
                    errors.add("amount", amount_message("amount", e, cur.wan_label()));
                    None
                }
            },
            _ => None,
        };
        let channel = channel_choice(&mut errors, &self.channel);
        let source = text_field(&mut errors, "source", &self.source, false, NAME_MAX);
        let contact = text_field(&mut errors, "contact", &self.contact, false, NAME_MAX);
        let notes = text_field(&mut errors, "notes", &self.notes, false, NOTES_MAX);
        let received_on = match self.received_on.trim() {
            "" => None,
            text => {
                let parsed = super::dates::parse_date(text);
                if parsed.is_none() {
                    errors.add("received_on", received_on_unreadable(text));
                }
                parsed
            }
        };
        match (title, investor_name) {
            (Some(title), Some(investor_name)) if errors.is_empty() => LeadFields {
                title,
                investor_name,
                investor_id,
                industry,
                amount,
                channel,
                source,
                contact,
                notes,
                received_on,
            }
            .checked(),
            _ => Err(errors),
        }
    }
}

/// Why a 获取日期 as typed is not a date.
pub fn received_on_unreadable(text: &str) -> String {
    format!("获取日期“{text}”不是有效日期，应如 2026-03-19、2026.3.19 或 2026年3月19日")
}

impl LeadFields {
    /// A lead cannot have been learned of after `today`.
    pub fn check_received_on(&self, today: Date) -> Result<(), Invalid> {
        match self.received_on {
            Some(d) if d > today => Err(Invalid::single(
                "received_on",
                format!("获取日期 {} 晚于今天，请核对", super::dates::iso(d)),
            )),
            _ => Ok(()),
        }
    }

    /// The rules a lead's facts obey however they arrived (a form or the API): texts trimmed,
    /// bounded and free of control characters; an expected amount neither negative nor huge.
    pub fn checked(mut self) -> Result<LeadFields, Invalid> {
        let mut errors = Invalid::default();
        for (field, text) in [
            ("title", &mut self.title),
            ("investor_name", &mut self.investor_name),
        ] {
            if let Some(t) = text_field(&mut errors, field, text, true, NAME_MAX) {
                *text = t;
            }
        }
        for (field, text, max) in [
            ("source", &mut self.source, NAME_MAX),
            ("contact", &mut self.contact, NAME_MAX),
            ("notes", &mut self.notes, NOTES_MAX),
        ] {
            if let Some(t) = text.take() {
                *text = text_field(&mut errors, field, &t, false, max);
            }
        }
        match self.amount {
            Some(m) if m.yuan < 0 => errors.add("amount", "预计投资额不能为负数"),
            Some(m) if m.yuan == 0 => errors.add("amount", "预计投资额须大于0；不清楚可以不填"),
            Some(m) if m.yuan > super::money::MAX_YUAN => {
                errors.add("amount", "预计投资额数值过大")
            }
            _ => {}
        }
        errors.into_result(|| self)
    }
}

/// Who a lead is assigned to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    pub unit_id: UnitId,
    pub officer_id: Option<UserId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lead_needs_what_and_who_and_checks_the_rest() {
        let bad = LeadInput {
            amount: "很多".into(),
            channel: "bogus".into(),
            ..LeadInput::default()
        }
        .parse()
        .unwrap_err();
        for field in ["title", "investor_name", "amount", "channel"] {
            assert!(bad.message_for(field).is_some(), "{field}: {bad:?}");
        }
        let ok = LeadInput {
            title: "新能源电池壳体项目".into(),
            investor_name: "宁波某精密公司".into(),
            amount: "20000".into(),
            ..LeadInput::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.amount, Some(Money::new(200_000_000, Currency::Cny)));
    }

    #[test]
    fn only_open_leads_are_worked() {
        assert!(LeadStatus::New.is_open() && LeadStatus::Assigned.is_open());
        assert!(LeadStatus::Dropped.refusal().is_some());
        assert!(LeadStatus::Converted.refusal().is_some());
        assert_eq!(LeadStatus::parse("assigned"), Some(LeadStatus::Assigned));
    }
}

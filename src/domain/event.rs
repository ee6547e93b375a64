//! Promotion events (推介会, 洽谈会, 恳谈会, 展会): where investors were met and projects signed.

use super::dates::{iso, parse_date};
use super::money::{Currency, Money};
use super::project::{NAME_MAX, NOTES_MAX, amount_message, optional, text_field};
use super::records::event::PromotionEvent;
use super::validation::Invalid;
use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// 推介会
    Promotion,
    /// 洽谈会
    Negotiation,
    /// 恳谈会
    Symposium,
    /// 展会
    Expo,
}

impl EventKind {
    pub const ALL: [EventKind; 4] = [
        EventKind::Promotion,
        EventKind::Negotiation,
        EventKind::Symposium,
        EventKind::Expo,
    ];

    pub fn key(self) -> &'static str {
        match self {
            EventKind::Promotion => "promotion",
            EventKind::Negotiation => "negotiation",
            EventKind::Symposium => "symposium",
            EventKind::Expo => "expo",
        }
    }

    pub fn parse(key: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EventInput {
    pub kind: String,
    pub title: String,
    pub held_on: String,
    pub city: String,
    pub organiser: String,
    pub delegation: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFields {
    pub kind: EventKind,
    pub title: String,
    pub held_on: Date,
    pub city: String,
    pub organiser: Option<String>,
    pub delegation: Option<String>,
    pub notes: Option<String>,
}

/// A stored event as a form shows it (edit forms, and partial updates overlaid on it).
impl From<&PromotionEvent> for EventInput {
    fn from(e: &PromotionEvent) -> EventInput {
        EventInput {
            kind: e.kind.key().to_string(),
            title: e.title.clone(),
            held_on: iso(e.held_on),
            city: e.city.clone(),
            organiser: e.organiser.clone().unwrap_or_default(),
            delegation: e.delegation.clone().unwrap_or_default(),
            notes: e.notes.clone().unwrap_or_default(),
        }
    }
}

impl EventInput {
    /// Events are recorded when held or planned: a date up to a year ahead is accepted.
    pub fn parse(&self, today: Date) -> Result<EventFields, Invalid> {
        let mut errors = Invalid::default();
        let kind = match EventKind::parse(self.kind.trim()) {
            Some(k) => Some(k),
            None => {
                errors.add("kind", "请选择活动类型（推介会、洽谈会、恳谈会或展会）");
                None
            }
        };
        let title = text_field(&mut errors, "event_title", &self.title, true, NAME_MAX);
        let held_on = match optional(&self.held_on) {
            None => {
                errors.add("held_on", "举办日期不能为空");
                None
            }
            Some(t) => match parse_date(t) {
                Some(d) if (d - today).whole_days() > 366 => {
                    errors.add(
                        "held_on",
                        format!("举办日期不能晚于一年以后（今天是 {}）", iso(today)),
                    );
                    None
                }
                Some(d) => Some(d),
                None => {
                    errors.add("held_on", "举办日期格式不正确，应为 年-月-日");
                    None
                }
            },
        };
        let city = text_field(&mut errors, "city", &self.city, true, 40);
        let organiser = text_field(&mut errors, "organiser", &self.organiser, false, NAME_MAX);
        let delegation = text_field(
            &mut errors,
            "delegation",
            &self.delegation,
            false,
            NOTES_MAX,
        );
        let notes = text_field(&mut errors, "notes", &self.notes, false, NOTES_MAX);
        match (kind, title, held_on, city) {
            (Some(kind), Some(title), Some(held_on), Some(city)) if errors.is_empty() => {
                Ok(EventFields {
                    kind,
                    title,
                    held_on,
                    city,
                    organiser,
                    delegation,
                    notes,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The amount signed for a project at an event, typed in 万元 (or 万美元).
pub fn signed_amount(text: &str, currency: &str) -> Result<Money, Invalid> {
    let currency = match optional(currency) {
        None => Currency::Cny,
        Some(code) => Currency::parse(code)
            .ok_or_else(|| Invalid::single("currency", "币种只能是人民币（CNY）或美元（USD）"))?,
    };
    match Money::parse_wan(text, currency) {
        Ok(m) if m.yuan > 0 => Ok(m),
        Ok(_) => Err(Invalid::single("signed_amount", "签约金额须大于0")),
        Err(e) => Err(Invalid::single(
            "signed_amount",
            amount_message("signed_amount", e, currency.wan_label()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn an_event_needs_kind_title_date_and_city() {
        let today = date!(2026 - 11 - 23);
        let e = EventInput::default().parse(today).unwrap_err();
        for f in ["kind", "event_title", "held_on", "city"] {
            assert!(e.message_for(f).is_some(), "{f}");
        }
        let ok = EventInput {
            kind: "promotion".into(),
            title: "2026宁波专场招商推介会".into(),
            held_on: "2026年5月28日".into(),
            city: "宁波".into(),
            ..EventInput::default()
        }
        .parse(today)
        .unwrap();
        assert_eq!(ok.held_on, date!(2026 - 05 - 28));
    }

    #[test]
    fn a_signed_amount_is_positive_money() {
        assert_eq!(
            signed_amount("30000", "").unwrap(),
            Money::new(300_000_000, Currency::Cny)
        );
        assert!(signed_amount("0", "CNY").is_err());
        assert!(signed_amount("三亿", "CNY").is_err());
        assert!(signed_amount("1", "EUR").is_err());
    }
}

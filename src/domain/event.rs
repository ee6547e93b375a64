//! Promotion events (推介会, 洽谈会, 恳谈会, 展会): where investors were met and projects signed.

use super::dates::{iso, parse_date};
use super::money::{Currency, Money};
use super::project::{NAME_MAX, NOTES_MAX, amount_message, optional, text_field};
use super::records::event::PromotionEvent;
use super::stage::Stage;
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

/// What recording a project as signed at an event does to the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningAgreement {
    /// The project's 正式签约 or 意向签约 date is the event's: nothing to change.
    Agrees,
    /// The project has not signed yet: the signing is recorded on it too, as this stage
    /// (意向签约 or 正式签约) on the event's day.
    Record(Stage),
}

/// A signing at an event must agree with the project's own signing dates, or be recorded as
/// the project's signing: a project that signed on another day, or is past signing without a
/// date (closed, paused), was not signed at this event.
pub fn signing_agreement(
    held_on: Date,
    stage: Stage,
    intent_on: Option<Date>,
    contracted_on: Option<Date>,
    record_as: Stage,
) -> Result<SigningAgreement, Invalid> {
    let refuse = |m: String| Err(Invalid::single("project_id", m));
    if contracted_on == Some(held_on) || intent_on == Some(held_on) {
        return Ok(SigningAgreement::Agrees);
    }
    if let Some(day) = contracted_on {
        return refuse(format!(
            "该项目已于 {} 正式签约，与活动日期（{}）不符：只有在活动当天签约的项目才计入",
            iso(day),
            iso(held_on)
        ));
    }
    if stage == Stage::Lead {
        return refuse("该项目尚在“线索”阶段：请先将其转为“在谈”，再记为活动签约".into());
    }
    if !matches!(stage, Stage::Negotiating | Stage::Intent) {
        return refuse(format!(
            "该项目目前为“{}”，不能记为本次活动签约",
            stage.label()
        ));
    }
    match record_as {
        Stage::Contracted => Ok(SigningAgreement::Record(Stage::Contracted)),
        Stage::Intent if intent_on.is_none() => Ok(SigningAgreement::Record(Stage::Intent)),
        Stage::Intent => refuse(format!(
            "该项目已于 {} 意向签约，与活动日期（{}）不符；如在活动上正式签约，请选择“正式签约”",
            iso(intent_on.unwrap_or(held_on)),
            iso(held_on)
        )),
        _ => refuse("签约类型只能是“意向签约”或“正式签约”".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_signing_at_an_event_agrees_with_the_project_or_is_recorded_on_it() {
        let day = date!(2026 - 05 - 28);
        let other = date!(2026 - 03 - 01);
        use SigningAgreement::*;
        use Stage::*;
        for (stage, intent, contracted, record_as, want) in [
            (Contracted, None, Some(day), Contracted, Some(Agrees)),
            (Intent, Some(day), None, Contracted, Some(Agrees)),
            (Construction, None, Some(other), Contracted, None),
            (
                Negotiating,
                None,
                None,
                Contracted,
                Some(Record(Contracted)),
            ),
            (Negotiating, None, None, Intent, Some(Record(Intent))),
            (
                Intent,
                Some(other),
                None,
                Contracted,
                Some(Record(Contracted)),
            ),
            (Intent, Some(other), None, Intent, None),
            (Terminated, None, None, Contracted, None),
            (Lead, None, None, Contracted, None),
            (Paused, None, None, Contracted, None),
        ] {
            assert_eq!(
                signing_agreement(day, stage, intent, contracted, record_as).ok(),
                want,
                "{stage:?} {intent:?} {contracted:?} as {record_as:?}"
            );
        }
    }

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

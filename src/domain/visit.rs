//! Visits: our people going out to investors (走出去) and investors received here (请进来), each
//! with what came of it and, when something is still to be done, a follow-up date.

use super::dates::{iso, parse_date};
use super::ids::{InvestorId, UserId};
use super::project::{NAME_MAX, NOTES_MAX, id_field, text_field};
use super::records::visit::Visit;
use super::validation::Invalid;
use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 走出去: our delegation visits the investor.
    Out,
    /// 请进来: the investor visits us.
    In,
}

impl Direction {
    pub const ALL: [Direction; 2] = [Direction::Out, Direction::In];

    pub fn key(self) -> &'static str {
        match self {
            Direction::Out => "out",
            Direction::In => "in",
        }
    }

    pub fn parse(key: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.key() == key)
    }
}

/// A visit as typed. `participants` are account ids, comma-separated or repeated.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VisitInput {
    pub direction: String,
    pub visit_date: String,
    pub place: String,
    pub investor_id: String,
    pub investor_side: String,
    pub participants: Vec<String>,
    pub leader_id: String,
    pub purpose: String,
    pub outcome: String,
    pub next_step: String,
    pub follow_up_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitFields {
    pub direction: Direction,
    pub visit_date: Date,
    pub place: String,
    pub investor_id: Option<InvestorId>,
    pub investor_side: String,
    pub participants: Vec<UserId>,
    pub leader_id: Option<UserId>,
    pub purpose: String,
    pub outcome: Option<String>,
    pub next_step: Option<String>,
    pub follow_up_on: Option<Date>,
}

/// How many days a follow-up may be set ahead (beyond that it is a plan, not a follow-up).
pub const FOLLOW_UP_MAX_DAYS: i64 = 366;

/// What came of a follow-up, written when it is closed: required, within the notes' limit.
pub fn follow_up_outcome(text: &str) -> Result<String, Invalid> {
    if text.trim().is_empty() {
        return Err(Invalid::single("outcome", "请写明跟进结果"));
    }
    super::validation::written_alone("outcome", "跟进结果", text, NOTES_MAX)
}

/// A stored visit as a form shows it (edit forms, and partial updates overlaid on it).
impl From<&Visit> for VisitInput {
    fn from(v: &Visit) -> VisitInput {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        VisitInput {
            direction: v.direction.key().to_string(),
            visit_date: iso(v.visit_date),
            place: v.place.clone(),
            investor_id: v.investor_id.map(|i| i.to_string()).unwrap_or_default(),
            investor_side: v.investor_side.clone(),
            participants: v.participants.iter().map(|p| p.id.to_string()).collect(),
            leader_id: v.leader_id.map(|l| l.to_string()).unwrap_or_default(),
            purpose: v.purpose.clone(),
            outcome: opt(&v.outcome),
            next_step: opt(&v.next_step),
            follow_up_on: v.follow_up_on.map(iso).unwrap_or_default(),
        }
    }
}

impl VisitInput {
    pub fn parse(&self, today: Date) -> Result<VisitFields, Invalid> {
        let mut errors = Invalid::default();
        let direction = match Direction::parse(self.direction.trim()) {
            Some(d) => Some(d),
            None => {
                errors.add("direction", "请选择走出去或请进来");
                None
            }
        };
        let visit_date = match self.visit_date.trim() {
            "" => {
                errors.add("visit_date", "拜访日期不能为空");
                None
            }
            t => match parse_date(t) {
                Some(d) if d <= today => Some(d),
                Some(_) => {
                    errors.add(
                        "visit_date",
                        format!("拜访日期不能晚于今天（{}）", iso(today)),
                    );
                    None
                }
                None => {
                    errors.add("visit_date", "拜访日期格式不正确，应为 年-月-日");
                    None
                }
            },
        };
        let place = text_field(&mut errors, "place", &self.place, true, NAME_MAX);
        let investor_id = id_field(&mut errors, "investor_id", &self.investor_id).map(InvestorId);
        let investor_side = text_field(
            &mut errors,
            "investor_side",
            &self.investor_side,
            true,
            NAME_MAX,
        );
        let mut participants = Vec::new();
        for text in self
            .participants
            .iter()
            .flat_map(|p| p.split([',', '，']))
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            match text.parse::<i64>() {
                Ok(id) if id > 0 => {
                    if !participants.contains(&UserId(id)) {
                        participants.push(UserId(id));
                    }
                }
                _ => errors.add("participants", format!("参加人员“{text}”无效")),
            }
        }
        if participants.is_empty() && !errors.0.iter().any(|e| e.field == "participants") {
            errors.add("participants", "请至少选择一名我方参加人员");
        }
        let leader_id = id_field(&mut errors, "leader_id", &self.leader_id).map(UserId);
        let purpose = text_field(&mut errors, "purpose", &self.purpose, true, NOTES_MAX);
        let outcome = text_field(&mut errors, "outcome", &self.outcome, false, NOTES_MAX);
        let next_step = text_field(&mut errors, "next_step", &self.next_step, false, NOTES_MAX);
        let follow_up_on = match self.follow_up_on.trim() {
            "" => None,
            t => match parse_date(t) {
                Some(d) if visit_date.is_some_and(|v| d < v) => {
                    errors.add("follow_up_on", "跟进日期不能早于拜访日期");
                    None
                }
                Some(d) if (d - today).whole_days() > FOLLOW_UP_MAX_DAYS => {
                    errors.add("follow_up_on", "跟进日期不能晚于一年以后");
                    None
                }
                Some(d) => Some(d),
                None => {
                    errors.add("follow_up_on", "跟进日期格式不正确，应为 年-月-日");
                    None
                }
            },
        };
        if follow_up_on.is_some()
            && next_step.is_none()
            && errors.message_for("next_step").is_none()
        {
            errors.add("next_step", "设了跟进日期，请写明下一步要做什么");
        }
        match (direction, visit_date, place, investor_side, purpose) {
            (
                Some(direction),
                Some(visit_date),
                Some(place),
                Some(investor_side),
                Some(purpose),
            ) if errors.is_empty() => Ok(VisitFields {
                direction,
                visit_date,
                place,
                investor_id,
                investor_side,
                participants,
                leader_id,
                purpose,
                outcome,
                next_step,
                follow_up_on,
            }),
            _ => Err(errors),
        }
    }
}

/// Whether a follow-up is overdue on `today`: its date has passed and it is not done.
pub fn overdue(follow_up_on: Option<Date>, done: bool, today: Date) -> bool {
    !done && follow_up_on.is_some_and(|d| d < today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> VisitInput {
        VisitInput {
            direction: "out".into(),
            visit_date: "2026-11-02".into(),
            place: "宁波".into(),
            investor_side: "宁波甬钢 董事长 李强".into(),
            participants: vec!["4, 5".into()],
            purpose: "洽谈高端钢铁制品项目".into(),
            ..VisitInput::default()
        }
    }

    #[test]
    fn a_visit_needs_its_facts_and_a_follow_up_needs_a_next_step() {
        let today = date!(2026 - 11 - 23);
        let ok = input().parse(today).unwrap();
        assert_eq!(ok.participants, vec![UserId(4), UserId(5)]);
        let mut late = input();
        late.follow_up_on = "2026-12-01".into();
        let e = late.parse(today).unwrap_err();
        assert!(e.message_for("next_step").is_some());
        let mut before = input();
        before.follow_up_on = "2026-11-01".into();
        before.next_step = "寄送园区资料".into();
        assert!(
            before
                .parse(today)
                .unwrap_err()
                .message_for("follow_up_on")
                .is_some()
        );
        let mut future = input();
        future.visit_date = "2026-11-24".into();
        assert!(
            future
                .parse(today)
                .unwrap_err()
                .message_for("visit_date")
                .is_some()
        );
        let empty = VisitInput::default().parse(today).unwrap_err();
        for field in [
            "direction",
            "visit_date",
            "place",
            "investor_side",
            "participants",
            "purpose",
        ] {
            assert!(empty.message_for(field).is_some(), "{field}");
        }
    }

    #[test]
    fn overdue_means_past_and_not_done() {
        let today = date!(2026 - 11 - 23);
        assert!(overdue(Some(date!(2026 - 11 - 22)), false, today));
        assert!(!overdue(Some(date!(2026 - 11 - 23)), false, today));
        assert!(!overdue(Some(date!(2026 - 11 - 22)), true, today));
        assert!(!overdue(None, false, today));
    }
}

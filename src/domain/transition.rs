//! A request to move a project to another stage, and the facts each move needs.

use super::credit_code::CreditCode;
use super::dates::{iso, parse_date};
use super::money::{Currency, Money};
use super::project::amount_message;
use super::stage::{Move, Stage};
use super::validation::Invalid;
use time::Date;

/// What the user typed for a transition. `contract_amount` is in 万 of `contract_currency`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct TransitionInput {
    pub to: String,
    pub date: String,
    pub contract_amount: String,
    pub contract_currency: String,
    pub credit_code: String,
    pub land_grant_date: String,
    pub reason: String,
}

/// Where the project stands now: what a transition is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageState {
    pub stage: Stage,
    pub paused_from: Option<Stage>,
    /// The effective date of the latest stage change (or of the lead's entry).
    pub since: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Facts {
    None,
    Contract {
        amount: Money,
    },
    Landing {
        credit_code: Option<CreditCode>,
        land_grant_date: Option<Date>,
    },
    Reason(String),
}

/// What a stage change must be told besides its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// Signing: the contract amount.
    ContractAmount,
    /// Landing: the local company's credit code or the land grant date (at least one).
    LocalCompanyOrLand,
    /// Pausing or closing: why.
    Reason,
}

impl Needs {
    pub fn of(movement: Move, to: Stage) -> Needs {
        match (movement, to) {
            (Move::Pause | Move::Close, _) => Needs::Reason,
            (Move::Advance, Stage::Contracted) => Needs::ContractAmount,
            (Move::Advance, Stage::Landed) => Needs::LocalCompanyOrLand,
            _ => Needs::Nothing,
        }
    }
}

/// A checked transition, ready to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: Stage,
    pub to: Stage,
    pub movement: Move,
    pub date: Date,
    pub facts: Facts,
}

pub const REASON_MAX: usize = 500;

impl Transition {
    /// The stage a paused project will return to, after this transition.
    pub fn paused_from_after(&self, before: &StageState) -> Option<Stage> {
        match self.movement {
            Move::Pause => Some(before.stage),
            _ => None,
        }
    }
}

/// A transition as asked for, in typed values: where to, on which day, and the facts the move
/// may need. Pages parse a `TransitionInput` into it; the API builds it from JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionRequest {
    pub to: Stage,
    pub date: Option<Date>,
    pub contract_amount: Option<Money>,
    pub credit_code: Option<CreditCode>,
    pub land_grant_date: Option<Date>,
    pub reason: String,
}

impl TransitionInput {
    /// The typed request, or every problem in how it was written. The rules that depend on
    /// where the project stands are `TransitionRequest::check`'s.
    pub fn parse(&self) -> Result<TransitionRequest, Invalid> {
        let to = Stage::parse(self.to.trim())
            .ok_or_else(|| Invalid::single("to", "请选择要转入的阶段"))?;
        let mut errors = Invalid::default();
        let date = match self.date.trim() {
            "" => None,
            text => parse_date(text).or_else(|| {
                errors.add(
                    "date",
                    format!(
                        "{}格式不正确，应为 年-月-日，如 2026-05-28",
                        to.date_label()
                    ),
                );
                None
            }),
        };
        let contract_amount = match self.contract_amount.trim() {
            "" => None,
            text => {
                let currency = match self.contract_currency.trim() {
                    "" => Some(Currency::Cny),
                    code => Currency::parse(code),
                };
                match currency {
                    None => {
                        errors.add("contract_amount", "合同金额币种只能是 CNY 或 USD");
                        None
                    }
                    Some(cur) => match Money::parse_wan(text, cur) {
                        Ok(m) => Some(m),
                        Err(e) => {
                            errors.add(
                                "contract_amount",
                                amount_message("contract_amount", e, cur.wan_label()),
                            );
                            None
                        }
                    },
                }
            }
        };
        let credit_code = match self.credit_code.trim() {
            "" => None,
            text => match CreditCode::parse(text) {
                Ok(c) => Some(c),
                Err(e) => {
                    errors.add("credit_code", e.message());
                    None
                }
            },
        };
        let land_grant_date = match self.land_grant_date.trim() {
            "" => None,
            text => parse_date(text).or_else(|| {
                errors.add("land_grant_date", "供地日期格式不正确，应为 年-月-日");
                None
            }),
        };
        errors.into_result(|| TransitionRequest {
            to,
            date,
            contract_amount,
            credit_code,
            land_grant_date,
            reason: self.reason.clone(),
        })
    }

    /// Parsed, then checked against where the project stands.
    pub fn validate(&self, state: &StageState, today: Date) -> Result<Transition, Invalid> {
        self.parse()?.check(state, today)
    }
}

impl TransitionRequest {
    /// The rules of a stage change: a move the stage allows, a date neither in the future nor
    /// before the stage the project is leaving, and the facts this kind of move needs.
    pub fn check(&self, state: &StageState, today: Date) -> Result<Transition, Invalid> {
        let to = self.to;
        let movement = match state.stage.check_move(to, state.paused_from) {
            Ok(m) => m,
            Err(refusal) => return Err(Invalid::single("to", refusal.message(state.stage, to))),
        };
        let mut errors = Invalid::default();
        let date = match self.date {
            None => {
                errors.add("date", format!("{}不能为空", to.date_label()));
                None
            }
            Some(d) if d > today => {
                errors.add(
                    "date",
                    format!("{}不能晚于今天（{}）", to.date_label(), iso(today)),
                );
                None
            }
            Some(d) if d < state.since => {
                errors.add(
                    "date",
                    format!(
                        "{}不能早于上一阶段“{}”的日期（{}）",
                        to.date_label(),
                        state.stage.label(),
                        iso(state.since)
                    ),
                );
                None
            }
            Some(d) => Some(d),
        };
        let facts = match Needs::of(movement, to) {
            Needs::Reason => {
                let reason = self.reason.trim();
                if reason.is_empty() {
                    errors.add("reason", format!("转为“{}”须填写原因", to.label()));
                } else if reason.chars().count() > REASON_MAX {
                    errors.add("reason", format!("原因不能超过{REASON_MAX}个字"));
                } else if super::validation::has_control_chars(reason) {
                    errors.add("reason", "原因含有不可见的控制字符，请删除后再提交");
                }
                Facts::Reason(reason.to_string())
            }
            Needs::ContractAmount => match self.contract_amount {
                None => {
                    errors.add("contract_amount", "合同金额不能为空");
                    Facts::None
                }
                Some(m) if m.yuan <= 0 => {
                    errors.add("contract_amount", "合同金额须大于0");
                    Facts::None
                }
                Some(m) if m.yuan > super::money::MAX_YUAN => {
                    errors.add("contract_amount", "合同金额数值过大");
                    Facts::None
                }
                Some(amount) => Facts::Contract { amount },
            },
            Needs::LocalCompanyOrLand => {
                if self.land_grant_date.is_some_and(|d| d > today) {
                    errors.add("land_grant_date", "供地日期不能晚于今天");
                }
                if self.credit_code.is_none() && self.land_grant_date.is_none() {
                    errors.add(
                        "credit_code",
                        "落地须填写本地注册企业的统一社会信用代码或供地日期（至少一项）",
                    );
                }
                Facts::Landing {
                    credit_code: self.credit_code.clone(),
                    land_grant_date: self.land_grant_date,
                }
            }
            Needs::Nothing => Facts::None,
        };
        match date {
            Some(date) if errors.is_empty() => Ok(Transition {
                from: state.stage,
                to,
                movement,
                date,
                facts,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_change_asks_for_its_own_facts() {
        let cases = [
            (Move::Advance, Stage::Negotiating, Needs::Nothing),
            (Move::Advance, Stage::Contracted, Needs::ContractAmount),
            (Move::Advance, Stage::Landed, Needs::LocalCompanyOrLand),
            (Move::Advance, Stage::Production, Needs::Nothing),
            (Move::Pause, Stage::Paused, Needs::Reason),
            (Move::Close, Stage::Terminated, Needs::Reason),
            (Move::Resume, Stage::Contracted, Needs::Nothing),
        ];
        for (movement, to, needs) in cases {
            assert_eq!(Needs::of(movement, to), needs, "{movement:?} → {to:?}");
        }
    }
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 23);

    fn state(stage: Stage) -> StageState {
        StageState {
            stage,
            paused_from: None,
            since: date!(2026 - 03 - 01),
        }
    }

    fn input(to: &str, date: &str) -> TransitionInput {
        TransitionInput {
            to: to.into(),
            date: date.into(),
            ..TransitionInput::default()
        }
    }

    #[test]
    fn a_future_date_is_refused() {
        let e = input("negotiating", "2026-11-24")
            .validate(&state(Stage::Lead), TODAY)
            .unwrap_err();
        assert!(e.message_for("date").unwrap().contains("不能晚于今天"));
    }

    #[test]
    fn a_date_before_the_previous_stage_is_refused() {
        let e = input("negotiating", "2026-02-28")
            .validate(&state(Stage::Lead), TODAY)
            .unwrap_err();
        assert!(e.message_for("date").unwrap().contains("不能早于上一阶段"));
    }

    #[test]
    fn the_same_day_as_the_previous_stage_is_fine() {
        assert!(
            input("negotiating", "2026-03-01")
                .validate(&state(Stage::Lead), TODAY)
                .is_ok()
        );
    }

    #[test]
    fn contracting_needs_an_amount() {
        let e = input("contracted", "2026-05-01")
            .validate(&state(Stage::Negotiating), TODAY)
            .unwrap_err();
        assert!(e.message_for("contract_amount").is_some());
        let mut ok = input("contracted", "2026-05-01");
        ok.contract_amount = "52000".into();
        let t = ok.validate(&state(Stage::Negotiating), TODAY).unwrap();
        assert_eq!(
            t.facts,
            Facts::Contract {
                amount: Money::new(520_000_000, Currency::Cny)
            }
        );
    }

    #[test]
    fn landing_needs_a_valid_credit_code_or_a_land_grant() {
        let s = state(Stage::Contracted);
        let e = input("landed", "2026-05-01")
            .validate(&s, TODAY)
            .unwrap_err();
        assert!(e.message_for("credit_code").unwrap().contains("至少一项"));
        let mut bad = input("landed", "2026-05-01");
        bad.credit_code = "91350100M000100Y44".into();
        assert!(
            bad.validate(&s, TODAY)
                .unwrap_err()
                .message_for("credit_code")
                .unwrap()
                .contains("校验位")
        );
        let mut good = input("landed", "2026-05-01");
        good.credit_code = "91350100M000100Y43".into();
        assert!(good.validate(&s, TODAY).is_ok());
        let mut land = input("landed", "2026-05-01");
        land.land_grant_date = "2026年4月30日".into();
        assert!(land.validate(&s, TODAY).is_ok());
    }

    #[test]
    fn pausing_and_closing_need_a_reason() {
        for (from, to) in [
            (Stage::Lead, "paused"),
            (Stage::Lead, "terminated"),
            (Stage::Landed, "exited"),
            (Stage::Intent, "rejected"),
        ] {
            let e = input(to, "2026-05-01")
                .validate(&state(from), TODAY)
                .unwrap_err();
            assert!(e.message_for("reason").is_some(), "{to}");
        }
    }

    #[test]
    fn an_illegal_jump_names_the_rule() {
        let e = input("production", "2026-05-01")
            .validate(&state(Stage::Lead), TODAY)
            .unwrap_err();
        assert_eq!(
            e.message_for("to").unwrap(),
            "不能从“线索”直接转为“投产”，请按阶段顺序推进"
        );
    }

    #[test]
    fn resuming_returns_to_the_left_stage() {
        let s = StageState {
            stage: Stage::Paused,
            paused_from: Some(Stage::Construction),
            since: date!(2026 - 03 - 01),
        };
        assert!(
            input("construction", "2026-04-01")
                .validate(&s, TODAY)
                .is_ok()
        );
        assert!(
            input("negotiating", "2026-04-01")
                .validate(&s, TODAY)
                .is_err()
        );
    }
}

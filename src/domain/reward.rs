//! The referrer reward rule (引荐奖励): projects a referrer brought that reached a set stage earn
//! a per-mille share of their contracted amount, the rate set by the tier the amount falls in,
//! with an optional cap per project. The rule is configuration, written as text:
//!
//! `stage=contracted; tiers=0:5,10000:3,100000:1; cap=100`
//!
//! — tiers are `from 万元:‰`; the amount's tier is the last whose start it reaches; the cap is
//! in 万元 (`cap=none` for no cap). The figure is reproducible: every reward carries its inputs.

use super::money::{Currency, Money};
use super::stage::Stage;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Tier {
    /// The tier starts at this contracted amount, in yuan.
    pub from_yuan: i64,
    /// Reward per thousand yuan of the contracted amount.
    pub per_mille: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RewardRule {
    /// A project counts once it has reached this stage (its date decides the year).
    pub stage: Stage,
    /// Ascending by `from_yuan`; the first starts at 0.
    pub tiers: Vec<Tier>,
    /// At most this much per project, in yuan.
    pub cap_yuan: Option<i64>,
}

/// One project's reward and what it was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Reward {
    /// The contracted amount in yuan (USD converted at the configured rate).
    pub base_yuan: i64,
    pub per_mille: i64,
    pub capped: bool,
    pub reward_yuan: i64,
}

const WAN: i64 = 10_000;

/// The stages whose date a project records, so that a reward can be placed in a year.
pub const DATED_STAGES: [Stage; 6] = [
    Stage::Intent,
    Stage::Contracted,
    Stage::Landed,
    Stage::Construction,
    Stage::Production,
    Stage::AtCapacity,
];

impl Default for RewardRule {
    /// 5‰ below 1亿元, 3‰ from 1亿元, 1‰ from 10亿元, at most 100万元 a project, once
    /// contracted.
    fn default() -> Self {
        RewardRule {
            stage: Stage::Contracted,
            tiers: vec![
                Tier {
                    from_yuan: 0,
                    per_mille: 5,
                },
                Tier {
                    from_yuan: 10_000 * WAN,
                    per_mille: 3,
                },
                Tier {
                    from_yuan: 100_000 * WAN,
                    per_mille: 1,
                },
            ],
            cap_yuan: Some(100 * WAN),
        }
    }
}

impl RewardRule {
    /// Reads the rule's text form; the message names what is wrong.
    pub fn parse(text: &str) -> Result<RewardRule, String> {
        let mut stage = None;
        let mut tiers = None;
        let mut cap_yuan = None;
        for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("“{part}”应为 名称=值"))?;
            match key.trim() {
                "stage" => {
                    let s = Stage::parse(value.trim())
                        .ok_or_else(|| format!("阶段“{}”无效", value.trim()))?;
                    if !DATED_STAGES.contains(&s) {
                        return Err(format!(
                            "阶段“{}”没有记录日期，不能作为计奖节点（可用：意向签约及以后各阶段）",
                            s.label()
                        ));
                    }
                    stage = Some(s);
                }
                "tiers" => {
                    let mut list = Vec::new();
                    for t in value.split(',').map(str::trim) {
                        let (from, rate) = t
                            .split_once(':')
                            .ok_or_else(|| format!("档位“{t}”应为 起点万元:千分比"))?;
                        let from: i64 = from
                            .trim()
                            .parse()
                            .map_err(|_| format!("档位起点“{from}”须为整数万元"))?;
                        let per_mille: i64 = rate
                            .trim()
                            .parse()
                            .map_err(|_| format!("档位比例“{rate}”须为整数（千分之几）"))?;
                        if from < 0 || !(0..=1000).contains(&per_mille) {
                            return Err(format!("档位“{t}”超出范围"));
                        }
                        list.push(Tier {
                            from_yuan: from * WAN,
                            per_mille,
                        });
                    }
                    if list.first().map(|t| t.from_yuan) != Some(0) {
                        return Err("第一个档位须从0万元起".into());
                    }
                    if list.windows(2).any(|w| w[0].from_yuan >= w[1].from_yuan) {
                        return Err("档位起点须逐档增大".into());
                    }
                    tiers = Some(list);
                }
                "cap" if value.trim() == "none" => cap_yuan = Some(None),
                "cap" => {
                    let cap: i64 = value
                        .trim()
                        .parse()
                        .map_err(|_| format!("封顶“{}”须为整数万元", value.trim()))?;
                    if cap <= 0 {
                        return Err("封顶须大于0".into());
                    }
                    cap_yuan = Some(Some(cap * WAN));
                }
                other => return Err(format!("不认识的规则项“{other}”")),
            }
        }
        let default = RewardRule::default();
        Ok(RewardRule {
            stage: stage.unwrap_or(default.stage),
            tiers: tiers.unwrap_or(default.tiers),
            cap_yuan: cap_yuan.unwrap_or(default.cap_yuan),
        })
    }

    /// The reward for one contracted amount.
    pub fn reward(&self, contracted: Money, usd_rate_e4: i64) -> Reward {
        let base = match contracted.currency {
            Currency::Cny => contracted.yuan,
            Currency::Usd => contracted.cny_equivalent(usd_rate_e4),
        };
        let per_mille = self
            .tiers
            .iter()
            .rev()
            .find(|t| base >= t.from_yuan)
            .map_or(0, |t| t.per_mille);
        let raw = (i128::from(base) * i128::from(per_mille) / 1000) as i64;
        let (reward_yuan, capped) = match self.cap_yuan {
            Some(cap) if raw > cap => (cap, true),
            _ => (raw, false),
        };
        Reward {
            base_yuan: base,
            per_mille,
            capped,
            reward_yuan,
        }
    }

    /// The rule in words, shown beside the figures.
    pub fn describe(&self) -> String {
        let tiers: Vec<String> = self
            .tiers
            .iter()
            .map(|t| {
                if t.from_yuan == 0 {
                    format!("{}‰", t.per_mille)
                } else {
                    format!("{}万元起 {}‰", t.from_yuan / WAN, t.per_mille)
                }
            })
            .collect();
        let cap = match self.cap_yuan {
            Some(c) => format!("，单个项目封顶{}万元", c / WAN),
            None => String::new(),
        };
        format!(
            "项目达到“{}”后，按合同金额计奖：{}{cap}；年度以达到该阶段的日期计",
            self.stage.label(),
            tiers.join("，")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tier_of_the_amount_sets_the_rate_and_the_cap_holds() {
        let rule = RewardRule::default();
        let r = rule.reward(Money::new(5_000 * WAN, Currency::Cny), 71_000);
        assert_eq!((r.per_mille, r.reward_yuan, r.capped), (5, 250_000, false));
        let r = rule.reward(Money::new(30_000 * WAN, Currency::Cny), 71_000);
        assert_eq!((r.per_mille, r.reward_yuan), (3, 900_000));
        let r = rule.reward(Money::new(500_000 * WAN, Currency::Cny), 71_000);
        assert_eq!((r.per_mille, r.reward_yuan, r.capped), (1, 1_000_000, true));
        // USD at the configured rate: 2,000万美元 × 7.1 = 1.42亿元 → 3‰.
        let r = rule.reward(Money::new(2_000 * WAN, Currency::Usd), 71_000);
        assert_eq!(
            (r.base_yuan, r.per_mille, r.reward_yuan),
            (142_000_000, 3, 426_000)
        );
    }

    #[test]
    fn the_rule_is_read_from_text_and_bad_text_is_named() {
        let rule = RewardRule::parse("stage=landed; tiers=0:4,5000:2; cap=50").unwrap();
        assert_eq!(rule.stage, Stage::Landed);
        assert_eq!(
            rule.tiers[1],
            Tier {
                from_yuan: 5_000 * WAN,
                per_mille: 2
            }
        );
        assert_eq!(rule.cap_yuan, Some(50 * WAN));
        assert!(
            RewardRule::parse("tiers=100:5")
                .unwrap_err()
                .contains("0万元起")
        );
        assert!(
            RewardRule::parse("tiers=0:5,0:3")
                .unwrap_err()
                .contains("逐档增大")
        );
        assert!(
            RewardRule::parse("stage=moon")
                .unwrap_err()
                .contains("阶段")
        );
        assert!(RewardRule::parse("bonus=1").unwrap_err().contains("bonus"));
        assert_eq!(RewardRule::parse("").unwrap(), RewardRule::default());
        assert_eq!(RewardRule::parse("cap=none").unwrap().cap_yuan, None);
        assert!(RewardRule::default().describe().contains("正式签约"));
    }
}

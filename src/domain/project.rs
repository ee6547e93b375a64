//! A project's editable facts, parsed from what a user typed.

use super::area::{Area, AreaUnit};
use super::channel::Channel;
use super::glossary::field_label;
use super::ids::{InvestorId, UnitId, UserId};
use super::industry::IndustryCode;
use super::money::{AmountError, Currency, Money};
use super::records::project::Project;
use super::stage::Stage;
use super::validation::Invalid;
use time::Date;

/// What a form or an API call supplies, unparsed. Amounts are in 万 (万元/万美元), land in 亩.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ProjectInput {
    pub name: String,
    pub investor_name: String,
    pub industry_code: String,
    pub channel: String,
    pub total_investment: String,
    pub currency: String,
    pub land_area: String,
    /// Land area in ㎡ (the API's exact form); when given it takes precedence over `land_area`.
    pub land_area_m2: String,
    pub building_area: String,
    pub expected_output: String,
    pub expected_tax: String,
    pub jobs: String,
    pub unit_id: String,
    pub officer_id: String,
    pub leader_id: String,
    pub referrer: String,
    pub notes: String,
    /// The investor record (客商库) the project is with, by id; optional.
    pub investor_id: String,
    /// The referrer record (引荐人) who brought it, by id; optional.
    pub referrer_id: String,
}

/// Validated facts, ready to store. References (unit, officer, leader) are checked by the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFields {
    pub name: String,
    pub investor_name: String,
    pub industry: IndustryCode,
    pub channel: Option<Channel>,
    pub total_investment: Money,
    pub land_area: Option<Area>,
    pub building_area: Option<Area>,
    pub expected_output: Option<Money>,
    pub expected_tax: Option<Money>,
    pub jobs: Option<i64>,
    pub unit_id: Option<UnitId>,
    pub officer_id: Option<UserId>,
    pub leader_id: Option<UserId>,
    pub referrer: Option<String>,
    pub notes: Option<String>,
    pub investor_id: Option<InvestorId>,
    pub referrer_id: Option<super::ids::ReferrerId>,
}

pub const NAME_MAX: usize = 100;
pub const NOTES_MAX: usize = 2000;
pub const JOBS_MAX: i64 = 1_000_000;

pub fn amount_message(field: &str, error: AmountError, unit: &str) -> String {
    let label = field_label(field);
    match error {
        AmountError::Empty => format!("{label}不能为空"),
        // Money may also be written "1.5亿" or "3000万" (see `Money::parse_wan`).
        AmountError::NotANumber if unit.starts_with('万') => {
            format!("{label}须为数字（单位：{unit}），也可写成“3000万”或“1.5亿”")
        }
        AmountError::NotANumber => format!("{label}须为数字（单位：{unit}）"),
        AmountError::TooManyDecimals => format!("{label}最多保留4位小数（单位：{unit}）"),
        AmountError::Negative => format!("{label}不能为负数"),
        AmountError::TooLarge => format!("{label}数值过大"),
    }
}

pub(super) fn optional(text: &str) -> Option<&str> {
    let t = text.trim();
    (!t.is_empty()).then_some(t)
}

pub(super) fn text_field(
    errors: &mut Invalid,
    field: &str,
    value: &str,
    required: bool,
    max: usize,
) -> Option<String> {
    super::validation::written(errors, field, field_label(field), value, required, max)
}

pub(super) fn id_field(errors: &mut Invalid, field: &str, value: &str) -> Option<i64> {
    let v = optional(value)?;
    match v.parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            errors.add(field, format!("{}无效", field_label(field)));
            None
        }
    }
}

/// A stored project as a form shows it (edit forms).
impl From<&Project> for ProjectInput {
    fn from(p: &Project) -> ProjectInput {
        ProjectInput {
            name: p.name.clone(),
            investor_name: p.investor_name.clone(),
            industry_code: p.industry_code.clone(),
            channel: p.channel.map(|c| c.key().to_string()).unwrap_or_default(),
            total_investment: p.total_investment.wan_plain(),
            currency: p.total_investment.currency.code().to_string(),
            land_area: p.land_area.map(|a| a.mu_plain()).unwrap_or_default(),
            land_area_m2: String::new(),
            building_area: p
                .building_area
                .map(|a| a.m2.to_string())
                .unwrap_or_default(),
            expected_output: p.expected_output.map(|m| m.wan_plain()).unwrap_or_default(),
            expected_tax: p.expected_tax.map(|m| m.wan_plain()).unwrap_or_default(),
            jobs: p.jobs.map(|j| j.to_string()).unwrap_or_default(),
            unit_id: p.unit_id.to_string(),
            officer_id: p.officer_id.map(|u| u.to_string()).unwrap_or_default(),
            leader_id: p.leader_id.map(|u| u.to_string()).unwrap_or_default(),
            referrer: p.referrer.clone().unwrap_or_default(),
            notes: p.notes.clone().unwrap_or_default(),
            investor_id: p.investor_id.map(|i| i.to_string()).unwrap_or_default(),
            referrer_id: p.referrer_id.map(|i| i.to_string()).unwrap_or_default(),
        }
    }
}

impl ProjectInput {
    pub fn parse(&self) -> Result<ProjectFields, Invalid> {
        let mut errors = Invalid::default();
        let name = text_field(&mut errors, "name", &self.name, true, NAME_MAX);
        let investor_name = text_field(
            &mut errors,
            "investor_name",
            &self.investor_name,
            true,
            NAME_MAX,
        );
        let industry = industry_choice(&mut errors, &self.industry_code);
        let channel = channel_choice(&mut errors, &self.channel);
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
        let total_investment =
            currency.and_then(|cur| match Money::parse_wan(&self.total_investment, cur) {
                Ok(m) if m.yuan == 0 => {
                    errors.add("total_investment", "总投资须大于0");
                    None
                }
                Ok(m) => Some(m),
                Err(e) => {
                    errors.add(
                        "total_investment",
                        amount_message("total_investment", e, cur.wan_label()),
                    );
                    None
                }
            });
        let land_area = match optional(&self.land_area_m2) {
            Some(t) => match Area::parse_typed(t, AreaUnit::SquareMetre) {
                Ok(a) => Some(a),
                Err(e) => {
                    errors.add("land_area_m2", amount_message("land_area_m2", e, "㎡"));
                    None
                }
            },
            None => {
                optional(&self.land_area).and_then(|t| match Area::parse_typed(t, AreaUnit::Mu) {
                    Ok(a) => Some(a),
                    Err(e) => {
                        errors.add("land_area", amount_message("land_area", e, "亩"));
                        None
                    }
                })
            }
        };
        let building_area = optional(&self.building_area).and_then(|t| {
            match Area::parse_typed(t, AreaUnit::SquareMetre) {
                Ok(a) => Some(a),
                Err(e) => {
                    errors.add("building_area", amount_message("building_area", e, "㎡"));
                    None
                }
            }
        });
        let mut cny_optional = |field: &str, text: &str| {
            optional(text).and_then(|t| match Money::parse_wan(t, Currency::Cny) {
                Ok(m) => Some(m),
                Err(e) => {
                    errors.add(field, amount_message(field, e, "万元"));
                    None
                }
            })
        };
        let expected_output = cny_optional("expected_output", &self.expected_output);
        let expected_tax = cny_optional("expected_tax", &self.expected_tax);
        let jobs = optional(&self.jobs).and_then(|t| match t.parse::<i64>() {
            Ok(n) if (0..=JOBS_MAX).contains(&n) => Some(n),
            _ => {
                errors.add("jobs", format!("预计用工须为0到{JOBS_MAX}之间的整数（人）"));
                None
            }
        });
        let unit_id = id_field(&mut errors, "unit_id", &self.unit_id).map(UnitId);
        let officer_id = id_field(&mut errors, "officer_id", &self.officer_id).map(UserId);
        let leader_id = id_field(&mut errors, "leader_id", &self.leader_id).map(UserId);
        let referrer = text_field(&mut errors, "referrer", &self.referrer, false, NAME_MAX);
        let notes = text_field(&mut errors, "notes", &self.notes, false, NOTES_MAX);
        let investor_id = id_field(&mut errors, "investor_id", &self.investor_id).map(InvestorId);
        let referrer_id =
            id_field(&mut errors, "referrer_id", &self.referrer_id).map(super::ids::ReferrerId);

        match (name, investor_name, industry, total_investment) {
            (Some(name), Some(investor_name), Some(industry), Some(total_investment))
                if errors.is_empty() =>
            {
                ProjectFields {
                    name,
                    investor_name,
                    industry,
                    channel,
                    total_investment,
                    land_area,
                    building_area,
                    expected_output,
                    expected_tax,
                    jobs,
                    unit_id,
                    officer_id,
                    leader_id,
                    referrer,
                    notes,
                    investor_id,
                    referrer_id,
                }
                .checked()
            }
            _ => Err(errors),
        }
    }
}

/// A project's industry as chosen: a 大类 code of GB/T 4754-2017, required.
pub fn industry_choice(errors: &mut Invalid, text: &str) -> Option<IndustryCode> {
    let Some(code) = optional(text) else {
        errors.add("industry_code", "所属行业不能为空，请选择国民经济行业大类");
        return None;
    };
    IndustryCode::parse(code).or_else(|| {
        errors.add(
            "industry_code",
            format!("所属行业代码“{code}”不是 GB/T 4754-2017 的行业大类代码（01–97）"),
        );
        None
    })
}

/// A project's channel (招商方式) as chosen; blank is none.
pub fn channel_choice(errors: &mut Invalid, text: &str) -> Option<Channel> {
    let key = optional(text)?;
    Channel::parse(key).or_else(|| {
        errors.add("channel", "招商方式无效，请从列表中选择");
        None
    })
}

/// The day a project was first recorded (录入日期), as typed: blank is today; never later than
/// today.
pub fn entry_date(text: &str, today: Date) -> Result<Date, Invalid> {
    let problem = |m: String| Invalid::single("lead_on", m);
    match text.trim() {
        "" => Ok(today),
        t => match super::dates::parse_date(t) {
            Some(d) => entry_date_within(d, today).map_err(problem),
            None => Err(problem("录入日期格式不正确，应为 年-月-日".into())),
        },
    }
}

/// The rule on a typed entry date: not later than today.
pub fn entry_date_within(day: Date, today: Date) -> Result<Date, String> {
    if day > today {
        Err(format!(
            "录入日期不能晚于今天（{}）",
            super::dates::iso(today)
        ))
    } else {
        Ok(day)
    }
}

/// The rule on correcting a project's 录入日期 after it was recorded: not later than today, and
/// not later than the first thing that happened to it after (a stage change or a progress note,
/// `first_after`), so that its history stays in order.
pub fn corrected_entry_date(
    day: Date,
    today: Date,
    first_after: Option<Date>,
) -> Result<Date, Invalid> {
    let problem = |m: String| Invalid::single("lead_on", m);
    let day = entry_date_within(day, today).map_err(problem)?;
    match first_after {
        Some(first) if day > first => Err(problem(format!(
            "录入日期不能晚于项目此后的第一次阶段变更或进展（{}）",
            super::dates::iso(first)
        ))),
        _ => Ok(day),
    }
}

/// A 录入日期 as typed on an edit: blank keeps the one recorded.
pub fn entry_date_edit(text: &str) -> Result<Option<Date>, Invalid> {
    match text.trim() {
        "" => Ok(None),
        t => super::dates::parse_date(t)
            .map(Some)
            .ok_or_else(|| Invalid::single("lead_on", "录入日期格式不正确，应为 年-月-日")),
    }
}

impl ProjectFields {
    /// The rules a project's facts obey however they arrived (a form, the API, a lead turned
    /// into a project): texts trimmed, bounded and free of control characters; amounts positive
    /// where they must be; expected output and tax in yuan (CNY); areas and jobs within range.
    /// Every problem is named by its field.
    pub fn checked(mut self) -> Result<ProjectFields, Invalid> {
        let mut errors = Invalid::default();
        let required = |errors: &mut Invalid, field: &str, text: &mut String| {
            if let Some(t) = text_field(errors, field, text, true, NAME_MAX) {
                *text = t;
            }
        };
        required(&mut errors, "name", &mut self.name);
        required(&mut errors, "investor_name", &mut self.investor_name);
        for (field, text, max) in [
            ("referrer", &mut self.referrer, NAME_MAX),
            ("notes", &mut self.notes, NOTES_MAX),
        ] {
            if let Some(t) = text.take() {
                *text = text_field(&mut errors, field, &t, false, max);
            }
        }
        let too_large = |field: &str| format!("{}数值过大", field_label(field));
        if self.total_investment.yuan <= 0 {
            errors.add("total_investment", "总投资须大于0");
        } else if self.total_investment.yuan > super::money::MAX_YUAN {
            errors.add("total_investment", too_large("total_investment"));
        }
        for (field, amount) in [
            ("expected_output", self.expected_output),
            ("expected_tax", self.expected_tax),
        ] {
            match amount {
                Some(m) if m.currency != Currency::Cny => errors.add(
                    field,
                    format!(
                        "{}须以人民币（CNY）计，收到 {}",
                        field_label(field),
                        m.currency.code()
                    ),
                ),
                Some(m) if m.yuan < 0 => {
                    errors.add(field, format!("{}不能为负数", field_label(field)))
                }
                Some(m) if m.yuan > super::money::MAX_YUAN => errors.add(field, too_large(field)),
                _ => {}
            }
        }
        for (field, area) in [
            ("land_area_m2", self.land_area),
            ("building_area", self.building_area),
        ] {
            if area.is_some_and(|a| a.m2 < 0) {
                errors.add(field, format!("{}不能为负数", field_label(field)));
            } else if area.is_some_and(|a| a.m2 > Area::MAX_M2) {
                errors.add(field, too_large(field));
            }
        }
        if self.jobs.is_some_and(|n| !(0..=JOBS_MAX).contains(&n)) {
            errors.add("jobs", format!("预计用工须为0到{JOBS_MAX}之间的整数（人）"));
        }
        errors.into_result(|| self)
    }
}

/// Investment bands for filtering, compared in yuan (USD converted at the configured rate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    AtLeast50M,
    AtLeast100M,
    AtLeast1B,
}

impl Band {
    pub const ALL: [Band; 3] = [Band::AtLeast50M, Band::AtLeast100M, Band::AtLeast1B];
    pub fn key(self) -> &'static str {
        match self {
            Band::AtLeast50M => "5000w",
            Band::AtLeast100M => "1y",
            Band::AtLeast1B => "10y",
        }
    }
    pub fn parse(key: &str) -> Option<Band> {
        Band::ALL.into_iter().find(|b| b.key() == key)
    }
    pub fn label(self) -> &'static str {
        match self {
            Band::AtLeast50M => "5000万元以上",
            Band::AtLeast100M => "亿元以上",
            Band::AtLeast1B => "10亿元以上",
        }
    }
    pub fn min_yuan(self) -> i64 {
        match self {
            Band::AtLeast50M => 50_000_000,
            Band::AtLeast100M => 100_000_000,
            Band::AtLeast1B => 1_000_000_000,
        }
    }

    /// The smallest amount in `currency` that reaches the band; USD at `usd_rate_e4`
    /// (CNY per USD ×10⁴), rounded up to the whole dollar.
    pub fn min_in(self, currency: Currency, usd_rate_e4: i64) -> i64 {
        match currency {
            Currency::Cny => self.min_yuan(),
            Currency::Usd => {
                let rate = usd_rate_e4.max(1) as i128;
                ((self.min_yuan() as i128 * 10_000 + rate - 1) / rate) as i64
            }
        }
    }

    pub fn contains(self, amount: Money, usd_rate_e4: i64) -> bool {
        amount.yuan >= self.min_in(amount.currency, usd_rate_e4)
    }
}

/// "四个一批": 储备一批 is a current state; the other three count first entries in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Batch {
    Reserve,
    Signed,
    Started,
    Producing,
}

impl Batch {
    pub const ALL: [Batch; 4] = [
        Batch::Reserve,
        Batch::Signed,
        Batch::Started,
        Batch::Producing,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Batch::Reserve => "reserve",
            Batch::Signed => "signed",
            Batch::Started => "started",
            Batch::Producing => "producing",
        }
    }
    pub fn parse(key: &str) -> Option<Batch> {
        Batch::ALL.into_iter().find(|b| b.key() == key)
    }
    pub fn label(self) -> &'static str {
        match self {
            Batch::Reserve => "储备一批",
            Batch::Signed => "签约一批",
            Batch::Started => "开工一批",
            Batch::Producing => "投产一批",
        }
    }
    /// The stages a project is in while it belongs to 储备一批.
    pub const RESERVE_STAGES: [super::stage::Stage; 3] = [
        super::stage::Stage::Lead,
        super::stage::Stage::Negotiating,
        super::stage::Stage::Intent,
    ];

    /// The stage whose first entry date places a project in this batch.
    pub fn entry_stage(self) -> Option<super::stage::Stage> {
        use super::stage::Stage;
        match self {
            Batch::Reserve => None,
            Batch::Signed => Some(Stage::Contracted),
            Batch::Started => Some(Stage::Construction),
            Batch::Producing => Some(Stage::Production),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_facts_obey_the_same_rules_as_typed_text() {
        let good = valid().parse().unwrap();
        let usd = Money::new(1_000_000, Currency::Usd);
        type Change = fn(&mut ProjectFields);
        let cases: [(&str, Change, &str); 10] = [
            (
                "total_investment",
                |f| f.total_investment.yuan = i64::MAX,
                "数值过大",
            ),
            (
                "expected_tax",
                |f| f.expected_tax = Some(Money::new(i64::MAX, Currency::Cny)),
                "数值过大",
            ),
            (
                "land_area_m2",
                |f| f.land_area = Some(Area { m2: i64::MAX }),
                "数值过大",
            ),
            ("name", |f| f.name = "  ".into(), "项目名称不能为空"),
            (
                "name",
                |f| f.name = "光伏\u{0}组件".into(),
                "含有不可见的控制字符",
            ),
            (
                "total_investment",
                |f| f.total_investment.yuan = 0,
                "总投资须大于0",
            ),
            (
                "expected_output",
                |f| f.expected_output = Some(Money::new(1_000_000, Currency::Usd)),
                "须以人民币（CNY）计，收到 USD",
            ),
            (
                "expected_tax",
                |f| f.expected_tax = Some(Money::new(-1, Currency::Cny)),
                "不能为负数",
            ),
            (
                "building_area",
                |f| f.building_area = Some(Area { m2: -3 }),
                "不能为负数",
            ),
            ("jobs", |f| f.jobs = Some(JOBS_MAX + 1), "预计用工须为0到"),
        ];
        for (field, change, message) in cases {
            let mut f = good.clone();
            change(&mut f);
            let problems = f.checked().expect_err(field);
            let got = problems.message_for(field).unwrap_or_default();
            assert!(got.contains(message), "{field}: {got:?} in {problems:?}");
        }
        let mut padded = good.clone();
        padded.name = "  光伏组件项目  ".into();
        padded.total_investment = usd;
        let checked = padded.checked().unwrap();
        assert_eq!(checked.name, "光伏组件项目");
    }

    fn valid() -> ProjectInput {
        ProjectInput {
            name: "年产10万吨钢铁深加工项目".into(),
            investor_name: "宁波某钢铁有限公司".into(),
            industry_code: "31".into(),
            total_investment: "52000".into(),
            ..ProjectInput::default()
        }
    }

    #[test]
    fn a_minimal_project_parses() {
        let f = valid().parse().unwrap();
        assert_eq!(f.total_investment, Money::new(520_000_000, Currency::Cny));
        assert_eq!(f.industry.code(), "31");
    }

    #[test]
    fn every_bad_field_is_named() {
        let input = ProjectInput {
            name: " ".into(),
            industry_code: "99".into(),
            total_investment: "12.345678".into(),
            land_area: "abc".into(),
            jobs: "-3".into(),
            channel: "magic".into(),
            ..ProjectInput::default()
        };
        let errors = input.parse().unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "name",
            "investor_name",
            "industry_code",
            "total_investment",
            "land_area",
            "jobs",
            "channel",
        ] {
            assert!(fields.contains(&f), "missing {f} in {fields:?}");
        }
        assert!(
            errors
                .message_for("total_investment")
                .unwrap()
                .contains("4位小数")
        );
    }

    #[test]
    fn zero_investment_is_refused() {
        let mut input = valid();
        input.total_investment = "0".into();
        assert!(
            input
                .parse()
                .unwrap_err()
                .message_for("total_investment")
                .is_some()
        );
    }

    #[test]
    fn bands_compare_dollars_at_the_stated_rate() {
        let rate = 71_000; // 7.1
        assert!(Band::AtLeast100M.contains(Money::new(100_000_000, Currency::Cny), rate));
        assert!(!Band::AtLeast100M.contains(Money::new(99_999_999, Currency::Cny), rate));
        // 1亿元 / 7.1 = 14,084,507.04 → 14,084,508 dollars reach it.
        assert_eq!(Band::AtLeast100M.min_in(Currency::Usd, rate), 14_084_508);
        assert!(Band::AtLeast100M.contains(Money::new(14_084_508, Currency::Usd), rate));
        assert!(!Band::AtLeast100M.contains(Money::new(14_084_507, Currency::Usd), rate));
    }

    #[test]
    fn usd_amounts_keep_their_currency() {
        let mut input = valid();
        input.currency = "USD".into();
        input.total_investment = "3000".into();
        assert_eq!(
            input.parse().unwrap().total_investment.currency,
            Currency::Usd
        );
    }
}

/// How long a project has gone without progress (no note, edit or stage change), as lists and
/// project pages flag it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idleness {
    Recent,
    /// Quiet for longer than the first threshold: worth a call.
    Quiet,
    /// Quiet for longer than the second: stalled.
    Stalled,
    /// Closed for good (终止, 退出, 否决): nobody is expected to move it, so it is never stale.
    Closed,
}

/// The thresholds, in days without progress (configuration, not literals: a park sets its own
/// rhythm).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdleThresholds {
    pub quiet_after_days: i64,
    pub stalled_after_days: i64,
}

impl Default for IdleThresholds {
    fn default() -> Self {
        IdleThresholds {
            quiet_after_days: 30,
            stalled_after_days: 90,
        }
    }
}

impl IdleThresholds {
    /// `quiet,stalled` in days, e.g. `30,90`; the second must exceed the first.
    pub fn parse(text: &str) -> Result<IdleThresholds, String> {
        let days: Vec<i64> = text
            .split(',')
            .map(|d| {
                d.trim()
                    .parse::<i64>()
                    .map_err(|_| format!("“{}”不是天数", d.trim()))
            })
            .collect::<Result<_, _>>()?;
        match days[..] {
            [quiet, stalled] if quiet > 0 && stalled > quiet => Ok(IdleThresholds {
                quiet_after_days: quiet,
                stalled_after_days: stalled,
            }),
            _ => Err("须为两个递增的正整数天数，如 30,90".into()),
        }
    }

    /// A project's idleness: closed projects are not judged.
    pub fn judge_project(&self, stage: Stage, days_without_progress: i64) -> Idleness {
        if stage.is_final() {
            Idleness::Closed
        } else {
            self.judge(days_without_progress)
        }
    }

    pub fn judge(&self, days_without_progress: i64) -> Idleness {
        if days_without_progress > self.stalled_after_days {
            Idleness::Stalled
        } else if days_without_progress > self.quiet_after_days {
            Idleness::Quiet
        } else {
            Idleness::Recent
        }
    }
}

#[cfg(test)]
mod idleness_tests {
    use super::*;

    #[test]
    fn days_without_progress_are_judged_against_the_configured_thresholds() {
        let default = IdleThresholds::default();
        for (days, expected) in [
            (0, Idleness::Recent),
            (30, Idleness::Recent),
            (31, Idleness::Quiet),
            (90, Idleness::Quiet),
            (91, Idleness::Stalled),
        ] {
            assert_eq!(default.judge(days), expected, "{days} days");
        }
        let weekly = IdleThresholds::parse("7, 14").unwrap();
        assert_eq!(weekly.judge(8), Idleness::Quiet);
        assert_eq!(weekly.judge(15), Idleness::Stalled);
    }

    #[test]
    fn an_entry_date_is_corrected_only_back_to_before_what_followed() {
        let d = |s: &str| crate::domain::dates::parse_date(s).unwrap();
        let today = d("2026-06-01");
        for (day, first_after, ok) in [
            ("2026-01-01", None, true),
            ("2026-06-01", None, true),
            ("2026-06-02", None, false),
            ("2026-02-01", Some("2026-03-01"), true),
            ("2026-03-01", Some("2026-03-01"), true),
            ("2026-03-02", Some("2026-03-01"), false),
        ] {
            assert_eq!(
                corrected_entry_date(d(day), today, first_after.map(d)).is_ok(),
                ok,
                "{day} before {first_after:?}"
            );
        }
        assert_eq!(entry_date_edit(" ").unwrap(), None);
        assert!(entry_date_edit("2026-02-30").is_err());
    }

    #[test]
    fn closed_projects_are_never_stale() {
        let t = IdleThresholds::default();
        for (stage, days, want) in [
            (Stage::Negotiating, 400, Idleness::Stalled),
            (Stage::Paused, 400, Idleness::Stalled),
            (Stage::AtCapacity, 40, Idleness::Quiet),
            (Stage::Terminated, 400, Idleness::Closed),
            (Stage::Exited, 400, Idleness::Closed),
            (Stage::Rejected, 0, Idleness::Closed),
        ] {
            assert_eq!(
                t.judge_project(stage, days),
                want,
                "{stage:?} after {days} days"
            );
        }
        for bad in ["90,30", "30", "0,10", "a,b", "30,30"] {
            assert!(IdleThresholds::parse(bad).is_err(), "{bad}");
        }
    }
}

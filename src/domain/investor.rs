//! Investors (客商): who they are, how a record is validated, and when two names are probably the
//! same company.

use super::credit_code::CreditCode;
use super::industry::IndustryCode;
use super::money::{AmountError, Currency, Money};
use super::records::investor::Investor;
use super::search::normalise;
use super::validation::Invalid;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvestorKind {
    /// 民营
    Private,
    /// 国企/央企
    State,
    /// 外资
    Foreign,
    /// 港澳台
    Hmt,
    /// 个人
    Individual,
}

impl InvestorKind {
    pub const ALL: [InvestorKind; 5] = [
        InvestorKind::Private,
        InvestorKind::State,
        InvestorKind::Foreign,
        InvestorKind::Hmt,
        InvestorKind::Individual,
    ];

    pub fn key(self) -> &'static str {
        match self {
            InvestorKind::Private => "private",
            InvestorKind::State => "state",
            InvestorKind::Foreign => "foreign",
            InvestorKind::Hmt => "hmt",
            InvestorKind::Individual => "individual",
        }
    }

    pub fn parse(key: &str) -> Option<InvestorKind> {
        InvestorKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Companies registered on the mainland have a 统一社会信用代码 (a record without one is
    /// flagged 待补充信用代码); foreign, Hong Kong, Macao and Taiwan investors and individuals
    /// need not.
    pub fn needs_credit_code(self) -> bool {
        matches!(self, InvestorKind::Private | InvestorKind::State)
    }
}

/// Company-form suffixes that do not tell two companies apart, longest first.
const SUFFIXES: [&str; 4] = ["股份有限公司", "有限责任公司", "有限公司", "公司"];

/// The key under which names that differ only in full/half width, bracket style, spaces, case
/// or company-form suffix coincide: such names are probably one company.
pub fn name_key(name: &str) -> String {
    let mut key: String = normalise(name)
        .chars()
        .map(|c| match c {
            '（' | '〔' | '【' | '[' => '(',
            '）' | '〕' | '】' | ']' => ')',
            other => other,
        })
        .collect();
    // Only the longest suffix that fits, and never the whole name.
    if let Some(stem) = SUFFIXES.iter().find_map(|s| key.strip_suffix(s))
        && !stem.is_empty()
    {
        key = stem.to_string();
    }
    key
}

pub const NAME_MAX: usize = 100;
pub const TEXT_MAX: usize = 200;
pub const NOTES_MAX: usize = 2000;

/// An investor as typed (form or JSON): text everywhere, parsed by `parse`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct InvestorInput {
    pub name: String,
    pub credit_code: String,
    pub kind: String,
    pub country: String,
    pub origin_city: String,
    pub fortune_global_500: bool,
    pub fortune_china_500: bool,
    pub listed: bool,
    pub industry_code: String,
    pub website: String,
    /// 意向投资 in 万 of `intended_currency` (万元 or 万美元), as typed.
    pub intended_amount: String,
    /// CNY or USD; blank means CNY.
    pub intended_currency: String,
    pub notes: String,
    pub contacts: Vec<ContactInput>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactInput {
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    pub wechat: String,
}

/// A valid investor, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct InvestorFields {
    pub name: String,
    pub name_key: String,
    pub credit_code: Option<CreditCode>,
    pub kind: InvestorKind,
    pub country: String,
    pub origin_city: Option<String>,
    pub fortune_global_500: bool,
    pub fortune_china_500: bool,
    pub listed: bool,
    pub industry: Option<IndustryCode>,
    pub website: Option<String>,
    /// 意向投资: what the company says it means to invest, in its currency.
    pub intended_investment: Option<Money>,
    pub notes: Option<String>,
    pub contacts: Vec<Contact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub wechat: Option<String>,
}

fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn too_long(text: &str, max: usize) -> bool {
    text.trim().chars().count() > max
}

fn phone_ok(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    (5..=20).contains(&digits)
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'))
}

fn email_ok(email: &str) -> bool {
    match email.split_once('@') {
        Some((user, host)) => {
            !user.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !email.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// A stored record as a form shows it (edit forms, and partial updates overlaid on it).
impl From<&Investor> for InvestorInput {
    fn from(i: &Investor) -> InvestorInput {
        InvestorInput {
            name: i.name.clone(),
            credit_code: i.credit_code.clone().unwrap_or_default(),
            kind: i.kind.key().to_string(),
            country: i.country.clone(),
            origin_city: i.origin_city.clone().unwrap_or_default(),
            fortune_global_500: i.fortune_global_500,
            fortune_china_500: i.fortune_china_500,
            listed: i.listed,
            industry_code: i.industry_code.clone().unwrap_or_default(),
            website: i.website.clone().unwrap_or_default(),
            intended_amount: i
                .intended_investment
                .map(Money::wan_plain)
                .unwrap_or_default(),
            intended_currency: i
                .intended_investment
                .map(|m| m.currency.code().to_string())
                .unwrap_or_default(),
            notes: i.notes.clone().unwrap_or_default(),
            contacts: i
                .contacts
                .iter()
                .map(|c| ContactInput {
                    name: c.name.clone(),
                    title: c.title.clone().unwrap_or_default(),
                    phone: c.phone.clone().unwrap_or_default(),
                    email: c.email.clone().unwrap_or_default(),
                    wechat: c.wechat.clone().unwrap_or_default(),
                })
                .collect(),
        }
    }
}

impl InvestorInput {
    /// Validates every field at once, so a form shows all its problems together.
    pub fn parse(&self) -> Result<InvestorFields, Invalid> {
        let mut errors = Invalid::default();
        // Checked first and once for every text, so no other rule needs to think of them.
        let texts = [
            ("name", "客商名称", &self.name),
            ("country", "国家或地区", &self.country),
            ("origin_city", "来源城市", &self.origin_city),
            ("website", "网址", &self.website),
            ("notes", "备注", &self.notes),
        ];
        for (field, label, text) in texts {
            if super::validation::has_control_chars(text) {
                errors.add(
                    field,
                    format!("{label}含有不可见的控制字符，请删除后再提交"),
                );
            }
        }
        for (i, c) in self.contacts.iter().enumerate() {
            if [&c.name, &c.title, &c.phone, &c.email, &c.wechat]
                .iter()
                .any(|t| super::validation::has_control_chars(t))
            {
                errors.add(
                    &format!("contacts[{i}].name"),
                    "联系人信息含有不可见的控制字符，请删除后再提交",
                );
            }
        }
        let name = self.name.trim();
        if name.is_empty() {
            errors.add("name", "客商名称不能为空");
        } else if too_long(name, NAME_MAX) {
            errors.add("name", format!("客商名称不能超过{NAME_MAX}个字"));
        }
        let kind = match InvestorKind::parse(self.kind.trim()) {
            Some(k) => Some(k),
            None if self.kind.trim().is_empty() => {
                errors.add("kind", "请选择客商类型");
                None
            }
            None => {
                errors.add("kind", format!("客商类型“{}”无效", self.kind.trim()));
                None
            }
        };
        // Offices know a company's name long before its code: at the 客商 stage the code is
        // optional for every kind (a mainland company without one is 待补充信用代码, and its
        // duplicates are found by name). Where the rules need it — the local company when a
        // project lands — the transition asks for it.
        let credit_code = match self.credit_code.trim() {
            "" => None,
            code => match CreditCode::parse(code) {
                Ok(c) => Some(c),
                Err(e) => {
                    errors.add("credit_code", e.message());
                    None
                }
            },
        };
        let industry = match self.industry_code.trim() {
            "" => None,
            code => match IndustryCode::parse(code) {
                Some(c) => Some(c),
                None => {
                    errors.add(
                        "industry_code",
                        format!("行业代码“{code}”不在国民经济行业分类大类中"),
                    );
                    None
                }
            },
        };
        let website = optional(&self.website);
        if let Some(w) = &website
            && (!(w.starts_with("http://") || w.starts_with("https://"))
                || too_long(w, TEXT_MAX)
                || w.contains(char::is_whitespace))
        {
            errors.add(
                "website",
                "网址须以 http:// 或 https:// 开头，且不超过200个字符",
            );
        }
        for (field, text, max) in [
            ("country", &self.country, 40),
            ("origin_city", &self.origin_city, 40),
        ] {
            if too_long(text, max) {
                errors.add(field, format!("不能超过{max}个字"));
            }
        }
        if too_long(&self.notes, NOTES_MAX) {
            errors.add("notes", format!("备注不能超过{NOTES_MAX}个字"));
        }
        let intended_investment = self.intended_investment(&mut errors);
        let mut contacts = Vec::new();
        for (i, c) in self.contacts.iter().enumerate() {
            let field = |f: &str| format!("contacts[{i}].{f}");
            let blank = [&c.name, &c.title, &c.phone, &c.email, &c.wechat]
                .iter()
                .all(|t| t.trim().is_empty());
            if blank {
                continue;
            }
            if c.name.trim().is_empty() {
                errors.add(&field("name"), "联系人姓名不能为空");
            }
            if [&c.name, &c.title, &c.wechat]
                .iter()
                .any(|t| too_long(t, 40))
            {
                errors.add(&field("name"), "联系人姓名、职务、微信号各不超过40个字");
            }
            if let Some(p) = optional(&c.phone)
                && !phone_ok(&p)
            {
                errors.add(
                    &field("phone"),
                    "电话须为5到20位数字（可含 +、-、空格、括号）",
                );
            }
            if let Some(e) = optional(&c.email)
                && (!email_ok(&e) || too_long(&e, TEXT_MAX))
            {
                errors.add(&field("email"), "电子邮箱格式不正确");
            }
            contacts.push(Contact {
                name: c.name.trim().to_string(),
                title: optional(&c.title),
                phone: optional(&c.phone),
                email: optional(&c.email),
                wechat: optional(&c.wechat),
            });
        }
        let Some(kind) = kind else {
            return Err(errors);
        };
        errors.into_result(|| InvestorFields {
            name: name.to_string(),
            name_key: name_key(name),
            credit_code,
            kind,
            country: optional(&self.country).unwrap_or_else(|| "中国".to_string()),
            origin_city: optional(&self.origin_city),
            fortune_global_500: self.fortune_global_500,
            fortune_china_500: self.fortune_china_500,
            listed: self.listed,
            industry,
            website,
            intended_investment,
            notes: optional(&self.notes),
            contacts,
        })
    }

    /// 意向投资: optional; when given, a positive amount in 万 of CNY or USD.
    fn intended_investment(&self, errors: &mut Invalid) -> Option<Money> {
        let currency = match self.intended_currency.trim() {
            "" => Currency::Cny,
            code => match Currency::parse(code) {
                Some(c) => c,
                None => {
                    errors.add(
                        "intended_currency",
                        "意向投资的币种只能是人民币（CNY）或美元（USD）",
                    );
                    return None;
                }
            },
        };
        let text = self.intended_amount.trim();
        if text.is_empty() {
            return None;
        }
        let unit = currency.wan_label();
        let why = match Money::parse_wan(text, currency) {
            Ok(m) if m.yuan > 0 => return Some(m),
            Ok(_) => "意向投资须大于0；不清楚可以不填".to_string(),
            Err(AmountError::Negative) => "意向投资不能为负数".to_string(),
            Err(AmountError::TooLarge) => "意向投资数值过大".to_string(),
            Err(AmountError::TooManyDecimals) => {
                format!("意向投资最多保留4位小数（单位：{unit}）")
            }
            Err(AmountError::Empty | AmountError::NotANumber) => {
                format!("意向投资须为数字（单位：{unit}），也可写成“3000万”或“1.5亿”")
            }
        };
        errors.add("intended_amount", why);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_differing_in_width_brackets_spaces_or_suffix_share_a_key() {
        let same = [
            "宁波甬钢（集团）有限公司",
            "宁波甬钢(集团)有限责任公司",
            "宁波甬钢 （集团） 股份有限公司",
            "宁波甬钢（集团）",
            "宁波甬钢(集团)公司",
        ];
        for name in same {
            assert_eq!(name_key(name), "宁波甬钢(集团)", "{name}");
        }
        assert_eq!(name_key("ＡＢＣ Steel Co"), name_key("abcsteelco"));
        assert_ne!(
            name_key("宁波甬钢有限公司"),
            name_key("宁波甬钢金属有限公司")
        );
        // A name that is only a suffix keeps it.
        assert_eq!(name_key("有限公司"), "有限公司");
    }

    fn input(kind: &str, code: &str) -> InvestorInput {
        InvestorInput {
            name: "宁波甬钢金属制品有限公司".into(),
            kind: kind.into(),
            credit_code: code.into(),
            ..InvestorInput::default()
        }
    }

    #[test]
    fn a_credit_code_is_optional_for_every_kind_but_checked_when_present() {
        for kind in ["private", "state", "foreign", "hmt", "individual"] {
            let missing = input(kind, "").parse().unwrap();
            assert_eq!(missing.credit_code, None, "{kind}");
        }
        assert!(input("foreign", "").parse().is_ok());
        assert!(input("individual", "").parse().is_ok());
        let bad = input("state", "91330200MA2AAAAAA0").parse().unwrap_err();
        assert!(bad.message_for("credit_code").is_some());
        let ok = input("state", "91350100M000100Y43").parse().unwrap();
        assert_eq!(ok.country, "中国");
    }

    #[test]
    fn an_intended_investment_keeps_its_currency_and_must_be_positive() {
        let with = |amount: &str, currency: &str| InvestorInput {
            intended_amount: amount.into(),
            intended_currency: currency.into(),
            ..input("foreign", "")
        };
        type Case<'a> = (&'a str, &'a str, Result<Option<Money>, &'a str>);
        let cases: [Case; 7] = [
            ("", "", Ok(None)),
            (
                "1.8亿",
                "",
                Ok(Some(Money::new(180_000_000, Currency::Cny))),
            ),
            ("500", "USD", Ok(Some(Money::new(5_000_000, Currency::Usd)))),
            ("0", "", Err("须大于0")),
            ("-5", "", Err("不能为负数")),
            ("约五千万", "", Err("须为数字")),
            ("500", "EUR", Err("币种只能是")),
        ];
        for (amount, currency, want) in cases {
            match (with(amount, currency).parse(), want) {
                (Ok(f), Ok(m)) => assert_eq!(f.intended_investment, m, "{amount}"),
                (Err(e), Err(part)) => {
                    let said = e.summary();
                    assert!(said.contains(part) && said.contains("意向投资"), "{said}");
                }
                (got, want) => panic!("{amount} {currency}: {got:?}, wanted {want:?}"),
            }
        }
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = InvestorInput {
            name: String::new(),
            kind: "bogus".into(),
            website: "www.example.com".into(),
            contacts: vec![ContactInput {
                phone: "abc".into(),
                email: "nobody".into(),
                ..ContactInput::default()
            }],
            ..InvestorInput::default()
        }
        .parse()
        .unwrap_err();
        for field in [
            "name",
            "kind",
            "website",
            "contacts[0].name",
            "contacts[0].phone",
            "contacts[0].email",
        ] {
            assert!(bad.message_for(field).is_some(), "{field}: {bad:?}");
        }
    }
}

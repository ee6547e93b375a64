//! Every Chinese label the user sees for an English key, in one place.

use super::channel::Channel;
use super::event::EventKind;
use super::investor::InvestorKind;
use super::lead::LeadStatus;
use super::money::Currency;
use super::referrer::ReferrerKind;
use super::stage::{Stage, TransitionRefusal};
use super::user::{AccountState, Role};
use super::visit::Direction;

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Lead => "线索",
            Stage::Negotiating => "在谈",
            Stage::Intent => "意向签约",
            Stage::Contracted => "正式签约",
            Stage::Landed => "落地",
            Stage::Construction => "开工在建",
            Stage::Production => "投产",
            Stage::AtCapacity => "达产",
            Stage::Paused => "暂停",
            Stage::Terminated => "终止",
            Stage::Exited => "退出",
            Stage::Rejected => "否决",
        }
    }

    /// The label of the date a move into this stage records.
    pub fn date_label(self) -> &'static str {
        match self {
            Stage::Lead => "录入日期",
            Stage::Negotiating => "首次洽谈日期",
            Stage::Intent => "意向签约日期",
            Stage::Contracted => "正式签约日期",
            Stage::Landed => "落地日期（注册或供地）",
            Stage::Construction => "实际开工日期",
            Stage::Production => "投产日期",
            Stage::AtCapacity => "达产日期",
            Stage::Paused => "暂停日期",
            Stage::Terminated => "终止日期",
            Stage::Exited => "退出日期",
            Stage::Rejected => "否决日期",
        }
    }
}

impl TransitionRefusal {
    pub fn message(self, from: Stage, to: Stage) -> String {
        match self {
            TransitionRefusal::SameStage => format!("项目已处于“{}”阶段", to.label()),
            TransitionRefusal::FromFinal => {
                format!("项目已“{}”，不能再变更阶段", from.label())
            }
            TransitionRefusal::ResumeElsewhere { left } => format!(
                "暂停的项目只能恢复到暂停前的“{}”阶段（或终止/退出），不能转为“{}”",
                left.label(),
                to.label()
            ),
            TransitionRefusal::WrongClosure => {
                "未落地的项目只能“终止”，已落地的项目只能“退出”".to_string()
            }
            TransitionRefusal::NotAllowed => format!(
                "不能从“{}”直接转为“{}”，请按阶段顺序推进",
                from.label(),
                to.label()
            ),
        }
    }
}

impl Channel {
    pub fn label(self) -> &'static str {
        match self {
            Channel::Business => "以商招商",
            Channel::Kinship => "亲情招商",
            Channel::Agency => "中介招商",
            Channel::FieldTeam => "驻外分队招商",
            Channel::Online => "网上招商",
            Channel::Expo => "会展/推介会",
            Channel::Chain => "产业链招商",
            Channel::Other => "其他",
        }
    }
}

impl Currency {
    /// The unit a form field takes.
    pub fn wan_label(self) -> &'static str {
        match self {
            Currency::Cny => "万元",
            Currency::Usd => "万美元",
        }
    }
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Pending => "待分配角色",
            Role::Leader => "领导",
            Role::Officer => "招商专员",
            Role::Department => "职能部门",
            Role::Enterprise => "企业",
            Role::Sysadmin => "系统管理员",
            Role::Secadmin => "安全管理员",
            Role::Auditor => "审计管理员",
        }
    }
}

impl ReferrerKind {
    pub fn label(self) -> &'static str {
        match self {
            ReferrerKind::Person => "个人",
            ReferrerKind::Organisation => "机构",
        }
    }
}

impl EventKind {
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Promotion => "推介会",
            EventKind::Negotiation => "洽谈会",
            EventKind::Symposium => "恳谈会",
            EventKind::Expo => "展会",
        }
    }
}

impl Direction {
    pub fn label(self) -> &'static str {
        match self {
            Direction::Out => "走出去",
            Direction::In => "请进来",
        }
    }
}

impl LeadStatus {
    pub fn label(self) -> &'static str {
        match self {
            LeadStatus::New => "待分派",
            LeadStatus::Assigned => "跟进中",
            LeadStatus::Dropped => "已放弃",
            LeadStatus::Converted => "已转项目",
        }
    }
}

impl InvestorKind {
    pub fn label(self) -> &'static str {
        match self {
            InvestorKind::Private => "民营企业",
            InvestorKind::State => "国企/央企",
            InvestorKind::Foreign => "外资企业",
            InvestorKind::Hmt => "港澳台企业",
            InvestorKind::Individual => "个人",
        }
    }
}

/// Labels of investor fields, for forms and for messages that name a field.
pub fn investor_field_label(field: &str) -> &'static str {
    match field {
        "name" => "客商名称",
        "credit_code" => "统一社会信用代码",
        "kind" => "客商类型",
        "country" => "国家或地区",
        "origin_city" => "来源城市",
        "fortune_global_500" => "世界500强",
        "fortune_china_500" => "中国500强",
        "listed" => "上市公司",
        "industry_code" => "所属行业",
        "website" => "网址",
        "intended_amount" | "intended_investment" => "意向投资",
        "intended_currency" => "意向投资币种",
        "notes" => "备注",
        _ => "",
    }
}

impl AccountState {
    pub fn label(self) -> &'static str {
        match self {
            AccountState::Disabled => "已停用",
            AccountState::Locked => "已锁定",
            AccountState::AwaitingNewPassword => "待修改初始密码",
            AccountState::Normal => "正常",
        }
    }
}

/// What an audit entry records as done, with its label (the keys the application writes).
pub const AUDIT_ACTIONS: [(&str, &str); 28] = [
    ("create", "新建"),
    ("update", "修改"),
    ("transition", "阶段变更"),
    ("note", "记录进展"),
    ("generate", "批量生成"),
    ("retire", "撤销"),
    ("sign_in", "登录"),
    ("sign_in_failed", "登录失败"),
    ("sign_out", "退出"),
    ("lock", "锁定"),
    ("change_password", "修改密码"),
    ("reset_password", "重置密码"),
    ("disable", "停用"),
    ("enable", "启用"),
    ("assign", "分配角色和单位"),
    ("unlock", "解锁"),
    ("link_investor", "关联企业"),
    ("merge", "合并"),
    ("dispatch", "分派"),
    ("follow_up_done", "跟进完成"),
    ("meet", "记录会见客商"),
    ("import", "批量导入"),
    ("sign", "记录签约项目"),
    ("drop", "放弃"),
    ("convert", "转为项目"),
    ("permission_denied", "越权被拒"),
    ("export", "导出"),
    ("download", "下载"),
];

/// What an audit entry is about.
pub const AUDIT_ENTITIES: [(&str, &str); 12] = [
    ("project", "项目"),
    ("investor", "客商"),
    ("lead", "线索"),
    ("visit", "拜访"),
    ("event", "招商活动"),
    ("referrer", "引荐人"),
    ("import", "导入"),
    ("user", "账号"),
    ("unit", "单位"),
    ("session", "登录会话"),
    ("admin", "管理功能"),
    ("audit", "审计日志"),
];

/// The label of an audit action or entity key (the key itself when unknown).
pub fn audit_label<'a>(table: &[(&'static str, &'static str)], key: &'a str) -> &'a str {
    table
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, label)| label)
}

/// Who acted when no account did (the command line, migrations).
pub const SYSTEM_ACTOR: &str = "（系统）";

/// The state of a unit in the tree.
pub fn unit_state_label(retired: bool) -> &'static str {
    if retired { "已撤销" } else { "在用" }
}

/// Labels of project fields, shared by forms, messages and the API's error `field` names.
pub fn field_label(field: &str) -> &'static str {
    match field {
        "name" => "项目名称",
        "investor_name" => "投资方",
        "industry_code" => "所属行业",
        "channel" => "招商方式",
        "total_investment" => "总投资",
        "currency" => "币种",
        "land_area" => "用地面积（亩）",
        "land_area_m2" => "用地面积（㎡）",
        "lead_on" => "录入日期",
        "building_area" => "建筑面积（㎡）",
        "expected_output" => "预计年产值",
        "expected_tax" => "预计年税收",
        "jobs" => "预计用工",
        "unit_id" => "责任单位",
        "officer_id" => "责任人",
        "leader_id" => "包联领导",
        "referrer" => "引荐人",
        "notes" => "备注",
        "investor_id" => "客商",
        "referrer_id" => "引荐人",
        "affiliation" => "所在单位",
        "referrer_name" => "引荐人姓名或名称",
        "title" => "线索内容",
        "amount" => "预计投资额",
        "source" => "信息来源",
        "contact" => "联系人及联系方式",
        "place" => "地点",
        "investor_side" => "客商方人员",
        "purpose" => "拜访目的",
        "outcome" => "拜访成果",
        "next_step" => "下一步",
        "event_title" => "活动名称",
        "held_on" => "举办日期",
        "city" => "举办城市",
        "organiser" => "主办单位",
        "delegation" => "我方参加人员",
        "signed_amount" => "签约金额",
        "project_id" => "项目",
        "to" => "目标阶段",
        "date" => "日期",
        "contract_amount" => "合同金额",
        "credit_code" => "统一社会信用代码",
        "land_grant_date" => "供地日期",
        "reason" => "原因",
        "body" => "进展情况",
        "version" => "版本",
        "login" => "账号",
        "password" => "密码",
        _ => "字段",
    }
}

//! 招商方式: how a project was attracted.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Business,
    Kinship,
    Agency,
    FieldTeam,
    Online,
    Expo,
    Chain,
    Other,
}

impl Channel {
    pub const ALL: [Channel; 8] = [
        Channel::Business,
        Channel::Kinship,
        Channel::Agency,
        Channel::FieldTeam,
        Channel::Online,
        Channel::Expo,
        Channel::Chain,
        Channel::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Channel::Business => "business",
            Channel::Kinship => "kinship",
            Channel::Agency => "agency",
            Channel::FieldTeam => "field_team",
            Channel::Online => "online",
            Channel::Expo => "expo",
            Channel::Chain => "chain",
            Channel::Other => "other",
        }
    }

    pub fn parse(key: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.key() == key)
    }
}

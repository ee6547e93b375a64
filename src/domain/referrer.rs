//! Referrers (引荐人): a person or an organisation who brought a project.

use super::project::{NAME_MAX, NOTES_MAX, text_field};
use super::records::referrer::Referrer;
use super::validation::Invalid;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReferrerKind {
    Person,
    Organisation,
}

impl ReferrerKind {
    pub const ALL: [ReferrerKind; 2] = [ReferrerKind::Person, ReferrerKind::Organisation];

    pub fn key(self) -> &'static str {
        match self {
            ReferrerKind::Person => "person",
            ReferrerKind::Organisation => "organisation",
        }
    }

    pub fn parse(key: &str) -> Option<ReferrerKind> {
        ReferrerKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReferrerInput {
    pub kind: String,
    pub name: String,
    pub affiliation: String,
    pub contact: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferrerFields {
    pub kind: ReferrerKind,
    pub name: String,
    pub affiliation: Option<String>,
    pub contact: Option<String>,
    pub notes: Option<String>,
}

/// A stored referrer as a form shows it (edit forms, and partial updates overlaid on it).
impl From<&Referrer> for ReferrerInput {
    fn from(r: &Referrer) -> ReferrerInput {
        ReferrerInput {
            kind: r.kind.key().to_string(),
            name: r.name.clone(),
            affiliation: r.affiliation.clone().unwrap_or_default(),
            contact: r.contact.clone().unwrap_or_default(),
            notes: r.notes.clone().unwrap_or_default(),
        }
    }
}

impl ReferrerInput {
    pub fn parse(&self) -> Result<ReferrerFields, Invalid> {
        let mut errors = Invalid::default();
        let kind = ReferrerKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.add("kind", "请选择个人或机构");
        }
        let name = text_field(&mut errors, "referrer_name", &self.name, true, NAME_MAX);
        let affiliation = text_field(
            &mut errors,
            "affiliation",
            &self.affiliation,
            false,
            NAME_MAX,
        );
        let contact = text_field(&mut errors, "contact", &self.contact, false, NAME_MAX);
        let notes = text_field(&mut errors, "notes", &self.notes, false, NOTES_MAX);
        match (kind, name) {
            (Some(kind), Some(name)) if errors.is_empty() => Ok(ReferrerFields {
                kind,
                name,
                affiliation,
                contact,
                notes,
            }),
            _ => Err(errors),
        }
    }
}

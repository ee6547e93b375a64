//! A unit of the administrative tree as read back.

use crate::domain::ids::UnitId;
use crate::domain::user::UnitPath;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unit {
    pub id: UnitId,
    pub code: String,
    pub name: String,
    pub parent_id: Option<UnitId>,
    #[serde(skip)]
    pub path: UnitPath,
    pub retired: bool,
}

impl Unit {
    /// How deep in the tree (root = 0), for indenting choices.
    pub fn depth(&self) -> usize {
        self.path.0.matches('/').count().saturating_sub(2)
    }
}

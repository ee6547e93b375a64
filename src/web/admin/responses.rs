//! What the administrators' API answers about units: its own shape, built from the domain's
//! record (accounts are answered as the service's `AccountView`, which never holds a hash).

use crate::domain::ids::UnitId;
use crate::domain::records::unit::Unit;
use serde::Serialize;

/// A unit of the administrative tree as the API answers it.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct UnitResponse {
    id: UnitId,
    code: String,
    name: String,
    parent_id: Option<UnitId>,
    retired: bool,
}

impl From<Unit> for UnitResponse {
    fn from(u: Unit) -> Self {
        UnitResponse {
            id: u.id,
            code: u.code,
            name: u.name,
            parent_id: u.parent_id,
            retired: u.retired,
        }
    }
}

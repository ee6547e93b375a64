//! One id type per entity, so a unit id can never be passed where a project id is meant.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($name:ident) => {
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            Serialize,
            Deserialize,
            utoipa::ToSchema,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(UnitId);
id_type!(UserId);
id_type!(ProjectId);
id_type!(HistoryEntryId);
id_type!(InvestorId);
id_type!(LeadId);
id_type!(VisitId);
// A promotion event (推介会, 洽谈会 …), not an entry of a project's history.
id_type!(EventId);
id_type!(ReferrerId);
id_type!(ImportId);

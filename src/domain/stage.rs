//! Project stages and the transition table (the heart of the pipeline).

use serde::{Deserialize, Serialize};

/// Where a project stands. Keys are English; labels live in `glossary`.
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
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Lead,
    Negotiating,
    Intent,
    Contracted,
    Landed,
    Construction,
    Production,
    AtCapacity,
    Paused,
    Terminated,
    Exited,
    Rejected,
}

/// What kind of transition a move is; decides which facts it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Along the main path (or skipping 意向 straight to 正式签约).
    Advance,
    /// Into `paused`; remembers the stage it left.
    Pause,
    /// Out of `paused`, back to the stage it left.
    Resume,
    /// Off the main path for good: terminated, exited, rejected.
    Close,
}

/// Why a transition is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitionRefusal {
    /// The project is already in that stage.
    SameStage,
    /// The project is in a final stage (终止/退出/否决).
    FromFinal,
    /// A paused project can only resume to the stage it left (or close).
    ResumeElsewhere { left: Stage },
    /// `terminated` is only for projects that have not landed; `exited` only for those that have.
    WrongClosure,
    /// Not an edge of the table (e.g. 线索 → 投产).
    NotAllowed,
}

impl Stage {
    pub const ALL: [Stage; 12] = [
        Stage::Lead,
        Stage::Negotiating,
        Stage::Intent,
        Stage::Contracted,
        Stage::Landed,
        Stage::Construction,
        Stage::Production,
        Stage::AtCapacity,
        Stage::Paused,
        Stage::Terminated,
        Stage::Exited,
        Stage::Rejected,
    ];

    /// The main path, in order.
    pub const MAIN_PATH: [Stage; 8] = [
        Stage::Lead,
        Stage::Negotiating,
        Stage::Intent,
        Stage::Contracted,
        Stage::Landed,
        Stage::Construction,
        Stage::Production,
        Stage::AtCapacity,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Stage::Lead => "lead",
            Stage::Negotiating => "negotiating",
            Stage::Intent => "intent",
            Stage::Contracted => "contracted",
            Stage::Landed => "landed",
            Stage::Construction => "construction",
            Stage::Production => "production",
            Stage::AtCapacity => "at_capacity",
            Stage::Paused => "paused",
            Stage::Terminated => "terminated",
            Stage::Exited => "exited",
            Stage::Rejected => "rejected",
        }
    }

    pub fn parse(key: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn is_final(self) -> bool {
        matches!(self, Stage::Terminated | Stage::Exited | Stage::Rejected)
    }

    /// Being worked on: neither paused nor closed.
    pub fn is_active(self) -> bool {
        self != Stage::Paused && !self.is_final()
    }

    /// Position on the main path (None for off-path stages).
    pub fn rank(self) -> Option<usize> {
        Stage::MAIN_PATH.iter().position(|s| *s == self)
    }

    /// Landed or later on the main path: land or a company exists, so leaving is an exit (退出).
    pub fn has_landed(self) -> bool {
        self.rank().is_some_and(|r| r >= 4)
    }

    /// 储备一批: still being talked about, nothing signed.
    pub fn is_reserve(self) -> bool {
        matches!(self, Stage::Lead | Stage::Negotiating | Stage::Intent)
    }

    /// The transition table. `paused_from` is the stage a paused project left.
    pub fn check_move(
        self,
        to: Stage,
        paused_from: Option<Stage>,
    ) -> Result<Move, TransitionRefusal> {
        use Stage::*;
        if self == to {
            return Err(TransitionRefusal::SameStage);
        }
        if self.is_final() {
            return Err(TransitionRefusal::FromFinal);
        }
        // The stage whose position decides closures: for a paused project, the one it left.
        let effective = if self == Paused {
            paused_from.unwrap_or(Lead)
        } else {
            self
        };
        match to {
            Terminated if effective.has_landed() => return Err(TransitionRefusal::WrongClosure),
            Exited if !effective.has_landed() => return Err(TransitionRefusal::WrongClosure),
            Rejected if self == Paused || !effective.is_reserve() => {
                return Err(TransitionRefusal::NotAllowed);
            }
            Terminated | Exited | Rejected => return Ok(Move::Close),
            _ => {}
        }
        if self == Paused {
            return if Some(to) == paused_from {
                Ok(Move::Resume)
            } else {
                Err(TransitionRefusal::ResumeElsewhere { left: effective })
            };
        }
        if to == Paused {
            return Ok(Move::Pause);
        }
        let allowed = matches!(
            (self, to),
            (Lead, Negotiating)
                | (Negotiating, Intent)
                | (Negotiating, Contracted)
                | (Intent, Contracted)
                | (Contracted, Landed)
                | (Landed, Construction)
                | (Construction, Production)
                | (Production, AtCapacity)
        );
        if allowed {
            Ok(Move::Advance)
        } else {
            Err(TransitionRefusal::NotAllowed)
        }
    }

    /// The stages a project can move to from here (for the UI's choices).
    pub fn next_stages(self, paused_from: Option<Stage>) -> Vec<Stage> {
        Stage::ALL
            .into_iter()
            .filter(|to| self.check_move(*to, paused_from).is_ok())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Stage::*;
    use super::*;

    /// The whole table, written out by hand: every (from, to) pair not listed is refused.
    fn expected(from: Stage, to: Stage, paused_from: Option<Stage>) -> Option<Move> {
        let edges: &[(Stage, Stage, Move)] = &[
            (Lead, Negotiating, Move::Advance),
            (Lead, Paused, Move::Pause),
            (Lead, Terminated, Move::Close),
            (Lead, Rejected, Move::Close),
            (Negotiating, Intent, Move::Advance),
            (Negotiating, Contracted, Move::Advance),
            (Negotiating, Paused, Move::Pause),
            (Negotiating, Terminated, Move::Close),
            (Negotiating, Rejected, Move::Close),
            (Intent, Contracted, Move::Advance),
            (Intent, Paused, Move::Pause),
            (Intent, Terminated, Move::Close),
            (Intent, Rejected, Move::Close),
            (Contracted, Landed, Move::Advance),
            (Contracted, Paused, Move::Pause),
            (Contracted, Terminated, Move::Close),
            (Landed, Construction, Move::Advance),
            (Landed, Paused, Move::Pause),
            (Landed, Exited, Move::Close),
            (Construction, Production, Move::Advance),
            (Construction, Paused, Move::Pause),
            (Construction, Exited, Move::Close),
            (Production, AtCapacity, Move::Advance),
            (Production, Paused, Move::Pause),
            (Production, Exited, Move::Close),
            (AtCapacity, Paused, Move::Pause),
            (AtCapacity, Exited, Move::Close),
        ];
        if from == Paused {
            let left = paused_from.expect("paused has a left stage");
            if to == left {
                return Some(Move::Resume);
            }
            if (to == Terminated && !left.has_landed()) || (to == Exited && left.has_landed()) {
                return Some(Move::Close);
            }
            return None;
        }
        edges
            .iter()
            .find(|(f, t, _)| *f == from && *t == to)
            .map(|(_, _, m)| *m)
    }

    #[test]
    fn every_pair_of_stages_follows_the_table() {
        for from in Stage::ALL {
            let lefts: Vec<Option<Stage>> = if from == Paused {
                Stage::MAIN_PATH.iter().map(|s| Some(*s)).collect()
            } else {
                vec![None]
            };
            for paused_from in lefts {
                for to in Stage::ALL {
                    let got = from.check_move(to, paused_from).ok();
                    assert_eq!(
                        got,
                        expected(from, to, paused_from),
                        "{from:?} → {to:?} (paused from {paused_from:?})"
                    );
                }
            }
        }
    }

    #[test]
    fn final_stages_go_nowhere() {
        for from in [Terminated, Exited, Rejected] {
            assert!(from.next_stages(None).is_empty());
        }
    }

    #[test]
    fn a_lead_cannot_jump_to_production() {
        assert_eq!(
            Lead.check_move(Production, None),
            Err(TransitionRefusal::NotAllowed)
        );
    }

    #[test]
    fn a_paused_project_resumes_only_where_it_left() {
        assert_eq!(
            Paused.check_move(Negotiating, Some(Construction)),
            Err(TransitionRefusal::ResumeElsewhere { left: Construction })
        );
        assert_eq!(
            Paused.check_move(Construction, Some(Construction)),
            Ok(Move::Resume)
        );
    }

    #[test]
    fn keys_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.key()), Some(s));
        }
        assert_eq!(Stage::parse("nope"), None);
    }
}

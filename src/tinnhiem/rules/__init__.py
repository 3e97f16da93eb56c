"""tinnhiem.rules: the exact rules of confidence votes, pure and typed.

No Django, no I/O, no clock, no randomness: functions over frozen
dataclasses, integer and :class:`fractions.Fraction` arithmetic only. The
web application, the command line, the scanner and the electronic ballots
all ask this package, and only this package, what a ballot box means.

Start with :func:`get_profile` and :func:`tally`.
"""

from tinnhiem.rules.ballots import Ballot, Candidate, Conference, canonical_marks
from tinnhiem.rules.deadlines import Deadline, DeadlineStatus, compute_deadlines
from tinnhiem.rules.eligibility import (
    Eligibility,
    OfficialFacts,
    PlaceSelection,
    binding_vote_petition_met,
    decide_eligibility,
    select_places,
)
from tinnhiem.rules.errors import (
    InvalidParameterError,
    RulesError,
    RulesWarning,
    UnknownProfileError,
)
from tinnhiem.rules.levels import Level, VoteKind
from tinnhiem.rules.profiles import (
    PROFILES,
    Band,
    Basis,
    Body,
    PlaceKind,
    Profile,
    get_profile,
)
from tinnhiem.rules.quorum import QuorumResult, check_quorum
from tinnhiem.rules.statistics import PersonOutcome, RoundStatistics, round_statistics
from tinnhiem.rules.tally import CandidateResult, TallyResult, tally
from tinnhiem.rules.validity import BallotDefect, LineDefect, assess_ballot

__all__ = [
    "PROFILES",
    "Ballot",
    "BallotDefect",
    "Band",
    "Basis",
    "Body",
    "Candidate",
    "CandidateResult",
    "Conference",
    "Deadline",
    "DeadlineStatus",
    "Eligibility",
    "InvalidParameterError",
    "Level",
    "LineDefect",
    "OfficialFacts",
    "PersonOutcome",
    "PlaceKind",
    "PlaceSelection",
    "Profile",
    "QuorumResult",
    "RoundStatistics",
    "RulesError",
    "RulesWarning",
    "TallyResult",
    "UnknownProfileError",
    "VoteKind",
    "assess_ballot",
    "binding_vote_petition_met",
    "canonical_marks",
    "check_quorum",
    "compute_deadlines",
    "decide_eligibility",
    "get_profile",
    "round_statistics",
    "select_places",
    "tally",
]

"""Who may do what with assessments and bulletins. Records are further limited by scope (core.scope)."""

from anjian.core.roles import Role as R

READERS = {R.OFFICE, R.LEADER, R.TOWN, R.INSPECTOR, R.GRID}

PERMISSIONS = {
    # The assessed bodies (towns, departments) read the scheme and its scoring rules (评分细则公开).
    "assessment.view_assessmentscheme": READERS,
    "assessment.change_assessmentscheme": {R.OFFICE},
    "assessment.view_evaluation": {R.OFFICE, R.LEADER, R.TOWN, R.INSPECTOR},
    "assessment.compute_evaluation": {R.OFFICE},
    "assessment.score_itemscore": {R.OFFICE},
    "assessment.export_evaluation": {R.OFFICE, R.LEADER, R.TOWN, R.INSPECTOR},
    "assessment.view_bulletin": READERS,
    "assessment.change_bulletin": {R.OFFICE},
    "assessment.issue_bulletin": {R.OFFICE},
}

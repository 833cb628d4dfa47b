"""The operations app's rows of the permission table."""

from anjian.core.roles import Role as R

GOV_READERS = {R.OFFICE, R.INSPECTOR, R.TOWN, R.GRID, R.LEADER}
GOV_WRITERS = {R.OFFICE, R.INSPECTOR, R.TOWN}

PERMISSIONS = {
    # Tips: every government reader sees tips in scope; the office and towns triage (分办); the assigned
    # department or town verifies; the office records rewards.
    "operations.view_tip": GOV_READERS,
    "operations.add_tip": {R.OFFICE, R.TOWN},  # 12345 hotline transfers and letters
    "operations.triage_tip": {R.OFFICE, R.TOWN},
    "operations.verify_tip": {R.OFFICE, R.INSPECTOR, R.TOWN},
    "operations.reward_tip": {R.OFFICE},
    "operations.view_rewardrule": {R.OFFICE, R.LEADER},
    "operations.change_rewardrule": {R.OFFICE},
    # Warnings: the office records and issues; units acknowledge their own notices.
    "operations.view_weatherwarning": GOV_READERS,
    "operations.change_weatherwarning": {R.OFFICE},
    "operations.view_warningnotice": GOV_READERS | {R.ENTERPRISE},
    "operations.acknowledge_warningnotice": {R.ENTERPRISE},
    "operations.view_exposurerule": GOV_READERS,
    "operations.change_exposurerule": {R.OFFICE},
    # Duty: each organisation keeps its own roster and log.
    "operations.view_duty": GOV_READERS,
    "operations.change_duty": {R.OFFICE, R.INSPECTOR, R.TOWN},
    # Emergency preparedness.
    "operations.view_emergency": GOV_READERS | {R.ENTERPRISE},
    "operations.change_emergency": GOV_WRITERS | {R.ENTERPRISE},
    # Training and publicity.
    "operations.view_training": GOV_READERS,
    "operations.change_training": GOV_WRITERS,
}

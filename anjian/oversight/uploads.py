"""Uploads of this app served by core.media: evidence files, shown to users who may see the problem."""

MEDIA_OWNERS = [
    (
        "oversight/",
        "oversight.Evidence",
        "file",
        "problem",
        "oversight.view_problem",
        "anjian.oversight.access.can_see_problem",
    ),
]

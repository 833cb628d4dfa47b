"""Uploaded meeting minutes are served to those who may open the meeting (core.media)."""

MEDIA_OWNERS = [
    (
        "committee/minutes/",
        "committee.Meeting",
        "minutes_file",
        "",
        "committee.view_meeting",
        "anjian.committee.services.can_read",
    ),
]

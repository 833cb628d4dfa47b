"""Attachments of progress reports (进展报告附件): checked by content before they are stored (core.uploads), and
served only to those who may see the assignment they belong to (core.media: one MEDIA_OWNERS row)."""

from anjian.core import uploads as documents

MEDIA_OWNERS = [
    (
        "supervision/",
        "supervision.ReportAttachment",
        "file",
        "report.assignment",
        "supervision.view_task",
        "anjian.supervision.services.can_see_assignment",
    ),
]

MAX_FILES = 10


def check_files(files) -> list[documents.CheckedFile]:
    return documents.check_files(files, MAX_FILES)

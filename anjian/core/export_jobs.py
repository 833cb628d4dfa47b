"""Big Excel exports as background jobs.

A ledger export of more than `ANJIAN["EXPORT_JOB_ROWS"]` rows is not written inside the request (100,000 rows
took 49 s and outlived the web server's timeout): the list view records an `ExportJob` and the task
`core.run_export` writes the file — in a Celery worker in production, in-process in the embedded mode. Smaller
exports are still answered directly.

The job never trusts a copy of the rows or of the filters' meaning: it stores the list's path and query string
and re-runs that list view for its owner (`list_view_for`), through the same scope and filterset as the page
the user saw. When the file is ready the owner gets an in-app message with the link. The file is served only
to its owner, only while the owner may still export that list with the same role and data scope, and only for
`ANJIAN["EXPORT_RETENTION_DAYS"]` days; `manage.py expire_exports` (or the beat task) deletes older files.
"""

import hashlib
import logging
import tempfile
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.db import router, transaction
from django.http import HttpRequest, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone
from django_htmx.middleware import HtmxDetails

from .audit import record_action, register_actions
from .exports import export_filename
from .models import ExportJob
from .permissions import has_perm
from .scope import scope_for

logger = logging.getLogger(__name__)

EXPORT_REQUESTED = "core.export_requested"
register_actions({EXPORT_REQUESTED: "申请导出台账"})
NOTIFICATION_KIND = "core.export"
LIST_QUERY_IGNORED = ("cursor", "export")
DEFAULT_JOB_ROWS = 5000
DEFAULT_RETENTION_DAYS = 7


class ExportRefused(Exception):
    """The job cannot (or may no longer) export this list; the message is shown to the user."""


class ExportForbidden(ExportRefused):
    """The list exists, but the user's role may not export it."""


def job_rows_threshold() -> int:
    """Exports of more rows than this run as background jobs."""
    return int(settings.ANJIAN.get("EXPORT_JOB_ROWS", DEFAULT_JOB_ROWS))


def retention_days() -> int:
    return int(settings.ANJIAN.get("EXPORT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def too_big_for_request(queryset) -> bool:
    # Counting stops one past the threshold: deciding costs the same on a million rows as on a thousand.
    limit = job_rows_threshold()
    return queryset.order_by()[: limit + 1].count() > limit


def list_query(params: QueryDict) -> str:
    """The list's filters as a query string: empty values, the page cursor and the export flag left out."""
    kept = QueryDict(mutable=True)
    for key, values in params.lists():
        values = [v for v in values if v != ""]
        if key not in LIST_QUERY_IGNORED and values:
            kept.setlist(key, values)
    return kept.urlencode()


def related_paths(model, columns) -> list[str]:
    """The foreign keys that columns like "enterprise.name" or "territory.parent.name" read through, as
    select_related paths: an export of a million rows must not run a query per row."""
    from django.core.exceptions import FieldDoesNotExist

    paths = set()
    for column in columns:
        if callable(column.accessor) or "." not in column.accessor:
            continue
        current, chain = model, []
        for part in column.accessor.split(".")[:-1]:
            try:
                field = current._meta.get_field(part)
            except FieldDoesNotExist:
                break
            if not (field.many_to_one or field.one_to_one) or not field.concrete:
                break
            chain.append(part)
            current = field.related_model
        if chain:
            paths.add("__".join(chain))
    return sorted(paths)


def scope_key(user) -> str:
    """A fingerprint of the user's role and data scope: a file made under another scope is not handed out."""
    scope = scope_for(user)
    sectors = "*" if scope.sector_ids is None else ",".join(str(i) for i in sorted(scope.sector_ids))
    parts = (user.role, scope.nothing, scope.territory_path, sectors, scope.enterprise_id, user.is_active)
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def list_view_for(user, path: str, query: str = ""):
    """The list view at `path`, set up for `user` with `query` as its filters, exactly as for a page request.

    Raises ExportRefused (Chinese message) when the path is no exportable list or the user may not export it."""
    from .views.generic import ObjectListView

    try:
        match = resolve(path)
    except Resolver404 as exc:
        raise ExportRefused("该台账地址不存在。") from exc
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, ObjectListView) or not view_class.export_name:
        raise ExportRefused("该页面没有 Excel 导出。")
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(query)
    request.user = user
    request.htmx = HtmxDetails(request)
    view = view_class(**match.func.view_initkwargs)
    view.setup(request, *match.args, **match.kwargs)
    if not has_perm(user, view.get_permission()) or not view.can_export(user):
        raise ExportForbidden("您的角色无权导出此台账。")
    return view


def start_export(user, view) -> ExportJob:
    """Record a job for the list `view` is showing (its path and filters) and queue it."""
    from .tasks import run_export

    job = ExportJob.objects.create(
        created_by=user,
        export_name=view.export_name[:100],
        list_path=view.request.path,
        query=list_query(view.request.GET),
        scope_key=scope_key(user),
    )
    record_action(job, EXPORT_REQUESTED, message=f"{job.export_name}：{job.list_url}", actor=user)
    delete_expired_exports()  # the embedded mode has no beat: old files go whenever someone exports
    run_export.delay(job.pk)
    job.refresh_from_db()
    return job


def run_export_job(job_id: int) -> None:
    """Write the job's file. Runs once: a job already taken (a redelivered task) is left alone. Every failure
    is recorded on the job in Chinese and told to its owner; nothing is raised to the caller."""
    now = timezone.now()
    if not ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING
    ):
        return
    # The row was just written: read it where it was written, not from a replica that may lag behind.
    job = (
        ExportJob.objects.db_manager(router.db_for_write(ExportJob))
        .select_related("created_by")
        .get(pk=job_id)
    )
    try:
        rows = _write_file(job)
    except ExportRefused as exc:
        _fail(job, f"导出失败：{exc}")
        return
    except Exception as exc:  # recorded on the job and shown to its owner, never lost silently
        logger.exception("export job %s failed", job_id)
        _fail(
            job, f"导出失败：生成文件时出错（{type(exc).__name__}）。请稍后重试；如仍失败请联系系统管理员。"
        )
        return
    finished = timezone.now()
    job.status = ExportJob.Status.DONE
    job.rows_done = job.rows_total = rows
    job.finished_at = finished
    job.expires_at = finished + timedelta(days=retention_days())
    job.save()
    logger.info("export job %s: %s rows in %.1f s", job.pk, rows, (finished - now).total_seconds())
    _notify(
        job,
        f"导出完成：{job.export_name}",
        f"共 {rows} 行，{retention_days()} 天内可下载（仅限本人）。",
    )


def _write_file(job: ExportJob) -> int:
    view = list_view_for(job.created_by, job.list_path, job.query)
    queryset, _filterset = view.filtered_queryset()
    ExportJob.objects.filter(pk=job.pk).update(rows_total=queryset.count())
    table = view.export_table(queryset)

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

    with tempfile.TemporaryFile(suffix=".xlsx") as handle:
        rows = table.write(handle, progress=progress)
        handle.seek(0)
        job.file.save(export_filename(job.export_name, job.created_at), File(handle), save=False)
    return rows


def _fail(job: ExportJob, message: str) -> None:
    job.status = ExportJob.Status.FAILED
    job.error = message[:1000]
    job.finished_at = timezone.now()
    job.save()
    _notify(job, f"导出失败：{job.export_name}", message)


def _notify(job: ExportJob, title: str, body: str) -> None:
    """An in-app message to the owner with the job's link, through the notifications app when installed (looked
    up by name: core keeps no import of a higher app)."""
    if not apps.is_installed("anjian.notifications"):
        return
    from importlib import import_module

    notify = import_module("anjian.notifications.services").notify
    notify([job.created_by], title=title, body=body, url=job.get_absolute_url(), kind=NOTIFICATION_KIND)


# --- download ---------------------------------------------------------------------------------------------
def download_refusal(user, job: ExportJob, now=None) -> str:
    """Why `user` may not download the job's file now ("" when they may). The caller has already made sure the
    job is the user's own."""
    now = now or timezone.now()
    if job.status != ExportJob.Status.DONE or not job.file:
        return "文件尚未生成。"
    if job.expires_at and job.expires_at <= now:
        return "文件已过期并删除，请重新导出。"
    try:
        list_view_for(user, job.list_path, job.query)
    except ExportRefused as exc:
        return str(exc)
    if job.scope_key != scope_key(user):
        return "您的角色或数据范围已变化，此文件不再提供下载，请重新导出。"
    return ""


# --- expiry -----------------------------------------------------------------------------------------------
def delete_expired_exports(now=None) -> int:
    """Delete the files (and jobs) past their expiry, and jobs that failed or stalled long ago. Idempotent."""
    now = now or timezone.now()
    stale = now - timedelta(days=retention_days())
    expired = ExportJob.objects.filter(expires_at__lte=now) | ExportJob.objects.filter(
        expires_at__isnull=True, created_at__lte=stale
    )
    count = 0
    for job in expired.iterator():
        if job.file:
            job.file.delete(save=False)
        with transaction.atomic():
            job.delete()
        count += 1
    return count

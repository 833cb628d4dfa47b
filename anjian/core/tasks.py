"""Background work of the core app. In the embedded mode these run in-process (CELERY_TASK_ALWAYS_EAGER)."""

import logging
import tempfile

from celery import shared_task
from django.core.files import File

from .context import acting_as

logger = logging.getLogger(__name__)


@shared_task
def parse_import(batch_id: int) -> None:
    from .importing import get_importer, store_parse_result
    from .models import ImportBatch

    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    importer = get_importer(batch.importer)(batch.created_by)

    def progress(done, total):
        ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=done, total_rows=total)

    if batch.checked_rows:  # parsed again (after the user's answers): the rows are checked afresh
        batch.checked_rows.delete(save=False)
    with (
        acting_as(user=batch.created_by, label=batch.created_by.get_full_name()),
        batch.file.open("rb") as fh,
        tempfile.TemporaryFile() as kept,
    ):
        result = importer.parse(fh, progress=progress, keep=kept if importer.keeps_checked_rows else None)
        if (
            importer.keeps_checked_rows
            and not result.needs_mapping
            and not result.error_count
            and result.total
        ):
            kept.seek(0)
            batch.checked_rows.save(f"{batch.pk}.jsonl", File(kept), save=False)
    store_parse_result(batch, result)


@shared_task
def commit_import(batch_id: int) -> None:
    from .importing import get_importer
    from .models import ImportBatch

    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    importer = get_importer(batch.importer)(batch.created_by)

    def progress(done, total):
        ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=done, total_rows=total)

    try:
        with acting_as(user=batch.created_by, label=batch.created_by.get_full_name()):
            if batch.checked_rows and importer.keeps_checked_rows:
                # What the preview checked, checked again in bulk only where it may have changed.
                with batch.checked_rows.open("rb") as kept:
                    counts = importer.commit_checked(kept, progress=progress)
                counts["unchanged"] += batch.summary.get("existing", 0)  # left out of the kept rows
            else:
                with batch.file.open("rb") as fh:
                    counts = importer.commit(fh, progress=progress)
    except Exception as exc:  # recorded on the batch and shown to the user, never lost silently
        logger.exception("import batch %s failed", batch_id)
        counts = {"failure": str(exc)[:500], "errors": 1}
    finally:
        if batch.checked_rows:
            batch.checked_rows.delete(save=False)  # a batch is committed once; the uploaded file stays
    batch.summary = {**batch.summary, **counts}
    batch.status = ImportBatch.Status.FAILED if counts["errors"] else ImportBatch.Status.DONE
    batch.save()


@shared_task(name="core.run_export")
def run_export(job_id: int) -> None:
    from .export_jobs import run_export_job

    run_export_job(job_id)


@shared_task(name="core.expire_exports")
def expire_exports() -> int:
    from .export_jobs import delete_expired_exports

    return delete_expired_exports()

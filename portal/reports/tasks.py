"""Background tasks of the report pages (django-tasks; the database backend in production, `manage.py run_worker`)."""

from django_tasks import task


@task()
def build_report(job_id: int) -> None:
    from .jobs import report_job_build

    report_job_build(job_id)

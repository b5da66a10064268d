"""Background tasks of the awards app (django-tasks; the database backend in production, `manage.py run_worker`)."""

from django_tasks import task


@task()
def build_certificate_export(export_id: int) -> None:
    from .services.certificate_exports import certificate_export_build

    certificate_export_build(export_id)

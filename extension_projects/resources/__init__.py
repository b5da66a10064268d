"""Import and export of khuyến công projects and fair participations (django-import-export), used by the staff
import pages (portal.imports) and the admin alike. Projects are keyed on their code, participations on the fair
(name and first day) and the producer's tax code. Rows are written through the services (`project_create`,
`project_update`, `funding_set`, `fair_create`, `participation_record`), so their rules apply to a file as to a
form. A project's status comes from the file for a new project (historical records are mostly settled); an
existing project's status changes through its transitions on the staff page."""

from .participations import ParticipationResource
from .projects import ProjectResource

__all__ = ["ParticipationResource", "ProjectResource"]

"""Who reads a report job: only the official who asked for it (and a superuser)."""

from portal.core.access import Rule, register
from portal.models import ReportJob

register(ReportJob, Rule(owner="created_by"))

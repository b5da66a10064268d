"""Khuyến công projects waiting for the department's next step: approval, contract, a tranche, acceptance,
settlement (extension_projects.selectors.STEP_CONDITIONS)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext_lazy

from extension_projects.enums import ProjectStep
from extension_projects.selectors import project_steps

from .base import Line, LineKind

TITLES = {
    ProjectStep.APPROVAL: ngettext_lazy(
        "%(n)d project waiting for approval", "%(n)d projects waiting for approval", "n"
    ),
    ProjectStep.CONTRACT: ngettext_lazy(
        "%(n)d approved project without a contract", "%(n)d approved projects without a contract", "n"
    ),
    ProjectStep.TRANCHE: ngettext_lazy(
        "%(n)d project with budget left to disburse", "%(n)d projects with budget left to disburse", "n"
    ),
    ProjectStep.ACCEPTANCE: ngettext_lazy(
        "%(n)d project being implemented, waiting for acceptance",
        "%(n)d projects being implemented, waiting for acceptance",
        "n",
    ),
    ProjectStep.SETTLEMENT: ngettext_lazy(
        "%(n)d accepted project waiting for settlement", "%(n)d accepted projects waiting for settlement", "n"
    ),
}


class ProjectLines(LineKind):
    key = "projects"
    heading = gettext_lazy("Industrial extension projects waiting for a step")

    def lines(self) -> list[Line]:
        counts = project_steps(self.user)
        url = reverse("extension_projects:staff.project.list")
        return [
            Line(
                title=TITLES[step] % {"n": counts[step.value]},
                url=f"{url}?{urlencode({'step': step.value})}",
            )
            for step in ProjectStep
            if counts[step.value]
        ]

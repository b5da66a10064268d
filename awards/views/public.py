"""Public pages: the rounds open for registration and their deadlines."""

from django.shortcuts import get_object_or_404, render
from django.views import View

from ..enums import RoundStatus
from ..models import Round
from ..selectors import rounds_open_to_public


class OpenRoundListView(View):
    def get(self, request):
        return render(request, "awards/public/round_list.html", {"rounds": rounds_open_to_public()})


class RoundDetailView(View):
    def get(self, request, pk):
        round_ = get_object_or_404(
            Round.objects.select_related("level", "organiser", "province", "local_unit", "region").exclude(
                status=RoundStatus.DRAFT
            ),
            pk=pk,
        )
        return render(
            request,
            "awards/public/round_detail.html",
            {
                "round": round_,
                "checklist": round_.checklist.select_related("group", "document_type"),
                "group_rules": round_.group_rules.select_related("group"),
            },
        )

"""Public pages: the rounds open for registration and their deadlines."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views import View

from portal.core.files import serve_file

from ..enums import RoundStatus
from ..models import Round, RoundChecklistItem
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


class ChecklistTemplateView(View):
    """A document's template of a published round (anyone may read the round's page): always a download."""

    def get(self, request, pk, item_pk):
        item = get_object_or_404(
            RoundChecklistItem.objects.select_related("document_type").exclude(round__status=RoundStatus.DRAFT),
            round_id=pk,
            pk=item_pk,
        )
        if not item.template:
            raise Http404
        return serve_file(
            item.template,
            content_type=item.template_content_type,
            name=item.template_name or str(item.document_type),
            default_stem="mau",
            as_attachment=True,
        )

"""The nomination wizard and the dossier's timeline, for the producer and for staff entering a paper dossier
on a producer's behalf. Both audiences run the same steps and the same services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from portal.core.audience import Audience, ProducerAudience, StaffAudience
from products import services as product_services
from products.access import can_manage_producer
from products.enums import DocumentScope
from products.models import Producer
from products.selectors import documents_on_file
from products.views.common import apply_validation_error

from .. import services
from ..dossier import PHOTOS_PART, DossierPart, parts_of
from ..enums import EDITABLE_BY_PRODUCER, NominationStatus, WizardStep
from ..forms import (
    AttachDocumentForm,
    DeclarationForm,
    NominationFormForm,
    NominationPhotosForm,
    NominationStartForm,
    UploadDocumentForm,
)
from ..models import Nomination
from ..selectors import (
    labelled_parts,
    nomination_checklist,
    nomination_parts,
    nomination_problems,
    nominations_for_staff,
    round_covers,
    rounds_open_to_public,
)

STEPS = list(WizardStep)


class ProducerNominations(ProducerAudience):
    """A producer's own nominations."""

    def nominations(self):
        return Nomination.objects.filter(producer=self.producer).select_related(
            "round__level", "product__group", "producer__current_province"
        )

    def producer_for_start(self):
        return self.producer


class StaffNominations(StaffAudience):
    """The nominations a staff member may see; a paper dossier entered for a producer they manage."""

    def nominations(self):
        return nominations_for_staff(self.request.user)

    def producer_for_start(self):
        producer = get_object_or_404(Producer, pk=self.kwargs["producer_pk"])
        if not can_manage_producer(self.request.user, producer)[0]:
            raise Http404
        return producer


def step_url(audience, nomination, step):
    return reverse(f"awards:{audience}.nomination.step", args=[nomination.pk, step])


def detail_url(audience, nomination):
    return reverse(f"awards:{audience}.nomination.detail", args=[nomination.pk])


def editable_parts(nomination) -> set[DossierPart] | None:
    """None: everything is editable (a draft); a set: only these parts (returned for correction)."""
    if nomination.status == NominationStatus.DRAFT:
        return None
    correction = nomination.open_correction()
    return parts_of(correction.items) if correction else set()


class NominationListBase(View):
    def get(self, request):
        return render(
            request,
            "awards/producer/nomination_list.html",
            {
                "nominations": self.nominations().order_by("-updated_at"),
                "open_rounds": rounds_open_to_public(),
                "audience": self.audience,
            },
        )


class NominationStartBase(View):
    template_name = "awards/shared/nomination_start.html"

    def form(self, producer, data=None):
        open_rounds = [r.pk for r in rounds_open_to_public() if round_covers(r, producer)]
        products = producer.products.order_by("name")
        if len(open_rounds) == 1:  # one round to choose: offer only the products not yet nominated in it
            products = products.exclude(nominations__round_id=open_rounds[0])
        return NominationStartForm(
            data,
            rounds=rounds_open_to_public().filter(pk__in=open_rounds),
            products=products,
            # A round named in the address (the home page's next step) is chosen; else the only open one is.
            initial={"round": self.request.GET["round"]} if self.request.GET.get("round") else {},
        )

    def get(self, request, **kwargs):
        producer = self.producer_for_start()
        return self.render(producer, self.form(producer))

    def post(self, request, **kwargs):
        producer = self.producer_for_start()
        form = self.form(producer, request.POST)
        if form.is_valid():
            try:
                nomination = services.nomination_create(
                    round_=form.cleaned_data["round"], product=form.cleaned_data["product"], actor=request.user
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request, _("The draft is saved. Go through the steps; you can stop and come back at any time.")
                )
                return redirect(step_url(self.audience, nomination, WizardStep.PRODUCER))
        return self.render(producer, form, status=400)

    def render(self, producer, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "producer": producer, "audience": self.audience},
            status=status,
        )


class NominationStepBase(View):
    template_name = "awards/shared/nomination_step.html"

    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def setup_nomination(self, pk, step):
        if step not in WizardStep.values:
            raise Http404
        nomination = get_object_or_404(self.nominations(), pk=pk)
        if nomination.status not in EDITABLE_BY_PRODUCER:
            return nomination, None
        return nomination, editable_parts(nomination)

    def get(self, request, pk, step):
        nomination, editable = self.setup_nomination(pk, step)
        if nomination.status not in EDITABLE_BY_PRODUCER:
            return redirect(detail_url(self.audience, nomination))
        return self.render(nomination, step, editable, self.forms(nomination, step, editable))

    def post(self, request, pk, step):
        nomination, editable = self.setup_nomination(pk, step)
        if nomination.status not in EDITABLE_BY_PRODUCER:
            messages.error(request, _("This dossier can no longer be changed."))
            return redirect(detail_url(self.audience, nomination))
        handler = getattr(self, f"post_{step}")
        try:
            with transaction.atomic():
                result = handler(nomination, editable)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(step_url(self.audience, nomination, step))
        if isinstance(result, dict):  # forms with errors: show them again, with what was typed
            return self.render(nomination, step, editable, result, status=400)
        return result

    # -- steps ---------------------------------------------------------------------------------------------
    def next_or_stay(self, nomination, step):
        if "next" in self.request.POST:
            following = STEPS[STEPS.index(step) + 1]
            return redirect(step_url(self.audience, nomination, following))
        messages.success(self.request, _("Saved."))
        return redirect(step_url(self.audience, nomination, step))

    def post_producer(self, nomination, editable):
        return self.next_or_stay(nomination, WizardStep.PRODUCER)

    def post_form(self, nomination, editable):
        form = NominationFormForm(
            self.request.POST, instance=Nomination.objects.get(pk=nomination.pk), editable=editable
        )
        if not form.is_valid():
            return {"form": form}
        changed = {name: form.cleaned_data[name] for name in form.fields if not form.fields[name].disabled}
        services.nomination_update_form(nomination=nomination, actor=self.request.user, **changed)
        return self.next_or_stay(nomination, WizardStep.FORM)

    def post_documents(self, nomination, editable):
        rows = {row["item"].pk: row for row in nomination_checklist(nomination)}
        item_id = self.request.POST.get("item", "")
        if not item_id.isdigit() or int(item_id) not in rows:
            return self.next_or_stay(nomination, WizardStep.DOCUMENTS)
        item = rows[int(item_id)]["item"]
        prefix = f"item{item.pk}"
        if self.request.POST.get("action") == "upload":
            upload = UploadDocumentForm(self.request.POST, self.request.FILES, prefix=prefix)
            if not upload.is_valid():
                return {"upload_errors": {item.pk: upload}}
            data = {k: v for k, v in upload.cleaned_data.items() if k != "file"}
            document = product_services.document_add(
                producer=nomination.producer,
                product=nomination.product if item.document_type.scope == DocumentScope.PRODUCT else None,
                file=upload.cleaned_data["file"],
                doc_type=item.document_type,
                **data,
            )
        else:
            attach = AttachDocumentForm(
                self.request.POST, prefix=prefix, choices=self.document_choices(nomination, item)
            )
            if not attach.is_valid():
                return {"attach_errors": {item.pk: attach}}
            document = attach.cleaned_data["document"]
        services.nomination_attach_document(
            nomination=nomination, item=item, document=document, actor=self.request.user
        )
        messages.success(self.request, _("“%(doc)s” is updated.") % {"doc": item.document_type})
        return redirect(step_url(self.audience, nomination, WizardStep.DOCUMENTS) + f"#item-{item.pk}")

    def post_photos(self, nomination, editable):
        if editable is not None and PHOTOS_PART not in editable:
            return self.next_or_stay(nomination, WizardStep.PHOTOS)  # locked: just move on
        form = NominationPhotosForm(self.request.POST, self.request.FILES, product=nomination.product)
        if not form.is_valid():
            return {"photos_form": form}
        chosen = list(form.cleaned_data["photos"])
        for image in form.cleaned_data["new_photos"]:
            chosen.append(product_services.photo_add(product=nomination.product, image=image))
        services.nomination_set_photos(nomination=nomination, photos=chosen, actor=self.request.user)
        return self.next_or_stay(nomination, WizardStep.PHOTOS)

    def post_declaration(self, nomination, editable):
        form = DeclarationForm(self.request.POST)
        form.is_valid()
        services.nomination_update_form(
            nomination=nomination,
            actor=self.request.user,
            declaration_accepted=form.cleaned_data.get("declaration_accepted", False),
        )
        if "submit" not in self.request.POST:
            messages.success(self.request, _("Saved."))
            return redirect(step_url(self.audience, nomination, WizardStep.DECLARATION))
        try:
            with transaction.atomic():  # a refused submission keeps the declaration just saved
                submitted = services.nomination_submit(nomination=nomination, actor=self.request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(self.request, message)
            return redirect(step_url(self.audience, nomination, WizardStep.DECLARATION))
        sent = (
            _("The dossier is sent on the producer's behalf. Receipt code: %(code)s.")
            if self.audience == Audience.STAFF
            else _("Your dossier is sent. Receipt code: %(code)s.")
        )
        messages.success(self.request, sent % {"code": submitted.receipt_code})
        return redirect(detail_url(self.audience, submitted))

    # -- rendering -----------------------------------------------------------------------------------------
    def document_choices(self, nomination, item):
        today = timezone.localdate()
        return documents_on_file(
            producer=nomination.producer, product=nomination.product, doc_type=item.document_type, on=today
        ).order_by("-issue_date", "-id")

    def forms(self, nomination, step, editable):
        context = {}
        if step == WizardStep.FORM:
            context["form"] = NominationFormForm(instance=nomination, editable=editable)
        elif step == WizardStep.PHOTOS:
            context["photos_form"] = NominationPhotosForm(
                product=nomination.product,
                initial={"photos": list(nomination.photos.values_list("photo_id", flat=True))},
            )
            if editable is not None and PHOTOS_PART not in editable:
                for field in context["photos_form"].fields.values():
                    field.disabled = True
        elif step == WizardStep.DECLARATION:
            context["declaration_form"] = DeclarationForm(
                initial={"declaration_accepted": nomination.declaration_accepted}
            )
        return context

    def render(self, nomination, step, editable, forms, status=200):
        context = {
            "nomination": nomination,
            "step": WizardStep(step),  # the URL's step, with its label for the page's title
            "steps": STEPS,
            "audience": self.audience,
            "editable": editable,
            "producer": nomination.producer,
            **forms,
        }
        if step == WizardStep.DOCUMENTS:
            rows = []
            for row in nomination_checklist(nomination):
                item = row["item"]
                prefix = f"item{item.pk}"
                rows.append(
                    {
                        **row,
                        "can_edit": editable is None or DossierPart.document(item.pk) in editable,
                        "attach_form": forms.get("attach_errors", {}).get(item.pk)
                        or AttachDocumentForm(
                            prefix=prefix,
                            choices=self.document_choices(nomination, item),
                            initial={"document": row["document"].pk if row["document"] else None},
                        ),
                        "upload_form": forms.get("upload_errors", {}).get(item.pk) or UploadDocumentForm(prefix=prefix),
                    }
                )
            context["rows"] = rows
        if step == WizardStep.DECLARATION:
            context["problems"] = nomination_problems(nomination)
            context["checklist"] = nomination_checklist(nomination)
        return render(self.request, self.template_name, context, status=status)


class NominationDetailBase(View):
    def get(self, request, pk):
        nomination = get_object_or_404(self.nominations(), pk=pk)
        correction = nomination.open_correction()
        return render(
            request,
            "awards/shared/nomination_detail.html",
            {
                "nomination": nomination,
                "audience": self.audience,
                "log": nomination.status_log.select_related("actor"),
                "correction": correction,
                "correction_parts": (
                    labelled_parts(correction.items, nomination_parts(nomination)) if correction else []
                ),
                "versions": nomination.versions.select_related("created_by"),
                "checklist": nomination_checklist(nomination),
                "editable": nomination.status in EDITABLE_BY_PRODUCER,
            },
        )


class ProducerNominationList(ProducerNominations, NominationListBase):
    pass


class ProducerNominationStart(ProducerNominations, NominationStartBase):
    pass


class ProducerNominationStep(ProducerNominations, NominationStepBase):
    pass


class ProducerNominationDetail(ProducerNominations, NominationDetailBase):
    pass


class StaffNominationStart(StaffNominations, NominationStartBase):
    pass


class StaffNominationStep(StaffNominations, NominationStepBase):
    pass

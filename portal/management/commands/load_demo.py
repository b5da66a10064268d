"""Load the demo data set: organisations, one account per role, the producers and products named in the
published provincial reports, and generated records (built by the modules of portal.demo). Idempotent: a second
run changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from portal.accounts.enums import Role
from portal.accounts.roles import ensure_staff_group
from portal.core.messaging.models import OutgoingMail
from portal.dashboards.tallies import refresh_tallies
from portal.demo import producers, published_figures, recognitions, rounds, signing, targets
from portal.demo.accounts import ACCOUNTS, DEMO_PASSWORD, load_accounts, load_organisations, load_site_identity
from products.models import ProductGroup


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print one login per role."

    def handle(self, *args, **options):
        # Demo records are not real people: nothing they trigger is e-mailed — the outbox rows the load wrote are
        # dropped with it (their notifications in the portal stay, to be seen).
        # (override_settings rather than assignment: a test that runs the command keeps its own mail backend after.)
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            last = OutgoingMail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            created = self.load()
            OutgoingMail.objects.filter(pk__gt=last).delete()
        refresh_tallies()  # the dashboards' figures, counted now rather than by the worker's first minute
        self.stdout.write(
            self.style.SUCCESS("Demo data ready: " + ", ".join(f"{n} {k} created" for k, n in created.items()))
        )
        self.print_logins()

    def load(self) -> dict:
        created = {"organisations": 0, "accounts": 0, "producers": 0, "products": 0, "photos": 0}
        ensure_staff_group()
        created["organisations"] = load_organisations()
        load_site_identity()
        groups = {g.code: g for g in ProductGroup.objects.all()}
        named = producers.load_named(groups, created)
        producers.load_generated(groups, created)
        load_accounts(named, created)
        created.update(signing.load())
        created["rounds"] = rounds.load_rounds()
        created["nominations"] = rounds.load_nominations()
        created["council members"] = rounds.load_council()
        created["closed rounds"] = rounds.load_closed_round()
        created["recognitions"] = recognitions.load_recognitions()
        created["certificates"] = rounds.load_certificates()
        created.update(published_figures.load())
        created.update(targets.load())
        return created

    def print_logins(self):
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        labels = {True: "superuser (all provinces)"}
        for email, full_name, role, org_name, producer_key, is_superuser in ACCOUNTS:
            label = (
                labels.get(is_superuser)
                or {
                    Role.STAFF: f"department staff, {org_name}",
                    Role.MEMBER: "council member",
                    Role.MINISTRY: "ministry official (reads every province)",
                    Role.PRODUCER: f"producer account ({producer_key})",
                }[role]
            )
            self.stdout.write(f"  {email:<28} {full_name:<22} {label}")
        self.stdout.write(f"  {'thanhvien1..6@cnnt.demo':<28} {'':<22} council members (Cao Bằng councils)")

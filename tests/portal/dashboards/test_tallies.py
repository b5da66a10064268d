"""The dashboards' maintained figures (portal/dashboards/tallies.py) against the live records: after a random
sequence of writes, imports, bulk updates and deletions, the worker's recount holds every figure the records
give, counted here independently in Python, one record at a time."""

import contextlib
import datetime
import random
from collections import Counter

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from awards.models import Level, OcopCriteriaSet, OcopRating, Recognition
from extension_projects.enums import FairLevel, FundingSource, OutputField
from extension_projects.models import ActivityType, Fair, FairParticipation, Project, ProjectFunding
from portal import scheduler
from portal.dashboards.tallies import ocop_days, refresh_tallies
from portal.models import Tally, TallyRefresh
from products import services
from products.enums import ProducerKind
from products.models import Producer, Product, ProductGroup
from tests import factories
from tests.portal.imports.helpers import preview_and_confirm, xlsx

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 7)
NOW = datetime.datetime(2026, 12, 7, 3, 0, tzinfo=datetime.UTC)
PROVINCES = [("Cao Bằng", True), ("Cà Mau", True), ("Hà Giang", False), ("Tuyên Quang", True)]
REC_HEADINGS = ["Mã số thuế", "Tên sản phẩm", "Cấp", "Năm", "Số quyết định", "Ngày quyết định"]


# -- the figures, counted one record at a time -------------------------------------------------------------------------
def expected() -> Counter:
    cells: Counter = Counter()

    def place(producer):
        return (producer.current_province_id, producer.province_id)

    for r in Recognition.objects.select_related("product__producer"):
        producer = r.product.producer
        key = (r.year, r.level_id, r.product.group_id)
        cells[("recognitions", *place(producer), *key, producer.kind, None, None)] += 1
        cells[("recognitions_all", None, None, *key, producer.kind, None, None)] += 1
        cells[("recognition_places", *place(producer), *key, "", None, None)] += 1
    _expected_ocop(cells, place)
    for f in ProjectFunding.objects.select_related("project"):
        key = (*place(f.project), f.project.plan_year, None, None, f.source, None, None)
        cells[("funding_amount", *key)] += f.actual if f.actual is not None else f.approved
        cells[("funding_projects", *key)] += 1 if f.approved > 0 else 0
    for p in Project.objects.all():
        for output in ("projects", "jobs_created", *(o.value for o in OutputField)):
            n = 1 if output == "projects" else getattr(p, output) or 0
            cells[("outputs", *place(p), p.plan_year, None, None, output, None, None)] += n
    for fair in Fair.objects.prefetch_related("participations"):
        key = (*place(fair), fair.starts_on.year, None, None, fair.level, None, None)
        cells[("fairs", *key)] += 1
        cells[("fair_participations", *key)] += len(fair.participations.all())
    return +cells  # zero cells dropped


def _expected_ocop(cells: Counter, place) -> None:
    by_product: dict[int, list] = {}
    for rating in OcopRating.objects.select_related("product__producer").order_by("decision_date", "pk"):
        by_product.setdefault(rating.product_id, []).append(rating)
    for ratings in by_product.values():
        latest = ratings[-1]
        producer = latest.product.producer
        cells[("ocop_latest", *place(producer), None, None, latest.product.group_id, "", latest.stars, None)] += 1
    for day in ocop_days(TODAY):
        subjects = set()
        for ratings in by_product.values():
            decided = [r for r in ratings if r.decision_date <= day]
            if not decided or decided[-1].valid_until < day:
                continue
            rating = decided[-1]
            producer = rating.product.producer
            key = (*place(producer), None, None, rating.product.group_id, "", rating.stars, day)
            cells[("ocop_valid", *key)] += 1
            if rating.stars >= 3:
                subjects.add(producer)
        for producer in subjects:
            cells[("ocop_subjects", *place(producer), None, None, None, producer.kind, None, day)] += 1


def maintained() -> Counter:
    columns = ("topic", "current_province_id", "province_id", "year", "level_id", "group_id", "key", "stars", "as_of")
    cells: Counter = Counter()
    for *key, value in Tally.objects.values_list(*columns, "value"):
        cells[tuple(key)] += value
    return +cells


def _normalise(cells: Counter) -> Counter:
    """The key column is "" where a topic has no key: compare it as None."""
    return Counter({(*k[:6], k[6] or None, *k[7:]): v for k, v in cells.items()})


# -- random writes -----------------------------------------------------------------------------------------------------
class World:
    def __init__(self, rng: random.Random, actor):
        self.rng = rng
        self.actor = actor
        self.levels = list(Level.objects.filter(programme__code="spcnnttb"))
        self.groups = list(ProductGroup.objects.all())
        self.criteria = OcopCriteriaSet.objects.order_by("valid_from").first()
        self.activity = ActivityType.objects.get(code="equipment")
        self.serial = 0

    def pick(self, model):
        rows = list(model.objects.order_by("pk").values_list("pk", flat=True))
        return model.objects.get(pk=self.rng.choice(rows)) if rows else None

    def add_producer(self):
        self.serial += 1
        name, current = self.rng.choice(PROVINCES)
        kind = self.rng.choice(list(ProducerKind))
        producer = factories.producer(f"Cơ sở ngẫu nhiên {self.serial}", name, current=current, kind=kind)
        for i in range(self.rng.randint(1, 3)):
            factories.product(producer, f"Sản phẩm {self.serial}-{i}", group_code=self.rng.choice(self.groups).code)

    def recognise(self):
        product = self.pick(Product)
        Recognition.objects.get_or_create(
            product=product, level=self.rng.choice(self.levels), year=self.rng.randint(2015, 2026), source="archive"
        )

    def rate(self):
        decided = datetime.date(self.rng.randint(2019, 2026), self.rng.randint(1, 12), self.rng.randint(1, 28))
        OcopRating.objects.create(
            product=self.pick(Product),
            criteria_set=self.criteria,
            stars=self.rng.choice([2, 3, 3, 4, 5]),
            score=60,
            level="province",
            decision_number=f"{self.rng.randint(1, 999)}/QĐ-OCOP",
            decision_date=decided,
            valid_until=self.rng.choice(
                [decided + datetime.timedelta(days=200), datetime.date(decided.year + 2, 12, 31)]  # a counting day
            ),
        )

    def fund(self):
        self.serial += 1
        name, current = self.rng.choice(PROVINCES)
        province = factories.province(name, current=current)
        project = Project.objects.create(
            code=f"R-{self.serial}",
            title=f"Đề án ngẫu nhiên {self.serial}",
            activity_type=self.activity,
            plan_year=self.rng.randint(2020, 2026),
            province=province,
            current_province_id=province.today_province_id,
            jobs_created=self.rng.randint(0, 30),
            trainees=self.rng.randint(0, 50),
        )
        for source in self.rng.sample(list(FundingSource), self.rng.randint(1, 2)):
            approved = self.rng.choice([0, 150_000_000, 480_000_000])
            actual = self.rng.choice([None, approved // 2])
            ProjectFunding.objects.create(project=project, source=source, approved=approved, actual=actual)

    def fair(self):
        self.serial += 1
        name, current = self.rng.choice(PROVINCES)
        province = factories.province(name, current=current)
        start = datetime.date(self.rng.randint(2020, 2026), self.rng.randint(1, 12), 1)
        fair = Fair.objects.create(
            name=f"Hội chợ {self.serial}",
            starts_on=start,
            ends_on=start + datetime.timedelta(days=3),
            level=self.rng.choice(list(FairLevel)),
            province=province,
            current_province_id=province.today_province_id,
        )
        for producer in self.rng.sample(list(Producer.objects.all()), min(2, Producer.objects.count())):
            FairParticipation.objects.create(fair=fair, producer=producer)

    def move_producer(self):
        """A producer's kind and province change (the back office's edit); its records follow it."""
        producer = self.pick(Producer)
        name, current = self.rng.choice(PROVINCES)
        province = factories.province(name, current=current)
        services.producer_update(
            producer=producer,
            kind=self.rng.choice(list(ProducerKind)),
            province=province,
            unit=factories.ward_of(province),
        )

    def regroup(self):
        product = self.pick(Product)
        services.product_update(product=product, group=self.rng.choice(self.groups))

    def bulk_update(self):
        """A queryset update: no signal, no save()."""
        Recognition.objects.filter(year=self.rng.randint(2015, 2026)).update(year=self.rng.randint(2015, 2026))
        OcopRating.objects.filter(stars=3).filter(pk__in=self._some(OcopRating)).update(stars=4)

    def _some(self, model):
        return self.rng.sample(list(model.objects.values_list("pk", flat=True)), min(3, model.objects.count()))

    def delete(self):
        model = self.rng.choice([Recognition, OcopRating, Project, Fair, FairParticipation, Product])
        # A product with recognitions or dossiers is kept, as the back office keeps it.
        with contextlib.suppress(ProtectedError):
            model.objects.filter(pk__in=self._some(model)).delete()

    def import_recognitions(self):
        """Recognitions of the actor's province imported from a workbook, as the import page does."""
        products = list(Product.objects.filter(producer__current_province__name="Cao Bằng").select_related("producer"))
        years = [self.rng.randint(2015, 2025) for _ in products]
        rows = [
            [p.producer.tax_code, p.name, "Cấp tỉnh", year, "9/QĐ-UBND", f"05/11/{year}"]
            for p, year in self.rng.sample(list(zip(products, years, strict=True)), min(3, len(products)))
            if not Recognition.objects.filter(product=p, level__code="province").exists()
        ]
        if rows:
            preview_and_confirm(self.actor, "recognitions", xlsx(REC_HEADINGS, rows))

    STEPS = ("add_producer", "recognise", "rate", "fund", "fair", "move_producer", "regroup", "bulk_update", "delete")


@pytest.mark.parametrize("seed", [7, 2025, 34])
def test_the_recount_gives_every_figure_the_records_give(seed, staff_user):
    rng = random.Random(seed)
    world = World(rng, staff_user)
    for _ in range(6):
        world.add_producer()
    for step in range(60):
        getattr(world, rng.choice((*World.STEPS, "recognise", "rate")))()
        if step in (20, 59):
            if step == 59:
                world.import_recognitions()
            refresh_tallies(NOW)
            assert _normalise(maintained()) == _normalise(expected()), f"seed {seed}, step {step}"
    assert Tally.objects.filter(topic="recognitions").exists()
    assert Tally.objects.filter(topic="ocop_subjects").exists()


def test_the_worker_recounts_once_a_minute_and_the_page_shows_when(client, staff_user):
    """The scheduler's job recounts; until it runs the page shows the earlier figures and their time."""
    from .helpers import populate

    populate("Cao Bằng", 2, tag="a")
    job = next(j for j in scheduler.JOBS if j.name == "dashboard_tallies")
    assert job.every == datetime.timedelta(minutes=1)
    job.run(NOW)
    client.force_login(staff_user)
    url = reverse("dashboards:staff.dashboard")
    response = client.get(url)
    assert "Số liệu tính đến 10:00 07/12/2026" in response.content.decode()
    key = next(f for f in response.context["key_figures"] if f["id"] == "key-recognitions")
    assert key["value"] == 3

    populate("Cao Bằng", 2, tag="b")
    key = next(f for f in client.get(url).context["key_figures"] if f["id"] == "key-recognitions")
    assert key["value"] == 3  # not recounted yet
    job.run(NOW + datetime.timedelta(minutes=1))
    response = client.get(url)
    key = next(f for f in response.context["key_figures"] if f["id"] == "key-recognitions")
    assert key["value"] == 6
    assert "Số liệu tính đến 10:01 07/12/2026" in response.content.decode()
    assert TallyRefresh.objects.get().cells == Tally.objects.count()

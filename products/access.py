"""How the registry's records reach a province and a producer (read by portal.core.access)."""

from django.utils.translation import gettext_lazy as _

from portal.core.access import Rule, is_signed_in, is_staff, register, verdict

from .models import (
    AdministrativeUnit,
    Document,
    DocumentType,
    Organization,
    Producer,
    Product,
    ProductGroup,
    ProductPhoto,
)

for reference in (AdministrativeUnit, ProductGroup, DocumentType):
    register(reference, Rule(reference=True))
register(Organization, Rule(province=("province",)))
register(Producer, Rule(province=("current_province",), producer="pk"))
register(Product, Rule(province=("producer__current_province",), producer="producer"))
# Private files: the producer and its province's staff; ministry officials read lists and reports, not dossiers.
register(
    ProductPhoto,
    Rule(province=("product__producer__current_province",), producer="product__producer", ministry_reads=False),
)
register(Document, Rule(province=("producer__current_province",), producer="producer", ministry_reads=False))


def can_manage_producer(user, producer) -> tuple[bool, str]:
    if is_signed_in(user) and is_staff(user):
        return verdict(user, producer, refusal=_("This producer is outside your province."))
    return verdict(user, producer, refusal=_("You do not have access to this producer."))


def can_manage_product(user, product) -> tuple[bool, str]:
    return can_manage_producer(user, product.producer)

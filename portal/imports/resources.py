"""The six kinds of historical data a department imports, each with its django-import-export resource. The
resources live in their own apps (products, awards, extension_projects: the apps do not import portal) and are
the very classes the admin's import and export use, so the staff pages and the back office never differ."""

from awards.resources import OcopRatingResource, RecognitionResource
from extension_projects.resources import ParticipationResource, ProjectResource
from products.resources import ProducerResource, ProductResource

from ..models import ImportKind

RESOURCES = {
    ImportKind.PRODUCERS: ProducerResource,
    ImportKind.PRODUCTS: ProductResource,
    ImportKind.RECOGNITIONS: RecognitionResource,
    ImportKind.OCOP_RATINGS: OcopRatingResource,
    ImportKind.PROJECTS: ProjectResource,
    ImportKind.PARTICIPATIONS: ParticipationResource,
}

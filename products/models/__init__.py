"""The registry's models: administrative units, organisations, producers and products (registry), and their
stored files (files). Everything is importable from here, as migrations and the apps do."""

from .files import (  # noqa: F401
    STORED_EXTENSIONS,
    Document,
    ProductPhoto,
    _stored_name,
    document_upload_to,
    photo_upload_to,
)
from .registry import (  # noqa: F401
    REFORM_DATE,
    TAX_CODE_VALIDATOR,
    AdministrativeUnit,
    DocumentType,
    Organization,
    Producer,
    Product,
    ProductGroup,
    TimeStamped,
    UnitQuerySet,
)

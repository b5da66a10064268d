"""Who may see and do what: the portal's one access model.

Every page, the admin back office, file downloads, exports and e-mails ask this module; nothing else compares
roles or works out a province. It imports no app: each app declares, once, how its models reach a province, a
producer or a council seat (`register(Model, Rule(...))` in its `access.py`), and this module turns that into
querysets (`scoped`) and yes/no answers for one object (`allows`).

Roles (`portal.accounts.enums.Role`):
- a superuser reads and changes everything, and alone changes the fields that widen someone's reach;
- department staff read and change the records of their organisation's province (today's province: records
  under the provinces merged into it in 2025 included); staff of a nationwide organisation (the ministry agency)
  those of region and national rounds;
- a ministry official reads every province and changes nothing;
- a council member reads the dossiers of the councils it sits on;
- a producer account reads and changes its own producer's records;
- anyone else (anonymous, inactive) nothing.

The package: `roles` (who someone is, which provinces), `rules` (how each model is reached: `register`,
`scoped`, `allows`, the fields that widen someone's reach) and `views` (the pages' mixin, `requires`); import
everything from `portal.core.access`.
"""

from .roles import (
    EVERYTHING,
    NOTHING,
    ProvinceScope,
    Reach,
    access_shape,
    can_import,
    can_read_lists,
    is_member,
    is_ministry,
    is_national,
    is_producer,
    is_signed_in,
    is_staff,
    is_superuser,
    province_scope,
)
from .rules import (
    REACH_FIELDS,
    Rule,
    allows,
    get_scoped_or_404,
    may_change_field,
    reach_fields,
    register,
    registered_models,
    rule_for,
    scoped,
    verdict,
)
from .views import AccessRequiredMixin, requires

__all__ = [
    "EVERYTHING",
    "NOTHING",
    "REACH_FIELDS",
    "AccessRequiredMixin",
    "ProvinceScope",
    "Reach",
    "Rule",
    "access_shape",
    "allows",
    "can_import",
    "can_read_lists",
    "get_scoped_or_404",
    "is_member",
    "is_ministry",
    "is_national",
    "is_producer",
    "is_signed_in",
    "is_staff",
    "is_superuser",
    "may_change_field",
    "province_scope",
    "reach_fields",
    "register",
    "registered_models",
    "requires",
    "rule_for",
    "scoped",
    "verdict",
]

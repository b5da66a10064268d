"""How accounts reach a province (read by portal.core.access). Staff see the accounts of their province's
organisations and producers and of the members seated on their rounds' councils, never a superuser; they change
none of the fields that widen an account's reach (`REACH_FIELDS`)."""

from django.contrib.auth.models import Group
from django.db.models import Q

from portal.core.access import Reach, Rule, register

from .enums import Role
from .models import User


def _users_for_staff(qs, scope, write):
    qs = qs.filter(is_superuser=False)
    if scope.reach is Reach.NATIONWIDE:
        return qs.filter(organization__isnull=False, organization__province__isnull=True)
    if scope.reach is not Reach.PROVINCE:
        return qs.none()
    return qs.filter(
        Q(organization__province_id=scope.province_id)
        | Q(producer__current_province_id=scope.province_id)
        # Council-member accounts seated on the province's rounds (never another body's staff: a seat does not
        # hand the seating department someone else's account; awards.access.may_sit_on_council).
        | Q(role=Role.MEMBER, council_seats__council__round__province_id=scope.province_id)
    ).distinct()


register(User, Rule(staff=_users_for_staff, ministry_reads=False))
register(Group, Rule(superuser_only=True))

"""Signing in and loading the signed-in user, with the user's roles read in the same query.

Every page asks the user's roles (navigation, access checks); read as a second query on each request,
they cost as much as the user's own row."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef

from .models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        names = Group.objects.filter(user=OuterRef("pk")).values("name")
        user = User.objects.select_related("team").annotate(group_names=ArraySubquery(names)).filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        user.__dict__["roles"] = frozenset(user.group_names) if user.is_active else frozenset()
        return user

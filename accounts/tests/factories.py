import factory

from accounts.models import User
from accounts.services import create_staff_user

TEST_PASSWORD = "test-password-for-tests"


class UserFactory(factory.django.DjangoModelFactory):
    """A member of staff with roles (group names from accounts.roles.Role) and, for Brokerage, a team.

    Built through accounts.services.create_staff_user so the groups are exactly as in production.
    """

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = TEST_PASSWORD
    first_name = factory.Sequence(lambda n: f"Staff{n}")
    last_name = "Member"
    email = factory.LazyAttribute(lambda o: f"{o.username}@riverside.example.gov.uk")
    roles = factory.LazyFunction(list)
    team = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return create_staff_user(**kwargs)

import factory

from brokerage.models import Area
from brokerage.teams import Team


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Area {n}")
    team = Team.EAST

from django.db import models


class Team(models.TextChoices):
    """Brokerage is divided into East and West teams; a person's area decides which."""

    EAST = "east", "East"
    WEST = "west", "West"


def team_group_name(team: str) -> str:
    return f"brokerage-team-{team}"

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        from people.access import register_need
        from people.sections import Page, register_section

        from .access import lead_has_escalated_review, review_team_has_review
        from .sections import TEMPLATE, package_reviews, person_reviews

        register_need("12-month review for the review team", review_team_has_review)
        register_need("overdue review escalated to the team lead", lead_has_escalated_review)
        register_section("reviews", template=TEMPLATE, context=person_reviews, position=17)
        register_section("reviews", template=TEMPLATE, context=package_reviews, position=10, page=Page.PACKAGE)

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dashboard import views as dashboard_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("sign-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("accounts.urls")),
    path("people/", include("people.urls")),
    path("referrals/", include("referrals.urls")),
    path("brokerage/", include("brokerage.urls")),
    path("concerns/", include("concerns.urls")),
    path("providers/", include("providers.urls")),
    path("providers/shortlist/", include("dps.shortlist_urls")),  # sourcing (dps), kept at its old address
    path("dps/arrangements/", include("dps.arrangement_urls")),
    path("dps/", include("dps.urls")),
    path("purchase-orders/", include("purchase_orders.urls")),
    path("packages/", include("packages.urls")),
    path("commissioning/", include("commissioning.urls")),
    path("changes/", include("changes.urls")),
    path("finance/invoices/", include("invoices.urls")),
    path("finance/", include("finance.urls")),
    path("placements/", include("placements.urls")),
    path("supported-living/", include("supported_living.urls")),
    path("respite/", include("respite.urls")),
    path("reviews/", include("reviews.urls")),
    path("reablement/", include("reablement.urls")),
    path("shared-lives/", include("shared_lives.urls")),
    path("direct-payments/", include("direct_payments.urls")),
    path("portal/", include("portal.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "core.views.permission_denied"

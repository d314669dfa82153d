app_name = "purchase_orders"
urlpatterns: list = []

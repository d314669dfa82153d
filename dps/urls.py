app_name = "dps"
urlpatterns: list = []

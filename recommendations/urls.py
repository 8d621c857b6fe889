app_name = "recommendations"
urlpatterns: list = []

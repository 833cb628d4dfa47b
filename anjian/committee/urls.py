app_name = "committee"

urlpatterns = []

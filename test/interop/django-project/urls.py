"""No views: the fixture only needs Django's models, sessions and test client."""
urlpatterns = []

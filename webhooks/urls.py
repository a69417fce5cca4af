from django.urls import path

from webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("settings/webhooks/", views.subscription_list, name="list"),
    path("settings/webhooks/<int:pk>/", views.subscription_detail, name="detail"),
    path("settings/webhooks/<int:pk>/validate/", views.subscription_validate, name="validate"),
    path("settings/webhooks/<int:pk>/tokens/", views.subscription_regenerate, name="regenerate"),
    path("settings/webhooks/<int:pk>/delete/", views.subscription_delete, name="delete"),
    path("settings/webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/", views.delivery_redeliver,
         name="redeliver"),
]

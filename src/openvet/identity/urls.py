from django.urls import path

from openvet.identity import security_views, user_views, views

app_name = "identity"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("password/", views.password_change, name="password-change"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("profile/", views.profile, name="profile"),
    path("users/", user_views.user_list, name="user-list"),
    path("users/new/", user_views.user_create, name="user-create"),
    path("users/<int:user_id>/", user_views.user_detail, name="user-detail"),
    path("users/<int:user_id>/edit/", user_views.user_edit, name="user-edit"),
    path("users/<int:user_id>/deactivate/", user_views.user_deactivate, name="user-deactivate"),
    path("users/<int:user_id>/reveal/<str:field>/", user_views.user_reveal, name="user-reveal"),
    path(
        "users/<int:user_id>/password/", user_views.user_password_reset, name="user-password-reset"
    ),
    path("users/<int:user_id>/roles/grant/", user_views.role_grant, name="role-grant"),
    path(
        "users/<int:user_id>/roles/<int:assignment_id>/revoke/",
        user_views.role_revoke,
        name="role-revoke",
    ),
    path("security/", security_views.security_overview, name="security"),
    path("security/unlock/", security_views.lockout_unlock, name="lockout-unlock"),
]

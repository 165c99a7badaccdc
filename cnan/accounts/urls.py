from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("mfa/setup/", views.MfaSetupView.as_view(), name="mfa_setup"),
    path("mfa/verify/", views.MfaVerifyView.as_view(), name="mfa_verify"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/token/", views.TokenView.as_view(), name="token"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/add/", views.UserEditView.as_view(), name="user_add"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("users/<int:pk>/history/", views.UserHistoryView.as_view(), name="user_history"),
    path("users/<int:pk>/password/", views.UserSetPasswordView.as_view(), name="user_password"),
    path("users/<int:pk>/unlock/", views.UserUnlockView.as_view(), name="user_unlock"),
    path("users/<int:pk>/reset-mfa/", views.UserResetMfaView.as_view(), name="user_reset_mfa"),
    path("users/<int:pk>/memberships/add/", views.MembershipCreateView.as_view(), name="membership_add"),
    path("memberships/<int:pk>/end/", views.MembershipEndView.as_view(), name="membership_end"),
]

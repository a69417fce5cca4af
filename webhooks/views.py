"""The account's webhook pages (owners and admins only): subscriptions, their deliveries, redeliver.
Thin: each view checks the account, calls one function of `webhooks.subscriptions`, and redirects."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from config.errors import ConferError
from webhooks import subscriptions
from webhooks.forms import NewSubscriptionForm, SubscriptionForm
from webhooks.models import Delivery, Subscription

LOG_ROWS = 100


def _admin(request):
    if not request.user.is_account_admin:
        raise PermissionDenied(_("Only the account's owner and admins manage webhooks."))
    return request.user.account


def _subscription(request, pk: int) -> Subscription:
    subscription = Subscription.objects.filter(pk=pk, account=_admin(request)).first()
    if subscription is None:  # another account's looks the same as none
        raise Http404
    return subscription


def _show_tokens_once(request, subscription: Subscription) -> None:
    request.session["webhook_tokens"] = {"pk": subscription.pk, "secret_token": subscription.secret_token,
                                         "verification_token": subscription.verification_token}


@login_required
@never_cache
def subscription_list(request):
    account = _admin(request)
    form = NewSubscriptionForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        subscription: Subscription | None
        try:
            subscription = subscriptions.create_subscription(account, form.cleaned_data["url"],
                                                             form.cleaned_data["events"],
                                                             application=form.cleaned_data["application"])
        except subscriptions.ValidationFailed as failed:
            subscription = Subscription.objects.filter(account=account).order_by("-pk").first()
            messages.error(request, failed.message)
        except ConferError as error:
            messages.error(request, error.message)
            subscription = None
        else:
            messages.success(request, _("The endpoint passed the URL validation: it receives events now."))
        if subscription is not None:
            _show_tokens_once(request, subscription)
            return redirect("webhooks:detail", subscription.pk)
    return render(request, "webhooks/list.html", {
        "subscriptions": Subscription.objects.filter(account=account).select_related("application"), "form": form})


@login_required
@never_cache
def subscription_detail(request, pk: int):
    subscription = _subscription(request, pk)
    form = SubscriptionForm(request.POST or None, initial={"url": subscription.url, "events": subscription.events})
    if request.method == "POST" and form.is_valid():
        try:
            subscriptions.update_subscription(subscription, form.cleaned_data["url"], form.cleaned_data["events"])
        except ConferError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved."))
        return redirect("webhooks:detail", subscription.pk)
    tokens = request.session.pop("webhook_tokens", None)
    return render(request, "webhooks/detail.html", {
        "subscription": subscription, "form": form,
        "tokens": tokens if tokens and tokens.get("pk") == subscription.pk else None,
        "deliveries": Delivery.objects.filter(subscription=subscription)[:LOG_ROWS]})


@login_required
@require_POST
def subscription_validate(request, pk: int):
    subscription = _subscription(request, pk)
    try:
        subscriptions.enable(subscription)
    except ConferError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The endpoint passed the URL validation: it receives events now."))
    return redirect("webhooks:detail", subscription.pk)


@login_required
@require_POST
def subscription_regenerate(request, pk: int):
    subscription = subscriptions.regenerate_tokens(_subscription(request, pk))
    _show_tokens_once(request, subscription)
    messages.success(request, _("New tokens: update your receiver, then validate the URL again."))
    return redirect("webhooks:detail", subscription.pk)


@login_required
@require_POST
def subscription_delete(request, pk: int):
    subscriptions.delete_subscription(_subscription(request, pk))
    messages.success(request, _("Subscription deleted."))
    return redirect("webhooks:list")


@login_required
@require_POST
def delivery_redeliver(request, pk: int, delivery_pk: int):
    subscription = _subscription(request, pk)
    delivery = Delivery.objects.filter(pk=delivery_pk, subscription=subscription).first()
    if delivery is None:
        raise Http404
    try:
        subscriptions.redeliver(delivery)
    except ConferError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Queued for delivery again."))
    return redirect("webhooks:detail", subscription.pk)

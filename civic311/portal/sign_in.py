"""Sign-in attempts are rate limited with the portal's counter, on every sign-in page (staff and admin).

Written with the portal's throttle rather than django-axes: one mechanism, one reading of the
proxy chain (``CIVIC311_PROXY_HOPS``) and one atomic spend for every limit, where axes would add
its own tables, its own proxy settings (through django-ipware) and a count it reads before it
writes, which concurrent guesses can overtake.

Each attempt spends one use of two allowances before the password is checked: the account's from
this client, and the client's over all accounts (one password tried on many accounts). A correct
password gives its use back, so only failures add up; once either allowance is used up, even the
right password is refused with a 429 until the hour's window ends. An attacker elsewhere cannot
lock an account out of the city's offices, since the count is per client address too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civic311.portal import throttle

if TYPE_CHECKING:
    from django.contrib.auth.models import User

REFUSED = "civic311_sign_in_refused"  # set on the request: seconds until the window ends


class ThrottledModelBackend(ModelBackend):
    """Django's username and password check, behind the sign-in rate limits."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if request is None or username is None:  # not a sign-in page (the shell, a management command)
            return super().authenticate(request, username, password, **kwargs)
        address = throttle.client_address(request)
        account = f"{username.strip().lower()}\n{address}"
        with transaction.atomic():
            spent = throttle.spend(throttle.LOGIN_ACCOUNT, account) and throttle.spend(throttle.LOGIN_ADDRESS, address)
            if not spent:
                transaction.set_rollback(True)  # neither allowance is spent by a refused attempt
        if not spent:
            setattr(request, REFUSED, throttle.retry_after())
            raise PermissionDenied("too many failed sign-ins")  # authenticate() tries no other backend
        user = super().authenticate(request, username, password, **kwargs)
        if user is not None:
            throttle.refund(throttle.LOGIN_ACCOUNT, account)
            throttle.refund(throttle.LOGIN_ADDRESS, address)
        return user


class SignInThrottleMiddleware:
    """Answers a refused sign-in with a 429 page that says when to try again (the form would only
    say the password was wrong)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        seconds = getattr(request, REFUSED, None)
        if seconds is None:
            return response
        refused = render(
            request, "registration/too_many_attempts.html", {"minutes": math.ceil(seconds / 60)}, status=429
        )
        refused["Retry-After"] = str(seconds)
        return refused

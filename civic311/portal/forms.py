"""The portal's forms: the request form with a photo, and following an existing request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from civic311.portal.photos import ALLOWED_FORMATS
from civic311.service_requests.intake import RequestForm
from civic311.service_requests.validators import SubmissionInput


class PhotoField(forms.ImageField):
    """An image field that checks the size before it opens the picture: a photo past the limit
    arrives as a stand-in with its size and no content (civic311.lib.uploads), and the resident
    should read "too large", not "not an image"."""

    def to_python(self, data: Any) -> Any:
        limit = settings.CIVIC311_MAX_PHOTO_BYTES
        if data and getattr(data, "size", 0) > limit:
            raise forms.ValidationError(
                _("The photo is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(data.size), "limit": filesizeformat(limit)}
            )
        return super().to_python(data)


class PortalRequestForm(RequestForm):
    """The shared request form, with the map's hidden point and an optional photo."""

    photo = PhotoField(
        label=_("Photo (optional)"), required=False,
        help_text=_("A JPEG, PNG or WebP picture of the problem."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )  # fmt: skip
    sms_updates = forms.BooleanField(label=_("Also send me text messages at this phone number"), required=False)
    new_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)
    seen_nearby = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.service_type.needs_location:
            self.fields["lat"].widget = forms.HiddenInput()
            self.fields["long"].widget = forms.HiddenInput()

    def to_input(self) -> SubmissionInput:
        data = super().to_input()
        data.sms_updates = bool(self.cleaned_data.get("sms_updates"))
        return data

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        if getattr(photo, "image", None) is None or photo.image.format not in ALLOWED_FORMATS:
            raise forms.ValidationError(_("Attach a JPEG, PNG or WebP picture."))
        return photo

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("seen_nearby"):
            data["new_anyway"] = True  # the resident already saw the hint beside the map
        return data


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email, to hear when it changes"), max_length=254,
        help_text=_("We email you a link to confirm it first."),
    )  # fmt: skip

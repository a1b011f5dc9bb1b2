"""Signals other apps subscribe to; sent only after the transaction that caused them has committed,
so a listener never acts on a change that was rolled back."""

from django.dispatch import Signal

# Sent with ``event`` (a ServiceRequestEvent) once its transaction has committed.
request_event_committed = Signal()

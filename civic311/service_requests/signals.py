"""Signals other apps subscribe to; sent only after the transaction that caused them has committed,
so a listener never acts on a change that was rolled back."""

from django.dispatch import Signal

# Sent with ``event`` (a ServiceRequestEvent) once its transaction has committed.
request_event_committed = Signal()

# Sent with ``event`` inside the transaction that records it, so what a listener writes commits
# or rolls back with the change itself (the insights rollups use this).
request_event_recorded = Signal()

# Sent with ``requests`` (a list of ServiceRequest rows just created) inside an import's transaction.
requests_imported = Signal()

from civic311.service_requests import actions
from civic311.service_requests.validators import SubmissionInput


def file_request(service_type, **fields):
    """A request filed through the real action, with a valid location unless told otherwise."""
    attributes = fields.pop("attributes", {})
    for attr in service_type.attributes.filter(required=True, variable=True):
        if attr.code not in attributes:
            first = attr.values.first()
            attributes[attr.code] = [first.key if first else "1"]
    options = {k: fields.pop(k) for k in ("channel", "actor", "requested_at", "language") if k in fields}
    data = SubmissionInput(
        lat=fields.pop("lat", "42.37"), long=fields.pop("long", "-71.10"), attributes=attributes, **fields
    )
    return actions.submit(service_type, data, **options)

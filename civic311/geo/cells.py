"""Map cells: H3 hexagons at one resolution for the whole city, so places can be counted and compared.

Resolution 8 hexagons cover about 0.74 km² (edges of about 460 m): a few blocks, the scale at
which "many requests here" means something on the ground.
"""

from __future__ import annotations

import h3

RESOLUTION = 8


def cell_for(lat: float | None, long: float | None) -> str:
    """The H3 cell of a point, or '' when the request has no location."""
    if lat is None or long is None:
        return ""
    return str(h3.latlng_to_cell(lat, long, RESOLUTION))


def cell_center(cell: str) -> tuple[float, float]:
    lat, long = h3.cell_to_latlng(cell)
    return float(lat), float(long)


def cell_polygon(cell: str) -> list[list[float]]:
    """The hexagon as a closed GeoJSON ring of [long, lat] pairs."""
    ring = [[float(long), float(lat)] for lat, long in h3.cell_to_boundary(cell)]
    return [*ring, ring[0]]

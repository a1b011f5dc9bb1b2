#!/usr/bin/env bash
# Run the test suite at moments and in machine zones chosen to break code that depends on the time of day or the
# zone: just after and just before midnight in the city, the hours that do not exist or happen twice when the
# clocks change, a new year, a leap day, the small hours of a Monday, the last seconds of an hour. The suite pins
# its own zone and clock (civic311/conftest.py), so every run must pass; a failure names a test that still reads
# the machine's clock or zone.
#
#   scripts/test-clock.sh                 every moment below, on SQLite (or CIVIC311_DATABASE_URL's database)
#   scripts/test-clock.sh -k stats        extra arguments go to pytest
#   CLOCK_MOMENTS="2027-01-01T00:10|Asia/Tokyo" scripts/test-clock.sh    your own moments
#
# Each moment is "CITY-TIME|TZ": CIVIC311_TEST_NOW (an ISO 8601 moment; one without an offset is city time) and the
# machine zone the run starts in. CIVIC311_TIME_ZONE is set to a far zone too, to show the suite's pin holds.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=${PYTEST:-.venv/bin/pytest}

default_moments=(
  "2026-12-02T00:30|Pacific/Kiritimati"         # just after midnight in the city (UTC+14 machine)
  "2026-12-01T23:30|Asia/Tokyo"                 # just before midnight: the UTC date is already tomorrow
  "2027-03-14T03:30|America/Los_Angeles"        # the morning the clocks go forward (02:00-03:00 never happens)
  "2026-11-01T01:30-04:00|Pacific/Kiritimati"   # the hour that happens twice when the clocks go back
  "2027-01-01T00:10|Asia/Tokyo"                 # a new year (a Friday)
  "2028-02-29T08:43|America/Los_Angeles"        # a leap day, 13:43 UTC
  "2026-12-07T00:05|Pacific/Kiritimati"         # the first minutes of a Monday: a new week
  "2026-12-02T10:59:57|UTC"                     # seconds before the hour turns: hourly rate-limit windows
)
if [ -n "${CLOCK_MOMENTS:-}" ]; then
  read -r -a moments <<< "$CLOCK_MOMENTS"
else
  moments=("${default_moments[@]}")
fi

failed=()
for entry in "${moments[@]}"; do
  now=${entry%%|*}
  zone=${entry#*|}
  echo "== tests at ${now} (city time unless an offset is given), machine zone ${zone}"
  if ! TZ="$zone" CIVIC311_TIME_ZONE=Asia/Kathmandu CIVIC311_TEST_NOW="$now" "$PYTEST" -q -p no:cacheprovider "$@"; then
    failed+=("$entry")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "failed at: ${failed[*]}"
  exit 1
fi

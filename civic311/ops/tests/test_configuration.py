import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from civic311.lib.env import env_bool, env_int, env_list, env_str


def test_env_helpers_read_typed_values(monkeypatch, tmp_path):
    monkeypatch.setenv("CIVIC311_FLAG", "Yes")
    monkeypatch.setenv("CIVIC311_COUNT", "12")
    monkeypatch.setenv("CIVIC311_HOSTS", "a.gov, b.gov,,")
    assert env_bool("FLAG") is True
    assert env_bool("MISSING", default=True) is True
    assert env_int("COUNT", 1) == 12
    assert env_int("MISSING", 7) == 7
    assert env_list("HOSTS", []) == ["a.gov", "b.gov"]
    secret = tmp_path / "key"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("CIVIC311_SECRET_KEY_FILE", str(secret))
    assert env_str("SECRET_KEY") == "from-a-file"


@pytest.mark.parametrize(
    ("name", "value", "reader", "message"),
    [
        ("FLAG", "maybe", lambda: env_bool("FLAG"), "is not a boolean"),
        ("COUNT", "ten", lambda: env_int("COUNT", 1), "is not a whole number"),
        ("SECRET_KEY_FILE", "/nonexistent/key", lambda: env_str("SECRET_KEY"), "cannot be read"),
    ],
)
def test_env_helpers_refuse_bad_values_with_the_variable_named(monkeypatch, name, value, reader, message):
    monkeypatch.setenv(f"CIVIC311_{name}", value)
    with pytest.raises(ImproperlyConfigured, match=f"CIVIC311_{name}.*{message}"):
        reader()


def _ids():
    return {m.id for m in run_checks() if m.id.startswith("civic311")}


def test_system_checks_catch_a_bad_time_zone_and_jurisdiction(settings):
    assert _ids() <= {"civic311.W001"}
    settings.TIME_ZONE = "Mars/Olympus_Mons"
    settings.CIVIC311_JURISDICTION_ID = "my city"
    assert {"civic311.E001", "civic311.E002"} <= _ids()


def test_production_without_a_secret_key_is_warned(settings):
    settings.DATABASE_URL = "postgres://civic311@db.internal/civic311"
    settings.SECRET_KEY_FROM_ENV = False
    assert "civic311.W001" in _ids()
    settings.SECRET_KEY_FROM_ENV = True
    assert "civic311.W001" not in _ids()

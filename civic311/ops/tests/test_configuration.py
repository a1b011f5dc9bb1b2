import stat
import subprocess

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from civic311.lib.env import env_bool, env_int, env_list, env_str
from civic311.lib.secret_key import data_dir_secret_key
from civic311.ops.tests.server import CLI, environment


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


def _check(tmp_path, **variables):
    env = environment(tmp_path / "data", **variables)
    done = subprocess.run([*CLI, "check"], env=env, capture_output=True, text=True, timeout=120)
    return done.stdout + done.stderr


def test_app_servers_on_a_database_server_without_a_shared_secret_key_are_warned(tmp_path):
    postgres = "postgres://civic311@db.internal:5432/civic311"
    assert "civic311.W001" in _check(tmp_path, CIVIC311_DATABASE_URL=postgres)
    assert "civic311.W001" not in _check(tmp_path, CIVIC311_DATABASE_URL=postgres, CIVIC311_SECRET_KEY="s" * 50)
    # One machine's SQLite: the key generated in its data folder serves every worker and restart.
    assert "civic311.W001" not in _check(tmp_path, CIVIC311_DATABASE_URL=f"sqlite:///{tmp_path / 'city.sqlite3'}")


def test_without_a_configured_key_every_process_reads_the_one_generated_in_the_data_folder(tmp_path):
    data_dir = tmp_path / "data"
    keys = {data_dir_secret_key(data_dir) for _ in range(3)}
    assert len(keys) == 1
    assert (data_dir / "secret_key").read_text().strip() in keys
    assert stat.S_IMODE((data_dir / "secret_key").stat().st_mode) == 0o600


def test_an_unwritable_data_folder_without_a_key_is_a_clear_error(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    with pytest.raises(ImproperlyConfigured, match="CIVIC311_SECRET_KEY"):
        data_dir_secret_key(blocked / "data")

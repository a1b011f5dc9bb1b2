"""`civic311 check --deploy` is clean with the production environment that docs/deployment.md gives."""

import re
import secrets
import shlex
import subprocess

from civic311.ops.tests.server import CLI, environment
from civic311.ops.tests.test_docs import ROOT


def documented_environment():
    """The ``export`` lines of the first sh block under "The production environment"."""
    text = (ROOT / "docs" / "deployment.md").read_text()
    section = text.split("## The production environment", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)[1]
    variables = {}
    for line in block.splitlines():
        words = shlex.split(line)
        assert words[0] == "export", line
        for word in words[1:]:
            name, _, value = word.partition("=")
            variables[name] = value
    return variables


def check_deploy(tmp_path, variables):
    env = environment(tmp_path / "data")
    env.update(variables)
    done = subprocess.run(
        [*CLI, "check", "--deploy", "--fail-level", "WARNING"], env=env, capture_output=True, text=True, timeout=120
    )
    return done.returncode, done.stdout + done.stderr


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    variables = documented_environment()
    assert variables["CIVIC311_HSTS_SECONDS"] == "31536000"
    key = tmp_path / "civic311_key"  # the documented /run/secrets/… path, made here
    key.write_text(secrets.token_urlsafe(50) + "\n")
    variables["CIVIC311_SECRET_KEY_FILE"] = str(key)
    variables["CIVIC311_DATA_DIR"] = str(tmp_path / "data")
    code, output = check_deploy(tmp_path, variables)
    assert (code, output.strip()) == (0, "System check identified no issues (0 silenced).")


def test_check_deploy_names_each_https_setting_left_out(tmp_path):
    code, output = check_deploy(tmp_path, {"CIVIC311_DATABASE_URL": "postgres://civic311@db.internal/civic311"})
    assert code != 0
    for problem in ("security.W004", "security.W008", "security.W012", "security.W016", "civic311.W001"):
        assert problem in output

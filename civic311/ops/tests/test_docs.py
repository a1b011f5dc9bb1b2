"""The docs must stay true to the code."""

import re
from pathlib import Path

import civic311

ROOT = Path(civic311.__file__).resolve().parent.parent


def test_every_setting_read_from_the_environment_is_documented():
    settings_source = (ROOT / "civic311" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_]+)"', settings_source))
    documented = set(re.findall(r"`CIVIC311_([A-Z_]+)`", (ROOT / "docs" / "configuration.md").read_text()))
    assert read, "no settings found: the pattern no longer matches settings.py"
    assert read - documented == set()


def test_the_readme_names_the_two_commands_and_they_exist_in_the_makefile():
    readme = (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for target in ("demo", "test"):
        assert f"make {target}" in readme
        assert re.search(rf"^{target}:", makefile, re.MULTILINE)
    assert "make test" in (ROOT / ".ci" / "run").read_text()

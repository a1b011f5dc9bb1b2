"""The Spanish catalog is complete, and the compiled catalog shipped in the package matches it."""

import gettext
from pathlib import Path

import polib

import civic311

LOCALE = Path(civic311.__file__).parent / "locale" / "es" / "LC_MESSAGES"


def test_every_interface_text_has_a_spanish_translation():
    catalog = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [e.msgid for e in catalog if not e.obsolete and (not e.msgstr or "fuzzy" in e.flags)]
    assert untranslated == []


def test_the_compiled_catalog_is_current():
    catalog = polib.pofile(str(LOCALE / "django.po"))
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [e.msgid for e in catalog if not e.obsolete and compiled.gettext(e.msgid) != e.msgstr]
    assert stale == [], "run: make messages"

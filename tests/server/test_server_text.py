"""Case-insensitive search and Albanian ordering, the same on SQLite and PostgreSQL (issue 19
item 1): the staff's service search finds "Kompensimi i çmimit" when they type ÇMIMIT, and the
organizations page lists names in the Albanian alphabet (c < ç < d < dh, e < ë, capitals beside
small letters), not by code point."""
from __future__ import annotations

import re

from sqlalchemy import select

from sync.server.db import albanian_key, alphabetical, folded, like_pattern
from sync.server.models import Organization, utcnow

WORDS = ["Zyra", "zog", "Ëndrra", "ene", "Çerdhe", "cila", "dhe", "dyqan", "Dhoma", "dush", "ëmbël", "emër",
         "Llixha", "lule", "Shkolla", "sy", "zhurmë", "Xhami", "xixë", "Rruga", "rosë", "Nj", "nuse", "Gjykata",
         "gur", "Thana", "tub", "Qendra 10", "Qendra 2", "qendra", "Élan", "elan"]
#: As ICU's sq collation orders them (PostgreSQL's "sq-x-icu"); the digits compare one by one.
EXPECTED = ["cila", "Çerdhe", "dush", "dyqan", "dhe", "Dhoma", "elan", "Élan", "emër", "ene", "ëmbël", "Ëndrra",
            "gur", "Gjykata", "lule", "Llixha", "nuse", "Nj", "qendra", "Qendra 10", "Qendra 2", "rosë", "Rruga", "sy",
            "Shkolla", "tub", "Thana", "xixë", "Xhami", "zog", "Zyra", "zhurmë"]


def test_albanian_order_in_the_database_and_in_python(server):
    assert sorted(WORDS, key=albanian_key) == EXPECTED
    with server.state.db.session() as db:
        now = utcnow()
        for i, name in enumerate(WORDS):
            db.add(Organization(id=f"word-{i}", name=name, doc={"id": f"word-{i}", "name": name}, updated_at=now))
    with server.state.db.session() as db:
        ordered = list(db.scalars(select(Organization.name).where(Organization.id.like("word-%"))
                                  .order_by(alphabetical(Organization.name))))
        assert ordered == EXPECTED
        found = list(db.scalars(select(Organization.name).where(
            Organization.id.like("word-%"), folded(Organization.name).like(like_pattern("ËND")))))
        assert found == ["Ëndrra"]
        assert list(db.scalars(select(Organization.name).where(
            folded(Organization.name).like(like_pattern("100%"), escape="\\")))) == []


def test_staff_search_is_case_insensitive_for_albanian_letters(admin):
    for typed in ("ÇMIMIT", "çmimit", "Çmimit"):
        page = admin.get("/admin/services", params={"q": typed}).text
        assert "Kompensimi i çmimit të energjisë elektrike" in page, typed
    page = admin.get("/admin/organizations").text
    names = re.findall(r"Drejtoria[^<]*", page)
    # "Drejtoria e Çerdheve" before "Drejtoria e Shërbimeve" (ç < s), "Drejtoria Rajonale" after ("e" < "r")
    order = [n for n in names if n.startswith(("Drejtoria e Ç", "Drejtoria e Sh", "Drejtoria Rajonale"))]
    assert order.index(next(n for n in order if "Çerdheve" in n)) < order.index(
        next(n for n in order if "Shërbimeve" in n)) < order.index(next(n for n in order if "Rajonale" in n))

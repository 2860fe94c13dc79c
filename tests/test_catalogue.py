"""The catalogue database: build from a feed, export back to HSDS, rebuild, and every query."""
from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest
from factories import HSDS_SERVICE_SCHEMA, make_feed, uid
from sqlalchemy import event, select

from kiosk.catalogue import models as m
from kiosk.catalogue import opening
from kiosk.catalogue import queries as q
from kiosk.catalogue.export import export_document
from kiosk.catalogue.store import Catalogue, check_database, feed_path_for, open_catalogue
from sync.feed import document as feedmod

# Monday 23 November 2026, 10:00 in Tirana (UTC+1 in winter).
MONDAY_10 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


# ------------------------------------------------------------------ build and export


def test_build_loads_every_entity_once(session):
    assert session.scalar(select(m.Service.id).where(m.Service.id == uid("svc:nursery")))
    assert len(session.scalars(select(m.Service)).all()) == 6
    # Organizations and a location repeated across services are stored once.
    assert len(session.scalars(select(m.Organization)).all()) == 2
    assert len(session.scalars(select(m.Location).where(m.Location.id == uid("loc:centre"))).all()) == 1
    assert session.get(m.TaxonomyTerm, uid("cat:nursery")).parent_id == uid("cat:children")


def test_translations_fall_back_field_by_field(session):
    svc = session.get(m.Service, uid("svc:nursery"))
    assert svc.t("name", "en") == "Municipal nursery"
    assert svc.t("eligibility_description", "en") == "Banorët e Elbasanit"  # no English: Albanian
    assert svc.t("name", "sq") == "Çerdhe e Bashkisë"


def test_export_validates_against_hsds(session, hsds_validator):
    doc = export_document(session)
    assert len(doc["services"]) == 6
    errors = [f"{s['name']}: {e.message}" for s in doc["services"] for e in hsds_validator.iter_errors(s)]
    assert errors == []


def test_export_round_trips_through_a_rebuild(session, tmp_path):
    doc = export_document(session)
    again = Catalogue(tmp_path / "again.sqlite3")
    again.create_schema()
    again.load(doc)
    with again.session() as s2:
        assert export_document(s2)["services"] == doc["services"]
        assert export_document(s2)["taxonomy_terms"] == doc["taxonomy_terms"]


# SHA-256 of the official files as copied from the specification (see sync/feed/hsds/README.md).
VENDORED_HSDS = {
    "service.json": "5cd7c2ecb5776947e437a4d5b9656f9a80db56bef3ad49f5bb142d49dbe66156",
    "service_list.json": "251cc879b756b1a444c5c95ff45887e09363e3fd7ad9d8691a1131b3ecd4ff4e",
    "openapi.json": "3c473df56617f5e642f86e0a9ed7ee182a22eecf6f94dd1b91c50511fbbba34d",
    # the schemas the served openapi.json embeds (sync/server/openapi_doc.py)
    "organization.json": "e429ffe3b585da12da10b75cf30dfc0a67ef96b34f5e1b21141a2b627ca28119",
    "organization_list.json": "0305c7ef394a29c91ac2dae1725ac0d31140343c2241417a482c5eb0f831dbeb",
    "service_at_location.json": "2327ab495f61e4f8a25f8f13bc65427788849afb7b8be6ee455f799b412d2ffe",
    "service_at_location_list.json": "03655d6ddd2c42b460ac6d9e82884a47711dfb6717820f6a0c44fa8ad1796fdb",
    "taxonomy.json": "80d89f6e83d84d9fe961a4e0b6ca4014ee56063d513f4291f148270fc51aeb11",
    "taxonomy_term.json": "4421eb56469f8f45cdddb5421f00fbd3ccda4efe53bf1b80c3b4f6dcbcbec237",
    "metadata.json": "cf62a24f83fb93a93a93cded762869bf561d4d176436e326b4170ef5f194fcdd",
}


def test_vendored_hsds_schema_matches_reference():
    import hashlib
    for name, digest in VENDORED_HSDS.items():
        data = (HSDS_SERVICE_SCHEMA.parent / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, f"{name} differs from the official copy"


def test_sample_catalogue_export_validates(tmp_path, hsds_validator):
    from kiosk.cli import main

    out = tmp_path / "export.json"
    db = tmp_path / "data" / "catalogue.sqlite3"
    env_config = tmp_path / "kiosk.toml"
    env_config.write_text(f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\ndatabase = "{db}"\n')
    assert main(["--config", str(env_config), "export-hsds", str(out)]) == 0
    services = json.loads(out.read_text(encoding="utf-8"))
    assert len(services) >= 40
    errors = [e.message for s in services for e in hsds_validator.iter_errors(s)]
    assert errors == []


# ------------------------------------------------------------------ the derived database


def test_open_catalogue_builds_from_sample_then_reuses(tmp_path):
    db = tmp_path / "c.sqlite3"
    cat = open_catalogue(db)
    assert cat.info().source == "sample" and cat.info().service_count >= 40
    assert feed_path_for(db).exists()
    cat.dispose()
    assert check_database(db) is None
    mtime = db.stat().st_mtime_ns
    open_catalogue(db).dispose()
    assert db.stat().st_mtime_ns == mtime  # nothing rebuilt


def test_rebuild_from_stored_feed_when_database_missing(tmp_path):
    db = tmp_path / "c.sqlite3"
    cat = Catalogue(db)
    cat.create_schema()
    cat.load(make_feed(version=7), source="https://example.org/feed")
    cat.dispose()
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"c.sqlite3{suffix}").unlink(missing_ok=True)
    cat = open_catalogue(db)
    assert cat.info().version == 7 and cat.info().service_count == 6


def test_rebuild_when_schema_version_is_older(tmp_path):
    db = tmp_path / "c.sqlite3"
    cat = Catalogue(db)
    cat.create_schema()
    cat.load(make_feed(version=3))
    cat.dispose()
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version={m.SCHEMA_VERSION - 1}")
    assert check_database(db).startswith("schema")
    cat = open_catalogue(db)
    assert cat.info().version == 3
    assert check_database(db) is None


def test_rebuild_when_database_is_corrupt(tmp_path):
    db = tmp_path / "c.sqlite3"
    cat = Catalogue(db)
    cat.create_schema()
    cat.load(make_feed(version=4))
    cat.dispose()
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    for offset in range(4096, len(data), 4096):  # scribble over every page but the header
        data[offset + 100: offset + 400] = b"\xff" * 300
    db.write_bytes(bytes(data))
    assert check_database(db) is not None
    cat = open_catalogue(db)
    assert cat.info().version == 4 and cat.info().service_count == 6


def test_interrupted_rename_is_settled_on_open(tmp_path):
    db = tmp_path / "c.sqlite3"
    cat = Catalogue(db)
    cat.create_schema()
    cat.load(make_feed(version=5))
    cat.dispose()
    kept = feed_path_for(db)
    staged = kept.with_name(kept.name + ".new")
    # Killed after the commit of v5 but before the rename: the kept file is still v4.
    staged.write_bytes(kept.read_bytes())
    kept.write_bytes(feedmod.dumps(make_feed(version=4)))
    open_catalogue(db).dispose()
    assert json.loads(kept.read_bytes())["version"] == 5 and not staged.exists()
    # Killed before the commit: the staged file is dropped, the kept file stays.
    staged.write_bytes(feedmod.dumps(make_feed(version=6)))
    open_catalogue(db).dispose()
    assert json.loads(kept.read_bytes())["version"] == 5 and not staged.exists()


def test_load_replaces_everything_in_one_transaction(catalogue):
    doc = make_feed(version=2)
    doc["services"] = doc["services"][:2]
    catalogue.load(doc)
    assert catalogue.info().service_count == 2 and catalogue.info().version == 2
    with catalogue.session() as s:
        assert q.search(s, "klub", "sq") == []


def test_failed_load_leaves_old_catalogue(catalogue):
    doc = make_feed(version=9)
    doc["services"][1]["organization"] = {"id": "broken"}  # no name: the insert fails
    with pytest.raises(Exception):
        catalogue.load(doc)
    info = catalogue.info()
    assert info.version == 1 and info.service_count == 6
    assert json.loads(catalogue.feed_path.read_bytes())["version"] == 1


# ------------------------------------------------------------------ categories and services


def test_top_categories_count_subcategories(session):
    cards = {c.name: c for c in q.top_categories(session, "sq")}
    # Nursery (sub-category), help line and legal advice; the inactive service is not counted.
    assert cards["Fëmijë dhe familje"].service_count == 3
    assert cards["Fëmijë dhe familje"].has_children
    assert cards["Strehim"].service_count == 2
    assert "Kategori bosh" not in cards
    assert [c.name for c in q.top_categories(session, "en")][:2] == ["Children and family", "Housing"]


def test_top_categories_open_now(session):
    # Saturday 28 November 2026, 10:00 local: help line and Saturday legal advice are open.
    cards = {c.icon: c.service_count for c in q.top_categories(session, "sq", open_now=True,
                                                                now=utc(2026, 11, 28, 9))}
    assert cards == {"children": 2, "housing": 1}


def test_subcategories_and_services_in_category(session):
    subs = q.subcategories(session, uid("cat:children"), "en")
    assert [(s.name, s.service_count) for s in subs] == [("Nurseries", 1)]
    rows = q.rows_at(session, q.category_listing(session, uid("cat:children"), "en"), MONDAY_10)
    assert [r.name for r in rows] == ["Help line", "Legal advice for families", "Municipal nursery"]
    nursery = rows[2]
    assert nursery.provider == "Municipal Social Centre" and nursery.status.state == "open"
    assert q.category(session, uid("cat:nursery"), "sq").parent_id == uid("cat:children")


def test_service_detail_is_complete_in_bounded_statements(catalogue):
    statements = []
    with catalogue.session() as s:
        event.listen(s.get_bind(), "before_cursor_execute",
                     lambda *a: statements.append(a[2]))
        detail = q.service_detail(s, uid("svc:nursery"), "en", now=MONDAY_10)
    assert len(statements) <= 22
    assert detail.name == "Municipal nursery"
    assert detail.documents == ("Identity card", "Certifikatë familjare")
    assert detail.languages == ("Albanian",)
    assert detail.organization.name == "Municipal Social Centre"
    assert detail.organization.phones[0].number == "+355 54 200 100"
    assert detail.phones[0].number == "+355 54 111 222"
    loc = detail.locations[0]
    assert loc.address_lines == ("Sheshi Qemal Stafa", "3001 Elbasan")
    assert loc.accessibility == ("Step-free entrance",) and loc.transportation == "Bus 1"
    assert [d.intervals for d in loc.week][:5] == [("08:00–16:00",)] * 5
    assert loc.week[0].is_today and loc.week[5].intervals == ()
    assert detail.status.state == "open" and detail.status.closes == "16:00"
    assert detail.assured_date == date(2026, 9, 1)
    assert detail.categories == ((uid("cat:nursery"), "Nurseries"),)
    assert q.service_detail(s, "no-such-id", "en") is None


def test_organization_with_its_services(session):
    org = q.organization_detail(session, uid("org:social"), "sq", now=MONDAY_10)
    assert org.card.name == "Qendra Sociale e Bashkisë"
    assert [r.name for r in org.services] == ["Çerdhe e Bashkisë", "Klub për të moshuarit",
                                              "Strehëz nate"]
    assert {loc.address_lines[0] for loc in org.locations} == {"Sheshi Qemal Stafa", "Rruga Korçë 5"}
    ngo = q.organization_detail(session, uid("org:ngo"), "en", now=MONDAY_10)
    assert "Closed service" not in [r.name for r in ngo.services]  # inactive is hidden


# ------------------------------------------------------------------ open now and today's hours


def status(session, key, when):
    return opening.statuses(session, [uid(key)], when)[uid(key)]


@pytest.mark.parametrize("when, state, detail", [
    (utc(2026, 11, 23, 6, 30), "opens_later", "08:00"),   # 07:30 local
    (utc(2026, 11, 23, 7, 0), "open", "16:00"),           # 08:00 local, opening minute
    (utc(2026, 11, 23, 14, 59), "open", "16:00"),         # 15:59 local
    (utc(2026, 11, 23, 15, 0), "closed_today", "08:00"),  # 16:00 local, closed
    (utc(2026, 11, 28, 9, 0), "closed_today", "08:00"),   # Saturday
])
def test_status_of_weekday_service(session, when, state, detail):
    st = status(session, "svc:nursery", when)
    assert st.state == state
    assert (st.closes if state == "open" else st.opens) == detail


def test_open_now_across_the_summer_time_change(session):
    # Summer time starts on Sunday 29 March 2026 at 02:00 local (01:00 UTC); Monday 30 March
    # 06:30 UTC is 08:30 local (UTC+2): open. The Monday before, 06:30 UTC was 07:30 local: not yet.
    assert status(session, "svc:nursery", utc(2026, 3, 30, 6, 30)).state == "open"
    assert status(session, "svc:nursery", utc(2026, 3, 23, 6, 30)).state == "opens_later"
    # Winter returns on Sunday 25 October 2026; Monday 26 October 14:30 UTC is 15:30 local: open.
    assert status(session, "svc:nursery", utc(2026, 10, 26, 14, 30)).state == "open"
    assert status(session, "svc:nursery", utc(2026, 10, 19, 14, 30)).state == "closed_today"
    assert uid("svc:nursery") in opening.open_service_ids(session, utc(2026, 3, 30, 6, 30))
    assert uid("svc:nursery") not in opening.open_service_ids(session, utc(2026, 3, 23, 6, 30))


def test_schedule_crossing_midnight(session):
    # Night shelter 19:00-07:00 every day.
    assert status(session, "svc:shelter", utc(2026, 11, 23, 17, 0)).state == "opens_later"  # 18:00
    st = status(session, "svc:shelter", utc(2026, 11, 23, 22, 0))  # 23:00 local
    assert st.state == "open" and st.closes == "07:00"
    st = status(session, "svc:shelter", utc(2026, 11, 24, 2, 0))  # 03:00 local next day
    assert st.state == "open" and st.closes == "07:00"
    assert status(session, "svc:shelter", utc(2026, 11, 24, 6, 30)).state == "opens_later"  # 07:30
    assert uid("svc:shelter") in opening.open_service_ids(session, utc(2026, 11, 24, 2, 0))
    assert uid("svc:shelter") not in opening.open_service_ids(session, utc(2026, 11, 24, 6, 30))
    detail = q.service_detail(session, uid("svc:shelter"), "sq", now=utc(2026, 11, 24, 2, 0))
    assert detail.locations[0].week[0].intervals == ("19:00–07:00",)


def test_always_open_and_seasonal_hours(session):
    st = status(session, "svc:hotline", utc(2026, 11, 24, 2, 0))
    assert st.state == "open" and st.always
    # The club: 09:00-17:00, but 08:00-12:00 in July and August.
    assert status(session, "svc:summer", utc(2026, 7, 6, 11, 0)).state == "closed_today"  # 13:00 Jul
    assert status(session, "svc:summer", utc(2026, 11, 23, 12, 0)).state == "open"  # 13:00 Nov
    summer = q.service_detail(session, uid("svc:summer"), "en", now=utc(2026, 7, 6, 7, 0))
    assert summer.locations[0].week[0].intervals == ("08:00–12:00",)
    assert summer.locations[0].week[0].notes == ("Summer hours",)


def test_open_now_filter_on_category(session):
    listing = q.category_listing(session, uid("cat:children"), "sq")
    rows = q.rows_at(session, listing, utc(2026, 11, 28, 9), open_now=True)
    assert {r.id for r in rows} == {uid("svc:hotline"), uid("svc:saturday")}


# ------------------------------------------------------------------ search


@pytest.mark.parametrize("typed, expected", [
    ("cerdh", "svc:nursery"),         # Çerdhe, typed without diacritics, a prefix
    ("Çerdhe", "svc:nursery"),
    ("çerdhe bashk", "svc:nursery"),  # two words, the last a prefix
    ("korce", "svc:shelter"),         # Korçë in an address
    ("femije", "svc:nursery"),        # fëmijë in the description and the category
    ("fëmijë", "svc:nursery"),
    ("nursery", "svc:nursery"),       # English name
    ("day car", "svc:nursery"),       # English description, prefix
    ("strehez", "svc:shelter"),
    ("night", "svc:shelter"),
    ("legal adv", "svc:saturday"),
])
def test_search_with_and_without_diacritics_in_both_languages(session, typed, expected):
    results = q.search(session, typed, "sq")
    assert uid(expected) in [r.id for r in results], [r.name for r in results]


def test_search_ranks_names_first_and_hides_inactive(session):
    results = q.search(session, "cerdhe", "en")
    assert results[0].id == uid("svc:nursery") and results[0].name == "Municipal nursery"
    assert results[0].subtitle == "Municipal Social Centre"
    assert q.search(session, "mbyllur", "sq") == []  # the inactive service


def test_search_finds_organizations(session):
    results = q.search(session, "shoqata", "sq")
    assert results[0].kind == "organization" and results[0].id == uid("org:ngo")


@pytest.mark.parametrize("typed", ["", "   ", "***", '"', "NEAR(", "a OR", "-", "c*"])
def test_search_survives_any_input(session, typed):
    assert isinstance(q.search(session, typed, "sq"), list)


def test_feed_loads_rejects_garbage():
    with pytest.raises(feedmod.FeedError):
        feedmod.loads(b"not json")
    with pytest.raises(feedmod.FeedError) as err:
        feedmod.loads(json.dumps({**make_feed(), "schema_version": 99}))
    assert err.value.code == "unknown_schema_version"


# ------------------------------------------------------------------ published icons and logos


def test_published_icons_and_logos_are_stored_queried_and_exported(tmp_path, hsds_validator):
    import copy
    import hashlib

    icon_sha, logo_sha = (hashlib.sha256(x).hexdigest() for x in (b"icon", b"logo"))
    doc = copy.deepcopy(make_feed(version=2))
    children = next(t for t in doc["taxonomy_terms"] if t["id"] == uid("cat:children"))
    children.update(x_icon_url=f"assets/{icon_sha}", x_icon_sha256=icon_sha)
    for svc in doc["services"]:
        if svc["organization"]["id"] == uid("org:social"):
            svc["organization"].update(logo=f"assets/{logo_sha}", x_logo_sha256=logo_sha)
    cat = Catalogue(tmp_path / "c.sqlite3")
    cat.create_schema()
    cat.load(doc)
    try:
        with cat.session() as s:
            term = s.get(m.TaxonomyTerm, uid("cat:children"))
            assert (term.icon, term.icon_url, term.icon_sha256) == ("children", f"assets/{icon_sha}", icon_sha)
            cards = {c.id: c for c in q.top_categories(s, "en")}
            assert cards[uid("cat:children")].icon_sha256 == icon_sha
            assert cards[uid("cat:children")].icon == "children"  # the fallback travels too
            assert cards[uid("cat:housing")].icon_sha256 == ""
            assert q.organization_detail(s, uid("org:social"), "sq").card.logo_sha256 == logo_sha
            assert q.organization_detail(s, uid("org:ngo"), "sq").card.logo_sha256 == ""
            exported = export_document(s)
        term_out = next(t for t in exported["taxonomy_terms"] if t["id"] == uid("cat:children"))
        assert term_out["x_icon_url"] == f"assets/{icon_sha}" and term_out["x_icon_sha256"] == icon_sha
        org_out = next(sv["organization"] for sv in exported["services"]
                       if sv["organization"]["id"] == uid("org:social"))
        assert org_out["logo"] == f"assets/{logo_sha}" and org_out["x_logo_sha256"] == logo_sha
        assert [e.message for sv in exported["services"] for e in hsds_validator.iter_errors(sv)] == []
        from sync.feed import verify

        assert verify.referenced_assets(exported) == {icon_sha: f"assets/{icon_sha}",
                                                      logo_sha: f"assets/{logo_sha}"}
    finally:
        cat.dispose()



# ------------------------------------------------------------------ the big list's shortcuts


def _slow_sort_key(name):
    import unicodedata
    folded = "".join(ch for ch in unicodedata.normalize("NFD", name) if not unicodedata.combining(ch))
    return folded.casefold(), name


@pytest.mark.parametrize("name", ["Çerdhe", "Ëndrra", "çerdhe", "Strehëz", "ÇELËSI", "Straße", "Øresund",
                                  "Æsop", "Łódź", "İstanbul", "ǅemal", "Ωmega", "Юлия", "a\u0301b",
                                  "ﬁle", "", "123 Ä"])
def test_sort_key_shortcut_orders_as_the_full_fold(name):
    assert q.sort_key(name) == _slow_sort_key(name)


def test_sort_key_shortcut_for_every_latin_letter():
    for cp in range(0x20, 0x300):
        ch = chr(cp)
        assert q.sort_key(f"x{ch}y") == _slow_sort_key(f"x{ch}y"), hex(cp)


def test_category_listing_reads_the_language_field_by_field(session):
    nursery = session.get(m.Service, uid("svc:nursery"))
    hotline = session.get(m.Service, uid("svc:hotline"))
    nursery.translations = {"en": {"name": ""}}           # an empty English name falls back
    hotline.translations = {"en": {"description": "x"}}   # no English name at all
    session.commit()
    for lang in ("sq", "en"):
        listing = q.category_listing(session, uid("cat:children"), lang)
        by_id = {item.id: item for item in listing}
        for sid, item in by_id.items():
            svc = session.get(m.Service, sid)
            assert item.name == svc.t("name", lang) and item.provider == svc.organization.t("name", lang)
        assert by_id[uid("svc:nursery")].name == "Çerdhe e Bashkisë"
        if lang == "en":
            assert by_id[uid("svc:saturday")].name == "Legal advice for families"
        assert [i.name for i in listing] == sorted((i.name for i in listing), key=_slow_sort_key)


def test_timetables_read_packed_equal_the_intervals(session):
    oi = m.OpeningInterval
    ids = list(session.scalars(select(m.Service.id)))
    want = {}
    for sid, row in session.execute(select(m.Service.id, oi).join(oi, oi.timetable_id == m.Service.timetable_id)
                                    .order_by(m.Service.id, oi.id)):
        want.setdefault(sid, []).append((row.weekday, row.opens, row.closes, row.valid_from, row.valid_to))
    assert any(v[3] or v[4] for rows in want.values() for v in rows)   # the seasonal club's dates
    for got in (opening.rules_for(session, ids), opening.rules_for(session, select(m.Service.id))):
        assert {sid: [(next(iter(r.weekdays)), r.opens, r.closes, r.valid_from, r.valid_to) for r in rules]
                for sid, rules in got.items()} == want


def test_equal_timetables_are_kept_once(session):
    tables = session.scalars(select(m.Timetable.packed)).all()
    assert len(tables) == len(set(tables))
    with_hours = session.scalars(select(m.Service.timetable_id).where(m.Service.timetable_id.is_not(None))).all()
    assert len(set(with_hours)) == len(tables) and len(with_hours) >= len(tables)


# ------------------------------------------------------------------ how rows are kept (schema 9)


def test_uuid_ids_are_kept_as_sixteen_bytes_and_read_back_as_text(catalogue, session):
    sid = uid("svc:nursery")
    with sqlite3.connect(catalogue.db_path) as conn:
        kinds = dict(conn.execute("SELECT typeof(id), count(*) FROM service GROUP BY 1").fetchall())
        assert kinds == {"blob": 6}
        assert conn.execute("SELECT length(id) FROM service LIMIT 1").fetchone() == (16,)
        # a reference is kept the same way, so joins compare bytes with bytes
        assert conn.execute("SELECT count(*) FROM required_document d JOIN service s ON s.id = d.service_id"
                            ).fetchone()[0] == 12
    assert session.get(m.Service, sid).id == sid
    assert m.key_text(m.pack_key(sid)) == sid


@pytest.mark.parametrize("foreign", ["svc-1", "123", "0042", "C4C8C910-8A5F-4886-A939-6DAEB8A1F796",
                                     "c4c8c910-8a5f-4886-a939-6daeb8a1f79", "{c4c8c910-8a5f-4886-a939-6daeb8a1f796}",
                                     "c4c8c910 8a5f 4886 a939 6daeb8a1f796", "ëç-ID"])
def test_other_directories_ids_are_kept_exactly_as_text(foreign):
    """An id that is not a canonical UUID is kept as the text it is: read back, looked up and
    exported as the feed wrote it (numbers stay text; upper case stays upper)."""
    assert m.pack_key(foreign) == foreign and m.key_text(foreign) == foreign


def _feed_with_a_foreign_id() -> tuple[dict, dict]:
    """The factory feed with the nursery named as another directory names it ("NURSERY-001",
    not a UUID), every reference to it too; the feed and the nursery."""
    feed = make_feed()
    nursery = next(s for s in feed["services"] if s["id"] == uid("svc:nursery"))
    nursery["id"] = "NURSERY-001"
    for row in nursery["required_documents"] + nursery["languages"] + nursery["attributes"]:
        row["service_id"] = "NURSERY-001"
    for sal in nursery["service_at_locations"]:
        sal["service_id"] = "NURSERY-001"
    return feed, nursery


def test_other_directories_ids_build_query_and_export(tmp_path):
    feed, nursery = _feed_with_a_foreign_id()
    nursery["required_documents"][0]["id"] = "12345"
    cat = Catalogue(tmp_path / "c.sqlite3")
    cat.create_schema()
    cat.load(feed)
    with cat.session() as s:
        detail = q.service_detail(s, "NURSERY-001", "en")
        assert detail.name == "Municipal nursery" and detail.documents[0] == "Identity card"
        assert ("service", "NURSERY-001") in {(r.kind, r.id) for r in q.search(s, "nursery", "en")}
        exported = next(x for x in export_document(s)["services"] if x["id"] == "NURSERY-001")
        assert exported["required_documents"][0]["id"] == "12345"
    with sqlite3.connect(cat.db_path) as conn:
        assert conn.execute("SELECT typeof(id) FROM service WHERE id = 'NURSERY-001'").fetchone() == ("text",)


def test_a_short_code_finds_its_service_by_a_range_of_bytes(session):
    from kiosk.catalogue.codes import scanned_service, service_with_prefix

    sid = uid("svc:nursery")
    assert service_with_prefix(session, sid[:14]) == sid            # what a slip prints: 12 digits
    assert service_with_prefix(session, sid[:14].upper()) == sid
    assert service_with_prefix(session, sid[:9]) == sid              # an odd number of digits
    assert service_with_prefix(session, sid) == sid
    assert scanned_service(session, "code", sid[:14]) == sid
    assert service_with_prefix(session, "ffffffff-ffff-") is None    # the top of the range
    assert service_with_prefix(session, "zz") is None and service_with_prefix(session, "-") is None


def test_a_documents_wording_is_kept_once_and_exported_per_row(catalogue, session):
    """Every service of the test feed asks for the same two documents and one language: two
    document wordings and one language wording, while each row keeps its own id and place."""
    assert len(session.scalars(select(m.DocumentText)).all()) == 2
    assert len(session.scalars(select(m.LanguageText)).all()) == 1
    rows = session.scalars(select(m.RequiredDocument)).all()
    assert len(rows) == 12 and len({r.id for r in rows}) == 12
    nursery = session.get(m.Service, uid("svc:nursery"))
    assert [(d.document, d.t("document", "en")) for d in nursery.documents] == [
        ("Kartë identiteti", "Identity card"), ("Certifikatë familjare", "Certifikatë familjare")]
    assert [lg.t("name", "en") for lg in nursery.languages] == ["Albanian"]
    exported = next(x for x in export_document(session)["services"] if x["id"] == uid("svc:nursery"))
    assert exported["required_documents"][0] == {
        "id": uid("svc:nursery:doc1"), "service_id": uid("svc:nursery"), "document": "Kartë identiteti",
        "x_translations": {"en": {"document": "Identity card"}}}


def test_a_wording_with_other_fields_is_its_own(tmp_path):
    feed = make_feed()
    first, second = feed["services"][0], feed["services"][1]
    first["required_documents"][0]["x_note"] = "original and copy"
    second["required_documents"][0]["uri"] = "https://e-albania.al/"
    cat = Catalogue(tmp_path / "c.sqlite3")
    cat.create_schema()
    cat.load(feed)
    with cat.session() as s:
        assert len(s.scalars(select(m.DocumentText)).all()) == 4
        services = {x["id"]: x for x in export_document(s)["services"]}
        assert services[first["id"]]["required_documents"][0]["x_note"] == "original and copy"
        assert services[second["id"]]["required_documents"][0]["uri"] == "https://e-albania.al/"
        assert "x_note" not in services[second["id"]]["required_documents"][0]


def _every_row(db_path) -> dict[str, list[tuple]]:
    """Each table's rows with each value's SQLite type, in order (the meta rows that differ from
    one build to the next, its time and load id, left out)."""
    with sqlite3.connect(db_path) as conn:
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out = {}
        for table in tables:
            columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
            typed = ", ".join(f'"{c}", typeof("{c}")' for c in columns)
            where = " WHERE key NOT IN ('loaded_at', 'load_id')" if table == "meta" else ""
            out[table] = sorted(conn.execute(f'SELECT {typed} FROM "{table}"{where}').fetchall(),
                                key=repr)
        return out


@pytest.mark.parametrize("which", ["factory feed, with other directories' ids", "bundled sample"])
def test_rows_are_written_exactly_as_sqlalchemys_executemany_writes_them(tmp_path, monkeypatch, which):
    """The build hands rows to the driver itself (:func:`kiosk.catalogue.build._insert`, a third
    faster); every table it writes holds the same values, of the same SQLite types, as SQLAlchemy's
    own executemany of the same rows writes (ids as bytes or text, JSON, dates, booleans, NULLs)."""
    from kiosk.catalogue import build as buildmod
    from kiosk.paths import SAMPLE_FEED

    if which == "bundled sample":
        feed = json.loads(SAMPLE_FEED.read_text(encoding="utf-8"))
    else:
        feed, _nursery = _feed_with_a_foreign_id()

    def built(name: str):
        cat = Catalogue(tmp_path / name)
        cat.create_schema()
        assert cat.load(feed) == len(feed["services"])
        cat.dispose()
        return _every_row(tmp_path / name)

    ours = built("ours.sqlite3")

    def sqlalchemys(conn, cls, batch):
        if batch:
            conn.execute(cls.__table__.insert(), batch)

    monkeypatch.setattr(buildmod, "_insert", sqlalchemys)
    theirs = built("sqlalchemy.sqlite3")
    assert ours.keys() == theirs.keys()
    assert sum(len(rows) for rows in ours.values()) > 50
    for table in ours:
        assert ours[table] == theirs[table], table


# ------------------------------------------------------------------ whose hours (review items 2, 3)


def _catalogue_of(tmp_path, services, name="hours"):
    from factories import TERMS
    doc = feedmod.new_document(services, TERMS, version=1)
    cat = Catalogue(tmp_path / f"{name}.sqlite3")
    cat.create_schema()
    cat.load(doc)
    return cat


def _building(key, *schedules):
    from factories import location
    return {**location(key, "Rruga Kavajës 3"), "schedules": list(schedules)}


def _assert_rebuilds_to_the_same_export(tmp_path, doc, name):
    """A catalogue built from ``doc`` (an export) exports ``doc`` again: nothing lost or added."""
    again = _catalogue_of(tmp_path, doc["services"], name)
    try:
        with again.session() as s2:
            assert export_document(s2)["services"] == doc["services"]
    finally:
        again.dispose()


def test_a_services_own_hours_win_over_its_buildings(tmp_path):
    """Review item 2 (/tmp/hsdsreview/src/sched.json, "G-union"): a service open Tuesday 10-12
    in a building open Monday to Friday 08-20 is closed on Monday, and not "open now"."""
    from factories import organization, schedule, service
    org = organization("org:g", "Organizata", "Organization")
    building = _building("loc:g", schedule("sch:g-loc", "MO,TU,WE,TH,FR", "08:00", "20:00"))
    svc = service("svc:g", "Shërbimi G", "Service G", org, ["cat:nursery"], loc=building,
                  schedules=[schedule("sch:g", "TU", "10:00", "12:00")])
    cat = _catalogue_of(tmp_path, [svc])
    try:
        with cat.session() as s:
            detail = q.service_detail(s, uid("svc:g"), "sq", now=MONDAY_10)
            assert detail.status.state == "closed_today" and detail.status.opens == "10:00"
            place = detail.locations[0]
            assert place.status.state == "closed_today"
            assert [d.intervals for d in place.week][:2] == [(), ("10:00–12:00",)]
            # The building's own hours come apart, to be labelled as the building's.
            assert place.building_week[0].intervals == ("08:00–20:00",)
            assert uid("svc:g") not in opening.open_service_ids(s, MONDAY_10)
            tuesday_11 = utc(2026, 11, 24, 10)
            assert uid("svc:g") in opening.open_service_ids(s, tuesday_11)
            assert q.service_detail(s, uid("svc:g"), "sq", now=tuesday_11).status.closes == "12:00"
            listing = q.category_listing(s, uid("cat:nursery"), "sq")
            assert q.rows_at(s, listing, MONDAY_10, open_now=True) == []
            assert q.rows_at(s, listing, MONDAY_10)[0].status.state == "closed_today"
            # Without a service, the building shows its own hours.
            org_page = q.organization_detail(s, uid("org:g"), "sq", now=MONDAY_10)
            assert org_page.locations[0].status.state == "open" and not org_page.locations[0].building_week
    finally:
        cat.dispose()


def test_a_service_at_locations_hours_win_over_the_services(tmp_path):
    from factories import organization, schedule, service
    org = organization("org:g", "Organizata", "Organization")
    building = _building("loc:g", schedule("sch:g-loc", "MO,TU,WE,TH,FR", "08:00", "20:00"))
    svc = service("svc:g", "Shërbimi G", "Service G", org, ["cat:nursery"], loc=building,
                  schedules=[schedule("sch:g", "MO", "08:00", "20:00")],
                  sal_schedules=[schedule("sch:g-sal", "WE", "09:00", "11:00")])
    cat = _catalogue_of(tmp_path, [svc])
    try:
        with cat.session() as s:
            detail = q.service_detail(s, uid("svc:g"), "en", now=MONDAY_10)
            assert detail.status.state == "closed_today" and detail.status.next_day == date(2026, 11, 25)
            assert uid("svc:g") not in opening.open_service_ids(s, MONDAY_10)
            assert [d.intervals for d in detail.locations[0].week][:3] == [(), (), ("09:00–11:00",)]
    finally:
        cat.dispose()


def test_a_schedule_shared_by_service_and_location_is_kept_by_both(tmp_path):
    """Review item 3 (/tmp/hsdsreview/src/shared.json): one schedule id on a service and on its
    location (as the HSDS examples do) is kept by each; another service there with no hours of
    its own is open by the building's hours, says so on its page, and the export keeps them."""
    from factories import organization, schedule, service
    org = organization("org:x", "Organizata", "Organization")
    shared = schedule("sch:shared", "MO,TU,WE,TH,FR", "08:00", "16:00")
    building = _building("loc:shared", dict(shared))
    x = service("svc:x", "Shërbimi X", "Service X", org, ["cat:nursery"], loc=building,
                schedules=[dict(shared)])
    y = service("svc:y", "Shërbimi Y", "Service Y", org, ["cat:nursery"], loc=building)
    x["service_at_locations"][0]["schedules"] = [dict(shared)]
    cat = _catalogue_of(tmp_path, [x, y])
    try:
        with cat.session() as s:
            owners = s.execute(select(m.Schedule.service_id, m.Schedule.location_id,
                                      m.Schedule.service_at_location_id)
                               .where(m.Schedule.id == uid("sch:shared"))).all()
            assert sorted(map(repr, owners)) == sorted(map(repr, [
                (uid("svc:x"), None, None), (None, uid("loc:shared"), None),
                (uid("svc:x"), None, uid("svc:x:sal"))]))
            assert opening.open_service_ids(s, MONDAY_10) >= {uid("svc:x"), uid("svc:y")}
            for key in ("svc:x", "svc:y"):
                detail = q.service_detail(s, uid(key), "sq", now=MONDAY_10)
                assert detail.status.state == "open" and detail.status.closes == "16:00", key
                assert detail.locations[0].week[0].intervals == ("08:00–16:00",), key
            doc = export_document(s)
        by_name = {svc["name"]: svc for svc in doc["services"]}
        for svc in by_name.values():
            assert [sc["id"] for sc in svc["service_at_locations"][0]["location"]["schedules"]] == [uid("sch:shared")]
        assert [sc["id"] for sc in by_name["Shërbimi X"]["schedules"]] == [uid("sch:shared")]
        assert [sc["id"] for sc in by_name["Shërbimi X"]["service_at_locations"][0]["schedules"]] == [uid("sch:shared")]
        _assert_rebuilds_to_the_same_export(tmp_path, doc, "again")
    finally:
        cat.dispose()


# ------------------------------------------------------------------ times in UTC (review item 4)


@pytest.mark.parametrize("text, expected", [
    ("08:00", (480, None)), ("08:00:00", (480, None)), ("07:00Z", (420, 0)),
    ("09:00+05:00", (540, 300)), ("08:00-03:30", (480, -210)), ("24:00", (1440, None)),
    ("9am", (None, None)), ("09:00+99:00", (None, None)),
])
def test_an_hsds_time_and_its_offset(text, expected):
    from kiosk.catalogue.hours import parse_time
    assert parse_time(text) == expected


def test_a_utc_time_that_moves_to_another_local_day_moves_its_valid_dates_too():
    """23:30Z on Monday is 00:30 on Tuesday in Tirana: a schedule valid on Monday 23 November only
    opens on Tuesday 24 November, local time, and on no other day."""
    from kiosk.catalogue.hours import intervals_on, rules_from_schedule
    rules = rules_from_schedule("WEEKLY", "MO", "23:30Z", "23:50Z", date(2026, 11, 23), date(2026, 11, 23))
    opened = [day for day in (date(2026, 11, 23) + timedelta(days=n) for n in range(-2, 9))
              if intervals_on(rules, day)]
    assert opened == [date(2026, 11, 24)]
    assert [iv.label() for iv in intervals_on(rules, date(2026, 11, 24))] == ["00:30–00:50"]
    # and the other way: 00:30+05:00 on Monday is 20:30 on Sunday in winter
    rules = rules_from_schedule("WEEKLY", "MO", "00:30+05:00", "01:00+05:00", date(2026, 11, 23), None)
    assert intervals_on(rules, date(2026, 11, 22))[0].label() == "20:30–21:00"


def test_times_in_utc_or_with_an_offset_are_shown_in_tirana_time(tmp_path):
    """Review item 4 (/tmp/hsdsreview/src/utc_times.json): 07:00Z-15:00Z is 09:00-17:00 in
    summer and 08:00-16:00 in winter; 09:00+05:00 is 05:00 (winter)."""
    from factories import organization, schedule, service
    org = organization("org:u", "Organizata", "Organization")
    utc_svc = service("svc:utc", "Shërbimi utc", "UTC service", org, ["cat:nursery"],
                      schedules=[schedule("sch:utc", "MO,TU,WE,TH,FR", "07:00Z", "15:00Z")])
    plus5 = service("svc:plus5", "Shërbimi +5", "Plus five", org, ["cat:nursery"],
                    schedules=[schedule("sch:plus5", "MO", "09:00+05:00", "12:00+05:00")])
    late = service("svc:late", "Shërbimi natën", "Late", org, ["cat:nursery"],
                   schedules=[schedule("sch:late", "MO", "23:30Z", "23:50Z")])
    cat = _catalogue_of(tmp_path, [utc_svc, plus5, late])
    summer_monday_0830 = utc(2026, 7, 6, 6, 30)      # 08:30 in Tirana (UTC+2)
    winter_monday_0830 = utc(2026, 11, 23, 7, 30)    # 08:30 in Tirana (UTC+1)
    try:
        with cat.session() as s:
            summer = q.service_detail(s, uid("svc:utc"), "en", now=summer_monday_0830)
            assert summer.status.state == "opens_later" and summer.status.opens == "09:00"
            assert summer.locations[0].week[0].intervals == ("09:00–17:00",)
            winter = q.service_detail(s, uid("svc:utc"), "en", now=winter_monday_0830)
            assert winter.status.state == "open" and winter.status.closes == "16:00"
            assert winter.locations[0].week[0].intervals == ("08:00–16:00",)
            assert uid("svc:utc") in opening.open_service_ids(s, winter_monday_0830)
            assert uid("svc:utc") not in opening.open_service_ids(s, summer_monday_0830)
            # The week of the change: Friday 23 October is summer time, Monday 26 winter.
            week = q.service_detail(s, uid("svc:utc"), "en", now=utc(2026, 10, 25, 12)).locations[0].week
            assert [d.intervals for d in week][3:5] == [("09:00–17:00",), ("09:00–17:00",)]
            week = q.service_detail(s, uid("svc:utc"), "en", now=utc(2026, 10, 26, 12)).locations[0].week
            assert week[0].intervals == ("08:00–16:00",)
            plus = q.service_detail(s, uid("svc:plus5"), "en", now=winter_monday_0830)
            assert plus.locations[0].week[0].intervals == ("05:00–08:00",)
            # 23:30Z on Monday is 00:30 on Tuesday in winter.
            night = q.service_detail(s, uid("svc:late"), "en", now=winter_monday_0830).locations[0].week
            assert [d.intervals for d in night][:2] == [(), ("00:30–00:50",)]
            assert uid("svc:late") in opening.open_service_ids(s, utc(2026, 11, 23, 23, 40))
            listing = q.category_listing(s, uid("cat:nursery"), "en")
            rows = {r.id: r.status for r in q.rows_at(s, listing, summer_monday_0830)}
            assert rows[uid("svc:utc")].opens == "09:00"
    finally:
        cat.dispose()


# ------------------------------------------------------------------ details a visitor needs (review of rich.json)


def rich_service() -> dict:
    """A service as another directory publishes it in HSDS 3.0: a phone with an extension, a fax,
    an SMS number, a contact person, age limits, and a post box listed before the place."""
    org = {"id": uid("rich:org"), "name": "Organizata", "description": "Org"}
    return {
        "id": uid("rich:svc"), "name": "Shërbimi rich", "description": "Përshkrim", "status": "active",
        "organization": org, "eligibility_description": "Të rinjtë pa punë",
        "minimum_age": 18, "maximum_age": 25,
        "phones": [{"id": uid("rich:tel1"), "number": "+355 54 400 100", "extension": 204, "type": "voice",
                    "description": "Recepsioni"},
                   {"id": uid("rich:tel2"), "number": "054 400 101", "type": "fax"},
                   {"id": uid("rich:tel3"), "number": "069 123 4567", "type": "text"}],
        "contacts": [{"id": uid("rich:contact"), "name": "Arta Hoxha", "title": "Punonjëse sociale",
                      "email": "arta@example.al",
                      "phones": [{"id": uid("rich:contact:tel"), "number": "069 222 3333"}]}],
        "attributes": [{"id": uid("rich:attr"), "taxonomy_term_id": uid("cat:housing")}],
        "service_at_locations": [{"id": uid("rich:sal"), "location": {
            "id": uid("rich:loc"), "name": "Vendi rich-loc", "location_type": "physical",
            "latitude": 41.1125, "longitude": 20.0822,
            "addresses": [{"id": uid("rich:postal"), "address_1": "Kutia Postare 12", "city": "Elbasan",
                           "state_province": "Elbasan", "postal_code": "3001", "country": "AL",
                           "address_type": "postal"},
                          {"id": uid("rich:physical"), "address_1": "Rruga Rinia, Pallati 5",
                           "address_2": "Kati 2", "city": "Elbasan", "state_province": "Elbasan",
                           "postal_code": "3001", "country": "AL", "address_type": "physical"}]}}],
    }


@pytest.fixture
def rich(tmp_path):
    feed = make_feed()
    feed["services"].append(rich_service())
    cat = Catalogue(tmp_path / "rich.sqlite3")
    cat.create_schema()
    cat.load(feed, source="test")
    with cat.session() as s:
        yield s
    cat.dispose()


def test_a_phones_extension_and_kind_reach_the_screen(rich):
    d = q.service_detail(rich, uid("rich:svc"), "sq")
    assert [(p.number, p.type, p.extension) for p in d.phones] == [
        ("+355 54 400 100", "voice", "204"), ("054 400 101", "fax", ""), ("069 123 4567", "text", "")]


def test_a_services_own_contacts_reach_its_page(rich):
    d = q.service_detail(rich, uid("rich:svc"), "en")
    [person] = d.contacts
    assert (person.name, person.title, person.email) == ("Arta Hoxha", "Punonjëse sociale", "arta@example.al")
    assert [p.number for p in person.phones] == ["069 222 3333"]
    assert d.organization.contacts == ()          # the organization's own stay its own


def test_a_services_age_limits_reach_its_page(rich, session):
    d = q.service_detail(rich, uid("rich:svc"), "sq")
    assert (d.minimum_age, d.maximum_age, d.eligibility) == ("18", "25", "Të rinjtë pa punë")
    plain = q.service_detail(session, uid("svc:nursery"), "sq")
    assert (plain.minimum_age, plain.maximum_age) == ("", "")
    assert q._age(2.5) == "2.5" and q._age(None) == "" and q._age(-1) == ""


def test_the_place_comes_apart_from_its_post_box(rich):
    [loc] = q.service_detail(rich, uid("rich:svc"), "sq").locations
    assert loc.address_lines == ("Rruga Rinia, Pallati 5, Kati 2", "3001 Elbasan")
    assert loc.postal_lines == ("Kutia Postare 12", "3001 Elbasan")
    svc = rich.get(m.Service, uid("rich:svc"))
    assert q.organization_addresses(rich, svc.organization_id) == [("Rruga Rinia, Pallati 5, Kati 2", "3001 Elbasan")]


# ------------------------------------------------------------------ whose phone (the official example)


def _official_example() -> dict:
    from pathlib import Path
    path = Path(__file__).resolve().parent / "data" / "hsds-examples" / "service_full.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _phone_ids(obj: dict) -> dict[str, list]:
    """Where each phone sits in a nested service (``organization``, ``contacts/0``...), its ids."""
    out = {}
    for path, owner in (("organization", obj["organization"]), ("service", obj),
                        ("service_at_location", obj["service_at_locations"][0]),
                        ("location", obj["service_at_locations"][0]["location"])):
        out[path] = [p["id"] for p in owner.get("phones") or []]
        for i, c in enumerate(owner.get("contacts") or []):
            out[f"{path}/contacts/{i}"] = (c["id"], [p["id"] for p in c.get("phones") or []])
    return out


def test_a_phone_and_a_contact_shared_by_every_owner_are_kept_by_each(tmp_path):
    """The HSDS example service_full.json gives one phone id (and one contact id) to the
    organization, the service, its service_at_location, its location and the contact: each
    owner keeps its own, the service page shows the service's phone and its contact, the
    organization keeps its phone, and the export gives every owner's phone back, ids as they came."""
    example = _official_example()
    phone_id, contact_id = example["phones"][0]["id"], example["contacts"][0]["id"]
    assert {example["organization"]["phones"][0]["id"], example["service_at_locations"][0]["phones"][0]["id"],
            example["service_at_locations"][0]["location"]["phones"][0]["id"]} == {phone_id}
    assert example["organization"]["contacts"][0]["id"] == contact_id
    cat = _catalogue_of(tmp_path, [example], "example")
    try:
        with cat.session() as s:
            owners = s.execute(select(m.Phone.organization_id, m.Phone.service_id, m.Phone.location_id,
                                      m.Phone.service_at_location_id, m.Phone.contact_id)
                               .where(m.Phone.id == phone_id)).all()
            org_id, svc_id = example["organization"]["id"], example["id"]
            sal_id = example["service_at_locations"][0]["id"]
            loc_id = example["service_at_locations"][0]["location"]["id"]
            assert sorted(map(repr, owners)) == sorted(map(repr, [
                (org_id, None, None, None, None), (org_id, None, None, None, contact_id),
                (None, svc_id, None, None, None), (None, svc_id, None, None, contact_id),
                (None, svc_id, None, sal_id, None), (None, None, loc_id, None, None),
                # the contact's phone, at the place and at the service there (schema 14)
                (None, None, loc_id, None, contact_id), (None, None, None, sal_id, contact_id)]))
            assert sorted(map(repr, s.execute(select(m.Contact.organization_id, m.Contact.service_id,
                                                     m.Contact.location_id, m.Contact.service_at_location_id)
                                              .where(m.Contact.id == contact_id)).all())) == \
                sorted(map(repr, [(org_id, None, None, None), (None, svc_id, None, None),
                                  (None, None, loc_id, None), (None, None, None, sal_id)]))

            detail = q.service_detail(s, svc_id, "en")
            number = example["phones"][0]["number"]
            assert [(p.number, p.extension) for p in detail.phones] == [(number, "100")]
            [person] = detail.contacts
            assert (person.name, person.email) == ("Ann Persona", "email@example.com")
            assert [p.number for p in person.phones] == [number]
            # The organization keeps its phone and its contact, on the service page and its own.
            assert [p.number for p in detail.organization.phones] == [number]
            assert [c.name for c in detail.organization.contacts] == ["Ann Persona"]
            org_page = q.organization_detail(s, org_id, "en")
            assert [p.number for p in org_page.card.phones] == [number]
            assert [[p.number for p in c.phones] for c in org_page.card.contacts] == [[number]]
            # The place: the service's phone there and the building's are one phone, shown once.
            assert [p.number for p in detail.locations[0].phones] == [number]
            doc = export_document(s)
        [exported] = doc["services"]
        assert _phone_ids(exported) == _phone_ids(example)
        assert exported["organization"]["contacts"][0]["phones"][0]["contact_id"] == contact_id
        assert exported["contacts"][0]["phones"][0]["contact_id"] == contact_id
        _assert_rebuilds_to_the_same_export(tmp_path, doc, "example-again")
    finally:
        cat.dispose()


def test_a_contact_shared_by_two_services_keeps_its_phones_with_each(tmp_path):
    """A contact (one id) named by two services, with a phone each time: each service's copy of the
    contact has its own phones, and neither gets the other's."""
    from factories import organization, service
    org = organization("org:c", "Organizata", "Organization")
    a = service("svc:ca", "Shërbimi A", "Service A", org, ["cat:nursery"])
    b = service("svc:cb", "Shërbimi B", "Service B", org, ["cat:nursery"])
    a["contacts"] = [{"id": uid("contact:shared"), "name": "Arta Hoxha",
                      "phones": [{"id": uid("tel:a"), "number": "069 111 1111"}]}]
    b["contacts"] = [{"id": uid("contact:shared"), "name": "Arta Hoxha",
                      "phones": [{"id": uid("tel:b"), "number": "069 222 2222"}]}]
    cat = _catalogue_of(tmp_path, [a, b], "contacts")
    try:
        with cat.session() as s:
            for key, number in (("svc:ca", "069 111 1111"), ("svc:cb", "069 222 2222")):
                [person] = q.service_detail(s, uid(key), "sq").contacts
                assert [p.number for p in person.phones] == [number], key
            doc = export_document(s)
        by_name = {svc["name"]: svc for svc in doc["services"]}
        assert [p["id"] for p in by_name["Shërbimi A"]["contacts"][0]["phones"]] == [uid("tel:a")]
        assert [p["id"] for p in by_name["Shërbimi B"]["contacts"][0]["phones"]] == [uid("tel:b")]
    finally:
        cat.dispose()


def test_until_dtstart_and_rules_the_kiosk_cannot_follow_weekly(tmp_path):
    """HSDS's until and dtstart narrow when a weekly rule is valid; a rule the kiosk cannot
    follow week by week (every other week, a count of meetings, the first Monday of the month)
    gives no weekly hours, no "open now", and its description is shown instead."""
    from factories import organization, schedule, service
    org = organization("org:r", "Organizata", "Organization")
    building = _building("loc:r", schedule("sch:r-loc", "MO", "08:00", "09:00",
                                           valid_to="2026-01-01"))   # the building: long ago
    ended = service("svc:ended", "Mbaroi", "Ended", org, ["cat:nursery"], loc=building,
                    sal_schedules=[schedule("sch:ended", "MO", "08:00", "20:00", until="2026-06-30T00:00:00Z")])
    later = service("svc:later", "Më vonë", "Later", org, ["cat:nursery"], loc=building,
                    sal_schedules=[schedule("sch:later", "MO", "08:00", "20:00", dtstart="2027-01-04")])
    fortnight = service("svc:fortnight", "Çdo dy javë", "Every other week", org, ["cat:nursery"],
                        loc=building, sal_schedules=[schedule(
                            "sch:fortnight", "MO", "08:00", "20:00", interval=2,
                            description="E hëna, çdo dy javë, 08:00-20:00")])
    monthly = service("svc:monthly", "Çdo muaj", "Monthly", org, ["cat:nursery"], loc=building,
                      sal_schedules=[dict(schedule("sch:monthly", "1MO", "09:00", "12:00"), freq="MONTHLY",
                                          description="E hëna e parë e muajit, 09:00-12:00")])
    weekly = service("svc:weekly", "Çdo javë", "Weekly", org, ["cat:nursery"], loc=building,
                     sal_schedules=[schedule("sch:weekly", "MO", "08:00", "20:00", until="2027-06-30")])
    cat = _catalogue_of(tmp_path, [ended, later, fortnight, monthly, weekly])
    try:
        with cat.session() as s:
            open_ids = opening.open_service_ids(s, MONDAY_10)
            assert open_ids & {uid(k) for k in ("svc:ended", "svc:later", "svc:fortnight", "svc:monthly")} == set()
            assert uid("svc:weekly") in open_ids
            for key in ("svc:ended", "svc:later", "svc:fortnight", "svc:monthly"):
                detail = q.service_detail(s, uid(key), "sq", now=MONDAY_10)
                assert detail.status.state != "open", key
                assert not any(day.intervals for day in detail.locations[0].week), key
            for key, words in (("svc:fortnight", "E hëna, çdo dy javë, 08:00-20:00"),
                               ("svc:monthly", "E hëna e parë e muajit, 09:00-12:00")):
                place = q.service_detail(s, uid(key), "sq", now=MONDAY_10).locations[0]
                assert words in place.schedule_notes, (key, place.schedule_notes)
            assert q.service_detail(s, uid("svc:weekly"), "sq", now=MONDAY_10).status.state == "open"
    finally:
        cat.dispose()


# ------------------------------------------------------------------ who to ask at a place


def _person(key, name, title="", department="", en=None, phone=None, extension=None, email=None) -> dict:
    person = {"id": uid(key), "name": name}
    person |= {k: v for k, v in (("title", title), ("department", department)) if v}
    if email:
        person["email"] = email
    if en:
        person["x_translations"] = {"en": en}
    if phone:
        person["phones"] = [{"id": uid(key + ":tel"), "number": phone, "type": "voice",
                             **({"extension": extension} if extension is not None else {})}]
    return person


def desk_service() -> dict:
    """A service given at two places, as other directories publish one: the service's own person
    (Arta), a person for the service at the first place (Besa, on its service_at_location), the
    reception desk of each building (Dritan, who works at both; Elira), and the organization's
    person (Gent), whom the first building lists too."""
    from factories import location, organization, service
    org = organization("org:desk", "Qendra e Shërbimeve", "Service Centre")
    org["contacts"] = [_person("person:gent", "Gent Muka", "Drejtor")]
    one = location("loc:desk1", "Rruga Rinia 5")
    one["contacts"] = [_person("person:dritan", "Dritan Leka", "Recepsionist", "Recepsioni",
                               en={"title": "Receptionist", "department": "Reception"},
                               phone="054 400 300", extension=5, email="recepsioni@example.al"),
                       _person("person:arta", "Arta Hoxha", "Punonjëse sociale"),
                       _person("person:gent", "Gent Muka", "Drejtor")]
    two = location("loc:desk2", "Rruga Kavajës 9")
    two["contacts"] = [_person("person:dritan", "Dritan Leka", "Recepsionist", "Recepsioni"),
                       _person("person:elira", "Elira Baci", "Sportelliste", phone="054 400 400")]
    svc = service("svc:desk", "Ndihmë për strehim", "Housing help", org, ["cat:housing"], loc=one)
    svc["contacts"] = [_person("person:arta", "Arta Hoxha", "Punonjëse sociale", phone="069 222 3333")]
    svc["service_at_locations"][0]["contacts"] = [
        _person("person:besa", "Besa Kola", "Koordinatore", "Shërbimi social",
                en={"title": "Coordinator", "department": "Social services"},
                phone="054 400 200", extension=12)]
    svc["service_at_locations"].append({"id": uid("svc:desk:sal2"), "location": two})
    return svc


def _who(people) -> list[tuple]:
    return [(c.name, c.title, c.department, c.email, [(p.number, p.extension) for p in c.phones])
            for c in people]


def test_the_people_to_ask_at_each_place_reach_the_service_page(tmp_path):
    """A service_at_location's contacts are the service's people at that place, a location's the
    building's: each place of the service page lists them, the service's first, in the visitor's
    language, with their phones and extensions; nobody the page shows already is listed again."""
    cat = _catalogue_of(tmp_path, [desk_service()], "desk")
    try:
        with cat.session() as s:
            d = q.service_detail(s, uid("svc:desk"), "en")
            assert _who(d.contacts) == [("Arta Hoxha", "Punonjëse sociale", "", "", [("069 222 3333", "")])]
            first, second = d.locations
            assert _who(first.contacts) == [
                ("Besa Kola", "Coordinator", "Social services", "", [("054 400 200", "12")]),
                ("Dritan Leka", "Receptionist", "Reception", "recepsioni@example.al", [("054 400 300", "5")]),
                ("Gent Muka", "Drejtor", "", "", [])]      # Arta: already the service's person
            assert _who(second.contacts) == [("Elira Baci", "Sportelliste", "", "", [("054 400 400", "")])]
            # the people's phones are theirs, not the place's
            assert [p.number for p in first.phones] == []
            sq = q.service_detail(s, uid("svc:desk"), "sq")
            assert [(c.title, c.department) for c in sq.locations[0].contacts[:2]] == [
                ("Koordinatore", "Shërbimi social"), ("Recepsionist", "Recepsioni")]
    finally:
        cat.dispose()


def test_a_places_own_people_are_on_the_organization_page_once(tmp_path):
    """The organization page's places list the building's people (not a service's people there,
    who belong to that service's page), after its own "People to contact", each person once."""
    cat = _catalogue_of(tmp_path, [desk_service()], "desk-org")
    try:
        with cat.session() as s:
            page = q.organization_detail(s, uid("org:desk"), "sq")
            assert [c.name for c in page.card.contacts] == ["Gent Muka"]
            assert {loc.id: [c.name for c in loc.contacts] for loc in page.locations} == {
                uid("loc:desk1"): ["Dritan Leka", "Arta Hoxha"], uid("loc:desk2"): ["Elira Baci"]}
    finally:
        cat.dispose()


def test_a_places_people_are_rows_and_export_as_the_feed_gave_them(tmp_path):
    """The contacts of a location and of a service_at_location are rows, not their owner's raw
    extra any more, and the export gives them back as the feed wrote them (their own owner ids
    only where the feed wrote some, as a CSV package does)."""
    svc = desk_service()
    svc["service_at_locations"][0]["location"]["contacts"][0]["location_id"] = uid("loc:desk1")
    cat = _catalogue_of(tmp_path, [svc], "desk-export")
    try:
        with cat.session() as s:
            assert not any("contacts" in (x.extra or {}) for x in [*s.scalars(select(m.Location)),
                                                                     *s.scalars(select(m.ServiceAtLocation))])
            at = s.execute(select(m.Contact.name, m.Contact.location_id, m.Contact.service_at_location_id)
                           .where(m.Contact.organization_id.is_(None), m.Contact.service_id.is_(None))
                           .order_by(m.Contact.row)).all()
            assert sorted(map(repr, at)) == sorted(map(repr, [
                ("Dritan Leka", uid("loc:desk1"), None), ("Arta Hoxha", uid("loc:desk1"), None),
                ("Gent Muka", uid("loc:desk1"), None), ("Besa Kola", None, uid("svc:desk:sal")),
                ("Dritan Leka", uid("loc:desk2"), None), ("Elira Baci", uid("loc:desk2"), None)]))
            doc = export_document(s)
        [exported] = doc["services"]
        for sal, given in zip(exported["service_at_locations"], svc["service_at_locations"]):
            assert sal.get("contacts") == given.get("contacts")
            assert sal["location"]["contacts"] == given["location"]["contacts"]
        _assert_rebuilds_to_the_same_export(tmp_path, doc, "desk-again")
    finally:
        cat.dispose()


def test_the_people_of_many_places_cost_the_statements_of_one(tmp_path):
    """The places' people come with the page's other rows (selectinload): a service at eight
    places with people at each costs the SQL statements of one at one place."""
    def counted(svc, name):
        cat = _catalogue_of(tmp_path, [svc], name)
        statements = []
        try:
            with cat.session() as s:
                event.listen(s.get_bind(), "before_cursor_execute", lambda *a: statements.append(a[2]))
                d = q.service_detail(s, uid("svc:desk"), "en")
        finally:
            cat.dispose()
        return d, len(statements)

    one = desk_service()
    del one["service_at_locations"][1]
    many = desk_service()
    from factories import location
    for i in range(3, 9):
        loc = location(f"loc:desk{i}", f"Rruga {i}")
        loc["contacts"] = [_person(f"person:desk{i}", f"Punonjës {i}", phone=f"054 400 4{i:02d}")]
        many["service_at_locations"].append({"id": uid(f"svc:desk:sal{i}"), "location": loc, "contacts": [
            _person(f"person:sal{i}", f"Koordinator {i}", phone=f"054 400 5{i:02d}")]})
    d1, n1 = counted(one, "desk-one")
    d8, n8 = counted(many, "desk-many")
    assert len(d8.locations) == 8 and [len(loc.contacts) for loc in d8.locations[2:]] == [2] * 6
    assert n8 == n1


def test_the_official_examples_people_at_the_place_are_kept_and_shown_once(tmp_path):
    """The HSDS example service_full.json (tests/data/hsds-examples, copied unchanged) gives one
    contact, Ann Persona of the reception, to the organization, its location, the service, its
    service_at_location and the location: each owner keeps its row; the service page names her
    once, as the service's person. A directory that gives her to the place only (the example
    without the service's and its place's copies) has her shown at the place."""
    example = _official_example()
    sal = example["service_at_locations"][0]
    assert {c["id"] for c in sal["contacts"] + sal["location"]["contacts"]} == {example["contacts"][0]["id"]}
    cat = _catalogue_of(tmp_path, [example], "example-people")
    try:
        with cat.session() as s:
            owners = s.execute(select(m.Contact.location_id, m.Contact.service_at_location_id)
                               .where(m.Contact.organization_id.is_(None), m.Contact.service_id.is_(None))).all()
            assert sorted(map(repr, owners)) == sorted(map(repr, [(sal["location"]["id"], None), (None, sal["id"])]))
            d = q.service_detail(s, example["id"], "en")
            assert [c.name for c in d.contacts] == ["Ann Persona"] and d.locations[0].contacts == ()
    finally:
        cat.dispose()
    at_the_desk = json.loads(json.dumps(example))
    del at_the_desk["contacts"], at_the_desk["service_at_locations"][0]["contacts"]
    cat = _catalogue_of(tmp_path, [at_the_desk], "example-desk")
    try:
        with cat.session() as s:
            d = q.service_detail(s, example["id"], "en")
            assert d.contacts == ()
            [ann] = d.locations[0].contacts
            assert (ann.name, ann.title, ann.department, ann.email) == (
                "Ann Persona", "Reception Manager", "Reception", "email@example.com")
            assert [(p.number, p.extension) for p in ann.phones] == [('"+44 1234 234567"', "100")]
            # the contact's phone is hers; the place's own phone (the same number, ext 100) stays
            assert [p.number for p in d.locations[0].phones] == ['"+44 1234 234567"']
    finally:
        cat.dispose()

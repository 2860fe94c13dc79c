"""The alternative to the kiosk: the same catalogue as a static municipal web directory.

    python tests/bench/htmlpage.py DB.sqlite3 OUT_DIR [TERM_ID]

Writes ``index.html`` (the home page: the centre's name, a search box, one card per top-level
category with its icon, description and number of services; the biggest category's card links to
``category.html``), ``category.html`` (one category, by default the biggest: its sub-topics and
every one of its services with provider and today's opening status, each row a link to
``service/<n>.html``) and the service pages of its first ``SERVICE_PAGES`` rows (what the kiosk's
service screen shows as text: name, provider, status, description, eligibility, how to apply,
fees, documents, this week's hours, addresses, phones; no QR code), one shared ``style.css`` and
the category icons, all read from the catalogue database through ``kiosk.catalogue.queries`` (the
functions the kiosk's screens use). Plain HTML and CSS, no script: what a lobby directory in
Chromium's kiosk mode (FullPageOS, Porteus Kiosk) usually shows. Only the first rows' service pages
are written (the bench clicks the first row, as it taps the first row in the kiosk); the other rows'
links lead nowhere.
"""
from __future__ import annotations

import html
import shutil
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIXED_NOW = datetime(2026, 11, 25, 10, 30)
#: Service pages written (for the first rows of the category page).
SERVICE_PAGES = 3
WEEKDAYS = ("E hënë", "E martë", "E mërkurë", "E enjte", "E premte", "E shtunë", "E diel")

CSS = """
* { box-sizing: border-box; }
body { margin: 0; font-family: "DejaVu Sans", "Noto Sans", sans-serif; background: #f4f1ea;
       color: #1d2a33; font-size: 20px; }
header { background: #0f4c5c; color: #fff; padding: 18px 32px; display: flex;
         align-items: center; gap: 24px; }
header h1 { font-size: 30px; margin: 0; flex: 1; }
header nav a { color: #fff; font-size: 22px; margin-left: 18px; text-decoration: none;
               border: 2px solid #fff; border-radius: 14px; padding: 8px 18px; }
main { padding: 24px 32px; }
form.search { display: flex; gap: 12px; margin-bottom: 24px; }
form.search input { flex: 1; font-size: 26px; padding: 14px 20px; border: 3px solid #0f4c5c;
                    border-radius: 18px; }
form.search button, .toggle { font-size: 24px; padding: 12px 26px; border-radius: 18px;
                              border: 0; background: #0f4c5c; color: #fff; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(290px, 1fr)); gap: 18px; }
.card { display: flex; flex-direction: column; gap: 8px; background: #fff; border-radius: 20px;
        border: 2px solid #d8d2c4; padding: 20px; text-decoration: none; color: inherit; }
.card img { width: 64px; height: 64px; background: #0f4c5c; border-radius: 50%; padding: 10px; }
.card h2 { font-size: 24px; margin: 0; }
.card p { margin: 0; color: #5b6770; font-size: 18px; }
.card .count { font-weight: bold; color: #0f4c5c; }
.title { display: flex; align-items: center; gap: 18px; }
.title img { width: 88px; height: 88px; background: #0f4c5c; border-radius: 50%; padding: 16px; }
.subs a { display: inline-block; margin: 0 10px 10px 0; padding: 10px 18px; border-radius: 16px;
          border: 2px solid #0f4c5c; color: #0f4c5c; text-decoration: none; }
ul.rows { list-style: none; margin: 0; padding: 0; }
ul.rows li { background: #fff; border: 2px solid #d8d2c4; border-radius: 16px; margin: 0 0 10px;
             padding: 14px 20px; display: flex; align-items: center; gap: 16px; }
ul.rows li a { flex: 1; color: inherit; text-decoration: none; }
ul.rows li b { display: block; font-size: 22px; }
ul.rows li span.by { color: #5b6770; font-size: 18px; }
.chip { border-radius: 999px; padding: 6px 14px; font-size: 17px; white-space: nowrap; }
.chip.open { background: #dff3e4; color: #1b6b34; }
.chip.later { background: #fdf0d5; color: #7a4d00; }
.chip.closed { background: #ebe8e2; color: #4b4b4b; }
article.service { background: #fff; border: 2px solid #d8d2c4; border-radius: 20px; padding: 24px 32px; }
article.service h1 { font-size: 34px; margin: 0 0 6px; }
article.service .by { color: #5b6770; font-size: 22px; margin: 0 0 14px; }
article.service h2 { font-size: 24px; margin: 22px 0 8px; color: #0f4c5c; }
article.service p, article.service li { font-size: 20px; line-height: 1.45; }
table.week td { padding: 4px 18px 4px 0; font-size: 20px; }
table.week tr.today { font-weight: bold; }
"""


def _chip(status) -> tuple[str, str]:
    state = getattr(status, "state", "no_hours")
    if state == "open":
        return "open", f"Hapur tani, deri në {status.closes}" if status.closes else "Hapur tani"
    if state == "opens_later":
        return "later", f"Hapet në {status.opens}"
    if state == "closed_today":
        return "closed", "Mbyllur për sot"
    return "closed", "Pa orar"


def _page(title: str, body: str, up: str = "") -> str:
    return (f"<!doctype html>\n<html lang=\"sq\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title><link rel=\"stylesheet\" href=\"{up}style.css\"></head>"
            f"<body><header><h1>Qendra e Informacionit për Shërbimet Sociale – Bashkia Elbasan</h1>"
            f"<nav><a href=\"{up}index.html\">Kreu</a><a href=\"#\" lang=\"en\">English</a></nav></header>"
            f"<main>{body}</main></body></html>\n")


def _paras(heading: str, text: str) -> str:
    if not text:
        return ""
    paras = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"<h2>{heading}</h2>{paras}"


def _service_page(d, back: str) -> str:
    """The service page as text, the fields the kiosk's service screen shows."""
    kind, chip = _chip(d.status)
    parts = [f"<p><a href=\"../{back}\">&larr; Kthehu</a></p><article class=\"service\">",
             f"<h1>{html.escape(d.name)}</h1><p class=\"by\">{html.escape(d.organization.name)}</p>",
             f"<span class=\"chip {kind}\">{html.escape(chip)}</span>"]
    if d.alert:
        parts.append(f"<p><b>{html.escape(d.alert)}</b></p>")
    parts.append(_paras("Përshkrimi", d.description))
    parts.append(_paras("Kush përfiton", d.eligibility))
    parts.append(_paras("Si të aplikoni", d.application_process))
    parts.append(_paras("Tarifat", d.fees))
    if d.documents:
        parts.append("<h2>Dokumentet</h2><ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in d.documents)
                     + "</ul>")
    week = d.week or next((loc.week for loc in d.locations if loc.week), ())
    if week:
        rows = "".join(f"<tr class=\"{'today' if day.is_today else ''}\"><td>{WEEKDAYS[day.weekday]}</td>"
                       f"<td>{html.escape(', '.join(day.intervals) or 'Mbyllur')}</td></tr>" for day in week)
        parts.append(f"<h2>Orari i kësaj jave</h2><table class=\"week\">{rows}</table>")
    for loc in d.locations:
        lines = "".join(f"<p>{html.escape(x)}</p>" for x in (loc.name, *loc.address_lines) if x)
        phones = "".join(f"<p>Tel. {html.escape(p.number)}</p>" for p in loc.phones)
        parts.append(f"<h2>Ku ndodhet</h2>{lines}{phones}")
    phones = list(d.phones) or list(d.organization.phones)
    if phones:
        parts.append("<h2>Kontakt</h2>" + "".join(f"<p>Tel. {html.escape(p.number)}</p>" for p in phones))
    for label, value in (("Faqja", d.url or d.organization.website), ("Email", d.email or d.organization.email)):
        if value:
            parts.append(f"<p>{label}: {html.escape(value)}</p>")
    parts.append("</article>")
    return _page(d.name, "".join(parts), up="../")


def write_site(db: Path, out: Path, term_id: str | None = None) -> dict:
    from kiosk.catalogue import queries
    from kiosk.catalogue.store import Catalogue
    from kiosk.paths import ICONS_DIR

    out = Path(out)
    (out / "icons").mkdir(parents=True, exist_ok=True)
    (out / "style.css").write_text(CSS, encoding="utf-8")
    cat = Catalogue(Path(db))
    try:
        with cat.session() as s:
            tops = queries.top_categories(s, "sq", now=FIXED_NOW)
            term = term_id or max(tops, key=lambda c: c.service_count).id
            card = queries.category(s, term, "sq")
            subs = queries.subcategories(s, term, "sq", now=FIXED_NOW)
            rows = queries.rows_at(s, queries.category_listing(s, term, "sq"), FIXED_NOW)
            details = [queries.service_detail(s, r.id, "sq", now=FIXED_NOW) for r in rows[:SERVICE_PAGES]]
    finally:
        cat.dispose()

    def icon(name: str) -> str:
        candidates = [ICONS_DIR / f"{n}.png" for n in (name, "category") if n]
        src = next((p for p in candidates if p.is_file()), None)   # as kiosk.ui.theme.icon_path
        if src is None:
            return ""
        target = out / "icons" / Path(src).name
        if not target.exists():
            shutil.copyfile(src, target)
        return f"icons/{Path(src).name}"

    cards = []
    for c in tops:
        href = "category.html" if c.id == term else "#"
        cards.append(f"<a class=\"card\" href=\"{href}\"><img src=\"{icon(c.icon)}\" alt=\"\">"
                     f"<h2>{html.escape(c.name)}</h2><p>{html.escape(c.description)}</p>"
                     f"<p class=\"count\">{c.service_count} shërbime</p></a>")
    home = ("<form class=\"search\" action=\"#\"><input type=\"search\" name=\"q\" "
            "placeholder=\"Kërko një shërbim, p.sh. pension, çerdhe, avokat\">"
            "<button>Kërko</button></form>"
            "<p><button class=\"toggle\">Të hapura tani</button></p>"
            f"<div class=\"grid\">{''.join(cards)}</div>")
    (out / "index.html").write_text(_page("Shërbimet sociale", home), encoding="utf-8")

    (out / "service").mkdir(exist_ok=True)
    service_kb = []
    for n, d in enumerate(details):
        page = out / "service" / f"{n}.html"
        page.write_text(_service_page(d, "category.html"), encoding="utf-8")
        service_kb.append(round(page.stat().st_size / 1024, 1))
    items = []
    for n, r in enumerate(rows):
        kind, text = _chip(r.status)
        items.append(f"<li><a href=\"service/{n}.html\"><b>{html.escape(r.name)}</b>"
                     f"<span class=\"by\">{html.escape(r.provider)}</span></a>"
                     f"<span class=\"chip {kind}\">{html.escape(text)}</span></li>")
    sub_links = "".join(f"<a href=\"#\">{html.escape(sc.name)} ({sc.service_count})</a>" for sc in subs)
    body = (f"<div class=\"title\"><img src=\"{icon(card.icon)}\" alt=\"\">"
            f"<h1>{html.escape(card.name)}</h1></div><div class=\"subs\">{sub_links}</div>"
            f"<h2>{len(rows)} shërbime</h2><ul class=\"rows\">{''.join(items)}</ul>")
    (out / "category.html").write_text(_page(card.name, body), encoding="utf-8")
    return {"categories": len(tops), "rows": len(rows), "term_id": term,
            "index_kb": round((out / "index.html").stat().st_size / 1024, 1),
            "category_kb": round((out / "category.html").stat().st_size / 1024, 1),
            "service_kb": service_kb[0] if service_kb else None, "service_id": rows[0].id if rows else None}


if __name__ == "__main__":
    import json

    print(json.dumps(write_site(Path(sys.argv[1]), Path(sys.argv[2]),
                                sys.argv[3] if len(sys.argv) > 3 else None)))

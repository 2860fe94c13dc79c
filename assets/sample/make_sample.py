"""Generate the bundled sample catalogue (assets/sample/catalogue.json).

This script is the human-editable source of the sample: edit the tables below, then run, from
the repository root::

    .venv/bin/python assets/sample/make_sample.py

Texts are written as ``("Albanian", "English")`` pairs: Albanian goes into the plain HSDS field,
English into ``x_translations["en"]``. Ids are ``uuid5`` of a fixed namespace and a readable key
(``service:cerdhe-e-bashkise``), so running the script twice gives byte-identical output.

What is real: the Social Services Information Centre and its history, the Urban Research
Institute (IKU/URI) with its contact data, and the National Centre for Social Studies (QKSS) with
its mission, all from the documents in shared/seeds. Everything else (the other organizations,
addresses, phone numbers, e-mails, opening hours, fees) is invented and marked ``x_demo: true``.
"""
from __future__ import annotations

import json
import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sync.feed import document as feedmod  # noqa: E402

OUTPUT = HERE / "catalogue.json"
NAMESPACE = uuid.UUID("2591b8e2-c9dc-4ac8-a7ea-d1207657d21a")
GENERATED_AT = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)
EXPIRES_AT = datetime(2031, 11, 1, 8, 0, tzinfo=timezone.utc)
VERSION = 1

Text = tuple[str, str]  # (Albanian, English)


def uid(key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, key))


def bilingual(obj: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """Set fields on ``obj``; (sq, en) pairs put Albanian in the field and return English apart."""
    en: dict[str, str] = {}
    for name, value in fields.items():
        if value is None:
            continue
        if isinstance(value, tuple):
            obj[name], en[name] = value
        else:
            obj[name] = value
    return en


def finish(obj: dict[str, Any], en: dict[str, str]) -> dict[str, Any]:
    if en:
        obj[feedmod.TRANSLATIONS_KEY] = {"en": en}
    return obj


# --------------------------------------------------------------------------- categories
# key, parent key, icon, order, name, description. The key is also the term's `code`.
TERMS: list[tuple[str, str | None, str, int, Text, Text]] = [
    ("economic-assistance", None, "economic-assistance", 1,
     ("Ndihmë ekonomike", "Economic assistance"),
     ("Para dhe ndihmë për familjet me të ardhura të pakta.",
      "Money and support for families with a low income.")),
    ("disability", None, "disability", 2,
     ("Aftësi të kufizuara", "Disability"),
     ("Pagesa, vlerësim dhe shërbime për personat me aftësi të kufizuara.",
      "Payments, assessment and services for people with disabilities.")),
    ("children", None, "children", 3,
     ("Fëmijë dhe familje", "Children and family"),
     ("Çerdhe, kopshte, mbrojtje dhe ndihmë për prindërit.",
      "Nurseries, kindergartens, protection and help for parents.")),
    ("domestic-violence", None, "domestic-violence", 4,
     ("Dhuna në familje", "Domestic violence"),
     ("Ndihmë e shpejtë, strehim dhe këshillim për këdo që përjeton dhunë.",
      "Fast help, shelter and counselling for anyone who suffers violence.")),
    ("employment", None, "employment", 5,
     ("Punësim", "Employment"),
     ("Si të gjeni punë dhe ndihmë për punëkërkuesit.",
      "How to find work, and help for job seekers.")),
    ("housing", None, "housing", 6,
     ("Strehim", "Housing"),
     ("Banesa sociale, ndihmë për qiranë dhe strehim emergjent.",
      "Social housing, help with the rent and emergency shelter.")),
    ("legal-aid", None, "legal-aid", 7,
     ("Ndihmë ligjore", "Legal aid"),
     ("Këshilla falas për ligjin, dokumentet dhe gjykatën.",
      "Free advice about the law, documents and the court.")),
    ("elderly", None, "elderly", 8,
     ("Të moshuar", "Older people"),
     ("Kujdes, shoqëri dhe ndihmë për të moshuarit.",
      "Care, company and help for older people.")),
    ("youth", None, "youth", 9,
     ("Të rinj", "Young people"),
     ("Aktivitete, këshillim dhe mundësi për të rinjtë.",
      "Activities, advice and opportunities for young people.")),
    ("women", None, "women", 10,
     ("Gra", "Women"),
     ("Mbështetje dhe fuqizim për gratë dhe vajzat.",
      "Support and empowerment for women and girls.")),
    ("health", None, "health", 11,
     ("Shëndet", "Health"),
     ("Kontrolle falas, vaksina dhe shëndet mendor.",
      "Free check-ups, vaccines and mental health.")),
    ("information", None, "information", 12,
     ("Informacion dhe këshillim", "Information and advice"),
     ("Pyetni këtu nëse nuk e dini ku të shkoni.",
      "Ask here if you do not know where to go.")),
    # sub-categories (they use their parent's icon)
    ("food-aid", "economic-assistance", "economic-assistance", 1,
     ("Ndihmë ushqimore", "Food aid"),
     ("Drekë e ngrohtë dhe pako ushqimore.", "Hot meals and food parcels.")),
    ("nurseries", "children", "children", 1,
     ("Çerdhe e kopshte", "Nurseries and kindergartens"),
     ("Kujdes ditor për fëmijët e vegjël, deri në 6 vjeç.",
      "Day care for young children, up to 6 years old.")),
    ("child-protection", "children", "children", 2,
     ("Mbrojtja e fëmijëve", "Child protection"),
     ("Ndihmë kur një fëmijë është në rrezik.", "Help when a child is in danger.")),
    ("vocational-training", "employment", "employment", 1,
     ("Formim profesional", "Vocational training"),
     ("Kurse për të mësuar një zanat ose një aftësi të re.",
      "Courses to learn a trade or a new skill.")),
    ("emergency-shelter", "housing", "housing", 1,
     ("Strehim emergjent", "Emergency shelter"),
     ("Një vend i sigurt për të fjetur sonte.", "A safe place to sleep tonight.")),
]

TAXONOMY: dict[str, Any] = {
    "id": uid("taxonomy"),
    "name": "Kategoritë e shërbimeve sociale – Bashkia Elbasan",
    "description": "Kategoritë me të cilat Qendra e Informacionit rendit shërbimet.",
    feedmod.TRANSLATIONS_KEY: {"en": {
        "name": "Social service categories – Municipality of Elbasan",
        "description": "The categories the Information Centre uses to sort services."}},
}

PUBLISHER: dict[str, Any] = {
    "name": "Bashkia Elbasan – Qendra e Informacionit për Shërbimet Sociale",
    feedmod.TRANSLATIONS_KEY: {"en": {
        "name": "Municipality of Elbasan – Social Services Information Centre"}},
}

# --------------------------------------------------------------------------- organizations
# Real data (from shared/seeds) only where "demo" is False; every invented contact uses
# example.org and fictional phone numbers.


def _demo_contact(slug: str) -> dict[str, str]:
    return {"email": f"{slug}@example.org", "website": f"https://example.org/elbasan/{slug}"}


ORGS: dict[str, dict[str, Any]] = {
    "info-centre": dict(
        demo=True,  # the centre is real; its address, phone and e-mail are not in the documents
        name=("Qendra e Informacionit për Shërbimet Sociale – Bashkia Elbasan",
              "Social Services Information Centre – Municipality of Elbasan"),
        alternate_name=("Qendra e Informacionit", "Information Centre"),
        description=(
            "Qendra u ngrit nga dhjetori 2000 deri në nëntor 2001 nga Instituti i Kërkimeve "
            "Urbane (IKU), në një ndërtesë që dha Bashkia Elbasan. Projekti u mbështet nga SOROS – "
            "Shoqëria e Hapur për Shqipërinë dhe Mercy Corps (USAID). Pas këtij suksesi, bashkia "
            "e zgjeroi qendrën për të gjitha shërbimet e saj. Këtu ju tregojmë ku të shkoni dhe "
            "çfarë dokumentesh ju duhen.",
            "The centre was set up from December 2000 to November 2001 by the Urban Research "
            "Institute (URI), in a building given by the Municipality of Elbasan. The project was "
            "supported by SOROS – Open Society for Albania and Mercy Corps (USAID). After this "
            "success, the municipality extended the centre to all its services. Here we tell you "
            "where to go and which documents you need."),
        phones=[("+355 54 200 100", ("Sporteli i informacionit", "Information desk"))],
        **_demo_contact("qendra-e-informacionit")),
    "iku": dict(
        demo=False,  # every field below is in the project document (001_*.txt)
        name=("Instituti i Kërkimeve Urbane", "Urban Research Institute"),
        alternate_name=("IKU", "URI"),
        description=(
            "Që nga viti 1999 IKU punon në të gjithë Shqipërinë për zhvillimin e komunitetit, "
            "forcimin e qeverisjes vendore, mbrojtjen e mjedisit, decentralizimin dhe shërbimet "
            "publike. IKU ngriti Qendrën e Informacionit për Shërbimet Sociale në Elbasan "
            "(dhjetor 2000 – nëntor 2001).",
            "Since 1999 URI has worked all over Albania on community development, stronger local "
            "government, environmental protection, decentralisation and public services. URI set "
            "up the Social Services Information Centre in Elbasan (December 2000 – November 2001)."),
        email="uri@uri.org.al", website="https://www.uri.org.al", year_incorporated=1999,
        phones=[("+355 4 2256840", ("Zyra në Tiranë", "Office in Tirana"))],
        contacts=[("Zana Vokopola", ("Drejtoreshë Ekzekutive", "Executive Director"))]),
    "qkss": dict(
        demo=True,  # name, year and mission are real; the contact data below are invented
        name=("Qendra Kombëtare për Studime Sociale", "National Centre for Social Studies"),
        alternate_name=("QKSS", "NCSS"),
        description=(
            "Organizatë joqeveritare, jofitimprurëse dhe jopolitike, e themeluar në vitin 1998. "
            "Punon për varfërinë dhe pabarazinë, papunësinë, fuqizimin e grave dhe të rinjve, "
            "dhunën në familje dhe të drejtat e fëmijëve. Bashkëpunon me qeverinë qendrore dhe "
            "vendore për politika që u përshtaten nevojave të njerëzve.",
            "A non-governmental, non-profit and non-political organization founded in 1998. It "
            "works on poverty and inequality, unemployment, the empowerment of women and young "
            "people, domestic violence and children's rights. It works with central and local "
            "government on policies that fit people's needs."),
        year_incorporated=1998,
        phones=[("+355 54 200 190", ("Zyra", "Office"))],
        **_demo_contact("qkss")),
    "social-directorate": dict(
        demo=True,
        name=("Drejtoria e Shërbimeve Sociale – Bashkia Elbasan",
              "Social Services Directorate – Municipality of Elbasan"),
        description=(
            "Zyra e bashkisë për ndihmën ekonomike, personat me aftësi të kufizuara, të moshuarit "
            "dhe familjet në nevojë.",
            "The municipal office for economic assistance, people with disabilities, older "
            "people and families in need."),
        phones=[("+355 54 200 110", ("Sekretaria", "Reception"))],
        **_demo_contact("sherbimet-sociale")),
    "child-protection-unit": dict(
        demo=True,
        name=("Njësia për Mbrojtjen e Fëmijëve – Bashkia Elbasan",
              "Child Protection Unit – Municipality of Elbasan"),
        description=(
            "Punonjës socialë që ndihmojnë fëmijët në rrezik dhe familjet e tyre.",
            "Social workers who help children at risk and their families."),
        phones=[("+355 54 200 120", ("Zyra", "Office")),
                ("+355 69 000 1120", ("Për raste urgjente", "For urgent cases"))],
        **_demo_contact("mbrojtja-e-femijeve")),
    "nurseries-directorate": dict(
        demo=True,
        name=("Drejtoria e Çerdheve dhe Kopshteve – Bashkia Elbasan",
              "Nurseries and Kindergartens Directorate – Municipality of Elbasan"),
        description=(
            "Drejton çerdhet dhe kopshtet publike të qytetit dhe regjistron fëmijët.",
            "Runs the town's public nurseries and kindergartens and enrols the children."),
        phones=[("+355 54 200 130", ("Zyra e regjistrimeve", "Enrolment office"))],
        **_demo_contact("cerdhe-kopshte")),
    "housing-office": dict(
        demo=True,
        name=("Sektori i Strehimit Social – Bashkia Elbasan",
              "Social Housing Office – Municipality of Elbasan"),
        description=(
            "Ndihmon familjet pa shtëpi ose me shtëpi të papërshtatshme.",
            "Helps families without a home or with unsuitable housing."),
        phones=[("+355 54 200 140", ("Zyra", "Office"))],
        **_demo_contact("strehimi-social")),
    "employment-office": dict(
        demo=True,
        name=("Zyra e Punësimit Elbasan", "Elbasan Employment Office"),
        description=(
            "Zyrë shtetërore për punëkërkuesit dhe punëdhënësit. Regjistron të papunët, gjen "
            "oferta pune dhe ju drejton në kurse.",
            "A state office for job seekers and employers. It registers unemployed people, finds "
            "job offers and sends you to courses."),
        phones=[("+355 54 200 150", ("Sporteli", "Desk"))],
        **_demo_contact("zyra-e-punesimit")),
    "vocational-centre": dict(
        demo=True,
        name=("Qendra e Formimit Profesional Elbasan", "Elbasan Vocational Training Centre"),
        description=(
            "Kurse të shkurtra praktike për të mësuar një zanat.",
            "Short practical courses to learn a trade."),
        phones=[("+355 54 200 160", ("Sekretaria", "Reception"))],
        **_demo_contact("formimi-profesional")),
    "state-social-service": dict(
        demo=True,
        name=("Drejtoria Rajonale e Shërbimit Social Shtetëror Elbasan",
              "Regional Directorate of the State Social Service, Elbasan"),
        description=(
            "Zyrë shtetërore për pagesat e aftësisë së kufizuar dhe vlerësimin e tyre.",
            "A state office for disability payments and disability assessment."),
        phones=[("+355 54 200 170", ("Zyra", "Office"))],
        **_demo_contact("sherbimi-social-shteteror")),
    "health-centre": dict(
        demo=True,
        name=("Qendra Shëndetësore Nr. 1 Elbasan", "Health Centre No. 1 Elbasan"),
        description=(
            "Mjekët e familjes, infermierët, vaksinat dhe konsultorja e gruas dhe fëmijës.",
            "Family doctors, nurses, vaccines and the mother and child clinic."),
        phones=[("+355 54 200 180", ("Recepsioni", "Reception"))],
        **_demo_contact("qendra-shendetesore-1")),
    "mental-health": dict(
        demo=True,
        name=("Qendra e Shëndetit Mendor në Komunitet Elbasan",
              "Elbasan Community Mental Health Centre"),
        description=(
            "Psikologë dhe psikiatër që ndihmojnë njerëzit me ankth, depresion dhe probleme të "
            "tjera të shëndetit mendor.",
            "Psychologists and psychiatrists who help people with anxiety, depression and other "
            "mental health problems."),
        phones=[("+355 54 200 185", ("Recepsioni", "Reception"))],
        **_demo_contact("shendeti-mendor")),
    "legal-aid-office": dict(
        demo=True,
        name=("Zyra e Ndihmës Juridike Falas Elbasan", "Elbasan Free Legal Aid Office"),
        description=(
            "Juristë që japin këshilla ligjore falas për njerëzit me të ardhura të pakta.",
            "Lawyers who give free legal advice to people with a low income."),
        phones=[("+355 54 200 195", ("Sporteli", "Desk"))],
        **_demo_contact("ndihma-juridike")),
    # The national lines the centre would list on its urgent-help screen. The numbers are the
    # public national ones, but until the centre's staff confirm them they stay demo data.
    "state-police": dict(
        demo=True,
        name=("Policia e Shtetit", "State Police"),
        description=("Policia. Telefononi kur jeni në rrezik ose keni parë një krim.",
                     "The police. Call when you are in danger or have seen a crime."),
        phones=[("129", ("Numri i urgjencës", "Emergency number"))],
        **_demo_contact("policia")),
    "ambulance": dict(
        demo=True,
        name=("Shërbimi Kombëtar i Urgjencës Mjekësore", "National Emergency Medical Service"),
        description=("Ambulanca, kur dikush është i sëmurë rëndë ose i plagosur.",
                     "The ambulance, when someone is seriously ill or injured."),
        phones=[("127", ("Ambulanca", "Ambulance"))],
        **_demo_contact("ambulanca")),
    "women-line": dict(
        demo=True,
        name=("Linja Kombëtare e Këshillimit për Gratë dhe Vajzat",
              "National Counselling Line for Women and Girls"),
        description=("Këshillim falas dhe konfidencial, ditë e natë, për gratë dhe vajzat që "
                     "përjetojnë dhunë.",
                     "Free, confidential counselling, day and night, for women and girls who "
                     "suffer violence."),
        phones=[("116 117", ("Linja falas", "Free line"))],
        **_demo_contact("linja-116-117")),
    "child-line": dict(
        demo=True,
        name=("ALO 116 111 – Linja Kombëtare për Fëmijët", "ALO 116 111 – National Child Helpline"),
        description=("Fëmijët dhe të rinjtë mund të flasin me dikë për çdo shqetësim, falas.",
                     "Children and young people can talk to someone about any worry, for free."),
        phones=[("116 111", ("Linja falas", "Free line"))],
        **_demo_contact("alo-116-111")),
    "women-ngo": dict(
        demo=True,
        name=("Shoqata «Dritë për Gratë»", "«Light for Women» Association"),
        description=(
            "Organizatë joqeveritare që mbështet gratë dhe vajzat, sidomos ato që përjetojnë "
            "dhunë në familje.",
            "A non-governmental organization that supports women and girls, especially those who "
            "suffer domestic violence."),
        phones=[("+355 54 100 100", ("Linja 24 orë", "24-hour line")),
                ("+355 54 200 200", ("Zyra", "Office"))],
        **_demo_contact("drite-per-grate")),
    "night-shelter": dict(
        demo=True,
        name=("Strehëza «Dera e Hapur»", "«Open Door» Shelter"),
        description=(
            "Strehë nate, dush dhe rroba për njerëzit që nuk kanë ku të flenë.",
            "Night shelter, showers and clothes for people who have nowhere to sleep."),
        phones=[("+355 69 000 1210", ("Roja e natës", "Night staff"))],
        **_demo_contact("dera-e-hapur")),
    "day-centre": dict(
        demo=True,
        name=("Qendra Ditore «Ylberi»", "«Rainbow» Day Centre"),
        description=(
            "Qendër ditore për fëmijë dhe të rinj me aftësi të kufizuara dhe familjet e tyre.",
            "A day centre for children and young people with disabilities and their families."),
        phones=[("+355 54 200 220", ("Zyra", "Office"))],
        **_demo_contact("ylberi")),
    "elderly-association": dict(
        demo=True,
        name=("Shoqata «Vitet e Arta»", "«Golden Years» Association"),
        description=(
            "Shoqatë që kujdeset për të moshuarit e qytetit, në qendër dhe në shtëpi.",
            "An association that cares for the town's older people, at the centre and at home."),
        phones=[("+355 54 200 230", ("Qendra ditore", "Day centre"))],
        **_demo_contact("vitet-e-arta")),
    "youth-centre": dict(
        demo=True,
        name=("Qendra Rinore «Hapa të Rinj»", "«New Steps» Youth Centre"),
        description=(
            "Vend takimi për të rinjtë 15–29 vjeç: aktivitete, vullnetarizëm dhe këshillim.",
            "A meeting place for young people aged 15–29: activities, volunteering and advice."),
        phones=[("+355 54 200 240", ("Recepsioni", "Reception"))],
        **_demo_contact("hapa-te-rinj")),
    "roma-association": dict(
        demo=True,
        name=("Shoqata «Bashkë» për komunitetin rom dhe egjiptian",
              "«Together» Association for the Roma and Egyptian community"),
        description=(
            "Ndihmon familjet rome dhe egjiptiane me shkollën, dokumentet dhe shërbimet.",
            "Helps Roma and Egyptian families with school, documents and services."),
        phones=[("+355 69 000 1250", ("Ndërmjetësi i komunitetit", "Community mediator"))],
        **_demo_contact("bashke")),
    "community-kitchen": dict(
        demo=True,
        name=("Kuzhina e Komunitetit Elbasan", "Elbasan Community Kitchen"),
        description=(
            "Drekë e ngrohtë dhe pako ushqimore për njerëzit në nevojë.",
            "Hot lunches and food parcels for people in need."),
        phones=[("+355 54 200 260", ("Kuzhina", "Kitchen"))],
        **_demo_contact("kuzhina-e-komunitetit")),
}

# --------------------------------------------------------------------------- locations
# key: name, description, transportation, address_1, address_2, lat, lon, accessibility
# [(description, details)], city. All are invented except the IKU office address (real).
ACCESS_STEP_FREE = (("Hyrje pa shkallë, e përshtatshme për karrige me rrota.",
                     "Step-free entrance, suitable for wheelchairs."),
                    ("Tualeti i përshtatur është në katin përdhes.",
                     "The accessible toilet is on the ground floor."))

LOCATIONS: dict[str, dict[str, Any]] = {
    "info-centre": dict(
        name=("Qendra e Informacionit për Shërbimet Sociale", "Social Services Information Centre"),
        description=("Ndërtesa e qendrës, pranë Bashkisë. Sportelet janë në katin përdhes.",
                     "The centre's building, next to the Town Hall. The desks are on the ground "
                     "floor."),
        transportation=("Në qendër të qytetit, 5 minuta në këmbë nga Kalaja. Autobusët urbanë "
                        "1 dhe 3 ndalojnë përballë.",
                        "In the town centre, a 5-minute walk from the Castle. City buses 1 and 3 "
                        "stop opposite."),
        address_1="Bulevardi Qemal Stafa, nr. 12", lat=41.11214, lon=20.08231,
        accessibility=[ACCESS_STEP_FREE,
                       (("Ka karrige për pritje dhe ekran me shkronja të mëdha.",
                         "There are chairs to wait on and a screen with large letters."), None)]),
    "town-hall": dict(
        name=("Bashkia Elbasan – ndërtesa kryesore", "Elbasan Town Hall – main building"),
        description=("Ndërtesa kryesore e bashkisë. Pyetni te recepsioni në hyrje.",
                     "The main municipal building. Ask at the reception by the entrance."),
        transportation=("Në qendër, pranë Kalasë. Autobusët urbanë 1, 2 dhe 3.",
                        "In the centre, near the Castle. City buses 1, 2 and 3."),
        address_1="Sheshi Aqif Pasha, nr. 1", lat=41.11268, lon=20.08152,
        accessibility=[(("Pjerrësi për karrige me rrota në hyrjen anësore. Ka ashensor.",
                         "Wheelchair ramp at the side entrance. There is a lift."),
                        ("Zilja për ndihmë është në krah të derës.",
                         "The bell for help is beside the door."))]),
    "social-directorate": dict(
        name=("Zyrat e Drejtorisë së Shërbimeve Sociale", "Social Services Directorate offices"),
        description=("Zyrat janë në katin e parë. Merrni numër në hyrje.",
                     "The offices are on the first floor. Take a number at the entrance."),
        transportation=("Autobusi urban 2, stacioni «Kristoforidhi».",
                        "City bus 2, «Kristoforidhi» stop."),
        address_1="Rruga Kostandin Kristoforidhi, nr. 8", lat=41.11092, lon=20.08514,
        accessibility=[(("Ka ashensor për në katin e parë.", "There is a lift to the first floor."),
                        None)]),
    "branch-shirgjan": dict(
        name=("Zyra e shërbimeve sociale në Shirgjan", "Social services office in Shirgjan"),
        description=("Zyrë e vogël në ndërtesën e Njësisë Administrative Shirgjan.",
                     "A small office in the Shirgjan Administrative Unit building."),
        transportation=("Furgonët Elbasan – Shirgjan nisen nga stacioni i qytetit çdo 30 minuta.",
                        "Minibuses Elbasan – Shirgjan leave the town station every 30 minutes."),
        address_1="Njësia Administrative Shirgjan, Rruga Kryesore", lat=41.07312, lon=20.05874,
        accessibility=[ACCESS_STEP_FREE[:1] + (None,)]),
    "branch-bradashesh": dict(
        name=("Zyra e shërbimeve sociale në Bradashesh", "Social services office in Bradashesh"),
        description=("Zyrë e vogël në ndërtesën e Njësisë Administrative Bradashesh.",
                     "A small office in the Bradashesh Administrative Unit building."),
        transportation=("Autobusi Elbasan – Bradashesh, çdo 30 minuta.",
                        "Bus Elbasan – Bradashesh, every 30 minutes."),
        address_1="Njësia Administrative Bradashesh, pranë shkollës", lat=41.09871, lon=20.01952,
        accessibility=[(("Dy shkallë në hyrje. Punonjësi del t'ju takojë nëse i telefononi.",
                         "Two steps at the entrance. The worker comes out to meet you if you "
                         "phone."), None)]),
    "nursery-kala": dict(
        name=("Çerdhja dhe Kopshti nr. 3", "Nursery and Kindergarten No. 3"),
        description=("Çerdhe dhe kopsht me oborr, pranë Kalasë.",
                     "A nursery and kindergarten with a yard, near the Castle."),
        transportation=("5 minuta në këmbë nga Porta e Kalasë.",
                        "A 5-minute walk from the Castle Gate."),
        address_1="Lagjja Kala, Rruga e Kalasë, nr. 5", lat=41.11183, lon=20.08702,
        accessibility=[ACCESS_STEP_FREE]),
    "nursery-directorate": dict(
        name=("Drejtoria e Çerdheve dhe Kopshteve", "Nurseries and Kindergartens Directorate"),
        description=("Zyra e regjistrimeve është në katin përdhes.",
                     "The enrolment office is on the ground floor."),
        transportation=("Autobusi urban 3, stacioni «Xhuvani».", "City bus 3, «Xhuvani» stop."),
        address_1="Bulevardi Aleksandër Xhuvani, nr. 20", lat=41.11402, lon=20.07905,
        accessibility=[ACCESS_STEP_FREE[:1] + (None,)]),
    "employment-office": dict(
        name=("Zyra e Punësimit Elbasan", "Elbasan Employment Office"),
        description=("Merrni numër te makina në hyrje dhe prisni thirrjen.",
                     "Take a ticket from the machine at the entrance and wait to be called."),
        transportation=("Autobusi urban 2, stacioni «5 Maji».", "City bus 2, «5 Maji» stop."),
        address_1="Lagjja 5 Maji, Rruga Rinia, nr. 15", lat=41.10783, lon=20.07641,
        accessibility=[ACCESS_STEP_FREE]),
    "vocational-centre": dict(
        name=("Qendra e Formimit Profesional Elbasan", "Elbasan Vocational Training Centre"),
        description=("Klasat dhe punishtet janë në dy ndërtesat pas oborrit.",
                     "The classrooms and workshops are in the two buildings behind the yard."),
        transportation=("Autobusët e linjës Elbasan – Librazhd – Korçë ndalojnë 200 metra larg, "
                        "te stacioni «Shkolla Profesionale».",
                        "Buses on the Elbasan – Librazhd – Korçë line stop 200 metres away, at the "
                        "«Vocational School» stop."),
        address_1="Lagjja Luigj Gurakuqi, Rruga e Librazhdit, nr. 44", lat=41.11524, lon=20.09876,
        accessibility=[(("Punishtet janë në katin përdhes, pa shkallë.",
                         "The workshops are on the ground floor, with no steps."),
                        ("Klasat e kompjuterit janë në katin e dytë, pa ashensor.",
                         "The computer rooms are on the second floor, with no lift."))]),
    "state-social-service": dict(
        name=("Drejtoria Rajonale e Shërbimit Social Shtetëror",
              "Regional Directorate of the State Social Service"),
        description=("Sportelet për publikun janë në katin përdhes.",
                     "The public desks are on the ground floor."),
        transportation=("Autobusi urban 1, stacioni «Sotir Kolea».", "City bus 1, «Sotir Kolea» stop."),
        address_1="Rruga Sotir Kolea, nr. 3", lat=41.11352, lon=20.08421,
        accessibility=[ACCESS_STEP_FREE]),
    "health-centre": dict(
        name=("Qendra Shëndetësore Nr. 1", "Health Centre No. 1"),
        description=("Vaksinat dhe konsultorja janë në katin e parë, kontrolli falas në katin "
                     "përdhes.",
                     "Vaccines and the mother and child clinic are on the first floor, the free "
                     "check-up on the ground floor."),
        transportation=("Autobusi urban 1, stacioni «Qendra Shëndetësore».",
                        "City bus 1, «Health Centre» stop."),
        address_1="Lagjja Skënderbej, Rruga Qemal Stafa, nr. 40", lat=41.10961, lon=20.08053,
        accessibility=[(("Hyrje pa shkallë dhe ashensor.", "Step-free entrance and a lift."),
                        None)]),
    "mental-health": dict(
        name=("Qendra e Shëndetit Mendor në Komunitet", "Community Mental Health Centre"),
        description=("Ndërtesë njëkatëshe me kopsht, pranë spitalit.",
                     "A one-storey building with a garden, near the hospital."),
        transportation=("Autobusi urban 3, stacioni «Spitali».", "City bus 3, «Hospital» stop."),
        address_1="Rruga e Spitalit, nr. 2", lat=41.10624, lon=20.08913,
        accessibility=[ACCESS_STEP_FREE]),
    "legal-aid-office": dict(
        name=("Zyra e Ndihmës Juridike Falas", "Free Legal Aid Office"),
        description=("Pranë Gjykatës së Rrethit Gjyqësor Elbasan.",
                     "Next to the Elbasan District Court."),
        transportation=("Autobusi urban 2, stacioni «Gjykata».", "City bus 2, «Court» stop."),
        address_1="Bulevardi Qemal Stafa, nr. 88", lat=41.11507, lon=20.07603,
        accessibility=[ACCESS_STEP_FREE[:1] + (None,)]),
    "women-ngo": dict(
        name=("Zyra e Shoqatës «Dritë për Gratë»", "«Light for Women» Association office"),
        description=("Zyrë e qetë, me dhomë të veçantë për bisedë.",
                     "A quiet office, with a private room to talk."),
        transportation=("Autobusi urban 1, stacioni «Kongresi».", "City bus 1, «Kongresi» stop."),
        address_1="Lagjja Kongresi i Elbasanit, Rruga Thoma Kalefi, nr. 11",
        address_2="Kati i dytë", lat=41.11043, lon=20.08806,
        accessibility=[(("Zyra është në katin e dytë, pa ashensor.",
                         "The office is on the second floor, with no lift."),
                        ("Na telefononi dhe ju takojmë në katin përdhes.",
                         "Phone us and we will meet you on the ground floor."))]),
    "night-shelter": dict(
        name=("Strehëza «Dera e Hapur»", "«Open Door» Shelter"),
        description=("Shtëpi e madhe me dy dhoma gjumi: një për burra, një për gra.",
                     "A large house with two dormitories: one for men, one for women."),
        transportation=("Autobusi urban 2, stacioni i fundit «Brada».",
                        "City bus 2, last stop «Brada»."),
        address_1="Lagjja Brada, Rruga e Bradës, nr. 22", lat=41.10498, lon=20.07352,
        accessibility=[ACCESS_STEP_FREE]),
    "day-centre": dict(
        name=("Qendra Ditore «Ylberi»", "«Rainbow» Day Centre"),
        description=("Qendër me sallë fizioterapie, klasa dhe kopsht lojërash.",
                     "A centre with a physiotherapy room, classrooms and a play garden."),
        transportation=("Autobusi urban 3, stacioni «Gurakuqi». Ka vend parkimi për familjet.",
                        "City bus 3, «Gurakuqi» stop. There is parking for families."),
        address_1="Lagjja Luigj Gurakuqi, Rruga Dëshmorët, nr. 5", lat=41.11681, lon=20.08124,
        accessibility=[ACCESS_STEP_FREE,
                       (("Dyer të gjera dhe dysheme pa pragje.", "Wide doors and no thresholds."),
                        None)]),
    "elderly-centre": dict(
        name=("Qendra Ditore e të Moshuarve «Vitet e Arta»", "«Golden Years» Older People's Day Centre"),
        description=("Sallë e madhe me kafene, lojëra dhe gazeta, pranë parkut.",
                     "A large hall with a café, games and newspapers, next to the park."),
        transportation=("Autobusi urban 1, stacioni «Parku».", "City bus 1, «Park» stop."),
        address_1="Lagjja 28 Nëntori, Rruga e Parkut, nr. 3", lat=41.10872, lon=20.08463,
        accessibility=[ACCESS_STEP_FREE]),
    "youth-centre": dict(
        name=("Qendra Rinore «Hapa të Rinj»", "«New Steps» Youth Centre"),
        description=("Sallë aktivitetesh, bibliotekë dhe kompjutera për të rinjtë.",
                     "An activity hall, a library and computers for young people."),
        transportation=("Autobusi urban 2, stacioni «Rinia».", "City bus 2, «Rinia» stop."),
        address_1="Lagjja Skënderbej, Rruga Rinia, nr. 9", lat=41.11312, lon=20.07741,
        accessibility=[ACCESS_STEP_FREE[:1] + (None,)]),
    "roma-centre": dict(
        name=("Qendra Komunitare «Bashkë»", "«Together» Community Centre"),
        description=("Qendër komunitare me klasë për mësim pas shkolle.",
                     "A community centre with a classroom for after-school lessons."),
        transportation=("Autobusi urban 3, stacioni «Partizani».", "City bus 3, «Partizani» stop."),
        address_1="Lagjja Partizani, Rruga e Shkollës, nr. 6", lat=41.10217, lon=20.09488,
        accessibility=[ACCESS_STEP_FREE[:1] + (None,)]),
    "community-kitchen": dict(
        name=("Kuzhina e Komunitetit", "Community Kitchen"),
        description=("Mensë me 60 vende, pranë tregut.", "A canteen with 60 seats, next to the market."),
        transportation=("Pranë tregut të qytetit. Autobusët urbanë 1 dhe 2.",
                        "Next to the town market. City buses 1 and 2."),
        address_1="Rruga e Tregut, nr. 14", lat=41.10998, lon=20.08002,
        accessibility=[ACCESS_STEP_FREE]),
    "iku-office": dict(
        # The address is real (from the project document); the coordinates are approximate.
        name=("Zyra e Institutit të Kërkimeve Urbane, Tiranë", "Urban Research Institute office, Tirana"),
        description=("Zyra qendrore e IKU-t në Tiranë.", "URI's head office in Tirana."),
        transportation=("Në Tiranë. Nga Elbasani me autobusin Elbasan – Tiranë.",
                        "In Tirana. From Elbasan take the Elbasan – Tirana bus."),
        address_1="Rr. Asim Vokshi, Nd.14", address_2="Hyrja 11, Ap. 56", city="Tiranë",
        postal_code="1001", lat=41.3303, lon=19.8274,
        accessibility=[(("Apartament në pallat banimi. Pyetni në telefon për hyrjen.",
                         "A flat in a residential block. Ask on the phone about the entrance."),
                        None)]),
}

# --------------------------------------------------------------------------- shared texts
FREE: Text = ("Falas", "Free")

DOCS: dict[str, Text] = {
    "id-card": ("Kartë identiteti", "Identity card"),
    "id-card-if-any": ("Kartë identiteti, nëse e keni", "Identity card, if you have one"),
    "family-cert": ("Certifikatë familjare", "Family certificate"),
    "salary": ("Vërtetim page", "Salary statement"),
    "income": ("Vërtetim i të ardhurave të familjes", "Proof of the family's income"),
    "unemployed": ("Vërtetim nga Zyra e Punësimit se jeni i papunë",
                   "Certificate from the Employment Office that you are unemployed"),
    "property": ("Vërtetim nga Zyra e Pasurive të Paluajtshme",
                 "Certificate from the Real Estate Registry Office"),
    "birth": ("Certifikatë lindjeje e fëmijës", "Child's birth certificate"),
    "vaccination": ("Kartela e vaksinimit të fëmijës", "Child's vaccination card"),
    "medical": ("Dokumentet mjekësore (raporte, analiza, epikriza)",
                "Medical documents (reports, tests, discharge letters)"),
    "disability-decision": ("Vendimi i komisionit për aftësinë e kufizuar",
                            "Decision of the disability assessment board"),
    "referral": ("Fletë-dërgim nga mjeku i familjes", "Referral letter from the family doctor"),
    "bank": ("Numri i llogarisë bankare, nëse e keni", "Bank account number, if you have one"),
    "photo": ("Dy fotografi", "Two photographs"),
    "diploma": ("Dëftesë ose diplomë shkollore", "School certificate or diploma"),
    "work-book": ("Librezë pune, nëse e keni", "Employment record book, if you have one"),
    "electricity-bill": ("Fatura e fundit e energjisë elektrike", "The last electricity bill"),
    "rent-contract": ("Kontrata e qirasë", "Rental contract"),
    "economic-aid-proof": ("Vërtetim që merrni ndihmë ekonomike, nëse e merrni",
                           "Proof that you receive economic assistance, if you do"),
    "case-papers": ("Letrat që keni për çështjen tuaj", "Any papers you have about your case"),
    "student": ("Vërtetim studenti nga universiteti", "Student certificate from the university"),
    "residence": ("Vërtetim banimi nga njësia administrative",
                  "Proof of address from the administrative unit"),
    "pregnancy": ("Libreza e shtatzënisë, nëse e keni", "Pregnancy record book, if you have one"),
    "health-card": ("Karta e shëndetit, nëse e keni", "Health card, if you have one"),
    "incident-report": ("Procesverbal nga zjarrfikësit ose policia",
                        "Report from the fire brigade or the police"),
    "prescriptions": ("Recetat e ilaçeve që merrni", "Prescriptions for the medicines you take"),
    "parents-work": ("Vërtetim punësimi i prindërve, nëse punojnë",
                     "Parents' proof of employment, if they work"),
    "nothing-else": ("Asnjë dokument tjetër nuk nevojitet", "No other document is needed"),
}

LANGUAGES: dict[str, Text] = {
    "sq": ("Shqip", "Albanian"),
    "en": ("Anglisht", "English"),
    "it": ("Italisht", "Italian"),
    "rom": ("Romisht", "Romani"),
    "sqk": ("Gjuha e shenjave shqipe", "Albanian Sign Language"),
}

HOLIDAYS_ALERT: Text = ("Mbyllur më 28 dhe 29 nëntor (festat kombëtare).",
                        "Closed on 28 and 29 November (national holidays).")

# --------------------------------------------------------------------------- schedules
WEEKDAYS = "MO,TU,WE,TH,FR"
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"


def weekly(byday: str, opens: str, closes: str, *, notes: Text | None = None,
           description: Text | None = None, valid_from: str | None = None,
           valid_to: str | None = None) -> dict[str, Any]:
    return {"byday": byday, "opens_at": opens, "closes_at": closes, "notes": notes,
            "description": description, "valid_from": valid_from, "valid_to": valid_to}


OFFICE = [weekly(WEEKDAYS, "08:00", "16:00")]
LUNCH_BREAK = [weekly(WEEKDAYS, "08:00", "12:00",
                      notes=("Pushim dreke nga 12:00 deri në 13:00.",
                             "Lunch break from 12:00 to 13:00.")),
               weekly(WEEKDAYS, "13:00", "16:00")]
SATURDAY_MORNING = weekly("SA", "09:00", "13:00",
                          notes=("Të shtunën vetëm në mëngjes.", "Saturday mornings only."))
SUMMER_HOURS = [
    weekly(WEEKDAYS, "08:00", "16:00", valid_to="2027-06-30"),
    weekly(WEEKDAYS, "08:00", "13:00", valid_from="2027-07-01", valid_to="2027-08-31",
           description=("Orari i verës", "Summer hours"),
           notes=("Nga 1 korriku deri më 31 gusht mbyllemi në orën 13:00.",
                  "From 1 July to 31 August we close at 13:00.")),
    weekly(WEEKDAYS, "08:00", "16:00", valid_from="2027-09-01"),
]
ALL_DAY = [weekly(EVERY_DAY, "00:00", "24:00",
                  description=("Hapur 24 orë, çdo ditë, edhe në festa.",
                               "Open 24 hours a day, every day, including holidays."))]
OVERNIGHT = [weekly(EVERY_DAY, "19:00", "07:00",
                    notes=("Hyrja deri në orën 22:00. Në mëngjes dilni deri në 07:00.",
                           "Come in by 22:00. In the morning you leave by 07:00."))]

# --------------------------------------------------------------------------- services
# Each service: key, org, terms, texts, docs, langs, dates, phones and
# locations = [(location key, service_at_location description or None, schedules)].
# Service-level schedules go in "schedules". Every service here is demo (invented details).


def S(key: str, org: str, terms: list[str], *, name: Text, description: Text, eligibility: Text,
      process: Text, docs: list[str], assured: str, modified: str, phone: str,
      phone_desc: Text = ("Sporteli", "Desk"), fees: Text = FREE, langs: tuple[str, ...] = ("sq",),
      locations: list[tuple[str, Text | None, list[dict[str, Any]]]],
      schedules: list[dict[str, Any]] | None = None, status: str = "active",
      alert: Text | None = None, interpretation: Text | None = None,
      min_age: int | None = None, max_age: int | None = None, urgent: int | None = None,
      sensitive: bool = False, neutral: Text | None = None) -> dict[str, Any]:
    return dict(key=key, org=org, terms=terms, name=name, description=description, urgent=urgent,
                sensitive=sensitive, neutral=neutral,
                eligibility=eligibility, process=process, docs=docs, assured=assured,
                modified=modified, phone=phone, phone_desc=phone_desc, fees=fees, langs=langs,
                locations=locations, schedules=schedules or [], status=status, alert=alert,
                interpretation=interpretation, min_age=min_age, max_age=max_age)


SERVICES: list[dict[str, Any]] = [
    # ---- information and advice
    S("sporteli-i-informacionit", "info-centre", ["information"],
      name=("Sporteli i informacionit për shërbimet sociale", "Social services information desk"),
      description=("Pyetni për çdo shërbim social të bashkisë. Ju tregojmë ku të shkoni, çfarë "
                   "dokumentesh ju duhen dhe, nëse është e nevojshme, telefonojmë për ju.",
                   "Ask about any social service of the municipality. We tell you where to go, "
                   "which documents you need and, if needed, we make the phone call for you."),
      eligibility=("Të gjithë. Nuk ju duhet takim.", "Everyone. You do not need an appointment."),
      process=("Ejani në sportel gjatë orarit të punës.", "Come to the desk during opening hours."),
      docs=["id-card-if-any", "case-papers"], langs=("sq", "en", "it"),
      interpretation=("Flasim anglisht dhe italisht. Për gjuhën e shenjave na njoftoni një ditë "
                      "më parë.",
                      "We speak English and Italian. For sign language, tell us one day before."),
      alert=HOLIDAYS_ALERT, assured="2026-10-15", modified="2026-10-15T09:00:00Z",
      phone="+355 54 200 100",
      locations=[("info-centre", None, SUMMER_HOURS + [SATURDAY_MORNING])]),
    S("ndihme-per-kerkesat", "info-centre", ["information"],
      name=("Ndihmë për plotësimin e kërkesave", "Help filling in application forms"),
      description=("Një punonjës ju ndihmon të lexoni dhe të plotësoni formularët e bashkisë dhe "
                   "të shtetit. Mund të fotokopjojmë dokumentet tuaja falas.",
                   "A worker helps you read and fill in municipal and state forms. We can "
                   "photocopy your documents for free."),
      eligibility=("Kushdo që ka vështirësi me formularët, sidomos të moshuarit.",
                   "Anyone who finds forms difficult, especially older people."),
      process=("Ejani me dokumentet që keni. Nuk ju duhet takim.",
               "Come with the documents you have. No appointment needed."),
      docs=["id-card", "case-papers"], assured="2026-09-20", modified="2026-09-20T10:30:00Z",
      phone="+355 54 200 101",
      locations=[("info-centre", ("Sporteli nr. 2", "Desk no. 2"), LUNCH_BREAK)]),
    S("rrjeti-i-ojf-ve", "info-centre", ["information"],
      name=("Rrjeti i organizatave joqeveritare (OJF) të shërbimeve sociale",
            "Network of non-governmental organizations (NGOs) in social services"),
      description=("Qendra, me ndihmën e IKU-t, krijoi një rrjet me organizatat e qytetit që punojnë "
                   "në shërbimet sociale. Ne ju lidhim me organizatën që ju ndihmon.",
                   "With URI's help, the centre built a network of the town's organizations that "
                   "work in social services. We put you in touch with the one that can help you."),
      eligibility=("Banorët dhe organizatat e Elbasanit.", "Residents and organizations of Elbasan."),
      process=("Pyetni në sportel ose telefononi.", "Ask at the desk or phone us."),
      docs=["id-card-if-any", "nothing-else"], assured="2025-06-30", modified="2025-06-30T08:00:00Z",
      phone="+355 54 200 102",
      locations=[("info-centre", None, OFFICE)]),
    S("ndihme-per-pensionin-social", "info-centre", ["elderly", "information"],
      name=("Ndihmë për të aplikuar për pensionin social", "Help applying for the social pension"),
      description=("Pensioni social është për të moshuarit që nuk kanë pension. Ne ju shpjegojmë "
                   "kushtet dhe ju ndihmojmë me letrat.",
                   "The social pension is for older people who have no pension. We explain the "
                   "conditions and help you with the papers."),
      eligibility=("Persona mbi 70 vjeç, pa pension dhe me të ardhura të pakta.",
                   "People over 70, with no pension and a low income."),
      process=("Ejani me dokumentet. Ne plotësojmë kërkesën bashkë me ju.",
               "Come with your documents. We fill in the application together with you."),
      docs=["id-card", "family-cert", "income", "bank"], min_age=70,
      assured="2026-03-12", modified="2026-03-12T11:00:00Z", phone="+355 54 200 103",
      locations=[("info-centre", ("Sporteli nr. 3", "Desk no. 3"), OFFICE)]),
    S("asistence-per-qeverisjen-vendore", "iku", ["information"],
      name=("Asistencë teknike për qeverisjen vendore dhe komunitetin",
            "Technical assistance for local government and communities"),
      description=("IKU ndihmon bashkitë dhe organizatat me studime, trajnime dhe projekte për "
                   "shërbimet publike dhe zhvillimin e komunitetit.",
                   "URI helps municipalities and organizations with studies, training and "
                   "projects on public services and community development."),
      eligibility=("Bashkitë, organizatat joqeveritare dhe grupet e komunitetit.",
                   "Municipalities, non-governmental organizations and community groups."),
      process=("Shkruani një e-mail ose telefononi zyrën në Tiranë.",
               "Send an e-mail or phone the office in Tirana."),
      docs=["case-papers", "nothing-else"], assured="2025-04-02", modified="2025-04-02T09:00:00Z",
      phone="+355 4 2256840", phone_desc=("Zyra në Tiranë", "Office in Tirana"),
      locations=[("iku-office", None, OFFICE)]),
    S("trajnime-per-punonjesit-sociale", "qkss", ["information"],
      name=("Trajnime për punonjësit socialë dhe organizatat", "Training for social workers and NGOs"),
      description=("QKSS organizon trajnime dhe takime për punonjësit socialë, mësuesit dhe "
                   "organizatat, për varfërinë, papunësinë dhe të drejtat e fëmijëve.",
                   "NCSS runs training and meetings for social workers, teachers and NGOs on "
                   "poverty, unemployment and children's rights."),
      eligibility=("Punonjës të bashkisë, mësues dhe anëtarë të organizatave.",
                   "Municipal staff, teachers and members of organizations."),
      process=("Regjistrohuni në sportelin e Qendrës së Informacionit.",
               "Sign up at the Information Centre desk."),
      docs=["id-card", "diploma"], assured="2026-02-18", modified="2026-02-18T14:00:00Z",
      phone="+355 54 200 190", phone_desc=("Zyra", "Office"),
      locations=[("info-centre", ("Trajnimet bëhen në sallën e Qendrës së Informacionit.",
                                  "The training takes place in the Information Centre's hall."),
                  [weekly("TU,TH", "14:00", "17:00")])]),
    S("te-drejtat-e-femijeve", "qkss", ["child-protection"],
      name=("Takime për të drejtat e fëmijëve", "Meetings about children's rights"),
      description=("Takime të shkurtra për prindërit: çfarë të drejtash kanë fëmijët dhe ku të "
                   "kërkoni ndihmë.",
                   "Short meetings for parents: what rights children have and where to ask for "
                   "help."),
      eligibility=("Prindërit, gjyshërit dhe kujdestarët e fëmijëve.",
                   "Parents, grandparents and anyone caring for children."),
      process=("Ejani direkt. Takimet janë çdo të mërkurë pasdite.",
               "Just come. The meetings are every Wednesday afternoon."),
      docs=["id-card-if-any", "nothing-else"], assured="2026-05-06", modified="2026-05-06T10:00:00Z",
      phone="+355 54 200 191", phone_desc=("Zyra", "Office"),
      locations=[("info-centre", None, [weekly("WE", "15:00", "17:00")])]),
    # ---- economic assistance
    S("ndihme-ekonomike", "social-directorate", ["economic-assistance"],
      name=("Ndihmë ekonomike për familjet në nevojë", "Economic assistance for families in need"),
      description=("Një pagesë çdo muaj për familjet që nuk kanë të ardhura të mjaftueshme për të "
                   "jetuar.",
                   "A monthly payment for families that do not have enough income to live on."),
      eligibility=("Familjet pa të ardhura ose me të ardhura shumë të pakta, që banojnë në "
                   "Bashkinë Elbasan.",
                   "Families with no income or a very low income who live in the Municipality of "
                   "Elbasan."),
      process=("Plotësoni kërkesën në zyrë. Administratori shoqëror vjen për një vizitë në "
               "shtëpi. Përgjigjen e merrni brenda muajit.",
               "Fill in the application at the office. The social administrator visits your "
               "home. You get the answer within the month."),
      docs=["id-card", "family-cert", "unemployed", "property", "income"], langs=("sq", "rom"),
      alert=HOLIDAYS_ALERT, assured="2026-10-01", modified="2026-10-01T08:30:00Z",
      phone="+355 54 200 111",
      locations=[("social-directorate", ("Zyra 12, kati i parë", "Room 12, first floor"),
                  LUNCH_BREAK),
                 ("branch-shirgjan", ("Vetëm të martën dhe të enjten.",
                                      "Tuesdays and Thursdays only."),
                  [weekly("TU,TH", "09:00", "13:00")]),
                 ("branch-bradashesh", ("Vetëm të mërkurën.", "Wednesdays only."),
                  [weekly("WE", "09:00", "13:00")])]),
    S("kompensimi-i-energjise", "social-directorate", ["economic-assistance"],
      name=("Kompensimi i çmimit të energjisë elektrike", "Electricity price compensation"),
      description=("Bashkia ju kthen një pjesë të faturës së dritave çdo muaj.",
                   "The municipality pays back part of your electricity bill every month."),
      eligibility=("Familjet me ndihmë ekonomike, personat me aftësi të kufizuara dhe pensionistët "
                   "me pension të ulët.",
                   "Families on economic assistance, people with disabilities and pensioners with "
                   "a low pension."),
      process=("Sillni faturën dhe dokumentet në zyrë. Kompensimi vjen bashkë me pagesën tuaj.",
               "Bring the bill and documents to the office. The compensation comes with your "
               "payment."),
      docs=["id-card", "family-cert", "electricity-bill"], assured="2026-08-25",
      modified="2026-08-25T12:00:00Z", phone="+355 54 200 112",
      locations=[("social-directorate", ("Zyra 14, kati i parë", "Room 14, first floor"),
                  LUNCH_BREAK)]),
    S("ndihme-pas-fatkeqesise", "social-directorate", ["economic-assistance", "housing"],
      name=("Ndihmë e menjëhershme pas zjarrit ose përmbytjes",
            "Immediate help after a fire or a flood"),
      description=("Nëse shtëpia juaj dëmtohet nga zjarri, përmbytja ose tërmeti, bashkia jep "
                   "ndihmë të menjëhershme: ushqim, batanije, strehim të përkohshëm dhe një "
                   "pagesë të vetme.",
                   "If your home is damaged by fire, flood or earthquake, the municipality gives "
                   "immediate help: food, blankets, temporary shelter and a one-off payment."),
      eligibility=("Familjet e Elbasanit që kanë pësuar një fatkeqësi.",
                   "Elbasan families hit by a disaster."),
      process=("Telefononi menjëherë. Një punonjës vjen në vend brenda ditës.",
               "Phone at once. A worker comes to you the same day."),
      docs=["id-card", "family-cert", "incident-report"], assured="2026-01-22",
      modified="2026-01-22T09:15:00Z", phone="+355 54 200 113",
      locations=[("town-hall", ("Recepsioni i bashkisë", "Town Hall reception"), OFFICE)]),
    S("dreke-e-ngrohte", "community-kitchen", ["food-aid", "elderly"],
      name=("Drekë e ngrohtë çdo ditë", "A hot lunch every day"),
      description=("Një drekë e ngrohtë me supë, gjellë, bukë dhe fruta, nga e hëna në të shtunë.",
                   "A hot lunch with soup, a main dish, bread and fruit, Monday to Saturday."),
      eligibility=("Të moshuarit që jetojnë vetëm, personat pa strehë dhe familjet me ndihmë "
                   "ekonomike.",
                   "Older people living alone, homeless people and families on economic "
                   "assistance."),
      process=("Herën e parë merrni një fletë-dërgim në Qendrën e Informacionit. Pastaj ejani "
               "çdo ditë.",
               "The first time, get a referral at the Information Centre. Then come every day."),
      docs=["id-card-if-any", ("Fletë-dërgim nga Qendra e Informacionit",
                               "Referral from the Information Centre")],
      assured="2026-09-02", modified="2026-09-02T07:45:00Z", phone="+355 54 200 260",
      phone_desc=("Kuzhina", "Kitchen"),
      locations=[("community-kitchen", None,
                  [weekly("MO,TU,WE,TH,FR,SA", "12:00", "14:00")])]),
    S("pako-ushqimore", "community-kitchen", ["food-aid"],
      name=("Pako ushqimore për familjet", "Food parcels for families"),
      description=("Një pako me miell, vaj, oriz, makarona, fasule dhe sheqer, një herë në muaj.",
                   "A parcel with flour, oil, rice, pasta, beans and sugar, once a month."),
      eligibility=("Familjet me fëmijë që marrin ndihmë ekonomike ose që janë në listën e "
                   "bashkisë.",
                   "Families with children who receive economic assistance or are on the "
                   "municipality's list."),
      process=("Regjistrohuni një herë. Pakon e merrni të shtunën, me radhë.",
               "Register once. You collect the parcel on Saturday, in turn."),
      docs=["id-card", "family-cert", "economic-aid-proof"], assured="2025-07-19",
      modified="2025-07-19T10:00:00Z", phone="+355 54 200 261",
      locations=[("community-kitchen", ("Hyrja nga oborri", "Entrance from the yard"),
                  [weekly("SA", "09:00", "12:00",
                          notes=("Pakot jepen çdo të shtunë në mëngjes.",
                                 "Parcels are given out every Saturday morning."))])]),
    S("bursa-per-studentet", "social-directorate", ["youth", "economic-assistance"],
      name=("Bursë për studentët nga familjet në nevojë", "Grants for students from families in need"),
      description=("Bashkia jep një bursë mujore për studentët që vijnë nga familje me të ardhura "
                   "të pakta.",
                   "The municipality gives a monthly grant to students from low-income families."),
      eligibility=("Studentë deri në 25 vjeç, nga familje me ndihmë ekonomike ose jetimë.",
                   "Students up to 25 years old, from families on economic assistance, or "
                   "orphans."),
      process=("Aplikoni në shtator dhe tetor. Lista e fituesve shpallet në nëntor.",
               "Apply in September and October. The list of winners is published in November."),
      docs=["id-card", "student", "family-cert", "income"], max_age=25,
      assured="2026-09-01", modified="2026-09-01T09:00:00Z", phone="+355 54 200 114",
      locations=[("social-directorate", ("Zyra 12, kati i parë", "Room 12, first floor"),
                  OFFICE)]),
    S("bonusi-per-lindjen", "social-directorate", ["children", "economic-assistance"],
      name=("Ndihmë për lindjen e fëmijës", "Help when a baby is born"),
      description=("Një pagesë e vetme nga bashkia për çdo fëmijë të porsalindur.",
                   "A one-off payment from the municipality for every newborn child."),
      eligibility=("Prindërit që banojnë në Elbasan. Aplikoni brenda 6 muajve nga lindja.",
                   "Parents who live in Elbasan. Apply within 6 months of the birth."),
      process=("Sillni dokumentet në zyrë. Pagesa vjen në llogarinë bankare brenda një muaji.",
               "Bring the documents to the office. The money reaches your bank account within a "
               "month."),
      docs=["id-card", "birth", "family-cert", "bank"], assured="2026-06-10",
      modified="2026-06-10T13:20:00Z", phone="+355 54 200 115",
      locations=[("social-directorate", None, OFFICE)]),
    S("tekste-shkollore-falas", "social-directorate", ["children"],
      name=("Tekste shkollore falas", "Free school books"),
      description=("Librat e shkollës falas për fëmijët e familjeve në nevojë.",
                   "Free school books for children from families in need."),
      eligibility=("Nxënësit e shkollave publike nga familje me ndihmë ekonomike, me aftësi të "
                   "kufizuara ose jetimë.",
                   "Public school pupils from families on economic assistance, pupils with "
                   "disabilities, or orphans."),
      process=("Prindi aplikon në shkollë ose në zyrë në gusht dhe shtator.",
               "A parent applies at the school or at the office in August and September."),
      docs=["id-card", "birth", "economic-aid-proof"], assured="2025-08-28",
      modified="2025-08-28T08:00:00Z", phone="+355 54 200 116",
      locations=[("social-directorate", None, OFFICE)]),
    # ---- disability
    S("pagesa-per-aftesine-e-kufizuar", "state-social-service", ["disability", "economic-assistance"],
      name=("Pagesa për personat me aftësi të kufizuara", "Disability payment"),
      description=("Një pagesë mujore për personat me aftësi të kufizuara, pas vlerësimit nga "
                   "komisioni.",
                   "A monthly payment for people with disabilities, after the assessment board's "
                   "decision."),
      eligibility=("Persona me aftësi të kufizuara të vërtetuar nga komisioni.",
                   "People whose disability has been confirmed by the assessment board."),
      process=("Sillni vendimin e komisionit dhe dokumentet. Pagesa fillon muajin pasardhës.",
               "Bring the board's decision and your documents. Payments start the next month."),
      docs=["id-card", "disability-decision", "family-cert", "bank"], langs=("sq", "sqk"),
      interpretation=("Përkthyes i gjuhës së shenjave të enjten në mëngjes.",
                      "A sign language interpreter on Thursday mornings."),
      alert=HOLIDAYS_ALERT, assured="2026-07-14", modified="2026-07-14T10:40:00Z",
      phone="+355 54 200 171",
      locations=[("state-social-service", ("Sporteli nr. 1", "Desk no. 1"), LUNCH_BREAK)]),
    S("vleresimi-i-aftesise-se-kufizuar", "state-social-service", ["disability"],
      name=("Vlerësimi i aftësisë së kufizuar", "Disability assessment"),
      description=("Një komision mjekësh dhe punonjësish socialë vlerëson aftësinë e kufizuar dhe "
                   "ndihmën që ju duhet.",
                   "A board of doctors and social workers assesses the disability and the help "
                   "you need."),
      eligibility=("Kushdo me një sëmundje ose dëmtim të gjatë, me fletë-dërgim nga mjeku.",
                   "Anyone with a long-term illness or impairment, with a referral from the "
                   "doctor."),
      process=("Merrni fletë-dërgimin te mjeku i familjes. Dorëzoni dokumentet në sportel. Ju "
               "thërrasin me telefon për datën e komisionit.",
               "Get a referral from your family doctor. Hand in the documents at the desk. "
               "They phone you with the date of the assessment."),
      docs=["id-card", "referral", "medical", "photo"], langs=("sq", "sqk"),
      assured="2025-09-10", modified="2025-09-10T11:30:00Z", phone="+355 54 200 172",
      locations=[("state-social-service", ("Sporteli nr. 2", "Desk no. 2"), OFFICE)]),
    S("qendra-ditore-per-femije-me-ak", "day-centre", ["disability", "children"],
      name=("Qendër ditore për fëmijë dhe të rinj me aftësi të kufizuara",
            "Day centre for children and young people with disabilities"),
      description=("Lojëra, mësim, terapi e të folurit dhe drekë. Prindërit marrin këshilla dhe "
                   "mbështetje.",
                   "Games, lessons, speech therapy and lunch. Parents get advice and support."),
      eligibility=("Fëmijë dhe të rinj nga 3 deri në 25 vjeç me aftësi të kufizuara.",
                   "Children and young people aged 3 to 25 with disabilities."),
      process=("Telefononi për një takim të parë me psikologen e qendrës.",
               "Phone for a first meeting with the centre's psychologist."),
      docs=["id-card", "birth", "disability-decision", "medical"], langs=("sq", "sqk"),
      min_age=3, max_age=25, assured="2026-04-28", modified="2026-04-28T15:00:00Z",
      phone="+355 54 200 221",
      locations=[("day-centre", None, [weekly(WEEKDAYS, "08:00", "15:00")])]),
    S("fizioterapi-falas", "day-centre", ["disability", "health"],
      name=("Fizioterapi falas", "Free physiotherapy"),
      description=("Seanca fizioterapie me fizioterapist, për fëmijë dhe të rritur.",
                   "Physiotherapy sessions with a physiotherapist, for children and adults."),
      eligibility=("Personat me aftësi të kufizuara, me rekomandim nga mjeku.",
                   "People with disabilities, on a doctor's recommendation."),
      process=("Telefononi për të lënë orarin. Sillni rekomandimin e mjekut.",
               "Phone to book a time. Bring the doctor's recommendation."),
      docs=["id-card", "referral", "medical"], assured="2026-05-19",
      modified="2026-05-19T09:10:00Z", phone="+355 54 200 222",
      locations=[("day-centre", ("Salla e fizioterapisë, kati përdhes",
                                 "Physiotherapy room, ground floor"),
                  [weekly("TU,TH", "09:00", "13:00"), SATURDAY_MORNING])]),
    S("transport-i-pershtatur", "social-directorate", ["disability"],
      name=("Transport i përshtatur për karrige me rrota", "Wheelchair-accessible transport"),
      description=("Një furgon me platformë ju çon te mjeku, në spital ose në zyrat publike "
                   "brenda qytetit.",
                   "A van with a lift takes you to the doctor, the hospital or public offices in "
                   "town."),
      eligibility=("Persona në karrige me rrota ose që nuk mund të ecin vetë.",
                   "People in wheelchairs or who cannot walk on their own."),
      process=("Rezervoni me telefon të paktën një ditë më parë.",
               "Book by phone at least one day before."),
      docs=["id-card", "disability-decision"], status="temporarily closed",
      alert=("Shërbimi është pezulluar përkohësisht deri më 15 dhjetor 2026, sepse furgoni është "
             "në riparim. Për raste urgjente telefononi Drejtorinë e Shërbimeve Sociale.",
             "The service is suspended until 15 December 2026 because the van is being "
             "repaired. In urgent cases, phone the Social Services Directorate."),
      assured="2026-10-20", modified="2026-10-20T16:00:00Z", phone="+355 54 200 117",
      locations=[("town-hall", ("Nisja nga oborri i bashkisë", "Departs from the Town Hall yard"),
                  OFFICE)]),
    S("perkthim-ne-gjuhen-e-shenjave", "day-centre", ["disability", "information"],
      name=("Përkthyes i gjuhës së shenjave", "Sign language interpreter"),
      description=("Një përkthyes i gjuhës së shenjave vjen me ju te mjeku, në bashki ose në "
                   "gjykatë.",
                   "A sign language interpreter comes with you to the doctor, the town hall or "
                   "the court."),
      eligibility=("Personat që nuk dëgjojnë ose dëgjojnë pak.",
                   "People who are deaf or hard of hearing."),
      process=("Rezervoni dy ditë më parë me SMS, me telefon ose në qendër.",
               "Book two days before by text message, phone, or at the centre."),
      docs=["id-card", "disability-decision"], langs=("sq", "sqk"),
      interpretation=("Gjuha e shenjave shqipe.", "Albanian Sign Language."),
      assured="2026-02-03", modified="2026-02-03T10:00:00Z", phone="+355 69 000 1220",
      phone_desc=("Vetëm SMS ose video-thirrje", "Text message or video call only"),
      locations=[("day-centre", None, OFFICE)]),
    S("pajisje-ndihmese", "day-centre", ["disability", "elderly"],
      name=("Huazim i pajisjeve ndihmëse", "Loan of mobility aids"),
      description=("Huazojmë karrige me rrota, paterica, shkopinj dhe shtretër të posaçëm, për sa "
                   "kohë ju duhen.",
                   "We lend wheelchairs, crutches, walking sticks and special beds for as long "
                   "as you need them."),
      eligibility=("Kushdo që ka nevojë, sidomos pas një operacioni ose aksidenti.",
                   "Anyone who needs them, especially after an operation or an accident."),
      process=("Ejani me rekomandimin e mjekut. Pajisjen e ktheni kur nuk ju duhet më.",
               "Come with the doctor's recommendation. Return the item when you no longer need "
               "it."),
      docs=["id-card", "referral"], assured="2025-05-15", modified="2025-05-15T08:30:00Z",
      phone="+355 54 200 223",
      locations=[("day-centre", ("Magazina, hyrja anësore", "Storeroom, side entrance"),
                  [weekly("MO,WE,FR", "09:00", "12:00")])]),
    # ---- children and family
    S("cerdhe-e-bashkise", "nurseries-directorate", ["nurseries"],
      name=("Çerdhet e Bashkisë Elbasan", "Municipal nurseries of Elbasan"),
      description=("Kujdes ditor për fëmijët nga 9 muajsh deri në 3 vjeç, me edukatore, gjumë dhe "
                   "ushqim të gatuar në çerdhe.",
                   "Day care for children from 9 months to 3 years old, with carers, naps and "
                   "meals cooked on site."),
      eligibility=("Fëmijët që banojnë në Bashkinë Elbasan. Përparësi kanë prindërit që punojnë, "
                   "familjet me ndihmë ekonomike dhe fëmijët pa prindër.",
                   "Children living in the Municipality of Elbasan. Working parents, families on "
                   "economic assistance and children without parents come first."),
      process=("Regjistrimet bëhen në qershor. Sillni dokumentet në çerdhe ose në Drejtori.",
               "Enrolment is in June. Bring the documents to the nursery or the Directorate."),
      fees=("Tarifë mujore për ushqimin, sipas vendimit të Këshillit Bashkiak. Falas për "
            "familjet me ndihmë ekonomike.",
            "A monthly fee for meals, set by the Municipal Council. Free for families on economic "
            "assistance."),
      docs=["birth", "vaccination", "id-card", "parents-work"], assured="2026-06-01",
      modified="2026-06-01T07:30:00Z", phone="+355 54 200 131",
      locations=[("nursery-kala", None, [weekly(WEEKDAYS, "07:00", "17:00")])]),
    S("regjistrimi-ne-kopsht", "nurseries-directorate", ["nurseries"],
      name=("Regjistrimi në kopshtet publike", "Enrolment in public kindergartens"),
      description=("Kopshtet publike janë për fëmijët nga 3 deri në 6 vjeç. Regjistrimin e bëni "
                   "në Drejtori.",
                   "Public kindergartens are for children aged 3 to 6. You enrol at the "
                   "Directorate."),
      eligibility=("Fëmijët nga 3 deri në 6 vjeç që banojnë në Elbasan.",
                   "Children aged 3 to 6 who live in Elbasan."),
      process=("Ejani në zyrën e regjistrimeve me dokumentet. Ju tregojmë kopshtin më afër "
               "shtëpisë.",
               "Come to the enrolment office with the documents. We tell you the nearest "
               "kindergarten."),
      fees=("Tarifë e vogël mujore për ushqimin. Falas për familjet me ndihmë ekonomike.",
            "A small monthly fee for meals. Free for families on economic assistance."),
      docs=["birth", "vaccination", "id-card", "residence"], min_age=3, max_age=6,
      alert=("Regjistrimet për vitin shkollor 2027–2028 fillojnë më 1 qershor 2027.",
             "Enrolment for the 2027–2028 school year starts on 1 June 2027."),
      assured="2026-09-15", modified="2026-09-15T08:00:00Z", phone="+355 54 200 130",
      phone_desc=("Zyra e regjistrimeve", "Enrolment office"),
      locations=[("nursery-directorate", None, LUNCH_BREAK)]),
    S("punonjesi-per-mbrojtjen-e-femijeve", "child-protection-unit", ["child-protection"],
      name=("Punonjësi për mbrojtjen e fëmijëve", "Child protection worker"),
      description=("Nëse një fëmijë rrihet, braktiset, punon në rrugë ose është në rrezik, "
                   "punonjësi për mbrojtjen e fëmijëve ndërhyn dhe ndihmon familjen.",
                   "If a child is beaten, abandoned, working on the street or in danger, the "
                   "child protection worker steps in and helps the family."),
      eligibility=("Çdo fëmijë deri në 18 vjeç. Kushdo mund ta njoftojë një rast.",
                   "Every child up to 18. Anyone can report a case."),
      process=("Telefononi ose ejani në zyrë. Emri juaj mbetet i fshehtë.",
               "Phone or come to the office. Your name is kept secret."),
      docs=["id-card-if-any", "case-papers"], max_age=18, assured="2026-10-05",
      modified="2026-10-05T09:00:00Z", phone="+355 69 000 1120",
      phone_desc=("Për raste urgjente", "For urgent cases"),
      locations=[("town-hall", ("Kati i dytë, zyra 21", "Second floor, room 21"), OFFICE)]),
    S("familjet-kujdestare", "child-protection-unit", ["child-protection"],
      name=("Familjet kujdestare", "Foster families"),
      description=("Disa fëmijë nuk mund të jetojnë me prindërit e tyre për një kohë. Një familje "
                   "kujdestare i rrit ata me dashuri. Bashkia i trajnon dhe i ndihmon këto familje.",
                   "Some children cannot live with their parents for a while. A foster family "
                   "raises them with love. The municipality trains and supports these families."),
      eligibility=("Familje në Elbasan që duan të bëhen kujdestare.",
                   "Families in Elbasan who want to become foster carers."),
      process=("Telefononi për një bisedë të parë. Pastaj vijnë trajnimi dhe vlerësimi.",
               "Phone for a first talk. Then come the training and the assessment."),
      docs=["id-card", "family-cert", "salary", "medical"], assured="2025-03-14",
      modified="2025-03-14T10:00:00Z", phone="+355 54 200 121",
      locations=[("town-hall", ("Kati i dytë, zyra 21", "Second floor, room 21"), OFFICE)]),
    S("shkolla-e-prinderve", "child-protection-unit", ["children"],
      name=("Shkolla e prindërve", "Parenting class"),
      description=("Takime në grup për prindërit: si të flisni me fëmijët, si t'i vini kufij pa "
                   "dhunë dhe si të kujdeseni për veten.",
                   "Group meetings for parents: how to talk with your children, set limits "
                   "without violence and look after yourself."),
      eligibility=("Prindërit dhe gjyshërit e fëmijëve deri në 14 vjeç.",
                   "Parents and grandparents of children up to 14."),
      process=("Regjistrohuni me telefon. Grupet fillojnë çdo dy muaj.",
               "Sign up by phone. New groups start every two months."),
      docs=["id-card", "nothing-else"], assured="2026-04-09", modified="2026-04-09T12:00:00Z",
      phone="+355 54 200 122",
      locations=[("info-centre", ("Salla e takimeve, kati përdhes", "Meeting room, ground floor"),
                  [weekly("TU", "17:00", "19:00"), SATURDAY_MORNING])]),
    S("mesim-pas-shkolle", "roma-association", ["children", "youth"],
      name=("Mësim pas shkolle për fëmijët", "After-school homework club"),
      description=("Ndihmë me detyrat e shkollës, lexim dhe lojëra, me një meze të vogël.",
                   "Help with homework, reading and games, with a small snack."),
      eligibility=("Fëmijët 6 deri në 15 vjeç, sidomos nga komuniteti rom dhe egjiptian.",
                   "Children aged 6 to 15, especially from the Roma and Egyptian community."),
      process=("Prindi vjen një herë për regjistrim. Pastaj fëmija vjen çdo ditë pas shkolle.",
               "A parent comes once to register. Then the child comes every day after school."),
      docs=["birth", ("Dëftesa e shkollës", "School report")], langs=("sq", "rom"),
      min_age=6, max_age=15, assured="2026-03-30", modified="2026-03-30T14:00:00Z",
      phone="+355 69 000 1250", phone_desc=("Ndërmjetësi i komunitetit", "Community mediator"),
      locations=[("roma-centre", None, [weekly(WEEKDAYS, "14:00", "18:00")])]),
    S("vaksinimi-i-femijeve", "health-centre", ["health", "children"],
      name=("Vaksinimi i fëmijëve", "Childhood vaccinations"),
      description=("Vaksinat e detyrueshme për fëmijët, falas, sipas kalendarit kombëtar.",
                   "The required vaccines for children, free of charge, following the national "
                   "calendar."),
      eligibility=("Të gjithë fëmijët, nga lindja deri në 14 vjeç.",
                   "All children, from birth to 14 years old."),
      process=("Ejani me kartelën e vaksinimit. Infermierja ju thotë datën e vaksinës tjetër.",
               "Come with the vaccination card. The nurse tells you the date of the next "
               "vaccine."),
      docs=["vaccination", "birth"], langs=("sq", "rom"), max_age=14,
      assured="2026-08-11", modified="2026-08-11T08:00:00Z", phone="+355 54 200 181",
      locations=[("health-centre", ("Kabineti i vaksinave, kati i parë",
                                    "Vaccination room, first floor"),
                  [weekly(WEEKDAYS, "08:00", "14:00")])]),
    # ---- urgent lines (x_urgent: their order on the urgent-help screen). Police, ambulance and
    # the other general emergency lines are in no sensitive category: their saved contact and
    # page keep their own names ("Policia – 129", not "Këshillim").
    S("policia-129", "state-police", ["information"], urgent=1,
      name=("Policia – 129", "Police – 129"),
      description=("Kur jeni në rrezik tani, telefononi 129. Thirrja është falas nga çdo telefon.",
                   "When you are in danger now, call 129. The call is free from any phone."),
      eligibility=("Të gjithë.", "Everyone."),
      process=("Telefononi 129 dhe thoni ku ndodheni.", "Call 129 and say where you are."),
      docs=[], assured="2026-11-01", modified="2026-11-01T08:00:00Z",
      phone="129", phone_desc=("Numri i urgjencës", "Emergency number"), schedules=ALL_DAY,
      locations=[]),
    S("ambulanca-127", "ambulance", ["health"], urgent=2,
      name=("Ambulanca – 127", "Ambulance – 127"),
      description=("Kur dikush është i sëmurë rëndë ose i plagosur, telefononi 127.",
                   "When someone is seriously ill or injured, call 127."),
      eligibility=("Të gjithë.", "Everyone."),
      process=("Telefononi 127, thoni ku ndodheni dhe çfarë ka ndodhur.",
               "Call 127, say where you are and what happened."),
      docs=[], assured="2026-11-01", modified="2026-11-01T08:00:00Z",
      phone="127", phone_desc=("Ambulanca", "Ambulance"), schedules=ALL_DAY, locations=[]),
    S("linja-116-117", "women-line", ["domestic-violence", "women"], urgent=3,
      name=("Linja e këshillimit për gratë dhe vajzat – 116 117",
            "Counselling line for women and girls – 116 117"),
      description=("Një këshilltare ju dëgjon, ditë e natë, falas. Nuk keni nevojë të thoni emrin.",
                   "A counsellor listens, day and night, for free. You do not have to give your "
                   "name."),
      eligibility=("Gratë dhe vajzat që përjetojnë dhunë ose kanë frikë.",
                   "Women and girls who suffer violence or are afraid."),
      process=("Telefononi 116 117.", "Call 116 117."),
      docs=[], assured="2026-11-01", modified="2026-11-01T08:00:00Z",
      phone="116 117", phone_desc=("Linja falas", "Free line"), schedules=ALL_DAY, locations=[]),
    S("alo-116-111", "child-line", ["child-protection"], urgent=4,
      name=("Linja për fëmijët ALO 116 111", "Child helpline ALO 116 111"),
      description=("Fëmijët, të rinjtë dhe prindërit flasin me një këshilltar për çdo shqetësim.",
                   "Children, young people and parents talk to a counsellor about any worry."),
      eligibility=("Fëmijët dhe të rinjtë deri në 18 vjeç, dhe prindërit e tyre.",
                   "Children and young people up to 18, and their parents."),
      process=("Telefononi 116 111. Thirrja është falas.", "Call 116 111. The call is free."),
      docs=[], assured="2026-11-01", modified="2026-11-01T08:00:00Z",
      phone="116 111", phone_desc=("Linja falas", "Free line"), schedules=ALL_DAY, locations=[]),
    # ---- domestic violence (the category is x_sensitive: take-aways carry a neutral title)
    S("linja-24-ore-kunder-dhunes", "women-ngo", ["domestic-violence", "women"],
      name=("Linja e ndihmës 24 orë për dhunën në familje", "24-hour domestic violence helpline"),
      description=("Telefononi ditë e natë. Një këshilltare ju dëgjon, ju thotë çfarë të bëni dhe, "
                   "nëse jeni në rrezik, thërret policinë dhe ju gjen strehim.",
                   "Call day or night. A counsellor listens, tells you what to do and, if you are "
                   "in danger, calls the police and finds you shelter."),
      eligibility=("Kushdo që përjeton dhunë në familje: gra, burra, fëmijë dhe të moshuar.",
                   "Anyone who suffers domestic violence: women, men, children and older "
                   "people."),
      process=("Telefononi. Nuk keni nevojë të thoni emrin tuaj.",
               "Just call. You do not have to give your name."),
      docs=["id-card-if-any", "nothing-else"], langs=("sq", "en"), urgent=5,
      assured="2026-10-28", modified="2026-10-28T18:00:00Z", phone="+355 54 100 100",
      phone_desc=("Linja 24 orë – thirrja është falas", "24-hour line – the call is free"),
      schedules=ALL_DAY,
      locations=[("women-ngo", ("Takime në zyrë vetëm me orar të lënë në telefon.",
                                "Office meetings only by appointment made by phone."), [])]),
    S("keshillim-psikologjik-per-grate", "women-ngo", ["domestic-violence", "women"],
      name=("Këshillim psikologjik për gratë dhe vajzat", "Counselling for women and girls"),
      description=("Biseda vetëm me psikologen, në një dhomë të qetë. Gjithçka mbetet mes jush.",
                   "One-to-one talks with the psychologist, in a quiet room. Everything stays "
                   "between you."),
      eligibility=("Gratë dhe vajzat mbi 14 vjeç që kanë përjetuar dhunë.",
                   "Women and girls over 14 who have suffered violence."),
      process=("Telefononi për takim ose ejani gjatë orarit.",
               "Phone for an appointment or come during opening hours."),
      docs=["id-card-if-any", "nothing-else"], min_age=14, assured="2026-07-07",
      modified="2026-07-07T11:00:00Z", phone="+355 54 200 200", phone_desc=("Zyra", "Office"),
      locations=[("women-ngo", None, [weekly(WEEKDAYS, "09:00", "17:00"), SATURDAY_MORNING])]),
    S("koordinatori-kunder-dhunes", "social-directorate", ["domestic-violence"],
      name=("Koordinatori vendor kundër dhunës në familje", "Local domestic violence coordinator"),
      description=("Koordinatori bashkon policinë, mjekët, shkollën dhe organizatat për t'ju "
                   "mbrojtur dhe për t'ju ndihmuar të filloni nga e para.",
                   "The coordinator brings together the police, doctors, the school and NGOs to "
                   "protect you and help you make a new start."),
      eligibility=("Kushdo që përjeton dhunë në familje në Bashkinë Elbasan.",
                   "Anyone who suffers domestic violence in the Municipality of Elbasan."),
      process=("Ejani në zyrë ose telefononi. Mund të vini me një person që i besoni.",
               "Come to the office or phone. You may bring someone you trust."),
      docs=["id-card-if-any", "case-papers"], assured="2026-06-23",
      modified="2026-06-23T10:00:00Z", phone="+355 54 200 118",
      locations=[("town-hall", ("Kati i dytë, zyra 24", "Second floor, room 24"), OFFICE)]),
    S("ndihme-per-urdhrin-e-mbrojtjes", "legal-aid-office", ["domestic-violence", "legal-aid"],
      name=("Ndihmë për urdhrin e mbrojtjes", "Help with a protection order"),
      description=("Një jurist ju ndihmon të kërkoni në gjykatë një urdhër mbrojtjeje kundër "
                   "personit që ju dhunon, dhe vjen me ju në seancë.",
                   "A lawyer helps you ask the court for a protection order against the person "
                   "who is violent to you, and comes with you to the hearing."),
      eligibility=("Personat që përjetojnë dhunë në familje. Falas për të gjithë.",
                   "People who suffer domestic violence. Free for everyone."),
      process=("Ejani në zyrë ose telefononi. Rastet urgjente trajtohen të njëjtën ditë.",
               "Come to the office or phone. Urgent cases are handled the same day."),
      docs=["id-card", "case-papers", ("Raporti mjekësor, nëse e keni",
                                       "Medical report, if you have one")],
      assured="2026-05-27", modified="2026-05-27T09:30:00Z", phone="+355 54 200 196",
      locations=[("legal-aid-office", None, OFFICE)]),
    S("strehim-i-perkohshem-per-grate", "women-ngo", ["domestic-violence", "emergency-shelter"],
      name=("Strehim i përkohshëm për gratë dhe fëmijët në rrezik",
            "Temporary shelter for women and children at risk"),
      description=("Një shtëpi e sigurt ku gratë dhe fëmijët mund të qëndrojnë deri në 6 muaj, me "
                   "ushqim, këshillim dhe ndihmë për të filluar një jetë të re.",
                   "A safe house where women and children can stay for up to 6 months, with "
                   "food, counselling and help to start a new life."),
      eligibility=("Gratë, me ose pa fëmijë, që nuk janë të sigurta në shtëpi.",
                   "Women, with or without children, who are not safe at home."),
      process=("Telefononi linjën 24 orë ose ejani në zyrë. Adresa e shtëpisë nuk jepet për "
               "sigurinë tuaj.",
               "Call the 24-hour line or come to the office. The address of the house is not "
               "given, for your safety."),
      docs=["id-card-if-any", ("Certifikatë lindjeje e fëmijëve, nëse e keni",
                               "Children's birth certificates, if you have them")],
      assured="2026-09-09", modified="2026-09-09T17:00:00Z", phone="+355 54 100 100",
      phone_desc=("Linja 24 orë", "24-hour line"), sensitive=True,
      neutral=("Mbështetje për familjen", "Family support"),
      locations=[("women-ngo", ("Pranimi bëhet në zyrë; strehimi është në një adresë të fshehtë.",
                                "Admission is at the office; the shelter is at a secret address."),
                  [weekly(WEEKDAYS, "09:00", "17:00")])]),
    # ---- employment
    S("regjistrimi-si-punekerkues", "employment-office", ["employment"],
      name=("Regjistrimi si punëkërkues i papunë", "Registering as an unemployed job seeker"),
      description=("Regjistrohuni si i papunë për të marrë oferta pune, kurse falas dhe vërtetimin "
                   "që ju duhet për ndihmën ekonomike.",
                   "Register as unemployed to get job offers, free courses and the certificate "
                   "you need for economic assistance."),
      eligibility=("Personat mbi 16 vjeç që nuk punojnë dhe kërkojnë punë.",
                   "People over 16 who are not working and are looking for work."),
      process=("Ejani vetë me dokumentet. Këshilltari plotëson dosjen me ju.",
               "Come in person with your documents. The adviser fills in your file with you."),
      docs=["id-card", "diploma", "work-book", "family-cert"], min_age=16,
      alert=HOLIDAYS_ALERT, assured="2026-09-29", modified="2026-09-29T08:00:00Z",
      phone="+355 54 200 150",
      locations=[("employment-office", ("Sporteli nr. 1–3", "Desks no. 1–3"), LUNCH_BREAK)]),
    S("oferta-pune", "employment-office", ["employment"],
      name=("Oferta pune dhe takime me punëdhënës", "Job offers and meetings with employers"),
      description=("Këshilltari ju tregon punët e lira në Elbasan dhe ju dërgon në intervistë.",
                   "The adviser shows you the vacancies in Elbasan and sends you to interviews."),
      eligibility=("Punëkërkuesit e regjistruar.", "Registered job seekers."),
      process=("Ejani një herë në muaj për takimin me këshilltarin tuaj.",
               "Come once a month for the meeting with your adviser."),
      docs=["id-card", ("Kartela e punëkërkuesit", "Job seeker card")], langs=("sq", "en"),
      assured="2026-08-04", modified="2026-08-04T10:00:00Z", phone="+355 54 200 151",
      locations=[("employment-office", None, OFFICE)]),
    S("kurse-profesionale", "vocational-centre", ["vocational-training"],
      name=("Kurse profesionale: rrobaqepësi, elektricist, hidraulik, kuzhinier",
            "Vocational courses: tailoring, electrician, plumber, cook"),
      description=("Kurse praktike nga 2 deri në 6 muaj. Në fund merrni një certifikatë të "
                   "njohur nga shteti.",
                   "Practical courses lasting 2 to 6 months. At the end you get a "
                   "state-recognised certificate."),
      eligibility=("Kushdo mbi 16 vjeç.", "Anyone over 16."),
      process=("Regjistrohuni në sekretari. Kurset e reja fillojnë në shkurt dhe në tetor.",
               "Sign up at the reception. New courses start in February and October."),
      fees=("Falas për të papunët e regjistruar dhe për familjet me ndihmë ekonomike. Të tjerët "
            "paguajnë një tarifë të vogël.",
            "Free for registered unemployed people and families on economic assistance. Others "
            "pay a small fee."),
      docs=["id-card", "diploma", "unemployed", "photo"], min_age=16,
      alert=("Mbyllur më 8 dhjetor (Dita Kombëtare e Rinisë).",
             "Closed on 8 December (National Youth Day)."),
      assured="2026-01-15", modified="2026-01-15T09:00:00Z", phone="+355 54 200 160",
      phone_desc=("Sekretaria", "Reception"),
      locations=[("vocational-centre", None, OFFICE + [SATURDAY_MORNING])]),
    S("kurse-kompjuteri-dhe-anglishte", "vocational-centre", ["vocational-training", "youth"],
      name=("Kurse kompjuteri dhe anglishteje", "Computer and English courses"),
      description=("Kurse në mbrëmje: kompjuter për fillestarë, internet, e-mail dhe anglisht "
                   "bazë.",
                   "Evening courses: computers for beginners, the internet, e-mail and basic "
                   "English."),
      eligibility=("Kushdo mbi 15 vjeç. Nuk duhet të dini asgjë më parë.",
                   "Anyone over 15. You do not need to know anything beforehand."),
      process=("Regjistrohuni në sekretari. Grupet janë me 12 veta.",
               "Sign up at the reception. Groups have 12 people."),
      fees=("3 000 lekë për kursin. Falas për të papunët dhe studentët me bursë.",
            "3,000 lek for the course. Free for unemployed people and students with a grant."),
      docs=["id-card", "photo"], langs=("sq", "en"), min_age=15,
      assured="2026-02-24", modified="2026-02-24T17:30:00Z", phone="+355 54 200 161",
      locations=[("vocational-centre", ("Klasa e kompjuterit, kati i dytë",
                                        "Computer room, second floor"),
                  [weekly("MO,WE,FR", "17:00", "20:00",
                          notes=("Kurset janë në mbrëmje.", "The courses are in the evening."))])]),
    S("programi-i-punesimit-per-grate", "employment-office", ["employment", "women"],
      name=("Programi i punësimit për gratë", "Employment programme for women"),
      description=("Shteti paguan një pjesë të pagës kur një punëdhënës punëson një grua të "
                   "papunë. Këshilltari ju gjen një vend pune.",
                   "The state pays part of the salary when an employer hires an unemployed woman. "
                   "The adviser finds you a job."),
      eligibility=("Gratë e papuna të regjistruara, sidomos nënat që i rritin fëmijët vetëm "
                   "dhe gratë mbi 45 vjeç.",
                   "Registered unemployed women, especially single mothers and women over 45."),
      process=("Pyetni këshilltarin tuaj në Zyrën e Punësimit.",
               "Ask your adviser at the Employment Office."),
      docs=["id-card", "family-cert", ("Kartela e punëkërkuesit", "Job seeker card")],
      assured="2025-10-02", modified="2025-10-02T10:00:00Z", phone="+355 54 200 152",
      locations=[("employment-office", None, OFFICE)]),
    S("praktika-pune-per-te-rinjte", "employment-office", ["employment", "youth"],
      name=("Praktika pune me pagesë për të rinjtë", "Paid work placements for young people"),
      description=("Praktikë 3 deri në 6 muaj në një firmë ose institucion, me pagesë mujore.",
                   "A 3 to 6 month placement at a company or institution, with a monthly payment."),
      eligibility=("Të rinjtë 18 deri në 29 vjeç, të papunë.",
                   "Unemployed young people aged 18 to 29."),
      process=("Regjistrohuni si punëkërkues dhe kërkoni praktikën te këshilltari.",
               "Register as a job seeker and ask your adviser for a placement."),
      docs=["id-card", "diploma", ("CV e shkurtër", "A short CV")], min_age=18, max_age=29,
      assured="2026-04-14", modified="2026-04-14T09:00:00Z", phone="+355 54 200 153",
      locations=[("employment-office", None, OFFICE)]),
    # ---- housing
    S("banesa-sociale-me-qira", "housing-office", ["housing"],
      name=("Banesa sociale me qira", "Social rented housing"),
      description=("Bashkia jep me qira të ulët banesa për familjet që nuk kanë shtëpi.",
                   "The municipality rents out flats at a low rent to families without a home."),
      eligibility=("Familjet pa shtëpi ose me shtëpi të papërshtatshme, me të ardhura të ulëta. "
                   "Përparësi kanë familjet me fëmijë, të moshuarit dhe personat me aftësi të "
                   "kufizuara.",
                   "Families without a home or with unsuitable housing, on a low income. "
                   "Families with children, older people and people with disabilities come "
                   "first."),
      process=("Aplikoni në sportel. Lista e përfituesve shpallet një herë në vit.",
               "Apply at the desk. The list of beneficiaries is published once a year."),
      fees=("Qira e ulët, sipas të ardhurave të familjes.",
            "A low rent, according to the family's income."),
      docs=["id-card", "family-cert", "income", "property", "residence"],
      assured="2026-03-03", modified="2026-03-03T11:00:00Z", phone="+355 54 200 140",
      locations=[("town-hall", ("Sporteli nr. 5, kati përdhes", "Desk no. 5, ground floor"),
                  LUNCH_BREAK)]),
    S("ndihme-per-qirane", "housing-office", ["housing", "economic-assistance"],
      name=("Ndihmë për pagesën e qirasë", "Help paying the rent"),
      description=("Bashkia paguan një pjesë të qirasë për familjet me të ardhura të ulëta që "
                   "jetojnë me qira.",
                   "The municipality pays part of the rent for low-income families who rent "
                   "their home."),
      eligibility=("Familjet me kontratë qiraje të regjistruar dhe të ardhura të ulëta.",
                   "Families with a registered rental contract and a low income."),
      process=("Aplikoni në sportel me kontratën e qirasë.",
               "Apply at the desk with your rental contract."),
      docs=["id-card", "family-cert", "rent-contract", "income"],
      alert=("Afati i aplikimit për vitin 2027 mbaron më 15 dhjetor 2026.",
             "The deadline to apply for 2027 is 15 December 2026."),
      assured="2026-10-10", modified="2026-10-10T10:00:00Z", phone="+355 54 200 141",
      locations=[("town-hall", ("Sporteli nr. 5, kati përdhes", "Desk no. 5, ground floor"),
                  LUNCH_BREAK)]),
    S("strehe-nate", "night-shelter", ["emergency-shelter"],
      name=("Strehë nate", "Night shelter"),
      description=("Një shtrat i pastër, darkë e ngrohtë dhe mëngjes, çdo natë.",
                   "A clean bed, a hot dinner and breakfast, every night."),
      eligibility=("Kushdo mbi 18 vjeç që nuk ka ku të flejë. Pranohen edhe personat pa "
                   "dokumente.",
                   "Anyone over 18 who has nowhere to sleep. People without documents are "
                   "welcome too."),
      process=("Ejani në mbrëmje. Nuk ju duhet takim.",
               "Come in the evening. You do not need an appointment."),
      docs=["id-card-if-any", "prescriptions"], min_age=18, assured="2026-11-01",
      modified="2026-10-31T19:00:00Z", phone="+355 69 000 1210",
      phone_desc=("Roja e natës", "Night staff"),
      locations=[("night-shelter", None, OVERNIGHT)]),
    S("dush-dhe-rroba", "night-shelter", ["emergency-shelter", "health"],
      name=("Dush, rroba të pastra dhe larje rrobash", "Showers, clean clothes and laundry"),
      description=("Mund të bëni dush, të lani rrobat dhe të merrni rroba e këpucë të dhuruara.",
                   "You can take a shower, wash your clothes and get donated clothes and shoes."),
      eligibility=("Personat pa strehë dhe familjet në nevojë.",
                   "Homeless people and families in need."),
      process=("Ejani gjatë orarit. Peshqirin dhe sapunin ua japim ne.",
               "Come during opening hours. We give you a towel and soap."),
      docs=["id-card-if-any", "nothing-else"], assured="2025-02-11",
      modified="2025-02-11T09:00:00Z", phone="+355 69 000 1211",
      locations=[("night-shelter", None, [weekly("MO,WE,FR", "09:00", "12:00")])]),
    # ---- legal aid
    S("ndihme-juridike-falas", "legal-aid-office", ["legal-aid"],
      name=("Ndihmë juridike falas", "Free legal aid"),
      description=("Një jurist ju shpjegon të drejtat tuaja, shkruan kërkesat dhe, kur duhet, ju "
                   "gjen një avokat falas për gjykatën.",
                   "A lawyer explains your rights, writes applications and, when needed, finds "
                   "you a free lawyer for court."),
      eligibility=("Personat me të ardhura të pakta, me ndihmë ekonomike, me aftësi të kufizuara "
                   "ose viktimat e dhunës.",
                   "People with a low income, on economic assistance, with disabilities, or "
                   "victims of violence."),
      process=("Ejani me letrat që keni. Nuk ju duhet takim.",
               "Come with the papers you have. No appointment needed."),
      docs=["id-card", "economic-aid-proof", "case-papers"], langs=("sq", "en"),
      assured="2026-07-30", modified="2026-07-30T12:00:00Z", phone="+355 54 200 195",
      locations=[("legal-aid-office", None, LUNCH_BREAK + [SATURDAY_MORNING])]),
    S("dokumentet-e-gjendjes-civile", "roma-association", ["legal-aid"],
      name=("Ndihmë për regjistrimin në gjendjen civile dhe dokumentet",
            "Help with civil registration and identity documents"),
      description=("Ndihmojmë familjet të regjistrojnë fëmijët dhe të marrin kartën e identitetit, "
                   "certifikatat dhe vendbanimin.",
                   "We help families register their children and get identity cards, "
                   "certificates and a registered address."),
      eligibility=("Familjet që nuk kanë dokumente, sidomos nga komuniteti rom dhe egjiptian.",
                   "Families without documents, especially from the Roma and Egyptian community."),
      process=("Ejani në qendër ose thërrisni ndërmjetësin e komunitetit.",
               "Come to the centre or call the community mediator."),
      docs=["case-papers", ("Çdo dokument që keni, edhe të vjetër",
                            "Any document you have, even old ones")], langs=("sq", "rom"),
      assured="2026-05-13", modified="2026-05-13T10:00:00Z", phone="+355 69 000 1250",
      phone_desc=("Ndërmjetësi i komunitetit", "Community mediator"),
      locations=[("roma-centre", None, [weekly("MO,TU,WE,TH", "09:00", "13:00")])]),
    S("keshillim-per-pronen", "legal-aid-office", ["legal-aid", "elderly"],
      name=("Këshillim për pronën, trashëgiminë dhe kontratat",
            "Advice on property, inheritance and contracts"),
      description=("Pyetje për shtëpinë, tokën, testamentin ose një kontratë? Një jurist ju "
                   "shpjegon çfarë të bëni, me fjalë të thjeshta.",
                   "Questions about a house, land, a will or a contract? A lawyer explains what "
                   "to do, in simple words."),
      eligibility=("Personat me të ardhura të pakta dhe të moshuarit.",
                   "People with a low income and older people."),
      process=("Lini takim me telefon. Sillni letrat e pronës.",
               "Book an appointment by phone. Bring your property papers."),
      docs=["id-card", "case-papers", ("Letrat e pronës", "Property papers")],
      assured="2025-11-20", modified="2025-11-20T10:00:00Z", phone="+355 54 200 197",
      locations=[("legal-aid-office", None, [weekly("TU,TH", "09:00", "14:00")])]),
    # ---- older people
    S("qendra-ditore-e-te-moshuarve", "elderly-association", ["elderly"],
      name=("Qendra ditore për të moshuarit", "Day centre for older people"),
      description=("Kafe, çaj, gazeta, lojëra me letra dhe shah, gjimnastikë e lehtë dhe ekskursione.",
                   "Coffee, tea, newspapers, card games and chess, gentle exercise and trips."),
      eligibility=("Burra dhe gra mbi 60 vjeç.", "Men and women over 60."),
      process=("Ejani kur të doni. Herën e parë plotësoni një formular të shkurtër.",
               "Come whenever you like. The first time you fill in a short form."),
      docs=["id-card", "nothing-else"], min_age=60, assured="2026-06-18",
      modified="2026-06-18T09:00:00Z", phone="+355 54 200 230",
      locations=[("elderly-centre", None, [weekly("MO,TU,WE,TH,FR,SA", "09:00", "17:00")])]),
    S("kujdes-ne-shtepi", "elderly-association", ["elderly", "health"],
      name=("Kujdes në shtëpi për të moshuarit që jetojnë vetëm",
            "Home care for older people who live alone"),
      description=("Një kujdestare ju viziton në shtëpi: ju sjell ilaçet dhe ushqimin, ju ndihmon "
                   "me pastrimin dhe bën muhabet me ju.",
                   "A carer visits you at home: brings your medicines and food, helps with the "
                   "cleaning and has a chat with you."),
      eligibility=("Të moshuarit mbi 65 vjeç që jetojnë vetëm dhe nuk dalin dot nga shtëpia.",
                   "People over 65 who live alone and cannot leave home."),
      process=("Telefononi ju ose një i afërm. Koordinatorja vjen për një vizitë të parë.",
               "You or a relative phone us. The coordinator comes for a first visit."),
      docs=["id-card", "medical", "family-cert"], min_age=65, assured="2026-02-26",
      modified="2026-02-26T10:00:00Z", phone="+355 54 200 231",
      locations=[("elderly-centre", ("Zyra e koordinatores", "Coordinator's office"), OFFICE)]),
    S("matja-e-tensionit", "health-centre", ["elderly", "health"],
      name=("Matja falas e tensionit dhe e sheqerit", "Free blood pressure and blood sugar checks"),
      description=("Një infermiere mat tensionin dhe sheqerin në gjak dhe ju jep këshilla.",
                   "A nurse checks your blood pressure and blood sugar and gives you advice."),
      eligibility=("Të gjithë, sidomos të moshuarit.", "Everyone, especially older people."),
      process=("Ejani direkt. Nuk ju duhet takim.", "Just come. No appointment needed."),
      docs=["id-card", "health-card"], assured="2026-09-24", modified="2026-09-24T10:00:00Z",
      phone="+355 54 200 182",
      locations=[("elderly-centre", ("Infermierja vjen nga Qendra Shëndetësore Nr. 1.",
                                     "The nurse comes from Health Centre No. 1."),
                  [weekly("TU,TH", "10:00", "12:00")])]),
    # ---- young people
    S("qendra-rinore", "youth-centre", ["youth"],
      name=("Qendra rinore – aktivitete falas", "Youth centre – free activities"),
      description=("Klube leximi, teatër, sport, vullnetarizëm dhe kompjutera me internet.",
                   "Reading clubs, theatre, sport, volunteering and computers with internet."),
      eligibility=("Të rinjtë nga 15 deri në 29 vjeç.", "Young people aged 15 to 29."),
      process=("Ejani dhe regjistrohuni te recepsioni.", "Come and sign up at the reception."),
      docs=["id-card", "nothing-else"], langs=("sq", "en"), min_age=15, max_age=29,
      assured="2026-10-22", modified="2026-10-22T15:00:00Z", phone="+355 54 200 240",
      phone_desc=("Recepsioni", "Reception"),
      locations=[("youth-centre", None, [weekly(WEEKDAYS, "14:00", "20:00"),
                                         weekly("SA", "10:00", "14:00")])]),
    S("keshillim-per-karrieren", "youth-centre", ["youth", "employment"],
      name=("Këshillim për karrierën dhe CV-në", "Career and CV advice"),
      description=("Ju ndihmojmë të shkruani CV-në, të përgatiteni për intervistë dhe të zgjidhni "
                   "një shkollë ose një punë.",
                   "We help you write your CV, prepare for an interview and choose a school or "
                   "a job."),
      eligibility=("Të rinjtë nga 15 deri në 29 vjeç.", "Young people aged 15 to 29."),
      process=("Lini takim me telefon ose te recepsioni.", "Book by phone or at the reception."),
      docs=["id-card", "diploma"], langs=("sq", "en"), min_age=15, max_age=29,
      assured="2026-03-17", modified="2026-03-17T16:00:00Z", phone="+355 54 200 241",
      locations=[("youth-centre", None, [weekly("WE", "15:00", "18:00")])]),
    # ---- women
    S("kurse-biznesi-per-grate", "women-ngo", ["women", "employment"],
      name=("Kurse për gratë që duan të hapin një biznes të vogël",
            "Courses for women who want to start a small business"),
      description=("Si të bëni një plan biznesi, të mbani llogaritë dhe të shisni produktet tuaja. "
                   "Në fund, disa gra marrin një grant të vogël.",
                   "How to make a business plan, keep accounts and sell your products. At the "
                   "end, some women receive a small grant."),
      eligibility=("Gratë mbi 18 vjeç, sidomos të papunat dhe ato që kanë përjetuar dhunë.",
                   "Women over 18, especially unemployed women and those who have suffered "
                   "violence."),
      process=("Regjistrohuni me telefon. Kursi zgjat 8 të shtuna.",
               "Sign up by phone. The course lasts 8 Saturdays."),
      docs=["id-card", "family-cert"], min_age=18, assured="2025-12-05",
      modified="2025-12-05T10:00:00Z", phone="+355 54 200 201",
      locations=[("women-ngo", None, [SATURDAY_MORNING])]),
    S("konsultorja-e-gruas", "health-centre", ["women", "health"],
      name=("Konsultorja e gruas dhe fëmijës", "Mother and child clinic"),
      description=("Kontrolle falas për gratë shtatzëna dhe për foshnjat, këshilla për "
                   "ushqyerjen me gji dhe planifikimin familjar.",
                   "Free check-ups for pregnant women and babies, advice on breastfeeding and "
                   "family planning."),
      eligibility=("Gratë shtatzëna, nënat e reja dhe foshnjat deri në 1 vjeç.",
                   "Pregnant women, new mothers and babies up to 1 year old."),
      process=("Ejani me librezën e shtatzënisë ose me kartelën e foshnjës.",
               "Come with your pregnancy record book or the baby's card."),
      docs=["id-card", "pregnancy", "health-card"], langs=("sq", "rom"),
      assured="2026-07-21", modified="2026-07-21T08:00:00Z", phone="+355 54 200 183",
      locations=[("health-centre", ("Kati i parë, krahu i majtë", "First floor, left wing"),
                  [weekly(WEEKDAYS, "08:00", "14:00")])]),
    # ---- health
    S("kontrolli-mjekesor-falas", "health-centre", ["health"],
      name=("Kontrolli mjekësor falas (check-up)", "Free health check-up"),
      description=("Një kontroll falas një herë në vit: analiza gjaku, tension, zemër dhe bisedë "
                   "me mjekun.",
                   "A free check-up once a year: blood tests, blood pressure, heart and a talk "
                   "with the doctor."),
      eligibility=("Të gjithë banorët nga 35 deri në 70 vjeç.", "All residents aged 35 to 70."),
      process=("Lini takim me telefon ose te mjeku i familjes. Ejani esëll, pa ngrënë mëngjes.",
               "Book by phone or with your family doctor. Come without eating breakfast."),
      docs=["id-card", "health-card"], min_age=35, max_age=70, alert=HOLIDAYS_ALERT,
      assured="2026-08-18", modified="2026-08-18T08:00:00Z", phone="+355 54 200 180",
      phone_desc=("Recepsioni", "Reception"),
      locations=[("health-centre", ("Kati përdhes, kabineti 4", "Ground floor, room 4"),
                  [weekly(WEEKDAYS, "07:30", "12:00",
                          notes=("Analizat merren deri në orën 10:00.",
                                 "Blood samples are taken until 10:00."))])]),
    S("ndihme-per-shendetin-mendor", "mental-health", ["health"],
      name=("Ndihmë për shëndetin mendor", "Mental health support"),
      description=("Biseda me psikolog, vizita te psikiatri dhe grupe mbështetjeje për ankthin, "
                   "depresionin dhe vetminë.",
                   "Talks with a psychologist, visits to the psychiatrist and support groups for "
                   "anxiety, depression and loneliness."),
      eligibility=("Të rriturit dhe të rinjtë mbi 16 vjeç. Familjarët mund të vijnë për këshilla.",
                   "Adults and young people over 16. Family members can come for advice."),
      process=("Ejani direkt ose me fletë-dërgim nga mjeku i familjes.",
               "Come directly or with a referral from your family doctor."),
      docs=["id-card", "health-card", "referral"], langs=("sq", "en"), min_age=16,
      interpretation=("Një psikolog flet anglisht.", "One psychologist speaks English."),
      assured="2026-06-29", modified="2026-06-29T11:00:00Z", phone="+355 54 200 185",
      phone_desc=("Recepsioni", "Reception"),
      locations=[("mental-health", None, LUNCH_BREAK)]),
]


# --------------------------------------------------------------------------- builders


# Categories whose services a visitor may need to keep secret, with the neutral title their saved
# contacts and slips carry instead of the service's and provider's names.
SENSITIVE_TERMS: dict[str, Text] = {
    "domestic-violence": ("Këshillim", "Counselling"),
}


def term_object(key: str, parent: str | None, icon: str, order: int, name: Text,
                description: Text) -> dict[str, Any]:
    obj: dict[str, Any] = {"id": uid(f"term:{key}"), "code": key}
    en = bilingual(obj, name=name, description=description,
                   x_neutral_title=SENSITIVE_TERMS.get(key))
    # a top-level term has no parent_id at all: HSDS types allow no null (kiosk load-feed checks)
    obj.update({**({"parent_id": uid(f"term:{parent}")} if parent else {}),
                "taxonomy_id": TAXONOMY["id"], "x_icon": icon, "x_order": order})
    if key in SENSITIVE_TERMS:
        obj["x_sensitive"] = True
    return finish(obj, en)


def phone_object(key: str, number: str, description: Text | None, kind: str | None = None,
                 **owner: str) -> dict[str, Any]:
    obj: dict[str, Any] = {"id": uid(key), **owner, "number": number}
    if kind is None:
        kind = "cell" if number.startswith("+355 6") else "voice"
    obj["type"] = kind
    return finish(obj, bilingual(obj, description=description))


def organization_object(key: str) -> dict[str, Any]:
    spec = ORGS[key]
    oid = uid(f"organization:{key}")
    obj: dict[str, Any] = {"id": oid}
    en = bilingual(obj, name=spec["name"], alternate_name=spec.get("alternate_name"),
                   description=spec["description"])
    obj["email"] = spec["email"]
    obj["website"] = spec["website"]
    if spec.get("year_incorporated"):
        obj["year_incorporated"] = spec["year_incorporated"]
    obj["phones"] = [phone_object(f"organization:{key}:phone:{i}", number, desc, organization_id=oid)
                     for i, (number, desc) in enumerate(spec["phones"])]
    if spec.get("contacts"):
        contacts = []
        for i, (name, title) in enumerate(spec["contacts"]):
            contact: dict[str, Any] = {"id": uid(f"organization:{key}:contact:{i}"),
                                       "organization_id": oid, "name": name}
            contacts.append(finish(contact, bilingual(contact, title=title)))
        obj["contacts"] = contacts
    obj["x_demo"] = bool(spec["demo"])
    return finish(obj, en)


def location_object(key: str) -> dict[str, Any]:
    spec = LOCATIONS[key]
    lid = uid(f"location:{key}")
    obj: dict[str, Any] = {"id": lid, "location_type": "physical"}
    en = bilingual(obj, name=spec["name"], description=spec["description"],
                   transportation=spec["transportation"])
    obj["latitude"] = spec["lat"]
    obj["longitude"] = spec["lon"]
    address = {"id": uid(f"location:{key}:address"), "location_id": lid,
               "address_1": spec["address_1"]}
    if spec.get("address_2"):
        address["address_2"] = spec["address_2"]
    city = spec.get("city", "Elbasan")
    address.update({"city": city, "state_province": "Tiranë" if city == "Tiranë" else "Elbasan",
                    "postal_code": spec.get("postal_code", "3001"), "country": "AL",
                    "address_type": "physical"})
    obj["addresses"] = [address]
    access = []
    for i, (description, details) in enumerate(spec["accessibility"]):
        acc: dict[str, Any] = {"id": uid(f"location:{key}:accessibility:{i}"), "location_id": lid}
        access.append(finish(acc, bilingual(acc, description=description, details=details)))
    obj["accessibility"] = access
    return finish(obj, en)


def schedule_objects(owner_key: str, specs: list[dict[str, Any]], **owner: str) -> list[dict[str, Any]]:
    out = []
    for i, spec in enumerate(specs):
        obj: dict[str, Any] = {"id": uid(f"{owner_key}:schedule:{i}"), **owner, "freq": "WEEKLY",
                               "byday": spec["byday"], "opens_at": spec["opens_at"],
                               "closes_at": spec["closes_at"]}
        for field in ("valid_from", "valid_to"):
            if spec.get(field):
                obj[field] = spec[field]
        out.append(finish(obj, bilingual(obj, description=spec.get("description"),
                                         notes=spec.get("notes"))))
    return out


def service_object(spec: dict[str, Any], terms: dict[str, dict[str, Any]]) -> dict[str, Any]:
    key = spec["key"]
    sid = uid(f"service:{key}")
    obj: dict[str, Any] = {"id": sid}
    en = bilingual(obj, name=spec["name"], status=spec["status"], alert=spec["alert"],
                   description=spec["description"], eligibility_description=spec["eligibility"],
                   application_process=spec["process"], fees_description=spec["fees"],
                   interpretation_services=spec["interpretation"], x_neutral_title=spec["neutral"])
    if spec["urgent"]:
        obj["x_urgent"] = spec["urgent"]
    if spec["sensitive"]:
        obj["x_sensitive"] = True
    if spec["min_age"] is not None:
        obj["minimum_age"] = spec["min_age"]
    if spec["max_age"] is not None:
        obj["maximum_age"] = spec["max_age"]
    obj["assured_date"] = spec["assured"]
    obj["last_modified"] = spec["modified"]
    obj["organization_id"] = uid(f"organization:{spec['org']}")
    obj["organization"] = organization_object(spec["org"])
    obj["phones"] = [phone_object(f"service:{key}:phone", spec["phone"], spec["phone_desc"],
                                  service_id=sid)]
    if spec["schedules"]:
        obj["schedules"] = schedule_objects(f"service:{key}", spec["schedules"], service_id=sid)
    sals = []
    for loc_key, description, schedules in spec["locations"]:
        sal_key = f"service_at_location:{key}:{loc_key}"
        sal: dict[str, Any] = {"id": uid(sal_key), "service_id": sid,
                               "location_id": uid(f"location:{loc_key}")}
        sal_en = bilingual(sal, description=description)
        if schedules:
            sal["schedules"] = schedule_objects(sal_key, schedules, service_at_location_id=sal["id"])
        sal["location"] = location_object(loc_key)
        sals.append(finish(sal, sal_en))
    if sals:  # a phone line has no place: the list is left out, as exports leave it
        obj["service_at_locations"] = sals
    documents = []
    for doc in spec["docs"]:
        text = DOCS[doc] if isinstance(doc, str) else doc
        slug = doc if isinstance(doc, str) else f"custom-{len(documents)}"
        d: dict[str, Any] = {"id": uid(f"service:{key}:document:{slug}"), "service_id": sid}
        documents.append(finish(d, bilingual(d, document=text)))
    if documents:
        obj["required_documents"] = documents
    languages = []
    for code in spec["langs"]:
        lang: dict[str, Any] = {"id": uid(f"service:{key}:language:{code}"), "service_id": sid}
        lang_en = bilingual(lang, name=LANGUAGES[code])
        lang["code"] = code
        languages.append(finish(lang, lang_en))
    obj["languages"] = languages
    attributes = []
    for term_key in spec["terms"]:
        term = terms[term_key]
        nested = {k: v for k, v in term.items() if v is not None}  # HSDS: parent_id is a uuid
        attributes.append({"id": uid(f"service:{key}:attribute:{term_key}"), "link_id": sid,
                           "link_type": "service_category", "link_entity": "service",
                           "taxonomy_term_id": term["id"], "taxonomy_term": nested})
    obj["attributes"] = attributes
    obj["x_demo"] = True
    return finish(obj, en)


def build() -> dict[str, Any]:
    """The whole sample feed document (deterministic)."""
    term_list = [term_object(*row) for row in TERMS]
    terms = {row[0]: t for row, t in zip(TERMS, term_list)}
    services = [service_object(spec, terms) for spec in SERVICES]
    return feedmod.new_document(services, term_list, version=VERSION, taxonomy=TAXONOMY,
                                publisher=PUBLISHER, generated_at=GENERATED_AT,
                                expires_at=EXPIRES_AT, languages=("sq", "en"))


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def main() -> None:
    OUTPUT.write_text(render(build()), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

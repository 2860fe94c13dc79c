"""A synthetic catalogue for benchmarks and stress tests: a feed of N invented services.

    python -m sync.publish.synth --services 100000 --seed 1 --out /tmp/feed-100k.json [--version 1]

``generate(services, seed, version)`` returns the feed document (``sync.feed.document.new_document``);
``write(path, services, seed, version)`` writes exactly ``sync.feed.document.dumps(generate(...))`` but one
service at a time, so a 100k-service feed never sits in memory as a whole. Same seed and size give
byte-identical output: everything comes from one ``random.Random(seed)``, the ids too, and the
timestamps are fixed (generated 2026-11-01T08:00:00Z, expires 2031-11-01T08:00:00Z).

The shape follows the real catalogue: a two-level category tree (12 top-level terms, the kiosk's
icons, 3 sub-terms each), about N/8 organizations (municipal offices and NGOs) with 1-3 locations
each in Elbasan and the towns around it, and services that are fully nested HSDS 3.0 objects
(organization, service_at_locations with their locations, phones, weekly schedules, required
documents, languages, category attributes). Text is Albanian, built from word lists with their
diacritics, with a parallel English translation in ``x_translations``. Every organization and
service carries ``x_demo: true``: nothing here is real.

In the document returned by ``generate`` the organizations, locations and nested taxonomy terms are
shared objects, repeated by reference in every service that uses them (as JSON they are repeated
by value, as HSDS nests them): copy before mutating one of them.

This module knows only JSON and the feed format: it does not import the kiosk.
"""
from __future__ import annotations

import argparse
import bisect
import gc
import itertools
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

from sync.feed import document as feedmod
from sync.feed.files import open_atomic

GENERATED_AT = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)
EXPIRES_AT = datetime(2031, 11, 1, 8, 0, tzinfo=timezone.utc)
TR = feedmod.TRANSLATIONS_KEY

# --- word lists: (Albanian, English) --------------------------------------------------------------

# icon, name, description, who it is for ("për ..."), what is offered, ages, sub-terms with the kinds
# of service each holds.
CATEGORIES: list[dict[str, Any]] = [
    {"icon": "economic-assistance",
     "name": ("Ndihmë ekonomike", "Economic assistance"),
     "description": ("Mbështetje financiare për familjet dhe individët në nevojë.",
                     "Financial support for families and individuals in need."),
     "target": ("familjet në nevojë", "families in need"),
     "offers": [("mbështetje financiare mujore", "monthly financial support"),
                ("ndihmë në ushqime dhe veshmbathje", "food and clothing aid"),
                ("informacion për përfitimet sociale", "information on social benefits")],
     "ages": None,
     "subs": [
         (("Ndihma ekonomike familjare", "Family economic assistance"),
          [("Aplikim për ndihmë ekonomike", "Application for economic assistance"),
           ("Sporteli i ndihmës ekonomike", "Economic assistance desk"),
           ("Rivlerësimi i ndihmës ekonomike", "Economic assistance review")]),
         (("Kompensimi i energjisë", "Energy bill compensation"),
          [("Kompensimi i faturës së energjisë", "Energy bill compensation"),
           ("Ndihmë për ngrohjen në dimër", "Winter heating support")]),
         (("Ndihmë e menjëhershme", "Emergency aid"),
          [("Paketa ushqimore", "Food parcels"), ("Mensa sociale", "Soup kitchen"),
           ("Fond emergjence për familjet", "Family emergency fund")]),
     ]},
    {"icon": "disability",
     "name": ("Aftësi të kufizuara", "Disability"),
     "description": ("Pagesa, terapi dhe kujdes për personat me aftësi të kufizuara.",
                     "Allowances, therapy and care for people with disabilities."),
     "target": ("personat me aftësi të kufizuara", "people with disabilities"),
     "offers": [("terapi dhe rehabilitim", "therapy and rehabilitation"),
                ("ndihmë për vlerësimin e aftësisë së kufizuar", "help with the disability assessment"),
                ("aktivitete për integrim social", "social inclusion activities")],
     "ages": None,
     "subs": [
         (("Pagesa e aftësisë së kufizuar", "Disability allowance"),
          [("Pagesa për personat me aftësi të kufizuara", "Disability allowance"),
           ("Vlerësimi i aftësisë së kufizuar", "Disability assessment"),
           ("Pagesa për invalidët paraplegjikë dhe tetraplegjikë",
            "Allowance for paraplegic and tetraplegic people")]),
         (("Rehabilitim dhe terapi", "Rehabilitation and therapy"),
          [("Fizioterapi", "Physiotherapy"), ("Terapi e të folurit", "Speech therapy"),
           ("Qendra ditore për persona me aftësi të kufizuara",
            "Day centre for people with disabilities")]),
         (("Kujdestari personal", "Personal assistance"),
          [("Kujdestar personal", "Personal carer"), ("Transport i përshtatur", "Accessible transport")]),
     ]},
    {"icon": "children",
     "name": ("Fëmijë dhe familje", "Children and family"),
     "description": ("Kujdes, edukim dhe mbrojtje për fëmijët dhe prindërit e tyre.",
                     "Care, education and protection for children and their parents."),
     "target": ("fëmijët dhe familjet e tyre", "children and their families"),
     "offers": [("kujdes ditor dhe aktivitete edukative", "day care and educational activities"),
                ("këshillim për prindërit", "advice for parents"),
                ("mbrojtje dhe mbështetje psiko-sociale", "protection and psychosocial support")],
     "ages": (0, 14),
     "subs": [
         (("Çerdhe dhe kopshte", "Nurseries and kindergartens"),
          [("Çerdhe", "Nursery"), ("Kopsht", "Kindergarten"),
           ("Çerdhe-kopsht", "Nursery and kindergarten")]),
         (("Mbrojtja e fëmijëve", "Child protection"),
          [("Njësia e mbrojtjes së fëmijëve", "Child protection unit"),
           ("Shërbim këshillimi për prindër", "Counselling service for parents"),
           ("Kujdestari familjare", "Foster care")]),
         (("Qendra ditore", "Day centres"),
          [("Qendra ditore për fëmijë", "Children's day centre"),
           ("Klub pas shkolle", "After-school club"),
           ("Kampi veror për fëmijë", "Children's summer camp")]),
     ]},
    {"icon": "domestic-violence",
     "name": ("Dhuna në familje", "Domestic violence"),
     "description": ("Strehim, këshillim dhe mbrojtje për viktimat e dhunës në familje.",
                     "Shelter, counselling and protection for victims of domestic violence."),
     "target": ("viktimat e dhunës në familje", "victims of domestic violence"),
     "offers": [("strehim të sigurt dhe konfidencial", "safe and confidential shelter"),
                ("këshillim psikologjik dhe ligjor", "psychological and legal counselling"),
                ("shoqërim në institucione", "accompaniment to public institutions")],
     "ages": None,
     "subs": [
         (("Strehim i sigurt", "Safe shelter"),
          [("Strehëz për viktimat e dhunës", "Shelter for victims of violence"),
           ("Strehim emergjent për gra dhe fëmijë", "Emergency shelter for women and children")]),
         (("Linja ndihmëse", "Help lines"),
          [("Linja e këshillimit për gra dhe vajza", "Counselling line for women and girls"),
           ("Linja e ndihmës për fëmijë", "Child help line")]),
         (("Mbështetje psiko-sociale", "Psychosocial support"),
          [("Këshillim psikologjik", "Psychological counselling"),
           ("Grup mbështetjeje për gratë", "Women's support group"),
           ("Shoqërim në polici dhe gjykatë", "Accompaniment to police and court")]),
     ]},
    {"icon": "employment",
     "name": ("Punësim", "Employment"),
     "description": ("Kurse, praktika dhe ndihmë për të gjetur punë.",
                     "Courses, internships and help finding work."),
     "target": ("punëkërkuesit", "jobseekers"),
     "offers": [("kurse të formimit profesional", "vocational training courses"),
                ("ndërmjetësim me punëdhënësit", "matching with employers"),
                ("këshillim për karrierën", "career advice")],
     "ages": (16, None),
     "subs": [
         (("Formim profesional", "Vocational training"),
          [("Kurs rrobaqepësie", "Tailoring course"), ("Kurs kompjuteri", "Computer course"),
           ("Kurs gjuhe angleze", "English language course"), ("Kurs parukerie", "Hairdressing course")]),
         (("Ndërmjetësim për punë", "Job placement"),
          [("Ndërmjetësim për punë", "Job matching"), ("Panairi i punës", "Job fair"),
           ("Këshillim për karrierën", "Career counselling")]),
         (("Praktika", "Internships"),
          [("Program praktikash", "Internship programme"),
           ("Praktikë profesionale për të rinjtë", "Work placement for young people")]),
     ]},
    {"icon": "housing",
     "name": ("Strehim", "Housing"),
     "description": ("Banesa sociale, bonus qiraje dhe strehim emergjent.",
                     "Social housing, rent subsidies and emergency shelter."),
     "target": ("familjet pa strehim", "homeless families"),
     "offers": [("strehim të përkohshëm", "temporary accommodation"),
                ("ndihmë për pagesën e qirasë", "help paying the rent"),
                ("informacion për programet e strehimit", "information on housing programmes")],
     "ages": None,
     "subs": [
         (("Banesa sociale", "Social housing"),
          [("Banesa sociale me qira", "Social rental housing"),
           ("Aplikim për banesë sociale", "Social housing application")]),
         (("Bonus qiraje", "Rent subsidy"),
          [("Bonus qiraje", "Rent subsidy"),
           ("Subvencionimi i interesit të kredisë", "Mortgage interest subsidy")]),
         (("Strehim emergjent", "Emergency shelter"),
          [("Strehëz nate", "Night shelter"), ("Strehim i përkohshëm", "Temporary housing")]),
     ]},
    {"icon": "legal-aid",
     "name": ("Ndihmë juridike", "Legal aid"),
     "description": ("Këshillim dhe përfaqësim ligjor falas, ndihmë me dokumentet civile.",
                     "Free legal advice and representation, help with civil documents."),
     "target": ("qytetarët me të ardhura të ulëta", "low-income residents"),
     "offers": [("ndihmë juridike falas", "free legal aid"),
                ("përfaqësim në gjykatë", "representation in court"),
                ("ndihmë me dokumentet civile", "help with civil documents")],
     "ages": None,
     "subs": [
         (("Ndihmë juridike falas", "Free legal aid"),
          [("Ndihmë juridike falas", "Free legal aid"),
           ("Përfaqësim në gjykatë", "Representation in court")]),
         (("Dokumente civile", "Civil documents"),
          [("Regjistrimi i lindjeve", "Birth registration"),
           ("Ndihmë për dokumentet e identitetit", "Help with identity documents")]),
         (("Këshillim ligjor", "Legal advice"),
          [("Këshillim ligjor për familjet", "Legal advice for families"),
           ("Këshillim për të drejtat në punë", "Employment rights advice"),
           ("Këshillim për pronën", "Property advice")]),
     ]},
    {"icon": "elderly",
     "name": ("Të moshuar", "Older people"),
     "description": ("Qendra ditore, kujdes në shtëpi dhe pension social për të moshuarit.",
                     "Day centres, home care and the social pension for older people."),
     "target": ("të moshuarit", "older people"),
     "offers": [("aktivitete shoqërore dhe kulturore", "social and cultural activities"),
                ("kujdes në shtëpi", "home care"),
                ("ushqim të ngrohtë çdo ditë", "a hot meal every day")],
     "ages": (65, None),
     "subs": [
         (("Qendra ditore për të moshuar", "Day centres for older people"),
          [("Qendra ditore për të moshuar", "Day centre for older people"),
           ("Klub për të moshuarit", "Club for older people")]),
         (("Kujdes në shtëpi", "Home care"),
          [("Kujdes në shtëpi", "Home care"),
           ("Shpërndarje ushqimi në shtëpi", "Meals on wheels"),
           ("Vizita mjekësore në shtëpi", "Home medical visits")]),
         (("Pension social", "Social pension"),
          [("Pension social", "Social pension"),
           ("Ndihmë për aplikimin për pension", "Help applying for a pension")]),
     ]},
    {"icon": "youth",
     "name": ("Të rinj", "Young people"),
     "description": ("Qendra rinore, bursa dhe vullnetarizëm.",
                     "Youth centres, study grants and volunteering."),
     "target": ("të rinjtë", "young people"),
     "offers": [("aktivitete sportive dhe kulturore", "sports and cultural activities"),
                ("mundësi vullnetarizmi", "volunteering opportunities"),
                ("mbështetje për arsimin", "educational support")],
     "ages": (15, 29),
     "subs": [
         (("Qendra rinore", "Youth centres"),
          [("Qendra rinore", "Youth centre"), ("Klub debati", "Debate club"),
           ("Aktivitete sportive për të rinjtë", "Sports activities for young people")]),
         (("Bursa studimi", "Study grants"),
          [("Bursë studimi", "Study grant"), ("Mbështetje për studentët", "Student support")]),
         (("Vullnetarizëm", "Volunteering"),
          [("Program vullnetarizmi", "Volunteering programme"),
           ("Shkëmbime rinore", "Youth exchanges")]),
     ]},
    {"icon": "women",
     "name": ("Gra dhe vajza", "Women and girls"),
     "description": ("Fuqizim ekonomik, shëndet dhe mbështetje për gratë dhe vajzat.",
                     "Economic empowerment, health and support for women and girls."),
     "target": ("gratë dhe vajzat", "women and girls"),
     "offers": [("trajnime për sipërmarrje", "entrepreneurship training"),
                ("këshillim shëndetësor", "health advice"),
                ("grupe mbështetjeje", "support groups")],
     "ages": None,
     "subs": [
         (("Fuqizim ekonomik", "Economic empowerment"),
          [("Grante për gratë sipërmarrëse", "Grants for women entrepreneurs"),
           ("Kurs për sipërmarrje", "Entrepreneurship course")]),
         (("Shëndeti i gruas", "Women's health"),
          [("Konsulta për shëndetin e gruas", "Women's health consultations"),
           ("Kontroll falas për gratë", "Free check-ups for women")]),
         (("Nëna të vetme", "Single mothers"),
          [("Mbështetje për nënat e vetme", "Support for single mothers"),
           ("Grup prindërish", "Parents' group")]),
     ]},
    {"icon": "health",
     "name": ("Shëndet", "Health"),
     "description": ("Kujdes shëndetësor parësor, shëndet mendor dhe ndihmë për varësitë.",
                     "Primary health care, mental health and help with addictions."),
     "target": ("familjet dhe individët", "families and individuals"),
     "offers": [("kontrolle mjekësore falas", "free medical check-ups"),
                ("këshillim psikologjik", "psychological counselling"),
                ("vaksinim dhe parandalim", "vaccination and prevention")],
     "ages": None,
     "subs": [
         (("Shëndet mendor", "Mental health"),
          [("Qendra e shëndetit mendor", "Mental health centre"),
           ("Këshillim psikologjik për të rinjtë", "Psychological counselling for young people")]),
         (("Kujdes parësor", "Primary care"),
          [("Qendra shëndetësore", "Health centre"), ("Vaksinim për fëmijët", "Childhood vaccination"),
           ("Kontroll mjekësor falas", "Free medical check-up")]),
         (("Varësitë", "Addictions"),
          [("Ndihmë për varësitë", "Addiction support"),
           ("Program për lënien e duhanit", "Stop-smoking programme")]),
     ]},
    {"icon": "information",
     "name": ("Informacion dhe orientim", "Information and guidance"),
     "description": ("Ku të drejtoheni: informacion për të gjitha shërbimet sociale.",
                     "Where to go: information on every social service."),
     "target": ("të gjithë qytetarët", "all residents"),
     "offers": [("informacion për të gjitha shërbimet sociale", "information on all social services"),
                ("ndihmë për aplikimet online", "help with online applications"),
                ("orientim drejt institucionit të duhur", "referral to the right institution")],
     "ages": None,
     "subs": [
         (("Sporteli i informacionit", "Information desk"),
          [("Sporteli i informacionit", "Information desk"),
           ("Orientim për shërbimet sociale", "Guidance on social services")]),
         (("Shërbime online", "Online services"),
          [("Ndihmë për e-Albania", "Help with e-Albania"),
           ("Kënd interneti falas", "Free internet corner")]),
         (("Përkthim dhe ndërmjetësim", "Interpreting and mediation"),
          [("Ndërmjetësim komunitar", "Community mediation"),
           ("Përkthim në gjuhën e shenjave", "Sign language interpreting")]),
     ]},
]

# town, latitude, longitude, postal code, county (qark), weight
TOWNS = [
    ("Elbasan", 41.1125, 20.0822, "3001", "Elbasan", 50),
    ("Cërrik", 41.0317, 19.9740, "3007", "Elbasan", 10),
    ("Peqin", 41.0461, 19.7514, "3501", "Elbasan", 8),
    ("Librazhd", 41.1796, 20.3156, "3401", "Elbasan", 8),
    ("Belsh", 40.9833, 19.8833, "3011", "Elbasan", 7),
    ("Gramsh", 40.8698, 20.1844, "3301", "Elbasan", 7),
    ("Korçë", 40.6186, 20.7808, "7001", "Korçë", 4),
]

NEIGHBOURHOODS = ["Kala", "Aqif Pasha", "Luigj Gurakuqi", "5 Maji", "Skënderbej", "Dyli Haxhire",
                  "28 Nëntori", "Sadik Petrela", "Kongresi i Elbasanit", "Brari"]

STREETS = ["Rruga Kostandin Kristoforidhi", "Rruga Aleksandër Xhuvani", "Rruga Naim Frashëri",
           "Rruga Ismail Qemali", "Rruga Qemal Stafa", "Rruga Sami Frashëri", "Rruga Gjergj Kastrioti",
           "Rruga Nënë Tereza", "Rruga Rinia", "Rruga Dëshmorët e Kombit", "Rruga Luigj Gurakuqi",
           "Rruga Mihal Grameno", "Rruga Thimi Mitko", "Rruga Çerçiz Topulli", "Rruga Bajram Curri",
           "Rruga Fan Noli", "Rruga Shefqet Kuka", "Rruga Hamdi Kurti", "Bulevardi Aleksandër Moisiu",
           "Rruga e Kavajës", "Rruga e Shkumbinit", "Rruga Lef Sallata"]

# Proper names for NGOs and named facilities (not translated).
PROPER = ["Shpresa", "Drita", "Ylberi", "Ardhmëria", "Mirëseardhja", "Bashkë", "Jeta", "Ura",
          "Hapi i Parë", "Miqësia", "Rrënjët", "Vatra", "Dielli", "Lulëkuqja", "Besa", "Agimi",
          "Gëzimi", "Mbështetja", "Kujdesi", "Horizonti", "Dallëndyshja", "Shkumbini", "Rruga e Re",
          "Mundësia", "Dora e Ngrohtë", "Zëri i Grave", "Përkrahja", "Çelësi", "Fllanza", "Yllka",
          "Zemra e Bardhë", "Kalaja", "Dardha", "Fluturat", "Ëndrra", "Qershia", "Çamëria",
          "Bletëzat", "Ulliri", "Pranvera"]

# Albanian name, its genitive (for "Zyra e ..."), the English pattern.
ORG_TYPES = [("Shoqata", "Shoqatës", "{} Association"), ("Fondacioni", "Fondacionit", "{} Foundation"),
             ("Qendra", "Qendrës", "{} Centre"), ("Rrjeti", "Rrjetit", "{} Network"),
             ("Organizata", "Organizatës", "{} Organisation"), ("Klubi", "Klubit", "{} Club"),
             ("Lëvizja", "Lëvizjes", "{} Movement")]

# Public bodies: Albanian name, English name, icon of their main field, their office (sq, en).
PUBLIC_BODIES = [
    ("Drejtoria e Shërbimeve Sociale, Bashkia {}", "Social Services Directorate, Municipality of {}",
     "economic-assistance", ("Zyrat e Drejtorisë së Shërbimeve Sociale {}", "{} Social Services Directorate")),
    ("Njësia e Mbrojtjes së Fëmijëve, Bashkia {}", "Child Protection Unit, Municipality of {}", "children",
     ("Zyra e Njësisë së Mbrojtjes së Fëmijëve {}", "{} Child Protection Unit office")),
    ("Zyra Vendore e Punësimit {}", "{} Local Employment Office", "employment",
     ("Zyra Vendore e Punësimit {}", "{} Local Employment Office")),
    ("Zyra e Ndihmës Juridike Falas {}", "{} Free Legal Aid Office", "legal-aid",
     ("Zyra e Ndihmës Juridike Falas {}", "{} Free Legal Aid Office")),
    ("Qendra Shëndetësore nr. 1 {}", "{} Health Centre No. 1", "health",
     ("Qendra Shëndetësore nr. 1 {}", "{} Health Centre No. 1")),
]

DOCUMENTS = [("Kartë identiteti", "Identity card"), ("Certifikatë familjare", "Family certificate"),
             ("Vërtetim banimi", "Proof of residence"), ("Certifikatë lindjeje e fëmijës", "Child's birth certificate"),
             ("Raport mjekësor nga KMCAP", "Medical report from the disability assessment commission"),
             ("Vërtetim page ose pensioni", "Salary or pension statement"),
             ("Vërtetim nga Zyra e Punësimit", "Certificate from the Employment Office"),
             ("Vendim gjykate", "Court decision"), ("Urdhër mbrojtjeje", "Protection order"),
             ("Deklaratë e të ardhurave të familjes", "Family income declaration"),
             ("Vërtetim pronësie", "Property certificate"), ("Librezë pensioni", "Pension booklet"),
             ("Dy fotografi", "Two photographs"), ("Kërkesë me shkrim", "Written application"),
             ("Vërtetim shkollimi", "Certificate of schooling"), ("Kontratë qiraje", "Rental contract"),
             ("Faturë e energjisë elektrike", "Electricity bill"), ("Librezë shëndeti", "Health booklet")]

LANGUAGES = [("Anglisht", "English", "en"), ("Italisht", "Italian", "it"), ("Greqisht", "Greek", "el"),
             ("Romisht", "Romani", "rom"), ("Gjuha shqipe e shenjave", "Albanian Sign Language", "sqk")]

FIRST_SENTENCES = [
    ("Shërbimi ofron {o} për {t} në {p}.", "The service offers {o} for {t} in {p}."),
    ("Këtu {t} gjejnë {o}.", "Here {t} can find {o}."),
    ("Ofrojmë {o}, si dhe {o2}, për {t}.", "We offer {o}, as well as {o2}, for {t}."),
    ("Ndihmojmë {t} në {p} me {o}.", "We help {t} in {p} with {o}."),
]
MORE_SENTENCES = [
    ("Takimet janë konfidenciale dhe pa pagesë.", "Appointments are confidential and free of charge."),
    ("Për raste urgjente telefononi në çdo kohë.", "In an emergency, call at any time."),
    ("Shërbimi zbatohet në bashkëpunim me Bashkinë Elbasan.",
     "The service is run together with the Municipality of Elbasan."),
    ("Ju lutemi sillni dokumentet origjinale dhe nga një kopje.",
     "Please bring the original documents and a copy of each."),
    ("Vendet janë të kufizuara, prandaj lini takim paraprakisht.",
     "Places are limited, so please book an appointment in advance."),
    ("Punonjësi social vlerëson nevojat e secilës familje.", "A social worker assesses each family's needs."),
    ("Aktivitetet zhvillohen në grupe të vogla.", "Activities take place in small groups."),
    ("Shërbimi financohet nga Fondi Social.", "The service is funded by the Social Fund."),
    ("Stafi flet shqip dhe anglisht.", "The staff speak Albanian and English."),
    ("Ambientet janë të përshtatura për karroca.", "The premises are wheelchair accessible."),
    ("Çdo muaj organizojmë takime informuese me komunitetin.",
     "Every month we hold information meetings with the community."),
    ("Shërbimi mbulon edhe fshatrat përreth.", "The service also covers the surrounding villages."),
    ("Gjatë verës orari mund të ndryshojë.", "Opening hours may change in summer."),
    ("Ndiqni njoftimet në faqen e bashkisë.", "Follow the announcements on the municipality's website."),
]
ELIGIBILITY_EXTRA = [
    ("Përparësi kanë familjet me shumë fëmijë.", "Families with many children have priority."),
    ("Nevojitet vlerësimi i punonjësit social.", "An assessment by a social worker is required."),
    ("Aplikuesi duhet të jetë i regjistruar në gjendjen civile të bashkisë.",
     "Applicants must be on the municipality's civil register."),
    ("Të ardhurat e familjes nuk duhet të kalojnë kufirin e përcaktuar me vendim.",
     "Family income must not exceed the limit set by decision."),
]
APPLICATION = [
    ("Paraqituni në zyrë me dokumentet e kërkuara.", "Come to the office with the required documents."),
    ("Telefononi për të lënë një takim.", "Call to book an appointment."),
    ("Plotësoni formularin në sportel; përgjigjen e merrni brenda 15 ditëve.",
     "Fill in the form at the desk; you will get an answer within 15 days."),
    ("Aplikoni në e-Albania ose në sportelin e bashkisë.", "Apply on e-Albania or at the municipal desk."),
    ("Punonjësi social ju viziton në shtëpi pas kërkesës suaj.",
     "A social worker visits you at home after your request."),
    ("Nuk nevojitet takim: ejani gjatë orarit të punës.", "No appointment needed: come during opening hours."),
    ("Referimi bëhet nga njësia e mbrojtjes së fëmijëve ose nga policia.",
     "Referral is made by the child protection unit or by the police."),
]
FEES = [("Falas", "Free"), ("Falas", "Free"), ("Falas", "Free"), ("Pa pagesë", "Free of charge"),
        ("Falas për familjet që marrin ndihmë ekonomike; për të tjerët 500 lekë në muaj.",
         "Free for families receiving economic assistance; 500 lek a month for others."),
        ("Tarifë simbolike prej 200 lekë për seancë.", "A symbolic fee of 200 lek per session.")]
NOTES = [("Pushim dreke 12:00-12:30", "Lunch break 12:00-12:30"), ("Vetëm me takim", "By appointment only"),
         ("Mbyllur në festat zyrtare", "Closed on public holidays")]
ACCESSIBILITY = [("Hyrje pa shkallë", "Step-free entrance"), ("Ashensor", "Lift"),
                 ("Tualet i përshtatur", "Accessible toilet"), ("Rampë në hyrje", "Ramp at the entrance"),
                 ("Parkim për persona me aftësi të kufizuara", "Disabled parking")]
PHONE_DESCRIPTIONS = [("Linja e informacionit", "Information line"), ("Sekretaria", "Reception"),
                      ("Linja falas", "Free line")]

WEEKDAYS = "MO,TU,WE,TH,FR"
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"
# Weekly patterns: (weight, [(byday, opens, closes, valid_from, valid_to, note index or None)]).
SCHEDULE_PATTERNS: list[tuple[int, list[tuple]]] = [
    (30, [(WEEKDAYS, "08:00", "16:00", None, None, None)]),
    (10, [(WEEKDAYS, "08:30", "16:30", None, None, 0)]),
    (6, [(WEEKDAYS, "08:00", "12:00", None, None, None), (WEEKDAYS, "13:00", "17:00", None, None, None)]),
    (8, [("MO,WE,FR", "09:00", "13:00", None, None, None)]),
    (6, [("TU,TH", "14:00", "18:00", None, None, 1)]),
    (8, [(WEEKDAYS, "08:00", "16:00", None, None, None), ("SA", "09:00", "13:00", None, None, None)]),
    (3, [("SA,SU", "10:00", "14:00", None, None, None)]),
    (5, [("MO,TU,WE,TH", "07:30", "15:30", None, None, 2)]),
    (3, [(EVERY_DAY, "00:00", "24:00", None, None, None)]),
    (3, [(EVERY_DAY, "19:00", "07:00", None, None, None)]),
    (2, [("FR,SA", "20:00", "02:00", None, None, None)]),
    (3, [(WEEKDAYS, "08:00", "16:00", None, "2027-06-30", None),
         (WEEKDAYS, "07:00", "13:00", "2027-07-01", "2027-08-31", None),
         (WEEKDAYS, "08:00", "16:00", "2027-09-01", None, None)]),
]
SUMMER_NOTE = ("Orari i verës", "Summer hours")


class _Random(random.Random):
    """``random.Random`` with cheaper choice/sample/randrange, built only on ``random()``.

    They give other draws than the standard methods, and the same ones on every Python version.
    """

    def choice(self, seq: Sequence[Any]) -> Any:
        return seq[int(self.random() * len(seq))]

    def randrange(self, start: int, stop: int | None = None) -> int:  # type: ignore[override]
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def sample(self, population: Sequence[Any], k: int) -> list[Any]:  # type: ignore[override]
        pool = list(population)
        n = len(pool)
        for i in range(k):
            j = i + int(self.random() * (n - i))
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]

    def weighted(self, population: Sequence[Any], cumulative: Sequence[float]) -> Any:
        return population[bisect.bisect(cumulative, self.random() * cumulative[-1])]


def _cumulative(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


TOWN_CUMULATIVE = _cumulative([t[5] for t in TOWNS])
PATTERN_CUMULATIVE = _cumulative([p[0] for p in SCHEDULE_PATTERNS])


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _slug(text: str) -> str:
    folded = text.lower().replace("ë", "e").replace("ç", "c")
    return "-".join("".join(ch if ch.isascii() and ch.isalnum() else " " for ch in folded).split())


class _Synth:
    """One generation run: every random choice comes from ``self.rng``, in a fixed order."""

    def __init__(self, services: int, seed: int):
        if services < 0:
            raise ValueError("services must be >= 0")
        self.n = services
        self.rng = _Random(seed)
        self.taxonomy_id = self.uid()
        self.terms: list[dict[str, Any]] = []
        self.nested: dict[str, dict[str, Any]] = {}   # term id -> the copy nested in attributes
        self.subs: dict[str, list[tuple[dict, list]]] = {}   # icon -> [(sub-term, kinds)]
        self.category: dict[str, dict[str, Any]] = {}
        self._taxonomy()
        self.orgs: list[dict[str, Any]] = []
        self.loc_town: dict[str, tuple] = {}
        self._organizations(max(3, round(services / 8)))
        self.names: set[str] = set()
        self.base_day = date(2025, 11, 1)
        self.base_moment = datetime(2025, 11, 1, tzinfo=timezone.utc)

    # --- primitives ---------------------------------------------------------------------------
    def uid(self) -> str:
        """A random version-4 UUID (the same as ``uuid.UUID(int=getrandbits(128), version=4)``)."""
        n = self.rng.getrandbits(128)
        n = (n & ~(0xC000 << 48)) | (0x8000 << 48)
        n = (n & ~(0xF000 << 64)) | (4 << 76)
        h = "%032x" % n
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def phone_number(self) -> str:
        r = self.rng.randrange
        return f"+355 54 {r(200, 600)} {r(1000):03d}"

    def town(self) -> tuple:
        return self.rng.weighted(TOWNS, TOWN_CUMULATIVE)

    # --- the category tree --------------------------------------------------------------------
    def _taxonomy(self) -> None:
        for order, cat in enumerate(CATEGORIES, 1):
            icon = cat["icon"]
            self.category[icon] = cat
            top = {"id": self.uid(), "name": cat["name"][0], "description": cat["description"][0],
                   "parent_id": None, "taxonomy_id": self.taxonomy_id, "code": icon, "x_icon": icon,
                   "x_order": order,
                   TR: {"en": {"name": cat["name"][1], "description": cat["description"][1]}}}
            self.terms.append(top)
            self.nested[top["id"]] = {k: top[k] for k in ("id", "name", "description", "taxonomy_id",
                                                          "code")}
            self.subs[icon] = []
            for sub_order, ((sq, en), kinds) in enumerate(cat["subs"], 1):
                sub = {"id": self.uid(), "name": sq, "description": f"{sq} ({cat['name'][0]})",
                       "parent_id": top["id"], "taxonomy_id": self.taxonomy_id,
                       "code": f"{icon}.{sub_order}", "x_icon": icon, "x_order": sub_order,
                       TR: {"en": {"name": en, "description": f"{en} ({cat['name'][1]})"}}}
                self.terms.append(sub)
                self.nested[sub["id"]] = {k: sub[k] for k in ("id", "name", "description", "parent_id",
                                                              "taxonomy_id", "code")}
                self.subs[icon].append((sub, kinds))

    # --- organizations and their locations ----------------------------------------------------
    def _organizations(self, count: int) -> None:
        rng = self.rng
        icons = list(self.category)
        used: set[str] = set()
        used_slugs: set[str] = set()
        public_left = [(body, town) for town in TOWNS for body in PUBLIC_BODIES]
        for i in range(count):
            if i == 0:
                body, town = public_left.pop(0)
            elif public_left and rng.random() < 0.08:
                body, town = public_left.pop(rng.randrange(len(public_left)))
            else:
                body, town = None, self.town()
            name, name_en, focus, kind, description, office, year = self._identity(body, town, used, icons)
            used.add(name)
            slug = base_slug = _slug(name_en)[:50].strip("-")
            k = 2
            while slug in used_slugs:
                slug, k = f"{base_slug}-{k}", k + 1
            used_slugs.add(slug)
            org: dict[str, Any] = {
                "id": self.uid(), "name": name, "description": description[0],
                "email": f"info@{slug}.example.org", "website": f"https://{slug}.example.org/",
                "legal_status": kind[0],
                "phones": [{"id": self.uid(), "number": self.phone_number(), "type": "voice"}],
                "x_demo": True,
                TR: {"en": {"name": name_en, "description": description[1], "legal_status": kind[1]}},
            }
            if not body:
                org["year_incorporated"] = year
            if rng.random() < 0.25:
                org["contacts"] = [{"id": self.uid(), "title": "Koordinator/e", "department": "Sekretaria",
                                    "email": f"kontakt@{slug}.example.org",
                                    "phones": [{"id": self.uid(), "number": self.phone_number()}],
                                    TR: {"en": {"title": "Coordinator", "department": "Reception"}}}]
            locations = [self._location(org["id"], town, office)]
            for _ in range(rng.choice((0, 0, 1, 2))):
                locations.append(self._location(org["id"], self.town(), None))
            self.orgs.append({"org": org, "locations": locations, "focus": focus, "town": town})

    def _identity(self, body: tuple | None, town: tuple, used: set[str],
                  icons: list[str]) -> tuple[str, str, list[str], tuple, tuple, tuple, int | None]:
        """Name, English name, focus, legal kind, description, office and year of an organization."""
        rng = self.rng
        if body:
            name, name_en = body[0].format(town[0]), body[1].format(town[0])
            focus = [body[2]]
            kind = ("Institucion publik", "Public institution")
            description = (f"Institucion publik që ofron shërbime për banorët në {town[0]} "
                           f"dhe në njësitë administrative përreth.",
                           f"A public institution serving the residents of {town[0]} "
                           f"and the surrounding administrative units.")
            office = (body[3][0].format(town[0]), body[3][1].format(town[0]))
        else:
            otype = rng.choice(ORG_TYPES)
            proper = rng.choice(PROPER)
            name, name_en = f"{otype[0]} {proper}", otype[2].format(proper)
            if rng.random() < 0.3 or name in used:
                name += f", dega {town[0]}"
                name_en += f", {town[0]} branch"
            k = 2
            base, base_en = name, name_en
            while name in used:
                name, name_en = f"{base} nr. {k}", f"{base_en} No. {k}"
                k += 1
            focus = rng.sample(icons, rng.choice((1, 1, 2, 3)))
            kind = ("Organizatë jofitimprurëse", "Non-profit organisation")
            target = self.category[focus[0]]["target"]
            year = rng.randrange(1992, 2025)
            description = (f"Organizatë jofitimprurëse që punon me {target[0]} në {town[0]} "
                           f"që nga viti {year}.",
                           f"A non-profit organisation working with {target[1]} in {town[0]} "
                           f"since {year}.")
            office = (f"Zyra e {otype[1]} {proper}", otype[2].format(proper) + " office")
            return name, name_en, focus, kind, description, office, year
        return name, name_en, focus, kind, description, office, None

    def _location(self, org_id: str, town: tuple, office: tuple | None) -> dict[str, Any]:
        rng = self.rng
        name, lat, lon, postal, county, _ = town
        nbh = rng.choice(NEIGHBOURHOODS) if name == "Elbasan" and rng.random() < 0.6 else None
        if office:
            loc_name = office
        elif nbh:
            loc_name = (f"Qendra Komunitare Lagjja {nbh}", f"{nbh} Neighbourhood Community Centre")
        else:
            loc_name = rng.choice(((f"Qendra Komunitare {name}", f"{name} Community Centre"),
                                   (f"Zyra e Shërbimeve Sociale {name}", f"{name} Social Services Office"),
                                   (f"Godina e Bashkisë {name}", f"{name} Town Hall")))
        street = f"{rng.choice(STREETS)}, Nr. {rng.randrange(1, 120)}"
        address: dict[str, Any] = {
            "id": self.uid(), "address_1": f"Lagjja {nbh}, {street}" if nbh else street, "city": name,
            "state_province": county, "postal_code": postal, "country": "AL", "address_type": "physical"}
        if rng.random() < 0.25:
            address["address_2"] = f"Kati {rng.randrange(1, 5)}"
        en: dict[str, Any] = {"name": loc_name[1]}
        loc: dict[str, Any] = {
            "id": self.uid(), "location_type": "physical", "organization_id": org_id, "name": loc_name[0],
            "latitude": round(lat + rng.gauss(0, 0.008), 6), "longitude": round(lon + rng.gauss(0, 0.008), 6),
            "addresses": [address], TR: {"en": en},
        }
        roll = rng.random()
        if roll < 0.4:
            line = rng.randrange(1, 7)
            loc["transportation"] = f"Autobusi urban, linja {line}"
            en["transportation"] = f"City bus, line {line}"
        elif roll < 0.7:
            minutes = rng.randrange(3, 25)
            loc["transportation"] = f"{minutes} minuta në këmbë nga sheshi qendror"
            en["transportation"] = f"{minutes} minutes' walk from the main square"
        count = rng.choice((0, 1, 1, 2))
        if count:
            loc["accessibility"] = [{"id": self.uid(), "description": sq, TR: {"en": {"description": e}}}
                                    for sq, e in rng.sample(ACCESSIBILITY, count)]
        if rng.random() < 0.08:
            loc["schedules"] = self.schedules()
        self.loc_town[loc["id"]] = town
        return loc

    # --- services -----------------------------------------------------------------------------
    def schedules(self) -> list[dict[str, Any]]:
        rng = self.rng
        pattern = rng.weighted(SCHEDULE_PATTERNS, PATTERN_CUMULATIVE)[1]
        out = []
        for byday, opens, closes, valid_from, valid_to, note in pattern:
            s: dict[str, Any] = {"id": self.uid(), "freq": "WEEKLY", "byday": byday,
                                 "opens_at": opens, "closes_at": closes}
            if valid_from:
                s["valid_from"] = valid_from
            if valid_to:
                s["valid_to"] = valid_to
            if valid_from and valid_to:
                s["notes"] = SUMMER_NOTE[0]
                s[TR] = {"en": {"notes": SUMMER_NOTE[1]}}
            elif note is not None and rng.random() < 0.5:
                s["notes"] = NOTES[note][0]
                s[TR] = {"en": {"notes": NOTES[note][1]}}
            out.append(s)
        return out

    def _name(self, kind: tuple[str, str], place: tuple) -> tuple[str, str]:
        rng = self.rng
        for _ in range(4):
            roll = rng.random()
            if roll < 0.3:
                name = (f"{kind[0]} në {place[0]}", f"{kind[1]} in {place[0]}")
            elif roll < 0.5:
                p = rng.choice(PROPER)
                name = (f"{kind[0]} {p}", f"{kind[1]} {p}")
            elif roll < 0.65:
                k = rng.randrange(1, 31)
                name = (f"{kind[0]} nr. {k}, {place[0]}", f"{kind[1]} No. {k}, {place[0]}")
            elif roll < 0.8 and place[0] == "Elbasan":
                nbh = rng.choice(NEIGHBOURHOODS)
                name = (f"{kind[0]}, Lagjja {nbh}", f"{kind[1]}, {nbh} neighbourhood")
            elif roll < 0.95:
                p = rng.choice(PROPER)
                name = (f"{kind[0]} {p}, {place[0]}", f"{kind[1]} {p}, {place[0]}")
            else:
                name = kind
            if name[0] not in self.names:
                break
        self.names.add(name[0])
        return name

    def service(self, index: int) -> dict[str, Any]:
        rng = self.rng
        orgs = self.orgs
        owner = orgs[index] if index < len(orgs) else orgs[int(len(orgs) * rng.random() ** 1.6)]
        org = owner["org"]
        icon = rng.choice(owner["focus"]) if rng.random() < 0.8 else rng.choice(list(self.category))
        cat = self.category[icon]
        sub, kinds = rng.choice(self.subs[icon])
        kind = rng.choice(kinds)
        locations = owner["locations"]
        chosen = rng.sample(locations, 1 if len(locations) == 1 or rng.random() < 0.7 else 2)
        place = self.loc_town[chosen[0]["id"]]
        sid = self.uid()
        name = self._name(kind, place)

        texts, en_tr = self._service_texts(cat, place, name)

        roll = rng.random()
        status = "active" if roll < 0.95 else ("temporarily closed" if roll < 0.98 else "inactive")
        svc: dict[str, Any] = {
            "id": sid, "name": name[0], "status": status,
            "organization_id": org["id"],
            **texts,
            "assured_date": (self.base_day + timedelta(days=rng.randrange(365))).isoformat(),
            "last_modified": feedmod.format_timestamp(
                self.base_moment + timedelta(seconds=rng.randrange(365 * 86400))),
        }
        if status == "temporarily closed":
            svc["alert"] = "Mbyllur përkohësisht për rikonstruksion."
            en_tr["alert"] = "Temporarily closed for renovation."
        if cat["ages"] and rng.random() < 0.7:
            low, high = cat["ages"]
            svc["minimum_age"] = low
            if high is not None:
                svc["maximum_age"] = high
        if rng.random() < 0.1:
            svc["interpretation_services"] = "Përkthim në gjuhën e shenjave me kërkesë."
            en_tr["interpretation_services"] = "Sign language interpreting on request."
        if rng.random() < 0.3:
            svc["email"] = org["email"]
        svc["organization"] = org

        self._service_places(svc, chosen)
        self._service_lists(svc, sub)
        svc["x_demo"] = True
        svc[TR] = {"en": en_tr}
        return svc

    def _service_texts(self, cat: dict[str, Any], place: tuple, name: tuple) -> tuple[dict[str, Any], dict[str, Any]]:
        """A service's description, eligibility, application and fees (Albanian), and the English."""
        rng = self.rng
        target = cat["target"]
        o1, o2 = rng.sample(cat["offers"], 2)
        first = rng.choice(FIRST_SENTENCES)
        sentences = [_cap(first[0].format(o=o1[0], o2=o2[0], t=target[0], p=place[0]))]
        sentences_en = [_cap(first[1].format(o=o1[1], o2=o2[1], t=target[1], p=place[0]))]
        for sq, en in rng.sample(MORE_SENTENCES, rng.choice((0, 1, 1, 2, 3))):
            sentences.append(sq)
            sentences_en.append(en)
        eligibility = [f"{_cap(target[0])} me banim në {place[0]} ose në njësitë administrative përreth."]
        eligibility_en = [f"{_cap(target[1])} living in {place[0]} or the surrounding administrative units."]
        if rng.random() < 0.5:
            sq, en = rng.choice(ELIGIBILITY_EXTRA)
            eligibility.append(sq)
            eligibility_en.append(en)
        application = rng.choice(APPLICATION)
        fees = rng.choice(FEES)
        en_tr: dict[str, Any] = {
            "name": name[1], "description": " ".join(sentences_en),
            "eligibility_description": " ".join(eligibility_en),
            "application_process": application[1], "fees_description": fees[1]}
        texts = {"description": " ".join(sentences), "eligibility_description": " ".join(eligibility),
                 "application_process": application[0], "fees_description": fees[0]}
        return texts, en_tr

    def _service_places(self, svc: dict[str, Any], chosen: list[dict[str, Any]]) -> None:
        """Its phone, its schedules and where it is given."""
        rng = self.rng
        phone: dict[str, Any] = {"id": self.uid(), "number": self.phone_number(), "type": "voice"}
        if rng.random() < 0.3:
            sq, en = rng.choice(PHONE_DESCRIPTIONS)
            phone["description"] = sq
            phone[TR] = {"en": {"description": en}}
        svc["phones"] = [phone]

        where = rng.random()
        svc["schedules"] = self.schedules() if where < 0.15 else []
        svc["service_at_locations"] = [
            {"id": self.uid(), "location_id": loc["id"], "location": loc,
             "schedules": self.schedules() if where >= 0.25 else []}
            for loc in chosen]

    def _service_lists(self, svc: dict[str, Any], sub: dict[str, Any]) -> None:
        """Its documents, languages and categories."""
        rng = self.rng
        svc["required_documents"] = [
            {"id": self.uid(), "document": sq, TR: {"en": {"document": en}}}
            for sq, en in rng.sample(DOCUMENTS, rng.randrange(2, 5))]
        languages = [{"id": self.uid(), "name": "Shqip", "code": "sq", TR: {"en": {"name": "Albanian"}}}]
        for sq, en, code in rng.sample(LANGUAGES, rng.choice((0, 0, 1, 1, 2))):
            languages.append({"id": self.uid(), "name": sq, "code": code, TR: {"en": {"name": en}}})
        svc["languages"] = languages

        term_ids = [sub["id"]]
        roll = rng.random()
        if roll < 0.25:
            other = rng.choice(self.subs[rng.choice(list(self.category))])[0]["id"]
            if other != sub["id"]:
                term_ids.append(other)
        elif roll < 0.35:
            term_ids.append(sub["parent_id"])
        svc["attributes"] = [
            {"id": self.uid(), "link_entity": "service", "link_id": svc["id"], "taxonomy_term_id": tid,
             "taxonomy_term": self.nested[tid]}
            for tid in term_ids]

    def services(self) -> Iterator[dict[str, Any]]:
        """The services, in order; the organizations and locations are made beforehand."""
        for i in range(self.n):
            yield self.service(i)

    def envelope(self, version: int, services: list[dict[str, Any]]) -> dict[str, Any]:
        return feedmod.new_document(
            services, self.terms, version=version,
            taxonomy={"id": self.taxonomy_id, "name": "Kategoritë e shërbimeve sociale",
                      "description": "Kategoritë e shërbimeve sociale në katalogun sintetik.",
                      TR: {"en": {"name": "Social service categories",
                                  "description": "Social service categories of the synthetic catalogue."}}},
            publisher={"name": "Qendra e Informacionit për Shërbimet Sociale, Bashkia Elbasan "
                               "(katalog sintetik)",
                       TR: {"en": {"name": "Social Services Information Centre, Municipality of Elbasan "
                                           "(synthetic catalogue)"}}},
            generated_at=GENERATED_AT, expires_at=EXPIRES_AT)


def generate(services: int, seed: int = 1, version: int = 1) -> dict[str, Any]:
    """A feed document of ``services`` synthetic services; the same arguments give the same document."""
    synth = _Synth(services, seed)
    enabled = gc.isenabled()
    gc.disable()   # millions of new dicts and no cycles: the collector would only rescan them
    try:
        return synth.envelope(version, list(synth.services()))
    finally:
        if enabled:
            gc.enable()


def iter_bytes(services: int, seed: int = 1, version: int = 1) -> Iterator[bytes]:
    """``sync.feed.document.dumps(generate(...))`` in pieces, generating one service at a time."""
    synth = _Synth(services, seed)
    marker = b'"services":[]'
    head, tail = feedmod.dumps(synth.envelope(version, [])).split(marker)
    yield head + b'"services":['
    for i, svc in enumerate(synth.services()):
        yield (b"," if i else b"") + feedmod.dumps(svc)
    yield b"]" + tail


def write(path: str | Path, services: int, seed: int = 1, version: int = 1) -> int:
    """Write the feed to ``path`` (through a temporary file, then renamed); returns its size in bytes."""
    path = Path(path)
    size = 0
    with open_atomic(path) as out:
        for chunk in iter_bytes(services, seed, version):
            out.write(chunk)
            size += len(chunk)
    return size


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sync.publish.synth",
                                     description="Write a synthetic catalogue feed (demo data) for benchmarks.")
    parser.add_argument("--services", type=int, required=True, help="number of services")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--version", type=int, default=1, help="catalogue version of the feed (default 1)")
    parser.add_argument("--out", required=True, help="the feed file to write")
    args = parser.parse_args(argv)
    if args.services < 0:
        parser.error("--services must be >= 0")
    started = time.perf_counter()
    size = write(args.out, args.services, args.seed, args.version)
    print(f"{args.out}: {args.services} services, {size / 1e6:.1f} MB in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The kiosk's catalogue tables: HSDS 3.0 entities in SQLAlchemy 2.0's typed ORM.

The database is an index derived from the last verified feed (see :mod:`kiosk.catalogue.store`):
it is rebuilt, never migrated, so :data:`SCHEMA_VERSION` only has to change with the tables.

Plain text columns hold the default language (Albanian), as HSDS does; ``translations`` holds the
other languages per field (``{"en": {"name": "..."}}``) and :meth:`Translatable.t` falls back to the
Albanian value field by field. ``extra`` keeps, as they came, the feed fields that no column holds
(see :mod:`kiosk.catalogue.extra`).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import (JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, PrimaryKeyConstraint,
                        String, Text)
from sqlalchemy.ext.associationproxy import association_proxy
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from kiosk.catalogue.cards import untranslated
from sync.feed.document import UUID_RE

SCHEMA_VERSION = 14  # 5: every record keeps the fields no column holds (extra); 6: urgent and sensitive;
# 7: a contentless search index without prefix indexes, search_doc; leaf rows without an id index;
# 8: each service's timetable kept once (timetable, service.timetable_id), intervals per timetable;
# 9: ids and the references to them kept as 16 bytes when they are UUIDs (Key); a service's
# documents and languages in tables without rowids, keyed by their service, each distinct
# wording of them once (document_text, language_text); 10: a schedule row per owner (a shared
# schedule id kept by the service, the service_at_location and the location alike); 11: times
# written in UTC kept as a summer and a winter interval (opening_interval.summer); 12: a phone row
# and a contact row per owner (a shared phone or contact id kept by each owner), a contact's phones
# by its row (phone.contact_row); 13: the "open now" index honours until and dtstart and leaves
# out rules the kiosk cannot follow week by week (interval, count, days of the month); 14: the
# contacts of a location and of a service_at_location are rows (contact.location_id,
# contact.service_at_location_id), not only the raw JSON of their owner's extra
DEFAULT_LANGUAGE = "sq"


def pack_key(value: Any) -> Any:
    """An id as the database keeps it: a UUID in its canonical form (lower case, hyphens) as its
    16 bytes, anything else (another directory's ids) as the text it is."""
    if isinstance(value, str) and len(value) == 36 and UUID_RE.match(value):
        return bytes.fromhex(value.replace("-", ""))
    return value


def key_text(value: Any) -> Any:
    """The id a row's key stands for, for a value read with plain SQL (:func:`pack_key` undone)."""
    if isinstance(value, bytes):
        h = value.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return value


class Key(TypeDecorator):
    """A record's id, or a reference to one. Feeds name records by UUID, 36 characters of text;
    kept as their 16 bytes they take less than half the room in every row and index that holds
    them (a fifth of the file at 100k services). A text id that is not a canonical UUID is kept
    as text, so every id reads back exactly as the feed wrote it. The column is declared text, so
    SQLite keeps each value as it is given (bytes as a blob, text as text) and an id never
    equals one of the other kind."""

    impl = String(36)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return pack_key(value)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return key_text(value)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON}


class Translatable:
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    def t(self, field: str, lang: str) -> Any:
        """``field`` in ``lang``, or the Albanian value when that language lacks it, marked
        :class:`~kiosk.catalogue.cards.Albanian` (speech reads it with the Albanian voice)."""
        if lang == DEFAULT_LANGUAGE:
            return getattr(self, field)
        if self.translations:
            value = self.translations.get(lang, {}).get(field)
            if value not in (None, ""):
                return value
        return untranslated(getattr(self, field))


class LeafRow:
    """A record that no other table points at (a phone, a schedule, a document...): its ``id`` is
    the ORM's key but not the table's, so SQLite keeps no index of ids beside the rows (the build
    adds each id once; nothing looks these rows up by id, only by their owner's index). At 100k
    services those indexes of 36-character ids were a tenth of the file."""

    id: Mapped[str] = mapped_column(Key, nullable=False, sort_order=-5)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"primary_key": [cls.__table__.c.id]}


def owned_by(owner: str) -> tuple:
    """Table arguments of leaf rows that always have an owner (a service's documents and
    languages): the rows are kept in their owner's order, in a table without rowids keyed by
    (owner, id), so reading a service's rows needs no separate index of owners beside them. The
    key's columns come first in the table (``sort_order``): SQLite 3.40's integrity check misreads
    the NOT NULL columns of a table without rowids whose key columns do not."""
    return (PrimaryKeyConstraint(owner, "id"), {"sqlite_with_rowid": False})


class Meta(Base):
    """Facts about the loaded catalogue: feed version, generation time, source, demo flag."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Taxonomy(Base):
    __tablename__ = "taxonomy"
    id: Mapped[str] = mapped_column(Key, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ServiceTerm(LeafRow, Base):
    """HSDS ``attribute`` linking a service to a taxonomy term (a category)."""

    __tablename__ = "service_term"
    # (a table with rowids: its index of terms would otherwise hold the whole key of each row)
    service_id: Mapped[str] = mapped_column(Key, ForeignKey("service.id", ondelete="CASCADE"), index=True)
    term_id: Mapped[str] = mapped_column(Key, ForeignKey("taxonomy_term.id", ondelete="CASCADE"), index=True)
    value: Mapped[Optional[str]] = mapped_column(Text)


class TaxonomyTerm(Translatable, Base):
    __tablename__ = "taxonomy_term"
    id: Mapped[str] = mapped_column(Key, primary_key=True)
    parent_id: Mapped[Optional[str]] = mapped_column(Key, ForeignKey("taxonomy_term.id"), index=True)
    taxonomy_id: Mapped[Optional[str]] = mapped_column(Key, ForeignKey("taxonomy.id"))
    code: Mapped[Optional[str]] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    icon: Mapped[Optional[str]] = mapped_column(String(64))           # a bundled icon's name
    icon_url: Mapped[Optional[str]] = mapped_column(Text)             # a published icon ...
    icon_sha256: Mapped[Optional[str]] = mapped_column(String(64))    # ... and its hash
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)   # x_sensitive
    neutral_title: Mapped[Optional[str]] = mapped_column(Text)         # x_neutral_title

    parent: Mapped[Optional["TaxonomyTerm"]] = relationship(remote_side="TaxonomyTerm.id",
                                                            back_populates="children")
    children: Mapped[list["TaxonomyTerm"]] = relationship(back_populates="parent",
                                                          order_by="TaxonomyTerm.sort_order")


class Organization(Translatable, Base):
    __tablename__ = "organization"
    id: Mapped[str] = mapped_column(Key, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    alternate_name: Mapped[Optional[str]] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[Optional[str]] = mapped_column(Text)
    website: Mapped[Optional[str]] = mapped_column(Text)
    logo: Mapped[Optional[str]] = mapped_column(Text)
    logo_sha256: Mapped[Optional[str]] = mapped_column(String(64))
    year_incorporated: Mapped[Optional[int]] = mapped_column(Integer)
    legal_status: Mapped[Optional[str]] = mapped_column(Text)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)

    services: Mapped[list["Service"]] = relationship(back_populates="organization",
                                                     order_by="Service.name")
    phones: Mapped[list["Phone"]] = relationship(
        primaryjoin="and_(Organization.id == Phone.organization_id, Phone.contact_id.is_(None))",
        viewonly=True, order_by="Phone.position")
    contacts: Mapped[list["Contact"]] = relationship(
        primaryjoin="and_(Organization.id == Contact.organization_id, Contact.service_id.is_(None))",
        viewonly=True, order_by="Contact.position")


class Service(Translatable, Base):
    __tablename__ = "service"
    id: Mapped[str] = mapped_column(Key, primary_key=True)
    organization_id: Mapped[str] = mapped_column(Key, ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    # Derived when built: the service's opening intervals, packed (NULL when it has none).
    timetable_id: Mapped[Optional[int]] = mapped_column(ForeignKey("timetable.id"), index=True)
    alternate_name: Mapped[Optional[str]] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[Optional[str]] = mapped_column(Text)
    email: Mapped[Optional[str]] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32), default="active")
    interpretation_services: Mapped[Optional[str]] = mapped_column(Text)
    application_process: Mapped[Optional[str]] = mapped_column(Text)
    fees_description: Mapped[Optional[str]] = mapped_column(Text)
    eligibility_description: Mapped[Optional[str]] = mapped_column(Text)
    minimum_age: Mapped[Optional[float]] = mapped_column(Float)
    maximum_age: Mapped[Optional[float]] = mapped_column(Float)
    alert: Mapped[Optional[str]] = mapped_column(Text)
    assured_date: Mapped[Optional[date]] = mapped_column(Date)
    last_modified: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    urgent_order: Mapped[Optional[int]] = mapped_column(Integer, index=True)  # x_urgent
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)          # x_sensitive
    neutral_title: Mapped[Optional[str]] = mapped_column(Text)                # x_neutral_title

    organization: Mapped[Organization] = relationship(back_populates="services")
    terms: Mapped[list[TaxonomyTerm]] = relationship(secondary="service_term", viewonly=True,
                                                     order_by="TaxonomyTerm.sort_order")
    term_links: Mapped[list[ServiceTerm]] = relationship(viewonly=True)
    phones: Mapped[list["Phone"]] = relationship(
        primaryjoin="and_(Service.id == Phone.service_id, Phone.service_at_location_id.is_(None),"
                    " Phone.contact_id.is_(None))",
        viewonly=True, order_by="Phone.position")
    schedules: Mapped[list["Schedule"]] = relationship(
        primaryjoin="and_(Service.id == Schedule.service_id,"
                    " Schedule.service_at_location_id.is_(None))",
        viewonly=True, order_by="Schedule.position")
    documents: Mapped[list["RequiredDocument"]] = relationship(order_by="RequiredDocument.position")
    languages: Mapped[list["Language"]] = relationship(order_by="Language.position")
    contacts: Mapped[list["Contact"]] = relationship(
        primaryjoin="Service.id == Contact.service_id", viewonly=True, order_by="Contact.position")
    service_at_locations: Mapped[list["ServiceAtLocation"]] = relationship(
        back_populates="service", order_by="ServiceAtLocation.position")


class Location(Translatable, Base):
    __tablename__ = "location"
    id: Mapped[str] = mapped_column(Key, primary_key=True)
    organization_id: Mapped[Optional[str]] = mapped_column(Key, ForeignKey("organization.id"))
    location_type: Mapped[str] = mapped_column(String(16), default="physical")
    name: Mapped[Optional[str]] = mapped_column(Text)
    description: Mapped[Optional[str]] = mapped_column(Text)
    transportation: Mapped[Optional[str]] = mapped_column(Text)
    url: Mapped[Optional[str]] = mapped_column(Text)
    latitude: Mapped[Optional[float]] = mapped_column(Float)
    longitude: Mapped[Optional[float]] = mapped_column(Float)

    addresses: Mapped[list["Address"]] = relationship(order_by="Address.position")
    accessibility: Mapped[list["Accessibility"]] = relationship(order_by="Accessibility.position")
    schedules: Mapped[list["Schedule"]] = relationship(
        primaryjoin="and_(Location.id == Schedule.location_id, Schedule.service_id.is_(None),"
                    " Schedule.service_at_location_id.is_(None))",
        viewonly=True, order_by="Schedule.position")
    phones: Mapped[list["Phone"]] = relationship(
        primaryjoin="and_(Location.id == Phone.location_id, Phone.service_id.is_(None),"
                    " Phone.service_at_location_id.is_(None), Phone.contact_id.is_(None))",
        viewonly=True, order_by="Phone.position")
    # the people to ask at the place, whichever service brings a visitor there
    contacts: Mapped[list["Contact"]] = relationship(
        primaryjoin="Location.id == Contact.location_id", viewonly=True, order_by="Contact.position")


class ServiceAtLocation(Translatable, Base):
    __tablename__ = "service_at_location"
    id: Mapped[str] = mapped_column(Key, primary_key=True)
    service_id: Mapped[str] = mapped_column(Key, ForeignKey("service.id"), index=True)
    location_id: Mapped[str] = mapped_column(Key, ForeignKey("location.id"), index=True)
    description: Mapped[Optional[str]] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    service: Mapped[Service] = relationship(back_populates="service_at_locations")
    location: Mapped[Location] = relationship()
    schedules: Mapped[list["Schedule"]] = relationship(order_by="Schedule.position")
    phones: Mapped[list["Phone"]] = relationship(
        primaryjoin="and_(ServiceAtLocation.id == Phone.service_at_location_id, Phone.contact_id.is_(None))",
        viewonly=True, order_by="Phone.position")
    # the people for this service at this place
    contacts: Mapped[list["Contact"]] = relationship(
        primaryjoin="ServiceAtLocation.id == Contact.service_at_location_id", viewonly=True,
        order_by="Contact.position")


class Address(LeafRow, Base):
    __tablename__ = "address"
    location_id: Mapped[str] = mapped_column(Key, ForeignKey("location.id"), index=True)
    attention: Mapped[Optional[str]] = mapped_column(Text)
    address_1: Mapped[str] = mapped_column(Text)
    address_2: Mapped[Optional[str]] = mapped_column(Text)
    city: Mapped[str] = mapped_column(Text)
    region: Mapped[Optional[str]] = mapped_column(Text)
    state_province: Mapped[str] = mapped_column(Text)
    postal_code: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2))
    address_type: Mapped[str] = mapped_column(String(16), default="physical")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Accessibility(LeafRow, Translatable, Base):
    __tablename__ = "accessibility"
    location_id: Mapped[str] = mapped_column(Key, ForeignKey("location.id"), index=True)
    description: Mapped[Optional[str]] = mapped_column(Text)
    details: Mapped[Optional[str]] = mapped_column(Text)
    url: Mapped[Optional[str]] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class OwnRow:
    """A leaf row kept once per owner: a feed may give the same record (one id) to several
    owners, as the HSDS examples give one phone and one contact to the organization, the service,
    its service_at_location and its location, and each of them keeps its copy. So the id is not
    the ORM's key here: ``row`` is (SQLite's rowid, which costs nothing)."""

    row: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-10)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"primary_key": [cls.__table__.c.row]}


class Phone(OwnRow, LeafRow, Translatable, Base):
    """HSDS phone, one row per owner (:class:`OwnRow`). A contact's phone names its contact row
    (``contact_row``): contact ids are not unique either."""

    __tablename__ = "phone"
    organization_id: Mapped[Optional[str]] = mapped_column(Key, ForeignKey("organization.id"), index=True)
    service_id: Mapped[Optional[str]] = mapped_column(Key, ForeignKey("service.id"), index=True)
    location_id: Mapped[Optional[str]] = mapped_column(Key, ForeignKey("location.id"), index=True)
    service_at_location_id: Mapped[Optional[str]] = mapped_column(
        Key, ForeignKey("service_at_location.id"), index=True)
    contact_id: Mapped[Optional[str]] = mapped_column(Key)         # the HSDS field, as the feed gave it
    contact_row: Mapped[Optional[int]] = mapped_column(ForeignKey("contact.row"), index=True)
    number: Mapped[str] = mapped_column(String(64))
    extension: Mapped[Optional[float]] = mapped_column(Float)
    type: Mapped[Optional[str]] = mapped_column(String(16))
    description: Mapped[Optional[str]] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Contact(OwnRow, LeafRow, Translatable, Base):
    """HSDS contact, one row per owner (:class:`OwnRow`): the organization's, the service's, a
    service_at_location's and a location's copies of one contact each have their phones
    (``Phone.contact_row``). Exactly one owner column is set, the record the contact is nested in."""

    __tablename__ = "contact"
    organization_id: Mapped[Optional[str]] = mapped_column(Key, ForeignKey("organization.id"), index=True)
    service_id: Mapped[Optional[str]] = mapped_column(Key, ForeignKey("service.id"), index=True)
    location_id: Mapped[Optional[str]] = mapped_column(Key, ForeignKey("location.id"), index=True)
    service_at_location_id: Mapped[Optional[str]] = mapped_column(
        Key, ForeignKey("service_at_location.id"), index=True)
    name: Mapped[Optional[str]] = mapped_column(Text)
    title: Mapped[Optional[str]] = mapped_column(Text)
    department: Mapped[Optional[str]] = mapped_column(Text)
    email: Mapped[Optional[str]] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    phones: Mapped[list[Phone]] = relationship(
        primaryjoin="Contact.row == Phone.contact_row", viewonly=True, order_by="Phone.position")


class Schedule(OwnRow, LeafRow, Translatable, Base):
    """HSDS weekly schedule: ``byday`` days, ``opens_at``-``closes_at`` local (Europe/Tirane).

    One row per owner (:class:`OwnRow`): a feed may give the same schedule (one id) to a
    service, its service_at_location and its location, as the HSDS examples do."""

    __tablename__ = "schedule"

    service_id: Mapped[Optional[str]] = mapped_column(Key, ForeignKey("service.id"), index=True)
    location_id: Mapped[Optional[str]] = mapped_column(Key, ForeignKey("location.id"), index=True)
    service_at_location_id: Mapped[Optional[str]] = mapped_column(
        Key, ForeignKey("service_at_location.id"), index=True)
    freq: Mapped[Optional[str]] = mapped_column(String(8))
    byday: Mapped[Optional[str]] = mapped_column(String(64))
    opens_at: Mapped[Optional[str]] = mapped_column(String(16))
    closes_at: Mapped[Optional[str]] = mapped_column(String(16))
    valid_from: Mapped[Optional[date]] = mapped_column(Date)
    valid_to: Mapped[Optional[date]] = mapped_column(Date)
    description: Mapped[Optional[str]] = mapped_column(Text)
    notes: Mapped[Optional[str]] = mapped_column(Text)
    attending_type: Mapped[Optional[str]] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class SharedWording:
    """A leaf row whose wording (its texts, translations and other fields) lives in a row of a
    ``*_text`` table, each distinct wording once: services ask for the same few documents (an
    identity card, a family certificate) in the same few languages, and at 100k services 300,000
    document rows repeated 18 wordings. The row keeps its id, owner and place; ``text`` (loaded
    with it) answers for the rest, :meth:`t` included."""

    text: Any
    translations = association_proxy("text", "translations")
    extra = association_proxy("text", "extra")

    def t(self, field: str, lang: str) -> Any:
        return self.text.t(field, lang)


class DocumentText(Translatable, Base):
    """Derived: one distinct wording of a required document (see :class:`SharedWording`)."""

    __tablename__ = "document_text"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    uri: Mapped[Optional[str]] = mapped_column(Text)


class RequiredDocument(SharedWording, LeafRow, Base):
    __tablename__ = "required_document"
    __table_args__ = owned_by("service_id")
    service_id: Mapped[str] = mapped_column(Key, ForeignKey("service.id"), sort_order=-10)
    text_id: Mapped[int] = mapped_column(ForeignKey("document_text.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    text: Mapped[DocumentText] = relationship(lazy="joined", innerjoin=True)
    document = association_proxy("text", "document")
    uri = association_proxy("text", "uri")


class LanguageText(Translatable, Base):
    """Derived: one distinct wording of a language a service is given in (see :class:`SharedWording`)."""

    __tablename__ = "language_text"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[Optional[str]] = mapped_column(Text)
    code: Mapped[Optional[str]] = mapped_column(String(8))
    note: Mapped[Optional[str]] = mapped_column(Text)


class Language(SharedWording, LeafRow, Base):
    __tablename__ = "language"
    __table_args__ = owned_by("service_id")
    service_id: Mapped[str] = mapped_column(Key, ForeignKey("service.id"), sort_order=-10)
    text_id: Mapped[int] = mapped_column(ForeignKey("language_text.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    text: Mapped[LanguageText] = relationship(lazy="joined", innerjoin=True)
    name = association_proxy("text", "name")
    code = association_proxy("text", "code")
    note = association_proxy("text", "note")


#: The leaf tables whose wording is shared, with the table that holds it.
WORDINGS = {RequiredDocument: DocumentText, Language: LanguageText}


class OpeningInterval(Base):
    """Derived index for "open now": one weekly interval of a timetable, in minutes of the week day.

    ``weekday`` 0 is Monday; ``opens``/``closes`` are minutes after local midnight; an interval that
    crosses midnight has ``closes`` > 1440. Built from every schedule that applies to a service,
    once per distinct timetable (a few thousand rows at 100k services, not six hundred thousand).
    """

    __tablename__ = "opening_interval"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    timetable_id: Mapped[int] = mapped_column(ForeignKey("timetable.id"))
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[int] = mapped_column(Integer)
    closes: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[Optional[date]] = mapped_column(Date)
    valid_to: Mapped[Optional[date]] = mapped_column(Date)
    # A time written in UTC: this interval is the one of summer time (1) or of winter (0).
    summer: Mapped[Optional[bool]] = mapped_column(Boolean)

    __table_args__ = (Index("ix_opening_weekday", "weekday", "opens", "closes"),)


class Timetable(Base):
    """Derived: a service's opening intervals packed into one text (``weekday,opens,closes,
    valid_from,valid_to,summer`` joined by ``;``, :func:`kiosk.catalogue.opening.pack`), each distinct one
    stored once. Services share a few hundred of them at 100k, so a list of ten thousand services
    reads its timetables with its rows instead of their hundreds of thousands of intervals."""

    __tablename__ = "timetable"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    packed: Mapped[str] = mapped_column(Text)


# Tables in the order rows are deleted before a rebuild (children first).
DELETE_ORDER = [OpeningInterval, ServiceTerm, Language, RequiredDocument, LanguageText, DocumentText,
                Schedule, Phone, Contact,
                Accessibility, Address, ServiceAtLocation, Location, Service, Timetable, Organization,
                TaxonomyTerm, Taxonomy, Meta]

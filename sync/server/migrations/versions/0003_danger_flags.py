"""Visitors in danger (issue 14): services' urgent place and sensitive mark, categories'
sensitive mark, copied out of their HSDS documents (x_urgent, x_sensitive) for the lists.

Portable: plain ADD COLUMN with a constant default (SQLite and PostgreSQL alike), and the
values of the rows already there read from their JSON documents in Python, not with a
database's own JSON functions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 13:00:00
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

URGENT_MAX = 999  # sync.server.danger.URGENT_MAX; a migration keeps its own copy of the rule


def _urgent(value):
    if value is True:
        return URGENT_MAX
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= URGENT_MAX:
        return value
    return None


def _doc(value):
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def upgrade() -> None:
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sensitive', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('urgent_order', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sensitive', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_services_urgent_order'), ['urgent_order'], unique=False)

    bind = op.get_bind()
    categories = sa.table('categories', sa.column('id', sa.String), sa.column('doc', sa.JSON),
                          sa.column('sensitive', sa.Boolean))
    services = sa.table('services', sa.column('id', sa.String), sa.column('doc', sa.JSON),
                        sa.column('urgent_order', sa.Integer), sa.column('sensitive', sa.Boolean))
    for ident, doc in bind.execute(sa.select(categories.c.id, categories.c.doc)).all():
        if _doc(doc).get('x_sensitive') is True:
            bind.execute(categories.update().where(categories.c.id == ident).values(sensitive=True))
    for ident, doc in bind.execute(sa.select(services.c.id, services.c.doc)).all():
        doc = _doc(doc)
        order, sensitive = _urgent(doc.get('x_urgent')), doc.get('x_sensitive') is True
        if order is not None or sensitive:
            bind.execute(services.update().where(services.c.id == ident)
                         .values(urgent_order=order, sensitive=sensitive))


def downgrade() -> None:
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_services_urgent_order'))
        batch_op.drop_column('sensitive')
        batch_op.drop_column('urgent_order')
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_column('sensitive')

"""Feedback from the kiosks (issue 16): reports, usage counts, unmet searches, receipts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 12:45:38.758446
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('feedback_receipts',
    sa.Column('kiosk_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('kiosk_id', 'kind', 'item_id')
    )
    with op.batch_alter_table('feedback_receipts', schema=None) as batch_op:
        batch_op.create_index('ix_feedback_receipts_received_at', ['received_at'], unique=False)

    op.create_table('feedback_reports',
    sa.Column('kiosk_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('subject', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.String(length=36), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('catalogue_version', sa.BigInteger(), nullable=False),
    sa.Column('hour', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('kiosk_id', 'id')
    )
    with op.batch_alter_table('feedback_reports', schema=None) as batch_op:
        batch_op.create_index('ix_feedback_reports_status_hour', ['status', 'hour'], unique=False)
        batch_op.create_index('ix_feedback_reports_subject', ['subject_id', 'status'], unique=False)

    op.create_table('unmet_searches',
    sa.Column('kiosk_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('term', sa.String(length=40), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('kiosk_id', 'day', 'term')
    )
    with op.batch_alter_table('unmet_searches', schema=None) as batch_op:
        batch_op.create_index('ix_unmet_searches_day', ['day'], unique=False)

    op.create_table('usage_counts',
    sa.Column('kiosk_id', sa.Integer(), nullable=False),
    sa.Column('hour', sa.DateTime(), nullable=False),
    sa.Column('span', sa.String(length=4), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('n', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('kiosk_id', 'hour', 'span', 'key')
    )
    with op.batch_alter_table('usage_counts', schema=None) as batch_op:
        batch_op.create_index('ix_usage_counts_hour_key', ['hour', 'key'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('usage_counts', schema=None) as batch_op:
        batch_op.drop_index('ix_usage_counts_hour_key')

    op.drop_table('usage_counts')
    with op.batch_alter_table('unmet_searches', schema=None) as batch_op:
        batch_op.drop_index('ix_unmet_searches_day')

    op.drop_table('unmet_searches')
    with op.batch_alter_table('feedback_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_reports_subject')
        batch_op.drop_index('ix_feedback_reports_status_hour')

    op.drop_table('feedback_reports')
    with op.batch_alter_table('feedback_receipts', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_receipts_received_at')

    op.drop_table('feedback_receipts')

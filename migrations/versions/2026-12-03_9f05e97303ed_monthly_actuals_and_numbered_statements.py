"""monthly actuals and numbered statements

Revision ID: 9f05e97303ed
Revises: 0324755dab84
Create Date: 2026-12-03 20:56:58.033275

Statements are now issued from what the lender really paid each month (monthly_actual,
append-only: one row per version), and carry a number per lender and year of issue, an
issue date, the convention's reference, the hours on loan and a payment status.

Existing statements are kept as issued: their issue date is the Paris date of their
creation; they are numbered in order of issue (creation time, then id) per lender and year
of issue; the hours on loan are worked out as services/deals/hours.py does (copied here, so
that this migration never changes); and each one's figures become version 1 of its month's
actuals ("taken over from the statement").
"""
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from alembic import op
from dateutil.easter import easter
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9f05e97303ed'
down_revision = '0324755dab84'
branch_labels = None
depends_on = None

NEW_COLUMNS = ('lender_firm_id', 'number_year', 'number_seq', 'issue_date', 'convention_ref',
               'working_days', 'hours_on_loan', 'payment_status', 'contest_reason')


def _holidays(year):
    sunday = easter(year)
    return {date(year, 1, 1), sunday + timedelta(days=1), date(year, 5, 1), date(year, 5, 8),
            sunday + timedelta(days=39), sunday + timedelta(days=50), date(year, 7, 14),
            date(year, 8, 15), date(year, 11, 1), date(year, 11, 11), date(year, 12, 25)}


def _working_days(first, last):
    count, day = 0, first
    while day <= last:
        count += day.weekday() < 5 and day not in _holidays(day.year)
        day += timedelta(days=1)
    return count


def _as_date(value):
    """SQLite hands dates and times of a text query back as text."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _as_datetime(value):
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _fill_statements(conn):
    rows = conn.execute(sa.text(
        "SELECT s.id, s.loan_id, s.month, s.created_at, s.salary_cents, s.charges_cents, "
        "s.expenses_cents, l.lender_firm_id, l.start_date, l.end_date, l.ended_on, "
        "a.id AS agreement_id, a.version, a.weekly_hours "
        "FROM billing_statement s JOIN loan l ON l.id = s.loan_id "
        "JOIN agreement a ON a.id = l.agreement_id ORDER BY s.created_at, s.id"
    )).mappings().all()
    signed = dict(conn.execute(sa.text(
        "SELECT agreement_id, max(version) FROM agreement_document "
        "WHERE kind = 'CONVENTION' AND completed_at IS NOT NULL GROUP BY agreement_id"
    )).all())
    paris, seqs, actuals = ZoneInfo("Europe/Paris"), {}, []
    for r in rows:
        created = _as_datetime(r["created_at"])
        issued = created.replace(tzinfo=UTC).astimezone(paris).date()
        key = (r["lender_firm_id"], issued.year)
        seqs[key] = seqs.get(key, 0) + 1
        month = _as_date(r["month"])
        next_month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        end = _as_date(r["ended_on"]) or _as_date(r["end_date"])
        first = max(month, _as_date(r["start_date"]))
        last = min(next_month - timedelta(days=1), end)
        days = _working_days(first, last)
        hours = (Decimal(str(r["weekly_hours"])) * days / 5).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP)
        version = signed.get(r["agreement_id"], r["version"])
        conn.execute(
            sa.text(
                "UPDATE billing_statement SET lender_firm_id = :lender, number_year = :year, "
                "number_seq = :seq, issue_date = :issued, convention_ref = :ref, "
                "working_days = :days, hours_on_loan = :hours, payment_status = 'ISSUED', "
                "contest_reason = '' WHERE id = :id"
            ).bindparams(sa.bindparam("hours", type_=sa.Numeric(7, 2)),
                         sa.bindparam("issued", type_=sa.Date())),
            {"lender": r["lender_firm_id"], "year": issued.year, "seq": seqs[key],
             "issued": issued, "ref": f"n° {r['agreement_id']}, version {version}",
             "days": days, "hours": hours, "id": r["id"]},
        )
        actuals.append({"loan_id": r["loan_id"], "month": month, "version": 1,
                        "salary_cents": r["salary_cents"], "charges_cents": r["charges_cents"],
                        "expenses_cents": r["expenses_cents"], "note": "",
                        "source": "STATEMENT", "entered_at": created, "entered_by_id": None})
    return actuals


def upgrade():
    monthly_actual = op.create_table('monthly_actual',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('loan_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('salary_cents', sa.Integer(), nullable=False),
    sa.Column('charges_cents', sa.Integer(), nullable=False),
    sa.Column('expenses_cents', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('source', sa.Enum('FORM', 'CSV', 'XLSX', 'STATEMENT', name='actualsource', native_enum=False, length=16), nullable=False),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('salary_cents >= 0 AND charges_cents >= 0 AND expenses_cents >= 0', name=op.f('ck_monthly_actual_amounts_not_negative')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'], name=op.f('fk_monthly_actual_entered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['loan_id'], ['loan.id'], name=op.f('fk_monthly_actual_loan_id_loan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monthly_actual')),
    sa.UniqueConstraint('loan_id', 'month', 'version', name=op.f('uq_monthly_actual_loan_id_month_version'))
    )
    # Added nullable, filled from the rows already there, then required.
    with op.batch_alter_table('billing_statement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lender_firm_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('number_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('number_seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('issue_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('convention_ref', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('working_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hours_on_loan', sa.Numeric(precision=7, scale=2), nullable=True))
        batch_op.add_column(sa.Column('payment_status', sa.Enum('ISSUED', 'PAID', 'CONTESTED', name='paymentstatus', native_enum=False, length=16), nullable=True))
        batch_op.add_column(sa.Column('paid_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('contest_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('status_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('status_by_id', sa.Integer(), nullable=True))

    actuals = _fill_statements(op.get_bind())
    if actuals:
        op.bulk_insert(monthly_actual, actuals)

    with op.batch_alter_table('billing_statement', schema=None) as batch_op:
        for name in NEW_COLUMNS:
            batch_op.alter_column(name, nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_billing_statement_lender_firm_id_number_year_number_seq'), ['lender_firm_id', 'number_year', 'number_seq'])
        batch_op.create_foreign_key(batch_op.f('fk_billing_statement_lender_firm_id_firm'), 'firm', ['lender_firm_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_billing_statement_status_by_id_user_account'), 'user_account', ['status_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('billing_statement', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_billing_statement_status_by_id_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_billing_statement_lender_firm_id_firm'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_billing_statement_lender_firm_id_number_year_number_seq'), type_='unique')
        for name in ('status_by_id', 'status_at', 'paid_on', *reversed(NEW_COLUMNS)):
            batch_op.drop_column(name)

    op.drop_table('monthly_actual')

"""Times in the roster and attendance workbooks are date cells in China's wall-clock time,
written the way the pages write them (issue 12, item 8)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import openpyxl
import pytest
from sqlalchemy import update

from tests.conftest import sign_in
from tests.training.excel_files import excel_site
from trainhub.extensions import db
from trainhub.training.models import Enrolment


@pytest.fixture
def site(app, make):
    return excel_site(app, make)


def test_times_in_the_exports_are_date_cells_in_china_time(app, client, site):
    """The time of application was a date cell without its time, the sessions' headers
    ISO text (issue 12, item 8): a real date-time cell, in China's wall-clock time and the
    pages' format, and headers written as the pages write them."""
    applied = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)  # 2026年3月2日 00:30 in China
    with app.app_context():
        db.session.execute(update(Enrolment).where(Enrolment.batch_id == site["batch"])
                           .values(applied_at=applied))
        db.session.commit()
    sign_in(client, site["staff"])
    data = client.get(f"/training/batches/{site['batch']}/roster.xlsx").data
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    column = [c.value for c in sheet[1]].index("报名时间") + 1
    cell = sheet.cell(row=2, column=column)
    assert isinstance(cell.value, datetime) and cell.is_date
    assert cell.value == datetime(2026, 3, 2, 0, 30)
    assert cell.number_format == 'yyyy"年"m"月"d"日" hh:mm'
    letter = openpyxl.utils.get_column_letter(column)
    assert sheet.column_dimensions[letter].width >= 20  # 2026年3月2日 00:30 shows whole
    data = client.get(f"/training/batches/{site['batch']}/attendance.xlsx").data
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(data)).worksheets[0][1]]
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} （8 学时）", header[2])

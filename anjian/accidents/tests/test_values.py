"""The accident page writes amounts and rules as officials do: losses in 万元, the grading rules by the
regulation's title rather than an internal version key."""

import pytest

from anjian.accidents.templatetags.accident_tags import grading_rules_title

from .factories import file

pytestmark = pytest.mark.django_db


def test_grading_record_names_the_regulation_and_loss_is_in_wanyuan(cast, client_for):
    accident = file(cast.office, deaths=1, loss="1234567.50")
    page = client_for(cast.office).get(accident.get_absolute_url()).content.decode()
    grading = page.split('data-testid="grade-history"')[1].split("</ul>")[0]
    assert "493-2007" not in grading
    assert "按《生产安全事故报告和调查处理条例》（国务院令第493号）认定" in grading
    assert "123.46万元" in page  # the figure card
    assert "1,234,567.50" in page  # the versions table, in 元


def test_unknown_rules_version_is_shown_as_it_is():
    assert grading_rules_title("493-2007") == "《生产安全事故报告和调查处理条例》（国务院令第493号）"
    assert grading_rules_title("2031-补充") == "2031-补充"

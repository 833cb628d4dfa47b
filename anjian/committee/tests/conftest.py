from datetime import date

import pytest

from anjian.core.models import Organisation, OrganisationKind


@pytest.fixture
def committee(cast):
    return Organisation.objects.get(name="测试区安委会")


@pytest.fixture
def special(cast, committee):
    return Organisation.objects.create(
        name="测试区危险化学品安全专业委员会",
        kind=OrganisationKind.SPECIAL_COMMITTEE,
        territory=cast.district,
        parent=committee,
        lead_department=cast.yingji,
    )


@pytest.fixture
def meeting(cast, committee):
    from anjian.committee.models import Meeting, MeetingKind

    m = Meeting(
        committee=committee,
        kind=MeetingKind.PLENARY,
        title="全体会议",
        held_on=date(2026, 3, 1),
        place="会议室",
        chaired_by="区长",
    )
    m.save()
    return m

"""A hazard that is also a punishable violation is one click from the enforcement finding form
(绝不允许以整改代替处罚): shown to roles that may record findings, hidden from the others."""

from .conftest import make_hazard


def test_violation_link_on_hazard_detail(cast, client_for):
    hazard = make_hazard(cast)
    url = f"/hazards/{hazard.pk}/"
    body = client_for(cast.inspector).get(url).content.decode()
    assert f"/enforcement/findings/add/?hazard={hazard.pk}" in body
    body = client_for(cast.enterprise_a_user).get(url).content.decode()
    assert 'data-testid="record-violation"' not in body
    form = client_for(cast.inspector).get(f"/enforcement/findings/add/?hazard={hazard.pk}")
    assert form.status_code == 200

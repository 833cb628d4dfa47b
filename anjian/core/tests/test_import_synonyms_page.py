"""The page where administrators keep the header words of each importer: list, add, change, remove, with the
reasons a word is refused and every change in the synonym's history."""

import pytest

from anjian.core.audit import history_for
from anjian.core.models import AuditEntry, ImportColumnSynonym

from .ledgers import plain_sheet

pytestmark = pytest.mark.django_db

PAGE = "/core/import/hazards/synonyms/"


def add(client, field, synonym):
    return client.post(PAGE, {"field": field, "synonym": synonym})


@pytest.mark.parametrize("who", ["office", "sys_admin"])
def test_administrators_list_and_add(cast, client_for, who):
    client = client_for(getattr(cast, who))
    page = client.get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "存在问题" in text and "隐患描述" in text  # built-in words listed for reference
    response = add(client, "description", "问题隐患")
    assert response.status_code == 302
    synonym = ImportColumnSynonym.objects.get(importer="hazards", synonym="问题隐患")
    assert synonym.field == "description"
    assert "问题隐患" in client.get(PAGE).content.decode()
    entry = AuditEntry.objects.get(
        action="create", object_id=str(synonym.pk), content_type__model="importcolumnsynonym"
    )
    assert entry.changes["synonym"] == [None, "问题隐患"] and entry.changes["field"] == [None, "隐患描述"]
    assert entry.actor == getattr(cast, who)


@pytest.mark.parametrize("who", ["town_a_user", "inspector", "enterprise_a_user", "leader"])
def test_others_may_not(cast, client_for, who):
    client = client_for(getattr(cast, who))
    assert client.get(PAGE).status_code == 403
    assert add(client, "description", "问题隐患").status_code == 403
    assert not ImportColumnSynonym.objects.exists()


@pytest.mark.parametrize(
    ("field", "word", "reason"),
    [
        ("description", "", "必填"),
        ("description", "  *（） ", "不能为空"),
        ("description", "存在问题", "内置写法"),
        ("grade", "（存在问题）*", "已对应“隐患描述”，不能再对应“级别”"),
        ("description", "问 题 隐 患", "重复"),
        ("grade", "问题隐患", "已对应“隐患描述”，不能再对应“级别”"),
        ("password", "口令", "选择一个有效的选项"),
    ],
)
def test_refused_words_say_why(cast, client_for, field, word, reason):
    client = client_for(cast.office)
    assert add(client, "description", "问题隐患").status_code == 302
    response = add(client, field, word)
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert ImportColumnSynonym.objects.count() == 1


def test_change_and_delete_are_in_the_history(cast, client_for):
    client = client_for(cast.office)
    add(client, "description", "问题隐患")
    synonym = ImportColumnSynonym.objects.get()
    edit = f"{PAGE}{synonym.pk}/"
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"field": "location", "synonym": "隐患地点"})
    assert response.status_code == 302
    synonym.refresh_from_db()
    assert (synonym.field, synonym.synonym) == ("location", "隐患地点")
    page = client.get(edit).content.decode()
    assert "变更历史" in page and "隐患部位" in page and "问题隐患" in page
    update = history_for(synonym)[0]
    assert update.action == "update"
    assert update.changes == {"field": ["隐患描述", "隐患部位"], "synonym": ["问题隐患", "隐患地点"]}
    # The word now reads a column of a ledger.
    from anjian.core.importing import get_importer

    result = get_importer("hazards")(cast.inspector).parse(
        plain_sheet(
            ["单位", "存在问题", "级别", "检查时间", "隐患地点"],
            [["甲化工有限公司", "x", "一般", "2024.4.1", "东门"]],
        )
    )
    assert result.errors == [] and result.rows[0].values["location"] == "东门"
    # Saving an unchanged word writes nothing; another word's clash is refused.
    client.post(edit, {"field": "location", "synonym": "隐患地点"})
    assert history_for(synonym).count() == 2
    response = client.post(f"{PAGE}{synonym.pk}/delete/")
    assert response.status_code == 302 and not ImportColumnSynonym.objects.exists()
    deleted = AuditEntry.objects.filter(action="delete", content_type__model="importcolumnsynonym").get()
    assert deleted.changes["synonym"] == ["隐患地点", None]
    assert client.get(edit).status_code == 404


def test_a_synonym_of_another_importer_is_not_reachable_here(cast, client_for):
    other = ImportColumnSynonym.objects.create(importer="enterprises", field="name", synonym="企业全称")
    client = client_for(cast.office)
    assert client.get(f"{PAGE}{other.pk}/").status_code == 404
    assert client.post(f"{PAGE}{other.pk}/delete/").status_code == 404
    assert ImportColumnSynonym.objects.filter(pk=other.pk).exists()


def test_the_import_page_links_to_it_and_its_shortcut_writes_history_too(cast, client_for):
    client = client_for(cast.office)
    assert PAGE in client.get("/core/import/hazards/").content.decode()
    client.post(
        "/core/import/hazards/", {"action": "add_synonym", "field": "description", "synonym": "问题隐患"}
    )
    synonym = ImportColumnSynonym.objects.get()
    client.post("/core/import/hazards/", {"action": "delete_synonym", "pk": synonym.pk})
    actions = list(
        AuditEntry.objects.filter(content_type__model="importcolumnsynonym", object_id=str(synonym.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "delete"]
    assert 'data-testid="synonym-问题隐患"' not in client.get(PAGE).content.decode()

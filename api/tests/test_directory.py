"""The shared records clients need to draw tiles and menus."""

from home.factories import ServicePointFactory
from home.models import OpeningHours


def test_resident_categories_come_with_stable_codes_in_every_language(db, client):
    hans = client.get("/api/v1/resident-categories/").json()["results"]
    english = client.get("/api/v1/resident-categories/", {"locale": "en"}).json()["results"]

    assert [row["code"] for row in hans][:3] == ["elderly", "elderly_alone", "disability"]
    assert hans[0]["name"] == "老年人"
    assert english[0]["name"] == "Older people"
    assert next(row for row in hans if row["code"] == "low_income")["is_sensitive"] is True


def test_service_categories_form_a_two_level_tree(db, client):
    tree = client.get("/api/v1/service-categories/").json()["results"]

    elderly_care = next(top for top in tree if top["code"] == "elderly_care")
    assert elderly_care["name"] == "养老服务"
    assert "meals" in [child["code"] for child in elderly_care["children"]]


def test_communities_list_their_codes(tree, client):
    tree.a.page.save_revision().publish()

    codes = [row["code"] for row in client.get("/api/v1/communities/").json()["results"]]

    assert tree.a.page.code in codes


def test_service_points_carry_their_weekly_hours(db, client):
    point = ServicePointFactory(name="长者饭堂")
    OpeningHours.objects.create(point=point, days=[0, 1, 2, 3, 4], opens="11:00", closes="13:00")

    rows = client.get("/api/v1/service-points/").json()["results"]

    assert rows[0]["name"] == "长者饭堂"
    assert rows[0]["hours"] == [{"days": [0, 1, 2, 3, 4], "opens": "11:00", "closes": "13:00"}]


def test_directory_lists_refuse_unknown_parameters(db, client):
    response = client.get("/api/v1/organisations/", {"kind": "x"})

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "kind"

"""Administration: people, roles, stores, cohorts, the audit log."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.models import AuditEvent, Cohort, Store, User
from tests.conftest import TEST_PASSWORD
from tests.factories import CohortFactory, StoreFactory, UserFactory


def _new_user_form(**overrides: object) -> dict[str, object]:
    form: dict[str, object] = {
        "username": "sunli",
        "display_name": "孙丽 Sun Li",
        "email": "sunli@example.com",
        "roles": ["qc", "trainer"],
        "locale": "zh_Hans",
        "hired_on": "2026-03-02",
        "cohort": "",
        "main_store": "",
        "password": "qc-lead-password-1",
    }
    form.update(overrides)
    return form


def test_admin_creates_a_user_with_roles_and_stores(client: FlaskClient, db: Session, login_as) -> None:
    login_as("admin")
    StoreFactory(name="行者旗舰店")
    StoreFactory(name="行者箱包")
    db.commit()
    response = client.post(
        "/admin/users/new", data=_new_user_form(main_store="行者箱包", other_stores=["行者旗舰店"])
    )
    assert response.status_code == 302
    user = db.scalars(select(User).where(User.username == "sunli")).one()
    assert {str(r) for r in user.roles} == {"qc", "trainer"}
    assert [(link.store.name, link.is_main) for link in user.store_links] == [
        ("行者箱包", True),
        ("行者旗舰店", False),
    ]
    assert client.get(f"/admin/users/{user.id}").status_code == 200
    assert (
        db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "user.create")) == 1
    )


def test_bad_input_is_shown_in_place_and_nothing_is_written(
    client: FlaskClient, db: Session, login_as
) -> None:
    login_as("admin")
    page = client.post("/admin/users/new", data=_new_user_form(username="bad name!", password="short"))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "at least 10" in text
    assert db.scalar(select(func.count()).select_from(User).where(User.username.like("bad%"))) == 0
    taken = client.post("/admin/users/new", data=_new_user_form(username="sunli"))
    assert taken.status_code == 302
    again = client.post("/admin/users/new", data=_new_user_form(username="SunLi")).get_data(as_text=True)
    assert "is taken" in again


def test_admin_changes_roles_and_it_is_audited(client: FlaskClient, db: Session, login_as) -> None:
    login_as("admin")
    user = UserFactory(username="lina", roles=["learner"])
    db.commit()
    response = client.post(
        f"/admin/users/{user.id}",
        data={
            "username": "lina",
            "display_name": "李娜 Li Na",
            "roles": ["learner", "trainer"],
            "locale": "en",
            "cohort": "",
            "main_store": "",
        },
    )
    assert response.status_code == 302
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "user.roles")).one()
    assert event.before == {"roles": ["learner"]} and event.after == {"roles": ["learner", "trainer"]}
    audit_page = client.get("/admin/audit?action=user.roles").get_data(as_text=True)
    assert "user.roles" in audit_page


def test_an_admin_cannot_remove_their_own_admin_role(client: FlaskClient, db: Session, login_as) -> None:
    me = login_as("admin")
    page = client.post(
        f"/admin/users/{me.id}",
        data={"username": me.username, "display_name": "Me", "roles": ["learner"], "locale": "en"},
    )
    assert "cannot take the admin role from yourself" in page.get_data(as_text=True)


def test_deactivating_signs_the_user_out_and_blocks_sign_in(
    app, client: FlaskClient, db: Session, login_as
) -> None:
    login_as("admin")
    UserFactory(username="leaver")
    db.commit()
    theirs = app.test_client()
    theirs.post("/login", data={"username": "leaver", "password": TEST_PASSWORD})
    assert theirs.get("/learn/").status_code == 200
    leaver = db.scalars(select(User).where(User.username == "leaver")).one()
    client.post(f"/admin/users/{leaver.id}/active", data={"active": "0"})
    assert theirs.get("/learn/").status_code == 302
    again = theirs.post("/login", data={"username": "leaver", "password": TEST_PASSWORD})
    assert again.status_code == 200
    actions = db.scalars(select(AuditEvent.action)).all()
    assert "user.deactivate" in actions


def test_admin_resets_a_password(app, client: FlaskClient, db: Session, login_as) -> None:
    login_as("admin")
    user = UserFactory(username="forgetful")
    db.commit()
    client.post(f"/admin/users/{user.id}/password", data={"password": "brand-new-password"})
    other = app.test_client()
    assert (
        other.post("/login", data={"username": "forgetful", "password": "brand-new-password"}).status_code
        == 302
    )


def test_stores_and_cohorts(client: FlaskClient, db: Session, login_as) -> None:
    login_as("admin")
    trainer = UserFactory(username="chen", roles=["trainer"])
    db.commit()
    assert client.post("/admin/stores", data={"name": "行者旗舰店", "platform": "tmall"}).status_code == 302
    dup = client.post("/admin/stores", data={"name": "行者旗舰店", "platform": "tmall"})
    assert "exists" in dup.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Store)) == 1
    response = client.post(
        "/admin/cohorts",
        data={"name": "December hires", "start_date": "2026-12-01", "trainer": str(trainer.id)},
    )
    assert response.status_code == 302
    cohort = db.scalars(select(Cohort)).one()
    assert cohort.trainer_id == trainer.id and cohort.start_date == dt.date(2026, 12, 1)
    moved = client.post(
        f"/admin/cohorts/{cohort.id}",
        data={"name": "December hires", "start_date": "2026-12-03", "trainer": str(trainer.id)},
    )
    assert moved.status_code == 302
    db.expire_all()
    assert db.get(Cohort, cohort.id).start_date == dt.date(2026, 12, 3)


def test_a_learner_cannot_lead_a_cohort(client: FlaskClient, db: Session, login_as) -> None:
    login_as("admin")
    learner = UserFactory(roles=["learner"])
    db.commit()
    page = client.post(
        "/admin/cohorts", data={"name": "X", "start_date": "2026-12-01", "trainer": str(learner.id)}
    )
    assert "must hold the trainer role" in page.get_data(as_text=True)


def test_user_list_costs_a_bounded_number_of_queries(
    client: FlaskClient, db: Session, login_as, count_queries
) -> None:
    login_as("admin")
    cohort = CohortFactory()
    store = StoreFactory()
    db.flush()
    for i in range(60):
        user = UserFactory(cohort_id=cohort.id)
        if i % 2:
            from tests.factories import add_store

            add_store(db, user, store, main=True)
    db.commit()
    with count_queries() as counter:
        assert client.get("/admin/users").status_code == 200
    small = counter.count
    for _ in range(40):
        UserFactory(cohort_id=cohort.id)
    db.commit()
    with count_queries() as counter:
        client.get("/admin/users?page=2")
    assert counter.count <= small and small <= 8


def test_the_store_form_shows_and_edits_the_code(client: FlaskClient, db: Session, login_as) -> None:
    login_as("admin")
    added = client.post("/admin/stores", data={"name": "行者旗舰店", "code": "xz-tmall", "platform": "tmall"})
    assert added.status_code == 302
    store = db.scalars(select(Store)).one()
    assert store.code == "XZ-TMALL"
    listing = client.get("/admin/stores").get_data(as_text=True)
    assert "<code>XZ-TMALL</code>" in listing and f"/admin/stores/{store.id}" in listing
    form = client.get(f"/admin/stores/{store.id}").get_data(as_text=True)
    assert 'value="XZ-TMALL"' in form and 'value="行者旗舰店"' in form
    bad = client.post(
        f"/admin/stores/{store.id}", data={"name": "行者旗舰店", "code": "X Z", "platform": "tmall"}
    )
    assert bad.status_code == 200 and "A store code is 2–20 characters" in bad.get_data(as_text=True)
    renamed = client.post(
        f"/admin/stores/{store.id}", data={"name": "行者旗舰店 (Tmall)", "code": "XZ-TM", "platform": "tmall"}
    )
    assert renamed.status_code == 302
    db.expire_all()
    assert (store.name, store.code) == ("行者旗舰店 (Tmall)", "XZ-TM")
    cleared = client.post(
        f"/admin/stores/{store.id}", data={"name": "行者旗舰店 (Tmall)", "code": "", "platform": "tmall"}
    )
    assert cleared.status_code == 302
    db.expire_all()
    assert store.code is None
    assert client.get("/admin/stores/999999").status_code == 404

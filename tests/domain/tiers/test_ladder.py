"""The tier ladder: next-tier requirements with numbers, promotion once (even racing), demotion by an admin."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.demo import create_demo
from lms.domain.accounts.user_rows import USER_COLUMNS, user_in_session
from lms.domain.curriculum.sync import sync_content
from lms.domain.errors import DomainError
from lms.domain.kpi.csv_import import apply_kpi_import, parse_kpi_csv
from lms.domain.tiers import ladder
from lms.models import Certificate, Cohort, SpotCheck, TierAward, User
from tests.concurrency import run_in_parallel
from tests.domain.kpi.test_csv_import import SAMPLE
from tests.factories import UserFactory, add_graded_attempt

NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
#: A statement of one person's row, as the signed-in person's is (`lms/web/identity.py`).
_PERSON = select(*USER_COLUMNS).where(User.id == bindparam("user_id"))


@pytest.fixture
def agents(app: Flask, db: Session) -> dict[str, User]:
    tree, _ = check(PROJECT_ROOT)
    sync_content(db, tree)
    create_demo(db, Path(app.instance_path), today=NOW.date())
    db.commit()
    users = {u.username: u for u in db.scalars(select(User))}
    for name in ("wangfang", "chenjing"):  # both went live 40 days ago
        db.add(
            Certificate(
                user_id=users[name].id,
                kind="go-live",
                code=f"code-{name}",
                issued_at=NOW - dt.timedelta(days=40),
            )
        )
    db.commit()
    return users


def _pass_exam(db: Session, user: User, slug: str, percent: float) -> None:
    add_graded_attempt(db, user, slug, NOW, percent=percent)
    db.commit()


def _spot_checked(db: Session, agent: User, *percents: float) -> None:
    """QC spot checks of the agent in the last weeks, with these scores."""
    for n, percent in enumerate(percents):
        db.add(
            SpotCheck(
                agent_id=agent.id,
                checked_on=NOW.date() - dt.timedelta(days=7 * (n + 1)),
                channel="chat",
                transcript="顾客：在吗？\n客服：在的亲，有什么可以帮您？",
                score=percent,
                max_score=100,
                percent=percent,
            )
        )
    db.commit()


def _qc_passed(db: Session, agents: dict[str, User]) -> None:
    _spot_checked(db, agents["wangfang"], 90, 85)
    _spot_checked(db, agents["chenjing"], 95)


def test_the_next_tier_panel_numbers(db: Session, agents: dict[str, User]) -> None:
    wangfang = agents["wangfang"]
    assert ladder.current_tier(db, wangfang) == "ordinary"
    assert ladder.current_tier(db, agents["lina"]) is None  # not live yet
    nxt, reqs = ladder.next_tier_requirements(db, wangfang, NOW.date())
    assert nxt["slug"] == "advanced"
    by_key = {r.key: r for r in reqs}
    assert by_key["days_live"].met and by_key["days_live"].current == 40
    assert not by_key["exam"].met and by_key["exam"].current is None
    assert not by_key["kpi"].met  # no KPI months yet
    assert not by_key["spot_checks"].met and by_key["spot_checks"].current is None  # never checked
    _spot_checked(db, wangfang, 70, 80)
    _nxt, reqs = ladder.next_tier_requirements(db, wangfang, NOW.date())
    spot = next(r for r in reqs if r.key == "spot_checks")
    assert (spot.current, spot.target, spot.met, spot.params["count"]) == (75.0, 80, False, 2)


def test_the_sample_kpi_file_promotes_exactly_the_agents_who_earned_it(
    db: Session, agents: dict[str, User]
) -> None:
    _qc_passed(db, agents)
    _pass_exam(db, agents["wangfang"], "tier-advanced-exam", 92)
    _pass_exam(db, agents["chenjing"], "tier-advanced-exam", 95)
    apply_kpi_import(db, parse_kpi_csv(db, SAMPLE.read_bytes(), NOW.date()))
    db.commit()
    assert ladder.current_tier(db, agents["wangfang"]) == "advanced"  # KPI 94.07 and 96.53 ≥ 80
    assert ladder.current_tier(db, agents["chenjing"]) == "ordinary"  # KPI below 80 in both months
    award = db.scalars(select(TierAward)).one()
    assert award.evidence["kpi"]["current"] >= 80 and award.evidence["exam"]["current"] == 92
    assert award.evidence["spot_checks"] == {"current": 87.5, "target": 80}
    _nxt, reqs = ladder.next_tier_requirements(db, agents["chenjing"], NOW.date())
    kpi = next(r for r in reqs if r.key == "kpi")
    assert kpi.current is not None and kpi.current < 80 and kpi.params["months"] == 2


def test_racing_events_promote_once(app: Flask, db: Session, agents: dict[str, User]) -> None:
    _qc_passed(db, agents)
    _pass_exam(db, agents["wangfang"], "tier-advanced-exam", 92)
    preview = parse_kpi_csv(db, SAMPLE.read_bytes(), NOW.date())
    from lms.models import KpiRecord

    for row in preview.rows:
        db.add(KpiRecord(user_id=row.user.id, store_id=row.store.id, month=row.month, **row.values))
    db.commit()
    user_id = agents["wangfang"].id

    def event(session: Session) -> None:
        ladder.maybe_promote(session, session.get(User, user_id), NOW)

    assert run_in_parallel(app, 8, event) == []
    assert db.scalar(select(func.count()).select_from(TierAward)) == 1


def test_only_an_admin_demotes_with_a_reason(db: Session, agents: dict[str, User]) -> None:
    _qc_passed(db, agents)
    _pass_exam(db, agents["wangfang"], "tier-advanced-exam", 92)
    apply_kpi_import(db, parse_kpi_csv(db, SAMPLE.read_bytes(), NOW.date()))
    db.commit()
    admin = UserFactory(roles=["admin"])
    trainer = UserFactory(roles=["trainer"])
    db.flush()
    with pytest.raises(DomainError):
        ladder.demote(db, trainer, agents["wangfang"], "no", NOW)
    with pytest.raises(DomainError, match="reason"):
        ladder.demote(db, admin, agents["wangfang"], " ", NOW)
    ladder.demote(db, admin, agents["wangfang"], "Three failed spot checks in a row", NOW)
    db.commit()
    assert ladder.current_tier(db, agents["wangfang"]) == "ordinary"


def test_the_learner_home_shows_the_next_tier_panel(app: Flask, db: Session, agents: dict[str, User]) -> None:
    from lms.domain.accounts.passwords import hash_password

    agents["wangfang"].password_hash, agents["wangfang"].locale = hash_password("correct-horse-battery"), "en"
    apply_kpi_import(db, parse_kpi_csv(db, SAMPLE.read_bytes(), NOW.date()))
    db.commit()
    client = app.test_client()
    client.post("/login", data={"username": "wangfang", "password": "correct-horse-battery"})
    page = client.get("/learn/").get_data(as_text=True)
    assert "Your tier" in page and "Ordinary agent" in page and "Next: Advanced agent" in page
    assert "KPI 95.3 / 80 needed, last 2 months" in page and "no spot checks in the last 90 days" in page


def test_staff_see_the_ladder_badges_and_an_admin_demotes(
    app: Flask, db: Session, agents: dict[str, User]
) -> None:
    _qc_passed(db, agents)
    _pass_exam(db, agents["wangfang"], "tier-advanced-exam", 92)
    apply_kpi_import(db, parse_kpi_csv(db, SAMPLE.read_bytes(), NOW.date()))
    admin = UserFactory(username="boss", roles=["admin"])
    db.commit()
    assert ladder.tiers_of(db, [agents["wangfang"].id, agents["chenjing"].id, agents["lina"].id]) == {
        agents["wangfang"].id: "advanced",
        agents["chenjing"].id: "ordinary",
    }
    client = app.test_client()
    client.post("/login", data={"username": "boss", "password": "correct-horse-battery"})
    page = client.get("/staff/tiers").get_data(as_text=True)
    assert page.index("王芳 Wang Fang") < page.index("陈静 Chen Jing") and 'data-bars="' in page
    assert "Advanced agent" in client.get("/staff/kpi").get_data(as_text=True)
    client.post(f"/admin/users/{agents['wangfang'].id}/demote", data={"reason": "Quarrelled with a customer"})
    assert ladder.current_tier(db, agents["wangfang"]) == "ordinary"
    assert admin.id


def test_a_spot_check_that_completes_the_requirements_promotes(db: Session, agents: dict[str, User]) -> None:
    from lms.domain.qc.checklist import active_items, ensure_default_checklist
    from lms.domain.qc.spot_checks import ItemOutcome, record_spot_check

    ensure_default_checklist(db)
    _pass_exam(db, agents["wangfang"], "tier-advanced-exam", 92)
    _spot_checked(db, agents["wangfang"], 60)
    apply_kpi_import(db, parse_kpi_csv(db, SAMPLE.read_bytes(), NOW.date()))
    db.commit()
    assert ladder.current_tier(db, agents["wangfang"]) == "ordinary"  # QC average 60 < 80
    qc = UserFactory(roles=["qc"])
    db.flush()
    record_spot_check(
        db,
        qc,
        agents["wangfang"],
        store_id=None,
        checked_on=dt.date.today(),
        channel="chat",
        transcript="顾客：能便宜点吗？\n客服：亲，这款是头层牛皮，我给您讲讲它为什么值这个价～",
        outcomes={i.id: ItemOutcome("pass") for i in active_items(db)},
        comment="Textbook value talk",
        today=dt.date.today(),
    )
    db.commit()
    assert ladder.current_tier(db, agents["wangfang"]) == "advanced"  # (60 + 100) / 2 = 80


def test_cohort_certificate_and_tier_in_one_read_agree_with_reading_them_apart(
    db: Session, agents: dict[str, User], count_queries
) -> None:
    from lms.domain.certification.golive import certificate_of

    revoked = UserFactory()
    db.flush()
    db.add(
        Certificate(
            user_id=revoked.id,
            kind="go-live",
            code="code-revoked",
            issued_at=NOW - dt.timedelta(days=10),
            revoked_at=NOW - dt.timedelta(days=1),
            revoke_reason="Shared a customer's phone number",
        )
    )
    new_hire = UserFactory()
    db.flush()
    db.add(
        TierAward(
            user_id=agents["chenjing"].id, sequence=1, tier="advanced", kind="promotion", awarded_at=NOW
        )
    )
    db.commit()
    expected = {
        "new hire: no certificate, no tier": (new_hire, None, None),
        "live, never promoted: the first tier": (agents["wangfang"], "code-wangfang", "ordinary"),
        "promoted: the latest award": (agents["chenjing"], "code-chenjing", "advanced"),
        "revoked, never promoted: no tier": (revoked, "code-revoked", None),
    }
    trainer = UserFactory(display_name="陈老师")
    db.flush()
    december = Cohort(name="十二月班", start_date=NOW.date(), trainer_id=trainer.id)
    db.add(december)
    db.flush()
    new_hire.cohort_id = december.id
    db.commit()
    cases = [(case, u.id, u.cohort_id, code, tier) for case, (u, code, tier) in expected.items()]
    for case, user_id, cohort_id, code, tier in cases:
        db.expunge_all()  # nothing is found in the session: each read goes to the database
        user = db.get(User, user_id)
        with count_queries() as reads:
            group, cert, found, trainer_name = ladder.cohort_certificate_and_tier(db, user)
            assert group is user.cohort, case  # the read cohort: no statement of its own
        assert reads.count <= 2, reads.statements  # one, and the ladder when the caller has not kept it
        assert (cert.code if cert else None, found) == (code, tier), case
        assert (group.id if group else None) == cohort_id, case
        if user_id == new_hire.id:
            assert (group.name, trainer_name) == ("十二月班", "陈老师")
        elif group is not None:
            assert trainer_name == (group.trainer.display_name if group.trainer else None), case
        assert (certificate_of(db, user), ladder.current_tier(db, user)) == (cert, found), case
        # The same read with the person's row (the Today page, `reads_with_user`): one statement for
        # the person and all of it; the cohort and the certificate are then the session's objects.
        read = (group.id if group else None, cert.code if cert else None, found, trainer_name)
        db.commit()
        db.expunge_all()
        with count_queries() as joined:
            row = db.execute(ladder.with_cohort_certificate_and_award(_PERSON), {"user_id": user_id}).one()
            ladder.keep_cohort_certificate_and_award(db, user_id, row[len(USER_COLUMNS) :])
            person = user_in_session(db, row)
            group, cert, found, trainer_name = ladder.cohort_certificate_and_tier(db, person)
            assert group is person.cohort, case
        assert joined.count <= 2, joined.statements  # the person's, and the ladder (not kept here)
        assert (group.id if group else None, cert.code if cert else None, found, trainer_name) == read, case
        assert cert is None or cert is db.get(Certificate, cert.id), case

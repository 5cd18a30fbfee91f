"""Demo party development for the demo province (Đảng bộ tỉnh Sơn Hà): a pool of about 150
candidates at every stage of the admission procedure, probation reviews (due soon, overdue, a
failed vote), party cards (chip cards, a lost card, a waiting list) and admission quotas.

The steps go through the admissions services (see `demo_steps`), dated in the past as the
branches would have recorded them, so the data obeys the rules (ages, certificates,
introducers, votes, deadlines). The demo secretary's branch holds the browser journeys'
starting points: a candidate ready for the branch vote, a candidate with nothing recorded yet,
and a probationary member whose probation has ended, ready for the branch vote and the
recognition decision.
"""

import datetime
import random
from collections import Counter, defaultdict

from django.db.models import Count, Max

from dangvien.accounts.models import User
from dangvien.admissions import demo_steps
from dangvien.admissions.candidates.services import (
    create_candidate,
    record_awareness_class,
    withdraw_candidate,
)
from dangvien.admissions.cards.services import end_card, issue_card
from dangvien.admissions.demo_steps import (
    DAY,
    DOCUMENTS,
    OFFICER,
    PLANS,
    PROVINCE,
    SECRETARY,
    SECRETARY_BRANCH,
    START,
    WARD_OFFICER,
    Demo,
)
from dangvien.admissions.models import AdmissionStepKind, CardEnd, CardSeries
from dangvien.admissions.models import RecognitionStepKind as Review
from dangvien.admissions.procedure.services import record_admission_step
from dangvien.admissions.targets.services import set_target
from dangvien.core.paths import path_ids
from dangvien.core.rules import add_months
from dangvien.members.models import Member, Status
from dangvien.organizations.models import BRANCH_KINDS, Organization, OrgKind

# The browser journeys' people, in the demo secretary's branch.
JOURNEY_CANDIDATE = "Vũ Thị Minh Anh"  # file complete: the branch votes, then admission
JOURNEY_NEWCOMER = "Đỗ Quang Khải"  # just entered the pool
JOURNEY_PROBATIONER = "Hoàng Thu Trang"  # probation ended: the branch votes, then recognition
# How many candidates stop at each stage (the probation and card scenarios come on top).
STAGES = {
    "pool": 40,
    "sympathiser": 30,
    "documents": 12,
    "helpers": 9,
    "one_letter": 5,
    "ready": 6,
    "branch_resolved": 8,
    "committee_resolved": 6,
    "admitted": 10,
}
WITHDRAWALS = [
    "Chuyển công tác ra ngoài tỉnh, chuyển nguồn cho đảng ủy nơi công tác mới.",
    "Kết quả thẩm tra lý lịch còn điểm chưa rõ; chi bộ dừng xem xét để xác minh thêm.",
]


def _age(demo: Demo) -> int:
    """Mostly young people: half in their early twenties, a tenth over 35."""
    roll = demo.rng.random()
    low, high = (20, 27) if roll < 0.5 else (28, 35) if roll < 0.9 else (36, 40)
    return demo.rng.randint(low, high)


def _pipeline(demo: Demo, branches: list[Organization]) -> None:
    """The candidates of every stage, spread over most branches (bigger branches have more)."""
    rng, today = demo.rng, demo.today
    chosen = [b for b in branches if b.code == SECRETARY_BRANCH or rng.random() < 0.85]
    sub_branches = [b for b in chosen if b.kind == OrgKind.SUB_BRANCH]
    year_start = datetime.date(today.year, 1, 1)
    for stage, count in STAGES.items():
        pool = sub_branches if stage == "committee_resolved" else chosen
        for index in range(count):
            branch = _pick(demo, pool)
            person = demo_steps.person(demo, branch, _age(demo))
            if stage == "pool":
                selected = today - rng.randint(15, 600) * DAY
                create_candidate(
                    demo.actor(branch), organization=branch, values=person, selected_on=selected
                )
            elif stage == "documents":
                plan = ["selected", "class", *DOCUMENTS[: rng.randint(1, 4)]]
                demo_steps.follow(demo, branch, person, plan, lag=rng.randint(3, 60))
            elif stage == "helpers":
                plan = PLANS["helpers"] + DOCUMENTS[: rng.randint(2, 4)]
                demo_steps.follow(demo, branch, person, plan, lag=rng.randint(3, 45))
            elif stage == "admitted":
                span = max(0, min(300, (today - year_start).days))
                decided = today - rng.randint(0, span) * DAY
                if index == 0:
                    decided = today - min(3, span) * DAY  # ceremony pending
                demo_steps.follow(demo, branch, person, PLANS[stage], decided_on=decided)
            elif stage == "sympathiser":
                lag = rng.randint(10, 700)
                demo_steps.follow(demo, branch, person, PLANS[stage], lag=lag)
            else:
                demo_steps.follow(demo, branch, person, PLANS[stage], lag=rng.randint(2, 40))
    _special_cases(demo, chosen)


def _pick(demo: Demo, branches: list[Organization]) -> Organization:
    """A branch at random, bigger branches more often; one with official members enough to
    introduce a candidate and vote (two introducers, and a branch meeting)."""
    able = [b for b in branches if demo.officials[b.pk] >= 3] or branches
    return demo.rng.choices(able, [demo.officials[b.pk] + 10 for b in able])[0]


def _special_cases(demo: Demo, chosen: list[Organization]) -> None:
    """Students under 18, a retiree over 60, an expired certificate, a Youth Union
    resolution in place of a letter, and two candidates taken out of consideration."""
    rng, today, by_code = demo.rng, demo.today, {b.code: b for b in chosen}
    for code in ("SH.HB.01.02", "SH.HB.01.03"):
        branch = by_code.get(code) or chosen[0]
        person = demo_steps.person(demo, branch, 17, occupation="Học sinh lớp 12", qualification="")
        person.update(workplace="Trường Trung học phổ thông Hòa Bình", general_education="11/12")
        plan = ["selected", "class"] if code.endswith("03") else ["selected"]
        demo_steps.follow(demo, branch, person, plan, lag=rng.randint(20, 60))
    branch = by_code.get("SH.HB.02") or chosen[0]
    person = demo_steps.person(demo, branch, 62, occupation="Hưu trí", qualification="Trung cấp")
    person["workplace"] = "Chi hội Cựu chiến binh khu phố Đông Hải"
    create_candidate(demo.actor(branch), organization=branch, values=person, selected_on=today)
    # A certificate older than 60 months: the candidate has to attend the class again.
    branch = _pick(demo, chosen)
    candidate, _ = demo_steps.follow(
        demo, branch, demo_steps.person(demo, branch, 31), ["selected"], lag=2200
    )
    record_awareness_class(
        demo.actor(branch),
        candidate,
        attended_on=add_months(today, -rng.randint(62, 70)),
        certificate_number=f"{demo.number('old')}-GCN/TTCT",
    )
    # A Youth Union resolution replaces one introducer's letter.
    branch = _pick(demo, chosen)
    plan = [*START, *DOCUMENTS, "letter1"]
    candidate, _ = demo_steps.follow(demo, branch, demo_steps.person(demo, branch, 22), plan, lag=5)
    record_admission_step(
        demo.actor(branch),
        candidate,
        AdmissionStepKind.YOUTH_UNION,
        on=today - 3 * DAY,
        document_number=f"{demo.number('youth')}-NQ/ĐTN",
        body=f"Ban Chấp hành Đoàn {candidate.workplace}",
    )
    for reason, plan in zip(WITHDRAWALS, (["selected"], PLANS["helpers"]), strict=True):
        branch = _pick(demo, chosen)
        candidate, _ = demo_steps.follow(
            demo, branch, demo_steps.person(demo, branch, 26), plan, lag=30
        )
        withdraw_candidate(demo.actor(branch), candidate, reason=reason)


def _journeys(demo: Demo, branch: Organization) -> None:
    """The demo secretary's branch: a file ready for the vote and a newcomer to the pool."""
    teacher = {"occupation": "Giáo viên", "qualification": "Đại học"}
    person = demo_steps.person(demo, branch, 27, JOURNEY_CANDIDATE, **teacher)
    demo_steps.follow(demo, branch, person, PLANS["ready"], lag=4)
    person = demo_steps.person(demo, branch, 24, JOURNEY_NEWCOMER, **teacher)
    create_candidate(demo.actor(branch), organization=branch, values=person, selected_on=demo.today)


def _probation(demo: Demo, branches: list[Organization]) -> list[Member]:
    """Probationary members admitted through the pool: due soon, ended and ready (the demo
    secretary's), overdue with some steps recorded, a failed branch vote; and members recognised
    after their review. Returns the recognised members."""
    rng, today = demo.rng, demo.today
    year_ago = add_months(today, -12)
    full = PLANS["admitted"]
    by_code = {b.code: b for b in branches}

    def admitted(branch, days_before_year_ago: int, name: str = "") -> Member:
        person = demo_steps.person(demo, branch, rng.randint(22, 34), name)
        ceremony = year_ago - days_before_year_ago * DAY  # the probation runs from it
        return demo_steps.follow(demo, branch, person, full, ceremony_on=ceremony)[1]

    for _ in range(2):  # probation ends within the next 60 days
        admitted(_pick(demo, branches), -rng.randint(10, 55))
    own = by_code[SECRETARY_BRANCH]
    ready = admitted(own, rng.randint(5, 10), JOURNEY_PROBATIONER)
    opinions = {Review.SELF_REVIEW: -6, Review.INTRODUCER_OPINION: -2, Review.MASS_ORG_COMMENT: -1}
    demo_steps.review(demo, ready, opinions)
    for _ in range(3):  # more than 30 working days overdue, some steps recorded
        member = admitted(_pick(demo, branches), rng.randint(65, 120))
        done = {Review.SELF_REVIEW: -rng.randint(2, 10)}
        if rng.random() < 0.6:
            done[Review.INTRODUCER_OPINION] = rng.randint(0, 10)
        demo_steps.review(demo, member, done)
    member = admitted(_pick(demo, branches), rng.randint(40, 55))
    done = {Review.SELF_REVIEW: -5, Review.INTRODUCER_OPINION: 0, Review.MASS_ORG_COMMENT: 2}
    demo_steps.review(demo, member, {**done, Review.BRANCH_VOTE: 12}, failed=True)
    recognised = []
    for days in (25, 40, 70, 160, 210, 260):
        member = admitted(_pick(demo, branches), days)
        done = {**opinions, Review.BRANCH_VOTE: 4}
        if member.branch.kind == OrgKind.SUB_BRANCH:
            done[Review.COMMITTEE_VOTE] = 9
        recognised.append(demo_steps.review(demo, member, done, decided=15))
    return recognised


def _cards(demo: Demo, recognised: list[Member]) -> None:
    """Chip cards (since 2025) for the members recognised longest ago and for two base branches
    replacing their old 8-digit cards; a card lost and replaced, one lost and waiting, a damaged
    old card replaced in 2021. The rest of the recently recognised wait for their card."""
    rng, today, officer = demo.rng, demo.today, demo.users[OFFICER]

    def chip() -> str:
        demo.serial["chip"] += 1
        return f"0460{today.year % 100:02d}{demo.serial['chip']:06d}"

    for member in recognised[3:]:
        day = min(today, member.official_on + rng.randint(60, 100) * DAY)
        issue_card(officer, member, number=chip(), series=CardSeries.CHIP, issued_on=day)
    exchanged = Member.unscoped.filter(
        branch__code__in=["SH.CQD.02", "SH.CQD.03"],
        status=Status.OFFICIAL,
        card_number__isnull=False,
        cards__isnull=True,
    ).order_by("code")
    for member in exchanged:
        day = today - rng.randint(20, 240) * DAY
        if member.official_on < day and (member.card_issued_on or member.official_on) < day:
            issue_card(
                officer,
                member,
                number=chip(),
                series=CardSeries.CHIP,
                issued_on=day,
                decision_number=f"{demo.number('card')}-QĐ/TU",
                replaces=CardEnd.REPLACED,
            )
    lost, waiting, damaged = (
        Member.unscoped.filter(branch__code=code, status=Status.OFFICIAL, card_number__isnull=False)
        .filter(official_on__lt=datetime.date(2015, 1, 1))
        .order_by("code")
        .first()
        for code in ("SH.HB.03", "SH.TP.01", "SH.UB.03")
    )
    end_card(officer, lost, on=today - 150 * DAY, reason=CardEnd.LOST)
    issue_card(officer, lost, number=chip(), series=CardSeries.CHIP, issued_on=today - 90 * DAY)
    end_card(officer, waiting, on=today - 25 * DAY, reason=CardEnd.LOST, note="Mất khi đi công tác")
    issue_card(
        officer,
        damaged,
        number=f"{rng.randint(10, 99)}9{rng.randint(0, 99999):05d}",
        series=CardSeries.OLD,
        issued_on=datetime.date(2021, 3, rng.randint(1, 28)),
        replaces=CardEnd.DAMAGED,
    )


def _quota(rng: random.Random, admitted: int, low: float, high: float) -> int:
    """A quota the organisation (nearly) met: admitted / quota between `low` and `high`; small
    units get a whole number close to what they admitted, at least 1."""
    if admitted < 5:
        return max(1, admitted + rng.choice([0, 0, 0, 1]))
    return round(admitted / rng.uniform(low, high))


def _quotas(demo: Demo) -> None:
    """Quotas close to what each organisation admitted: per upper-level committee (85–108%) and
    base organisation for this year (against the admissions so far) and the two before, and per
    term on the province and the upper-level committees (2020–2025 as achieved, 2025–2030 five
    years at the recent pace). As in practice, the base organisations' quotas may add up to more
    than their committee's."""
    rng, today, officer = demo.rng, demo.today, demo.users[OFFICER]
    years = list(range(today.year - 2, today.year + 1))
    counts: dict[tuple[int, int], int] = defaultdict(int)  # (organisation id, year) → admitted
    tree = sorted(demo.orgs.values(), key=lambda org: org.code)
    province = next(org for org in tree if org.kind == OrgKind.PROVINCE)
    rows = (
        Member.unscoped.filter(branch_path__startswith=province.path, admitted_on__year__gte=2020)
        .values_list("branch_id", "admitted_on__year")
        .annotate(admitted=Count("id"))
        .order_by()
    )
    for branch_id, year, admitted in rows:
        for pk in path_ids(demo.orgs[branch_id].path):
            counts[pk, year] += admitted
    term_totals: dict[tuple[int, int], int] = defaultdict(int)
    for upper in (org for org in tree if org.kind == OrgKind.UPPER):
        for year in years:
            quota = _quota(rng, counts[upper.pk, year], 0.85, 1.08)
            set_target(officer, upper, quota=quota, year=year)
            for base in (org for org in tree if org.parent_id == upper.pk):
                quota = _quota(rng, counts[base.pk, year], 0.8, 1.1)
                set_target(officer, base, quota=quota, year=year)
        done = sum(counts[upper.pk, year] for year in range(2020, 2026))
        recent = sum(counts[upper.pk, year] for year in years[:2]) / 2
        for term, quota in (
            ((2020, 2025), round(done / rng.uniform(0.9, 1.05))),
            ((2025, 2030), round(recent * 5 / rng.uniform(0.95, 1.05))),
        ):
            set_target(officer, upper, quota=quota, term=term)
            term_totals[term] += quota
    for term, quota in term_totals.items():
        set_target(officer, province, quota=quota, term=term)


def load(rng: random.Random, today: datetime.date) -> None:
    """Candidates, probation reviews, cards and quotas of the demo province. Needs the demo tree,
    members and accounts (call after `accounts.demo.load`)."""
    users = {
        u.username: u for u in User.objects.filter(username__in=[OFFICER, WARD_OFFICER, SECRETARY])
    }
    province = Organization.unscoped.get(code=PROVINCE)
    orgs = {org.pk: org for org in Organization.unscoped.filter(path__startswith=province.path)}
    branches = sorted(
        (org for org in orgs.values() if org.kind in BRANCH_KINDS and org.is_active),
        key=lambda org: org.code,
    )
    helpers: dict[int, list[Member]] = defaultdict(list)
    officials: Counter = Counter()
    for member in (
        Member.unscoped.filter(branch_path__startswith=province.path, status=Status.OFFICIAL)
        .select_related("branch")
        .order_by("code")
    ):
        officials[member.branch_id] += 1
        if member.exempt_since is None:
            helpers[member.branch_id].append(member)
    last_code = Member.unscoped.filter(code__startswith=PROVINCE).aggregate(Max("code"))
    demo = Demo(
        rng, today, users, orgs, helpers, officials, int(last_code["code__max"][len(PROVINCE) :])
    )
    _pipeline(demo, branches)
    _journeys(demo, next(b for b in branches if b.code == SECRETARY_BRANCH))
    recognised = _probation(demo, branches)
    _cards(demo, recognised)
    _quotas(demo)

"""How a demo candidate goes through the admission procedure and a demo probationer through
the review: invented people of the demo province's units, and their steps dated in the past as
the branches would have recorded them, through the admissions services (the paper documents of
a file, which carry no rule but their dates, are written at once with their history entries).
"""

import datetime
import math
import random
from collections import Counter
from dataclasses import dataclass, field

from dangvien.accounts.models import User
from dangvien.admissions.candidates.services import create_candidate, record_awareness_class
from dangvien.admissions.introducers.services import assign_introducer, record_introduction
from dangvien.admissions.models import AdmissionStep, AdmissionStepKind, Candidate, Stage
from dangvien.admissions.models import RecognitionStepKind as Review
from dangvien.admissions.probation.services import probation_end, recognise, record_recognition_step
from dangvien.admissions.procedure.services import (
    admit_candidate,
    record_admission_step,
    record_ceremony,
)
from dangvien.admissions.shared.services import official_members_on, step_key, step_summary
from dangvien.core.bulk import insert_all
from dangvien.core.decisions import Decision
from dangvien.core.models import AuditEntry
from dangvien.core.paths import path_ids
from dangvien.core.rules import add_months
from dangvien.members.demo import (
    ETHNICITIES,
    FAMILY,
    GIVEN_FEMALE,
    GIVEN_MALE,
    MIDDLE_FEMALE,
    MIDDLE_MALE,
    PROVINCES,
    RELIGIONS,
)
from dangvien.members.models import Gender, Member
from dangvien.organizations.models import BASE_KINDS, Organization, OrgKind
from dangvien.training import demo as training_demo

DAY = datetime.timedelta(days=1)

OFFICER = "tinhuy"  # the province officer: quotas, cards, steps outside the ward
WARD_OFFICER = "hoabinh"  # the ward officer: committee votes and decisions in the ward
SECRETARY = "bithu"  # the secretary of SH.HB.01.01
SECRETARY_BRANCH = "SH.HB.01.01"
PROVINCE = "SH"
# The steps of a file, in the order of `follow`'s plans ("cvote" = the base committee's vote).
DOCUMENTS = [
    AdmissionStepKind.APPLICATION,
    AdmissionStepKind.PERSONAL_HISTORY,
    AdmissionStepKind.BACKGROUND_CHECK,
    AdmissionStepKind.MASS_ORG_COMMENT,
    AdmissionStepKind.RESIDENCE_COMMENT,
]
START = ["selected", "class", "assigned"]
PLANS = {
    "pool": ["selected"],
    "sympathiser": ["selected", "class"],
    "helpers": START,  # plus two to four documents
    "one_letter": [*START, *DOCUMENTS, "letter1"],
    "ready": [*START, *DOCUMENTS, "letter1", "letter2"],
    "branch_resolved": [*START, *DOCUMENTS, "letter1", "letter2", "branch_vote"],
    "committee_resolved": [*START, *DOCUMENTS, "letter1", "letter2", "branch_vote", "cvote"],
    "admitted": [*START, *DOCUMENTS, "letter1", "letter2", "branch_vote", "cvote", "decision"],
}
# Sector of a base organisation (by code): occupations with their usual qualifications.
SECTOR_OF = {
    "SH.HB.01": "school",
    "SH.TP.04": "school",
    "SH.HB.04": "hospital",
    "SH.HB.02": "residential",
    "SH.HB.03": "residential",
    "SH.TP.01": "residential",
    "SH.TP.02": "residential",
    "SH.TP.03": "farm",
    "SH.CQD.04": "press",
}
SECTORS = {
    "school": [("Giáo viên", ["Đại học", "Đại học", "Thạc sĩ"]), ("Nhân viên", ["Cao đẳng"])],
    "hospital": [
        ("Bác sĩ", ["Đại học", "Thạc sĩ"]),
        ("Điều dưỡng", ["Cao đẳng", "Đại học"]),
        ("Kỹ thuật viên xét nghiệm", ["Cao đẳng", "Đại học"]),
        ("Dược sĩ", ["Đại học"]),
    ],
    "residential": [
        ("Công nhân", ["Trung cấp", "Sơ cấp", ""]),
        ("Kinh doanh", ["", "Cao đẳng"]),
        ("Nhân viên văn phòng", ["Đại học", "Cao đẳng"]),
    ],
    "farm": [
        ("Nông dân", ["", "Sơ cấp"]),
        ("Kỹ thuật viên nông nghiệp", ["Trung cấp", "Cao đẳng"]),
        ("Kế toán", ["Đại học", "Cao đẳng"]),
    ],
    "press": [("Phóng viên", ["Đại học"]), ("Biên tập viên", ["Đại học", "Thạc sĩ"])],
    "army": [
        ("Quân nhân chuyên nghiệp", ["Trung cấp", "Cao đẳng"]),
        ("Hạ sĩ quan", ["", "Sơ cấp"]),
        ("Chiến sĩ", [""]),
        ("Sĩ quan", ["Đại học"]),
    ],
    "office": [("Chuyên viên", ["Đại học", "Đại học", "Thạc sĩ"]), ("Nhân viên", ["Cao đẳng"])],
}
EMPLOYERS = [
    "Công ty TNHH May mặc Sơn Hà",
    "Công ty Cổ phần Thủy sản Đông Hải",
    "Công ty TNHH Điện tử Hòa Bình",
    "Hộ kinh doanh cá thể",
]


def _short(name: str) -> str:
    for prefix in ("Đảng bộ bộ phận ", "Đảng bộ ", "Chi bộ "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


@dataclass
class Demo:
    """What the loader shares: the date, the random source, the actors and the tree."""

    rng: random.Random
    today: datetime.date
    users: dict[str, User]
    orgs: dict[int, Organization]
    helpers: dict[int, list[Member]]  # official members of each branch, by branch id
    officials: Counter
    next_code: int
    serial: Counter = field(default_factory=Counter)

    def number(self, key: str) -> int:
        """A running document number per issuing body, starting somewhere plausible."""
        if key not in self.serial:
            self.serial[key] = self.rng.randint(12, 60)
        self.serial[key] += 1
        return self.serial[key]

    def above(self, branch: Organization, kinds) -> Organization:
        return next(
            self.orgs[pk] for pk in reversed(path_ids(branch.path)) if self.orgs[pk].kind in kinds
        )

    def actor(self, branch: Organization, committee: bool = False) -> User:
        """The demo secretary records their branch's own steps; the ward officer acts in the
        ward; the province officer everywhere else."""
        if branch.code == SECRETARY_BRANCH and not committee:
            return self.users[SECRETARY]
        if branch.code.startswith("SH.HB."):
            return self.users[WARD_OFFICER]
        return self.users[OFFICER]


def _sector(branch: Organization) -> str:
    if branch.code.startswith("SH.QS"):
        return "army"
    return next(
        (sector for code, sector in SECTOR_OF.items() if branch.code.startswith(code + ".")),
        SECTOR_OF.get(branch.code, "office"),
    )


def person(demo: Demo, branch: Organization, age: int, name: str = "", **extra) -> dict:
    """A plausible, invented outstanding non-member working in `branch`'s unit."""
    rng, sector = demo.rng, _sector(branch)
    female = (name.split()[1] in MIDDLE_FEMALE) if name else rng.random() < 0.5
    if sector == "army" and not name:
        female = rng.random() < 0.1
    if not name:
        middle, given = (MIDDLE_FEMALE, GIVEN_FEMALE) if female else (MIDDLE_MALE, GIVEN_MALE)
        first, second = rng.choice(middle), rng.choice(given)
        while second == first:
            second = rng.choice(given)
        name = f"{rng.choice(FAMILY)} {first} {second}"
    birth = datetime.date(demo.today.year - age, rng.randint(1, 12), rng.randint(1, 28))
    if birth > add_months(demo.today, -12 * age):
        birth = birth.replace(year=birth.year - 1)
    occupation, degrees = rng.choice(SECTORS[sector])
    base = demo.above(branch, BASE_KINDS)
    if sector == "residential":
        workplace = rng.choice(EMPLOYERS)
    elif base.pk == branch.pk:
        workplace = _short(branch.name)
    else:
        workplace = f"{_short(branch.name)}, {_short(base.name)}"
    if branch.code.startswith("SH.TP"):
        hamlet = f"Thôn {rng.choice(['Đồng Tâm', 'Ấp Bắc', 'Tân Lập', 'Phú Xuân'])}"
        residence, residence_org = f"{hamlet}, xã Tân Phú", f"Chi bộ {hamlet}, xã Tân Phú"
    else:
        group = rng.randint(1, 24)
        residence = f"Tổ {group}, phường Hòa Bình"
        residence_org = f"Chi bộ Tổ dân phố số {group}, phường Hòa Bình"
    demo.serial["citizen"] += 1
    century = (0 if birth.year < 2000 else 2) + int(female)
    return {
        "full_name": name,
        "gender": Gender.FEMALE if female else Gender.MALE,
        "birth_date": birth,
        "birthplace": rng.choice(PROVINCES),
        "place_of_origin": rng.choice(PROVINCES),
        "ethnicity": rng.choice(ETHNICITIES),
        "religion": rng.choice(RELIGIONS),
        "citizen_id": f"0{rng.randint(1, 96):02d}{century}{birth.year % 100:02d}"
        f"{700000 + demo.serial['citizen']:06d}",
        "phone": f"09{rng.randint(10_000_000, 99_999_999)}",
        "occupation": occupation,
        "workplace": workplace,
        "residence": residence,
        "residence_org": residence_org,
        "general_education": "12/12",
        "qualification": rng.choice(degrees),
        "political_theory": "Sơ cấp" if rng.random() < 0.15 else "",
        "youth_union_member": age <= 30,
        **extra,
    }


def _timeline(rng: random.Random, sub_branch: bool) -> dict[str, int]:
    """The days of each step relative to the admission decision (day 0), as files usually go:
    class, helpers, documents over a few months, letters, the votes, the decision, the ceremony
    (within 30 working days)."""
    days = {"decision": 0, "ceremony": rng.randint(5, 25)}
    days["cvote"] = -rng.randint(5, 15) if sub_branch else 0
    vote = days["branch_vote"] = days["cvote"] - rng.randint(7, 21)
    days["letter1"], days["letter2"] = sorted(vote - rng.randint(2, 12) for _ in range(2))
    application = vote - rng.randint(60, 120)
    days[AdmissionStepKind.APPLICATION] = application
    days[AdmissionStepKind.PERSONAL_HISTORY] = application + rng.randint(3, 15)
    days[AdmissionStepKind.BACKGROUND_CHECK] = application + rng.randint(30, 55)
    days[AdmissionStepKind.MASS_ORG_COMMENT] = vote - rng.randint(5, 20)
    days[AdmissionStepKind.RESIDENCE_COMMENT] = vote - rng.randint(5, 25)
    days["class"] = application - rng.randint(20, 240)
    days["assigned"] = days["class"] + rng.randint(7, 45)
    days["together"] = days["letter1"] - rng.randint(400, 1800)
    days["selected"] = days["class"] - rng.randint(60, 400)
    return days


def follow(
    demo: Demo,
    branch: Organization,
    person: dict,
    plan: list[str],
    *,
    decided_on=None,
    ceremony_on=None,
    lag=0,
):
    """Take a new candidate through the `plan`'s steps; the last one is dated `lag` days before
    today, or the decision falls on `decided_on`, or the ceremony (from which the probation
    runs) on `ceremony_on`. Returns the candidate (and member, if any)."""
    rng = demo.rng
    sub_branch = branch.kind == OrgKind.SUB_BRANCH
    plan = [step for step in plan if step != "cvote" or sub_branch]
    days = _timeline(rng, sub_branch)
    if ceremony_on is not None:
        decided_on = ceremony_on - days["ceremony"] * DAY
    if decided_on is None:
        decided_on = demo.today - (lag + max(days[s] for s in plan)) * DAY
    on = {step: decided_on + offset * DAY for step, offset in days.items()}
    actor = demo.actor(branch)
    candidate = create_candidate(
        actor, organization=branch, values=person, selected_on=on["selected"]
    )
    member, helpers, documents = None, [], []
    for step in sorted(plan[1:], key=lambda s: on[s]):
        day = on[step]
        if step == "class":
            _attend_class(demo, branch, candidate, day)
        elif step == "assigned":
            helpers = _assign_helpers(demo, branch, candidate, day, on["together"])
        elif step in DOCUMENTS:
            documents.append(_document(demo, branch, candidate, step, day))
            continue
        if documents and step in ("branch_vote", plan[-1]):
            _file_documents(demo, branch, candidate, documents)
            documents = []
        if step in ("letter1", "letter2"):
            record_introduction(actor, helpers[int(step[-1]) - 1], on=day)
        elif step == "branch_vote":
            _vote(demo, branch, candidate, AdmissionStepKind.BRANCH_VOTE, day)
        elif step == "cvote":
            _vote(demo, branch, candidate, AdmissionStepKind.COMMITTEE_VOTE, day)
        elif step == "decision":
            member = _admit(demo, branch, candidate, day)
            if on["ceremony"] <= demo.today:
                record_ceremony(actor, candidate, on=on["ceremony"])
    if documents:
        _file_documents(demo, branch, candidate, documents)
    return candidate, member


def _attend_class(demo: Demo, branch: Organization, candidate: Candidate, day) -> None:
    upper = demo.above(branch, {OrgKind.UPPER})
    record_awareness_class(
        demo.actor(branch),
        candidate,
        attended_on=day,
        certificate_number=f"{demo.number('class' + upper.code)}-GCN/TTCT",
        organiser=f"Trung tâm Chính trị {_short(upper.name)}",
    )


def _assign_helpers(demo: Demo, branch, candidate, assigned_on, together_since) -> list:
    eligible = [m for m in demo.helpers[branch.pk] if m.official_on < assigned_on]
    return [
        assign_introducer(
            demo.actor(branch),
            candidate,
            member,
            assigned_on=assigned_on,
            together_since=max(together_since, add_months(candidate.birth_date, 12 * 17)),
        )
        for member in demo.rng.sample(eligible, 2)
    ]


def _document(demo: Demo, branch, candidate: Candidate, kind: str, day) -> AdmissionStep:
    base = demo.above(branch, BASE_KINDS)
    number, body = "", ""
    if kind == AdmissionStepKind.BACKGROUND_CHECK:
        number = f"{demo.number('check' + base.code)}-CV/ĐU"
        body = f"Đảng ủy {_short(base.name)}"
    elif kind == AdmissionStepKind.MASS_ORG_COMMENT:
        body = f"Đoàn TNCS Hồ Chí Minh {candidate.workplace}"
    elif kind == AdmissionStepKind.RESIDENCE_COMMENT:
        body = candidate.residence_org
    return AdmissionStep(
        candidate=candidate,
        kind=kind,
        done_on=day,
        document_number=number,
        body=body,
        actor=demo.actor(branch),
    )


def _file_documents(demo: Demo, branch, candidate: Candidate, documents: list) -> None:
    """The paper documents of the file (application, personal history, background check,
    comments), entered at once as the branch would have typed them, each with its history
    entry; they carry no rule but their dates, and the branch vote (through the service) checks
    that the file is complete and dated before it."""
    insert_all(AdmissionStep, documents)
    label = Candidate._meta.label_lower
    entries = [
        AuditEntry(
            actor=step.actor,
            action="candidate.step",
            target_type=label,
            target_id=candidate.pk,
            target_label=str(candidate)[:300],
            org_path=candidate.org_path,
            changes={step_key("candidate.step", step.kind): [None, step_summary(step)]},
            effective_on=step.done_on,
            decision_number=step.document_number,
            decision_body=step.body,
        )
        for step in documents
    ]
    insert_all(AuditEntry, entries)
    if candidate.stage in (Stage.POOL, Stage.SYMPATHISER):
        candidate.stage = Stage.FILE
        Candidate.unscoped.filter(pk=candidate.pk).update(stage=Stage.FILE)


def votes(demo: Demo, total: int, passes: bool = True) -> int:
    needed = math.ceil(total * 2 / 3)
    if passes:
        return max(needed, total - demo.rng.randint(0, 2))
    return max(0, needed - 1 - demo.rng.randint(0, 1))


def _vote(demo: Demo, branch: Organization, candidate: Candidate, kind: str, day) -> None:
    if kind == AdmissionStepKind.BRANCH_VOTE:
        total, body = official_members_on(branch, day).count(), branch.name
        number, actor = f"{demo.number('nq' + branch.code):02d}-NQ/CB", demo.actor(branch)
    else:
        base = demo.above(branch, BASE_KINDS)
        total, body = 9, f"Đảng ủy {_short(base.name)}"
        number, actor = f"{demo.number('nq' + base.code)}-NQ/ĐU", demo.actor(branch, True)
    record_admission_step(
        actor,
        candidate,
        kind,
        on=day,
        document_number=number,
        body=body,
        votes_for=votes(demo, total),
        votes_total=total,
    )


def decision(demo: Demo, branch: Organization, day, reason: str = "") -> Decision:
    upper = demo.above(branch, {OrgKind.UPPER})
    number = f"{demo.number('qd' + upper.code)}-QĐ/ĐU"
    return Decision(day, number, f"Ban Thường vụ Đảng ủy {_short(upper.name)}", reason)


def _admit(demo: Demo, branch: Organization, candidate: Candidate, day) -> Member:
    demo.next_code += 1
    return admit_candidate(
        demo.actor(branch, committee=True),
        candidate,
        code=f"{PROVINCE}{demo.next_code:06d}",
        decision=decision(demo, branch, day),
    )


def review(
    demo: Demo, member: Member, steps: dict[str, int], *, failed=False, decided=None
) -> Member:
    """Probation review steps, each `steps[kind]` days after the end of probation, and the
    recognition decision `decided` days after it; the member as the review left them."""
    member.refresh_from_db()  # with the ceremony's date, from which the probation runs
    branch = demo.orgs[member.branch_id]
    end = probation_end(member)
    for kind, offset in sorted(steps.items(), key=lambda item: item[1]):
        values, day = {}, end + offset * DAY
        if kind in (Review.BRANCH_VOTE, Review.COMMITTEE_VOTE):
            total = official_members_on(branch, day).count() if kind == Review.BRANCH_VOTE else 9
            values = {"votes_total": total, "votes_for": votes(demo, total, passes=not failed)}
        committee = kind == Review.COMMITTEE_VOTE
        actor = demo.actor(branch, committee)
        record_recognition_step(actor, member, kind, on=day, **values)
    if decided is not None:
        recognition = decision(demo, branch, end + decided * DAY)
        # The new-member class certificate the recognition needs (rule new_member_class_required).
        training_demo.certify_new_member(member, recognition.effective_on)
        member = recognise(demo.actor(branch, True), member, recognition)
    return member

"""Helpers of the assessment workflow tests: the year's round, members in bulk, and the POST
bodies of the grading screens (one row per member, as the pages send them)."""

from html.parser import HTMLParser

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangvien.assessments import services
from dangvien.assessments.models import MemberAssessment, Round
from dangvien.core.roles import Role
from dangvien.core.scope import unscoped
from dangvien.members.models import Member
from tests.factories import PASSWORD, MemberFactory, UserFactory


def this_year() -> int:
    return timezone.localdate().year


def open_round(world, org=None, year: int | None = None) -> Round:
    """The year's round opened by the officer, on the whole inside subtree by default."""
    return services.open_round(world.users[Role.OFFICER], org or world.upper, year or this_year())


def member_with_account(branch, username: str, **fields) -> Member:
    return MemberFactory(branch=branch, user=UserFactory(username=username), **fields)


def client_of(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def save_my_page(client, data: dict, read_from: Client | None = None):
    """Open the member's own page and send one of its forms ("commit" or "self", by
    data["action"]) with the version the page gave it, as a browser does; `read_from` is the
    tab that opened the page when another one posts."""
    page = (read_from or client).get("/assessments/my/")
    form = page.context["commitment_form" if data["action"] == "commit" else "self_form"]
    return client.post("/assessments/my/", {**page_fields(form), **data})


def page_fields(form) -> dict:
    """The hidden fields a page's form carries (its version, the self-assessment's year)."""
    return {field.name: field.value() or "" for field in form.hidden_fields()}


def fresh(obj):
    with unscoped():
        return type(obj).objects.get(pk=obj.pk)


def assessment_of(member: Member, year: int | None = None) -> MemberAssessment | None:
    return MemberAssessment.unscoped.filter(member=member, year=year or this_year()).first()


def branch_url(branch, year: int | None = None) -> str:
    return reverse("assessments:branch", args=[branch.code, year or this_year()])


def base_url(base, year: int | None = None) -> str:
    return reverse("assessments:base", args=[base.code, year or this_year()])


def proposals_post(rows: dict) -> dict:
    """The fast grading form: member → {"grade", "not_graded", "comment", "disciplined",
    "score", "on_time" ("true"/"false"), "exceeding", "remedied", "sick_months"}."""
    data = {"row": [str(member.pk) for member in rows]}
    for member, values in rows.items():
        data[f"g-{member.pk}"] = values.get("grade", "")
        data[f"n-{member.pk}"] = values.get("not_graded", "")
        data[f"c-{member.pk}"] = values.get("comment", "")
        if values.get("disciplined"):
            data[f"d-{member.pk}"] = "on"
        # The score and its conditions (QĐ 366 years), the months of sick leave: as typed.
        for letter, key in {
            "s": "score",
            "t": "on_time",
            "e": "exceeding",
            "r": "remedied",
        }.items():
            if key in values:
                data[f"{letter}-{member.pk}"] = values[key]
        if "sick_months" in values:
            data[f"m-{member.pk}"] = values["sick_months"]
    return data


def decisions_post(rows: dict, exception_reason: str = "") -> dict:
    """The decision form: member → "tot" or "ng:exempt" (a reason not to grade)."""
    data = {"row": [str(member.pk) for member in rows], "exception_reason": exception_reason}
    for member, outcome in rows.items():
        data[f"f-{member.pk}"] = outcome
    return data


def propose(world, rows: dict, branch=None, year: int | None = None) -> None:
    """Branch proposals through the service: the secretary for their branch, else the officer."""
    branch = branch or world.branch
    actor = world.users[Role.SECRETARY if branch == world.branch else Role.OFFICER]
    proposals = {member.pk: values for member, values in rows.items()}
    services.propose_grades(actor, branch, year or this_year(), proposals)


class _Table(HTMLParser):
    """Collects the text of each cell of one table (by id), row by row."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.depth, self.rows, self.cell = table_id, 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and (self.depth or dict(attrs).get("id") == self.table_id):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(response, table_id: str) -> list[list[str]]:
    """The text of every cell of the table `table_id` on the page, header row included."""
    parser = _Table(table_id)
    parser.feed(response.content.decode())
    return parser.rows

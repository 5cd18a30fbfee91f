"""Form helpers shared by every app: a service's refusal shown on the form, the acting user's
scope for the codes a form names, the decision behind an action, the reason of a final action."""

from django import forms
from django.core.exceptions import PermissionDenied

from dangvien.core import versions
from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.roles import Capability


def attempt(form: forms.Form, action):
    """Call one service from a view: a refusal of scope is a 403, any other refusal an error on
    the form field it names (a form may map the services' names to its own in
    `service_fields`), or on the form."""
    try:
        return action()
    except ScopeDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        versions.on_refusal(form, exc)
        field = getattr(form, "service_fields", {}).get(exc.field, exc.field)
        form.add_error(field if field in form.fields else None, exc.message)
        return None


class ScopedForm(forms.Form):
    """A form that knows the acting user and turns a DomainError into a form error."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def resolve_org(self, field: str, capability: str = Capability.MANAGE_ORGS):
        """The organisation whose code `field` holds, looked up within the user's scope by the
        field itself (organizations.forms.OrgCodeField); None, with the field's error, if the
        user holds `capability` on no organisation of that code."""
        code = self.cleaned_data.get(field)
        if not code:
            return None
        org_field = self.fields[field]
        org = org_field.resolve(self.user, code.strip(), capability)
        if org is None:
            self.add_error(field, org_field.error_messages["not_found"])
        return org

    def apply(self, action):
        """Run a service call; a DomainError becomes an error on its field (or the form)."""
        try:
            return action()
        except DomainError as exc:
            versions.on_refusal(self, exc)
            field = exc.field if exc.field in self.fields else None
            self.add_error(field, exc.message)
            return None


class DecisionForm(ScopedForm):
    """The decision behind a restructuring event: date, number, deciding body, reason."""

    effective_on = forms.DateField(label="Ngày hiệu lực", required=False)
    decision_number = forms.CharField(label="Số quyết định", max_length=60, required=False)
    decision_body = forms.CharField(label="Cơ quan quyết định", max_length=200, required=False)
    reason = forms.CharField(
        label="Ghi chú", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def decision(self):
        from dangvien.core.decisions import Decision

        data = self.cleaned_data
        return Decision(
            effective_on=data.get("effective_on"),
            number=data.get("decision_number", ""),
            body=data.get("decision_body", ""),
            reason=data.get("reason", ""),
        )


class ReasonForm(forms.Form):
    """The reason of a final action or of its reopening (confirm.html): the service decides
    when it is required; the page marks it required when it will be."""

    reason = forms.CharField(
        label="Lý do", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

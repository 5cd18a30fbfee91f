"""The member's supplement page as a browser uses it: open it, then save the form with the
version it carried."""

MY = "/supplements/my/"


def opened(client) -> str:
    """The version the page's form carries when opened ("" when it offers no form)."""
    form = client.get(MY).context.get("form")
    return form["version"].value() if form is not None and "version" in form.fields else ""


def propose(client, data: dict, version: str | None = None):
    """Open the page and save `data` as its form sends it (or with the `version` given)."""
    version = opened(client) if version is None else version
    return client.post(MY, {**data, "version": version})

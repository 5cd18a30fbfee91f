"""Party cards: issued to official members, replaced, ended and the end undone (domain-rules
§2.6)."""

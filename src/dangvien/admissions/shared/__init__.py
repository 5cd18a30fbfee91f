"""What the parts of party development share: date, exception, vote and step checks, member
lookups in scope, form fields and page helpers."""

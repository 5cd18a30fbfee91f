"""Two-factor sign-in with a time-based code (TOTP, django-otp): setting up the phone app,
asking for the code after the password, and the administrator's reset when a phone is lost."""

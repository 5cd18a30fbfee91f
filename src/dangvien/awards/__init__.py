"""Awards and commendations (khen thưởng, HD 21-HD/BTCTW 2019; domain-briefs §10): award records
of organisations and members, and proposals built from the grades."""

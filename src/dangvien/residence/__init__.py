"""Working members' contact with the party organisation where they live (QĐ 213-QĐ/TW 2020,
HD 33-HD/BTCTW 2020; domain-rules §8): the residence branch link and the yearly comment."""

"""The official members who help a candidate and write their introduction letters (3-KNĐ),
assigned, replaced or removed before the branch votes (Điều lệ Đảng, Điều 4)."""

"""Admission quotas (chỉ tiêu kết nạp) for a year or a congress term: set, removed, imported,
and compared with the members admitted."""

"""Inspection and supervision (kiểm tra, giám sát) carried out by committees, inspection
committees and branches: each activity with its decision, subject, findings and conclusion
(QĐ 296-QĐ/TW chương II; domain-rules §7.1)."""

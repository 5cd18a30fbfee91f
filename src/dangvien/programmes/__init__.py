"""Resolution study (học tập, quán triệt nghị quyết) and action programmes (chương trình hành
động) of party committees: targets, their actual values computed from the records or recorded
by hand, and the 6-monthly and yearly reviews (domain-briefs §2)."""

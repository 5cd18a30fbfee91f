"""Training classes (bồi dưỡng, lý luận chính trị; domain-briefs §12): courses, their
participants and results, and what the results change in the member's and candidate's files."""

"""The admission file (hồ sơ kết nạp): its documents and votes, the admission decision that
creates the member record, the ceremony, and the decision's annulment."""

"""Probation: the review at the end of the 12 months, recognition as an official member or
striking off, and the ceremony date the probation runs from (Điều lệ Đảng, Điều 5)."""

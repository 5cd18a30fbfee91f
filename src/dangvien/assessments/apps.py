from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "dangvien.assessments"
    label = "assessments"
    verbose_name = "Đánh giá, xếp loại chất lượng"

    def ready(self) -> None:
        from dangvien.core.models import ACTION_LABELS, FIELD_LABELS

        FIELD_LABELS["pending"] = "Số đảng viên chưa có kết quả"  # recorded with a round's lock
        for quarter in range(1, 5):  # "quarter_2_2026" reads «Xếp loại quý 2 năm 2026»
            FIELD_LABELS[f"quarter_{quarter}"] = f"Xếp loại quý {quarter}"
            FIELD_LABELS[f"quarter_{quarter}_score"] = f"Điểm quý {quarter}"
            FIELD_LABELS[f"quarter_{quarter}_comment"] = f"Nhận xét quý {quarter}"

        ACTION_LABELS.update(
            {
                "assessment.commit": "Đăng ký mức độ hoàn thành nhiệm vụ",
                "assessment.round_open": "Mở đợt đánh giá",
                "assessment.round_close": "Khóa đợt đánh giá",
                "assessment.round_reopen": "Mở lại đợt đánh giá",
                "assessment.self": "Tự kiểm điểm, tự xếp loại",
                "assessment.self_paper": "Ghi nhận bản tự kiểm điểm giấy",
                "assessment.propose": "Chi bộ đề xuất xếp loại",
                "assessment.decide": "Quyết định xếp loại",
                "assessment.correct": "Đính chính kết quả xếp loại",
                "assessment.org_grade": "Xếp loại tổ chức đảng",
                "assessment.import": "Nhập kết quả xếp loại đảng viên",
                "assessment.org_import": "Nhập kết quả xếp loại tổ chức",
                "quarter.record": "Đánh giá hằng quý",
            }
        )

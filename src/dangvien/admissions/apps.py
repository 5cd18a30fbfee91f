from django.apps import AppConfig


class AdmissionsConfig(AppConfig):
    name = "dangvien.admissions"
    label = "admissions"
    verbose_name = "Phát triển đảng viên"

    def ready(self) -> None:
        from dangvien.admissions.models import ACTION_LABELS as ADMISSION_ACTIONS
        from dangvien.admissions.models import AdmissionStepKind, RecognitionStepKind
        from dangvien.admissions.working_days import register
        from dangvien.core.models import ACTION_LABELS, FIELD_LABELS

        ACTION_LABELS.update(ADMISSION_ACTIONS)
        FIELD_LABELS.update(
            {
                "stage": "Giai đoạn",
                "quota": "Chỉ tiêu kết nạp",
                "stretch_quota": "Chỉ tiêu phấn đấu",
                "quota_decision": "Văn bản giao chỉ tiêu kết nạp",
                "card": "Thẻ đảng viên",
                "step": "Bước",
                "introducer": "Đảng viên giúp đỡ",
                "introduction": "Giấy giới thiệu (mẫu 3-KNĐ)",
                "class_attended_on": "Ngày cấp giấy chứng nhận lớp nhận thức",
            }
        )
        # Each step is kept under its own key (shared/services.py step_key), which versions it.
        FIELD_LABELS.update({f"step_{kind}": kind.label for kind in AdmissionStepKind})
        FIELD_LABELS.update({f"review_{kind}": kind.label for kind in RecognitionStepKind})
        register()  # its deadlines in working days, for the holiday calendar

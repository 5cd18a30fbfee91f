from django.apps import AppConfig


class AdmissionsConfig(AppConfig):
    name = "dangvien.admissions"
    label = "admissions"
    verbose_name = "Phát triển đảng viên"

    def ready(self) -> None:
        from dangvien.admissions.models import ACTION_LABELS as ADMISSION_ACTIONS
        from dangvien.core.models import ACTION_LABELS, FIELD_LABELS

        ACTION_LABELS.update(ADMISSION_ACTIONS)
        FIELD_LABELS.update(
            {
                "stage": "Giai đoạn",
                "quota": "Chỉ tiêu kết nạp",
                "card": "Thẻ đảng viên",
                "step": "Bước",
                "introducer": "Đảng viên giúp đỡ",
                "introduction": "Giấy giới thiệu (mẫu 3-KNĐ)",
                "class_attended_on": "Ngày cấp giấy chứng nhận lớp nhận thức",
            }
        )

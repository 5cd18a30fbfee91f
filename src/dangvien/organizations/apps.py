from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "dangvien.organizations"
    label = "organizations"
    verbose_name = "Tổ chức đảng"

    def ready(self) -> None:
        from dangvien.core.models import ACTION_LABELS, FIELD_LABELS

        FIELD_LABELS["receiving"] = "Tổ chức tiếp nhận"
        FIELD_LABELS["parts"] = "Tổ chức mới"
        ACTION_LABELS.update(
            {
                "org.absorb": "Sáp nhập tổ chức",
                "org.amalgamate": "Hợp nhất tổ chức",
                "org.split": "Chia tách tổ chức",
                "member.restructure": "Chuyển chi bộ theo sáp nhập, hợp nhất, chia tách tổ chức",
            }
        )

"""The member's timeline records the undoing of a leaving recorded by mistake or annulled
(members.services.reinstate_member): a new kind of event, nothing else changes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("members", "0010_code_prefix_index_postgresql")]

    operations = [
        migrations.AlterField(
            model_name="memberevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("admitted", "Kết nạp vào Đảng"),
                    ("recognised", "Công nhận đảng viên chính thức"),
                    ("transferred", "Chuyển sinh hoạt đảng"),
                    ("exempted", "Miễn công tác và sinh hoạt đảng"),
                    ("exemption_ended", "Trở lại sinh hoạt đảng"),
                    ("resigned", "Xin ra khỏi Đảng"),
                    ("removed", "Xóa tên"),
                    ("expelled", "Khai trừ"),
                    ("deceased", "Từ trần"),
                    ("reinstated", "Hủy việc ra khỏi Đảng, trở lại sinh hoạt đảng"),
                    ("card_issued", "Cấp thẻ đảng viên"),
                    ("card_ended", "Thẻ đảng viên hết dùng (mất, hỏng, thu hồi)"),
                ],
                max_length=20,
                verbose_name="sự kiện",
            ),
        ),
    ]

"""What the instructions sheet of each import template says of its columns: the values allowed,
the formats expected (formats.md), so an officer fills a template without asking."""

from dangvien.assessments.importing import NOT_GRADED_LABEL, OLD_MEMBER_LABELS, OLD_ORG_LABELS
from dangvien.assessments.models import GRADES, SHORT_LABELS
from dangvien.awards.models import OLD_UPPER_LEVEL, AwardForm, AwardLevel
from dangvien.committees.models import Body as CommitteeBody
from dangvien.committees.models import Chosen, Post
from dangvien.discipline.models import DisciplineForm
from dangvien.dues.importing import CHANNEL_LABELS as DUES_CHANNEL_LABELS
from dangvien.dues.models import Category as DuesCategory
from dangvien.inspections.models import Activity, Body, Conclusion, InspectionForm
from dangvien.members.models import QUALIFICATIONS, THEORY_LEVELS, Gender
from dangvien.organizations.events_importing import EVENTS as ORG_EVENTS
from dangvien.organizations.models import OrgKind, Sector
from dangvien.programmes.models import Indicator
from dangvien.residence.importing import CHANNEL_LABELS
from dangvien.residence.models import Result
from dangvien.training.models import CourseKind
from dangvien.training.models import Result as TrainingResult

DATE = "Ngày dạng dd/mm/yyyy (ví dụ 05/12/2026) hoặc ô ngày của Excel."
YEAR = "Năm, 4 chữ số (ví dụ 2025)."
MONTH = "Tháng dạng mm/yyyy (ví dụ 05/2026) hoặc ô ngày của Excel."
MONEY = "Số đồng nguyên (ví dụ 100000 hoặc 100.000), không âm."
CODE = "Chữ cái không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới; không có dấu cách, “/”."


def _one_of(values) -> str:
    return "Một trong: " + "; ".join(values) + "."


def column_help(kind: str) -> dict[str, str]:
    """Header → what the column holds, for the import `kind` (a slug of IMPORT_KINDS)."""
    grades = _one_of(
        [f"{grade.label} (hoặc «{SHORT_LABELS[grade]}»)" for grade in GRADES] + [NOT_GRADED_LABEL]
    )
    helps = {
        "orgs": {
            "Mã tổ chức": f"Mã duy nhất của tổ chức. {CODE}",
            "Tên tổ chức": "Tên đầy đủ, có dấu.",
            "Loại tổ chức": _one_of(kind.label for kind in OrgKind),
            "Mã tổ chức cấp trên": "Mã của tổ chức cấp trên (trong tệp này hoặc đã có); để "
            "trống với tổ chức cao nhất.",
            "Ngày thành lập": f"{DATE} Để trống nếu tổ chức có từ trước mọi ngày cần báo cáo.",
            "Loại hình": _one_of(sector.label for sector in Sector),
        },
        "members": {
            "Mã đảng viên": f"Mã duy nhất của đảng viên. {CODE}",
            "Họ và tên": "Đầy đủ, có dấu.",
            "Giới tính": _one_of(label for _value, label in Gender.choices),
            "Ngày sinh": DATE,
            "Mã chi bộ": "Mã của chi bộ đảng viên đang sinh hoạt (đã có trong hệ thống).",
            "Ngày vào Đảng": f"{DATE} Ngày ký quyết định kết nạp.",
            "Ngày chính thức": f"{DATE} Để trống với đảng viên dự bị.",
            "Số thẻ đảng viên": "8 chữ số (mẫu cũ) hoặc số thẻ mới; để trống nếu chưa cấp.",
            "Số CCCD": "Đúng 12 chữ số; để trống nếu chưa có.",
            "Dân tộc": "Tên dân tộc, có dấu (ví dụ Kinh, Tày, Ê Đê).",
            "Tôn giáo": "Tên tôn giáo, hoặc «Không».",
            "Quê quán": "Xã (phường), tỉnh (thành phố), có dấu.",
            "Nơi cư trú": "Địa chỉ nơi ở hiện nay, có dấu.",
            "Chuyên môn": _one_of(QUALIFICATIONS),
            "Lý luận chính trị": _one_of(THEORY_LEVELS),
            "Giáo dục phổ thông": "Lớp/hệ: ví dụ 12/12, 9/12 (hệ 12 năm) hoặc 7/10, 10/10 (hệ "
            "10 năm cũ; 7/10 là tốt nghiệp trung học cơ sở như 9/12).",
            "Lý do ngoại lệ": "Không bắt buộc. Chỉ ghi với hồ sơ cũ không đúng quy định có "
            "hiệu lực vào ngày vào Đảng (vào Đảng khi chưa đủ tuổi, trên tuổi tối đa, ngày "
            "chính thức trước khi hết thời gian dự bị): lý do được chấp nhận khi ấy. Dòng "
            "được nhập và ngoại lệ được ghi nhận; không có lý do thì dòng bị từ chối.",
            "Văn bản cho phép": "Không bắt buộc. Số văn bản cho phép ngoại lệ (ví dụ "
            "120-CV/TU), ghi cùng Lý do ngoại lệ.",
        },
        "assessments": {
            "Mã đảng viên": "Mã của đảng viên (đã có trong hệ thống).",
            "Năm": f"{YEAR} Các năm trước 2018, cột Xếp loại nhận cả cách ghi cũ: "
            + "; ".join(f"«{label}»" for label in OLD_MEMBER_LABELS)
            + ".",
            "Xếp loại": grades,
            "Điểm": "Không bắt buộc; từ năm 2025 (QĐ 366-QĐ/TW): điểm tổng theo thang 100, số "
            "nguyên. Xuất sắc từ 90, tốt từ 70, hoàn thành từ 50 điểm (theo bộ quy định của năm); "
            "xếp loại cao hơn mức điểm cho phép là lỗi.",
        },
        "org-assessments": {
            "Mã tổ chức": "Mã của tổ chức (đã có trong hệ thống).",
            "Năm": f"{YEAR} Các năm trước 2018, cột Xếp loại nhận cả cách ghi cũ: "
            + "; ".join(f"«{label}»" for label in OLD_ORG_LABELS)
            + ".",
            "Xếp loại": grades,
            "Điểm": "Không bắt buộc; từ năm 2025 (QĐ 366-QĐ/TW): điểm tổng của tập thể theo thang "
            "100, số nguyên. Xếp loại cao hơn mức điểm cho phép là lỗi.",
        },
        "targets": {
            "Mã tổ chức": "Mã của tổ chức (đã có trong hệ thống).",
            "Năm": f"{YEAR} Để trống khi ghi chỉ tiêu nhiệm kỳ.",
            "Nhiệm kỳ": "Dạng 2020-2025; để trống khi ghi chỉ tiêu năm.",
            "Chỉ tiêu kết nạp": "Số nguyên, từ 0: chỉ tiêu đại hội (cấp trên) giao.",
            "Chỉ tiêu phấn đấu": "Không bắt buộc. Số nguyên, không thấp hơn chỉ tiêu kết nạp: "
            "chỉ tiêu cao hơn tổ chức đặt ra để phấn đấu. Để trống: giữ chỉ tiêu phấn đấu đã "
            "có (nếu có).",
            "Số văn bản": "Không bắt buộc. Số nghị quyết đại hội hoặc quyết định giao chỉ "
            "tiêu, ví dụ 01-NQ/ĐH. Để trống: giữ như đã có.",
            "Ngày văn bản": f"Không bắt buộc. {DATE} Không ở tương lai. Để trống: giữ như đã có.",
            "Cơ quan ban hành": "Không bắt buộc. Ví dụ «Đại hội Đảng bộ phường Hòa Bình» (nghị "
            "quyết đại hội) hoặc «Ban Thường vụ Đảng ủy phường». Để trống: giữ như đã có.",
        },
        "org-events": {
            "Mã tổ chức": "Mã của tổ chức có sự kiện (đã có trong hệ thống).",
            "Sự kiện": _one_of(kind.label for kind in ORG_EVENTS),
            "Mã tổ chức cấp trên mới": "Mã của tổ chức cấp trên mới; chỉ ghi với sự kiện "
            "Chuyển (tổ chức chuyển cùng các tổ chức trực thuộc và đảng viên).",
            "Mã tổ chức tiếp nhận": "Mã của tổ chức tiếp nhận; chỉ ghi với sự kiện Sáp nhập "
            "(tổ chức trực thuộc và đảng viên chuyển sang tổ chức tiếp nhận, tổ chức sáp nhập "
            "kết thúc hoạt động). Hợp nhất: tổ chức mới nhập ở mẫu tổ chức đảng, thành lập đúng "
            "ngày hiệu lực, rồi mỗi tổ chức cũ một dòng Sáp nhập vào tổ chức đó.",
            "Tên mới": "Tên mới, đầy đủ, có dấu; chỉ ghi với sự kiện Đổi tên.",
            "Ngày hiệu lực": f"{DATE} Không ở tương lai; các sự kiện cùng ngày lần lượt theo "
            "thứ tự dòng.",
            "Số quyết định": "Số quyết định, ví dụ 125-QĐ/TU.",
            "Cơ quan quyết định": "Mã của tổ chức ra quyết định (hoặc tên cơ quan); có thể "
            "để trống.",
        },
        "transfers": {
            "Mã đảng viên": "Mã của đảng viên (đã có trong hệ thống).",
            "Ngày chuyển": f"{DATE} Ngày đảng viên đến sinh hoạt ở nơi mới (không ở tương "
            "lai). Để trống cột Loại là chuyển chính thức.",
            "Loại": _one_of(["Chính thức", "Tạm thời"]),
            "Mã chi bộ chuyển đến": "Mã chi bộ nhận đảng viên trong hệ thống; để trống nếu "
            "chuyển ra ngoài hệ thống.",
            "Nơi chuyển đến": "Tổ chức đảng ngoài hệ thống (ghi khi không có mã chi bộ chuyển "
            "đến); đảng viên ra khỏi đảng số của hệ thống từ ngày chuyển.",
            "Số giấy giới thiệu": "Số giấy giới thiệu sinh hoạt đảng, nếu có.",
        },
        "disciplines": {
            "Số quyết định": "Số quyết định kỷ luật, ví dụ 45-QĐ/ĐU. Nhập lại cùng số và "
            "đối tượng không ghi thêm.",
            "Mã đối tượng": "Mã đảng viên hoặc mã tổ chức đảng bị kỷ luật (đã có trong hệ "
            "thống). Tổ chức chỉ bị Khiển trách, Cảnh cáo, Giải tán; đảng viên chính thức "
            "Khiển trách, Cảnh cáo, Cách chức, Khai trừ; đảng viên còn dự bị vào ngày quyết "
            "định chỉ Khiển trách, Cảnh cáo.",
            "Hình thức": _one_of(form.label for form in DisciplineForm),
            "Ngày quyết định": f"{DATE} Không ở tương lai. Khai trừ: đảng viên ra khỏi Đảng "
            "và thẻ đảng viên bị thu hồi từ ngày này; Giải tán: tổ chức (đã không còn đảng "
            "viên, tổ chức trực thuộc) chấm dứt hoạt động từ ngày này.",
            "Mã tổ chức quyết định": "Mã của tổ chức có cấp ủy (ủy ban kiểm tra, chi bộ) ra "
            "quyết định: chi bộ của đảng viên hoặc cấp trên của chi bộ; cấp trên của tổ chức bị "
            "kỷ luật. Chi bộ (trực thuộc hay cơ sở) chỉ khiển trách, cảnh cáo.",
            "Nội dung vi phạm": "Nội dung vi phạm, nếu có.",
        },
        "inspections": {
            "Số quyết định": "Số quyết định (hoặc kế hoạch) kiểm tra, giám sát, ví dụ "
            "12-QĐ/UBKT. Nhập lại cùng số và đối tượng không ghi thêm; thêm được kết luận còn "
            "thiếu.",
            "Ngày quyết định": f"{DATE} Không ở tương lai; báo cáo tính cuộc kiểm tra, giám "
            "sát vào năm của ngày này.",
            "Hoạt động": _one_of(activity.label for activity in Activity),
            "Hình thức": _one_of(form.label for form in InspectionForm),
            "Mã chủ thể": "Mã của tổ chức có cấp ủy, ủy ban kiểm tra hoặc chi bộ tiến hành. "
            "Ủy ban kiểm tra có từ đảng bộ cơ sở trở lên, «Chi bộ» khi chủ thể là chi bộ; giám "
            "sát chỉ có hình thức Thường xuyên hoặc Chuyên đề.",
            "Cơ quan tiến hành": _one_of(body.label for body in Body),
            "Mã đối tượng": "Mã đảng viên hoặc mã tổ chức đảng được kiểm tra, giám sát: đảng "
            "viên sinh hoạt trong chủ thể, tổ chức cấp dưới của chủ thể (kể cả đã chuyển đi, "
            "đã giải thể sau ngày quyết định).",
            "Nội dung": "Nội dung kiểm tra, giám sát, nếu có.",
            "Kết luận": _one_of(conclusion.label for conclusion in Conclusion),
            "Ngày kết luận": f"{DATE} Bắt buộc khi đã có kết luận (cột Kết luận để trống là "
            "chưa kết luận); không trước ngày quyết định.",
        },
        "programme": {
            "Mã tổ chức": "Mã của tổ chức (cấp ủy) ban hành chương trình hành động. Nhập lại "
            "cùng tổ chức, năm hoặc nhiệm kỳ và chỉ tiêu thì sửa so sánh, giá trị.",
            "Năm / Nhiệm kỳ": "Năm của chương trình (ví dụ 2022) hoặc nhiệm kỳ (ví dụ "
            "2020-2025). Chương trình chưa có thì được tạo. Tệp cũng có thể ghi riêng hai cột "
            "«Năm» và «Nhiệm kỳ» (mỗi dòng ghi một trong hai), như mẫu nhập chỉ tiêu kết nạp.",
            "Năm": "Thay cho cột «Năm / Nhiệm kỳ» (không có trong mẫu): năm của chương trình, "
            "khi tệp ghi riêng hai cột «Năm» và «Nhiệm kỳ»; mỗi dòng ghi một trong hai.",
            "Nhiệm kỳ": "Thay cho cột «Năm / Nhiệm kỳ» (không có trong mẫu): nhiệm kỳ của "
            "chương trình (ví dụ 2020-2025), khi tệp ghi riêng hai cột; mỗi dòng một trong hai.",
            "Chỉ tiêu": "Chỉ tiêu tính tự động từ dữ liệu (ghi tên hoặc mã): "
            + "; ".join(f"{choice.label} ({choice.value})" for choice in Indicator)
            + ". Nội dung khác là chỉ tiêu theo dõi thủ công (ghi kết quả, minh chứng trên "
            "trang chương trình).",
            "So sánh": _one_of([">", "≥ (hoặc «>=»)", "=", "≤ (hoặc «<=»)", "<"]),
            "Giá trị": "Số cần đạt, không âm, tối đa 2 chữ số thập phân (tỷ lệ ghi số phần "
            "trăm, ví dụ 90 hoặc 92,5).",
        },
        "residence-comments": {
            "Mã đảng viên": "Mã của đảng viên đang công tác (đã có trong hệ thống), đã được "
            "giới thiệu về chi bộ nơi cư trú. Nhập lại cùng đảng viên và năm thì sửa nhận xét "
            "đã ghi.",
            "Năm": f"{YEAR} Năm được nhận xét (nhận xét gửi trước kỳ kiểm điểm cuối năm đó).",
            "Chi bộ nơi cư trú": "Mã hoặc tên chi bộ nơi cư trú trong hệ thống, hoặc tên chi "
            "bộ ngoài hệ thống, như đã ghi khi giới thiệu đảng viên về nơi cư trú.",
            "Kết quả": _one_of(result.label for result in Result),
            "Ngày nhận xét": f"{DATE} Không ở tương lai, không trước năm được nhận xét.",
            "Hình thức": _one_of(CHANNEL_LABELS),
            "Mã hồ sơ trên Cổng": "Mã hồ sơ trên Cổng Dịch vụ công quốc gia: bắt buộc khi "
            "nhận xét qua Cổng, để trống khi nhận xét bằng giấy (cột Hình thức để trống là "
            "Giấy).",
            "Nội dung": "Tóm tắt nội dung nhận xét, nếu có.",
            "Ngày nhận": f"{DATE} Ngày tổ chức đảng nơi công tác nhận được nhận xét; để trống "
            "là ngày nhận xét.",
        },
        "awards": {
            "Mã đảng viên": "Mã của đảng viên được khen (đã có trong hệ thống); để trống khi "
            "khen một tổ chức. Mỗi dòng ghi mã đảng viên hoặc mã tổ chức, không cả hai. Cùng số "
            "quyết định và cùng đối tượng thì nhập lại sửa khen thưởng đã ghi.",
            "Mã tổ chức": "Mã của tổ chức đảng được khen; để trống khi khen một đảng viên.",
            "Hình thức": ", ".join(f.label for f in AwardForm if f != AwardForm.KHAC)
            + "; hình thức khác thì ghi tên hình thức.",
            "Cấp khen": _one_of(
                f"{level.label} (hoặc «{OLD_UPPER_LEVEL}»)"
                if level == AwardLevel.CAP_TREN_CO_SO
                else level.label
                for level in AwardLevel
            ),
            "Danh hiệu/nội dung": "Ví dụ «Tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ tiêu "
            "biểu 5 năm liền (2017–2021)», «Thành tích xuất sắc trong công tác phát triển đảng "
            "viên».",
            "Năm": "Năm được khen (ví dụ 2021), hoặc các năm liền (ví dụ 2017-2021); không sau "
            "năm quyết định, không trước năm vào Đảng của đảng viên.",
            "Số quyết định": "Số quyết định khen thưởng, ví dụ 150-QĐ/TU.",
            "Ngày quyết định": f"{DATE} Không ở tương lai.",
            "Cơ quan quyết định": "Ví dụ «Ban Thường vụ Tỉnh ủy», «Đảng ủy phường Hòa Bình».",
            "Lý do": "Thành tích, lý do khen thưởng, nếu có.",
        },
        "badges": {
            "Mã đảng viên": "Mã của đảng viên (đã có trong hệ thống) được tặng huy hiệu. Cùng "
            "đảng viên và mốc đã có thì dòng không thay đổi gì.",
            "Mốc (năm)": "Số năm tuổi đảng của huy hiệu: 30, 40, 45, 50, 55, 60, 65, 70, 75, 80, "
            "85 hoặc 90 (theo bộ quy định). Tuổi đảng tính từ ngày vào Đảng, trừ thời gian ở "
            "ngoài Đảng; đủ mốc trước ngày trao (trao sớm do ốm nặng: tối đa 12 tháng, mốc từ "
            "70 năm: 24 tháng).",
            "Số quyết định": "Số quyết định tặng Huy hiệu Đảng.",
            "Ngày quyết định": f"{DATE} Không ở tương lai, không sau ngày trao.",
            "Số huy hiệu": "Số Huy hiệu Đảng; không trùng với huy hiệu khác cùng mốc.",
            "Số giấy chứng nhận": "Số giấy chứng nhận kèm huy hiệu.",
            "Ngày trao": f"{DATE} Ngày trao huy hiệu, không ở tương lai.",
            "Truy tặng": "Ghi «Có» nếu truy tặng đảng viên đã từ trần (đủ mốc trước khi mất); "
            "để trống nếu không.",
        },
        "committees": {
            "Mã tổ chức": "Mã của tổ chức có cấp ủy (hoặc bí thư). Chi bộ, đảng bộ bộ phận chỉ "
            "có «Cấp ủy» (chi bộ dưới 9 đảng viên chính thức: chỉ bí thư, phó bí thư); mỗi ngày "
            "một tổ chức chỉ có một bí thư. Cùng tổ chức, nhiệm kỳ, đảng viên, cơ quan, chức vụ "
            "và ngày bầu thì nhập lại chỉ sửa chuẩn y, ngày thôi.",
            "Nhiệm kỳ": "Ví dụ 2025-2030 (chi bộ trực thuộc: 2025-2027). Nhiệm kỳ chưa có thì "
            "được mở, ngày đại hội là ngày bầu sớm nhất của các dòng thuộc nhiệm kỳ; nhiệm kỳ "
            "trước đó kết thúc từ ngày này.",
            "Mã đảng viên": "Đảng viên sinh hoạt trong tổ chức (hoặc tổ chức trực thuộc) vào "
            "ngày bầu.",
            "Cơ quan": _one_of(body.label for body in CommitteeBody),
            "Chức vụ": _one_of(post.label for post in Post),
            "Ngày bầu": f"{DATE} Ngày bầu hoặc chỉ định, không ở tương lai.",
            "Ngày chuẩn y": f"{DATE} Để trống nếu chưa chuẩn y; không trước ngày bầu.",
            "Số quyết định chuẩn y": "Số quyết định chuẩn y của cấp trên, nếu có.",
            "Ngày thôi": f"{DATE} Ngày đầu tiên không còn giữ chức vụ; để trống nếu đang giữ.",
            "Hình thức": "Cột không có trong mẫu; để trống là bầu tại đại hội, hoặc ghi: "
            + "; ".join(way.label for way in Chosen)
            + ".",
        },
        "training": {
            "Mã khóa": f"{CODE} Mã của khóa (ví dụ DVM-2026-01); các dòng cùng mã là học viên "
            "của cùng khóa và ghi giống nhau tên, loại, ngày của khóa. Khóa đã có trên hệ thống "
            "giữ nguyên thông tin, chỉ thêm học viên, kết quả.",
            "Tên khóa": "Ví dụ «Lớp bồi dưỡng đảng viên mới khóa I-2026».",
            "Loại": _one_of(kind.label for kind in CourseKind),
            "Từ ngày": f"{DATE} Ngày khai giảng.",
            "Đến ngày": f"{DATE} Ngày bế giảng, không trước ngày khai giảng.",
            "Mã đảng viên": "Đảng viên đang sinh hoạt trong tổ chức mở khóa (hoặc tổ chức trực "
            "thuộc). Nhập lại cùng khóa và đảng viên thì sửa kết quả đã ghi (lý do: nhập từ tệp).",
            "Kết quả": _one_of(result.label for result in TrainingResult),
            "Số chứng chỉ": "Số chứng chỉ, giấy chứng nhận, nếu có; học viên không đạt thì để "
            "trống. Kết quả để trống: học viên chưa có kết quả. Kết quả đạt của lớp lý luận "
            "chính trị nâng trình độ lý luận chính trị trong hồ sơ đảng viên (không hạ).",
            "Ngày cấp": f"{DATE} Không ở tương lai, không trước ngày khai giảng.",
            "Mã tổ chức": "Mã của cấp ủy mở khóa, bắt buộc khi khóa chưa có trên hệ thống "
            "(tổ chức trong phạm vi quản lý).",
        },
        "dues-payments": {
            "Mã đảng viên": "Mã của đảng viên đã có trong hệ thống. Chi bộ thu là chi bộ đảng "
            "viên sinh hoạt trong tháng đó. Nhập lại cùng đảng viên và tháng thì sửa khoản đã "
            "ghi (lý do: tên tệp).",
            "Tháng": f"{MONTH} Tháng của khoản đảng phí (nộp trước, nộp bù: mỗi tháng một dòng).",
            "Số tiền": MONEY,
            "Hình thức": _one_of(DUES_CHANNEL_LABELS),
            "Mã giao dịch": "Mã giao dịch trên Cổng Dịch vụ công quốc gia: bắt buộc khi nộp qua "
            "Cổng; số biên lai (nếu có) khi nộp tiền mặt (cột Hình thức để trống là Tiền mặt).",
            "Ngày nộp": f"{DATE} Không ở tương lai.",
        },
        "dues-bases": {
            "Mã đảng viên": "Mã của đảng viên đã có trong hệ thống. Nhập lại cùng đảng viên và "
            "tháng với giá trị khác thì khai báo cũ bị hủy (lý do: tên tệp) và ghi khai báo mới.",
            "Từ tháng": f"{MONTH} Áp dụng từ tháng này đến khai báo tiếp theo; không sau tháng "
            "sau.",
            "Đối tượng": _one_of(category.label for category in DuesCategory),
            "Mức căn cứ": f"{MONEY} Tiền lương làm căn cứ đóng BHXH tháng trước, trợ cấp ốm đau, "
            "thai sản hoặc lương hưu (bắt buộc với ba đối tượng này); để trống với đối tượng "
            "đóng mức cố định. Mức tự nguyện cao hơn khai báo trên trang đảng phí của đảng viên "
            "(cần văn bản đồng ý của cấp ủy cấp trên).",
        },
    }
    return helps.get(kind, {})

"""Widen the names table of a data set to a nation's variety of names, for the search benchmark.

The generated members bear the demo's names (`dangvien.members.demo`): 23,616 distinct names
over 6 million members, where the whole Party's 5.6 million bear perhaps a million. A name
search on PostgreSQL first looks its words up among the distinct names (`members_name_key`,
`members/search.name_keys`), so how many names match decides its plan: by key up to
NAME_KEY_CAP names, else the span of the name order between the first and the last. This
script adds `--names` distinct names that no member bears (families, middle and given names
of wider lists, one in five with two middle names), drawn with a fixed seed, so that the
searches of list_search.py meet as many matching names as they would nationally; the members
and what every search finds are unchanged.

    .venv/bin/python bench/name_variety.py add --scale 6m --names 1000000
    .venv/bin/python bench/list_search.py --scale 6m --only search
    .venv/bin/python bench/name_variety.py remove --scale 6m

`remove` deletes every name no member bears (the table is then again exactly the members'
names). `rename` instead gives N members (every n-th by id) one of those names each, so that
every name of the table is borne by someone, as nationally; it changes the data set, so run it
on a copy (`--database-url` naming, say, the copy `reorganise.py --keep` leaves).
Loopback PostgreSQL only, like every benchmark; the data set's database must exist.
"""

import argparse
import random
import time

import benchlib


def _words(text: str) -> list[str]:
    return text.split()


FAMILIES = {
    "Nguyễn": 380, "Trần": 110, "Lê": 95, "Phạm": 70, "Hoàng": 40, "Huỳnh": 30, "Phan": 30,
    "Vũ": 25, "Võ": 25, "Đặng": 20, "Bùi": 20, "Đỗ": 15, "Hồ": 15, "Ngô": 13, "Dương": 10,
    "Lý": 5, "Đinh": 5, "Trịnh": 4, "Mai": 4, "Đào": 4, "Lương": 4, "Tạ": 3, "Cao": 3, "Hà": 3,
    "Đoàn": 3, "Lâm": 3, "Trương": 3, "Tô": 2, "Vương": 2, "Kiều": 2, "Quách": 2, "Lưu": 2,
    "Chu": 2, "Châu": 2, "Đàm": 2, "Thái": 2, "Tăng": 1, "Lại": 1, "Khổng": 1, "Tống": 1,
    "Mạc": 1, "Triệu": 1, "Nông": 1, "Lò": 1, "Hứa": 1, "Âu": 1, "Mẫn": 1, "Phùng": 1,
    "Giáp": 1, "Khúc": 1, "Ninh": 1, "Thân": 1, "Văn": 1, "Vi": 1, "Lục": 1, "Quan": 1,
}  # fmt: skip
MIDDLES = _words(
    "Văn Văn Văn Văn Thị Thị Thị Thị Đức Minh Quốc Hữu Thanh Công Xuân Ngọc Anh Tiến Quang "
    "Trọng Mạnh Hoàng Thu Hồng Phương Kim Bích Thùy Mai Khánh Bảo Gia Đình Duy Hải Hoài Huy "
    "Kiều Lan Mỹ Như Quỳnh Tuấn Thế Trung Việt Vĩnh Yến Diệu Hạnh Hương Nhật Phúc Tường Thục"
)
GIVENS = _words(
    "An Anh Ánh Bảo Bình Cường Chi Dung Dũng Duy Duyên Đạt Đức Giang Hà Hải Hạnh Hằng Hiền "
    "Hiếu Hòa Hoa Hoài Hoàn Hoan Hồng Hùng Huy Huyền Hương Khánh Khoa Khuê Lâm Lan Linh Loan "
    "Long Lộc Mai Minh My Nam Nga Ngân Nghĩa Ngọc Nhung Oanh Phong Phúc Phương Quân Quang "
    "Quỳnh Sơn Tài Tâm Tấn Thảo Thắng Thành Thoa Thủy Tiến Toàn Trang Trâm Trung Tú Tuấn "
    "Tuyết Uyên Vân Việt Vinh Vũ Yến Bắc Biên Cảnh Chiến Công Cúc Diệp Diệu Đào Điệp Đông "
    "Giao Hạ Hảo Hậu Hiển Hiệp Hoạt Học Huệ Hưng Hường Kha Khải Khang Khôi Kiên Kiều Lãm Lệ "
    "Liên Liễu Lợi Luân Lực Lương Lý Mạnh Mến Mừng Nguyên Nhàn Nhân Nhi Ninh Phát Phượng Quế "
    "Quyên Quyết Sang Sâm Sinh Sửu Tâm Thái Thanh Thiện Thịnh Thơ Thu Thuận Thư Tình Toản "
    "Tùng Tươi Tường Vàng Vui Xuân Xuyến Yên"
)
SEED = 20261207


def _names(count: int) -> set[str]:
    """`count` distinct full names, each family drawn by its weight, one in five with two
    middle names."""
    rng = random.Random(SEED)
    families, weights = list(FAMILIES), list(FAMILIES.values())
    distinct = sorted(set(MIDDLES))
    names: set[str] = set()
    while len(names) < count:
        middles = rng.sample(distinct, 2) if rng.random() < 0.2 else [rng.choice(MIDDLES)]
        family = rng.choices(families, weights)[0]
        names.add(" ".join([family, *middles, rng.choice(GIVENS)]))
    return names


def add(count: int) -> None:
    from django.db import connection

    from dangvien.core.vntext import fold, name_sort_key

    started = time.perf_counter()
    rows = [(name_sort_key(name), fold(name)) for name in _names(count)]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE wider (sort_key bytea, search_name varchar(150))")
        with cursor.copy("COPY wider (sort_key, search_name) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute("INSERT INTO members_name_key SELECT * FROM wider ON CONFLICT DO NOTHING")
        added = cursor.rowcount
        cursor.execute("DROP TABLE wider")
        cursor.execute("ANALYZE members_name_key")
        cursor.execute("SELECT count(*) FROM members_name_key")
        total = cursor.fetchone()[0]
    seconds = time.perf_counter() - started
    print(f"added {added:,} names no member bears ({seconds:.1f} s); the table has {total:,}")


def rename(count: int) -> None:
    """Give `count` members (every n-th by id) a name of the wider lists each, one name per
    member: the names table then holds that many more names, each borne by someone."""
    from django.db import connection

    from dangvien.core.vntext import fold, name_sort_key

    started = time.perf_counter()
    names = sorted(_names(count))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM members_member")
        step = max(1, cursor.fetchone()[0] // count)
        cursor.execute(
            "CREATE TEMP TABLE wider (n int, full_name varchar(150), sort_key bytea,"
            " search_name varchar(150))"
        )
        with cursor.copy("COPY wider FROM STDIN") as copy:
            for n, name in enumerate(names):
                copy.write_row((n, name, name_sort_key(name), fold(name)))
        cursor.execute("CREATE INDEX ON wider (n)")
        cursor.execute(
            "UPDATE members_member m SET full_name = w.full_name, sort_key = w.sort_key,"
            " search_name = w.search_name FROM wider w"
            " WHERE m.id %% %s = 0 AND w.n = m.id / %s",
            [step, step],
        )
        renamed = cursor.rowcount
        cursor.execute("DROP TABLE wider")
    seconds = time.perf_counter() - started
    print(f"renamed {renamed:,} members (every {step}th by id) in {seconds:.1f} s")


def remove() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM members_name_key AS k WHERE NOT EXISTS (SELECT 1 FROM members_member m"
            " WHERE m.sort_key = k.sort_key AND m.search_name = k.search_name)"
        )
        removed = cursor.rowcount
        cursor.execute("VACUUM ANALYZE members_name_key")
        cursor.execute("SELECT count(*) FROM members_name_key")
        total = cursor.fetchone()[0]
    print(f"removed {removed:,} names no member bears; the table has {total:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["add", "rename", "remove"])
    parser.add_argument("--names", type=int, default=1_000_000)
    benchlib.add_scale_argument(parser)
    parser.add_argument("--database-url", help="another database than the data set's (a copy)")
    args = parser.parse_args()
    benchlib.setup_django(args.database_url or benchlib.scale_of(args).url)
    if args.action == "add":
        add(args.names)
    elif args.action == "rename":
        rename(args.names)
    else:
        remove()


if __name__ == "__main__":
    main()

"""Rebuild ``sources/rules/divisions.csv`` from a snapshot of modood/Administrative-divisions-of-China.

    git clone https://github.com/modood/Administrative-divisions-of-China /tmp/adc
    python scripts/update_divisions.py /tmp/adc

That repository keeps the National Bureau of Statistics' 统计用区划代码 (province, prefecture and
county levels in ``dist/provinces.csv``, ``dist/cities.csv``, ``dist/areas.csv``). The output names
the commit and the table's edition in its header, and adds the full name a report would use
(深圳市南山区, 北京市朝阳区) and the short form a report may use alone (广东, 深圳).
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "sources" / "rules" / "divisions.csv"
MUNICIPALITIES = {"11", "12", "31", "50"}  # 北京, 天津, 上海, 重庆: province level, counties directly below
# Prefecture rows that are only groupings, not places (their counties hang from the province).
GROUPINGS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# 延边朝鲜族自治州 → 延边, 博尔塔拉蒙古自治州 → 博尔塔拉, 新疆维吾尔自治区 → 新疆.
AUTONOMOUS = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,4}?族|蒙古|维吾尔|哈萨克|柯尔克孜)*自治(?:州|县|旗|区)$")


def show(repo: Path, commit: str, path: str) -> list[dict[str, str]]:
    text = subprocess.run(["git", "-C", str(repo), "show", f"{commit}:{path}"], capture_output=True, check=True,
                          text=True).stdout
    return list(csv.DictReader(io.StringIO(text)))


def short_name(name: str) -> str:
    """The name without its administrative suffix, when what is left is still a name (2+ characters)."""
    autonomous = AUTONOMOUS.match(name)
    bare = autonomous.group(1) if autonomous else re.sub(r"(?:省|市|地区|盟|特别行政区|区|县|旗)$", "", name)
    return bare if len(bare) >= 2 and bare != name else ""


def main(repo: Path) -> None:
    commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, check=True,
                            text=True).stdout.strip()
    dated = subprocess.run(["git", "-C", str(repo), "log", "-1", "--format=%cs"], capture_output=True, check=True,
                           text=True).stdout.strip()
    provinces = {r["code"]: r["name"] for r in show(repo, commit, "dist/provinces.csv")}
    cities = {r["code"]: r for r in show(repo, commit, "dist/cities.csv")}
    rows = []
    for code, name in provinces.items():
        rows.append((f"{code}0000", name, "province", "", name, name, short_name(name)))
    for code, city in cities.items():
        if city["name"] in GROUPINGS or city["provinceCode"] in MUNICIPALITIES:
            continue
        province = provinces[city["provinceCode"]]
        rows.append((f"{code}00", city["name"], "prefecture", f"{city['provinceCode']}0000", province, city["name"],
                     short_name(city["name"])))
    for area in show(repo, commit, "dist/areas.csv"):
        if area["code"] == f"{area['cityCode']}00":
            continue  # a city without counties (东莞市, 中山市) is listed as its own area: it is a prefecture
        city = cities[area["cityCode"]]
        province = provinces[area["provinceCode"]]
        if city["name"] in GROUPINGS or area["provinceCode"] in MUNICIPALITIES:
            parent, prefix = f"{area['provinceCode']}0000", (province if area["provinceCode"] in MUNICIPALITIES else "")
        else:
            parent, prefix = f"{area['cityCode']}00", city["name"]
        rows.append((area["code"], area["name"], "county", parent, province, prefix + area["name"],
                     short_name(area["name"])))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        fh.write(f"# China's administrative divisions, province to county: the National Bureau of Statistics'\n"
                 f"# 2023 统计用区划代码 (as of 2023-06-30), from github.com/modood/Administrative-divisions-of-China\n"
                 f"# at commit {commit} ({dated}). Regenerate with scripts/update_divisions.py; do not edit by hand\n"
                 f"# (names a report uses that are not here go in region_aliases.csv).\n")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "name", "level", "parent_code", "province", "full_name", "short_name"])
        writer.writerows(sorted(rows))
    print(f"{len(rows)} divisions written to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))

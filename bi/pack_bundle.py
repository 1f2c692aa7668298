"""Zip bi/bundle/ for `superset import-dashboards`, pointed at one warehouse file:

    python bi/pack_bundle.py /abs/path/warehouse.duckdb out.zip
"""

import sys
import zipfile
from pathlib import Path

BUNDLE = Path(__file__).resolve().parent / "bundle"
PLACEHOLDER = "WAREHOUSE_PATH"


def pack(warehouse: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w") as archive:
        for path in sorted(BUNDLE.rglob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            if path.parent.name == "databases":
                text = text.replace(PLACEHOLDER, str(warehouse.resolve()))
            # Superset expects the files under one top folder.
            archive.writestr(f"zhibiao/{path.relative_to(BUNDLE)}", text)
    return out


if __name__ == "__main__":
    pack(Path(sys.argv[1]), Path(sys.argv[2]))

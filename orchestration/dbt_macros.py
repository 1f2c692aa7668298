"""The macros a dbt build compiles, compiled ahead of the next build in a warm dbt process.

dbt compiles a macro's Jinja template the first time a process calls it, and keeps it for the
process (``dbt_common.clients.jinja.template_cache``). A one-file run's build calls about a hundred
of the project's 518 macros (the materializations, the adapter's SQL, the tests'), and compiling
them was about 0.8 s of the helper's first build; compiling all 518 took 1.2 s. So each build in
the helper records which macros it compiled, in dbt's target folder, and the next run's helper
compiles those while the run has not reached its build yet.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

COMPILED_MACROS = "zhibiao_compiled_macros.json"


def compile_macros(project, target_dir: Path) -> int:
    """Compile the macros of ``project`` (a parsed dbt Manifest) that the last build recorded; how many."""
    from dbt_common.clients.jinja import template_cache

    try:
        recorded = json.loads((target_dir / COMPILED_MACROS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    macros = [project.macros[unique_id] for unique_id in recorded if unique_id in project.macros]
    for macro in macros:
        template_cache.get_node_template(macro)
    return len(macros)


def record_compiled_macros(project, target_dir: Path) -> None:
    """Note which macros of ``project`` this process has compiled, for the next build's helper."""
    from dbt_common.clients.jinja import template_cache

    compiled = sorted(unique_id for unique_id, macro in project.macros.items()
                      if macro.macro_sql in template_cache.file_cache)
    target_dir.mkdir(parents=True, exist_ok=True)
    tmp = target_dir / f"{COMPILED_MACROS}.{os.getpid()}"
    tmp.write_text(json.dumps(compiled), encoding="utf-8")
    os.replace(tmp, target_dir / COMPILED_MACROS)

"""Compile every .po file under src/ into its .mo, in pure Python (no gettext needed).

Run by `make install`; the .mo files are build output and are not committed.
"""

import sys
from pathlib import Path

import polib


def main() -> int:
    root = Path(__file__).resolve().parents[1] / "src"
    count = 0
    for po_path in sorted(root.rglob("locale/*/LC_MESSAGES/*.po")):
        catalog = polib.pofile(str(po_path))
        catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
    sys.stdout.write(f"compiled {count} message catalogues\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

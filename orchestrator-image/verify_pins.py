"""Fails (exit 1) unless every `name==version` pin in a requirements file is what is installed.

    python verify_pins.py [--only NAME] REQUIREMENTS

Run by the Dockerfile before the install (--only apache-airflow: the base image holds the Airflow
we pin) and after it (every pin). Standard library only.
"""

import importlib.metadata as metadata
import re
import sys


def pins(path):
    for raw in open(path, encoding="utf-8"):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([A-Za-z0-9.+!-]+)", line)
        if not match:
            sys.exit(f"verify_pins.py: {path}: not a name==version pin: {line!r}")
        yield match.group(1), match.group(2)


def main(argv):
    only = None
    if len(argv) >= 2 and argv[0] == "--only":
        only, argv = argv[1], argv[2:]
    if len(argv) != 1:
        sys.exit(__doc__)
    wrong, checked = [], 0
    for name, version in pins(argv[0]):
        if only and name != only:
            continue
        checked += 1
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "nothing"
        if installed != version:
            wrong.append(f"{name}: installed {installed}, pinned {version}")
    if checked == 0:
        sys.exit(f"verify_pins.py: no pin {'for ' + only if only else ''} in {argv[0]}")
    if wrong:
        sys.exit("verify_pins.py: pins not honoured:\n  " + "\n  ".join(wrong))
    print(f"verify_pins.py: {checked} pin(s) of {argv[0]} installed as pinned")


if __name__ == "__main__":
    main(sys.argv[1:])

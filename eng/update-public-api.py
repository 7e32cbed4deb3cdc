#!/usr/bin/env python3
"""Declares new public API: builds src with RS0016 as a warning and appends each reported symbol to
that project's PublicAPI.Unshipped.txt. Review the diff: it is the change to the public surface."""
import re, subprocess, pathlib, sys

root = pathlib.Path(__file__).resolve().parent.parent
out = subprocess.run(["dotnet", "build", str(root / "src/OpenModelClient"), "-f", "net10.0", "-p:TreatWarningsAsErrors=false", "--no-incremental"],
                     capture_output=True, text=True).stdout
found = {}
for line in out.splitlines():
    m = re.search(r"RS0016: Symbol '(.*)' is not part of the declared public API.*\[(.*?/src/[^/]+)/", line)
    if m:
        found.setdefault(m.group(2), set()).add(m.group(1))
for project, symbols in found.items():
    path = pathlib.Path(project) / "PublicAPI.Unshipped.txt"
    lines = path.read_text().splitlines()
    merged = lines[:1] + sorted(set(lines[1:]) | symbols)
    path.write_text("\n".join(merged) + "\n")
    print(f"{path.relative_to(root)}: +{len(symbols - set(lines))}")
sys.exit(0)

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Reads a pack's tables.xlsx back with openpyxl and compares every sheet with the CSV it came
from, cell for cell: a number cell equals float(the CSV text) exactly, a text cell equals the CSV
text, an empty CSV cell is an empty cell. Checks the header row is bold and frozen, and that the
About sheet names every sheet and carries the licence line. Prints what differs; exit 1 if any.

Usage: check_xlsx.py PACK_DIR
"""
import csv
import os
import sys

import openpyxl


def main(pack):
    wb = openpyxl.load_workbook(os.path.join(pack, "tables.xlsx"))
    problems = []
    about = wb["About"]
    texts = [str(c.value) for row in about.iter_rows() for c in row if c.value is not None]
    if not any("Crown copyright" in t for t in texts):
        problems.append("About: no licence line")
    listed = {}
    for row in about.iter_rows(min_row=6, values_only=True):
        if row[0]:
            listed[row[0]] = row[1]
    if set(listed) != set(wb.sheetnames) - {"About"}:
        problems.append(f"About lists {sorted(listed)}, the workbook has {wb.sheetnames}")
    if not listed:
        problems.append("no table sheet")
    for name, rel in listed.items():
        ws = wb[name]
        with open(os.path.join(pack, rel), newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
        if ws.freeze_panes != "A2":
            problems.append(f"{name}: header not frozen ({ws.freeze_panes})")
        if ws.max_row != len(rows):
            problems.append(f"{name}: {ws.max_row} rows, {rel} has {len(rows)}")
        for r, csv_row in enumerate(rows, start=1):
            for c, text in enumerate(csv_row, start=1):
                cell = ws.cell(row=r, column=c)
                if r == 1 and not cell.font.b:
                    problems.append(f"{name}!{cell.coordinate}: header not bold")
                v = cell.value
                if text == "":
                    ok = v is None
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    ok = float(text) == float(v)
                else:
                    ok = v == text
                if not ok:
                    problems.append(f"{name}!{cell.coordinate}: {v!r} but {rel} has {text!r}")
                if len(problems) > 20:
                    break
    for p in problems:
        print(p)
    print(f"checked {len(listed)} sheets")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

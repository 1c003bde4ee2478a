#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a corpus of hostile inputs (issue #16) for the fuzz targets, instead of committing
binaries: `make_bad_inputs.py csv|zones FOLDER`. Each file is small (libFuzzer's -max_len is
64 KiB) and deterministic, so reruns only overwrite the same names."""
import pathlib
import sys

HEADER = b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"


def police_row(month=b"2024-01", lon=b"-1.1", lat=b"52.6", crime=b"Burglary"):
    return b",".join([b"", month, b"P", b"P", lon, lat, b"On or near X", b"SA1", b"Area 1A", crime, b"", b""])


def csv_cases():
    rows = [police_row(), police_row(crime=b"Anti-social behaviour")]
    yield "cr_only", HEADER + b"\r" + b"\r".join(rows) + b"\r"
    yield "crlf_bom", b"\xef\xbb\xbf" + HEADER + b"\r\n" + b"\r\n".join(rows) + b"\r\n"
    yield "header_only", HEADER + b"\n"
    yield "cp1252", HEADER + b"\n" + police_row(crime=b"Caf\xe9 \xa3 theft") + b"\n"
    yield "invalid_utf8", HEADER + b"\n" + police_row(crime=b"\xff\xfe\xc3\x28") + b"\n"
    yield "nul_bytes", HEADER + b"\n" + police_row(crime=b"A\x00B") + b"\n"
    yield "long_line", HEADER + b"\n" + police_row(crime=b"x" * 5000) + b"\n"
    yield "no_newline", b"a," * 3000
    yield "unterminated_quote", HEADER + b"\n" + b'"abc,2024-01\n' + police_row() + b"\n"
    yield "quoted_newline", HEADER + b"\n" + police_row(crime=b'"two\nlines, ""quoted"""') + b"\n"
    yield "fewer_fields", HEADER + b"\n,2024-01,P\n" + police_row() + b"\n"
    yield "more_fields", HEADER + b"\n" + police_row() + b",extra,extra\n"
    yield "blank_lines", HEADER + b"\n\n   \n\t\n" + police_row() + b"\n"
    yield "dates", HEADER + b"\n" + b"\n".join(
        police_row(month=m) for m in [b"9999-12", b"0000-00", b"2024-13", b"1899-01", b"-1", b"2024-1"]) + b"\n"
    yield "coordinates", HEADER + b"\n" + b"\n".join(
        police_row(lon=x, lat=y) for x, y in [(b"nan", b"52"), (b"inf", b"-inf"), (b"1e308", b"1e308"),
                                              (b"52.6", b"-1.1"), (b"450000", b"300000"), (b"", b"1"),
                                              (b"0x10", b"1e-400"), (b"-180", b"90")]) + b"\n"
    yield "weights", b"date,type,lon,lat,weight\n" + b"".join(
        b"2024-03-15,ASB,-1.1,52.6," + w + b"\n" for w in [b"1e308", b"1e308", b"nan", b"-0", b"inf", b"-1", b"", b"1e-320"])
    yield "dates_day", b"date,type,lon,lat,weight\n" + b"".join(
        b"" + d + b",Violence,-1.1,52.6,1\n" for d in [b"15/03/2024 09:05", b"1/3/2022 9:05", b"2024-02-30", b"2024-03-15T25:61:61Z", b"2024-03-15 10:00"])
    yield "easting_northing", b"Easting;Northing;Month\n451000;297000;2024-01\n-1e300;1e300;2024-01\n"
    yield "tabs", b"X\tY\n1\t2\n\t\n3\t4\t5\n"
    yield "many_types", HEADER + b"\n" + b"\n".join(police_row(crime=b"type%d" % i) for i in range(300)) + b"\n"


def feature(geometry, props=b'{"id":"A"}'):
    return b'{"type":"Feature","properties":' + props + b',"geometry":' + geometry + b"}"


def collection(*features):
    return b'{"type":"FeatureCollection","features":[' + b",".join(features) + b"]}"


def zones_cases():
    square = b'{"type":"Polygon","coordinates":[[[-1.2,52.6],[-1.1,52.6],[-1.1,52.7],[-1.2,52.7],[-1.2,52.6]]]}'
    yield "zero_area_ring", collection(feature(b'{"type":"Polygon","coordinates":[[[-1.2,52.6],[-1.1,52.6],[-1.15,52.6],[-1.2,52.6]]]}'))
    yield "whole_world", collection(feature(b'{"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]}'))
    yield "unclosed_ring", collection(feature(b'{"type":"Polygon","coordinates":[[[-1.2,52.6],[-1.1,52.6],[-1.1,52.7]]]}'))
    yield "empty_geometries", collection(feature(b"null"), feature(b'{"type":"Polygon","coordinates":[]}'),
                                         feature(b'{"type":"MultiPolygon","coordinates":[[]]}'))
    yield "points", collection(feature(b'{"type":"Point","coordinates":[-1.1,52.6]}'))
    yield "collection", collection(feature(b'{"type":"GeometryCollection","geometries":[' + square + b',{"type":"LineString","coordinates":[[0,0],[1,1]]}]}'))
    yield "duplicate_ids", collection(feature(square), feature(square))
    yield "bad_utf8_props", collection(feature(square, b'{"id":"Caf\xe9","name":"\xff"}'))
    yield "huge_coords", collection(feature(b'{"type":"Polygon","coordinates":[[[-1e308,-1e308],[1e308,-1e308],[1e308,1e308],[-1e308,-1e308]]]}'))
    yield "nan_coords", collection(feature(b'{"type":"Polygon","coordinates":[[[NaN,0],[1,0],[1,1],[NaN,0]]]}'))
    yield "deep_nesting", b"[" * 2000 + b"]" * 2000
    yield "crs_member", b'{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[' + feature(square) + b"]}"
    yield "truncated", collection(feature(square))[:-20]


def main():
    kind, folder = sys.argv[1], pathlib.Path(sys.argv[2])
    cases = {"csv": (csv_cases, ".csv"), "zones": (zones_cases, ".geojson")}
    if kind not in cases:
        sys.exit("usage: make_bad_inputs.py csv|zones FOLDER")
    make, suffix = cases[kind]
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in make():
        (folder / ("bad_" + name + suffix)).write_bytes(data)


if __name__ == "__main__":
    main()

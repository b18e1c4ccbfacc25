"""Writes keep every byte they were not asked to change, and refuse to clobber edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidencebench.review import schema
from evidencebench.review.atomic import ConcurrentChangeError
from evidencebench.review.csvfile import read_csv, rewrite_records


def test_rewrite_one_record_keeps_other_bytes(valid_review: Path):
    path = valid_review / "evidence.csv"
    # quirky but valid formatting that a rewrite must keep
    path.write_bytes(
        b"claim,reference,stance,exposure,outcome_kind,outcome,source_location,finding\n"
        b'"c-01",gamma2019binding,supports,active compound,mechanism,binding,abstract,"Quoted, with comma."\n'
        b"c-02,alpha2020trial,supports,product,effect,sleep onset,abstract,Plain.\n"
    )
    before = path.read_bytes()
    f = read_csv(path, "evidence.csv", schema.EVIDENCE)
    rewrite_records(f, {1: {"finding": "Changed."}})
    after = path.read_bytes()
    assert after.startswith(before.split(b"c-02")[0])
    assert after.endswith(b"c-02,alpha2020trial,supports,product,effect,sleep onset,abstract,Changed.\n")


def test_multiline_field_round_trip(valid_review: Path):
    path = valid_review / "claims.csv"
    f = read_csv(path, "claims.csv", schema.CLAIMS)
    assert any("\n" in r.values["suffix"] for r in f.records)
    original = path.read_bytes()
    rewrite_records(f, {0: {"rationale": "New rationale."}})
    g = read_csv(path, "claims.csv", schema.CLAIMS)
    assert [r.values["suffix"] for r in g.records] == [r.values["suffix"] for r in f.records]
    assert g.records[0].values["rationale"] == "New rationale."
    assert path.read_bytes().split(b"\n", 1)[0] == original.split(b"\n", 1)[0]


def test_append_and_crlf_and_bom_are_kept(valid_review: Path):
    path = valid_review / "evidence.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    f = read_csv(path, "evidence.csv", schema.EVIDENCE)
    rewrite_records(f, {}, append=[{"claim": "c-01", "reference": "alpha2020trial", "stance": "indirect", "finding": "x"}])
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"c-01,alpha2020trial,indirect,,,,,x\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_write_refused_when_file_changed_underneath(valid_review: Path):
    path = valid_review / "evidence.csv"
    f = read_csv(path, "evidence.csv", schema.EVIDENCE)
    path.write_text(path.read_text(encoding="utf-8") + "c-01,alpha2020trial,indirect,added by someone\n", encoding="utf-8")
    with pytest.raises(ConcurrentChangeError, match="changed on disk"):
        rewrite_records(f, {0: {"finding": "mine"}})
    assert "added by someone" in path.read_text(encoding="utf-8")
    assert not list(valid_review.glob(".evidence.csv.*"))

"""Generated documentation and schemas are never stale, and Frictionless accepts the CSVs."""

from __future__ import annotations

from pathlib import Path

from frictionless import validate

from evidencebench.dictionary import generated_files

ROOT = Path(__file__).resolve().parents[1]


def test_generated_files_are_up_to_date():
    stale = [
        str(path.relative_to(ROOT))
        for path, text in generated_files(ROOT).items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"run `evidence schema` (make schema): stale {stale}"


def test_frictionless_accepts_the_review_csvs():
    report = validate(str(ROOT / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_rejects_a_bad_value(tmp_path: Path):
    import shutil

    for name in ("datapackage.json", "schemas", "documents", "claims.csv", "evidence.csv"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    claims = tmp_path / "claims.csv"
    claims.write_text(claims.read_text(encoding="utf-8").replace(",sedation,", ",insomnia,", 1), encoding="utf-8")
    report = validate(str(tmp_path / "datapackage.json"))
    assert not report.valid

"""ZIP archives are imported like the folder they hold, and cannot write outside it."""

from __future__ import annotations

import json
import stat
import zipfile
from contextlib import nullcontext
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project
from annotator.formats.registry import WriteOptions, get_format


def new_project(tmp_path: Path) -> Path:
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    return proj


def names(proj: Path) -> list[str]:
    with Project.open(proj, readonly=True) as p:
        return [d.name for d in p.documents()]


def test_a_zipped_brat_folder_imports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from annotator.core.tagset import default_tagset
    from tests.conftest import mixed_document

    folder = tmp_path / "brat"
    get_format("brat").write([mixed_document()], folder, default_tagset(), WriteOptions())
    archive = tmp_path / "corpus.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in folder.iterdir():
            zf.write(f, f"export/{f.name}")  # one top-level folder, as exports usually are
    proj = new_project(tmp_path)
    capsys.readouterr()
    assert main(["import", str(proj), str(archive), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["spans"] == 8
    assert names(proj) == ["mixed"]


def test_a_zip_of_articles_imports_each_file(tmp_path: Path) -> None:
    archive = tmp_path / "articles.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("one.txt", "First article.")
        zf.writestr("sub/two.md", "# Two\n\nSecond article.")
    proj = new_project(tmp_path)
    assert main(["import", str(proj), str(archive)]) == 0
    assert names(proj) == ["one", "two"]


def _zip_with(path: Path, name: str, data: bytes = b"x", *, symlink: bool = False) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ok.txt", "A fine article.")
        info = zipfile.ZipInfo(name)
        if symlink:
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, data, zipfile.ZIP_DEFLATED)
    return path


@pytest.mark.parametrize("entry, kwargs, message", [
    ("../../escaped.txt", {}, "outside the import folder"),
    ("/tmp/annotator-escaped.txt", {}, "outside the import folder"),
    ("C:/escaped.txt", {}, "outside the import folder"),
    ("link.txt", {"data": b"/etc/passwd", "symlink": True}, "symbolic link"),
    ("bomb.txt", {"data": b"\0" * (8 << 20)}, "zip bomb"),
])
def test_hostile_archives_are_refused_and_write_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: str, kwargs: dict,
        message: str) -> None:
    work = tmp_path / "work"
    work.mkdir()
    archive = _zip_with(work / "evil.zip", entry, **kwargs)
    proj = new_project(tmp_path)
    capsys.readouterr()
    assert main(["import", str(proj), str(archive)]) == 1
    err = capsys.readouterr().err
    assert message in err and "evil.zip" in err and len(err.strip().splitlines()) <= 2
    assert names(proj) == []
    assert not (tmp_path / "escaped.txt").exists() and not (work / "escaped.txt").exists()
    assert not Path("/tmp/annotator-escaped.txt").exists()
    assert sorted(p.name for p in work.iterdir()) == ["evil.zip"]


def test_not_a_zip_and_bad_member_are_named(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    proj = new_project(tmp_path)
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"PK\x03\x04 not really")
    capsys.readouterr()
    assert main(["import", str(proj), str(fake)]) == 1
    assert "not a readable ZIP archive" in capsys.readouterr().err
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("good.txt", "Fine.")
        zf.writestr("inner/broken.txt", b"\x00\x01\x02\x00binary")
    assert main(["import", str(proj), str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}!" in err and "broken.txt" in err
    assert names(proj) == []


@pytest.mark.parametrize("member_size, count", [
    (1 << 20, 400),  # exactly 1 MiB each: under the per-member check, 400 MiB in all
    (64 << 10, 6000),  # small members of zeros: the archive as a whole is the bomb
])
def test_many_well_compressed_members_are_refused_before_expanding(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], member_size: int,
        count: int) -> None:
    import tempfile

    archive = tmp_path / "many.zip"
    zeros = b"\0" * member_size
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(count):
            zf.writestr(f"doc{i:04}.txt", zeros)
    proj = new_project(tmp_path)
    before = (proj.read_bytes(), proj.stat().st_mtime_ns)
    leftovers = set(Path(tempfile.gettempdir()).glob("annotator-zip-*"))
    capsys.readouterr()
    assert main(["import", str(proj), str(archive)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "many.zip" in err[0] and "zip bomb" in err[0], err
    assert (proj.read_bytes(), proj.stat().st_mtime_ns) == before
    assert set(Path(tempfile.gettempdir()).glob("annotator-zip-*")) == leftovers


def test_total_size_is_capped(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Members that compress like ordinary text, but more of them than the cap allows."""
    import random

    from annotator.formats import _archive

    monkeypatch.setattr(_archive, "MAX_TOTAL", 2 << 20)
    rng = random.Random(7)
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(40):
            words = " ".join(rng.choice(["said", "the", "minister", "plan", "not", "fully"])
                             for _ in range(20_000))
            zf.writestr(f"doc{i:02}.txt", words)
    proj = new_project(tmp_path)
    capsys.readouterr()
    assert main(["import", str(proj), str(archive)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "expands beyond 2 MiB" in err[0], err
    assert names(proj) == []


def test_default_total_cap_is_below_400_mib() -> None:
    from annotator.formats import _archive

    assert _archive.MAX_TOTAL < 400 << 20


@pytest.mark.parametrize("entries, problem", [
    ([("a.txt", "One."), ("a.txt", "Two.")], "two entries of one name"),
    ([("x/a.txt", "One."), ("x//a.txt", "Two.")], "two entries of one name"),
    ([("x/a.txt", "One."), ("x\\a.txt", "Two.")], "two entries of one name"),
    ([("x", "A file."), ("x/a.txt", "One.")], "is a file, and"),
    ([("x/a.txt", "One."), ("x", "A file.")], "is a file, and"),
])
def test_an_entry_given_twice_or_as_file_and_folder_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], entries: list[tuple[str, str]],
        problem: str) -> None:
    """Which of two same-named entries would be imported depended on their order; a name that
    is both a file and a folder gave an OS error."""
    archive = tmp_path / "twice.zip"
    with zipfile.ZipFile(archive, "w") as zf, pytest.warns(UserWarning) \
            if entries[0][0] == entries[1][0] else nullcontext():
        for name, text in entries:
            zf.writestr(name, text)
    proj = new_project(tmp_path)
    before = proj.read_bytes()
    capsys.readouterr()
    assert main(["import", str(proj), str(archive)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(archive) in err[0] and problem in err[0], err
    assert proj.read_bytes() == before

"""Output files: written whole or not at all, never over anything by accident, only regular files."""
from __future__ import annotations

import os

import pytest

from aibgen import output
from aibgen.errors import OutputError
from aibgen.output import write_file


def test_a_new_file_gets_the_data_and_no_debris(tmp_path):
    write_file(str(tmp_path / "t.json"), b"{}\n")
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"] and (tmp_path / "t.json").read_bytes() == b"{}\n"


def test_an_existing_file_is_kept_without_force(tmp_path):
    (tmp_path / "t.json").write_bytes(b"old")
    with pytest.raises(OutputError, match="already exists; pass --force"):
        write_file(str(tmp_path / "t.json"), b"new")
    assert (tmp_path / "t.json").read_bytes() == b"old"


def test_force_replaces_a_regular_file_and_keeps_its_mode(tmp_path):
    target = tmp_path / "t.json"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_file(str(target), b"new", force=True)
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("make, kind", [
    (lambda p, tmp: p.symlink_to(tmp / "elsewhere.json"), "a symbolic link"),
    (lambda p, tmp: p.symlink_to(tmp / "missing.json"), "a symbolic link"),
    (lambda p, tmp: os.mkfifo(p), "a FIFO"),
])
@pytest.mark.parametrize("force", [False, True])
def test_anything_but_a_regular_file_is_never_replaced_or_written_through(tmp_path, make, kind, force):
    (tmp_path / "elsewhere.json").write_bytes(b"precious")
    target = tmp_path / "t.json"
    make(target, tmp_path)
    with pytest.raises(OutputError, match=f"is {kind}; aibgen writes only regular files"):
        write_file(str(target), b"new", force=force)
    assert (tmp_path / "elsewhere.json").read_bytes() == b"precious"
    assert not (tmp_path / "missing.json").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_is_never_replaced(tmp_path):
    import stat

    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a null device of its own
    with pytest.raises(OutputError, match="is a character device"):
        write_file(str(device), b"x", force=True)
    assert stat.S_ISCHR(os.lstat(device).st_mode)


@pytest.mark.parametrize("unnamed", [True, False])
def test_a_file_created_while_writing_is_not_overwritten(tmp_path, monkeypatch, unnamed):
    """Two runs racing for one name: the link into place fails for the second, atomically."""
    target = tmp_path / "t.json"
    real_fill = output._fill
    if not unnamed:
        monkeypatch.setattr(os, "O_TMPFILE", None, raising=False)

    def fill_then_race(fd, data, mode):
        real_fill(fd, data, mode)
        target.write_bytes(b"the other run")

    monkeypatch.setattr(output, "_fill", fill_then_race)
    with pytest.raises(OutputError, match="created while aibgen was writing"):
        write_file(str(target), b"mine")
    assert target.read_bytes() == b"the other run"
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]


def test_a_directory_in_the_way_asks_for_a_file_name(tmp_path):
    (tmp_path / "t.json").mkdir()
    with pytest.raises(OutputError, match="is a directory; give a file name with -o"):
        write_file(str(tmp_path / "t.json"), b"x", force=True)


def test_a_missing_directory_is_named(tmp_path):
    with pytest.raises(OutputError, match="does not exist; create it"):
        write_file(str(tmp_path / "no" / "t.json"), b"x")


@pytest.mark.parametrize("target, message", [("", "the output path is empty"), ("newdir/", "ends with '/'"),
                                             ("x.json/", "ends with '/'")])
def test_an_output_path_that_names_no_file_is_refused(tmp_path, monkeypatch, target, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError, match=message):
        write_file(target, b"x")
    assert list(tmp_path.iterdir()) == []

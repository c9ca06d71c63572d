"""A hostile submissions folder: nothing under it is lost, everything not graded is listed with its
reason, in the terminal, in every output and in the exit code (issue 13, "Silent loss in intake")."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.intake.discovery import OUTPUT_MARKER, discover
from tests.homework import ROOT, RUBRIC, SUBMISSIONS

VALID = sorted(p.name for p in SUBMISSIONS.iterdir())  # the nine bundled submissions


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def hostile_class(root: Path, outside: Path) -> dict[str, str]:
    """The bundled class with, between its files, every kind of entry that once hid others or
    leaked: returns each planted path (relative) and the words its reason must hold."""
    root.mkdir(parents=True)
    for name in VALID:
        (root / name).write_bytes((SUBMISSIONS / name).read_bytes())
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.yaml").write_text("student_id: leak\n", encoding="utf-8")
    (root / "aa-loop.yaml").symlink_to(root / "ab-loop.yaml")  # sorted first, as in the 65-of-200 report
    (root / "ab-loop.yaml").symlink_to(root / "aa-loop.yaml")
    (root / "self.json").symlink_to(root / "self.json")
    (root / "passwd.yaml").symlink_to("/etc/passwd")
    (root / "status.txt").symlink_to("/proc/self/status")
    (root / "up.yaml").symlink_to(outside / "secret.yaml")
    (root / "gone.yaml").symlink_to(root / "never-there.yaml")
    (root / "folder-out").symlink_to(outside, target_is_directory=True)
    (root / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD.yaml").write_text("student_id: hidden\n", encoding="utf-8")
    (root / "essay.pdf").write_bytes(b"%PDF-1.4\n")
    (root / "photo.HEIC").write_bytes(b"\0")
    (root / "notes.odd").write_text("x", encoding="utf-8")
    (root / "Makefile").write_text("x", encoding="utf-8")
    os.mkfifo(root / "pipe.yaml")
    return {
        "aa-loop.yaml": "loops", "ab-loop.yaml": "loops", "self.json": "loops",
        "passwd.yaml": "outside the given folder", "status.txt": "outside the given folder", "up.yaml": "outside the given folder",
        "gone.yaml": "dangling", "folder-out": "outside the given folder", ".DS_Store": "hidden file", ".git": "hidden folder",
        "essay.pdf": "by hand", "photo.HEIC": "by hand", "notes.odd": "unsupported", "Makefile": "unsupported",
        "pipe.yaml": "not a regular file",
    }


def test_every_planted_entry_is_listed_with_its_reason_and_every_valid_file_is_found(tmp_path: Path) -> None:
    planted = hostile_class(tmp_path / "class", tmp_path / "elsewhere")
    found = discover([tmp_path / "class"])
    assert [p.name for p in found.files] == VALID
    listed = {Path(item.path).name: item.reason for item in found.not_graded}
    assert set(listed) == set(planted)
    for name, words in planted.items():
        assert words in listed[name], (name, listed[name])


def test_an_unreadable_folder_is_listed_and_its_siblings_still_read(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every folder")
    root = tmp_path / "class"
    (root / "locked").mkdir(parents=True)
    (root / "ok.yaml").write_text("student_id: s1\n", encoding="utf-8")
    os.chmod(root / "locked", 0)
    try:
        found = discover([root])
    finally:
        os.chmod(root / "locked", 0o755)
    assert [p.name for p in found.files] == ["ok.yaml"]
    assert [(Path(i.path).name, i.reason.split(" (")[0]) for i in found.not_graded] == [("locked", "a folder that cannot be read")]


def test_the_whole_run_shows_the_list_everywhere_and_exits_one(tmp_path: Path) -> None:
    planted = hostile_class(tmp_path / "class", tmp_path / "elsewhere")
    out = tmp_path / "out"
    done = run("grade", str(RUBRIC), str(tmp_path / "class"), "--out", str(out))
    assert done.returncode == 1, done.stderr
    assert f"{len(planted)} path(s) under the given folders were not graded" in done.stdout
    for name in planted:
        assert str(tmp_path / "class" / name) in done.stdout
    with (out / "not-graded.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["path", "reason"] and {Path(path).name for path, _ in rows[1:]} == set(planted)
    sheet = openpyxl.load_workbook(out / "gradebook.xlsx", read_only=True)["Not graded"]
    assert {Path(row[0]).name for row in sheet.iter_rows(min_row=2, values_only=True)} == set(planted)
    summary = (out / "summary.html").read_text(encoding="utf-8")
    assert f"Not graded: {len(planted)} path(s)" in summary and all(name in summary for name in planted)
    with (out / "grades.csv").open(encoding="utf-8", newline="") as stream:
        graded = [row["student_id"] for row in csv.DictReader(stream)][1:]
    assert len(graded) == len(VALID)  # the nine bundled students, none lost behind the loop
    everything = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert b"root:x:0:0" not in everything and b"leak" not in everything and b"VmRSS" not in everything


def test_a_clean_class_still_exits_zero_and_writes_an_empty_list(tmp_path: Path) -> None:
    root = tmp_path / "class"
    root.mkdir()
    (root / "ada.yaml").write_bytes((SUBMISSIONS / "ada-lovelace.yaml").read_bytes())
    done = run("grade", str(RUBRIC), str(root), "--out", str(tmp_path / "out"))
    assert (tmp_path / "out" / "not-graded.csv").read_bytes() == b"path,reason\r\n"
    assert "not graded" not in done.stdout
    assert done.returncode in (0, 1)  # 1 only for the submission's own notes, checked next
    assert ("need attention" in done.stdout) == (done.returncode == 1)


def test_a_folder_of_pdfs_alone_is_refused_naming_each(tmp_path: Path) -> None:
    root = tmp_path / "class"
    root.mkdir()
    (root / "a.pdf").write_bytes(b"%PDF")
    done = run("grade", str(RUBRIC), str(root), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "a.pdf: a .pdf file grader cannot read" in done.stderr


@pytest.mark.parametrize("where", ["inside", "same", "around"])
def test_an_output_folder_among_the_inputs_is_refused(tmp_path: Path, where: str) -> None:
    root = tmp_path / "class"
    root.mkdir()
    (root / "ada.yaml").write_bytes((SUBMISSIONS / "ada-lovelace.yaml").read_bytes())
    out = {"inside": root / "reports", "same": root, "around": tmp_path}[where]
    done = run("grade", str(RUBRIC), str(root), "--out", str(out))
    assert done.returncode == 2 and "--out" in done.stderr and "choose" in done.stderr
    assert not (root / "reports").exists() and not (root / "students").exists()


def test_an_old_output_folder_left_inside_the_inputs_is_never_read_back(tmp_path: Path) -> None:
    """The 9 → 84 → 684 growth: an earlier run's outputs inside the class folder are passed over."""
    root = tmp_path / "class"
    root.mkdir()
    for name in VALID:
        (root / name).write_bytes((SUBMISSIONS / name).read_bytes())
    assert run("grade", str(RUBRIC), str(root), "--out", str(tmp_path / "reports")).returncode == 1
    (tmp_path / "reports").rename(root / "reports")  # a TA moved it there
    assert (root / "reports" / OUTPUT_MARKER).exists()
    out = tmp_path / "again"
    for _ in range(2):
        assert run("grade", str(RUBRIC), str(root), "--out", str(out)).returncode == 1
    with (out / "grades.csv").open(encoding="utf-8", newline="") as stream:
        assert len(list(csv.DictReader(stream))) - 1 == len(VALID)
    found = discover([root])
    assert [(Path(i.path).name, i.reason) for i in found.not_graded] == [("reports", "grader's output folder, never read as submissions")]


ENTRY_KINDS = st.sampled_from(["valid", "valid-json", "hidden", "pdf", "odd", "loop", "dangling", "link-in", "link-out",
                               "folder", "hidden-folder", "link-folder"])
NAMES = st.text(alphabet="abcxyz-_ 1", min_size=1, max_size=6)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=st.lists(st.tuples(NAMES, ENTRY_KINDS, st.integers(0, 3)), min_size=1, max_size=25))
def test_every_file_under_a_folder_is_graded_or_listed(tmp_path_factory: pytest.TempPathFactory, tree: list[tuple[str, str, int]]) -> None:
    """Whatever the tree (links, loops, hidden entries, odd types, nested folders), each path
    under the root is found for grading, or listed itself, or lies under a listed folder; none
    is both, and nothing found lies outside the root."""
    base = tmp_path_factory.mktemp("tree")
    root, outside = base / "root", base / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "o.yaml").write_text("x", encoding="utf-8")
    folders = [root]
    for index, (name, kind, depth) in enumerate(tree):
        parent = folders[min(depth, len(folders) - 1)]
        entry = parent / f"{name}{index}"
        _plant(entry, kind, root, outside, folders)
    found = discover([root])
    graded = {str(p) for p in found.files}
    listed = {item.path for item in found.not_graded}
    assert not graded & listed
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in [*filenames, *(d for d in dirnames if os.path.islink(os.path.join(dirpath, d)))]:
            path = os.path.join(dirpath, name)
            covered = path in graded or any(path == p or path.startswith(p + os.sep) for p in listed)
            assert covered, path
    real_root = os.path.realpath(root)
    assert all(os.path.realpath(p).startswith(real_root + os.sep) for p in graded)


def _plant(entry: Path, kind: str, root: Path, outside: Path, folders: list[Path]) -> None:
    if kind in ("valid", "valid-json"):
        entry.with_suffix(".yaml" if kind == "valid" else ".json").write_text("{}", encoding="utf-8")
    elif kind == "hidden":
        entry.with_name("." + entry.name).write_text("x", encoding="utf-8")
    elif kind in ("pdf", "odd"):
        entry.with_suffix(".pdf" if kind == "pdf" else ".bin").write_text("x", encoding="utf-8")
    elif kind == "loop":
        entry.symlink_to(entry)
    elif kind == "dangling":
        entry.symlink_to(root / "nowhere")
    elif kind == "link-in":
        target = root / "target.yaml"
        target.write_text("{}", encoding="utf-8")
        entry.with_suffix(".yaml").symlink_to(target)
    elif kind == "link-out":
        entry.with_suffix(".yaml").symlink_to(outside / "o.yaml")
    elif kind == "link-folder":
        entry.symlink_to(root, target_is_directory=True)
    else:
        folder = entry.with_name("." + entry.name) if kind == "hidden-folder" else entry
        folder.mkdir()
        (folder / "inner.yaml").write_text("{}", encoding="utf-8")
        folders.append(folder)


def test_the_terminal_never_receives_a_control_character_from_a_student(tmp_path: Path) -> None:
    root = tmp_path / "class"
    root.mkdir()
    (root / "evil.yaml").write_text(
        'student_id: "s\\e]0;pwned\\a\\e[2J"\nname: "\\e[31mRed\\u202eevil"\nanswers: {q1.standard.weights: "\\e[8m7200"}\n',
        encoding="utf-8")
    (root / "x\x1b[2Jname.pdf").write_bytes(b"%PDF")
    done = run("grade", str(RUBRIC), str(root), "--out", str(tmp_path / "out"))
    assert done.returncode == 1
    for stream in (done.stdout, done.stderr):
        assert "\x1b" not in stream and "\x07" not in stream and "\u202e" not in stream
    assert "\\x1b[2J" in done.stdout  # shown, not obeyed
    checked = run("check", str(RUBRIC), str(root / "evil.yaml"))
    assert "\x1b" not in checked.stdout + checked.stderr and "\u202e" not in checked.stdout


def test_a_spreadsheet_cell_never_exceeds_excels_limit_and_says_it_was_cut(tmp_path: Path) -> None:
    """2,000 answers to questions the rubric does not have make 2,000 notes, over 100,000
    characters in the notes cell; Excel holds 32,767 in a cell (Microsoft's published limit)."""
    root = tmp_path / "class"
    root.mkdir()
    answers = ", ".join(f'"zz.not_a_question_{index:05d}": 1' for index in range(2_000))
    (root / "many.json").write_text('{"student_id": "s1", "name": "N", "answers": {%s}}' % answers, encoding="utf-8")
    out = tmp_path / "out"
    assert run("grade", str(RUBRIC), str(root), "--out", str(out)).returncode == 1
    cells = [c for row in openpyxl.load_workbook(out / "gradebook.xlsx")["Grades"].iter_rows(values_only=True) for c in row]
    notes = [c for c in cells if isinstance(c, str) and "not_a_question_00000" in c]
    assert notes and all(len(c) == 32_767 and c.endswith("characters do not fit in one spreadsheet cell]") for c in notes)
    for name in ("grades.csv", "lms/sml-hw4-canvas.csv"):
        with (out / name).open(encoding="utf-8", newline="") as stream:
            longest = max(len(cell) for row in csv.reader(io.StringIO(stream.read())) for cell in row)
        assert longest <= 32_767, name
    assert "not_a_question_01999" in (out / "students" / "s1.html").read_text(encoding="utf-8")  # the report keeps every note

"""grader.base.documents.read_document: YAML/JSON read safely, every refusal naming the file and place."""
from __future__ import annotations

import codecs
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from grader.base.documents import read_document
from grader.base.errors import InputError
from grader.intake.formats import read_documents

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal(path: Path, **kwargs: object) -> InputError:
    with pytest.raises(InputError) as caught:
        read_document(path, **kwargs)  # type: ignore[arg-type]
    assert caught.value.source == str(path)
    assert str(caught.value).startswith(str(path))
    return caught.value


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.yaml", b"student_id: s1\nanswers:\n  q1: [1, 2]\n", {"student_id": "s1", "answers": {"q1": [1, 2]}}),
        ("a.yml", b"x: 1.5\ny: null\n", {"x": 1.5, "y": None}),
        ("UPPER.YAML", b"x: true\n", {"x": True}),
        ("a.json", b'{"student_id": "s1", "answers": {"q1.a": -3}}', {"student_id": "s1", "answers": {"q1.a": -3}}),
        ("Upper.JSON", b'[1, "two"]', [1, "two"]),
        ("alias.yaml", b"a: &x 7\nb: *x\n", {"a": 7, "b": 7}),
        ("same-key-in-two-mappings.yaml", b"x: {a: 1}\ny: {a: 2}\n", {"x": {"a": 1}, "y": {"a": 2}}),
    ],
)
def test_reads_yaml_and_json_into_plain_data(tmp_path: Path, name: str, data: bytes, expected: object) -> None:
    assert read_document(write(tmp_path, name, data)) == expected


def test_empty_yaml_file_reads_as_none(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, "empty.yaml", b"")) is None


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bom.yaml", codecs.BOM_UTF8 + "name: Zoë\n".encode("utf-8")),
        ("bom.json", codecs.BOM_UTF8 + '{"name": "Zoë"}'.encode("utf-8")),
        ("utf16le.yaml", codecs.BOM_UTF16_LE + "name: Zoë\n".encode("utf-16-le")),
        ("utf16be.yaml", codecs.BOM_UTF16_BE + "name: Zoë\n".encode("utf-16-be")),
        ("utf16le.json", codecs.BOM_UTF16_LE + '{"name": "Zoë"}'.encode("utf-16-le")),
        ("utf16be.json", codecs.BOM_UTF16_BE + '{"name": "Zoë"}'.encode("utf-16-be")),
    ],
)
def test_utf8_bom_and_utf16_with_bom_are_decoded(tmp_path: Path, name: str, data: bytes) -> None:
    assert read_document(write(tmp_path, name, data)) == {"name": "Zoë"}


@pytest.mark.parametrize(
    ("name", "data", "place", "expected"),
    [
        ("png.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "", "binary data, expected a text file"),
        ("nul.json", b'{"a": 1}\x00', "", "binary data, expected a text file"),
        ("utf16-no-bom.yaml", "a: 1\n".encode("utf-16-le"), "", "binary data, expected a text file"),
        ("latin1.yaml", "a: é\n".encode("latin-1"), "byte 3", "not UTF-8 or UTF-16 text"),
        ("cp1252.json", b'{"a": "\x93quoted\x94"}', "byte 7", "not UTF-8 or UTF-16 text"),
        ("truncated-utf16.yaml", codecs.BOM_UTF16_LE + b"a\x00:\x00 \x001", "byte 8", "not UTF-8 or UTF-16 text"),
    ],
)
def test_binary_and_undecodable_files_are_refused(tmp_path: Path, name: str, data: bytes, place: str, expected: str) -> None:
    error = refusal(write(tmp_path, name, data))
    assert error.place == place and error.expected.startswith(expected)
    if "UTF-8" in expected:  # with the way to fix it
        assert error.expected.endswith("re-save it as UTF-8 (Excel: Save As, 'CSV UTF-8'; LibreOffice: Save As, "
                                       "character set 'Unicode (UTF-8)'; a text editor: save with encoding UTF-8)")
        assert ("Latin-1" in error.expected) == ("utf16" not in name)


def test_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    path = write(tmp_path, "big.yaml", b"a: 1\n" + b"#" * 100 + b"\n")
    error = refusal(path, max_bytes=50)
    assert error.expected == "larger than the limit of 50 bytes"


def test_file_exactly_at_the_size_limit_is_read(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, "exact.yaml", b"a: 12345"), max_bytes=8) == {"a": 12345}


def test_default_size_limit_is_one_mebibyte(tmp_path: Path) -> None:
    path = write(tmp_path, "huge.json", b'"' + b"x" * (1024 * 1024) + b'"')
    assert refusal(path).expected == "larger than the limit of 1,048,576 bytes"


@pytest.mark.parametrize(
    ("name", "data", "place", "message"),
    [
        ("dup.yaml", b"a: 1\nb: 2\na: 3\n", "line 3, column 1", "not valid YAML: the key 'a' appears twice in one mapping"),
        ("dup-nested.yaml", b"x:\n  a: 1\n  a: 2\n", "line 3, column 3", "not valid YAML: the key 'a' appears twice in one mapping"),
        ("dup-flow.yaml", b"answers: {q1: 1, q2: 2, q1: 3}\n", "line 1, column 25", "not valid YAML: the key 'q1' appears twice in one mapping"),
        ("dup.json", b'{"a": 1, "b": 2, "a": 3}', "", "not valid JSON: the key 'a' appears twice in one object"),
        ("dup-nested.json", b'{"x": {"q": 1, "q": 1}}', "", "not valid JSON: the key 'q' appears twice in one object"),
    ],
)
def test_duplicate_keys_are_refused_not_overwritten(tmp_path: Path, name: str, data: bytes, place: str, message: str) -> None:
    error = refusal(write(tmp_path, name, data))
    assert (error.place, error.expected) == (place, message)


@pytest.mark.parametrize(
    ("name", "data", "place", "message"),
    [
        ("cut.yaml", b"a: [1, 2\nb: 3\n", "line 2, column 2", "not valid YAML: did not find expected ',' or ']'"),
        ("tab.yaml", b"a:\n\tb: 1\n", "line 2, column 1", "not valid YAML"),
        ("cut.json", b'{\n  "a": 1,\n  "b": \n}', "line 4, column 1", "not valid JSON: Expecting value"),
        ("comma.json", b'{"a": 1,}', "line 1, column 9", "not valid JSON"),
    ],
)
def test_syntax_errors_name_line_and_column(tmp_path: Path, name: str, data: bytes, place: str, message: str) -> None:
    path = write(tmp_path, name, data)
    error = refusal(path)
    assert error.place == place
    assert error.expected.startswith(message)
    assert str(error).startswith(f"{path} at {place}: {message}")


def test_bundled_broken_upload_is_located() -> None:
    path = ROOT / "submissions" / "broken-upload.yaml"
    error = refusal(path)
    assert error.place == "line 7, column 14"
    assert error.expected.startswith("not valid YAML")


@pytest.mark.parametrize("name", ["answers.txt", "answers.yaml.bak", "answers", "answers.toml", "answers.xlsx"])
def test_unknown_extension_is_refused_naming_the_known_ones(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, b"a: 1\n")
    error = refusal(path)
    assert error.expected == f"unknown file type '{path.suffix}', expected one of .json, .yaml, .yml"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("big.yaml", b"a: 1\n" * 20, "larger than the limit of 50 bytes"),
        ("bin.yaml", b"\x00\x01", "binary data, expected a text file"),
        ("notes.txt", b"a: 1\n", "unknown file type '.txt', expected one of .json, .yaml, .yml"),
    ],
    ids=["size", "binary", "extension"],
)
def test_a_refusal_without_a_place_reads_file_colon_problem(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = write(tmp_path, name, data)
    assert str(refusal(path, max_bytes=50)) == f"{path}: {message}"


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    error = refusal(tmp_path / "absent.yaml")
    assert error.expected.startswith("cannot be read")


@pytest.mark.parametrize(
    "payload",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "a: !!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/apply:subprocess.check_call [['touch', '{marker}']]",
        "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
        "a: !!python/name:os.system",
    ],
)
def test_python_tags_are_refused_never_executed(tmp_path: Path, payload: str) -> None:
    marker = tmp_path / "pwned"
    path = write(tmp_path, "evil.yaml", payload.format(marker=marker).encode("utf-8"))
    error = refusal(path)
    assert error.expected.startswith("not valid YAML: could not determine a constructor for the tag")
    assert "python/" in error.expected
    assert not marker.exists()


def test_deeply_nested_json_is_an_input_error_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.json", b"[" * 200_000 + b"]" * 200_000)
    assert refusal(path).expected.startswith("not valid JSON")


def test_yaml_merge_keys_are_read_like_the_safe_loader_reads_them(tmp_path: Path) -> None:
    path = write(tmp_path, "merge.yaml", b"common: &c {input: [20, 20, 10]}\npart:\n  <<: *c\n  kernel: 3\n")
    assert read_document(path) == {"common": {"input": [20, 20, 10]}, "part": {"input": [20, 20, 10], "kernel": 3}}


def test_a_merged_key_may_be_overridden_but_an_explicit_key_not_repeated(tmp_path: Path) -> None:
    path = write(tmp_path, "override.yaml", b"common: &c {kernel: 3, stride: 1}\npart:\n  <<: *c\n  kernel: 5\n")
    assert read_document(path)["part"] == {"kernel": 5, "stride": 1}
    error = refusal(write(tmp_path, "twice.yaml", b"common: &c {kernel: 3}\npart:\n  <<: *c\n  kernel: 5\n  kernel: 7\n"))
    assert (error.place, error.expected) == ("line 5, column 3", "not valid YAML: the key 'kernel' appears twice in one mapping")


@pytest.mark.parametrize("text", [b"true: a\nTrue: b\n", b"1: a\n01: b\n", b"0x10: a\n16: b\n"])
def test_one_key_spelled_two_ways_is_refused_not_overwritten(tmp_path: Path, text: bytes) -> None:
    error = refusal(write(tmp_path, "respelled.yaml", text))
    assert error.place == "line 2, column 1"
    assert "appears twice in one mapping" in error.expected


def test_deeply_nested_yaml_is_an_input_error_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.yaml", b"[" * 300_000 + b"]" * 300_000)
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from grader.base.documents import read_document
        from grader.base.errors import InputError
        try:
            read_document(Path({str(path)!r}))
        except InputError as error:
            print("InputError:", error.expected[:60])
        else:
            print("read")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-300:]}"
    assert done.stdout.startswith("InputError: not valid YAML") or done.stdout.startswith("read")


@pytest.mark.parametrize(
    ("name", "template"),
    [("long.yaml", "a: {digits}\nb: 12\n"), ("long.json", '{{"a": {digits}, "b": 12}}')],
)
def test_an_integer_too_long_to_convert_stays_text(tmp_path: Path, name: str, template: str) -> None:
    digits = "9" * 100_000  # past Python's 4,300-digit conversion limit
    document = read_document(write(tmp_path, name, template.format(digits=digits).encode("ascii")), max_bytes=200_000)
    assert document == {"a": digits, "b": 12}


@pytest.mark.parametrize(("name", "template"), [("k.yaml", "a: {digits}\n"), ("k.json", '{{"a": {digits}}}')])
def test_an_integer_of_a_thousand_digits_is_still_a_number(tmp_path: Path, name: str, template: str) -> None:
    digits = "9" * 1000
    assert read_document(write(tmp_path, name, template.format(digits=digits).encode("ascii"))) == {"a": int(digits)}


def test_a_submission_keeps_yaml_scalars_as_typed_for_the_number_reader(tmp_path: Path) -> None:
    """YAML 1.1 would read 017 as 15, 1:30 as 90 and the id 00123 as 83; a submission keeps the text."""
    path = write(tmp_path, "typed.yaml", b"student_id: 00123\nanswers:\n  a: 017\n  b: 1:30\n  c: 7200\n  d: ~\n  e:\n  f: 'null'\n")
    [document] = read_documents(path)
    assert document.data == {"student_id": "00123", "answers": {"a": "017", "b": "1:30", "c": "7200", "d": None, "e": None, "f": "null"}}
    assert read_document(path)["student_id"] == 83  # a rubric or a mapping file is read with YAML's types


def submission(path: Path) -> object:
    [document] = read_documents(path)
    return document.data


def submission_refusal(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_documents(path)
    return caught.value


def test_a_submission_alias_is_the_same_object_and_a_recursive_one_ends(tmp_path: Path) -> None:
    data = submission(write(tmp_path, "alias.yaml", b"a: &x [1, 2]\nb: *x\nc: &r [*r]\n"))
    assert data["a"] is data["b"] and data["a"] == ["1", "2"]  # type: ignore[index]
    assert data["c"][0] is data["c"]  # type: ignore[index]


def test_a_submission_with_other_tags_is_read_as_the_safe_loader_reads_it(tmp_path: Path) -> None:
    data = submission(write(tmp_path, "tags.yaml", b"common: &c {k: 3}\npart:\n  <<: *c\n  s: 1\nbin: !!binary aGVsbG8=\nn: !!int 12\n"))
    assert data == {"common": {"k": "3"}, "part": {"k": "3", "s": "1"}, "bin": b"hello", "n": 12}
    refused = submission_refusal(write(tmp_path, "evil.yaml", b"a: !!python/object/apply:os.system [echo]\n"))
    assert refused.expected.startswith("not valid YAML: could not determine a constructor")


@pytest.mark.parametrize(("text", "place", "expected"), [
    (b"student_id: a\nanswers:\n  q1: 1\n  q1: 2\n", "line 4, column 3", "not valid YAML: the key 'q1' appears twice in one mapping"),
    (b"? [a, b]\n: 1\n", "line 1, column 3", "not valid YAML: a key is a list or a mapping, expected a name"),
    (b"a: 1\n---\nb: 2\n", "line 2, column 1", "not valid YAML: but found another document"),  # as PyYAML words it
])
def test_a_broken_submission_is_named_with_its_place(tmp_path: Path, text: bytes, place: str, expected: str) -> None:
    refused = submission_refusal(write(tmp_path, "broken.yaml", text))
    assert (refused.place, refused.expected) == (place, expected)


def test_an_empty_submission_is_no_document(tmp_path: Path) -> None:
    assert submission(write(tmp_path, "empty.yaml", b"# nothing\n")) is None

"""Import records carry the SHA-256 of what was imported: a file, or a folder such as a .gdb."""

from __future__ import annotations

import hashlib
from pathlib import Path

from gengbao.adapters.file_digest import sha256_of


def test_file_digest_is_plain_sha256(tmp_path: Path) -> None:
    data = bytes(range(256)) * 5000  # larger than one read chunk
    p = tmp_path / "a.bin"
    p.write_bytes(data)
    assert sha256_of(p) == hashlib.sha256(data).hexdigest()


def test_folder_digest_covers_names_and_contents(tmp_path: Path) -> None:
    gdb = tmp_path / "x.gdb"
    (gdb / "sub").mkdir(parents=True)
    (gdb / "b.gdbtable").write_bytes(b"BBB")
    (gdb / "sub" / "a.gdbx").write_bytes(b"AA")
    want = hashlib.sha256(b"b.gdbtable" + b"BBB" + b"sub/a.gdbx" + b"AA").hexdigest()
    assert sha256_of(gdb) == want
    (gdb / "b.gdbtable").rename(gdb / "c.gdbtable")  # same bytes, other name: another digest
    assert sha256_of(gdb) != want

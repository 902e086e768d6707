#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets into tests/fuzz/corpus/<target>/.

Small valid inputs, so each target starts from requests, files and photos that get deep
into the code. Frames are written as protobuf text and encoded by protoc; photos are made
by ImageMagick. Run it again after changing the protocol; crash inputs kept as regression
tests (files named crash-*) are left alone.
"""
import pathlib
import shutil
import struct
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fuzz" / "corpus"
PROTO = ROOT / "proto" / "acorn.proto"

OBS = "3f2b8c1e-6f1a-4c1e-9a51-0c5e6a2b7d10"
MEDIA = "7a1d4e2c-0b9f-4f8e-8c3a-5d6e7f809a1b"
SHA = "\\x" + "\\x".join(["ab"] * 32)


def frame(text: str, request_id: int = 1) -> bytes:
    body = subprocess.run(
        ["protoc", f"--proto_path={PROTO.parent}", "--encode=acorn.wire.Frame", PROTO.name],
        input=f"request_id: {request_id}\n{text}".encode(), capture_output=True, check=True,
        cwd=PROTO.parent).stdout
    return struct.pack(">I", len(body)) + body


def write(target: str, name: str, data: bytes) -> None:
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


HELLO = 'hello { protocol_version: 1 client_kind: CLIENT_KIND_STAFF app_version: "seed" }'
LOGIN = 'login { username: "lee.lead" password: "pass-lee.lead" device_name: "seed" }'
BADLOGIN = 'login { username: "alex.brown" password: "wrong" device_name: "seed" }'
PULL = "pull { max_items: 50 }"
PUSH = f'''push {{ items {{ change_id: "0d1e2f30-4a5b-4c6d-8e7f-901a2b3c4d5e" base_revision: 0
  observation {{ id: "{OBS}" observed_at_ms: 1796637600000 child_refs: "C001" child_refs: "C002"
    text: "Built a tower" staff_note: "for staff" state: PUBLISHED eyfs_tags: "PD"
    media {{ id: "{MEDIA}" kind: PHOTO size: 1000 sha256: "{SHA}" width: 10 height: 10
      mime_type: "image/jpeg" thumbnail_size: 100 thumbnail_sha256: "{SHA}" }} }} }} }}'''
UPLOAD = f'upload_begin {{ media_id: "{MEDIA}" variant: ORIGINAL size: 1000 sha256: "{SHA}" }}'
CHUNK = f'upload_chunk {{ media_id: "{MEDIA}" variant: ORIGINAL offset: 0 data: "0123456789" }}'
FETCH = f'media_fetch {{ media_id: "{MEDIA}" variant: THUMBNAIL offset: 0 length: 64 }}'
RELEASE = 'release { class_name: "Reception" through_date: "2026-12-01" }'
TOKEN = 'token_login { token: "0123456789abcdef0123456789abcdef" device_name: "seed" }'
ACTIVATE = 'activate { username: "sam.brown" code: "ABCDE-FGHJK-LMNPQ" new_password: "a new password" }'
LOGOUT = "logout { }"
TWOFACTOR_SETUP = "two_factor_setup { }"
TWOFACTOR_REPLACE = 'two_factor_setup { current_code: "123456" }'
TWOFACTOR_CONFIRM = 'two_factor_confirm { code: "000000" }'


def frames(*texts: str) -> bytes:
    return b"".join(frame(t, i + 1) for i, t in enumerate(texts))


def main() -> None:
    # fuzz_framedecoder: whole frames, two in a row, a truncated one, an oversized header.
    write("fuzz_framedecoder", "hello", frame(HELLO))
    write("fuzz_framedecoder", "push", frame(PUSH))
    write("fuzz_framedecoder", "two-frames", frames(HELLO, LOGIN))
    write("fuzz_framedecoder", "two-factor", frames(TWOFACTOR_SETUP, TWOFACTOR_CONFIRM))
    write("fuzz_framedecoder", "truncated", frame(PULL)[:-1])
    write("fuzz_framedecoder", "oversized", struct.pack(">I", 70000) + b"\x08\x01")

    # fuzz_syncservice: byte 0 = persona (0 nobody, 1 hello only, 2 lead, 3 nina, 4 rob,
    # 5 alex (parent), 6 ravi (parent), 7 admin), byte 1 = clock step of two hours.
    write("fuzz_syncservice", "signin", bytes([0, 0]) + frames(HELLO, LOGIN, PULL))
    write("fuzz_syncservice", "bad-signin", bytes([1, 0]) + frames(BADLOGIN, BADLOGIN, ACTIVATE, TOKEN))
    write("fuzz_syncservice", "lead-push", bytes([2, 3]) + frames(PUSH, UPLOAD, CHUNK, PULL, RELEASE))
    write("fuzz_syncservice", "nursery-push", bytes([3, 0]) + frames(PUSH, PULL))
    write("fuzz_syncservice", "parent-pull", bytes([5, 200]) + frames(PULL, FETCH, PUSH, RELEASE))
    write("fuzz_syncservice", "admin", bytes([7, 0]) + frames(PULL, FETCH, LOGOUT, PULL))
    write("fuzz_syncservice", "two-factor-setup",
          bytes([3, 0]) + frames(TWOFACTOR_SETUP, TWOFACTOR_CONFIRM, TWOFACTOR_REPLACE, TWOFACTOR_CONFIRM))
    write("fuzz_syncservice", "two-factor-parent", bytes([5, 0]) + frames(TWOFACTOR_SETUP, TWOFACTOR_CONFIRM))

    # fuzz_schoolimport
    write("fuzz_schoolimport", "school.json",
          (ROOT / "tests" / "support" / "testserver.cpp").read_text().split('R"(')[1].split(')"')[0].encode())
    write("fuzz_schoolimport", "minimal.json", b'{"school": {"name": "Tiny"}, "classes": [{"name": "Nursery", "release": "live"}]}')
    write("fuzz_schoolimport", "child.json", b'''{"children": [{"ref": "C009", "first_name": "Zoe", "last_name": "Li",
 "date_of_birth": "2023-05-05", "class": "Nursery", "family": "F009",
 "consent": {"journal_media": true, "others_journals": false}}],
 "guardians": [{"username": "kim.li", "name": "Kim Li", "family": "F009"}]}''')

    # fuzz_rosterimport
    head = b"ref,first_name,last_name,date_of_birth,class,family,journal_media,others_journals"
    write("fuzz_rosterimport", "roster.csv", head + b"\r\nC010,Amy,Ng,2023-04-01,Nursery,F010,yes,no\r\n")
    write("fuzz_rosterimport", "guardians.csv", b"\xef\xbb\xbf" + head
          + b",guardian1_username,guardian1_name\nC011,\"Bo, Jr\",\"O\"\"Neil\",2022-01-02,Reception,F011,Y,N,pat.oneil,Pat O'Neil\n")
    write("fuzz_rosterimport", "bad.csv", head + b"\nC012,Cy,Do,2023-13-40,Recption,F012,maybe,no\n")

    # fuzz_photoimport: tiny photos in the formats a device meets.
    with tempfile.TemporaryDirectory() as tmp:
        t = pathlib.Path(tmp)
        subprocess.run(["convert", "-size", "24x16", "gradient:red-blue", "-orient", "right-top", str(t / "rotated.jpg")], check=True)
        subprocess.run(["convert", "-size", "20x10", "xc:green", str(t / "plain.png")], check=True)
        subprocess.run(["convert", "-size", "8x8", "xc:yellow", str(t / "tiny.gif")], check=True)
        subprocess.run(["convert", "-size", "12x9", "xc:white", "-interlace", "JPEG", "-quality", "40", str(t / "progressive.jpg")], check=True)
        for f in sorted(t.iterdir()):
            write("fuzz_photoimport", f.name, f.read_bytes())


if __name__ == "__main__":
    if not shutil.which("protoc"):
        raise SystemExit("make-seeds: protoc is needed (apt-get install protobuf-compiler)")
    main()

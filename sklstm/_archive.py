"""The container of sklstm's file format: a zip archive, read within limits.

Everything here works on bytes in memory and raises :class:`Malformed` (a
``ValueError``) for anything that is not what :func:`write_zip` and
:func:`write_npz` write. Sizes are checked before anything is decompressed
or allocated: a zip member says how large it inflates and a ``.npy`` header
what shape it holds, and a small file that claims more than a model of its
size could hold is refused before it costs memory.
"""

import hashlib
import io
import math
import zipfile

import numpy as np

# the member that holds the SHA-256 of the others
CHECKSUMS = "SHA256SUMS"
# Any member may inflate to this size; beyond it, to at most _MAX_RATIO times
# its compressed size. Deflate reaches about 1000 on constant data, which is
# how a small file would inflate to GiB; JSON and weights stay far below 100.
_MIN_INFLATE_LIMIT = 16 * 2**20
_MAX_RATIO = 100
# a fixed timestamp, so that one model always gives the same bytes (and digest)
_DATE_TIME = (1980, 1, 1, 0, 0, 0)
# numbers and strings; never Python objects, which only pickle could read
_ARRAY_KINDS = "biufcSU"


class Malformed(ValueError):
    """A file that is not in sklstm's format; the message says what is wrong."""


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def checksums(members):
    """The ``SHA256SUMS`` member: one line per member, as ``sha256sum`` writes it."""
    return "".join(f"{sha256_hex(members[name])}  {name}\n" for name in sorted(members)).encode()


def write_zip(members):
    """A zip archive of ``{name: (data, compress_type)}``, the same bytes for the same data."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, (data, compress_type) in members.items():
            info = zipfile.ZipInfo(name, date_time=_DATE_TIME)
            info.compress_type = compress_type
            archive.writestr(info, data)
    return buffer.getvalue()


def read_zip(data, what="the file"):
    """The members of a zip archive, as ``{name: bytes}``, each checked for size first."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = [info.filename for info in infos]
            if len(set(names)) != len(names):
                raise Malformed(f"{what} holds two members of the same name")
            members = {}
            for info in infos:
                members[info.filename] = _read_member(archive, info)
    except Malformed:
        raise
    except Exception as exc:  # anything a damaged archive makes zipfile raise
        raise Malformed(
            f"{what} is not a valid zip archive ({type(exc).__name__}: {exc})"
        ) from None
    return members


def _read_member(archive, info):
    name = info.filename
    if info.flag_bits & 0x1:
        raise Malformed(f"its member {name} is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise Malformed(f"its member {name} uses compression method {info.compress_type}")
    if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
        raise Malformed(f"its member {name} is stored uncompressed but its two sizes differ")
    limit = max(_MIN_INFLATE_LIMIT, _MAX_RATIO * info.compress_size)
    if info.file_size > limit:
        raise Malformed(
            f"its member {name} would inflate from {info.compress_size} to "
            f"{info.file_size} bytes, more than {_MAX_RATIO} times, which no model "
            "does; it was not decompressed"
        )
    with archive.open(info) as member:
        # at most one byte past the limit, whatever the header claims
        content = member.read(limit + 1)
    if len(content) != info.file_size:
        raise Malformed(f"its member {name} does not have the size it declares")
    return content


def write_npz(arrays):
    """NumPy's ``.npz``: one ``.npy`` member per array, stored uncompressed."""
    members = {}
    for key, value in arrays.items():
        buffer = io.BytesIO()
        np.lib.format.write_array(buffer, np.asarray(value), allow_pickle=False)
        members[f"{key}.npy"] = (buffer.getvalue(), zipfile.ZIP_STORED)
    return write_zip(members)


def read_npz(payload):
    """The arrays of a ``.npz``, each header checked against its data before reading."""
    arrays = {}
    for name, content in read_zip(payload, "arrays.npz").items():
        if not name.endswith(".npy"):
            raise Malformed(f"arrays.npz holds {name!r}, which is not a .npy array")
        arrays[name[: -len(".npy")]] = _read_npy(name, content)
    return arrays


def _read_npy(name, content):
    stream = io.BytesIO(content)
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(stream)
        else:
            raise ValueError(f"version {version} of the .npy format")
    except ValueError as exc:
        raise Malformed(f"the array {name} in arrays.npz has no valid header ({exc})") from None
    if dtype.hasobject or dtype.kind not in _ARRAY_KINDS or dtype.fields is not None:
        raise Malformed(f"the array {name} in arrays.npz holds {dtype}, not numbers or strings")
    if any(n < 0 for n in shape):
        raise Malformed(f"the array {name} in arrays.npz claims shape {shape}")
    # Python ints: a crafted shape cannot overflow into a small product
    n_bytes = math.prod(int(n) for n in shape) * dtype.itemsize
    if n_bytes != len(content) - stream.tell():
        raise Malformed(
            f"the array {name} in arrays.npz claims shape {shape} of {dtype} "
            f"({n_bytes} bytes), but holds {len(content) - stream.tell()} bytes"
        )
    stream.seek(0)
    return np.lib.format.read_array(stream, allow_pickle=False)

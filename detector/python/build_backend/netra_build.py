"""A PEP 517 build backend for the one-module package netra-environment, standard library only.

Builds the wheel (netra_environment.py, its metadata and a console script) and the sdist that pip needs, without
any package, so ``pip install ./detector/python`` works offline on every Python 3.9+. See pyproject.toml for why.
"""

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = "netra_environment.py"
NAME = "netra-environment"
DIST_NAME = "netra_environment"
SUMMARY = "Which environment am I in? Netra's runtime environment detector (development, test, staging, production)."
REQUIRES_PYTHON = ">=3.9"
ENTRY_POINTS = "[console_scripts]\nnetra-environment = netra_environment:main\n"
# A fixed timestamp, so the same source gives the same wheel.
DATE_TIME = (2020, 1, 1, 0, 0, 0)


def _version():
    with open(os.path.join(HERE, MODULE), encoding="utf-8") as file:
        match = re.search(r'^__version__ = "([^"]+)"$', file.read(), re.MULTILINE)
    if match is None:
        raise RuntimeError("%s has no __version__" % MODULE)
    return match.group(1)


def _metadata():
    return (
        "Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: %s\nRequires-Python: %s\n"
        % (NAME, _version(), SUMMARY, REQUIRES_PYTHON)
    )


def _dist_info():
    return "%s-%s.dist-info" % (DIST_NAME, _version())


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return "%s,sha256=%s,%d\n" % (path, digest, len(data))


def _wheel_files():
    with open(os.path.join(HERE, MODULE), "rb") as file:
        module = file.read()
    info = _dist_info()
    wheel = "Wheel-Version: 1.0\nGenerator: netra_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    return [
        (MODULE, module),
        (info + "/METADATA", _metadata().encode("utf-8")),
        (info + "/WHEEL", wheel.encode("utf-8")),
        (info + "/entry_points.txt", ENTRY_POINTS.encode("utf-8")),
        (info + "/top_level.txt", b"netra_environment\n"),
    ]


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    info = os.path.join(metadata_directory, _dist_info())
    os.makedirs(info, exist_ok=True)
    for path, data in _wheel_files()[1:]:
        with open(os.path.join(metadata_directory, path), "wb") as file:
            file.write(data)
    return _dist_info()


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = "%s-%s-py3-none-any.whl" % (DIST_NAME, _version())
    files = _wheel_files()
    record_path = _dist_info() + "/RECORD"
    record = "".join(_record_line(path, data) for path, data in files) + record_path + ",,\n"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files + [(record_path, record.encode("utf-8"))]:
            entry = zipfile.ZipInfo(path, DATE_TIME)
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data, zipfile.ZIP_DEFLATED)
    return name


def build_sdist(sdist_directory, config_settings=None):
    base = "%s-%s" % (DIST_NAME, _version())
    name = base + ".tar.gz"
    files = [MODULE, "pyproject.toml", "build_backend/netra_build.py"]
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as archive:
        for path in files:
            archive.add(os.path.join(HERE, path), arcname=base + "/" + path)
        data = _metadata().encode("utf-8")
        entry = tarfile.TarInfo(base + "/PKG-INFO")
        entry.size = len(data)
        archive.addfile(entry, io.BytesIO(data))
    return name
